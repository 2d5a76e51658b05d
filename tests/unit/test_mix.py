"""Building recordings from clips (nlp/speech/mix.py): pauses, turns, channels, band, level, WAV."""
from __future__ import annotations

import io
import wave

import numpy as np
import pytest

from nlp.speech.mix import band_limit, concat_with_pauses, peak_dbfs, scale_to_peak, telephone, two_party_call, wav_bytes

RATE = 16000


def tone(freq: float, seconds: float, amp: float = 0.5) -> np.ndarray:
    t = np.arange(int(RATE * seconds)) / RATE
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))


def test_concat_puts_each_pause_after_its_clip() -> None:
    a, b = np.ones(100, np.float32), np.full(50, 0.5, np.float32)
    out = concat_with_pauses([a, b], 0.01, RATE)
    assert len(out) == 100 + 160 + 50 + 160
    assert out[100:260].max() == 0 and out[260] == 0.5
    assert len(concat_with_pauses([a, b], [0.01, 0.5], RATE, trailing=False)) == 100 + 160 + 50


def test_two_party_call_times_and_channels() -> None:
    rep, customer = tone(300, 1.0), tone(500, 0.5)
    mono, turns = two_party_call([("rep", "a.wav", rep), ("customer", "b.wav", customer), ("rep", "a.wav", rep)],
                                 RATE, pause_s=0.25)
    assert [(t.speaker, t.start_s, t.end_s) for t in turns] == [
        ("rep", 0.0, 1.0), ("customer", 1.25, 1.75), ("rep", 2.0, 3.0)]
    assert len(mono) == 3 * RATE
    stereo, _ = two_party_call([("rep", "a", rep), ("customer", "b", customer)], RATE, pause_s=0.25,
                               stereo_order=("customer", "rep"))
    assert stereo.shape == (2, int(1.75 * RATE))
    # The rep is on the right channel (index 1) only, the customer on the left only.
    assert rms(stereo[1, :RATE]) > 0.3 and rms(stereo[0, :RATE]) == 0
    assert rms(stereo[0, int(1.25 * RATE):]) > 0.3 and rms(stereo[1, int(1.25 * RATE):]) == 0


def test_band_limit_keeps_speech_band_and_cuts_outside() -> None:
    for freq, kept in ((1000, True), (2500, True), (100, False), (6000, False)):
        out = band_limit(tone(freq, 1.0), RATE)
        ratio = rms(out[2000:-2000]) / rms(tone(freq, 1.0)[2000:-2000])
        assert (ratio > 0.95) if kept else (ratio < 0.01), (freq, ratio)


def test_telephone_is_8khz_and_half_as_long() -> None:
    out, rate = telephone(tone(1000, 1.0), RATE)
    assert rate == 8000 and len(out) == 8000
    with pytest.raises(ValueError):
        telephone(tone(1000, 0.1), 22050)


def test_scale_to_peak() -> None:
    quiet = scale_to_peak(tone(440, 0.5, amp=0.9), -40.0)
    assert peak_dbfs(quiet) == pytest.approx(-40.0, abs=0.01)
    assert peak_dbfs(np.zeros(10, np.float32)) == float("-inf")
    assert not scale_to_peak(np.zeros(10, np.float32), -20).any()


def test_wav_bytes_round_trip_is_exact_for_16_bit_samples() -> None:
    pcm = np.array([[-32768, -1, 0, 1, 32767], [5, 6, 7, 8, 9]], dtype=np.int16)
    data = wav_bytes(pcm.astype(np.float32) / 32768.0, RATE)
    with wave.open(io.BytesIO(data)) as w:
        assert (w.getnchannels(), w.getframerate(), w.getsampwidth()) == (2, RATE, 2)
        back = np.frombuffer(w.readframes(w.getnframes()), "<i2").reshape(-1, 2).T
    assert (back == pcm).all()
