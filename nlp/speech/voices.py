"""Who spoke when on a mono call: CAM++ voice embeddings, clustered into the call's voices.

Pure: samples and the loaded model (nlp/speech/campp.Campp) in, dataclasses out.

`split_voices`: slow AGC (a quiet party beside a loud one would otherwise fall below Silero's
threshold) → Silero VAD as faster-whisper ships it, threshold 0.3 (or the caller's speech regions)
→ fbank once over the speech → the frame-level CAM++ network over the speech (padded 100 ms) in
chunks of ≤ 10 s, two at a time → 1.5 s windows every 0.75 s inside each speech region, pooled
from those frames → average-linkage clustering on cosine similarity of the windows ≥ 1 s to
estimate how many voices (merging stops below `stop_similarity`; a group needs `min_share` of the
windows) → refined by re-assigning windows to the voices' centroids (a third or fourth group
whose centroid is within `merge_similarity` of another is folded into it) → 10 ms frame labels by
the covering windows' votes, smoothed over `smooth_s` within a region → turns, stretched over the
VAD's 250 ms padding.

Telephone-band calls (nothing above 4 kHz) are clustered and judged with thresholds of their own
against the rep's telephone-band print. Measured figures: docs/speech.md, "Who said what".

`voiceprint`: one pooled embedding of a person's speech (enrolment). `roles_by_voiceprint`: which
of a call's voices is the enrolled rep, which the customer, and which cannot be told.
"""
from __future__ import annotations

import ctypes
import glob
import os
import threading
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np

from .campp import EMBEDDING_DIM, SAMPLE_RATE, Campp, fbank
from .mix import band_limit

METHOD = "campplus-zh_en-16k/1"  # a voiceprint heard in the full band
METHOD_NARROW = "campplus-zh_en-16k/1@tel"  # the same voice heard through the telephone band (300–3400 Hz)
BANDS = {METHOD: "wide", METHOD_NARROW: "narrow"}
# Energy above 3.8 kHz against the 0.3–3.4 kHz band: −8…−26 dB on wideband calls, ≤ −51 dB after an
# 8 kHz telephone or AMR-NB channel (bench.speakers, all 364 calls); the cut sits between.
NARROW_BELOW_DB = -38.0
_FRAME_S = 0.01  # fbank frame shift
_FRAME_CENTRE_S = 0.0125  # a frame's 25 ms window is centred 12.5 ms after its start
_CHUNK_FRAMES = 1000  # 10 s of speech per forward pass: shared work, buffers that stay in cache, two threads balanced
_MIN_WINDOW_S = 0.4  # shorter stretches of speech get no embedding of their own
_CLUSTER_WINDOW_S = 1.0  # shorter windows (short speech regions) are too noisy to decide how many voices
_MAX_STRAY = 0.3  # more windows than this outside every voice's group: more voices than we keep
_MAX_CLUSTERED = 800  # windows clustered exactly; the rest are assigned to the centroids


@dataclass(frozen=True)
class VoiceOptions:
    window_s: float = 1.5
    hop_s: float = 0.75
    stop_similarity: float = 0.55  # average-linkage merge stops below this
    max_voices: int = 4
    min_share: float = 0.10  # a group needs ≥ this share of windows
    smooth_s: float = 0.31
    rep_min_similarity: float = 0.25
    rep_close: float = 0.15
    customer_margin: float = 0.25
    customer_floor: float = 0.10
    min_party_speech_s: float = 2.0
    min_call_s: float = 5.0
    # Additions:
    threads: int = 2  # forward passes run side by side (numpy's BLAS is held to one thread each)
    agc: bool = True  # slow AGC before VAD and features
    vad_threshold: float = 0.3  # lower than transcription's 0.5: a quiet or band-limited party still counts
    vad_min_silence_ms: int = 200
    vad_speech_pad_ms: int = 250
    vad_min_speech_ms: int = 200
    embed_pad_ms: int = 100  # padding of the speech the voices are embedded from (turns use vad_speech_pad_ms)
    refine_rounds: int = 5
    merge_similarity: float = 0.45  # after refining, voices whose centroids are this alike are one voice
    # Telephone-band calls against telephone-band prints: every voice sounds more alike (strangers
    # 0.2–0.6 instead of −0.15–0.25; the rep 0.52–0.93 instead of 0.65–0.93), so the same rule with
    # its own thresholds.
    narrow_stop_similarity: float = 0.62  # telephone band: voices sound more alike (bench.speakers seed 0: 0.55 left
    # 8 of 182 two-party calls as one voice; 0.68 split 5 of 34 one-voice recordings in two)
    narrow_rep_min_similarity: float = 0.45
    narrow_rep_close: float = 0.10
    narrow_customer_margin: float = 0.20
    narrow_customer_floor: float = 0.30


@dataclass(frozen=True)
class _Thresholds:
    rep_min: float
    close: float
    margin: float
    floor: float


def _thresholds(options: VoiceOptions, band: str) -> _Thresholds:
    if band == "narrow":
        return _Thresholds(options.narrow_rep_min_similarity, options.narrow_rep_close,
                           options.narrow_customer_margin, options.narrow_customer_floor)
    return _Thresholds(options.rep_min_similarity, options.rep_close, options.customer_margin, options.customer_floor)


@dataclass(frozen=True)
class VoiceTurn:
    start_s: float
    end_s: float
    voice: int  # voices numbered 0.. by first appearance


@dataclass(frozen=True)
class VoiceSplit:
    turns: tuple[VoiceTurn, ...]
    voices: tuple[int, ...]
    seconds: dict[int, float]  # speech seconds per voice
    prints: dict[int, np.ndarray]  # pooled, L2-normalised embedding per voice
    speech_s: float
    note: str | None  # None, or why unsure: 'too_short', 'no_speech', 'one_voice', 'many_voices'
    windows: int = 0  # embedded windows (addition)
    band: str = "wide"  # wide / narrow: the band the voices were embedded in


@dataclass(frozen=True)
class Voiceprint:
    vector: np.ndarray
    seconds: float
    sample_rate: int
    method: str  # e.g. 'campplus-zh_en-16k/1'


@dataclass(frozen=True)
class VoiceRole:
    voice: int
    role: str  # rep / customer / unknown
    confidence: float
    similarity: float | None
    reason: str


# --------------------------------------------------------------------------- audio

def _to_16k(audio: np.ndarray, sample_rate: int) -> np.ndarray:
    """Mono float32 at 16 kHz (linear interpolation: the model only needs < 8 kHz)."""
    x = np.asarray(audio, dtype=np.float32).reshape(-1)
    if sample_rate == SAMPLE_RATE or x.size == 0:
        return x
    n = int(round(x.size * SAMPLE_RATE / sample_rate))
    t = np.arange(n, dtype=np.float64) * (sample_rate / SAMPLE_RATE)
    return np.interp(t, np.arange(x.size), x).astype(np.float32)


def band_energy_db(audio: np.ndarray, sample_rate: int = SAMPLE_RATE) -> float:
    """Energy above 3.8 kHz relative to the 0.3–3.4 kHz band, in dB (−120 for silence)."""
    x = _to_16k(audio, sample_rate).astype(np.float64)
    x = x[np.isfinite(x)]
    if x.size < 1024:
        return -120.0
    # Averaged periodogram of 4096-sample blocks: the same answer as one FFT, bounded memory.
    n = 4096
    blocks = x[: (x.size // n) * n].reshape(-1, n) if x.size >= n else np.pad(x, (0, n - x.size))[None, :]
    power = np.square(np.abs(np.fft.rfft(blocks * np.hanning(n), axis=1))).sum(axis=0)
    freqs = np.fft.rfftfreq(n, 1.0 / SAMPLE_RATE)
    speech = float(power[(freqs >= 300) & (freqs <= 3400)].sum())
    high = float(power[(freqs >= 3800) & (freqs <= 7600)].sum())
    if speech <= 0:
        return -120.0
    return float(10.0 * np.log10(max(high, 1e-30) / speech))


def is_narrowband(audio: np.ndarray, sample_rate: int = SAMPLE_RATE) -> bool:
    """Heard through a telephone channel (8 kHz, AMR-NB): nothing above 4 kHz."""
    if sample_rate <= 8000:
        return True
    return band_energy_db(audio, sample_rate) < NARROW_BELOW_DB


def call_band(audio: np.ndarray, sample_rate: int, prints: Sequence[Voiceprint] = ()) -> str:
    """The band to hear a call's voices in: narrow when the call is, or when the rep's prints all are."""
    if is_narrowband(audio, sample_rate):
        return "narrow"
    bands = {BANDS.get(p.method) for p in prints if _compatible(p)}
    return "narrow" if bands == {"narrow"} else "wide"


def slow_agc(audio: np.ndarray, sample_rate: int = SAMPLE_RATE, target_dbfs: float = -20.0,
             max_gain_db: float = 30.0, max_cut_db: float = 10.0, hold_s: float = 1.5) -> np.ndarray:
    """Level each stretch to `target_dbfs` RMS with a gain that changes over seconds, not syllables.

    The level is the loudest 50 ms block within ±`hold_s`, so a pause takes its neighbours' gain
    and a quiet party's speech is raised as a whole; digital silence stays silent.
    """
    x = np.asarray(audio, dtype=np.float32)
    block = int(0.05 * sample_rate)
    n = len(x) // block
    if n == 0:
        return x.copy()
    power = np.square(x[:n * block].astype(np.float64)).reshape(n, block).mean(axis=1)
    level = 10.0 * np.log10(np.maximum(power, 1e-12))
    half = max(1, int(hold_s / 0.05))
    padded = np.pad(level, half, constant_values=-120.0)
    held = np.lib.stride_tricks.sliding_window_view(padded, 2 * half + 1).max(axis=1)
    # Smooth the held level so the gain ramps instead of stepping.
    kernel = np.hanning(2 * half + 1)
    kernel /= kernel.sum()
    held = np.convolve(np.pad(held, half, mode="edge"), kernel, mode="valid")
    gain_db = np.clip(target_dbfs - held, -max_cut_db, max_gain_db)
    centres = (np.arange(n) + 0.5) * block
    gain = 10.0 ** (np.interp(np.arange(len(x)), centres, gain_db) / 20.0)
    return np.clip(x * gain.astype(np.float32), -1.0, 1.0)


def speech_regions(audio: np.ndarray, options: VoiceOptions = VoiceOptions(), pad_ms: int | None = None
                   ) -> list[tuple[float, float]]:
    """(start_s, end_s) of speech by faster-whisper's Silero VAD, 16 kHz audio, padded by `pad_ms`
    (default: the options' `vad_speech_pad_ms`)."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    pad = options.vad_speech_pad_ms if pad_ms is None else pad_ms
    vad = VadOptions(threshold=options.vad_threshold, min_silence_duration_ms=options.vad_min_silence_ms,
                     speech_pad_ms=pad, min_speech_duration_ms=options.vad_min_speech_ms)
    return [(r["start"] / SAMPLE_RATE, r["end"] / SAMPLE_RATE)
            for r in get_speech_timestamps(audio, vad, sampling_rate=SAMPLE_RATE)]


def _clean_regions(speech: Sequence[tuple[float, float]], duration_s: float) -> list[tuple[float, float]]:
    """Sorted, clipped, merged regions."""
    out: list[list[float]] = []
    for a, b in sorted((max(0.0, float(a)), min(duration_s, float(b))) for a, b in speech):
        if b <= a:
            continue
        if out and a <= out[-1][1]:
            out[-1][1] = max(out[-1][1], b)
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


# --------------------------------------------------------------------------- threads

def _find_blas_local_threads() -> object | None:
    """OpenBLAS's per-thread thread count setter in numpy's bundled BLAS, if there is one."""
    import numpy

    libs = os.path.join(os.path.dirname(os.path.dirname(numpy.__file__)), "numpy.libs")
    for path in sorted(glob.glob(os.path.join(libs, "*openblas*.so*"))):
        try:
            fn = ctypes.CDLL(path).openblas_set_num_threads_local
        except (OSError, AttributeError):
            continue
        fn.argtypes, fn.restype = [ctypes.c_int], ctypes.c_int
        return fn
    return None


_blas_lock = threading.Lock()
_blas_setter: list[object | None] = []


def _blas_local() -> object | None:
    with _blas_lock:
        if not _blas_setter:
            _blas_setter.append(_find_blas_local_threads())
        return _blas_setter[0]


def _frames_many(embedder: Campp, chunks: list[np.ndarray], threads: int) -> list[np.ndarray]:
    """The frame-level network over each chunk, `threads` chunks at a time.

    Side by side only where BLAS can be held to one thread per Python thread (else two
    Python threads × two BLAS threads fight over two cores: slower than one).
    """
    setter = _blas_local() if threads > 1 and len(chunks) > 1 else None
    if setter is None:
        return [embedder.frames(c) for c in chunks]

    def run(c: np.ndarray) -> np.ndarray:
        old = setter(1)  # type: ignore[operator]
        try:
            return embedder.frames(c)
        finally:
            setter(old)  # type: ignore[operator]

    with ThreadPoolExecutor(max_workers=threads) as pool:
        return list(pool.map(run, chunks))


# --------------------------------------------------------------------------- embedding

@dataclass
class _Stream:
    """The speech frames of a call, concatenated, and what was computed over them."""

    frame_index: np.ndarray  # stream position → fbank frame index in the recording
    region_of: np.ndarray  # stream position → region number
    chunks: list[tuple[int, int]] = field(default_factory=list)  # [start, end) stream positions
    spans: list[tuple[int, int]] = field(default_factory=list)  # windows, stream positions [start, end)
    embeddings: np.ndarray = field(default_factory=lambda: np.zeros((0, EMBEDDING_DIM), np.float32))


def _speech_frames(n_frames: int, regions: Sequence[tuple[float, float]]) -> tuple[np.ndarray, np.ndarray]:
    """fbank frames whose centre lies in a region, and the region of each."""
    centres = np.arange(n_frames) * _FRAME_S + _FRAME_CENTRE_S
    idx, reg = [], []
    for r, (a, b) in enumerate(regions):
        sel = np.nonzero((centres >= a) & (centres < b))[0]
        idx.append(sel)
        reg.append(np.full(len(sel), r))
    if not idx:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(idx).astype(np.int64), np.concatenate(reg).astype(np.int64)


def _plan_chunks(region_of: np.ndarray, limit: int = _CHUNK_FRAMES) -> list[tuple[int, int]]:
    """Stream positions cut into chunks of ≤ `limit`, at region boundaries where possible."""
    n = len(region_of)
    if n == 0:
        return []
    bounds = [0] + list(np.nonzero(np.diff(region_of))[0] + 1) + [n]
    chunks: list[tuple[int, int]] = []
    start = 0
    for i in range(1, len(bounds)):
        a, b = bounds[i - 1], bounds[i]
        if b - start > limit and a > start:
            chunks.append((start, a))
            start = a
        while b - start > limit:  # one region longer than a chunk: equal pieces
            pieces = -(-(b - start) // limit)
            step = -(-(b - start) // pieces)
            chunks.append((start, start + step))
            start += step
    if start < n:
        chunks.append((start, n))
    return chunks


def _window_starts(length: int, window: int, hop: int) -> list[int]:
    """Window starts over `length` output frames: every `hop`, the last one flush with the end."""
    if length <= window:
        return [0]
    starts = list(range(0, length - window + 1, hop))
    if starts[-1] + window < length:
        starts.append(length - window)
    return starts


def _embed_stream(audio: np.ndarray, regions: Sequence[tuple[float, float]], embedder: Campp,
                  options: VoiceOptions) -> _Stream:
    """fbank once, the frame-level network per chunk, windows pooled from its frames."""
    feats = fbank(audio)
    frame_index, region_of = _speech_frames(len(feats), regions)
    stream = _Stream(frame_index, region_of)
    if len(frame_index) == 0:
        return stream
    speech = feats[frame_index]
    # One mean over the whole call's speech: the channel is the same for every chunk.
    speech -= speech.mean(axis=0, keepdims=True)
    stream.chunks = _plan_chunks(region_of)
    outputs = _frames_many(embedder, [speech[a:b] for a, b in stream.chunks], max(1, options.threads))
    window = max(2, int(round(options.window_s / 0.02)))
    hop = max(1, int(round(options.hop_s / 0.02)))
    shortest = int(round(_MIN_WINDOW_S / 0.02))
    pooled = []
    for (a, b), out in zip(stream.chunks, outputs):
        # Windows stay inside one speech region: a pause is where the other party usually takes
        # over, and a window across it would hold both voices.
        spans = []
        bounds = [a] + list(a + np.nonzero(np.diff(region_of[a:b]))[0] + 1) + [b]
        for ra, rb in zip(bounds[:-1], bounds[1:]):
            oa, ob = (ra - a + 1) // 2, min(len(out), (rb - a + 1) // 2)  # output frame j ↔ fbank 2j
            if ob - oa < shortest:
                continue
            spans.extend((oa + s, min(ob, oa + s + window)) for s in _window_starts(ob - oa, window, hop))
        if not spans:
            continue
        pooled.append(embedder.pool(out, spans))
        stream.spans.extend((a + 2 * s, min(b, a + 2 * e)) for s, e in spans)
    if pooled:
        e = np.vstack(pooled)
        stream.embeddings = e / np.maximum(np.linalg.norm(e, axis=1, keepdims=True), 1e-9)
    return stream


# --------------------------------------------------------------------------- clustering

def _average_linkage(sim: np.ndarray, stop: float) -> list[list[int]]:
    """Agglomerative clustering, average linkage on similarity, merging while the best pair ≥ `stop`."""
    n = len(sim)
    s = sim.astype(np.float64).copy()
    np.fill_diagonal(s, -np.inf)
    size = np.ones(n)
    members: list[list[int] | None] = [[i] for i in range(n)]
    alive = np.ones(n, bool)
    while alive.sum() > 1:
        flat = int(np.argmax(s))
        i, j = divmod(flat, n)
        if s[i, j] < stop:
            break
        # Lance–Williams for average linkage: the merged row is the size-weighted mean.
        merged = (size[i] * s[i] + size[j] * s[j]) / (size[i] + size[j])
        s[i], s[:, i] = merged, merged
        s[i, i] = -np.inf
        s[j], s[:, j] = -np.inf, -np.inf
        size[i] += size[j]
        members[i] = members[i] + members[j]  # type: ignore[operator]
        members[j] = None
        alive[j] = False
    return [m for m in members if m is not None]


def _centroids(emb: np.ndarray, labels: np.ndarray, k: int) -> np.ndarray:
    c = np.stack([emb[labels == g].mean(axis=0) if np.any(labels == g) else np.zeros(emb.shape[1]) for g in range(k)])
    return c / np.maximum(np.linalg.norm(c, axis=1, keepdims=True), 1e-9)


def _cluster(emb: np.ndarray, options: VoiceOptions, reliable: np.ndarray | None = None,
             stop: float | None = None) -> tuple[np.ndarray, int, bool]:
    """Window labels 0..k-1, k, and whether more voices than `max_voices` (or than two) were heard.

    Only `reliable` windows (long enough) decide how many voices there are; all are then assigned.
    """
    n = len(emb)
    if n < 2:
        return np.zeros(n, np.int64), 1, False
    pool = np.nonzero(reliable)[0] if reliable is not None and reliable.sum() >= 2 else np.arange(n)
    pick = pool if len(pool) <= _MAX_CLUSTERED else \
        pool[np.linspace(0, len(pool) - 1, _MAX_CLUSTERED).round().astype(np.int64)]
    sub = emb[pick]
    stop = options.stop_similarity if stop is None else stop
    groups = sorted(_average_linkage(sub @ sub.T, stop), key=len, reverse=True)
    need = max(1, int(np.ceil(options.min_share * len(sub))))
    large = [g for g in groups if len(g) >= need]
    stray = 1.0 - sum(len(g) for g in large) / len(sub)
    # Many small groups and no dominant one (a meeting, a conference call): not one voice. Keep
    # the biggest groups as voices and say so, rather than fold everyone into one.
    too_many = len(large) > options.max_voices or stray > _MAX_STRAY
    if len(large) < 2 and stray > 0.5 and len(groups) > 1:
        large = groups[:options.max_voices]
    large = large or groups[:1]
    if len(large) > options.max_voices:
        # Keep merging the large groups (average linkage on their centroids) down to max_voices.
        while len(large) > options.max_voices:
            c = np.stack([sub[g].mean(axis=0) for g in large])
            c /= np.linalg.norm(c, axis=1, keepdims=True)
            s = c @ c.T
            np.fill_diagonal(s, -np.inf)
            i, j = divmod(int(np.argmax(s)), len(large))
            large[min(i, j)] = large[i] + large[j]
            del large[max(i, j)]
    k = len(large)
    labels_sub = np.zeros(len(sub), np.int64)
    for g, members in enumerate(large):
        labels_sub[members] = g
    cent = _centroids(sub, labels_sub, k)
    # Small groups (and every window when subsampled) go to the nearest large group; then refine.
    labels = np.argmax(emb @ cent.T, axis=1)
    for _ in range(options.refine_rounds):
        cent = _centroids(emb, labels, k)
        new = np.argmax(emb @ cent.T, axis=1)
        counts = np.bincount(new, minlength=k)
        if k > 1 and counts.min() < max(1, int(np.ceil(options.min_share * n)) // 2):
            # A voice that lost nearly all its windows was not a voice: drop it and re-assign.
            keep = [g for g in range(k) if counts[g] >= max(1, int(np.ceil(options.min_share * n)) // 2)] \
                or [int(np.argmax(counts))]
            cent = cent[keep]
            k = len(keep)
            new = np.argmax(emb @ cent.T, axis=1)
        if np.array_equal(new, labels):
            break
        labels = new
    # A third (fourth) group is often windows straddling two voices, or one voice's odd stretch:
    # its centroid sits close to a real voice's. Two parties are never merged this way: over the
    # telephone band two real voices' centroids come as close as 0.55.
    while k > 2:
        cent = _centroids(emb, labels, k)
        s = cent @ cent.T
        np.fill_diagonal(s, -np.inf)
        i, j = divmod(int(np.argmax(s)), k)
        if s[i, j] < options.merge_similarity:
            break
        i, j = min(i, j), max(i, j)
        labels = np.where(labels == j, i, labels)
        labels = np.where(labels > j, labels - 1, labels)
        k -= 1
        labels = np.argmax(emb @ _centroids(emb, labels, k).T, axis=1)
    return labels, k, too_many or k > 2


# --------------------------------------------------------------------------- frames → turns

def _frame_labels(stream: _Stream, labels: np.ndarray, k: int, smooth_frames: int) -> np.ndarray:
    """Per stream frame: the voice most of its covering windows voted for, smoothed within regions."""
    n = len(stream.frame_index)
    votes = np.zeros((n + 1, k))
    for (a, b), g in zip(stream.spans, labels):
        votes[a, g] += 1.0  # difference array: +1 at start, −1 at end
        votes[b, g] -= 1.0
    votes = np.cumsum(votes, axis=0)[:n]
    covered = votes.sum(axis=1) > 0
    if not covered.any():
        return np.zeros(n, np.int64)
    if not covered.all():
        # Stretches no window covers (a short chunk): the nearest covered frame's votes.
        idx = np.nonzero(covered)[0]
        nearest = idx[np.clip(np.searchsorted(idx, np.arange(n)), 0, len(idx) - 1)]
        before = idx[np.clip(np.searchsorted(idx, np.arange(n)) - 1, 0, len(idx) - 1)]
        pick = np.where(np.abs(before - np.arange(n)) <= np.abs(nearest - np.arange(n)), before, nearest)
        votes = votes[pick]
    votes = votes / votes.sum(axis=1, keepdims=True)
    if smooth_frames > 1:
        half = smooth_frames // 2
        out = np.empty_like(votes)
        bounds = [0] + list(np.nonzero(np.diff(stream.region_of))[0] + 1) + [n]
        for a, b in zip(bounds[:-1], bounds[1:]):
            c = np.vstack([np.zeros((1, k)), np.cumsum(votes[a:b], axis=0)])
            lo = np.clip(np.arange(b - a) - half, 0, b - a)
            hi = np.clip(np.arange(b - a) + half + 1, 0, b - a)
            out[a:b] = (c[hi] - c[lo]) / (hi - lo)[:, None]
        votes = out
    return np.argmax(votes, axis=1)


def _turns(stream: _Stream, frame_labels: np.ndarray, regions: Sequence[tuple[float, float]]
           ) -> list[tuple[float, float, int]]:
    """Runs of one label within each region, in seconds: (start, end, label)."""
    out: list[tuple[float, float, int]] = []
    n = len(frame_labels)
    if n == 0:
        return out
    change = np.nonzero((np.diff(frame_labels) != 0) | (np.diff(stream.region_of) != 0))[0] + 1
    starts = np.concatenate([[0], change])
    ends = np.concatenate([change, [n]])
    for a, b in zip(starts, ends):
        r = int(stream.region_of[a])
        ra, rb = regions[r]
        first = a == 0 or stream.region_of[a - 1] != r
        last = b == n or stream.region_of[b] != r
        t0 = ra if first else stream.frame_index[a] * _FRAME_S + _FRAME_CENTRE_S - _FRAME_S / 2
        t1 = rb if last else stream.frame_index[b - 1] * _FRAME_S + _FRAME_CENTRE_S + _FRAME_S / 2
        if t1 > t0:
            out.append((float(t0), float(t1), int(frame_labels[a])))
    return out


def _widen(turns: list[tuple[float, float, int]], regions: Sequence[tuple[float, float]]
           ) -> list[tuple[float, float, int]]:
    """Turns found on the unpadded speech stretched over the padded regions that hold them: the
    first and last turn of a region reach its edges, a gap between two turns is split in the middle."""
    out: list[list[float]] = []
    starts = np.array([a for a, _ in regions])
    by_region: dict[int, list[list[float]]] = {}
    for a, b, g in turns:
        r = int(np.searchsorted(starts, (a + b) / 2, side="right")) - 1
        by_region.setdefault(max(r, 0), []).append([a, b, g])
    for r in sorted(by_region):
        ts = sorted(by_region[r])
        ra, rb = regions[r]
        ts[0][0] = min(ts[0][0], ra)
        ts[-1][1] = max(ts[-1][1], rb)
        for left, right in zip(ts, ts[1:]):
            if right[0] > left[1]:
                left[1] = right[0] = (left[1] + right[0]) / 2
        for t in ts:
            if out and out[-1][2] == t[2] and t[0] - out[-1][1] < 1e-6:
                out[-1][1] = t[1]
            else:
                out.append(t)
    return [(a, b, int(g)) for a, b, g in out]


def _empty(speech_s: float, note: str) -> VoiceSplit:
    return VoiceSplit((), (), {}, {}, round(speech_s, 3), note)


def split_voices(audio: np.ndarray, sample_rate: int, embedder: Campp, options: VoiceOptions = VoiceOptions(),
                 speech: Sequence[tuple[float, float]] | None = None, band: str | None = None) -> VoiceSplit:
    """The call's voices and who spoke when; `speech`: (start_s, end_s) regions instead of the VAD.

    `band`: wide / narrow (None: measured). A wideband call heard as narrow is band-limited to
    300–3400 Hz before embedding, so its voices compare with telephone-band voiceprints.
    """
    x = _to_16k(audio, sample_rate)
    duration_s = len(x) / SAMPLE_RATE
    if duration_s < options.min_call_s:
        return _empty(0.0, "too_short")
    if not np.all(np.isfinite(x)):
        x = np.nan_to_num(x, nan=0.0, posinf=0.0, neginf=0.0)
    measured = is_narrowband(x)
    narrow = measured or band == "narrow"
    levelled = slow_agc(x) if options.agc else x
    if speech is not None:
        regions = core = _clean_regions(speech, duration_s)
    else:
        # The voices are told apart on the VAD's unpadded speech (less silence to embed, windows
        # that end where a party stops); the turns then cover the padded regions.
        core = _clean_regions(speech_regions(levelled, options, pad_ms=options.embed_pad_ms), duration_s)
        pad = max(0, options.vad_speech_pad_ms - options.embed_pad_ms) / 1000.0
        regions = _clean_regions([(a - pad, b + pad) for a, b in core], duration_s)
    speech_s = sum(b - a for a, b in regions)
    if speech_s <= 0:
        return _empty(0.0, "no_speech")
    if speech_s < options.min_party_speech_s:
        return _empty(speech_s, "too_short")
    heard = band_limit(levelled, SAMPLE_RATE) if narrow and not measured else levelled
    stream = _embed_stream(heard, core, embedder, options)
    if len(stream.embeddings) == 0:
        return _empty(speech_s, "too_short")
    lengths = np.array([(b - a) * _FRAME_S for a, b in stream.spans])
    labels, k, many = _cluster(stream.embeddings, options, lengths >= _CLUSTER_WINDOW_S,
                               options.narrow_stop_similarity if narrow else options.stop_similarity)
    frame_labels = _frame_labels(stream, labels, k, int(round(options.smooth_s / _FRAME_S)))
    raw = _widen(_turns(stream, frame_labels, core), regions)
    # Voices numbered by first appearance; a voice no frame ended up with is gone.
    order: dict[int, int] = {}
    for _, _, g in raw:
        order.setdefault(g, len(order))
    turns = tuple(VoiceTurn(round(a, 3), round(b, 3), order[g]) for a, b, g in raw)
    seconds = {v: 0.0 for v in order.values()}
    for t in turns:
        seconds[t.voice] += t.end_s - t.start_s
    prints = {}
    for g, v in order.items():
        mean = stream.embeddings[labels == g].mean(axis=0) if np.any(labels == g) else np.zeros(EMBEDDING_DIM)
        prints[v] = (mean / max(float(np.linalg.norm(mean)), 1e-9)).astype(np.float32)
    voices = tuple(sorted(order.values()))
    note = "one_voice" if len(voices) == 1 else ("many_voices" if many or len(voices) > 2 else None)
    return VoiceSplit(turns, voices, {v: round(s, 3) for v, s in seconds.items()}, prints, round(speech_s, 3),
                      note, len(stream.embeddings), "narrow" if narrow else "wide")


# --------------------------------------------------------------------------- voiceprints

def voiceprint(audios: Sequence[np.ndarray], sample_rate: int, embedder: Campp,
               options: VoiceOptions = VoiceOptions(), band: str = "wide") -> Voiceprint:
    """One person's voice from recordings of them alone: the speech-weighted mean of their windows.

    `band` narrow: heard through the telephone band (the audio band-limited first; `METHOD_NARROW`).
    No speech gives a zero vector with `seconds` 0 (callers require a minimum of seconds).
    """
    total = np.zeros(EMBEDDING_DIM, np.float64)
    seconds = 0.0
    for audio in audios:
        x = _to_16k(audio, sample_rate)
        if len(x) < SAMPLE_RATE // 2:
            continue
        levelled = slow_agc(x) if options.agc else x
        # The same speech as a call's voices are embedded from (VAD padded by embed_pad_ms).
        regions = _clean_regions(speech_regions(levelled, options, pad_ms=options.embed_pad_ms), len(x) / SAMPLE_RATE)
        heard = band_limit(levelled, SAMPLE_RATE) if band == "narrow" and not is_narrowband(x) else levelled
        stream = _embed_stream(heard, regions, embedder, options)
        if len(stream.embeddings):
            total += stream.embeddings.sum(axis=0)
            seconds += sum(b - a for a, b in regions)
    norm = float(np.linalg.norm(total))
    vector = (total / norm if norm > 0 else total).astype(np.float32)
    return Voiceprint(vector, round(seconds, 3), SAMPLE_RATE, METHOD_NARROW if band == "narrow" else METHOD)


def voiceprints(audios: Sequence[np.ndarray], sample_rate: int, embedder: Campp,
                options: VoiceOptions = VoiceOptions()) -> list[Voiceprint]:
    """A person's voiceprints for both kinds of call: wideband (when the enrolment audio is) and telephone band.

    Enrolment audio that came through a telephone channel gives the telephone-band print only: a
    "wideband" print of it would be compared with the wrong thresholds.
    """
    clips = [a for a in audios if len(a) >= sample_rate // 2]
    narrow_only = bool(clips) and all(is_narrowband(a, sample_rate) for a in clips)
    out = [] if narrow_only else [voiceprint(clips, sample_rate, embedder, options, band="wide")]
    out.append(voiceprint(clips, sample_rate, embedder, options, band="narrow"))
    return out


def _compatible(p: Voiceprint) -> bool:
    v = np.asarray(p.vector)
    return (p.sample_rate == SAMPLE_RATE and p.method in BANDS and v.shape == (EMBEDDING_DIM,)
            and bool(np.all(np.isfinite(v))) and float(np.linalg.norm(v)) > 0)


def roles_by_voiceprint(split: VoiceSplit, prints: Sequence[Voiceprint], options: VoiceOptions = VoiceOptions()
                        ) -> dict[int, VoiceRole]:
    """Each voice's role from the rep's enrolled voiceprint(s), compared in the band the call was heard in.

    rep: similarity ≥ the band's `rep_min_similarity` and the best (voices within `rep_close` of the
    best are the same rep split in two); customer: `customer_margin` below the best, or under
    `customer_floor` when no voice matches the rep; else unknown. A call heard as one voice gets no
    role: two parties the clustering could not tell apart would put one party's words under the
    other's name. Never raises.
    """
    if not split.voices:
        return {}
    usable = [p for p in prints if _compatible(p)]
    if not usable:
        reason = "voiceprint_incompatible" if prints else "no_voiceprint"
        return {v: VoiceRole(v, "unknown", 0.0, None, reason) for v in split.voices}
    # Prints of the call's band; a band with none falls back to the others (wide thresholds: the
    # mismatch lowers the rep's similarity, so it errs towards unknown).
    same = [p for p in usable if BANDS[p.method] == split.band]
    band = split.band if same else "wide"
    t = _thresholds(options, band)
    refs = np.stack([np.asarray(p.vector, np.float64) / np.linalg.norm(p.vector) for p in (same or usable)])
    sims: dict[int, float] = {}
    for v in split.voices:
        e = np.asarray(split.prints.get(v, np.zeros(EMBEDDING_DIM)), np.float64)
        n = float(np.linalg.norm(e))
        sims[v] = float(np.max(refs @ (e / n))) if n > 0 else float("nan")
    if len(split.voices) == 1:
        v = split.voices[0]
        return {v: VoiceRole(v, "unknown", 0.0, _round(sims[v]), "one_voice")}
    out: dict[int, VoiceRole] = {}
    judged = [v for v in split.voices
              if split.seconds.get(v, 0.0) >= options.min_party_speech_s and np.isfinite(sims[v])]
    for v in split.voices:
        if v not in judged:
            out[v] = VoiceRole(v, "unknown", 0.0, _round(sims[v]), "too_little_speech")
    if not judged:
        return out
    best = max(sims[v] for v in judged)
    if best >= t.rep_min:
        reps = [v for v in judged if sims[v] >= t.rep_min and sims[v] >= best - t.close]
        others = [sims[v] for v in judged if v not in reps]
        for v in judged:
            s = sims[v]
            if v in reps:
                # Sure when far above the match threshold and far above every other voice.
                gap = s - max(others) if others else s - t.floor
                conf = min(1.0, (s - t.rep_min) / 0.3 + 0.4) * min(1.0, gap / (2 * t.margin))
                out[v] = VoiceRole(v, "rep", _conf(conf), _round(s), "matches_rep_voiceprint")
            elif s < best - t.margin:
                conf = min(1.0, (best - s) / (2 * t.margin))
                out[v] = VoiceRole(v, "customer", _conf(conf), _round(s), "unlike_rep_voiceprint")
            else:
                out[v] = VoiceRole(v, "unknown", 0.0, _round(s), "near_rep_voiceprint")
    else:
        # Nobody sounds like the rep: voices clearly unlike them are customers, with less confidence
        # (the rep may not be on this call at all).
        for v in judged:
            s = sims[v]
            if s < t.floor:
                conf = 0.5 * min(1.0, (t.rep_min - s) / (2 * t.margin))
                out[v] = VoiceRole(v, "customer", _conf(conf), _round(s), "no_voice_matches_rep")
            else:
                out[v] = VoiceRole(v, "unknown", 0.0, _round(s), "no_voice_matches_rep")
    return out


def _round(x: float) -> float | None:
    return round(float(x), 4) if np.isfinite(x) else None


def _conf(x: float) -> float:
    return round(float(min(1.0, max(0.0, x))), 3)
