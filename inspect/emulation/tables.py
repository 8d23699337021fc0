"""Rating and emulation tables (đánh giá, xếp loại chất lượng; bình xét thi đua).

A ``RatingPeriod`` (kỳ đánh giá: a quarter or a year) is opened by the personnel office and
locked; locking writes a ``PeriodVersion``, a frozen snapshot (parameters, rule-pack
versions, the proposals and a hash of them). Reopening needs a written reason and the next
lock writes the next version; earlier versions stay readable.

A ``RatingSheet`` is one official's Mẫu số 01 for a quarter, as entered by the unit head
(``author`` "head") or self-scored by the official (``author`` "self"): numbers are kept as
decimal text so that 2.5 stays exactly 2.5 on every engine.
"""

from __future__ import annotations

from enum import StrEnum

import congvu.inspect.db  # noqa: F401  (sets PICCOLO_CONF before any query)
from congvu.inspect.organisation.tables import Official, Unit, User
from piccolo.columns import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table


class PeriodState(StrEnum):
    OPEN = "open"
    LOCKED = "locked"


class RatingPeriod(Table, tablename="rating_period"):
    """Kỳ đánh giá: ``name`` is "2026-Q3" or "2026"; ``version`` is the version the next
    lock writes (1 until the first reopening)."""

    id: Serial

    name = Varchar(length=8, unique=True)
    kind = Varchar(length=8)  # "quarter" | "year"
    year = Integer()
    starts_on = Date()
    ends_on = Date()
    state = Varchar(length=8, choices=PeriodState)
    version = Integer(default=1)
    parameters = Text()  # JSON: period scheme, year method, quota percent
    opened_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    opened_at = Timestamptz()


class PeriodVersion(Table, tablename="rating_period_version"):
    """A locked period's frozen snapshot; a reopening records its reason on the version it
    reopened."""

    id: Serial

    key = Varchar(length=32, unique=True)  # "<period id>:<version>"
    period = ForeignKey(references=RatingPeriod, on_delete=OnDelete.cascade, index=True)
    version = Integer()
    locked_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    locked_at = Timestamptz()
    parameters = Text()  # JSON
    packs = Text()  # JSON: topic -> version
    proposals = Text()  # JSON: the proposals as they were locked
    data_hash = Varchar(length=64)
    reopened_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    reopened_at = Timestamptz(null=True, default=None)
    reopen_reason = Text(null=True, default=None)


class SheetAuthor(StrEnum):
    HEAD = "head"  # thủ trưởng chấm
    SELF = "self"  # cá nhân tự chấm


class RatingSheet(Table, tablename="rating_sheet"):
    """Phiếu Mẫu số 01 of one official for one quarter, by one author."""

    id: Serial

    key = Varchar(length=64, unique=True)  # "<period id>:<official id>:<author>"
    period = ForeignKey(references=RatingPeriod, on_delete=OnDelete.cascade, index=True)
    official = ForeignKey(references=Official, on_delete=OnDelete.cascade, index=True)
    author = Varchar(length=4, choices=SheetAuthor)
    task_group = Varchar(length=64, default="")
    general = Text()  # JSON: criterion -> decimal text; a missing one is at its maximum
    results = Text()  # JSON: a, b, c (and d, dd, e for a leader) -> decimal text
    note = Text(null=True, default=None)
    entered_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    entered_at = Timestamptz()


class CriteriaSheet(Table, tablename="rating_criteria_sheet"):
    """A year rated by the criteria of NĐ 90/2020 (amended by NĐ 48/2023; công chức until
    31/12/2025): the head's counts for one official. The tasks assigned split into done
    well and on time (of them, exceeded), short of quality or time, and unfinished; months
    are decimal text so that 5.5 stays exact; ``leader`` holds a leader's unit results
    (JSON, blank for staff)."""

    id: Serial

    key = Varchar(length=48, unique=True)  # "<period id>:<official id>"
    period = ForeignKey(references=RatingPeriod, on_delete=OnDelete.cascade, index=True)
    official = ForeignKey(references=Official, on_delete=OnDelete.cascade, index=True)
    task_group = Varchar(length=64, default="")
    general = Varchar(length=10)  # TOT | DAT | KHONG_DAT (rules.rating.General)
    tasks_assigned = Integer()
    tasks_done_well = Integer()
    tasks_exceeded = Integer(default=0)
    tasks_short = Integer(default=0)
    tasks_unfinished = Integer(default=0)
    months_worked = Varchar(length=8, default="12")
    leave_months = Varchar(length=8, default="0")
    maternity = Boolean(default=False)
    leader = Text(default="")  # JSON: unit_targets_completed, … (percent text); "" for staff
    note = Text(null=True, default=None)
    entered_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    entered_at = Timestamptz()


class Contest(Table, tablename="rating_contest"):
    """The official contests a suggested deduction, with a reason (ý kiến của cá nhân)."""

    id: Serial

    period = ForeignKey(references=RatingPeriod, on_delete=OnDelete.cascade, index=True)
    official = ForeignKey(references=Official, on_delete=OnDelete.cascade)
    source = Varchar(length=40)  # "finding:<id>" or "dossier:<id>"
    reason = Text()
    by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    at = Timestamptz()


class Initiative(Table, tablename="emulation_initiative"):
    """Sáng kiến được công nhận, with the number of the recognising decision."""

    id: Serial

    official = ForeignKey(references=Official, on_delete=OnDelete.cascade, index=True)
    year = Integer()
    title = Text()
    decision_number = Varchar(length=64)
    decided_on = Date()
    entered_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    entered_at = Timestamptz()


class AwardReceived(Table, tablename="emulation_award_received"):
    """Hình thức khen thưởng đã đạt: a title or a form of commendation an official already
    received (the year, the decision's number and date, who issued it), entered by the
    personnel office; Mẫu số 05 lists them."""

    id: Serial

    official = ForeignKey(references=Official, on_delete=OnDelete.cascade, index=True)
    year = Integer()
    form = Text()  # e.g. "Chiến sĩ thi đua cơ sở", "Bằng khen của Chủ tịch UBND tỉnh"
    decision_number = Varchar(length=64)
    decided_on = Date()
    issuer = Text()
    entered_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    entered_at = Timestamptz()


class AnnualStep(StrEnum):
    """The steps of a unit's annual rating the province records (in order)."""

    SELF_REPORT = "self_report"  # tự đánh giá, báo cáo kiểm điểm của cá nhân
    UNIT_MEETING = "unit_meeting"  # biên bản họp đơn vị
    PARTY_OPINION = "party_opinion"  # ý kiến của cấp ủy
    DECISION = "decision"  # quyết định xếp loại của người có thẩm quyền
    NOTICE = "notice"  # thông báo kết quả


class AnnualStepRecord(Table, tablename="emulation_annual_step"):
    """One step of a unit's annual rating for a year: when it was done, the document's
    number and a note (a step not recorded is missing), and the file of the document when
    one was uploaded (its name as uploaded, its SHA-256 and where it is kept under the
    media directory; empty when none)."""

    id: Serial

    key = Varchar(length=64, unique=True)  # "<year>:<unit id>:<step>"
    year = Integer()
    unit = ForeignKey(references=Unit, on_delete=OnDelete.cascade, index=True)
    step = Varchar(length=16, choices=AnnualStep)
    done_on = Date()
    document_number = Varchar(length=64, default="")
    note = Text(default="")
    entered_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    entered_at = Timestamptz()
    file_name = Varchar(length=255, default="")
    file_sha256 = Varchar(length=64, default="")
    file_path = Varchar(length=255, default="")


class Campaign(Table, tablename="emulation_campaign"):
    """Đợt thi đua, phong trào theo chuyên đề: its own dates, the agency it covers and the
    criteria chosen from the catalogue of rules/campaign.py (JSON list)."""

    id: Serial

    name = Varchar(length=200)
    agency = ForeignKey(references=Unit, on_delete=OnDelete.cascade, index=True)
    starts_on = Date()
    ends_on = Date()
    criteria = Text()  # JSON: [{"kind": ..., "percent"/"level": ...}]
    created_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz()
    state = Varchar(length=8, choices=PeriodState, default="open")
    version = Integer(default=1)


class CampaignProposal(Table, tablename="emulation_campaign_proposal"):
    """Đề nghị Giấy khen của đợt thi đua: one eligible official proposed by the personnel
    office; a withdrawal keeps the row with its reason (proposing again clears it)."""

    id: Serial

    key = Varchar(length=48, unique=True)  # "<campaign id>:<official id>"
    campaign = ForeignKey(references=Campaign, on_delete=OnDelete.cascade, index=True)
    official = ForeignKey(references=Official, on_delete=OnDelete.cascade)
    proposed_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    proposed_at = Timestamptz()
    withdrawn_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    withdrawn_at = Timestamptz(null=True, default=None)
    withdraw_reason = Text(null=True, default=None)


class CampaignCollectiveProposal(Table, tablename="emulation_campaign_collective_proposal"):
    """Đề nghị Giấy khen cho tập thể của đợt thi đua: one eligible unit of the campaign's
    agency proposed by the personnel office; a withdrawal keeps the row with its reason
    (proposing again clears it)."""

    id: Serial

    key = Varchar(length=48, unique=True)  # "<campaign id>:<unit id>"
    campaign = ForeignKey(references=Campaign, on_delete=OnDelete.cascade, index=True)
    unit = ForeignKey(references=Unit, on_delete=OnDelete.cascade)
    proposed_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    proposed_at = Timestamptz()
    withdrawn_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    withdrawn_at = Timestamptz(null=True, default=None)
    withdraw_reason = Text(null=True, default=None)


class CampaignVersion(Table, tablename="emulation_campaign_version"):
    """A locked campaign's frozen board (each official's verdict and reasons), criteria,
    proposals, rule versions and a SHA-256 of them; a reopening records its reason on the
    version it reopened."""

    id: Serial

    key = Varchar(length=48, unique=True)  # "<campaign id>:<version>"
    campaign = ForeignKey(references=Campaign, on_delete=OnDelete.cascade, index=True)
    version = Integer()
    locked_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    locked_at = Timestamptz()
    snapshot = Text()  # JSON: board, criteria, proposals, rule versions
    data_hash = Varchar(length=64)
    reopened_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    reopened_at = Timestamptz(null=True, default=None)
    reopen_reason = Text(null=True, default=None)


class CollectiveRating(Table, tablename="emulation_collective"):
    """A collective's level for a year as its superior rated it, and whether it ran a
    regular emulation movement (inputs of the collective titles)."""

    id: Serial

    key = Varchar(length=48, unique=True)  # "<unit id>:<year>"
    unit = ForeignKey(references=Unit, on_delete=OnDelete.cascade)
    year = Integer()
    level = Varchar(length=4)
    movement = Boolean(default=True)
    entered_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    entered_at = Timestamptz()


class SessionState(StrEnum):
    PREPARED = "prepared"  # chuẩn bị: members, candidates, then attendance and tally
    LOCKED = "locked"


class CouncilRole(StrEnum):
    CHAIR = "chair"  # Chủ tịch Hội đồng
    SECRETARY = "secretary"  # Thư ký Hội đồng
    MEMBER = "member"  # Ủy viên


class CouncilSession(Table, tablename="emulation_council_session"):
    """Phiên họp Hội đồng thi đua – khen thưởng of an agency for a year (or a campaign):
    set up by the personnel office, held, tallied and locked. ``settings`` holds the
    thresholds in force (the pack's, or the what-if chosen before the meeting); locking
    freezes them with the result in a ``CouncilSessionVersion``."""

    id: Serial

    key = Varchar(length=64, unique=True)  # "<agency unit id>:<year>:<campaign>"
    agency = ForeignKey(references=Unit, on_delete=OnDelete.cascade, index=True)
    year = Integer()
    campaign = Varchar(length=120, default="")  # blank: the yearly review
    held_on = Date(null=True, default=None)
    place = Text(default="")
    state = Varchar(length=8, choices=SessionState)
    version = Integer(default=1)
    settings = Text()  # JSON: the council settings (quorum, vote percents, written votes)
    created_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz()


class CouncilMember(Table, tablename="emulation_council_member"):
    """A member of the session's council and how they took part (``attendance`` blank
    until recorded)."""

    id: Serial

    key = Varchar(length=48, unique=True)  # "<session id>:<official id>"
    session = ForeignKey(references=CouncilSession, on_delete=OnDelete.cascade, index=True)
    official = ForeignKey(references=Official, on_delete=OnDelete.cascade)
    role = Varchar(length=10, choices=CouncilRole)
    attendance = Varchar(length=8, null=True, default=None)


class CouncilBallot(Table, tablename="emulation_council_ballot"):
    """One candidate for one title: the secret ballot's counts only (never who voted how),
    and the council's adjustment of the computed result with its reason."""

    id: Serial

    key = Varchar(length=64, unique=True)  # "<session id>:<official id>:<title>"
    session = ForeignKey(references=CouncilSession, on_delete=OnDelete.cascade, index=True)
    official = ForeignKey(references=Official, on_delete=OnDelete.cascade)
    title = Varchar(length=12)
    in_favour = Integer(null=True, default=None)
    against = Integer(null=True, default=None)
    invalid = Integer(null=True, default=None)
    adjusted = Boolean(null=True, default=None)  # None: the computed result stands
    adjust_reason = Text(null=True, default=None)


class CouncilSessionVersion(Table, tablename="emulation_council_version"):
    """A locked session's frozen facts (members, attendance, tally, results, settings) and
    a SHA-256 of them; a reopening records its reason on the version it reopened."""

    id: Serial

    key = Varchar(length=48, unique=True)  # "<session id>:<version>"
    session = ForeignKey(references=CouncilSession, on_delete=OnDelete.cascade, index=True)
    version = Integer()
    locked_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    locked_at = Timestamptz()
    facts = Text()  # JSON
    data_hash = Varchar(length=64)
    reopened_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    reopened_at = Timestamptz(null=True, default=None)
    reopen_reason = Text(null=True, default=None)
