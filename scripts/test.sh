#!/usr/bin/env bash
# Set up (venv + install), make sure PostgreSQL and RabbitMQ run, then run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/services.sh
exec .venv/bin/python -m pytest "$@"
