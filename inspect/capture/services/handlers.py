"""Capture at the unit (ghi nhận tại đơn vị): start, attendance, findings, signatures,
submit. Each function handles one client record inside the caller's transaction
(``congvu.inspect.capture.services.sync`` owns it, together with the record's receipt).

Verdicts are decided by ``congvu.rules`` at capture time with the rule version in force
at the observation time, and stored with their explanation: a later change of law never
rewrites what the team recorded.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal, TypeVar
from uuid import UUID, uuid5

import msgspec
from congvu.inspect import db
from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.capture.services.evidence import write_atomically
from congvu.inspect.errors import Conflict, Invalid, NotFound
from congvu.inspect.inspections.api import InspectionRef, local_zone
from congvu.inspect.inspections.tables import (
    AttendanceCheck,
    Evidence,
    Finding,
    FindingEvidence,
    Inspection,
    InspectionStatus,
    Signature,
)
from congvu.inspect.organisation import api as organisation
from congvu.inspect.organisation.tables import Official
from congvu.inspect.settings import get_settings
from congvu.rules.conduct import ViolationType, catalogue
from congvu.rules.packs import PackNotFound, pack_for
from congvu.rules.working_hours import (
    Absent,
    AttendanceStatus,
    AttendanceVerdict,
    AwayApproved,
    AwayKind,
    LeftAt,
    Observation,
    PresentAt,
    SeasonalSchedule,
    judge_attendance,
)

CLOCK_SKEW = timedelta(minutes=5)
MAX_SIGNATURE_BYTES = 512 * 1024
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
# Auto-created findings get a UUID derived from their attendance record, so the same
# attendance always yields the same finding UUID.
AUTO_FINDING_NS = UUID("6f1c1e5e-3c2a-4f0e-9d8b-0b7a3c1d2e4f")


@dataclass(frozen=True)
class ClientRecord:
    uuid: UUID
    type: str
    inspection_id: int
    replaces: UUID | None
    device_time: datetime | None
    payload: dict[str, Any]


@dataclass
class CaptureContext:
    """One inspection as a sync batch sees it; ``status`` follows the batch's own
    start and submit records. The unit's hours are read on first use (a finding needs
    none); whether an official is in the inspected unit's subtree (its unit scope) is
    known for those the batch names and read one by one for any other."""

    actor: Actor
    ref: InspectionRef
    status: str
    started: bool
    in_scope: dict[int, bool] = field(default_factory=dict)
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    # An id drawn for the next finding (a record sent alone on PostgreSQL): knowing it
    # beforehand lets the finding, its evidence, its audit event and the sync receipt
    # be written as one statement (db.one_statement).
    finding_id: int | None = None
    _schedule: SeasonalSchedule | None = None

    async def has_official(self, official_id: int) -> bool:
        known = self.in_scope.get(official_id)
        if known is None:
            rows = await db.raw(
                Official, _OFFICIAL_IN_SCOPE_SQL, official_id, f"{self.ref.unit_path}%"
            )
            known = self.in_scope[official_id] = bool(rows)
        return known

    async def schedule(self) -> SeasonalSchedule:
        if self._schedule is None:
            self._schedule = await organisation.seasonal_schedule_for_path(self.ref.unit_path)
        return self._schedule


_OFFICIAL_IN_SCOPE_SQL = (
    "SELECT o.id FROM official o JOIN unit u ON u.id = o.unit WHERE o.id = {} AND u.path LIKE {}"
)
# The inspection, its unit, its team with each member's account state and the officials
# named by the batch who belong to the unit's subtree, in one round trip (a row per
# member and named official). It replaces four Piccolo selects (inspection, team,
# roster, working hours) that took over a third of a one-finding sync (issue #6).
_CONTEXT_SQL = (
    "SELECT i.id, i.unit, u.code AS unit_code, u.name AS unit_name, u.path AS unit_path,"
    " i.kind, i.scheduled_date, i.status, i.sealed, i.started_at, i.plan, i.approved_by,"
    ' m."user" AS member, a.active AS member_active, {official}'
    " FROM inspection i JOIN unit u ON u.id = i.unit"
    " LEFT JOIN inspection_member m ON m.inspection = i.id"
    ' LEFT JOIN account a ON a.id = m."user"'
    "{named}"
    " WHERE i.id = {{}}"
)
_NAMED_OFFICIALS = (
    " LEFT JOIN official o ON o.id IN ({ids})"
    " AND o.unit IN (SELECT s.id FROM unit s WHERE s.path LIKE u.path || '%')"
)


def context_sql(named: int) -> str:
    """The context query for ``named`` officials: its placeholders are their ids, then
    the inspection's id. Public because ``sync`` runs it inside a query of its own,
    with the record's receipt."""
    if not named:
        return _CONTEXT_SQL.format(official="NULL AS official", named="")
    ids = ", ".join("{}" for _ in range(named))
    return _CONTEXT_SQL.format(official="o.id AS official", named=_NAMED_OFFICIALS.format(ids=ids))


async def load_context(
    actor: Actor, inspection_id: int, named_officials: Collection[int] = ()
) -> CaptureContext:
    """The capture context of an inspection on whose team the actor serves with an
    active account; 404 for anyone else, so an outsider cannot even learn that a
    (sealed) inspection exists (the rule of ``inspections.member_inspection``). The
    account is read here, not taken from the session's actor, so a disabled account
    can capture nothing more from the moment it is disabled."""
    named = sorted(set(named_officials))
    rows = await db.raw(Inspection, context_sql(len(named)), *named, inspection_id)
    return context_from_rows(actor, rows, named)


def context_from_rows(
    actor: Actor, rows: list[dict[str, Any]], named: Collection[int]
) -> CaptureContext:
    """The context from the rows of ``context_sql`` (none: no such inspection)."""
    if not any(r["member"] == actor.id and r["member_active"] for r in rows):
        raise NotFound("Không tìm thấy cuộc kiểm tra được phân công.", field="inspection_id")
    row = rows[0]
    ref = InspectionRef(
        id=row["id"],
        unit_id=row["unit"],
        unit_code=row["unit_code"],
        unit_name=row["unit_name"],
        unit_path=row["unit_path"],
        kind=row["kind"],
        scheduled_date=row["scheduled_date"],
        status=row["status"],
        sealed=bool(row["sealed"]),
        started_at=row["started_at"],
        plan_id=row["plan"],
        member_ids=frozenset(r["member"] for r in rows if r["member"] is not None),
        approved_by=row["approved_by"],
    )
    found = {r["official"] for r in rows}
    return CaptureContext(
        actor=actor,
        ref=ref,
        status=ref.status,
        started=ref.started_at is not None,
        in_scope={official_id: official_id in found for official_id in named},
    )


# --- payloads ------------------------------------------------------------------------


class StartPayload(msgspec.Struct, forbid_unknown_fields=True):
    started_at: str
    place: str
    latitude: float | None = None
    longitude: float | None = None
    accuracy_m: float | None = None


class AttendancePayload(msgspec.Struct, forbid_unknown_fields=True):
    official_id: int
    status: Literal["present", "late", "absent", "away"]
    observed_at: str
    arrival_time: str | None = None
    left_time: str | None = None
    away_kind: Literal["leave", "business_trip"] | None = None
    reason: str | None = None


class FindingPayload(msgspec.Struct, forbid_unknown_fields=True):
    observed_at: str
    official_id: int | None = None
    violation_code: str | None = None
    facts: str = ""
    evidence: list[str] = msgspec.field(default_factory=list)


class SignaturePayload(msgspec.Struct, forbid_unknown_fields=True):
    role: Literal["team_lead", "unit_representative"]
    name: str
    refused: bool = False
    witness_name: str | None = None
    image_png_base64: str | None = None


class SubmitPayload(msgspec.Struct, forbid_unknown_fields=True):
    pass


T = TypeVar("T")

_FIELD_IN_ERROR = re.compile(r"at `\$\.([A-Za-z_]+)")
_MISSING_FIELD = re.compile(r"missing required field `([A-Za-z_]+)`")
_UNKNOWN_FIELD = re.compile(r"unknown field `([A-Za-z_]+)`")


def parse_payload(payload: dict[str, Any], kind: type[T]) -> T:
    try:
        return msgspec.convert(payload, kind)
    except msgspec.ValidationError as error:
        text = str(error)
        found = (
            _FIELD_IN_ERROR.search(text)
            or _MISSING_FIELD.search(text)
            or _UNKNOWN_FIELD.search(text)
        )
        raise Invalid(
            f"Dữ liệu không hợp lệ: {text}", field=found.group(1) if found else "payload"
        ) from None


def parse_moment(value: str | None, field_name: str) -> datetime:
    """An ISO date-time; one without a zone is the unit's local time."""
    if not value:
        raise Invalid("Thiếu thời điểm.", field=field_name)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise Invalid(
            f"Thời điểm không hợp lệ: {value!r} (định dạng ISO 8601).", field=field_name
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=local_zone())
    return moment.astimezone(UTC)


def _clock(value: str | None, field_name: str) -> time | None:
    if value is None:
        return None
    if not re.fullmatch(r"\d{2}:\d{2}", value):
        raise Invalid(f"Giờ phải có dạng HH:MM, nhận được {value!r}.", field=field_name)
    try:
        return time(int(value[:2]), int(value[3:]))
    except ValueError:
        raise Invalid(f"Giờ không hợp lệ: {value!r}.", field=field_name) from None


def _check_moment(ctx: CaptureContext, moment: datetime, field_name: str) -> None:
    """Not in the future (beyond clock skew), not before the inspection's day."""
    if moment > ctx.now + CLOCK_SKEW:
        raise Invalid("Thời điểm ở tương lai; kiểm tra đồng hồ của thiết bị.", field=field_name)
    day_start = datetime.combine(ctx.ref.scheduled_date, time(0), tzinfo=local_zone())
    if moment < day_start:
        raise Invalid(
            "Thời điểm trước ngày kiểm tra theo kế hoạch "
            f"({ctx.ref.scheduled_date.strftime('%d/%m/%Y')}).",
            field=field_name,
        )


def _require_open(ctx: CaptureContext) -> None:
    if ctx.status in (InspectionStatus.submitted, InspectionStatus.closed):
        raise Conflict(
            "Biên bản đã được nộp; cuộc kiểm tra không nhận thêm bản ghi.", field="inspection_id"
        )


async def _require_official(ctx: CaptureContext, official_id: int) -> None:
    if not await ctx.has_official(official_id):
        raise NotFound("Không tìm thấy cán bộ này trong đơn vị được kiểm tra.", field="official_id")


def _iso(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat() if value else None


def _hm(value: time | None) -> str | None:
    return value.strftime("%H:%M") if value else None


async def _base_version(table: Any, ctx: CaptureContext, replaces: UUID | None) -> int:
    """The version number of an edit; only the latest version may be replaced (an edit
    made on a stale copy is a conflict, never last-write-wins). Raw SQL: the finding
    handler runs in ``db.one_statement``, which reads only through ``db.raw``."""
    if replaces is None:
        return 1
    name = table._meta.tablename
    rows = await db.raw(
        table,
        f"SELECT b.version, b.inspection, EXISTS (SELECT 1 FROM {name} n"
        f" WHERE n.replaces = b.client_uuid) AS replaced FROM {name} b WHERE b.client_uuid = {{}}",
        replaces,
    )
    if not rows or rows[0]["inspection"] != ctx.ref.id:
        raise Invalid("Không tìm thấy bản ghi cần sửa trong cuộc kiểm tra này.", field="replaces")
    if rows[0]["replaced"]:
        raise Conflict(
            "Bản ghi này đã có phiên bản mới hơn; hãy sửa từ phiên bản mới nhất.",
            field="replaces",
        )
    return int(rows[0]["version"]) + 1


def _local_date(moment: datetime) -> date:
    return moment.astimezone(local_zone()).date()


def _violation(code: str, observed_at: datetime) -> ViolationType:
    try:
        return catalogue(_local_date(observed_at))[code]
    except PackNotFound:
        raise Invalid(
            "Không có danh mục hành vi vi phạm có hiệu lực vào thời điểm này.",
            field="observed_at",
        ) from None
    except KeyError:
        raise Invalid(
            f"Mã hành vi {code!r} không có trong danh mục có hiệu lực "
            f"ngày {_local_date(observed_at).strftime('%d/%m/%Y')}.",
            field="violation_code",
        ) from None


# --- start ---------------------------------------------------------------------------


async def start(ctx: CaptureContext, record: ClientRecord) -> dict[str, Any]:
    """Bắt đầu kiểm tra: time, place and position; a sealed inspection is unsealed."""
    body = parse_payload(record.payload, StartPayload)
    if record.replaces is not None:
        raise Invalid("Không thể sửa bản ghi bắt đầu kiểm tra.", field="replaces")
    if ctx.status != InspectionStatus.planned:
        raise Conflict("Cuộc kiểm tra đã được bắt đầu trước đó.", field="inspection_id")
    started_at = parse_moment(body.started_at, "started_at")
    _check_moment(ctx, started_at, "started_at")
    place = body.place.strip()
    if not place:
        raise Invalid("Nhập địa điểm kiểm tra.", field="place")
    if body.latitude is not None and not -90 <= body.latitude <= 90:
        raise Invalid("Vĩ độ không hợp lệ.", field="latitude")
    if body.longitude is not None and not -180 <= body.longitude <= 180:
        raise Invalid("Kinh độ không hợp lệ.", field="longitude")
    if body.accuracy_m is not None and body.accuracy_m < 0:
        raise Invalid("Độ chính xác không hợp lệ.", field="accuracy_m")
    await Inspection.update(
        {
            Inspection.status: InspectionStatus.in_progress.value,
            Inspection.started_at: started_at,
            Inspection.place: place[:255],
            Inspection.latitude: body.latitude,
            Inspection.longitude: body.longitude,
            Inspection.accuracy_m: body.accuracy_m,
            Inspection.sealed: False,
        }
    ).where(Inspection.id == ctx.ref.id)
    await audit.record(
        "inspection_started",
        "inspection",
        ctx.ref.id,
        actor=ctx.actor,
        after={"started_at": _iso(started_at), "place": place, "was_sealed": ctx.ref.sealed},
    )
    ctx.status = InspectionStatus.in_progress.value
    ctx.started = True
    return {
        "type": "start",
        "uuid": str(record.uuid),
        "inspection_id": ctx.ref.id,
        "status": ctx.status,
        "started_at": _iso(started_at),
        "place": place,
        "latitude": body.latitude,
        "longitude": body.longitude,
        "accuracy_m": body.accuracy_m,
    }


# --- attendance ----------------------------------------------------------------------


def _observation(
    body: AttendancePayload, arrival: time | None, left: time | None
) -> Observation | None:
    match body.status:
        case "late":
            if arrival is None:
                raise Invalid("Đi muộn cần ghi giờ có mặt.", field="arrival_time")
            return PresentAt(arrival)
        case "present":
            if left is not None:
                return LeftAt(left)
            return PresentAt(arrival) if arrival is not None else None
        case "absent":
            return Absent()
        case _:
            if body.away_kind is None:
                raise Invalid("Vắng có phép cần ghi nghỉ phép hay đi công tác.", field="away_kind")
            reason = (body.reason or "").strip()
            if not reason:
                raise Invalid("Vắng có phép cần ghi lý do.", field="reason")
            kind = AwayKind.LEAVE if body.away_kind == "leave" else AwayKind.BUSINESS_TRIP
            return AwayApproved(kind, reason)


def _present_at_check(checked_at: datetime) -> AttendanceVerdict:
    """Seen at the desk with no arrival time noted: present, nothing to judge."""
    seen = checked_at.strftime("%H:%M")
    return AttendanceVerdict(
        AttendanceStatus.ON_TIME,
        0,
        None,
        pack_for("working_hours", checked_at.date()).ref(),
        f"Có mặt tại thời điểm kiểm tra lúc {seen}",
        f"Present at the check at {seen}",
    )


def verdict_json(verdict: AttendanceVerdict) -> dict[str, Any]:
    return {
        "status": verdict.status.value,
        "minutes": verdict.minutes,
        "violation_code": verdict.violation_code,
        "rule": {
            "id": verdict.rule.id,
            "version": verdict.rule.version,
            "legal_basis": verdict.rule.legal_basis,
        },
        "explanation_vi": verdict.explanation_vi,
        "explanation_en": verdict.explanation_en,
    }


async def attendance(ctx: CaptureContext, record: ClientRecord) -> dict[str, Any]:
    """Điểm danh: judged at once by the working-hours rules for the unit's hours that
    day; a violation becomes a Finding bound to the rule version then in force."""
    body = parse_payload(record.payload, AttendancePayload)
    _require_open(ctx)
    await _require_official(ctx, body.official_id)
    observed_at = parse_moment(body.observed_at, "observed_at")
    _check_moment(ctx, observed_at, "observed_at")
    arrival = _clock(body.arrival_time, "arrival_time")
    left = _clock(body.left_time, "left_time")
    version = await _base_version(AttendanceCheck, ctx, record.replaces)
    checked_at = observed_at.astimezone(local_zone())
    observation = _observation(body, arrival, left)
    schedule = await ctx.schedule()
    try:
        verdict = (
            _present_at_check(checked_at)
            if observation is None
            else judge_attendance(
                observation, schedule.sessions_or_default(checked_at.date()), checked_at
            )
        )
    except (PackNotFound, ValueError):
        raise Invalid(
            "Không có quy định giờ làm việc có hiệu lực vào thời điểm này.", field="observed_at"
        ) from None
    check = AttendanceCheck(
        client_uuid=record.uuid,
        inspection=ctx.ref.id,
        official=body.official_id,
        status=body.status,
        arrival_time=arrival,
        left_time=left,
        away_kind=body.away_kind,
        reason=(body.reason or "").strip() or None,
        observed_at=observed_at,
        device_time=record.device_time,
        verdict_status=verdict.status.value,
        minutes=verdict.minutes,
        violation_code=verdict.violation_code,
        rule_id=verdict.rule.id,
        rule_version=verdict.rule.version,
        legal_basis=verdict.rule.legal_basis,
        explanation_vi=verdict.explanation_vi,
        explanation_en=verdict.explanation_en,
        version=version,
        replaces=record.replaces,
        recorded_by=ctx.actor.id,
        created_at=ctx.now,
    )
    await check.save()
    finding = await _attendance_finding(ctx, record, check, verdict)
    return {
        "type": "attendance",
        "uuid": str(record.uuid),
        "id": check.id,
        "inspection_id": ctx.ref.id,
        "official_id": body.official_id,
        "status": body.status,
        "arrival_time": _hm(arrival),
        "left_time": _hm(left),
        "away_kind": body.away_kind,
        "reason": check.reason,
        "observed_at": _iso(observed_at),
        "version": version,
        "replaces": str(record.replaces) if record.replaces else None,
        "verdict": verdict_json(verdict),
        "finding": finding,
    }


async def _attendance_finding(
    ctx: CaptureContext,
    record: ClientRecord,
    check: AttendanceCheck,
    verdict: AttendanceVerdict,
) -> dict[str, Any] | None:
    """The Finding a violating verdict creates; an edited attendance carries its
    finding forward as a new version, or withdraws it when the edit clears the person."""
    previous = None
    if record.replaces is not None:
        base = (
            await AttendanceCheck.select(AttendanceCheck.id)
            .where(AttendanceCheck.client_uuid == record.replaces)
            .first()
        )
        if base is not None:
            previous = (
                await Finding.select(Finding.client_uuid, Finding.version)
                .where(Finding.attendance == base["id"], Finding.status == "recorded")
                .first()
            )
    if verdict.violation_code is None:
        if previous is not None:
            await Finding.update({Finding.status: "withdrawn"}).where(
                Finding.client_uuid == previous["client_uuid"]
            )
        return None
    if previous is not None:
        await Finding.update({Finding.status: "superseded"}).where(
            Finding.client_uuid == previous["client_uuid"]
        )
    kind = _violation(verdict.violation_code, check.observed_at)
    rule = kind.ref
    row = await _insert_finding(
        ctx,
        {
            "client_uuid": uuid5(AUTO_FINDING_NS, str(record.uuid)),
            "inspection": ctx.ref.id,
            "official": check.official,
            "unit": ctx.ref.unit_id,
            "attendance": check.id,
            "violation_code": kind.code,
            "rule_id": rule.id,
            "rule_version": rule.version,
            "legal_basis": rule.legal_basis,
            "explanation_vi": f"{kind.label_vi}: {verdict.explanation_vi}",
            "explanation_en": f"{kind.label_en}: {verdict.explanation_en}",
            "facts": verdict.explanation_vi,
            "observed_at": check.observed_at,
            "device_time": record.device_time,
            "version": previous["version"] + 1 if previous else 1,
            "replaces": previous["client_uuid"] if previous else None,
            "status": "recorded",
            "recorded_by": ctx.actor.id,
            "created_at": ctx.now,
        },
    )
    return _finding_json(row, kind, [])


# --- findings ------------------------------------------------------------------------


# Every column of a finding captured here (``dossier`` stays NULL). Raw SQL, like the
# rest of the sync's hot path: Piccolo's query building was a quarter of a one-finding
# sync's CPU, more than the statements' own round trips (profile in issue #6).
_FINDING_COLUMNS = (
    "client_uuid",
    "inspection",
    "official",
    "unit",
    "attendance",
    "violation_code",
    "rule_id",
    "rule_version",
    "legal_basis",
    "explanation_vi",
    "explanation_en",
    "facts",
    "observed_at",
    "device_time",
    "version",
    "replaces",
    "status",
    "recorded_by",
    "created_at",
)
_INSERT_FINDING = (
    f"INSERT INTO finding ({', '.join(_FINDING_COLUMNS)})"
    f" VALUES ({', '.join('{}' for _ in _FINDING_COLUMNS)}) RETURNING id"
)


_INSERT_FINDING_WITH_ID = (
    f"INSERT INTO finding (id, {', '.join(_FINDING_COLUMNS)})"
    f" VALUES ({', '.join('{}' for _ in range(len(_FINDING_COLUMNS) + 1))})"
)


async def _insert_finding(ctx: CaptureContext, row: dict[str, Any]) -> dict[str, Any]:
    """Write a finding (``row`` holds every column of ``_FINDING_COLUMNS``) and its audit
    event; the row is returned with its id. A finding can end in discipline: its first
    version and each edit are audited."""
    values = [row[c] for c in _FINDING_COLUMNS]
    if ctx.finding_id is not None:
        row = {**row, "id": ctx.finding_id}
        ctx.finding_id = None  # one record, one finding
        await db.write(Finding, _INSERT_FINDING_WITH_ID, row["id"], *values)
    else:
        inserted = await db.raw(Finding, _INSERT_FINDING, *values)
        row = {**row, "id": inserted[0]["id"]}
    await audit.record(
        "finding_recorded", "finding", row["id"], actor=ctx.actor, after=_audited(row)
    )
    return row


def _audited(row: dict[str, Any]) -> dict[str, Any]:
    """What a finding's audit event says of it."""
    return {
        "violation_code": row["violation_code"],
        "official_id": row["official"],
        "unit_id": row["unit"],
        "version": row["version"],
        "replaces": str(row["replaces"]) if row["replaces"] else None,
    }


def _finding_json(row: dict[str, Any], kind: ViolationType, evidence: list[str]) -> dict[str, Any]:
    return {
        "type": "finding",
        "uuid": str(row["client_uuid"]),
        "id": row["id"],
        "inspection_id": row["inspection"],
        "official_id": row["official"],
        "unit_id": row["unit"],
        "violation_code": kind.code,
        "label_vi": kind.label_vi,
        "label_en": kind.label_en,
        "severity": kind.severity,
        "rule": {
            "id": row["rule_id"],
            "version": row["rule_version"],
            "legal_basis": row["legal_basis"],
        },
        "explanation_vi": row["explanation_vi"],
        "explanation_en": row["explanation_en"],
        "facts": row["facts"],
        "observed_at": _iso(row["observed_at"]),
        "evidence": evidence,
        "version": row["version"],
        "replaces": str(row["replaces"]) if row["replaces"] else None,
        "status": row["status"],
    }


# The finding handler writes only through db.write (see ONE_STATEMENT).
_SUPERSEDE_FINDING = "UPDATE finding SET status = 'superseded' WHERE client_uuid = {}"
_LINK_EVIDENCE = "INSERT INTO finding_evidence (finding, evidence) VALUES ({}, {})"


async def finding(ctx: CaptureContext, record: ClientRecord) -> dict[str, Any]:
    """Phát hiện: a catalogue code against a person, or against the unit when the
    catalogue allows (facilities, postings), with facts and photos already uploaded."""
    body = parse_payload(record.payload, FindingPayload)
    _require_open(ctx)
    code = (body.violation_code or "").strip()
    if not code:
        raise Invalid("Phát hiện phải có mã hành vi vi phạm.", field="violation_code")
    observed_at = parse_moment(body.observed_at, "observed_at")
    _check_moment(ctx, observed_at, "observed_at")
    kind = _violation(code, observed_at)
    if body.official_id is None and not kind.for_unit:
        raise Invalid(
            f"Hành vi “{kind.label_vi}” phải gắn với một cán bộ cụ thể.", field="official_id"
        )
    if body.official_id is not None:
        await _require_official(ctx, body.official_id)
        if not kind.for_person:
            raise Invalid(
                f"Hành vi “{kind.label_vi}” ghi nhận đối với đơn vị, không đối với cá nhân.",
                field="official_id",
            )
    hashes = list(dict.fromkeys(h.lower() for h in body.evidence))
    stored = (
        await db.raw(
            Evidence,
            "SELECT id, sha256 FROM evidence WHERE sha256 IN ("
            + ", ".join("{}" for _ in hashes)
            + ")",
            *hashes,
        )
        if hashes
        else []
    )
    missing = set(hashes) - {e["sha256"] for e in stored}
    if missing:
        raise Invalid(
            "Ảnh chứng cứ chưa được tải lên máy chủ; tải ảnh trước rồi gửi lại.",
            field="evidence",
        )
    version = await _base_version(Finding, ctx, record.replaces)
    if record.replaces is not None:
        await db.write(Finding, _SUPERSEDE_FINDING, record.replaces)
    rule = kind.ref
    row = await _insert_finding(
        ctx,
        {
            "client_uuid": record.uuid,
            "inspection": ctx.ref.id,
            "official": body.official_id,
            "unit": ctx.ref.unit_id,
            "attendance": None,
            "violation_code": kind.code,
            "rule_id": rule.id,
            "rule_version": rule.version,
            "legal_basis": rule.legal_basis,
            "explanation_vi": f"{kind.label_vi} (căn cứ: {rule.legal_basis})",
            "explanation_en": f"{kind.label_en} (legal basis: {rule.legal_basis})",
            "facts": body.facts.strip(),
            "observed_at": observed_at,
            "device_time": record.device_time,
            "version": version,
            "replaces": record.replaces,
            "status": "recorded",
            "recorded_by": ctx.actor.id,
            "created_at": ctx.now,
        },
    )
    by_hash = {e["sha256"]: e["id"] for e in stored}
    for sha in hashes:
        await db.write(FindingEvidence, _LINK_EVIDENCE, row["id"], by_hash[sha])
    return _finding_json(row, kind, hashes)


# --- signatures ----------------------------------------------------------------------


async def signature(ctx: CaptureContext, record: ClientRecord) -> dict[str, Any]:
    """Chữ ký of the team lead or the unit's representative; a refusal to sign is
    recorded with a witness (người làm chứng) instead of an image."""
    body = parse_payload(record.payload, SignaturePayload)
    _require_open(ctx)
    name = body.name.strip()
    if not name:
        raise Invalid("Nhập họ tên người ký.", field="name")
    witness = (body.witness_name or "").strip() or None
    if body.refused and witness is None:
        raise Invalid("Từ chối ký phải có người làm chứng.", field="witness_name")
    image = _signature_png(body.image_png_base64) if body.image_png_base64 else None
    if record.replaces is None:
        current = await Signature.select(Signature.client_uuid).where(
            Signature.inspection == ctx.ref.id, Signature.role == body.role
        )
        replaced = {
            r["replaces"]
            for r in await Signature.select(Signature.replaces).where(
                Signature.inspection == ctx.ref.id, Signature.replaces.is_not_null()
            )
        }
        if any(r["client_uuid"] not in replaced for r in current):
            raise Conflict(
                "Đã có chữ ký cho vai trò này; gửi bản sửa (replaces) thay vì bản mới.",
                field="role",
            )
    version = await _base_version(Signature, ctx, record.replaces)
    image_path = None
    if image is not None:
        relative = f"signatures/{ctx.ref.id}/{record.uuid}.png"
        write_atomically(get_settings().media_dir / relative, image)
        image_path = relative
    await Signature.insert(
        Signature(
            client_uuid=record.uuid,
            inspection=ctx.ref.id,
            role=body.role,
            name=name[:255],
            refused=body.refused,
            witness_name=witness,
            image_path=image_path,
            device_time=record.device_time,
            version=version,
            replaces=record.replaces,
            recorded_by=ctx.actor.id,
            created_at=ctx.now,
        )
    )
    return {
        "type": "signature",
        "uuid": str(record.uuid),
        "inspection_id": ctx.ref.id,
        "role": body.role,
        "name": name,
        "refused": body.refused,
        "witness_name": witness,
        "has_image": image_path is not None,
        "version": version,
        "replaces": str(record.replaces) if record.replaces else None,
    }


def _signature_png(encoded: str) -> bytes:
    if encoded.startswith("data:"):
        encoded = encoded.partition(",")[2]
    try:
        data = base64.b64decode(encoded, validate=True)
    except (binascii.Error, ValueError):
        raise Invalid("Ảnh chữ ký không phải base64 hợp lệ.", field="image_png_base64") from None
    if not data.startswith(PNG_MAGIC):
        raise Invalid("Ảnh chữ ký phải là ảnh PNG.", field="image_png_base64")
    if len(data) > MAX_SIGNATURE_BYTES:
        raise Invalid("Ảnh chữ ký quá lớn (tối đa 512 KB).", field="image_png_base64")
    return data


async def current_signatures(inspection_id: int) -> list[dict[str, Any]]:
    rows = await Signature.select().where(Signature.inspection == inspection_id)
    replaced = {r["replaces"] for r in rows if r["replaces"] is not None}
    return [r for r in rows if r["client_uuid"] not in replaced]


# --- submit --------------------------------------------------------------------------


async def submit(ctx: CaptureContext, record: ClientRecord) -> dict[str, Any]:
    """Nộp biên bản: needs a started inspection and the team lead's signature; the
    minutes get their number (Số …/BB-ĐKTCV) and nothing more is captured after."""
    parse_payload(record.payload, SubmitPayload)
    if record.replaces is not None:
        raise Invalid("Không thể sửa bản ghi nộp biên bản.", field="replaces")
    _require_open(ctx)
    if not ctx.started:
        raise Conflict("Cuộc kiểm tra chưa được bắt đầu.", field="inspection_id")
    signatures = await current_signatures(ctx.ref.id)
    if not any(s["role"] == "team_lead" and not s["refused"] for s in signatures):
        raise Invalid("Cần chữ ký của Trưởng đoàn trước khi nộp biên bản.", field="signature")
    year = ctx.now.astimezone(local_zone()).year
    numbered = await Inspection.count().where(
        Inspection.minutes_number.is_not_null(),
        Inspection.submitted_at >= datetime(year, 1, 1, tzinfo=local_zone()),
    )
    number = f"{numbered + 1:02d}/BB-ĐKTCV"
    await Inspection.update(
        {
            Inspection.status: InspectionStatus.submitted.value,
            Inspection.submitted_at: ctx.now,
            Inspection.minutes_number: number,
        }
    ).where(Inspection.id == ctx.ref.id)
    await audit.record(
        "inspection_submitted",
        "inspection",
        ctx.ref.id,
        actor=ctx.actor,
        after={"minutes_number": number},
    )
    ctx.status = InspectionStatus.submitted.value
    return {
        "type": "submit",
        "uuid": str(record.uuid),
        "inspection_id": ctx.ref.id,
        "status": ctx.status,
        "submitted_at": _iso(ctx.now),
        "minutes_number": number,
        "minutes_url": f"/inspections/{ctx.ref.id}/minutes",
    }


HANDLERS = {
    "start": start,
    "attendance": attendance,
    "finding": finding,
    "signature": signature,
    "submit": submit,
}
# The record types whose handler writes only through ``db.write`` and reads only
# through ``db.raw`` (the contract of ``db.one_statement``), so that a record sent alone
# is written as one statement. The others use Piccolo and need a transaction.
ONE_STATEMENT = frozenset({"finding"})
