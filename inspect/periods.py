"""Reporting periods as services use them: the organisation's scheme
(``CONGVU_REPORT_PERIODS``) and the parsing of a period a user typed. The pure part
(bounds, labels, the NĐ 09/2019 cut-off on the 15th) is ``congvu.rules.periods``."""

from __future__ import annotations

from congvu.inspect.errors import Invalid
from congvu.inspect.settings import get_settings
from congvu.rules.periods import Period, PeriodScheme, parse_period


def report_scheme() -> PeriodScheme:
    """The organisation's reporting periods: ``nd09`` (Q1 = 15/12 – 14/03) or
    ``calendar`` (Q1 = 01/01 – 31/03)."""
    return PeriodScheme(get_settings().report_periods)


def parse_report_period(text: str) -> Period:
    """ "2026-Q1", "2026-03" or "2026" under the organisation's scheme; a clear error
    naming the field otherwise."""
    try:
        return parse_period(text, report_scheme())
    except ValueError:
        raise Invalid(
            "Kỳ không hợp lệ (ví dụ 2026-Q1, 2026-03 hoặc 2026).", field="period"
        ) from None
