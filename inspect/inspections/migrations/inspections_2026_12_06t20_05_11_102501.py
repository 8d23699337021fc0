"""Inspection plans' period kind takes the rules' PeriodKind (recorded after the upper-case
rename of the plans' own enum): the snapshot's choices follow; no SQL is sent."""

from enum import Enum

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar

ID = "2026-12-06T20:05:11:102501"
VERSION = "1.38.0"
DESCRIPTION = "Plan period kind from the rules"


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
        old_params={"choices": Enum("PeriodKind", {"QUARTER": "quarter", "YEAR": "year"})},
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    return manager
