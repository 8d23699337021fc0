"""Thời hiệu from the stored facts (NĐ 172/2025 Art. 5.1-5.4, 5.6): the official's other
violations taken up in discipline restart it, criminal-procedure and complaint periods are
not counted, an act on the no-limitation list has none, and a case past it cannot proceed
and says why. Dates hand-computed (a 5-year term ends at the end of the same day)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.discipline import api as discipline
from congvu.inspect.discipline.api import OpenCase
from congvu.inspect.errors import Conflict, Invalid
from congvu.rules.discipline import NoLimitation

from tests.conftest import login
from tests.discipline.conftest import D, DisciplineWorld
from tests.discipline.test_http import Today, post

pytestmark = pytest.mark.anyio
OPENED = D(2026, 3, 5)


async def case_about(dw: DisciplineWorld, violation_on: date, **kw: Any) -> int:
    return await discipline.open_case(
        dw.personnel,
        OpenCase(
            official_id=dw.rw.world.official_a.id,
            description="Vi phạm quy chế làm việc",
            violation_on=violation_on,
            **kw,
        ),
        today=OPENED,
    )


async def test_a_later_violation_inside_the_period_restarts_it(dw: DisciplineWorld) -> None:
    await case_about(dw, D(2023, 6, 5))
    old = await case_about(dw, D(2019, 1, 10))
    t = await discipline.case_timeline(dw.personnel, old, today=OPENED)
    # 10/01/2019 + 5 years ends 10/01/2024; the act of 05/06/2023 falls inside and
    # restarts it: 05/06/2023 + 5 years = end of 05/06/2028.
    assert t.limitation.restarted and t.limitation.counted_from == D(2023, 6, 5)
    assert t.limitation.expires_on == D(2028, 6, 5) and t.limitation.within
    assert "tính lại từ ngày 05/06/2023" in t.limitation.explanation_vi
    await discipline.hold_review_meeting(dw.personnel, old, OPENED, "Biên bản", today=OPENED)


async def test_a_later_violation_after_the_period_does_not_revive_it(
    dw: DisciplineWorld,
) -> None:
    await case_about(dw, D(2024, 3, 1))
    old = await case_about(dw, D(2019, 1, 10))
    t = await discipline.case_timeline(dw.personnel, old, today=OPENED)
    assert not t.limitation.restarted and t.limitation.expires_on == D(2024, 1, 10)
    with pytest.raises(Conflict, match="Thời hiệu kết thúc cuối ngày 10/01/2024"):
        await discipline.hold_review_meeting(dw.personnel, old, OPENED, "Biên bản", today=OPENED)


async def test_a_case_closed_without_discipline_restarts_nothing(dw: DisciplineWorld) -> None:
    newer = await case_about(dw, D(2023, 6, 5))
    await discipline.close(dw.personnel, newer, OPENED, "Không vi phạm", today=OPENED)
    old = await case_about(dw, D(2019, 1, 10))
    t = await discipline.case_timeline(dw.personnel, old, today=OPENED)
    assert not t.limitation.within and not t.limitation.restarted


async def test_an_act_on_the_no_limitation_list_has_none(dw: DisciplineWorld) -> None:
    case = await case_about(dw, D(2010, 1, 10), no_limitation=NoLimitation.FAKE_CREDENTIALS)
    t = await discipline.case_timeline(dw.personnel, case, today=OPENED)
    assert t.limitation.within and t.limitation.expires_on is None
    assert "Không áp dụng thời hiệu" in t.limitation.explanation_vi
    assert "văn bằng, chứng chỉ" in t.limitation.explanation_vi


async def test_criminal_procedure_is_not_counted(dw: DisciplineWorld) -> None:
    case = await case_about(dw, D(2020, 1, 10))
    t = await discipline.case_timeline(dw.personnel, case, today=OPENED)
    assert not t.limitation.within and t.limitation.expires_on == D(2025, 1, 10)
    with pytest.raises(Invalid) as refused:
        await discipline.exclude_period(
            dw.personnel, case, "criminal", D(2024, 1, 1), D(2023, 6, 1)
        )
    assert refused.value.field == "end"
    # 01/06/2023-31/12/2024: 214 + 366 = 580 days, all inside the running period:
    # 10/01/2025 + 580 days = 13/08/2026.
    await discipline.exclude_period(
        dw.personnel, case, "criminal", D(2023, 6, 1), D(2024, 12, 31), "Cơ quan CSĐT"
    )
    t = await discipline.case_timeline(dw.personnel, case, today=OPENED)
    assert t.limitation.excluded_days == 580 and t.limitation.expires_on == D(2026, 8, 13)
    assert t.limitation.within
    with pytest.raises(Invalid, match="Trùng"):
        await discipline.exclude_period(
            dw.personnel, case, "complaint", D(2024, 12, 1), D(2025, 1, 5)
        )
    await discipline.hold_review_meeting(dw.personnel, case, OPENED, "Biên bản", today=OPENED)
    actions = [
        r["action"]
        for r in await AuditEvent.select(AuditEvent.action).where(
            AuditEvent.object_type == "discipline_case", AuditEvent.object_id == str(case)
        )
    ]
    assert "discipline_excluded_period" in actions


async def test_limitation_from_stored_facts_over_http(
    client: Any, dw: DisciplineWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    today = Today(monkeypatch)
    await login(client, "tochuc")
    await client.get("/discipline")
    opened = await post(
        client,
        "/discipline",
        today,
        OPENED,
        official_id=str(dw.rw.world.official_a.id),
        description="Sử dụng xe công vào việc riêng",
        violation_on="2020-01-10",
        merited="KHIEN_TRACH",
    )
    assert opened.status_code == 303
    case = int(opened.headers["location"].rsplit("/", 1)[1])
    refused = await post(
        client,
        f"/discipline/{case}/steps/review_meeting",
        today,
        OPENED,
        done_on="2026-03-05",
        note="Biên bản",
    )
    assert refused.status_code == 409
    assert "đã hết thời hiệu" in refused.text and "10/01/2025" in refused.text
    excluded = await post(
        client,
        f"/discipline/{case}/steps/excluded",
        today,
        OPENED,
        kind="criminal",
        start="2023-06-01",
        end="2024-12-31",
        note="Cơ quan CSĐT Công an tỉnh",
    )
    assert excluded.status_code == 303, excluded.text
    page = await client.get(f"/discipline/{case}")
    assert "Không tính 580 ngày" in page.text and "13/08/2026" in page.text
    assert "điều tra, truy tố, xét xử theo thủ tục tố tụng hình sự" in page.text
    accepted = await post(
        client,
        f"/discipline/{case}/steps/review_meeting",
        today,
        OPENED,
        done_on="2026-03-05",
        note="Biên bản",
    )
    assert accepted.status_code == 303
    # An act without limitation, chosen on the open form.
    fake = await post(
        client,
        "/discipline",
        today,
        OPENED,
        official_id=str(dw.rw.world.official_a.id),
        description="Sử dụng bằng đại học giả",
        violation_on="2012-05-02",
        merited="BUOC_THOI_VIEC",
        no_limitation="FAKE_CREDENTIALS",
    )
    assert fake.status_code == 303
    page = await client.get(fake.headers["location"])
    assert "Không áp dụng thời hiệu" in page.text
    bad = await post(
        client,
        "/discipline",
        today,
        OPENED,
        official_id=str(dw.rw.world.official_a.id),
        description="x",
        violation_on="2012-05-02",
        merited="KHIEN_TRACH",
        no_limitation="WHATEVER",
    )
    assert bad.status_code == 400 and 'id="error-no_limitation"' in bad.text
