"""A surprise draw keeps the reasons of suggested weights (the dashboard's ranking of
targets), per unit; empty for a draw weighted by recent findings. New column, default
an empty object."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import JSON
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-07T03:51:13:176228"
VERSION = "1.38.0"
DESCRIPTION = "Reasons of suggested weights on a surprise draw"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="inspections", description=DESCRIPTION)

    manager.add_column(
        table_class_name="SurpriseDraw",
        tablename="surprise_draw",
        column_name="suggested",
        db_column_name="suggested",
        column_class_name="JSON",
        column_class=JSON,
        params={
            "default": "{}",
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
