"""The demo tells the discipline-to-emulation story: after ``seed_demo()``, the year 2026
board shows the demo official (``congchuc``, khiển trách this year for a duty-related
violation) capped to KHT with the reason, an official whose open case blocks the titles,
one proposed for CSTĐCS and a ward whose HTXS quota trims; the province's council has a
locked 2025 session, whose minutes render in Word and HTML, and a 2026 one prepared, where
the CSTĐCS nominee is offered for CSTĐ cấp tỉnh to confirm."""

from __future__ import annotations

import io
from typing import Any

import pytest
from congvu.inspect.actor import SYSTEM
from congvu.inspect.demo.emulation import COMMUNES
from congvu.inspect.emulation import api as emulation
from congvu.inspect.organisation.tables import Official, User
from docx import Document

pytestmark = pytest.mark.anyio


async def test_the_demo_year_shows_caps_blocks_titles_and_the_quota(demo_db: None) -> None:
    rows: list[dict[str, Any]] = []
    trimmed = []
    for commune in COMMUNES:
        year = await emulation.unit_board(SYSTEM, "2026", commune)
        rows.extend(year["officials"])
        quarter = await emulation.unit_board(SYSTEM, "2026-Q3", commune)
        trimmed.extend(g for g in quarter["quota"]["groups"] if g["htxs_kept"] < g["htxs_proposed"])
    clerk = await User.select(User.official).where(User.username == "congchuc").first()
    assert clerk is not None
    (mine,) = [r for r in rows if r["official_id"] == clerk["official"]]
    assert (mine["level"], mine["capped"]) == ("KHT", ["DISCIPLINE"])
    assert "vì bị xử lý kỷ luật trong năm đánh giá" in " ".join(mine["reasons_vi"])
    assert mine["proposed_titles"] == [] and "DISCIPLINE_PERIOD" in mine["blockers"]

    blocked = [r for r in rows if "OPEN_DISCIPLINE_CASE" in r["blockers"]]
    assert blocked and all(r["proposed_titles"] == [] for r in blocked)
    assert any(r["level"] in ("HTXS", "HTT") for r in blocked)
    ldtt = next(t for t in blocked[0]["titles"] if t["title"] == "LDTT")
    assert "đang bị xem xét xử lý kỷ luật" in ldtt["explanation_vi"]
    assert [r for r in rows if "CSTDCS" in r["proposed_titles"]]
    assert trimmed

    # The province's council: 2025 held and locked, 2026 prepared.
    sessions = {s["year"]: s for s in await emulation.sessions(SYSTEM)}
    assert sessions[2025]["state"] == "locked" and sessions[2026]["state"] == "prepared"
    held = await emulation.council_session(SYSTEM, sessions[2025]["id"])
    assert held["version"] == 1 and held["quorum"]["met"]
    assert {m["attendance"] for m in held["members"]} == {"present", "written", "absent"}
    assert [r["result_vi"] for r in held["results"]].count("Đạt") == 2
    assert any(r["result_vi"] == "Không đạt" for r in held["results"])
    minutes = await emulation.council_minutes(SYSTEM, sessions[2025]["id"])
    assert minutes.place.startswith("Phòng họp") and minutes.secretary is not None
    # Its minutes render from the locked version, in Word and as the print page.
    name, data = await emulation.minutes_file(SYSTEM, sessions[2025]["id"], "docx")
    assert name.endswith(".docx")
    word = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in word.paragraphs)
    assert "ngày 18/12/2025" in text and "Phòng họp số 2, UBND tỉnh Nghệ An" in text
    assert f"Phiên bản khóa 1, mã kiểm tra dữ liệu {held['data_hash'][:16]}" in text
    (table,) = [t for t in word.tables if t.rows[0].cells[0].text == "TT"]
    assert [r.cells[7].text for r in table.rows[1:]].count("Đạt") == 2
    assert [r.cells[2].text for r in table.rows[1:]] == [r["title_vi"] for r in held["results"]]
    _, page = await emulation.minutes_file(SYSTEM, sessions[2025]["id"], "html")
    html = page.decode()
    assert "18/12/2025" in html and "Không đạt" in html and minutes.secretary in html
    prepared = await emulation.council_session(SYSTEM, sessions[2026]["id"])
    assert all(m["attendance"] is None for m in prepared["members"])
    assert [r["title"] for r in prepared["results"]] == ["CSTDCS"]
    assert prepared["results"][0]["result_vi"] == "Chưa kiểm phiếu"

    # Awards already received, in the star's Mẫu số 05; Trường Vinh's 2026 steps, partly done.
    awards = await emulation.awards(SYSTEM)
    assert [(a["year"], a["form"]) for a in awards if a["decision_number"] == "1520/QĐ-UBND"] == [
        (2025, "Chiến sĩ thi đua cơ sở")
    ]
    assert len(awards) == 4
    # CSTĐCS in 2024 and 2025 and proposed for 2026: offered for CSTĐ cấp tỉnh, to confirm.
    filled = await emulation.fill_candidates(SYSTEM, sessions[2026]["id"])
    star = prepared["results"][0]["official_id"]
    assert [e["official_id"] for e in filled["already"]] == [star]
    (offer,) = filled["to_confirm"]
    assert (offer["official_id"], offer["title"]) == (star, "CSTD_TINH")
    assert "(2024, 2025, 2026)" in offer["reason_vi"] and offer["to_confirm_vi"]
    steps = await emulation.unit_steps(SYSTEM, "2026", "NA-TV")
    assert [s["step"] for s in steps if s["done"]] == ["self_report", "unit_meeting"]
    missing = {m["unit"]: m["missing_vi"] for m in await emulation.missing_steps(SYSTEM, "2026")}
    assert len(missing["NA-TV"]) == 3 and len(missing["NA-TVI"]) == 5
    (campaign,) = await emulation.campaigns(SYSTEM)
    board = await emulation.campaign_board(SYSTEM, campaign["id"])
    assert board["name"] == "Đợt thi đua cao điểm cải cách hành chính quý III/2026"
    assert 0 < board["eligible"] < len(board["officials"])


async def test_the_demo_2025_is_a_locked_criteria_year_coherent_with_its_awards(
    demo_db: None,
) -> None:
    """2025 was rated by NĐ 90/2020's criteria: decided and locked, and its levels agree
    with the 2025 awards and council (the CSTĐCS of 2025 HTXS, the LĐTT at least HTT, the
    council's candidates HTXS for CSTĐ cấp tỉnh and at least HTT for Bằng khen)."""
    rows: dict[int, dict[str, Any]] = {}
    for commune in COMMUNES:
        year = await emulation.unit_board(SYSTEM, "2025", commune)
        assert (year["method"], year["state"], year["version"]) == ("CRITERIA", "locked", 1)
        rows |= {r["official_id"]: r for r in year["officials"]}
    assert all(
        r["criteria"] or "không phải công chức" in " ".join(r["reasons_vi"]) for r in rows.values()
    )
    assert sum(1 for r in rows.values() if r["criteria"]) >= 20
    assert all("Nghị định 90/2020/NĐ-CP" in " ".join(r["reasons_vi"]) for r in rows.values())
    awards = {a["decision_number"]: a for a in await emulation.awards(SYSTEM)}
    cstdcs = await Official.select(Official.id).where(
        Official.code == awards["1520/QĐ-UBND"]["code"]
    )
    assert rows[cstdcs[0]["id"]]["level"] == "HTXS"
    ldtt = await Official.select(Official.id).where(Official.code == awards["1498/QĐ-UBND"]["code"])
    assert rows[ldtt[0]["id"]]["level"] in ("HTXS", "HTT")
    sessions = {s["year"]: s for s in await emulation.sessions(SYSTEM)}
    held = await emulation.council_session(SYSTEM, sessions[2025]["id"])
    levels = {r["title"]: rows[r["official_id"]]["level"] for r in held["results"]}
    assert set(levels.values()) <= {"HTXS", "HTT"}
    # The candidate for CSTĐ cấp tỉnh was HTT (one HTXS kept in the ward, the quota) with a
    # recognised initiative: CSTĐCS of 2025 still open to them (LĐTT and an initiative).
    (candidate,) = [r for r in held["results"] if r["title"] == "CSTD_TINH"]
    own = rows[candidate["official_id"]]
    assert own["initiatives"] and "LDTT" in own["proposed_titles"]
    assert own["titles"][1]["awaiting_vote"]
