"""Ratings and emulation for the app, the CLI and the demo: rating periods (open, lock,
reopen, versions), the Mẫu số 01 sheets, proposals per unit and per official, initiatives
and collective levels."""

from __future__ import annotations

from congvu.inspect.emulation.services.boards import board, period_row
from congvu.inspect.emulation.services.kpi_import import import_sheets
from congvu.inspect.emulation.services.periods import (
    all_periods,
    data_hash,
    lock_period,
    open_period,
    period_name,
    reopen_period,
    version_proposals,
    versions,
)
from congvu.inspect.emulation.services.personal_data import ratings_about
from congvu.inspect.emulation.services.proposals import my_sheet, unit_board
from congvu.inspect.emulation.services.sheets import (
    add_initiative,
    contest,
    rate_collective,
    save_sheet,
)
from congvu.inspect.emulation.tables import SheetAuthor

__all__ = [
    "SheetAuthor",
    "add_initiative",
    "all_periods",
    "board",
    "contest",
    "data_hash",
    "import_sheets",
    "lock_period",
    "my_sheet",
    "open_period",
    "period_name",
    "period_row",
    "rate_collective",
    "ratings_about",
    "reopen_period",
    "save_sheet",
    "unit_board",
    "version_proposals",
    "versions",
]
