#!/usr/bin/env bash
# Set up (venv + install), make sure PostgreSQL and RabbitMQ run, then run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
bash scripts/services.sh
# Two test processes by default (most tests wait on workers, brokers and timeouts, not the CPU);
# a test file stays in one process, so its module-wide fixtures (the speech model's outputs) are
# made once. ACTIONPROOF_TEST_PROCESSES=0 runs everything in this process.
exec .venv/bin/python -m pytest -n "${ACTIONPROOF_TEST_PROCESSES:-2}" --dist loadfile "$@"
