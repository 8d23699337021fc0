"""Every label the inspections show (topics, kinds, statuses, team roles) is a message of
the i18n catalogue: Vietnamese as the message id, its English in
templates/i18n/inspections.en.yaml."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import pytest
import yaml
from congvu.inspect.i18n import EN
from congvu.inspect.inspections.services import labels
from congvu.inspect.inspections.tables import InspectionKind, InspectionStatus, MemberRole, Topic

CATALOGUE = Path(__file__).resolve().parents[2] / "templates" / "i18n" / "inspections.en.yaml"

LABELS: dict[str, tuple[dict[str, str], type[StrEnum]]] = {
    "TOPIC_LABELS": (labels.TOPIC_LABELS, Topic),
    "KIND_LABELS": (labels.KIND_LABELS, InspectionKind),
    "STATUS_LABELS": (labels.STATUS_LABELS, InspectionStatus),
    "MEMBER_ROLE_LABELS": (labels.MEMBER_ROLE_LABELS, MemberRole),
}


@pytest.mark.parametrize("name", sorted(LABELS))
def test_every_label_is_in_the_inspections_catalogue(name: str) -> None:
    table, enum = LABELS[name]
    assert list(table) == list(enum)  # one label per member, in the enum's order
    catalogue = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    missing = [vi for vi in table.values() if vi not in catalogue]
    assert missing == []
    assert all(EN[vi] == catalogue[vi] for vi in table.values())


def test_labels_are_found_by_the_stored_code() -> None:
    # Rows and forms carry plain strings; the enum keys must answer to them.
    assert labels.KIND_LABELS["SURPRISE_ANNOUNCED"] == "Đột xuất có báo trước"
    assert labels.TOPIC_LABELS["one_stop"] == "Cơ chế một cửa"
