"""The organisation's stored photos within a pHash distance of a new photo (the reuse lookup).

Two lookups with one answer:

* `near_photos_scan`: the database computes the Hamming distance to every stored hash of the
  organisation (`models.functions.hamming64`). Its time grows with the organisation's history.
* `near_photos`: multi-index hashing. The 64-bit pHash is cut into four 16-bit chunks, columns
  `phash_c0` … `phash_c3` (kept equal to the hash by a CHECK constraint), each with an index on
  (org_id, chunk, phash). If a stored hash differed from the new one in every chunk i by more than
  r_i bits, the two would differ by at least Σ(r_i + 1) bits; so with Σ r_i ≥ threshold − 3, every
  hash within the threshold agrees with the new one within r_i bits in some chunk i (pigeonhole).
  Probing each chunk's values within its radius (threshold 10: radii 1, 2, 2, 2, so 17 + 3 × 137
  values) finds every candidate hash, read from the indexes alone; the exact distance is then
  checked in Python and only the matches are read in full. Its time grows with the number of
  candidates: about 0.65 % of random stored hashes at threshold 10. A threshold so large that the
  probes would cover much of each chunk's values (more than MAX_PROBES) is answered by the scan.

Both return the matches of `exclude_action_id`'s other actions with a comparable hash (same
algorithm, or none recorded), ordered by photo_id.
"""
from __future__ import annotations

import functools
import itertools
from collections.abc import Sequence

import numpy as np
from sqlalchemy import ARRAY, Integer, Row, any_, func, literal, or_, select, union_all
from sqlalchemy.orm import Session

from .functions import hamming64, hash_chunks16, is_hex64
from .results import ApPhoto

CHUNKS = 4  # of CHUNK_BITS each: ApPhoto.phash_c0 … phash_c3
CHUNK_BITS = 16
_CHUNK_COLUMNS = (ApPhoto.phash_c0, ApPhoto.phash_c1, ApPhoto.phash_c2, ApPhoto.phash_c3)
# Above this many probed chunk values the index would read a large share of the history anyway, and the
# IN lists approach SQLite's limit of bound parameters: the lookup scans instead (threshold 15 probes
# 4 × 697 = 2788 values; 16 and more are scanned).
MAX_PROBES = 4096
# What a lookup returns per matching photo (what the reuse flags need).
_COLUMNS = (ApPhoto.photo_id, ApPhoto.action_id, ApPhoto.phash, ApPhoto.gps_time_utc, ApPhoto.dhash,
            ApPhoto.customer_id)


def probe_radii(threshold: int) -> tuple[int, ...]:
    """Per chunk, the largest difference in bits to probe so that every hash within `threshold` bits
    is found: the smallest radii with Σ r_i ≥ threshold − (CHUNKS − 1), as equal as possible, the
    smaller ones first (threshold 10: 1, 2, 2, 2; 11: 2, 2, 2, 2; 7: 1, 1, 1, 1)."""
    need = max(0, int(threshold) - (CHUNKS - 1))
    base, extra = divmod(need, CHUNKS)
    return tuple(base + (1 if i >= CHUNKS - extra else 0) for i in range(CHUNKS))


@functools.cache
def _masks(radius: int) -> tuple[int, ...]:
    """Every 16-bit XOR mask of at most `radius` bits (radius 2: 137)."""
    return tuple(sum(1 << b for b in bits) for k in range(min(radius, CHUNK_BITS) + 1)
                 for bits in itertools.combinations(range(CHUNK_BITS), k))


def probe_values(hash_hex: str, threshold: int) -> list[list[int]]:
    """Per chunk, the values a stored hash's chunk may have to be a candidate."""
    return [sorted(c ^ m for m in _masks(r)) for c, r in zip(hash_chunks16(hash_hex), probe_radii(threshold))]


def _within(joined: str, target: int, threshold: int) -> set[str]:
    """The hashes of `joined` (16-digit hashes one after the other) within `threshold` bits of target."""
    if not joined:
        return set()
    if hasattr(np, "bitwise_count"):  # numpy >= 2
        values = np.frombuffer(bytes.fromhex(joined), dtype=">u8")
        near = values[np.bitwise_count(values ^ np.uint64(target)) <= threshold]
        return {f"{int(v):016x}" for v in near}
    return {h for h in (joined[i:i + 16] for i in range(0, len(joined), 16))
            if (int(h, 16) ^ target).bit_count() <= threshold}


def _comparable(org_id: str, algorithm: str | None, exclude_action_id: int | None) -> list:
    where = [ApPhoto.org_id == org_id, ApPhoto.phash.is_not(None)]
    if exclude_action_id is not None:
        where.append(ApPhoto.action_id != exclude_action_id)
    if algorithm is not None:
        where.append(or_(ApPhoto.hash_algorithm.is_(None), ApPhoto.hash_algorithm == algorithm))
    return where


def near_photos_scan(session: Session, org_id: str, hash_hex: str, threshold: int, *,
                     exclude_action_id: int | None = None, algorithm: str | None = None) -> Sequence[Row]:
    """Full scan: the distance to every stored hash of the organisation, computed by the database."""
    if not is_hex64(hash_hex) or threshold < 0:
        return []
    return session.execute(
        select(*_COLUMNS)
        .where(*_comparable(org_id, algorithm, exclude_action_id), hamming64(ApPhoto.phash, hash_hex) <= threshold)
        .order_by(ApPhoto.photo_id)).all()


def near_photos(session: Session, org_id: str, hash_hex: str, threshold: int, *,
                exclude_action_id: int | None = None, algorithm: str | None = None) -> Sequence[Row]:
    """The same answer as `near_photos_scan`, from the chunk indexes (see the module's docstring)."""
    if not is_hex64(hash_hex) or threshold < 0:
        return []
    if sum(len(_masks(r)) for r in probe_radii(threshold)) > MAX_PROBES:
        return near_photos_scan(session, org_id, hash_hex, threshold, exclude_action_id=exclude_action_id,
                                algorithm=algorithm)
    target = int(hash_hex, 16)
    postgres = session.get_bind().dialect.name == "postgresql"
    # One probe per chunk: (org_id, phash_cN) IN (...), the hash read from the same index (no table row).
    # PostgreSQL gets each list as one array parameter (= ANY): the same index scan, without binding and
    # parsing 428 parameters per lookup.
    candidates = union_all(*(select(ApPhoto.phash).where(
        ApPhoto.org_id == org_id, col == any_(literal(values, ARRAY(Integer))) if postgres else col.in_(values))
        for col, values in zip(_CHUNK_COLUMNS, probe_values(hash_hex, threshold)))).subquery()
    # The candidates arrive as one string of 16-digit hashes: thousands of rows would otherwise become
    # thousands of Python tuples, and their garbage collection the slowest part of some lookups.
    joined = session.scalar(select(func.aggregate_strings(candidates.c.phash, "")))
    matched = _within(joined or "", target, threshold)
    if not matched:
        return []
    # The matching photos in full, found again through the first chunk's index.
    return session.execute(
        select(*_COLUMNS)
        .where(ApPhoto.phash_c0.in_({hash_chunks16(h)[0] for h in matched}), ApPhoto.phash.in_(matched),
               *_comparable(org_id, algorithm, exclude_action_id))
        .order_by(ApPhoto.photo_id)).all()
