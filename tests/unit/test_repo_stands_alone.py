"""The repository stands alone: nothing in it reads, runs or cites a path outside itself.

A user clones the repository and has nothing beside it, so code, scripts, docs and the README must
not name a sibling folder (the team's design folder, its field data) nor climb above the repository
root with path arithmetic (`Path(__file__).parents[k]`, `.parent`, `ROOT.parent`, `../..`).
"""
from __future__ import annotations

import ast
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SELF = Path(__file__).resolve()

# Built by concatenation so this file does not match itself.
_SIBLING = "sha" + "red"
TEXT_PATTERNS = {
    "sibling folder": re.compile(r"\.\./+" + _SIBLING + r"\b|\b" + _SIBLING + r"/(data|DESIGN|CONTRACT|hooks)\b"),
    "external design notes": re.compile(r"\b(DESIGN|CONTRACT)(\.md\b| ?§| worked example)"),
    "climbing above the repository": re.compile(r"\$\(dirname[^)]*\)/\.\./\.\.|\bcd \.\./\.\.|\.\./\.\./\.\./"),
}
SCANNED_SUFFIXES = {".py", ".sh", ".md", ".toml", ".cfg", ".ini", ".txt", ".json", ".tsv", ".yml", ".yaml", ".mako"}


def _repo_files() -> list[Path]:
    """Files git tracks or would track (untracked, not ignored), as a fresh clone would have them."""
    out = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
                         cwd=ROOT, capture_output=True, check=True).stdout.decode()
    files = [ROOT / p for p in out.split("\0") if p]
    return [p for p in files if p.is_file() and (p.suffix in SCANNED_SUFFIXES or p.parent.name in (".ci", "scripts"))]


def _ascent(node: ast.AST, names: dict[str, int]) -> int | None:
    """How many levels above the file itself a path expression points (None: not a path of __file__)."""
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Name) and func.id in ("Path", "PurePath") and node.args:
            arg = node.args[0]
            if isinstance(arg, ast.Name) and arg.id == "__file__":
                return 0
            return None
        if isinstance(func, ast.Attribute) and func.attr in ("resolve", "absolute", "expanduser"):
            return _ascent(func.value, names)
        return None
    if isinstance(node, ast.Name):
        return names.get(node.id)
    if isinstance(node, ast.Attribute) and node.attr == "parent":
        base = _ascent(node.value, names)
        return None if base is None else base + 1
    if (isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute) and node.value.attr == "parents"
            and isinstance(node.slice, ast.Constant) and isinstance(node.slice.value, int)):
        base = _ascent(node.value.value, names)
        return None if base is None else base + node.slice.value + 1
    return None


def escaping_paths(source: str, depth: int) -> list[int]:
    """Line numbers where a path built from __file__ climbs above the repository root.

    `depth`: how many folders lie between the repository root and the file (0 = at the root);
    the root is `depth + 1` levels above the file itself.
    """
    tree = ast.parse(source)
    names: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            level = _ascent(node.value, names)
            if level is not None:
                names[node.targets[0].id] = level
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Attribute, ast.Subscript, ast.Call)):
            level = _ascent(node, names)
            if level is not None and level > depth + 1:
                lines.append(node.lineno)
    return sorted(set(lines))


@pytest.mark.parametrize("source, depth, escapes", [
    ('from pathlib import Path\nROOT = Path(__file__).resolve().parents[1]\nX = ROOT / "tests"\n', 1, False),
    ('from pathlib import Path\nROOT = Path(__file__).resolve().parents[1]\nX = ROOT.parent / "s"\n', 1, True),
    ('from pathlib import Path\nX = Path(__file__).resolve().parents[2].parent / "s" / "data"\n', 2, True),
    ('from pathlib import Path\nX = Path(__file__).parent.parent.parent\n', 2, False),
    ('from pathlib import Path\nX = Path(__file__).parent.parent.parent.parent\n', 2, True),
    ('from pathlib import Path\nHERE = Path(__file__).resolve().parent\nX = HERE.parents[1]\n', 1, True),
])
def test_the_checker_sees_path_arithmetic(source: str, depth: int, escapes: bool) -> None:
    assert bool(escaping_paths(source, depth)) is escapes


def test_the_text_patterns_match_what_they_should() -> None:
    sibling = "../" + _SIBLING + "/data/speech"
    assert TEXT_PATTERNS["sibling folder"].search(f"read {sibling}")
    assert TEXT_PATTERNS["external design notes"].search("see CONTRACT" + ".md §3")
    assert TEXT_PATTERNS["external design notes"].search("by CONTRACT" + " §6's conventions")
    assert TEXT_PATTERNS["climbing above the repository"].search('cd "$(dirname "$0")/../..')
    assert not any(p.search("docs/contract.md and cd \"$(dirname \"$0\")/..\"") for p in TEXT_PATTERNS.values())


def test_no_file_names_a_path_outside_the_repository() -> None:
    files = _repo_files()
    assert len(files) > 100, "the scan found too few files to mean anything"
    found = []
    for path in files:
        if path == SELF:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        rel = path.relative_to(ROOT)
        for what, pattern in TEXT_PATTERNS.items():
            for m in pattern.finditer(text):
                found.append(f"{rel}:{text.count(chr(10), 0, m.start()) + 1}: {what}: {m.group(0)!r}")
        if path.suffix == ".py":
            for line in escaping_paths(text, len(rel.parts) - 1):
                found.append(f"{rel}:{line}: a path built from __file__ climbs above the repository root")
    assert not found, "\n".join(found)
