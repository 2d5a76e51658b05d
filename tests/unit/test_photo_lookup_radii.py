"""Multi-index hashing's probe radii (models.photo_lookup): every hash within the threshold agrees with
the target within its chunk's radius in some chunk, and the radii are no larger than that needs."""
from __future__ import annotations

import itertools

import pytest

from evidence.flags import DEFAULT_FLAG_CONFIG
from models.functions import hash_chunks16
from models.photo_lookup import CHUNK_BITS, CHUNKS, _masks, probe_radii, probe_values


@pytest.mark.parametrize("threshold", range(0, 20))
def test_every_split_of_a_distance_within_the_threshold_is_probed(threshold):
    radii = probe_radii(threshold)
    assert len(radii) == CHUNKS
    for split in itertools.product(range(CHUNK_BITS + 1), repeat=CHUNKS):
        if sum(split) <= threshold:
            assert any(d <= r for d, r in zip(split, radii)), (threshold, split, radii)
    # No smaller total would do: the split (r_i + 1 per chunk) is just beyond every radius.
    if threshold >= CHUNKS - 1:
        assert sum(r + 1 for r in radii) == threshold + 1


def test_the_configured_threshold_probes_fewer_values_than_a_radius_of_a_quarter():
    t = DEFAULT_FLAG_CONFIG.phash_threshold
    assert t == 10 and probe_radii(t) == (1, 2, 2, 2)
    assert [len(_masks(r)) for r in probe_radii(t)] == [17, 137, 137, 137]  # 4 × 137 with radius floor(t/4)


def test_probe_values_are_the_chunks_within_the_radius():
    h = "cedbd88c49eaf808"
    chunks = hash_chunks16(h)
    assert chunks == (0xcedb, 0xd88c, 0x49ea, 0xf808)
    for chunk, radius, values in zip(chunks, probe_radii(10), probe_values(h, 10)):
        assert values == sorted(v for v in range(1 << CHUNK_BITS) if (v ^ chunk).bit_count() <= radius)


def test_chunks_of_malformed_hashes_are_none():
    for bad in (None, "abc", "0123456789ABCDEF", "zzzzzzzzzzzzzzzz", 12):
        assert hash_chunks16(bad) == (None,) * 4
