"""The tablet's write path for other domains: the sync entry point and stored photos."""

from __future__ import annotations

from congvu.inspect.capture.services.evidence import (
    EvidenceView,
    StoredEvidence,
    evidence_file,
    owned,
    store,
)
from congvu.inspect.capture.services.sync import (
    IncomingRecord,
    sync,
)

__all__ = [
    "EvidenceView",
    "IncomingRecord",
    "StoredEvidence",
    "evidence_file",
    "owned",
    "store",
    "sync",
]
