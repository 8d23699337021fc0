"""Dossier tables (lô nhập, hồ sơ TTHC, ảnh chụp hạn giải quyết, giá trị công bố).

congvu does not replace the one-stop system: ``Dossier`` is the last imported state of a
dossier from its exports, plus the verdict of the rules engine (status, working days
late, flags) at ``evaluated_on``. ``DueSnapshot`` keeps every due date seen once it
changes, so a due date moved later between two exports stays visible (lùi hạn).
Moments are stored in UTC and judged in Vietnam time.
"""

from __future__ import annotations

from enum import StrEnum

import congvu.inspect.db  # noqa: F401  (sets PICCOLO_CONF before any query)
from congvu.inspect.organisation.tables import Official, Unit, User
from piccolo.columns import (
    JSON,
    UUID,
    BigInt,
    Boolean,
    Date,
    DoublePrecision,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table


class Channel(StrEnum):
    """Kênh nộp hồ sơ."""

    DIRECT = "direct"  # trực tiếp
    ONLINE = "online"  # trực tuyến
    POSTAL = "postal"  # dịch vụ bưu chính công ích (BCCI)


class ImportStatus(StrEnum):
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class ColumnMapping(Table, tablename="dossier_column_mapping"):
    """A saved mapping from congvu's dossier fields to the headers of one export layout."""

    id: Serial

    name = Varchar(length=64, unique=True)
    columns = JSON(default="{}")  # field → header as written in the export
    created_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    created_at = Timestamptz()


class ImportBatch(Table, tablename="dossier_import_batch"):
    """Lô nhập: one import of one export file; counts and the mapping that was used."""

    id: Serial

    job_id = UUID(null=True, default=None, unique=True)
    file_name = Varchar(length=255)
    checksum = Varchar(length=64, index=True)  # sha256 of the file's bytes
    # sha256 of the checksum, the mapping, the unit scope and the units and officials the
    # rows were matched against: the same key again means the import can change nothing.
    replay_key = Varchar(length=64, index=True, default="")
    encoding = Varchar(length=20, default="")
    mapping = JSON(default="{}")
    mapping_name = Varchar(length=64, null=True, default=None)
    unit = ForeignKey(references=Unit, null=True, on_delete=OnDelete.set_null)
    # When the export was taken: the moment its due dates were "seen" (snapshots).
    exported_at = Timestamptz()
    as_of = Date()
    status = Varchar(length=10, choices=ImportStatus, index=True)
    rows_read = Integer(default=0)
    rows_inserted = Integer(default=0)
    rows_updated = Integer(default=0)
    rows_unchanged = Integer(default=0)
    rows_rejected = Integer(default=0)
    due_changes = Integer(default=0)
    by_status = JSON(default="{}")
    error = Text(null=True, default=None)
    requested_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    started_at = Timestamptz()
    finished_at = Timestamptz(null=True, default=None)


class RejectedRow(Table, tablename="dossier_rejected_row"):
    """A row of an export that was not imported, with the cells as read."""

    id: Serial

    batch = ForeignKey(references=ImportBatch, on_delete=OnDelete.cascade, index=True)
    row_number = Integer()  # line in the file (the header is line 1 unless title rows precede)
    column = Varchar(length=255)
    reason = Text()
    cells = JSON(default="{}")


class Dossier(Table, tablename="dossier"):
    """Hồ sơ thủ tục hành chính as last exported, with its computed lateness."""

    id: Serial

    # unique=True is the index; a second one would double the cost of every bulk write.
    code = Varchar(length=100, unique=True)  # mã hồ sơ / số biên nhận
    procedure = Varchar(length=1000, default="")  # tên thủ tục
    sector = Varchar(length=255, default="")  # lĩnh vực
    unit = ForeignKey(references=Unit, on_delete=OnDelete.restrict, index=True)
    official = ForeignKey(references=Official, null=True, on_delete=OnDelete.set_null)
    official_name = Varchar(length=255, default="")  # cán bộ xử lý as written in the export
    channel = Varchar(length=10, choices=Channel, null=True, default=None)
    received_at = Timestamptz()
    due_at = Timestamptz(null=True, default=None)  # ngày hẹn trả
    finished_at = Timestamptz(null=True, default=None)  # ngày có kết quả
    returned_at = Timestamptz(null=True, default=None)  # ngày trả kết quả
    apology_at = Timestamptz(null=True, default=None)  # văn bản xin lỗi
    extended_due_at = Timestamptz(null=True, default=None)  # ngày hẹn trả mới (gia hạn)
    # Waits not counted against the agency, one of each kind as the exports carry them.
    supplement_requested_at = Timestamptz(null=True, default=None)  # ngày yêu cầu bổ sung
    supplement_received_at = Timestamptz(null=True, default=None)  # ngày nhận bổ sung
    paused_at = Timestamptz(null=True, default=None)  # ngày tạm dừng
    resumed_at = Timestamptz(null=True, default=None)  # ngày tiếp tục
    extension_count = Integer(default=0)
    source_status = Varchar(length=255, default="")  # trạng thái in the source system
    content_hash = BigInt(default=0)
    due_seen_at = Timestamptz(null=True, default=None)  # export where the current due appeared
    # The id of the last ImportBatch that wrote the row, without a foreign key: batches are
    # never deleted, and the per-row constraint trigger was a third of a bulk upsert's time.
    batch = Integer(null=True, default=None)
    status = Varchar(length=12, default="in_progress")
    working_days_late = Integer(default=0)
    flags = Varchar(length=255, default="")  # ";"-joined DossierFlag codes
    evaluated_on = Date(null=True, default=None)
    updated_at = Timestamptz()


class DueSnapshot(Table, tablename="dossier_due_snapshot"):
    """A due date seen in an export. Written once a dossier's due date changes: the
    previous date (with the moment it was first seen) and every later one."""

    id: Serial

    dossier = ForeignKey(references=Dossier, on_delete=OnDelete.cascade, index=True)
    batch = ForeignKey(references=ImportBatch, null=True, on_delete=OnDelete.set_null)
    seen_at = Timestamptz()
    due_at = Timestamptz()


class ProcedureSetting(Table, tablename="dossier_procedure_setting"):
    """How one procedure (thủ tục, by its name as the exports write it) is judged: whether a
    supplement restarts its term from zero once the complete dossier arrives (Nghị định
    297/2025/NĐ-CP) instead of pausing it, the default (rules/README.md, "Dossier deadlines
    and lateness"). A procedure without a row is judged by the default."""

    id: Serial

    procedure = Varchar(length=1000, unique=True)
    supplement_restarts = Boolean(default=False)
    updated_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    updated_at = Timestamptz()


class PublishedIndex(Table, tablename="dossier_published_index"):
    """Giá trị công bố: a unit's quarter as the national portal (Cổng Dịch vụ công quốc
    gia, Bộ chỉ số 766) published it, typed in by an official to stand beside congvu's own
    estimates (ước tính), which it never replaces. Either value may be missing: the portal
    publishes the indices separately."""

    id: Serial

    # One row per unit and quarter; Piccolo has no unique constraint over two columns.
    key = Varchar(length=48, unique=True)  # "<unit id>:<period>"
    unit = ForeignKey(references=Unit, on_delete=OnDelete.restrict)
    period = Varchar(length=8)  # "2026-Q3", the name PeriodEstimate.period carries
    timeliness = DoublePrecision(null=True, default=None)  # % đúng hạn, 0–100
    online = DoublePrecision(null=True, default=None)  # % trực tuyến, 0–100
    source = Text(default="")  # "Cổng DVCQG, tra cứu ngày 05/10/2026"
    entered_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    entered_at = Timestamptz()
