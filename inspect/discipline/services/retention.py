"""Whether a discipline case still needs the findings it rests on, for the retention of
their files: an open case, or a decided one with an appeal not yet answered, holds
them; a case decided, notified or closed releases them on the day it last moved (the
decision, its effect, the answer to the last appeal)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from congvu.inspect.discipline.tables import Appeal, CaseSource, CaseStage, DisciplineCase

_SETTLED = (CaseStage.DECIDED, CaseStage.NOTIFIED, CaseStage.CLOSED)


async def case_holds(finding_ids: Iterable[int]) -> dict[int, date | None]:
    """For each of these findings a case rests on: None while a case holds it, else
    the day its last case settled. Findings no case rests on are absent."""
    ids = sorted(set(finding_ids))
    if not ids:
        return {}
    sources = await CaseSource.select(CaseSource.case, CaseSource.finding).where(
        CaseSource.finding.is_in(ids)
    )
    cases = sorted({s["case"] for s in sources})
    if not cases:
        return {}
    settled: dict[int, date | None] = {}
    for c in await DisciplineCase.select(
        DisciplineCase.id,
        DisciplineCase.stage,
        DisciplineCase.decided_on,
        DisciplineCase.effective_on,
        DisciplineCase.opened_on,
        DisciplineCase.updated_at,
    ).where(DisciplineCase.id.is_in(cases)):
        days = [d for d in (c["decided_on"], c["effective_on"], c["opened_on"]) if d]
        days.append(c["updated_at"].date())
        settled[c["id"]] = max(days) if c["stage"] in _SETTLED else None
    for a in await Appeal.select(Appeal.case, Appeal.outcome, Appeal.outcome_on).where(
        Appeal.case.is_in(cases)
    ):
        day = settled.get(a["case"])
        if a["outcome"] is None or a["outcome_on"] is None:
            settled[a["case"]] = None
        elif day is not None:
            settled[a["case"]] = max(day, a["outcome_on"])
    holds: dict[int, date | None] = {}
    for s in sources:
        day = settled.get(s["case"])
        if s["finding"] in holds and holds[s["finding"]] is None:
            continue
        previous = holds.get(s["finding"])
        holds[s["finding"]] = None if day is None else max(day, previous or day)
    return holds
