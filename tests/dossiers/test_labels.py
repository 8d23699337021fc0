"""Every label the dossier pages show (statuses, channels, flags) is a message of the i18n
catalogue: Vietnamese as the message id, its English in templates/i18n/dossiers.en.yaml."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import pytest
import yaml
from congvu.inspect.dossiers.services import labels
from congvu.inspect.dossiers.tables import Channel
from congvu.inspect.i18n import EN
from congvu.rules.dossiers import DossierFlag, DossierStatus

CATALOGUE = Path(__file__).resolve().parents[2] / "templates" / "i18n" / "dossiers.en.yaml"

LABELS: dict[str, tuple[dict[str, str], type[StrEnum]]] = {
    "STATUS_LABELS": (labels.STATUS_LABELS, DossierStatus),
    "CHANNEL_LABELS": (labels.CHANNEL_LABELS, Channel),
    "FLAG_LABELS": (labels.FLAG_LABELS, DossierFlag),
}


@pytest.mark.parametrize("name", sorted(LABELS))
def test_every_label_is_in_the_dossiers_catalogue(name: str) -> None:
    table, enum = LABELS[name]
    assert set(table) == set(enum)  # one label per status, channel, flag
    catalogue = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    missing = [vi for vi in table.values() if vi not in catalogue]
    assert missing == []
    assert all(EN[vi] == catalogue[vi] for vi in table.values())


def test_labels_are_found_by_the_stored_code() -> None:
    # Stored rows hold plain strings ("late", "RESOLVED_LATE;…"); the enum keys answer to them.
    assert labels.STATUS_LABELS["late"] == "Trễ hạn"
    assert labels.FLAG_LABELS["APOLOGY_LATE"].startswith("Xin lỗi muộn")
