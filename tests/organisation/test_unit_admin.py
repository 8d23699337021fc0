"""Quản lý đơn vị và cán bộ over HTTP: create, rename (old name kept), merge with an
effective date (officials follow, history kept, refusals said), and officials added,
edited, moved and ended; every change audited; personnel keep rosters, not structure."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from congvu.inspect import clock
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.organisation.services import unit_admin
from congvu.inspect.organisation.tables import Official, OfficialMove, Unit, UnitName, User
from congvu.jobs import tasks

from tests import builders
from tests.conftest import csrf, login
from tests.worlds import World

pytestmark = pytest.mark.anyio


async def post(client: Any, url: str, data: dict[str, Any]) -> Any:
    return await client.post(url, data=data, headers=csrf(client), follow_redirects=False)


async def unit_row(code: str) -> dict[str, Any]:
    row = await Unit.select().where(Unit.code == code).first()
    assert row is not None
    return row


async def test_an_admin_creates_a_commune_under_the_province(client, world: World) -> None:
    await login(client, "admin")
    answer = await post(
        client,
        f"/units/{world.province.id}/sub-units",
        {
            "code": "P-C",
            "name": "Xã  Cẩm   Thành",
            "kind": "commune",
            "commune_type": "xa",
            "valid_from": "01/07/2025",
        },
    )
    assert answer.status_code == 303
    created = await unit_row("P-C")
    assert created["path"] == "/P/P-C/" and created["name"] == "Xã Cẩm Thành"
    assert created["valid_from"] == date(2025, 7, 1)
    assert answer.headers["location"] == f"/units/{created['id']}/admin?done=created"
    page = await client.get(answer.headers["location"])
    assert "Đã tạo đơn vị." in page.text
    event = await AuditEvent.select().where(AuditEvent.action == "unit_created").first()
    assert event["actor_username"] == "admin" and "P-C" in event["after"]


async def test_a_duplicate_code_or_a_bad_kind_is_refused_with_a_reason(
    client, world: World
) -> None:
    await login(client, "admin")
    taken = await post(
        client,
        f"/units/{world.province.id}/sub-units",
        {"code": "P-A", "name": "Trùng", "kind": "commune"},
    )
    assert taken.status_code == 400 and "Mã đơn vị P-A đã được dùng." in taken.text
    wildcard = await post(
        client,
        f"/units/{world.province.id}/sub-units",
        {"code": "P_%", "name": "Lạ", "kind": "commune"},
    )
    assert wildcard.status_code == 400 and "Mã đơn vị gồm 1–32 ký tự" in wildcard.text
    assert not await Unit.exists().where(Unit.name == "Lạ")


async def test_rename_keeps_the_old_name_for_earlier_days(client, world: World) -> None:
    await login(client, "admin")
    answer = await post(
        client,
        f"/units/{world.commune_b.id}/rename",
        {"name": "Phường Bình Minh", "effective": "01/07/2025"},
    )
    assert answer.status_code == 303
    assert (await unit_row("P-B"))["name"] == "Phường Bình Minh"
    assert await unit_admin.name_on(world.commune_b.id, date(2025, 6, 30)) == "Xã Bình Minh"
    assert await unit_admin.name_on(world.commune_b.id, date(2025, 7, 1)) == "Phường Bình Minh"
    page = await client.get(answer.headers["location"])
    assert "Tên cũ" in page.text and "30/06/2025" in page.text
    # A second rename must come after the current name began.
    again = await post(
        client,
        f"/units/{world.commune_b.id}/rename",
        {"name": "Phường Bình Minh Mới", "effective": "01/07/2025"},
    )
    assert again.status_code == 400
    assert "Ngày đổi tên phải sau ngày tên hiện tại có hiệu lực (01/07/2025)." in again.text
    assert await UnitName.count().where(UnitName.unit == world.commune_b.id) == 1
    event = await AuditEvent.select().where(AuditEvent.action == "unit_renamed").first()
    assert "Xã Bình Minh" in event["before"] and "Phường Bình Minh" in event["after"]


async def test_a_bad_date_is_refused_in_words(client, world: World) -> None:
    await login(client, "admin")
    answer = await post(
        client, f"/units/{world.commune_b.id}/rename", {"name": "Tên", "effective": "31/02/2025"}
    )
    assert answer.status_code == 400
    assert "Ngày đổi tên phải có dạng dd/mm/yyyy." in answer.text


async def test_merging_two_communes_into_a_new_one(client, world: World) -> None:
    new = await builders.unit("P-AB", "Phường Hợp Nhất", parent="P", commune_type="phuong")
    await Unit.update({Unit.valid_from: date(2025, 7, 1)}).where(Unit.id == new.id)
    moved_before = await Official.select(Official.id).where(Official.unit == world.desk_a.id)
    # Seconded to the province's department, rated by commune B: by the new unit after.
    seconded = await builders.official(world.department, "S001", "Đinh Văn Tâm")
    await Official.update({Official.home_unit: world.commune_b.id}).where(
        Official.id == seconded.id
    )
    await login(client, "admin")
    answer = await post(
        client,
        f"/units/{new.id}/merge",
        {"sources": [str(world.commune_a.id), str(world.commune_b.id)], "effective": "01/07/2025"},
    )
    assert answer.status_code == 303, answer.text
    for code in ("P-A", "P-A-PVHCC", "P-B"):
        row = await unit_row(code)
        assert row["valid_to"] == date(2025, 6, 30) and row["merged_into"] == new.id
    # Everyone active moved to the new unit; the moves say from where and when.
    assert await Official.count().where(Official.unit == new.id) == 3
    moves = await OfficialMove.select().where(OfficialMove.official == moved_before[0]["id"])
    assert len(moves) == 1 and moves[0]["from_unit"] == world.desk_a.id
    assert moves[0]["effective_date"] == date(2025, 7, 1)
    assert await AuditEvent.count().where(AuditEvent.action == "unit_merged") == 2
    home = await Official.select(Official.unit, Official.home_unit).where(
        Official.id == seconded.id
    )
    assert home == [{"unit": world.department.id, "home_unit": new.id}]
    # Merged units leave the pickers (units in force) but stay readable.
    page = await client.get(f"/units/{new.id}/admin")
    assert (
        f'value="{world.commune_b.id}"' not in page.text.split('id="merge"')[1].split("</form>")[0]
    )
    assert (await client.get(f"/units/{world.commune_b.id}")).status_code == 200
    listing = await client.get("/units")
    assert "Đã sáp nhập vào" in listing.text


async def test_accounts_scoped_to_a_merged_unit_move_to_the_receiving_unit(
    client, world: World
) -> None:
    """head_a (P-A), official_a (P-A), head_b (P-B) and a desk clerk (P-A-PVHCC) are scoped
    to the receiving unit after the merger, each change audited; the admin is told how
    many; the province's accounts keep their scope."""
    new = await builders.unit("P-AB", "Phường Hợp Nhất", parent="P", commune_type="phuong")
    desk = await builders.account("desk_a", role="unit_head", unit="P-A-PVHCC")
    await login(client, "admin")
    answer = await post(
        client,
        f"/units/{new.id}/merge",
        {"sources": [str(world.commune_a.id), str(world.commune_b.id)], "effective": "01/07/2025"},
    )
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == f"/units/{new.id}/admin?done=merged&accounts=4"
    scopes = {
        row["username"]: row["scope_unit"]
        for row in await User.select(User.username, User.scope_unit)
    }
    assert scopes == {
        "admin": world.province.id,
        "inspector": world.province.id,
        "head_a": new.id,
        "head_b": new.id,
        "official_a": new.id,
        "desk_a": new.id,
    }
    events = await AuditEvent.select(
        AuditEvent.object_id, AuditEvent.before, AuditEvent.after
    ).where(AuditEvent.action == "account_scope_moved")
    moved = {int(e["object_id"]): (json.loads(e["before"]), json.loads(e["after"])) for e in events}
    assert moved[desk.id] == ({"unit": "P-A-PVHCC"}, {"unit": "P-AB"})
    assert moved[world.users["head_b"].id] == ({"unit": "P-B"}, {"unit": "P-AB"})
    assert len(moved) == 4
    page = await client.get(answer.headers["location"])
    assert (
        "4 tài khoản có phạm vi là đơn vị được sáp nhập đã chuyển phạm vi sang đơn vị này."
        in page.text
    )
    # head_b now sees the receiving unit, whose officials include commune B's.
    client.cookies.clear()
    await login(client, "head_b")
    assert (await client.get(f"/units/{new.id}")).status_code == 200


async def test_a_merger_recorded_ahead_of_its_date_takes_effect_on_that_date(
    client, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Recorded on 15/12/2026 for 01/01/2027: until then commune B stays in force, in the
    pickers, with its officials and accounts; the worker's job on 31/12 changes nothing,
    on 01/01/2027 it ends the unit (once: a second run ends nothing)."""
    new = await builders.unit("P-AB", "Phường Hợp Nhất", parent="P", commune_type="phuong")
    monkeypatch.setattr(clock, "today", lambda: date(2026, 12, 15))
    await login(client, "admin")
    answer = await post(
        client,
        f"/units/{new.id}/merge",
        {"sources": [str(world.commune_b.id)], "effective": "01/01/2027"},
    )
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == f"/units/{new.id}/admin?done=merge_scheduled"
    page = await client.get(answer.headers["location"])
    assert "Đã ghi quyết định sáp nhập" in page.text
    row = await unit_row("P-B")
    assert row["valid_to"] is None and row["merges_on"] == date(2027, 1, 1)
    assert await Official.count().where(Official.unit == world.commune_b.id) == 1
    scope = await User.select(User.scope_unit).where(User.username == "head_b").first()
    assert scope == {"scope_unit": world.commune_b.id}
    # Still a unit officials can be moved to; no longer offered for a second merger.
    admin_page = await client.get(f"/units/{world.province.id}/admin")
    assert f'value="{world.commune_b.id}"' in admin_page.text
    listing = await client.get("/units")
    assert "Sẽ sáp nhập vào P-AB từ ngày 01/01/2027" in listing.text
    again = await post(
        client,
        f"/units/{world.commune_a.id}/merge",
        {"sources": [str(world.commune_b.id)], "effective": "01/01/2027"},
    )
    assert again.status_code == 400 and "đã có quyết định sáp nhập từ ngày 01/01/2027" in again.text

    assert await unit_admin.apply_due_mergers(date(2026, 12, 31)) == 0
    assert (await unit_row("P-B"))["valid_to"] is None
    monkeypatch.setattr(clock, "today", lambda: date(2027, 1, 1))
    assert await tasks.apply_due_unit_mergers({}) == {"units_ended": 1}
    assert await tasks.apply_due_unit_mergers({}) == {"units_ended": 0}
    row = await unit_row("P-B")
    assert row["valid_to"] == date(2026, 12, 31) and row["merged_into"] == new.id
    assert await Official.count().where(Official.unit == new.id) == 1
    scope = await User.select(User.scope_unit).where(User.username == "head_b").first()
    assert scope == {"scope_unit": new.id}
    moves = await OfficialMove.select().where(OfficialMove.to_unit == new.id)
    assert [m["effective_date"] for m in moves] == [date(2027, 1, 1)]
    actions = [
        e["action"]
        for e in await AuditEvent.select(AuditEvent.action)
        .where(AuditEvent.object_type == "unit")
        .order_by(AuditEvent.id)
    ]
    assert actions[-2:] == ["unit_merger_scheduled", "unit_merged"]


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("itself", "Không thể sáp nhập Phường An Hòa vào chính nó."),
        ("descendant", "vào Trung tâm PVHCC phường An Hòa, một đơn vị trực thuộc của nó."),
        ("before_start", "không sau ngày Xã Bình Minh bắt đầu hoạt động (01/07/2025)."),
        ("nothing", "Chưa chọn đơn vị được sáp nhập."),
    ],
)
async def test_a_merger_that_makes_no_sense_is_refused(
    client, world: World, case: str, message: str
) -> None:
    await Unit.update({Unit.valid_from: date(2025, 7, 1)}).where(Unit.id == world.commune_b.id)
    target, sources = {
        "itself": (world.commune_a.id, [world.commune_a.id]),
        "descendant": (world.desk_a.id, [world.commune_a.id]),
        "before_start": (world.commune_a.id, [world.commune_b.id]),
        "nothing": (world.commune_a.id, []),
    }[case]
    await login(client, "admin")
    answer = await post(
        client,
        f"/units/{target}/merge",
        {"sources": [str(s) for s in sources], "effective": "01/07/2025"},
    )
    assert answer.status_code == 400
    assert message in answer.text
    assert not await Unit.exists().where(Unit.valid_to.is_not_null())


async def test_an_official_is_added_edited_moved_and_ended(client, world: World) -> None:
    await login(client, "admin")
    added = await post(
        client,
        f"/units/{world.commune_a.id}/officials",
        {
            "code": "A100",
            "full_name": "Phạm  Thị Hoa",
            "gender": "nu",
            "birth_date": "02/03/1990",
            "category": "cong_chuc",
            "position": "Văn thư",
        },
    )
    assert added.status_code == 303
    row = await Official.select().where(Official.code == "A100").first()
    assert row["full_name"] == "Phạm Thị Hoa" and row["birth_date"] == date(1990, 3, 2)
    official_id = row["id"]
    edited = await post(
        client,
        f"/units/officials/{official_id}/edit",
        {"position": "Phó Chủ tịch UBND", "category": "can_bo", "is_leader": "on"},
    )
    assert edited.status_code == 303
    row = await Official.select().where(Official.id == official_id).first()
    assert (row["position"], row["category"], row["is_leader"]) == (
        "Phó Chủ tịch UBND",
        "can_bo",
        True,
    )
    moved = await post(
        client,
        f"/units/officials/{official_id}/move",
        {"to_unit": str(world.commune_b.id), "effective": "15/09/2026", "reason": "QĐ 12/QĐ"},
    )
    assert moved.status_code == 303
    row = await Official.select().where(Official.id == official_id).first()
    assert row["unit"] == world.commune_b.id and row["home_unit"] is None
    move = await OfficialMove.select().where(OfficialMove.official == official_id).first()
    assert move["from_unit"] == world.commune_a.id and move["reason"] == "QĐ 12/QĐ"
    earlier = await post(
        client,
        f"/units/officials/{official_id}/move",
        {"to_unit": str(world.commune_a.id), "effective": "01/09/2026"},
    )
    assert earlier.status_code == 400
    assert "Ngày điều động phải sau lần điều động trước (15/09/2026)." in earlier.text
    ended = await post(
        client, f"/units/officials/{official_id}/deactivate", {"effective": "31/12/2026"}
    )
    assert ended.status_code == 303
    assert not (await Official.select().where(Official.id == official_id).first())["active"]
    actions = {
        e["action"]
        for e in await AuditEvent.select(AuditEvent.action).where(
            AuditEvent.object_id == str(official_id), AuditEvent.object_type == "official"
        )
    }
    assert actions == {
        "official_added",
        "official_edited",
        "official_moved",
        "official_deactivated",
    }


async def test_bad_official_forms_are_refused(client, world: World) -> None:
    await login(client, "admin")
    duplicate = await post(
        client,
        f"/units/{world.commune_a.id}/officials",
        {
            "code": "A001",
            "full_name": "X",
            "gender": "nam",
            "category": "cong_chuc",
            "position": "Y",
        },
    )
    assert duplicate.status_code == 400 and "Mã cán bộ A001 đã được dùng." in duplicate.text
    nameless = await post(
        client,
        f"/units/{world.commune_a.id}/officials",
        {"code": "A200", "gender": "nam", "category": "cong_chuc", "position": "Y"},
    )
    assert nameless.status_code == 400 and "Thiếu họ và tên." in nameless.text
    same = await post(
        client,
        f"/units/officials/{world.official_a.id}/move",
        {"to_unit": str(world.desk_a.id), "effective": "01/01/2026"},
    )
    assert same.status_code == 400 and "đang thuộc Trung tâm PVHCC phường An Hòa" in same.text


async def test_personnel_keep_rosters_but_not_the_structure(client, world: World) -> None:
    await builders.account("tochuc", role="personnel", unit="P-A")
    await login(client, "tochuc")
    page = await client.get(f"/units/{world.commune_a.id}/admin")
    assert page.status_code == 200
    assert 'id="merge"' not in page.text and 'id="add-official"' in page.text
    renamed = await post(
        client, f"/units/{world.commune_a.id}/rename", {"name": "X", "effective": "01/01/2026"}
    )
    assert renamed.status_code == 403
    other = await post(
        client,
        f"/units/officials/{world.official_b.id}/edit",
        {"position": "X", "category": "cong_chuc"},
    )
    assert other.status_code == 404
    into_other = await post(
        client,
        f"/units/officials/{world.official_a.id}/move",
        {"to_unit": str(world.commune_b.id), "effective": "01/01/2026"},
    )
    assert into_other.status_code == 404
