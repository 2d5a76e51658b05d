"""Helpers shared by integration and end-to-end tests: backends, seeding, running workers."""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import fcntl
import math
import os
import socket
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, text

from evidence.datum import convert
from evidence.photo_writer import make_photo
from models import (
    CrmAction, CrmCallLog, CrmContact, CrmCustomer, CrmCustomerPhone, CrmOrg, CrmPhoto, CrmUser,
)
from models.db import make_engine, session_factory, upgrade
from workers.config import Settings

ROOT = Path(__file__).resolve().parents[1]
PG_URL = os.environ.get("ACTIONPROOF_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
AMQP_URL = os.environ.get("ACTIONPROOF_TEST_AMQP_URL", "amqp://guest:guest@127.0.0.1:5672//")
HANGZHOU = (30.274150, 120.155150)  # GCJ-02, near Wulin Square
# How long a test's worker waits with nothing delivered before it stops. Jobs are published
# before the worker starts and follow-up jobs before the one that made them is acked, so an
# idle gap only ends the run once the queues are drained; retries waiting for their time are
# held by the worker and keep it running. Raise it on a machine much slower than this one.
IDLE_S = float(os.environ.get("ACTIONPROOF_TEST_IDLE_S", "0.5"))


def service_missing(what: str) -> None:
    """Skip on a developer machine; under CI=true a missing service is a failure, never a skip."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{what} is not reachable (CI=true: services are required)")
    pytest.skip(f"{what} is not reachable")


@contextlib.contextmanager
def rabbitmq_settings(*, change: bool = False) -> Iterator[None]:
    """Hold the shared RabbitMQ's server settings steady for a test, or (change=True) alone change them.

    The suite runs in several processes (pytest-xdist) against one RabbitMQ, and a few tests lower
    server-wide settings for a while (consumer_timeout): a job of another test running meanwhile
    would see its channel closed. Tests on RabbitMQ share this lock; a test that changes the
    server's settings takes it alone. The lock file is per machine, as the server is.
    """
    path = Path(tempfile.gettempdir()) / "actionproof-tests-rabbitmq-settings.lock"
    with path.open("a") as f:
        fcntl.flock(f, fcntl.LOCK_EX if change else fcntl.LOCK_SH)
        try:
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=2):
            return True
    except OSError:
        return False


def pg_schema(base_url: str = PG_URL) -> tuple[str, str]:
    """A fresh PostgreSQL schema for one test: (url with search_path, schema name)."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(base_url)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{name}"'))
    engine.dispose()
    sep = "&" if "?" in base_url else "?"
    return f"{base_url}{sep}options={quote(f'-csearch_path={name}')}", name


def drop_pg_schema(name: str, base_url: str = PG_URL) -> None:
    engine = create_engine(base_url)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA IF EXISTS "{name}" CASCADE'))
    engine.dispose()


def delete_amqp_prefix(prefix: str, url: str = AMQP_URL) -> None:
    """Remove the queues and exchanges a test created on the shared RabbitMQ."""
    from kombu import Connection

    from queues.topology import Topology

    topology = Topology(prefix)
    with Connection(url) as conn:
        channel = conn.channel()
        for q in topology.all_queues():
            try:
                channel.queue_delete(q.name)
            except Exception:  # noqa: BLE001 - already gone
                channel = conn.channel()
        for ex in (topology.jobs, topology.events):
            try:
                channel.exchange_delete(ex.name)
            except Exception:  # noqa: BLE001
                channel = conn.channel()


def settings_for(home: Path, database_url: str, broker_url: str, prefix: str = "", **overrides) -> Settings:
    base = Settings.from_env({})
    return dataclasses.replace(base, home=home, database_url=database_url, broker_url=broker_url,
                               media_root=home / "media", queue_prefix=prefix, lease_s=overrides.pop("lease_s", 5.0),
                               **overrides)


def offset(lat: float, lon: float, north_m: float, east_m: float = 0.0) -> tuple[float, float]:
    return lat + north_m / 111_320.0, lon + east_m / (111_320.0 * math.cos(math.radians(lat)))


@dataclasses.dataclass
class World:
    """An organisation seeded as the CRM would: boss → manager → rep, one customer."""

    org_id: str
    boss_id: int
    manager_id: int
    rep_id: int
    customer_id: int
    settings: Settings

    def visit(self, sessions, *, checkin_north_m: float = 50.0, photo_delay_s: float = 30.0, exif: bool = True,
              submitted_at: dt.datetime | None = None, photo_path: str | None = None) -> int:
        submitted = submitted_at or dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
        with sessions() as s, s.begin():
            cin = offset(*HANGZHOU, checkin_north_m, 10)
            action = CrmAction(org_id=self.org_id, customer_id=self.customer_id, rep_id=self.rep_id, type="上门拜访",
                               submitted_at=submitted, checkin_lat=cin[0], checkin_lon=cin[1],
                               checkin_datum="gcj02", checkin_accuracy_m=10)
            s.add(action)
            s.flush()
            rel = photo_path or f"photos/{self.org_id}-{action.id}.jpg"
            if photo_path is None:
                wlat, wlon = convert(*HANGZHOU, "gcj02", "wgs84")
                shot = submitted - dt.timedelta(seconds=photo_delay_s)
                data = make_photo(scene=action.id * 7919, gps=offset(wlat, wlon, 20, -10) if exif else None,
                                  gps_time_utc=shot if exif else None,
                                  camera_time=(shot + dt.timedelta(hours=8)).replace(tzinfo=None) if exif else None)
                path = self.settings.media_root / rel
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            s.add(CrmPhoto(action_id=action.id, path=rel, uploaded_at=submitted))
            return action.id

    def call(self, sessions, number: str) -> int:
        with sessions() as s, s.begin():
            action = CrmAction(org_id=self.org_id, customer_id=self.customer_id, rep_id=self.rep_id, type="电话沟通",
                               submitted_at=dt.datetime.now(dt.timezone.utc))
            s.add(action)
            s.flush()
            s.add(CrmCallLog(action_id=action.id, counterpart_number=number, duration_s=60, direction="out"))
            return action.id


def seed_world(sessions, settings: Settings, org_id: str | None = None) -> World:
    org_id = org_id or f"org-{uuid.uuid4().hex[:8]}"
    with sessions() as s, s.begin():
        s.add(CrmOrg(id=org_id, name="测试公司", timezone="Asia/Shanghai"))
        boss = CrmUser(org_id=org_id, name="周总监", role="manager")
        s.add(boss)
        s.flush()
        manager = CrmUser(org_id=org_id, name="陈经理", role="manager", manager_id=boss.id)
        s.add(manager)
        s.flush()
        rep = CrmUser(org_id=org_id, name="李明", role="rep", manager_id=manager.id)
        s.add(rep)
        s.flush()
        customer = CrmCustomer(org_id=org_id, name="杭州明达五金", industry="manufacturing", lat=HANGZHOU[0],
                               lon=HANGZHOU[1], datum="gcj02", owner_rep_id=rep.id)
        s.add(customer)
        s.flush()
        s.add_all([CrmCustomerPhone(customer_id=customer.id, phone="0571-8888 6666"),
                   CrmContact(customer_id=customer.id, name="王建国", title="总经理", role_tag="decision_maker",
                              phone="+86 138 0013 8000")])
        return World(org_id, boss.id, manager.id, rep.id, customer.id, settings)


def prepared(settings: Settings):
    """Migrate the settings' database and return its session factory."""
    upgrade(settings.database_url)
    return session_factory(make_engine(settings.database_url))
