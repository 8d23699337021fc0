"""The application's PostgreSQL role cannot break the audit trail's promises
(inspect/db_roles.py): it owns nothing, so it cannot switch the append-only trigger off,
and it may neither delete an audit event nor update any column but the sealer's, while
the normal write path (a finding recorded with its audit event, then sealed) works.

Needs the two roles of a deployment: CONGVU_TEST_DATABASE_URL (the owner) and
CONGVU_TEST_APP_DATABASE_URL (the application role), as CI's servers run has them.
SQLite has no roles: skipped there. The SQL that creates the roles and the settings'
checks are tested without a server.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from datetime import timedelta
from typing import Any

import asyncpg
import pytest
from congvu.inspect import clock, db, db_roles
from congvu.inspect.audit import api as audit
from congvu.inspect.audit.tables import AuditEvent
from congvu.inspect.inspections.tables import Finding
from congvu.inspect.settings import SettingsError, get_settings, load_settings

from tests import builders
from tests.conftest import REQUIRE_SERVERS, csrf, login
from tests.worlds import ReviewWorld

pytestmark = pytest.mark.anyio

OWNER = "postgresql://congvu_owner:s3cret@db.example:5432/congvu"
APP = "postgresql://congvu_app:0ther@db.example:5432/congvu"


def _two_roles() -> pytest.MarkDecorator:
    settings = get_settings()
    if settings.is_sqlite:
        return pytest.mark.skip(reason="SQLite has no roles: one file, one writer")
    if settings.separate_owner or REQUIRE_SERVERS:
        return pytest.mark.requires_server("postgres")
    return pytest.mark.skip(
        reason="needs CONGVU_TEST_APP_DATABASE_URL (the application role) beside "
        "CONGVU_TEST_DATABASE_URL (the owner)"
    )


two_roles = _two_roles()


async def _as_app(statement: str) -> None:
    """One statement on a connection of the application role, outside any pool."""
    connection = await asyncpg.connect(get_settings().database_url)
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


async def _record_a_finding(client: Any, rw: ReviewWorld) -> int:
    inspection = await builders.inspection(
        rw.world.commune_a,
        clock.today() - timedelta(days=1),
        members=[rw.users["inspector"]],
        created_at=clock.now(),
    )
    await login(client, "inspector")
    record = {
        "uuid": str(uuid.uuid4()),
        "type": "finding",
        "inspection_id": inspection.id,
        "payload": {"observed_at": clock.now().isoformat(), "violation_code": "FACILITY_UNTIDY"},
    }
    response = await client.post("/api/v1/sync", json={"records": [record]}, headers=csrf(client))
    assert response.status_code == 200, response.text
    (result,) = response.json()["results"]
    assert result["http_status"] in (200, 201), result
    return int(inspection.id)


@two_roles
async def test_the_app_role_cannot_switch_the_audit_trigger_off(
    client: Any, rw: ReviewWorld
) -> None:
    await _record_a_finding(client, rw)
    for statement in (
        "ALTER TABLE audit_event DISABLE TRIGGER ALL",
        "ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only",
        "DROP TRIGGER audit_event_append_only ON audit_event",
    ):
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="owner"):
            await _as_app(statement)


@two_roles
async def test_the_app_role_can_neither_update_nor_delete_an_audit_event(
    client: Any, rw: ReviewWorld
) -> None:
    await _record_a_finding(client, rw)
    await audit.seal(wait=True)
    event = await AuditEvent.select(AuditEvent.id).where(AuditEvent.seq.is_not_null()).first()
    assert event is not None
    event_id = event["id"]
    for statement in (
        f"UPDATE audit_event SET reason = 'sửa' WHERE id = {event_id}",
        f"UPDATE audit_event SET actor_username = 'ai đó' WHERE id = {event_id}",
        f"DELETE FROM audit_event WHERE id = {event_id}",
        "TRUNCATE audit_event",
    ):
        with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied"):
            await _as_app(statement)
    # The sealer's own columns: granted, yet a sealed event's are the trigger's to refuse.
    with pytest.raises(asyncpg.InsufficientPrivilegeError, match="append-only"):
        await _as_app(f"UPDATE audit_event SET hash = repeat('0', 64) WHERE id = {event_id}")


@two_roles
async def test_a_finding_and_its_audit_event_are_written_and_sealed_as_the_app_role(
    client: Any, rw: ReviewWorld
) -> None:
    owner = db_roles.login_of(get_settings().owner_database_url).role
    app = db_roles.login_of(get_settings().database_url).role
    assert owner != app
    rows = await db.raw(AuditEvent, "SELECT current_user AS role")
    assert rows[0]["role"] == app
    owners = await db.raw(
        AuditEvent,
        "SELECT DISTINCT tableowner FROM pg_tables WHERE schemaname = 'public'",
    )
    assert [row["tableowner"] for row in owners] == [owner]

    inspection_id = await _record_a_finding(client, rw)
    assert await Finding.count().where(Finding.inspection == inspection_id) == 1
    recorded = await AuditEvent.count().where(
        (AuditEvent.object_type == "finding") & (AuditEvent.action == "finding_recorded")
    )
    assert recorded == 1
    assert await audit.seal(wait=True) >= 1
    assert await AuditEvent.count().where(AuditEvent.seq.is_null()) == 0


def test_the_roles_sql_creates_both_roles_and_the_database_owned_by_the_owner() -> None:
    sql = db_roles.roles_sql(db_roles.login_of(OWNER), db_roles.login_of(APP))
    assert 'CREATE ROLE "congvu_owner"' in sql
    assert 'CREATE ROLE "congvu_app"' in sql
    assert (
        "ALTER ROLE \"congvu_app\" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '0ther'"
        in sql
    )
    assert 'CREATE DATABASE "congvu" OWNER "congvu_owner"' in sql
    assert 'REVOKE ALL ON DATABASE "congvu" FROM PUBLIC' in sql


def test_the_grants_give_the_audit_trail_only_what_the_code_needs() -> None:
    grants = db_roles.grants_sql("congvu_app", "congvu")
    audit_lines = [g for g in grants if "audit_event" in g]
    assert audit_lines == [
        'REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON audit_event FROM "congvu_app"',
        'GRANT UPDATE (seq, prev_hash, hash) ON audit_event TO "congvu_app"',
    ]
    assert any(g.startswith("ALTER DEFAULT PRIVILEGES") and "TABLES" in g for g in grants)
    assert any(g.startswith("ALTER DEFAULT PRIVILEGES") and "SEQUENCES" in g for g in grants)


def test_a_quote_in_a_role_name_or_password_stays_inside_its_quotes() -> None:
    owner = db_roles.login_of("postgresql://own%22er:pa%27ss@h/d")
    assert owner.role == 'own"er'
    sql = db_roles.roles_sql(owner, db_roles.login_of(APP))
    assert 'CREATE ROLE "own""er"' in sql
    assert "PASSWORD 'pa''ss'" in sql


def _db_roles_command(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("CONGVU_")}
    congvu = [sys.executable, "-c", "from congvu.inspect.cli import main; main()"]
    return subprocess.run(
        [*congvu, "db-roles"],
        env={**clean, "CONGVU_SECRET_KEY": "k" * 32, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_congvu_db_roles_prints_the_sql_for_a_superuser() -> None:
    done = _db_roles_command(CONGVU_DATABASE_URL=APP, CONGVU_MIGRATE_DATABASE_URL=OWNER)
    assert done.returncode == 0, done.stderr
    assert done.stdout == db_roles.roles_sql(db_roles.login_of(OWNER), db_roles.login_of(APP))
    one_role = _db_roles_command(CONGVU_DATABASE_URL=APP)
    assert one_role.returncode != 0
    assert "CONGVU_MIGRATE_DATABASE_URL" in one_role.stderr


def test_the_migrate_url_falls_back_to_the_database_url() -> None:
    settings = load_settings({"CONGVU_DATABASE_URL": APP, "CONGVU_SECRET_KEY": "k" * 32})
    assert settings.owner_database_url == APP
    assert not settings.separate_owner
    both = load_settings(
        {
            "CONGVU_DATABASE_URL": APP,
            "CONGVU_MIGRATE_DATABASE_URL": OWNER,
            "CONGVU_SECRET_KEY": "k" * 32,
        }
    )
    assert both.owner_database_url == OWNER
    assert both.separate_owner


def test_the_migrate_url_can_come_from_a_file(tmp_path: Any) -> None:
    secret = tmp_path / "migrate_url"
    secret.write_text(OWNER + "\n", encoding="utf-8")
    settings = load_settings(
        {
            "CONGVU_DATABASE_URL": APP,
            "CONGVU_MIGRATE_DATABASE_URL_FILE": str(secret),
            "CONGVU_SECRET_KEY": "k" * 32,
        }
    )
    assert settings.owner_database_url == OWNER


@pytest.mark.parametrize(
    ("database", "migrate"),
    [
        ("sqlite:///var/x.sqlite3", OWNER),
        (APP, "postgresql://congvu_owner:s3cret@elsewhere:5432/congvu"),
        (APP, "postgresql://congvu_owner:s3cret@db.example:5432/other"),
        ("postgresql://db.example:5432/congvu", OWNER),
    ],
)
def test_a_migrate_url_for_another_database_is_refused(database: str, migrate: str) -> None:
    with pytest.raises(SettingsError) as refused:
        load_settings(
            {
                "CONGVU_DATABASE_URL": database,
                "CONGVU_MIGRATE_DATABASE_URL": migrate,
                "CONGVU_SECRET_KEY": "k" * 32,
            }
        )
    assert refused.value.variable in ("CONGVU_MIGRATE_DATABASE_URL", "CONGVU_DATABASE_URL")
