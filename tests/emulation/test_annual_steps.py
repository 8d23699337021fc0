"""Các bước đánh giá năm of commune A for 2026: the year board lists the five steps with
what is missing; the head records two (a typo'd date is shown beside its field; a second
save corrects a step, audited with what it was); a quarter has no steps; the personnel
office's page warns about the missing steps, and locking the year still starts, with the
missing steps audited; who may record them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.emulation import api as emulation
from congvu.inspect.errors import Conflict, Forbidden, NotFound
from congvu.rules.discipline_standing import DisciplineStanding

from tests.conftest import csrf, login
from tests.emulation.conftest import Commune
from tests.worlds import ReviewWorld

pytestmark = pytest.mark.anyio
BOARD = "/ratings/2026/units/P-A"


async def test_the_annual_steps_checklist_and_the_lock_warning(
    client: Any, rw: ReviewWorld, commune_c: Commune, standings: dict[int, DisciplineStanding]
) -> None:
    officer = await rw.actor("tochuc")
    for name in ("2026-Q3", "2026"):
        await emulation.open_period(officer, name)
    await login(client, "head_a")
    page = await client.get(BOARD)
    assert page.status_code == 200 and 'id="steps"' in page.text
    assert "Còn thiếu: Cá nhân tự đánh giá, báo cáo kiểm điểm; Biên bản họp đơn vị" in page.text

    refused = await client.post(
        f"{BOARD}/steps/unit_meeting",
        data={"done_on": "32/12/2026", "document_number": "01/BB-PVHCC"},
        headers=csrf(client),
    )
    assert refused.status_code == 400 and 'id="error-done_on-unit_meeting"' in refused.text
    assert 'value="01/BB-PVHCC"' in refused.text
    for step, values in (
        ("self_report", {"done_on": "10/12/2026", "note": "18/18 cá nhân nộp bản tự đánh giá"}),
        ("unit_meeting", {"done_on": "15/12/2026", "document_number": "01/BB-PVHCC"}),
        ("unit_meeting", {"done_on": "16/12/2026", "document_number": "02/BB-PVHCC"}),
    ):
        saved = await client.post(
            f"{BOARD}/steps/{step}", data=values, headers=csrf(client), follow_redirects=False
        )
        assert saved.status_code == 303, saved.text
    steps = {s["step"]: s for s in await emulation.unit_steps(officer, "2026", "P-A")}
    assert [k for k, s in steps.items() if s["done"]] == ["self_report", "unit_meeting"]
    assert steps["unit_meeting"]["document_number"] == "02/BB-PVHCC"
    assert f"{steps['unit_meeting']['done_on']:%d/%m/%Y}" == "16/12/2026"
    page = await client.get(BOARD)
    assert "02/BB-PVHCC" in page.text and "16/12/2026" in page.text
    assert "Còn thiếu: Ý kiến của cấp ủy; Quyết định xếp loại" in page.text
    corrected = await AuditEvent.select(AuditEvent.before, AuditEvent.after).where(
        AuditEvent.action == "annual_step.record"
    )
    assert len(corrected) == 3
    assert [e["before"] for e in corrected if e["before"]] != []

    with pytest.raises(Conflict, match="kỳ đánh giá năm"):
        await emulation.unit_steps(officer, "2026-Q3", "P-A")
    with pytest.raises(Forbidden):
        await emulation.record_step(
            await rw.actor("official_a"), "2026", "P-A", "notice", {"done_on": "20/12/2026"}
        )
    with pytest.raises(NotFound):  # commune A's head does not reach commune B
        await emulation.record_step(
            await rw.actor("head_a"), "2026", "P-B", "notice", {"done_on": "20/12/2026"}
        )

    await login(client, "tochuc")
    periods = await client.get("/ratings")
    warning = periods.text[periods.text.index('id="missing-2026"') :].split("</div>")[0]
    assert "Phường An Hòa: Ý kiến của cấp ủy; Quyết định xếp loại" in warning
    assert 'id="missing-2026-Q3"' not in periods.text  # a quarter has no annual steps
    locked = await client.post(
        "/ratings/periods/2026/lock", headers=csrf(client), follow_redirects=False
    )
    assert locked.status_code == 303 and locked.headers["location"].startswith("/jobs/")
    noted = await AuditEvent.select(AuditEvent.after).where(
        AuditEvent.action == "annual_step.missing_at_lock", AuditEvent.object_id == "2026"
    )
    assert len(noted) == 1
    after = noted[0]["after"]
    after = json.loads(after) if isinstance(after, str) else after
    assert after["missing"]["P-A"] == [
        "Ý kiến của cấp ủy",
        "Quyết định xếp loại của người có thẩm quyền",
        "Thông báo kết quả",
    ]
