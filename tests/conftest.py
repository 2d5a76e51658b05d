"""Backends for integration tests: the embedded default and RabbitMQ + PostgreSQL.

Each test gets its own state: a fresh SQLite folder, or its own PostgreSQL schema and
RabbitMQ queue prefix, since CI reuses the machine's services as the session left them. The
suite runs in several processes: a test marked `changes_rabbitmq_settings` has RabbitMQ to itself.
"""
from __future__ import annotations

import uuid
from urllib.parse import urlparse

import pytest

from tests.support import (
    AMQP_URL, PG_URL, delete_amqp_prefix, drop_pg_schema, pg_schema, port_open, prepared, rabbitmq_settings,
    service_missing, settings_for,
)


def _require(url: str, name: str, default_port: int) -> None:
    u = urlparse(url.replace("postgresql+psycopg", "postgresql"))
    if not port_open(u.hostname or "127.0.0.1", u.port or default_port):
        service_missing(f"{name} at {u.hostname}:{u.port or default_port}")


@pytest.fixture
def production(request, tmp_path):
    """Settings on the real RabbitMQ and PostgreSQL, isolated by schema and queue prefix."""
    _require(PG_URL, "PostgreSQL", 5432)
    _require(AMQP_URL, "RabbitMQ", 5672)
    change = request.node.get_closest_marker("changes_rabbitmq_settings") is not None
    with rabbitmq_settings(change=change):
        url, schema = pg_schema()
        prefix = f"t{uuid.uuid4().hex[:10]}."
        settings = settings_for(tmp_path, url, AMQP_URL, prefix)
        try:
            yield settings
        finally:
            drop_pg_schema(schema)
            delete_amqp_prefix(prefix)


@pytest.fixture
def rabbitmq_steady():
    """RabbitMQ's server settings held steady, for a test on RabbitMQ without the production fixture."""
    with rabbitmq_settings():
        yield


@pytest.fixture
def embedded(tmp_path):
    """Settings on the embedded default: one SQLite file and the SQLite broker transport."""
    yield settings_for(tmp_path, f"sqlite:///{tmp_path / 'actionproof.db'}",
                       f"sqlite-lease:///{tmp_path / 'broker.db'}")


@pytest.fixture(params=["embedded", "production"])
def backend(request):
    """Both backends: every test using this runs twice."""
    return request.getfixturevalue(request.param)


@pytest.fixture
def sessions(backend):
    return prepared(backend)
