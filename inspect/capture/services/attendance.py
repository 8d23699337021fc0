"""Điểm danh: an attendance record judged at once by the working-hours rules, and the
finding a violating verdict creates (or withdraws, when an edit clears the person)."""

from __future__ import annotations

from datetime import datetime, time
from uuid import uuid5

from congvu.inspect import clock
from congvu.inspect.capture.services.context import (
    CaptureContext,
    ClientRecord,
    base_version,
    check_moment,
    require_official,
    require_open,
)
from congvu.inspect.capture.services.findings import (
    AUTO_FINDING_NS,
    finding_json,
    insert_finding,
    violation,
)
from congvu.inspect.capture.services.payloads import (
    AttendancePayload,
    iso,
    parse_clock,
    parse_moment,
    parse_payload,
)
from congvu.inspect.capture.services.records import (
    AttendanceRecord,
    FindingRecord,
    VerdictRecord,
)
from congvu.inspect.errors import Invalid
from congvu.inspect.i18n import format_time
from congvu.inspect.inspections.tables import AttendanceCheck, Finding, FindingVersion
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
    judge_attendance,
)


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
    seen = format_time(checked_at)
    return AttendanceVerdict(
        AttendanceStatus.ON_TIME,
        0,
        None,
        pack_for("working_hours", checked_at.date()).ref(),
        f"Có mặt tại thời điểm kiểm tra lúc {seen}",
        f"Present at the check at {seen}",
    )


def verdict_json(verdict: AttendanceVerdict) -> VerdictRecord:
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


async def attendance(ctx: CaptureContext, record: ClientRecord) -> AttendanceRecord:
    """Điểm danh: judged at once by the working-hours rules for the unit's hours that
    day; a violation becomes a Finding bound to the rule version then in force."""
    body = parse_payload(record.payload, AttendancePayload)
    require_open(ctx)
    await require_official(ctx, body.official_id)
    observed_at = parse_moment(body.observed_at, "observed_at")
    check_moment(ctx, observed_at, "observed_at")
    arrival = parse_clock(body.arrival_time, "arrival_time")
    left = parse_clock(body.left_time, "left_time")
    version = await base_version(AttendanceCheck, ctx, record.replaces)
    checked_at = observed_at.astimezone(clock.zone())
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
        "arrival_time": format_time(arrival) or None,
        "left_time": format_time(left) or None,
        "away_kind": body.away_kind,
        "reason": check.reason,
        "observed_at": iso(observed_at),
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
) -> FindingRecord | None:
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
                .where(
                    Finding.attendance == base["id"],
                    Finding.version_state == FindingVersion.CURRENT,
                )
                .first()
            )
    if verdict.violation_code is None:
        if previous is not None:
            await Finding.update({Finding.version_state: FindingVersion.WITHDRAWN}).where(
                Finding.client_uuid == previous["client_uuid"]
            )
        return None
    if previous is not None:
        await Finding.update({Finding.version_state: FindingVersion.SUPERSEDED}).where(
            Finding.client_uuid == previous["client_uuid"]
        )
    kind = violation(verdict.violation_code, check.observed_at)
    rule = kind.ref
    row = await insert_finding(
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
            "version_state": FindingVersion.CURRENT,
            "recorded_by": ctx.actor.id,
            "created_at": ctx.now,
        },
    )
    return finding_json(row, kind, [])
