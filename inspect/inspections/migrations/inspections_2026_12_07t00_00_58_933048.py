"""The roster's officials left unmarked when the minutes were submitted, as the team lead
confirmed them: a new column, "[]" on existing rows."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import JSON
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-07T00:00:58:933048"
VERSION = "1.38.0"
DESCRIPTION = "Officials left unmarked at submit"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="inspections", description=DESCRIPTION)

    manager.add_column(
        table_class_name="Inspection",
        tablename="inspection",
        column_name="unmarked_at_submit",
        db_column_name="unmarked_at_submit",
        column_class_name="JSON",
        column_class=JSON,
        params={
            "default": "[]",
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    return manager
