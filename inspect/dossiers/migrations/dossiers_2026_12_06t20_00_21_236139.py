"""Enum members are upper case everywhere (their values, stored in the tables, are not
changed): the schema snapshot's choices follow; no SQL is sent."""

from enum import Enum

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar

ID = "2026-12-06T20:00:21:236139"
VERSION = "1.38.0"
DESCRIPTION = "Enum members in upper case"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="dossiers", description=DESCRIPTION)

    manager.alter_column(
        table_class_name="Dossier",
        tablename="dossier",
        column_name="channel",
        db_column_name="channel",
        params={
            "choices": Enum(
                "Channel",
                {"DIRECT": "direct", "ONLINE": "online", "POSTAL": "postal"},
            )
        },
        old_params={
            "choices": Enum(
                "Channel",
                {"direct": "direct", "online": "online", "postal": "postal"},
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    manager.alter_column(
        table_class_name="ImportBatch",
        tablename="dossier_import_batch",
        column_name="status",
        db_column_name="status",
        params={
            "choices": Enum(
                "ImportStatus",
                {"RUNNING": "running", "DONE": "done", "FAILED": "failed"},
            )
        },
        old_params={
            "choices": Enum(
                "ImportStatus",
                {"running": "running", "done": "done", "failed": "failed"},
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    return manager
