"""The tablet's write path for other domains: the sync entry point and stored photos."""

from __future__ import annotations

from congvu.inspect.capture.services.evidence import (
    EvidenceView,
    StoredEvidence,
    evidence_file,
    owned,
    store,
    write_atomically,
)
from congvu.inspect.capture.services.retention import (
    KeptPhoto,
    KeptSignature,
    kept_photos,
    kept_signatures,
    purge_photo,
    purge_signature,
    purged_files,
)
from congvu.inspect.capture.services.sync import (
    IncomingRecord,
    sync,
)

__all__ = [
    "EvidenceView",
    "IncomingRecord",
    "KeptPhoto",
    "KeptSignature",
    "StoredEvidence",
    "evidence_file",
    "kept_photos",
    "kept_signatures",
    "owned",
    "purge_photo",
    "purge_signature",
    "purged_files",
    "store",
    "sync",
    "write_atomically",
]
