"""bench/calls.py: constructed two-party calls (deterministic, truth inside and apart, enrolment held apart,
channel variants keep length), the frame scoring, and the text half's grouping of rows into calls."""
from __future__ import annotations

import random
import subprocess
from functools import lru_cache

import numpy as np
import pytest

from bench.calls import (
    CONDITIONS, MAX_CALL_S, MIN_CALL_S, MIN_TURN_S, PAIRED, RATE, CallPlan, Truth, ffmpeg_exe, hide_speakers,
    plan_calls, render, score_call, text_calls, voices,
)
from nlp.speech.voices import VoiceTurn


@lru_cache(maxsize=None)
def plans(seed: int = 0) -> tuple[CallPlan, ...]:
    return tuple(plan_calls(seed, honest_customers=2, optimistic_customers=1, optimistic_voices=4))


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def test_voices_leave_out_the_two_speaker_clip_and_pair_the_two_clip_speakers() -> None:
    v = voices()
    assert not any("2spk" in f for files in v.values() for f in files)
    assert v["S0764"] == PAIRED["S0764"] and v["S0002"] == PAIRED["S0002"]
    assert len(v) == 17 and all(len(files) == 1 for name, files in v.items() if name not in PAIRED)


def test_plans_are_deterministic_for_a_seed() -> None:
    assert plan_calls(0, honest_customers=2, optimistic_customers=1, optimistic_voices=4) == list(plans(0))
    other = plans(1)
    assert [(p.rep_voice, p.customer_voice, p.pieces) for p in other] != [
        (p.rep_voice, p.customer_voice, p.pieces) for p in plans(0)]
    assert {p.enrolment for p in plans(0)} == {"honest", "optimistic"}


def test_truth_lies_inside_the_call_in_order_without_overlap() -> None:
    for p in plans(0):
        assert MIN_CALL_S <= p.duration_s <= MAX_CALL_S, p.id
        assert p.truth and {t.role for t in p.truth} == {"rep", "customer"}
        for t in p.truth:
            assert 0.0 <= t.start_s < t.end_s <= p.duration_s
        for a, b in zip(p.truth, p.truth[1:]):
            assert a.end_s <= b.start_s, (p.id, a, b)
        # Pieces: inside, apart, long enough, alternating parties; truth only inside pieces.
        spans = [(x.at, x.at + x.span.end - x.span.start) for x in p.pieces]
        assert spans[0][0] > 0 and spans[-1][1] < p.length
        assert all(a[1] < b[0] for a, b in zip(spans, spans[1:]))
        assert all(x.span.seconds >= MIN_TURN_S - 1e-9 for x in p.pieces)
        assert all(a.role != b.role for a, b in zip(p.pieces, p.pieces[1:]))
        for t in p.truth:
            assert any(a / RATE - 1e-3 <= t.start_s and t.end_s <= b / RATE + 1e-3 for a, b in spans)


def test_enrolment_never_overlaps_the_calls_audio() -> None:
    for p in plans(0):
        used = [(x.span.file, x.span.start, x.span.end) for x in p.pieces if x.role == "rep"]
        for e in p.enrol:
            if p.enrolment == "honest":
                # The rep's other clip: not a sample of it is in the call.
                assert e.file not in {f for f, _, _ in used}
                assert e.file in PAIRED[p.rep_voice]
            else:
                assert all(not overlaps((e.start, e.end), (a, b)) for f, a, b in used if f == e.file), p.id
                assert e.seconds >= 1.5
        assert p.rep_voice != p.customer_voice


def test_channel_variants_keep_the_length() -> None:
    p = min(plans(0), key=lambda q: q.length)
    clean = render(p, "clean")
    assert len(clean) == p.length and clean.dtype == np.float32
    assert len(render(p, "telephone")) == p.length
    level = render(p, "level")
    assert len(level) == p.length and not np.allclose(level, clean)
    exe = ffmpeg_exe()
    # imageio-ffmpeg is a project dependency and its static ffmpeg encodes AMR-NB: no skip
    assert exe is not None
    encoders = subprocess.run([exe, "-hide_banner", "-encoders"], capture_output=True, text=True).stdout
    assert "libopencore_amrnb" in encoders
    amr = render(p, "amr", exe)
    assert len(amr) == p.length and np.all(np.isfinite(amr)) and float(np.abs(amr).max()) > 0.05
    assert set(CONDITIONS) == {"clean", "telephone", "amr", "level"}


def test_frames_are_scored_by_the_covering_turns_role() -> None:
    truth = [Truth(0.0, 1.0, "rep"), Truth(2.0, 3.0, "customer")]
    turns = [VoiceTurn(0.0, 0.5, 0), VoiceTurn(0.5, 1.0, 1), VoiceTurn(2.0, 2.8, 1)]
    s = score_call(truth, turns, {0: "rep", 1: "customer"}, 3.0)
    assert s.frames.n("rep", "rep") == 50 and s.frames.n("rep", "customer") == 50
    assert s.frames.n("customer", "customer") == 80 and s.frames.n("customer", "unknown") == 20
    assert s.frames.rep_in_customer == pytest.approx(50 / 130)
    assert s.customer_voice == 1 and s.customer_role == "customer" and s.verdict in ("right", "wrong")
    assert score_call(truth, [], {}, 3.0).verdict == "unknown"
    assert score_call(truth, turns, {0: "customer", 1: "rep"}, 3.0).verdict == "wrong"


def test_text_calls_drop_unknown_speakers_and_stay_within_an_industry() -> None:
    rows = ([{"industry": "a", "speaker": s, "text": str(i)} for i, s in enumerate(
        ["rep", "customer", "unknown", "rep", "customer", "customer", "rep", "customer", "unknown"])]
            + [{"industry": "b", "speaker": "customer", "text": "x"}, {"industry": "b", "speaker": "rep", "text": "y"}])
    calls = text_calls(rows, size=6)
    assert [len(c) for c in calls] == [6, 1, 2]
    assert all(r["speaker"] in ("rep", "customer") for c in calls for r in c)
    assert all(len({r["industry"] for r in c}) == 1 for c in calls)
    voices_, letter = hide_speakers(calls[0], random.Random(0))
    assert voices_[letter] == ["0", "3", "6"] and voices_["B" if letter == "A" else "A"] == ["1", "4", "5"]
    assert hide_speakers(calls[0], random.Random(0)) == (voices_, letter)


def test_text_calls_keep_whole_calls_where_rows_name_them() -> None:
    rows = [{"call": c, "industry": "a", "speaker": s, "text": f"{c}{i}"}
            for c, speakers in (("x", ["rep", "customer", "unknown", "rep"]), ("y", ["customer"] * 3 + ["rep"] * 5))
            for i, s in enumerate(speakers)]
    calls = text_calls(rows, size=6)
    assert [len(c) for c in calls] == [3, 8]  # not cut at six, the unknown row dropped
    assert [{r["call"] for r in c} for c in calls] == [{"x"}, {"y"}]
