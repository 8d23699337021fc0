"""Settings: strict parsing, a clear error naming the variable, safe defaults."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from congvu.inspect.settings import SettingsError, load_settings, sqlite_path


def env(tmp_path: Path, **values: str) -> dict[str, str]:
    return {"CONGVU_VAR_DIR": str(tmp_path / "var"), **values}


def test_defaults_are_embedded_sqlite_in_var_vietnamese_and_hanoi_time(tmp_path) -> None:
    settings = load_settings(env(tmp_path))
    assert settings.embedded
    assert settings.is_sqlite
    assert settings.sqlite_path == tmp_path / "var" / "congvu.sqlite3"
    assert settings.time_zone == "Asia/Ho_Chi_Minh"
    assert settings.locale == "vi"
    assert settings.report_periods == "nd09"
    assert load_settings(env(tmp_path, CONGVU_REPORT_PERIODS="calendar")).report_periods == (
        "calendar"
    )
    assert not settings.secure_cookies


def test_embedded_secret_is_generated_once_and_kept(tmp_path) -> None:
    first = load_settings(env(tmp_path)).secret_key
    assert len(first) >= 32
    assert load_settings(env(tmp_path)).secret_key == first


def test_sqlite_urls_relative_and_absolute() -> None:
    assert sqlite_path("sqlite:////srv/congvu.db") == Path("/srv/congvu.db")
    assert sqlite_path("sqlite:///var/x.db") == Path.cwd() / "var" / "x.db"


@pytest.mark.parametrize(
    ("values", "variable"),
    [
        ({"CONGVU_DATABASE_URL": "mysql://x/y"}, "CONGVU_DATABASE_URL"),
        ({"CONGVU_DATABASE_URL": "sqlite://"}, "CONGVU_DATABASE_URL"),
        ({"CONGVU_DATABASE_URL": "postgresql://host-without-db"}, "CONGVU_DATABASE_URL"),
        ({"CONGVU_REDIS_URL": "http://localhost"}, "CONGVU_REDIS_URL"),
        ({"CONGVU_TIME_ZONE": "Asia/Saigon City"}, "CONGVU_TIME_ZONE"),
        ({"CONGVU_LOCALE": "fr"}, "CONGVU_LOCALE"),
        ({"CONGVU_DEBUG": "maybe"}, "CONGVU_DEBUG"),
        ({"CONGVU_LOGIN_MAX_FAILURES": "0"}, "CONGVU_LOGIN_MAX_FAILURES"),
        ({"CONGVU_LOGIN_LOCKOUT_MINUTES": "mười"}, "CONGVU_LOGIN_LOCKOUT_MINUTES"),
        ({"CONGVU_PUBLIC_URL": "congvu.example"}, "CONGVU_PUBLIC_URL"),
        ({"CONGVU_REPORT_PERIODS": "quarterly"}, "CONGVU_REPORT_PERIODS"),
        ({"CONGVU_SECRET_KEY": "short"}, "CONGVU_SECRET_KEY"),
        ({"CONGVU_DATABSE_URL": "sqlite:///x"}, "CONGVU_DATABSE_URL"),
    ],
)
def test_a_bad_value_names_its_variable(tmp_path, values, variable) -> None:
    with pytest.raises(SettingsError) as error:
        load_settings(env(tmp_path, **values))
    assert error.value.variable == variable
    assert str(error.value).startswith(variable)


def test_production_mode_refuses_to_start_without_a_secret(tmp_path) -> None:
    with pytest.raises(SettingsError, match="CONGVU_SECRET_KEY"):
        load_settings(env(tmp_path, CONGVU_REDIS_URL="redis://127.0.0.1:6379/0"))


def test_https_public_url_makes_cookies_secure(tmp_path) -> None:
    settings = load_settings(env(tmp_path, CONGVU_PUBLIC_URL="https://congvu.nghean.gov.vn"))
    assert settings.secure_cookies


def test_the_cli_refuses_to_start_and_names_the_variable(tmp_path) -> None:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("CONGVU_")}
    environment.update(env(tmp_path, CONGVU_TIME_ZONE="Mars/Olympus"))
    script = Path(sys.executable).parent / "congvu"
    result = subprocess.run(
        [str(script), "migrate"],
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "CONGVU_TIME_ZONE" in result.stderr
    assert "Traceback" not in result.stderr


# --- secrets from files (Docker secrets) ------------------------------------------------

PRODUCTION = {"CONGVU_REDIS_URL": "redis://127.0.0.1:6379/0"}


def test_every_secret_can_be_read_from_a_file(tmp_path) -> None:
    values = {
        "CONGVU_DATABASE_URL": "postgresql://congvu:mật-khẩu@db:5432/congvu",
        "CONGVU_REDIS_URL": "redis://:pw@redis:6379/0",
        "CONGVU_SECRET_KEY": "s" * 40,
        "CONGVU_CHECKPOINT_KEY": "c" * 40,
        "CONGVU_METRICS_TOKEN": "m" * 40,
    }
    files = {}
    for name, value in values.items():
        path = tmp_path / name.lower()
        path.write_text(value + "\n", encoding="utf-8")  # as `echo` writes it
        files[f"{name}_FILE"] = str(path)

    settings = load_settings(env(tmp_path, **files))

    assert settings.database_url == values["CONGVU_DATABASE_URL"]
    assert settings.redis_url == values["CONGVU_REDIS_URL"]
    assert settings.secret_key == values["CONGVU_SECRET_KEY"]
    assert settings.checkpoint_key == values["CONGVU_CHECKPOINT_KEY"]
    assert settings.metrics_token == values["CONGVU_METRICS_TOKEN"]


def test_a_secret_given_twice_or_from_a_missing_file_is_refused(tmp_path) -> None:
    key_file = tmp_path / "key"
    key_file.write_text("k" * 40)
    with pytest.raises(SettingsError, match="not both") as both:
        load_settings(
            env(tmp_path, CONGVU_SECRET_KEY="k" * 40, CONGVU_SECRET_KEY_FILE=str(key_file))
        )
    assert both.value.variable == "CONGVU_SECRET_KEY_FILE"
    with pytest.raises(SettingsError, match="cannot read") as missing:
        load_settings(env(tmp_path, CONGVU_CHECKPOINT_KEY_FILE=str(tmp_path / "nowhere")))
    assert missing.value.variable == "CONGVU_CHECKPOINT_KEY_FILE"
    (tmp_path / "empty").write_text("\n")
    with pytest.raises(SettingsError, match="empty"):
        load_settings(env(tmp_path, CONGVU_METRICS_TOKEN_FILE=str(tmp_path / "empty")))
    # A file setting for something that is no secret is a typo like any other.
    with pytest.raises(SettingsError, match="unknown"):
        load_settings(env(tmp_path, CONGVU_LOCALE_FILE=str(key_file)))


def test_a_file_secret_is_checked_like_the_variable(tmp_path) -> None:
    short = tmp_path / "short"
    short.write_text("short\n")
    with pytest.raises(SettingsError) as error:
        load_settings(env(tmp_path, **PRODUCTION, CONGVU_SECRET_KEY_FILE=str(short)))
    assert error.value.variable == "CONGVU_SECRET_KEY"


def test_the_checkpoint_key_is_generated_in_embedded_mode_and_required_in_production(
    tmp_path,
) -> None:
    first = load_settings(env(tmp_path))
    assert len(first.checkpoint_key) >= 32
    assert first.checkpoint_key != first.secret_key
    assert load_settings(env(tmp_path)).checkpoint_key == first.checkpoint_key
    assert first.checkpoint_dir == tmp_path / "var" / "checkpoints"
    assert first.checkpoint_keep == 168
    assert first.metrics_token is None
    with pytest.raises(SettingsError) as error:
        load_settings(env(tmp_path, **PRODUCTION, CONGVU_SECRET_KEY="s" * 40))
    assert error.value.variable == "CONGVU_CHECKPOINT_KEY"
    with pytest.raises(SettingsError) as keep:
        load_settings(env(tmp_path, CONGVU_CHECKPOINT_KEEP="0"))
    assert keep.value.variable == "CONGVU_CHECKPOINT_KEEP"
