"""Đánh giá năm và bình xét thi đua: the year's level from the quarters (average by default,
or the period's ``year_method``) or, for a year before 2026, from the head's criteria sheet
(NĐ 90/2020 amended by NĐ 48/2023), the discipline cap and the HTXS quota on the year, then
the titles — LĐTT and CSTĐCS per official, Tập thể LĐTT and LĐXS for the collective — each
reason spelled out in Vietnamese. Pure over its inputs: no query here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from congvu.inspect.emulation.services.codec import number_text, rounded
from congvu.inspect.emulation.services.criteria import CriteriaEntry
from congvu.inspect.emulation.services.facts import OfficialFacts
from congvu.inspect.emulation.services.quarter import RATED_CATEGORY
from congvu.rules.discipline import Category
from congvu.rules.discipline_standing import emulation_standing, heaviest_form, rating_facts
from congvu.rules.emulation import (
    Collective,
    EmulationPeriod,
    Individual,
    Member,
    TitleVerdict,
    cstdcs,
    ldtt,
    tap_the_ldtt,
    tap_the_ldxs,
)
from congvu.rules.rating import (
    Level,
    RatedEntry,
    RatingVerdict,
    apply_htxs_quota,
    rate_by_criteria,
    rate_by_score,
)
from congvu.rules.rating_sheet import YearMethod, year_score


@dataclass(frozen=True)
class InitiativeFact:
    title: str
    decision_number: str
    decided_on: date


@dataclass(frozen=True)
class CollectiveFact:
    unit_code: str
    level: Level | None
    movement: bool


def _title_json(v: TitleVerdict) -> dict[str, Any]:
    return {
        "title": v.title.value,
        "title_vi": v.title.label_vi,
        "eligible": v.eligible,
        "awaiting_vote": v.awaiting_vote,
        "reasons": [r.value for r in v.reasons],
        "explanation_vi": v.explanation_vi,
        "rule": {"id": v.rule.id, "version": v.rule.version},
    }


def propose_year(
    facts: Sequence[OfficialFacts],
    quarters: Mapping[int, Mapping[int, Fraction]],
    initiatives: Mapping[int, Sequence[InitiativeFact]],
    collective: CollectiveFact | None,
    *,
    year: int,
    method: YearMethod,
    review_on: date,
    votes: Mapping[int, tuple[int, int]] | None = None,
    vote_percent: str | None = None,
    criteria: Mapping[int, CriteriaEntry] | None = None,
) -> dict[str, Any]:
    """``quarters``: official id -> quarter -> score (of the quarters rated). ``votes``:
    official id -> (votes in favour, members entitled to vote) from the council's CSTĐCS
    ballot; ``vote_percent`` the council's threshold when it is not the pack's.
    ``criteria`` (official id -> the head's sheet) rates a year by NĐ 90/2020's criteria
    instead of the quarters' scores."""
    period = EmulationPeriod.year(year)
    rows: list[dict[str, Any]] = []
    entries: list[RatedEntry] = []
    for f in facts:
        if criteria is not None:
            rated, entry = _criteria_row(f, criteria.get(f.official_id), year)
            rows.append(rated)
            if entry is not None:
                entries.append(entry)
            continue
        scored = quarters.get(f.official_id, {})
        row: dict[str, Any] = {
            "official_id": f.official_id,
            "code": f.code,
            "name": f.full_name,
            "unit": f.unit_code,
            "unit_path": f.unit_path,
            "quarters": {str(q): rounded(s) for q, s in sorted(scored.items())},
            "score": None,
            "level": None,
            "capped": [],
            "reasons_vi": [],
        }
        if f.category == RATED_CATEGORY and scored and (method is YearMethod.MEAN or 4 in scored):
            total = year_score(scored, method)
            verdict = rate_by_score(
                total,
                year=year,
                category=Category.CONG_CHUC,
                facts=rating_facts(f.standing, year),
            )
            row.update(
                score=rounded(total),
                score_exact=number_text(total),
                level=verdict.level.value if verdict.level else None,
                capped=[c.value for c in verdict.caps],
            )
            row["reasons_vi"].append(verdict.explanation_vi)
            if verdict.level is not None:
                entries.append(RatedEntry(str(f.official_id), verdict.level, total, None, f.agency))
        elif f.category != RATED_CATEGORY:
            row["reasons_vi"].append(
                "Không xếp loại theo Nghị định 335/2025/NĐ-CP (không phải công chức)."
            )
        else:
            row["reasons_vi"].append("Chưa có đủ điểm các quý để xếp loại năm.")
        rows.append(row)
    if entries:
        quota = apply_htxs_quota(entries, year=year, category=Category.CONG_CHUC)
        moved = {d.person_id: d for d in quota.decisions if d.explanation_vi}
        for row in rows:
            d = moved.get(str(row["official_id"]))
            if d is not None:
                row["level"] = d.final.value
                row["reasons_vi"].append(d.explanation_vi)
                if criteria is not None and d.rank is not None:
                    row["reasons_vi"].append(_CRITERIA_ORDER)
    members: list[Member] = []
    for f, row in zip(facts, rows, strict=True):
        level = Level(row["level"]) if row["level"] else None
        mine = initiatives.get(f.official_id, ())
        person = Individual(
            person_id=str(f.official_id),
            rating=level,
            initiative_recognised=bool(mine),
            female=f.female,
            standing=emulation_standing(f.standing, on=review_on),
        )
        vote = (votes or {}).get(f.official_id)
        titles = [
            ldtt(person, period),
            cstdcs(
                person,
                period,
                votes_for=vote[0] if vote else None,
                council_size=vote[1] if vote else None,
                vote_percent=vote_percent,
            ),
        ]
        row["level_vi"] = level.label_vi if level else None
        row["initiatives"] = [
            {
                "title": i.title,
                "decision_number": i.decision_number,
                "decided_on": i.decided_on.isoformat(),
            }
            for i in mine
        ]
        row["titles"] = [_title_json(t) for t in titles]
        row["blockers"] = sorted(
            {r.value for t in titles for r in t.reasons if r.value in _BLOCKERS}
        )
        row["proposed_titles"] = [t.title.value for t in titles if t.eligible]
        members.append(
            Member(
                person_id=str(f.official_id),
                rating=level,
                ldtt=titles[0].eligible,
                cstdcs=titles[1].eligible,
                discipline=heaviest_form(f.standing, period.start, period.end),
            )
        )
    result: dict[str, Any] = {"officials": rows, "collective": None}
    if collective is not None and members:
        unit = Collective(
            unit_id=collective.unit_code,
            rating=collective.level,
            members=tuple(members),
            movement=collective.movement,
        )
        result["collective"] = {
            "unit": collective.unit_code,
            "level": collective.level.value if collective.level else None,
            "titles": [
                _title_json(tap_the_ldtt(unit, period)),
                _title_json(tap_the_ldxs(unit, period)),
            ],
        }
    return result


_CRITERIA_ORDER = (
    "Đánh giá theo tiêu chí (Nghị định 90/2020/NĐ-CP) không có điểm: thứ tự trong hạn mức"
    " theo tỷ lệ nhiệm vụ vượt mức, rồi tỷ lệ nhiệm vụ hoàn thành đúng hạn, bảo đảm chất"
    " lượng."
)


def _criteria_row(
    f: OfficialFacts, sheet: CriteriaEntry | None, year: int
) -> tuple[dict[str, Any], RatedEntry | None]:
    """One official's row of a criteria year and their entry for the HTXS quota."""
    row: dict[str, Any] = {
        "official_id": f.official_id,
        "code": f.code,
        "name": f.full_name,
        "unit": f.unit_code,
        "unit_path": f.unit_path,
        "leader": f.is_leader,
        "quarters": {},
        "score": None,
        "level": None,
        "merited": None,
        "capped": [],
        "needs_review": False,
        "criteria": sheet.as_json() if sheet else None,
        "reasons_vi": [],
    }
    if f.category != RATED_CATEGORY:
        row["reasons_vi"].append(
            "Không xếp loại theo Nghị định 90/2020/NĐ-CP tại bảng này (không phải công chức)."
        )
        return row, None
    if sheet is None:
        row["reasons_vi"].append("Thủ trưởng chưa nhập kết quả theo tiêu chí của năm.")
        return row, None
    verdict: RatingVerdict = rate_by_criteria(
        sheet.assessment,
        year=year,
        category=Category.CONG_CHUC,
        facts=rating_facts(f.standing, year),
    )
    row.update(
        level=verdict.level.value if verdict.level else None,
        merited=verdict.merited.value if verdict.merited else None,
        capped=[c.value for c in verdict.caps],
        needs_review=verdict.needs_review,
        rule={"id": verdict.rule.id, "version": verdict.rule.version},
    )
    row["reasons_vi"].append(verdict.explanation_vi)
    if verdict.level is None:
        return row, None
    a = sheet.assessment
    # The quota ranks a group's HTXS by points; under the criteria the share of tasks
    # beyond target, then the share done well, stand in for the score and its results part.
    entry = RatedEntry(
        str(f.official_id),
        verdict.level,
        Fraction(a.tasks_exceeded, a.tasks_assigned),
        Fraction(a.tasks_done_well, a.tasks_assigned),
        f"{f.agency}/{sheet.task_group}",
    )
    return row, entry


_BLOCKERS = {
    "OPEN_DISCIPLINE_CASE",
    "INSPECTION_WITH_SIGNS",
    "COMPLAINT_VERIFICATION",
    "DISCIPLINE_PERIOD",
}
