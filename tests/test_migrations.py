"""Migrations are authoritative: the tables and the committed migrations never drift."""

from __future__ import annotations

import pytest
from congvu.inspect.organisation.tables import Official, Unit
from piccolo.apps.migrations.commands.new import AutoMigrationManager
from piccolo.conf.apps import Finder

from tests import builders

pytestmark = pytest.mark.anyio


@pytest.mark.parametrize("app_name", ["congvu", "inspections", "dossiers", "review"])
async def test_tables_match_the_committed_migrations(app_name: str) -> None:
    app_config = Finder().get_app_config(app_name)
    statements = await AutoMigrationManager(auto_input="y").get_alter_statements(app_config)
    pending = [s for group in statements for s in group.statements]
    assert pending == [], (
        f"{app_name} tables changed without a migration; run: "
        f"PICCOLO_CONF=congvu.inspect.piccolo_conf uv run piccolo migrations new {app_name} --auto"
    )


async def test_migrated_schema_accepts_the_organisation(clean_db) -> None:
    province = await builders.unit("T", "Tỉnh", kind="province")
    commune = await builders.unit("T-X", "Xã Yên Lạc", parent="T", commune_type="xa")
    await builders.official(
        commune, "X1", "Đỗ Thị Hoa", gender="nu", category="vien_chuc", position="Viên chức"
    )
    assert commune.path == "/T/T-X/"
    assert province.path == "/T/"
    row = await Official.select(Official.unit.code).where(Official.code == "X1").first()
    assert row["unit.code"] == "T-X"
    assert await Unit.count() == 2
