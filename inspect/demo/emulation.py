"""Demo ratings: 2026 Q1–Q3 sheets for the công chức of the four communes, Q1 and Q2 locked,
Q3 and the year 2026 open; in each ward a quota that trims (three proposed excellent beside
about seven good: one kept), and in Phường Trường Vinh one official proposed for CSTĐCS
(excellent every quarter and a recognised initiative). Seeded, so every run is the same.
Seeded after the discipline demo, whose cases the ratings read: the demo official
(congchuc) is capped to KHT by this year's khiển trách, and the subjects of the cases
still open are blocked from the titles.

The province's emulation council (Hội đồng thi đua – khen thưởng tỉnh; its secretary is the
``thidua`` account's official): a complete 2025 session — members, attendance with one
written vote and one absence, the secret-ballot counts for Chiến sĩ thi đua cấp tỉnh and
Bằng khen, one result below 90%, locked — and a 2026 session prepared (members and the
CSTĐCS nominee) but not yet held. A few awards already received (listed in Mẫu số 05) and
Phường Trường Vinh's 2026 annual steps, partly recorded, and its thematic campaign for
the third quarter.

2025 is rated by the criteria of NĐ 90/2020 (amended by NĐ 48/2023), in force for công
chức until 31/12/2025 (NĐ 335/2025's scores apply from 01/01/2026; the ``rating_cong_chuc``
packs, rules/README.md): the year 2025 is opened as a criteria year, the head's counts are
entered for every công chức of the four communes and the year is locked — coherent with
the 2025 council session and the awards it left: Phường Trường Vinh's CSTĐCS of 2025 is
rated HTXS (the one HTXS its quota keeps), Phường Thành Vinh's LĐTT at least HTT, the
council's candidates HTT, the one for Chiến sĩ thi đua cấp tỉnh with a recognised 2025
initiative (CSTĐCS asks HTXS or an initiative)."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from congvu.inspect.actor import Actor
from congvu.inspect.emulation import api as emulation
from congvu.inspect.organisation import api as organisation
from congvu.inspect.organisation.tables import Official, Unit, User

COMMUNES = ("NA-TV", "NA-TVI", "NA-DC", "NA-NL")
WARDS = ("NA-TV", "NA-TVI")  # where three are proposed excellent


def _parts(rng: random.Random, rank: int, ward: bool) -> dict[str, int]:
    """Task results for the official ranked ``rank`` in their commune: in a ward the
    first three are excellent (about 98, 93 and 91 points), everyone else good."""
    if ward and rank == 0:
        a, b, c = 100, 98, 97
    elif ward and rank in (1, 2):
        a, b, c = 95 - rank, 92, 90 + rng.randint(0, 2)
    else:
        a, b, c = (rng.randint(72, 88) for _ in range(3))
    return {"a": a, "b": b, "c": c}


async def _cong_chuc_of(commune: str) -> list[dict[str, Any]]:
    """The công chức of a commune and its sub-units, in code order (id, is_leader)."""
    unit = await Unit.select(Unit.path).where(Unit.code == commune).first()
    assert unit is not None
    return list(
        await Official.select(Official.id, Official.is_leader)
        .where(
            Official.unit._.path.like(f"{unit['path']}%"),
            Official.category == "cong_chuc",
        )
        .order_by(Official.code)
    )


async def seed_emulation_demo(rng: random.Random) -> None:
    users = {
        u["username"]: u["id"]
        for u in await User.select(User.id, User.username).where(
            User.username.is_in(["admin", "tochuc"])
        )
    }
    admin = await organisation.actor_for(users["admin"])
    personnel = await organisation.actor_for(users["tochuc"])
    assert admin is not None and personnel is not None
    for name in ("2026-Q1", "2026-Q2", "2026-Q3", "2026"):
        await emulation.open_period(personnel, name)
    stars: dict[str, int] = {}
    for quarter in ("2026-Q1", "2026-Q2", "2026-Q3"):
        for commune in COMMUNES:
            people = await _cong_chuc_of(commune)
            # The star is a one-stop officer, not a leader (their d, đ, e would differ).
            ordered = sorted(people, key=lambda p: (p["is_leader"], p["id"]))
            stars.setdefault(commune, ordered[0]["id"])
            for rank, person in enumerate(ordered):
                form = {k: str(v) for k, v in _parts(rng, rank, commune in WARDS).items()}
                if person["is_leader"]:
                    form |= {"d": "90", "dd": str(rng.randint(70, 85)), "e": "80"}
                await emulation.save_sheet(
                    admin, quarter, person["id"], form, author=emulation.SheetAuthor.HEAD
                )
        if quarter != "2026-Q3":
            await emulation.lock_period(personnel, quarter)
    await emulation.add_initiative(
        personnel,
        stars["NA-TV"],
        2026,
        "Số hóa hồ sơ hộ tịch và trả kết quả qua dịch vụ bưu chính công ích",
        "245/QĐ-UBND",
        date(2026, 8, 20),
    )
    await emulation.rate_collective(personnel, "NA-TV", 2026, "HTT")
    await seed_criteria_year(admin, personnel, stars, rng)
    await seed_awards_and_steps(personnel, stars)
    await seed_council_demo(personnel, stars["NA-TV"])


async def _council_picks() -> list[int]:
    """The 2025 council's candidates (the one-stop centres' first three công chức by code),
    as ``seed_council_demo`` picks them."""
    return [
        int(o["id"])
        for o in await Official.select(Official.id)
        .where(Official.unit._.code.is_in([f"{c}-PVHCC" for c in COMMUNES]))
        .order_by(Official.code)
    ][:3]


def _criteria(rank: int, excellent: bool, rng: random.Random) -> dict[str, str]:
    """The head's 2025 counts: an excellent official did every task on time with most
    beyond target; the others every task well with a few beyond (HTT), one in ten a task
    late (HTNV: 1 of 10 short, under the 20% allowed)."""
    assigned = rng.randint(10, 14)
    if excellent:
        done, exceeded, short = assigned, assigned - 2, 0
    elif rank % 10 == 9:
        done, exceeded, short = assigned - 1, 0, 1
    else:
        done, exceeded, short = assigned, rng.randint(0, 3), 0
    return {
        "general": "TOT" if short == 0 else "DAT",
        "tasks_assigned": str(assigned),
        "tasks_done_well": str(done),
        "tasks_exceeded": str(exceeded),
        "tasks_short": str(short),
        "tasks_unfinished": "0",
    }


async def seed_criteria_year(
    admin: Actor, personnel: Actor, stars: dict[str, int], rng: random.Random
) -> None:
    """The year 2025 by NĐ 90/2020's criteria, entered and locked."""
    await emulation.open_period(personnel, "2025")
    picks = await _council_picks()
    excellent = {stars["NA-TV"]}
    await emulation.add_initiative(
        personnel,
        picks[0],
        2025,
        "Quy trình tiếp nhận hồ sơ đất đai một lần, trả kết quả tại nhà",
        "1105/QĐ-UBND",
        date(2025, 11, 20),
    )
    for commune in COMMUNES:
        people = await _cong_chuc_of(commune)
        for rank, person in enumerate(people):
            form = _criteria(rank, person["id"] in excellent, rng)
            if person["id"] in excellent or person["id"] in picks:
                form |= {"general": "TOT", "tasks_short": "0"}
                form["tasks_done_well"] = form["tasks_assigned"]
            if person["is_leader"]:
                form |= {
                    "unit_targets_completed": "100",
                    "unit_targets_exceeded": "30",
                    "subunits_at_least_htnv": "100",
                    "subunits_htt_or_better": "80",
                }
            await emulation.save_criteria(admin, "2025", person["id"], form)
    await emulation.lock_period(personnel, "2025")


# The awards officials already received, listed in their Mẫu số 05: (commune of the star,
# year, form, decision number, decision date, issuer). Trường Vinh's star was CSTĐCS in 2024
# and 2025 and is proposed again for 2026, so the 2026 council is offered them for Chiến sĩ
# thi đua cấp tỉnh, to confirm.
AWARDS = (
    ("NA-TV", 2025, "Chiến sĩ thi đua cơ sở", "1520/QĐ-UBND", date(2026, 1, 15),
     "Chủ tịch UBND phường Trường Vinh"),
    ("NA-TV", 2024, "Giấy khen của Chủ tịch UBND phường", "2210/QĐ-UBND", date(2024, 12, 20),
     "Chủ tịch UBND phường Trường Vinh"),
    ("NA-TV", 2024, "Chiến sĩ thi đua cơ sở", "65/QĐ-UBND", date(2025, 1, 14),
     "Chủ tịch UBND phường Trường Vinh"),
    ("NA-TVI", 2025, "Lao động tiên tiến", "1498/QĐ-UBND", date(2026, 1, 10),
     "Chủ tịch UBND phường Thành Vinh"),
)  # fmt: skip
# Phường Trường Vinh's 2026 annual steps, partly done: the self-reports and the unit
# meeting recorded; the Party committee's opinion, the decision and the notice to come.
STEPS = (
    ("self_report", "01/12/2026", "", "Cán bộ, công chức nộp bản tự đánh giá"),
    ("unit_meeting", "04/12/2026", "12/BB-UBND", "Họp toàn thể cơ quan"),
)


# A thematic campaign of Phường Trường Vinh for the third quarter.
CAMPAIGN = {
    "name": "Đợt thi đua cao điểm cải cách hành chính quý III/2026",
    "agency": "NA-TV",
    "starts_on": "01/07/2026",
    "ends_on": "30/09/2026",
    "c_no_confirmed_violation": "1",
    "c_last_quarter_at_least": "1",
    "level": "HTT",
    "c_no_discipline": "1",
}


async def seed_awards_and_steps(personnel: Actor, stars: dict[str, int]) -> None:
    codes = {
        r["id"]: r["code"]
        for r in await Official.select(Official.id, Official.code).where(
            Official.id.is_in(list(stars.values()))
        )
    }
    for commune, year, form, number, decided_on, issuer in AWARDS:
        await emulation.add_award(
            personnel,
            {
                "official": codes[stars[commune]],
                "year": str(year),
                "form": form,
                "decision_number": number,
                "decided_on": f"{decided_on:%d/%m/%Y}",
                "issuer": issuer,
            },
        )
    await emulation.create_campaign(personnel, CAMPAIGN)
    for step, done_on, number, note in STEPS:
        await emulation.record_step(
            personnel,
            "2026",
            "NA-TV",
            step,
            {"done_on": done_on, "document_number": number, "note": note},
        )


async def seed_council_demo(personnel: Actor, star: int) -> None:
    council = await User.select(User.official.code).where(User.username == "thidua").first()
    assert council is not None
    snv = (
        await Official.select(Official.code, Official.position)
        .where(Official.unit._.path.like("/NA/NA-SNV/%"), Official.category == "cong_chuc")
        .order_by(Official.code)
    )
    chairs = (
        await Official.select(Official.code)
        .where(Official.position == "Chủ tịch UBND", Official.unit._.code.is_in(list(COMMUNES)))
        .order_by(Official.code)
    )
    chair = next(o["code"] for o in snv if o["position"] == "Giám đốc Sở")
    secretary = str(council["official.code"])
    others = [o["code"] for o in snv if o["code"] not in (chair, secretary)]
    members = [chair, secretary, *others, *(c["code"] for c in chairs)]
    star_code = (await Official.select(Official.code).where(Official.id == star).first() or {})[
        "code"
    ]
    picks = (
        await Official.select(Official.id, Official.code)
        .where(Official.unit._.code.is_in([f"{c}-PVHCC" for c in COMMUNES]))
        .order_by(Official.code)
    )
    for year in (2025, 2026):
        session = await emulation.create_session(personnel, "NA", year)
        for code in members:
            role = {chair: "chair", secretary: "secretary"}.get(code, "member")
            await emulation.set_member(personnel, session, code, role)
        if year == 2026:
            await emulation.add_candidate(personnel, session, star_code, "CSTDCS")
            continue
        candidates = [
            (picks[0]["code"], "CSTD_TINH"),
            (picks[1]["code"], "BANG_KHEN"),
            (picks[2]["code"], "BANG_KHEN"),
        ]
        for code, title in candidates:
            await emulation.add_candidate(personnel, session, code, title)
        facts = await emulation.council_session(personnel, session)
        seats = [m["official_id"] for m in facts["members"]]
        attendance = {oid: "present" for oid in seats}
        attendance[seats[-1]] = "written"  # a commune chair away, voting in writing
        attendance[seats[-2]] = "absent"
        await emulation.record_meeting(
            personnel, session, date(2025, 12, 18), "Phòng họp số 2, UBND tỉnh Nghệ An", attendance
        )
        voters = len(seats) - 1  # present and written
        ids = {o["code"]: o["id"] for o in picks}
        counts = [(voters, 0, 0), (voters, 0, 0), (voters - 3, 2, 1)]
        for (code, title), (yes, no, invalid) in zip(candidates, counts, strict=True):
            await emulation.record_tally(
                personnel,
                session,
                ids[code],
                title,
                {"in_favour": str(yes), "against": str(no), "invalid": str(invalid)},
            )
        await emulation.lock_session(personnel, session)
