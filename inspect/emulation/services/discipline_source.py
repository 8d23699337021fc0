"""Where the discipline facts of a rating or an emulation review come from: one call to the
discipline domain, so that everything else takes ``DisciplineStanding`` values as data (and
a test can hand in the standings it needs)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from congvu.inspect.discipline import api as discipline
from congvu.rules.discipline_standing import DisciplineStanding


async def standings(
    official_ids: Collection[int], start: date, end: date
) -> dict[int, DisciplineStanding]:
    """Each official's discipline decisions (not annulled) and open case for
    ``start``–``end``, as the discipline domain records them."""
    return await discipline.standings(official_ids, start, end)
