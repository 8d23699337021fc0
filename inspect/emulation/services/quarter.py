"""Đề xuất xếp loại quý: from each official's facts to the proposed level, in the order the
decree and the unit work in — the sheet (head's scores less the suggested deductions), the
discipline cap (``rating_facts`` → ``rate_by_score``), then the HTXS quota per agency (the
unit under the province, its offices included) and per task group (``apply_htxs_quota``).
Pure over the facts: no query here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from congvu.inspect.emulation.services.facts import OfficialFacts
from congvu.rules.discipline import Category
from congvu.rules.discipline_standing import DisciplineStanding, rating_facts
from congvu.rules.rating import (
    GroupQuota,
    Level,
    RatedEntry,
    RatingVerdict,
    apply_htxs_quota,
    rate_by_score,
)
from congvu.rules.rating_deductions import DeductionSheet, Weights, suggest
from congvu.rules.rating_sheet import SheetScore, TaskResults, score_sheet

RATED_CATEGORY = "cong_chuc"  # NĐ 335/2025 rates công chức; others follow their own rules


@dataclass(frozen=True)
class Proposal:
    """One official's proposal for the quarter. ``level`` is the final proposed level
    (after caps and quota); None when not proposed, with ``reasons_vi`` saying why."""

    facts: OfficialFacts
    deductions: DeductionSheet
    score: SheetScore | None
    verdict: RatingVerdict | None
    level: Level | None
    quota_vi: str
    reasons_vi: tuple[str, ...]

    @property
    def group(self) -> str:
        sheet = self.facts.head_sheet
        return f"{self.facts.agency}/{sheet.task_group if sheet else ''}"


@dataclass(frozen=True)
class QuarterProposals:
    proposals: tuple[Proposal, ...]
    groups: tuple[GroupQuota, ...]
    quota_vi: str


def standing_until(standing: DisciplineStanding, end: date) -> DisciplineStanding:
    """Only decisions made by the end of the period rated count for it."""
    return DisciplineStanding(
        standing.official_id,
        tuple(d for d in standing.decisions if d.decided_on <= end),
        standing.open_case_since,
    )


def _results(values: dict[str, Fraction], leader: bool) -> TaskResults:
    if leader:
        return TaskResults(**{k: values[k] for k in ("a", "b", "c", "d", "dd", "e")})
    return TaskResults(values["a"], values["b"], values["c"])


def _source_vi(key: str) -> str:
    """ "finding:12" -> "phát hiện #12", "dossier:7" -> "hồ sơ trễ hạn #7"."""
    kind, _, number = key.partition(":")
    return f"{'hồ sơ trễ hạn' if kind == 'dossier' else 'phát hiện'} #{number}"


def _one(facts: OfficialFacts, year: int, end: date, weights: Weights | None) -> Proposal:
    deductions = suggest(facts.violations, on=end, weights=weights)
    reasons: list[str] = []
    sheet = facts.head_sheet
    if facts.category != RATED_CATEGORY:
        reasons.append("Không xếp loại theo Nghị định 335/2025/NĐ-CP (không phải công chức).")
        return Proposal(facts, deductions, None, None, None, "", tuple(reasons))
    if sheet is None:
        reasons.append("Thủ trưởng đơn vị chưa chấm điểm kết quả nhiệm vụ.")
        return Proposal(facts, deductions, None, None, None, "", tuple(reasons))
    score = score_sheet(_results(sheet.results, facts.is_leader), deductions, sheet.general)
    verdict = rate_by_score(
        score.total,
        year=year,
        category=Category.CONG_CHUC,
        facts=rating_facts(standing_until(facts.standing, end), year),
        period_vi=f"Kỳ đến {end:%d/%m/%Y}",
        period_en=f"Period to {end:%d/%m/%Y}",
    )
    reasons.extend(d.explanation_vi for d in deductions.deductions)
    reasons.extend(
        f"Chưa tính {_source_vi(h.source)}: còn trong thời hạn giải trình đến hết ngày "
        f"{h.explanation_due:%d/%m/%Y}."
        for h in facts.held_back
    )
    reasons.append(verdict.explanation_vi)
    return Proposal(facts, deductions, score, verdict, verdict.level, "", tuple(reasons))


def propose(
    facts: Sequence[OfficialFacts], *, year: int, end: date, weights: Weights | None = None
) -> QuarterProposals:
    """The proposals of a quarter ending ``end``, the quota applied per unit and task
    group; the input's order (Vietnamese name order) is kept. ``weights``: deduction
    points other than the pack's (adopted for the period, or tried in a what-if)."""
    proposals = [_one(f, year, end, weights) for f in facts]
    entries = [
        RatedEntry(
            person_id=str(p.facts.official_id),
            level=p.level,
            score=p.score.total,
            results_score=p.score.results,
            group=p.group,
        )
        for p in proposals
        if p.level is not None and p.score is not None
    ]
    if not entries:
        return QuarterProposals(tuple(proposals), (), "")
    quota = apply_htxs_quota(entries, year=year, category=Category.CONG_CHUC)
    decided = {d.person_id: d for d in quota.decisions}
    final = []
    for p in proposals:
        d = decided.get(str(p.facts.official_id))
        if d is None or not d.explanation_vi:
            final.append(p)
            continue
        final.append(
            Proposal(
                p.facts,
                p.deductions,
                p.score,
                p.verdict,
                d.final,
                d.explanation_vi,
                (*p.reasons_vi, d.explanation_vi),
            )
        )
    return QuarterProposals(tuple(final), quota.groups, quota.explanation_vi)
