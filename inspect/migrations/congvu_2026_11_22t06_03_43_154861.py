"""Cheaper audit appends: the unused index on audit_event.action is dropped (no query
filters on it; every event paid for it), and on PostgreSQL the append-only trigger on
INSERT fires only when the new row tries to carry chain columns (a WHEN clause the
server checks without calling PL/pgSQL), so an ordinary append runs no trigger code.
UPDATE and DELETE still always go through ``audit_event_append_only()``."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar
from piccolo.engine.finder import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-11-22T06:03:43:154861"
VERSION = "1.38.0"
DESCRIPTION = "cheaper audit appends"

SPLIT_TRIGGER = [
    "DROP TRIGGER audit_event_append_only ON audit_event",
    """CREATE TRIGGER audit_event_append_only
    BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()""",
    """CREATE TRIGGER audit_event_insert_unsealed
    BEFORE INSERT ON audit_event
    FOR EACH ROW
    WHEN (NEW.seq IS NOT NULL OR NEW.prev_hash IS NOT NULL OR NEW.hash IS NOT NULL)
    EXECUTE FUNCTION audit_event_append_only()""",
]
ONE_TRIGGER = [
    "DROP TRIGGER audit_event_insert_unsealed ON audit_event",
    "DROP TRIGGER audit_event_append_only ON audit_event",
    """CREATE TRIGGER audit_event_append_only
    BEFORE INSERT OR UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()""",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="congvu", description=DESCRIPTION)

    manager.alter_column(
        table_class_name="AuditEvent",
        tablename="audit_event",
        column_name="action",
        db_column_name="action",
        params={"index": False},
        old_params={"index": True},
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    async def run():
        engine = engine_finder()
        if isinstance(engine, PostgresEngine):
            for statement in SPLIT_TRIGGER:
                await engine.run_ddl(statement)

    async def run_backwards():
        engine = engine_finder()
        if isinstance(engine, PostgresEngine):
            for statement in ONE_TRIGGER:
                await engine.run_ddl(statement)

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
