"""The read the rating and emulation domains use: decisions not annulled that were made
in, or whose effect overlaps, the period (the effect from the Party decision's date when
there is one), and the opening day of a case still open. Every official asked for is a
key; the number of queries does not grow with the officials."""

from __future__ import annotations

import pytest
from congvu.inspect.discipline import api as discipline
from congvu.inspect.discipline.api import AppealOutcome, CaseStage, OpenCase
from congvu.inspect.discipline.tables import DisciplineCase
from congvu.inspect.errors import Conflict, Forbidden, Invalid
from congvu.rules.discipline import Form
from congvu.rules.discipline_standing import DisciplineStanding, rating_facts

from tests.discipline.conftest import D, DisciplineWorld
from tests.discipline.test_procedure import opened, walk_to

pytestmark = pytest.mark.anyio


async def test_a_decision_in_force_then_annulled(dw: DisciplineWorld) -> None:
    a, b = dw.rw.world.official_a.id, dw.rw.world.official_b.id
    case = await opened(dw)
    await walk_to(dw, case, CaseStage.DECIDED)
    year = await discipline.standings([a, b], D(2026, 1, 1), D(2026, 12, 31))
    assert set(year) == {a, b}
    assert year[b] == DisciplineStanding(official_id=b)
    (decision,) = year[a].decisions
    assert (decision.case_id, decision.form, decision.decided_on) == (
        case,
        Form.KHIEN_TRACH,
        D(2026, 3, 27),
    )
    assert (decision.effective_on, decision.ends_on) == (D(2026, 3, 27), D(2027, 3, 27))
    assert year[a].open_case_since is None
    assert rating_facts(year[a], 2026).disciplined_in_year
    # Its effect overlaps the first quarter of 2027, though it was decided in 2026.
    later = await discipline.standings([a], D(2027, 1, 1), D(2027, 3, 31))
    assert [d.case_id for d in later[a].decisions] == [case]
    assert (await discipline.standings([a], D(2027, 3, 28), D(2027, 6, 30)))[a].decisions == ()
    # Appeal: only the subject; rejected keeps it, annulled lifts it.
    with pytest.raises(Forbidden):
        await discipline.submit_appeal(dw.personnel, case, "x")
    first = await discipline.submit_appeal(dw.subject, case, "Tôi đến muộn vì đưa con đi viện.")
    await discipline.decide_appeal(
        dw.personnel, case, first, AppealOutcome.REJECTED, "Không có căn cứ"
    )
    assert (await discipline.standings([a], D(2026, 1, 1), D(2026, 12, 31)))[a].decisions
    second = await discipline.submit_appeal(dw.subject, case, "Khiếu nại lần hai")
    await discipline.decide_appeal(
        dw.personnel, case, second, AppealOutcome.ANNULLED, "Sai thủ tục"
    )
    assert (await discipline.standings([a], D(2026, 1, 1), D(2026, 12, 31)))[a].decisions == ()
    with pytest.raises(Conflict):
        await discipline.submit_appeal(dw.subject, case, "lần ba")


async def test_an_open_case_since_its_opening(dw: DisciplineWorld) -> None:
    a = dw.rw.world.official_a.id
    await opened(dw)  # opened 05/03/2026
    assert (await discipline.standings([a], D(2026, 1, 1), D(2026, 3, 4)))[
        a
    ].open_case_since is None
    assert (await discipline.standings([a], D(2026, 1, 1), D(2026, 3, 5)))[a].open_case_since == D(
        2026, 3, 5
    )


async def test_the_effect_runs_from_the_party_decision(dw: DisciplineWorld) -> None:
    a = dw.rw.world.official_a.id
    case = await opened(dw)
    await discipline.record_party_decision(
        dw.personnel, case, Form.KHIEN_TRACH, D(2026, 3, 2), D(2026, 3, 3)
    )
    await walk_to(dw, case, CaseStage.DECIDED)
    (decision,) = (await discipline.standings([a], D(2026, 1, 1), D(2026, 12, 31)))[a].decisions
    assert (decision.decided_on, decision.effective_on, decision.ends_on) == (
        D(2026, 3, 27),
        D(2026, 3, 2),
        D(2027, 3, 2),
    )


async def test_a_closed_case_is_neither_open_nor_a_decision(dw: DisciplineWorld) -> None:
    a = dw.rw.world.official_a.id
    case = await opened(dw)
    await discipline.close(
        dw.personnel, case, D(2026, 3, 6), "Kết luận không vi phạm", today=D(2026, 3, 6)
    )
    assert (await discipline.standings([a], D(2026, 1, 1), D(2026, 12, 31)))[
        a
    ] == DisciplineStanding(a)


async def test_no_officials_no_queries() -> None:
    assert await discipline.standings([], D(2026, 1, 1), D(2026, 12, 31)) == {}


async def test_a_direct_case_needs_a_description(dw: DisciplineWorld) -> None:
    with pytest.raises(Invalid, match="mô tả"):
        await discipline.open_case(
            dw.personnel,
            OpenCase(official_id=dw.rw.world.official_a.id, violation_on=D(2026, 3, 1)),
            today=D(2026, 3, 5),
        )


async def test_a_constant_number_of_queries(
    dw: DisciplineWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = await opened(dw)
    await walk_to(dw, case, CaseStage.DECIDED)
    calls = []
    select = DisciplineCase.select

    def counted(*args: object, **kwargs: object) -> object:
        calls.append(args)
        return select(*args, **kwargs)

    monkeypatch.setattr(DisciplineCase, "select", counted)
    few = await discipline.standings([dw.rw.world.official_a.id], D(2026, 1, 1), D(2026, 12, 31))
    queries = len(calls)
    many = [*range(1, 400), dw.rw.world.official_a.id]
    found = await discipline.standings(many, D(2026, 1, 1), D(2026, 12, 31))
    assert len(calls) - queries == queries == 2
    assert set(found) == set(many) and found[dw.rw.world.official_a.id] == next(iter(few.values()))
