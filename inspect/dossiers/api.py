"""Late dossiers for other domains, the jobs and the CLI: the import's one entry point,
verdicts on a date, a dossier's detail, the nightly rescan, the on-time figures per
unit and the 766 values published for a unit's quarters (giá trị công bố)."""

from __future__ import annotations

from congvu.inspect.dossiers.services.importing import (
    CHUNK_ROWS,
    ImportRequest,
    discard_upload,
    import_dossiers,
    parse_moment,
)
from congvu.inspect.dossiers.services.labels import FLAG_LABELS, STATUS_LABELS
from congvu.inspect.dossiers.services.procedures import ProcedureView, procedure_settings
from congvu.inspect.dossiers.services.published import (
    PublishedValue,
    published_values,
    record_published,
)
from congvu.inspect.dossiers.services.queries import (
    DossierDetail,
    dossier_detail,
    rejudge_received_since,
    rejudge_touching,
    rescan_overdue,
    set_supplement_rule,
    verdicts_at,
)
from congvu.inspect.dossiers.services.timeliness import (
    LateHandler,
    ReceivedShares,
    Timeliness,
    late_by_handler,
    on_time_by_unit,
    received_shares,
    subtree_timeliness,
)

__all__ = [
    "CHUNK_ROWS",
    "FLAG_LABELS",
    "STATUS_LABELS",
    "DossierDetail",
    "ImportRequest",
    "LateHandler",
    "ProcedureView",
    "PublishedValue",
    "ReceivedShares",
    "Timeliness",
    "discard_upload",
    "dossier_detail",
    "import_dossiers",
    "late_by_handler",
    "on_time_by_unit",
    "parse_moment",
    "procedure_settings",
    "published_values",
    "received_shares",
    "record_published",
    "rejudge_received_since",
    "rejudge_touching",
    "rescan_overdue",
    "set_supplement_rule",
    "subtree_timeliness",
    "verdicts_at",
]
