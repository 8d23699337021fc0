"""Personal data for the app and the CLI: the download of everything kept about one
official, and the notice of what is kept, why and for how long."""

from __future__ import annotations

from congvu.inspect.privacy.services.access import ON_BEHALF_ROLES, Subject, subject_for
from congvu.inspect.privacy.services.exporting import Export, export_personal_data
from congvu.inspect.privacy.services.notice import DataKind, data_kinds

__all__ = [
    "ON_BEHALF_ROLES",
    "DataKind",
    "Export",
    "Subject",
    "data_kinds",
    "export_personal_data",
    "subject_for",
]
