"""Verdicts of stored dossiers (trạng thái, số ngày trễ, cờ) at any date, each judged with the
office hours of its own unit in the season it was received (an appointment date exported
without a time ends at that unit's closing time: 16:30 in a Bắc Giang winter, not 17:00),
with the waits for supplements and pauses not counted against the agency.

Shared by the pages (``verdicts_at``), the detail page and the nightly scan; the import
evaluates through the same ``importing.evaluate_frame``, so the web, the worker and
the CLI give one answer."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
from congvu.inspect import clock
from congvu.inspect.dossiers.services.importing import EVALUATED_COLUMNS, evaluate_frame
from congvu.inspect.dossiers.services.procedures import restarting_procedures
from congvu.inspect.dossiers.tables import Dossier
from congvu.inspect.organisation import api as organisation
from congvu.rules.calendar import DEFAULT_SESSIONS, DaySessions

# What ``evaluate_stored`` reads of a dossier: select these (with ``Dossier.id``).
FACT_COLUMNS = tuple(getattr(Dossier, name) for name in EVALUATED_COLUMNS)


async def evaluate_stored(
    dossiers: pd.DataFrame, snapshots: pd.DataFrame | None, as_of: date
) -> pd.DataFrame:
    """Verdicts for rows read from ``Dossier`` (``id`` and ``FACT_COLUMNS``; ``id`` becomes
    the index). ``snapshots``: ``dossier``, ``seen_at``, ``due_at`` rows."""
    schedules = await organisation.schedules_by_unit(int(u) for u in pd.unique(dossiers["unit"]))
    return evaluate_frame(dossiers, snapshots, as_of, schedules, await restarting_procedures())


async def sessions_of(unit_id: int, received_at: datetime) -> DaySessions:
    """The hours one dossier is judged by (its unit's, in the season of receipt), with the
    same fallback to the national default as ``evaluate_dossiers_by_unit``."""
    schedule = (await organisation.schedules_by_unit([unit_id])).get(unit_id)
    day = clock.local(received_at).date()
    return schedule.sessions_or_default(day) if schedule else DEFAULT_SESSIONS
