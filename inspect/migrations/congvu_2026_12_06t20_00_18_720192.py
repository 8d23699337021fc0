"""Enum members are upper case everywhere (their values, stored in the tables, are not
changed): the schema snapshot's choices follow; no SQL is sent."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from enum import Enum
from piccolo.columns.column_types import Varchar

ID = "2026-12-06T20:00:18:720192"
VERSION = "1.38.0"
DESCRIPTION = "Enum members in upper case"


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="congvu", description=DESCRIPTION
    )

    manager.alter_column(
        table_class_name="Official",
        tablename="official",
        column_name="gender",
        db_column_name="gender",
        params={"choices": Enum("Gender", {"NAM": "nam", "NU": "nu"})},
        old_params={"choices": Enum("Gender", {"nam": "nam", "nu": "nu"})},
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    manager.alter_column(
        table_class_name="Official",
        tablename="official",
        column_name="category",
        db_column_name="category",
        params={
            "choices": Enum(
                "OfficialCategory",
                {
                    "CAN_BO": "can_bo",
                    "CONG_CHUC": "cong_chuc",
                    "VIEN_CHUC": "vien_chuc",
                    "NGUOI_LAO_DONG": "nguoi_lao_dong",
                    "KHONG_CHUYEN_TRACH": "khong_chuyen_trach",
                },
            )
        },
        old_params={
            "choices": Enum(
                "OfficialCategory",
                {
                    "can_bo": "can_bo",
                    "cong_chuc": "cong_chuc",
                    "vien_chuc": "vien_chuc",
                    "nguoi_lao_dong": "nguoi_lao_dong",
                    "khong_chuyen_trach": "khong_chuyen_trach",
                },
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    manager.alter_column(
        table_class_name="Unit",
        tablename="unit",
        column_name="kind",
        db_column_name="kind",
        params={
            "choices": Enum(
                "UnitKind",
                {
                    "PROVINCE": "province",
                    "DEPARTMENT": "department",
                    "SERVICE_CENTRE": "service_centre",
                    "COMMUNE": "commune",
                    "SUB_UNIT": "sub_unit",
                },
            )
        },
        old_params={
            "choices": Enum(
                "UnitKind",
                {
                    "province": "province",
                    "department": "department",
                    "service_centre": "service_centre",
                    "commune": "commune",
                    "sub_unit": "sub_unit",
                },
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    manager.alter_column(
        table_class_name="Unit",
        tablename="unit",
        column_name="commune_type",
        db_column_name="commune_type",
        params={
            "choices": Enum(
                "CommuneType",
                {"XA": "xa", "PHUONG": "phuong", "DAC_KHU": "dac_khu"},
            )
        },
        old_params={
            "choices": Enum(
                "CommuneType",
                {"xa": "xa", "phuong": "phuong", "dac_khu": "dac_khu"},
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    manager.alter_column(
        table_class_name="JobRecord",
        tablename="job_record",
        column_name="status",
        db_column_name="status",
        params={
            "choices": Enum(
                "JobStatus",
                {
                    "QUEUED": "queued",
                    "RUNNING": "running",
                    "DONE": "done",
                    "FAILED": "failed",
                },
            )
        },
        old_params={
            "choices": Enum(
                "JobStatus",
                {
                    "queued": "queued",
                    "running": "running",
                    "done": "done",
                    "failed": "failed",
                },
            )
        },
        column_class=Varchar,
        old_column_class=Varchar,
        schema=None,
    )

    return manager
