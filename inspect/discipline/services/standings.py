"""What the rating and emulation domains read: each official's decisions not annulled
that were made in, or whose effect overlaps, a period, and the day their open case
began. Two queries whatever the number of officials."""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from congvu.inspect.discipline.tables import CaseStage, DisciplineCase
from congvu.rules.discipline import Category, Form, decision_effect
from congvu.rules.discipline_standing import DecisionInForce, DisciplineStanding

_DECIDED = (CaseStage.DECIDED.value, CaseStage.NOTIFIED.value)
_OPEN = tuple(
    s.value for s in CaseStage if s not in (CaseStage.DECIDED, CaseStage.NOTIFIED, CaseStage.CLOSED)
)


async def standings(
    official_ids: Collection[int], start: date, end: date
) -> dict[int, DisciplineStanding]:
    ids = sorted(set(official_ids))
    if not ids:
        return {}
    decided = (
        await DisciplineCase.select(
            DisciplineCase.id,
            DisciplineCase.official,
            DisciplineCase.category,
            DisciplineCase.decided_form,
            DisciplineCase.decided_on,
            DisciplineCase.effective_on,
            DisciplineCase.party_decided_on,
            DisciplineCase.duty_related,
        )
        .where(
            DisciplineCase.official.is_in(ids),
            DisciplineCase.stage.is_in(list(_DECIDED)),
            DisciplineCase.annulled_on.is_null(),
            DisciplineCase.decided_on <= end,
        )
        .order_by(DisciplineCase.decided_on)
    )
    opened = await DisciplineCase.select(DisciplineCase.official, DisciplineCase.opened_on).where(
        DisciplineCase.official.is_in(ids),
        DisciplineCase.stage.is_in(list(_OPEN)),
        DisciplineCase.opened_on <= end,
    )
    decisions: dict[int, list[DecisionInForce]] = {i: [] for i in ids}
    for r in decided:
        effect = decision_effect(
            r["effective_on"],
            category=Category(r["category"]),
            on=end,
            party_decided_on=r["party_decided_on"],
        )
        d = DecisionInForce(
            case_id=r["id"],
            form=Form(r["decided_form"]),
            decided_on=r["decided_on"],
            effective_on=effect.effective_on,
            ends_on=effect.ends_on,
            duty_related=r["duty_related"],
        )
        if start <= d.decided_on <= end or d.overlaps(start, end):
            decisions[r["official"]].append(d)
    since: dict[int, date] = {}
    for r in opened:
        o = r["official"]
        since[o] = min(since.get(o, r["opened_on"]), r["opened_on"])
    return {
        i: DisciplineStanding(
            official_id=i, decisions=tuple(decisions[i]), open_case_since=since.get(i)
        )
        for i in ids
    }
