"""Thử trọng số điểm trừ: before the head decides, the personnel office (or a reader of
the board) tries other deduction weights — points per violation by severity, percentage
points per late-dossier case — and sees who moves, with nothing written. The weights the
personnel office then adopts go into the period's parameters (audited), where every
proposal reads them and a lock freezes them with the decision."""

from __future__ import annotations

import json
from typing import Any

from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.db import atomic
from congvu.inspect.emulation.services import facts as facts_service
from congvu.inspect.emulation.services.access import require_board, require_manager
from congvu.inspect.emulation.services.boards import adopted_weights, period_row
from congvu.inspect.emulation.services.codec import rounded
from congvu.inspect.emulation.services.facts import unit_by_code
from congvu.inspect.emulation.services.periods import period_label, period_name
from congvu.inspect.emulation.services.quarter import Proposal, propose
from congvu.inspect.emulation.tables import PeriodState, RatingPeriod
from congvu.inspect.errors import Conflict, Invalid
from congvu.rules.rating_deductions import Weights, weights_from_text

FIELDS = {
    "minor": "Vi phạm nhẹ (điểm)",
    "serious": "Vi phạm nghiêm trọng (điểm)",
    "severe": "Vi phạm rất nghiêm trọng (điểm)",
    "per_case": "Mỗi hồ sơ trễ hạn (điểm phần trăm tỷ lệ đúng hạn)",
}


def _tried(values: dict[str, str], current: Weights) -> Weights:
    try:
        return weights_from_text(values, current)
    except ValueError as bad:
        field = str(bad)
        top = "100" if field == "per_case" else "5"
        raise Invalid(
            f"{FIELDS.get(field, field)}: nhập một số từ 0 đến {top}.", field=field
        ) from None


def _outcome(p: Proposal) -> tuple[str | None, str | None]:
    score = f"{rounded(p.score.total):g}".replace(".", ",") if p.score is not None else None
    return (p.level.label_vi if p.level else None), score


async def what_if(
    actor: Actor, period: str, unit_code: str, values: dict[str, str]
) -> dict[str, Any]:
    """The unit's quarter under the weights in force and under ``values``: who moves, by
    level or by score."""
    unit = await unit_by_code(unit_code)
    require_board(actor, str(unit["path"]))
    row = await period_row(period_name(period))
    if row["kind"] != "quarter":
        raise Invalid("Thử trọng số điểm trừ áp dụng cho kỳ đánh giá quý.", field="period")
    current = adopted_weights(row)
    tried = _tried(values, current) if any(v.strip() for v in values.values()) else current
    found = await facts_service.load(
        str(unit["path"]), row["starts_on"], row["ends_on"], period_id=row["id"]
    )
    before = propose(found, year=row["year"], end=row["ends_on"], weights=current)
    after = propose(found, year=row["year"], end=row["ends_on"], weights=tried)
    moved = []
    for b, a in zip(before.proposals, after.proposals, strict=True):
        (level_b, score_b), (level_a, score_a) = _outcome(b), _outcome(a)
        if (level_b, score_b) != (level_a, score_a):
            moved.append(
                {
                    "name": b.facts.full_name,
                    "unit_name": b.facts.unit_name,
                    "level_before": level_b,
                    "level_after": level_a,
                    "score_before": score_b,
                    "score_after": score_a,
                    "level_changed": level_b != level_a,
                    "why": [d.explanation_vi for d in a.deductions.deductions],
                }
            )
    return {
        "period": row["name"],
        "period_label": period_label(row["name"]),
        "state": row["state"],
        "unit": unit_code,
        "unit_name": unit["name"],
        "current": current.as_text(),
        "tried": tried.as_text(),
        "fields": FIELDS,
        "moved": moved,
        "rated": sum(p.level is not None for p in before.proposals),
    }


async def adopt_weights(actor: Actor, period: str, values: dict[str, str]) -> None:
    """The personnel office adopts weights for an open quarter: kept in its parameters, so
    the proposals use them and a lock freezes them."""
    require_manager(actor)
    row = await period_row(period_name(period))
    if row["state"] != PeriodState.OPEN.value:
        raise Conflict("Kỳ đánh giá đã khóa: mở lại kỳ để đổi trọng số điểm trừ.", field="period")
    if row["kind"] != "quarter":
        raise Invalid("Thử trọng số điểm trừ áp dụng cho kỳ đánh giá quý.", field="period")
    before = adopted_weights(row)
    chosen = _tried(values, before)
    parameters = json.loads(row["parameters"] or "{}")
    parameters["deduction_weights"] = chosen.as_text()
    async with atomic():
        await RatingPeriod.update({RatingPeriod.parameters: json.dumps(parameters)}).where(
            RatingPeriod.id == row["id"]
        )
        await audit.record(
            "rating_period.weights",
            "rating_period",
            row["id"],
            actor=actor,
            before={"deduction_weights": before.as_text()},
            after={"deduction_weights": chosen.as_text()},
        )
