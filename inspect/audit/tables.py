"""The audit trail's table: append-only, hash-chained (see ``services/chain.py``)."""

from __future__ import annotations

import congvu.inspect.db  # noqa: F401  (sets PICCOLO_CONF before any query)
from piccolo.columns import JSON, Integer, Serial, Text, Timestamptz, Varchar
from piccolo.table import Table


class AuditEvent(Table, tablename="audit_event"):
    """Append-only record of who did what. The actor is copied as text so the event
    stays true after the account changes; hashes are filled by the sealer."""

    id: Serial

    occurred_at = Timestamptz()
    actor_username = Varchar(length=64, null=True, default=None)
    actor_role = Varchar(length=20, null=True, default=None)
    action = Varchar(length=64)
    object_type = Varchar(length=64)
    object_id = Varchar(length=64)
    before = JSON(null=True, default=None)
    after = JSON(null=True, default=None)
    reason = Text(null=True, default=None)
    request_id = Varchar(length=64, null=True, default=None)
    ip = Varchar(length=64, null=True, default=None)
    # Position in the hash chain, given by the sealer in the order it seals: ids are
    # taken at INSERT, so on PostgreSQL a lower id can commit after a higher one.
    # Unique through an index of the "audit append-only" migration (SQLite cannot add
    # a UNIQUE column).
    seq = Integer(null=True, default=None)
    prev_hash = Varchar(length=64, null=True, default=None)
    hash = Varchar(length=64, null=True, default=None)
