"""Verdicts of stored dossiers (trạng thái, số ngày trễ, cờ) at any date, each judged with the
office hours of its own unit in the season it was received: an appointment date exported
without a time ends at that unit's closing time (16:30 in a Bắc Giang winter, not 17:00),
and a term computed from receipt starts from its opening hours.

Shared by the pages (``verdicts_at``), the nightly scan and the import's re-evaluation, so
that the web, the worker and the CLI give one answer."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
from congvu.inspect.services import organisation
from congvu.rules.calendar import DEFAULT_SESSIONS, DaySessions
from congvu.rules.dossiers import VIETNAM_TIME, local_moment
from congvu.rules.dossiers_vector import evaluate_dossiers_by_unit
from congvu.rules.working_hours import NoSeasonForDate

MOMENTS = ("received_at", "due_at", "finished_at", "returned_at", "apology_at")


def local_times(values: pd.Series) -> pd.Series:
    """Database moments (aware, or SQLite text) → naive Vietnam wall-clock time."""
    parsed = pd.to_datetime(values, utc=True, format="ISO8601")
    return parsed.dt.tz_convert(VIETNAM_TIME).dt.tz_localize(None)


async def evaluate_stored(
    dossiers: pd.DataFrame, snapshots: pd.DataFrame | None, as_of: date
) -> pd.DataFrame:
    """Verdicts for rows read from ``Dossier`` (``id``, ``unit`` and the moments; ``id``
    becomes the index). ``snapshots``: ``dossier``, ``seen_at``, ``due_at`` rows."""
    frame = dossiers.set_index("id")
    facts = pd.DataFrame({m: local_times(frame[m]) for m in MOMENTS}, index=frame.index)
    facts["extension_count"] = frame["extension_count"].fillna(0).astype(np.int64)
    facts["unit"] = frame["unit"].to_numpy()
    snaps = None
    if snapshots is not None and len(snapshots):
        snaps = pd.DataFrame(
            {
                "dossier": snapshots["dossier"].to_numpy(),
                "seen_at": local_times(snapshots["seen_at"]).to_numpy(),
                "due_at": local_times(snapshots["due_at"]).to_numpy(),
            }
        )
        snaps = snaps[snaps["dossier"].isin(frame.index)]
    schedules = await organisation.schedules_by_unit(int(u) for u in pd.unique(facts["unit"]))
    return evaluate_dossiers_by_unit(facts, as_of, schedules, snapshots=snaps)


async def sessions_of(unit_id: int, received_at: datetime) -> DaySessions:
    """The hours one dossier is judged by (its unit's, in the season of receipt), with the
    same fallback to the national default as ``evaluate_dossiers_by_unit``."""
    schedule = (await organisation.schedules_by_unit([unit_id])).get(unit_id)
    day = local_moment(received_at).date()
    try:
        return schedule.sessions_on(day) if schedule else DEFAULT_SESSIONS
    except NoSeasonForDate:
        return DEFAULT_SESSIONS
