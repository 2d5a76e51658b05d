"""Stage-gate decision latency on the embedded default (SQLite + the SQLite broker), evidence already processed.

    .venv/bin/python -m bench.gate [--history 40] [--n 200] [--e2e 50]

A customer is given a realistic history first, processed by the real workers: `--history` visits
with photos (verified), as many customer messages (analysed: people, needs, budget) and a signed
technical form. Then three latencies of a 需求确认 → 方案报价 request are measured:

* baseline — the pure decision (scoring/gate.py) on evidence already in memory;
* handler — read the evidence, decide, store the decision and its event (one transaction), in process;
* end to end — publish `stage.requested/1` to the embedded broker, one worker process consumes it,
  until `ap_jobs.finished_at` (requests sent one at a time, so no queueing is measured).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from models import ApGateDecision, CrmAttachment, CrmContact, CrmCustomer, CrmMessage
from queues.publisher import job_message
from queues.schemas import StageRequested
from scoring.gate import decide, stages_to_check
from scoring.stages import load_stages
from bench._jobs import wait_finished
from tests.support import prepared, seed_world, settings_for
from workers.app import make_worker, publisher
from workers.consumer import JobContext, utcnow
from workers.gate_evidence import gather
from workers.handlers.gate import handle_stage_requested

MESSAGES = ["付款账期六十天，我们这边确认没问题。", "我们今年这个项目预算大概二十万。", "我们需要兼容新国标的型号。",
            "下周三可以来厂里看看安装条件。", "价格方面还要再和采购商量一下。"]


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def _line(name: str, ms: list[float]) -> str:
    return (f"{name:<34} n={len(ms):<4} p50 {statistics.median(ms):8.2f} ms   p95 {_pct(ms, 0.95):8.2f} ms   "
            f"max {max(ms):8.2f} ms")


def seed(settings, history: int):
    """An organisation whose customer has `history` verified visits and analysed messages."""
    sessions = prepared(settings)
    world = seed_world(sessions, settings, org_id="bench-gate")
    now = utcnow().replace(microsecond=0)
    visits = [world.visit(sessions, submitted_at=now - dt.timedelta(hours=3 * (history - i)))
              for i in range(history)]
    with sessions() as s, s.begin():
        s.get(CrmCustomer, world.customer_id).stage = "需求确认"
        gm = s.scalar(select(CrmContact.id).where(CrmContact.customer_id == world.customer_id))
        msgs = [CrmMessage(customer_id=world.customer_id, rep_id=world.rep_id, contact_id=gm, sender="customer",
                           channel="wechat", sent_at=now - dt.timedelta(hours=i), text=MESSAGES[i % len(MESSAGES)])
                for i in range(history)]
        s.add_all(msgs)
        rel = "attachments/spec.pdf"
        (settings.media_root / rel).parent.mkdir(parents=True, exist_ok=True)
        (settings.media_root / rel).write_bytes(b"%PDF-1.4 signed")
        s.add(CrmAttachment(customer_id=world.customer_id, kind="tech_spec_signed", path=rel, uploaded_at=now))
        s.flush()
        msg_ids = [m.id for m in msgs]
    pub = publisher(settings)
    for a in visits:
        pub.publish_job(job_message("action.submitted/1", world.org_id, action_id=a))
    for m in msg_ids:
        pub.publish_job(job_message("message.submitted/1", world.org_id, message_id=m))
    pub.connection.release()
    stats = make_worker(settings, ["verify", "analyze"]).run(until_idle=1.5, max_seconds=600)
    return sessions, world, stats


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--history", type=int, default=40, help="visits and messages of the customer (each)")
    ap.add_argument("--n", type=int, default=200, help="in-process decisions")
    ap.add_argument("--e2e", type=int, default=50, help="requests through the broker and a worker process")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-gate-") as tmp:
        home = Path(tmp)
        settings = settings_for(home, f"sqlite:///{home / 'actionproof.db'}", f"sqlite-lease:///{home / 'broker.db'}")
        t0 = time.perf_counter()
        sessions, world, stats = seed(settings, args.history)
        print(f"history: {args.history} verified visits with photos, {args.history} analysed customer messages, "
              f"1 attachment ({stats.get('done', 0)} jobs done in {time.perf_counter() - t0:.1f} s)")
        stages = load_stages("manufacturing")
        envelope = {"org_id": world.org_id, "sent_at": utcnow()}

        with sessions() as s:
            customer = s.get(CrmCustomer, world.customer_id)
            to_check = stages_to_check(stages, customer.stage, "方案报价")
            evidence = gather(s, settings, customer.id, to_check, utcnow())
        print(f"evidence read: {len(evidence.photos)} photos, {len(evidence.attachments)} attachments, "
              f"{len(evidence.texts)} messages/transcripts, {len(evidence.facts)} facts")
        base = []
        for _ in range(args.n):
            t = time.perf_counter()
            result = decide(stages, "需求确认", "方案报价", evidence)
            base.append((time.perf_counter() - t) * 1000)

        handler = []
        for i in range(args.n):
            job = f"bench-gate-{i}"
            t = time.perf_counter()
            with sessions() as s, s.begin():
                ctx = JobContext(session=s, settings=settings, job_id=job)
                out = handle_stage_requested(ctx, StageRequested(schema="stage.requested/1", job_id=job,
                                                                 customer_id=world.customer_id,
                                                                 target_stage="方案报价", requested_by=world.rep_id,
                                                                 **envelope))
            handler.append((time.perf_counter() - t) * 1000)

        e2e = []
        env = {"ACTIONPROOF_HOME": str(home), "ACTIONPROOF_DATABASE_URL": settings.database_url,
               "ACTIONPROOF_BROKER_URL": settings.broker_url, "ACTIONPROOF_MEDIA_ROOT": str(settings.media_root),
               "ACTIONPROOF_LOG_LEVEL": "WARNING"}
        worker = subprocess.Popen([sys.executable, "-m", "workers.cli", "worker", "--queues", "verify",
                                   "--max-seconds", "600"], env={**os.environ, **env})
        try:
            pub = publisher(settings)
            for i in range(args.e2e + 3):  # the first three warm the worker up and are not counted
                msg = job_message("stage.requested/1", world.org_id, customer_id=world.customer_id,
                                  target_stage="方案报价", requested_by=world.rep_id)
                sent = utcnow()
                pub.publish_job(msg)
                job = wait_finished(sessions, msg["job_id"], f"request {msg['job_id']}")
                if i >= 3:
                    e2e.append((job.finished_at - sent).total_seconds() * 1000)
            pub.connection.release()
        finally:
            worker.terminate()
            worker.wait(timeout=30)
        with sessions() as s:
            statuses = set(s.scalars(select(ApGateDecision.status)))
        print(f"decision: {result.status} ({result.note}); stored decisions: {', '.join(sorted(statuses))}; "
              f"last handler result {out['status']}\n")
        print(_line("baseline: pure decision, no I/O", base))
        print(_line("handler: read + decide + store", handler))
        print(_line("end to end: publish → stored", e2e))
        print(f"\np95 end to end {'<' if _pct(e2e, 0.95) < 1000 else '≥'} 1 s (the issue's target)")


if __name__ == "__main__":
    main()
