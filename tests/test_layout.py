"""The repository layout: one `congvu` package, and never a top-level `inspect` that
would shadow the standard library (Litestar, Piccolo and msgspec all import it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STDLIB_INSPECT = str(Path(sysconfig.get_paths()["stdlib"]) / "inspect.py")
PROBE = (
    "import inspect, congvu.inspect, congvu.rules, congvu.jobs, congvu.templates; "
    "import congvu.inspect.app, congvu.jobs.worker; "
    "print(inspect.getfile(inspect))"
)


def _env() -> dict[str, str]:
    # PYTEST_ADDOPTS (CI's coverage gate) belongs to the outer run, not to the probes.
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("CONGVU_") and k != "PYTEST_ADDOPTS"
    }
    env["CONGVU_VAR_DIR"] = os.environ["CONGVU_VAR_DIR"]
    return env


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args, cwd=ROOT, env=_env(), capture_output=True, text=True, timeout=120, check=False
    )


def test_code_folders_have_no_init_at_their_top() -> None:
    for folder in ("inspect", "rules", "jobs"):
        assert not (ROOT / folder / "__init__.py").exists(), folder
    # templates/ needs one: importlib.resources finds package data through it.
    assert (ROOT / "templates" / "__init__.py").exists()


def test_python_c_from_the_repo_root_keeps_stdlib_inspect() -> None:
    result = _run([sys.executable, "-c", PROBE])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == STDLIB_INSPECT


def test_python_m_pytest_from_the_repo_root_keeps_stdlib_inspect(tmp_path: Path) -> None:
    probe = tmp_path / "test_probe.py"
    probe.write_text(
        "import inspect, sysconfig, pathlib\n"
        "import congvu.inspect.app\n"
        "def test_stdlib():\n"
        "    assert inspect.getfile(inspect) == str(pathlib.Path(sysconfig.get_paths()['stdlib'])"
        " / 'inspect.py')\n"
    )
    # `python -m pytest` puts the current directory (the repo root) first on sys.path.
    result = _run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--rootdir",
            str(tmp_path),
            "-c",
            os.devnull,
            str(probe),
        ]
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


def test_console_script_runs_from_the_repo_root() -> None:
    script = Path(sys.executable).parent / "congvu"
    result = _run([str(script), "--help"])
    assert result.returncode == 0, result.stderr
    assert "serve" in result.stdout and "calendar" in result.stdout


@pytest.mark.skipif(shutil.which("uv") is None, reason="uv is not on PATH")
def test_uv_run_python_keeps_stdlib_inspect() -> None:
    result = _run(["uv", "run", "--no-sync", "python", "-c", PROBE])
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == STDLIB_INSPECT


def test_every_code_folder_is_a_listed_package() -> None:
    """An editable install hides a sub-package missing from `packages`; the wheel would
    lack it. Every folder that holds .py files must be listed."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    mapping = {folder: name for name, folder in config["package-dir"].items()}
    listed = set(config["packages"])
    expected = set()
    for folder, package in mapping.items():
        for path in (ROOT / folder).rglob("*.py"):
            if "__pycache__" in path.parts:
                continue
            relative = path.parent.relative_to(ROOT / folder)
            expected.add(".".join([package, *relative.parts]))
    assert expected <= listed, f"missing from [tool.setuptools] packages: {expected - listed}"


def test_readme_describes_the_layout_that_exists() -> None:
    readme = (ROOT / "README.md").read_text()
    for folder in ("inspect/", "rules/", "jobs/", "templates/", "tests/"):
        assert f"`{folder}`" in readme
        assert (ROOT / folder).is_dir()
    assert "uv run congvu serve --demo" in readme
    assert "uv run pytest" in readme
