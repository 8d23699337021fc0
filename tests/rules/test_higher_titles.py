"""Chiến sĩ thi đua cấp tỉnh offered to the council (rules/README.md, "Emulation"): the
CSTĐCS streak is read from the years given, counted back from the year reviewed; with 03
consecutive years (Luật 06/2022 Điều 22.1.a, the pack's ``cstd_tinh_cstdcs_years``) the
person is offered as "cần xác nhận" with the initiative's provincial scope (Điều 22.1.b)
named, never as eligible."""

from __future__ import annotations

import pytest
from congvu.rules.emulation import EmulationPeriod
from congvu.rules.higher_titles import INITIATIVE_SCOPE_VI, cstd_tinh, cstdcs_streak

Y2026 = EmulationPeriod.year(2026)


@pytest.mark.parametrize(
    ("years", "last", "streak"),
    [
        ((), 2026, ()),
        ((2026,), 2026, (2026,)),
        ((2024, 2025, 2026), 2026, (2024, 2025, 2026)),
        ((2023, 2025, 2026), 2026, (2025, 2026)),  # 2024 missing: the run starts in 2025
        ((2024, 2025), 2026, ()),  # not proposed this year: no run ends in 2026
        ((2022, 2023, 2024, 2025, 2026, 2026), 2026, (2022, 2023, 2024, 2025, 2026)),
    ],
)
def test_the_streak_counts_back_from_the_year_reviewed(
    years: tuple[int, ...], last: int, streak: tuple[int, ...]
) -> None:
    assert cstdcs_streak(years, last) == streak


def test_three_consecutive_years_offer_the_candidate_to_confirm() -> None:
    verdict = cstd_tinh("7", [2024, 2025, 2026], Y2026)
    assert (verdict.offered, verdict.needed, verdict.streak) == (True, 3, (2024, 2025, 2026))
    assert verdict.to_confirm_vi == (INITIATIVE_SCOPE_VI,)
    assert verdict.explanation_vi == (
        "Chiến sĩ thi đua cấp tỉnh: cần xác nhận — đã có 3 năm liên tục đạt Chiến sĩ thi đua "
        "cơ sở (2024, 2025, 2026); còn phải xác nhận sáng kiến (hoặc đề tài khoa học) được áp "
        "dụng hiệu quả, có khả năng nhân rộng trong tỉnh, do Chủ tịch UBND tỉnh công nhận "
        "(Luật Thi đua, khen thưởng 06/2022/QH15 Điều 22)."
    )
    assert verdict.explanation_en.startswith("Provincial Emulation Fighter: to confirm — 3 ")
    assert (verdict.rule.id, verdict.rule.version) == ("emulation", "2025.1")


def test_a_short_streak_is_not_offered_and_says_how_many() -> None:
    two = cstd_tinh("7", [2023, 2025, 2026], Y2026)
    assert (two.offered, two.streak, two.to_confirm_vi) == (False, (2025, 2026), ())
    assert two.explanation_vi == (
        "Chiến sĩ thi đua cấp tỉnh: chưa đủ điều kiện — cần 3 năm liên tục đạt Chiến sĩ thi "
        "đua cơ sở, mới có 2 (2025, 2026) (Luật Thi đua, khen thưởng 06/2022/QH15 Điều 22)."
    )
    assert "has 2 (2025, 2026)" in two.explanation_en
    none = cstd_tinh("8", [], Y2026)
    assert (none.offered, none.streak) == (False, ())
    assert "cần 3 năm liên tục đạt Chiến sĩ thi đua cơ sở, chưa có năm nào" in none.explanation_vi
    assert "has none" in none.explanation_en


def test_the_2024_pack_asks_the_same_three_years() -> None:
    # Luật 06/2022 is in force from 01/01/2024: both emulation packs read Điều 22 alike.
    assert cstd_tinh("7", [2022, 2023, 2024], EmulationPeriod.year(2024)).offered
