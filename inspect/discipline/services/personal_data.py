"""The discipline cases about one official, for the personal-data export (Luật
91/2025/QH15): each case with the findings it rests on, its steps, deferrals and
appeals. A constant number of queries whatever the number of cases."""

from __future__ import annotations

from typing import Any

from congvu.inspect.discipline.services.timeline import STAGE_LABELS
from congvu.inspect.discipline.tables import (
    Appeal,
    CaseSource,
    CaseStage,
    CaseStep,
    Deferral,
    DisciplineCase,
)


def _stage_label(stage: str) -> str:
    return STAGE_LABELS.get(CaseStage(stage), "") if stage in set(CaseStage) else ""


def _in_case_order(row: dict[str, Any]) -> tuple[int, str]:
    return row["case"], str(row.get("done_on") or row.get("starts_on") or "")


async def cases_about(official_id: int) -> dict[str, list[dict[str, Any]]]:
    """``cases``, ``sources``, ``steps``, ``deferrals`` and ``appeals`` of the official's
    cases, each row naming its case."""
    cases = list(
        await DisciplineCase.select(
            DisciplineCase.id,
            DisciplineCase.unit.code,
            DisciplineCase.category,
            DisciplineCase.leader,
            DisciplineCase.description,
            DisciplineCase.violation_on,
            DisciplineCase.discovered_on,
            DisciplineCase.opened_on,
            DisciplineCase.merited,
            DisciplineCase.stage,
            DisciplineCase.proposed_form,
            DisciplineCase.decided_form,
            DisciplineCase.decision_number,
            DisciplineCase.decided_on,
            DisciplineCase.effective_on,
            DisciplineCase.decision_signer,
            DisciplineCase.annulled_on,
            DisciplineCase.party_form,
            DisciplineCase.party_decided_on,
            DisciplineCase.closed_reason,
            DisciplineCase.updated_at,
        )
        .where(DisciplineCase.official == official_id)
        .order_by(DisciplineCase.id)
    )
    for case in cases:
        case["stage_label"] = _stage_label(case["stage"])
    ids = [c["id"] for c in cases]
    if not ids:
        return {"cases": [], "sources": [], "steps": [], "deferrals": [], "appeals": []}
    sources = await CaseSource.select(
        CaseSource.case, CaseSource.finding, CaseSource.violation_code, CaseSource.observed_on
    ).where(CaseSource.case.is_in(ids))
    steps = await CaseStep.select(
        CaseStep.case, CaseStep.stage, CaseStep.done_on, CaseStep.event_on, CaseStep.note
    ).where(CaseStep.case.is_in(ids))
    for step in steps:
        step["stage_label"] = _stage_label(step["stage"])
    deferrals = await Deferral.select(
        Deferral.case, Deferral.reason, Deferral.starts_on, Deferral.ends_on
    ).where(Deferral.case.is_in(ids))
    appeals = await Appeal.select(
        Appeal.case,
        Appeal.text,
        Appeal.submitted_on,
        Appeal.outcome,
        Appeal.outcome_on,
        Appeal.outcome_reason,
    ).where(Appeal.case.is_in(ids))
    return {
        "cases": cases,
        "sources": sorted(sources, key=lambda r: (r["case"], r["finding"])),
        "steps": sorted(steps, key=_in_case_order),
        "deferrals": sorted(deferrals, key=_in_case_order),
        "appeals": sorted(appeals, key=lambda r: (r["case"], str(r["submitted_on"]))),
    }
