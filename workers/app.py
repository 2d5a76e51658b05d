"""Wiring: settings → database sessions, broker connections and workers."""
from __future__ import annotations

import functools

from sqlalchemy.orm import Session, sessionmaker

from models.db import make_engine, session_factory
from queues.broker import connect
from queues.publisher import Publisher
from queues.schemas import SCHEMAS
from queues.topology import Topology

from . import outbox
from .config import Settings
from .consumer import Worker
from .handlers import HANDLERS
from .sweep import mark_overdue


@functools.lru_cache(maxsize=8)
def _sessions(url: str) -> sessionmaker[Session]:
    return session_factory(make_engine(url))


def sessions(settings: Settings) -> sessionmaker[Session]:
    return _sessions(settings.database_url)


def handled_job_types() -> list[str]:
    """Job types (queues) this build has handlers for, in a stable order."""
    return sorted({SCHEMAS[schema][1] for schema in HANDLERS})


def make_worker(settings: Settings, job_types: list[str]) -> Worker:
    sess = sessions(settings)
    worker = Worker(settings, sess, HANDLERS, job_types)

    def sweep() -> None:
        from .plans import check_plans

        result = mark_overdue(sess, settings)
        plans = check_plans(sess, settings)
        if worker.publisher is not None:
            outbox.flush(sess, worker.publisher, ids=result.outbox_ids + plans.outbox_ids)
            # Rows left behind by a crash between commit and publish.
            outbox.flush(sess, worker.publisher, older_than_s=30)

    def clock() -> None:
        from .periodic import run_clock

        ids: list[int] = []
        run_clock(sess, settings, outbox_ids=ids)
        if ids and worker.publisher is not None:
            outbox.flush(sess, worker.publisher, ids=ids)  # what is left, the sweep publishes later

    worker.periodic = [[settings.sweep_interval_s, 0.0, sweep], [settings.clock_interval_s, 0.0, clock]]
    if settings.metrics_port:
        from .metrics import Metrics
        from .ops import queue_depths

        metrics = Metrics()
        metrics.serve(settings.metrics_port, settings.metrics_addr)
        worker.observers.append(metrics.observe)
        worker.metrics = metrics

        def sample() -> None:
            if worker.connection is not None:
                metrics.sample_queues(queue_depths(worker.connection, worker.topology))

        worker.periodic.append([15.0, 0.0, sample])
    return worker


def publisher(settings: Settings) -> Publisher:
    conn = connect(settings.broker_url, lease_seconds=settings.lease_s)
    return Publisher(conn, Topology(settings.queue_prefix))
