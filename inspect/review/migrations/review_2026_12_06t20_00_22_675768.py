"""Enum members are upper case everywhere (their values, stored in the tables, are not
changed): the schema snapshot's choices follow; no SQL is sent."""

from enum import Enum

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar

ID = "2026-12-06T20:00:22:675768"
VERSION = "1.38.0"
DESCRIPTION = "Enum members in upper case"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="review", description=DESCRIPTION)

    manager.alter_column(
        table_class_name="DossierDecision",
        tablename="dossier_decision",
        column_name="outcome",
        db_column_name="outcome",
        params={
            "choices": Enum(
                "DossierOutcome",
                {"TAKEN_UP": "taken_up", "DISMISSED": "dismissed"},
            )
        },
        old_params={
            "choices": Enum(
                "DossierOutcome",
                {"taken_up": "taken_up", "dismissed": "dismissed"},
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    manager.alter_column(
        table_class_name="FindingReview",
        tablename="finding_review",
        column_name="state",
        db_column_name="state",
        params={
            "choices": Enum(
                "ReviewState",
                {
                    "RECORDED": "recorded",
                    "NOTIFIED": "notified",
                    "AWAITING_EXPLANATION": "awaiting_explanation",
                    "UNDER_REVIEW": "under_review",
                    "CONFIRMED": "confirmed",
                    "DISMISSED": "dismissed",
                    "FOLLOW_UP_DECIDED": "follow_up_decided",
                    "CLOSED": "closed",
                },
            )
        },
        old_params={
            "choices": Enum(
                "ReviewState",
                {
                    "recorded": "recorded",
                    "notified": "notified",
                    "awaiting_explanation": "awaiting_explanation",
                    "under_review": "under_review",
                    "confirmed": "confirmed",
                    "dismissed": "dismissed",
                    "follow_up_decided": "follow_up_decided",
                    "closed": "closed",
                },
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    return manager
