"""Settings: one frozen object built from ``CONGVU_*`` environment variables.

Nothing else in congvu reads the environment. Every parser is strict: a value it
does not understand stops the process with a message that names the variable.

Every secret (``SECRET_NAMES``) can instead be read from a file named by
``CONGVU_<NAME>_FILE``, as Docker secrets mount them under ``/run/secrets``. Setting
both the variable and its ``_FILE`` is refused: silently preferring one would leave an
operator believing the other is in use.
"""

from __future__ import annotations

import ipaddress
import os
import re
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from congvu.inspect.actor import Role

LOCALES = ("vi", "en")
# Kỳ báo cáo: NĐ 09/2019 cut-off on the 15th, or calendar quarters (congvu.rules.periods).
REPORT_PERIOD_SCHEMES = ("nd09", "calendar")
# How log lines are written: key=value text for a terminal, or JSON lines for a collector.
LOG_FORMATS = ("text", "json")
MIN_SECRET_LENGTH = 32


class SettingsError(ValueError):
    """A ``CONGVU_*`` variable has a value congvu refuses to start with."""

    def __init__(self, variable: str, problem: str) -> None:
        super().__init__(f"{variable}: {problem}")
        self.variable = variable


@dataclass(frozen=True)
class Settings:
    database_url: str
    redis_url: str | None
    var_dir: Path
    media_dir: Path
    secret_key: str
    time_zone: str
    locale: str
    public_url: str
    debug: bool
    login_max_failures: int
    login_lockout_minutes: int
    report_periods: str = "nd09"
    log_format: str = "text"
    # Uploaded exports (MB = 2**20 bytes). A 1,000,000-row one-stop CSV is about 215 MB,
    # as XLSX 66 MB zipped and 525 MB unpacked (the demo export generator).
    max_upload_mb: int = 256
    # Processes for CPU-heavy work (parsing an import, building a workbook): outside the
    # web process, whose event loop (and embedded worker) they would hold up.
    cpu_workers: int = 2
    # An XLSX is looked into before it is parsed: what it unpacks to, its cells (as its
    # sheets' dimensions say) and its sheets; its shared strings never outnumber its cells.
    xlsx_max_unpacked_mb: int = 1024
    xlsx_max_cells: int = 25_000_000
    xlsx_max_sheets: int = 50
    # Signs the audit trail's checkpoints; its own key, so that rotating the session
    # secret (which logs everybody out) does not orphan every checkpoint kept so far.
    checkpoint_key: str = ""
    checkpoint_dir: Path = Path("var/checkpoints")
    checkpoint_keep: int = 168
    # Nhắc hạn kỷ luật: working days before a discipline step's deadline the personnel office
    # is told it is coming (and once more when it has passed).
    discipline_reminder_days: int = 3
    metrics_token: str | None = None
    # Proxies whose X-Forwarded-For / X-Forwarded-Proto are believed; empty: none.
    trusted_proxies: tuple[str, ...] = ()
    password_min_length: int = 10
    # Requests a minute before 429, per client address and per account.
    login_per_minute_address: int = 30
    sync_per_minute_address: int = 600
    sync_per_minute_account: int = 120
    uploads_per_minute_address: int = 1200
    uploads_per_minute_account: int = 300
    # Mail for the daily digest of notifications: off (None) unless an SMTP server is
    # given as smtp://[user:password@]host[:port][?starttls=true] or smtps://…
    smtp_url: str | None = None
    smtp_from: str = "congvu@localhost"
    # Xác thực hai lớp: the roles that must give a TOTP code after the password (an
    # account of another role that has enrolled is asked too), and how long a device
    # the user asked to remember skips that step.
    second_factor_roles: frozenset[Role] = frozenset()
    remember_device_days: int = 30
    # ``serve --demo`` only (never from the environment): the sign-in pages show the demo
    # administrator's second-factor secret and current code.
    demo: bool = False
    # The role that owns the schema and runs the migrations (PostgreSQL); the
    # application's own role (database_url) owns nothing. Empty: database_url does both.
    migrate_database_url: str = ""
    # Thời hạn lưu trữ ảnh chứng cứ và chữ ký (Luật 91/2025/QH15: kept no longer than the
    # purpose needs), in days counted from the day the matter they document is closed,
    # never while it is open. Five years: the thời hiệu of a discipline case for the
    # lighter forms (Luật Cán bộ, công chức; rules/README.md), so a photo outlives every
    # case that could still be opened on it.
    retain_photos_days: int = 1826
    retain_signatures_days: int = 1826

    @property
    def embedded(self) -> bool:
        """Embedded mode (SQLite + in-process worker) is chosen by the absence of a Redis URL."""
        return self.redis_url is None

    @property
    def owner_database_url(self) -> str:
        """Where migrations and backups connect: the owner's URL when one is set."""
        return self.migrate_database_url or self.database_url

    @property
    def separate_owner(self) -> bool:
        """PostgreSQL with an owner role apart from the application's."""
        return self.owner_database_url != self.database_url

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite:")

    @property
    def sqlite_path(self) -> Path:
        return sqlite_path(self.database_url)

    @property
    def secure_cookies(self) -> bool:
        return self.public_url.startswith("https://")

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)


def sqlite_path(url: str) -> Path:
    """``sqlite:///var/x.db`` is relative to the working directory, ``sqlite:////x.db`` absolute."""
    rest = url.removeprefix("sqlite:///")
    return Path(rest) if rest.startswith("/") else Path.cwd() / rest


def _database_url(value: str, variable: str = "CONGVU_DATABASE_URL") -> str:
    if value.startswith("sqlite:///") and len(value) > len("sqlite:///"):
        return value
    parts = urlsplit(value)
    if parts.scheme in ("postgresql", "postgres") and parts.hostname and parts.path.strip("/"):
        return value
    raise SettingsError(
        variable,
        f"expected sqlite:///relative/path, sqlite:////absolute/path or "
        f"postgresql://user:password@host:port/database, got {value!r}",
    )


def _migrate_database_url(value: str | None, database_url: str) -> str:
    """The owner's URL: PostgreSQL, on the same server and database as the application's
    (a migration run elsewhere would leave the application's database as it was)."""
    if value is None or not value.strip() or value == database_url:
        return ""
    variable = "CONGVU_MIGRATE_DATABASE_URL"
    owner = urlsplit(_database_url(value, variable))
    app = urlsplit(database_url)
    if owner.scheme not in ("postgresql", "postgres") or app.scheme not in (
        "postgresql",
        "postgres",
    ):
        raise SettingsError(variable, "only for PostgreSQL, with a postgresql:// database URL")
    if not app.username:
        raise SettingsError("CONGVU_DATABASE_URL", f"must name its role when {variable} is set")
    if (owner.hostname, owner.port or 5432, owner.path) != (
        app.hostname,
        app.port or 5432,
        app.path,
    ):
        raise SettingsError(
            variable, "must name the same host, port and database as CONGVU_DATABASE_URL"
        )
    return value


def _redis_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme in ("redis", "rediss", "unix") and (parts.hostname or parts.path):
        return value
    raise SettingsError("CONGVU_REDIS_URL", f"expected redis://host:port/db, got {value!r}")


def _bool(variable: str, value: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off", ""):
        return False
    raise SettingsError(variable, f"expected true/false, got {value!r}")


def _positive_int(variable: str, value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise SettingsError(variable, f"expected a whole number, got {value!r}") from None
    if number < 1:
        raise SettingsError(variable, f"must be at least 1, got {number}")
    return number


def _trusted_proxies(value: str) -> tuple[str, ...]:
    """Addresses or networks (CIDR), comma-separated; uvicorn takes them as they are."""
    proxies = tuple(part.strip() for part in value.split(",") if part.strip())
    for proxy in proxies:
        try:
            ipaddress.ip_network(proxy, strict=False)
        except ValueError:
            raise SettingsError(
                "CONGVU_TRUSTED_PROXIES",
                f"expected IP addresses or networks (10.0.0.0/8), comma-separated, got {proxy!r}",
            ) from None
    return proxies


def _time_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise SettingsError(
            "CONGVU_TIME_ZONE", f"unknown time zone {value!r} (e.g. Asia/Ho_Chi_Minh)"
        ) from None
    return value


def _locale(value: str) -> str:
    if value not in LOCALES:
        raise SettingsError("CONGVU_LOCALE", f"expected one of {', '.join(LOCALES)}, got {value!r}")
    return value


def _report_periods(value: str) -> str:
    if value not in REPORT_PERIOD_SCHEMES:
        raise SettingsError(
            "CONGVU_REPORT_PERIODS",
            f"expected one of {', '.join(REPORT_PERIOD_SCHEMES)}, got {value!r}",
        )
    return value


def _log_format(value: str) -> str:
    if value not in LOG_FORMATS:
        raise SettingsError(
            "CONGVU_LOG_FORMAT", f"expected one of {', '.join(LOG_FORMATS)}, got {value!r}"
        )
    return value


def _roles(value: str) -> frozenset[Role]:
    """A comma-separated list of role names; empty: none."""
    names = [name.strip() for name in value.split(",") if name.strip()]
    known = {role.value for role in Role}
    for name in names:
        if name not in known:
            raise SettingsError(
                "CONGVU_SECOND_FACTOR_ROLES",
                f"unknown role {name!r} (known: {', '.join(sorted(known))})",
            )
    return frozenset(Role(name) for name in names)


def _public_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme in ("http", "https") and parts.hostname:
        return value.rstrip("/")
    raise SettingsError("CONGVU_PUBLIC_URL", f"expected http(s)://host[:port], got {value!r}")


def _secret_key(
    value: str | None, embedded: bool, var_dir: Path, variable: str = "CONGVU_SECRET_KEY"
) -> str:
    if value is not None:
        if len(value) < MIN_SECRET_LENGTH:
            raise SettingsError(variable, f"must be at least {MIN_SECRET_LENGTH} characters long")
        return value
    if not embedded:
        raise SettingsError(
            variable, "is required in production mode (when CONGVU_REDIS_URL is set)"
        )
    # Embedded mode: generated on first run and kept so sessions (and checkpoints)
    # survive a restart.
    key_file = var_dir / variable.removeprefix("CONGVU_").lower()
    if key_file.exists():
        return key_file.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def _metrics_token(value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    if len(value) < MIN_SECRET_LENGTH:
        raise SettingsError(
            "CONGVU_METRICS_TOKEN", f"must be at least {MIN_SECRET_LENGTH} characters long"
        )
    return value


# The settings that may hold a password or a key: each one is also read from the file
# named by CONGVU_<NAME>_FILE.
SECRET_NAMES = (
    "CONGVU_DATABASE_URL",
    "CONGVU_MIGRATE_DATABASE_URL",
    "CONGVU_REDIS_URL",
    "CONGVU_SECRET_KEY",
    "CONGVU_CHECKPOINT_KEY",
    "CONGVU_METRICS_TOKEN",
    "CONGVU_SMTP_URL",
)


def _secrets_from_files(env: Mapping[str, str]) -> dict[str, str]:
    """The environment with each ``CONGVU_<NAME>_FILE`` replaced by the file's content
    under ``CONGVU_<NAME>`` (one trailing line break dropped: editors and ``echo`` add
    one, no secret ends with one)."""
    resolved = {k: v for k, v in env.items() if not k.endswith("_FILE")}
    for name in SECRET_NAMES:
        file_variable = f"{name}_FILE"
        path = env.get(file_variable)
        if path is None:
            continue
        if name in env:
            raise SettingsError(
                file_variable, f"set only one of {name} and {file_variable}, not both"
            )
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise SettingsError(
                file_variable, f"cannot read {path!r}: {error.__class__.__name__}"
            ) from None
        value = text.removesuffix("\n").removesuffix("\r")
        if not value:
            raise SettingsError(file_variable, f"{path!r} is empty")
        resolved[name] = value
    return resolved


KNOWN_VARIABLES = frozenset(
    {
        *(f"{name}_FILE" for name in SECRET_NAMES),
        "CONGVU_CHECKPOINT_KEY",
        "CONGVU_CHECKPOINT_DIR",
        "CONGVU_CHECKPOINT_KEEP",
        "CONGVU_DISCIPLINE_REMINDER_DAYS",
        "CONGVU_METRICS_TOKEN",
        "CONGVU_DATABASE_URL",
        "CONGVU_MIGRATE_DATABASE_URL",
        "CONGVU_REDIS_URL",
        "CONGVU_VAR_DIR",
        "CONGVU_MEDIA_DIR",
        "CONGVU_SECRET_KEY",
        "CONGVU_TIME_ZONE",
        "CONGVU_LOCALE",
        "CONGVU_PUBLIC_URL",
        "CONGVU_DEBUG",
        "CONGVU_LOGIN_MAX_FAILURES",
        "CONGVU_LOGIN_LOCKOUT_MINUTES",
        "CONGVU_REPORT_PERIODS",
        "CONGVU_LOG_FORMAT",
        "CONGVU_MAX_UPLOAD_MB",
        "CONGVU_CPU_WORKERS",
        "CONGVU_XLSX_MAX_UNPACKED_MB",
        "CONGVU_XLSX_MAX_CELLS",
        "CONGVU_XLSX_MAX_SHEETS",
        "CONGVU_TRUSTED_PROXIES",
        "CONGVU_PASSWORD_MIN_LENGTH",
        "CONGVU_LOGIN_PER_MINUTE_ADDRESS",
        "CONGVU_SYNC_PER_MINUTE_ADDRESS",
        "CONGVU_SYNC_PER_MINUTE_ACCOUNT",
        "CONGVU_UPLOADS_PER_MINUTE_ADDRESS",
        "CONGVU_UPLOADS_PER_MINUTE_ACCOUNT",
        "CONGVU_SMTP_URL",
        "CONGVU_SMTP_FROM",
        "CONGVU_SECOND_FACTOR_ROLES",
        "CONGVU_REMEMBER_DEVICE_DAYS",
        "CONGVU_RETAIN_PHOTOS_DAYS",
        "CONGVU_RETAIN_SIGNATURES_DAYS",
        # Read by the test suite and CI only, never by the product.
        "CONGVU_TEST_DATABASE_URL",
        "CONGVU_TEST_REDIS_URL",
        "CONGVU_TEST_APP_DATABASE_URL",
        "CONGVU_REQUIRE_SERVERS",
        "CONGVU_CI_BENCH",
    }
)


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    given = os.environ if environ is None else environ
    unknown = sorted(k for k in given if k.startswith("CONGVU_") and k not in KNOWN_VARIABLES)
    if unknown:
        raise SettingsError(unknown[0], "unknown congvu setting (a typo?)")
    env = _secrets_from_files(given)
    var_dir = Path(env.get("CONGVU_VAR_DIR", "var")).absolute()
    redis_raw = env.get("CONGVU_REDIS_URL", "").strip()
    redis_url = _redis_url(redis_raw) if redis_raw else None
    database_url = _database_url(
        env.get("CONGVU_DATABASE_URL", f"sqlite:///{var_dir / 'congvu.sqlite3'}")
    )
    return Settings(
        database_url=database_url,
        redis_url=redis_url,
        var_dir=var_dir,
        media_dir=Path(env.get("CONGVU_MEDIA_DIR", str(var_dir / "media"))).absolute(),
        secret_key=_secret_key(env.get("CONGVU_SECRET_KEY"), redis_url is None, var_dir),
        time_zone=_time_zone(env.get("CONGVU_TIME_ZONE", "Asia/Ho_Chi_Minh")),
        locale=_locale(env.get("CONGVU_LOCALE", "vi")),
        public_url=_public_url(env.get("CONGVU_PUBLIC_URL", "http://127.0.0.1:8000")),
        debug=_bool("CONGVU_DEBUG", env.get("CONGVU_DEBUG", "false")),
        login_max_failures=_positive_int(
            "CONGVU_LOGIN_MAX_FAILURES", env.get("CONGVU_LOGIN_MAX_FAILURES", "5")
        ),
        login_lockout_minutes=_positive_int(
            "CONGVU_LOGIN_LOCKOUT_MINUTES", env.get("CONGVU_LOGIN_LOCKOUT_MINUTES", "15")
        ),
        report_periods=_report_periods(env.get("CONGVU_REPORT_PERIODS", "nd09")),
        log_format=_log_format(env.get("CONGVU_LOG_FORMAT", "text")),
        max_upload_mb=_positive_int("CONGVU_MAX_UPLOAD_MB", env.get("CONGVU_MAX_UPLOAD_MB", "256")),
        cpu_workers=_positive_int("CONGVU_CPU_WORKERS", env.get("CONGVU_CPU_WORKERS", "2")),
        xlsx_max_unpacked_mb=_positive_int(
            "CONGVU_XLSX_MAX_UNPACKED_MB", env.get("CONGVU_XLSX_MAX_UNPACKED_MB", "1024")
        ),
        xlsx_max_cells=_positive_int(
            "CONGVU_XLSX_MAX_CELLS", env.get("CONGVU_XLSX_MAX_CELLS", "25000000")
        ),
        xlsx_max_sheets=_positive_int(
            "CONGVU_XLSX_MAX_SHEETS", env.get("CONGVU_XLSX_MAX_SHEETS", "50")
        ),
        checkpoint_key=_secret_key(
            env.get("CONGVU_CHECKPOINT_KEY"), redis_url is None, var_dir, "CONGVU_CHECKPOINT_KEY"
        ),
        checkpoint_dir=Path(
            env.get("CONGVU_CHECKPOINT_DIR", str(var_dir / "checkpoints"))
        ).absolute(),
        checkpoint_keep=_positive_int(
            "CONGVU_CHECKPOINT_KEEP", env.get("CONGVU_CHECKPOINT_KEEP", "168")
        ),
        discipline_reminder_days=_positive_int(
            "CONGVU_DISCIPLINE_REMINDER_DAYS", env.get("CONGVU_DISCIPLINE_REMINDER_DAYS", "3")
        ),
        metrics_token=_metrics_token(env.get("CONGVU_METRICS_TOKEN")),
        trusted_proxies=_trusted_proxies(env.get("CONGVU_TRUSTED_PROXIES", "")),
        password_min_length=_positive_int(
            "CONGVU_PASSWORD_MIN_LENGTH", env.get("CONGVU_PASSWORD_MIN_LENGTH", "10")
        ),
        login_per_minute_address=_per_minute(env, "CONGVU_LOGIN_PER_MINUTE_ADDRESS", 30),
        sync_per_minute_address=_per_minute(env, "CONGVU_SYNC_PER_MINUTE_ADDRESS", 600),
        sync_per_minute_account=_per_minute(env, "CONGVU_SYNC_PER_MINUTE_ACCOUNT", 120),
        uploads_per_minute_address=_per_minute(env, "CONGVU_UPLOADS_PER_MINUTE_ADDRESS", 1200),
        uploads_per_minute_account=_per_minute(env, "CONGVU_UPLOADS_PER_MINUTE_ACCOUNT", 300),
        smtp_url=_smtp_url(env.get("CONGVU_SMTP_URL", "")),
        smtp_from=_mail_address(
            "CONGVU_SMTP_FROM", env.get("CONGVU_SMTP_FROM", "congvu@localhost")
        ),
        second_factor_roles=_roles(
            env.get("CONGVU_SECOND_FACTOR_ROLES", "unit_head,council,personnel,admin")
        ),
        remember_device_days=_positive_int(
            "CONGVU_REMEMBER_DEVICE_DAYS", env.get("CONGVU_REMEMBER_DEVICE_DAYS", "30")
        ),
        migrate_database_url=_migrate_database_url(
            env.get("CONGVU_MIGRATE_DATABASE_URL"), database_url
        ),
        retain_photos_days=_positive_int(
            "CONGVU_RETAIN_PHOTOS_DAYS", env.get("CONGVU_RETAIN_PHOTOS_DAYS", "1826")
        ),
        retain_signatures_days=_positive_int(
            "CONGVU_RETAIN_SIGNATURES_DAYS", env.get("CONGVU_RETAIN_SIGNATURES_DAYS", "1826")
        ),
    )


def _smtp_url(value: str) -> str | None:
    if not value.strip():
        return None
    parts = urlsplit(value.strip())
    if parts.scheme in ("smtp", "smtps") and parts.hostname:
        return value.strip()
    raise SettingsError(
        "CONGVU_SMTP_URL", "expected smtp://[user:password@]host[:port] or smtps://…"
    )


def _mail_address(variable: str, value: str) -> str:
    text = value.strip()
    if re.fullmatch(r"[^@\s<>]+@[^@\s<>]+", text):
        return text
    raise SettingsError(variable, f"expected an e-mail address, got {value!r}")


def _per_minute(env: Mapping[str, str], variable: str, default: int) -> int:
    """A rate limit in requests a minute. The defaults leave room: a tablet sends its
    queue in batches of 100 records and each photo once, so a day of offline work sent
    at once stays far below them, and one address may be a whole one-stop centre
    behind one NAT."""
    return _positive_int(variable, env.get(variable, str(default)))


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings; tests call ``get_settings.cache_clear()`` after changing env."""
    return load_settings()
