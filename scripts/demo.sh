#!/usr/bin/env bash
# Set up (venv + install) and run the demo on the embedded default: no services needed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
exec .venv/bin/actionproof demo "$@"
