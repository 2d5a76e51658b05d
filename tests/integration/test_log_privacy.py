"""A worker's log lines name no customer, contact, rep or manager and show no phone number in full,
for good jobs and for rejected input that carries such data."""
from __future__ import annotations

import io
import json
import logging

from queues.broker import connect
from queues.publisher import Publisher, job_message
from queues.topology import Topology
from tests.support import IDLE_S, seed_world
from workers.app import make_worker
from workers.logs import JsonFormatter


def test_worker_logs_carry_no_names_or_phone_numbers(backend, sessions):
    world = seed_world(sessions, backend)
    wrong = world.call(sessions, "+86 139 1234 5678")  # not a registered number: 待核实 with the number
    right = world.call(sessions, "0571-88886666")
    visit = world.visit(sessions)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    old_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        pub = Publisher(connect(backend.broker_url), Topology(backend.queue_prefix))
        try:
            for a in (wrong, right, visit):
                pub.publish_job(job_message("action.submitted/1", world.org_id, action_id=a))
            # Bad input quoting personal data: an unknown field and a wrong-typed id.
            pub.publish_raw("verify", json.dumps({**job_message("action.submitted/1", world.org_id, action_id=1),
                                                  "note": "王建国 电话 13800138000"}, ensure_ascii=False))
            pub.publish_raw("verify", json.dumps({**job_message("action.submitted/1", world.org_id, action_id=1),
                                                  "action_id": "13912345678 李明"}, ensure_ascii=False))
        finally:
            pub.connection.release()
        stats = make_worker(backend, ["verify"]).run(until_idle=IDLE_S, max_seconds=60)
    finally:
        root.removeHandler(handler)
        root.setLevel(old_level)
    assert stats.get("done") == 3 and stats.get("rejected") == 2, stats
    text = stream.getvalue()
    lines = [json.loads(x) for x in text.splitlines() if x.strip()]
    assert sum(1 for x in lines if x.get("status") in ("done", "rejected")) == 5  # one line per job outcome
    for private in ("13912345678", "1234 5678", "13800138000", "0013 8000", "88886666", "8888 6666",
                    "王建国", "李明", "陈经理", "周总监", "杭州明达五金"):
        assert private not in text, (private, [x for x in text.splitlines() if private in x][:2])
