"""Nhập hồ sơ TTHC, the one way in for the rest of the dossiers domain: an import
(``import_dossiers``, also run by the job an upload starts), its rejected rows, the saved
column mappings, and the evaluation stored dossiers share with it. How a file is read,
its values parsed, its chunks checked and staged stays inside this package."""

from __future__ import annotations

from congvu.inspect.dossiers.services.importing.lateness import (
    EVALUATED_COLUMNS,
    RESTART_MOMENT,
    evaluate_frame,
)
from congvu.inspect.dossiers.services.importing.mappings import mapping_names, save_mapping
from congvu.inspect.dossiers.services.importing.pipeline import (
    CHUNK_ROWS,
    IMPORT_ROLES,
    ImportRequest,
    Progress,
    file_checksum,
    import_dossiers,
)
from congvu.inspect.dossiers.services.importing.reading import FIELDS, FieldSpec
from congvu.inspect.dossiers.services.importing.rejected import may_see_batch, rejected_rows_csv
from congvu.inspect.dossiers.services.importing.rows import PAUSES
from congvu.inspect.dossiers.services.importing.uploads import (
    UPLOAD_SUFFIXES,
    discard_upload,
    parse_moment,
    start_upload,
)
from congvu.inspect.upload_screening import UploadLimits

__all__ = [
    "CHUNK_ROWS",
    "EVALUATED_COLUMNS",
    "FIELDS",
    "IMPORT_ROLES",
    "PAUSES",
    "RESTART_MOMENT",
    "UPLOAD_SUFFIXES",
    "FieldSpec",
    "ImportRequest",
    "Progress",
    "UploadLimits",
    "discard_upload",
    "evaluate_frame",
    "file_checksum",
    "import_dossiers",
    "mapping_names",
    "may_see_batch",
    "parse_moment",
    "rejected_rows_csv",
    "save_mapping",
    "start_upload",
]
