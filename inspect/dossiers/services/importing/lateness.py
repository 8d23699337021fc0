"""Lateness of imported and stored dossiers: the one call into the vectorised rules
engine (``congvu.rules.dossiers_vector``), with the waits (bổ sung, tạm dừng) and the
due-date history, each dossier judged with its unit's office hours."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

import numpy as np
import pandas as pd
from congvu.inspect import clock
from congvu.inspect.dossiers.services.importing.rows import PAUSE_MOMENTS, PAUSES
from congvu.rules.dossiers_vector import evaluate_dossiers_by_unit
from congvu.rules.working_hours import SeasonalSchedule

FACTS = ("received_at", "due_at", "finished_at", "returned_at", "apology_at")


def local_moments(values: pd.Series) -> pd.Series:
    """Database moments (aware, or SQLite text) → naive wall-clock time in
    ``CONGVU_TIME_ZONE``."""
    parsed = pd.to_datetime(values, utc=True, format="ISO8601")
    return parsed.dt.tz_convert(clock.steady_zone()).dt.tz_localize(None)


def pause_intervals(index: pd.Index, moments: dict[str, np.ndarray]) -> pd.DataFrame | None:
    """``evaluate_dossiers``' pauses (dossier, start, end; NaT end = still waiting) from
    the start and end columns of each kind of wait, local naive moments."""
    parts = []
    for start, end in PAUSES:
        if start not in moments:
            continue
        begins = np.asarray(moments[start], dtype="datetime64[us]")
        known = ~np.isnat(begins)
        if known.any():
            ends = np.asarray(moments[end], dtype="datetime64[us]")
            parts.append(
                pd.DataFrame({"dossier": index[known], "start": begins[known], "end": ends[known]})
            )
    return pd.concat(parts, ignore_index=True) if parts else None


def evaluate_lateness(
    facts: pd.DataFrame,
    as_of: date,
    *,
    pauses: pd.DataFrame | None = None,
    snapshots: pd.DataFrame | None = None,
    schedules: Mapping[int, SeasonalSchedule] | None = None,
) -> pd.DataFrame:
    """The one call into the rules engine for imported dossiers (a chunk being imported,
    dossiers evaluated again with their due-date history). ``facts`` has the fact columns
    of ``evaluate_dossiers`` and ``unit``: each row is judged with its unit's office hours
    (``schedules``; a unit missing there takes the national default)."""
    return evaluate_dossiers_by_unit(
        facts, as_of, schedules or {}, pauses=pauses, snapshots=snapshots
    )


# What ``evaluate_frame`` reads from ``dossier`` (besides ``id``): select these, or the
# waits are not counted.
EVALUATED_COLUMNS = ("unit", "procedure", *FACTS, "extension_count", *PAUSE_MOMENTS)
# The complete dossier's arrival, where a restarting procedure's term counts again from.
RESTART_MOMENT = "supplement_received_at"


def restarted_at(
    procedures: pd.Series, completed: pd.Series, restarting: frozenset[str]
) -> pd.Series:
    """``restarted_at`` of ``evaluate_dossiers``: for a procedure whose term restarts after a
    supplement (NĐ 297/2025), the moment the complete dossier arrived; NaT elsewhere."""
    return completed.where(procedures.isin(restarting))


def evaluate_frame(
    dossiers: pd.DataFrame,
    snapshots: pd.DataFrame | None,
    as_of: date,
    schedules: Mapping[int, SeasonalSchedule] | None = None,
    restarting: frozenset[str] = frozenset(),
) -> pd.DataFrame:
    """Verdicts for stored dossiers (columns as in the table; ``id`` becomes the index).
    The waits (bổ sung, tạm dừng) count when their columns are selected; ``restarting``
    names the procedures whose term restarts once the supplement arrives."""
    frame = dossiers.set_index("id")
    facts = pd.DataFrame({m: local_moments(frame[m]) for m in FACTS}, index=frame.index)
    if restarting and "procedure" in frame and RESTART_MOMENT in frame:
        facts["restarted_at"] = restarted_at(
            frame["procedure"], local_moments(frame[RESTART_MOMENT]), restarting
        )
    facts["extension_count"] = frame["extension_count"].fillna(0).astype(np.int64)
    if "unit" in frame:
        facts["unit"] = frame["unit"]
    pauses = pause_intervals(
        frame.index, {m: local_moments(frame[m]).to_numpy() for m in PAUSE_MOMENTS if m in frame}
    )
    snaps = None
    if snapshots is not None and len(snapshots):
        snaps = pd.DataFrame(
            {
                "dossier": snapshots["dossier"].to_numpy(),
                "seen_at": local_moments(snapshots["seen_at"]).to_numpy(),
                "due_at": local_moments(snapshots["due_at"]).to_numpy(),
            }
        )
        snaps = snaps[snaps["dossier"].isin(frame.index)]
    return evaluate_lateness(facts, as_of, pauses=pauses, snapshots=snaps, schedules=schedules)
