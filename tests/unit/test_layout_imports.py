"""The pure packages (nlp/, evidence/, scoring/) never touch the broker, database or env."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PURE_PACKAGES = ("nlp", "evidence", "scoring")
FORBIDDEN_MODULES = {"kombu", "sqlalchemy", "amqp", "psycopg", "psycopg2", "alembic", "pika"}
FORBIDDEN_OS_NAMES = {"environ", "getenv", "putenv", "environb", "getenvb"}


def _sources() -> list[Path]:
    return sorted(p for package in PURE_PACKAGES for p in (ROOT / package).rglob("*.py"))


def _violations(source: str, name: str) -> list[str]:
    found = []
    tree = ast.parse(source, filename=name)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in FORBIDDEN_MODULES:
                    found.append(f"{name}:{node.lineno} imports {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            top = node.module.split(".")[0]
            if top in FORBIDDEN_MODULES:
                found.append(f"{name}:{node.lineno} imports from {node.module}")
            if top == "os" and any(a.name in FORBIDDEN_OS_NAMES for a in node.names):
                found.append(f"{name}:{node.lineno} imports os.environ/getenv")
        elif isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_OS_NAMES:
            if isinstance(node.value, ast.Name) and node.value.id == "os":
                found.append(f"{name}:{node.lineno} uses os.{node.attr}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "__import__":
            if node.args and isinstance(node.args[0], ast.Constant) and str(node.args[0].value).split(".")[0] in FORBIDDEN_MODULES:
                found.append(f"{name}:{node.lineno} __import__ {node.args[0].value}")
    return found


def test_pure_packages_exist_and_have_sources() -> None:
    for package in PURE_PACKAGES:
        assert (ROOT / package / "__init__.py").is_file(), package
    assert any(p.parent.name == "evidence" for p in _sources())


@pytest.mark.parametrize("path", _sources(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_broker_database_or_environment(path: Path) -> None:
    assert _violations(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT))) == []


@pytest.mark.parametrize(
    "snippet",
    [
        "import kombu",
        "import sqlalchemy.orm as orm",
        "from sqlalchemy import select",
        "from amqp import Connection",
        "import psycopg",
        "from psycopg.rows import dict_row",
        "import os\nx = os.environ['A']",
        "import os\nx = os.getenv('A')",
        "from os import environ",
        "from os import getenv as g",
        "__import__('kombu')",
    ],
)
def test_checker_catches(snippet: str) -> None:
    # Guards the guard: each forbidden pattern must be reported.
    assert _violations(snippet, "snippet.py")


def test_checker_allows_plain_code() -> None:
    assert _violations("import os.path\nimport math\nfrom evidence.datum import Position\nos.path.join('a')", "ok.py") == []
