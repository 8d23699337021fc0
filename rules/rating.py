"""Đánh giá, xếp loại chất lượng công chức, viên chức: the yearly quality level and the HTXS quota.

* Công chức from 2026: NĐ 335/2025/NĐ-CP, a 100-point score cut into bands (``SCORE`` packs).
* Công chức before 2026 and viên chức: NĐ 90/2020/NĐ-CP as amended by NĐ 48/2023/NĐ-CP,
  criteria-based (``CRITERIA`` packs). The criteria are modelled as counted inputs
  (``CriteriaAssessment``) so that the council's judgment enters as facts and the level
  follows from them.

The pack is the one in force on 31/12 of the assessment year: a 2025 rating done in
January 2026 still follows the 2025 law.

HTXS quota. "Số lượng HTXS không vượt quá 20% số lượng HTT" is read on the final result:
an official demoted from HTXS is rated HTT and so joins the base. Demoting more people than
the final ratio needs has no legal basis, so we keep the most HTXS k with
k <= floor(20% x (HTT + demoted)). Rounding is down because the text says "không vượt quá"
(not exceeding): rounding 20% of 9 = 1.8 up to 2 would exceed it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from math import floor

from congvu.rules.discipline import Category
from congvu.rules.packs import RulePack, RuleRef, pack_for

Number = int | float | Decimal | Fraction


class Level(StrEnum):
    """Quality levels, best first."""

    HTXS = "HTXS"
    HTT = "HTT"
    HTNV = "HTNV"
    KHT = "KHT"

    @property
    def label_vi(self) -> str:
        return _LEVEL_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _LEVEL_LABELS[self][1]

    def at_least(self, other: Level) -> bool:
        return _ORDER.index(self) <= _ORDER.index(other)


_LEVEL_LABELS = {
    Level.HTXS: ("Hoàn thành xuất sắc nhiệm vụ", "Excellent performance"),
    Level.HTT: ("Hoàn thành tốt nhiệm vụ", "Good performance"),
    Level.HTNV: ("Hoàn thành nhiệm vụ", "Satisfactory performance"),
    Level.KHT: ("Không hoàn thành nhiệm vụ", "Unsatisfactory performance"),
}
_ORDER = tuple(Level)


class Cap(StrEnum):
    """Facts that force KHT whatever the score or criteria."""

    DEGRADATION = "DEGRADATION"
    DISCIPLINE = "DISCIPLINE"
    LEADER_UNIT_SANCTIONED = "LEADER_UNIT_SANCTIONED"


_CAP_TEXT = {
    Cap.DEGRADATION: (
        "có kết luận suy thoái về tư tưởng chính trị, đạo đức, lối sống",
        "concluded to show political, ethical or lifestyle degradation",
    ),
    Cap.DISCIPLINE: ("bị xử lý kỷ luật trong năm đánh giá", "disciplined in the assessment year"),
    Cap.LEADER_UNIT_SANCTIONED: (
        "đơn vị do mình phụ trách để xảy ra tham nhũng, lãng phí và bị xử lý",
        "the unit they lead was sanctioned for corruption or waste",
    ),
}


@dataclass(frozen=True)
class Facts:
    """Facts of the year that can cap the level at KHT.

    ``discipline_duty_related``: NĐ 335 (and Luật CBCC 2025 Art. 38.4) count only discipline
    for a duty-related violation; NĐ 90/48 count any discipline, Party or administrative.
    ``discipline_already_counted``: the violation already made a previous year KHT, so the
    later decision is not counted again (NĐ 48/2023)."""

    degradation: bool = False
    disciplined_in_year: bool = False
    discipline_duty_related: bool = True
    discipline_already_counted: bool = False
    leader_unit_sanctioned: bool = False


@dataclass(frozen=True)
class RatingVerdict:
    """``level`` is None when the person is not rated for the year; ``merited`` is the level
    the score or criteria give before caps; ``needs_review`` marks a case the texts do not
    settle, for the council."""

    level: Level | None
    merited: Level | None
    caps: tuple[Cap, ...]
    needs_review: bool
    rule: RuleRef
    explanation_vi: str
    explanation_en: str


def rating_pack(category: Category, year: int) -> RulePack:
    if category is Category.CAN_BO:
        raise ValueError("the quality rating of cán bộ is not encoded (Party rules apply)")
    topic = "rating_vien_chuc" if category is Category.VIEN_CHUC else "rating_cong_chuc"
    return pack_for(topic, date(year, 12, 31))


def _pack(category: Category, year: int, method: str) -> RulePack:
    pack = rating_pack(category, year)
    if pack.parameters["method"] != method:
        raise ValueError(
            f"{pack.label_en} ({pack.id} {pack.version}) rates by {pack.parameters['method']}, "
            f"not {method}"
        )
    return pack


def _caps(pack: RulePack, facts: Facts) -> tuple[Cap, ...]:
    caps = []
    if facts.degradation:
        caps.append(Cap.DEGRADATION)
    counts_discipline = facts.disciplined_in_year and not facts.discipline_already_counted
    if counts_discipline and (
        facts.discipline_duty_related or pack.parameters["discipline_cap"] == "ANY"
    ):
        caps.append(Cap.DISCIPLINE)
    if facts.leader_unit_sanctioned:
        caps.append(Cap.LEADER_UNIT_SANCTIONED)
    return tuple(caps)


def _source(pack: RulePack) -> str:
    return pack.legal_basis[0].document


def _finish(
    pack: RulePack,
    merited: Level,
    facts: Facts,
    vi: list[str],
    en: list[str],
    *,
    needs_review: bool = False,
) -> RatingVerdict:
    caps = _caps(pack, facts)
    level = Level.KHT if caps else merited
    if caps:
        vi.append(
            "Xếp loại Không hoàn thành nhiệm vụ vì "
            + "; ".join(_CAP_TEXT[c][0] for c in caps)
            + "."
        )
        en.append("Rated unsatisfactory because " + "; ".join(_CAP_TEXT[c][1] for c in caps) + ".")
    elif (
        facts.disciplined_in_year
        and not facts.discipline_already_counted
        and not facts.discipline_duty_related
    ):
        vi.append("Kỷ luật không liên quan đến thực thi nhiệm vụ nên không tính khi xếp loại.")
        en.append("The discipline is unrelated to official duties and does not count.")
    elif facts.disciplined_in_year:
        vi.append("Hành vi vi phạm đã được tính khi xếp loại năm trước nên không tính lại.")
        en.append("The violation already counted in a previous year's rating.")
    vi.append(f"Kết quả: {level.label_vi} ({_source(pack)}).")
    en.append(f"Result: {level.label_en} ({_source(pack)}).")
    return RatingVerdict(
        level=level,
        merited=merited,
        caps=caps,
        needs_review=needs_review,
        rule=pack.ref(),
        explanation_vi=" ".join(vi),
        explanation_en=" ".join(en),
    )


# --- NĐ 335/2025: score bands ----------------------------------------------------------------


def _as_fraction(value: Number) -> Fraction:
    # Through str so that 89.99 is 8999/100, not the binary float just below it.
    return Fraction(str(value)) if isinstance(value, float) else Fraction(value)


def band_for_score(score: Number, *, year: int, category: Category = Category.CONG_CHUC) -> Level:
    """The band a score falls in (HTXS >= 90; HTT 70-<90; HTNV 50-<70; KHT < 50), no caps."""
    pack = _pack(category, year, "SCORE")
    return _band(pack, score)


def _band(pack: RulePack, score: Number) -> Level:
    value = _as_fraction(score)
    top = _as_fraction(pack.parameters["max_score"])
    if not 0 <= value <= top:
        raise ValueError(f"score {score} is outside 0–{pack.parameters['max_score']}")
    for band in pack.parameters["bands"]:
        if value >= _as_fraction(band["min"]):
            return Level(band["level"])
    return Level.KHT


def score_text(score: Number, *, decimal_mark: str = ",") -> str:
    """A score as people read it: two decimals at most, trailing zeros dropped, and the
    decimal comma of Vietnamese documents ("85,3", "95", "53,67" for 161/3)."""
    text = f"{float(_as_fraction(score)):.2f}".rstrip("0").rstrip(".")
    return text.replace(".", decimal_mark)


def rate_by_score(
    score: Number,
    *,
    year: int,
    category: Category = Category.CONG_CHUC,
    facts: Facts = Facts(),
    period_vi: str | None = None,
    period_en: str | None = None,
) -> RatingVerdict:
    """Công chức from 2026 (NĐ 335/2025): the yearly score, then the KHT caps.

    ``period_vi``/``period_en`` name the period the score covers when it is not the whole
    year (a quarter's proposal: "Kỳ đến 30/09/2026"); the year is named otherwise."""
    pack = _pack(category, year, "SCORE")
    merited = _band(pack, score)
    vi = [f"{period_vi or f'Năm {year}'}: {score_text(score)} điểm, thuộc mức {merited.label_vi}."]
    en = [
        f"{period_en or f'Year {year}'}: {score_text(score, decimal_mark='.')} points, "
        f"in the band {merited.label_en}."
    ]
    return _finish(pack, merited, facts, vi, en)


# --- NĐ 90/2020 + 48/2023: criteria ----------------------------------------------------------


class General(StrEnum):
    """The common criteria (politics, ethics, style, discipline) as the council judged them."""

    TOT = "TOT"  # done well (thực hiện tốt)
    DAT = "DAT"  # met
    KHONG_DAT = "KHONG_DAT"  # not met


@dataclass(frozen=True)
class LeaderResults:
    """Percentages for a leader: their unit's targets and the levels of its sub-units."""

    unit_targets_completed: Number
    unit_targets_exceeded: Number
    subunits_at_least_htnv: Number
    subunits_htt_or_better: Number


@dataclass(frozen=True)
class CriteriaAssessment:
    """Counted facts for NĐ 90/2020 + 48/2023.

    ``tasks_done_well``: tasks completed on time with quality and effect (of them,
    ``tasks_exceeded`` beyond target); ``tasks_unfinished``: not completed at all.
    ``months_worked``: months actually worked in the year (under 6: not rated, unless the
    absence is maternity leave, which counts as worked); ``leave_months``: sick or unpaid
    leave in the year (3 to under 6 months: rated, but not above HTNV)."""

    general: General
    tasks_assigned: int
    tasks_done_well: int
    tasks_exceeded: int = 0
    tasks_unfinished: int = 0
    months_worked: Number = 12
    leave_months: Number = 0
    maternity: bool = False
    leader: LeaderResults | None = None

    def __post_init__(self) -> None:
        if not (
            0 <= self.tasks_exceeded <= self.tasks_done_well <= self.tasks_assigned
            and 0 <= self.tasks_unfinished <= self.tasks_assigned - self.tasks_done_well
            and self.tasks_assigned >= 1
            and 0 <= self.months_worked <= 12
            and 0 <= self.leave_months <= 12
        ):
            raise ValueError(f"inconsistent task counts: {self}")


def _pct(part: int, whole: int) -> Fraction:
    return Fraction(100 * part, whole)


def _criteria_level(p: Mapping[str, Number], a: CriteriaAssessment) -> tuple[Level, bool]:
    """The highest level whose criteria all hold; (level, needs_review)."""
    done = _pct(a.tasks_done_well, a.tasks_assigned)
    exceeded = _pct(a.tasks_exceeded, a.tasks_assigned)
    shortfall = 100 - done
    unfinished = _pct(a.tasks_unfinished, a.tasks_assigned)
    lead = a.leader

    def lead_ok(**minimums: Number) -> bool:
        return lead is None or all(
            _as_fraction(getattr(lead, name)) >= _as_fraction(m) for name, m in minimums.items()
        )

    if a.general is General.KHONG_DAT or unfinished > _as_fraction(p["kht_unfinished_over"]):
        return Level.KHT, False
    if lead is not None and _as_fraction(lead.unit_targets_completed) < _as_fraction(
        p["leader_kht_unit_completed_under"]
    ):
        return Level.KHT, False
    if (
        a.general is General.TOT
        and done == 100
        and exceeded >= _as_fraction(p["htxs_exceeded_min"])
        and lead_ok(
            unit_targets_completed=100,
            unit_targets_exceeded=p["htxs_exceeded_min"],
            subunits_at_least_htnv=100,
            subunits_htt_or_better=p["leader_htxs_subunits_htt_min"],
        )
    ):
        return Level.HTXS, False
    if (
        a.general is General.TOT
        and done == 100
        and lead_ok(unit_targets_completed=100, subunits_at_least_htnv=100)
    ):
        return Level.HTT, False
    if shortfall <= _as_fraction(p["htnv_shortfall_max"]) and lead_ok(
        unit_targets_completed=p["leader_htnv_unit_completed_min"]
    ):
        return Level.HTNV, False
    # Short of HTNV but none of the KHT cases: the texts leave a gap; HTNV, for the council.
    return Level.HTNV, True


def rate_by_criteria(
    assessment: CriteriaAssessment,
    *,
    year: int,
    category: Category,
    facts: Facts = Facts(),
) -> RatingVerdict:
    """Công chức before 2026 and viên chức (NĐ 90/2020 + 48/2023)."""
    pack = _pack(category, year, "CRITERIA")
    p = pack.parameters["criteria"]
    a = assessment
    worked = 12 if a.maternity else a.months_worked
    if _as_fraction(worked) < _as_fraction(p["min_months_to_rate"]):
        return RatingVerdict(
            level=None,
            merited=None,
            caps=(),
            needs_review=False,
            rule=pack.ref(),
            explanation_vi=(
                f"Năm {year} chỉ làm việc {a.months_worked} tháng (dưới "
                f"{p['min_months_to_rate']} tháng): không đánh giá, xếp loại ({_source(pack)})."
            ),
            explanation_en=(
                f"Worked {a.months_worked} months in {year} (under {p['min_months_to_rate']}): "
                f"not rated ({_source(pack)})."
            ),
        )
    merited, needs_review = _criteria_level(p, a)
    vi = [
        f"Năm {year}: hoàn thành tốt {a.tasks_done_well}/{a.tasks_assigned} nhiệm vụ "
        f"({a.tasks_exceeded} vượt mức, {a.tasks_unfinished} chưa hoàn thành); tiêu chí chung: "
        f"{_GENERAL_VI[a.general]}."
    ]
    en = [
        f"Year {year}: {a.tasks_done_well}/{a.tasks_assigned} tasks done well "
        f"({a.tasks_exceeded} exceeded, {a.tasks_unfinished} unfinished); common criteria: "
        f"{_GENERAL_EN[a.general]}."
    ]
    if not needs_review:
        vi.append(f"Đạt tiêu chí mức {merited.label_vi}.")
        en.append(f"Meets the criteria of {merited.label_en}.")
    else:
        vi.append(
            "Không đạt tiêu chí Hoàn thành nhiệm vụ nhưng cũng không thuộc trường hợp Không "
            "hoàn thành nhiệm vụ: đề nghị Hội đồng xem xét."
        )
        en.append("Short of satisfactory but in none of the unsatisfactory cases: for the council.")
    leave = _as_fraction(a.leave_months)
    capped_leave = _as_fraction(p["leave_cap_from"]) <= leave < _as_fraction(p["leave_cap_under"])
    if capped_leave and merited.at_least(Level.HTT):
        merited = Level.HTNV
        vi.append(
            f"Nghỉ {a.leave_months} tháng nên không xếp loại cao hơn mức Hoàn thành nhiệm vụ."
        )
        en.append(f"On leave {a.leave_months} months, so not rated above satisfactory.")
    return _finish(pack, merited, facts, vi, en, needs_review=needs_review)


_GENERAL_VI = {General.TOT: "thực hiện tốt", General.DAT: "đạt", General.KHONG_DAT: "không đạt"}
_GENERAL_EN = {General.TOT: "done well", General.DAT: "met", General.KHONG_DAT: "not met"}


# --- HTXS quota -------------------------------------------------------------------------------


def _percent(category: Category, year: int, percent: Number | None) -> tuple[RulePack, Fraction]:
    pack = rating_pack(category, year)
    value = pack.parameters["htxs_percent_of_htt"] if percent is None else percent
    return pack, _as_fraction(value)


def htxs_allowed(
    htt_count: int, *, year: int, category: Category, percent: Number | None = None
) -> int:
    """Most HTXS a group may have beside ``htt_count`` HTT: floor(20% x HTT)."""
    _, pct = _percent(category, year, percent)
    return floor(pct * htt_count / 100)


@dataclass(frozen=True)
class RatedEntry:
    """One person's proposed level in a unit/group of similar tasks (``group``).

    ``score``: the yearly score (NĐ 335) or, under NĐ 90/48, the council's ranking points;
    ``results_score``: the task-results part of the score, the second tie-break."""

    person_id: str
    level: Level
    score: Number | None = None
    results_score: Number | None = None
    group: str = ""


@dataclass(frozen=True)
class QuotaDecision:
    person_id: str
    group: str
    proposed: Level
    final: Level
    rank: int | None  # 1-based rank among the group's HTXS proposals; None otherwise
    explanation_vi: str
    explanation_en: str


@dataclass(frozen=True)
class GroupQuota:
    group: str
    htt_proposed: int
    htxs_proposed: int
    htxs_kept: int
    htt_final: int
    tie_at_cutoff: bool  # kept and demoted share score and results score: the council decides


@dataclass(frozen=True)
class QuotaVerdict:
    decisions: tuple[QuotaDecision, ...]  # in input order
    groups: tuple[GroupQuota, ...]
    percent: Fraction
    rule: RuleRef
    explanation_vi: str
    explanation_en: str


def _tie_key(e: RatedEntry) -> tuple[bool, Fraction, bool, Fraction]:
    def desc(v: Number | None) -> tuple[bool, Fraction]:
        return (v is None, -_as_fraction(v) if v is not None else Fraction(0))

    return (*desc(e.score), *desc(e.results_score))


def _kept(htt: int, proposed: int, pct: Fraction) -> int:
    # The largest k with k <= floor(pct x (HTT + demoted)): the ratio holds on the final
    # result. k = 0 always qualifies.
    return next(k for k in range(proposed, -1, -1) if k <= floor(pct * (htt + proposed - k) / 100))


def apply_htxs_quota(
    entries: Iterable[RatedEntry],
    *,
    year: int,
    category: Category,
    percent: Number | None = None,
) -> QuotaVerdict:
    """Demote the surplus HTXS of each group to HTT.

    Order among a group's HTXS proposals: score descending, then task-results score
    descending (results weigh 70 of the 100 points), then person id ascending. The last key
    is arbitrary but makes the outcome independent of input order; when it decides, the
    group is flagged ``tie_at_cutoff`` so the council settles the tie. ``percent`` overrides
    the pack for a unit allowed a higher share (đơn vị có thành tích nổi bật)."""
    pack, pct = _percent(category, year, percent)
    items = list(entries)
    ids = [e.person_id for e in items]
    if len(set(ids)) != len(ids):
        raise ValueError("each person may appear once")
    by_group: dict[str, list[RatedEntry]] = {}
    for e in items:
        by_group.setdefault(e.group, []).append(e)
    final: dict[str, tuple[Level, int | None, str, str]] = {}
    groups = []
    pct_txt = f"{pct.numerator / pct.denominator:g}%"
    for name, members in sorted(by_group.items()):
        htt = sum(1 for e in members if e.level is Level.HTT)
        ranked = sorted(
            (e for e in members if e.level is Level.HTXS), key=lambda e: (_tie_key(e), e.person_id)
        )
        k = _kept(htt, len(ranked), pct)
        tie = 0 < k < len(ranked) and _tie_key(ranked[k - 1]) == _tie_key(ranked[k])
        htt_final = htt + len(ranked) - k
        groups.append(GroupQuota(name, htt, len(ranked), k, htt_final, tie))
        for rank, e in enumerate(ranked, start=1):
            if rank <= k:
                final[e.person_id] = (
                    Level.HTXS,
                    rank,
                    f"Giữ mức Hoàn thành xuất sắc nhiệm vụ: xếp thứ {rank}/{len(ranked)}, trong "
                    f"hạn mức {k} (không quá {pct_txt} của {htt_final} người Hoàn thành tốt "
                    f"nhiệm vụ).",
                    f"Keeps excellent: ranked {rank}/{len(ranked)}, within the quota of {k} "
                    f"(at most {pct_txt} of the {htt_final} rated good).",
                )
            else:
                final[e.person_id] = (
                    Level.HTT,
                    rank,
                    f"Chuyển xuống Hoàn thành tốt nhiệm vụ: xếp thứ {rank}/{len(ranked)}, ngoài "
                    f"hạn mức {k} người (không quá {pct_txt} của {htt_final} người Hoàn thành "
                    f"tốt nhiệm vụ; thứ tự: điểm, điểm kết quả nhiệm vụ, mã người)."
                    + (" Đồng điểm ở ngưỡng: Hội đồng quyết định." if tie else ""),
                    f"Moved to good: ranked {rank}/{len(ranked)}, outside the quota of {k} "
                    f"(at most {pct_txt} of the {htt_final} rated good; order: score, task-"
                    f"results score, person id)."
                    + (" Tie at the cut-off: for the council." if tie else ""),
                )
    decisions = []
    for e in items:
        level, place, vi, en = final.get(e.person_id, (e.level, None, "", ""))
        decisions.append(QuotaDecision(e.person_id, e.group, e.level, level, place, vi, en))
    demoted = sum(g.htxs_proposed - g.htxs_kept for g in groups)
    return QuotaVerdict(
        decisions=tuple(decisions),
        groups=tuple(groups),
        percent=pct,
        rule=pack.ref(),
        explanation_vi=(
            f"Tỷ lệ Hoàn thành xuất sắc nhiệm vụ không quá {pct_txt} số Hoàn thành tốt nhiệm vụ "
            f"trong từng nhóm, làm tròn xuống; {demoted} người chuyển xuống Hoàn thành tốt "
            f"nhiệm vụ ({_source(pack)})."
        ),
        explanation_en=(
            f"Excellent ratings may not exceed {pct_txt} of those rated good in each group, "
            f"rounded down; {demoted} moved to good ({_source(pack)})."
        ),
    )
