"""The demo's discipline cases: one at each stage, the demo official's decided as khiển
trách this year (duty-related: it caps their rating), one deferred, one after a Party
decision; every step on time."""

from __future__ import annotations

from datetime import date

import pytest
from congvu.inspect import clock
from congvu.inspect.actor import SYSTEM
from congvu.inspect.discipline import api as discipline
from congvu.inspect.discipline.api import CaseStage
from congvu.inspect.organisation.tables import User
from congvu.rules.discipline import Form
from congvu.rules.discipline_standing import rating_facts

pytestmark = pytest.mark.anyio


async def test_the_demo_has_a_case_at_each_stage(demo_db: None) -> None:
    cases = await discipline.cases(SYSTEM)
    stages = {t.file.stage for t in cases}
    assert stages == {s for s in CaseStage if s is not CaseStage.CLOSED}
    assert all(t.limitation.within for t in cases)
    assert any(t.file.deferrals for t in cases)
    assert any(t.party is not None and t.party.ok for t in cases)
    assert sum(t.overdue for t in cases) == 1
    for t in cases:
        assert all(r.deadline is None or r.deadline.on_time is not False for r in t.rows)
    clerk = await User.select(User.official).where(User.username == "congchuc").first()
    official = clerk["official"]
    year = clock.today().year
    standing = (await discipline.standings([official], date(year, 1, 1), date(year, 12, 31)))[
        official
    ]
    (decision,) = standing.decisions
    assert decision.form is Form.KHIEN_TRACH and decision.duty_related
    assert rating_facts(standing, decision.decided_on.year).disciplined_in_year
