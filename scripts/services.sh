#!/usr/bin/env bash
# Make sure the local PostgreSQL and RabbitMQ the integration tests use are up; start them if not.
# Override the targets with ACTIONPROOF_TEST_PG_URL / ACTIONPROOF_TEST_AMQP_URL (then nothing is started).
set -uo pipefail

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() {
  local port=$1 name=$2
  for _ in $(seq 1 90); do port_open "$port" && return 0; sleep 1; done
  echo "services: $name did not come up on port $port" >&2
  return 1
}

if [ -z "${ACTIONPROOF_TEST_PG_URL:-}" ] && ! port_open 5432; then
  echo "services: PostgreSQL is down; starting it" >&2
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    wait_port 5432 PostgreSQL
  else
    echo "services: no local PostgreSQL installed (see README: Running the tests)" >&2
  fi
fi

if [ -z "${ACTIONPROOF_TEST_AMQP_URL:-}" ] && ! port_open 5672; then
  echo "services: RabbitMQ is down; starting it" >&2
  if command -v rabbitmq-server >/dev/null; then
    rabbitmq-server -detached || true
    wait_port 5672 RabbitMQ
  else
    echo "services: no local RabbitMQ installed (see README: Running the tests)" >&2
  fi
fi
exit 0
