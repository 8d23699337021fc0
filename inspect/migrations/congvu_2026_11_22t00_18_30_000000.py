"""Audit append-only: indexes of the hash chain on both engines and, on PostgreSQL, a
trigger that refuses to change or delete an audit event.

The one change it lets through is the sealer's: filling seq, prev_hash and hash of an
event that has none yet, leaving every other column as it was. So an event can be
sealed exactly once and never edited, re-sealed or deleted by the application role.
TRUNCATE is not refused (the test suite empties tables with it); the chain and the
exported checkpoints make a truncation visible instead.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-11-22T00:18:30:000000"
VERSION = "1.38.0"
DESCRIPTION = "audit append-only"

INDEXES = [
    # Piccolo cannot add a UNIQUE column on SQLite; the index gives the same guarantee.
    "CREATE UNIQUE INDEX audit_event_seq ON audit_event (seq)",
    # The sealer looks for unsealed events every second: keep that lookup small.
    "CREATE INDEX audit_event_unsealed ON audit_event (id) WHERE seq IS NULL",
    # A record's history (audit.history).
    "CREATE INDEX audit_event_object ON audit_event (object_type, object_id, id)",
]

TRIGGER_FUNCTION = """
CREATE FUNCTION audit_event_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.seq IS NOT NULL OR NEW.prev_hash IS NOT NULL OR NEW.hash IS NOT NULL THEN
            RAISE EXCEPTION 'audit_event: only the sealer sets seq, prev_hash and hash'
                USING ERRCODE = 'insufficient_privilege';
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'UPDATE'
        AND OLD.seq IS NULL AND OLD.prev_hash IS NULL AND OLD.hash IS NULL
        AND NEW.seq IS NOT NULL AND NEW.prev_hash IS NOT NULL AND NEW.hash IS NOT NULL
        AND (to_jsonb(NEW) - 'seq' - 'prev_hash' - 'hash')
            = (to_jsonb(OLD) - 'seq' - 'prev_hash' - 'hash')
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_event is append-only: % of event % refused', TG_OP, OLD.id
        USING ERRCODE = 'insufficient_privilege';
END
$$
"""

TRIGGER = """
CREATE TRIGGER audit_event_append_only
    BEFORE INSERT OR UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()
"""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="congvu", description=DESCRIPTION)

    async def run():
        engine = engine_finder()
        for statement in INDEXES:
            await engine.run_ddl(statement)
        if isinstance(engine, PostgresEngine):
            await engine.run_ddl(TRIGGER_FUNCTION)
            await engine.run_ddl(TRIGGER)

    async def run_backwards():
        engine = engine_finder()
        if isinstance(engine, PostgresEngine):
            await engine.run_ddl("DROP TRIGGER audit_event_append_only ON audit_event")
            await engine.run_ddl("DROP FUNCTION audit_event_append_only()")
        for name in ("audit_event_object", "audit_event_unsealed", "audit_event_seq"):
            await engine.run_ddl(f"DROP INDEX {name}")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
