"""Evidence register tables (tài liệu kiểm chứng Chỉ số CCHC / PAR INDEX).

A criterion is one code of a year's list (tiêu chí, tiêu chí thành phần, e.g. "4.3"). An
item is one document: produced by the system (its source names the row it comes from,
so registering again finds it) or uploaded (its file lives under the media directory;
``file_path`` is relative to it). Items and criteria meet in ``EvidenceTag``.
"""

from __future__ import annotations

from enum import StrEnum

import congvu.inspect.db  # noqa: F401  (sets PICCOLO_CONF before any query)
from congvu.inspect.organisation.tables import Unit, User
from piccolo.columns import (
    Boolean,
    Date,
    ForeignKey,
    Integer,
    OnDelete,
    Serial,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.table import Table


class SourceKind(StrEnum):
    PLAN = "plan"  # kế hoạch kiểm tra
    TEAM_DECISION = "team_decision"  # quyết định thành lập đoàn kiểm tra
    MINUTES = "minutes"  # biên bản kiểm tra
    HANDLING_DECISION = "handling_decision"  # văn bản xử lý sau kiểm tra
    RATING_DOCUMENT = "rating_document"  # văn bản đánh giá, xếp loại chất lượng
    EMULATION_DOCUMENT = "emulation_document"  # văn bản thi đua, khen thưởng
    DISCIPLINE_DOCUMENT = "discipline_document"  # văn bản xử lý kỷ luật
    APOLOGY_LETTER = "apology_letter"  # thư xin lỗi (hồ sơ trễ hạn)
    UPLOADED = "uploaded"  # tải lên


class EvidenceCriterion(Table, tablename="par_criterion"):
    """Tiêu chí of one year's PAR INDEX list; deactivated, never deleted (tags keep it)."""

    id: Serial

    year = Integer(index=True)
    code = Varchar(length=16)
    name = Varchar(length=500)
    active = Boolean(default=True)
    # The source kinds filed under it on registration (";"-joined SourceKind values):
    # the year's auto-tagging, edited with the list and copied with it.
    sources = Varchar(length=255, default="")


class EvidenceItem(Table, tablename="par_evidence"):
    """Tài liệu kiểm chứng: one document with its số ký hiệu, date and trích yếu.

    ``source_ref`` is unique per year and kind for produced documents ("case:12"), and
    "upload:<sha256>" for an upload; ``version`` counts the file hashes seen for it."""

    id: Serial

    year = Integer(index=True)
    source_kind = Varchar(length=24, choices=SourceKind)
    source_ref = Varchar(length=120, index=True)
    number = Varchar(length=64, default="")
    issued_on = Date(null=True, default=None)
    summary = Text(default="")
    issuer_unit = ForeignKey(references=Unit, null=True, on_delete=OnDelete.set_null)
    sha256 = Varchar(length=64, default="")
    file_path = Varchar(length=255, null=True, default=None)
    extension = Varchar(length=8, default="")
    version = Integer(default=1)
    registered_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    registered_at = Timestamptz()
    updated_at = Timestamptz()


class EvidenceTag(Table, tablename="par_evidence_tag"):
    """An item filed under a criterion (one row per pair)."""

    id: Serial

    item = ForeignKey(references=EvidenceItem, on_delete=OnDelete.cascade, index=True)
    criterion = ForeignKey(references=EvidenceCriterion, on_delete=OnDelete.restrict)
    tagged_by = ForeignKey(references=User, null=True, on_delete=OnDelete.set_null)
    tagged_at = Timestamptz()
