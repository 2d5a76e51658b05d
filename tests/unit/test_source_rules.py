"""Rules checked over the service's own source: SQL only with bound parameters, JSON only (no
pickle or other code-executing deserialisers). A new violation fails here with its place."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("models", "queues", "workers", "nlp", "evidence", "scoring")
SQL_CALLS = {"text", "execute", "executemany", "executescript", "exec_driver_sql", "scalar", "scalars"}
MARKER = "# sql: identifiers only"  # the formatted parts are code constants, validated words or column names


def _sources(include_migrations: bool = False) -> list[Path]:
    files = [p for pkg in PACKAGES for p in (ROOT / pkg).rglob("*.py")]
    return [p for p in files if include_migrations or "migrations" not in p.parts]


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _built(arg: ast.expr) -> bool:
    """An SQL string assembled at run time: f-string with values, % or + formatting, str.format()."""
    if isinstance(arg, ast.JoinedStr):
        return any(isinstance(v, ast.FormattedValue) for v in arg.values)
    if isinstance(arg, ast.BinOp) and isinstance(arg.op, (ast.Mod, ast.Add)):
        return True
    return isinstance(arg, ast.Call) and _name(arg.func) == "format"


def _violations(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and _name(node.func) in SQL_CALLS and node.args and _built(node.args[0]):
            if not any(MARKER in lines[n - 1] for n in range(node.lineno, (node.end_lineno or node.lineno) + 1)):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {lines[node.lineno - 1].strip()}")
    return found


def test_sql_is_built_only_with_bound_parameters() -> None:
    assert len(_sources()) > 40
    problems = [v for p in _sources() for v in _violations(p)]
    assert problems == [], "SQL assembled from run-time strings:\n" + "\n".join(problems)


def test_the_check_catches_formatted_sql(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text('def f(s, n):\n    s.execute(text(f"SELECT * FROM t WHERE name = \'{n}\'"))\n'
                   '    s.execute("SELECT %s" % n)\n    s.execute(text("SELECT 1"))\n'
                   '    s.execute(text(f"SELECT {n}"))  # sql: identifiers only\n')
    assert sorted(v.split(":")[1] for v in _violations_at(bad)) == ["2", "3"]


def _violations_at(path: Path) -> list[str]:
    global ROOT
    saved, ROOT = ROOT, path.parent
    try:
        return _violations(path)
    finally:
        ROOT = saved


@pytest.mark.parametrize("needle", ["import pickle", "from pickle", "import marshal", "import shelve", "import dill",
                                    "yaml.load(", '"pickle"', "'pickle'", "x-python-serialize"])
def test_no_code_executing_deserialisers(needle: str) -> None:
    hits = [f"{p.relative_to(ROOT)}" for p in _sources(include_migrations=True)
            if needle in p.read_text(encoding="utf-8")]
    assert hits == []


def test_consumers_accept_json_only() -> None:
    from workers import consumer

    source = Path(consumer.__file__).read_text(encoding="utf-8")
    assert 'accept=["application/json"]' in source
    from queues import publisher

    assert 'serializer="json"' in Path(publisher.__file__).read_text(encoding="utf-8") or \
        "application/json" in Path(publisher.__file__).read_text(encoding="utf-8")
