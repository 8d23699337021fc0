"""Every label the review shows (states, actions, follow-ups, dossier decisions) is a
message of the i18n catalogue: Vietnamese as the message id, its English in
templates/i18n/review.en.yaml."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from congvu.inspect.i18n import EN
from congvu.inspect.review.services import labels
from congvu.inspect.review.services.dossier_flags import DossierAction
from congvu.inspect.review.tables import DossierOutcome, ReviewState
from congvu.rules.review import Action

CATALOGUE = Path(__file__).resolve().parents[2] / "templates" / "i18n" / "review.en.yaml"

LABELS = {
    "STATE_LABELS": (labels.STATE_LABELS, set(ReviewState)),
    "ACTION_LABELS": (labels.ACTION_LABELS, set(Action)),
    "FOLLOW_UP_LABELS": (
        labels.FOLLOW_UP_LABELS,
        {
            "REMIND",
            "CRITICISE",
            "REQUIRE_SELF_REVIEW",
            "REQUEST_HEAD_REVIEW",
            "PROPOSE_DISCIPLINE",
            "FIX_DEADLINE",
        },
    ),
    "DOSSIER_ACTION_LABELS": (labels.DOSSIER_ACTION_LABELS, set(DossierAction)),
    "DOSSIER_OUTCOME_LABELS": (labels.DOSSIER_OUTCOME_LABELS, set(DossierOutcome)),
}


@pytest.mark.parametrize("name", sorted(LABELS))
def test_every_label_is_in_the_review_catalogue(name: str) -> None:
    table, keys = LABELS[name]
    assert set(table) == keys  # one label per state, action, follow-up, decision
    catalogue = yaml.safe_load(CATALOGUE.read_text(encoding="utf-8"))
    missing = [vi for vi in table.values() if vi not in catalogue]
    assert missing == []
    assert all(EN[vi] == catalogue[vi] for vi in table.values())
