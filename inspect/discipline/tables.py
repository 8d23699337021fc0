"""Discipline tables: a case about one official, the findings it joins, the steps of its
procedure, its council, deferrals (tạm hoãn) and appeals (khiếu nại).

The stage of a case is the last step recorded; the services allow only the next one
(``services/procedure.py``). A decision lives on its case (one decision per case, as
NĐ 172/2025 Art. 2.2 gives one form for the violations considered together).
"""

from __future__ import annotations

from enum import StrEnum

import congvu.inspect.db  # noqa: F401  (sets PICCOLO_CONF before any query)
from congvu.inspect.dossiers.tables import Dossier
from congvu.inspect.inspections.tables import Finding
from congvu.inspect.organisation.tables import Official, Unit, User
from piccolo.columns import (
    Boolean,
    Date,
    ForeignKey,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table


class CaseStage(StrEnum):
    """Where a case stands: the last step done (NĐ 172/2025 Arts. 16-21)."""

    OPENED = "opened"  # mở hồ sơ
    REVIEW_MEETING = "review_meeting"  # đã họp kiểm điểm
    REPORT_SENT = "report_sent"  # đã gửi báo cáo, biên bản họp kiểm điểm
    COUNCIL_SET_UP = "council_set_up"  # đã thành lập Hội đồng kỷ luật
    SUMMONED = "summoned"  # đã gửi giấy triệu tập
    RECOMMENDED = "recommended"  # Hội đồng đã kiến nghị bằng văn bản
    DECIDED = "decided"  # đã có quyết định kỷ luật
    NOTIFIED = "notified"  # đã thông báo quyết định
    CLOSED = "closed"  # kết thúc, không kỷ luật


class ConvictionKind(StrEnum):
    """A final judgment that forces termination without the council (NĐ 172/2025 Art. 21.2)."""

    PRISON = "prison"  # phạt tù không được hưởng án treo
    CORRUPTION = "corruption"  # kết án về hành vi tham nhũng


class ExcludedKind(StrEnum):
    """A period not counted in thời hiệu and thời hạn besides a deferral (NĐ 172/2025 Art.
    5.6); unlike a deferral it does not stop the procedure's steps."""

    CRIMINAL_PROCEDURE = "criminal"  # điều tra, truy tố, xét xử theo tố tụng hình sự
    COMPLAINT = "complaint"  # giải quyết khiếu nại, tố cáo


class AppealOutcome(StrEnum):
    REJECTED = "rejected"  # giữ nguyên quyết định
    ANNULLED = "annulled"  # hủy quyết định: its effects are lifted


class DisciplineCase(Table, tablename="discipline_case"):
    """Hồ sơ xử lý kỷ luật of one official."""

    id: Serial

    official = ForeignKey(references=Official, on_delete=OnDelete.restrict, index=True)
    unit = ForeignKey(references=Unit, on_delete=OnDelete.restrict, index=True)
    category = Varchar(length=12)  # rules.discipline.Category, fixed when opened
    leader = Boolean(default=False)
    description = Text()
    violation_on = Date()  # the (last) act: thời hiệu counts from it
    discovered_on = Date()  # thời hạn xử lý counts from it
    opened_on = Date()
    merited = Varchar(length=16)  # the form the act merits on its face: 5 or 10 years
    complex_case = Boolean(default=False)
    stage = Varchar(length=16, choices=CaseStage, index=True)
    opened_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    proposed_form = Varchar(length=16, null=True, default=None)
    decided_form = Varchar(length=16, null=True, default=None)
    decision_number = Varchar(length=64, null=True, default=None)
    decided_on = Date(null=True, default=None)
    effective_on = Date(null=True, default=None)
    decision_signer = Varchar(length=255, null=True, default=None)
    decider = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    duty_related = Boolean(default=True)
    annulled_on = Date(null=True, default=None)
    party_form = Varchar(length=16, null=True, default=None)
    party_decided_on = Date(null=True, default=None)
    party_announced_on = Date(null=True, default=None)
    closed_reason = Text(null=True, default=None)
    # rules.discipline.NoLimitation: the act is one to which no thời hiệu applies
    # (NĐ 172/2025 Art. 5.4), as the personnel office found when opening the case.
    no_limitation = Varchar(length=32, null=True, default=None)
    updated_at = Timestamptz()


class CaseSource(Table, tablename="discipline_case_source"):
    """A confirmed finding (from an inspection or a late-dossier case) joined to a case."""

    id: Serial

    case = ForeignKey(references=DisciplineCase, on_delete=OnDelete.cascade, index=True)
    finding = ForeignKey(references=Finding, on_delete=OnDelete.restrict, unique=True)
    dossier = ForeignKey(references=Dossier, null=True, on_delete=OnDelete.set_null)
    violation_code = Varchar(length=64)
    observed_on = Date()


class CaseStep(Table, tablename="discipline_step"):
    """One step done: its day, the event its successor counts from (the council meeting
    for a summons), a note (minutes, right to speak) and who recorded it."""

    id: Serial

    case = ForeignKey(references=DisciplineCase, on_delete=OnDelete.cascade, index=True)
    stage = Varchar(length=16, choices=CaseStage)
    done_on = Date()
    event_on = Date(null=True, default=None)
    note = Text(default="")
    recorded_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    recorded_at = Timestamptz()


class CouncilMember(Table, tablename="discipline_council_member"):
    """Thành viên Hội đồng kỷ luật, with any relation to the subject they declared."""

    id: Serial

    case = ForeignKey(references=DisciplineCase, on_delete=OnDelete.cascade, index=True)
    full_name = Varchar(length=255)
    duty = Varchar(length=64)  # Chủ tịch / Ủy viên / Ủy viên kiêm Thư ký
    account = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    official = ForeignKey(references=Official, null=True, on_delete=OnDelete.set_null)
    relation = Varchar(length=64, null=True, default=None)


class Deferral(Table, tablename="discipline_deferral"):
    """Chưa xem xét xử lý kỷ luật (NĐ 172/2025 Art. 3): the clock stops from start to end."""

    id: Serial

    case = ForeignKey(references=DisciplineCase, on_delete=OnDelete.cascade, index=True)
    reason = Varchar(length=16)
    starts_on = Date()
    ends_on = Date()
    recorded_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    recorded_at = Timestamptz()


class Appeal(Table, tablename="discipline_appeal"):
    """Khiếu nại of the subject against a decision, and its outcome."""

    id: Serial

    case = ForeignKey(references=DisciplineCase, on_delete=OnDelete.cascade, index=True)
    text = Text()
    submitted_on = Date()
    submitted_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    outcome = Varchar(length=12, null=True, default=None, choices=AppealOutcome)
    outcome_on = Date(null=True, default=None)
    outcome_reason = Text(null=True, default=None)
    outcome_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)


class Conviction(Table, tablename="discipline_conviction"):
    """Bản án, quyết định của Tòa án đã có hiệu lực pháp luật about the subject, as the
    personnel office received it: the case then goes straight to the decision
    (NĐ 172/2025 Art. 21.2), due a set number of working days from ``received_on``."""

    id: Serial

    case = ForeignKey(references=DisciplineCase, on_delete=OnDelete.cascade, unique=True)
    judgment_number = Varchar(length=64)
    court = Varchar(length=255)
    kind = Varchar(length=12, choices=ConvictionKind)
    received_on = Date()
    recorded_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    recorded_at = Timestamptz()


class ExcludedPeriod(Table, tablename="discipline_excluded_period"):
    """Thời gian không tính vào thời hiệu, thời hạn xử lý kỷ luật (NĐ 172/2025 Art. 5.6)."""

    id: Serial

    case = ForeignKey(references=DisciplineCase, on_delete=OnDelete.cascade, index=True)
    kind = Varchar(length=12, choices=ExcludedKind)
    starts_on = Date()
    ends_on = Date()
    note = Text(default="")
    recorded_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    recorded_at = Timestamptz()
