"""Fill review_deadline for every day from the first rule pack to three years ahead, as
``services/deadlines.recompute_review_deadlines`` would: the review pack in force today,
its review window counted in working days on the calendar. Counted here from
``congvu.rules`` so that the migration does not depend on the services as they change."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from congvu.rules import review as rules
from congvu.rules.calendar import default_calendar
from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-07T03:37:15:000000"
VERSION = "1.38.0"
DESCRIPTION = "Fill the review deadlines of late dossiers"

FIRST_DAY = date(2019, 1, 1)
HORIZON = timedelta(days=3 * 366)


def _rows() -> str:
    today = datetime.now(ZoneInfo("Asia/Ho_Chi_Minh")).date()
    window = rules.windows(today)
    calendar = default_calendar()
    rule_id = window.rule.id.replace("'", "''")
    version = window.rule.version.replace("'", "''")
    values = []
    day = FIRST_DAY
    while day <= today + HORIZON:
        due = calendar.add_working_days(day, window.review_working_days)
        values.append(f"('{day.isoformat()}', '{due.isoformat()}', '{rule_id}', '{version}')")
        day += timedelta(days=1)
    return ", ".join(values)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="review", description=DESCRIPTION)

    async def fill() -> None:
        await engine_finder().run_ddl(
            "INSERT INTO review_deadline (day, due, rule_id, rule_version) VALUES " + _rows()
        )

    async def empty() -> None:
        await engine_finder().run_ddl("DELETE FROM review_deadline")

    manager.add_raw(fill)
    manager.add_raw_backwards(empty)
    return manager
