"""What the server answers for each captured record (bản ghi đã ghi nhận), as the sync
receipt keeps it.

Plain dicts at runtime: a receipt stores the answer as JSON and a resend gets that JSON
back verbatim, so the shapes are ``TypedDict``s. They tell mypy and the OpenAPI schema
the fields without changing a byte of what is stored or replayed. Moments are ISO 8601
text in UTC; ``uuid`` is the device's record id, ``replaces`` the version it edits.
"""

from __future__ import annotations

from typing import Literal, TypedDict

from congvu.rules.conduct import Severity


class RuleRecord(TypedDict):
    """The rule version a verdict or a finding was decided by (quy định áp dụng)."""

    id: str
    version: str
    legal_basis: str


class VerdictRecord(TypedDict):
    """The working-hours rules' verdict on an attendance record; ``status`` is an
    ``AttendanceStatus`` of congvu.rules.working_hours (see rules/README.md)."""

    status: str
    minutes: int
    violation_code: str | None
    rule: RuleRecord
    explanation_vi: str
    explanation_en: str


class FindingRecord(TypedDict):
    """Phát hiện: a finding as recorded, sent as such or made by a late attendance."""

    type: Literal["finding"]
    uuid: str
    id: int
    inspection_id: int
    official_id: int | None
    unit_id: int
    violation_code: str
    label_vi: str
    label_en: str
    severity: Severity
    rule: RuleRecord
    explanation_vi: str
    explanation_en: str
    facts: str
    observed_at: str
    evidence: list[str]
    version: int
    replaces: str | None
    version_state: str


class StartRecord(TypedDict):
    """Bắt đầu kiểm tra."""

    type: Literal["start"]
    uuid: str
    inspection_id: int
    status: str
    started_at: str
    place: str
    latitude: float | None
    longitude: float | None
    accuracy_m: float | None
    off_hours_reason: str  # "" when started inside working hours


class AttendanceRecord(TypedDict):
    """Điểm danh, its verdict, and the finding a violation made (None otherwise)."""

    type: Literal["attendance"]
    uuid: str
    id: int
    inspection_id: int
    official_id: int
    status: Literal["present", "late", "absent", "away"]
    arrival_time: str | None
    left_time: str | None
    away_kind: Literal["leave", "business_trip"] | None
    reason: str | None
    observed_at: str
    version: int
    replaces: str | None
    verdict: VerdictRecord
    finding: FindingRecord | None


class SignatureRecord(TypedDict):
    """Chữ ký, or a refusal to sign with its witness (người làm chứng)."""

    type: Literal["signature"]
    uuid: str
    inspection_id: int
    role: Literal["team_lead", "unit_representative"]
    name: str
    refused: bool
    witness_name: str | None
    has_image: bool
    version: int
    replaces: str | None


class SubmitRecord(TypedDict):
    """Nộp biên bản: the minutes' number and where to read them."""

    type: Literal["submit"]
    uuid: str
    inspection_id: int
    status: str
    submitted_at: str
    minutes_number: str
    minutes_url: str


class FindingWithdrawalRecord(TypedDict):
    """Rút lại phát hiện: a finding recorded by mistake, withdrawn before the minutes go;
    the finding stays in the record, marked withdrawn, with the reason."""

    type: Literal["withdrawal"]
    uuid: str
    inspection_id: int
    finding_id: int
    finding_uuid: str
    reason: str
    version_state: str


SyncedRecord = (
    StartRecord
    | AttendanceRecord
    | FindingRecord
    | FindingWithdrawalRecord
    | SignatureRecord
    | SubmitRecord
)
