"""Exact numbers in and out of JSON text: fractions are stored as decimal text when they
have one ("2.5") and as "p/q" otherwise, so a locked snapshot reads back exactly."""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from congvu.inspect.errors import Invalid


def number_text(value: Fraction) -> str:
    """ "2.5", "90", or "161/3" for a fraction without a short decimal."""
    for places in range(0, 5):
        scaled = value * 10**places
        if scaled.denominator == 1:
            return str(Decimal(scaled.numerator).scaleb(-places))
    return f"{value.numerator}/{value.denominator}"


def rounded(value: Fraction) -> float:
    """For display and JSON readers: two decimals."""
    return round(float(value), 2)


def parse_number(text: str, field: str) -> Fraction:
    """A number a user typed ("8,5" or "8.5"); a clear error naming the field otherwise."""
    cleaned = text.strip().replace(",", ".")
    try:
        if "/" in cleaned:
            return Fraction(cleaned)
        return Fraction(Decimal(cleaned))
    except (InvalidOperation, ValueError, ZeroDivisionError):
        raise Invalid("Nhập một số (ví dụ 8,5).", field=field) from None


def parse_numbers(values: Mapping[str, str]) -> dict[str, Fraction]:
    return {k: parse_number(v, k) for k, v in values.items()}
