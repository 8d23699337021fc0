"""The proposals of a period for a unit subtree: computed from the facts while the period
is open, read from its latest locked version once it is locked (a later change of a finding
never changes a locked period)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from typing import Any

from congvu.inspect import clock
from congvu.inspect.emulation.services import facts as facts_service
from congvu.inspect.emulation.services.criteria import is_criteria, load_entries
from congvu.inspect.emulation.services.quarter import propose
from congvu.inspect.emulation.services.views import quarter_json
from congvu.inspect.emulation.services.year import CollectiveFact, InitiativeFact, propose_year
from congvu.inspect.emulation.tables import (
    CollectiveRating,
    Initiative,
    PeriodState,
    PeriodVersion,
    RatingPeriod,
)
from congvu.inspect.errors import NotFound
from congvu.rules.rating import Level
from congvu.rules.rating_deductions import (
    Weights,
    deductions_pack,
    weights_from_text,
    weights_of,
)
from congvu.rules.rating_sheet import YearMethod


async def period_row(name: str) -> dict[str, Any]:
    row = await RatingPeriod.select().where(RatingPeriod.name == name).first()
    if row is None:
        raise NotFound(f"Kỳ đánh giá {name} chưa được mở.", field="period")
    return row


async def latest_version(period_id: int) -> dict[str, Any] | None:
    return (
        await PeriodVersion.select()
        .where(PeriodVersion.period == period_id)
        .order_by(PeriodVersion.version, ascending=False)
        .first()
    )


def adopted_weights(period: dict[str, Any]) -> Weights:
    """The deduction weights of a period: those the personnel office adopted after a
    what-if (kept in its parameters, so a lock freezes them), else the pack's."""
    default = weights_of(deductions_pack(period["ends_on"]))
    parameters = json.loads(period["parameters"] or "{}")
    return weights_from_text(parameters.get("deduction_weights") or {}, default)


async def compute_quarter(period: dict[str, Any], unit_path: str) -> dict[str, Any]:
    found = await facts_service.load(
        unit_path, period["starts_on"], period["ends_on"], period_id=period["id"]
    )
    weights = adopted_weights(period)
    return quarter_json(propose(found, year=period["year"], end=period["ends_on"], weights=weights))


async def _quarter_scores(year: int, unit_path: str) -> dict[int, dict[int, Fraction]]:
    scores: dict[int, dict[int, Fraction]] = {}
    for q in range(1, 5):
        period = await RatingPeriod.select().where(RatingPeriod.name == f"{year}-Q{q}").first()
        if period is None:
            continue
        board = await quarter_board_of(period, unit_path)
        for o in board["officials"]:
            if o["score"] is not None and o["level"] is not None:
                scores.setdefault(o["official_id"], {})[q] = Fraction(o["score"]["total_exact"])
    return scores


async def compute_year(
    period: dict[str, Any],
    unit_path: str,
    unit_code: str | None,
    *,
    votes: Mapping[int, tuple[int, int]] | None = None,
    vote_percent: str | None = None,
) -> dict[str, Any]:
    year = int(period["year"])
    found = await facts_service.load(unit_path, date(year, 1, 1), date(year, 12, 31))
    quarters = {} if is_criteria(period) else await _quarter_scores(year, unit_path)
    initiatives: dict[int, list[InitiativeFact]] = {}
    ids = [f.official_id for f in found]
    if ids:
        for row in (
            await Initiative.select()
            .where(Initiative.year == year, Initiative.official.is_in(ids))
            .order_by(Initiative.decided_on)
        ):
            initiatives.setdefault(int(row["official"]), []).append(
                InitiativeFact(row["title"], row["decision_number"], row["decided_on"])
            )
    collective = None
    if unit_code is not None:
        level_row = (
            await CollectiveRating.select()
            .where(CollectiveRating.unit._.code == unit_code, CollectiveRating.year == year)
            .first()
        )
        collective = CollectiveFact(
            unit_code,
            Level(level_row["level"]) if level_row else None,
            bool(level_row["movement"]) if level_row else True,
        )
    method = YearMethod(json.loads(period["parameters"]).get("year_method", "MEAN"))
    criteria = await load_entries(period["id"], ids) if is_criteria(period) else None
    return propose_year(
        found,
        quarters,
        initiatives,
        collective,
        year=year,
        method=method,
        review_on=min(clock.today(), period["ends_on"]),
        votes=votes,
        vote_percent=vote_percent,
        criteria=criteria,
    )


def _within(board: dict[str, Any], unit_path: str) -> dict[str, Any]:
    officials = [o for o in board["officials"] if o["unit_path"].startswith(unit_path)]
    return {**board, "officials": officials}


async def quarter_board_of(period: dict[str, Any], unit_path: str) -> dict[str, Any]:
    if period["state"] == PeriodState.LOCKED.value:
        version = await latest_version(period["id"])
        if version is not None:
            return _within(json.loads(version["proposals"]), unit_path)
    return await compute_quarter(period, unit_path)


async def board(name: str, unit_path: str, unit_code: str | None) -> dict[str, Any]:
    """The period's proposals for the subtree at ``unit_path``, with the period's state
    and version."""
    period = await period_row(name)
    version = None
    if period["state"] == PeriodState.LOCKED.value:
        version = await latest_version(period["id"])
    if version is not None:
        proposals = _within(json.loads(version["proposals"]), unit_path)
    elif period["kind"] == "quarter":
        proposals = await compute_quarter(period, unit_path)
    else:
        proposals = await compute_year(period, unit_path, unit_code)
    return {
        "period": period["name"],
        "kind": period["kind"],
        "method": "CRITERIA" if is_criteria(period) else "SCORE",
        "state": period["state"],
        "version": version["version"] if version else None,
        "data_hash": version["data_hash"] if version else None,
        **proposals,
    }
