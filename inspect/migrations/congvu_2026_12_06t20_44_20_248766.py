"""A new role, the personnel officer (cán bộ tổ chức), who runs rating periods and
discipline cases: the schema snapshot's choices follow; no SQL is sent."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from enum import Enum
from piccolo.columns.column_types import Varchar

ID = "2026-12-06T20:44:20:248766"
VERSION = "1.38.0"
DESCRIPTION = "Personnel officer role"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="congvu", description=DESCRIPTION
    )

    manager.alter_column(
        table_class_name="User",
        tablename="account",
        column_name="role",
        db_column_name="role",
        params={
            "choices": Enum(
                "Role",
                {
                    "ADMIN": "admin",
                    "TEAM_LEAD": "team_lead",
                    "INSPECTOR": "inspector",
                    "UNIT_HEAD": "unit_head",
                    "OFFICIAL": "official",
                    "COUNCIL": "council",
                    "REPORTER": "reporter",
                    "PERSONNEL": "personnel",
                },
            )
        },
        old_params={
            "choices": Enum(
                "Role",
                {
                    "ADMIN": "admin",
                    "TEAM_LEAD": "team_lead",
                    "INSPECTOR": "inspector",
                    "UNIT_HEAD": "unit_head",
                    "OFFICIAL": "official",
                    "COUNCIL": "council",
                    "REPORTER": "reporter",
                },
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    return manager
