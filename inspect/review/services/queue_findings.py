"""Phát hiện của hàng chờ, counted in SQL: the open findings of a head's scope grouped by
what the filters and the deadline order look at, so that a page reads only the findings
of its own deadlines (tests/bench/README.md, "Review queue").

A province holds ~10,000 open findings: turning each into an entry, classifying it and
sorting it in Python cost more than the rest of a page. They share a few hundred
combinations of unit, official, state, violation code, severity span and review dates,
which one GROUP BY returns; each combination is judged as ``queue_index`` judges a
finding (the same state, deadline and severity), so the counts are the same.

The severity of a violation code is the conduct pack's in force on the local day it was
observed: constant between two validity boundaries of the conduct packs, so the rows are
grouped by the span their moment falls in (before the local midnight of each boundary in
the configured zone), and the severity is worked out once per code and span.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from congvu.inspect import clock, db
from congvu.inspect.actor import Actor
from congvu.inspect.inspections.tables import Finding
from congvu.inspect.review.services.items import ItemKind
from congvu.inspect.review.services.queue_days import Side
from congvu.inspect.review.services.queue_index import (
    FINDINGS_FROM,
    STATES,
    finding_deadline,
    findings_args,
)
from congvu.inspect.review.services.queue_view import Matcher, due_bucket
from congvu.inspect.review.services.record import severity_of
from congvu.inspect.review.tables import ReviewState
from congvu.rules.packs import default_registry

# (unit path, kind, official, state, severity, due bucket), the filters each misses → items
Combinations = Counter[tuple[tuple[str, ...], int]]


def conduct_bounds() -> list[date]:
    """The days from which the conduct catalogue in force may change, in order."""
    bounds: set[date] = set()
    for pack in default_registry().versions("conduct"):
        bounds.add(pack.effective_from)
        if pack.effective_to is not None:
            bounds.add(pack.effective_to + timedelta(days=1))
    return sorted(bounds)


def _span_sql(bounds: Sequence[date], sqlite: bool) -> str:
    """The span (0 before the first boundary, k from the k-th) of ``f.observed_at``'s
    local day, compared as moments: the local midnight of each boundary day."""
    if not bounds:
        return "0"
    zone = clock.zone()
    parts = []
    for n, day in enumerate(bounds):
        moment = datetime.combine(day, time(), zone).astimezone(UTC)
        # SQLite holds a timestamptz as "YYYY-MM-DD HH:MM:SS[.ffffff]+00:00" text (UTC),
        # which orders as the moments do against this spelling.
        literal = (
            f"'{moment:%Y-%m-%d %H:%M:%S}+00:00'"
            if sqlite
            else f"TIMESTAMPTZ '{moment:%Y-%m-%d %H:%M:%S}+00:00'"
        )
        parts.append(f"WHEN f.observed_at < {literal} THEN {n}")
    return f"CASE {' '.join(parts)} ELSE {len(bounds)} END"


def _span_day(bounds: Sequence[date], span: int) -> date:
    # A day of the span: the boundary it starts on, or the day before the first one.
    if not bounds:
        return date.today()
    return bounds[0] - timedelta(days=1) if span == 0 else bounds[span - 1]


@dataclass
class FindingGroups:
    """The open findings of a scope as counts: by combination of the filters' values, and
    the matching ones by deadline (None: no deadline yet)."""

    combinations: Combinations = field(default_factory=Counter)
    names: dict[int, str] = field(default_factory=dict)
    matching: Counter[date | None] = field(default_factory=Counter)


async def finding_groups(actor: Actor, matcher: Matcher) -> FindingGroups:
    """The actor's open findings counted per combination of filter values (with the
    filters each misses) in one GROUP BY; none about the actor, none closed."""
    sqlite = db.is_sqlite()
    bounds = conduct_bounds()
    span = _span_sql(bounds, sqlite)
    rows = await db.raw(
        Finding,
        "SELECT u.path AS unit_path, f.official, o.full_name AS official_name,"
        f" f.violation_code, {span} AS span, r.state, r.explanation_due, r.review_due,"
        " count(*) AS n"
        + FINDINGS_FROM
        + " GROUP BY u.path, f.official, o.full_name, f.violation_code, span, r.state,"
        " r.explanation_due, r.review_due",
        *findings_args(actor),
    )
    found = FindingGroups()
    severities: dict[tuple[str, int], str] = {}
    for row in rows:
        state = STATES[row["state"]]
        if state is ReviewState.CLOSED:
            continue
        official = row["official"]
        if official is not None and official == actor.official_id:
            continue
        key = (row["violation_code"], int(row["span"]))
        if key not in severities:
            severities[key] = severity_of(key[0], _span_day(bounds, key[1]))
        deadline = finding_deadline(state, row if row["state"] is not None else None)
        values = (
            row["unit_path"],
            ItemKind.FINDING,
            str(official) if official is not None else "",
            state.value,
            severities[key],
            due_bucket(deadline, matcher.today),
        )
        misses = matcher.misses(values)
        n = int(row["n"])
        found.combinations[(values, misses)] += n
        if not misses:
            found.matching[deadline] += n
        if official and row["official_name"]:
            found.names[official] = row["official_name"]
    return found


def _side(deadline: date | None, mark: Sequence[Any]) -> Side | None:
    """Where the findings of ``deadline`` lie from ``mark``, a key of the deadline order
    (``queue_view.SORTS["deadline"]``, ascending); None for a mark that names no place."""
    if len(mark) != 4:
        return None
    prefix = (
        deadline is None,
        deadline.toordinal() if deadline else 0,
        str(ItemKind.FINDING),
    )
    try:
        if prefix == tuple(mark[:3]):
            return Side.ON
        return Side.AFTER if prefix > tuple(mark[:3]) else Side.BEFORE
    except TypeError:
        return None


def page_deadlines(
    groups: FindingGroups, mark: Sequence[Any] | None, limit: int
) -> tuple[set[date | None], int] | None:
    """The deadlines holding the first ``limit`` matching findings after ``mark`` in the
    ascending deadline order (each deadline whole, with the mark's own), and how many
    matching findings lie before the mark's deadline; None when the mark names no place
    (the page then reads every finding)."""
    chosen: set[date | None] = set()
    wanted = limit
    found = 0
    before = 0
    ordered = sorted(
        groups.matching.items(), key=lambda d: (d[0] is None, d[0].toordinal() if d[0] else 0)
    )
    for deadline, n in ordered:
        if n <= 0:
            continue
        where = Side.AFTER if mark is None else _side(deadline, mark)
        if where is None:
            return None
        if where is Side.BEFORE:
            before += n
            continue
        if found >= wanted:
            break
        if where is Side.ON:
            wanted += n  # some of them lie before the cursor
        chosen.add(deadline)
        found += n
    return chosen, before
