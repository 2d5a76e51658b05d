#!/usr/bin/env bash
# Create .venv (Python >= 3.11) and install actionproof with its test tools; a no-op when current.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-}
if [ -z "$PY" ]; then
  for cand in python3.13 python3.12 python3.11 python3; do
    if command -v "$cand" >/dev/null && "$cand" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      PY=$cand; break
    fi
  done
fi
[ -n "$PY" ] || { echo "actionproof needs Python >= 3.11 (set PYTHON=...)" >&2; exit 1; }
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
stamp=.venv/.actionproof-installed
want=$(cat pyproject.toml | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test,native]'
  echo "$want" > "$stamp"
fi
# The analysis rules compiled with mypyc (a no-op when current; the sources run if it fails).
.venv/bin/python scripts/build_nlp.py || echo "setup: the analysis runs from its Python sources (slower)" >&2
