"""The indexed reuse lookup (multi-index hashing, models.photo_lookup) finds exactly what the full scan
finds, on both backends: random hashes, real-photo hashes and their copies, hashes exactly at the
threshold and one bit beyond, split across the chunks in the way hardest for the index. The chunk
columns stay equal to the hash whoever writes the row, and migration 0012 fills them for old rows."""
from __future__ import annotations

import datetime as dt
import random

import pytest
from alembic import command
from sqlalchemy import insert, inspect, select, text, update
from sqlalchemy.exc import IntegrityError

from evidence.flags import DEFAULT_FLAG_CONFIG
from evidence.phash import HASH_ALGORITHM, photo_hash
from evidence.photo_writer import make_copies
from models import ApPhoto
from models.db import alembic_config, make_engine, session_factory, upgrade
from models.functions import hash_chunks16
from models.photo_lookup import CHUNK_BITS, CHUNKS, near_photos, near_photos_scan, probe_radii
from models.results import PHASH_CHUNKS
from tests.fielddata import PHOTOS

T = DEFAULT_FLAG_CONFIG.phash_threshold
NOW = dt.datetime(2026, 12, 1, tzinfo=dt.timezone.utc)
ORG, OTHER_ORG = "org-a", "org-b"
REAL_SOURCES = [*(f"jpg/gps/DSCN00{n}.jpg" for n in ("10", "12", "21", "25", "27", "29")),
                "jpg/hdr/iphone_hdr_NO.jpg", "jpg/mobile/HMD_Nokia_8.3_5G.jpg", "jpg/mobile/jolla.jpg",
                "jpg/tests/11-tests.jpg", "jpg/tests/22-canon_tags.jpg", "jpg/tests/45-gps_ifd.jpg"]
COPIED = REAL_SOURCES[:3]


def _spread(hex_: str, distance: int, rng: random.Random, *, uneven: bool = False) -> str:
    """A hash `distance` bits from hex_: the bits spread over the chunks as evenly as possible (each
    chunk then differs by more than the smaller radii: the case the pigeonhole bound is about), or
    unevenly at random."""
    value = int(hex_, 16)
    if uneven:
        flips = rng.sample(range(64), distance)
    else:
        per_chunk = [distance // CHUNKS + (1 if i < distance % CHUNKS else 0) for i in range(CHUNKS)]
        rng.shuffle(per_chunk)
        flips = [c * CHUNK_BITS + b for c, k in enumerate(per_chunk) for b in rng.sample(range(CHUNK_BITS), k)]
    for b in flips:
        value ^= 1 << b
    return f"{value:016x}"


@pytest.fixture(scope="module")
def real_hashes() -> dict[str, str]:
    """pHashes of field-data photos and of copies of three of them (re-encoded, resized, cropped,
    screenshots): hashes as the workers store them, with their uneven bit statistics."""
    found = {}
    for name in REAL_SOURCES:
        data = (PHOTOS / name).read_bytes()
        found[name] = photo_hash(data).hash_hex
        if name in COPIED:
            for kind, copy in make_copies(data).items():
                found[f"{name}:{kind}"] = photo_hash(copy).hash_hex
    assert all(found.values())
    return found


def _row(photo_id: int, phash: str | None, *, org: str = ORG, action: int | None = None,
         algorithm: str | None = HASH_ALGORITHM) -> dict:
    return {"photo_id": photo_id, "org_id": org, "action_id": action if action is not None else 1_000_000 + photo_id,
            "rep_id": 1, "customer_id": photo_id % 7, "phash": phash, "dhash": phash, "hash_algorithm": algorithm,
            "gps_time_utc": NOW - dt.timedelta(minutes=photo_id), "read_at": NOW}


def _store(sessions, rows: list[dict]) -> None:
    """Bulk load with the chunks given (the ORM's defaults are another test's subject): COPY on
    PostgreSQL, executemany on SQLite."""
    rows = [{**r, **dict(zip(PHASH_CHUNKS, hash_chunks16(r["phash"])))} for r in rows]
    columns = list(rows[0])
    with sessions() as s, s.begin():
        conn = s.connection()
        if conn.dialect.name != "postgresql":
            s.execute(ApPhoto.__table__.insert(), rows)
            return
        with conn.connection.driver_connection.cursor() as cur:
            with cur.copy(f"COPY ap_photos ({', '.join(columns)}) FROM STDIN") as copy:
                for r in rows:
                    copy.write_row([r[c] for c in columns])


def _both(sessions, target: str, threshold: int = T, **kw) -> list[tuple]:
    with sessions() as s:
        scan = [tuple(r) for r in near_photos_scan(s, ORG, target, threshold, **kw)]
        indexed = [tuple(r) for r in near_photos(s, ORG, target, threshold, **kw)]
    assert indexed == scan, (target, threshold)
    return indexed


def _distances(target: str, rows: list[tuple]) -> list[int]:
    return [(int(target, 16) ^ int(r[2], 16)).bit_count() for r in rows]


def test_index_lookup_equals_full_scan_on_random_hashes(backend, sessions):
    rng = random.Random(16)
    rows = [_row(i, f"{rng.getrandbits(64):016x}") for i in range(20_000)]
    targets = [f"{rng.getrandbits(64):016x}" for _ in range(20)]
    pid = 100_000
    for target in targets:
        # Around each target: every distance from 0 to T + 2, spread evenly and at random.
        for distance in [*range(T + 3), T, T + 1]:
            for uneven in (False, True):
                rows.append(_row(pid, _spread(target, distance, rng, uneven=uneven)))
                pid += 1
    # What a match must not be: the action being judged, another organisation, another hash algorithm.
    rows.append(_row(pid, targets[0], action=777))
    rows.append(_row(pid + 1, targets[0], org=OTHER_ORG))
    rows.append(_row(pid + 2, targets[0], algorithm="phash64/v0"))
    rows.append(_row(pid + 3, targets[0], algorithm=None))  # no algorithm recorded: compared
    rows.append(_row(pid + 4, None))
    rows += [_row(200_000 + i, f"{rng.getrandbits(64):016x}", org=OTHER_ORG) for i in range(2_000)]
    _store(sessions, rows)

    seen: set[int] = set()
    for target in targets:
        found = _both(sessions, target, exclude_action_id=777, algorithm=HASH_ALGORITHM)
        assert max(_distances(target, found)) == T
        seen.update(_distances(target, found))
    assert seen == set(range(T + 1))
    found = _both(sessions, targets[0], exclude_action_id=777, algorithm=HASH_ALGORITHM)
    assert pid + 3 in [r[0] for r in found] and not {pid, pid + 1, pid + 2} & {r[0] for r in found}
    # Without the exclusions those rows are found too, by both lookups alike.
    assert {pid, pid + 2} <= {r[0] for r in _both(sessions, targets[0])}
    # Other thresholds: the radii follow the threshold (at 11 all four chunks are probed within 2 bits).
    for threshold in (0, 3, 7, 11, 13):
        for target in targets[:3]:
            assert max(_distances(target, _both(sessions, target, threshold)), default=0) <= threshold
    # A hash nothing is near, and a malformed one.
    assert _both(sessions, f"{int(targets[0], 16) ^ 0xFFFF_FFFF_FFFF_FFFF:016x}") == []
    assert _both(sessions, "not-a-hash") == []


def test_index_lookup_equals_full_scan_on_real_photo_hashes(backend, sessions, real_hashes):
    rng = random.Random(17)
    rows = [_row(i, f"{rng.getrandbits(64):016x}") for i in range(10_000)]
    pid = 100_000
    for name, h in real_hashes.items():
        rows.append(_row(pid, h))
        pid += 1
        if ":" not in name:
            for distance in (T - 1, T, T + 1):
                rows.append(_row(pid, _spread(h, distance, rng)))
                pid += 1
    _store(sessions, rows)
    for name, h in real_hashes.items():
        found = _both(sessions, h, algorithm=HASH_ALGORITHM)
        assert _distances(h, found).count(0) >= 1
        if ":" not in name:
            assert T in _distances(h, found) and T + 1 not in _distances(h, found)
    for name in COPIED:  # every copy is found from its original (docs/evidence.md: all within 10 bits but one)
        found = {r[2] for r in _both(sessions, real_hashes[name])}
        copies = {k: h for k, h in real_hashes.items() if k.startswith(f"{name}:") and k != f"{name}:cropped_5pct_edge"}
        assert set(copies.values()) <= found, name


def test_chunk_columns_follow_the_hash_whoever_writes_it(backend, sessions):
    rng = random.Random(18)
    h1, h2 = (f"{rng.getrandbits(64):016x}" for _ in range(2))
    with sessions() as s, s.begin():
        s.add(ApPhoto(photo_id=1, org_id=ORG, action_id=1, rep_id=1, phash=h1, read_at=NOW))  # ORM
        s.add(ApPhoto(photo_id=2, org_id=ORG, action_id=2, rep_id=1, read_at=NOW))  # no hash
        s.execute(insert(ApPhoto), [_row(3, h2), _row(4, None)])  # bulk, chunks left to the defaults
    with sessions() as s, s.begin():
        s.get(ApPhoto, 1).phash = h2  # a re-hash
        s.get(ApPhoto, 2).phash = h1
        s.get(ApPhoto, 3).phash = None
    with sessions() as s:
        got = {r.photo_id: (r.phash_c0, r.phash_c1, r.phash_c2, r.phash_c3) for r in s.scalars(select(ApPhoto))}
    assert got == {1: hash_chunks16(h2), 2: hash_chunks16(h1), 3: (None,) * 4, 4: (None,) * 4}
    # A writer that sets the hash but wrong or no chunks is refused by the database.
    wrong = {**_row(5, h1), **dict(zip(PHASH_CHUNKS, hash_chunks16(h1))), "phash_c2": hash_chunks16(h1)[2] ^ 1}
    with sessions() as s, pytest.raises(IntegrityError):
        with s.begin():
            s.execute(ApPhoto.__table__.insert(), [wrong])
    with sessions() as s, pytest.raises(IntegrityError):
        with s.begin():
            s.execute(text("INSERT INTO ap_photos (photo_id, org_id, action_id, rep_id, phash, read_at) "
                           "VALUES (6, 'org-a', 6, 1, :h, :at)"), {"h": h1, "at": NOW.replace(tzinfo=None)})
    with sessions() as s, pytest.raises(IntegrityError):
        with s.begin():
            s.execute(update(ApPhoto).where(ApPhoto.photo_id == 1).values(phash=h1))  # chunks left stale


def test_migration_0012_fills_the_chunks_of_earlier_photos_and_goes_back(backend):
    url = backend.database_url
    upgrade(url, "0011")
    rng = random.Random(19)
    hashes = {i: f"{rng.getrandbits(64):016x}" for i in range(1, 50)} | {50: None, 51: "0000000000000000",
                                                                         52: "ffffffffffffffff"}
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO ap_photos (photo_id, org_id, action_id, rep_id, phash, hash_algorithm, "
                          "read_at) VALUES (:p, 'org-a', :p, 1, :h, :a, :at)"),
                     [{"p": p, "h": h, "a": HASH_ALGORITHM, "at": NOW.replace(tzinfo=None)} for p, h in hashes.items()])
    engine.dispose()
    upgrade(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        got = {r[0]: tuple(r[1:]) for r in conn.execute(text(f"SELECT photo_id, {', '.join(PHASH_CHUNKS)} "
                                                                "FROM ap_photos"))}
        assert {f"ix_ap_photos_org_{c}" for c in PHASH_CHUNKS} <= {i["name"] for i in inspect(conn).get_indexes("ap_photos")}
    assert got == {p: hash_chunks16(h) for p, h in hashes.items()}
    with session_factory(engine)() as s:  # the migrated rows are found through the index
        target = hashes[7]
        assert [r.photo_id for r in near_photos(s, "org-a", target, T)] == [7]
        assert [tuple(r) for r in near_photos(s, "org-a", target, 64)] == [tuple(r) for r in near_photos_scan(
            s, "org-a", target, 64)]
    engine.dispose()

    command.downgrade(alembic_config(url), "0011")
    engine = make_engine(url)
    with engine.connect() as conn:
        columns = {c["name"] for c in inspect(conn).get_columns("ap_photos")}
        kept = dict(conn.execute(text("SELECT photo_id, phash FROM ap_photos")).all())
    engine.dispose()
    assert not columns & set(PHASH_CHUNKS) and kept == hashes
    upgrade(url)  # and up again


def test_probe_radii_of_the_configured_threshold():
    assert probe_radii(T) == (1, 2, 2, 2)
