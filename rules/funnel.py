"""Hiệu chuẩn giữa các đoàn: a team's violation rate against the province's on a
funnel plot (binomial control limits), so a lenient or harsh team shows.

For a team that checked ``n`` people and found ``x`` of them in violation, the rate
p = x/n is compared with the province's p0 = Σx/Σn. Under "every team judges alike",
p lies within p0 ± z·√(p0(1−p0)/n) (clipped to [0, 1]) 95% of the time for z = 1.96
and 99.8% for z = 3.09; a team outside the 99.8% limits is flagged as stricter
(nghiêm hơn) or more lenient (nhẹ hơn) than the common standard (mặt bằng chung).
Worked figures are in ``tests/rules/test_funnel.py``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from math import sqrt

Z_95 = 1.959964
Z_998 = 3.090232


@dataclass(frozen=True)
class Limits:
    low: float
    high: float


class Standing(StrEnum):
    WITHIN = "within"  # trong mặt bằng chung
    STRICTER = "stricter"  # nghiêm hơn mặt bằng chung
    LENIENT = "lenient"  # nhẹ hơn mặt bằng chung


def control_limits(p0: float, n: int, z: float) -> Limits:
    """p0 ± z·√(p0(1−p0)/n), clipped to [0, 1]."""
    if n <= 0:
        raise ValueError("n must be positive")
    if not 0.0 <= p0 <= 1.0:
        raise ValueError("p0 must be a proportion")
    half = z * sqrt(p0 * (1.0 - p0) / n)
    return Limits(max(0.0, p0 - half), min(1.0, p0 + half))


def standing(x: int, n: int, p0: float) -> Standing:
    """Where a team with ``x`` violations among ``n`` people checked stands against
    the 99.8% limits around ``p0``."""
    if not 0 <= x <= n:
        raise ValueError("x must be between 0 and n")
    limits = control_limits(p0, n, Z_998)
    rate = x / n
    if rate > limits.high:
        return Standing.STRICTER
    if rate < limits.low:
        return Standing.LENIENT
    return Standing.WITHIN
