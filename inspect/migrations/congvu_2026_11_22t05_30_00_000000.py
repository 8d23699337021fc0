"""Audit sealing inside PostgreSQL: ``audit_seal(batch)`` gives the next ``batch``
unsealed events their seq, prev_hash and hash in one statement.

It computes exactly what ``audit_chain.canonical`` and ``event_hash`` compute in Python
(the SQLite sealer, and ``verify`` on both engines): to_json's string escapes are
Python's ``ensure_ascii=False`` escapes (", \\, \\b \\f \\n \\r \\t, other controls as
lowercase \\u00xx), the time is UTC with microseconds, and the bytes hashed are UTF-8.
Sealing in Python cost the web process a fifth of its write throughput (P3; tests/bench/README.md):
every event was read back, hashed in Python and written again.

Returns the number sealed, or -1 when another sealer holds the lock.

It also rewrites the append-only trigger's test that a sealing UPDATE changed nothing
but the chain's columns: comparing the columns one by one instead of two ``to_jsonb``
of the whole row halves what sealing costs the database (32 → 16 µs an event). Each
column is now named, so a column added to ``audit_event`` must be added here too;
``tests/test_audit_chain.py`` fails until it is.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder
from piccolo.engine.postgres import PostgresEngine

ID = "2026-11-22T05:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "audit sealing in PostgreSQL"

# The advisory lock key is 0x636F6E677675, "congvu" in ASCII, shared by every sealer.
SEAL_FUNCTION = """
CREATE FUNCTION audit_seal(batch integer) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    head_seq integer;
    head_hash text;
    event record;
    digest text;
    ids integer[] := '{}';
    seqs integer[] := '{}';
    prevs text[] := '{}';
    hashes text[] := '{}';
BEGIN
    IF NOT pg_try_advisory_xact_lock(109330244793973) THEN
        RETURN -1;
    END IF;
    SELECT seq, hash INTO head_seq, head_hash
        FROM audit_event WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1;
    IF NOT FOUND THEN
        head_seq := 0;
        head_hash := repeat('0', 64);
    END IF;
    FOR event IN
        SELECT * FROM audit_event WHERE seq IS NULL ORDER BY id LIMIT batch
    LOOP
        head_seq := head_seq + 1;
        digest := encode(sha256(convert_to(
            head_hash || '[' || head_seq || ',' || event.id || ','
            || to_json(to_char(event.occurred_at AT TIME ZONE 'UTC',
                               'YYYY-MM-DD"T"HH24:MI:SS.US"+00:00"'))::text
            || ',' || coalesce(to_json(event.actor_username)::text, 'null')
            || ',' || coalesce(to_json(event.actor_role)::text, 'null')
            || ',' || coalesce(to_json(event.action)::text, 'null')
            || ',' || coalesce(to_json(event.object_type)::text, 'null')
            || ',' || coalesce(to_json(event.object_id)::text, 'null')
            || ',' || coalesce(to_json(event.before::text)::text, 'null')
            || ',' || coalesce(to_json(event.after::text)::text, 'null')
            || ',' || coalesce(to_json(event.reason)::text, 'null')
            || ',' || coalesce(to_json(event.request_id)::text, 'null')
            || ',' || coalesce(to_json(event.ip)::text, 'null')
            || ']', 'UTF8')), 'hex');
        ids := ids || event.id;
        seqs := seqs || head_seq;
        prevs := prevs || head_hash;
        hashes := hashes || digest;
        head_hash := digest;
    END LOOP;
    UPDATE audit_event SET seq = s.seq, prev_hash = s.prev_hash, hash = s.hash
        FROM unnest(ids, seqs, prevs, hashes) AS s(id, seq, prev_hash, hash)
        WHERE audit_event.id = s.id AND audit_event.seq IS NULL;
    RETURN coalesce(array_length(ids, 1), 0);
END
$$
"""


APPEND_ONLY_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger
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
        AND (NEW.id, NEW.occurred_at, NEW.actor_username, NEW.actor_role, NEW.action,
             NEW.object_type, NEW.object_id, NEW.before::text, NEW.after::text,
             NEW.reason, NEW.request_id, NEW.ip)
            IS NOT DISTINCT FROM
            (OLD.id, OLD.occurred_at, OLD.actor_username, OLD.actor_role, OLD.action,
             OLD.object_type, OLD.object_id, OLD.before::text, OLD.after::text,
             OLD.reason, OLD.request_id, OLD.ip)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'audit_event is append-only: % of event % refused', TG_OP, OLD.id
        USING ERRCODE = 'insufficient_privilege';
END
$$
"""


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="congvu", description=DESCRIPTION)

    async def run():
        engine = engine_finder()
        if isinstance(engine, PostgresEngine):
            await engine.run_ddl(APPEND_ONLY_FUNCTION)
            await engine.run_ddl(SEAL_FUNCTION)

    async def run_backwards():
        engine = engine_finder()
        if isinstance(engine, PostgresEngine):
            from congvu.inspect.migrations.congvu_2026_11_22t00_18_30_000000 import (
                TRIGGER_FUNCTION,
            )

            await engine.run_ddl("DROP FUNCTION audit_seal(integer)")
            original = TRIGGER_FUNCTION.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")
            await engine.run_ddl(original)

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
