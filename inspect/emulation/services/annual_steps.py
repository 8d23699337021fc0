"""Các bước đánh giá, xếp loại năm: for a year's annual rating of a unit, the steps the
province records — tự đánh giá (the officials' self-reports), biên bản họp đơn vị, ý kiến
cấp ủy, quyết định, thông báo — each with its date, document number and note. The year
board shows the checklist with what is missing; locking the year warns about missing
steps but does not refuse: provinces differ in which steps they require (a unit without
a Party committee has no opinion to record), so the personnel office decides. Recording
a step is audited; a step may carry the document's file (annual_step_files.py), and a
replaced file is audited with the one it replaced."""

from __future__ import annotations

from datetime import date
from typing import Any

from congvu.inspect import clock, db
from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.emulation.services.access import SCORER_ROLES, require_board
from congvu.inspect.emulation.services.annual_step_files import (
    Upload,
    described,
    keep,
    read_file,
    screen,
)
from congvu.inspect.emulation.services.boards import period_row
from congvu.inspect.emulation.services.facts import unit_by_code
from congvu.inspect.emulation.services.periods import period_name
from congvu.inspect.emulation.tables import AnnualStep, AnnualStepRecord, PeriodState
from congvu.inspect.errors import Conflict, Forbidden, Invalid, NotFound
from congvu.inspect.organisation.tables import Unit
from congvu.inspect.text_input import typed_day

STEP_LABELS: dict[AnnualStep, str] = {
    AnnualStep.SELF_REPORT: "Cá nhân tự đánh giá, báo cáo kiểm điểm",
    AnnualStep.UNIT_MEETING: "Biên bản họp đơn vị",
    AnnualStep.PARTY_OPINION: "Ý kiến của cấp ủy",
    AnnualStep.DECISION: "Quyết định xếp loại của người có thẩm quyền",
    AnnualStep.NOTICE: "Thông báo kết quả",
}


async def _year_period(period: str) -> dict[str, Any]:
    row = await period_row(period_name(period))
    if row["kind"] != "year":
        raise Conflict("Các bước đánh giá năm chỉ ghi cho kỳ đánh giá năm.", field="period")
    return row


async def _year_of(period: str) -> int:
    return int((await _year_period(period))["year"])


async def _open_year_of(period: str) -> int:
    """The year of an open year period: once locked, its steps and their files are the
    record the lock froze (the page hides the form; this refuses a direct post too)."""
    row = await _year_period(period)
    if row["state"] == PeriodState.LOCKED.value:
        raise Conflict(
            f"Kỳ đánh giá năm {row['year']} đã khóa: mở lại kỳ (ghi rõ lý do) để sửa "
            "các bước đánh giá năm.",
            field="period",
        )
    return int(row["year"])


async def _recorded(year: int, unit_ids: list[int]) -> dict[tuple[int, str], dict[str, Any]]:
    if not unit_ids:
        return {}
    rows = await AnnualStepRecord.select().where(
        AnnualStepRecord.year == year, AnnualStepRecord.unit.is_in(unit_ids)
    )
    return {(int(r["unit"]), str(r["step"])): r for r in rows}


def _checklist(found: dict[tuple[int, str], dict[str, Any]], unit_id: int) -> list[dict[str, Any]]:
    out = []
    for step, label in STEP_LABELS.items():
        r = found.get((unit_id, step.value))
        out.append(
            {
                "step": step.value,
                "label_vi": label,
                "done": r is not None,
                "done_on": r["done_on"] if r else None,
                "document_number": r["document_number"] if r else "",
                "note": r["note"] if r else "",
                "file_name": r["file_name"] if r else "",
            }
        )
    return out


async def unit_steps(actor: Actor, period: str, unit_code: str) -> list[dict[str, Any]]:
    """The checklist of the unit's annual rating for the year period, in order."""
    unit = await unit_by_code(unit_code)
    require_board(actor, str(unit["path"]))
    year = await _year_of(period)
    uid = int(str(unit["id"]))
    return _checklist(await _recorded(year, [uid]), uid)


async def record_step(
    actor: Actor,
    period: str,
    unit_code: str,
    step: str,
    values: dict[str, str],
    upload: Upload | None = None,
) -> None:
    """Records (or corrects) one step: ``done_on`` dd/mm/yyyy, ``document_number``,
    ``note`` and, when given, the document's file (a step keeps its file when none is
    given). The unit's head or the personnel office, in scope."""
    if not actor.has_role(*SCORER_ROLES):
        raise Forbidden("Chỉ thủ trưởng đơn vị hoặc cán bộ tổ chức được ghi các bước đánh giá năm.")
    unit = await unit_by_code(unit_code)
    require_board(actor, str(unit["path"]))
    year = await _open_year_of(period)
    try:
        chosen = AnnualStep(step)
    except ValueError:
        raise Invalid("Không có bước này.", field="step") from None
    try:
        done_on: date = typed_day(values.get("done_on", ""))
    except ValueError:
        raise Invalid("Ngày thực hiện không hợp lệ (dd/mm/yyyy).", field="done_on") from None
    number = values.get("document_number", "").strip()[:64]
    note = values.get("note", "").strip()
    stored = await keep(upload, *screen(upload)) if upload is not None else None
    key = f"{year}:{unit['id']}:{chosen.value}"
    before = await AnnualStepRecord.select().where(AnnualStepRecord.key == key).first()
    file_columns = stored.columns() if stored is not None else {}
    async with db.atomic():
        if before is None:
            await AnnualStepRecord(
                key=key,
                year=year,
                unit=unit["id"],
                step=chosen.value,
                done_on=done_on,
                document_number=number,
                note=note,
                entered_by=actor.id or None,
                entered_at=clock.now(),
                file_name=stored.file_name if stored else "",
                file_sha256=stored.sha256 if stored else "",
                file_path=stored.path if stored else "",
            ).save()
        else:
            await AnnualStepRecord.update(
                {
                    AnnualStepRecord.done_on: done_on,
                    AnnualStepRecord.document_number: number,
                    AnnualStepRecord.note: note,
                    AnnualStepRecord.entered_by: actor.id or None,
                    AnnualStepRecord.entered_at: clock.now(),
                    **file_columns,
                }
            ).where(AnnualStepRecord.key == key)
        await audit.record(
            "annual_step.record",
            "emulation_annual_step",
            key,
            actor=actor,
            before=None
            if before is None
            else {
                "done_on": before["done_on"].isoformat(),
                "document_number": before["document_number"],
                "note": before["note"],
                "file": described(before),
            },
            after={
                "unit": unit_code,
                "year": year,
                "step": chosen.value,
                "done_on": done_on.isoformat(),
                "document_number": number,
                "note": note,
                "file": described({"file_name": stored.file_name, "file_sha256": stored.sha256})
                if stored is not None
                else described(before),
            },
        )
        if stored is not None and described(before) is not None:
            await audit.record(
                "annual_step.replace_file",
                "emulation_annual_step",
                key,
                actor=actor,
                before=described(before),
                after=described({"file_name": stored.file_name, "file_sha256": stored.sha256}),
            )


async def step_file(actor: Actor, period: str, unit_code: str, step: str) -> tuple[str, str, bytes]:
    """The file of one step (name, media type, bytes), for whoever may read the unit's
    board."""
    unit = await unit_by_code(unit_code)
    require_board(actor, str(unit["path"]))
    year = await _year_of(period)
    try:
        chosen = AnnualStep(step)
    except ValueError:
        raise NotFound("Không có bước này.", field="step") from None
    return await read_file(f"{year}:{unit['id']}:{chosen.value}")


async def missing_steps(actor: Actor, period: str) -> list[dict[str, Any]]:
    """Before locking a year: per agency in the actor's scope (the province and its
    communes, as the council is held), the steps not recorded. Empty for a quarter."""
    row = await period_row(period_name(period))
    if row["kind"] != "year":
        return []
    units = [
        u
        for u in await Unit.select(Unit.id, Unit.code, Unit.name, Unit.path)
        .where(Unit.valid_to.is_null())
        .order_by(Unit.path)
        if actor.can_see_unit_path(u["path"]) and u["path"].count("/") <= 3
    ]
    found = await _recorded(int(row["year"]), [int(u["id"]) for u in units])
    out = []
    for u in units:
        missing = [c["label_vi"] for c in _checklist(found, int(u["id"])) if not c["done"]]
        if missing:
            out.append({"unit": u["code"], "unit_name": u["name"], "missing_vi": missing})
    return out


async def warn_at_lock(actor: Actor, period: str) -> list[dict[str, Any]]:
    """The lock goes ahead; the steps still missing are audited with it, so the record
    shows the year was locked knowing them."""
    missing = await missing_steps(actor, period)
    if missing:
        await audit.record(
            "annual_step.missing_at_lock",
            "rating_period",
            period_name(period),
            actor=actor,
            after={"missing": {m["unit"]: m["missing_vi"] for m in missing}},
        )
    return missing
