"""The Role enum's members are upper case (its values, stored in account.role, are not
changed): the schema snapshot follows; no SQL is sent."""

from enum import Enum

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar

ID = "2026-12-06T19:51:43:966815"
VERSION = "1.38.0"
DESCRIPTION = "Role members in upper case"


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
                },
            )
        },
        old_params={
            "choices": Enum(
                "Role",
                {
                    "admin": "admin",
                    "team_lead": "team_lead",
                    "inspector": "inspector",
                    "unit_head": "unit_head",
                    "official": "official",
                    "council": "council",
                    "reporter": "reporter",
                },
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    return manager
