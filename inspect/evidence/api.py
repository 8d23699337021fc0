"""The PAR INDEX evidence register for the app, the jobs, the CLI and the demo: a year's
criteria, registering the system's documents, uploads and tags, the page's listing and
the year's ZIP."""

from __future__ import annotations

from congvu.inspect.evidence.services.access import (
    CRITERIA_ROLES,
    FILE_ROLES,
    READ_ROLES,
    may_edit_criteria,
)
from congvu.inspect.evidence.services.criteria import (
    DEFAULT_NOTE,
    Criterion,
    add_criterion,
    copy_previous_year,
    criteria,
    ensure_year,
    rename_criterion,
    set_active,
    set_sources,
)
from congvu.inspect.evidence.services.export import (
    INDEX_HEADER,
    INDEX_NAME,
    Bundle,
    export_file,
    export_year,
)
from congvu.inspect.evidence.services.labels import SOURCE_LABELS
from congvu.inspect.evidence.services.listing import (
    ItemRow,
    Register,
    RegisterLine,
    UnitRegister,
    register,
    unit_register,
)
from congvu.inspect.evidence.services.register import (
    Registration,
    UploadForm,
    criterion_ids,
    register_produced,
    set_tags,
    upload,
)

__all__ = [
    "CRITERIA_ROLES",
    "DEFAULT_NOTE",
    "FILE_ROLES",
    "INDEX_HEADER",
    "INDEX_NAME",
    "READ_ROLES",
    "SOURCE_LABELS",
    "Bundle",
    "Criterion",
    "ItemRow",
    "Register",
    "RegisterLine",
    "Registration",
    "UnitRegister",
    "UploadForm",
    "add_criterion",
    "copy_previous_year",
    "criteria",
    "criterion_ids",
    "ensure_year",
    "export_file",
    "export_year",
    "may_edit_criteria",
    "register",
    "register_produced",
    "rename_criterion",
    "set_active",
    "set_sources",
    "set_tags",
    "unit_register",
    "upload",
]
