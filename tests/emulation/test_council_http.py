"""The emulation council over HTTP in commune C (tests/emulation/conftest.py): the
personnel office sets up a session of 15 members, the secretary records attendance with
written votes, the tally is refused without a quorum, 12 of 15 (80%) passes and 11 (73,3%)
fails, a member never counts on their own candidacy, an adjustment needs a reason, and a
locked session is read-only until reopened with a reason into a new version."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.emulation import api as emulation
from congvu.rules.discipline_standing import DisciplineStanding

from tests import builders
from tests.documents.reading import assert_official, docx_text, html_text
from tests.emulation.conftest import Commune
from tests.emulation.test_rating_http import as_user, post, score_all
from tests.worlds import ReviewWorld

pytestmark = pytest.mark.anyio


async def facts(client: Any, session: int) -> dict[str, Any]:
    response = await client.get(f"/api/v1/council/{session}")
    assert response.status_code == 200, response.text
    return response.json()


def result(f: dict[str, Any], official_id: int, title: str = "CSTDCS") -> dict[str, Any]:
    return next(r for r in f["results"] if r["official_id"] == official_id and r["title"] == title)


async def setup_session(client: Any, rw: ReviewWorld, commune: Commune) -> tuple[int, list[Any]]:
    """15 members: x[0..7] and y[2..8]; x[1] chairs, x[2] is the secretary (account
    ``thuky``, role council); candidates x[0] (a member) and y[0] for CSTĐCS, y[1] for a
    Bằng khen."""
    members = commune.x[:8] + commune.y[2:9]
    rw.users["thuky"] = await builders.account(
        "thuky", role="council", unit="P-C", official=commune.x[2]
    )
    await as_user(client, "tochuc")
    created = await post(client, "/council/sessions", agency="P-C", year=2026)
    assert created.status_code == 303, created.text
    session = int(re.findall(r"/council/(\d+)", created.headers["location"])[0])
    for official in members:
        role = {commune.x[1].id: "chair", commune.x[2].id: "secretary"}.get(official.id, "member")
        response = await post(
            client, f"/council/{session}/members", official=official.code, role=role
        )
        assert response.status_code == 303, response.text
    for official, title in (
        (commune.x[0], "CSTDCS"),
        (commune.y[0], "CSTDCS"),
        (commune.y[1], "BANG_KHEN"),
    ):
        response = await post(
            client, f"/council/{session}/candidates", official=official.code, title=title
        )
        assert response.status_code == 303, response.text
    return session, members


async def test_a_council_session_from_setup_to_a_locked_version(
    client: Any, rw: ReviewWorld, commune_c: Commune, standings: dict[int, DisciplineStanding]
) -> None:
    # The year's criteria: y[0] rated HTXS from Q3 (100 points), so CSTĐCS rests on the vote.
    await as_user(client, "tochuc")
    assert (await post(client, "/ratings/periods", period="2026-Q3")).status_code == 303
    await as_user(client, "head_c")
    await score_all(client, commune_c)
    session, members = await setup_session(client, rw, commune_c)
    x0, y0, y1 = commune_c.x[0], commune_c.y[0], commune_c.y[1]

    await as_user(client, "thuky")
    # Nobody's attendance is recorded yet: no quorum, no tally.
    refused = await post(
        client, f"/council/{session}/tally/{y0.id}/CSTDCS", in_favour=12, against=3
    )
    assert refused.status_code == 400
    assert "Chưa đủ điều kiện họp, không nhận kết quả kiểm phiếu" in refused.text
    # 9 present of 15 is below 2/3 (10), even with 2 written votes.
    attendance = {f"attendance-{m.id}": "present" for m in members[:9]}
    attendance |= {f"attendance-{m.id}": "written" for m in members[9:11]}
    attendance |= {f"attendance-{m.id}": "absent" for m in members[11:]}
    met = await post(
        client,
        f"/council/{session}/meeting",
        held_on="2026-12-05",
        place="Hội trường UBND phường",
        **attendance,
    )
    assert met.status_code == 303, met.text
    f = await facts(client, session)
    assert (f["quorum"]["present"], f["quorum"]["required"], f["quorum"]["met"]) == (9, 10, False)
    refused = await post(client, f"/council/{session}/tally/{y0.id}/CSTDCS", in_favour=9, against=2)
    assert refused.status_code == 400 and "Có mặt 9/15 thành viên" in refused.text

    # 13 present, 2 written votes, none absent: quorum met; 15 ballots possible.
    attendance = {f"attendance-{m.id}": "present" for m in members[:13]}
    attendance |= {f"attendance-{m.id}": "written" for m in members[13:]}
    assert (
        await post(
            client,
            f"/council/{session}/meeting",
            held_on="05/12/2026",
            place="Hội trường UBND phường",
            **attendance,
        )
    ).status_code == 303
    bad_day = await post(client, f"/council/{session}/meeting", held_on="32/12/2026")
    assert bad_day.status_code == 400 and "Ngày họp không hợp lệ (dd/mm/yyyy)." in bad_day.text
    page = await client.get(f"/council/{session}")
    assert page.status_code == 200 and "Đủ điều kiện họp" in page.text
    assert 'value="05/12/2026"' in page.text
    assert "Có mặt 13/15 thành viên, cần ít nhất 10" in page.text

    # Written votes counted: 12 + 3 = 15 ballots = 13 present + 2 written; 12/15 = 80%.
    ok = await post(client, f"/council/{session}/tally/{y0.id}/CSTDCS", in_favour=12, against=3)
    assert ok.status_code == 303, ok.text
    r = result(await facts(client, session), y0.id)
    assert (r["voters"], r["needed"], r["computed"], r["result_vi"]) == (15, 12, True, "Đạt")
    assert any("12/15 thành viên đồng ý (80%)" in t for t in r["reasons_vi"])
    assert any("12/15 thành viên Hội đồng đồng ý" in t for t in r["reasons_vi"]), r
    # 11/15 = 73,3%: not passed.
    assert (
        await post(client, f"/council/{session}/tally/{y0.id}/CSTDCS", in_favour=11, against=4)
    ).status_code == 303
    r = result(await facts(client, session), y0.id)
    assert r["computed"] is False and r["result_vi"] == "Không đạt"
    assert any("số phiếu đồng ý của Hội đồng chưa đủ" in t for t in r["reasons_vi"])
    # More ballots than members present plus written votes.
    too_many = await post(
        client, f"/council/{session}/tally/{y0.id}/CSTDCS", in_favour=13, against=3
    )
    assert too_many.status_code == 400 and "nhiều hơn số thành viên được bỏ phiếu" in too_many.text

    # x[0] is a member: 14 voters, 14 ballots at most, 12 needed.
    own = await post(client, f"/council/{session}/tally/{x0.id}/CSTDCS", in_favour=13, against=2)
    assert own.status_code == 400 and "(14)" in own.text
    assert (
        await post(client, f"/council/{session}/tally/{x0.id}/CSTDCS", in_favour=12, against=2)
    ).status_code == 303
    r = result(await facts(client, session), x0.id)
    assert (r["voters"], r["needed"], r["recused"]) == (14, 12, True)
    assert any("không tính vào tổng số" in t for t in r["reasons_vi"])

    # A Bằng khen needs 90%: 13/15 fails, and the council adjusts it only with a reason.
    assert (
        await post(client, f"/council/{session}/tally/{y1.id}/BANG_KHEN", in_favour=13, against=2)
    ).status_code == 303
    r = result(await facts(client, session), y1.id, "BANG_KHEN")
    assert (r["needed"], r["result"]) == (14, False)
    no_reason = await post(
        client, f"/council/{session}/adjust/{y1.id}/BANG_KHEN", result="pass", reason="  "
    )
    assert no_reason.status_code == 400 and "Điều chỉnh kết quả phải ghi rõ lý do" in no_reason.text
    assert result(await facts(client, session), y1.id, "BANG_KHEN")["adjusted"] is None
    why = "Một phiếu ghi nhầm ô, Hội đồng kiểm lại"
    assert (
        await post(
            client, f"/council/{session}/adjust/{y1.id}/BANG_KHEN", result="pass", reason=why
        )
    ).status_code == 303
    r = result(await facts(client, session), y1.id, "BANG_KHEN")
    assert r["result"] is True and r["computed"] is False and r["adjust_reason"] == why

    # A member who is not the secretary reads but does not record.
    rw.users["uyvien"] = await builders.account(
        "uyvien", role="official", unit="P-C", official=commune_c.x[3]
    )
    await as_user(client, "uyvien")
    assert (await client.get(f"/council/{session}")).status_code == 200
    assert (
        await post(client, f"/council/{session}/tally/{y0.id}/CSTDCS", in_favour=12, against=3)
    ).status_code == 403
    # An official who is not a member does not see the session.
    await as_user(client, "official_a")
    assert (await client.get(f"/council/{session}")).status_code == 403

    # Lock: read-only, one version with its hash; the minutes' facts read the version.
    await as_user(client, "thuky")
    locked = await post(client, f"/council/{session}/lock")
    assert locked.status_code == 303, locked.text
    f = await facts(client, session)
    assert (f["state"], f["version"], len(f["data_hash"])) == ("locked", 1, 64)
    assert f["settings"]["cstdcs_vote_percent"] == "80"
    for path, values in (
        (f"/council/{session}/tally/{y0.id}/CSTDCS", {"in_favour": 12, "against": 3}),
        (f"/council/{session}/adjust/{y0.id}/CSTDCS", {"result": "pass", "reason": "x"}),
        (f"/council/{session}/meeting", {"place": "Khác"}),
    ):
        response = await post(client, path, **values)
        assert response.status_code == 400 and "Phiên họp đã khóa" in response.text, path
    await as_user(client, "tochuc")
    assert (
        await post(
            client, f"/council/{session}/members", official=commune_c.y[9].code, role="member"
        )
    ).status_code == 400
    assert result(await facts(client, session), y0.id)["in_favour"] == 11

    actor = await rw.actor("tochuc")
    minutes = await emulation.council_minutes(actor, session)
    assert minutes.locked and minutes.version == 1 and minutes.place == "Hội trường UBND phường"
    assert minutes.chair == commune_c.x[1].full_name
    assert minutes.secretary == commune_c.x[2].full_name
    assert (len(minutes.present), len(minutes.written), len(minutes.absent)) == (13, 2, 0)
    assert minutes.quorum_met and minutes.held_on is not None and minutes.held_on.day == 5
    bk = next(c for c in minutes.candidates if c.title_vi == "Bằng khen")
    assert (bk.in_favour, bk.against, bk.voters, bk.result_vi, bk.adjust_reason) == (
        13,
        2,
        15,
        "Đạt",
        why,
    )

    # The minutes (biên bản họp) as .docx and as a page to print, in the NĐ 30/2020 layout.
    docx = await client.get(f"/council/{session}/minutes")
    assert docx.status_code == 200 and "attachment" in docx.headers["content-disposition"]
    page = await client.get(f"/council/{session}/minutes?format=html")
    assert page.status_code == 200 and "inline" in page.headers["content-disposition"]
    for text in (docx_text(docx.content), html_text(page.content)):
        assert_official(
            text,
            issuer="Hội đồng Thi đua – Khen thưởng",
            number=None,  # blank before the slash, for the office to fill
            kind="Biên bản",
            date_line="ngày 05 tháng 12 năm 2026",
            signer_title="Chủ tịch Hội đồng",
        )
        assert "/BB-HĐTĐKT" in text
        assert commune_c.x[1].full_name in text and "Hội trường UBND phường" in text
        assert "Có mặt 13/15 thành viên, cần ít nhất 10" in text
        assert "86,67%" in text and why in text  # 13/15 for the Bằng khen, adjusted
        assert "Phiên bản khóa 1" in text
    assert (await client.get(f"/council/{session}/minutes?format=pdf")).status_code == 404

    # Reopen needs a reason and makes version 2.
    assert (await post(client, f"/council/{session}/reopen", reason="")).status_code == 400
    assert (
        await post(client, f"/council/{session}/reopen", reason="Bổ sung phiếu gửi muộn")
    ).status_code == 303
    f = await facts(client, session)
    assert (
        f["state"] == "prepared" and f["versions"][0]["reopen_reason"] == "Bổ sung phiếu gửi muộn"
    )
    actions = [
        r["action"]
        for r in await AuditEvent.select(AuditEvent.action)
        .where(AuditEvent.object_type == "council_session", AuditEvent.object_id == str(session))
        .order_by(AuditEvent.id)
    ]
    assert actions[0] == "council.create" and actions[-2:] == ["council.lock", "council.reopen"]
    assert {
        "council.member",
        "council.candidate",
        "council.attendance",
        "council.tally",
        "council.adjust",
    } <= set(actions)


async def test_what_if_writes_nothing_and_shows_who_moves(
    client: Any, rw: ReviewWorld, commune_c: Commune, standings: dict[int, DisciplineStanding]
) -> None:
    session, members = await setup_session(client, rw, commune_c)
    y1 = commune_c.y[1]
    await as_user(client, "thuky")
    present = {f"attendance-{m.id}": "present" for m in members}
    assert (await post(client, f"/council/{session}/meeting", **present)).status_code == 303
    tally = await post(
        client, f"/council/{session}/tally/{y1.id}/BANG_KHEN", in_favour=13, against=2
    )
    assert tally.status_code == 303
    assert result(await facts(client, session), y1.id, "BANG_KHEN")["result"] is False

    async def written() -> tuple[int, str]:
        events = await AuditEvent.count()
        stored = await emulation.council_session(await rw.actor("tochuc"), session)
        return events, json.dumps(stored["settings"], sort_keys=True)

    before = await written()
    page = await client.get(f"/council/{session}/what-if?higher_title_vote_percent=85")
    assert page.status_code == 200, page.text
    moves = page.text.split('id="moves"')[1]
    assert y1.full_name in moves and "Không đạt" in moves and "Đạt" in moves
    assert "13/15 thành viên đồng ý (86,67%), cần ít nhất 13 (≥ 85%" in moves
    # The CSTĐCS candidates have no count yet: a lower CSTĐCS threshold moves nobody.
    same = await client.get(f"/council/{session}/what-if?cstdcs_vote_percent=70")
    assert "Không ai thay đổi kết quả" in same.text
    bad = await client.get(f"/council/{session}/what-if?cstdcs_vote_percent=150")
    assert bad.status_code == 400 and "Ngưỡng không hợp lệ" in bad.text
    assert await written() == before
    assert result(await facts(client, session), y1.id, "BANG_KHEN")["result"] is False

    # Adopted: stored, audited, applied, and frozen with the locked version.
    adopted = await post(
        client,
        f"/council/{session}/settings",
        council_quorum="2/3",
        cstdcs_vote_percent="80",
        higher_title_vote_percent="85",
        council_written_votes_count="1",
    )
    assert adopted.status_code == 303, adopted.text
    assert result(await facts(client, session), y1.id, "BANG_KHEN")["result"] is True
    assert (await post(client, f"/council/{session}/lock")).status_code == 303
    f = await facts(client, session)
    assert f["state"] == "locked" and f["settings"]["higher_title_vote_percent"] == "85"
    last = await AuditEvent.select(AuditEvent.action).where(
        AuditEvent.object_type == "council_session", AuditEvent.object_id == str(session)
    )
    assert "council.settings" in {r["action"] for r in last}
    # A locked session cannot adopt another configuration.
    again = await post(client, f"/council/{session}/settings", higher_title_vote_percent="90")
    assert again.status_code == 400 and "Phiên họp đã khóa" in again.text
