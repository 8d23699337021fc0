"""Demo inspections: the inspector "kiemtra" and the team lead "truongdoan" find a
quarterly plan with an inspection of Phường Trường Vinh (NA-TV) today, and one sealed
surprise inspection drawn by lot for today. Today's planned inspection has no team
decision yet, so the form to record one has something to do; the done ones have theirs
(``review``, ``history``)."""

from __future__ import annotations

import random

from congvu.inspect import clock
from congvu.inspect.errors import NotFound
from congvu.inspect.inspections import api as inspections
from congvu.inspect.inspections.api import (
    DrawForm,
    PlanForm,
    PlannedVisit,
    TeamMember,
)
from congvu.inspect.organisation import api as organisation
from congvu.inspect.organisation.tables import Official, Unit, User

SIGNER_TITLE = "Giám đốc Sở Nội vụ"


async def director() -> str:
    """The demo Sở Nội vụ's director, who signs its plans and team decisions."""
    row = (
        await Official.select(Official.full_name)
        .where(Official.unit.code == "NA-SNV", Official.position == "Giám đốc Sở")
        .first()
    )
    return row["full_name"] if row else ""


async def seed_inspections_demo(rng: random.Random) -> None:
    users = {
        u["username"]: u["id"]
        for u in await User.select(User.id, User.username).where(
            User.username.is_in(["truongdoan", "kiemtra"])
        )
    }
    lead = await organisation.actor_for(users["truongdoan"])
    unit = await Unit.select(Unit.id).where(Unit.code == "NA-TV").first()
    if lead is None or unit is None:
        raise NotFound("Dữ liệu demo thiếu tài khoản truongdoan hoặc phường NA-TV.")
    today = clock.today()
    quarter = (today.month - 1) // 3 + 1
    # The demo's inspection is today so the tablet can start it; on a day off the team
    # records why, as a real team must (a weekend one-stop shift).
    off_day = "Kiểm tra việc trực tiếp nhận hồ sơ ngày nghỉ theo lịch trực của UBND phường"
    team = [
        TeamMember(users["truongdoan"], "truong_doan"),
        TeamMember(users["kiemtra"], "thanh_vien"),
    ]
    await inspections.create_plan(
        lead,
        PlanForm(
            title=f"Kế hoạch kiểm tra công vụ quý {quarter}/{today.year}",
            year=today.year,
            quarter=quarter,
            document_no=f"{rng.randint(10, 99)}/KH-SNV",
            topics=["working_hours", "conduct", "one_stop"],
            visits=[PlannedVisit(unit["id"], today)],
            team=team,
            off_day_reason=off_day,
            signer_name=await director(),
            signer_title=SIGNER_TITLE,
        ),
    )
    await inspections.draw_surprise(
        lead,
        DrawForm(
            count=1,
            scheduled_date=today,
            kind="SURPRISE_UNANNOUNCED",
            topics=["working_hours", "conduct"],
            team=team,
            off_day_reason=off_day,
        ),
        seed=f"{rng.getrandbits(64):016x}",
    )
