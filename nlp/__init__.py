"""Chinese text analysis of sales conversations: pure logic, plain values in, dataclasses out.

The rule modules below may run compiled (scripts/build_nlp.py builds them with mypyc beside their
sources). Python imports an extension module before a source of the same name, so a build older
than its sources would hide every later edit: when any source differs from what was compiled, all
of them run from source (the compiled modules call each other directly, so it is all or none).
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
import warnings
from importlib.abc import MetaPathFinder
from importlib.machinery import EXTENSION_SUFFIXES, ModuleSpec, SourceFileLoader
from pathlib import Path

# The modules scripts/build_nlp.py compiles. learned.py stays Python (compiled, its cached_property
# tables were rebuilt on every call); the per-query work of its scoring runs compiled in grams.
NATIVE_MODULES = ("analyze", "commitments", "dates", "grams", "keywords", "money", "names", "needs", "numerals",
                  "objections", "pinyin", "roles", "segment", "text")
NATIVE_MANIFEST = "_native.json"  # what was compiled: the Python and mypy versions, each source's sha256

_HERE = Path(__file__).parent


class _Sources(MetaPathFinder):
    """Finds the rule modules as their .py sources, ahead of any extension module of the same name."""

    def find_spec(self, fullname: str, path: object = None, target: object = None) -> ModuleSpec | None:
        package, _, name = fullname.rpartition(".")
        if package != __name__ or name not in NATIVE_MODULES:
            return None
        source = _HERE / f"{name}.py"
        return importlib.util.spec_from_file_location(fullname, source, loader=SourceFileLoader(fullname, str(source)))


def prefer_sources() -> None:
    """Run the rule modules from their Python sources from now on (call before importing them)."""
    if not any(isinstance(f, _Sources) for f in sys.meta_path):
        sys.meta_path.insert(0, _Sources())


def compiled() -> bool:
    """Whether the rule modules run compiled in this process (once nlp.analyze is imported)."""
    module = sys.modules.get(f"{__name__}.analyze")
    return module is not None and not (module.__file__ or "").endswith(".py")


def _stale() -> bool:
    manifest = _HERE / NATIVE_MANIFEST
    if not manifest.exists():  # nothing compiled, or a build with no record of what it was built from
        return any(p.exists() for m in NATIVE_MODULES for p in (_HERE / f"{m}{s}" for s in EXTENSION_SUFFIXES))
    try:
        built = json.loads(manifest.read_text())
        return built["python"] != sys.version.split()[0] or any(
            hashlib.sha256((_HERE / f"{m}.py").read_bytes()).hexdigest() != built["sources"].get(m) for m in NATIVE_MODULES)
    except (OSError, ValueError, KeyError, TypeError):
        return True


if _stale():
    warnings.warn("nlp: the compiled analysis rules are older than their sources; running the sources "
                  "(python scripts/build_nlp.py compiles them again)", stacklevel=2)
    prefer_sources()
