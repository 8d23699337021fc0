"""InspectionPlan.period_kind: its choices are the rules' PeriodKind (month, quarter, year).

The stored values ("quarter", "year") do not change, and choices live in Python only:
Piccolo sends no SQL for a choices-only change on either engine. The change is recorded
so the schema snapshot matches the table.
"""

from enum import Enum

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar

ID = "2026-12-06T19:59:20:188029"
VERSION = "1.38.0"
DESCRIPTION = "InspectionPlan.period_kind: choices are the rules' PeriodKind"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="inspections", description=DESCRIPTION)

    manager.alter_column(
        table_class_name="InspectionPlan",
        tablename="inspection_plan",
        column_name="period_kind",
        db_column_name="period_kind",
        params={
            "choices": Enum(
                "PeriodKind",
                {"MONTH": "month", "QUARTER": "quarter", "YEAR": "year"},
            )
        },
        old_params={"choices": Enum("PeriodKind", {"quarter": "quarter", "year": "year"})},
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    return manager
