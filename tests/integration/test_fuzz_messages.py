"""Property-based fuzzing of every message schema through a real broker and a real worker.

Hypothesis generates the cases (tests/fuzzing.py); they are published raw, as a buggy or hostile
CRM could, then one worker drains the queues. Properties: the worker never crashes or loops
(no reconnect, every delivery settled), and every case ends in exactly one ap_jobs row in a
final state: `rejected` with invalid_message / unknown_schema, or processed to `done` / `failed`
with a contract error code (never `internal`). bench/fuzz.py runs the same with 10,000+ cases.
"""
from __future__ import annotations

import dataclasses
import logging

import pytest
from hypothesis import HealthCheck, given, settings as hsettings
from sqlalchemy import select

from models import ApJob
from queues.broker import connect
from queues.publisher import Publisher, job_message
from queues.schemas import JOB_QUEUES
from queues.topology import Topology
from tests.fuzzing import cases, check_rows, publishable
from tests.support import seed_world
from workers.app import make_worker
from workers.ops import queue_depths

N_CASES = {"embedded": 200, "production": 120}


class _Counter(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


@pytest.mark.timeout(120)
def test_fuzzed_messages_each_end_in_one_final_row(backend, sessions, request):
    name = request.node.callspec.params["backend"]
    settings = dataclasses.replace(backend, not_found_window_s=0.0)
    world = seed_world(sessions, settings, org_id="fuzz-org")
    world.visit(sessions)  # so some fuzzed ids name real rows and run to `done`
    pub = Publisher(connect(settings.broker_url), Topology(settings.queue_prefix))
    published = []

    @hsettings(max_examples=N_CASES[name], deadline=None, database=None, derandomize=True,
               suppress_health_check=list(HealthCheck))
    @given(cases())
    def publish(case):
        case = publishable(case, len(published), prefix=f"fz{name[0]}")
        pub.publish_raw(case.queue, case.body, content_type=case.content_type)
        published.append(case)

    try:
        publish()
    finally:
        pub.connection.release()
    assert len(published) >= N_CASES[name] * 0.9

    counter = _Counter()
    logging.getLogger("actionproof").addHandler(counter)
    try:
        stats = make_worker(settings, list(JOB_QUEUES)).run(until_idle=2.0, max_seconds=90)
    finally:
        logging.getLogger("actionproof").removeHandler(counter)
    assert not [line for line in counter.lines if "reconnecting" in line or "job raised" in line], counter.lines

    with sessions() as s:
        rows = {j.job_id: (j.status, j.error_code) for j in s.scalars(select(ApJob))}
    # Follow-up jobs (customer.changed after an analysis) are the pipeline's own, not fuzz cases.
    rows = {k: v for k, v in rows.items() if not k.startswith("changed-")}
    report = check_rows(published, rows)
    assert not report["problems"], "\n".join(report["problems"][:20])
    assert stats["rejected"] + stats["failed"] + stats["done"] >= len(published)
    with connect(settings.broker_url) as conn:
        depths = queue_depths(conn, Topology(settings.queue_prefix))
    assert all(d["ready"] == 0 for d in depths.values()), depths  # nothing left behind
    rejected = sum(v for k, v in report["outcomes"].items() if k.startswith("rejected"))
    assert sum(d["dead_letters"] for d in depths.values()) == rejected  # each rejected one is dead-lettered once
    print(name, report["outcomes"], report["kinds"])


@pytest.mark.timeout(90)
def test_messages_naming_nothing_do_not_block_the_queue(backend, sessions):
    """Ids that name no row wait for their not_found retries outside the prefetch window.

    With one message in flight per worker (ACTIONPROOF_PREFETCH_TRANSCRIBE=1 is the advice for
    long transcriptions) each such message used to hold the queue for the whole not_found window.
    """
    settings = dataclasses.replace(backend, not_found_window_s=6.0, prefetch=1)
    world = seed_world(sessions, settings)
    good_actions = [world.visit(sessions) for _ in range(4)]
    pub = Publisher(connect(settings.broker_url), Topology(settings.queue_prefix))
    try:
        hopeless = [pub.publish_job(job_message("action.submitted/1", world.org_id, action_id=10**9 + i))
                    for i in range(3)]
        good = [pub.publish_job(job_message("action.submitted/1", world.org_id, action_id=a)) for a in good_actions]
    finally:
        pub.connection.release()
    stats = make_worker(settings, ["verify"]).run(until_idle=1.5, max_seconds=60)
    assert stats["done"] == 4 and stats["failed"] == 3, stats
    with sessions() as s:
        rows = {j.job_id: j for j in s.scalars(select(ApJob))}
    start = min(rows[j].first_attempt_at for j in hopeless + good)
    good_done = max(rows[j].finished_at for j in good) - start
    gave_up = min(rows[j].finished_at for j in hopeless) - start
    assert all(rows[j].status == "failed" and rows[j].error_code == "not_found" for j in hopeless)
    assert gave_up.total_seconds() >= 5.5
    assert good_done.total_seconds() < 4.0, f"good jobs waited {good_done} behind ids that name nothing"
