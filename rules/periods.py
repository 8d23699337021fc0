"""Kỳ báo cáo: which days a reporting period covers.

Two schemes, chosen by the organisation (rules/README.md, "Reporting periods": it is
unconfirmed whether VPCP's TTHC reports still use the cut-off, so both are offered):

* ``nd09`` — the state reporting regime, NĐ 09/2019/NĐ-CP Điều 12 (thời gian chốt số liệu):
  a quarter runs **from the 15th of the month before the quarter to the 14th of the quarter's
  last month** (Q1/2026 = 15/12/2025 – 14/03/2026); a year from 15/12 of the year before to
  14/12; a month from the 15th of the month before to the 14th;
* ``calendar`` — calendar quarters, months and years (Q1/2026 = 01/01 – 31/03/2026).

A period is named ``YYYY-Qn``, ``YYYY-MM`` or ``YYYY``; bounds are inclusive dates, and
``period_of`` puts a date into the period of a kind that contains it. Pure: no clock, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = [
    "Period",
    "PeriodKind",
    "PeriodScheme",
    "parse_period",
    "period_labels",
    "period_of",
]

CUTOFF_DAY = 15  # NĐ 09/2019 Điều 12: số liệu chốt từ ngày 15 tháng trước


class PeriodScheme(StrEnum):
    ND09 = "nd09"
    CALENDAR = "calendar"


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    YEAR = "year"


_ROMAN = ("I", "II", "III", "IV")
_NAMES = {
    "vi": {
        PeriodKind.QUARTER: "Quý {roman}/{year}",
        PeriodKind.MONTH: "Tháng {number:02d}/{year}",
        PeriodKind.YEAR: "Năm {year}",
    },
    "en": {
        PeriodKind.QUARTER: "Q{number} {year}",
        PeriodKind.MONTH: "{number:02d}/{year}",
        PeriodKind.YEAR: "Year {year}",
    },
}
_PATTERNS = {
    PeriodKind.QUARTER: re.compile(r"(\d{4})-Q([1-4])"),
    PeriodKind.MONTH: re.compile(r"(\d{4})-(0[1-9]|1[0-2])"),
    PeriodKind.YEAR: re.compile(r"(\d{4})"),
}


def _month_start(year: int, month: int) -> date:
    """First day of ``month`` of ``year``; months outside 1–12 roll into the next/previous year."""
    year, index = divmod(year * 12 + month - 1, 12)
    return date(year, index + 1, 1)


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    year: int
    number: int  # the quarter (1–4) or month (1–12); 1 for a year
    scheme: PeriodScheme

    @property
    def name(self) -> str:
        if self.kind is PeriodKind.QUARTER:
            return f"{self.year}-Q{self.number}"
        if self.kind is PeriodKind.MONTH:
            return f"{self.year}-{self.number:02d}"
        return str(self.year)

    def _months(self) -> tuple[int, int]:
        """(first month, months long) of the calendar period the name stands for."""
        if self.kind is PeriodKind.QUARTER:
            return 3 * self.number - 2, 3
        if self.kind is PeriodKind.MONTH:
            return self.number, 1
        return 1, 12

    @property
    def first_day(self) -> date:
        first, _ = self._months()
        if self.scheme is PeriodScheme.ND09:
            return _month_start(self.year, first - 1).replace(day=CUTOFF_DAY)
        return _month_start(self.year, first)

    @property
    def last_day(self) -> date:
        first, length = self._months()
        after = _month_start(self.year, first + length)
        if self.scheme is PeriodScheme.ND09:
            return _month_start(self.year, first + length - 1).replace(day=CUTOFF_DAY - 1)
        return after - timedelta(days=1)

    def contains(self, day: date) -> bool:
        return self.first_day <= day <= self.last_day

    def label(self, locale: str, *, bounds: bool = True) -> str:
        """ "Quý I/2026 (15/12/2025 – 14/03/2026)" — the bounds shown, since two schemes
        exist; without them ("Quý I/2026") where space is short."""
        name = _NAMES[locale][self.kind].format(
            roman=_ROMAN[self.number - 1], number=self.number, year=self.year
        )
        if not bounds:
            return name
        return f"{name} ({self.first_day:%d/%m/%Y} – {self.last_day:%d/%m/%Y})"

    @property
    def label_vi(self) -> str:
        return self.label("vi")

    @property
    def label_en(self) -> str:
        return self.label("en")


def parse_period(text: str, scheme: PeriodScheme) -> Period:
    """``"2026-Q1"``, ``"2026-03"`` or ``"2026"``; ValueError on anything else."""
    value = text.strip().upper()
    for kind, pattern in _PATTERNS.items():
        match = pattern.fullmatch(value)
        if match:
            year = int(match.group(1))
            number = int(match.group(2)) if kind is not PeriodKind.YEAR else 1
            if not 1900 <= year <= 2999:
                break
            return Period(kind, year, number, scheme)
    raise ValueError(f"not a reporting period: {text!r} (2026-Q1, 2026-03 or 2026)")


def period_of(day: date, kind: PeriodKind, scheme: PeriodScheme) -> Period:
    """The period of ``kind`` that contains ``day``: under ``nd09`` a day on or after the
    15th already belongs to the next month's period (15/12/2025 is in Q1/2026)."""
    year, month = day.year, day.month
    if scheme is PeriodScheme.ND09 and day.day >= CUTOFF_DAY:
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    if kind is PeriodKind.QUARTER:
        return Period(kind, year, (month - 1) // 3 + 1, scheme)
    if kind is PeriodKind.MONTH:
        return Period(kind, year, month, scheme)
    return Period(kind, year, 1, scheme)


def period_labels(
    days: pd.Series, kind: PeriodKind, scheme: PeriodScheme
) -> npt.NDArray[np.object_]:
    """``period_of(d).name`` for a whole column of dates (datetime64, naive local days)."""
    values = pd.to_datetime(days)
    year = values.dt.year.to_numpy(dtype=np.int64)
    month = values.dt.month.to_numpy(dtype=np.int64)
    if scheme is PeriodScheme.ND09:
        shift = values.dt.day.to_numpy(dtype=np.int64) >= CUTOFF_DAY
        index = year * 12 + (month - 1) + shift
        year, month = index // 12, index % 12 + 1
    # Name each distinct month once: a column has a few dozen of them, not a million.
    keys, uniques = pd.factorize(year * 12 + (month - 1))
    first = [date(int(k) // 12, int(k) % 12 + 1, 1) for k in uniques]
    names = [period_of(d, kind, PeriodScheme.CALENDAR).name for d in first]
    return np.array(names, dtype=object)[keys]
