"""A conviction on a case (NĐ 172/2025 Art. 21.2): recorded on a case or a case opened from
it, the case skips the kiểm điểm and the council, its decision is buộc thôi việc due 15
working days from receipt of the judgment, overdue after that; audited; over HTTP too.
Deadlines hand-computed on the 2026 calendar: March 2026 has no holiday; Tết is 16-20/02."""

from __future__ import annotations

from typing import Any

import pytest
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.discipline import api as discipline
from congvu.inspect.discipline.api import CaseStage, ConvictionInput, DecisionInput, OpenCase
from congvu.inspect.errors import Conflict, Invalid
from congvu.inspect.organisation.tables import Official
from congvu.rules.discipline import Form

from tests.conftest import login
from tests.discipline.conftest import D, DisciplineWorld, confirmed_finding
from tests.discipline.test_http import Today, post

pytestmark = pytest.mark.anyio

JUDGMENT = ConvictionInput("25/2026/HS-ST", "Tòa án nhân dân khu vực 1", D(2026, 3, 2), "prison")


async def test_a_conviction_skips_to_the_decision_due_in_15_working_days(
    dw: DisciplineWorld,
) -> None:
    finding = await confirmed_finding(dw.rw)
    case = await discipline.open_case(
        dw.personnel, OpenCase(finding_ids=[finding]), today=D(2026, 3, 5)
    )
    await discipline.record_conviction(dw.personnel, case, JUDGMENT, today=D(2026, 3, 5))
    t = await discipline.case_timeline(dw.personnel, case, today=D(2026, 3, 23))
    # Received Monday 02/03/2026: 15 working days = 23/03/2026 (three weeks, no holiday).
    assert t.next is CaseStage.DECIDED and t.next_deadline == D(2026, 3, 23) and not t.overdue
    assert t.file.case["merited"] == "BUOC_THOI_VIEC"  # 10-year thời hiệu
    rows = {r.stage: r for r in t.rows}
    assert all(rows[s].skipped for s in discipline.STEPS[:5])
    assert "Điều 21 khoản 2" in rows[CaseStage.DECIDED].deadline.explanation_vi
    late = await discipline.case_timeline(dw.personnel, case, today=D(2026, 3, 24))
    assert late.overdue
    with pytest.raises(Invalid, match="hình thức kỷ luật là buộc thôi việc"):
        await discipline.decide(
            dw.personnel,
            case,
            DecisionInput(D(2026, 3, 20), Form.KHIEN_TRACH, "9/QĐ", "Chủ tịch"),
            today=D(2026, 3, 20),
        )
    with pytest.raises(Conflict, match="đã ghi bản án"):
        await discipline.record_conviction(dw.personnel, case, JUDGMENT, today=D(2026, 3, 5))
    await discipline.decide(
        dw.personnel,
        case,
        DecisionInput(D(2026, 3, 20), Form.BUOC_THOI_VIEC, "9/QĐ-UBND", "Chủ tịch"),
        today=D(2026, 3, 20),
    )
    done = await discipline.case_timeline(dw.personnel, case, today=D(2026, 3, 24))
    assert done.file.stage is CaseStage.DECIDED
    decided = next(r for r in done.rows if r.stage is CaseStage.DECIDED)
    assert decided.deadline.on_time is True
    actions = [
        r["action"]
        for r in await AuditEvent.select(AuditEvent.action)
        .where(AuditEvent.object_type == "discipline_case", AuditEvent.object_id == str(case))
        .order_by(AuditEvent.id)
    ]
    assert actions == ["discipline_case_opened", "discipline_conviction", "discipline_decided"]


async def test_a_case_opened_from_a_judgment_across_tet(dw: DisciplineWorld) -> None:
    case = await discipline.open_from_conviction(
        dw.personnel,
        dw.rw.world.official_a.id,
        ConvictionInput("3/2026/HS-PT", "Tòa án nhân dân tỉnh", D(2026, 2, 5), "corruption"),
        description="Nhận hối lộ",
        violation_on=D(2025, 6, 10),
        today=D(2026, 2, 6),
    )
    t = await discipline.case_timeline(dw.personnel, case, today=D(2026, 2, 6))
    # Thursday 05/02/2026 + 15 working days, Tết 16-20/02 not counted: 05/03/2026.
    assert t.file.case["discovered_on"] == D(2026, 2, 5)
    assert t.next is CaseStage.DECIDED and t.next_deadline == D(2026, 3, 5)


async def test_a_vien_chuc_conviction_has_no_invented_limit(dw: DisciplineWorld) -> None:
    await Official.update({Official.category: "vien_chuc"}).where(
        Official.id == dw.rw.world.official_a.id
    )
    case = await discipline.open_from_conviction(
        dw.personnel,
        dw.rw.world.official_a.id,
        ConvictionInput("3/2026/HS-PT", "Tòa án nhân dân tỉnh", D(2026, 2, 5), "prison"),
        description="Cố ý gây thương tích",
        violation_on=D(2025, 6, 10),
        today=D(2026, 2, 6),
    )
    t = await discipline.case_timeline(dw.personnel, case, today=D(2026, 2, 6))
    # NĐ 112 Art. 37.2's days are not encoded: the 90-day limit from receipt stands alone.
    assert t.next is CaseStage.DECIDED and t.next_deadline == D(2026, 5, 6)
    assert discipline.conviction_basis(t.file) == "Điều 37 khoản 2 Nghị định 112/2020/NĐ-CP"


async def test_a_conviction_is_refused_without_its_facts_or_after_the_decision(
    dw: DisciplineWorld,
) -> None:
    finding = await confirmed_finding(dw.rw)
    case = await discipline.open_case(
        dw.personnel, OpenCase(finding_ids=[finding]), today=D(2026, 3, 5)
    )
    for bad, field in [
        (ConvictionInput(" ", "Tòa", D(2026, 3, 2), "prison"), "judgment_number"),
        (ConvictionInput("1/HS", "", D(2026, 3, 2), "prison"), "court"),
        (ConvictionInput("1/HS", "Tòa", D(2026, 3, 2), "fine"), "kind"),
        (ConvictionInput("1/HS", "Tòa", D(2026, 3, 6), "prison"), "received_on"),
    ]:
        with pytest.raises(Invalid) as refused:
            await discipline.record_conviction(dw.personnel, case, bad, today=D(2026, 3, 5))
        assert refused.value.field == field
    await discipline.close(dw.personnel, case, D(2026, 3, 5), "Không vi phạm", today=D(2026, 3, 5))
    with pytest.raises(Conflict, match="không thể ghi bản án"):
        await discipline.record_conviction(dw.personnel, case, JUDGMENT, today=D(2026, 3, 5))


async def test_a_conviction_over_http(
    client: Any, dw: DisciplineWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = Today(monkeypatch)
    await login(client, "tochuc")
    await client.get("/discipline")
    fields = {
        "official_id": str(dw.rw.world.official_a.id),
        "description": "Tham ô tài sản",
        "violation_on": "2025-11-03",
        "judgment_number": "25/2026/HS-ST",
        "court": "Tòa án nhân dân khu vực 1",
        "kind": "corruption",
    }
    refused = await post(client, "/discipline/convictions", today, D(2026, 3, 5), **fields)
    assert refused.status_code == 400 and 'id="error-conviction-received_on"' in refused.text
    opened = await post(
        client,
        "/discipline/convictions",
        today,
        D(2026, 3, 5),
        **fields,
        received_on="2026-03-02",
    )
    assert opened.status_code == 303, opened.text
    case = int(opened.headers["location"].rsplit("/", 1)[1])
    today.day = D(2026, 3, 24)
    page = await client.get(f"/discipline/{case}")
    assert page.status_code == 200
    assert "25/2026/HS-ST" in page.text and "kết án về hành vi tham nhũng" in page.text
    assert "Không thực hiện (đã có bản án)" in page.text
    assert "23/03/2026" in page.text and "Quá hạn" in page.text
    assert 'id="conviction-form"' not in page.text
    decided = await post(
        client,
        f"/discipline/{case}/steps/decided",
        today,
        D(2026, 3, 24),
        done_on="2026-03-24",
        form="BUOC_THOI_VIEC",
        number="12/QĐ-UBND",
        signer="Chủ tịch",
    )
    assert decided.status_code == 303, decided.text
    t = await discipline.case_timeline(dw.personnel, case, today=D(2026, 3, 24))
    assert t.file.case["decided_form"] == "BUOC_THOI_VIEC"
    late = next(r for r in t.rows if r.stage is CaseStage.DECIDED)
    assert late.deadline.on_time is False


async def test_a_conviction_recorded_on_a_case_over_http(
    client: Any, dw: DisciplineWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = Today(monkeypatch)
    finding = await confirmed_finding(dw.rw)
    case = await discipline.open_case(
        dw.personnel, OpenCase(finding_ids=[finding]), today=D(2026, 3, 5)
    )
    await login(client, "tochuc")
    page = await client.get(f"/discipline/{case}")
    assert 'id="conviction-form"' in page.text
    refused = await post(
        client,
        f"/discipline/{case}/steps/conviction",
        today,
        D(2026, 3, 5),
        judgment_number="",
        court="Tòa",
        kind="prison",
        received_on="2026-03-02",
    )
    assert refused.status_code == 400
    assert 'id="error-conviction-judgment_number"' in refused.text
    recorded = await post(
        client,
        f"/discipline/{case}/steps/conviction",
        today,
        D(2026, 3, 5),
        judgment_number="25/2026/HS-ST",
        court="Tòa án nhân dân khu vực 1",
        kind="prison",
        received_on="2026-03-02",
    )
    assert recorded.status_code == 303, recorded.text
    page = await client.get(f"/discipline/{case}")
    assert (
        "Ghi nhận: Quyết định kỷ luật" in page.text
        and "phạt tù không được hưởng án treo" in page.text
    )
