"""Finding.version_state replaces Finding.status: the capture-side version of a finding
(current / superseded / withdrawn) under a name that cannot be confused with the review's
state, whose first state was also called "recorded". The next migration renames that
value (Piccolo runs raw steps before a rename in the same migration)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

ID = "2026-12-06T19:51:00:505124"
VERSION = "1.38.0"
DESCRIPTION = "Finding.version_state replaces Finding.status"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="inspections", description=DESCRIPTION)

    manager.rename_column(
        table_class_name="Finding",
        tablename="finding",
        old_column_name="status",
        new_column_name="version_state",
        old_db_column_name="status",
        new_db_column_name="version_state",
        schema=None,
    )

    return manager
