"""Enum members are upper case everywhere (their values, stored in the tables, are not
changed): the schema snapshot's choices follow; no SQL is sent."""

from enum import Enum

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar

ID = "2026-12-06T20:00:19:837978"
VERSION = "1.38.0"
DESCRIPTION = "Enum members in upper case"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="inspections", description=DESCRIPTION)

    manager.alter_column(
        table_class_name="Inspection",
        tablename="inspection",
        column_name="status",
        db_column_name="status",
        params={
            "choices": Enum(
                "InspectionStatus",
                {
                    "PLANNED": "planned",
                    "IN_PROGRESS": "in_progress",
                    "SUBMITTED": "submitted",
                    "CLOSED": "closed",
                },
            )
        },
        old_params={
            "choices": Enum(
                "InspectionStatus",
                {
                    "planned": "planned",
                    "in_progress": "in_progress",
                    "submitted": "submitted",
                    "closed": "closed",
                },
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    manager.alter_column(
        table_class_name="InspectionMember",
        tablename="inspection_member",
        column_name="role",
        db_column_name="role",
        params={
            "choices": Enum(
                "MemberRole",
                {
                    "TRUONG_DOAN": "truong_doan",
                    "PHO_TRUONG_DOAN": "pho_truong_doan",
                    "THANH_VIEN": "thanh_vien",
                    "THU_KY": "thu_ky",
                },
            )
        },
        old_params={
            "choices": Enum(
                "MemberRole",
                {
                    "truong_doan": "truong_doan",
                    "pho_truong_doan": "pho_truong_doan",
                    "thanh_vien": "thanh_vien",
                    "thu_ky": "thu_ky",
                },
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    manager.alter_column(
        table_class_name="InspectionPlan",
        tablename="inspection_plan",
        column_name="period_kind",
        db_column_name="period_kind",
        params={"choices": Enum("PeriodKind", {"QUARTER": "quarter", "YEAR": "year"})},
        old_params={"choices": Enum("PeriodKind", {"quarter": "quarter", "year": "year"})},
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    manager.alter_column(
        table_class_name="Signature",
        tablename="signature",
        column_name="role",
        db_column_name="role",
        params={
            "choices": Enum(
                "SignatureRole",
                {
                    "TEAM_LEAD": "team_lead",
                    "UNIT_REPRESENTATIVE": "unit_representative",
                },
            )
        },
        old_params={
            "choices": Enum(
                "SignatureRole",
                {
                    "team_lead": "team_lead",
                    "unit_representative": "unit_representative",
                },
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    return manager
