"""Audit sealing inside PostgreSQL: ``audit_seal(batch)`` gives the next ``batch``
unsealed events their seq, prev_hash and hash in one statement.

It computes exactly what ``audit_chain.canonical`` and ``event_hash`` compute in Python
(the SQLite sealer, and ``verify`` on both engines): to_json's string escapes are
Python's ``ensure_ascii=False`` escapes (", \\, \\b \\f \\n \\r \\t, other controls as
lowercase \\u00xx), the time is UTC with microseconds, and the bytes hashed are UTF-8.
Sealing in Python cost the web process a fifth of its write throughput (P3, issue #6):
every event was read back, hashed in Python and written again.

Returns the number sealed, or -1 when another sealer holds the lock.
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


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="congvu", description=DESCRIPTION)

    async def run():
        engine = engine_finder()
        if isinstance(engine, PostgresEngine):
            await engine.run_ddl(SEAL_FUNCTION)

    async def run_backwards():
        engine = engine_finder()
        if isinstance(engine, PostgresEngine):
            await engine.run_ddl("DROP FUNCTION audit_seal(integer)")

    manager.add_raw(run)
    manager.add_raw_backwards(run_backwards)
    return manager
