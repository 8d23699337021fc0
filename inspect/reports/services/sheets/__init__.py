"""The workbook's sheets, one module each, in the order they appear. A sheet module has
a ``NAME`` and ``write(book, ctx, figures)``; a new sheet is a new module added to
``SHEETS``."""

from __future__ import annotations

from collections.abc import Callable
from types import ModuleType

from congvu.inspect.reports.services.figures import Figures
from congvu.inspect.reports.services.layout import Book, ReportContext
from congvu.inspect.reports.services.sheets import (
    cover,
    discipline,
    dossiers,
    emulation,
    evidence,
    findings,
    handling,
    method,
    plans,
    ratings,
    raw,
    results,
    summary,
)

SHEETS: tuple[ModuleType, ...] = (
    cover,
    summary,
    plans,
    results,
    findings,
    handling,
    dossiers,
    ratings,
    emulation,
    discipline,
    evidence,
    method,
    raw,
)
SheetWriter = Callable[[Book, ReportContext, Figures], None]


def titles() -> tuple[str, ...]:
    """The sheets' names as the cover lists them (the raw data sheets by their first)."""
    names: list[str] = []
    for sheet in SHEETS:
        names.extend(getattr(sheet, "NAMES", None) or (sheet.NAME,))
    return tuple(names)
