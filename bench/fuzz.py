"""Fuzzed messages at volume: 10,000+ hypothesis cases (tests/fuzzing.py) of every schema in
queues/schemas.py published raw through the real broker to real worker processes.

    .venv/bin/python -m bench.fuzz [--cases 10000] [--backend production|embedded|both]

Checks: no worker process dies or reconnects, every case ends in exactly one ap_jobs row in a
final state (rejected invalid_message / unknown_schema, or done / failed with a contract code —
never `internal`), each rejected case is dead-lettered, nothing stays in the queues. Prints the
counts by outcome and by kind of damage. (bench/drill.py mixes the same cases into its fault drill.)
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

from bench._mix import CrmPublisher, Ledger, Workers, dlq_depths, fuzz_cases, log, make_backend, worker_env
from models import ApJob
from queues.schemas import JOB_QUEUES
from tests.fuzzing import check_rows
from tests.support import prepared, seed_world


def run(backend_name: str, n: int, seed: int, workers_n: int, home: Path) -> dict:
    backend = make_backend(backend_name, home)
    workers = None
    try:
        settings = backend.settings
        sessions = prepared(settings)
        world = seed_world(sessions, settings, org_id="fuzz-org")  # fuzzed ids 1..50 sometimes name these rows
        for _ in range(3):
            world.visit(sessions)
        t = time.monotonic()
        cases = fuzz_cases(n, seed=seed)
        log(f"{backend_name}: generated {len(cases)} cases in {time.monotonic() - t:.0f} s")
        ledger = Ledger()
        pub = CrmPublisher(settings, ledger)
        t = time.monotonic()
        for case in cases:
            pub.raw(case)
        pub.close()
        log(f"{backend_name}: published {len(ledger.confirmed())}/{len(cases)} in {time.monotonic() - t:.0f} s")
        env = worker_env(settings, ACTIONPROOF_NOT_FOUND_WINDOW_S=0, ACTIONPROOF_LOG_LEVEL="WARNING")
        workers = Workers(env, home / "logs")
        t = time.monotonic()
        for i in range(workers_n):
            workers.start(f"all-{i + 1}", ",".join(JOB_QUEUES))
        deadline = time.monotonic() + 900
        while time.monotonic() < deadline:
            time.sleep(2)
            with sessions() as s:
                count = len(s.scalars(select(ApJob.job_id).where(ApJob.status.in_(
                    ("done", "failed", "rejected", "dead_lettered")))).all())
            if count >= len(cases) and not workers.crashed():
                break
            if workers.crashed():
                break
        elapsed = time.monotonic() - t
        time.sleep(2)
        crashed = workers.crashed()
        codes = workers.stop_all()
        with sessions() as s:
            rows = {j.job_id: (j.status, j.error_code) for j in s.scalars(select(ApJob))}
        rows = {k: v for k, v in rows.items() if not k.startswith("changed-")}
        report = check_rows(cases, rows)
        letters = dlq_depths(settings)
        rejected = sum(v for k, v in report["outcomes"].items() if k.startswith("rejected"))
        return {"backend": backend_name, "cases": len(cases), "seconds": round(elapsed, 1),
                "per_s": round(len(cases) / elapsed, 1), "outcomes": report["outcomes"], "kinds": report["kinds"],
                "problems": report["problems"], "crashed": crashed, "exit_codes": codes,
                "reconnects": workers.log_lines("reconnecting"), "internal": workers.log_lines("job raised"),
                "dead_letters": sum(letters.values()), "rejected": rejected}
    finally:
        if workers is not None:
            workers.stop_all(timeout=20)
        backend.cleanup()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=10_000)
    ap.add_argument("--backend", choices=("production", "embedded", "both"), default="both")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--seed", type=int, default=11)
    args = ap.parse_args()
    names = ("production", "embedded") if args.backend == "both" else (args.backend,)
    ok = True
    with tempfile.TemporaryDirectory(prefix="ap-fuzz-") as tmp:
        for name in names:
            res = run(name, args.cases, args.seed, args.workers, Path(tmp) / name)
            good = not res["problems"] and not res["crashed"] and not res["reconnects"] and not res["internal"] \
                and res["dead_letters"] >= res["rejected"]
            ok &= good
            print(f"\n=== fuzz, {name}: {res['cases']} cases, {args.workers} worker processes, "
                  f"{res['seconds']} s ({res['per_s']} cases/s) ===")
            print(f"outcomes: {res['outcomes']}")
            print(f"kinds of damage: {res['kinds']}")
            print(f"worker crashes: {len(res['crashed'])}, reconnects: {res['reconnects']}, internal errors: "
                  f"{res['internal']}, dead letters: {res['dead_letters']} for {res['rejected']} rejected cases")
            print(f"problems: {len(res['problems'])}" + "".join(f"\n  {p}" for p in res["problems"][:20]))
    print("RESULT:", "PASS" if ok else "FAIL")


if __name__ == "__main__":
    main()
