"""Nhãn hiển thị of the review domain: the Vietnamese label of each state, action,
follow-up and dossier decision, as pages and messages show them.

The Vietnamese text is the message id of the i18n catalogue; its English translation is
in ``templates/i18n/review.en.yaml`` (a test checks that every label here has one).
"""

from __future__ import annotations

from congvu.inspect.review.services.dossier_flags import DossierAction
from congvu.inspect.review.tables import DossierOutcome, ReviewState
from congvu.rules.escalation import FollowUp
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
