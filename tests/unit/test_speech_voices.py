"""Who spoke when (nlp/speech/voices.py) on calls built from real clips, and roles by voiceprint."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

from nlp.speech.audio import decode_audio
from nlp.speech.campp import Campp, load_campp
from nlp.speech.mix import Turn, concat_with_pauses, scale_to_peak, telephone, two_party_call, wav_bytes
from nlp.speech.voices import (METHOD, METHOD_NARROW, VoiceOptions, Voiceprint, VoiceSplit, VoiceTurn, band_energy_db,
                               call_band, is_narrowband, roles_by_voiceprint, split_voices, voiceprint, voiceprints)
from tests.fielddata import clip

RATE = 16000
WEIGHTS = Path(__file__).resolve().parents[2] / "nlp" / "speech" / "weights" / "campplus_zh_en_16k.npz"
REP_ENROL, REP_CALL = "fireredasr_BAC009S0764W0121.wav", "s3tokenizer_BAC009S0764W0122.wav"


@lru_cache(maxsize=1)
def model() -> Campp:
    return load_campp(WEIGHTS.read_bytes())


@lru_cache(maxsize=1)
def rep_prints() -> tuple[Voiceprint, ...]:
    """The rep's wideband and telephone-band prints, as enrolment stores them."""
    return tuple(voiceprints([clip(REP_ENROL)], RATE, model()))


def rep_print() -> Voiceprint:
    return rep_prints()[0]


def halves(x: np.ndarray) -> list[np.ndarray]:
    return [x[: len(x) // 2], x[len(x) // 2:]]


def call(customer: str, *, customer_db: float = -3.0) -> tuple[np.ndarray, list[Turn]]:
    """Rep (S0764) and a customer taking turns, 0.6 s apart: rep, customer, rep, customer."""
    rep = [scale_to_peak(p, -3.0) for p in halves(clip(REP_CALL))]
    cust = [scale_to_peak(p, customer_db) for p in halves(clip(customer))]
    turns = [("rep", REP_CALL, rep[0]), ("customer", customer, cust[0]),
             ("rep", REP_CALL, rep[1]), ("customer", customer, cust[1])]
    return two_party_call(turns, RATE, pause_s=0.6)


def shares(split: VoiceSplit, truth: list[Turn], samples: np.ndarray) -> dict[str, dict[int, float]]:
    """Per party: which voice holds how much of its audible speech (10 ms frames above −30 dB of the party's peak)."""
    t = np.arange(0, len(samples) / RATE, 0.01)
    energy = np.array([np.sqrt(np.mean(samples[int(s * RATE):int(s * RATE) + 160] ** 2) + 1e-12) for s in t])
    voice = np.full(len(t), -1)
    for turn in split.turns:
        voice[(t >= turn.start_s) & (t < turn.end_s)] = turn.voice
    out: dict[str, dict[int, float]] = {}
    for party in ("rep", "customer"):
        sel = np.zeros(len(t), bool)
        for span in truth:
            if span.speaker == party:
                sel |= (t >= span.start_s) & (t < span.end_s)
        sel &= energy > 0.03 * energy[sel].max()
        out[party] = {int(v): float(np.mean(voice[sel] == v)) for v in set(voice[sel].tolist())}
    return out


def check_two_parties(split: VoiceSplit, truth: list[Turn], samples: np.ndarray) -> None:
    assert split.voices == (0, 1) and split.note is None
    s = shares(split, truth, samples)
    rep_voice = max((v for v in s["rep"] if v >= 0), key=lambda v: s["rep"][v])
    cust_voice = max((v for v in s["customer"] if v >= 0), key=lambda v: s["customer"][v])
    assert rep_voice != cust_voice
    right = (s["rep"][rep_voice] * sum(t.end_s - t.start_s for t in truth if t.speaker == "rep")
             + s["customer"][cust_voice] * sum(t.end_s - t.start_s for t in truth if t.speaker == "customer"))
    assert right / sum(t.end_s - t.start_s for t in truth) >= 0.85, s
    roles = roles_by_voiceprint(split, rep_prints())
    assert roles[rep_voice].role == "rep" and roles[rep_voice].reason == "matches_rep_voiceprint"
    assert roles[cust_voice].role == "customer"
    assert 0.0 < roles[cust_voice].confidence <= 1.0 and 0.0 < roles[rep_voice].confidence <= 1.0
    # Prints are unit vectors; turns are ordered, inside the call, and numbered by first appearance.
    assert all(abs(float(np.linalg.norm(p)) - 1.0) < 1e-4 for p in split.prints.values())
    assert split.turns[0].voice == 0
    assert all(a.end_s <= b.start_s for a, b in zip(split.turns, split.turns[1:]))


def test_two_party_call_splits_and_the_enrolled_rep_is_found() -> None:
    samples, truth = call("ppasr_test.wav")
    split = split_voices(samples, RATE, model())
    check_two_parties(split, truth, samples)
    assert split.speech_s > 8.0 and sum(split.seconds.values()) == pytest.approx(split.speech_s, abs=0.05)


def test_quiet_customer_over_the_telephone_band_still_splits() -> None:
    samples, truth = call("mosstts_pod_f_enhanced.wav", customer_db=-32.0)
    narrow, rate = telephone(samples, RATE)
    # 8 kHz in (resampled inside) and, separately, decoded back to 16 kHz as the worker would.
    check_two_parties(split_voices(narrow, rate, model()), truth, samples)
    wide = decode_audio(wav_bytes(narrow, rate), sample_rate=RATE).mono
    split = split_voices(wide, RATE, model())
    assert split.band == "narrow"  # 16 kHz samples, but nothing above 4 kHz: heard as a telephone call
    check_two_parties(split, truth, samples)


def test_the_band_of_a_call_and_of_a_voiceprint() -> None:
    samples, _ = call("ppasr_test.wav")
    narrow, rate = telephone(samples, RATE)
    back = decode_audio(wav_bytes(narrow, rate), sample_rate=RATE).mono
    assert band_energy_db(samples) > -30.0 and not is_narrowband(samples)
    assert band_energy_db(back) < -45.0 and is_narrowband(back) and is_narrowband(narrow, rate)
    assert band_energy_db(np.zeros(RATE, np.float32)) == -120.0
    # Wideband enrolment gives both prints; telephone enrolment only the telephone-band one.
    assert [p.method for p in rep_prints()] == [METHOD, METHOD_NARROW]
    from_phone = voiceprints([telephone(clip(REP_ENROL), RATE)[0]], 8000, model())
    assert [p.method for p in from_phone] == [METHOD_NARROW] and from_phone[0].sample_rate == RATE
    # The call is heard in the band the rep's prints can be compared in.
    assert call_band(samples, RATE, rep_prints()) == "wide"
    assert call_band(samples, RATE, from_phone) == "narrow" and call_band(samples, RATE, []) == "wide"
    assert call_band(back, RATE, rep_prints()) == "narrow"
    heard = split_voices(samples, RATE, model(), band="narrow")
    assert heard.band == "narrow" and heard.voices == (0, 1)
    roles = roles_by_voiceprint(heard, from_phone)
    assert sorted(r.role for r in roles.values()) == ["customer", "rep"]
    assert roles[0].role == "rep"  # the call opens with the rep


def test_given_speech_regions_replace_the_vad() -> None:
    samples, truth = call("ppasr_test.wav")
    split = split_voices(samples, RATE, model(), speech=[(t.start_s, t.end_s) for t in truth])
    assert split.speech_s == pytest.approx(sum(t.end_s - t.start_s for t in truth), abs=0.01)
    assert split.turns[0].start_s == pytest.approx(truth[0].start_s, abs=0.01)
    check_two_parties(split, truth, samples)


def test_one_voice_three_voices_and_no_usable_audio() -> None:
    m = model()
    one = split_voices(clip("funasr_csharp_1.wav"), RATE, m)
    assert one.note == "one_voice" and one.voices == (0,) and one.turns
    three = split_voices(concat_with_pauses([clip(REP_CALL), clip("ppasr_test.wav"), clip("kimiaudio_asr_example.wav")],
                                            0.6, RATE), RATE, m)
    assert three.note == "many_voices" and len(three.voices) == 3
    # Eight people one after another (a meeting, not a call): more voices than kept, and said so.
    meeting = [clip(n) for n in ("paddle_zh.wav", "funasr_asr_example.wav", "wenet_aishell_BAC009S0724W0121.wav",
                                 "mindaudio_BAC009S0002W0122.wav", REP_ENROL, "ppasr_test.wav",
                                 "funasr_csharp_2.wav", "cosyvoice_zero_shot_prompt.wav")]
    many = split_voices(concat_with_pauses(meeting, 0.6, RATE), RATE, m)
    assert many.note == "many_voices" and 2 <= len(many.voices) <= VoiceOptions().max_voices
    silence = split_voices(np.zeros(10 * RATE, np.float32), RATE, m)
    assert (silence.note, silence.turns, silence.voices) == ("no_speech", (), ())
    short = split_voices(clip(REP_CALL)[: 4 * RATE], RATE, m)
    assert short.note == "too_short" and short.turns == ()
    # A sliver of speech in a long recording: too little to tell voices apart.
    sliver = concat_with_pauses([np.zeros(4 * RATE, np.float32), clip(REP_CALL)[RATE:RATE + RATE // 2]], 4.0, RATE)
    assert split_voices(sliver, RATE, m).note in ("too_short", "no_speech")
    assert split_voices(np.zeros(0, np.float32), RATE, m).note == "too_short"


def test_music_like_tones_do_not_break_it() -> None:
    t = np.arange(12 * RATE) / RATE
    notes = 220.0 * 2 ** (np.floor(t * 2) % 12 / 12)  # a note every 0.5 s
    tones = (0.3 * np.sin(2 * np.pi * notes * t) + 0.2 * np.sin(2 * np.pi * 1.5 * notes * t)).astype(np.float32)
    split = split_voices(tones, RATE, model())
    assert split.note in ("no_speech", "too_short", "one_voice")
    assert len(split.voices) <= 1
    nan = np.full(6 * RATE, np.nan, np.float32)
    assert split_voices(nan, RATE, model()).note == "no_speech"


def test_voiceprint_of_another_rate_or_method_is_incompatible_not_an_error() -> None:
    samples, _ = call("ppasr_test.wav")
    split = split_voices(samples, RATE, model())
    good = rep_print()
    assert good.sample_rate == RATE and good.method == METHOD and good.seconds > 2.0
    for bad in (Voiceprint(good.vector, good.seconds, 8000, METHOD),
                Voiceprint(good.vector, good.seconds, RATE, "ecapa/1"),
                Voiceprint(np.zeros(192, np.float32), 3.0, RATE, METHOD),
                Voiceprint(np.ones(80, np.float32), 3.0, RATE, METHOD)):
        roles = roles_by_voiceprint(split, [bad])
        assert {r.role for r in roles.values()} == {"unknown"}
        assert {r.reason for r in roles.values()} == {"voiceprint_incompatible"}
    # An incompatible print next to a good one is ignored.
    roles = roles_by_voiceprint(split, [Voiceprint(good.vector, 1.0, 8000, METHOD), good])
    assert sorted(r.role for r in roles.values()) == ["customer", "rep"]
    assert {r.reason for r in roles_by_voiceprint(split, []).values()} == {"no_voiceprint"}
    empty = voiceprint([np.zeros(3 * RATE, np.float32)], RATE, model())
    assert empty.seconds == 0.0 and not np.any(empty.vector)


def _split(vectors: list[np.ndarray], seconds: list[float], band: str = "wide") -> VoiceSplit:
    voices = tuple(range(len(vectors)))
    turns = tuple(VoiceTurn(float(i), float(i) + seconds[i], i) for i in voices)
    prints = {i: (v / np.linalg.norm(v)).astype(np.float32) for i, v in enumerate(vectors)}
    return VoiceSplit(turns, voices, dict(enumerate(seconds)), prints, float(sum(seconds)), None, band=band)


def _unit(i: int) -> np.ndarray:
    v = np.zeros(192, np.float32)
    v[i] = 1.0
    return v


def _with_sim(sim: float) -> np.ndarray:
    """A vector at cosine `sim` from _unit(0)."""
    return sim * _unit(0) + np.sqrt(1 - sim * sim) * _unit(1)


REP = Voiceprint(_unit(0), 20.0, RATE, METHOD)


def test_roles_rules() -> None:
    # rep clearly matching, customer clearly not.
    r = roles_by_voiceprint(_split([_with_sim(0.7), _with_sim(0.05)], [10, 10]), [REP])
    assert (r[0].role, r[1].role) == ("rep", "customer") and r[0].similarity == pytest.approx(0.7, abs=1e-3)
    assert r[0].confidence > 0.5 and r[1].confidence > 0.5
    # The same rep split in two: both within rep_close of the best.
    r = roles_by_voiceprint(_split([_with_sim(0.7), _with_sim(0.6), _with_sim(0.0)], [10, 5, 10]), [REP])
    assert [r[v].role for v in (0, 1, 2)] == ["rep", "rep", "customer"]
    # Between: not close to the best, not far enough below it.
    r = roles_by_voiceprint(_split([_with_sim(0.7), _with_sim(0.5)], [10, 10]), [REP])
    assert (r[0].role, r[1].role, r[1].reason) == ("rep", "unknown", "near_rep_voiceprint")
    # Nobody matches: clearly unlike → customer with little confidence; the rest unknown.
    r = roles_by_voiceprint(_split([_with_sim(0.2), _with_sim(-0.1)], [10, 10]), [REP])
    assert (r[0].role, r[1].role) == ("unknown", "customer") and r[1].confidence <= 0.5
    assert r[1].reason == "no_voice_matches_rep"
    # Too little speech to judge.
    r = roles_by_voiceprint(_split([_with_sim(0.8), _with_sim(0.0)], [10, 1.5]), [REP])
    assert (r[0].role, r[1].role, r[1].reason) == ("rep", "unknown", "too_little_speech")
    # Several prints: the best match counts.
    r = roles_by_voiceprint(_split([_with_sim(0.6), _with_sim(0.0)], [10, 10]),
                            [Voiceprint(_unit(5), 9.0, RATE, METHOD), REP])
    assert (r[0].role, r[1].role) == ("rep", "customer")
    # One voice in a call: no role, however well it matches (it may be both parties merged).
    r = roles_by_voiceprint(_split([_with_sim(0.9)], [10]), [REP])
    assert (r[0].role, r[0].reason, r[0].similarity) == ("unknown", "one_voice", pytest.approx(0.9, abs=1e-3))
    assert roles_by_voiceprint(VoiceSplit((), (), {}, {}, 0.0, "no_speech"), [REP]) == {}


def test_telephone_band_calls_are_judged_with_their_own_thresholds() -> None:
    narrow_rep = Voiceprint(_unit(0), 20.0, RATE, METHOD_NARROW)
    wide_call = _split([_with_sim(0.40), _with_sim(0.05)], [10, 10])
    narrow_call = _split([_with_sim(0.40), _with_sim(0.05)], [10, 10], band="narrow")
    # 0.40 is a clear match in the full band, but in the telephone band strangers reach it.
    r = roles_by_voiceprint(wide_call, [REP, narrow_rep])
    assert (r[0].role, r[1].role) == ("rep", "customer")
    r = roles_by_voiceprint(narrow_call, [REP, narrow_rep])
    assert (r[0].role, r[1].role) == ("unknown", "customer") and r[1].reason == "no_voice_matches_rep"
    r = roles_by_voiceprint(_split([_with_sim(0.75), _with_sim(0.40)], [10, 10], band="narrow"), [REP, narrow_rep])
    assert (r[0].role, r[1].role) == ("rep", "customer")
    # Only a print of the other band: compared anyway, with the full-band thresholds.
    r = roles_by_voiceprint(narrow_call, [REP])
    assert (r[0].role, r[1].role) == ("rep", "customer")


def test_options_defaults_are_the_measured_ones() -> None:
    o = VoiceOptions()
    assert (o.window_s, o.hop_s, o.stop_similarity, o.max_voices, o.min_share, o.smooth_s) == (1.5, 0.75, 0.55, 4, 0.10, 0.31)
    assert (o.rep_min_similarity, o.rep_close, o.customer_margin, o.customer_floor) == (0.25, 0.15, 0.25, 0.10)
    assert (o.min_party_speech_s, o.min_call_s) == (2.0, 5.0)
    assert (o.narrow_stop_similarity, o.narrow_rep_min_similarity, o.narrow_rep_close, o.narrow_customer_margin,
            o.narrow_customer_floor) == (0.62, 0.45, 0.10, 0.20, 0.30)
