"""Load: a realistic CRM mix at stepped rates against worker processes; per job type the sustained
jobs/s, p50/p95/p99 latency from publish to stored result, queue depth over time, and 1 vs 2
verify workers.

    .venv/bin/python -m bench.load [--backend production|embedded] [--verify-workers 1,2]
                                   [--rates 10,20,40,60] [--step-s 30] [--recording-rate 0.1]

The mix (as the CRM publishes it): visit actions with a GPS-tagged photo and phone-call actions
(`action.submitted`, ~72 %: most verified, some 待核实 with an alert), WeChat messages
(`message.submitted`, ~20 %), alert resolutions by the manager (`alert.resolved`, for the alerts
that appear), 2 % deliberately bad messages (fuzzed), and short consented call recordings
(`recording.submitted`, a fixed trickle: real Whisper on one thread). The pipeline adds its own
follow-ups: `transcript.ready` and `customer.changed` (CQI and suggestions).

Processes: `actionproof worker --queues verify` × N, one `--queues transcribe` (ASR pinned to one
thread) and one `--queues analyze,score`, plus RabbitMQ, PostgreSQL and this publisher — all on
the machine's cores, so the figures show where the machine saturates, not a cluster's capacity.

Latency = ap_jobs.finished_at − the message's sent_at (set when the CRM publishes it; for
follow-ups, when the worker wrote them to the outbox). Throughput per step = jobs of that type
finished inside the step's window ÷ its length.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
from pathlib import Path
from typing import Any

from bench._mix import (
    CrmPublisher, DepthSampler, Ledger, Workers, duplicates, fuzz_cases, job_rows, log, make_backend, open_alerts,
    percentile, resolution, seed_actions, seed_messages, seed_photo_history, seed_recordings, seed_world,
    wait_until_final, warm_model,
    worker_env,
)
from queues.publisher import job_message
from tests.support import prepared

MIX = (("action", 0.72), ("message", 0.20), ("resolution", 0.06), ("bad", 0.02))
SCHEMAS = ("action.submitted/1", "message.submitted/1", "customer.changed/1", "alert.resolved/1",
           "recording.submitted/1", "transcript.ready/1", "bad input")


def cpu_busy() -> tuple[float, float]:
    """(busy, total) jiffies of the whole machine, from /proc/stat."""
    with open("/proc/stat") as f:
        fields = [float(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]
    return sum(fields) - idle, sum(fields)


def run_once(args, verify_workers: int, home: Path) -> dict[str, Any]:
    rng = random.Random(args.seed)
    backend = make_backend(args.backend, home, lease_s=60.0)
    workers = None
    sampler = None
    try:
        settings = backend.settings
        sessions = prepared(settings)
        total = sum(args.rates) * args.step_s
        n_actions = int(total * 0.72 * 1.1) + 20
        n_messages = int(total * 0.20 * 1.1) + 20
        n_recordings = int(args.recording_rate * len(args.rates) * args.step_s * 1.2) + 5
        t = time.monotonic()
        world = seed_world(sessions, orgs=args.orgs, reps_per_org=args.reps_per_org)
        actions = seed_actions(sessions, settings, world, n_actions, rng)
        messages = seed_messages(sessions, world, n_messages, rng)
        recordings = seed_recordings(sessions, settings, world, n_recordings, rng)
        bad = fuzz_cases(int(total * 0.02 * 1.1) + 10, seed=args.seed)
        log(f"seeded {len(world.reps)} reps, {len(actions)} actions, {len(messages)} messages, "
            f"{len(recordings)} recordings, {len(bad)} bad messages in {time.monotonic() - t:.0f} s")
        warm_model()

        env = worker_env(settings)
        workers = Workers(env, home / "logs")
        for i in range(verify_workers):
            workers.start(f"verify-{i + 1}", "verify")
        workers.start("transcribe", "transcribe")
        workers.start("analyze", "analyze,score")
        ledger = Ledger()
        pub = CrmPublisher(settings, ledger)

        # Warm-up (not measured): model load, imports, first connections.
        org, rec = recordings.pop()
        pub.job(job_message("recording.submitted/1", org, recording_id=rec), "warmup")
        org, action, _ = actions.pop()
        pub.job(job_message("action.submitted/1", org, action_id=action), "warmup")
        org, m = messages.pop()
        pub.job(job_message("message.submitted/1", org, message_id=m), "warmup")
        if not wait_until_final(sessions, ledger, 180, settle_s=1):
            raise SystemExit("warm-up jobs did not finish in 180 s: are the workers running? see " + str(home / "logs"))
        ledger.sent.clear()

        sampler = DepthSampler(settings, every=1.0)
        sampler.start()
        steps = []
        resolved: set[int] = set()
        pending_alerts: list = []
        kinds, weights = zip(*MIX)
        for rate in args.rates:
            cpu0 = cpu_busy()
            t0 = time.time()
            start = time.monotonic()
            i = 0
            next_rec = start
            next_poll = start
            while True:
                now = time.monotonic()
                if now - start >= args.step_s:
                    break
                if now >= next_poll:  # the CRM sees new alerts; managers resolve them a little later
                    next_poll = now + 2.0
                    pending_alerts = [a for a in open_alerts(sessions, resolved) if a[2] is not None]
                due = start + i / rate
                if now < due and now < next_rec:
                    time.sleep(max(0.0, min(due, next_rec) - now))
                    continue
                if args.recording_rate > 0 and now >= next_rec:
                    next_rec += 1.0 / args.recording_rate
                    if recordings:
                        org, rec = recordings.pop()
                        pub.job(job_message("recording.submitted/1", org, recording_id=rec), "recording")
                    continue
                i += 1
                kind = rng.choices(kinds, weights)[0]
                if kind == "resolution" and pending_alerts:
                    alert_id, org, manager = pending_alerts.pop(0)
                    resolved.add(alert_id)
                    pub.job(resolution(alert_id, org, manager, rng), "resolution")
                elif kind == "bad" and bad:
                    pub.raw(bad.pop(), "bad")
                elif kind == "message" and messages:
                    org, m = messages.pop()
                    pub.job(job_message("message.submitted/1", org, message_id=m), "message")
                elif actions:
                    org, action, akind = actions.pop()
                    pub.job(job_message("action.submitted/1", org, action_id=action), akind)
            cpu1 = cpu_busy()
            steps.append({"rate": rate, "t0": t0, "t1": time.time(),
                          "cpu": (cpu1[0] - cpu0[0]) / max(1.0, cpu1[1] - cpu0[1])})
            log(f"step {rate:>4} jobs/s done: published {sum(1 for x in ledger.sent if t0 <= x.t_pub)}; "
                f"machine CPU {steps[-1]['cpu'] * 100:.0f} %")
        drained = wait_until_final(sessions, ledger, args.drain_s,
                                   progress=lambda missing, open_: log(f"draining: {missing} published jobs "
                                                                       f"not final, {open_} rows open"))
        t_end = time.time()
        sampler.stop.set()
        sampler.join(timeout=5)
        crashed = workers.crashed()
        codes = workers.stop_all()
        rows = job_rows(sessions)
        dups = duplicates(sessions)
        pub.close()
        return analyse(args, verify_workers, steps, ledger, rows, sampler.samples, dups, crashed, codes, drained,
                       t_end)
    finally:
        if sampler is not None:
            sampler.stop.set()
        if workers is not None:
            workers.stop_all(timeout=20)
        if not args.keep:
            backend.cleanup()


def run_burst(args, verify_workers: int, home: Path) -> dict[str, Any]:
    """Saturation: `--history` actions verified first (not measured), then `--burst` jobs published at
    once; workers start after and the drain rate per job type is their sustained throughput."""
    rng = random.Random(args.seed)
    backend = make_backend(args.backend, home, lease_s=60.0)
    workers = None
    try:
        settings = backend.settings
        sessions = prepared(settings)
        world = seed_world(sessions, orgs=args.orgs, reps_per_org=args.reps_per_org)
        if args.photo_history:
            t = time.monotonic()
            n = seed_photo_history(sessions, world, args.photo_history, rng)
            log(f"photo history: {n} earlier photos stored ({args.photo_history} per organisation) "
                f"in {time.monotonic() - t:.0f} s")
        n_verify = {"verify": args.burst, "mix": int(args.burst * 0.78), "messages": 0}[args.burst_mix]
        actions = seed_actions(sessions, settings, world, args.history + n_verify, rng)
        messages = seed_messages(sessions, world, args.burst - n_verify, rng) if args.burst - n_verify else []
        ledger = Ledger()
        pub = CrmPublisher(settings, ledger)
        env = worker_env(settings, ACTIONPROOF_LOG_LEVEL="WARNING")
        workers = Workers(env, home / "logs")
        if args.history:
            for org, action, kind in actions[:args.history]:
                pub.job(job_message("action.submitted/1", org, action_id=action), "history")
            for i in range(2):
                workers.start(f"history-{i + 1}", "verify")
            if not wait_until_final(sessions, ledger, 1800, settle_s=0.5):
                raise SystemExit("history did not finish")
            workers.stop_all()
            log(f"history: {args.history} actions verified")
        ledger.sent.clear()
        jobs = [job_message("action.submitted/1", org, action_id=action) for org, action, _ in actions[args.history:]]
        jobs += [job_message("message.submitted/1", org, message_id=m) for org, m in messages]
        rng.shuffle(jobs)
        for message in jobs:
            pub.job(message, message["schema"])
        pub.close()
        t0 = time.time()
        for i in range(verify_workers):
            workers.start(f"verify-{i + 1}", "verify")
        if messages:
            workers.start("analyze", "analyze,score")
        if not wait_until_final(sessions, ledger, args.drain_s, settle_s=0.5):
            raise SystemExit("burst did not drain in --drain-s")
        workers.stop_all()
        rows = job_rows(sessions)
        per: dict[str, list[tuple[float, float]]] = {}
        for r in rows.values():
            if r["finished"] is not None and r["finished"] >= t0 and r["status"] == "done":
                per.setdefault(r["schema"], []).append((r["started"], r["finished"]))
        # From the first job started (worker start-up excluded) to the last one finished.
        rates = {schema: {"jobs": len(ts), "per_s": round(len(ts) / (max(f for _, f in ts) - min(s for s, _ in ts)), 1)}
                 for schema, ts in per.items()}
        return {"backend": args.backend, "verify_workers": verify_workers, "history": args.history, "rates": rates,
                "duplicates": sum(duplicates(sessions).values())}
    finally:
        if workers is not None:
            workers.stop_all(timeout=20)
        backend.cleanup()


def _schema_of(row: dict, sent_kind: dict[str, str], job_id: str) -> str:
    if sent_kind.get(job_id) == "bad":
        return "bad input"
    return row.get("schema") or "bad input"


def analyse(args, verify_workers, steps, ledger: Ledger, rows, samples, dups, crashed, codes, drained,
            t_end) -> dict[str, Any]:
    sent_kind = {x.job_id: x.kind for x in ledger.sent}
    t_pub = {x.job_id: x.t_pub for x in ledger.sent}
    for job_id, r in rows.items():  # a rejected raw message has no readable sent_at: use the publish time
        if r["sent"] is None and job_id in t_pub:
            r["sent"] = t_pub[job_id]
    published_ids = set(sent_kind)
    follow_ups = {j for j, r in rows.items() if j not in published_ids and r["schema"] in (
        "customer.changed/1", "transcript.ready/1")}
    ours = published_ids | follow_ups
    out_steps = []
    for k, step in enumerate(steps):
        t0, t1 = step["t0"], step["t1"]
        per: dict[str, dict[str, Any]] = {}
        for job_id in ours:
            r = rows.get(job_id)
            if r is None:
                continue
            schema = _schema_of(r, sent_kind, job_id)
            d = per.setdefault(schema, {"published": 0, "finished_in_step": 0, "lat": []})
            if r["sent"] is not None and t0 <= r["sent"] < t1:
                d["published"] += 1
                if r["finished"] is not None and r["status"] in ("done", "failed", "rejected"):
                    d["lat"].append(r["finished"] - r["sent"])
            if r["finished"] is not None and t0 <= r["finished"] < t1:
                d["finished_in_step"] += 1
        depth = {}
        for t, row in samples:
            if t0 <= t < t1:
                for q, v in row.items():
                    if v is not None:
                        depth[q] = max(depth.get(q, 0), v)
        out_steps.append({"offered_per_s": step["rate"], "cpu": round(step["cpu"], 3), "max_depth": depth,
                          "types": {s: {"published": d["published"],
                                        "per_s": round(d["finished_in_step"] / (t1 - t0), 2),
                                        "p50_ms": _ms(percentile(d["lat"], 50)), "p95_ms": _ms(percentile(d["lat"], 95)),
                                        "p99_ms": _ms(percentile(d["lat"], 99))}
                                    for s, d in per.items()}})
    statuses: dict[str, int] = {}
    for job_id in ours:
        r = rows.get(job_id)
        key = "missing" if r is None else (f"{r['status']}/{r['code']}" if r["code"] else r["status"])
        statuses[key] = statuses.get(key, 0) + 1
    timeline = []
    if samples:
        start = samples[0][0]
        for t, row in samples[::5]:
            timeline.append({"t": round(t - start), **row})
    return {"verify_workers": verify_workers, "backend": args.backend, "steps": out_steps, "statuses": statuses,
            "duplicates": dups, "crashed": crashed, "exit_codes": codes, "drained": drained, "timeline": timeline,
            "unconfirmed": sum(1 for x in ledger.sent if not x.confirmed)}


def _ms(v: float | None) -> int | None:
    return None if v is None else round(v * 1000)


def print_report(res: dict[str, Any]) -> None:
    print(f"\n=== {res['backend']}: {res['verify_workers']} verify worker(s), 1 transcribe (1 thread), "
          f"1 analyze+score — {os.cpu_count()} cores ===")
    print(f"{'offered/s':>9} {'CPU':>5}  {'job type':<22} {'published':>9} {'done/s':>7} {'p50 ms':>8} {'p95 ms':>8} "
          f"{'p99 ms':>8}  max depth")
    for step in res["steps"]:
        first = True
        for schema in SCHEMAS:
            d = step["types"].get(schema)
            if not d or (d["published"] == 0 and d["per_s"] == 0):
                continue
            q = {"action.submitted/1": "verify", "alert.resolved/1": "verify", "message.submitted/1": "analyze",
                 "transcript.ready/1": "analyze", "customer.changed/1": "score",
                 "recording.submitted/1": "transcribe"}.get(schema)
            depth = step["max_depth"].get(q, "") if q else step["max_depth"].get("dlq", "")
            lead = f"{step['offered_per_s']:>9} {step['cpu'] * 100:>4.0f}%" if first else " " * 15
            print(f"{lead}  {schema:<22} {d['published']:>9} {d['per_s']:>7} {_fmt(d['p50_ms']):>8} "
                  f"{_fmt(d['p95_ms']):>8} {_fmt(d['p99_ms']):>8}  {depth}")
            first = False
    print(f"final states: {res['statuses']}")
    print(f"duplicates: {sum(res['duplicates'].values())} {res['duplicates'] if sum(res['duplicates'].values()) else ''}")
    print(f"workers crashed: {res['crashed'] or 'none'}; drained: {res['drained']}; unconfirmed: {res['unconfirmed']}")
    print("queue depth (ready) every 5 s: " + "; ".join(
        f"{x['t']}s v{x.get('verify')} a{x.get('analyze')} s{x.get('score')} t{x.get('transcribe')}"
        for x in res["timeline"]))


def _fmt(v) -> str:
    return "-" if v is None else str(v)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--backend", choices=("production", "embedded"), default="production")
    ap.add_argument("--verify-workers", default="1,2")
    ap.add_argument("--rates", default="10,20,40,60", help="total CRM jobs/s per step")
    ap.add_argument("--step-s", type=float, default=30.0)
    ap.add_argument("--recording-rate", type=float, default=0.1, help="recordings/s (real Whisper, 1 thread)")
    ap.add_argument("--orgs", type=int, default=3)
    ap.add_argument("--reps-per-org", type=int, default=10)
    ap.add_argument("--drain-s", type=float, default=300.0)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--json", type=Path, help="write the results here too")
    ap.add_argument("--keep", action="store_true", help="keep the schema/queues/folder for inspection")
    ap.add_argument("--burst", type=int, default=0,
                    help="saturation mode: publish this many jobs at once, then measure the drain rate")
    ap.add_argument("--history", type=int, default=600, help="burst mode: actions verified before measuring")
    ap.add_argument("--photo-history", type=int, default=0,
                    help="burst mode: earlier photos per organisation stored first (a year of visits)")
    ap.add_argument("--burst-mix", choices=("verify", "mix", "messages"), default="verify")
    args = ap.parse_args()
    args.rates = [float(x) for x in args.rates.split(",")]
    results = []
    with tempfile.TemporaryDirectory(prefix="ap-load-") as tmp:
        if args.burst:
            for n in [int(x) for x in args.verify_workers.split(",")]:
                res = run_burst(args, n, Path(tmp) / f"b{n}")
                print(f"burst {args.burst} ({args.burst_mix}), history {args.history}, "
                      f"photo history {args.photo_history}/org, {args.backend}, "
                      f"{n} verify worker(s): " + ", ".join(f"{k} {v['per_s']} jobs/s ({v['jobs']})"
                                                            for k, v in sorted(res["rates"].items()))
                      + f"; duplicates {res['duplicates']}", flush=True)
                results.append(res)
            if args.json:
                args.json.write_text(json.dumps(results, indent=1, default=str))
            return
        for n in [int(x) for x in args.verify_workers.split(",")]:
            log(f"run: {args.backend}, {n} verify worker(s), rates {args.rates} jobs/s, {args.step_s:.0f} s each")
            res = run_once(args, n, Path(tmp) / f"w{n}")
            print_report(res)
            results.append(res)
    if args.json:
        args.json.write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()
