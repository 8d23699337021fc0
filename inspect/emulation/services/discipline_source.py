"""Where the discipline facts of a rating or an emulation review come from: one call, so
that everything else takes ``DisciplineStanding`` values as data."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from congvu.rules.discipline_standing import DisciplineStanding


async def standings(
    official_ids: Collection[int], start: date, end: date
) -> dict[int, DisciplineStanding]:
    """Each official's discipline decisions and open case for ``start``–``end``."""
    # Replaced by discipline.api.standings when the discipline domain lands.
    return {oid: DisciplineStanding(oid) for oid in official_ids}
