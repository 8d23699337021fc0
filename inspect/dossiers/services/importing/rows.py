"""The shape of an imported row: the moments an export carries (the waits among them),
the columns staged for ``dossier``, a rejected row, and local moments made UTC."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
from congvu.inspect import clock


@dataclass
class Rejection:
    row_number: int
    column: str
    reason: str
    cells: dict[str, str]


# Each kind of wait as (start, end): yêu cầu bổ sung → nhận bổ sung, tạm dừng → tiếp tục.
PAUSES = (("supplement_requested_at", "supplement_received_at"), ("paused_at", "resumed_at"))
PAUSE_MOMENTS = tuple(m for pair in PAUSES for m in pair)
MOMENTS = (
    "received_at",
    "due_at",
    "finished_at",
    "returned_at",
    "apology_at",
    "extended_due_at",
    *PAUSE_MOMENTS,
)
# The columns of ``dossier`` an export row fills: the good rows of a chunk, as staged.
ROW_COLUMNS = (
    "code",
    "procedure",
    "sector",
    "unit",
    "official",
    "official_name",
    "channel",
    *MOMENTS,
    "extension_count",
    "source_status",
    "content_hash",
    "status",
    "working_days_late",
    "flags",
)


def utc_moments(local: np.ndarray) -> pa.Array:
    """Local naive datetime64 values (wall-clock time in ``CONGVU_TIME_ZONE``) as UTC
    instants (NaT → null)."""
    seconds = np.asarray(local, dtype="datetime64[s]")
    missing = np.isnat(seconds)
    zone = clock.steady_zone()
    offset = zone.utcoffset(None)
    if offset is not None:
        utc = seconds - np.timedelta64(int(offset.total_seconds()), "s")
    else:  # a zone with summer time: each moment its own offset
        utc = (
            pd.DatetimeIndex(seconds)
            .tz_localize(zone, ambiguous="NaT", nonexistent="shift_forward")
            .tz_convert("UTC")
            .tz_localize(None)
            .to_numpy(dtype="datetime64[s]")
        )
        missing = np.isnat(utc)
    array = pa.array(utc, mask=missing, type=pa.timestamp("s"))
    return array.cast(pa.timestamp("s", tz="UTC"))
