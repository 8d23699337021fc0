"""Demo ratings: 2026 Q1–Q3 sheets for the công chức of the four communes, Q1 and Q2 locked,
Q3 and the year 2026 open; in each ward a quota that trims (three proposed excellent beside
about seven good: one kept), and in Phường Trường Vinh one official proposed for CSTĐCS
(excellent every quarter and a recognised initiative). Seeded, so every run is the same.
Seeded after the discipline demo, whose cases the ratings read: the demo official
(congchuc) is capped to KHT by this year's khiển trách, and the subjects of the cases
still open are blocked from the titles."""

from __future__ import annotations

import random
from datetime import date

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
            unit = await Unit.select(Unit.path).where(Unit.code == commune).first()
            assert unit is not None
            people = (
                await Official.select(Official.id, Official.is_leader)
                .where(
                    Official.unit._.path.like(f"{unit['path']}%"),
                    Official.category == "cong_chuc",
                )
                .order_by(Official.code)
            )
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
