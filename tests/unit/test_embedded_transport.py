"""The sqlite-lease:// transport: cross-process delivery, leases, acks, routing.

Child processes run tests/unit/embedded_child.py (a real second process, with
its own kombu broker state and its own SQLite connection).
"""
import json
import logging
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from kombu import Connection, Exchange, Producer, Queue

from queues.embedded import Transport, db_path_from_url
from kombu.transport.virtual.base import NotEquivalentError

pytestmark = pytest.mark.timeout(60)

CHILD = Path(__file__).with_name("embedded_child.py")
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def url(tmp_path):
    return f"sqlite-lease:///{tmp_path / 'broker.db'}"  # four slashes: absolute


@pytest.fixture
def rows(tmp_path):
    """All message rows, read straight from the file (no kombu involved)."""
    def read(queue=None):
        with sqlite3.connect(tmp_path / "broker.db") as db:
            sql = "SELECT id, queue, lease_token, deliveries, visible_at FROM messages"
            if queue:
                return db.execute(sql + " WHERE queue = ?", (queue,)).fetchall()
            return db.execute(sql).fetchall()
    return read


@pytest.fixture
def spawn():
    procs = []

    def start(*args):
        env = dict(os.environ, PYTHONPATH=str(REPO))
        proc = subprocess.Popen([sys.executable, str(CHILD), *map(str, args)],
                                stdout=subprocess.PIPE, text=True, cwd=REPO, env=env)
        procs.append(proc)
        return proc

    yield start
    for proc in procs:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def line(proc):
    text = proc.stdout.readline()
    assert text, f"child exited early (rc={proc.wait()})"
    return json.loads(text)


def rest(proc, timeout=20):
    out, _ = proc.communicate(timeout=timeout)
    assert proc.returncode == 0
    return [json.loads(t) for t in out.splitlines()]


def connect(url, lease=60.0):
    return Connection(url, transport_options={"lease_seconds": lease,
                                              "polling_interval": 0.02})


def publish(url, queue, n):
    with connect(url) as conn:
        Queue(queue)(conn.default_channel).declare()
        producer = Producer(conn.default_channel)
        for i in range(n):
            producer.publish({"i": i}, routing_key=queue)


def test_url_forms_and_alias(tmp_path, monkeypatch):
    assert db_path_from_url("sqlite-lease:///var/broker.db") == "var/broker.db"
    assert db_path_from_url("sqlite-lease:////srv/broker.db") == "/srv/broker.db"
    with pytest.raises(ValueError):  # an unnamed/in-memory db would not be shared
        db_path_from_url("sqlite-lease://")
    monkeypatch.chdir(tmp_path)
    with Connection("sqlite-lease:///var/broker.db") as conn:
        assert isinstance(conn.transport, Transport)
        assert conn.transport.polling_interval == 0.1
        assert conn.default_channel.lease_seconds == 300.0
    assert (tmp_path / "var" / "broker.db").exists()  # parent dir created


def test_publish_in_one_process_consume_in_another_once_in_order(url, spawn, rows):
    consumer = spawn("consume", url, "work", "--count", 50)
    assert line(consumer) == {"ready": True}
    assert rest(spawn("publish", url, "work", 50))[0]["published"] == 50
    got = [m for m in rest(consumer) if "i" in m]
    assert [m["i"] for m in got] == list(range(50))
    assert not any(m["redelivered"] for m in got)
    assert rows() == []


def test_sigkill_before_ack_redelivers_after_lease_expires(url, spawn, rows):
    publish(url, "work", 1)
    victim = spawn("consume", url, "work", "--count", 1, "--hang", "--lease", 2)
    line(victim)  # ready
    assert line(victim)["i"] == 0
    os.kill(victim.pid, signal.SIGKILL)
    victim.wait()

    # Before the lease ends the message is invisible, but not gone.
    with connect(url) as conn:
        assert conn.default_channel._size("work") == 0
        assert Queue("work")(conn.default_channel).get() is None
    [(_, _, token, deliveries, visible_at)] = rows()
    assert token and deliveries == 1
    time.sleep(max(0.0, visible_at - time.time()) + 0.05)

    survivor = rest(spawn("consume", url, "work", "--count", 1))
    assert [(m["i"], m["redelivered"]) for m in survivor if "i" in m] == [(0, True)]
    assert rows() == []


def test_ack_reject_requeue_and_close_restore_without_duplicates(url, rows):
    publish(url, "work", 3)
    with connect(url) as conn:
        queue = Queue("work")(conn.default_channel)
        first = queue.get()
        assert first.payload == {"i": 0}
        first.ack()
        assert len(rows()) == 2

        second = queue.get()
        assert queue.get().payload == {"i": 2}  # leased: 1 is not handed out again
        second.requeue()  # reject(requeue=True): visible now, keeps its place
        again = queue.get()
        assert again.payload == {"i": 1} and again.delivery_info["redelivered"]
        assert again.headers["x-delivery-count"] == 1
        again.reject()  # requeue=False: deleted
        assert [r[0] for r in rows()] == [3]
        # message 2 is still unacked when the channel closes

    [(_, _, token, _, visible_at)] = rows()  # exactly one row: no re-put copy
    assert token is None and visible_at <= time.time()
    with connect(url) as conn:
        assert conn.default_channel._size("work") == 1
        redelivered = Queue("work")(conn.default_channel).get()
        assert redelivered.payload == {"i": 2} and redelivered.delivery_info["redelivered"]
        redelivered.ack()
    assert rows() == []


def test_higher_priority_first_then_enqueue_order(url):
    with connect(url) as conn:
        queue = Queue("work")(conn.default_channel)
        queue.declare()
        producer = Producer(conn.default_channel)
        for i, priority in enumerate([0, 5, 0, 5]):
            producer.publish({"i": i}, routing_key="work", priority=priority)
        assert [queue.get(no_ack=True).payload["i"] for _ in range(4)] == [1, 3, 0, 2]
        assert queue.get() is None  # no_ack deleted them: nothing comes back


def test_recover_and_purge(url, rows):
    publish(url, "work", 3)
    with connect(url) as conn:
        channel = conn.default_channel
        queue = Queue("work")(channel)
        queue.get(), queue.get()
        assert channel._size("work") == 1
        channel.basic_recover(requeue=True)
        assert channel._size("work") == 3 and len(rows()) == 3
        queue.get()
        assert queue.purge() == 2  # the leased one stays with its consumer
        assert len(rows()) == 1


def test_late_ack_after_lease_was_lost_is_a_logged_noop(url, rows, caplog):
    publish(url, "work", 1)
    with connect(url, lease=0.3) as slow, connect(url, lease=0.3) as other:
        taken = Queue("work")(slow.default_channel).get()
        time.sleep(0.35)
        retaken = Queue("work")(other.default_channel).get()
        assert retaken.payload == taken.payload and retaken.delivery_info["redelivered"]
        with caplog.at_level(logging.WARNING, logger="queues.embedded"):
            taken.ack()
        assert "lease lost" in caplog.text
        assert len(rows()) == 1  # the other consumer still holds it
        retaken.ack()
    assert rows() == []


def test_extend_leases_keeps_a_held_message_invisible(url, rows):
    publish(url, "work", 1)
    with connect(url, lease=1.0) as holder, connect(url, lease=1.0) as other:
        held = Queue("work")(holder.default_channel).get()
        for _ in range(3):  # 1.2 s in total, longer than the lease
            time.sleep(0.4)
            assert holder.default_channel.extend_leases() == 1
        assert Queue("work")(other.default_channel).get() is None
        held.ack()
        assert holder.default_channel.extend_leases() == 0
    assert rows() == []


def test_topic_binding_declared_in_one_process_routes_publishes_from_another(url, spawn, rows):
    consumer = spawn("consume", url, "alerts", "--count", 2,
                     "--bind", "actionproof.events:topic:alert.created.*")
    assert line(consumer) == {"ready": True}
    # The publisher process never declares the exchange or the binding.
    rest(spawn("publish", url, "-", 2, "--exchange", "actionproof.events",
               "--key", "alert.created.visit"))
    assert [m["i"] for m in rest(consumer) if "i" in m] == [0, 1]
    assert rows() == []


def test_direct_topic_fanout_bindings_are_shared_between_connections(url, rows):
    # Two Connections have separate in-memory broker state, like two processes.
    with connect(url) as worker, connect(url) as crm:
        ch = worker.default_channel
        events = Exchange("actionproof.events", "topic")
        Queue("alerts", events, routing_key="alert.created.*")(ch).declare()
        Queue("audit", events, routing_key="#")(ch).declare()
        Queue("direct-q", Exchange("dx", "direct"), routing_key="k")(ch).declare()
        for name in ("fan-1", "fan-2"):
            Queue(name, Exchange("fan", "fanout"))(ch).declare()

        producer = Producer(crm.default_channel)
        producer.publish({}, exchange="actionproof.events", routing_key="alert.created.visit")
        producer.publish({}, exchange="actionproof.events", routing_key="alert.closed.visit")
        producer.publish({}, exchange="dx", routing_key="k")
        producer.publish({}, exchange="dx", routing_key="other")
        producer.publish({}, exchange="fan", routing_key="whatever")
        assert Counter(r[1] for r in rows()) == {
            "alerts": 1, "audit": 2, "direct-q": 1, "fan-1": 1, "fan-2": 1}

        with pytest.raises(NotEquivalentError):  # as RabbitMQ: no silent retype
            Exchange("actionproof.events", "direct")(crm.default_channel).declare()

        ch.queue_unbind("alerts", "actionproof.events", "alert.created.*")
        Queue("audit")(crm.default_channel).delete()  # bound by the other connection
        producer.publish({}, exchange="actionproof.events", routing_key="alert.created.x")
        assert Counter(r[1] for r in rows()) == {
            "alerts": 1, "direct-q": 1, "fan-1": 1, "fan-2": 1}
        assert not crm.default_channel._has_queue("audit")


def test_throughput_two_processes(url, spawn, rows):
    n = 500
    consumer = spawn("consume", url, "bench", "--count", n)
    assert line(consumer) == {"ready": True}
    [pub] = rest(spawn("publish", url, "bench", n))
    out = rest(consumer)
    got = [m["i"] for m in out if "i" in m]
    assert got == list(range(n))  # each once, in order
    consumed = out[-1]
    print(f"\nsqlite-lease throughput, {n} messages, two processes: "
          f"publish {n / pub['seconds']:.0f} msg/s, "
          f"consume+ack {n / consumed['seconds']:.0f} msg/s")
    assert rows() == []


def test_two_competing_consumers_get_each_message_exactly_once(url, spawn, rows):
    consumers = [spawn("consume", url, "work", "--idle", 1.0, "--work", 0.002)
                 for _ in range(2)]
    for proc in consumers:
        assert line(proc) == {"ready": True}
    publish(url, "work", 200)
    got = [m for proc in consumers for m in rest(proc) if "i" in m]
    assert Counter(m["i"] for m in got) == Counter(range(200))  # none lost, no dups
    per_pid = Counter(m["pid"] for m in got)
    print(f"\nsplit between consumers: {sorted(per_pid.values())}")
    assert len(per_pid) == 2  # both really competed
    assert rows() == []
