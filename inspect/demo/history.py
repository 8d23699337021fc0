"""Demo history: the four quarters before the current one and the start of this one, so
the quarterly report compares quarters and counts the year to date on real-looking data.

Each past quarter has a plan (kế hoạch) with checks of two or three one-stop centres,
one of them a surprise check, the staff on duty checked, and a few findings in every
outcome a quarter ends with: confirmed and handled (nhắc nhở, phê bình, kiểm điểm), the
unit's fix verified by a later check, dismissed after an explanation, still open. The
history is written as the record it would have left (rows, not replayed workflows), and
an older one-stop export fills the months before the demo's dossiers start.
"""

from __future__ import annotations

import random
import tempfile
import uuid
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from congvu.inspect import clock
from congvu.inspect.actor import SYSTEM
from congvu.inspect.db import atomic
from congvu.inspect.demo.dossier_export import ExportSpec, generate, write_csv
from congvu.inspect.demo.inspections import SIGNER_TITLE, director
from congvu.inspect.dossiers.api import ImportRequest, import_dossiers
from congvu.inspect.inspections.tables import (
    AttendanceCheck,
    Finding,
    Inspection,
    InspectionMember,
    InspectionPlan,
)
from congvu.inspect.organisation.tables import Official, Unit, User
from congvu.inspect.periods import report_scheme
from congvu.inspect.review.tables import FindingReview
from congvu.rules.calendar import default_calendar
from congvu.rules.conduct import violation
from congvu.rules.periods import Period, PeriodKind, period_of

CENTRES = ("NA-TV-PVHCC", "NA-TVI-PVHCC", "NA-DC-PVHCC", "NA-NL-PVHCC")
PERSON_CODES = ("LATE_ARRIVAL", "NO_CARD", "PRIVATE_BUSINESS", "EARLY_LEAVE")
UNIT_CODES = ("NO_HOTLINE_POSTED",)
# (outcome, follow-up, closed) a finding ends its quarter with. A unit's fix
# (FIX_DEADLINE) stays open until a later check of the same unit verifies it.
ENDINGS = (
    ("confirmed", "REMIND", True),
    ("confirmed", "CRITICISE", True),
    ("dismissed", None, True),
    ("confirmed", "REQUIRE_SELF_REVIEW", False),
    (None, None, False),
)


def past_quarters(today: date, count: int = 4) -> list[Period]:
    """The ``count`` quarters before the one holding ``today``, oldest first, and that one."""
    current = period_of(today, PeriodKind.QUARTER, report_scheme())
    index = current.year * 4 + current.number - 1
    out = []
    for back in range(count, -1, -1):
        year, number = divmod(index - back, 4)
        out.append(Period(PeriodKind.QUARTER, year, number + 1, current.scheme))
    return out


def _moment(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), clock.zone()).astimezone(UTC)


async def seed_history(rng: random.Random) -> None:
    today = clock.today()
    calendar = default_calendar()
    lead = await User.select(User.id).where(User.username == "truongdoan").first()
    member = await User.select(User.id).where(User.username == "kiemtra").first()
    centres = {
        r["code"]: r["id"]
        for r in await Unit.select(Unit.id, Unit.code).where(Unit.code.is_in(list(CENTRES)))
    }
    staff: dict[int, list[int]] = {}
    for row in await Official.select(Official.id, Official.unit).where(
        Official.unit.is_in(list(centres.values()))
    ):
        staff.setdefault(row["unit"], []).append(row["id"])
    if lead is None or member is None or not centres:
        return
    periods = past_quarters(today)
    signer = await director()
    minutes_no = 100
    fixes: dict[int, list[int]] = {}  # unit → reviews of fixes a later check verifies
    async with atomic():
        for number, period in enumerate(periods):
            last = min(period.last_day, today - timedelta(days=14))
            if last <= period.first_day:
                continue
            plan = InspectionPlan(
                title=f"Kế hoạch kiểm tra công vụ {period.label('vi', bounds=False)}",
                period_kind=PeriodKind.QUARTER.value,
                year=period.year,
                quarter=period.number,
                document_no=f"{rng.randint(10, 99)}/KH-SNV",
                topics=["working_hours", "conduct", "one_stop"],
                signer_name=signer,
                signer_title=SIGNER_TITLE,
                created_by=lead["id"],
                created_at=_moment(period.first_day, 8),
            )
            await plan.save()
            visits = rng.sample(sorted(centres), 3 if number % 2 else 2)
            for visit, code in enumerate(visits):
                offset = 10 + visit * 15 + rng.randint(0, 5)
                day = calendar.add_working_days(period.first_day, offset)
                if day > last:
                    continue
                minutes_no += 1
                surprise = visit == len(visits) - 1 and number % 2 == 0
                fixes[centres[code]] = await _inspection(
                    rng,
                    fixes.get(centres[code], []),
                    plan_id=None if surprise else int(plan.id),
                    unit_id=centres[code],
                    staff=staff.get(centres[code], []),
                    day=day,
                    surprise=surprise,
                    minutes=f"{minutes_no:02d}/BB-ĐKTCV",
                    # Numbered apart from the minutes, without drawing from ``rng``
                    # (the rest of the demo would change): the sở's decisions of a year.
                    decision=(
                        f"{minutes_no - 70}/QĐ-SNV",
                        calendar.add_working_days(day, -3),
                        signer,
                    ),
                    # Two teams take turns leading, so the dashboard's calibration
                    # compares teams.
                    team=(lead["id"], member["id"])
                    if visit % 2 == 0
                    else (member["id"], lead["id"]),
                )
    await _older_dossiers(today)


async def _inspection(
    rng: random.Random,
    open_fixes: list[int],
    *,
    plan_id: int | None,
    unit_id: int,
    staff: list[int],
    day: date,
    surprise: bool,
    minutes: str,
    team: tuple[int, int],
    decision: tuple[str, date, str],
) -> list[int]:
    """A closed check of ``unit_id`` on ``day``; it verifies ``open_fixes`` and answers
    the fixes it asks for in turn."""
    started = _moment(day, 7, 45)
    inspection = Inspection(
        plan=plan_id,
        unit=unit_id,
        kind="SURPRISE_UNANNOUNCED" if surprise else "SCHEDULED",
        scheduled_date=day,
        topics=["working_hours", "conduct", "one_stop"],
        status="closed",
        started_at=started,
        place="Trung tâm Phục vụ hành chính công",
        submitted_at=_moment(day, 10, 30),
        minutes_number=minutes,
        # Signed three working days before the visit (a surprise one's too: the team
        # needs it in hand, only the unit does not know).
        team_decision_number=decision[0],
        team_decision_date=decision[1],
        team_decision_signer=decision[2],
        team_decision_signer_title=SIGNER_TITLE,
        created_by=team[0],
        created_at=_moment(day - timedelta(days=7), 8),
    )
    await inspection.save()
    if open_fixes:
        await FindingReview.update(
            {
                FindingReview.state: "closed",
                FindingReview.closed_at: started,
                FindingReview.closed_by: team[0],
                FindingReview.verified_by_inspection: inspection.id,
                FindingReview.verified_by: team[0],
                FindingReview.updated_at: started,
            }
        ).where(FindingReview.id.is_in(open_fixes))
    fixes: list[int] = []
    for user, role in zip(team, ("truong_doan", "thanh_vien"), strict=True):
        await InspectionMember(inspection=inspection.id, user=user, role=role).save()
    for official in staff:
        await AttendanceCheck(
            client_uuid=uuid.UUID(int=rng.getrandbits(128)),
            inspection=inspection.id,
            official=official,
            status="present",
            observed_at=started,
            verdict_status="ON_TIME",
            rule_id="working_hours",
            rule_version="2025.1",
            legal_basis="CT 05/2008/CT-TTg",
            explanation_vi="Có mặt đúng giờ",
            explanation_en="Present on time",
            created_at=started,
        ).save()
    people = rng.sample(staff, min(len(staff), rng.randint(1, 3)))
    subjects: list[tuple[int | None, str]] = [(p, rng.choice(PERSON_CODES)) for p in people]
    if rng.random() < 0.5:
        subjects.append((None, UNIT_CODES[0]))
    for index, (subject, code) in enumerate(subjects):
        item = violation(code, day)
        observed = _moment(day, 8, 10 + 5 * index)
        finding = Finding(
            client_uuid=uuid.UUID(int=rng.getrandbits(128)),
            inspection=inspection.id,
            official=subject,
            unit=unit_id,
            violation_code=code,
            rule_id=item.ref.id,
            rule_version=item.ref.version,
            legal_basis=item.ref.legal_basis,
            explanation_vi=item.label_vi,
            explanation_en=item.label_en,
            facts=f"Ghi nhận tại quầy: {item.label_vi.lower()}.",
            observed_at=observed,
            version_state="current",
            recorded_by=team[1],
            created_at=observed,
        )
        await finding.save()
        outcome, follow_up, closed = ENDINGS[rng.randrange(len(ENDINGS))]
        if subject is None and outcome == "confirmed":
            follow_up, closed = "FIX_DEADLINE", False
        decided = _moment(day + timedelta(days=12), 15)
        state = "closed" if closed else "follow_up_decided" if follow_up else "awaiting_explanation"
        review = FindingReview(
            finding=finding.id,
            state=state,
            notified_at=_moment(day + timedelta(days=1), 9),
            notified_by=team[0],
            explanation_due=default_calendar().add_working_days(day, 6),
            window_rule_id="review.EXPLANATION",
            window_rule_version="2025.1",
            decided_at=decided if outcome else None,
            decision_reason="Xác nhận theo biên bản kiểm tra" if outcome else None,
            outcome=outcome,
            follow_up=follow_up,
            follow_up_at=decided if follow_up else None,
            closed_at=decided if closed else None,
            updated_at=decided,
        )
        await review.save()
        if follow_up == "FIX_DEADLINE":
            fixes.append(int(review.id))
    return fixes


async def _older_dossiers(today: date) -> None:
    """The months before the demo export's year: its own code prefix, so no dossier of
    the main export is touched."""
    units = sorted(CENTRES)
    officials: dict[str, list[str]] = {}
    for row in await Official.select(Official.full_name, Official.unit.code).where(
        Official.unit.code.is_in(units)
    ):
        officials.setdefault(row["unit.code"], []).append(row["full_name"])
    end = today.replace(year=today.year - 1, day=1) - timedelta(days=1)
    spec = ExportSpec(
        rows=120,
        units=units,
        officials=officials,
        seed=2025,
        start=end - timedelta(days=100),
        end=end,
        exported_at=datetime.combine(end + timedelta(days=30), time(8)),
        bad_rate=0.0,
        code_prefix="H40",
    )
    export = generate(spec)
    with tempfile.TemporaryDirectory(prefix="congvu-demo-history-") as scratch:
        path = write_csv(export, Path(scratch) / "ho-so-mot-cua-truoc-do.csv")
        await import_dossiers(SYSTEM, ImportRequest(path=path, file_name=path.name))
