"""Team leads plan inspections, see coverage and draw surprise inspections by lot."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.inspections.services import assigned as inspections
from congvu.inspect.inspections.services import coverage, surprise_draws
from congvu.inspect.inspections.tables import (
    Inspection,
    InspectionMember,
    InspectionPlan,
    SurpriseDraw,
)
from congvu.inspect.organisation.services import accounts
from congvu.inspect.organisation.tables import User

from tests import builders
from tests.conftest import login
from tests.inspections.conftest import (
    InspectionWorld,
    local_today,
    next_day_off,
    next_working_day,
    send,
    start_record,
    working_day_this_quarter,
)

pytestmark = pytest.mark.anyio


def plan_form(iw: InspectionWorld, **extra: object) -> dict[str, object]:
    today = local_today()
    quarter = (today.month - 1) // 3 + 1
    unit = iw.world.commune_b.id
    inspector = iw.world.users["inspector"].id
    return {
        "title": "Kế hoạch kiểm tra công vụ quý này",
        "year": str(today.year),
        "quarter": str(quarter),
        "document_no": "12/KH-SNV",
        "topic": ["working_hours", "conduct"],
        "unit": [str(unit)],
        # As the form sends it: dd/mm/yyyy, whatever the browser's language.
        f"date_{unit}": f"{working_day_this_quarter():%d/%m/%Y}",
        "member": [str(iw.lead.id), str(inspector)],
        f"role_{iw.lead.id}": "truong_doan",
        f"role_{inspector}": "thanh_vien",
        **extra,
    }


def draw_form(iw: InspectionWorld, count: int) -> dict[str, object]:
    """The sealed surprise draw's form: ``count`` units on the next working day."""
    inspector = iw.world.users["inspector"].id
    return {
        "count": str(count),
        "scheduled_date": next_working_day().isoformat(),
        "kind": "SURPRISE_UNANNOUNCED",
        "topic": ["working_hours"],
        "member": [str(iw.lead.id), str(inspector)],
        f"role_{iw.lead.id}": "truong_doan",
        f"role_{inspector}": "thanh_vien",
    }


async def post_form(client, url: str, data: dict[str, object]):
    return await client.post(
        url,
        data={**data, "_csrf_token": client.cookies.get("csrftoken")},
        follow_redirects=False,
    )


async def test_a_team_lead_creates_a_plan_with_its_inspections_and_team(client, iw) -> None:
    await login(client, "lead")
    assert (await client.get("/plans/new")).status_code == 200
    response = await post_form(client, "/plans/", plan_form(iw))
    assert response.status_code == 303, response.text
    plan = await InspectionPlan.select().output(load_json=True).first()
    assert response.headers["location"] == f"/plans/{plan['id']}"
    assert (plan["period_kind"], plan["quarter"]) == ("quarter", (local_today().month - 1) // 3 + 1)
    inspection = await Inspection.select().where(Inspection.plan == plan["id"]).first()
    assert inspection["unit"] == iw.world.commune_b.id
    assert inspection["status"] == "planned"
    roles = {
        m["user"]: m["role"]
        for m in await InspectionMember.select().where(
            InspectionMember.inspection == inspection["id"]
        )
    }
    assert roles == {iw.lead.id: "truong_doan", iw.world.users["inspector"].id: "thanh_vien"}
    assert await AuditEvent.exists().where(AuditEvent.action == "inspection_plan_created")
    page = await client.get(f"/plans/{plan['id']}")
    assert "Xã Bình Minh" in page.text
    assert "Kế hoạch kiểm tra công vụ quý này" in (await client.get("/plans")).text


async def test_a_plan_without_a_team_lead_re_renders_with_the_message(client, iw) -> None:
    await login(client, "lead")
    form = plan_form(iw)
    form[f"role_{iw.lead.id}"] = "thanh_vien"
    response = await post_form(client, "/plans/", form)
    assert response.status_code == 400
    assert "Đoàn kiểm tra cần đúng một Trưởng đoàn." in response.text
    assert 'value="Kế hoạch kiểm tra công vụ quý này"' in response.text
    assert await InspectionPlan.count() == 0


async def test_a_plan_on_a_day_off_needs_a_written_reason(client, iw) -> None:
    await login(client, "lead")
    unit = iw.world.commune_b.id
    today = local_today()
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    sunday = quarter_start + timedelta(days=(6 - quarter_start.weekday()) % 7)
    form = plan_form(iw, **{f"date_{unit}": sunday.isoformat()})
    refused = await post_form(client, "/plans/", form)
    assert refused.status_code == 400
    expected = f"{sunday:%d/%m/%Y} (Chủ nhật) không phải ngày làm việc."
    assert expected in refused.text
    # The form comes back as typed, with the field for the reason.
    assert 'name="off_day_reason"' in refused.text
    assert 'value="Kế hoạch kiểm tra công vụ quý này"' in refused.text
    assert await InspectionPlan.count() == 0
    reason = "Kiểm tra ca trực một cửa ngày Chủ nhật theo lịch của UBND phường"
    created = await post_form(client, "/plans/", {**form, "off_day_reason": reason})
    assert created.status_code == 303, created.text
    stored = await Inspection.select(Inspection.off_hours_reason).where(
        Inspection.plan.is_not_null()
    )
    assert [s["off_hours_reason"] for s in stored] == [reason]
    event = (
        await AuditEvent.select(AuditEvent.after)
        .where(AuditEvent.action == "inspection_plan_created")
        .output(load_json=True)
        .first()
    )
    assert event["after"]["off_day_reason"] == reason


async def test_a_surprise_draw_on_a_day_off_needs_a_written_reason(client, iw) -> None:
    await login(client, "lead")
    inspector = iw.world.users["inspector"].id
    form = {
        "count": "1",
        "scheduled_date": next_day_off().isoformat(),
        "kind": "SURPRISE_UNANNOUNCED",
        "topic": ["working_hours"],
        "member": [str(iw.lead.id), str(inspector)],
        f"role_{iw.lead.id}": "truong_doan",
        f"role_{inspector}": "thanh_vien",
    }
    refused = await post_form(client, "/plans/draw", form)
    assert refused.status_code == 400
    assert "không phải ngày làm việc" in refused.text
    assert await SurpriseDraw.count() == 0
    drawn = await post_form(client, "/plans/draw", {**form, "off_day_reason": "Trực Tết"})
    assert drawn.status_code == 303, drawn.text
    stored = await Inspection.select(Inspection.off_hours_reason).where(
        Inspection.draw.is_not_null()
    )
    assert [s["off_hours_reason"] for s in stored] == ["Trực Tết"]


async def test_plan_dates_are_dd_mm_yyyy_text_fields_and_an_impossible_date_is_refused(
    client, iw
) -> None:
    await login(client, "lead")
    for url in ("/plans/new", "/plans/draw"):
        page = (await client.get(url)).text
        assert 'type="date"' not in page
        assert 'placeholder="dd/mm/yyyy"' in page
    unit = iw.world.commune_b.id
    refused = await post_form(client, "/plans/", plan_form(iw, **{f"date_{unit}": "31/02/2026"}))
    assert refused.status_code == 400
    assert "Chọn ngày kiểm tra." in refused.text
    assert 'value="31/02/2026"' in refused.text
    assert await InspectionPlan.count() == 0


async def test_a_date_outside_the_quarter_is_refused(client, iw) -> None:
    await login(client, "lead")
    unit = iw.world.commune_b.id
    far = (local_today() + timedelta(days=200)).isoformat()
    response = await post_form(client, "/plans/", plan_form(iw, **{f"date_{unit}": far}))
    assert response.status_code == 400
    assert "Ngày kiểm tra phải nằm trong kỳ của kế hoạch." in response.text


async def test_assigning_an_inspector_of_the_inspected_unit_warns(client, iw) -> None:
    insider = await builders.account(
        "insider",
        role="inspector",
        unit="P",
        display_name="Nguyễn Thị Lan",
        official="A001",  # works at commune A's service centre
    )
    await login(client, "lead")
    form = plan_form(iw)
    unit_a = iw.world.commune_a.id
    form.update(
        {
            "unit": [str(unit_a)],
            f"date_{unit_a}": working_day_this_quarter().isoformat(),
            "member": [str(iw.lead.id), str(insider.id)],
            f"role_{insider.id}": "thanh_vien",
        }
    )
    check = await post_form(client, "/plans/team-check", form)
    assert "Nguyễn Thị Lan thuộc đơn vị được kiểm tra (Phường An Hòa)" in check.text
    created = await post_form(client, "/plans/", form)
    page = await client.get(created.headers["location"])
    assert "Nguyễn Thị Lan thuộc đơn vị được kiểm tra" in page.text


async def test_plans_are_for_team_leads_and_admins_only(client, iw) -> None:
    for username, status in (("inspector", 403), ("head_a", 403), ("admin", 200)):
        await login(client, username)
        assert (await client.get("/plans")).status_code == status, username


async def test_coverage_lists_units_never_and_long_not_inspected(client, iw) -> None:
    old = iw.inspection
    await login(client, "inspector")
    (started,) = await send(client, start_record(iw))
    assert started["status"] == "created"
    await login(client, "lead")
    today = local_today()
    quarter = (today.month - 1) // 3 + 1
    report = await coverage.coverage(
        await accounts.actor_for(iw.lead.id), today.year, quarter, stale_days=1
    )
    by_code = {r.unit_code: r for r in report.rows}
    assert by_code["P-A"].last_inspected == iw.day
    assert "P-B" in {r.unit_code for r in report.never}
    assert "P-A" not in {r.unit_code for r in report.never}
    page = await client.get(f"/plans/coverage?year={today.year}&quarter={quarter}&days=1")
    assert page.status_code == 200
    assert "Xã Bình Minh" in page.text
    assert old.id


async def test_a_surprise_draw_is_reproducible_from_its_seed(client, iw) -> None:
    await login(client, "lead")
    response = await post_form(
        client,
        "/plans/draw",
        draw_form(iw, 2),
    )
    assert response.status_code == 303, response.text
    draw = await SurpriseDraw.select().output(load_json=True).first()
    assert len(draw["result"]) == 2
    assert set(draw["weights"]) >= set(draw["result"])
    # Anyone can re-run the draw from the stored seed and weights and get the same units.
    assert surprise_draws.draw_units(draw["seed"], draw["weights"], 2) == draw["result"]
    lead = await accounts.actor_for(iw.lead.id)
    assert (await surprise_draws.recheck_draw(lead, draw["id"])).reproducible
    drawn = await Inspection.select(Inspection.unit.code, Inspection.sealed).where(
        Inspection.draw == draw["id"]
    )
    assert sorted(d["unit.code"] for d in drawn) == sorted(draw["result"])
    assert all(d["sealed"] for d in drawn)
    # The approver sees them; another team lead does not even see the draw.
    assert "Niêm phong" in (await client.get("/plans/draw")).text
    viewed = await AuditEvent.count().where(
        AuditEvent.action == "sealed_inspection_viewed", AuditEvent.actor_username == "lead"
    )
    assert viewed == 2
    other = await builders.account("lead2", role="team_lead", unit="P")
    await login(client, "lead2")
    page = await client.get("/plans/draw")
    assert draw["seed"] not in page.text
    assert "Niêm phong" not in page.text
    assert other.id


def test_the_draw_favours_units_with_findings_but_spares_none() -> None:
    weights = {"A": 1, "B": 9}
    firsts = [surprise_draws.draw_units(str(seed), weights, 1)[0] for seed in range(400)]
    assert 0.8 < firsts.count("B") / 400 < 0.97
    assert sorted(surprise_draws.draw_units("x", weights, 5)) == ["A", "B"]


async def test_seeded_demo_gives_the_inspector_todays_inspection(demo_db) -> None:
    kiemtra = await User.select(User.id).where(User.username == "kiemtra").first()
    actor = await accounts.actor_for(kiemtra["id"])
    assigned = await inspections.assigned(actor)
    scheduled = [a for a in assigned if a.kind == "SCHEDULED"]
    assert [(a.unit.code, a.scheduled_date) for a in scheduled] == [("NA-TV", local_today())]
    assert len(scheduled[0].roster) > 5
    assert sum(1 for a in assigned if a.kind.startswith("SURPRISE")) == 1
