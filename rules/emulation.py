"""Bình xét thi đua: which emulation titles a person or a collective may be proposed for.

Luật Thi đua, khen thưởng 06/2022/QH15 (from 01/01/2024) with NĐ 98/2023/NĐ-CP, replaced by
NĐ 152/2025/NĐ-CP from 01/07/2025 (pack topic ``emulation``, picked by the period's end).

The chain: Lao động tiên tiến (LĐTT: rated HTT or better and the conduct criteria) →
Chiến sĩ thi đua cơ sở (CSTĐCS: LĐTT plus HTXS, a recognised initiative or an accepted research
project, and >= 80% of the council's members) → collective titles built on members' titles.

Blockers (NĐ 152 Art. 4): an open discipline case, an inspection with signs of violation, a
complaint or press allegation under verification. After discipline, achievements count only
from the end of the discipline period, so a period any day of which falls inside it yields no
title for that period.

No national cap on CSTĐCS: the 15%-of-LĐTT cap came from NĐ 91/2017, which expired on
01/01/2024. A province or unit may still set one; pass it as ``cap_percent``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction
from math import floor

from congvu.rules.discipline import Form
from congvu.rules.packs import RulePack, RuleRef, pack_for
from congvu.rules.packs import format_date as _d
from congvu.rules.rating import Level


class Title(StrEnum):
    LDTT = "LDTT"
    CSTDCS = "CSTDCS"
    TAP_THE_LDTT = "TAP_THE_LDTT"
    TAP_THE_LDXS = "TAP_THE_LDXS"

    @property
    def label_vi(self) -> str:
        return _TITLE_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _TITLE_LABELS[self][1]


_TITLE_LABELS = {
    Title.LDTT: ("Lao động tiên tiến", "Advanced Worker"),
    Title.CSTDCS: ("Chiến sĩ thi đua cơ sở", "Grassroots Emulation Fighter"),
    Title.TAP_THE_LDTT: ("Tập thể lao động tiên tiến", "Advanced Collective"),
    Title.TAP_THE_LDXS: ("Tập thể lao động xuất sắc", "Excellent Collective"),
}


class Reason(StrEnum):
    """Why a title is not (yet) available."""

    NOT_RATED = "NOT_RATED"
    RATING_TOO_LOW = "RATING_TOO_LOW"
    CONDUCT = "CONDUCT"
    OPEN_DISCIPLINE_CASE = "OPEN_DISCIPLINE_CASE"
    INSPECTION_WITH_SIGNS = "INSPECTION_WITH_SIGNS"
    COMPLAINT_VERIFICATION = "COMPLAINT_VERIFICATION"
    DISCIPLINE_PERIOD = "DISCIPLINE_PERIOD"
    NOT_LDTT = "NOT_LDTT"
    NO_ACHIEVEMENT = "NO_ACHIEVEMENT"
    VOTE_TOO_LOW = "VOTE_TOO_LOW"
    MOVEMENT = "MOVEMENT"
    LDTT_SHARE = "LDTT_SHARE"
    MEMBER_DISCIPLINED = "MEMBER_DISCIPLINED"
    MEMBER_BELOW_HTNV = "MEMBER_BELOW_HTNV"
    NO_CSTDCS = "NO_CSTDCS"


@dataclass(frozen=True)
class EmulationPeriod:
    """The span whose achievements are reviewed (usually a calendar year)."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")

    @classmethod
    def year(cls, year: int) -> EmulationPeriod:
        return cls(date(year, 1, 1), date(year, 12, 31))

    def __str__(self) -> str:
        return f"{_d(self.start)}–{_d(self.end)}"


@dataclass(frozen=True)
class Standing:
    """Blocking facts at review time, for a person or a collective.

    ``discipline_ends_on``: last day of the latest discipline period (see
    ``discipline.decision_effect``), or None."""

    open_discipline_case: bool = False
    inspection_with_signs: bool = False
    complaint_verification: bool = False
    discipline_ends_on: date | None = None


@dataclass(frozen=True)
class Individual:
    """``conduct``: the LĐTT conduct criteria other than the rating (abides by policy and
    law, self-reliance, solidarity, takes part in emulation movements), as judged."""

    person_id: str
    rating: Level | None
    conduct: bool = True
    initiative_recognised: bool = False
    research_accepted: bool = False
    female: bool = False
    standing: Standing = Standing()


@dataclass(frozen=True)
class Member:
    """A member of a collective: level, titles of the period, heaviest discipline in it.
    Members not rated for the period (``rating`` None) are left out of every percentage."""

    person_id: str
    rating: Level | None
    ldtt: bool
    cstdcs: bool = False
    discipline: Form | None = None


@dataclass(frozen=True)
class Collective:
    """``movement``: regular, effective emulation movement and internal solidarity."""

    unit_id: str
    rating: Level | None
    members: tuple[Member, ...]
    movement: bool = True
    standing: Standing = Standing()


@dataclass(frozen=True)
class TitleVerdict:
    """``eligible`` means the criteria hold; for CSTĐCS without a vote yet, ``awaiting_vote``
    is True and the council's ballot still decides."""

    title: Title
    subject_id: str
    eligible: bool
    awaiting_vote: bool
    reasons: tuple[Reason, ...]
    rule: RuleRef
    explanation_vi: str
    explanation_en: str


def emulation_pack(period: EmulationPeriod) -> RulePack:
    return pack_for("emulation", period.end)


def _source(pack: RulePack) -> str:
    return "; ".join(b.document for b in pack.legal_basis[:2])


_REASON_TEXT: dict[Reason, tuple[str, str]] = {
    Reason.NOT_RATED: ("chưa được đánh giá, xếp loại", "not rated"),
    Reason.RATING_TOO_LOW: ("mức xếp loại chưa đạt", "rating too low"),
    Reason.CONDUCT: (
        "chưa đạt tiêu chuẩn chấp hành, đoàn kết, tham gia phong trào",
        "conduct criteria not met",
    ),
    Reason.OPEN_DISCIPLINE_CASE: ("đang bị xem xét xử lý kỷ luật", "under disciplinary review"),
    Reason.INSPECTION_WITH_SIGNS: (
        "đang bị thanh tra, kiểm tra có dấu hiệu vi phạm",
        "under inspection with signs of violation",
    ),
    Reason.COMPLAINT_VERIFICATION: (
        "đang xác minh đơn thư khiếu nại, tố cáo hoặc phản ánh",
        "a complaint or allegation is being verified",
    ),
    Reason.DISCIPLINE_PERIOD: ("đang trong thời gian kỷ luật", "inside a discipline period"),
    Reason.NOT_LDTT: ("chưa đạt danh hiệu Lao động tiên tiến", "not an Advanced Worker"),
    Reason.NO_ACHIEVEMENT: (
        "không có mức Hoàn thành xuất sắc nhiệm vụ, sáng kiến được công nhận hoặc đề tài "
        "nghiên cứu được nghiệm thu",
        "no excellent rating, recognised initiative or accepted research project",
    ),
    Reason.VOTE_TOO_LOW: ("số phiếu đồng ý của Hội đồng chưa đủ", "council vote below threshold"),
    Reason.MOVEMENT: (
        "chưa có phong trào thi đua thường xuyên, nội bộ chưa đoàn kết",
        "no regular emulation movement or internal solidarity",
    ),
    Reason.LDTT_SHARE: (
        "tỷ lệ cá nhân đạt Lao động tiên tiến chưa đủ",
        "too few members are Advanced Workers",
    ),
    Reason.MEMBER_DISCIPLINED: (
        "có cá nhân bị kỷ luật từ hình thức cảnh cáo trở lên",
        "a member was disciplined at warning or above",
    ),
    Reason.MEMBER_BELOW_HTNV: (
        "có cá nhân không hoàn thành nhiệm vụ",
        "a member did not perform satisfactorily",
    ),
    Reason.NO_CSTDCS: (
        "không có cá nhân đạt Chiến sĩ thi đua cơ sở",
        "no member is a Grassroots Emulation Fighter",
    ),
}


def _blockers(standing: Standing, period: EmulationPeriod) -> list[Reason]:
    found = []
    if standing.open_discipline_case:
        found.append(Reason.OPEN_DISCIPLINE_CASE)
    if standing.inspection_with_signs:
        found.append(Reason.INSPECTION_WITH_SIGNS)
    if standing.complaint_verification:
        found.append(Reason.COMPLAINT_VERIFICATION)
    if standing.discipline_ends_on is not None and standing.discipline_ends_on >= period.start:
        found.append(Reason.DISCIPLINE_PERIOD)
    return found


def _verdict(
    title: Title,
    subject: str,
    period: EmulationPeriod,
    pack: RulePack,
    reasons: list[Reason],
    standing: Standing,
    *,
    awaiting_vote: bool = False,
    extra_vi: str = "",
    extra_en: str = "",
) -> TitleVerdict:
    head_vi = f"{title.label_vi}, kỳ {period}"
    head_en = f"{title.label_en}, period {period}"
    if reasons:
        vi = f"{head_vi}: chưa đủ điều kiện vì " + "; ".join(_REASON_TEXT[r][0] for r in reasons)
        en = f"{head_en}: not eligible: " + "; ".join(_REASON_TEXT[r][1] for r in reasons)
        if Reason.DISCIPLINE_PERIOD in reasons and standing.discipline_ends_on is not None:
            since = standing.discipline_ends_on + timedelta(days=1)
            vi += f" (thành tích chỉ được tính từ ngày {_d(since)})"
            en += f" (achievements count only from {_d(since)})"
    else:
        vi = f"{head_vi}: đủ điều kiện"
        en = f"{head_en}: eligible"
    vi += extra_vi
    en += extra_en
    return TitleVerdict(
        title=title,
        subject_id=subject,
        eligible=not reasons,
        awaiting_vote=awaiting_vote and not reasons,
        reasons=tuple(reasons),
        rule=pack.ref(),
        explanation_vi=f"{vi} ({_source(pack)}).",
        explanation_en=f"{en} ({_source(pack)}).",
    )


def _level(pack: RulePack, key: str) -> Level:
    return Level(pack.parameters[key])


def _ldtt_reasons(pack: RulePack, person: Individual, period: EmulationPeriod) -> list[Reason]:
    reasons = []
    if person.rating is None:
        reasons.append(Reason.NOT_RATED)
    elif not person.rating.at_least(_level(pack, "ldtt_min_level")):
        reasons.append(Reason.RATING_TOO_LOW)
    if not person.conduct:
        reasons.append(Reason.CONDUCT)
    return reasons + _blockers(person.standing, period)


def ldtt(person: Individual, period: EmulationPeriod) -> TitleVerdict:
    """Lao động tiên tiến: HTT or better, the conduct criteria, no blocker."""
    pack = emulation_pack(period)
    reasons = _ldtt_reasons(pack, person, period)
    return _verdict(Title.LDTT, person.person_id, period, pack, reasons, person.standing)


def cstdcs(
    person: Individual,
    period: EmulationPeriod,
    *,
    votes_for: int | None = None,
    council_size: int | None = None,
    vote_percent: int | str | None = None,
) -> TitleVerdict:
    """Chiến sĩ thi đua cơ sở (Law Art. 23): LĐTT + (HTXS or a recognised initiative or an
    accepted research project), then >= 80% of the council's total members (not of those
    present). Without ``votes_for``/``council_size`` the verdict awaits the vote.
    ``vote_percent`` replaces the pack's threshold (a province's setting, or the what-if)."""
    pack = emulation_pack(period)
    reasons = [Reason.NOT_LDTT] if _ldtt_reasons(pack, person, period) else []
    reasons += [r for r in _blockers(person.standing, period) if r not in reasons]
    if not (
        person.rating is Level.HTXS or person.initiative_recognised or person.research_accepted
    ):
        reasons.append(Reason.NO_ACHIEVEMENT)
    threshold = _fraction(
        pack.parameters["cstdcs_vote_percent"] if vote_percent is None else vote_percent
    )
    awaiting = votes_for is None or council_size is None
    if votes_for is not None and council_size is not None:
        if council_size < 1 or not 0 <= votes_for <= council_size:
            raise ValueError(f"{votes_for} votes for out of a council of {council_size}")
        if 100 * votes_for < threshold * council_size:
            reasons.append(Reason.VOTE_TOO_LOW)
        extra_vi = f"; {votes_for}/{council_size} thành viên Hội đồng đồng ý (cần ≥ {threshold}%)"
        extra_en = f"; {votes_for}/{council_size} council members in favour (needs ≥ {threshold}%)"
    else:
        extra_vi = f"; còn chờ Hội đồng bỏ phiếu (cần ≥ {threshold}% tổng số thành viên)"
        extra_en = f"; awaiting the council vote (needs ≥ {threshold}% of all members)"
    return _verdict(
        Title.CSTDCS,
        person.person_id,
        period,
        pack,
        reasons,
        person.standing,
        awaiting_vote=awaiting,
        extra_vi=extra_vi,
        extra_en=extra_en,
    )


def _fraction(value: int | float | str) -> Fraction:
    return Fraction(str(value))


def _collective_reasons(
    pack: RulePack, unit: Collective, period: EmulationPeriod, min_level: Level
) -> tuple[list[Reason], list[Member], int]:
    if not unit.members:
        raise ValueError(f"collective {unit.unit_id} has no members")
    reasons = []
    if unit.rating is None:
        reasons.append(Reason.NOT_RATED)
    elif not unit.rating.at_least(min_level):
        reasons.append(Reason.RATING_TOO_LOW)
    if not unit.movement:
        reasons.append(Reason.MOVEMENT)
    rated = [m for m in unit.members if m.rating is not None]
    share = _fraction(pack.parameters["collective_ldtt_min_percent"])
    ldtt_count = sum(1 for m in rated if m.ldtt)
    if not rated or 100 * ldtt_count < share * len(rated):
        reasons.append(Reason.LDTT_SHARE)
    allowed = pack.parameters["collective_member_discipline_max"]
    if any(m.discipline is not None and m.discipline != allowed for m in unit.members):
        reasons.append(Reason.MEMBER_DISCIPLINED)
    return reasons + _blockers(unit.standing, period), rated, ldtt_count


def _share_text(ldtt_count: int, rated: int, pack: RulePack) -> tuple[str, str]:
    need = pack.parameters["collective_ldtt_min_percent"]
    return (
        f"; {ldtt_count}/{rated} cá nhân đạt Lao động tiên tiến (cần ≥ {need}%)",
        f"; {ldtt_count}/{rated} members are Advanced Workers (needs ≥ {need}%)",
    )


def tap_the_ldtt(unit: Collective, period: EmulationPeriod) -> TitleVerdict:
    """Tập thể lao động tiên tiến: HTT or better, >= 70% of members LĐTT, no member
    disciplined at cảnh cáo or above, a regular emulation movement, no blocker."""
    pack = emulation_pack(period)
    reasons, rated, count = _collective_reasons(
        pack, unit, period, _level(pack, "collective_ldtt_min_level")
    )
    vi, en = _share_text(count, len(rated), pack)
    return _verdict(
        Title.TAP_THE_LDTT,
        unit.unit_id,
        period,
        pack,
        reasons,
        unit.standing,
        extra_vi=vi,
        extra_en=en,
    )


def tap_the_ldxs(unit: Collective, period: EmulationPeriod) -> TitleVerdict:
    """Tập thể lao động xuất sắc: HTXS, 100% of members at least HTNV, >= 70% LĐTT, at least
    one CSTĐCS, and the Tập thể LĐTT conditions on discipline, movement and blockers."""
    pack = emulation_pack(period)
    reasons, rated, count = _collective_reasons(
        pack, unit, period, _level(pack, "collective_ldxs_min_level")
    )
    floor_level = _level(pack, "collective_ldxs_members_min_level")
    if any(not m.rating.at_least(floor_level) for m in rated if m.rating is not None):
        reasons.append(Reason.MEMBER_BELOW_HTNV)
    if not any(m.cstdcs for m in unit.members):
        reasons.append(Reason.NO_CSTDCS)
    vi, en = _share_text(count, len(rated), pack)
    return _verdict(
        Title.TAP_THE_LDXS,
        unit.unit_id,
        period,
        pack,
        reasons,
        unit.standing,
        extra_vi=vi,
        extra_en=en,
    )


# --- optional CSTĐCS cap ---------------------------------------------------------------------


@dataclass(frozen=True)
class CapCandidate:
    """An eligible CSTĐCS nominee with the council's vote."""

    person: Individual
    votes_for: int
    council_size: int


@dataclass(frozen=True)
class CapVerdict:
    selected: tuple[str, ...]  # person ids, best first
    not_selected: tuple[str, ...]
    limit: int | None  # None: no cap
    rule: RuleRef
    explanation_vi: str
    explanation_en: str


def apply_cstdcs_cap(
    candidates: Iterable[CapCandidate],
    *,
    ldtt_count: int,
    period: EmulationPeriod,
    cap_percent: int | float | str | None = None,
) -> CapVerdict:
    """Keep at most ``cap_percent`` of ``ldtt_count`` CSTĐCS, rounded down ("không quá").

    No cap by default (the pack's ``cstdcs_cap_percent_of_ldtt`` is null). Order: vote share
    descending, then HTXS before others, then women first (the decree prefers women when
    achievements are equal), then person id, so the result never depends on input order."""
    pack = emulation_pack(period)
    pool = list(candidates)
    pct = pack.parameters["cstdcs_cap_percent_of_ldtt"] if cap_percent is None else cap_percent
    pool.sort(
        key=lambda c: (
            -Fraction(c.votes_for, c.council_size),
            c.person.rating is not Level.HTXS,
            not c.person.female,
            c.person.person_id,
        )
    )
    ids = tuple(c.person.person_id for c in pool)
    if pct is None:
        return CapVerdict(
            selected=ids,
            not_selected=(),
            limit=None,
            rule=pack.ref(),
            explanation_vi=(
                f"Không giới hạn số Chiến sĩ thi đua cơ sở (tỷ lệ 15% của Nghị định 91/2017/NĐ-CP "
                f"hết hiệu lực từ 01/01/2024); {len(ids)} người được đề nghị ({_source(pack)})."
            ),
            explanation_en=(
                f"No cap on Grassroots Emulation Fighters (the 15% of Decree 91/2017 expired on "
                f"01/01/2024); {len(ids)} proposed ({_source(pack)})."
            ),
        )
    limit = floor(_fraction(pct) * ldtt_count / 100)
    return CapVerdict(
        selected=ids[:limit],
        not_selected=ids[limit:],
        limit=limit,
        rule=pack.ref(),
        explanation_vi=(
            f"Hạn mức Chiến sĩ thi đua cơ sở theo quy định của địa phương: không quá {pct}% của "
            f"{ldtt_count} Lao động tiên tiến, tức {limit} người; xếp theo tỷ lệ phiếu, mức "
            f"Hoàn thành xuất sắc nhiệm vụ, ưu tiên nữ, mã người ({_source(pack)})."
        ),
        explanation_en=(
            f"Local cap on Grassroots Emulation Fighters: at most {pct}% of {ldtt_count} Advanced "
            f"Workers, i.e. {limit}; ordered by vote share, excellent rating, women first, "
            f"person id ({_source(pack)})."
        ),
    )
