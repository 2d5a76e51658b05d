"""Behaviour specific to RabbitMQ + PostgreSQL."""
from __future__ import annotations

import threading

from sqlalchemy import func, select

from models import ApAlert, ApQualityEvent
from queues.broker import connect
from queues.publisher import Publisher, job_message
from queues.topology import Topology
from workers.app import make_worker
from workers.sweep import mark_overdue
from tests.support import IDLE_S, prepared, seed_world

import datetime as dt


def test_publisher_confirms_are_on_for_rabbitmq(production):
    with connect(production.broker_url) as conn:
        pub = Publisher(conn, Topology(production.queue_prefix))
        pub.publish_raw("verify", b"{}")
        channel = conn.default_channel
        # py-amqp puts the channel in confirm mode: basic_publish waits for the broker's ack.
        assert channel._confirm_selected is True
        assert conn.transport_options.get("confirm_publish") is True


def test_two_sweepers_at_once_handle_each_overdue_alert_once(production):
    sessions = prepared(production)
    world = seed_world(sessions, production)
    pub = Publisher(connect(production.broker_url), Topology(production.queue_prefix))
    for i in range(12):
        action = world.visit(sessions, checkin_north_m=1000 + i)
        pub.publish_job(job_message("action.submitted/1", world.org_id, action_id=action))
    assert make_worker(production, ["verify"]).run(until_idle=IDLE_S, max_seconds=120)["done"] == 12
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=3)
    results, barrier = [], threading.Barrier(2)

    def sweep():
        barrier.wait()
        results.append(mark_overdue(sessions, production, now=later, batch=12))

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert len(results) == 2  # neither sweeper crashed on a row the other had taken
    assert sum(r.overdue for r in results) == 12
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(ApQualityEvent)) == 12
        assert s.scalar(select(func.count()).select_from(ApAlert).where(ApAlert.status == "overdue")) == 12
