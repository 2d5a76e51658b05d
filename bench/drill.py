"""Fault drill on RabbitMQ + PostgreSQL: a realistic load for `--minutes` (5 by default) while

* a random worker process is SIGKILLed every 10–20 s (and restarted),
* RabbitMQ is restarted once (`rabbitmqctl stop_app` … `start_app`),
* PostgreSQL is unreachable for the workers for 30 s once (a TCP proxy between them is cut),

with fuzzed bad messages mixed in (10,000 over 5 minutes; tests/fuzzing.py). Afterwards every
published job must have exactly one final state, no result row may exist twice, nothing may be
lost, and dead letters may hold bad input only. Stops by itself; restores RabbitMQ, the proxy and
the worker processes in every case (try/finally), and touches nothing but 127.0.0.1.

    .venv/bin/python -m bench.drill [--minutes 5] [--rate 8] [--fuzz-per-min 2000] [--json out.json]

Publisher side: every publish waits for RabbitMQ's confirm and kombu retries it across the
restart; a job that could not be published is reported (not counted as lost). The drill refuses
to start while another pytest runs on the machine (it restarts the shared RabbitMQ).
"""
from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from bench._mix import (
    CrmPublisher, DepthSampler, Ledger, Workers, duplicates, fuzz_cases, job_rows, log, make_backend, open_alerts,
    resolution, result_counts, seed_actions, seed_messages, seed_recordings, seed_world, wait_until_final,
    warm_model, worker_env,
)
from queues.broker import connect
from queues.publisher import job_message
from queues.topology import Topology
from tests.proxy import TcpProxy
from tests.support import prepared
from workers.ops import dlq_list

LOCAL = "127.0.0.1"
MIX = (("action", 0.74), ("message", 0.20), ("resolution", 0.06))


def others_running_pytest() -> list[str]:
    out = subprocess.run(["pgrep", "-af", "pytest"], capture_output=True, text=True).stdout
    return [line for line in out.splitlines() if "pgrep" not in line]


def rabbit(*args: str, timeout: float = 120) -> None:
    subprocess.run(["rabbitmqctl", *args], check=True, capture_output=True, timeout=timeout)


def rabbit_running() -> bool:
    out = subprocess.run(["rabbitmqctl", "eval", "rabbit:is_running()."], capture_output=True, text=True, timeout=60)
    return out.stdout.strip() == "true"


class Timeline:
    def __init__(self) -> None:
        self.t0 = time.time()
        self.events: list[tuple[float, str]] = []
        self.lock = threading.Lock()

    def add(self, what: str) -> None:
        with self.lock:
            self.events.append((time.time() - self.t0, what))
        log(what)


class Faults(threading.Thread):
    """Kills a random worker every 10–20 s; restarts RabbitMQ once and cuts PostgreSQL once."""

    def __init__(self, workers: Workers, proxy: TcpProxy, timeline: Timeline, duration: float, rng: random.Random,
                 *, broker_at: float, db_at: float, db_outage_s: float, kill_every: tuple[float, float]) -> None:
        super().__init__(daemon=True, name="faults")
        self.workers, self.proxy, self.timeline, self.duration, self.rng = workers, proxy, timeline, duration, rng
        self.broker_at, self.db_at, self.db_outage_s, self.kill_every = broker_at, db_at, db_outage_s, kill_every
        self.stop = threading.Event()
        self.kills = 0
        self.broker_down = False
        self.db_cut = False
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self._run()
        except BaseException as e:  # noqa: BLE001 - reported by the main thread, services restored in finally
            self.error = e
            self.timeline.add(f"fault thread error: {type(e).__name__}: {e}")
        finally:
            self.restore()

    def restore(self) -> None:
        if self.db_cut:
            self.proxy.restore()
            self.db_cut = False
            self.timeline.add("PostgreSQL reachable again (proxy restored)")
        if self.broker_down:
            rabbit("start_app")
            self.broker_down = False
            self.timeline.add("RabbitMQ app started (restore)")

    def _run(self) -> None:
        start = time.monotonic()
        next_kill = start + self.rng.uniform(*self.kill_every)
        broker_done = db_done = False
        db_restore_at = None
        while not self.stop.is_set():
            now = time.monotonic()
            t = now - start
            if t >= self.duration:
                break
            if db_restore_at is not None and now >= db_restore_at:
                self.proxy.restore()
                self.db_cut = False
                db_restore_at = None
                self.timeline.add("PostgreSQL reachable again (proxy restored)")
            if not broker_done and t >= self.broker_at:
                broker_done = True
                self.timeline.add("RabbitMQ stop_app")
                self.broker_down = True
                rabbit("stop_app")
                self.stop.wait(5)
                rabbit("start_app")
                self.broker_down = False
                self.timeline.add("RabbitMQ start_app done")
                continue
            if not db_done and t >= self.db_at:
                db_done = True
                self.db_cut = True
                self.proxy.cut()
                db_restore_at = now + self.db_outage_s
                self.timeline.add(f"PostgreSQL cut for the workers ({self.db_outage_s:.0f} s)")
            if now >= next_kill:
                next_kill = now + self.rng.uniform(*self.kill_every)
                name = self.rng.choice(sorted(self.workers.procs))
                self.workers.kill(name)
                self.kills += 1
                self.timeline.add(f"SIGKILL {name}")
                self.stop.wait(self.rng.uniform(0.2, 1.5))
                self.workers.restart(name)
            self.stop.wait(0.2)


def drill(args) -> dict[str, Any]:
    rng = random.Random(args.seed)
    duration = args.minutes * 60
    home = Path(tempfile.mkdtemp(prefix="ap-drill-"))
    backend = make_backend("production", home, lease_s=args.lease_s)
    proxy = TcpProxy(LOCAL, 5432)
    workers = None
    faults = None
    sampler = None
    timeline = Timeline()
    try:
        settings = backend.settings
        assert "@127.0.0.1:5432/" in settings.database_url and "@127.0.0.1:5672/" in settings.broker_url
        sessions = prepared(settings)
        n_actions = int(duration * args.rate * 0.74 * 1.15) + 20
        n_messages = int(duration * args.rate * 0.20 * 1.15) + 20
        n_recordings = int(duration * args.recording_rate * 1.2) + 3
        world = seed_world(sessions, orgs=3, reps_per_org=10)
        actions = seed_actions(sessions, settings, world, n_actions, rng)
        messages = seed_messages(sessions, world, n_messages, rng)
        recordings = seed_recordings(sessions, settings, world, n_recordings, rng)
        long_calls = seed_recordings(sessions, settings, world, args.long_calls, rng, clips=("stereo_call_rep_left.wav",))
        n_bad = int(args.fuzz_per_min * args.minutes)
        bad = fuzz_cases(n_bad, seed=args.seed)
        log(f"seeded {len(actions)} actions, {len(messages)} messages, {len(recordings)}+{len(long_calls)} "
            f"recordings, {len(bad)} fuzzed bad messages")
        warm_model()
        via_proxy = settings.database_url.replace(f"{LOCAL}:5432", f"{LOCAL}:{proxy.port}")
        env = worker_env(settings, database_url=via_proxy, ACTIONPROOF_NOT_FOUND_WINDOW_S=args.not_found_s,
                         ACTIONPROOF_SWEEP_INTERVAL_S=15)
        workers = Workers(env, home / "logs")
        for name, queues in (("verify-1", "verify"), ("verify-2", "verify"), ("transcribe", "transcribe"),
                             ("analyze", "analyze,score")):
            workers.start(name, queues)
        ledger = Ledger()
        pub = CrmPublisher(settings, ledger)
        sampler = DepthSampler(settings, every=2.0)
        sampler.start()
        timeline = Timeline()
        timeline.add(f"load starts: {args.rate} jobs/s + {args.fuzz_per_min / 60:.0f} bad/s for {duration:.0f} s")
        faults = Faults(workers, proxy, timeline, duration, rng, broker_at=duration * 0.3, db_at=duration * 0.6,
                        db_outage_s=args.db_outage_s, kill_every=(10, 20))
        faults.start()

        kinds, weights = zip(*MIX)
        start = time.monotonic()
        resolved: set[int] = set()
        pending_alerts: list = []
        next_poll = next_rec = start
        bad_every = 60.0 / args.fuzz_per_min if args.fuzz_per_min else None
        next_bad = start
        long_at = [start + duration * f for f in (0.25, 0.55)][:len(long_calls)]
        i = 0
        while time.monotonic() - start < duration:
            now = time.monotonic()
            if now >= next_poll:
                next_poll = now + 3.0
                pending_alerts = [a for a in open_alerts(sessions, resolved) if a[2] is not None]
            if long_at and now >= long_at[0]:
                long_at.pop(0)
                org, rec = long_calls.pop()
                pub.job(job_message("recording.submitted/1", org, recording_id=rec), "long_call")
                continue
            if args.recording_rate and now >= next_rec:
                next_rec += 1 / args.recording_rate
                if recordings:
                    org, rec = recordings.pop()
                    pub.job(job_message("recording.submitted/1", org, recording_id=rec), "recording")
                continue
            if bad_every and now >= next_bad:
                next_bad += bad_every
                if bad:
                    pub.raw(bad.pop(), "bad")
                continue
            due = start + i / args.rate
            if now < due:
                time.sleep(max(0.0, min(due, next_bad if bad else due, next_rec) - now))
                continue
            i += 1
            kind = rng.choices(kinds, weights)[0]
            if kind == "resolution" and pending_alerts:
                alert_id, org, manager = pending_alerts.pop(0)
                resolved.add(alert_id)
                pub.job(resolution(alert_id, org, manager, rng), "resolution")
            elif kind == "message" and messages:
                org, m = messages.pop()
                pub.job(job_message("message.submitted/1", org, message_id=m), "message")
            elif actions:
                org, action, akind = actions.pop()
                pub.job(job_message("action.submitted/1", org, action_id=action), akind)
        timeline.add(f"load ends: {len(ledger.sent)} published, {len(ledger.confirmed())} confirmed")
        faults.stop.set()
        faults.join(timeout=180)
        timeline.add(f"faults over: {faults.kills} kills")
        drained = wait_until_final(sessions, ledger, args.drain_s,
                                   progress=lambda missing, open_: log(f"draining: {missing} published jobs not "
                                                                       f"final, {open_} rows open"))
        timeline.add(f"drained: {drained}")
        crashed = workers.crashed()
        sampler.stop.set()
        codes = workers.stop_all()
        pub.close()
        return audit(args, sessions, settings, ledger, workers, faults, timeline, crashed, codes, drained, sampler)
    finally:
        if faults is not None:
            faults.stop.set()
            faults.join(timeout=180)
            faults.restore()
        if not rabbit_running():
            rabbit("start_app")
            log("RabbitMQ app started (final restore)")
        proxy.close()
        if sampler is not None:
            sampler.stop.set()
        if workers is not None:
            workers.stop_all(timeout=30)
        if args.keep:
            log(f"kept {home} and the schema/queues of {backend.settings.queue_prefix}")
        else:
            backend.cleanup()
            shutil.rmtree(home, ignore_errors=True)


def audit(args, sessions, settings, ledger: Ledger, workers: Workers, faults: Faults, timeline: Timeline,
          crashed, codes, drained, sampler) -> dict[str, Any]:
    rows = job_rows(sessions)
    sent = ledger.sent
    confirmed = [x for x in sent if x.confirmed]
    unconfirmed = [x for x in sent if not x.confirmed]
    bad_ids = {x.job_id for x in sent if x.kind == "bad"}
    by_status: dict[str, int] = {}
    lost, wrong = [], []
    for x in confirmed:
        r = rows.get(x.job_id)
        if r is None or r["status"] not in ("done", "failed", "rejected", "dead_lettered"):
            lost.append(x.job_id)
            continue
        key = f"{r['status']}/{r['code']}" if r["code"] else r["status"]
        by_status[key] = by_status.get(key, 0) + 1
        if x.expect == "rejected" and r["status"] != "rejected":
            wrong.append((x.job_id, "expected rejected", key))
        if x.expect == "processed" and r["status"] in ("rejected", "dead_lettered"):
            wrong.append((x.job_id, "expected processed", key))
        if x.kind != "bad" and r["status"] != "done":
            wrong.append((x.job_id, f"good {x.kind} job", key))
    follow = {j: r for j, r in rows.items() if r["schema"] in ("customer.changed/1", "transcript.ready/1")
              and j not in {x.job_id for x in sent}}
    follow_status: dict[str, int] = {}
    for r in follow.values():
        key = f"{r['status']}/{r['code']}" if r["code"] else r["status"]
        follow_status[key] = follow_status.get(key, 0) + 1
    unconfirmed_fate = {}
    for x in unconfirmed:
        r = rows.get(x.job_id)
        key = "never arrived" if r is None else r["status"]
        unconfirmed_fate[key] = unconfirmed_fate.get(key, 0) + 1
    with connect(settings.broker_url) as conn:
        letters = dlq_list(conn, Topology(settings.queue_prefix), limit=100_000)
    letter_ids = [x["job_id"] for x in letters]
    not_bad_letters = sorted({j for j in letter_ids if j not in bad_ids})
    dead_lettered_rows = [j for j, r in rows.items() if r["status"] == "dead_lettered"]
    rejected_rows = {j for j, r in rows.items() if r["status"] == "rejected"}
    attempts = [r["attempts"] for j, r in rows.items() if r["status"] == "done"]
    depth_peak: dict[str, int] = {}
    for _t, row in sampler.samples:
        for q, v in row.items():
            if v is not None:
                depth_peak[q] = max(depth_peak.get(q, 0), v)
    return {
        "published": len(sent), "confirmed": len(confirmed), "unconfirmed": len(unconfirmed),
        "unconfirmed_fate": unconfirmed_fate, "published_by_kind": _count(x.kind for x in sent),
        "final_states": by_status, "follow_up_jobs": follow_status, "lost": len(lost), "lost_ids": lost[:20],
        "wrong_outcome": len(wrong), "wrong_examples": wrong[:20], "duplicates": duplicates(sessions),
        "results": result_counts(sessions),
        "dead_letters": {"messages": len(letters), "distinct_jobs": len(set(letter_ids)),
                         "not_bad_input": len(not_bad_letters), "not_bad_examples": not_bad_letters[:10],
                         "rejected_rows": len(rejected_rows), "rejected_not_bad": len(rejected_rows - bad_ids),
                         "dead_lettered_rows": len(dead_lettered_rows)},
        "attempts_of_done_jobs": _count(attempts), "kills": faults.kills, "worker_restarts": workers.starts,
        "workers_crashed_by_themselves": crashed, "exit_codes": codes, "drained": drained,
        "reconnects_logged": workers.log_lines("reconnecting"), "handovers_logged": workers.log_lines("handed over"),
        "recoveries_logged": workers.log_lines("recovered from a dead holder"),
        "internal_errors_logged": workers.log_lines('"error_code": "internal"'),
        "peak_queue_depth": depth_peak, "fault_error": repr(faults.error) if faults.error else None,
        "timeline": [(round(t, 1), what) for t, what in timeline.events],
    }


def _count(values) -> dict:
    out: dict = {}
    for v in values:
        out[v] = out.get(v, 0) + 1
    return dict(sorted(out.items(), key=lambda kv: str(kv[0])))


def print_summary(res: dict[str, Any]) -> None:
    print("\n=== fault drill summary (RabbitMQ + PostgreSQL) ===")
    print(f"published {res['published']}  confirmed {res['confirmed']}  not confirmed {res['unconfirmed']} "
          f"(their fate: {res['unconfirmed_fate'] or '-'})")
    print(f"published by kind: {res['published_by_kind']}")
    print(f"final states of confirmed jobs: {res['final_states']}")
    print(f"follow-up jobs (transcript.ready, customer.changed): {res['follow_up_jobs']}")
    print(f"lost: {res['lost']}   wrong outcome: {res['wrong_outcome']} {res['wrong_examples'][:5] or ''}")
    d = res["duplicates"]
    print(f"duplicated result rows: {sum(d.values())}  ({', '.join(f'{k}: {v}' for k, v in d.items())})")
    print(f"results stored: {res['results']}")
    dl = res["dead_letters"]
    print(f"dead letters: {dl['messages']} messages for {dl['distinct_jobs']} jobs; not bad input: "
          f"{dl['not_bad_input']}; rejected rows {dl['rejected_rows']} (not bad input: {dl['rejected_not_bad']}); "
          f"dead_lettered rows {dl['dead_lettered_rows']}")
    print(f"attempts of done jobs: {res['attempts_of_done_jobs']}")
    print(f"kills {res['kills']}, starts per worker {res['worker_restarts']}, crashed by themselves: "
          f"{res['workers_crashed_by_themselves'] or 'none'}; reconnects logged {res['reconnects_logged']}, "
          f"hand-overs {res['handovers_logged']}, recoveries {res['recoveries_logged']}, "
          f"internal errors {res['internal_errors_logged']}")
    print(f"peak queue depth: {res['peak_queue_depth']}; drained: {res['drained']}")
    print("timeline:")
    for t, what in res["timeline"]:
        print(f"  {t:>7.1f} s  {what}")
    ok = (res["lost"] == 0 and sum(d.values()) == 0 and res["wrong_outcome"] == 0 and dl["not_bad_input"] == 0
          and dl["dead_lettered_rows"] == 0 and not res["workers_crashed_by_themselves"] and res["drained"])
    print("RESULT:", "PASS" if ok else "FAIL")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--minutes", type=float, default=5.0)
    ap.add_argument("--rate", type=float, default=8.0, help="good CRM jobs/s (actions, messages, resolutions)")
    ap.add_argument("--recording-rate", type=float, default=0.1)
    ap.add_argument("--long-calls", type=int, default=2, help="37 s stereo calls (hand-over with a 10 s lease)")
    ap.add_argument("--fuzz-per-min", type=float, default=2000.0, help="fuzzed bad messages per minute")
    ap.add_argument("--db-outage-s", type=float, default=30.0)
    ap.add_argument("--lease-s", type=float, default=10.0)
    ap.add_argument("--not-found-s", type=float, default=5.0,
                    help="not_found window for the workers (fuzzed ids that name nothing)")
    ap.add_argument("--drain-s", type=float, default=420.0)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--wait-for-pytest-s", type=float, default=600.0)
    ap.add_argument("--json", type=Path)
    ap.add_argument("--keep", action="store_true")
    args = ap.parse_args()
    if shutil.which("rabbitmqctl") is None:
        sys.exit("rabbitmqctl is needed to restart RabbitMQ")
    deadline = time.monotonic() + args.wait_for_pytest_s
    while others_running_pytest():
        if time.monotonic() > deadline:
            sys.exit("another pytest is still running; the drill restarts the shared RabbitMQ — try later")
        log("waiting for other pytest runs to finish:", others_running_pytest()[0][:120])
        time.sleep(10)
    res = drill(args)
    print_summary(res)
    if args.json:
        args.json.write_text(json.dumps(res, indent=1, default=str))


if __name__ == "__main__":
    main()
