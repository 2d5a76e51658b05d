"""bench/_asr_day.py: the day's call mix (lengths in range and summing to the total, both kinds, deterministic)."""
from __future__ import annotations

import random

import pytest

from bench._asr_day import MAX_CALL_S, MIN_CALL_S, RATE, call_lengths, plan_day


def test_lengths_stay_in_range_and_sum_to_the_total() -> None:
    for n, minutes in ((6, 5), (60, 60), (20, 90), (3, 0.5)):
        d = call_lengths(n, minutes * 60, random.Random(n))
        assert len(d) == n and all(MIN_CALL_S <= x <= MAX_CALL_S for x in d)
        assert sum(d) == pytest.approx(minutes * 60, abs=0.05 * n + 1e-6)
    with pytest.raises(ValueError):
        call_lengths(2, 700, random.Random(0))


def test_the_mix_has_both_kinds_turns_inside_and_is_deterministic() -> None:
    calls = plan_day(12, 10, seed=3)
    assert plan_day(12, 10, seed=3) == calls != plan_day(12, 10, seed=4)
    assert {c.kind for c in calls} == {"amr", "stereo"}
    assert all({c.kind for c in plan_day(2, 1, seed=s)} == {"amr", "stereo"} for s in range(3))  # even two calls mix
    for c in calls:
        assert MIN_CALL_S <= c.duration_s <= MAX_CALL_S and {t.role for t in c.turns} == {"rep", "customer"}
        ends = [(t.at, t.at + t.length) for t in c.turns]
        assert all(a < b <= c.length for a, b in ends)
        assert all(b1 <= a2 for (_, b1), (a2, _) in zip(ends, ends[1:]))  # turns never overlap
        assert c.turns[0].at >= int(0.3 * RATE)
