"""Nhãn hiển thị of the late-dossier domain: the Vietnamese label of each status, channel
(kênh nộp) and flag of a hồ sơ TTHC, as pages show them.

The Vietnamese text is the message id of the i18n catalogue; its English translation is
in ``templates/i18n/dossiers.en.yaml`` (a test checks that every label here has one).
Keyed by the enum members, typed by ``str``: stored rows and forms look them up by the
plain code, which a ``StrEnum`` member equals.
"""

from __future__ import annotations

from congvu.inspect.dossiers.tables import Channel
from congvu.rules.dossiers import DossierFlag, DossierStatus

STATUS_LABELS: dict[str, str] = {
    DossierStatus.EARLY: "Trước hạn",
    DossierStatus.ON_TIME: "Đúng hạn",
    DossierStatus.LATE: "Trễ hạn",
    DossierStatus.IN_PROGRESS: "Đang giải quyết, trong hạn",
    DossierStatus.OVERDUE: "Đang giải quyết, quá hạn",
}
CHANNEL_LABELS: dict[str, str] = {
    Channel.DIRECT: "Trực tiếp",
    Channel.ONLINE: "Trực tuyến",
    Channel.POSTAL: "Bưu chính công ích",
}
# In the order the pages list them: faults first, the 24-hour reminder last.
FLAG_LABELS: dict[str, str] = {
    DossierFlag.RESOLVED_LATE: "Giải quyết trễ hạn",
    DossierFlag.OVERDUE_IN_PROGRESS: "Quá hạn chưa giải quyết",
    DossierFlag.APOLOGY_MISSING: "Không có văn bản xin lỗi",
    DossierFlag.APOLOGY_LATE: "Xin lỗi muộn (sau 1 ngày làm việc trước hạn)",
    DossierFlag.SECOND_EXTENSION: "Gia hạn lần thứ hai",
    DossierFlag.DEADLINE_RESET: "Lùi hạn không có xin lỗi / sau khi quá hạn",
    DossierFlag.DEADLINE_MOVED_EARLIER: "Hạn bị đổi sớm hơn",
    DossierFlag.DUE_WITHIN_24H: "Sắp hết hạn (trong 24 giờ)",
}
