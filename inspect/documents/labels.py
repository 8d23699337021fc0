"""Words a document prints instead of an internal code: a violation's Vietnamese name from
the conduct catalogue in force on the day it was observed."""

from __future__ import annotations

from datetime import date

from congvu.rules.conduct import UnknownViolation, violation
from congvu.rules.packs import PackError


def violation_text(code: str, on: date) -> str:
    """ "Đi muộn …" for ``LATE_ARRIVAL``; a code no catalogue knows (or a day before any
    catalogue) is printed as it is rather than hidden."""
    try:
        return violation(code, on).label_vi
    except (UnknownViolation, PackError, LookupError):
        return code
