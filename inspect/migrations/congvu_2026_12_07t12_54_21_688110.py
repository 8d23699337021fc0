"""A unit merger recorded ahead of its date: the day it takes effect (unit.merges_on)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Date
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-07T12:54:21:688110"
VERSION = "1.38.0"
DESCRIPTION = "Unit merger effective date for mergers recorded ahead of it"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="congvu", description=DESCRIPTION
    )

    manager.add_column(
        table_class_name="Unit",
        tablename="unit",
        column_name="merges_on",
        db_column_name="merges_on",
        column_class_name="Date",
        column_class=Date,
        params={
            "default": None,
            "null": True,
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
