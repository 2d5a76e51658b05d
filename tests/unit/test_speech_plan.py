"""nlp.speech.transcribe's pure parts: loudness, window planning, time mapping, finding untranscribed speech."""
from __future__ import annotations

import numpy as np
import pytest

from nlp.speech.audio import DecodedAudio
from nlp.speech.transcribe import (
    Segment, TranscribeError, TranscribeOptions, Transcript, _join, _pack, _same_signal, _speakers, _untranscribed,
    _Window,
    normalise_loudness, plan_windows, transcribe,
)

SR = 16000


def s(seconds: float) -> int:
    return int(seconds * SR)


# ---- loudness --------------------------------------------------------------------------------------
def test_quiet_audio_is_lifted_normal_audio_untouched() -> None:
    rng = np.random.default_rng(0)
    speechy = (np.sin(np.linspace(0, 2000, SR * 3)) * rng.uniform(0.2, 1.0, SR * 3)).astype(np.float32)
    quiet = speechy * 10 ** (-60 / 20)
    lifted = normalise_loudness(quiet)
    assert 20 * np.log10(np.abs(lifted).max()) == pytest.approx(-20, abs=1.5)
    normal = speechy * 10 ** (-24 / 20)
    assert normalise_loudness(normal) is normal  # the field clips' level: bit-identical


def test_silence_and_clicks() -> None:
    silence = np.zeros(SR, np.float32)
    assert normalise_loudness(silence) is silence
    quiet = np.full(SR * 10, 1e-4, np.float32)
    quiet[100] = 0.9  # one click does not set the gain
    assert np.abs(normalise_loudness(quiet)).max() == 1.0  # clipped click, lifted rest
    assert normalise_loudness(quiet)[5000] == pytest.approx(1e-4 * 10 ** (50 / 20), rel=0.01)  # gain capped


# ---- windows ----------------------------------------------------------------------------------------
def test_windows_pack_regions_and_shorten_long_pauses() -> None:
    regions = [(s(0), s(5)), (s(5.5), s(12)), (s(20), s(26)), (s(27), s(40)), (s(41), s(45))]
    windows = plan_windows(regions, SR, max_chunk_s=30, max_pause_s=1.0)
    # 0–12 (the 0.5 s pause kept whole), the 8 s pause shortened to 1 s, 20–26; 27–40 would overfill it
    assert windows == [((s(0), s(12.5)), (s(19.5), s(26))), ((s(27), s(45)),)]
    assert all(sum(b - a for a, b in w) <= s(30) for w in windows)
    flat = [p for w in windows for p in w]
    assert all(a < b for a, b in flat) and all(flat[i][1] <= flat[i + 1][0] for i in range(len(flat) - 1))
    for a, b in regions:  # every region is inside the windows
        assert any(pa <= a and b <= pb for w in windows for pa, pb in w) or b - a > s(30)


def test_overlong_region_is_cut() -> None:
    windows = plan_windows([(0, s(70))], SR, max_chunk_s=30, max_pause_s=1.0)
    assert [sum(b - a for a, b in w) for w in windows] == [s(30), s(30), s(10)]


def test_window_time_mapping() -> None:
    w = _Window(((s(10), s(15)), (s(30), s(40))), channel=0)
    assert w.samples == s(15)
    assert w.original(2.0, SR) == pytest.approx(12.0)
    assert w.original(5.0, SR) == pytest.approx(30.0)
    assert w.original(5.0, SR, is_end=True) == pytest.approx(15.0)
    assert w.original(7.5, SR) == pytest.approx(32.5)
    assert w.slice(4.0, 8.0, SR) == ((s(14), s(15)), (s(30), s(33)))
    assert w.speech([(s(12), s(14)), (s(35), s(50))], SR) == [(2.0, 4.0), (10.0, 15.0)]
    audio = np.arange(s(50), dtype=np.float32)
    assert np.array_equal(w.audio(audio), np.concatenate([audio[s(10):s(15)], audio[s(30):s(40)]]))


def test_untranscribed_speech_is_found_in_the_middle_and_at_the_end() -> None:
    speech = [(0.0, 6.0), (8.0, 12.0), (14.0, 20.0)]
    segments = [(0.0, 6.0, "第一句"), (14.0, 16.0, "第三句")]
    gaps = _untranscribed(segments, speech, duration_s=20.0, reached_s=16.0, min_speech_s=1.0)
    assert gaps == [(6.3, 13.7), (16.3, 20.0)]
    # Everything covered: nothing to redo; a short unheard bit is not worth a window.
    assert _untranscribed([(0, 12.1, "a"), (13.8, 20, "b")], speech, 20.0, 20.0, 1.0) == []
    # Nothing decoded although the VAD heard speech: the whole window again.
    assert _untranscribed([], speech, 20.0, 0.0, 1.0) == [(0.0, 20.0)]


def test_untranscribed_slices_are_packed_together() -> None:
    slices = [(0, ((s(10), s(14)),)), (1, ((s(3), s(5)),)), (0, ((s(50), s(56)),)), (0, ((s(90), s(120)),))]
    packed = _pack(slices, limit=s(30))
    assert [(w.channel, w.pieces) for w in packed] == [
        (0, ((s(10), s(14)), (s(50), s(56)))), (0, ((s(90), s(120)),)), (1, ((s(3), s(5)),))]


# ---- channels and text ----------------------------------------------------------------------------------
def test_same_signal_on_both_channels() -> None:
    rng = np.random.default_rng(1)
    x = rng.standard_normal(SR).astype(np.float32)
    assert _same_signal(x, x * 0.99, 0.98)
    assert not _same_signal(x, rng.standard_normal(SR).astype(np.float32), 0.98)
    assert not _same_signal(x, np.zeros(SR, np.float32), 0.98)  # a silent side is still a two-channel call


def test_speakers_from_the_layout() -> None:
    assert _speakers("rep_left", 2) == ["rep", "customer"]
    assert _speakers("rep_right", 2) == ["customer", "rep"]
    assert _speakers("mono", 2) == ["unknown"] and _speakers("rep_left", 1) == ["unknown"]


def test_join_runs_speakers_together_and_breaks_lines_between_them() -> None:
    segs = [Segment(0, 1, "rep", "王总您好", -0.2, 0.0), Segment(1, 2, "rep", "我是小李", -0.2, 0.0),
            Segment(2, 3, "customer", "你好", -0.2, 0.0), Segment(3, 4, "customer", "OK", -0.2, 0.0),
            Segment(4, 5, "customer", "fine", -0.2, 0.0)]
    assert _join(segs) == "王总您好我是小李\n你好OK fine"


def test_transcript_json_shape() -> None:
    t = Transcript("你好", "zh", 3.0, (Segment(0.5, 1.25, "unknown", "你好", -0.2, 0.01),), "unknown")
    assert t.as_dict() == {"text": "你好", "language": "zh", "duration_s": 3.0, "speaker_mode": "unknown",
                           "speakers": {"method": "none", "attributed_share": None, "note": None, "voices": 0,
                                        "roles": []},
                           "segments": [{"start_s": 0.5, "end_s": 1.25, "speaker": "unknown",
                                         "speaker_confidence": None, "voice": None, "text": "你好"}],
                           "conversation": None}


class _FakeModel:
    class feature_extractor:  # noqa: N801 - mimics faster-whisper's attribute
        sampling_rate = 16000


def test_bad_layout_and_sample_rate() -> None:
    audio = DecodedAudio((np.zeros(SR, np.float32),), SR, 1.0, "wav", "pyav:pcm_s16le")
    with pytest.raises(TranscribeError):
        transcribe(_FakeModel(), audio, "left")
    with pytest.raises(TranscribeError):
        transcribe(_FakeModel(), DecodedAudio(audio.channels, 8000, 2.0, "wav", "x"), "mono")


def test_options_are_frozen() -> None:
    with pytest.raises(AttributeError):
        TranscribeOptions().beam_size = 1  # type: ignore[misc]
