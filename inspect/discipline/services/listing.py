"""The personnel office's list of cases (stage, next step's deadline, overdue first),
filtered by unit and stage, and the subject's own cases. A constant number of queries
per case page; the list reads each case's children in one query per kind."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from congvu.inspect import clock
from congvu.inspect.actor import Actor
from congvu.inspect.discipline.services.loading import (
    CASE_COLUMNS,
    complete,
    may_manage,
    require_manager,
)
from congvu.inspect.discipline.services.timeline import Timeline, timeline
from congvu.inspect.discipline.tables import CaseStage, DisciplineCase
from congvu.inspect.errors import Forbidden


@dataclass(frozen=True)
class CaseFilter:
    unit_code: str | None = None
    stage: CaseStage | None = None


async def cases(
    actor: Actor, flt: CaseFilter = CaseFilter(), *, today: date | None = None
) -> list[Timeline]:
    """Cases in the actor's scope (the personnel office) or about the actor (an
    official), overdue first, then by next deadline."""
    today = today or clock.today()
    where = []
    if may_manage(actor):
        if actor.scope_path:
            where.append(DisciplineCase.unit.path.like(actor.scope_path + "%"))
        if flt.unit_code:
            where.append(DisciplineCase.unit.code == flt.unit_code)
        if flt.stage is not None:
            where.append(DisciplineCase.stage == flt.stage.value)
    elif actor.official_id is not None:
        where.append(DisciplineCase.official == actor.official_id)
    else:
        raise Forbidden("Chỉ cán bộ tổ chức hoặc người bị xem xét kỷ luật mới xem được hồ sơ.")
    rows = await DisciplineCase.select(*CASE_COLUMNS).where(*where).order_by(DisciplineCase.id)
    found = [timeline(await complete(r), today) for r in rows]
    return sorted(
        found,
        key=lambda t: (not t.overdue, t.next_deadline or date.max, t.file.id),
    )


__all__ = ["CaseFilter", "cases", "require_manager"]
