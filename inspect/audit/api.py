"""The audit trail for every other domain: record an event, read a finding's history,
seal and verify the hash chain, sign and check a checkpoint."""

from __future__ import annotations

from congvu.inspect.audit.services.chain import (
    Checkpoint,
    CheckpointError,
    check_signature,
    history,
    make_checkpoint,
    seal,
    sealing,
    verify,
)
from congvu.inspect.audit.services.events import (
    current_request_id,
    record,
    request_id_from,
)

__all__ = [
    "Checkpoint",
    "CheckpointError",
    "check_signature",
    "current_request_id",
    "history",
    "make_checkpoint",
    "record",
    "request_id_from",
    "seal",
    "sealing",
    "verify",
]
