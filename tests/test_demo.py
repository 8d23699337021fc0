"""The demo organisation is realistic and complete: one account per role."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from congvu.inspect import clock
from congvu.inspect.demo import DEMO_ACCOUNTS, seed_demo
from congvu.inspect.inspections.tables import Inspection
from congvu.inspect.organisation.tables import Official, Role, Unit, User, WorkSchedule

pytestmark = pytest.mark.anyio


# demo_db: `seed_demo()` run once in this run's empty database (tests/conftest.py), restored
# for each test; the Sunday one below seeds afresh.


async def test_demo_seeds_a_province_with_communes_officials_and_every_role(demo_db) -> None:
    officials = await Official.select(Official.full_name, Official.category)
    assert 55 <= len(officials) <= 70
    assert {o["category"] for o in officials} >= {
        "can_bo",
        "cong_chuc",
        "vien_chuc",
        "nguoi_lao_dong",
    }
    # Real Vietnamese names with diacritics, three words or more.
    assert all(len(o["full_name"].split()) >= 3 for o in officials)
    assert any("ễ" in o["full_name"] or "ư" in o["full_name"] for o in officials)
    communes = await Unit.select(Unit.code).where(Unit.kind == "commune", Unit.valid_to.is_null())
    assert len(communes) == 4
    merged = await Unit.select(Unit.merged_into.code).where(Unit.valid_to.is_not_null())
    assert {m["merged_into.code"] for m in merged} == {"NA-TV"}
    assert await WorkSchedule.count() == 2
    roles = {u["role"] for u in await User.select(User.role)}
    assert roles == {r.value for r in Role}
    assert {a.username for a in DEMO_ACCOUNTS} == {
        u["username"] for u in await User.select(User.username)
    }


async def test_demo_done_inspections_have_their_team_decisions_and_plans_their_signer(
    demo_db,
) -> None:
    from congvu.inspect.inspections.tables import InspectionPlan

    rows = await Inspection.select(
        Inspection.status,
        Inspection.scheduled_date,
        Inspection.team_decision_number,
        Inspection.team_decision_date,
        Inspection.team_decision_signer,
    )
    done = [r for r in rows if r["status"] in ("submitted", "closed")]
    assert done and all(r["team_decision_number"].endswith("/QĐ-SNV") for r in done)
    assert all(
        timedelta(days=1) < r["scheduled_date"] - r["team_decision_date"] < timedelta(days=10)
        for r in done
    )
    assert all(len(r["team_decision_signer"].split()) >= 3 for r in done)
    # Today's planned inspection waits for its decision.
    planned = [r for r in rows if r["status"] == "planned" and r["scheduled_date"] == clock.today()]
    assert any(r["team_decision_number"] is None for r in planned)
    signers = {(p["signer_name"] != "", p["signer_title"]) for p in await InspectionPlan.select()}
    assert signers == {(True, "Giám đốc Sở Nội vụ")}


async def test_demo_is_idempotent(demo_db) -> None:
    count = await Official.count()
    await seed_demo()
    assert await Official.count() == count


async def test_demo_gives_the_head_and_the_official_review_items(demo_db) -> None:
    from congvu.inspect.dossiers.tables import Dossier
    from congvu.inspect.inspections.tables import Finding
    from congvu.inspect.organisation.services import accounts
    from congvu.inspect.review import api as review
    from congvu.inspect.review.services import queue as review_queue
    from congvu.inspect.review.tables import DossierDecision, FindingReview

    # The demo history's checks (inspect/demo/history.py) are all two weeks old or more.
    recent = (FindingReview.finding.inspection.is_null()) | (
        FindingReview.finding.inspection.scheduled_date > clock.today() - timedelta(days=14)
    )
    states = [r["state"] for r in await FindingReview.select(FindingReview.state).where(recent)]
    # Three findings of the inspection, and one late dossier the head took up.
    assert len(states) == 4
    assert set(states) == {"notified"}
    past = {r["state"] for r in await FindingReview.select(FindingReview.state)} - {"notified"}
    assert "closed" in past
    outcomes = sorted(r["outcome"] for r in await DossierDecision.select(DossierDecision.outcome))
    assert outcomes == ["dismissed", "taken_up"]

    users = {u["username"]: u["id"] for u in await User.select(User.id, User.username)}
    head = await accounts.actor_for(users["thutruong.truongvinh"])
    assert head is not None
    kinds = [item.kind.value for item in await review_queue.queue(head)]
    assert kinds.count("dossier") >= 2
    official = await accounts.actor_for(users["congchuc"])
    assert official is not None and official.official_id is not None
    case = (
        await Finding.select(Finding.id, Finding.official, Finding.dossier.code)
        .where(Finding.dossier.is_not_null())
        .first()
    )
    # The demo export gives the demo official one dossier resolved late without an apology;
    # the head took it up, so it waits for their explanation.
    theirs = await Dossier.select(Dossier.code, Dossier.flags).where(
        Dossier.official == official.official_id
    )
    planted = [d for d in theirs if d["code"].startswith("DEMO-")]
    assert [d["flags"] for d in planted] == ["APOLOGY_MISSING;RESOLVED_LATE"]
    assert case["dossier.code"] == planted[0]["code"]  # the planted dossier is the case
    assert case["official"] == official.official_id
    assert case["id"] in [item.id for item in await review.mine(official)]


async def test_demo_units_show_published_values_beside_their_estimates(demo_db) -> None:
    from congvu.inspect.dossiers.services.queries import Filters, unit_dossiers
    from congvu.inspect.organisation.services import accounts
    from congvu.inspect.periods import report_scheme
    from congvu.rules.periods import PeriodKind, period_of

    users = {u["username"]: u["id"] for u in await User.select(User.id, User.username)}
    head = await accounts.actor_for(users["thutruong.truongvinh"])
    reporter = await accounts.actor_for(users["baocao"])
    assert head is not None and reporter is not None
    unit = await Unit.select(Unit.id).where(Unit.code == "NA-TV").first()
    view = await unit_dossiers(head, unit["id"], Filters())
    # Two finished quarters, each a row of the estimates table; the current one not yet.
    assert len(view.published) == 2 and view.published_only == []
    assert set(view.published) <= {p.period for p in view.periods}
    current = period_of(clock.today(), PeriodKind.QUARTER, report_scheme()).name
    assert all(period < current for period in view.published)
    for value in view.published.values():
        assert value.timeliness is not None and 80 <= value.timeliness <= 100
        assert value.online is not None and 0 < value.online < value.timeliness
        assert value.source.startswith("Cổng Dịch vụ công quốc gia")
        assert value.entered_by == reporter.display_name
    # A commune whose values nobody has entered yet stays empty.
    other = await Unit.select(Unit.id).where(Unit.code == "NA-NL").first()
    admin = await accounts.actor_for(users["admin"])
    assert admin is not None
    assert (await unit_dossiers(admin, other["id"], Filters())).published == {}


async def test_the_demo_seeds_on_a_sunday_lunchtime_and_says_why(
    clean_db, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo plans today's inspection; on a day off it records why, as a team must."""
    # Sunday 06/12/2026, 12:14 in Hà Nội.
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 12, 6, 5, 14, tzinfo=UTC))
    await seed_demo()
    today = await Inspection.select(Inspection.kind, Inspection.off_hours_reason).where(
        Inspection.scheduled_date == clock.today()
    )
    assert {row["kind"] for row in today} == {"SCHEDULED", "SURPRISE_UNANNOUNCED"}
    assert all("ngày nghỉ" in row["off_hours_reason"] for row in today)
