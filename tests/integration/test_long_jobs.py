"""A job that outlives RabbitMQ's consumer_timeout and the AMQP heartbeat is neither killed nor run twice.

RabbitMQ (3.10 here) closes a channel whose oldest unacked delivery is older than the broker's
`consumer_timeout` (30 min by default, checked every `channel_tick_interval`) and redelivers the
message. The tests lower both for a few seconds (and restore them): the worker must hand a long
job over to the database before that (see workers/leases.py), keep its heartbeats going from
the main thread, and a job whose holder dies after the hand-over must be recovered.

Run as a script, this file is the slow worker: `python test_long_jobs.py MARKER` with settings
from the environment, LONG_JOB_S seconds of sleep in the verify handler and a short heartbeat.
"""
from __future__ import annotations

import dataclasses
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

import pytest

CONSUMER_TIMEOUT_MS = 3000
LEASE_S = 1.5  # hand-over after this: well inside the lowered consumer_timeout


def _slow_worker_main(marker: Path) -> None:
    from workers.app import make_worker
    from workers.config import Settings
    from workers.handlers import HANDLERS
    from workers.logs import setup_logging

    real = HANDLERS["action.submitted/1"]

    def slow(ctx, msg):
        with marker.open("a") as f:  # one line per run of the handler
            f.write(msg.job_id + "\n")
        time.sleep(float(os.environ.get("LONG_JOB_S", "8")))
        return real(ctx, msg)

    HANDLERS["action.submitted/1"] = slow
    settings = Settings.from_env()
    setup_logging("INFO")
    worker = make_worker(settings, ["verify"])
    worker.heartbeat_s = float(os.environ.get("LONG_JOB_HEARTBEAT_S", "2"))
    worker.install_signal_handlers()
    stats = worker.run(until_idle=float(os.environ.get("LONG_JOB_IDLE_S", "2")), max_seconds=60)
    print("STATS", stats["done"], stats["duplicate"], flush=True)


if __name__ == "__main__":
    _slow_worker_main(Path(sys.argv[1]))
    sys.exit(0)


from sqlalchemy import func, select  # noqa: E402

from models import ApJob, ApVerdict  # noqa: E402
from queues.broker import connect  # noqa: E402
from queues.publisher import Publisher, job_message  # noqa: E402
from queues.topology import Topology  # noqa: E402
from tests.support import ROOT, prepared, seed_world  # noqa: E402
from workers.app import make_worker  # noqa: E402


def _rabbitmqctl(expr: str) -> str:
    out = subprocess.run(["rabbitmqctl", "eval", expr], capture_output=True, text=True, timeout=30)
    if out.returncode != 0:
        raise RuntimeError(f"rabbitmqctl eval {expr!r}: {out.stderr.strip() or out.stdout.strip()}")
    return out.stdout.strip()


@pytest.fixture
def short_consumer_timeout(production):
    """consumer_timeout = 3 s, checked every second, for channels opened meanwhile; restored after."""
    if shutil.which("rabbitmqctl") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("rabbitmqctl is not on PATH (CI=true): cannot lower RabbitMQ's consumer_timeout")
        pytest.skip("rabbitmqctl is not on PATH: cannot lower RabbitMQ's consumer_timeout")
    before = {key: _rabbitmqctl(f"application:get_env(rabbit, {key}).")
              for key in ("consumer_timeout", "channel_tick_interval")}
    try:
        _rabbitmqctl(f"application:set_env(rabbit, consumer_timeout, {CONSUMER_TIMEOUT_MS}).")
        _rabbitmqctl("application:set_env(rabbit, channel_tick_interval, 1000).")
        yield production
    finally:
        for key, value in before.items():
            if value.startswith("{ok,"):
                _rabbitmqctl(f"application:set_env(rabbit, {key}, {value[4:-1]}).")
            else:
                _rabbitmqctl(f"application:unset_env(rabbit, {key}).")


def _env(settings, **extra) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "ACTIONPROOF_DATABASE_URL": settings.database_url,
            "ACTIONPROOF_BROKER_URL": settings.broker_url, "ACTIONPROOF_MEDIA_ROOT": str(settings.media_root),
            "ACTIONPROOF_QUEUE_PREFIX": settings.queue_prefix, "ACTIONPROOF_LEASE_S": str(LEASE_S),
            "ACTIONPROOF_PREFETCH": "1", "ACTIONPROOF_LOG_LEVEL": "INFO", **extra}


def _start(settings, marker: Path, **extra) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, __file__, str(marker)], env=_env(settings, **extra), cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(marker: Path, child: subprocess.Popen, timeout: float = 40) -> None:
    deadline = time.monotonic() + timeout
    while not marker.exists():
        assert child.poll() is None, f"the worker died on its own: {child.communicate()[1][-2000:]}"
        assert time.monotonic() < deadline, "the worker never started the job"
        time.sleep(0.05)


def _publish(settings, sessions):
    world = seed_world(sessions, settings)
    action = world.visit(sessions)
    pub = Publisher(connect(settings.broker_url), Topology(settings.queue_prefix))
    try:
        return pub.publish_job(job_message("action.submitted/1", world.org_id, action_id=action))
    finally:
        pub.connection.release()


# Its timeout includes waiting for RabbitMQ tests of other test processes to finish (one outage test
# holds the broker 40 s).
@pytest.mark.changes_rabbitmq_settings
@pytest.mark.timeout(150)
def test_job_longer_than_consumer_timeout_and_heartbeat_runs_once(short_consumer_timeout, tmp_path):
    settings = dataclasses.replace(short_consumer_timeout, lease_s=LEASE_S)
    sessions = prepared(settings)
    job = _publish(settings, sessions)
    marker = tmp_path / "runs"
    # 8 s job: > consumer_timeout (3 s, checked each second) and > 2 missed heartbeats (2 s).
    slow = _start(settings, marker, LONG_JOB_S="8")
    other_stats: dict = {}
    try:
        _wait_for(marker, slow)
        # A second worker on the same queue the whole time: a redelivery would reach it.
        other = make_worker(settings, ["verify"])
        thread = threading.Thread(target=lambda: other_stats.update(other.run(max_seconds=9)))
        thread.start()
        out, err = slow.communicate(timeout=45)
        thread.join(timeout=20)
    finally:
        if slow.poll() is None:
            slow.kill()
    assert slow.returncode == 0, err[-3000:]
    with sessions() as s:
        row = s.get(ApJob, job)
        runs = (row.status, row.attempts, s.scalar(select(func.count()).select_from(ApVerdict)))
    # A redelivery would reach the second worker, which would run the job again.
    assert other_stats["done"] == 0 and other_stats["duplicate"] == 0, (other_stats, runs)
    assert marker.read_text().split() == [job], "the slow handler ran more than once"
    assert "STATS 1 0" in out, (out, runs)  # done once, no duplicate delivery
    assert "handed over to the database" in err
    assert "timed out" not in err and "connection lost" not in err, err[-3000:]
    with sessions() as s:
        row = s.get(ApJob, job)
        assert row.status == "done" and row.attempts == 1
        assert s.scalar(select(func.count()).select_from(ApVerdict)) == 1
    with connect(settings.broker_url) as conn:
        _name, ready, _consumers = Topology(settings.queue_prefix).queue("verify")(conn.channel()).queue_declare()
        assert ready == 0


# Its timeout includes waiting for RabbitMQ tests of other test processes to finish (one outage test
# holds the broker 40 s).
@pytest.mark.changes_rabbitmq_settings
@pytest.mark.timeout(150)
def test_handed_over_job_whose_worker_dies_is_recovered_once(short_consumer_timeout, tmp_path):
    settings = dataclasses.replace(short_consumer_timeout, lease_s=LEASE_S)
    sessions = prepared(settings)
    job = _publish(settings, sessions)
    marker = tmp_path / "runs"
    slow = _start(settings, marker, LONG_JOB_S="30")
    try:
        _wait_for(marker, slow)
        deadline = time.monotonic() + 20
        while True:  # wait for the hand-over: the delivery is acked, the row is the only copy
            with sessions() as s:
                lease = (s.get(ApJob, job).result or {}).get("lease") or {}
            if lease.get("acked"):
                break
            assert time.monotonic() < deadline, "the job was never handed over"
            time.sleep(0.2)
        os.kill(slow.pid, signal.SIGKILL)
        slow.wait(timeout=10)
    finally:
        if slow.poll() is None:
            slow.kill()
    with sessions() as s:
        assert s.get(ApJob, job).status == "running"
    # Any worker notices the stale lease, republishes the stored message and runs it.
    stats = make_worker(settings, ["verify"]).run(until_idle=LEASE_S * 3 + 2, max_seconds=30)
    assert stats["done"] == 1, stats
    with sessions() as s:
        row = s.get(ApJob, job)
        assert row.status == "done" and row.attempts == 2
        assert s.scalar(select(func.count()).select_from(ApVerdict)) == 1
