"""Inspection tables (kế hoạch, cuộc kiểm tra, điểm danh, phát hiện, chứng cứ).

Records captured on a tablet carry the client's UUID (``client_uuid``). An edit is a
new row naming the version it replaces (``replaces``, unique), so the latest version of
a chain is the row nobody replaces and two edits of the same base cannot both win.
"""

from __future__ import annotations

from enum import StrEnum

import congvu.inspect.db  # noqa: F401  (sets PICCOLO_CONF before any query)
from congvu.inspect.dossiers.tables import Dossier
from congvu.inspect.organisation.tables import Official, Unit, User
from congvu.rules.periods import PeriodKind
from piccolo.columns import (
    JSON,
    UUID,
    Boolean,
    Date,
    DoublePrecision,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Text,
    Time,
    Timestamp,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table


class Topic(StrEnum):
    """Nội dung kiểm tra: what an inspection looks at (stored in ``topics``, a JSON list)."""

    WORKING_HOURS = "working_hours"  # thời giờ làm việc
    CONDUCT = "conduct"  # văn hóa công sở, quy tắc ứng xử
    ONE_STOP = "one_stop"  # cơ chế một cửa


class InspectionKind(StrEnum):
    """Thường xuyên (theo kế hoạch) or đột xuất, announced or not (rules/README.md, Glossary)."""

    SCHEDULED = "SCHEDULED"
    SURPRISE_UNANNOUNCED = "SURPRISE_UNANNOUNCED"
    SURPRISE_ANNOUNCED = "SURPRISE_ANNOUNCED"


class InspectionStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    CLOSED = "closed"


class MemberRole(StrEnum):
    TRUONG_DOAN = "truong_doan"
    PHO_TRUONG_DOAN = "pho_truong_doan"
    THANH_VIEN = "thanh_vien"
    THU_KY = "thu_ky"


class FindingVersion(StrEnum):
    """Which version of a finding this row is, on the capture side: the current one, one
    an edit from the tablet replaced, or one withdrawn because a corrected observation no
    longer shows a violation. Not the review's state (``ReviewState``)."""

    CURRENT = "current"
    SUPERSEDED = "superseded"
    WITHDRAWN = "withdrawn"


class SignatureRole(StrEnum):
    TEAM_LEAD = "team_lead"
    UNIT_REPRESENTATIVE = "unit_representative"


class InspectionPlan(Table, tablename="inspection_plan"):
    """Kế hoạch kiểm tra công vụ of a quarter or a year (never a month: plans.py derives
    the kind from whether the plan names a quarter)."""

    id: Serial

    title = Varchar(length=255)
    period_kind = Varchar(length=10, choices=PeriodKind)
    year = Integer()
    quarter = Integer(null=True, default=None)
    document_no = Varchar(length=64, null=True, default=None)
    topics = JSON(default="[]")
    # Who signs the plan (họ tên, chức vụ), as typed on the plan form; empty on plans made
    # before it was asked: the .docx then leaves the signature's name blank.
    signer_name = Varchar(length=255, default="")
    signer_title = Varchar(length=255, default="")
    created_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz()


class SurpriseDraw(Table, tablename="surprise_draw"):
    """Bốc thăm kiểm tra đột xuất: seed, weights and result, so anyone can re-run it."""

    id: Serial

    seed = Varchar(length=40)
    weights = JSON(default="{}")
    result = JSON(default="[]")
    # When the weights came from suggestions (the dashboard's ranking): each unit's
    # reasons, in words; empty when the draw weighted by recent findings itself.
    suggested = JSON(default="{}")
    units_drawn = Integer()
    created_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz()


class Inspection(Table):
    """Cuộc kiểm tra of one unit. A surprise inspection is ``sealed`` until it starts:
    only its team and the approving leader see it."""

    id: Serial

    plan = ForeignKey(references=InspectionPlan, null=True, on_delete=OnDelete.restrict)
    unit = ForeignKey(references=Unit, on_delete=OnDelete.restrict)
    kind = Varchar(length=24, choices=InspectionKind)
    scheduled_date = Date()
    topics = JSON(default="[]")
    status = Varchar(length=12, choices=InspectionStatus, index=True)
    started_at = Timestamptz(null=True, default=None)
    place = Varchar(length=255, null=True, default=None)
    latitude = DoublePrecision(null=True, default=None)
    longitude = DoublePrecision(null=True, default=None)
    accuracy_m = DoublePrecision(null=True, default=None)
    sealed = Boolean(default=False)
    approved_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    draw = ForeignKey(references=SurpriseDraw, null=True, on_delete=OnDelete.set_null)
    draw_seed = Varchar(length=40, null=True, default=None)
    submitted_at = Timestamptz(null=True, default=None)
    minutes_number = Varchar(length=32, null=True, default=None)
    # Why the check was planned on a day off or started outside the unit's hours; empty
    # when it was not. Nobody is judged by the clock then, so the choice is on record.
    off_hours_reason = Varchar(length=500, default="")
    # The roster's officials nobody marked when the minutes were submitted: the team
    # lead saw them listed and confirmed; the minutes name them (official ids, JSON).
    unmarked_at_submit = JSON(default="[]")
    # Quyết định thành lập đoàn kiểm tra: số ký hiệu, ngày, người ký (họ tên, chức vụ).
    # Kept on the inspection, not the plan: a team is the inspection's (InspectionMember),
    # a surprise inspection has no plan, and one plan's visits may be sent different
    # teams, each by its own decision. Empty until the team lead or planner records it.
    team_decision_number = Varchar(length=64, null=True, default=None)
    team_decision_date = Date(null=True, default=None)
    team_decision_signer = Varchar(length=255, default="")
    team_decision_signer_title = Varchar(length=255, default="")
    created_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz()


class InspectionMember(Table, tablename="inspection_member"):
    """Thành viên đoàn kiểm tra: trưởng đoàn, phó trưởng đoàn, thành viên, thư ký."""

    id: Serial

    inspection = ForeignKey(references=Inspection, on_delete=OnDelete.cascade)
    user = ForeignKey(references=User, on_delete=OnDelete.restrict)
    role = Varchar(length=20, choices=MemberRole)


class AttendanceCheck(Table, tablename="attendance_check"):
    """Điểm danh one official at a check, with the working-hours verdict of that day."""

    id: Serial

    client_uuid = UUID(unique=True)
    inspection = ForeignKey(references=Inspection, on_delete=OnDelete.cascade)
    official = ForeignKey(references=Official, on_delete=OnDelete.restrict)
    status = Varchar(length=10)
    arrival_time = Time(null=True, default=None)
    left_time = Time(null=True, default=None)
    away_kind = Varchar(length=20, null=True, default=None)
    reason = Text(null=True, default=None)
    observed_at = Timestamptz()
    device_time = Timestamptz(null=True, default=None)
    verdict_status = Varchar(length=24)
    minutes = Integer(default=0)
    violation_code = Varchar(length=64, null=True, default=None)
    rule_id = Varchar(length=128)
    rule_version = Varchar(length=32)
    legal_basis = Text()
    explanation_vi = Text()
    explanation_en = Text()
    version = Integer(default=1)
    replaces = UUID(null=True, default=None, unique=True)
    recorded_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz()


class Finding(Table):
    """Phát hiện vi phạm against an official or, with no official, the unit itself,
    bound to the rule version in force when it was observed.

    Its origin is an inspection (``inspection``) or a late dossier a unit head took up
    (``dossier``, no inspection): both go through the same review and count the same
    in the escalation window."""

    id: Serial

    client_uuid = UUID(unique=True)
    inspection = ForeignKey(references=Inspection, null=True, on_delete=OnDelete.cascade)
    # Restrict: a case rests on the dossier's record; the import updates rows, never deletes.
    dossier = ForeignKey(references=Dossier, null=True, default=None, on_delete=OnDelete.restrict)
    official = ForeignKey(references=Official, null=True, on_delete=OnDelete.restrict)
    unit = ForeignKey(references=Unit, on_delete=OnDelete.restrict)
    attendance = ForeignKey(references=AttendanceCheck, null=True, on_delete=OnDelete.set_null)
    violation_code = Varchar(length=64)
    rule_id = Varchar(length=128)
    rule_version = Varchar(length=32)
    legal_basis = Text()
    explanation_vi = Text()
    explanation_en = Text()
    facts = Text(default="")
    observed_at = Timestamptz()
    device_time = Timestamptz(null=True, default=None)
    version = Integer(default=1)
    replaces = UUID(null=True, default=None, unique=True)
    version_state = Varchar(
        length=16, choices=FindingVersion, default=FindingVersion.CURRENT, index=True
    )
    recorded_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz()


class Evidence(Table):
    """A photo, stored once by content hash outside the web root."""

    id: Serial

    sha256 = Varchar(length=64, unique=True)
    media_type = Varchar(length=32)
    size_bytes = Integer()
    width = Integer()
    height = Integer()
    # The camera's own clock, without a zone (EXIF DateTimeOriginal has none).
    exif_taken_at = Timestamp(null=True, default=None)
    exif_lat = DoublePrecision(null=True, default=None)
    exif_lon = DoublePrecision(null=True, default=None)
    device_time = Timestamptz(null=True, default=None)
    received_at = Timestamptz()
    stored_path = Varchar(length=255)
    uploaded_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    # When the file was deleted past its retention period (thời hạn lưu trữ): the row and
    # its sha256 stay, so the audit trail and the pages still name the photo.
    purged_at = Timestamptz(null=True, default=None)


class EvidenceUpload(Table, tablename="evidence_upload"):
    """Who uploaded a stored photo: one row per account that sent its bytes. A photo is
    attached (to a finding, a giải trình, a closing proof) only by an account that
    uploaded it, because its sha256 is a content address, not a capability: knowing a
    hash must not let anyone cite, and then read, another unit's photo."""

    id: Serial

    evidence = ForeignKey(references=Evidence, on_delete=OnDelete.cascade, index=True)
    uploaded_by = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    uploaded_at = Timestamptz()


class FindingEvidence(Table, tablename="finding_evidence"):
    id: Serial

    finding = ForeignKey(references=Finding, on_delete=OnDelete.cascade)
    evidence = ForeignKey(references=Evidence, on_delete=OnDelete.restrict)


class Signature(Table):
    """Chữ ký on the minutes, or the record that the person refused with a witness."""

    id: Serial

    client_uuid = UUID(unique=True)
    inspection = ForeignKey(references=Inspection, on_delete=OnDelete.cascade)
    role = Varchar(length=24, choices=SignatureRole)
    name = Varchar(length=255)
    refused = Boolean(default=False)
    witness_name = Varchar(length=255, null=True, default=None)
    image_path = Varchar(length=255, null=True, default=None)
    device_time = Timestamptz(null=True, default=None)
    version = Integer(default=1)
    replaces = UUID(null=True, default=None, unique=True)
    recorded_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz()
    # The image's sha256, kept when the image is deleted past its retention period.
    image_sha256 = Varchar(length=64, null=True, default=None)
    image_purged_at = Timestamptz(null=True, default=None)


class SyncReceipt(Table, tablename="sync_receipt"):
    """What the server answered to a client record, so a resend gets the same answer."""

    id = UUID(primary_key=True)
    record_type = Varchar(length=16)
    inspection_id = Integer()
    content_hash = Varchar(length=64)
    http_status = Integer()
    response = JSON()
    user = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    received_at = Timestamptz()


class SyncConflict(Table, tablename="sync_conflict"):
    """A resend with the same UUID but different content, kept for a reviewer."""

    id: Serial

    client_uuid = UUID(index=True)
    record_type = Varchar(length=16)
    inspection_id = Integer(null=True, default=None)
    stored_hash = Varchar(length=64)
    rejected_hash = Varchar(length=64)
    rejected_payload = JSON()
    user = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    received_at = Timestamptz()
