"""Funnel-plot limits, computed by hand: p0 ± z·√(p0(1−p0)/n), clipped to [0, 1]
(z = 1.959964 for 95%, 3.090232 for 99.8%)."""

from __future__ import annotations

import pytest
from congvu.rules.funnel import Z_95, Z_998, Standing, control_limits, standing


@pytest.mark.parametrize(
    ("p0", "n", "z", "low", "high"),
    [
        # √(0.1·0.9/100) = 0.03; 1.959964·0.03 = 0.0587989
        (0.10, 100, Z_95, 0.0412011, 0.1587989),
        # 3.090232·0.03 = 0.0927070
        (0.10, 100, Z_998, 0.0072930, 0.1927070),
        # √(0.2·0.8/25) = 0.08; 1.959964·0.08 = 0.1567971
        (0.20, 25, Z_95, 0.0432029, 0.3567971),
        # 3.090232·0.08 = 0.2472186: the low limit is below 0, clipped
        (0.20, 25, Z_998, 0.0, 0.4472186),
        # √(0.25/4) = 0.25; 3.090232·0.25 = 0.7725580: clipped both sides
        (0.50, 4, Z_998, 0.0, 1.0),
        # nobody in violation anywhere: no spread
        (0.0, 10, Z_95, 0.0, 0.0),
    ],
)
def test_control_limits(p0: float, n: int, z: float, low: float, high: float) -> None:
    limits = control_limits(p0, n, z)
    assert limits.low == pytest.approx(low, abs=1e-7)
    assert limits.high == pytest.approx(high, abs=1e-7)


@pytest.mark.parametrize(
    ("x", "n", "p0", "expected"),
    [
        (20, 100, 0.10, Standing.STRICTER),  # 0.20 > 0.1927
        (19, 100, 0.10, Standing.WITHIN),  # 0.19 ≤ 0.1927
        (1, 100, 0.10, Standing.WITHIN),  # 0.01 ≥ 0.0073
        (0, 100, 0.10, Standing.LENIENT),  # 0.00 < 0.0073
        (0, 25, 0.20, Standing.WITHIN),  # the low limit is clipped to 0
    ],
)
def test_standing(x: int, n: int, p0: float, expected: Standing) -> None:
    assert standing(x, n, p0) is expected


@pytest.mark.parametrize(("x", "n", "p0"), [(1, 0, 0.1), (5, 4, 0.1), (-1, 4, 0.1), (1, 4, 1.5)])
def test_refuses_impossible_counts(x: int, n: int, p0: float) -> None:
    with pytest.raises(ValueError):
        standing(x, n, p0)


def test_limits_need_people_checked() -> None:
    with pytest.raises(ValueError):
        control_limits(0.1, 0, Z_95)
