"""Building recordings from clips: calls with pauses, two-channel calls, telephone band, level.

The test data ships short real clips; longer or derived recordings (a 195 s call, a telephone-band
copy, a quiet handset recording, a rep/customer stereo call, two-party mono calls) are built from
them with these functions instead of being stored. Plain numpy: float32 samples in [-1, 1] in,
float32 out; `wav_bytes` encodes 16-bit PCM.
"""
from __future__ import annotations

import io
import wave
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Turn:
    """One stretch of speech in a built call: which party, where, and the clip it came from."""

    speaker: str
    start_s: float
    end_s: float
    source: str


def silence(seconds: float, sample_rate: int) -> np.ndarray:
    """`seconds` of digital silence."""
    return np.zeros(int(round(seconds * sample_rate)), dtype=np.float32)


def concat_with_pauses(clips: list[np.ndarray], pause_s: float | list[float], sample_rate: int,
                       *, trailing: bool = True) -> np.ndarray:
    """The clips one after another, each followed by a pause (the last one too when `trailing`)."""
    pauses = pause_s if isinstance(pause_s, list) else [pause_s] * len(clips)
    parts: list[np.ndarray] = []
    for i, clip in enumerate(clips):
        parts.append(np.asarray(clip, dtype=np.float32))
        if trailing or i < len(clips) - 1:
            parts.append(silence(pauses[i], sample_rate))
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.float32)


def two_party_call(turns: list[tuple[str, str, np.ndarray]], sample_rate: int, *, pause_s: float | list[float] = 0.5,
                   stereo_order: tuple[str, str] | None = None) -> tuple[np.ndarray, list[Turn]]:
    """Turns (speaker, source name, samples) in order with pauses between them, never overlapping.

    Returns mono samples (or, with `stereo_order` = (left speaker, right speaker), an array of
    shape (2, n) with each party on its own channel) and the turns' times.
    """
    pauses = pause_s if isinstance(pause_s, list) else [pause_s] * len(turns)
    spans: list[Turn] = []
    at = 0
    for i, (speaker, source, clip) in enumerate(turns):
        spans.append(Turn(speaker, at / sample_rate, (at + len(clip)) / sample_rate, source))
        at += len(clip)
        if i < len(turns) - 1:
            at += int(round(pauses[i] * sample_rate))
    if stereo_order is None:
        out = np.zeros(at, dtype=np.float32)
    else:
        out = np.zeros((2, at), dtype=np.float32)
    for span, (speaker, _, clip) in zip(spans, turns):
        start = int(round(span.start_s * sample_rate))
        if stereo_order is None:
            out[start:start + len(clip)] = clip
        else:
            out[stereo_order.index(speaker), start:start + len(clip)] = clip
    return out, spans


def peak_dbfs(samples: np.ndarray) -> float:
    """The highest absolute sample in dB relative to full scale (-inf for silence)."""
    peak = float(np.max(np.abs(samples))) if samples.size else 0.0
    return 20.0 * np.log10(peak) if peak > 0 else float("-inf")


def scale_to_peak(samples: np.ndarray, target_dbfs: float) -> np.ndarray:
    """The same audio with its peak at `target_dbfs` (a quiet handset, a loud party)."""
    current = peak_dbfs(samples)
    if current == float("-inf"):
        return samples.astype(np.float32, copy=True)
    return (samples * np.float32(10.0 ** ((target_dbfs - current) / 20.0))).astype(np.float32)


def band_limit(samples: np.ndarray, sample_rate: int, low_hz: float = 300.0, high_hz: float = 3400.0,
               skirt_hz: float = 100.0) -> np.ndarray:
    """Keep only `low_hz`..`high_hz` (the telephone band): zero-phase, raised-cosine edges `skirt_hz` wide each side."""
    n = len(samples)
    if n == 0:
        return samples.astype(np.float32, copy=True)
    freqs = np.fft.rfftfreq(n, 1.0 / sample_rate)
    # Half gain at each cut-off, like a linear-phase sinc filter's transition band.
    ramp = (np.clip((freqs - (low_hz - skirt_hz)) / (2 * skirt_hz), 0.0, 1.0)
            * np.clip(((high_hz + skirt_hz) - freqs) / (2 * skirt_hz), 0.0, 1.0))
    gain = 0.5 - 0.5 * np.cos(np.pi * ramp)
    return np.fft.irfft(np.fft.rfft(samples.astype(np.float64)) * gain, n).astype(np.float32)


def telephone(samples: np.ndarray, sample_rate: int) -> tuple[np.ndarray, int]:
    """Telephone audio: band-limited to 300–3400 Hz and resampled to 8 kHz (from a multiple of 8 kHz)."""
    if sample_rate % 8000:
        raise ValueError(f"telephone() needs a multiple of 8 kHz, not {sample_rate} Hz")
    step = sample_rate // 8000
    # The band limit is below 4 kHz, so taking every step-th sample aliases nothing.
    return band_limit(samples, sample_rate)[::step].copy(), 8000


def wav_bytes(samples: np.ndarray, sample_rate: int) -> bytes:
    """16-bit PCM WAV of mono (n,) or multi-channel (channels, n) float samples."""
    data = np.atleast_2d(np.asarray(samples, dtype=np.float32))
    # 32768: the decoders' scale, so decoded 16-bit PCM written again is bit-identical.
    pcm = np.clip(np.round(data * 32768.0), -32768, 32767).astype("<i2")
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(data.shape[0])
        w.setsampwidth(2)
        w.setframerate(sample_rate)
        w.writeframes(pcm.T.tobytes())
    return buf.getvalue()
