"""Report tables (báo cáo định kỳ): one frozen snapshot per workbook built.

A snapshot keeps what the workbook was built from: the period and its window, the
reporting unit, the parameters and rule-pack versions, and a hash of the data read. The
file itself lives under the media directory; ``file_path`` is relative to it.
"""

from __future__ import annotations

import congvu.inspect.db  # noqa: F401  (sets PICCOLO_CONF before any query)
from congvu.inspect.organisation.tables import Unit, User
from piccolo.columns import (
    JSON,
    UUID,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table


class ReportSnapshot(Table, tablename="report_snapshot"):
    """Bản chốt báo cáo quý: one version of a unit's workbook for one period.

    Versions count from 1 per (unit, period, scheme); a build whose data hash equals the
    latest version's returns that version instead of writing a new one."""

    id: Serial

    unit = ForeignKey(references=Unit, on_delete=OnDelete.restrict, index=True)
    period = Varchar(length=16)  # "2026-Q3"
    scheme = Varchar(length=10)  # nd09 / calendar
    first_day = Date()
    last_day = Date()
    version = Integer()
    data_hash = Varchar(length=64, index=True)
    parameters = JSON(default="{}")
    rule_versions = JSON(default="{}")
    file_path = Varchar(length=255)
    file_sha256 = Varchar(length=64)
    size_bytes = Integer()
    job_id = UUID(null=True, default=None)
    created_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz()
