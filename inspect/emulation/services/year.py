"""Đánh giá năm và bình xét thi đua: the year's level from the quarters (average by default,
or the period's ``year_method``), the discipline cap and the HTXS quota on the year, then the
titles — LĐTT and CSTĐCS per official, Tập thể LĐTT and LĐXS for the collective — each
reason spelled out in Vietnamese. Pure over its inputs: no query here."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from congvu.inspect.emulation.services.codec import number_text, rounded
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
from congvu.rules.rating import Level, RatedEntry, apply_htxs_quota, rate_by_score
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
) -> dict[str, Any]:
    """``quarters``: official id -> quarter -> score (of the quarters rated). ``votes``:
    official id -> (votes in favour, members entitled to vote) from the council's CSTĐCS
    ballot; ``vote_percent`` the council's threshold when it is not the pack's."""
    period = EmulationPeriod.year(year)
    rows: list[dict[str, Any]] = []
    entries: list[RatedEntry] = []
    for f in facts:
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


_BLOCKERS = {
    "OPEN_DISCIPLINE_CASE",
    "INSPECTION_WITH_SIGNS",
    "COMPLAINT_VERIFICATION",
    "DISCIPLINE_PERIOD",
}
