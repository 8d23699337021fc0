"""A quarter and a year rated end to end over HTTP in the review world plus commune C
(tests/emulation/conftest.py): suggested deductions only from confirmed findings whose
explanation window has run out, each with its source; the discipline cap; the HTXS quota
per unit and per task group; a locked period frozen, reopened with a reason into a new
version; the year's titles and the collective's."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from congvu.inspect.emulation.tables import RatingPeriod
from congvu.inspect.organisation.tables import Official
from congvu.rules.discipline import Form
from congvu.rules.discipline_standing import DecisionInForce, DisciplineStanding

from tests.conftest import login
from tests.emulation.conftest import Commune, confirmed, form, lock_by_job
from tests.worlds import ReviewWorld

pytestmark = pytest.mark.anyio


async def as_user(client: Any, username: str) -> None:
    response = await login(client, username)
    assert response.status_code in (302, 303), response.text


async def post(client: Any, path: str, **values: Any) -> Any:
    return await client.post(path, data=form(client, **values), follow_redirects=False)


async def board(client: Any, period: str, unit: str) -> dict[str, Any]:
    response = await client.get(f"/api/v1/ratings/{period}/units/{unit}")
    assert response.status_code == 200, response.text
    return response.json()


def row(b: dict[str, Any], official: Official) -> dict[str, Any]:
    return next(o for o in b["officials"] if o["official_id"] == official.id)


def khien_trach(official: Official, form_: Form = Form.KHIEN_TRACH) -> DisciplineStanding:
    return DisciplineStanding(
        official.id,
        (DecisionInForce(1, form_, date(2026, 7, 1), date(2026, 7, 1), date(2027, 6, 30)),),
    )


async def score_all(client: Any, commune: Commune) -> None:
    """Group X: three proposed HTXS (99, 95, 92.67 points) and five HTT (about 86);
    group Y: two HTXS and eight HTT."""
    x_scores = [(100, 100, 98), (100, 90, 95), (95, 90, 90)] + [(80, 80, 80)] * 5
    y_scores = [(100, 100, 100), (100, 95, 100)] + [(85, 80, 80)] * 8
    for group, people, scores in (("X", commune.x, x_scores), ("Y", commune.y, y_scores)):
        for official, (a, b, c) in zip(people, scores, strict=True):
            response = await post(
                client,
                f"/ratings/2026-Q3/units/P-C/sheets/{official.id}",
                a=a,
                b=b,
                c=c,
                task_group=group,
            )
            assert response.status_code == 303, response.text


@pytest.mark.parametrize("period", ["2025-Q4", "2025Q1", "2023"])
async def test_a_period_before_the_scored_rating_is_refused_beside_the_field(
    client: Any, commune_c: Commune, period: str
) -> None:
    # 2025 was rated once a year by NĐ 90/2020's criteria (its year opens, see
    # test_criteria_year.py): a quarter before 2026 has nothing to rate; 2023 precedes the
    # emulation titles encoded.
    await as_user(client, "tochuc")
    refused = await post(client, "/ratings/periods", period=period)
    assert refused.status_code == 400
    assert 'id="error-period"' in refused.text
    if period == "2023":
        assert "từ năm 2024" in refused.text
    else:
        assert "trước ngày 01/01/2026" in refused.text and "Nghị định 90/2020/NĐ-CP" in refused.text
        assert "hãy mở kỳ năm (2025)" in refused.text
    assert await RatingPeriod.count() == 0


async def test_a_quarter_from_findings_to_a_locked_version(
    client: Any, rw: ReviewWorld, commune_c: Commune, standings: dict[int, DisciplineStanding]
) -> None:
    lan = rw.world.official_a
    # Inside its explanation window on 10/09 (notified 08/09, decided early): held back.
    early = await confirmed(rw, lan, "RUDE_ATTITUDE", date(2026, 9, 8), date(2026, 9, 9))
    # Window long over: counted, I.2 -0.5 with its source.
    late = await confirmed(rw, lan, "LATE_ARRIVAL", date(2026, 8, 3), date(2026, 8, 20))
    await confirmed(rw, lan, "SMOKING", date(2026, 8, 3), date(2026, 8, 21), outcome="dismiss")

    await as_user(client, "tochuc")
    assert (await post(client, "/ratings/periods", period="2026Q3")).status_code == 303
    refused = await post(client, "/ratings/periods", period="2026-Q3")
    assert refused.status_code == 400 and 'id="error-period"' in refused.text

    await as_user(client, "head_a")
    response = await post(client, f"/ratings/2026-Q3/units/P-A/sheets/{lan.id}", a="101", b=1, c=1)
    assert response.status_code == 400 and 'id="error-a"' in response.text
    response = await post(
        client, f"/ratings/2026-Q3/units/P-A/sheets/{lan.id}", a=100, b=100, c=100
    )
    assert response.status_code == 303
    mine = row(await board(client, "2026-Q3", "P-A"), lan)
    assert [d["source"]["key"] for d in mine["deductions"]] == [f"finding:{late}"]
    (deduction,) = mine["deductions"]
    assert (deduction["criterion"], deduction["points"]) == ("I.2", 0.5)
    assert deduction["source"]["rule_id"] == "conduct.LATE_ARRIVAL"
    assert deduction["source"]["explanation_outcome"] == "waived"
    assert deduction["rule"] == {"id": "rating_deductions", "version": "2026.1"}
    assert mine["held_back"] == [
        {"source": f"finding:{early}", "explanation_due": mine["held_back"][0]["explanation_due"]}
    ]
    assert mine["score"]["total"] == 99.5 and mine["merited"] == "HTXS"
    assert (
        "Kỳ đến 14/09/2026: 99,5 điểm, thuộc mức Hoàn thành xuất sắc nhiệm vụ. Kết quả:"
        in " ".join(mine["reasons_vi"])
    )
    assert f"Chưa tính phát hiện #{early}: còn trong thời hạn giải trình" in " ".join(
        mine["reasons_vi"]
    )
    # Alone in her unit's group: 20% of no HTT is no HTXS.
    assert mine["level"] == "HTT" and "ngoài hạn mức 0 người" in mine["quota"]

    # The official sees their own sheet and contests the deduction.
    await as_user(client, "official_a")
    own = (await client.get("/api/v1/ratings/2026-Q3/me")).json()
    assert own["me"]["official_id"] == lan.id and len(own["officials"]) == 1
    page = await client.get("/ratings/2026-Q3/me")
    assert page.status_code == 200 and "Trừ 0,5 điểm tiêu chí I.2" in page.text
    empty = await post(client, "/ratings/2026-Q3/me/contests", source=f"finding:{late}", reason=" ")
    assert empty.status_code == 400 and f'id="error-reason-finding:{late}"' in empty.text
    assert (
        await post(
            client, "/ratings/2026-Q3/me/contests", source=f"finding:{late}", reason="Đã xin phép"
        )
    ).status_code == 303
    assert (
        await post(client, "/ratings/2026-Q3/me/sheet", a=100, b=95, c=90, note="Vượt kế hoạch")
    ).status_code == 303
    assert (await client.get("/api/v1/ratings/2026-Q3/units/P-A")).status_code == 403

    await as_user(client, "head_a")
    seen = row(await board(client, "2026-Q3", "P-A"), lan)
    assert seen["deductions"][0]["contested"] == "Đã xin phép"
    assert seen["self_results"] == {"a": 100, "b": 95, "c": 90}

    # Commune C: a duty-related khiển trách decided in the quarter caps its holder at KHT.
    capped = commune_c.y[5]
    standings[capped.id] = khien_trach(capped)
    await as_user(client, "head_c")
    await score_all(client, commune_c)
    c = await board(client, "2026-Q3", "P-C")
    assert row(c, capped)["level"] == "KHT" and row(c, capped)["capped"] == ["DISCIPLINE"]
    assert row(c, capped)["merited"] == "HTT"
    groups = {g["group"]: g for g in c["quota"]["groups"]}
    # X: 5 HTT + 3 HTXS -> keep k with k <= floor(20% x (5 + 3 - k)): 1 kept, 2 moved.
    assert (groups["P-C/X"]["htxs_proposed"], groups["P-C/X"]["htxs_kept"]) == (3, 1)
    # Y: 7 HTT (one capped to KHT) + 2 HTXS: 2 <= floor(20% x 7) = 1? no -> 1 kept.
    assert (groups["P-C/Y"]["htxs_proposed"], groups["P-C/Y"]["htxs_kept"]) == (2, 1)
    x = [row(c, o) for o in commune_c.x[:3]]
    assert [o["level"] for o in x] == ["HTXS", "HTT", "HTT"]
    assert x[1]["quota"].startswith("Chuyển xuống Hoàn thành tốt nhiệm vụ: xếp thứ 2/3")
    assert x[0]["quota"].startswith("Giữ mức Hoàn thành xuất sắc nhiệm vụ: xếp thứ 1/3")
    page = await client.get("/ratings/2026-Q3/units/P-C")
    assert (
        page.status_code == 200 and "<meter" in page.text and "Bị giới hạn do kỷ luật" in page.text
    )

    # Lock: a later confirmed finding does not change the locked version.
    await as_user(client, "tochuc")
    await lock_by_job(client, "2026-Q3")
    before = await board(client, "2026-Q3", "P-A")
    assert before["state"] == "locked" and before["version"] == 1
    await confirmed(rw, lan, "ABSENT_NO_PERMISSION", date(2026, 8, 3), date(2026, 9, 1))
    after = await board(client, "2026-Q3", "P-A")
    assert after == before
    await as_user(client, "head_a")
    locked = await post(client, f"/ratings/2026-Q3/units/P-A/sheets/{lan.id}", a=90, b=90, c=90)
    assert locked.status_code == 400 and "Kỳ đánh giá đã khóa" in locked.text

    # Reopen needs a reason, then makes version 2; version 1 stays readable.
    await as_user(client, "tochuc")
    no_reason = await post(client, "/ratings/periods/2026-Q3/reopen", reason="")
    assert no_reason.status_code == 400 and 'id="error-reason-2026-Q3"' in no_reason.text
    assert (
        await post(client, "/ratings/periods/2026-Q3/reopen", reason="Bổ sung vi phạm ngày 01/9")
    ).status_code == 303
    reopened = row(await board(client, "2026-Q3", "P-A"), lan)
    assert len(reopened["deductions"]) == 2 and reopened["score"]["total"] == 98.5
    await lock_by_job(client, "2026-Q3")
    second = await board(client, "2026-Q3", "P-A")
    assert second["version"] == 2 and second["data_hash"] != before["data_hash"]
    first = (await client.get("/api/v1/ratings/periods/2026-Q3/versions/1")).json()
    assert row(first, lan)["score"]["total"] == 99.5
    control = await client.get("/ratings")
    assert control.status_code == 200 and "Bổ sung vi phạm ngày 01/9" in control.text


async def test_the_year_titles_and_the_collective(
    client: Any, rw: ReviewWorld, commune_c: Commune, standings: dict[int, DisciplineStanding]
) -> None:
    capped = commune_c.y[5]
    warned = commune_c.y[6]
    await as_user(client, "tochuc")
    for period in ("2026-Q3", "2026"):
        assert (await post(client, "/ratings/periods", period=period)).status_code == 303
    await as_user(client, "head_c")
    await score_all(client, commune_c)
    await as_user(client, "tochuc")
    await lock_by_job(client, "2026-Q3")
    star = commune_c.x[0]  # 99 points in Q3, kept HTXS
    added = await client.post(
        "/api/v1/emulation/initiatives",
        json={
            "official_id": star.id,
            "year": 2026,
            "title": "Số hóa sổ hộ tịch",
            "decision_number": "123/QĐ-UBND",
            "decided_on": "2026-08-15",
        },
        headers={"x-csrftoken": client.cookies.get("csrftoken", "")},
    )
    assert added.status_code == 201, added.text
    rated = await client.put(
        "/api/v1/emulation/collectives/P-C/2026",
        json={"level": "HTT"},
        headers={"x-csrftoken": client.cookies.get("csrftoken", "")},
    )
    assert rated.status_code == 200, rated.text

    clean = await board(client, "2026", "P-C")
    star_row = row(clean, star)
    assert star_row["level"] == "HTXS" and "CSTDCS" in star_row["proposed_titles"]
    assert star_row["initiatives"][0]["decision_number"] == "123/QĐ-UBND"
    ldtt = next(t for t in clean["collective"]["titles"] if t["title"] == "TAP_THE_LDTT")
    assert ldtt["eligible"], ldtt

    # A duty-related khiển trách in the year: KHT, no LĐTT, no CSTĐCS.
    standings[capped.id] = khien_trach(capped)
    # A member at cảnh cáo: the collective loses Tập thể LĐTT.
    standings[warned.id] = khien_trach(warned, Form.CANH_CAO)
    blocked = await board(client, "2026", "P-C")
    capped_row = row(blocked, capped)
    assert capped_row["level"] == "KHT" and capped_row["proposed_titles"] == []
    assert "DISCIPLINE_PERIOD" in capped_row["blockers"]
    ldtt = next(t for t in blocked["collective"]["titles"] if t["title"] == "TAP_THE_LDTT")
    assert not ldtt["eligible"] and "MEMBER_DISCIPLINED" in ldtt["reasons"]
    assert "có cá nhân bị kỷ luật từ hình thức cảnh cáo trở lên" in ldtt["explanation_vi"]

    await as_user(client, "official_a")
    own_year = await client.get("/ratings/2026/me")
    assert own_year.status_code == 200
    assert "Chưa có đủ điểm các quý để xếp loại năm." in own_year.text
    assert "Lao động tiên tiến, kỳ 01/01/2026–31/12/2026: chưa đủ điều kiện" in own_year.text
