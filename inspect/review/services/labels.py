"""Nhãn hiển thị of the review domain: the Vietnamese label of each state, action,
follow-up and dossier decision, as pages and messages show them.

The Vietnamese text is the message id of the i18n catalogue; its English translation is
in ``templates/i18n/review.en.yaml`` (a test checks that every label here has one).
"""

from __future__ import annotations

from datetime import date

from congvu.inspect.review.services.dossier_flags import DossierAction
from congvu.inspect.review.tables import DossierOutcome, ReviewState
from congvu.rules.conduct import UnknownViolation
from congvu.rules.conduct import violation as conduct_violation
from congvu.rules.escalation import FollowUp
from congvu.rules.packs import PackNotFound
from congvu.rules.review import Action

S = ReviewState

STATE_LABELS = {
    S.RECORDED: "Mới ghi nhận",
    S.NOTIFIED: "Đã thông báo",
    S.AWAITING_EXPLANATION: "Chờ giải trình",
    S.UNDER_REVIEW: "Đang xem xét",
    S.CONFIRMED: "Đã xác nhận vi phạm",
    S.DISMISSED: "Không xác nhận vi phạm",
    S.FOLLOW_UP_DECIDED: "Đã quyết định biện pháp",
    S.CLOSED: "Đã kết thúc",
}

ACTION_LABELS = {
    Action.notify: "Thông báo cho cán bộ",
    Action.acknowledge: "Xác nhận đã nhận thông báo",
    Action.explain: "Gửi giải trình",
    Action.waive: "Miễn thời hạn giải trình",
    Action.start_review: "Bắt đầu xem xét",
    Action.confirm: "Xác nhận vi phạm",
    Action.dismiss: "Không xác nhận vi phạm",
    Action.decide_follow_up: "Quyết định biện pháp",
    Action.close: "Kết thúc",
}

# The corrective action for a unit finding (no official to follow up with).
FIX_DEADLINE = "FIX_DEADLINE"
FOLLOW_UP_LABELS = {
    FollowUp.REMIND.value: "Nhắc nhở",
    FollowUp.CRITICISE.value: "Phê bình",
    FollowUp.REQUIRE_SELF_REVIEW.value: "Yêu cầu kiểm điểm",
    FollowUp.REQUEST_HEAD_REVIEW.value: "Yêu cầu người đứng đầu kiểm điểm",
    FollowUp.PROPOSE_DISCIPLINE.value: "Đề nghị cấp có thẩm quyền xem xét kỷ luật",
    FIX_DEADLINE: "Yêu cầu khắc phục ngay",
}

DOSSIER_ACTION_LABELS = {
    DossierAction.TAKE_UP: "Đưa vào xem xét trách nhiệm cán bộ",
    DossierAction.DISMISS: "Bỏ qua cảnh báo (không xem xét)",
}
DOSSIER_OUTCOME_LABELS = {
    DossierOutcome.TAKEN_UP: "Đã đưa vào xem xét",
    DossierOutcome.DISMISSED: "Đã bỏ qua cảnh báo",
}

# The conduct catalogue's severities, as the queue's filter shows them.
SEVERITY_LABELS = {
    "minor": "Nhẹ",
    "serious": "Nghiêm trọng",
    "severe": "Rất nghiêm trọng",
}


def violation_name(code: str, on: date) -> str:
    """The Vietnamese name of a violation (hành vi vi phạm) as the conduct catalogue in
    force on ``on`` calls it; a code the catalogue does not know is named generically,
    never shown as the code itself."""
    try:
        return conduct_violation(code, on).label_vi
    except (UnknownViolation, PackNotFound):
        return "Hành vi vi phạm khác"


# What each audited event of a finding's history (lịch sử) says, in the reader's words.
HISTORY_LABELS = {
    "finding_recorded": "Ghi nhận phát hiện",
    "finding_withdrawn": "Rút lại phát hiện (trước khi nộp biên bản)",
    "finding_viewed": "Xem phát hiện",
    "finding_history_viewed": "Xem lịch sử",
    "finding_photo_viewed": "Xem ảnh",
    **{f"finding_{action.value}": label for action, label in ACTION_LABELS.items()},
}


def history_label(action: str) -> str:
    """The label of an audited action; one this table does not know yet reads generically
    rather than as its internal name."""
    return HISTORY_LABELS.get(action, "Thao tác khác")
