"""The two PostgreSQL roles of a deployment: the *owner*, who owns the schema and runs
the migrations (``CONGVU_MIGRATE_DATABASE_URL``), and the *application* role, which owns
nothing (``CONGVU_DATABASE_URL``; web, worker and every other command).

The application role gets CONNECT, USAGE on the schema and the data manipulation the code
needs: SELECT, INSERT, UPDATE and DELETE on the tables, USAGE and SELECT on the sequences,
also on every table a later migration creates (ALTER DEFAULT PRIVILEGES). On the audit
trail (``audit_event``) it gets SELECT, INSERT and UPDATE of the three columns the sealer
fills (seq, prev_hash, hash) only: no DELETE, no TRUNCATE, no other column. Because only
a table's owner may ``ALTER TABLE … DISABLE TRIGGER``, the application role cannot switch
the append-only trigger off either.

``roles_sql`` is what a superuser runs once (``congvu db-roles`` prints it);
``grants_sql`` is applied by ``congvu migrate`` after every migration run, as the owner.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

SCHEMA = "public"
AUDIT_TABLE = "audit_event"
# The only columns of an audit event that are ever updated: the sealer's.
AUDIT_SEALED_COLUMNS = ("seq", "prev_hash", "hash")


@dataclass(frozen=True)
class Login:
    """A role as a PostgreSQL URL names it."""

    role: str
    password: str | None
    database: str


def login_of(url: str) -> Login:
    """The role, password and database of a ``postgresql://`` URL."""
    parts = urlsplit(url)
    if not parts.username:
        raise ValueError("the URL names no role (postgresql://ROLE:PASSWORD@host/database)")
    password = unquote(parts.password) if parts.password is not None else None
    return Login(unquote(parts.username), password, parts.path.strip("/"))


def identifier(name: str) -> str:
    """A name quoted as a PostgreSQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def literal(text: str) -> str:
    """A string quoted as a PostgreSQL literal."""
    return "'" + text.replace("'", "''") + "'"


def grants_sql(app_role: str, database: str) -> list[str]:
    """What the owner grants the application role; idempotent, run after migrations."""
    app, db = identifier(app_role), identifier(database)
    sealed = ", ".join(AUDIT_SEALED_COLUMNS)
    return [
        f"GRANT CONNECT, TEMPORARY ON DATABASE {db} TO {app}",
        f"GRANT USAGE ON SCHEMA {SCHEMA} TO {app}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {SCHEMA} TO {app}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {SCHEMA} TO {app}",
        # Tables and sequences the owner's later migrations create.
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {SCHEMA} "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {app}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA {SCHEMA} GRANT USAGE, SELECT ON SEQUENCES TO {app}",
        # The audit trail: append, read, and the sealer's three columns.
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {AUDIT_TABLE} FROM {app}",
        f"GRANT UPDATE ({sealed}) ON {AUDIT_TABLE} TO {app}",
    ]


def roles_sql(owner: Login, app: Login) -> str:
    """The roles and the database, for a superuser (``psql -v ON_ERROR_STOP=1``): each
    role created if missing (its password set either way), the database owned by the
    owner, and nobody but the two roles allowed to connect."""
    lines = [
        "-- congvu: the owner role runs the migrations, the application role owns nothing.",
        "-- Run once as a superuser; `congvu migrate` (as the owner) grants the rest.",
    ]
    for login, options in ((owner, "LOGIN"), (app, "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE")):
        name = identifier(login.role)
        password = f" PASSWORD {literal(login.password)}" if login.password else ""
        lines += [
            "DO $$ BEGIN",
            f"    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = {literal(login.role)}) THEN",
            f"        CREATE ROLE {name};",
            "    END IF;",
            "END $$;",
            f"ALTER ROLE {name} {options}{password};",
        ]
    db = identifier(owner.database)
    lines += [
        f"SELECT 'CREATE DATABASE {db} OWNER {identifier(owner.role)}'",
        f"    WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = {literal(owner.database)})",
        "\\gexec",
        f"ALTER DATABASE {db} OWNER TO {identifier(owner.role)};",
        f"REVOKE ALL ON DATABASE {db} FROM PUBLIC;",
        f"GRANT CONNECT, TEMPORARY ON DATABASE {db} TO {identifier(app.role)};",
        f"\\connect {db}",
        # PostgreSQL 14 and older let everyone create tables in public.
        f"REVOKE CREATE ON SCHEMA {SCHEMA} FROM PUBLIC;",
        f"ALTER SCHEMA {SCHEMA} OWNER TO {identifier(owner.role)};",
    ]
    return "\n".join(lines) + "\n"
