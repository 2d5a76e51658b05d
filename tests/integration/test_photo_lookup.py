"""Reuse lookup in the database: the SQL Hamming distance equals Python's on both backends, and a
verification finds a near (not only identical) earlier photo among the organisation's history."""
from __future__ import annotations

import datetime as dt
import random

import pytest
from sqlalchemy import literal, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.exc import DataError, IntegrityError

from evidence.flags import DEFAULT_FLAG_CONFIG
from evidence.phash import photo_hash
from models import ApCheck, ApPhoto, ApVerdict
from models.functions import hamming64
from queues.broker import connect
from queues.publisher import Publisher, job_message
from queues.topology import Topology
from tests.support import IDLE_S, seed_world
from workers.app import make_worker


def _flip(hex_: str, bits: int, rng: random.Random) -> str:
    value = int(hex_, 16)
    for b in rng.sample(range(64), bits):
        value ^= 1 << b
    return f"{value:016x}"


def test_sql_hamming_matches_python(backend, sessions):
    rng = random.Random(5)
    pairs = []
    for _ in range(200):
        a = f"{rng.getrandbits(64):016x}"
        pairs.append((a, _flip(a, rng.randint(0, 64), rng)))
    pairs += [("ffffffffffffffff", "0000000000000000"), ("0123456789abcdef", "0123456789abcdef")]
    old_pg = None
    if sessions.kw["bind"].dialect.name == "postgresql":
        old_pg = postgresql.dialect()
        old_pg.server_version_info = (13, 0)  # no bit_count(): the text-form count is used
    with sessions() as s:
        for a, b in pairs:
            want = (int(a, 16) ^ int(b, 16)).bit_count()
            got = s.scalar(select(hamming64(literal(a), literal(b))))
            assert got == want, (a, b, got)
            if old_pg is not None:
                sql = str(select(hamming64(literal(a), literal(b))).compile(
                    dialect=old_pg, compile_kwargs={"literal_binds": True}))
                assert "bit_count" not in sql and s.scalar(text(sql)) == want, sql


@pytest.mark.parametrize("column", ["phash", "dhash"])
def test_malformed_hashes_are_refused_by_the_database(backend, sessions, column):
    """SQL compares the stored hashes, so the database keeps them well formed (one bad row would
    otherwise break every later verification of the organisation)."""
    now = dt.datetime.now(dt.timezone.utc)
    for bad in ("zzzzzzzzzzzzzzzz", "abc", "0123456789ABCDEF", "0123456789abcdef0"):
        with sessions() as s, pytest.raises((IntegrityError, DataError)):  # DataError: too long for PostgreSQL
            with s.begin():
                s.add(ApPhoto(photo_id=77, org_id="org-x", action_id=1, rep_id=1, read_at=now, **{column: bad}))
    with sessions() as s, s.begin():
        s.add(ApPhoto(photo_id=78, org_id="org-x", action_id=1, rep_id=1, read_at=now, **{column: "0123456789abcdef"}))


def test_verification_finds_a_near_photo_among_many(backend, sessions):
    world = seed_world(sessions, backend)
    action = world.visit(sessions)
    path = backend.media_root / f"photos/{world.org_id}-{action}.jpg"
    h = photo_hash(path.read_bytes())
    threshold = DEFAULT_FLAG_CONFIG.phash_threshold
    rng = random.Random(9)
    now = dt.datetime.now(dt.timezone.utc)
    with sessions() as s, s.begin():
        # 300 unrelated photos, one just outside the threshold, one just inside.
        rows = [(f"{rng.getrandbits(64):016x}", 900_000 + i) for i in range(300)]
        rows += [(_flip(h.hash_hex, threshold + 1, rng), 800_001), (_flip(h.hash_hex, threshold, rng), 800_002)]
        for i, (phash, other_action) in enumerate(rows):
            s.add(ApPhoto(photo_id=10_000_000 + i, org_id=world.org_id, action_id=other_action, rep_id=world.rep_id,
                          customer_id=None, phash=phash, dhash=h.dhash_hex, hash_algorithm=h.algorithm,
                          read_at=now))
    pub = Publisher(connect(backend.broker_url), Topology(backend.queue_prefix))
    pub.publish_job(job_message("action.submitted/1", world.org_id, action_id=action))
    pub.connection.release()
    assert make_worker(backend, ["verify"]).run(until_idle=IDLE_S, max_seconds=120)["done"] == 1
    with sessions() as s:
        v = s.scalar(select(ApVerdict).where(ApVerdict.action_id == action))
        reused = [c for c in s.scalars(select(ApCheck).where(ApCheck.verdict_id == v.id))
                  if c.rule == "photo_reused" and not c.passed]
        assert [(c.ref, c.value_num) for c in reused] == [("action:800002", threshold)]
        assert v.status == "pending_verification"
