"""Bốc thăm có trọng số theo gợi ý: the dashboard's ranking of targets handed to the
existing sealed surprise draw as its weights, with each unit's reasons. The weights are
computed here, on the server, for the actor's whole scope; the draw (its seed, its
record, its audit event) stays the inspections domain's."""

from __future__ import annotations

from congvu.inspect import clock, cpu_pool
from congvu.inspect.actor import Actor
from congvu.inspect.inspections import api as inspections
from congvu.inspect.reports.services.dashboard import build_dashboard
from congvu.inspect.reports.services.dashboard_page import (
    dashboard_unit,
    last_checks,
    quarters_until,
)
from congvu.inspect.reports.services.targets import Suggestion


async def current_suggestions(actor: Actor) -> list[Suggestion]:
    """The targets suggested now for the actor's scope (the current quarter and the
    one before for late dossiers)."""
    unit = await dashboard_unit(actor, None)
    periods = quarters_until(None, 2)
    board = await cpu_pool.run(
        build_dashboard,
        unit["path"],
        unit["id"],
        periods,
        clock.zone(),
        await last_checks(unit["path"]),
        clock.today(),
        1,
    )
    return board.suggestions


async def draw_with_suggestions(actor: Actor, form: inspections.DrawForm) -> int:
    """Start the sealed draw weighted by the current suggestions; returns its id."""
    suggestions = await current_suggestions(actor)
    suggested = inspections.SuggestedWeights(
        weights={s.code: s.weight for s in suggestions},
        reasons={s.code: s.reasons for s in suggestions},
    )
    return await inspections.draw_surprise(actor, form, suggested=suggested)
