"""Why an inspection was planned on a day off or started outside the unit's working hours
(empty for the rest): a new column, filled with "" on existing rows."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-06T20:57:32:368181"
VERSION = "1.38.0"
DESCRIPTION = "Reason for a check outside working time"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="inspections", description=DESCRIPTION)

    manager.add_column(
        table_class_name="Inspection",
        tablename="inspection",
        column_name="off_hours_reason",
        db_column_name="off_hours_reason",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 500,
            "default": "",
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
