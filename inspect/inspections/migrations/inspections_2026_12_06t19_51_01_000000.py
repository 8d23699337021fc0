"""Finding.version_state: the value "recorded" becomes "current"."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-06T19:51:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "Finding.version_state: recorded becomes current"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="inspections", description=DESCRIPTION)

    async def current_not_recorded() -> None:
        await engine_finder().run_ddl(
            "UPDATE finding SET version_state = 'current' WHERE version_state = 'recorded'"
        )

    async def recorded_again() -> None:
        await engine_finder().run_ddl(
            "UPDATE finding SET version_state = 'recorded' WHERE version_state = 'current'"
        )

    manager.add_raw(current_not_recorded)
    manager.add_raw_backwards(recorded_again)

    return manager
