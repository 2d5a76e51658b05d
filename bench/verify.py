"""Verification throughput: jobs/s with one worker, embedded default vs RabbitMQ + PostgreSQL.

Baseline (same run, same actions): the pure rules on already-read photo metadata, i.e. what
one core can judge with no broker, database or file I/O. Ratios show what the pipeline costs.

    .venv/bin/python -m bench.verify [--jobs 200] [--skip-production]
"""
from __future__ import annotations

import argparse
import dataclasses
import datetime as dt
import os
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import func, select

from evidence.exif import read_photo
from evidence.rules import ActionEvidence, judge
from evidence.datum import Position
from models import ApJob
from queues.broker import connect
from queues.publisher import Publisher, job_message
from queues.topology import Topology
from tests.support import (
    AMQP_URL, HANGZHOU, delete_amqp_prefix, drop_pg_schema, pg_schema, prepared, seed_world, settings_for,
)
from workers.app import make_worker
from workers.handlers.verify_action import rules_config


def pipeline(settings, n: int) -> float:
    sessions = prepared(settings)
    world = seed_world(sessions, settings)
    # One rep's visits 20 minutes apart, as a working day looks (not n visits in the same second:
    # the impossible-travel check compares each visit with the rep's neighbours in time).
    start = dt.datetime.now(dt.timezone.utc).replace(microsecond=0) - dt.timedelta(minutes=20 * n)
    actions = [world.visit(sessions, checkin_north_m=(i % 7) * 150, submitted_at=start + dt.timedelta(minutes=20 * i))
               for i in range(n)]
    pub = Publisher(connect(settings.broker_url), Topology(settings.queue_prefix))
    for a in actions:
        pub.publish_job(job_message("action.submitted/1", world.org_id, action_id=a))
    pub.connection.release()
    make_worker(settings, ["verify"]).run(until_idle=2, max_seconds=600)
    with sessions() as s:
        done = s.scalar(select(func.count()).select_from(ApJob).where(ApJob.status == "done"))
        first = s.scalar(select(func.min(ApJob.first_attempt_at)))
        last = s.scalar(select(func.max(ApJob.finished_at)))
    assert done == n, f"only {done}/{n} jobs done"
    return n / (last - first).total_seconds()


def baseline(settings, n: int) -> float:
    """Pure rules on pre-read metadata (no I/O)."""
    sessions = prepared(settings)
    world = seed_world(sessions, settings)
    world.visit(sessions)
    photo = next((settings.media_root / "photos").glob("*.jpg"))
    meta = read_photo(photo.read_bytes())
    config = rules_config(settings)
    ev = ActionEvidence(action_type="上门拜访", submitted_at=dt.datetime.now(dt.timezone.utc),
                        customer=Position(*HANGZHOU, "gcj02"), radius_m=None,
                        checkin=Position(HANGZHOU[0] + 0.001, HANGZHOU[1], "gcj02"),
                        photos=[("photo:1", meta)], call_numbers=[], registered_numbers=["0571-88886666"])
    reps = max(n * 5, 500)
    t0 = time.perf_counter()
    for _ in range(reps):
        judge(ev, config)
    return reps / (time.perf_counter() - t0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--jobs", type=int, default=200)
    ap.add_argument("--skip-production", action="store_true")
    args = ap.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp)
        emb = settings_for(home / "emb", f"sqlite:///{home / 'emb' / 'ap.db'}",
                           f"sqlite-lease:///{home / 'emb' / 'broker.db'}", lease_s=60)
        results["baseline: pure rules, no I/O"] = baseline(dataclasses.replace(
            emb, home=home / "base", media_root=home / "base" / "media",
            database_url=f"sqlite:///{home / 'base.db'}"), args.jobs)
        results["embedded: SQLite + sqlite-lease"] = pipeline(emb, args.jobs)
        if not args.skip_production:
            url, schema = pg_schema()
            prefix = f"bench{uuid.uuid4().hex[:8]}."
            try:
                prod = settings_for(home / "prod", url, AMQP_URL, prefix, lease_s=60)
                results["production: RabbitMQ + PostgreSQL"] = pipeline(prod, args.jobs)
            finally:
                drop_pg_schema(schema)
                delete_amqp_prefix(prefix)
    base = next(iter(results.values()))
    print(f"verification jobs/s, one worker, {args.jobs} visit actions with one photo each "
          f"({os.cpu_count()} cores)")
    for name, rate in results.items():
        print(f"  {name:<38} {rate:9.1f} jobs/s   ratio to baseline {rate / base:6.3f}")


if __name__ == "__main__":
    main()
