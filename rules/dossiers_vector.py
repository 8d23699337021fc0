"""Dossier lateness for whole columns: the answers of ``congvu.rules.dossiers`` for ~10⁶ rows.

``evaluate_dossiers(dossiers, as_of, pauses=..., snapshots=...)`` reads

``dossiers`` (one row per dossier; the index identifies it):

====================  ===========================================================================
column                meaning (NaN / NaT / missing column = not known)
====================  ===========================================================================
received_at           required; datetime64, naive local time or tz-aware (converted to UTC+7)
processing_time       whole number ≥ 0; NaN = none (then only ``due_at`` or same_day gives a due)
processing_unit       working_days (default) | calendar_days | hours | same_day
same_day_cutoff       "HH:MM" or ``datetime.time``; default from the pack in force at receipt
due_at                ngày hẹn trả from the source; wins over the computed due; 00:00 = closing
finished_at           ngày có kết quả
returned_at           ngày trả kết quả, used where finished_at is NaT
apology_at            văn bản / phiếu xin lỗi sent
extension_count       number of distinct new return dates set (hẹn lại); default 0
restarted_at          complete dossier received after a supplement, when the procedure restarts
                      its term from zero (NĐ 297/2025); NaT or missing = the wait only pauses
====================  ===========================================================================

``pauses`` (optional, long format): ``dossier`` (index label), ``start``, ``end`` (NaT = still
running). ``snapshots`` (optional): ``dossier``, ``seen_at``, ``due_at`` — every due date seen in
successive exports, the first one included. ``frames_from_facts`` builds all three from
``DossierFacts``.

The result has the index of ``dossiers`` and the columns ``due_at``, ``status`` (the
``DossierStatus`` values), ``working_days_late``, ``flags`` (sorted codes joined by ";"),
``due_within_24h``, ``paused_working_days``, ``rule_id``, ``rule_version``. Explanations are
left to the scalar path (one dossier on a page). One ``sessions`` per call;
``evaluate_dossiers_by_unit`` gives each row the hours of its unit in the season of receipt.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from congvu.rules.calendar import DEFAULT_SESSIONS, DaySessions, WorkingCalendar, default_calendar
from congvu.rules.dossiers import (
    VIETNAM_TIME,
    DeadlineRules,
    DossierFacts,
    DossierFlag,
    DossierStatus,
    ProcessingUnit,
    as_of_moment,
    deadline_rules,
    local_moment,
)
from congvu.rules.working_hours import SeasonalSchedule

__all__ = ["DossierFrames", "evaluate_dossiers", "evaluate_dossiers_by_unit", "frames_from_facts"]

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

US_PER_DAY = 86_400_000_000
US_PER_HOUR = 3_600_000_000
_EPOCH = date(1970, 1, 1)
_UNITS = tuple(u.value for u in ProcessingUnit)
_WD, _CD, _HOURS, _SAME_DAY = (_UNITS.index(u) for u in ProcessingUnit)
_STATUSES = tuple(s.value for s in DossierStatus)
_EARLY, _ON_TIME, _LATE, _IN_PROGRESS, _OVERDUE = range(len(_STATUSES))
_FLAGS = tuple(sorted(f.value for f in DossierFlag))
_BIT = {flag: np.int64(1) << i for i, flag in enumerate(_FLAGS)}


def _us(moment: datetime) -> int:
    return (moment - datetime(1970, 1, 1)) // timedelta(microseconds=1)


def _clock_us(clock: time) -> int:
    return ((clock.hour * 60 + clock.minute) * 60 + clock.second) * 1_000_000 + clock.microsecond


class _WorkingDays:
    """Working-day lookup tables over day numbers (days since 1970-01-01).

    Filled from ``WorkingCalendar.is_working_day`` so the two paths cannot disagree.
    ``np.busday_count`` / ``busday_offset`` take a weekmask and a holiday list but cannot make a
    Saturday a working day (26/04/2025, 22/08/2026); a cumulative count needs no such exception
    and turns every question into one array lookup.
    """

    def __init__(self, cal: WorkingCalendar, first: int, last: int) -> None:
        self._cal = cal
        self._build(first, last)

    def _build(self, first: int, last: int) -> None:
        days = np.arange(first, last + 1, dtype=np.int64)
        work = np.fromiter(
            (self._cal.is_working_day(_EPOCH + timedelta(days=int(d))) for d in days),
            dtype=np.bool_,
            count=days.size,
        )
        self.first, self.last = first, last
        self.work = work
        self.cum = np.concatenate(([0], np.cumsum(work, dtype=np.int64)))  # working days < day
        self.days = days[work]

    def _cover(self, days: Ints) -> None:
        if days.size and int(days.max()) > self.last:
            self._build(self.first, int(days.max()) + 366)

    def is_working(self, days: Ints) -> Bools:
        self._cover(days)
        return self.work[days - self.first]

    def count_to(self, days: Ints) -> Ints:
        """Working days ≤ each day."""
        self._cover(days)
        return self.cum[days - self.first + 1]

    def between(self, start: Ints, end: Ints) -> Ints:
        """Working days d with start < d ≤ end (negative when end < start), as the calendar."""
        return self.count_to(end) - self.count_to(start)

    def nth(self, index: Ints) -> Ints:
        while index.size and int(index.max()) >= self.days.size:
            self._build(self.first, self.last + 366)
        return self.days[index]

    def add(self, start: Ints, n: Ints) -> Ints:
        """``WorkingCalendar.add_working_days`` for n ≥ 0."""
        return self.nth(np.where(n == 0, self.count_to(start - 1), self.count_to(start) + n - 1))


def _moments(frame: pd.DataFrame, column: str) -> tuple[Ints, Bools]:
    """Microseconds since 1970 in local time (0 where unknown) and the known mask."""
    if column not in frame:
        return np.zeros(len(frame), np.int64), np.zeros(len(frame), np.bool_)
    values = pd.to_datetime(frame[column])
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_convert(VIETNAM_TIME).dt.tz_localize(None)
    known = values.notna().to_numpy()
    micros = values.to_numpy(dtype="datetime64[us]").astype(np.int64)
    return np.where(known, micros, 0), known


def _split(micros: Ints) -> tuple[Ints, Ints]:
    days = micros // US_PER_DAY
    return days, micros - days * US_PER_DAY


def _rules_by_day(days: Ints) -> tuple[list[DeadlineRules], Ints]:
    unique, inverse = np.unique(days, return_inverse=True)
    rules = [deadline_rules(_EPOCH + timedelta(days=int(d))) for d in unique]
    packs = list(dict.fromkeys(rules))
    index = np.array([packs.index(r) for r in rules], dtype=np.int64)
    return packs, index[inverse]


def _processing(frame: pd.DataFrame) -> tuple[Ints, Bools, Ints]:
    n = len(frame)
    if "processing_unit" in frame:
        raw = frame["processing_unit"].astype("object").where(frame["processing_unit"].notna())
        codes = pd.Index(_UNITS).get_indexer(raw.fillna(_UNITS[_WD])).astype(np.int64)
        if (codes < 0).any():
            bad = sorted({str(v) for v in raw[codes < 0]})
            raise ValueError(f"unknown processing_unit {', '.join(bad)} (allowed: {_UNITS})")
    else:
        codes = np.full(n, _WD, np.int64)
    if "processing_time" in frame:
        time_ = pd.to_numeric(frame["processing_time"]).to_numpy(dtype=np.float64)
    else:
        time_ = np.full(n, np.nan)
    has = ~np.isnan(time_)
    whole = np.where(has, time_, 0)
    if (whole < 0).any() or (whole != np.floor(whole)).any():
        raise ValueError("processing_time must be a whole number ≥ 0")
    return whole.astype(np.int64), has, codes


def _cutoffs(frame: pd.DataFrame, received_day: Ints) -> Ints:
    packs, index = _rules_by_day(received_day)
    cutoff = np.array([_clock_us(r.same_day_cutoff) for r in packs], dtype=np.int64)[index]
    if "same_day_cutoff" in frame:
        given = frame["same_day_cutoff"]
        parsed = {
            v: _clock_us(v if isinstance(v, time) else time.fromisoformat(str(v)))
            for v in pd.unique(given.dropna())
        }
        mapped = given.map(parsed).to_numpy(dtype=np.float64, na_value=np.nan)
        cutoff = np.where(np.isnan(mapped), cutoff, mapped).astype(np.int64)
    return cutoff


def _effective_start(
    table: _WorkingDays, day: Ints, clock: Ints, sessions: DaySessions
) -> tuple[Ints, Ints]:
    """Effective receipt, branch for branch as ``WorkingCalendar.next_working_moment``."""
    ms, me = _clock_us(sessions.morning_start), _clock_us(sessions.morning_end)
    af, ae = _clock_us(sessions.afternoon_start), _clock_us(sessions.afternoon_end)
    working = table.is_working(day)
    early = working & (clock < ms)
    lunch = working & (clock >= me) & (clock < af)
    inside = working & ~early & ~lunch & (clock < ae)
    next_day = ~(early | lunch | inside)
    start_day = np.where(next_day, table.add(day, np.ones(day.size, np.int64)), day)
    return start_day, np.select([early, lunch, next_day], [ms, af, ms], clock)


def _long_rows(frame: pd.DataFrame | None, index: pd.Index, what: str) -> pd.DataFrame | None:
    if frame is None or frame.empty:
        return None
    positions = index.get_indexer(frame["dossier"])
    if (positions < 0).any():
        raise ValueError(f"{what} name dossiers that are not in the dossiers frame")
    return frame.assign(_pos=positions)


def _paused_days(
    table: _WorkingDays, pauses: _Pauses, n: int, as_of_day: int, cutoff: int, floor: Ints
) -> Ints:
    """Working days waited per dossier after its ``floor`` day (a restarted term's day)."""
    keep = pauses.start <= cutoff
    pos = pauses.pos[keep]
    begin = np.maximum(_split(pauses.start[keep])[0], floor[pos])
    end_day = _split(pauses.end[keep])[0]
    running_until = table.add(np.array([as_of_day]), np.zeros(1, np.int64))
    last = np.where(pauses.end_known[keep], np.minimum(end_day, running_until), running_until)
    order = np.lexsort((begin, pos))
    pos, begin, last = pos[order], begin[order], last[order]
    # Union of overlapping intervals per dossier: an interval starts no earlier than the
    # furthest end already covered in the same dossier, as the scalar loop does.
    covered = pd.Series(last).groupby(pos).cummax().to_numpy()
    first = np.ones(pos.size, np.bool_)
    first[1:] = pos[1:] != pos[:-1]
    previous = np.empty_like(covered)
    previous[1:] = covered[:-1]
    begin = np.where(first, begin, np.maximum(begin, previous))
    counted = np.where(last > begin, table.between(begin, last), 0)
    return np.bincount(pos, weights=counted, minlength=n).astype(np.int64)


def _snapshot_flags(
    snapshots: pd.DataFrame | None,
    n: int,
    cutoff: int,
    resolved_day: Ints,
    resolved: Bools,
    apology: Ints,
    apology_sent: Bools,
) -> tuple[Bools, Bools]:
    earlier = np.zeros(n, np.bool_)
    reset = np.zeros(n, np.bool_)
    if snapshots is None:
        return earlier, reset
    seen, _ = _moments(snapshots, "seen_at")
    due, _ = _moments(snapshots, "due_at")
    keep = seen <= cutoff
    pos = snapshots["_pos"].to_numpy()[keep]
    seen, due_day = seen[keep], _split(due[keep])[0]
    order = np.lexsort((seen, pos))  # stable: equal times keep their order, as the scalar sort
    pos, seen, due_day = pos[order], seen[order], due_day[order]
    pair = np.zeros(pos.size, np.bool_)
    pair[1:] = pos[1:] == pos[:-1]
    before = np.empty_like(due_day)
    before[1:] = due_day[:-1]
    was_overdue = (before < _split(seen)[0]) & (~resolved[pos] | (resolved_day[pos] > before))
    no_apology = ~apology_sent[pos] | (apology[pos] > seen)
    earlier[pos[pair & (due_day < before)]] = True
    reset[pos[pair & (due_day > before) & (was_overdue | no_apology)]] = True
    return earlier, reset


@dataclass(frozen=True)
class _Pauses:
    pos: Ints
    start: Ints
    end: Ints
    end_known: Bools


def _pauses(rows: pd.DataFrame | None) -> _Pauses:
    if rows is None:
        empty = np.zeros(0, np.int64)
        return _Pauses(empty, empty, empty, np.zeros(0, np.bool_))
    start, _ = _moments(rows, "start")
    end, end_known = _moments(rows, "end")
    return _Pauses(rows["_pos"].to_numpy(dtype=np.int64), start, end, end_known)


def evaluate_dossiers(
    dossiers: pd.DataFrame,
    as_of: date | datetime,
    *,
    pauses: pd.DataFrame | None = None,
    snapshots: pd.DataFrame | None = None,
    calendar: WorkingCalendar | None = None,
    sessions: DaySessions = DEFAULT_SESSIONS,
) -> pd.DataFrame:
    """Status, working days late and flags of every row at ``as_of`` (module docstring)."""
    cal = calendar or default_calendar()
    n = len(dossiers)
    as_of_date, cutoff_moment = as_of_moment(as_of)
    as_of_day = (as_of_date - _EPOCH).days
    cutoff = _us(cutoff_moment)

    received, received_known = _moments(dossiers, "received_at")
    if not received_known.all():
        raise ValueError("received_at is required on every row")
    source, source_known = _moments(dossiers, "due_at")
    restart, restart_known = _moments(dossiers, "restarted_at")
    # A restarted term counts again from the complete dossier, as from a receipt; the pack's
    # same-day cut-off stays the one in force at the first receipt.
    restarting = restart_known & (restart <= cutoff) & ~source_known
    first_received_day = _split(received)[0]
    received_day, received_clock = _split(np.where(restarting, restart, received))
    apology, apology_known = _moments(dossiers, "apology_at")
    finished, finished_known = _moments(dossiers, "finished_at")
    returned, returned_known = _moments(dossiers, "returned_at")
    pause_rows = _pauses(_long_rows(pauses, dossiers.index, "pauses"))
    snapshot_rows = _long_rows(snapshots, dossiers.index, "snapshots")
    count, has_count, unit = _processing(dossiers)

    # Every day looked up below is at most one day before an input day or the as-of day, so
    # the table never has to grow downwards (a negative index would wrap around silently).
    lowest = [
        int(_split(micros)[0].min(initial=as_of_day))
        for micros in (
            received,
            restart[restart_known],
            source[source_known],
            apology[apology_known],
            pause_rows.start,
            pause_rows.end[pause_rows.end_known],
        )
    ]
    first_day = min(as_of_day, *lowest) - 8
    table = _WorkingDays(cal, first_day, max(as_of_day, int(received_day.max(initial=0))) + 60)

    ms, me = _clock_us(sessions.morning_start), _clock_us(sessions.morning_end)
    af, ae = _clock_us(sessions.afternoon_start), _clock_us(sessions.afternoon_end)
    ones, zeros = np.ones(n, np.int64), np.zeros(n, np.int64)
    start_day, start_clock = _effective_start(table, received_day, received_clock, sessions)

    # Working hours on one line of "working microseconds": day index × day length + offset.
    morning = me - ms
    length = morning + ae - af
    offset = np.where(start_clock < me, start_clock - ms, morning + start_clock - af)
    total = (table.count_to(start_day) - 1) * length + offset + count * US_PER_HOUR
    index = (total - 1) // length  # a term ending exactly at a session end stays on that day
    rest = total - index * length
    hours_day = np.where(count == 0, start_day, table.nth(np.maximum(index, 0)))
    hours_clock = np.where(
        count == 0, start_clock, np.where(rest <= morning, ms + rest, af + rest - morning)
    )
    cutoff_clock = _cutoffs(dossiers, first_received_day)
    same_day = np.where(start_clock <= cutoff_clock, start_day, table.add(start_day, ones))
    due_day = np.select(
        [count == 0, unit == _WD, unit == _CD],
        [start_day, table.add(start_day, count), table.add(start_day + count, zeros)],
        hours_day,
    )
    due_day = np.where(unit == _SAME_DAY, same_day, due_day)
    due_clock = np.select(
        [unit == _HOURS, (unit == _SAME_DAY) | (count == 0)], [hours_clock, ae], start_clock
    )
    source_day, source_clock = _split(source)
    has_due = source_known | has_count | (unit == _SAME_DAY)
    # A slip's appointment under a restarting procedure: its term (working days from the
    # effective receipt to the return date) counts again from the complete dossier.
    slip_restart = restart_known & (restart <= cutoff) & source_known
    first_day_of_term = _effective_start(table, *_split(received), sessions)[0]
    # Rows without a restart look up their receipt: a day 0 would index before the table.
    restart_or_received = np.where(restart_known, restart, received)
    restart_start = _effective_start(table, *_split(restart_or_received), sessions)[0]
    slip_day = np.where(source_known, source_day, first_day_of_term)  # day 0 is not in the table
    term = np.maximum(0, table.between(first_day_of_term, slip_day))
    source_day = np.where(
        slip_restart, table.add(restart_start, np.where(slip_restart, term, 0)), source_day
    )
    due_day = np.where(source_known, source_day, due_day)
    due_clock = np.where(source_known, np.where(source_clock == 0, ae, source_clock), due_clock)

    floor = np.where(
        restarting & (has_count | (unit == _SAME_DAY)), received_day, np.iinfo(np.int64).min
    )
    floor = np.where(slip_restart, _split(restart_or_received)[0], floor)
    paused = _paused_days(table, pause_rows, n, as_of_day, cutoff, floor)
    shift = has_due & (paused > 0)
    due_day = np.where(shift, table.add(due_day, np.where(shift, paused, 0)), due_day)
    due = due_day * US_PER_DAY + due_clock

    packs, pack_index = _rules_by_day(np.where(has_due, due_day, first_received_day))
    apology_margin = np.array([r.apology_working_days_before_due for r in packs])[pack_index]
    max_extensions = np.array([r.max_extensions for r in packs])[pack_index]

    resolved_at = np.where(finished_known, finished, returned)
    resolved = (finished_known | returned_known) & (resolved_at <= cutoff)
    resolved_day = np.where(resolved, _split(resolved_at)[0], due_day)
    status = np.select(
        [
            resolved & (~has_due | (resolved_day == due_day)),
            resolved & (resolved_day < due_day),
            resolved,
            ~has_due | (due_day >= as_of_day),
        ],
        [_ON_TIME, _EARLY, _LATE, _IN_PROGRESS],
        _OVERDUE,
    )
    late = (status == _LATE) | (status == _OVERDUE)
    late_until = np.where(status == _LATE, resolved_day, as_of_day)
    # A late dossier is at least one day late, even when finished on the weekend after.
    late_days = np.where(
        late, np.maximum(1, table.between(due_day, np.where(late, late_until, due_day))), 0
    )
    within_24h = (status == _IN_PROGRESS) & has_due & (due <= cutoff + 24 * US_PER_HOUR)

    apology_sent = apology_known & (apology <= cutoff)
    apology_day = np.where(apology_sent, _split(apology)[0], due_day)
    margin = table.between(apology_day - 1, due_day - 1)
    earlier, reset = _snapshot_flags(
        snapshot_rows, n, cutoff, resolved_day, resolved, apology, apology_sent
    )
    if "extension_count" in dossiers:
        extensions = dossiers["extension_count"].fillna(0).to_numpy(dtype=np.int64)
    else:
        extensions = zeros
    conditions = {
        DossierFlag.APOLOGY_LATE: apology_sent & has_due & (margin < apology_margin),
        DossierFlag.APOLOGY_MISSING: late & ~apology_sent,
        DossierFlag.DEADLINE_MOVED_EARLIER: earlier,
        DossierFlag.DEADLINE_RESET: reset,
        DossierFlag.DUE_WITHIN_24H: within_24h,
        DossierFlag.OVERDUE_IN_PROGRESS: status == _OVERDUE,
        DossierFlag.RESOLVED_LATE: status == _LATE,
        DossierFlag.SECOND_EXTENSION: extensions > max_extensions,
    }
    mask = np.zeros(n, np.int64)
    for flag, condition in conditions.items():
        mask |= np.where(condition, _BIT[flag.value], 0)
    masks, mask_index = np.unique(mask, return_inverse=True)
    texts = [";".join(f for f in _FLAGS if m & _BIT[f]) for m in masks]

    return pd.DataFrame(
        {
            "due_at": np.where(has_due, due, np.iinfo(np.int64).min).view("datetime64[us]"),
            "status": pd.Categorical.from_codes(status, categories=_STATUSES),
            "working_days_late": late_days.astype(np.int64),
            "flags": pd.Categorical.from_codes(mask_index.reshape(-1), categories=texts),
            "due_within_24h": within_24h,
            "paused_working_days": paused,
            "rule_id": np.array([r.pack.id for r in packs], dtype=object)[pack_index],
            "rule_version": np.array([r.pack.version for r in packs], dtype=object)[pack_index],
        },
        index=dossiers.index,
    )


@dataclass(frozen=True)
class DossierFrames:
    dossiers: pd.DataFrame
    pauses: pd.DataFrame
    snapshots: pd.DataFrame


def frames_from_facts(facts: Sequence[DossierFacts]) -> DossierFrames:
    """The three frames of ``evaluate_dossiers`` for a list of facts (index = list position)."""

    def column(values: list[date | datetime | None]) -> pd.Series:
        return pd.Series(
            [None if v is None else local_moment(v) for v in values], dtype="datetime64[us]"
        )

    dossiers = pd.DataFrame(
        {
            "received_at": column([f.received_at for f in facts]),
            "processing_time": pd.Series([f.processing_time for f in facts], dtype="float64"),
            "processing_unit": [str(ProcessingUnit(f.processing_unit)) for f in facts],
            "same_day_cutoff": [f.same_day_cutoff for f in facts],
            "due_at": column([f.due_at for f in facts]),
            "finished_at": column([f.finished_at for f in facts]),
            "returned_at": column([f.returned_at for f in facts]),
            "apology_at": column([f.apology_at for f in facts]),
            "extension_count": [len({local_moment(e).date() for e in f.extensions}) for f in facts],
            "restarted_at": column([f.restarted_at for f in facts]),
        }
    )
    pauses = [(i, start, end) for i, f in enumerate(facts) for start, end in f.pauses]
    snapshots = [(i, seen, due) for i, f in enumerate(facts) for seen, due in f.due_snapshots]
    return DossierFrames(
        dossiers=dossiers,
        pauses=pd.DataFrame(
            {
                "dossier": pd.Series([p[0] for p in pauses], dtype="int64"),
                "start": column([p[1] for p in pauses]),
                "end": column([p[2] for p in pauses]),
            }
        ),
        snapshots=pd.DataFrame(
            {
                "dossier": pd.Series([s[0] for s in snapshots], dtype="int64"),
                "seen_at": column([s[1] for s in snapshots]),
                "due_at": column([s[2] for s in snapshots]),
            }
        ),
    )


def evaluate_dossiers_by_unit(
    dossiers: pd.DataFrame,
    as_of: date | datetime,
    schedules: Mapping[Any, SeasonalSchedule],
    *,
    unit_column: str = "unit",
    pauses: pd.DataFrame | None = None,
    snapshots: pd.DataFrame | None = None,
    calendar: WorkingCalendar | None = None,
) -> pd.DataFrame:
    """``evaluate_dossiers`` with each row's own office hours: those of its unit (the
    ``unit_column`` value, looked up in ``schedules``) in the season of the day of receipt.

    A unit missing from ``schedules``, or a day its schedule has no season for, takes the
    national default (QĐ 188/1999/QĐ-TTg): a gap in a unit's schedule must not stop a whole
    import, and the dossier's verdict changes only for receipts outside office hours."""
    n = len(dossiers)
    received, _ = _moments(dossiers, "received_at")
    received_day, _ = _split(received)
    stamps = pd.to_datetime(received_day * US_PER_DAY, unit="us")
    month_day = (stamps.month * 100 + stamps.day).to_numpy(dtype=np.int64)
    units = dossiers[unit_column].to_numpy() if unit_column in dossiers else np.full(n, None)
    sessions_list: list[DaySessions] = [DEFAULT_SESSIONS]
    key = np.zeros(n, np.int64)
    unit_keys, distinct = pd.factorize(pd.Series(units, dtype=object), use_na_sentinel=False)
    for position, unit in enumerate(distinct):
        schedule = schedules.get(unit)
        if schedule is None:
            continue
        rows = unit_keys == position
        for season in schedule.seasons:
            start = season.start_month_day[0] * 100 + season.start_month_day[1]
            end = season.end_month_day[0] * 100 + season.end_month_day[1]
            if start <= end:
                covered = (month_day >= start) & (month_day <= end)
            else:  # a season across the new year (winter 15/10 – 14/04)
                covered = (month_day >= start) | (month_day <= end)
            if season.sessions not in sessions_list:
                sessions_list.append(season.sessions)
            key = np.where(rows & covered, sessions_list.index(season.sessions), key)
    facts = dossiers.drop(columns=[unit_column], errors="ignore")
    if len(sessions_list) == 1 or n == 0:
        return evaluate_dossiers(
            facts, as_of, pauses=pauses, snapshots=snapshots, calendar=calendar
        )
    parts = []
    for k in np.unique(key).tolist():
        part = facts.iloc[np.flatnonzero(key == k)]
        parts.append(
            evaluate_dossiers(
                part,
                as_of,
                pauses=_only(pauses, part.index),
                snapshots=_only(snapshots, part.index),
                calendar=calendar,
                sessions=sessions_list[k],
            )
        )
    out = pd.concat(parts).reindex(dossiers.index)
    # Each part has its own flag categories; callers read one categorical column.
    out["flags"] = pd.Categorical(out["flags"].astype(str))
    return out


def _only(rows: pd.DataFrame | None, index: pd.Index) -> pd.DataFrame | None:
    return None if rows is None else rows[rows["dossier"].isin(index)]
