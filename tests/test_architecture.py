"""The shape of the code, checked: the import contracts of pyproject.toml, private names
kept private, modules small enough to read, a repository that points nowhere outside
itself, and a README whose layout table names every domain folder.

An import placed inside a function still counts for the contracts (import-linter reads
every import statement, not only the ones at the top), so such an import cannot hide a
cycle between domains or modules."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CODE_FOLDERS = ("inspect", "rules", "jobs")
MAX_LINES = 600
# A module may be longer when its first lines say why, in a comment starting so.
LONG_MODULE_REASON = "# Long module:"
# What would point a reader outside the repository (shared design notes, issue numbers).
OUTSIDE = re.compile(
    r"\.\./shared|DOMAIN(-2)?\.md|DESIGN\.md|DOMAIN §|DESIGN §|issues? #?[0-9]", re.IGNORECASE
)


def _python_files(*folders: str) -> list[Path]:
    return sorted(
        f
        for folder in folders
        for f in (ROOT / folder).rglob("*.py")
        if "migrations" not in f.parts and "__pycache__" not in f.parts
    )


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return "congvu." + ".".join(parts)


def test_the_import_contracts_hold() -> None:
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def _is_module(dotted: str) -> bool:
    folder = {"inspect": "inspect", "rules": "rules", "jobs": "jobs"}.get(dotted.split(".")[1])
    if folder is None:
        return False
    path = ROOT.joinpath(folder, *dotted.split(".")[2:])
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def _private_imports(path: Path, me: str) -> list[str]:
    """``from congvu.x import _name`` and ``module._name`` for a congvu module imported
    under that alias, in module ``me`` (the file at ``path``)."""
    where = path.name
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    module_aliases: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("congvu."):
            for alias in node.names:
                if alias.name.startswith("_") and not alias.name.startswith("__"):
                    found.append(f"{me} ({where}:{node.lineno}) imports {alias.name}")
                full = f"{node.module}.{alias.name}"
                if _is_module(full):
                    module_aliases[alias.asname or alias.name] = full
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("congvu.") and alias.asname:
                    module_aliases[alias.asname] = alias.name
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and isinstance(node.value, ast.Name)
            and node.value.id in module_aliases
            and module_aliases[node.value.id] != me
            and node.attr.startswith("_")
            and not node.attr.startswith("__")
        ):
            found.append(f"{me} ({where}:{node.lineno}) uses {node.value.id}.{node.attr}")
    return found


def test_no_private_name_is_used_across_modules() -> None:
    offenders = [
        hit for f in _python_files(*CODE_FOLDERS) for hit in _private_imports(f, _module_name(f))
    ]
    assert offenders == []


def test_the_private_name_check_can_fail(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text(
        "from congvu.inspect.db import _pinned\nfrom congvu.inspect import clock\nclock._x\n"
    )
    assert len(_private_imports(probe, "congvu.inspect.web.probe")) == 2


@pytest.mark.parametrize("path", _python_files("inspect"), ids=lambda p: str(p.relative_to(ROOT)))
def test_a_module_is_short_or_says_why(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    if len(lines) > MAX_LINES:
        head = lines[:8]
        assert any(line.startswith(LONG_MODULE_REASON) for line in head), (
            f"{len(lines)} lines: split it, or say why at its top ({LONG_MODULE_REASON} …)"
        )


def test_the_repository_points_nowhere_outside_itself() -> None:
    hits = []
    for folder in ("inspect", "rules", "jobs", "templates", "tests"):
        for path in sorted((ROOT / folder).rglob("*")):
            if not path.is_file() or path.suffix in {".png", ".jpg", ".sqlite3", ".xlsx", ".pyc"}:
                continue
            if path == Path(__file__).resolve() or "artifacts" in path.parts:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            for number, line in enumerate(text.splitlines(), 1):
                if OUTSIDE.search(line):
                    hits.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    hits += [f"README.md: {line}" for line in readme.splitlines() if OUTSIDE.search(line)]
    assert hits == []


def test_the_readme_names_every_domain_folder() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    folders = sorted(
        p.name
        for p in (ROOT / "inspect").iterdir()
        if p.is_dir() and (p / "__init__.py").exists() and p.name != "migrations"
    )
    missing = [name for name in folders if f"`inspect/{name}/`" not in readme]
    assert missing == []
    # The homes reserved for what comes next are named too.
    for reserved in ("emulation", "discipline", "reports"):
        assert f"`inspect/{reserved}/`" in readme
