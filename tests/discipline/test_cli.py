"""``congvu discipline cases``: each case's official, stage, next deadline, overdue,
form and limitation verdict (its reason in Vietnamese)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from congvu.inspect.actor import SYSTEM
from congvu.inspect.cli.discipline import case_rows, discipline_group
from congvu.inspect.discipline import api as discipline
from congvu.inspect.discipline.api import CaseFilter, CaseStage, OpenCase

from tests.discipline.conftest import D, DisciplineWorld
from tests.discipline.test_procedure import opened, walk_to

pytestmark = pytest.mark.anyio


async def test_case_rows(dw: DisciplineWorld) -> None:
    case = await opened(dw)
    await walk_to(dw, case, CaseStage.RECOMMENDED)
    late = await discipline.open_case(
        dw.personnel,
        OpenCase(
            official_id=dw.rw.world.official_b.id,
            description="Vi phạm cũ",
            violation_on=D(2020, 1, 10),
        ),
        today=D(2026, 3, 5),
    )
    rows = case_rows(await discipline.cases(SYSTEM, CaseFilter(), today=D(2026, 4, 2)))
    by_case = {r["case"]: r for r in rows}
    assert by_case[case] == {
        "case": case,
        "official": "Nguyễn Thị Lan",
        "unit": "Trung tâm PVHCC phường An Hòa",
        "stage": "Hội đồng kiến nghị hình thức kỷ luật",
        "next_step": "Quyết định kỷ luật",
        "next_deadline": "01/04/2026",
        "overdue": True,
        "form": "khiển trách",
        "form_decided": False,
        "annulled": False,
        "limitation_within": True,
        "limitation": by_case[case]["limitation"],
    }
    assert "còn trong thời hiệu" in by_case[case]["limitation"]
    assert by_case[late]["limitation_within"] is False
    assert "đã hết thời hiệu" in by_case[late]["limitation"]
    json.dumps(rows, ensure_ascii=False)
    only_b = await discipline.cases(SYSTEM, CaseFilter(unit_code="P-B"), today=D(2026, 4, 2))
    assert [t.file.id for t in only_b] == [late]


def test_the_command_is_registered() -> None:
    result = CliRunner().invoke(discipline_group, ["cases", "--help"])
    assert result.exit_code == 0 and "--unit" in result.output and "--json" in result.output
