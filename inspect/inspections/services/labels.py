"""Nhãn hiển thị of the inspections domain: the Vietnamese label of each topic, kind of
inspection, status and team role, as pages, the minutes and the tablet show them.

The Vietnamese text is the message id of the i18n catalogue; its English translation is
in ``templates/i18n/inspections.en.yaml`` (a test checks that every label here has one).
Keyed by the enum members, typed by ``str``: stored rows and forms look them up by the
plain code, which a ``StrEnum`` member equals.
"""

from __future__ import annotations

from congvu.inspect.inspections.tables import InspectionKind, InspectionStatus, MemberRole, Topic
from congvu.rules.packs import PackNotFound, default_registry

TOPIC_LABELS: dict[str, str] = {
    Topic.WORKING_HOURS: "Thời giờ làm việc",
    Topic.CONDUCT: "Văn hóa công sở, quy tắc ứng xử",
    Topic.ONE_STOP: "Cơ chế một cửa",
}
KIND_LABELS: dict[str, str] = {
    InspectionKind.SCHEDULED: "Theo kế hoạch",
    InspectionKind.SURPRISE_UNANNOUNCED: "Đột xuất không báo trước",
    InspectionKind.SURPRISE_ANNOUNCED: "Đột xuất có báo trước",
}
STATUS_LABELS: dict[str, str] = {
    InspectionStatus.PLANNED: "Chưa bắt đầu",
    InspectionStatus.IN_PROGRESS: "Đang kiểm tra",
    InspectionStatus.SUBMITTED: "Đã nộp biên bản",
    InspectionStatus.CLOSED: "Đã kết thúc",
}
MEMBER_ROLE_LABELS: dict[str, str] = {
    MemberRole.TRUONG_DOAN: "Trưởng đoàn",
    MemberRole.PHO_TRUONG_DOAN: "Phó Trưởng đoàn",
    MemberRole.THANH_VIEN: "Thành viên",
    MemberRole.THU_KY: "Thư ký",
}


def rule_basis(rule_id: str, version: str) -> str:
    """The "căn cứ" line of a verdict: the legal texts its rule pack cites and the pack's
    version, instead of the internal rule id (``conduct.LATE_ARRIVAL``, ``working_hours``).
    A rule id is its pack's id, optionally followed by ``.`` and an item code."""
    try:
        pack = default_registry().get(rule_id.split(".")[0], version)
    except PackNotFound:
        return f"phiên bản {version}"
    cited = "; ".join(basis.cite() for basis in pack.legal_basis)
    return f"{cited} (phiên bản {version})" if cited else f"phiên bản {version}"


# What each audited event of an inspection's history (lịch sử) says, in the reader's words.
HISTORY_LABELS: dict[str, str] = {
    "inspection_started": "Đã bắt đầu kiểm tra",
    "inspection_submitted": "Kết thúc kiểm tra, gửi biên bản",
    "inspection_closed": "Đóng cuộc kiểm tra",
    "sealed_inspection_viewed": "Xem cuộc kiểm tra đột xuất chưa công bố",
    "team_decision_recorded": "Ghi quyết định thành lập đoàn kiểm tra",
}


def history_label(action: str) -> str:
    """The label of an audited action; one this table does not know yet reads generically
    rather than as its internal name."""
    return HISTORY_LABELS.get(action, "Thao tác khác")
