"""Who said what on mono calls: voices (audio) and roles from wording (text), measured apart.

Voices. Two-party mono calls built from the field clips by bench/calls.py (seeded; 20–90 s; turns of
≥ 1.5 s, 0.2–2 s pauses) in four conditions — clean 16 kHz, telephone band, AMR-NB round trip,
one party 6–12 dB quieter — go through nlp.speech.voices.split_voices and roles_by_voiceprint with the
rep's voiceprint. Honest enrolment: the rep's OTHER clip (speakers S0764, S0002); optimistic: a
stretch of the same clip held apart. Scored on 10 ms frames of ground-truth speech: the role of the
turn covering a frame (none → unknown) against the party that spoke. Per call: does the voice
holding most of the rep's speech get `rep` (and the customer's `customer`). Also: the stereo fixture
mixed to mono, the two-speaker clip, and odd inputs (one voice, three voices, tones, silence, < 5 s,
a voiceprint at 8 kHz) — what the pipeline says and that nothing crashes. Time: attribution
(split + roles) beside plain faster-whisper (`transcribe(language="zh", beam_size=5, vad_filter=True)`)
on a sample of calls in the same run.

Text. bench/data/nlp_eval.jsonl and nlp_dev_calls.jsonl (development: the cues were tuned on
them), nlp_holdout.jsonl and nlp_holdout2.jsonl (held out): six utterances of one industry a call;
nlp_dev_calls.jsonl (33 calls) and nlp_holdout3.jsonl (held out, 28 whole calls of 9–12 turns
written without seeing the cues): their calls as written. Speaker-unknown rows
dropped, the speakers hidden as voices A and B for nlp.speech.cues.roles_from_words.

    .venv/bin/python -m bench.speakers                 # default: ~5 min on two cores
    .venv/bin/python -m bench.speakers --quick         # a smoke test
    .venv/bin/python -m bench.speakers --all           # plain whisper timed on every call (slow)
    .venv/bin/python -m bench.speakers --json var/speakers.json

The machine's load is printed before and after: on shared cores timings are noisy, scores are not.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import random
import time
import traceback
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from bench.calls import (
    AMR_BITRATE, CONDITIONS, PAIRED, RATE, CallPlan, CallScore, FrameScore, Span, Truth, assemble, clip, enrol_audio,
    ffmpeg_exe, hide_speakers, plan_calls, render, score_call, speech_extent, speech_in, telephone_16k,
    text_calls, voices,
)

ROOT = Path(__file__).resolve().parents[1]
TEXT_SETS = (("dev (tuned on)", "nlp_eval.jsonl"), ("dev calls (tuned)", "nlp_dev_calls.jsonl"),
             ("holdout", "nlp_holdout.jsonl"),
             ("holdout2", "nlp_holdout2.jsonl"), ("holdout3 calls", "nlp_holdout3.jsonl"))


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def pct(x: float) -> str:
    return "  n/a" if x != x else f"{100 * x:5.1f}"


# --------------------------------------------------------------------------- text

def text_half(seed: int) -> dict[str, Any]:
    """roles_from_words on each set's calls: right / confident wrong / unknown per call."""
    from nlp.speech.cues import roles_from_words

    out: dict[str, Any] = {}
    print("\n== Roles from wording (text): whole calls where the set has them, else 6-utterance slices; "
          "speakers hidden as A/B ==")
    print(f"{'set':<16} {'calls':>5} {'one-sided':>9} {'scored':>6} {'right':>6} {'wrong':>6} {'unknown':>7} {'right %':>8}")
    for label, file in TEXT_SETS:
        rows = [json.loads(line) for line in (ROOT / "bench" / "data" / file).read_text(encoding="utf-8").splitlines()
                if line.strip()]
        calls = text_calls(rows)
        rng = random.Random(seed)
        counts: Counter[str] = Counter()
        by_size: Counter[tuple[bool, str]] = Counter()
        misses = []
        for call in calls:
            if len({r["speaker"] for r in call}) < 2:
                counts["one_sided"] += 1
                continue
            voices_, rep = hide_speakers(call, rng)
            customer = "B" if rep == "A" else "A"
            guess = roles_from_words(voices_)
            got = (guess[rep].role, guess[customer].role)
            if got == ("rep", "customer"):
                verdict = "right"
            elif "rep" in got or "customer" in got:
                verdict = "wrong"  # a role was given and it is not the party's
            else:
                verdict = "unknown"
            counts[verdict] += 1
            by_size[("call" in call[0] or len(call) == 6, verdict)] += 1
            if verdict != "right":
                misses.append((verdict, call[0]["id"], len(call), got))
        scored = counts["right"] + counts["wrong"] + counts["unknown"]
        print(f"{label:<16} {len(calls):>5} {counts['one_sided']:>9} {scored:>6} {counts['right']:>6} "
              f"{counts['wrong']:>6} {counts['unknown']:>7} {pct(counts['right'] / scored if scored else math.nan):>8}")
        out[file] = {"calls": len(calls), "one_sided": counts["one_sided"], "scored": scored,
                     "right": counts["right"], "wrong": counts["wrong"], "unknown": counts["unknown"],
                     "utterances_per_call": dict(Counter(len(c) for c in calls)), "misses": misses,
                     "full_calls": {k: by_size[(True, k)] for k in ("right", "wrong", "unknown")},
                     "short_calls": {k: by_size[(False, k)] for k in ("right", "wrong", "unknown")},
                     "whole_calls": "call" in rows[0]}
    for file, r in out.items():
        full, short = r["full_calls"], r["short_calls"]
        if r["whole_calls"]:
            print(f"  {file}: whole calls {full['right']}/{sum(full.values())} right; not right: "
                  + (", ".join(f"{k} {i} ({n} utt.)" for k, i, n, _ in r["misses"]) or "none"))
            continue
        print(f"  {file}: calls of 6 utterances {full['right']}/{sum(full.values())} right, shorter (a run's tail) "
              f"{short['right']}/{sum(short.values())}; not right: "
              + (", ".join(f"{k} {i} ({n} utt.)" for k, i, n, _ in r["misses"]) or "none"))
    print("  goal: ≥ 85 % right per call, 0 confident wrong")
    return out


# --------------------------------------------------------------------------- voices

def attribute(audio: np.ndarray, model: Any, prints: Sequence[Any]) -> tuple[Any, dict[int, Any], float]:
    """split_voices (in the band call_band picks, as the worker does) + roles_by_voiceprint; (split, roles, seconds)."""
    from nlp.speech.voices import call_band, roles_by_voiceprint, split_voices

    t0 = time.perf_counter()
    split = split_voices(audio, RATE, model, band=call_band(audio, RATE, prints))
    roles = roles_by_voiceprint(split, prints)
    return split, roles, time.perf_counter() - t0


def record(plan_id: str, enrolment: str, condition: str, duration_s: float, split: Any, roles: dict[int, Any],
           score: CallScore, seconds: float) -> dict[str, Any]:
    return {"id": plan_id, "enrolment": enrolment, "condition": condition, "duration_s": round(duration_s, 3),
            "voices": len(split.voices), "note": split.note, "attribution_s": round(seconds, 4),
            "roles": {str(v): [r.role, r.confidence, r.similarity, r.reason] for v, r in roles.items()},
            "frames": {f"{t}>{p}": n for (t, p), n in score.frames.counts.items()},
            "rep_voice": score.rep_voice, "customer_voice": score.customer_voice,
            "rep_role": score.rep_role, "customer_role": score.customer_role, "verdict": score.verdict}


def frames_of(rows: Sequence[dict[str, Any]]) -> FrameScore:
    fs = FrameScore()
    for r in rows:
        fs.add(FrameScore({tuple(k.split(">")): n for k, n in r["frames"].items()}))
    return fs


def summary(rows: Sequence[dict[str, Any]]) -> dict[str, Any]:
    fs = frames_of(rows)
    v = Counter(r["verdict"] for r in rows)
    return {"calls": len(rows), "speech_s": round(fs.n() * 0.01, 1), "right": fs.right,
            "rep_as_customer": fs.share("rep", "customer"), "customer_as_rep": fs.share("customer", "rep"),
            "unknown": fs.share(predicted="unknown"), "rep_in_customer_labelled": fs.rep_in_customer,
            "rep_role_right": sum(r["rep_role"] == "rep" for r in rows), "both_right": v["right"],
            "wrong_calls": v["wrong"], "two_voices": sum(r["voices"] == 2 for r in rows)}


def print_table(records: Sequence[dict[str, Any]]) -> dict[str, Any]:
    head = (f"{'enrolment':<11} {'condition':<10} {'calls':>5} {'speech':>7} {'right%':>6} {'rep→cu%':>7} {'cu→rep%':>7} "
            f"{'unkn%':>6} {'rep in cu-labelled%':>19} {'rep role right':>14} {'both right':>10} {'wrong':>5} {'2 voices':>8}")
    print(head)
    out: dict[str, Any] = {}
    for enrol in ("honest", "optimistic", "all"):
        for cond in (*CONDITIONS, "overall"):
            rows = [r for r in records if enrol in ("all", r["enrolment"]) and cond in ("overall", r["condition"])]
            if not rows:
                continue
            s = summary(rows)
            out[f"{enrol}/{cond}"] = s
            n = s["calls"]
            print(f"{enrol:<11} {cond:<10} {n:>5} {s['speech_s'] / 60:>6.1f}m {pct(s['right']):>6} "
                  f"{pct(s['rep_as_customer']):>7} {pct(s['customer_as_rep']):>7} {pct(s['unknown']):>6} "
                  f"{pct(s['rep_in_customer_labelled']):>19} {s['rep_role_right']:>8}/{n:<5} {s['both_right']:>5}/{n:<4} "
                  f"{s['wrong_calls']:>5} {s['two_voices']:>5}/{n:<3}")
        print()
    return out


def voices_half(model: Any, plans: Sequence[CallPlan], exe: str | None, conditions: Sequence[str],
                amr_bitrate: str = AMR_BITRATE) -> tuple[list[dict[str, Any]], dict[tuple[str, str], np.ndarray], dict[str, Any]]:
    """Every plan in every condition: attribution, scores; returns records, the rendered audio, enrolment prints."""
    from nlp.speech.voices import voiceprints

    records: list[dict[str, Any]] = []
    audio: dict[tuple[str, str], np.ndarray] = {}
    prints: dict[str, Any] = {}
    enrol_s = 0.0
    for i, plan in enumerate(plans):
        t0 = time.perf_counter()
        prints[plan.id] = voiceprints(enrol_audio(plan), RATE, model)
        enrol_s += time.perf_counter() - t0
        for cond in conditions:
            x = render(plan, cond, exe, amr_bitrate)
            audio[(plan.id, cond)] = x
            split, roles, secs = attribute(x, model, prints[plan.id])
            score = score_call(plan.truth, split.turns, {v: r.role for v, r in roles.items()}, plan.duration_s)
            rec = record(plan.id, plan.enrolment, cond, plan.duration_s, split, roles, score, secs)
            rec.update(rep=plan.rep_voice, customer=plan.customer_voice, enrol_s=prints[plan.id][0].seconds,
                       rep_similarity=max((r.similarity for r in roles.values() if r.similarity is not None), default=None))
            records.append(rec)
        if (i + 1) % 20 == 0:
            print(f"  … {i + 1}/{len(plans)} calls, load {load()}", flush=True)
    return records, audio, {"prints": prints, "enrol_seconds": enrol_s}


def honest_by_rep(plans: Sequence[CallPlan], records: Sequence[dict[str, Any]], conditions: Sequence[str]) -> None:
    """Honest calls per rep speaker and enrolment clip: rep role right per condition, and the rep's similarity."""
    enrol_of = {pl.id: pl.enrol[0].file for pl in plans if pl.enrolment == "honest"}
    print("  honest, per rep and enrolment clip — rep role right (median similarity of the rep voice to the print):")
    for rep, files in PAIRED.items():
        for f in files:
            parts = []
            for cond in conditions:
                rows = [r for r in records if r["condition"] == cond and enrol_of.get(r["id"]) == f]
                sims = [r["roles"][str(r["rep_voice"])][2] for r in rows
                        if r["rep_voice"] is not None and r["roles"].get(str(r["rep_voice"]), [None] * 3)[2] is not None]
                parts.append(f"{cond} {sum(r['rep_role'] == 'rep' for r in rows)}/{len(rows)} "
                             f"({np.median(sims) if sims else math.nan:.2f})")
            print(f"    {rep} enrolled from {f} ({speech_extent(f).seconds:.1f} s of speech): " + ", ".join(parts))


def worst(records: Sequence[dict[str, Any]], n: int = 8) -> None:
    """The calls that went worst (by right share), to see what fails."""
    def right(r: dict[str, Any]) -> float:
        return frames_of([r]).right
    bad = sorted((r for r in records if r["verdict"] != "right" or right(r) < 0.9), key=right)[:n]
    if bad:
        print("  worst calls (id cond rep/customer: right%, voices, note, verdict, roles):")
    for r in bad:
        roles = " ".join(f"{v}:{x[0]}({x[2]},{x[3]})" for v, x in r["roles"].items())
        print(f"    {r['id']} {r['condition']:<9} {r['rep']} / {r['customer']}: {pct(right(r))}%, {r['voices']} voices, "
              f"{r['note']}, {r['verdict']}; {roles}")


# --------------------------------------------------------------------------- other recordings

def stereo_mixdown(model: Any) -> dict[str, Any]:
    """The stereo fixture's two channels averaged to mono; rep enrolled from its own left channel."""
    from nlp.speech.audio import decode_audio
    from nlp.speech.voices import voiceprints
    from tests.fielddata import speech_fixtures, speech_path

    name = "stereo_call_rep_left.wav"
    decoded = decode_audio(speech_path(name).read_bytes(), sample_rate=RATE)
    left, right = decoded.channels
    mono = (left + right) / 2
    truth: list[Truth] = []
    for t in speech_fixtures()[name]["turns"]:
        for a, b in speech_in(Span(t["source"], 0, len(clip(t["source"])))):
            truth.append(Truth(round(t["start_s"] + a / RATE, 3), round(t["start_s"] + b / RATE, 3), t["speaker"]))
    enrol = voiceprints([left], RATE, model)
    split, roles, secs = attribute(mono, model, enrol)
    score = score_call(truth, split.turns, {v: r.role for v, r in roles.items()}, len(mono) / RATE)
    fs = score.frames
    sources = {s: sorted({t["source"] for t in speech_fixtures()[name]["turns"] if t["speaker"] == s})
               for s in ("rep", "customer")}
    print(f"stereo fixture → mono ({len(mono) / RATE:.1f} s; its rep is {' + '.join(sources['rep'])}, its customer "
          f"{' + '.join(sources['customer'])}: four clip voices; rep enrolled from its own left channel): "
          f"{len(split.voices)} voices, note {split.note}; right {pct(fs.right)}%, rep→customer "
          f"{pct(fs.share('rep', 'customer'))}%, customer→rep {pct(fs.share('customer', 'rep'))}%, unknown "
          f"{pct(fs.share(predicted='unknown'))}%; verdict {score.verdict}; roles "
          + ", ".join(f"{v}:{r.role}/{r.reason}/{r.similarity}" for v, r in roles.items()))
    return record(name, "self", "stereo→mono", len(mono) / RATE, split, roles, score, secs) | {"sources": sources}


def two_speaker_clip(model: Any) -> dict[str, Any]:
    """mosstts_single_reference_2spk.wav: no truth labels; the voices found and their time split."""
    from nlp.speech.voices import split_voices

    x = clip("mosstts_single_reference_2spk.wav")
    split = split_voices(x, RATE, model)
    changes = sum(a.voice != b.voice for a, b in zip(split.turns, split.turns[1:]))
    sims = ({f"{a}-{b}": round(float(split.prints[a] @ split.prints[b]), 3)
             for a in split.voices for b in split.voices if a < b})
    print(f"two-speaker clip mosstts_single_reference_2spk.wav ({len(x) / RATE:.1f} s, 2 speakers, no turn labels): "
          f"{len(split.voices)} voices, note {split.note}, speech {split.speech_s:.1f} s split "
          + ", ".join(f"voice {v} {s:.1f} s" for v, s in split.seconds.items())
          + f"; {len(split.turns)} turns, {changes} changes of voice; print similarity {sims}")
    return {"voices": len(split.voices), "note": split.note, "seconds": split.seconds, "turns": len(split.turns),
            "changes": changes, "similarity": sims,
            "turn_list": [(t.start_s, t.end_s, t.voice) for t in split.turns]}


def tones(seconds: float, seed: int = 0) -> np.ndarray:
    """Music-like audio: a chord every 0.5–1.2 s (three notes, five harmonics each, decaying) and a melody."""
    rng = np.random.default_rng(seed)
    n = int(seconds * RATE)
    out = np.zeros(n, np.float64)
    at = 0
    while at < n:
        dur = int(rng.uniform(0.5, 1.2) * RATE)
        t = np.arange(min(dur, n - at)) / RATE
        root = 110.0 * 2 ** (rng.integers(0, 24) / 12)
        env = np.exp(-t * rng.uniform(0.5, 3.0))
        for semis in (0, 4, 7, 12 + rng.integers(0, 7)):
            f = root * 2 ** (semis / 12)
            for h in range(1, 6):
                if f * h < 7000:
                    out[at:at + len(t)] += env * np.sin(2 * np.pi * f * h * t + rng.uniform(0, 6.28)) / h
        at += dur
    return (0.3 * out / np.abs(out).max()).astype(np.float32)


def odd_inputs(model: Any, rep_prints: Sequence[Any], seed: int) -> list[dict[str, Any]]:
    """What the pipeline says on recordings that are not a clean two-party call; a crash is caught and counted."""
    from nlp.speech.mix import telephone
    from nlp.speech.voices import METHOD_NARROW, Voiceprint, roles_by_voiceprint, voiceprints

    rep_call = PAIRED["S0764"][1]  # the rep's print is from the other clip, PAIRED["S0764"][0]
    ext = {f: speech_extent(f) for f in (rep_call, "ppasr_test.wav", "kimiaudio_asr_example.wav", "paddle_zh.wav",
                                         "funasr_csharp_2.wav")}

    def whole(f: str) -> Span:
        return ext.get(f) or speech_extent(f)

    def halves(f: str) -> list[Span]:
        s = whole(f)
        mid = (s.start + s.end) // 2
        return [Span(f, s.start, mid), Span(f, mid, s.end)]

    rng = np.random.default_rng(seed)
    three, three_truth = assemble([("rep", whole(rep_call)), ("customer", whole("ppasr_test.wav")),
                                   ("customer", whole("kimiaudio_asr_example.wav")), ("rep", whole(rep_call)),
                                   ("customer", whole("ppasr_test.wav")), ("customer", whole("kimiaudio_asr_example.wav"))])
    short, short_truth = assemble([("rep", Span(rep_call, whole(rep_call).start, whole(rep_call).start + 2 * RATE)),
                                   ("customer", Span("paddle_zh.wav", 0, 2 * RATE))], pause_s=0.3, lead_s=0.1)
    small, small_truth = assemble([(r, s) for r, s in zip(("rep", "customer", "rep", "customer"),
                                                          [*halves(rep_call)[:1], *halves("funasr_csharp_2.wav")[:1],
                                                           *halves(rep_call)[1:], *halves("funasr_csharp_2.wav")[1:]])],
                                  pause_s=0.4, lead_s=0.2)
    rep_alone, rep_alone_truth = assemble([("rep", whole(rep_call))] * 3, pause_s=0.5)
    narrow, narrow_rate = telephone(clip(PAIRED["S0764"][0]), RATE)
    cases: list[tuple[str, Callable[[], Any], Sequence[Truth] | None]] = [
        ("one voice: funasr_csharp_1 (not the rep)", lambda: clip("funasr_csharp_1.wav"), None),
        ("one voice: the meeting clip (not the rep)", lambda: clip("fireredasr_TEST_MEETING_T0000000001_S00000.wav"), None),
        ("one voice: the rep alone, 3 turns", lambda: rep_alone, rep_alone_truth),
        ("three voices: rep + 2 customers", lambda: three, three_truth),
        ("music-like: 20 s of chords", lambda: tones(20.0, seed), None),
        ("music-like: 10 s of a 440 Hz tone", lambda: (0.3 * np.sin(2 * np.pi * 440 * np.arange(10 * RATE) / RATE)
                                                       ).astype(np.float32), None),
        ("silence: 30 s of zeros", lambda: np.zeros(30 * RATE, np.float32), None),
        ("silence: 30 s of −70 dBFS noise", lambda: (10 ** (-70 / 20) * rng.standard_normal(30 * RATE)
                                                    ).astype(np.float32), None),
        (f"< 5 s: a {len(short) / RATE:.1f} s two-party call", lambda: short, short_truth),
        (f"short: {len(small) / RATE:.1f} s two-party call", lambda: small, small_truth),
        ("empty audio", lambda: np.zeros(0, np.float32), None),
        ("0.1 s of audio", lambda: np.full(1600, 0.1, np.float32), None),
        ("10 s of NaN", lambda: np.full(10 * RATE, np.nan, np.float32), None),
        ("10 s full-scale square wave", lambda: np.sign(np.sin(2 * np.pi * 200 * np.arange(10 * RATE) / RATE)
                                                        ).astype(np.float32), None),
    ]
    out: list[dict[str, Any]] = []
    for label, make, truth in cases:
        try:
            x = make()
            split, roles, _ = attribute(x, model, rep_prints)
            line = (f"{len(split.voices)} voices, note {split.note}, speech {split.speech_s:.1f} s; roles "
                    + (", ".join(f"{v}:{r.role}/{r.reason}" + (f"/{r.similarity:.2f}" if r.similarity is not None else "")
                                 for v, r in roles.items()) or "none"))
            rec: dict[str, Any] = {"case": label, "voices": len(split.voices), "note": split.note,
                                   "roles": {str(v): [r.role, r.reason, r.similarity] for v, r in roles.items()},
                                   "crashed": False}
            if truth is not None:
                s = score_call(truth, split.turns, {v: r.role for v, r in roles.items()}, len(x) / RATE)
                line += (f"; right {pct(s.frames.right)}%, rep→customer {pct(s.frames.share('rep', 'customer'))}%, "
                         f"customer→rep {pct(s.frames.share('customer', 'rep'))}%, verdict {s.verdict}")
                rec["right"] = s.frames.right
                rec["verdict"] = s.verdict
        except Exception as e:  # noqa: BLE001 - the point is to see it
            line = f"CRASHED: {type(e).__name__}: {e}"
            rec = {"case": label, "crashed": True, "error": traceback.format_exc(limit=3)}
        print(f"  {label:<40} {line}")
        out.append(rec)
    # A voiceprint from 8 kHz telephone audio.
    try:
        p8s = voiceprints([narrow], narrow_rate, model)
        p8 = p8s[0]  # telephone audio gives the telephone-band print only
        sim = float(np.dot(p8.vector, next(p for p in rep_prints if p.method == p8.method).vector))
        plan = plan_calls(seed, honest_customers=1, optimistic_customers=0)[0]
        lines = []
        res: dict[str, Any] = {"case": "voiceprint at 8 kHz", "sample_rate": p8.sample_rate, "seconds": p8.seconds,
                               "prints": [p.method for p in p8s],
                               "similarity_to_16k_print": round(sim, 3), "crashed": False}
        for cond, x in (("clean", render(plan, "clean")), ("telephone", telephone_16k(render(plan, "clean")))):
            split, roles, _ = attribute(x, model, p8s)
            s = score_call(plan.truth, split.turns, {v: r.role for v, r in roles.items()}, plan.duration_s)
            lines.append(f"{cond} call {plan.id}: right {pct(s.frames.right)}% verdict {s.verdict}")
            res[cond] = {"right": s.frames.right, "verdict": s.verdict}
        fake = Voiceprint(p8.vector, p8.seconds, 8000, METHOD_NARROW)
        reason = {r.reason for r in roles_by_voiceprint(split, [fake]).values()}
        res["declared_8k_print_reason"] = sorted(reason)
        print(f"  {'voiceprint from 8 kHz telephone audio':<40} stored at {p8.sample_rate} Hz ({p8.seconds:.1f} s of "
              f"S0764 clip 1; prints {', '.join(p.method for p in p8s)}), cosine to the telephone-band print of "
              f"its 16 kHz audio {sim:.3f}; {'; '.join(lines)}; a print declared 8000 Hz: "
              f"{', '.join(sorted(reason))}")
    except Exception as e:  # noqa: BLE001
        print(f"  voiceprint at 8 kHz: CRASHED: {type(e).__name__}: {e}")
        res = {"case": "voiceprint at 8 kHz", "crashed": True, "error": traceback.format_exc(limit=3)}
    out.append(res)
    return out


# --------------------------------------------------------------------------- time

def timing(model: Any, whisper: Any, sample: Sequence[tuple[CallPlan, str, np.ndarray]], prints: dict[str, Any]
           ) -> dict[str, Any]:
    """Attribution and plain faster-whisper on the same calls, one after the other per call."""

    # Warm-up (lazy initialisation of both: VAD session, allocators); not counted.
    x0 = sample[0][2][:5 * RATE]
    list(whisper.transcribe(x0, language="zh", beam_size=5, vad_filter=True)[0])
    attribute(x0, model, [])
    rows = []
    for plan, cond, x in sample:
        attr = attribute(x, model, prints[plan.id])[2]
        t0 = time.perf_counter()
        segments, _ = whisper.transcribe(x, language="zh", beam_size=5, vad_filter=True)
        text = "".join(s.text for s in segments)
        plain = time.perf_counter() - t0
        rows.append({"id": plan.id, "condition": cond, "audio_s": round(len(x) / RATE, 2), "attribution_s": round(attr, 3),
                     "plain_s": round(plain, 3), "chars": len(text)})
        print(f"    {plan.id} {cond:<9} {len(x) / RATE:5.1f} s  attribution {attr:6.2f} s  plain whisper {plain:6.2f} s",
              flush=True)
    audio = sum(r["audio_s"] for r in rows)
    attr = sum(r["attribution_s"] for r in rows)
    plain = sum(r["plain_s"] for r in rows)
    return {"calls": rows, "audio_s": audio, "attribution_s": attr, "plain_s": plain,
            "attribution_rtf": attr / audio, "plain_rtf": plain / audio, "ratio": attr / plain}


def pick_sample(plans: Sequence[CallPlan], conditions: Sequence[str], n: int) -> list[tuple[CallPlan, str]]:
    """`n` (plan, condition) pairs spread evenly over the plans, conditions in turn."""
    pairs = [(p, c) for p in plans for c in conditions]
    if n >= len(pairs):
        return pairs
    step = len(plans) / n
    return [(plans[int(i * step)], conditions[i % len(conditions)]) for i in range(n)]


# --------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--quick", action="store_true", help="a few calls (smoke test)")
    p.add_argument("--all", action="store_true", help="time plain whisper on every call (slow: ~0.2× real time)")
    p.add_argument("--sample", type=int, default=8, help="calls timed with plain whisper (default 8)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json", help="write all figures here")
    p.add_argument("--model", default="pypi:base")
    p.add_argument("--cache-dir", default=str(ROOT / "var" / "models"))
    p.add_argument("--compute-type", default="int8")
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--no-whisper", action="store_true", help="skip the timing against plain whisper")
    p.add_argument("--conditions", default=",".join(CONDITIONS), help="some of " + ", ".join(CONDITIONS))
    p.add_argument("--amr-bitrate", default=AMR_BITRATE,
                   help="AMR-NB mode of the amr condition (default 4.75k, as tests/data/speech/paddle_zh_8k.amr; 12.2k)")
    args = p.parse_args(argv)

    from workers.asr_model import load_speaker_model

    started = time.perf_counter()
    print(f"cpus {os.cpu_count()}; load average before: {load()}", flush=True)
    results: dict[str, Any] = {"seed": args.seed, "quick": args.quick, "load_before": os.getloadavg()}
    results["text"] = text_half(args.seed)

    model = load_speaker_model()
    exe = ffmpeg_exe()
    conditions = [c for c in args.conditions.split(",") if c]
    if set(conditions) - set(CONDITIONS):
        p.error(f"unknown condition(s): {', '.join(sorted(set(conditions) - set(CONDITIONS)))}")
    if exe is None and "amr" in conditions:
        conditions.remove("amr")
        print("no imageio-ffmpeg binary: AMR condition left out (telephone band only)")
    if args.quick:
        plans = plan_calls(args.seed, honest_customers=2, optimistic_customers=1, optimistic_voices=2)
    else:
        plans = plan_calls(args.seed)
    v = voices()
    rep_voices = sorted({pl.rep_voice for pl in plans})
    cust_voices = sorted({pl.customer_voice for pl in plans})
    durations = [pl.duration_s for pl in plans]
    reuse = [sum(x.span.seconds for x in pl.pieces) / pl.material_s for pl in plans]
    print(f"\n== Voices (audio): {len(v)} distinct single-speaker voices in {sum(len(f) for f in v.values())} clips "
          f"({len(rep_voices)} as rep, {len(cust_voices)} as customer); {len(plans)} calls × {len(conditions)} conditions "
          f"= {len(plans) * len(conditions)} scored; {sum(pl.enrolment == 'honest' for pl in plans)} honest "
          f"(rep S0764/S0002 enrolled from their other clip), {sum(pl.enrolment == 'optimistic' for pl in plans)} "
          f"optimistic (held-apart stretch of the same clip) ==")
    print(f"  calls {min(durations):.1f}–{max(durations):.1f} s (mean {np.mean(durations):.1f}, total "
          f"{sum(durations) / 60:.1f} min per condition); each clip second heard {np.mean(reuse):.1f}× on average "
          f"(rep material is short: S0764/S0002 clips hold 3–6 s of speech); enrolment speech "
          f"{min(s.seconds for pl in plans for s in pl.enrol):.1f}–{max(s.seconds for pl in plans for s in pl.enrol):.1f} s, "
          f"clean 16 kHz in every condition; AMR = AMR-NB {args.amr_bitrate}bit/s with DTX via libopencore_amrnb", flush=True)
    t0 = time.perf_counter()
    records, audio, enrol = voices_half(model, plans, exe, conditions, args.amr_bitrate)
    print(f"  attribution over all {len(records)} calls: {sum(r['attribution_s'] for r in records):.1f} s for "
          f"{sum(r['duration_s'] for r in records) / 60:.1f} min of audio (RTF "
          f"{sum(r['attribution_s'] for r in records) / sum(r['duration_s'] for r in records):.4f}); enrolment prints "
          f"{enrol['enrol_seconds']:.1f} s for {len(plans)}; phase {time.perf_counter() - t0:.0f} s\n")
    results["table"] = print_table(records)
    results["calls"] = records
    honest_by_rep(plans, records, conditions)
    worst(records)
    notes = Counter((r["condition"], r["note"]) for r in records)
    print("  notes: " + "; ".join(f"{c}: " + ", ".join(f"{n or 'none'} {k}" for (cc, n), k in sorted(
        notes.items(), key=lambda kv: str(kv[0])) if cc == c) for c in conditions))
    print("  goal: ≤ 3 % of customer-labelled speech actually the rep's; the rep voice gets `rep`\n")

    print("== Other recordings ==")
    results["stereo_mono"] = stereo_mixdown(model)
    results["two_speaker_clip"] = two_speaker_clip(model)
    print("odd inputs (rep print: S0764 from its clip 1):")
    rep_print = next(enrol["prints"][pl.id] for pl in plans if pl.enrolment == "honest" and pl.rep_voice == "S0764"
                     and pl.enrol[0].file == PAIRED["S0764"][0])
    results["odd"] = odd_inputs(model, rep_print, args.seed)
    crashed = [r["case"] for r in results["odd"] if r.get("crashed")]
    print(f"  crashes: {len(crashed)}" + (f" ({', '.join(crashed)})" if crashed else " — nothing crashed"))

    if not args.no_whisper:
        from workers.asr_model import load_model

        whisper, info = load_model(args.model, Path(args.cache_dir), "cpu", args.compute_type, args.threads)
        pairs = pick_sample(plans, conditions, len(plans) * len(conditions) if args.all else
                            (2 if args.quick else args.sample))
        sample = [(pl, c, audio[(pl.id, c)]) for pl, c in pairs]
        print(f"\n== Time: attribution (split_voices + roles_by_voiceprint) vs plain faster-whisper "
              f"({info.name}, {info.compute_type}) on {len(sample)} calls: "
              f"{', '.join(f'{pl.id}/{c}' for pl, c, _ in sample) if len(sample) <= 16 else 'all'}; load {load()} ==",
              flush=True)
        t = timing(model, whisper, sample, enrol["prints"])
        print(f"  {t['audio_s']:.0f} s of audio: attribution {t['attribution_s']:.2f} s (RTF {t['attribution_rtf']:.4f}), "
              f"plain whisper {t['plain_s']:.1f} s (RTF {t['plain_rtf']:.3f}); attribution/plain = {t['ratio']:.3f}")
        results["time"] = t
    results["load_after"] = os.getloadavg()
    print(f"load average after: {load()}; run {time.perf_counter() - started:.0f} s")
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1, default=_plain), encoding="utf-8")
    return 0


def _plain(o: Any) -> Any:
    if isinstance(o, (np.integer,)):
        return int(o)
    if isinstance(o, (np.floating,)):
        return float(o)
    if isinstance(o, np.ndarray):
        return o.tolist()
    return str(o)


if __name__ == "__main__":
    raise SystemExit(main())
