"""The quyết định thành lập đoàn kiểm tra: its trưởng đoàn or planner records number, date
and signer on the inspection's form (refused with the values kept when wrong, audited
when saved), the plan's page lists it; a plan records its signer, whom its .docx names."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.errors import Invalid
from congvu.inspect.inspections.services.team_decision import TeamDecisionForm, validate
from congvu.inspect.inspections.tables import Inspection, InspectionPlan

from tests import builders
from tests.conftest import login
from tests.inspections.conftest import InspectionWorld, local_today
from tests.inspections.test_documents import texts
from tests.inspections.test_plans import plan_form, post_form

pytestmark = pytest.mark.anyio


def decision_form(day: date, **extra: str) -> dict[str, object]:
    return {
        "number": "  125/QĐ-UBND ",
        "decided_on": f"{day:%d/%m/%Y}",
        "signer_name": "Lê  Văn Giám",
        "signer_title": "Giám đốc Sở Nội vụ",
        **extra,
    }


async def planned_inspection(client, iw: InspectionWorld) -> tuple[int, int, date]:
    """A plan made through the form by the team lead: (plan, inspection, its day)."""
    await login(client, "lead")
    assert (await post_form(client, "/plans/", plan_form(iw))).status_code == 303
    row = await Inspection.select().where(Inspection.plan.is_not_null()).first()
    return row["plan"], row["id"], row["scheduled_date"]


def url(inspection_id: int) -> str:
    return f"/plans/inspections/{inspection_id}/team-decision"


async def stored(inspection_id: int) -> dict[str, object]:
    return await (
        Inspection.select(
            Inspection.team_decision_number,
            Inspection.team_decision_date,
            Inspection.team_decision_signer,
            Inspection.team_decision_signer_title,
        )
        .where(Inspection.id == inspection_id)
        .first()
    )


async def test_the_planner_records_the_team_decision_and_the_plan_page_lists_it(client, iw) -> None:
    plan_id, inspection_id, day = await planned_inspection(client, iw)
    decided = min(day, local_today()) - timedelta(days=2)
    page = await client.get(f"/plans/{plan_id}")
    assert f'href="{url(inspection_id)}"' in page.text
    assert "Chưa ghi" in page.text
    assert (await client.get(url(inspection_id))).status_code == 200
    saved = await post_form(client, url(inspection_id), decision_form(decided))
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"] == f"/plans/{plan_id}"
    assert await stored(inspection_id) == {
        "team_decision_number": "125/QĐ-UBND",
        "team_decision_date": decided,
        "team_decision_signer": "Lê Văn Giám",
        "team_decision_signer_title": "Giám đốc Sở Nội vụ",
    }
    event = (
        await AuditEvent.select(AuditEvent.before, AuditEvent.after)
        .where(AuditEvent.action == "team_decision_recorded")
        .output(load_json=True)
        .first()
    )
    assert event["before"]["number"] == ""
    assert event["after"] == {
        "number": "125/QĐ-UBND",
        "date": f"{decided:%d/%m/%Y}",
        "signer": "Lê Văn Giám",
        "signer_title": "Giám đốc Sở Nội vụ",
    }
    page = await client.get(f"/plans/{plan_id}")
    assert "125/QĐ-UBND" in page.text and f"{decided:%d/%m/%Y}" in page.text
    # The form opens again with what is recorded; the same values add no audit event.
    again = await client.get(url(inspection_id))
    assert 'value="125/QĐ-UBND"' in again.text
    assert (await post_form(client, url(inspection_id), decision_form(decided))).status_code == 303
    assert await AuditEvent.count().where(AuditEvent.action == "team_decision_recorded") == 1


async def test_a_decision_dated_after_the_inspection_or_today_is_refused_with_the_values(
    client, iw
) -> None:
    await login(client, "lead")
    inspection_id = iw.inspection.id  # yesterday's (or the last working day's), lead on it
    today = local_today()
    late = await post_form(client, url(inspection_id), decision_form(today))
    assert late.status_code == 400
    assert f"Ngày quyết định không được sau ngày kiểm tra ({iw.day:%d/%m/%Y})." in late.text
    assert 'value="  125/QĐ-UBND "' in late.text  # as typed
    assert 'value="Giám đốc Sở Nội vụ"' in late.text
    future = await post_form(client, url(inspection_id), decision_form(today + timedelta(days=1)))
    assert future.status_code == 400
    assert "Ngày quyết định không được sau hôm nay." in future.text
    typo = await post_form(
        client, url(inspection_id), decision_form(today, decided_on="31/02/2026")
    )
    assert typo.status_code == 400
    assert "Ngày quyết định phải theo dạng dd/mm/yyyy." in typo.text
    assert 'value="31/02/2026"' in typo.text
    assert (await stored(inspection_id))["team_decision_number"] is None
    assert not await AuditEvent.exists().where(AuditEvent.action == "team_decision_recorded")


async def test_an_empty_number_is_refused_and_the_other_fields_come_back(client, iw) -> None:
    await login(client, "lead")
    day = iw.day - timedelta(days=1)
    response = await post_form(client, url(iw.inspection.id), decision_form(day, number="   "))
    assert response.status_code == 400
    assert "Nhập số, ký hiệu của quyết định thành lập đoàn." in response.text
    assert f'value="{day:%d/%m/%Y}"' in response.text
    assert 'value="Giám đốc Sở Nội vụ"' in response.text
    assert (await stored(iw.inspection.id))["team_decision_number"] is None


async def test_a_team_lead_neither_leading_nor_planning_it_is_refused(client, iw) -> None:
    await builders.account("lead2", role="team_lead", unit="P")
    await login(client, "lead2")
    day = iw.day - timedelta(days=1)
    assert (await client.get(url(iw.inspection.id))).status_code == 403
    response = await post_form(client, url(iw.inspection.id), decision_form(day))
    assert response.status_code == 403
    assert (await stored(iw.inspection.id))["team_decision_number"] is None


D = date(2026, 3, 10)  # the inspection's day; "today" is the 12th


@pytest.mark.parametrize(
    ("number", "decided_on", "error"),
    [
        ("125/QĐ-UBND", D, None),
        (" 37 / QĐ-SNV ", D - timedelta(days=3), None),
        ("", D, "number"),
        ("QĐ-UBND", D, "number"),  # no number before the symbol
        ("1/" + "X" * 38, D, None),  # 40 characters
        ("1/" + "X" * 39, D, "number"),  # 41
        ("125/QĐ-UBND", D + timedelta(days=1), "decided_on"),  # after the inspection
        ("125/QĐ-UBND", D + timedelta(days=3), "decided_on"),  # after today
    ],
)
def test_validation_of_number_and_date(number: str, decided_on: date, error: str | None) -> None:
    form = TeamDecisionForm(number, decided_on, "Lê Văn Giám", "Giám đốc")
    if error is None:
        assert validate(form, D, date(2026, 3, 12)).number == " ".join(number.split())
        return
    with pytest.raises(Invalid) as refused:
        validate(form, D, date(2026, 3, 12))
    assert refused.value.field == error


async def test_the_plan_docx_is_signed_by_the_signer_the_plan_records(client, iw) -> None:
    await login(client, "lead")
    form = plan_form(iw, signer_name="Lê Văn Giám", signer_title="Giám đốc Sở Nội vụ")
    assert (await post_form(client, "/plans/", form)).status_code == 303
    plan = await InspectionPlan.select().first()
    assert (plan["signer_name"], plan["signer_title"]) == ("Lê Văn Giám", "Giám đốc Sở Nội vụ")
    _, cells = texts((await client.get(f"/plans/{plan['id']}/plan.docx")).content)
    assert "GIÁM ĐỐC SỞ NỘI VỤ" in cells and "Lê Văn Giám" in cells
    assert "NGƯỜI KÝ" not in cells
    # Changed on the plan's page: audited, and the file follows.
    changed = await post_form(
        client,
        f"/plans/{plan['id']}/signer",
        {"signer_name": "Trần Thị Phó", "signer_title": "Phó Giám đốc Sở Nội vụ"},
    )
    assert changed.status_code == 303, changed.text
    _, cells = texts((await client.get(f"/plans/{plan['id']}/plan.docx")).content)
    assert "PHÓ GIÁM ĐỐC SỞ NỘI VỤ" in cells and "Trần Thị Phó" in cells
    assert "Lê Văn Giám" not in cells
    event = (
        await AuditEvent.select(AuditEvent.before, AuditEvent.after)
        .where(AuditEvent.action == "inspection_plan_signer_set")
        .output(load_json=True)
        .first()
    )
    assert event["before"] == {"signer": "Lê Văn Giám", "signer_title": "Giám đốc Sở Nội vụ"}
    assert event["after"] == {"signer": "Trần Thị Phó", "signer_title": "Phó Giám đốc Sở Nội vụ"}
    half = await post_form(client, f"/plans/{plan['id']}/signer", {"signer_name": "Trần Thị Phó"})
    assert half.status_code == 400
    assert "Nhập chức vụ của người ký kế hoạch." in half.text
    assert 'value="Trần Thị Phó"' in half.text


async def test_a_plan_without_a_signer_keeps_the_blank_block_and_a_half_signer_is_refused(
    client, iw
) -> None:
    await login(client, "lead")
    assert (await post_form(client, "/plans/", plan_form(iw))).status_code == 303
    plan = await InspectionPlan.select().first()
    _, cells = texts((await client.get(f"/plans/{plan['id']}/plan.docx")).content)
    assert "NGƯỜI KÝ" in cells
    refused = await post_form(
        client, "/plans/", plan_form(iw, title="Kế hoạch khác", signer_title="Giám đốc")
    )
    assert refused.status_code == 400
    assert "Nhập họ tên người ký kế hoạch." in refused.text
    assert 'value="Giám đốc"' in refused.text


async def test_the_minutes_cite_the_recorded_team_decision(client, iw) -> None:
    await login(client, "lead")
    link = f"/inspections/{iw.inspection.id}/minutes"
    paragraphs, _ = texts((await client.get(f"{link}.docx")).content)
    assert not any("thành lập Đoàn kiểm tra" in p for p in paragraphs)
    day = iw.day - timedelta(days=3)
    assert (await post_form(client, url(iw.inspection.id), decision_form(day))).status_code == 303
    basis = f"Căn cứ Quyết định số 125/QĐ-UBND ngày {day:%d/%m/%Y} về việc thành lập Đoàn kiểm tra;"
    paragraphs, _ = texts((await client.get(f"{link}.docx")).content)
    assert basis in paragraphs
    page = (await client.get(link)).text
    assert basis in page
    assert "Ghi quyết định thành lập đoàn kiểm tra" in page  # the inspection's history
