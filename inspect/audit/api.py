"""The audit trail for every other domain: record an event, read a finding's history,
seal and verify the hash chain, sign and check a checkpoint, take and keep them
automatically."""

from __future__ import annotations

from congvu.inspect.audit.services.about import events_about
from congvu.inspect.audit.services.chain import (
    Checkpoint,
    CheckpointError,
    check_signature,
    history,
    make_checkpoint,
    oldest_unsealed_age,
    seal,
    sealing,
    unsealed_count,
    verify,
)
from congvu.inspect.audit.services.checkpoints import (
    ChainDiverged,
    CheckpointFile,
    checkpoint_files,
    checkpoint_quietly,
    latest_file,
    read_checkpoint,
    take_checkpoint,
)
from congvu.inspect.audit.services.events import (
    current_request_id,
    record,
    request_id_from,
)

__all__ = [
    "ChainDiverged",
    "Checkpoint",
    "CheckpointError",
    "CheckpointFile",
    "check_signature",
    "checkpoint_files",
    "checkpoint_quietly",
    "current_request_id",
    "events_about",
    "history",
    "latest_file",
    "make_checkpoint",
    "oldest_unsealed_age",
    "read_checkpoint",
    "record",
    "request_id_from",
    "seal",
    "sealing",
    "take_checkpoint",
    "unsealed_count",
    "verify",
]
