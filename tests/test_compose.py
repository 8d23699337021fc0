"""Production mode files agree: docker-compose.yml, .env.example, Dockerfile, settings.

The static checks always run. The `docker compose config` checks need docker compose v2
(the docker client's plugin, or a standalone `docker-compose` v2; .ci/run provides one)
and skip, saying so, only when there is none. Nothing here needs a Docker engine.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest
import yaml
from congvu.inspect.settings import KNOWN_VARIABLES, load_settings

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
ENV_EXAMPLE = ROOT / ".env.example"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"

SERVICES = {"db", "redis", "migrate", "web", "worker", "proxy"}
APP_SERVICES = {"migrate", "web", "worker"}
# Read by the test suite and CI only: never configured in production.
TEST_ONLY = {
    v for v in KNOWN_VARIABLES if v.startswith(("CONGVU_TEST_", "CONGVU_REQUIRE_", "CONGVU_CI_"))
}
PRODUCT_VARIABLES = KNOWN_VARIABLES - TEST_ONLY
# Values .env.example leaves empty on purpose (compose refuses to start without them).
REQUIRED_FILL = {
    "POSTGRES_PASSWORD": "ciPassw0rdForComposeConfig",
    "POSTGRES_APP_PASSWORD": "ciAppPassw0rdForComposeConfig",
    "CONGVU_SECRET_KEY": "x" * 48,
    "CONGVU_CHECKPOINT_KEY": "c" * 48,
}

_CONGVU_NAME = re.compile(r"\bCONGVU_[A-Z0-9_]+\b")
_ENV_LINE = re.compile(r"^([A-Za-z_][A-Za-z0-9_]*)=(.*)$")
_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _compose_yaml() -> dict[str, Any]:
    data = yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _names_in(node: Any) -> set[str]:
    """Every CONGVU_* name in keys and values of the parsed YAML (comments excluded)."""
    if isinstance(node, dict):
        return set().union(*(_names_in(k) | _names_in(v) for k, v in node.items()))
    if isinstance(node, list):
        return set().union(*(_names_in(item) for item in node))
    if isinstance(node, str):
        return set(_CONGVU_NAME.findall(node))
    return set()


def _env_example_lines() -> list[str]:
    return ENV_EXAMPLE.read_text(encoding="utf-8").splitlines()


def _env_example() -> dict[str, str]:
    """Active NAME=value lines of .env.example, ${NAME} references resolved."""
    values: dict[str, str] = {}
    for line in _env_example_lines():
        match = _ENV_LINE.match(line.strip())
        if match:
            name, value = match.groups()
            values[name] = _REFERENCE.sub(lambda m: values.get(m.group(1), ""), value)
    return values


def _filled_env_file(directory: Path) -> Path:
    """A copy of .env.example with the required empty values filled in."""
    lines = []
    for line in _env_example_lines():
        match = _ENV_LINE.match(line.strip())
        if match and match.group(1) in REQUIRED_FILL and not match.group(2):
            line = f"{match.group(1)}={REQUIRED_FILL[match.group(1)]}"
        lines.append(line)
    path = directory / ".env"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _app_environment_keys(service: dict[str, Any]) -> set[str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        return {item.split("=", 1)[0] for item in env}
    return set(env)


# --- static checks (no docker needed) ----------------------------------------------------


def test_compose_file_has_the_production_services() -> None:
    assert set(_compose_yaml()["services"]) == SERVICES


def test_env_example_documents_every_congvu_variable_of_compose() -> None:
    missing = _names_in(_compose_yaml()) - set(_env_example())
    assert not missing, f".env.example lacks {sorted(missing)} used in docker-compose.yml"


def test_every_congvu_variable_of_env_example_reaches_compose() -> None:
    unused = {n for n in _env_example() if n.startswith("CONGVU_")} - _names_in(_compose_yaml())
    assert not unused, f"docker-compose.yml ignores {sorted(unused)} documented in .env.example"


def test_every_env_example_variable_has_a_comment() -> None:
    lines = [line.strip() for line in _env_example_lines()]
    undocumented = []
    for index, line in enumerate(lines):
        match = _ENV_LINE.match(line)
        if not match:
            continue
        above = index - 1
        while above >= 0 and _ENV_LINE.match(lines[above]):  # a group shares one comment
            above -= 1
        if above < 0 or not lines[above].startswith("#") or lines[above] == "#":
            undocumented.append(match.group(1))
    assert not undocumented, f"no comment above {undocumented} in .env.example"


def test_app_containers_get_only_settings_congvu_knows() -> None:
    # congvu refuses to start on an unknown CONGVU_* variable.
    services = _compose_yaml()["services"]
    for name in APP_SERVICES:
        keys = _app_environment_keys(services[name])
        congvu_keys = {k for k in keys if k.startswith("CONGVU_")}
        assert congvu_keys <= PRODUCT_VARIABLES, (name, sorted(congvu_keys - PRODUCT_VARIABLES))
        assert {"CONGVU_DATABASE_URL", "CONGVU_REDIS_URL", "CONGVU_SECRET_KEY"} <= keys, name
    example = {n for n in _env_example() if n.startswith("CONGVU_")}
    assert example <= PRODUCT_VARIABLES, sorted(example - PRODUCT_VARIABLES)


def test_env_example_is_accepted_by_settings() -> None:
    example = _env_example()
    environ = {k: v for k, v in example.items() if k.startswith("CONGVU_")}
    for name, value in REQUIRED_FILL.items():
        if name.startswith("CONGVU_") and not environ.get(name):
            environ[name] = value
    environ["CONGVU_DATABASE_URL"] = environ["CONGVU_DATABASE_URL"].replace(
        "congvu_app:@", f"congvu_app:{REQUIRED_FILL['POSTGRES_APP_PASSWORD']}@"
    )
    environ["CONGVU_MIGRATE_DATABASE_URL"] = environ["CONGVU_MIGRATE_DATABASE_URL"].replace(
        "congvu:@", f"congvu:{REQUIRED_FILL['POSTGRES_PASSWORD']}@"
    )
    settings = load_settings(environ)
    assert not settings.embedded
    assert not settings.is_sqlite
    # Two roles: the application's owns nothing, the owner migrates.
    assert settings.database_url.startswith("postgresql://congvu_app:")
    assert settings.owner_database_url.startswith("postgresql://congvu:")
    assert settings.time_zone == "Asia/Ho_Chi_Minh"
    assert settings.locale == "vi"
    assert str(settings.media_dir) == "/data/media"


def test_dockerfile_installs_every_package_folder() -> None:
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11-slim\b", text, re.MULTILINE)
    assert re.search(r"^USER (?!root\b|0\b)\S+", text, re.MULTILINE), "image must not run as root"
    assert 'ENTRYPOINT ["congvu"]' in text
    assert "EXPOSE 8000" in text
    assert re.search(r"uv pip install --system[^\n]* \.\s*(\\|&&|$)", text, re.MULTILINE)
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    folders = set(pyproject["tool"]["setuptools"]["package-dir"].values())
    copied = set(re.findall(r"^COPY (\S+) \./\1\s*$", text, re.MULTILINE))
    assert folders <= copied, f"Dockerfile does not COPY {sorted(folders - copied)}"
    ignored = {
        line.strip().strip("/") for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines()
    }
    assert not (folders | {"pyproject.toml", "README.md"}) & ignored


# --- docker compose config ---------------------------------------------------------------


def _compose_command() -> list[str] | None:
    def works(cmd: list[str]) -> str | None:
        try:
            done = subprocess.run(
                [*cmd, "version", "--short"], capture_output=True, text=True, timeout=30
            )
        except (OSError, subprocess.TimeoutExpired):
            return None
        return done.stdout.strip() if done.returncode == 0 else None

    docker = shutil.which("docker")
    if docker and works([docker, "compose"]):
        return [docker, "compose"]
    standalone = shutil.which("docker-compose")
    if standalone:
        version = works([standalone]) or ""
        if version.lstrip("v").startswith("2."):  # v1 (python) lacks the compose spec
            return [standalone]
    return None


COMPOSE = _compose_command()
needs_compose = pytest.mark.skipif(
    COMPOSE is None,
    reason=(
        "docker compose v2 unavailable: "
        + (
            "no docker client on PATH"
            if shutil.which("docker") is None
            else "the docker client has no compose plugin"
        )
        + " and no docker-compose v2 on PATH (.ci/run provides one)"
    ),
)


@pytest.fixture(scope="module")
def compose() -> list[str]:
    assert COMPOSE is not None  # tests using it carry needs_compose
    return COMPOSE


def _run_compose(
    compose: list[str], env_file: Path, *args: str
) -> subprocess.CompletedProcess[str]:
    # The shell environment overrides .env in compose: keep ours out of it.
    environ = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("CONGVU_", "COMPOSE_", "POSTGRES_", "WEB_PUBLISH"))
    }
    return subprocess.run(
        [
            *compose,
            "--project-directory",
            str(ROOT),
            "-f",
            str(COMPOSE_FILE),
            "--env-file",
            str(env_file),
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=60,
        env=environ,
        cwd=env_file.parent,
    )


@pytest.fixture(scope="module")
def rendered(compose: list[str], tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    env_file = _filled_env_file(tmp_path_factory.mktemp("compose"))
    quiet = _run_compose(compose, env_file, "config", "-q")
    assert quiet.returncode == 0, quiet.stderr
    done = _run_compose(compose, env_file, "config", "--format", "json")
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@needs_compose
def test_compose_config_is_valid_with_the_example_env(rendered: dict[str, Any]) -> None:
    assert set(rendered["services"]) == SERVICES
    assert {"pgdata", "redisdata", "media", "checkpoints"} <= set(rendered["volumes"])


@needs_compose
def test_compose_services_wait_for_what_they_need(rendered: dict[str, Any]) -> None:
    services = rendered["services"]
    assert services["db"]["image"] == "postgres:16"
    assert services["redis"]["image"] == "redis:7"
    assert "--appendonly" in services["redis"]["command"]
    for name in ("db", "redis", "web"):
        assert services[name]["healthcheck"]["test"], name
    assert "/health/ready" in " ".join(services["web"]["healthcheck"]["test"])

    def conditions(name: str) -> dict[str, str]:
        return {dep: spec["condition"] for dep, spec in services[name]["depends_on"].items()}

    assert conditions("migrate") == {"db": "service_healthy"}
    for name in ("web", "worker"):
        assert conditions(name)["migrate"] == "service_completed_successfully", name
        assert conditions(name)["redis"] == "service_healthy", name
    assert services["migrate"]["command"] == ["migrate"]
    assert services["worker"]["command"] == ["worker"]
    assert services["web"]["command"][:1] == ["serve"]
    assert services["migrate"]["restart"] == "no"


@needs_compose
def test_compose_app_environment_is_production_mode(rendered: dict[str, Any]) -> None:
    for name in APP_SERVICES:
        service = rendered["services"][name]
        env = {k: v for k, v in service["environment"].items() if v is not None}
        settings = load_settings(env)
        assert not settings.embedded, name
        # Every process runs as the application role; only migrate knows the owner's URL.
        assert settings.database_url.startswith("postgresql://congvu_app:"), name
        assert "@db:5432/congvu" in settings.database_url, name
        if name == "migrate":
            assert settings.owner_database_url.startswith("postgresql://congvu:"), name
            assert settings.separate_owner
        else:
            assert "CONGVU_MIGRATE_DATABASE_URL" not in env, name
        mounts = {volume["target"] for volume in service["volumes"]}
        assert str(settings.media_dir) in mounts, name


@needs_compose
def test_compose_refuses_to_start_without_a_secret_key(compose: list[str], tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    shutil.copyfile(ENV_EXAMPLE, env_file)  # as shipped: password and secret key empty
    done = _run_compose(compose, env_file, "config", "-q")
    assert done.returncode != 0
    # Compose names the first required value it finds empty, in no set order.
    assert any(name in done.stderr for name in REQUIRED_FILL), done.stderr


def test_redis_keeps_its_data_in_an_append_only_file_on_a_volume() -> None:
    redis = _compose_yaml()["services"]["redis"]
    command = redis["command"]
    assert command[command.index("--appendonly") + 1] == "yes"
    assert any(str(volume).endswith(":/data") for volume in redis["volumes"])


def test_app_containers_keep_checkpoints_on_their_own_volume() -> None:
    services = _compose_yaml()["services"]
    for name in APP_SERVICES:
        volumes = [str(v) for v in services[name]["volumes"]]
        assert "checkpoints:${CONGVU_CHECKPOINT_DIR:-/data/checkpoints}" in volumes, name
    assert "/data/checkpoints" in DOCKERFILE.read_text(encoding="utf-8")


def test_web_and_worker_can_be_scaled_behind_the_proxy() -> None:
    # `docker compose up --scale web=2 --scale worker=2`: a fixed container name or a
    # published host port would make the second container fail to start.
    services = _compose_yaml()["services"]
    for name in ("web", "worker"):
        assert "container_name" not in services[name], name
        assert not services[name].get("ports"), name
        assert "deploy" not in services[name] or "replicas" not in services[name]["deploy"]
    proxy = services["proxy"]
    assert [str(p) for p in proxy["ports"]] == ["${WEB_PUBLISH:-127.0.0.1:8000}:8000"]
    assert "container_name" not in proxy
    assert proxy["depends_on"]["web"]["condition"] == "service_healthy"
    config = "\n".join(proxy["command"])
    # Re-resolved through Docker's DNS (one address per web container), not once at start.
    assert "resolver 127.0.0.11" in config
    assert "proxy_pass $$congvu_web;" in config
    assert "set $$congvu_web http://web:8000;" in config
    assert "listen 8000;" in config


@needs_compose
def test_rendered_compose_publishes_only_the_proxy(rendered: dict[str, Any]) -> None:
    services = rendered["services"]
    published = {name for name, service in services.items() if service.get("ports")}
    assert published == {"proxy"}
    ports = services["proxy"]["ports"]
    assert [(p["target"], str(p["published"]), p.get("host_ip")) for p in ports] == [
        (8000, "8000", "127.0.0.1")
    ]
    # `$$` is compose's escape for `$`: nginx gets its own variables, never an
    # interpolated (empty) one. `config` prints the value escaped again.
    command = " ".join(services["proxy"]["command"])
    assert "proxy_pass $$congvu_web;" in command


def test_the_db_container_creates_the_application_role_on_its_first_start() -> None:
    db = _compose_yaml()["services"]["db"]
    assert "./deploy/postgres-init:/docker-entrypoint-initdb.d:ro" in db["volumes"]
    assert db["environment"]["POSTGRES_USER"] == "congvu"
    script = (ROOT / "deploy" / "postgres-init" / "10-congvu-app-role.sh").read_text(
        encoding="utf-8"
    )
    assert "CREATE ROLE congvu_app" in script
    assert "NOSUPERUSER NOCREATEDB NOCREATEROLE" in script
    assert "PASSWORD :'app_password'" in script  # a psql variable: no quoting to get wrong
