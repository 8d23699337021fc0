"""A procedure whose term restarts after a supplement (Nghị định 297/2025/NĐ-CP): an
administrator's setting, audited, that judges the stored dossiers of that procedure again
and applies to later imports; the default pauses the term.

March 2026 has no holiday. Received Mon 02/03 08:00, return date Thu 05/03 (3 working days
on the slip: 03, 04, 05/03); supplement asked Tue 03/03, complete Fri 06/03; finished Thu
12/03 10:00.
* pause (default): 04, 05, 06/03 waited → due Tue 10/03 → late 2 working days (11, 12/03);
* restart: 3 working days from Fri 06/03 07:30 → Wed 11/03 → late 1 working day (12/03).
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from congvu.inspect.actor import Actor
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.dossiers import api as dossiers
from congvu.inspect.errors import Forbidden, Invalid

from tests.dossiers.conftest import actor, congvu, run_import, stored, write
from tests.dossiers.test_waits import WAIT_HEADER, _row
from tests.worlds import World

pytestmark = pytest.mark.anyio

AS_OF = date(2026, 3, 16)
PROCEDURE = "Đăng ký khai sinh"


def _rows(code: str) -> list[str]:
    return [
        WAIT_HEADER,
        _row(code, finished="12/03/2026 10:00", requested="03/03/2026 10:00",
             supplied="06/03/2026"),
        _row(f"{code}-NO-WAIT", finished="05/03/2026 10:00"),
    ]  # fmt: skip


async def _late(code: str) -> tuple[str, int]:
    row = await stored(code)
    return row["status"], row["working_days_late"]


async def test_restart_is_a_procedure_setting(world: World, admin: Actor, tmp_path: Path) -> None:
    await run_import(admin, write(tmp_path, _rows("A")), as_of=AS_OF)
    assert await _late("A") == ("late", 2)

    counts = await dossiers.set_supplement_rule(admin, f" {PROCEDURE} ", True, as_of=AS_OF)
    assert (counts["scanned"], counts["changed"]) == (2, 1)  # the dossier without a wait stays
    assert await _late("A") == ("late", 1) and await _late("A-NO-WAIT") == ("on_time", 0)
    assert [(v.procedure, v.supplement_restarts) for v in await dossiers.procedure_settings()] == [
        (PROCEDURE, True)
    ]
    again = await dossiers.set_supplement_rule(admin, PROCEDURE, True, as_of=AS_OF)
    assert again["scanned"] == 0  # nothing changed, nothing judged again

    # A later import of the same procedure is judged by the setting at once.
    await run_import(admin, write(tmp_path, _rows("B"), "second.csv"), as_of=AS_OF)
    assert await _late("B") == ("late", 1)
    detail = await dossiers.dossier_detail(admin, (await stored("B"))["id"], AS_OF)
    assert "Nghị định 297/2025/NĐ-CP" in detail.explanation

    await dossiers.set_supplement_rule(admin, PROCEDURE, False, as_of=AS_OF)
    assert await _late("A") == ("late", 2) and await _late("B") == ("late", 2)
    events = await AuditEvent.select(AuditEvent.after).where(
        AuditEvent.action == "procedure_setting_changed"
    )
    afters = [json.loads(e["after"]) if isinstance(e["after"], str) else e["after"] for e in events]
    assert [a["supplement_restarts"] for a in afters] == [True, True, False]


async def test_only_an_administrator_sets_it(world: World) -> None:
    inspector = await actor(world, "inspector")
    with pytest.raises(Forbidden):
        await dossiers.set_supplement_rule(inspector, PROCEDURE, True)
    admin = await actor(world, "admin")
    with pytest.raises(Invalid):
        await dossiers.set_supplement_rule(admin, "  ", True)


async def test_the_cli_sets_and_lists_it(world: World, admin: Actor, tmp_path: Path) -> None:
    await run_import(admin, write(tmp_path, _rows("C")), as_of=AS_OF)
    result = await congvu("dossier-procedure", PROCEDURE, "--restart")
    assert result.returncode == 0, result.stderr
    assert "tính lại thời hạn từ đầu" in result.stdout and "1 hồ sơ đổi kết quả" in result.stdout
    listed = await congvu("dossier-procedure")
    assert listed.stdout.splitlines() == [f"{PROCEDURE}\ttính lại từ đầu"]
    refused = await congvu("dossier-procedure", PROCEDURE)
    assert refused.returncode != 0 and "--restart" in refused.stderr
