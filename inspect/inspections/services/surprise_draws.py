"""Kiểm tra đột xuất: surprise inspections drawn at random, weighted by recent findings,
with the seed recorded so anyone can re-check a draw later."""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from congvu.inspect import clock
from congvu.inspect.actor import Actor
from congvu.inspect.audit import api as audit
from congvu.inspect.db import atomic
from congvu.inspect.errors import Invalid, NotFound
from congvu.inspect.inspections.services.plans import (
    INSPECTABLE_KINDS,
    SURPRISE_KINDS,
    TeamMember,
    create_inspection,
    off_day_reason,
    validate_team,
    validate_topics,
)
from congvu.inspect.inspections.tables import (
    Finding,
    FindingVersion,
    InspectionKind,
    SurpriseDraw,
)
from congvu.inspect.organisation import api as organisation
from congvu.inspect.organisation.tables import Unit

# --- surprise draw -------------------------------------------------------------------


def draw_units(seed: str, weights: dict[str, int], count: int) -> list[str]:
    """Weighted sampling without replacement, fully determined by ``seed``: the same
    seed and weights give the same units, so a draw can be re-checked later."""
    rng = random.Random(seed)
    pool = sorted(weights)  # a fixed order: dict order must not change the outcome
    chosen: list[str] = []
    while pool and len(chosen) < count:
        pick = rng.choices(pool, weights=[weights[c] for c in pool], k=1)[0]
        chosen.append(pick)
        pool.remove(pick)
    return chosen


async def risk_weights(actor: Actor, as_of: date, days: int = 365) -> dict[str, int]:
    """1 + the unit's findings of the last ``days`` days: every unit can be drawn, the
    units with recent violations more often."""
    units = [
        u
        for u in await organisation.visible_units(actor)
        if u.kind in INSPECTABLE_KINDS and u.valid_to is None
    ]
    since = datetime.combine(as_of - timedelta(days=days), time(0), tzinfo=clock.zone())
    findings = await Finding.select(Finding.unit.path).where(
        Finding.version_state == FindingVersion.CURRENT, Finding.observed_at >= since
    )
    weights: dict[str, int] = {}
    for unit in units:
        weights[unit.code] = 1 + sum(
            1 for f in findings if str(f["unit.path"]).startswith(unit.path)
        )
    return weights


@dataclass(frozen=True)
class SuggestedWeights:
    """Weights a caller suggests for a draw (the dashboard's ranking of targets), each
    unit's reasons with them. They only weight the sealed random draw: a unit in scope
    left out weighs 1, so every unit stays drawable."""

    weights: dict[str, int]
    reasons: dict[str, list[str]]


def apply_suggestion(
    in_scope: dict[str, int], suggested: SuggestedWeights
) -> tuple[dict[str, int], dict[str, list[str]]]:
    """The draw's weights and reasons over the units in scope: a suggested weight must
    be a whole number ≥ 1; a suggestion for a unit outside the scope is refused."""
    outside = sorted(set(suggested.weights) - set(in_scope))
    if outside:
        raise Invalid("Gợi ý có đơn vị ngoài phạm vi bốc thăm.", field="weights")
    weights: dict[str, int] = {}
    for code in in_scope:
        weight = suggested.weights.get(code, 1)
        if isinstance(weight, bool) or not isinstance(weight, int) or weight < 1:
            raise Invalid("Trọng số gợi ý phải là số nguyên từ 1 trở lên.", field="weights")
        weights[code] = weight
    reasons = {code: list(suggested.reasons.get(code, [])) for code in weights}
    return weights, reasons


@dataclass(frozen=True)
class DrawForm:
    count: int
    scheduled_date: date
    kind: str
    topics: list[str]
    team: list[TeamMember]
    off_day_reason: str = ""


async def draw_surprise(
    actor: Actor,
    form: DrawForm,
    seed: str | None = None,
    suggested: SuggestedWeights | None = None,
) -> int:
    """Bốc thăm: pick units by risk weight (or by ``suggested`` weights, with their
    reasons) and create one sealed surprise inspection per unit, approved by the actor.
    Seed, weights, reasons and result are stored with the draw."""
    if form.kind not in {k.value for k in SURPRISE_KINDS}:
        raise Invalid("Hình thức kiểm tra đột xuất không hợp lệ.", field="kind")
    if not 1 <= form.count <= 20:
        raise Invalid("Số đơn vị bốc thăm từ 1 đến 20.", field="count")
    if form.scheduled_date < clock.today():
        raise Invalid("Ngày kiểm tra không được ở quá khứ.", field="scheduled_date")
    topics = validate_topics(form.topics)
    await validate_team(form.team)
    reason = off_day_reason([form.scheduled_date], form.off_day_reason)
    weights = await risk_weights(actor, clock.today())
    if not weights:
        raise Invalid("Không có đơn vị nào trong phạm vi để bốc thăm.", field="count")
    reasons: dict[str, list[str]] = {}
    if suggested is not None:
        weights, reasons = apply_suggestion(weights, suggested)
    seed = seed or secrets.token_hex(16)
    chosen = draw_units(seed, weights, form.count)
    units = {
        u["code"]: u["id"]
        for u in await Unit.select(Unit.id, Unit.code).where(Unit.code.is_in(chosen))
    }
    async with atomic():
        draw = SurpriseDraw(
            seed=seed,
            weights=weights,
            result=chosen,
            suggested=reasons,
            units_drawn=form.count,
            created_by=actor.id or None,
            created_at=clock.now(),
        )
        await draw.save()
        for code in chosen:
            await create_inspection(
                actor,
                unit_id=units[code],
                kind=InspectionKind(form.kind),
                scheduled_date=form.scheduled_date,
                topics=topics,
                team=form.team,
                approved_by=actor.id or None,
                draw_id=draw.id,
                draw_seed=seed,
                off_hours_reason=reason,
            )
        await audit.record(
            "surprise_draw",
            "surprise_draw",
            draw.id,
            actor=actor,
            after={
                "seed": seed,
                "weights": weights,
                "result": chosen,
                **({"suggested": reasons} if reasons else {}),
                **({"off_day_reason": reason} if reason else {}),
            },
        )
    return int(draw.id)


@dataclass(frozen=True)
class DrawCheck:
    id: int
    seed: str
    weights: dict[str, int]
    result: list[str]
    rerun: list[str]
    suggested: dict[str, list[str]]  # reasons per unit when the weights were suggested

    @property
    def reproducible(self) -> bool:
        return self.result == self.rerun


async def recheck_draw(actor: Actor, draw_id: int) -> DrawCheck:
    """Re-run a stored draw from its seed and weights (kiểm tra lại kết quả bốc thăm)."""
    row = (
        await SurpriseDraw.select().where(SurpriseDraw.id == draw_id).output(load_json=True).first()
    )
    # The result names the units about to be visited: only the approver sees it.
    if row is None or row["created_by"] != actor.id:
        raise NotFound("Không tìm thấy lượt bốc thăm.")
    weights = {str(k): int(v) for k, v in row["weights"].items()}
    return DrawCheck(
        id=row["id"],
        seed=row["seed"],
        weights=weights,
        result=list(row["result"]),
        rerun=draw_units(row["seed"], weights, row["units_drawn"]),
        suggested={str(k): list(v) for k, v in (row["suggested"] or {}).items()},
    )


async def list_draws(actor: Actor) -> list[DrawCheck]:
    rows = (
        await SurpriseDraw.select(SurpriseDraw.id)
        .where(SurpriseDraw.created_by == actor.id)
        .order_by(SurpriseDraw.id, ascending=False)
    )
    return [await recheck_draw(actor, r["id"]) for r in rows[:20]]
