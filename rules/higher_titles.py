"""Chiến sĩ thi đua cấp tỉnh (Luật Thi đua, khen thưởng 06/2022/QH15 Điều 22): whom the
records let the council consider. Điều 22.1 asks for (a) a person chosen among those with
``cstd_tinh_cstdcs_years`` (03) consecutive Chiến sĩ thi đua cơ sở titles and (b) an
initiative (or research work) applied with effect and replicable across the province; the
head of the province recognises that effect and scope (Điều 22.2). The records show the
CSTĐCS years; they cannot show (b), so a person with the streak is offered as "cần xác
nhận" with (b) named, never as meeting the title. The council's 90% vote still decides.

Pure: the years come from the caller (awards received, this year's CSTĐCS proposal)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from congvu.rules.emulation import EmulationPeriod, emulation_pack
from congvu.rules.packs import RuleRef

TITLE_VI = "Chiến sĩ thi đua cấp tỉnh"
TITLE_EN = "Provincial Emulation Fighter"
INITIATIVE_SCOPE_VI = (
    "sáng kiến (hoặc đề tài khoa học) được áp dụng hiệu quả, có khả năng nhân rộng trong tỉnh, "
    "do Chủ tịch UBND tỉnh công nhận"
)
INITIATIVE_SCOPE_EN = (
    "an initiative (or research work) applied with effect and replicable across the province, "
    "recognised by the provincial chairman"
)


@dataclass(frozen=True)
class HigherCandidate:
    """``offered``: the CSTĐCS streak is long enough, so the council may consider the
    person once ``to_confirm_vi`` is confirmed by hand; never eligible by itself."""

    subject_id: str
    streak: tuple[int, ...]  # consecutive CSTĐCS years ending with the period's year
    needed: int
    offered: bool
    to_confirm_vi: tuple[str, ...]
    rule: RuleRef
    explanation_vi: str
    explanation_en: str


def cstdcs_streak(years: Iterable[int], last: int) -> tuple[int, ...]:
    """The consecutive years ending with ``last`` that are in ``years``, oldest first."""
    have = set(years)
    run: list[int] = []
    year = last
    while year in have:
        run.append(year)
        year -= 1
    return tuple(reversed(run))


def cstd_tinh(
    subject_id: str, cstdcs_years: Iterable[int], period: EmulationPeriod
) -> HigherCandidate:
    """``cstdcs_years``: the years the person was (or, for the period's own year, is proposed
    to be) Chiến sĩ thi đua cơ sở."""
    pack = emulation_pack(period)
    needed = int(pack.parameters["cstd_tinh_cstdcs_years"])
    streak = cstdcs_streak(cstdcs_years, period.end.year)
    listed = ", ".join(str(y) for y in streak)
    source = "Luật Thi đua, khen thưởng 06/2022/QH15 Điều 22"
    if len(streak) >= needed:
        vi = (
            f"{TITLE_VI}: cần xác nhận — đã có {len(streak)} năm liên tục đạt Chiến sĩ thi đua "
            f"cơ sở ({listed}); còn phải xác nhận {INITIATIVE_SCOPE_VI}"
        )
        en = (
            f"{TITLE_EN}: to confirm — {len(streak)} consecutive years as Grassroots Emulation "
            f"Fighter ({listed}); still to confirm {INITIATIVE_SCOPE_EN}"
        )
    else:
        had_vi = f"mới có {len(streak)} ({listed})" if streak else "chưa có năm nào"
        had_en = f"has {len(streak)} ({listed})" if streak else "has none"
        vi = (
            f"{TITLE_VI}: chưa đủ điều kiện — cần {needed} năm liên tục đạt Chiến sĩ thi đua "
            f"cơ sở, {had_vi}"
        )
        en = (
            f"{TITLE_EN}: not eligible — needs {needed} consecutive years as Grassroots "
            f"Emulation Fighter, {had_en}"
        )
    offered = len(streak) >= needed
    return HigherCandidate(
        subject_id=subject_id,
        streak=streak,
        needed=needed,
        offered=offered,
        to_confirm_vi=(INITIATIVE_SCOPE_VI,) if offered else (),
        rule=pack.ref(),
        explanation_vi=f"{vi} ({source}).",
        explanation_en=f"{en} ({source}).",
    )
