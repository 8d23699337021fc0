"""Finding.version_state: its choices (FindingVersion) and its default, "current"."""

from enum import Enum

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar
from piccolo.engine.finder import engine_finder
from piccolo.engine.sqlite import SQLiteEngine

ID = "2026-12-06T19:51:45:195546"
VERSION = "1.38.0"
DESCRIPTION = "Finding.version_state: choices and default"


class _Manager(MigrationManager):
    """SQLite cannot change a column's default in place, and needs not to: every insert
    names version_state. The change is still recorded, so the schema snapshot matches the
    table on both engines; only PostgreSQL is sent the ALTER."""

    async def _run_alter_columns(self, backwards: bool = False) -> None:
        if isinstance(engine_finder(), SQLiteEngine):
            return
        await super()._run_alter_columns(backwards=backwards)


async def forwards():
    manager = _Manager(migration_id=ID, app_name="inspections", description=DESCRIPTION)

    manager.alter_column(
        table_class_name="Finding",
        tablename="finding",
        column_name="version_state",
        db_column_name="version_state",
        params={
            "default": "current",
            "choices": Enum(
                "FindingVersion",
                {
                    "CURRENT": "current",
                    "SUPERSEDED": "superseded",
                    "WITHDRAWN": "withdrawn",
                },
            ),
        },
        old_params={"default": "recorded", "choices": None},
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    return manager
