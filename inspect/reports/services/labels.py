"""Nhãn in the workbook: the Vietnamese words for the codes the tables store (the
workbook never shows a code)."""

from __future__ import annotations

from datetime import date
from functools import cache

from congvu.rules.conduct import catalogue
from congvu.rules.packs import PackNotFound, default_registry

# Reporting lines are listed by level of unit in this order (then by code).
KIND_ORDER = ("province", "department", "service_centre", "commune", "sub_unit")
INSPECTION_KINDS = {
    "SCHEDULED": "Theo kế hoạch",
    "SURPRISE_UNANNOUNCED": "Đột xuất, không báo trước",
    "SURPRISE_ANNOUNCED": "Đột xuất, có báo trước",
}
INSPECTION_STATUSES = {
    "planned": "Chưa thực hiện",
    "in_progress": "Đang kiểm tra",
    "submitted": "Đã lập biên bản",
    "closed": "Đã kết thúc",
}
REVIEW_STATES = {
    None: "Mới ghi nhận",
    "recorded": "Mới ghi nhận",
    "notified": "Đã thông báo",
    "awaiting_explanation": "Chờ giải trình",
    "under_review": "Đang xem xét",
    "confirmed": "Đã xác nhận vi phạm",
    "dismissed": "Không xác nhận vi phạm",
    "follow_up_decided": "Đã quyết định biện pháp",
    "closed": "Đã kết thúc",
}
OUTCOMES = {"confirmed": "Có vi phạm", "dismissed": "Không vi phạm"}
FOLLOW_UPS = {
    "REMIND": "Nhắc nhở",
    "CRITICISE": "Phê bình",
    "REQUIRE_SELF_REVIEW": "Yêu cầu kiểm điểm",
    "REQUEST_HEAD_REVIEW": "Yêu cầu người đứng đầu kiểm điểm",
    "PROPOSE_DISCIPLINE": "Đề nghị xem xét kỷ luật",
    "FIX_DEADLINE": "Yêu cầu khắc phục",
}
DOSSIER_STATUSES = {
    "early": "Trước hạn",
    "on_time": "Đúng hạn",
    "late": "Trễ hạn",
    "in_progress": "Đang giải quyết, trong hạn",
    "overdue": "Đang giải quyết, quá hạn",
}


@cache
def violation_label(code: str, on: date) -> str:
    """The catalogue's wording of a violation on ``on``; a late dossier's code and any
    code the catalogue lost keep a readable fallback."""
    item = catalogue(on).get(code)
    if item is not None:
        return item.label_vi
    for entry in catalogue(date.today()).values():
        if entry.code == code:
            return entry.label_vi
    return code.replace("_", " ").capitalize()


@cache
def rule_text(rule_id: str, version: str) -> str:
    """ "Danh mục hành vi vi phạm … (phiên bản 2025.1, hiệu lực từ 01/07/2025)"."""
    pack_id = rule_id.split(".", 1)[0]
    try:
        pack = default_registry().get(pack_id, version)
    except PackNotFound:
        return f"phiên bản {version}"
    return f"{pack.label_vi} (phiên bản {version}, hiệu lực từ {pack.effective_from:%d/%m/%Y})"
