"""Reuse lookup time as one organisation's photo history grows: the pHash chunk index
(models.photo_lookup.near_photos, what verification runs) against the full scan
(near_photos_scan), on the embedded default (SQLite) and on PostgreSQL.

    .venv/bin/python -m bench.evidence --reuse-scale [--sizes 10k,100k,1M,10M] [--backends embedded,production]
        [--lookups 200] [--scan-max 1M] [--scan-lookups 20] [--dir PATH] [--json]

The history grows in steps to each size (random 64-bit hashes, one organisation; COPY on PostgreSQL,
executemany on SQLite, the chunk indexes dropped during each load and rebuilt after it). At each
size: `--lookups` lookups, half of random hashes (nothing near: the common case) and half of
near copies of stored hashes (0-10 bits away: a match to read), timed one by one after a warm-up;
the scan is timed up to `--scan-max` stored hashes with `--scan-lookups` lookups (it takes seconds
per lookup at a million) and extrapolated in proportion to the history beyond (marked "extrap.").
Every scanned target's matches are compared with the index's. The databases are removed at the end.
Goal (issue #16): p95 ≤ 20 ms at 1 million stored hashes, ≤ 100 ms at 10 million.
"""
from __future__ import annotations

import datetime as dt
import os
import random
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import text

from evidence.flags import FlagConfig
from evidence.phash import HASH_ALGORITHM
from models.db import make_engine, session_factory, upgrade
from models.functions import hash_chunks16
from models.photo_lookup import _masks, near_photos, near_photos_scan, probe_radii
from models.results import PHASH_CHUNKS

ORG = "org-scale"
GOALS = {1_000_000: 20.0, 10_000_000: 100.0}  # stored hashes: p95 ms
_COLUMNS = ("photo_id", "org_id", "action_id", "rep_id", "customer_id", "phash", "dhash", "hash_algorithm",
            *PHASH_CHUNKS, "read_at")
_READ_AT = "2026-01-01 00:00:00"


def parse_sizes(value: str) -> list[int]:
    """"10k,100k,1M,10M" → [10000, 100000, 1000000, 10000000]."""
    out = []
    for part in value.split(","):
        part = part.strip()
        mult = {"k": 1_000, "K": 1_000, "m": 1_000_000, "M": 1_000_000}.get(part[-1:], 1)
        out.append(int(float(part[:-1] if mult > 1 else part) * mult))
    return sorted(set(out))


def _label(n: int) -> str:
    return f"{n // 1_000_000}M" if n >= 1_000_000 and n % 1_000_000 == 0 else (
        f"{n // 1000}k" if n % 1000 == 0 else str(n))


class _History:
    """Random hashes with every 2000th kept, to look up near copies of stored photos."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.sample: list[str] = []

    def rows(self, start: int, stop: int) -> Iterator[tuple]:
        bits = self.rng.getrandbits
        for pid in range(start, stop):
            h = f"{bits(64):016x}"
            if pid % 2000 == 0:
                self.sample.append(h)
            yield (pid, ORG, 10_000_000_000 + pid, 1 + pid % 50, 1 + pid % 3000, h, f"{bits(64):016x}",
                   HASH_ALGORITHM, *hash_chunks16(h), _READ_AT)


def _load_sqlite(url: str, history: _History, start: int, stop: int) -> None:
    import sqlite3

    conn = sqlite3.connect(url.removeprefix("sqlite:///"))
    conn.execute("PRAGMA synchronous=OFF")
    conn.execute("PRAGMA cache_size=-262144")  # 256 MB while loading and building the indexes
    for c in PHASH_CHUNKS:
        conn.execute(f"DROP INDEX IF EXISTS ix_ap_photos_org_{c}")
    sql = f"INSERT INTO ap_photos ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})"
    rows = history.rows(start, stop)
    while True:
        batch = [r for _, r in zip(range(100_000), rows)]
        if not batch:
            break
        conn.executemany(sql, batch)
    conn.commit()
    for c in PHASH_CHUNKS:
        conn.execute(f"CREATE INDEX ix_ap_photos_org_{c} ON ap_photos (org_id, {c}, phash)")
    conn.execute("ANALYZE")
    conn.commit()
    conn.close()


def _load_pg(url: str, history: _History, start: int, stop: int) -> None:
    engine = make_engine(url)
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        cur.execute("SET maintenance_work_mem = '1GB'")
        cur.execute("SET synchronous_commit = off")
        for c in PHASH_CHUNKS:
            cur.execute(f"DROP INDEX IF EXISTS ix_ap_photos_org_{c}")
        with cur.copy(f"COPY ap_photos ({', '.join(_COLUMNS)}) FROM STDIN") as copy:
            buf: list[str] = []
            for r in history.rows(start, stop):
                buf.append("\t".join(map(str, r)))
                if len(buf) >= 50_000:
                    copy.write("\n".join(buf) + "\n")
                    buf.clear()
            if buf:
                copy.write("\n".join(buf) + "\n")
        for c in PHASH_CHUNKS:
            cur.execute(f"CREATE INDEX ix_ap_photos_org_{c} ON ap_photos (org_id, {c}, phash)")
        raw.commit()
        raw.driver_connection.autocommit = True
        cur.execute("VACUUM (ANALYZE) ap_photos")  # the visibility map lets the index be read alone
    finally:
        raw.close()
        engine.dispose()


def _size_on_disk(url: str, backend: str) -> int:
    if backend == "embedded":
        path = url.removeprefix("sqlite:///")
        return sum(os.path.getsize(p) for p in (path, path + "-wal") if os.path.exists(p))
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.scalar(text("SELECT pg_total_relation_size('ap_photos')")))
    finally:
        engine.dispose()


def _targets(history: _History, n: int, rng: random.Random, threshold: int) -> list[str]:
    out = []
    for i in range(n):
        if i % 2 == 0 or not history.sample:
            out.append(f"{rng.getrandbits(64):016x}")
        else:
            value = int(rng.choice(history.sample), 16)
            for b in rng.sample(range(64), rng.randint(0, threshold)):
                value ^= 1 << b
            out.append(f"{value:016x}")
    return out


def _time(lookup: Callable[[str], Any], targets: list[str]) -> tuple[list[float], list[Any]]:
    times, results = [], []
    for h in targets:
        t0 = time.perf_counter()
        results.append(lookup(h))
        times.append(1000 * (time.perf_counter() - t0))
    return times, results


def _pct(times: list[float]) -> dict[str, float]:
    if len(times) < 2:
        return {"p50": times[0], "p95": times[0]} if times else {}
    q = statistics.quantiles(times, n=100, method="inclusive")
    return {"p50": statistics.median(times), "p95": q[94]}


def _measure_backend(backend: str, url: str, sizes: list[int], lookups: int, scan_max: int, scan_lookups: int,
                     threshold: int, log: Callable[[str], None]) -> list[dict[str, Any]]:
    upgrade(url)
    history = _History(seed=16)
    rng = random.Random(4)
    loaded = 0
    out = []
    for size in sizes:
        t0 = time.perf_counter()
        (_load_sqlite if backend == "embedded" else _load_pg)(url, history, loaded, size)
        load_s = time.perf_counter() - t0
        loaded = size
        engine = make_engine(url)
        sessions = session_factory(engine)
        row: dict[str, Any] = {"size": size, "load_s": round(load_s, 1),
                               "mb_on_disk": round(_size_on_disk(url, backend) / 2**20)}
        with sessions() as s:
            def indexed(h: str) -> list:
                return [tuple(r) for r in near_photos(s, ORG, h, threshold, exclude_action_id=-1,
                                                      algorithm=HASH_ALGORITHM)]

            def scan(h: str) -> list:
                return [tuple(r) for r in near_photos_scan(s, ORG, h, threshold, exclude_action_id=-1,
                                                           algorithm=HASH_ALGORITHM)]

            _time(indexed, _targets(history, 20, rng, threshold))  # warm-up
            targets = _targets(history, lookups, rng, threshold)
            times, found = _time(indexed, targets)
            row["index"] = _pct(times)
            row["index_matches"] = sum(len(f) for f in found)
            if size <= scan_max:
                chosen = targets[:scan_lookups]
                _time(scan, chosen[:1])  # warm-up
                stimes, sfound = _time(scan, chosen)
                row["scan"] = _pct(stimes)
                row["same_matches"] = f"{sum(a == b for a, b in zip(sfound, found))}/{len(chosen)}"
        engine.dispose()
        out.append(row)
        log(f"  {backend} {_label(size)}: index p50 {row['index']['p50']:.2f} ms / p95 {row['index']['p95']:.2f} ms"
            + (f", scan p50 {row['scan']['p50']:.1f} ms / p95 {row['scan']['p95']:.1f} ms" if "scan" in row else "")
            + f" (load {load_s:.0f} s, {row['mb_on_disk']} MB)")
    # The scan beyond --scan-max: in proportion to the history, from the largest measured size.
    measured = [r for r in out if "scan" in r]
    if measured:
        base = measured[-1]
        for r in out:
            if "scan" not in r:
                k = r["size"] / base["size"]
                r["scan"] = {p: v * k for p, v in base["scan"].items()}
                r["scan_extrapolated"] = True
    return out


def reuse_scale(sizes: list[int], backends: list[str], lookups: int = 200, scan_max: int = 1_000_000,
                scan_lookups: int = 20, workdir: str | None = None,
                log: Callable[[str], None] = print) -> dict[str, Any]:
    from tests.support import PG_URL, drop_pg_schema, pg_schema

    threshold = FlagConfig().phash_threshold
    radii = probe_radii(threshold)
    share = 1 - _prod(1 - len(_masks(r)) / 65536 for r in radii)
    result: dict[str, Any] = {"threshold": threshold, "radii": list(radii),
                              "probes": sum(len(_masks(r)) for r in radii),
                              "candidate_share_random": share, "lookups": lookups, "scan_lookups": scan_lookups,
                              "scan_max": scan_max, "at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
                              "load_avg": _loadavg(), "backends": {}}
    for backend in backends:
        if backend == "embedded":
            folder = tempfile.mkdtemp(prefix="reuse-scale-", dir=workdir)
            try:
                result["backends"][backend] = _measure_backend(
                    backend, f"sqlite:///{folder}/actionproof.db", sizes, lookups, scan_max, scan_lookups,
                    threshold, log)
            finally:
                shutil.rmtree(folder, ignore_errors=True)
        elif backend == "production":
            url, schema = pg_schema(PG_URL)
            try:
                result["backends"][backend] = _measure_backend(backend, url, sizes, lookups, scan_max,
                                                               scan_lookups, threshold, log)
            finally:
                drop_pg_schema(schema, PG_URL)
        else:
            raise SystemExit(f"unknown backend {backend!r} (embedded, production)")
    result["load_avg_after"] = _loadavg()
    return result


def _prod(values) -> float:
    p = 1.0
    for v in values:
        p *= v
    return p


def _loadavg() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "n/a"


def print_reuse_scale(r: dict[str, Any]) -> None:
    print(f"reuse lookup, one organisation, threshold {r['threshold']} bits: chunk radii {r['radii']} "
          f"({r['probes']} probed values), expected candidates {100 * r['candidate_share_random']:.2f} % "
          f"of random stored hashes")
    print(f"{r['lookups']} lookups per size (half random hashes, half near copies of stored ones); scan: "
          f"{r['scan_lookups']} lookups up to {_label(r['scan_max'])} stored hashes, beyond in proportion "
          f"(extrap.); load average {r['load_avg']} before, {r['load_avg_after']} after")
    names = {"embedded": "embedded (SQLite)", "production": "PostgreSQL"}
    for backend, rows in r["backends"].items():
        print(f"\n{names.get(backend, backend)}")
        print(f"  {'stored':>7}  {'index p50':>10} {'index p95':>10}  {'scan p50':>10} {'scan p95':>10}  "
              f"{'same':>6}  {'load s':>6}  {'MB':>6}")
        for row in rows:
            sc = row.get("scan", {})
            mark = " extrap." if row.get("scan_extrapolated") else ""
            print(f"  {_label(row['size']):>7}  {row['index']['p50']:>8.2f}ms {row['index']['p95']:>8.2f}ms  "
                  f"{sc.get('p50', float('nan')):>8.1f}ms {sc.get('p95', float('nan')):>8.1f}ms  "
                  f"{row.get('same_matches', '-'):>6}  {row['load_s']:>6.0f}  {row['mb_on_disk']:>6}{mark}")
    print("\ngoal (issue #16): index p95 ≤ 20 ms at 1M stored hashes, ≤ 100 ms at 10M")
    for backend, rows in r["backends"].items():
        for row in rows:
            goal = GOALS.get(row["size"])
            if goal is not None:
                p95 = row["index"]["p95"]
                print(f"  {names.get(backend, backend)} at {_label(row['size'])}: p95 {p95:.1f} ms vs {goal:.0f} ms "
                      f"— {'met' if p95 <= goal else 'NOT met'}; scan p95 {row['scan']['p95']:.0f} ms"
                      f"{' (extrap.)' if row.get('scan_extrapolated') else ''}, "
                      f"{row['scan']['p95'] / p95:.0f}× the index")
