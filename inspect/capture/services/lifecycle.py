"""Bắt đầu kiểm tra and nộp biên bản: the records that move an inspection from planned
to in progress and from in progress to submitted."""

from __future__ import annotations

from datetime import datetime

from congvu.inspect import clock
from congvu.inspect.audit import api as audit
from congvu.inspect.capture.services.context import (
    CaptureContext,
    ClientRecord,
    check_moment,
    require_open,
)
from congvu.inspect.capture.services.payloads import (
    StartPayload,
    SubmitPayload,
    iso,
    parse_moment,
    parse_payload,
)
from congvu.inspect.capture.services.records import StartRecord, SubmitRecord
from congvu.inspect.capture.services.roster import unmarked
from congvu.inspect.capture.services.signatures import current_signatures
from congvu.inspect.errors import Conflict, Invalid
from congvu.inspect.inspections.tables import Inspection, InspectionStatus, SignatureRole
from congvu.rules.working_hours import outside_working_hours

# The column's width (inspections.tables.Inspection.off_hours_reason).
OFF_HOURS_REASON_MAX = 500


async def off_hours_reason(ctx: CaptureContext, started_at: datetime, given: str | None) -> str:
    """The reason recorded for a start outside the unit's working time, or "" inside it.

    Outside it (a day off, before opening, the lunch break, after closing) the team must
    say why it went ahead, unless the plan already recorded why the check falls on a day
    off. The tablet asks before sending; this is the server's word on it."""
    local = clock.local(started_at).replace(tzinfo=None)
    sessions = (await ctx.schedule()).sessions_or_default(local.date())
    outside = outside_working_hours(local, sessions)
    reason = (given or "").strip()
    if len(reason) > OFF_HOURS_REASON_MAX:
        raise Invalid(f"Lý do dài quá {OFF_HOURS_REASON_MAX} ký tự.", field="off_hours_reason")
    if outside is None:
        return ""
    if not reason:
        planned = (
            await Inspection.select(Inspection.off_hours_reason)
            .where(Inspection.id == ctx.ref.id)
            .first()
        )
        reason = planned["off_hours_reason"] if planned else ""
    if not reason:
        raise Invalid(
            f"Bắt đầu lúc {outside.explanation_vi}: ghi lý do vẫn tiến hành kiểm tra.",
            field="off_hours_reason",
        )
    return reason


async def start(ctx: CaptureContext, record: ClientRecord) -> StartRecord:
    """Bắt đầu kiểm tra: time, place and position; a sealed inspection is unsealed."""
    body = parse_payload(record.payload, StartPayload)
    if record.replaces is not None:
        raise Invalid("Không thể sửa bản ghi bắt đầu kiểm tra.", field="replaces")
    if ctx.status != InspectionStatus.PLANNED:
        raise Conflict("Cuộc kiểm tra đã được bắt đầu trước đó.", field="inspection_id")
    started_at = parse_moment(body.started_at, "started_at")
    check_moment(ctx, started_at, "started_at")
    place = body.place.strip()
    if not place:
        raise Invalid("Nhập địa điểm kiểm tra.", field="place")
    if body.latitude is not None and not -90 <= body.latitude <= 90:
        raise Invalid("Vĩ độ không hợp lệ.", field="latitude")
    if body.longitude is not None and not -180 <= body.longitude <= 180:
        raise Invalid("Kinh độ không hợp lệ.", field="longitude")
    if body.accuracy_m is not None and body.accuracy_m < 0:
        raise Invalid("Độ chính xác không hợp lệ.", field="accuracy_m")
    reason = await off_hours_reason(ctx, started_at, body.off_hours_reason)
    await Inspection.update(
        {
            Inspection.status: InspectionStatus.IN_PROGRESS.value,
            Inspection.started_at: started_at,
            Inspection.place: place[:255],
            Inspection.latitude: body.latitude,
            Inspection.longitude: body.longitude,
            Inspection.accuracy_m: body.accuracy_m,
            Inspection.sealed: False,
            Inspection.off_hours_reason: reason,
        }
    ).where(Inspection.id == ctx.ref.id)
    await audit.record(
        "inspection_started",
        "inspection",
        ctx.ref.id,
        actor=ctx.actor,
        after={
            "started_at": iso(started_at),
            "place": place,
            "was_sealed": ctx.ref.sealed,
            **({"off_hours_reason": reason} if reason else {}),
        },
    )
    ctx.status = InspectionStatus.IN_PROGRESS.value
    ctx.started = True
    return {
        "type": "start",
        "uuid": str(record.uuid),
        "inspection_id": ctx.ref.id,
        "status": ctx.status,
        "started_at": iso(started_at),
        "place": place,
        "latitude": body.latitude,
        "longitude": body.longitude,
        "accuracy_m": body.accuracy_m,
        "off_hours_reason": reason,
    }


async def submit(ctx: CaptureContext, record: ClientRecord) -> SubmitRecord:
    """Nộp biên bản: needs a started inspection, the team lead's signature and, for every
    official of the roster nobody marked, the team lead's confirmation (recorded, and
    named in the minutes); the minutes get their number (Số …/BB-ĐKTCV) and nothing more
    is captured after."""
    body = parse_payload(record.payload, SubmitPayload)
    if record.replaces is not None:
        raise Invalid("Không thể sửa bản ghi nộp biên bản.", field="replaces")
    require_open(ctx)
    if not ctx.started:
        raise Conflict("Cuộc kiểm tra chưa được bắt đầu.", field="inspection_id")
    signatures = await current_signatures(ctx.ref.id)
    if not any(s["role"] == SignatureRole.TEAM_LEAD and not s["refused"] for s in signatures):
        raise Invalid("Cần chữ ký của Trưởng đoàn trước khi nộp biên bản.", field="signature")
    left_out = await unmarked(ctx)
    unconfirmed = [o for o in left_out if o.id not in set(body.unmarked_confirmed)]
    if unconfirmed:
        names = ", ".join(o.full_name for o in unconfirmed)
        raise Invalid(
            f"Còn {len(unconfirmed)} người chưa điểm danh: {names}. Điểm danh họ, hoặc xác nhận"
            " nộp biên bản khi họ chưa được điểm danh.",
            field="unmarked_confirmed",
        )
    unmarked_ids = [o.id for o in left_out]
    year = ctx.now.astimezone(clock.zone()).year
    numbered = await Inspection.count().where(
        Inspection.minutes_number.is_not_null(),
        Inspection.submitted_at >= datetime(year, 1, 1, tzinfo=clock.zone()),
    )
    number = f"{numbered + 1:02d}/BB-ĐKTCV"
    await Inspection.update(
        {
            Inspection.status: InspectionStatus.SUBMITTED.value,
            Inspection.submitted_at: ctx.now,
            Inspection.minutes_number: number,
            Inspection.unmarked_at_submit: unmarked_ids,
        }
    ).where(Inspection.id == ctx.ref.id)
    await audit.record(
        "inspection_submitted",
        "inspection",
        ctx.ref.id,
        actor=ctx.actor,
        after={"minutes_number": number, "unmarked_confirmed": unmarked_ids},
    )
    ctx.status = InspectionStatus.SUBMITTED.value
    return {
        "type": "submit",
        "uuid": str(record.uuid),
        "inspection_id": ctx.ref.id,
        "status": ctx.status,
        "submitted_at": iso(ctx.now),
        "minutes_number": number,
        "minutes_url": f"/inspections/{ctx.ref.id}/minutes",
    }
