"""An official's record for a period: confirmed findings counted on the day they were
confirmed (a local day, in CONGVU_TIME_ZONE), late-dossier cases taken up about them,
follow-ups decided; dismissed findings and other officials' findings never in it."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from congvu.inspect.dossiers.tables import Dossier
from congvu.inspect.review import api as review
from congvu.inspect.review.api import Command, DossierCommand
from congvu.inspect.review.services.suggestions import confirmed_history
from congvu.inspect.review.tables import FindingReview
from congvu.inspect.settings import get_settings

from tests.worlds import MONDAY, ReviewWorld

pytestmark = pytest.mark.anyio

ZONE = get_settings().zone


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=ZONE)


async def decided(
    rw: ReviewWorld, finding: int, outcome: str, on: datetime, head: str = "head_a"
) -> None:
    """Notified on MONDAY (02/03/2026), window waived, then ``outcome`` at ``on``."""
    actor = await rw.actor(head)
    await review.transition(actor, finding, Command("notify"), now=MONDAY)
    await review.transition(actor, finding, Command("waive", reason="Không giải trình"), now=MONDAY)
    await review.transition(actor, finding, Command(outcome, reason="Đã đối chiếu"), now=on)


async def late_dossier(rw: ReviewWorld, code: str) -> int:
    row = Dossier(
        code=code,
        procedure="Cấp Giấy chứng nhận quyền sử dụng đất lần đầu",
        sector="Đất đai",
        unit=rw.world.desk_a.id,
        official=rw.world.official_a.id,
        official_name=rw.world.official_a.full_name,
        received_at=at(date(2026, 2, 23), 8),
        due_at=at(date(2026, 2, 26), 17),
        finished_at=None,
        status="overdue",
        working_days_late=2,
        flags="OVERDUE_IN_PROGRESS",
        evaluated_on=date(2026, 3, 2),
        updated_at=MONDAY,
    )
    await row.save()
    return int(row.id)


@pytest.fixture
async def planted(rw: ReviewWorld) -> dict[str, int]:
    """Official A: one finding confirmed at 00:30 on Tue 10/03/2026 (17:30 UTC the day
    before) with its follow-up on 12/03, one confirmed on 01/04, one dismissed on 11/03,
    a late dossier taken up on 02/03; official B: one finding confirmed on 10/03."""
    a = rw.world.official_a
    march = await rw.finding(a)
    april = await rw.finding(a, "DRESS")
    dismissed = await rw.finding(a, "SMOKING")
    await decided(rw, march, "confirm", at(date(2026, 3, 10), 0, 30))
    await review.transition(
        await rw.actor("head_a"),
        march,
        Command("decide_follow_up", follow_up="REMIND", reason="Lần đầu"),
        now=at(date(2026, 3, 12)),
    )
    await decided(rw, april, "confirm", at(date(2026, 4, 1)))
    await decided(rw, dismissed, "dismiss", at(date(2026, 3, 11)))
    other = await rw.finding(rw.world.official_b, inspection=rw.inspection_b)
    await decided(rw, other, "confirm", at(date(2026, 3, 10)), head="head_p")
    dossier = await late_dossier(rw, "D-REC-1")
    taken = await review.decide(
        await rw.actor("head_a"), dossier, DossierCommand("take_up"), now=MONDAY
    )
    assert taken.finding_id is not None
    return {
        "march": march,
        "april": april,
        "dismissed": dismissed,
        "other": other,
        "dossier": dossier,
        "case": taken.finding_id,
    }


D = date
RECORDS = [
    # (official, start, end, confirmed, dossier cases, follow-ups)
    ("a", D(2026, 3, 1), D(2026, 3, 31), ["march"], ["case"], ["march"]),
    ("a", D(2026, 3, 10), D(2026, 3, 10), ["march"], [], []),  # the confirmation day only
    ("a", D(2026, 3, 1), D(2026, 3, 9), [], ["case"], []),  # ends the day before (local)
    ("a", D(2026, 3, 11), D(2026, 3, 31), [], [], ["march"]),  # starts the day after
    ("a", D(2026, 3, 11), D(2026, 3, 11), [], [], []),  # the dismissal day: nothing
    ("a", D(2026, 4, 1), D(2026, 4, 30), ["april"], [], []),
    ("a", D(2026, 1, 1), D(2026, 12, 31), ["march", "april"], ["case"], ["march"]),
    ("a", D(2025, 1, 1), D(2025, 12, 31), [], [], []),
    ("b", D(2026, 3, 1), D(2026, 3, 31), ["other"], [], []),
    ("b", D(2026, 4, 1), D(2026, 4, 30), [], [], []),
]


@pytest.mark.parametrize(("who", "start", "end", "confirmed", "cases", "follow_ups"), RECORDS)
async def test_an_officials_record_for_a_period(
    rw: ReviewWorld,
    planted: dict[str, int],
    who: str,
    start: date,
    end: date,
    confirmed: list[str],
    cases: list[str],
    follow_ups: list[str],
) -> None:
    official = rw.world.official_a if who == "a" else rw.world.official_b
    record = await review.official_record(official.id, start, end)
    assert (record.official_id, record.start, record.end) == (official.id, start, end)
    assert [f.finding_id for f in record.confirmed] == [planted[k] for k in confirmed]
    assert [c.finding_id for c in record.dossier_cases] == [planted[k] for k in cases]
    assert [f.finding_id for f in record.follow_ups] == [planted[k] for k in follow_ups]
    assert record.discipline == ()


async def test_the_record_names_rule_code_severity_and_days(
    rw: ReviewWorld, planted: dict[str, int]
) -> None:
    record = await review.official_record(rw.world.official_a.id, D(2026, 3, 1), D(2026, 4, 30))
    march, april = record.confirmed
    assert (march.violation_code, march.rule_id, march.rule_version) == (
        "LATE_ARRIVAL",
        "conduct.LATE_ARRIVAL",
        "2025.1",
    )
    assert (march.severity, march.observed_on, march.decided_on) == (
        "minor",
        (MONDAY - timedelta(days=7)).date(),
        D(2026, 3, 10),
    )
    assert (march.inspection_id, march.dossier_id) == (rw.inspection_a.id, None)
    assert (april.violation_code, april.decided_on) == ("DRESS", D(2026, 4, 1))
    (case,) = record.dossier_cases
    assert (case.dossier_id, case.dossier_code, case.flags) == (
        planted["dossier"],
        "D-REC-1",
        ("OVERDUE_IN_PROGRESS",),
    )
    assert (case.taken_up_on, case.state, case.outcome) == (D(2026, 3, 2), "notified", None)
    (follow_up,) = record.follow_ups
    assert (follow_up.follow_up, follow_up.decided_on) == ("REMIND", D(2026, 3, 12))


async def test_a_decided_case_shows_its_outcome_and_counts_once_confirmed(
    rw: ReviewWorld, planted: dict[str, int]
) -> None:
    head = await rw.actor("head_a")
    case = planted["case"]
    await review.transition(head, case, Command("waive", reason="Không giải trình"), now=MONDAY)
    await review.transition(head, case, Command("confirm", reason="Trễ"), now=at(D(2026, 3, 20)))
    record = await review.official_record(rw.world.official_a.id, D(2026, 3, 1), D(2026, 3, 31))
    # Oldest observation first: the inspection on 23/02, the missed date 26/02.
    assert [f.finding_id for f in record.confirmed] == [planted["march"], case]
    assert record.confirmed[1].dossier_id == planted["dossier"]
    (listed,) = record.dossier_cases
    assert (listed.state, listed.outcome) == ("confirmed", "confirmed")


async def test_the_escalation_history_is_read_from_the_record(
    rw: ReviewWorld, planted: dict[str, int]
) -> None:
    # Every confirmed violation whatever its date, oldest observation first; the finding
    # being judged left out; dismissed findings and other officials' never in it.
    history = await confirmed_history(rw.world.official_a.id)
    observed = (MONDAY - timedelta(days=7)).date()
    assert [(v.code, v.on) for v in history] == [("LATE_ARRIVAL", observed), ("DRESS", observed)]
    without = await confirmed_history(rw.world.official_a.id, exclude=planted["march"])
    assert [v.code for v in without] == ["DRESS"]
    assert [v.code for v in await confirmed_history(rw.world.official_b.id)] == ["LATE_ARRIVAL"]


async def test_one_official_costs_the_same_queries_however_many_findings(
    rw: ReviewWorld, planted: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = type(FindingReview._meta.db)
    run = engine.run_querystring
    count = 0

    async def counted(self: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal count
        count += 1
        return await run(self, *args, **kwargs)

    async def queries() -> int:
        nonlocal count
        count = 0
        monkeypatch.setattr(engine, "run_querystring", counted)
        await review.official_record(rw.world.official_a.id, D(2026, 1, 1), D(2026, 12, 31))
        monkeypatch.setattr(engine, "run_querystring", run)
        return count

    before = await queries()
    for code in ("DRESS", "LATE_ARRIVAL", "EARLY_LEAVE"):
        more = await rw.finding(rw.world.official_a, code)
        await decided(rw, more, "confirm", at(D(2026, 3, 16)))
    # Confirmed findings, follow-ups, dossier decisions and their cases' reviews.
    assert before == await queries() == 4
