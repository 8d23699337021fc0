"""Nhãn hiển thị of the inspections domain: the Vietnamese label of each topic, kind of
inspection, status and team role, as pages, the minutes and the tablet show them.

The Vietnamese text is the message id of the i18n catalogue; its English translation is
in ``templates/i18n/inspections.en.yaml`` (a test checks that every label here has one).
Keyed by the enum members, typed by ``str``: stored rows and forms look them up by the
plain code, which a ``StrEnum`` member equals.
"""

from __future__ import annotations

from congvu.inspect.inspections.tables import InspectionKind, InspectionStatus, MemberRole, Topic

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
