"""Demo review: an inspection of Phường Trường Vinh a week ago, captured through the
same sync service as a tablet, submitted, and its findings notified — so the head's
queue (thutruong.truongvinh) and the official's page have real items to show. Once the
demo dossiers are imported, the head has taken up one late dossier of the demo official
and dismissed another; the rest of the ward's flagged dossiers wait in the queue."""

from __future__ import annotations

import random
import uuid
from datetime import datetime, time
from zoneinfo import ZoneInfo

from congvu.inspect import clock
from congvu.inspect.actor import SYSTEM
from congvu.inspect.capture import api as capture
from congvu.inspect.demo.inspections import SIGNER_TITLE, director
from congvu.inspect.dossiers.tables import Dossier
from congvu.inspect.errors import NotFound
from congvu.inspect.inspections import api as inspections
from congvu.inspect.inspections.api import (
    PlanForm,
    PlannedVisit,
    TeamDecisionForm,
    TeamMember,
)
from congvu.inspect.inspections.tables import Finding, Inspection
from congvu.inspect.organisation import api as organisation
from congvu.inspect.organisation.tables import Official, Unit, User
from congvu.inspect.review import api as review
from congvu.inspect.review.api import Command
from congvu.rules.calendar import default_calendar

ZONE = ZoneInfo("Asia/Ho_Chi_Minh")


async def seed_review_demo(rng: random.Random) -> None:
    ids = {
        u["username"]: u["id"]
        for u in await User.select(User.id, User.username).where(
            User.username.is_in(["truongdoan", "kiemtra", "admin", "congchuc"])
        )
    }
    lead = await organisation.actor_for(ids["truongdoan"])
    inspector = await organisation.actor_for(ids["kiemtra"])
    admin = await organisation.actor_for(ids["admin"])
    unit = await Unit.select(Unit.id).where(Unit.code == "NA-TV").first()
    if lead is None or inspector is None or admin is None or unit is None:
        raise NotFound("Dữ liệu demo thiếu tài khoản hoặc phường NA-TV.")
    day = default_calendar().add_working_days(clock.today(), -5)
    plan_id = await inspections.create_plan(
        lead,
        PlanForm(
            title=f"Kiểm tra việc chấp hành kỷ luật, kỷ cương hành chính tháng {day.month}",
            year=day.year,
            quarter=(day.month - 1) // 3 + 1,
            document_no=f"{rng.randint(100, 199)}/KH-SNV",
            topics=["working_hours", "conduct", "one_stop"],
            visits=[PlannedVisit(unit["id"], day)],
            team=[
                TeamMember(ids["truongdoan"], "truong_doan"),
                TeamMember(ids["kiemtra"], "thanh_vien"),
            ],
            signer_name=await director(),
            signer_title=SIGNER_TITLE,
        ),
    )
    visit = await Inspection.select(Inspection.id).where(Inspection.plan == plan_id).first()
    if visit is None:
        raise NotFound("Kế hoạch demo không có cuộc kiểm tra.")
    visit_id: int = visit["id"]
    # The director sent the team a few days before the visit.
    await inspections.record_team_decision(
        lead,
        visit_id,
        TeamDecisionForm(
            number=f"{plan_id + 36}/QĐ-SNV",
            decided_on=default_calendar().add_working_days(day, -3),
            signer_name=await director(),
            signer_title=SIGNER_TITLE,
        ),
    )
    staff = (
        await Official.select(Official.id)
        .where(Official.unit.code == "NA-TV-PVHCC", Official.is_leader.eq(False))
        .order_by(Official.id)
    )
    # The demo official "congchuc" is the first one-stop clerk: give them a finding.
    clerk = await User.select(User.official).where(User.id == ids["congchuc"]).first()
    subject = clerk["official"] if clerk else staff[0]["id"]
    other = next(s["id"] for s in staff if s["id"] != subject)

    def at(hour: int, minute: int) -> str:
        return datetime.combine(day, time(hour, minute), ZONE).isoformat()

    # Everyone else at the centre was at their desk but the last two, whom the team
    # could not find and left unmarked: the team lead confirms them at submit.
    roster = [o.id for o in await organisation.officials_of_unit(SYSTEM, unit["id"])]
    others = [o for o in roster if o != subject]
    present, unmarked = others[:-2], others[-2:]

    def record(kind: str, payload: dict[str, object]) -> capture.IncomingRecord:
        return capture.IncomingRecord(
            uuid=str(uuid.UUID(int=rng.getrandbits(128))),
            type=kind,
            inspection_id=visit_id,
            payload=payload,
        )

    results = await capture.sync(
        inspector,
        [
            record(
                "start",
                {
                    "started_at": at(7, 45),
                    "place": "Trung tâm Phục vụ hành chính công phường Trường Vinh",
                },
            ),
            record(
                "attendance",
                {
                    "official_id": subject,
                    "status": "late",
                    "arrival_time": "08:12",
                    "observed_at": at(8, 12),
                },
            ),
            *(
                record(
                    "attendance",
                    {"official_id": o, "status": "present", "observed_at": at(7, 50)},
                )
                for o in present
            ),
            record(
                "finding",
                {
                    "official_id": other,
                    "violation_code": "NO_CARD",
                    "facts": "Không đeo thẻ công chức khi tiếp nhận hồ sơ tại quầy.",
                    "observed_at": at(8, 30),
                    "evidence": [],
                },
            ),
            record(
                "finding",
                {
                    "official_id": None,
                    "violation_code": "NO_HOTLINE_POSTED",
                    "facts": "Bảng niêm yết thủ tục không ghi số điện thoại đường dây nóng.",
                    "observed_at": at(8, 40),
                    "evidence": [],
                },
            ),
            record("signature", {"role": "team_lead", "name": lead.display_name, "refused": False}),
            record("submit", {"unmarked_confirmed": unmarked}),
        ],
    )
    failed = [r for r in results if r.status not in ("created", "duplicate")]
    if failed:
        raise NotFound(f"Demo review seed: {failed[0].error}")
    # The team lead closes the minutes, so the tablets list only today's inspection.
    await inspections.close_inspection(lead, visit_id)
    findings = await Finding.select(Finding.id).where(Finding.inspection == visit_id)
    for finding in findings:
        await review.transition(admin, finding["id"], Command(action="notify"))


async def seed_dossier_review_demo() -> None:
    """After the demo dossiers: one case about the demo official ("congchuc") awaiting
    their explanation, one dismissal with its reason, the other flags still to decide."""
    users = {
        u["username"]: u
        for u in await User.select(User.id, User.username, User.official).where(
            User.username.is_in(["thutruong.truongvinh", "congchuc"])
        )
    }
    head = await organisation.actor_for(users["thutruong.truongvinh"]["id"])
    if head is None:
        raise NotFound("Dữ liệu demo thiếu tài khoản thutruong.truongvinh.")
    rows = (
        await Dossier.select(Dossier.id, Dossier.code, Dossier.official, Dossier.flags)
        .where(Dossier.unit.path.like(f"{head.scope_path}%"), Dossier.flags != "")
        .order_by(Dossier.id)
    )
    flagged = [r for r in rows if review.lateness_flags(r["flags"]) and r["official"]]
    if len(flagged) < 2:
        return
    clerk = users["congchuc"]["official"]
    theirs = [r for r in flagged if r["official"] == clerk]
    # The dossier planted for the clerk (DEMO-…) is the case, so the story the README
    # tells holds whatever the generated export happens to contain.
    planted = [r for r in theirs if r["code"].startswith("DEMO-")]
    case = (planted or theirs or flagged)[0]
    dismissed = next(r for r in flagged if r["id"] != case["id"])
    await review.decide(head, case["id"], review.DossierCommand("take_up"))
    await review.decide(
        head,
        dismissed["id"],
        review.DossierCommand(
            "dismiss",
            reason="Chậm do chờ người dân bổ sung giấy tờ theo phiếu yêu cầu bổ sung; "
            "không do cán bộ xử lý.",
        ),
    )
