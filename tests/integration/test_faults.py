"""Crash and outage behaviour: SIGKILL mid-job, the database unreachable for 30 s."""
from __future__ import annotations

import dataclasses
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from models import ApJob, ApVerdict
from queues.broker import connect
from queues.publisher import Publisher, job_message
from queues.topology import Topology
from workers.app import make_worker
from workers.ops import dlq_list
from tests.proxy import TcpProxy
from tests.support import ROOT, pg_schema, drop_pg_schema, prepared, seed_world, settings_for, AMQP_URL
from tests.conftest import _require
from tests.support import PG_URL


def _env(settings) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "ACTIONPROOF_DATABASE_URL": settings.database_url,
            "ACTIONPROOF_BROKER_URL": settings.broker_url, "ACTIONPROOF_MEDIA_ROOT": str(settings.media_root),
            "ACTIONPROOF_QUEUE_PREFIX": settings.queue_prefix, "ACTIONPROOF_LEASE_S": str(settings.lease_s),
            "ACTIONPROOF_LOG_LEVEL": "WARNING"}


@pytest.mark.timeout(180)
def test_sigkill_mid_job_is_redelivered_and_completed_once(backend, sessions, tmp_path):
    world = seed_world(sessions, backend)
    action = world.visit(sessions, checkin_north_m=900)
    pub = Publisher(connect(backend.broker_url), Topology(backend.queue_prefix))
    job = pub.publish_job(job_message("action.submitted/1", world.org_id, action_id=action))
    marker = tmp_path / "in-job"
    child = subprocess.Popen([sys.executable, str(Path(__file__).with_name("slow_worker.py")), str(marker)],
                             env=_env(backend), cwd=ROOT)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert child.poll() is None, "the worker process died on its own"
            assert time.monotonic() < deadline, "the worker never started the job"
            time.sleep(0.1)
        assert marker.read_text() == job
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
    with sessions() as s:
        row = s.get(ApJob, job)
        assert row.status == "running" and row.attempts == 1  # it died mid-job
        assert s.scalar(select(func.count()).select_from(ApVerdict)) == 0
    # The embedded transport gives the message back when the dead worker's lease expires; RabbitMQ
    # at once, when the dead worker's connection closes.
    done, deadline = 0, time.monotonic() + backend.lease_s + 30
    while done == 0 and time.monotonic() < deadline:
        done += make_worker(backend, ["verify"]).run(until_idle=1, max_seconds=90)["done"]
    assert done == 1
    with sessions() as s:
        row = s.get(ApJob, job)
        assert row.status == "done" and row.attempts == 2
        assert s.scalar(select(func.count()).select_from(ApVerdict)) == 1


@pytest.mark.timeout(240)
def test_database_unreachable_for_30s_retries_and_completes(rabbitmq_steady, tmp_path):
    _require(PG_URL, "PostgreSQL", 5432)
    _require(AMQP_URL, "RabbitMQ", 5672)
    direct_url, schema = pg_schema()
    prefix = f"t{os.urandom(5).hex()}."
    proxy = TcpProxy("127.0.0.1", 5432)
    try:
        seed_settings = settings_for(tmp_path, direct_url, AMQP_URL, prefix)
        sessions = prepared(seed_settings)
        world = seed_world(sessions, seed_settings)
        action = world.visit(sessions, checkin_north_m=700)
        via_proxy = direct_url.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}")
        assert via_proxy != direct_url
        settings = dataclasses.replace(seed_settings, database_url=via_proxy)
        worker = make_worker(settings, ["verify"])
        done = {}
        # The retries wait in the worker, so the idle gap only has to cover the publish below.
        thread = threading.Thread(target=lambda: done.update(worker.run(until_idle=4, max_seconds=150)))
        thread.start()
        time.sleep(1.0)
        proxy.cut()
        pub = Publisher(connect(AMQP_URL), Topology(prefix))
        job = pub.publish_job(job_message("action.submitted/1", world.org_id, action_id=action))
        time.sleep(30)
        with sessions() as s:  # the direct connection still works: the outage is the worker's
            assert s.get(ApJob, job) is None  # nothing could be recorded while it was down
        proxy.restore()
        thread.join(timeout=150)
        assert not thread.is_alive()
        assert done["done"] == 1 and done["retrying"] >= 3 and done["dead_lettered"] == 0
        with sessions() as s:
            row = s.get(ApJob, job)
            assert row.status == "done"
            assert s.scalar(select(func.count()).select_from(ApVerdict)) == 1
        with connect(AMQP_URL) as conn:
            assert dlq_list(conn, Topology(prefix)) == []
    finally:
        proxy.close()
        drop_pg_schema(schema)
        from tests.support import delete_amqp_prefix
        delete_amqp_prefix(prefix)


@pytest.mark.timeout(120)
def test_sigterm_finishes_the_current_job_and_leaves_the_rest(backend, sessions, tmp_path):
    world = seed_world(sessions, backend)
    first, second = world.visit(sessions), world.visit(sessions)
    pub = Publisher(connect(backend.broker_url), Topology(backend.queue_prefix))
    j1 = pub.publish_job(job_message("action.submitted/1", world.org_id, action_id=first))
    j2 = pub.publish_job(job_message("action.submitted/1", world.org_id, action_id=second))
    marker = tmp_path / "in-job"
    child = subprocess.Popen([sys.executable, str(Path(__file__).with_name("slow_worker.py")), str(marker)],
                             env={**_env(backend), "SLOW_WORKER_PAUSE_S": "3"}, cwd=ROOT,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert time.monotonic() < deadline and child.poll() is None
            time.sleep(0.05)
        os.kill(child.pid, signal.SIGTERM)
        out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
    assert child.returncode == 0, err
    assert out.split()[-1] == "1", err  # it finished the job it had started, and no other
    with sessions() as s:
        assert s.get(ApJob, marker.read_text()).status == "done"
        other = j2 if marker.read_text() == j1 else j1
        assert s.get(ApJob, other) is None  # never started: still in the queue
    stats = make_worker(backend, ["verify"]).run(until_idle=1.5, max_seconds=60)
    # If the broker connection broke while the job ran (seen once in CI, cause not reproduced), the
    # finished job could not be acked: the broker hands it out again, and that copy must be
    # recognised as a duplicate, never run a second time.
    redelivered = 1 if "broker connection lost during a job" in err else 0
    assert stats["done"] == 1 and stats["duplicate"] == redelivered, err
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(ApVerdict)) == 2  # one verdict per visit


@pytest.mark.timeout(120)
def test_embedded_job_longer_than_the_lease_is_not_run_twice(embedded, tmp_path):
    """A job that outlives the lease keeps its message: a second worker never sees it."""
    settings = dataclasses.replace(embedded, lease_s=1.5)
    sessions = prepared(settings)
    world = seed_world(sessions, settings)
    action = world.visit(sessions)
    Publisher(connect(settings.broker_url), Topology()).publish_job(
        job_message("action.submitted/1", world.org_id, action_id=action))
    marker = tmp_path / "in-job"
    slow = subprocess.Popen([sys.executable, str(Path(__file__).with_name("slow_worker.py")), str(marker)],
                            env={**_env(settings), "SLOW_WORKER_PAUSE_S": "6"}, cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert time.monotonic() < deadline and slow.poll() is None
            time.sleep(0.05)
        # Meanwhile a second worker polls the queue for 4 lease periods and must find nothing.
        stats = make_worker(settings, ["verify"]).run(max_seconds=6)
        assert stats["done"] == 0 and stats["duplicate"] == 0
        os.kill(slow.pid, signal.SIGTERM)
        out, _ = slow.communicate(timeout=60)
    finally:
        if slow.poll() is None:
            slow.kill()
    assert out.split()[-1] == "1"
    with sessions() as s:
        job = s.scalars(select(ApJob)).one()
        assert job.status == "done" and job.attempts == 1
