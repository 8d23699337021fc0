"""Reporting periods, checked by hand against NĐ 09/2019/NĐ-CP Điều 12 (thời gian chốt số
liệu: quý từ ngày 15 tháng trước kỳ đến ngày 14 tháng cuối quý; năm từ 15/12 năm trước đến
14/12) and against calendar quarters."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from congvu.rules.periods import (
    Period,
    PeriodKind,
    PeriodScheme,
    parse_period,
    period_labels,
    period_of,
)
from hypothesis import given
from hypothesis import strategies as st

ND09, CAL = PeriodScheme.ND09, PeriodScheme.CALENDAR
Q, M, Y = PeriodKind.QUARTER, PeriodKind.MONTH, PeriodKind.YEAR


@pytest.mark.parametrize(
    ("name", "scheme", "first", "last"),
    [
        # NĐ 09/2019 Điều 12.1: Q1 = 15/12 năm trước – 14/03
        ("2026-Q1", ND09, date(2025, 12, 15), date(2026, 3, 14)),
        ("2026-Q2", ND09, date(2026, 3, 15), date(2026, 6, 14)),
        ("2026-Q3", ND09, date(2026, 6, 15), date(2026, 9, 14)),
        ("2026-Q4", ND09, date(2026, 9, 15), date(2026, 12, 14)),
        # tháng: 15 tháng trước – 14 tháng này; tháng 1 bắt đầu từ 15/12 năm trước
        ("2026-01", ND09, date(2025, 12, 15), date(2026, 1, 14)),
        ("2026-03", ND09, date(2026, 2, 15), date(2026, 3, 14)),
        # năm: 15/12 năm trước – 14/12
        ("2026", ND09, date(2025, 12, 15), date(2026, 12, 14)),
        # quý theo lịch
        ("2026-Q1", CAL, date(2026, 1, 1), date(2026, 3, 31)),
        ("2024-Q1", CAL, date(2024, 1, 1), date(2024, 3, 31)),
        ("2026-Q4", CAL, date(2026, 10, 1), date(2026, 12, 31)),
        ("2024-02", CAL, date(2024, 2, 1), date(2024, 2, 29)),  # năm nhuận
        ("2025-02", CAL, date(2025, 2, 1), date(2025, 2, 28)),
        ("2026-12", CAL, date(2026, 12, 1), date(2026, 12, 31)),
        ("2026", CAL, date(2026, 1, 1), date(2026, 12, 31)),
    ],
)
def test_bounds(name: str, scheme: PeriodScheme, first: date, last: date) -> None:
    period = parse_period(name, scheme)
    assert (period.first_day, period.last_day) == (first, last)
    assert period.name == name
    assert period.contains(first) and period.contains(last)
    assert not period.contains(first - timedelta(days=1))
    assert not period.contains(last + timedelta(days=1))


@pytest.mark.parametrize(
    ("day", "kind", "scheme", "name"),
    [
        (date(2025, 12, 14), Q, ND09, "2025-Q4"),
        (date(2025, 12, 15), Q, ND09, "2026-Q1"),  # số liệu từ 15/12 vào quý I năm sau
        (date(2026, 3, 14), Q, ND09, "2026-Q1"),
        (date(2026, 3, 15), Q, ND09, "2026-Q2"),
        (date(2025, 12, 15), Q, CAL, "2025-Q4"),
        (date(2026, 3, 31), Q, CAL, "2026-Q1"),
        (date(2026, 4, 1), Q, CAL, "2026-Q2"),
        (date(2026, 1, 14), M, ND09, "2026-01"),
        (date(2026, 1, 15), M, ND09, "2026-02"),
        (date(2025, 12, 31), M, ND09, "2026-01"),
        (date(2025, 12, 31), M, CAL, "2025-12"),
        (date(2025, 12, 15), Y, ND09, "2026"),
        (date(2025, 12, 14), Y, ND09, "2025"),
        (date(2025, 12, 31), Y, CAL, "2025"),
    ],
)
def test_period_of(day: date, kind: PeriodKind, scheme: PeriodScheme, name: str) -> None:
    assert period_of(day, kind, scheme).name == name
    assert period_of(day, kind, scheme).contains(day)


@pytest.mark.parametrize(
    ("name", "scheme", "vi", "en"),
    [
        ("2026-Q1", ND09, "Quý I/2026", "Q1 2026"),
        ("2026-Q4", CAL, "Quý IV/2026", "Q4 2026"),
        ("2026-02", ND09, "Tháng 02/2026", "02/2026"),
        ("2026", ND09, "Năm 2026", "Year 2026"),
    ],
)
def test_labels(name: str, scheme: PeriodScheme, vi: str, en: str) -> None:
    period = parse_period(name, scheme)
    bounds = f" ({period.first_day:%d/%m/%Y} – {period.last_day:%d/%m/%Y})"
    assert (period.label_vi, period.label_en) == (vi + bounds, en + bounds)
    assert (period.label("vi", bounds=False), period.label("en", bounds=False)) == (vi, en)
    assert parse_period("2026-Q1", ND09).label_vi == "Quý I/2026 (15/12/2025 – 14/03/2026)"


@pytest.mark.parametrize(
    "text", ["", "2026-Q5", "2026-Q0", "2026-13", "2026-00", "26-Q1", "Q1-2026", "0999", "2026-1"]
)
def test_parse_refuses(text: str) -> None:
    with pytest.raises(ValueError, match="not a reporting period"):
        parse_period(text, ND09)


def test_parse_accepts_lower_case_and_spaces() -> None:
    assert parse_period(" 2026-q2 ", CAL) == Period(Q, 2026, 2, CAL)


@given(
    day=st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)),
    kind=st.sampled_from(list(PeriodKind)),
    scheme=st.sampled_from(list(PeriodScheme)),
)
def test_periods_tile_the_calendar(day: date, kind: PeriodKind, scheme: PeriodScheme) -> None:
    """Every day is in exactly one period of a kind: the one before ends the day before."""
    period = period_of(day, kind, scheme)
    assert period.contains(day)
    after = period_of(period.last_day + timedelta(days=1), kind, scheme)
    assert after.first_day == period.last_day + timedelta(days=1)
    assert after != period


def test_column_labels_match_scalar() -> None:
    days = [date(2025, 12, 14), date(2025, 12, 15), date(2026, 3, 14), date(2026, 3, 15)]
    column = pd.Series(pd.to_datetime(days))
    for kind in PeriodKind:
        for scheme in PeriodScheme:
            expected = [period_of(d, kind, scheme).name for d in days]
            assert period_labels(column, kind, scheme).tolist() == expected
    assert period_labels(pd.Series([], dtype="datetime64[ns]"), Q, ND09).tolist() == []
