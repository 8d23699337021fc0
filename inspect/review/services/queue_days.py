"""Which days of the dossier stream a page of the deadline order reads.

A flagged dossier's review deadline depends only on its anchor day (the local day of its
missed return date), so the counts' GROUP BY (``queue_sql``, by anchor day) already says
how many matching dossiers each review deadline holds. A page of the deadline order, the
queue's default, then needs only the anchor days of its first few deadlines: the page's
SELECT reads those through the anchor-day index (``dossier_review_queue``) instead of
ordering every dossier in scope, and a count before a cursor is summed from the groups,
reading in SQL only the days of the deadline the cursor stands on (tests/bench/README.md,
"Review queue").

Nothing here assumes that a later anchor day has a later deadline: days are grouped by
their deadline, whatever the calendar did to it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import Enum
from typing import Any

from congvu.inspect.review.services.items import ItemKind

# Beyond this many anchor days a list of days saves nothing over reading the whole stream.
MAX_DAYS = 400


class Side(Enum):
    """Where a deadline's dossiers lie from a cursor, in one order."""

    BEFORE = "before"  # every one of them at or before the cursor
    ON = "on"  # the cursor's own deadline: its ids decide
    AFTER = "after"  # every one of them after the cursor


@dataclass
class DayCounts:
    """The matching dossiers of each anchor day, and each anchor day's review deadline."""

    deadlines: dict[date, date] = field(default_factory=dict)  # anchor day → deadline
    matching: Counter[date] = field(default_factory=Counter)  # anchor day → dossiers

    def groups(self) -> list[tuple[date, list[date], int]]:
        """(deadline, its anchor days, their matching dossiers), by deadline."""
        days: dict[date, list[date]] = {}
        for anchor, n in self.matching.items():
            if n > 0:
                days.setdefault(self.deadlines[anchor], []).append(anchor)
        return [
            (due, sorted(anchors), sum(self.matching[a] for a in anchors))
            for due, anchors in sorted(days.items())
        ]


def side(deadline: date, mark: Sequence[Any], descending: bool) -> Side | None:
    """Where the dossiers of ``deadline`` lie from ``mark`` (a key of
    ``queue_view.SORTS["deadline"]``); None for a mark that names no place (an edited URL:
    the full query refuses it)."""
    if len(mark) != 4:
        return None
    prefix = (False, deadline.toordinal(), str(ItemKind.DOSSIER))
    try:
        if prefix == tuple(mark[:3]):
            return Side.ON
        ahead = prefix < tuple(mark[:3]) if descending else prefix > tuple(mark[:3])
    except TypeError:
        return None
    return Side.AFTER if ahead else Side.BEFORE


def page_days(
    counts: DayCounts, mark: Sequence[Any] | None, limit: int, *, descending: bool
) -> list[date] | None:
    """The anchor days holding the first ``limit`` matching dossiers after ``mark`` in the
    deadline order (every day of each deadline taken, so the order within a deadline is
    the SQL's own); None when the page must read the whole stream."""
    chosen: list[date] = []
    wanted = limit
    found = 0
    for deadline, days, n in sorted(counts.groups(), reverse=descending):
        where = Side.AFTER if mark is None else side(deadline, mark, descending)
        if where is None:
            return None
        if where is Side.BEFORE:
            continue
        if where is Side.ON:
            wanted += n  # some of them lie before the cursor
        chosen += days
        found += n
        if found >= wanted:
            break
    return chosen if len(chosen) <= MAX_DAYS else None


def count_split(
    counts: DayCounts, mark: Sequence[Any], *, descending: bool, beyond: bool
) -> tuple[int, list[date]] | None:
    """How many matching dossiers come after ``mark`` (``beyond``) or not, as the number
    the groups settle and the anchor days of the mark's own deadline, left to SQL; None
    when the mark names no place."""
    settled = 0
    on: list[date] = []
    for deadline, days, n in counts.groups():
        where = side(deadline, mark, descending)
        if where is None:
            return None
        if where is Side.ON:
            on += days
        elif (where is Side.AFTER) == beyond:
            settled += n
    return settled, on
