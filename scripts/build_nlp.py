"""Compile the analysis rules (nlp/) to C extension modules with mypyc; a no-op when current.

The rules are plain, typed Python; mypyc turns each module into an extension module beside its
source, and Python imports the extension first. Analysis runs about a quarter faster (docs/nlp.md,
"Compiled rules"). The sources stay the reference: nlp/__init__.py runs them instead whenever one
differs from what was compiled, so an edit is never shadowed by an old build.

Usage: python scripts/build_nlp.py [--clean]
Exit status 0 when the modules are compiled and current; 1 when compiling failed (the sources run).
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import sysconfig
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp import NATIVE_MANIFEST, NATIVE_MODULES  # noqa: E402  (after the path: run as a script)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _wanted() -> dict:
    import mypy.version

    return {"python": sys.version.split()[0], "mypy": mypy.version.__version__,
            "sources": {m: _digest(ROOT / "nlp" / f"{m}.py") for m in NATIVE_MODULES}}


def _built_files() -> list[Path]:
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    return [ROOT / "nlp" / f"{m}{suffix}" for m in NATIVE_MODULES] + [ROOT / "nlp" / f"_native__mypyc{suffix}"]


def clean() -> None:
    """Remove every build: those of modules no longer compiled too (an extension shadows its source)."""
    suffix = sysconfig.get_config_var("EXT_SUFFIX")
    for path in [*(ROOT / "nlp").glob(f"*{suffix}"), ROOT / "nlp" / NATIVE_MANIFEST]:
        path.unlink(missing_ok=True)


def build() -> int:
    try:
        wanted = _wanted()
    except ImportError:
        print("build_nlp: mypy is not installed; the analysis runs from its Python sources", file=sys.stderr)
        return 1
    manifest = ROOT / "nlp" / NATIVE_MANIFEST
    if manifest.exists() and json.loads(manifest.read_text()) == wanted and all(p.exists() for p in _built_files()):
        return 0
    clean()
    from mypyc.build import mypycify
    from setuptools import setup

    print("build_nlp: compiling the analysis rules with mypyc (a few minutes, once)", file=sys.stderr)
    here = os.getcwd()
    os.chdir(ROOT)  # mypyc names modules by their paths from here
    try:
        with tempfile.TemporaryDirectory(prefix="actionproof-mypyc-") as tmp:
            # C sources go to build/ (mypyc's default, ignored by git): its headers are looked up there
            modules = mypycify([f"nlp/{m}.py" for m in NATIVE_MODULES], group_name="nlp._native")
            setup(name="actionproof-nlp-native", ext_modules=modules,
                  script_args=["--quiet", "build_ext", "--inplace", "--build-temp", str(Path(tmp) / "o"),
                               "--build-lib", str(Path(tmp) / "lib"), "--parallel", str(os.cpu_count() or 1)])
    except (SystemExit, Exception) as e:  # a failed compiler run exits through setuptools
        clean()
        print(f"build_nlp: compiling failed ({e}); the analysis runs from its Python sources", file=sys.stderr)
        return 1
    finally:
        os.chdir(here)
    manifest.write_text(json.dumps(wanted, indent=1, sort_keys=True) + "\n")
    return 0


if __name__ == "__main__":
    if sys.argv[1:] == ["--clean"]:
        clean()
        raise SystemExit(0)
    raise SystemExit(build())
