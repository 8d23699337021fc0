"""Thi đua theo đợt, theo chuyên đề (Luật Thi đua, khen thưởng 2022 Điều 16: a thematic
campaign with its own dates and criteria): the criteria a campaign may choose, as data, and
the verdict on one official or one collective, every criterion explained in Vietnamese and
English. Pure: the facts come in, nothing is read. See rules/README.md, "Thematic campaigns".

The catalogue (``CATALOGUE``), each criterion's parameters in brackets:

* ``no_confirmed_violation`` — không có vi phạm được xác nhận trong đợt;
* ``unit_on_time_rate`` [``percent``] — tỷ lệ hồ sơ giải quyết đúng hạn của đơn vị trong đợt
  ≥ percent (a unit with no dossier in the campaign has no rate: not met);
* ``last_quarter_at_least`` [``level``] — xếp loại quý gần nhất đạt từ mức ``level`` trở lên
  (not rated: not met);
* ``no_discipline`` — không bị kỷ luật trong đợt và không có vụ việc kỷ luật đang xem xét;
* ``members_eligible_share`` [``percent``] — for collectives only: tỷ lệ thành viên đủ điều
  kiện của đợt ≥ percent (70% when the campaign does not choose it, as the share of
  members a Tập thể Lao động tiên tiến needs under rules/emulation.py).

A collective (tập thể: a unit of the campaign's agency with every official of its subtree)
is judged on the same criteria read for a group (``COLLECTIVE``, in words): none of its
members with a confirmed violation, nobody disciplined nor under a discipline case, the
unit's own on-time rate, and a share of members at least the campaign's share — rated at
the quarter's level, and eligible for the campaign themselves.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction
from typing import Any

from congvu.rules.rating import Level

# Frozen with each locked campaign version: change it whenever the catalogue or evaluate()
# changes what a verdict means, so a reader of an old version knows which rules made it.
RULES_VERSION = "2026-12-07.2"


class CriterionKind(StrEnum):
    NO_CONFIRMED_VIOLATION = "no_confirmed_violation"
    UNIT_ON_TIME_RATE = "unit_on_time_rate"
    LAST_QUARTER_AT_LEAST = "last_quarter_at_least"
    NO_DISCIPLINE = "no_discipline"
    MEMBERS_ELIGIBLE_SHARE = "members_eligible_share"


# kind: (Vietnamese name, English name, the parameter it takes or None)
CATALOGUE: dict[CriterionKind, tuple[str, str, str | None]] = {
    CriterionKind.NO_CONFIRMED_VIOLATION: (
        "Không có vi phạm được xác nhận trong đợt",
        "No confirmed violation during the campaign",
        None,
    ),
    CriterionKind.UNIT_ON_TIME_RATE: (
        "Tỷ lệ hồ sơ đúng hạn của đơn vị",
        "The unit's share of dossiers settled on time",
        "percent",
    ),
    CriterionKind.LAST_QUARTER_AT_LEAST: (
        "Xếp loại quý gần nhất",
        "Rating of the latest quarter",
        "level",
    ),
    CriterionKind.NO_DISCIPLINE: (
        "Không bị kỷ luật, không có vụ việc kỷ luật đang xem xét",
        "No discipline and no discipline case under consideration",
        None,
    ),
    CriterionKind.MEMBERS_ELIGIBLE_SHARE: (
        "Tỷ lệ thành viên đủ điều kiện (tập thể)",
        "Share of members eligible (collectives)",
        "percent",
    ),
}

# Criteria that judge a collective only; an official's verdict skips them.
COLLECTIVE_ONLY = frozenset({CriterionKind.MEMBERS_ELIGIBLE_SHARE})
# The share of members a collective needs when the campaign does not set one.
DEFAULT_MEMBERS_PERCENT = Fraction(70)

# kind: how it is read for a collective (Vietnamese, English) — the reason in words.
COLLECTIVE: dict[CriterionKind, tuple[str, str]] = {
    CriterionKind.NO_CONFIRMED_VIOLATION: (
        "Không thành viên nào có vi phạm được xác nhận trong đợt",
        "No member with a confirmed violation during the campaign",
    ),
    CriterionKind.UNIT_ON_TIME_RATE: (
        "Tỷ lệ hồ sơ đúng hạn của đơn vị",
        "The unit's share of dossiers settled on time",
    ),
    CriterionKind.LAST_QUARTER_AT_LEAST: (
        "Tỷ lệ thành viên xếp loại quý gần nhất đạt mức yêu cầu",
        "Share of members rated at the required level for the latest quarter",
    ),
    CriterionKind.NO_DISCIPLINE: (
        "Không thành viên nào bị kỷ luật hoặc có vụ việc kỷ luật đang xem xét",
        "No member disciplined or under a discipline case",
    ),
    CriterionKind.MEMBERS_ELIGIBLE_SHARE: (
        "Tỷ lệ thành viên đủ điều kiện của đợt",
        "Share of members eligible for the campaign",
    ),
}


@dataclass(frozen=True)
class Criterion:
    kind: CriterionKind
    percent: Fraction | None = None  # unit_on_time_rate
    level: Level | None = None  # last_quarter_at_least

    def as_json(self) -> dict[str, str]:
        out = {"kind": self.kind.value}
        if self.percent is not None:
            out["percent"] = str(self.percent)
        if self.level is not None:
            out["level"] = self.level.value
        return out


def criterion(data: Mapping[str, Any]) -> Criterion:
    """One criterion from its data (a campaign's stored choice, a form); ``ValueError``
    names what is wrong."""
    try:
        kind = CriterionKind(str(data.get("kind", "")))
    except ValueError:
        raise ValueError(f"unknown criterion {data.get('kind')!r}") from None
    parameter = CATALOGUE[kind][2]
    if parameter == "percent":
        text = str(data.get("percent", "")).strip().replace(",", ".")
        try:
            percent = Fraction(text)
        except (ValueError, ZeroDivisionError):
            raise ValueError(f"{kind.value}: percent {text!r} is not a number") from None
        if not 0 <= percent <= 100:
            raise ValueError(f"{kind.value}: percent {text} is not between 0 and 100")
        return Criterion(kind, percent=percent)
    if parameter == "level":
        try:
            return Criterion(kind, level=Level(str(data.get("level", ""))))
        except ValueError:
            raise ValueError(f"{kind.value}: unknown level {data.get('level')!r}") from None
    return Criterion(kind)


def criteria(data: Sequence[Mapping[str, Any]]) -> tuple[Criterion, ...]:
    """A campaign's criteria; at least one that judges officials, each kind once."""
    chosen = tuple(criterion(d) for d in data)
    if all(c.kind in COLLECTIVE_ONLY for c in chosen):
        raise ValueError("a campaign needs at least one criterion for its officials")
    kinds = [c.kind for c in chosen]
    if len(set(kinds)) != len(kinds):
        raise ValueError("a criterion is chosen twice")
    return chosen


@dataclass(frozen=True)
class CampaignFacts:
    """What the campaign's dates show for an official, or for a collective (then the
    counts are of its members'): confirmed violations, discipline decided in the campaign,
    a discipline case open, the unit's dossiers (on time, all) and the latest quarter's
    level."""

    subject_id: str
    confirmed_violations: int = 0
    disciplined: bool = False
    open_case: bool = False
    dossiers_on_time: int = 0
    dossiers: int = 0
    last_quarter: Level | None = None


@dataclass(frozen=True)
class CriterionResult:
    criterion: Criterion
    met: bool
    explanation_vi: str
    explanation_en: str


@dataclass(frozen=True)
class CampaignVerdict:
    subject_id: str
    eligible: bool
    results: tuple[CriterionResult, ...]

    @property
    def reasons_vi(self) -> tuple[str, ...]:
        """Every criterion, met or not, in the campaign's order."""
        return tuple(r.explanation_vi for r in self.results)


def _percent_text(value: Fraction) -> str:
    """Two decimals at most, the Vietnamese way (66,67); English swaps the comma back."""
    rounded = round(float(value), 2)
    return f"{rounded:g}".replace(".", ",")


def _check(c: Criterion, f: CampaignFacts) -> CriterionResult:
    name_vi, name_en, _ = CATALOGUE[c.kind]
    if c.kind is CriterionKind.NO_CONFIRMED_VIOLATION:
        met = f.confirmed_violations == 0
        vi = "không có" if met else f"có {f.confirmed_violations} vi phạm được xác nhận"
        en = "none" if met else f"{f.confirmed_violations} confirmed violation(s)"
    elif c.kind is CriterionKind.UNIT_ON_TIME_RATE:
        assert c.percent is not None
        need = _percent_text(c.percent)
        if f.dossiers == 0:
            met = False
            vi = f"đơn vị không có hồ sơ trong đợt để tính tỷ lệ (cần ≥ {need}%)"
            en = f"the unit has no dossier in the campaign to rate (needs ≥ {need}%)"
            en = en.replace(",", ".")
        else:
            rate = Fraction(100 * f.dossiers_on_time, f.dossiers)
            met = rate >= c.percent
            shown = _percent_text(rate)
            vi = f"{f.dossiers_on_time}/{f.dossiers} hồ sơ đúng hạn = {shown}% (cần ≥ {need}%)"
            en = f"{f.dossiers_on_time}/{f.dossiers} dossiers on time = {shown}% (needs ≥ {need}%)"
            en = en.replace(",", ".")
    elif c.kind is CriterionKind.LAST_QUARTER_AT_LEAST:
        assert c.level is not None
        if f.last_quarter is None:
            met = False
            vi = f"chưa được xếp loại quý (cần từ {c.level.label_vi} trở lên)"
            en = f"not rated for a quarter (needs {c.level.label_en} or better)"
        else:
            met = f.last_quarter.at_least(c.level)
            vi = f"{f.last_quarter.label_vi} (cần từ {c.level.label_vi} trở lên)"
            en = f"{f.last_quarter.label_en} (needs {c.level.label_en} or better)"
    else:
        met = not (f.disciplined or f.open_case)
        parts_vi = (["bị kỷ luật trong đợt"] if f.disciplined else []) + (
            ["có vụ việc kỷ luật đang xem xét"] if f.open_case else []
        )
        parts_en = (["disciplined during the campaign"] if f.disciplined else []) + (
            ["a discipline case under consideration"] if f.open_case else []
        )
        vi = "; ".join(parts_vi) or "không có"
        en = "; ".join(parts_en) or "none"
    mark_vi, mark_en = ("Đạt", "Met") if met else ("Không đạt", "Not met")
    return CriterionResult(c, met, f"{name_vi}: {vi} — {mark_vi}.", f"{name_en}: {en} — {mark_en}.")


def evaluate(chosen: Sequence[Criterion], facts: CampaignFacts) -> CampaignVerdict:
    """Eligible for the campaign's commendation (Giấy khen theo đợt, chuyên đề) when every
    chosen criterion is met; each is explained whether met or not. Criteria for
    collectives only are not an official's."""
    results = tuple(_check(c, facts) for c in chosen if c.kind not in COLLECTIVE_ONLY)
    return CampaignVerdict(facts.subject_id, all(r.met for r in results), results)


@dataclass(frozen=True)
class CollectiveFacts:
    """What the campaign's dates show for a collective: its members (the officials of the
    unit's subtree), how many are eligible for the campaign and how many reached the
    latest quarter's required level, its members' confirmed violations, those disciplined
    in the campaign or under an open case, and the unit's dossiers (on time, all)."""

    subject_id: str
    members: int = 0
    members_eligible: int = 0
    members_at_level: int = 0
    confirmed_violations: int = 0
    disciplined: int = 0
    open_cases: int = 0
    dossiers_on_time: int = 0
    dossiers: int = 0


def _share(part: int, whole: int, need: Fraction) -> tuple[bool, str, str]:
    """``part`` of ``whole`` members against ``need`` percent (no member: not met)."""
    shown_need = _percent_text(need)
    if whole == 0:
        return (
            False,
            f"tập thể không có thành viên (cần ≥ {shown_need}%)",
            f"the collective has no member (needs ≥ {shown_need}%)".replace(",", "."),
        )
    rate = Fraction(100 * part, whole)
    shown = _percent_text(rate)
    return (
        rate >= need,
        f"{part}/{whole} thành viên = {shown}% (cần ≥ {shown_need}%)",
        f"{part}/{whole} members = {shown}% (needs ≥ {shown_need}%)".replace(",", "."),
    )


def _check_collective(c: Criterion, f: CollectiveFacts, need: Fraction) -> CriterionResult:
    name_vi, name_en = COLLECTIVE[c.kind]
    if c.kind is CriterionKind.NO_CONFIRMED_VIOLATION:
        met = f.confirmed_violations == 0
        vi = "không có" if met else f"có {f.confirmed_violations} vi phạm được xác nhận"
        en = "none" if met else f"{f.confirmed_violations} confirmed violation(s)"
    elif c.kind is CriterionKind.UNIT_ON_TIME_RATE:
        unit = _check(
            c, CampaignFacts(f.subject_id, dossiers_on_time=f.dossiers_on_time, dossiers=f.dossiers)
        )
        return CriterionResult(c, unit.met, unit.explanation_vi, unit.explanation_en)
    elif c.kind is CriterionKind.LAST_QUARTER_AT_LEAST:
        assert c.level is not None
        met, vi, en = _share(f.members_at_level, f.members, need)
        vi += f", từ {c.level.label_vi} trở lên"
        en += f", {c.level.label_en} or better"
    elif c.kind is CriterionKind.NO_DISCIPLINE:
        met = f.disciplined == 0 and f.open_cases == 0
        parts_vi = ([f"{f.disciplined} người bị kỷ luật trong đợt"] if f.disciplined else []) + (
            [f"{f.open_cases} vụ việc kỷ luật đang xem xét"] if f.open_cases else []
        )
        parts_en = ([f"{f.disciplined} disciplined"] if f.disciplined else []) + (
            [f"{f.open_cases} case(s) under consideration"] if f.open_cases else []
        )
        vi = "; ".join(parts_vi) or "không có"
        en = "; ".join(parts_en) or "none"
    else:
        met, vi, en = _share(f.members_eligible, f.members, need)
    mark_vi, mark_en = ("Đạt", "Met") if met else ("Không đạt", "Not met")
    return CriterionResult(c, met, f"{name_vi}: {vi} — {mark_vi}.", f"{name_en}: {en} — {mark_en}.")


def evaluate_collective(chosen: Sequence[Criterion], facts: CollectiveFacts) -> CampaignVerdict:
    """A collective is eligible when every chosen criterion, read for the group, is met
    and the share of its members eligible reaches the campaign's share (first in the
    list; ``DEFAULT_MEMBERS_PERCENT`` when the campaign sets none)."""
    share = next((c for c in chosen if c.kind is CriterionKind.MEMBERS_ELIGIBLE_SHARE), None)
    if share is None:
        share = Criterion(CriterionKind.MEMBERS_ELIGIBLE_SHARE, percent=DEFAULT_MEMBERS_PERCENT)
    assert share.percent is not None
    ordered = [share, *(c for c in chosen if c is not share)]
    results = tuple(_check_collective(c, facts, share.percent) for c in ordered)
    return CampaignVerdict(facts.subject_id, all(r.met for r in results), results)
