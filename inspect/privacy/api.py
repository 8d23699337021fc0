"""Personal data for the app and the CLI: the download of everything kept about one
official, and the notice of what is kept, why and for how long."""

from __future__ import annotations

from congvu.inspect.privacy.services.access import ON_BEHALF_ROLES, Subject, subject_for
from congvu.inspect.privacy.services.exporting import Export, export_personal_data
from congvu.inspect.privacy.services.notice import DataKind, data_kinds
from congvu.inspect.privacy.services.purge import Expired, PurgeResult, expired_files, purge_media

__all__ = [
    "ON_BEHALF_ROLES",
    "DataKind",
    "Expired",
    "Export",
    "PurgeResult",
    "Subject",
    "data_kinds",
    "expired_files",
    "export_personal_data",
    "purge_media",
    "subject_for",
]
