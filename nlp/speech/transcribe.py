"""Speech to text for call recordings: faster-whisper, batched, with Chinese-call guards.

The pipeline, per channel (a stereo call has the rep on one channel and the customer on the
other, so each channel is one speaker):

1. loudness normalisation — a quiet handset recording (peak −40 dBFS) is otherwise
   invisible to the voice activity detector and came out empty from plain faster-whisper;
2. voice activity detection (Silero, as faster-whisper ships it) finds the speech regions;
3. the regions are grouped into *contiguous* spans of the original audio of at most
   `max_chunk_s`, cut at the longest pauses, natural pauses kept inside;
4. the spans are encoded one at a time and decoded in batches (`batch_size` windows per
   decoder call) in timestamp mode with beam search (optionally greedily first for spans of
   15 s or more, beam search from the same encoder output only where the greedy text is a loop
   or improbable: `first_beam_size=1`);
   a span whose decoding stopped before its end is decoded again from where it stopped (those
   slices packed together, through a shorter encoder input); a span whose text still looks
   like a loop or is improbable is decoded again with faster-whisper's temperature fallback;
5. text → Simplified Chinese (OpenCC t2s), then the guards of nlp/speech/guards.py.

Why not faster-whisper's BatchedInferencePipeline as it is: it glues the VAD speech regions
back to back (pauses cut out, speakers spliced together) into 30 s windows and decodes each
window once, in `<|notimestamps|>` mode, at one temperature. On a long call Whisper then often
ends a window early — after a speaker change or a spliced boundary — and the rest of that
window is never looked at again: on long_call_16k.wav whole clips vanished (the 12 s
meeting clip, the last 8.6 s clip) and CER rose from 0.17 to 0.29. Sequential decoding
hides the same early stops because it seeks to the last timestamp and goes on. Here the
windows keep the real timeline (no splicing), timestamps say where decoding stopped, and the
remainder is decoded again, so the batched speed comes without the loss.
"""
from __future__ import annotations

import math
import time
import zlib
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Sequence

import numpy as np

from .attribution import AttributionOptions, attribute
from .audio import DecodedAudio
from .conversation import ConversationMetrics, conversation_metrics
from .guards import GuardOptions, Removal, apply_guards
from nlp.script import to_simplified

LAYOUTS = ("rep_left", "rep_right", "mono")


class TranscribeError(ValueError):
    """Bad arguments (an unknown layout, audio at the wrong sample rate)."""


@dataclass(frozen=True)
class TranscribeOptions:
    """How to transcribe; the defaults are the measured ones (bench/asr.py)."""

    language: str = "zh"
    beam_size: int = 5
    batch_size: int = 8  # windows per decoder call; 1 = one window at a time
    # Windows per encoder call: the encoder costs more CPU per window in bigger batches (0.84 s for one
    # 30 s window alone, 1.00 s each in fours, 1 thread), so it encodes one at a time and the outputs
    # are stacked for the batched decoder.
    encode_batch_size: int = 1
    # Greedy first: windows of at least greedy_min_s seconds are decoded with first_beam_size (1 =
    # greedy) and only those whose result fails (a loop, log-prob < log_prob_threshold, or below
    # beam_below_logprob when set) are decoded again with beam_size, from the same encoder output.
    # Shorter windows (a short clip: few tokens, beam search is cheap there) get beam_size at once.
    # None (the default): beam_size for every window. Greedy-first costs about half the CPU on long
    # calls at the same CER on the test sets, but changed a word a manager reads in the demo call
    # (希望 → 希腊), so it is a choice (ACTIONPROOF_ASR_DECODING=greedy-first), not the default
    # (docs/speech.md, "Speed and accuracy").
    first_beam_size: int | None = None
    greedy_min_s: float = 15.0
    beam_below_logprob: float | None = None
    # Shorter encoder input: the encoder's cost grows faster than its input (30 s: 0.84 s CPU, 10 s:
    # 0.13 s), so a window of s seconds is padded to s + encoder_margin_s rounded up to a multiple of
    # encoder_step_s (at most 30 s) instead of always to 30 s. CTranslate2 accepts shorter input, but
    # Whisper was trained on 30 s: on the human clips it changed a character here and there, so only
    # short_encoder windows get it: "resumed" (the packed slices decoded again, often a few seconds)
    # or "all". encoder_step_s None: always 30 s.
    encoder_step_s: float | None = 5.0
    encoder_margin_s: float = 1.0
    short_encoder: str = "resumed"
    # faster-whisper's beam search settings (its defaults).
    patience: float = 1.0
    length_penalty: float = 1.0
    # Voice activity detection (faster-whisper's VadOptions fields).
    vad: bool = True
    vad_threshold: float = 0.5
    vad_min_silence_ms: int = 300
    vad_speech_pad_ms: int = 400
    # Windows of at most max_chunk_s of audio; pauses longer than max_pause_s are shortened to it.
    max_chunk_s: float = 30.0
    max_pause_s: float = 1.0
    # Decode the rest of a window whose decoding stopped more than this many seconds before its end.
    resume_min_s: float = 1.0
    max_resume_rounds: int = 3
    # Loudness: a channel whose loud parts peak below quiet_below_dbfs is lifted to target_peak_dbfs.
    normalise_loudness: bool = True
    quiet_below_dbfs: float = -35.0
    target_peak_dbfs: float = -20.0
    max_gain_db: float = 50.0
    # faster-whisper's fallback: re-decode at rising temperatures when the text compresses too well
    # (a loop) or is improbable.
    temperatures: tuple[float, ...] = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
    compression_ratio_threshold: float | None = 2.4
    log_prob_threshold: float | None = -1.0
    no_speech_threshold: float | None = 0.6
    # Per-customer vocabulary: measured to make CER worse here, so off unless a caller asks.
    hotwords: str | None = None
    initial_prompt: str | None = None
    guards: GuardOptions = field(default_factory=GuardOptions)
    # Stereo whose channels are (nearly) the same signal is a mono recording saved as two channels.
    identical_channel_corr: float = 0.98


@dataclass(frozen=True)
class Segment:
    start_s: float
    end_s: float
    speaker: str  # rep / customer / unknown
    text: str
    avg_logprob: float
    no_speech_prob: float
    speaker_confidence: float | None = None  # 1.0 from a stereo channel; None when unknown
    voice: int | None = None  # mono: which of the call's voices (nlp/speech/voices.py)


@dataclass(frozen=True)
class Transcript:
    text: str
    language: str
    duration_s: float
    segments: tuple[Segment, ...]
    speaker_mode: str  # channels: speakers from the stereo layout; unknown: a mono recording
    removed: tuple[Removal, ...] = ()  # what the guards took out
    speech_s: float = 0.0  # seconds of detected speech
    windows: int = 0  # decoder windows, resumptions and fallbacks included
    resumed: int = 0  # of which: decoded again where the VAD heard speech no segment covered
    fallbacks: int = 0  # of which: decoded again at a higher temperature (a loop, improbable text)
    # Who said what: how the speakers were told apart (channels / voiceprint / words / none), the
    # share of speech time attributed to rep or customer, and why the rest is unknown.
    speaker_method: str = "none"
    attributed_share: float | None = None
    speaker_note: str | None = None
    voices: int = 0  # distinct voices heard in a mono recording
    voice_roles: tuple[tuple[int, str, str], ...] = ()  # (voice, role, reason)
    metrics: ConversationMetrics | None = None
    attribution_s: float = 0.0  # seconds spent telling the voices apart

    def as_dict(self) -> dict[str, Any]:
        """The `--json` shape: text, speakers (method, share, note, voices), segments, conversation metrics."""
        return {"text": self.text, "language": self.language, "duration_s": round(self.duration_s, 3),
                "speaker_mode": self.speaker_mode,
                "speakers": {"method": self.speaker_method, "attributed_share": self.attributed_share,
                             "note": self.speaker_note, "voices": self.voices,
                             "roles": [{"voice": v, "role": r, "reason": why} for v, r, why in self.voice_roles]},
                "segments": [{"start_s": round(s.start_s, 2), "end_s": round(s.end_s, 2), "speaker": s.speaker,
                              "speaker_confidence": s.speaker_confidence, "voice": s.voice, "text": s.text}
                             for s in self.segments],
                "conversation": self.metrics.to_json() if self.metrics is not None else None}


# ---- audio preparation ------------------------------------------------------------------------------
def normalise_loudness(audio: np.ndarray, quiet_below_dbfs: float = -35.0, target_peak_dbfs: float = -20.0,
                       max_gain_db: float = 50.0) -> np.ndarray:
    """Lift a quiet recording so its loud parts peak at `target_peak_dbfs` (by at most `max_gain_db`).

    Only recordings whose loud parts peak below `quiet_below_dbfs` are touched: the shared
    clips peak at −23…−26 dBFS and are left bit-identical (amplifying them to −3 dBFS changed
    their text slightly, for better and for worse), while speech at −60 dBFS, which the voice
    activity detector misses entirely (plain faster-whisper: empty text), is recovered. The
    "peak" is the 99th percentile of 20 ms frames' maxima, so a few clicks do not count.
    Digital silence stays silence.
    """
    if audio.size == 0:
        return audio
    frame = 320
    n = audio.size // frame
    peaks = np.abs(audio[: n * frame]).reshape(n, frame).max(axis=1) if n else np.abs(audio)
    peak = float(np.percentile(peaks, 99)) if peaks.size else 0.0
    if peak <= 1e-7 or 20 * math.log10(peak) >= quiet_below_dbfs:
        return audio
    gain = min(10 ** (target_peak_dbfs / 20) / peak, 10 ** (max_gain_db / 20))
    return np.clip(audio * gain, -1.0, 1.0).astype(np.float32)


def speech_regions(audio: np.ndarray, sample_rate: int, options: TranscribeOptions) -> list[tuple[int, int]]:
    """(start, end) sample indices of speech, by faster-whisper's Silero VAD (whole audio if VAD is off)."""
    if not options.vad:
        return [(0, audio.size)] if audio.size else []
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    vad = VadOptions(threshold=options.vad_threshold, min_silence_duration_ms=options.vad_min_silence_ms,
                     speech_pad_ms=options.vad_speech_pad_ms, max_speech_duration_s=options.max_chunk_s)
    return [(r["start"], r["end"]) for r in get_speech_timestamps(audio, vad, sampling_rate=sample_rate)]


def plan_windows(regions: Sequence[tuple[int, int]], sample_rate: int, max_chunk_s: float,
                 max_pause_s: float) -> list[tuple[tuple[int, int], ...]]:
    """Group speech regions into windows of at most `max_chunk_s` of audio.

    A window is a list of pieces (start, end) of the original audio, played one after the
    other. Pauses up to `max_pause_s` stay whole; a longer pause is shortened to
    `max_pause_s` (half after the speech before it, half before the speech after it), so a
    window is not spent on silence, yet speakers are never spliced together without a pause
    (that splicing is what made faster-whisper's batched mode drop speech).
    """
    limit = int(max_chunk_s * sample_rate)
    pause = int(max_pause_s * sample_rate)
    windows: list[list[tuple[int, int]]] = []
    current: list[tuple[int, int]] = []
    length = 0
    for a, b in regions:
        for start in range(a, b, limit):  # a region longer than a window (the VAD splits them already)
            end = min(b, start + limit)
            if current:
                prev_start, prev_end = current[-1]
                if start - prev_end <= pause:
                    grown = current[:-1] + [(prev_start, end)]
                    added = end - prev_end
                else:
                    half = pause // 2
                    grown = current[:-1] + [(prev_start, prev_end + half), (start - (pause - half), end)]
                    added = pause + end - start
                if length + added <= limit:
                    current, length = grown, length + added
                    continue
                windows.append(current)
            current, length = [(start, end)], end - start
    if current:
        windows.append(current)
    return [tuple(w) for w in windows]


# ---- decoding -------------------------------------------------------------------------------------
@dataclass
class _Window:
    pieces: tuple[tuple[int, int], ...]  # spans of the channel's original audio, played in order
    channel: int
    temperature_index: int = 0
    rounds: int = 0
    first: bool = True  # not yet decoded (the first attempt may use first_beam_size)
    resumed: bool = False  # packed slices left untranscribed by an earlier round
    encoded: Any = None  # the encoder output (CPU: a numpy array), kept for decoding the window again
    # Earlier attempts at higher temperatures: (tokens, avg_logprob, no_speech_prob, compression ratio).
    attempts: tuple[tuple[list[int], float, float, float], ...] = ()

    @property
    def samples(self) -> int:
        return sum(b - a for a, b in self.pieces)

    def audio(self, channel_audio: np.ndarray) -> np.ndarray:
        if len(self.pieces) == 1:
            a, b = self.pieces[0]
            return channel_audio[a:b]
        return np.concatenate([channel_audio[a:b] for a, b in self.pieces])

    def original(self, t: float, sr: int, is_end: bool = False) -> float:
        """Window-relative seconds → seconds in the original recording."""
        offset = int(round(t * sr))
        for a, b in self.pieces:
            n = b - a
            if offset < n or (is_end and offset == n):
                return (a + max(0, offset)) / sr
            offset -= n
        return self.pieces[-1][1] / sr

    def slice(self, t0: float, t1: float, sr: int) -> tuple[tuple[int, int], ...]:
        """The pieces between window-relative seconds t0 and t1."""
        lo, hi = int(round(t0 * sr)), int(round(t1 * sr))
        out: list[tuple[int, int]] = []
        offset = 0
        for a, b in self.pieces:
            n = b - a
            s, e = max(lo, offset), min(hi, offset + n)
            if e > s:
                out.append((a + s - offset, a + e - offset))
            offset += n
        return tuple(out)

    def speech(self, regions: Sequence[tuple[int, int]], sr: int) -> list[tuple[float, float]]:
        """The detected speech regions in window-relative seconds."""
        out: list[tuple[float, float]] = []
        offset = 0
        for a, b in self.pieces:
            for ra, rb in regions:
                s, e = max(a, ra), min(b, rb)
                if e > s:
                    out.append(((offset + s - a) / sr, (offset + e - a) / sr))
            offset += b - a
        return out


def _untranscribed(segments: Sequence[tuple[float, float, str, list[int]]], speech: Sequence[tuple[float, float]],
                   duration_s: float, reached_s: float, min_speech_s: float, margin_s: float = 0.3
                   ) -> list[tuple[float, float]]:
    """Spans of a decoded window where the VAD hears at least `min_speech_s` of speech but no segment
    lies: Whisper skipped them (after a speaker change, a cut-off sentence…) or stopped early."""
    covered = sorted((max(0.0, seg[0] - margin_s), seg[1] + margin_s) for seg in segments)
    gaps: list[tuple[float, float]] = []
    cursor = 0.0
    for a, b in covered:
        if a > cursor:
            gaps.append((cursor, a))
        cursor = max(cursor, b)
    gaps.append((max(cursor, min(reached_s, duration_s)) if segments else 0.0, duration_s))
    out = []
    for a, b in gaps:
        heard = sum(max(0.0, min(b, e) - max(a, s)) for s, e in speech)
        if b - a > 0 and heard >= min_speech_s:
            out.append((a, b))
    return out


def _compression_ratio(text: str) -> float:
    raw = text.encode("utf-8")
    return len(raw) / len(zlib.compress(raw)) if raw else 0.0


class _Decoder:
    """Batched decoding of windows on one faster_whisper.WhisperModel."""

    def __init__(self, model: Any, options: TranscribeOptions) -> None:
        from faster_whisper.tokenizer import Tokenizer
        from faster_whisper.transcribe import get_suppressed_tokens

        self.model = model
        self.options = options
        self.sr = model.feature_extractor.sampling_rate
        self.tokenizer = Tokenizer(model.hf_tokenizer, model.model.is_multilingual, task="transcribe",
                                   language=options.language)
        self.suppress = get_suppressed_tokens(self.tokenizer, [-1])
        previous = self.tokenizer.encode(" " + options.initial_prompt.strip()) if options.initial_prompt else []
        self.prompt = model.get_prompt(self.tokenizer, previous, without_timestamps=False,
                                       hotwords=options.hotwords)
        self.windows_decoded = 0
        self.resumed = 0  # windows decoded again where speech was left untranscribed
        self.fallbacks = 0  # windows decoded again at a higher temperature
        self.rebeamed = 0  # windows decoded again with beam search after a doubtful greedy pass
        self._host: Any = None
        self.encoder_output: Any = None
        self.aligned = 0  # windows whose words were aligned (a segment spans a change of voice)

    def align_words(self, index: int, segment_tokens: Sequence[list[int]], duration_s: float
                    ) -> list[list[tuple[float, float, str]]]:
        """Word (for Chinese: character) timestamps of one window of the last batch, per segment, in window
        seconds — faster-whisper's cross-attention alignment, run only where a segment needs splitting."""
        import ctranslate2

        eot = self.tokenizer.eot
        text = [[t for t in toks if t < eot] for toks in segment_tokens]
        flat = [t for toks in text for t in toks]
        if not flat:
            return [[] for _ in text]
        batch = np.asarray(self.encoder_output)
        one = ctranslate2.StorageView.from_array(np.ascontiguousarray(batch[index:index + 1]))
        frames = int(round(duration_s * self.model.frames_per_second))
        words = self.model.find_alignment(self.tokenizer, [flat], one, frames)[0]
        self.aligned += 1
        out: list[list[tuple[float, float, str]]] = []
        k = 0
        for toks in text:
            need, got = len(toks), 0
            mine = []
            while k < len(words) and got < need:
                w = words[k]
                mine.append((float(w["start"]), float(w["end"]), w["word"]))
                got += len(w["tokens"])
                k += 1
            out.append(mine)
        return out

    def frames(self, window: _Window) -> int:
        """Feature frames the window is padded to (3000 = 30 s unless encoder_step_s shortens it)."""
        full = self.model.feature_extractor.nb_max_frames
        o = self.options
        if o.encoder_step_s is None or (o.short_encoder == "resumed" and not window.resumed):
            return full
        step = o.encoder_step_s
        seconds = math.ceil((window.samples / self.sr + o.encoder_margin_s) / step - 1e-9) * step
        return min(full, 2 * int(math.ceil(seconds * self.model.frames_per_second / 2)))

    def features(self, audio: np.ndarray, frames: int = 3000) -> np.ndarray:
        from faster_whisper.audio import pad_or_trim

        return pad_or_trim(self.model.feature_extractor(audio)[..., :-1], frames)

    def encode(self, windows: Sequence[_Window], audios: Sequence[np.ndarray]) -> Any:
        """The encoder output of a batch of windows (a StorageView), encoding only those not encoded yet.

        On the CPU each window's output is kept (as a numpy array) so that decoding it again — at a
        higher temperature, or with beam search after a doubtful greedy pass — skips the encoder."""
        import ctranslate2

        if self.model.model.device != "cpu":  # outputs stay on the device: encode the batch as it is
            return self.model.encode(np.stack([self.features(w.audio(audios[w.channel]), self.frames(w))
                                              for w in windows]))
        todo = [w for w in windows if w.encoded is None]
        step = max(1, self.options.encode_batch_size)
        for i in range(0, len(todo), step):
            group = todo[i:i + step]
            out = self.model.encode(np.stack([self.features(w.audio(audios[w.channel]), self.frames(w))
                                              for w in group]))
            arr = np.array(out)  # a copy: the StorageView's memory goes when it does
            for j, w in enumerate(group):
                w.encoded = arr[j]
        self._host = np.ascontiguousarray(np.stack([w.encoded for w in windows]))
        return ctranslate2.StorageView.from_array(self._host)

    def generate(self, windows: Sequence[_Window], audios: Sequence[np.ndarray], temperature: float,
                 beam_size: int) -> list[tuple[list[int], float, float]]:
        """(tokens, avg_logprob, no_speech_prob) per window."""
        encoder_output = self.encode(windows, audios)
        self.encoder_output = encoder_output  # kept for word timestamps (align_words)
        o = self.options
        kwargs: dict[str, Any] = ({"beam_size": beam_size, "patience": o.patience} if temperature == 0 else
                                  {"beam_size": 1, "num_hypotheses": 5, "sampling_topk": 0,
                                   "sampling_temperature": temperature})
        results = self.model.model.generate(
            encoder_output, [list(self.prompt) for _ in windows], length_penalty=o.length_penalty,
            max_length=self.model.max_length, return_scores=True, return_no_speech_prob=True, suppress_blank=True,
            suppress_tokens=self.suppress, max_initial_timestamp_index=50, **kwargs)
        self.windows_decoded += len(windows)
        out = []
        for r in results:
            # faster-whisper's avg_logprob; of several sampled hypotheses, the most probable
            scored = [(float(score * len(tokens) / (len(tokens) + 1)), tokens)
                      for tokens, score in zip(r.sequences_ids, r.scores)]
            avg, tokens = max(scored, key=lambda x: x[0])
            out.append((tokens, avg, float(r.no_speech_prob)))
        return out


def _split(decoder: _Decoder, tokens: list[int], duration_s: float
           ) -> tuple[list[tuple[float, float, str, list[int]]], float]:
    """(segments [(start_s, end_s, text, tokens)] in window time, the window time up to which it was transcribed)."""
    model, tok = decoder.model, decoder.tokenizer
    frames = int(round(duration_s * model.frames_per_second))
    parts, seek, single_ending = model._split_segments_by_timestamps(
        tokenizer=tok, tokens=tokens, time_offset=0.0, segment_size=frames, segment_duration=duration_s, seek=0)
    segments = []
    for p in parts:
        text = tok.decode(p["tokens"]).strip()
        if not text:
            continue
        start, end = min(max(0.0, p["start"]), duration_s), min(duration_s, p["end"])
        segments.append((start, max(start, end), text, p["tokens"]))  # a timestamp beyond the window: clamped
    if not any(t >= tok.timestamp_begin for t in tokens):
        return segments, duration_s  # no timestamps at all: nothing says where it stopped
    # Whisper's "single timestamp at the end" claims the rest is silence; it is often wrong after
    # a speaker change, so the caller checks the claim against the voice activity detector.
    reached = max([seg[1] for seg in segments], default=0.0)
    if not single_ending and segments:
        reached = max(reached, seek / model.frames_per_second)
    return segments, reached


def _pack(slices: Sequence[tuple[int, tuple[tuple[int, int], ...]]], limit: int) -> list[_Window]:
    """Pack (channel, pieces) slices left untranscribed into as few windows as fit `limit` samples:
    each resumption then shares an encoder pass instead of paying a whole 30 s window for a
    few seconds of audio."""
    windows: list[_Window] = []
    open_by_channel: dict[int, _Window] = {}
    for channel, pieces in sorted(slices, key=lambda s: (s[0], s[1][0][0])):
        n = sum(b - a for a, b in pieces)
        current = open_by_channel.get(channel)
        if current is not None and current.samples + n <= limit:
            current.pieces = current.pieces + pieces
            continue
        current = _Window(tuple(pieces), channel, resumed=True)
        windows.append(current)
        open_by_channel[channel] = current
    return windows


Row = tuple[int, float, float, str, float, float, tuple[tuple[float, float, str], ...]]


def _spans_change(a: float, b: float, changes: Sequence[float], min_piece_s: float) -> bool:
    return any(a + min_piece_s <= c <= b - min_piece_s for c in changes)


def _decode_windows(decoder: _Decoder, audios: Sequence[np.ndarray], windows: list[_Window],
                    speech: Sequence[Sequence[tuple[int, int]]], progress: Callable[[float], None] | None,
                    changes: Sequence[Sequence[float]] = (), min_piece_s: float = 0.5) -> list[Row]:
    """Decode all windows (of all channels) in batches;
    (channel, start_s, end_s, text, logprob, no_speech, words).

    `changes`: per channel, the times (recording seconds) where the voice changes; a segment that
    spans one gets word timestamps (else `words` is empty), so it can be split there.

    Round 0 decodes the planned windows; each later round decodes, packed together, the
    slices where the VAD heard speech that the previous round left without text.
    """
    o = decoder.options
    sr = decoder.sr
    limit = int(o.max_chunk_s * sr)
    out: list[Row] = []
    total = sum(w.samples for w in windows) or 1
    done = 0
    queue = list(windows)
    for round_no in range(o.max_resume_rounds + 1):
        left: list[tuple[int, tuple[tuple[int, int], ...]]] = []
        while queue:
            # One decoding setting per batch: group windows that need the same temperature (almost all:
            # 0.0) and the same pass (greedy first, or beam search).
            greedy = o.first_beam_size is not None and o.first_beam_size != o.beam_size
            for w in queue:
                if w.first and greedy and w.samples < o.greedy_min_s * sr:
                    w.first = False  # a short window: beam search straight away
            keys = {id(w): (w.temperature_index, not (greedy and w.first), decoder.frames(w)) for w in queue}
            key = min(keys.values())
            batch = [w for w in queue if keys[id(w)] == key][: o.batch_size]
            for w in batch:
                queue.remove(w)
            t_index, first_pass = key[0], not key[1]
            beam = o.first_beam_size if first_pass and o.first_beam_size is not None else o.beam_size
            for index, (w, (tokens, avg, no_speech)) in enumerate(
                    zip(batch, decoder.generate(batch, audios, o.temperatures[t_index], beam))):
                w.first = False
                text = decoder.tokenizer.decode([t for t in tokens if t < decoder.tokenizer.eot]).strip()
                ratio = _compression_ratio(text)
                silent = (o.no_speech_threshold is not None and no_speech > o.no_speech_threshold
                          and o.log_prob_threshold is not None and avg < o.log_prob_threshold)
                needs_fallback = not silent and (
                    (o.compression_ratio_threshold is not None and ratio > o.compression_ratio_threshold)
                    or (o.log_prob_threshold is not None and avg < o.log_prob_threshold))
                if first_pass and greedy and not silent and (
                        needs_fallback or (o.beam_below_logprob is not None and avg < o.beam_below_logprob)):
                    decoder.rebeamed += 1  # a doubtful greedy result: beam search on the same encoder output
                    queue.append(w)
                    continue
                if needs_fallback:
                    attempts = w.attempts + ((tokens, avg, no_speech, ratio),)
                    if t_index + 1 < len(o.temperatures):
                        decoder.fallbacks += 1
                        queue.append(replace(w, temperature_index=t_index + 1, attempts=attempts))
                        continue
                    # Every temperature failed: like faster-whisper, the most probable attempt that
                    # is not a loop (or, failing that, the most probable of all).
                    cap = o.compression_ratio_threshold
                    pool = [a for a in attempts if cap is None or a[3] <= cap] or list(attempts)
                    tokens, avg, no_speech, _ = max(pool, key=lambda a: a[1])
                segments, reached = _split(decoder, tokens, w.samples / sr)
                placed = [(w.original(a, sr), w.original(b, sr, is_end=True)) for a, b, _, _ in segments]
                channel_changes = changes[w.channel] if w.channel < len(changes) else ()
                words: list[list[tuple[float, float, str]]] = [[] for _ in segments]
                if channel_changes and any(_spans_change(a, b, channel_changes, min_piece_s) for a, b in placed):
                    try:
                        words = decoder.align_words(index, [seg[3] for seg in segments], w.samples / sr)
                    except (RuntimeError, ValueError, IndexError):  # no word times: split by character shares
                        words = [[] for _ in segments]
                for (start, end, seg_text, _), (a, b), seg_words in zip(segments, placed, words):
                    timed = tuple((w.original(ws, sr), w.original(we, sr, is_end=True), t) for ws, we, t in seg_words)
                    out.append((w.channel, a, b, seg_text, avg, no_speech, timed))
                # Skipped or stopped early? Where the VAD hears speech no segment covers, decode again.
                # (Without VAD there is nothing to check against: all audio counts as speech.)
                if o.vad and round_no < o.max_resume_rounds and not silent:
                    for a, b in _untranscribed(segments, w.speech(speech[w.channel], sr), w.samples / sr, reached,
                                               o.resume_min_s):
                        left.append((w.channel, w.slice(a, b, sr)))
                if round_no == 0:
                    done += w.samples
                w.encoded = None  # finished with: free its encoder output
            if progress is not None:
                progress(min(0.99, done / total))
        if not left:
            break
        decoder.resumed += len(left)
        queue = _pack(left, limit)
    return out


# ---- the entry point ------------------------------------------------------------------------------
def _speakers(layout: str, n_channels: int) -> list[str]:
    if layout == "mono" or n_channels == 1:
        return ["unknown"]
    return ["rep", "customer"] if layout == "rep_left" else ["customer", "rep"]


def _same_signal(a: np.ndarray, b: np.ndarray, threshold: float) -> bool:
    """Two channels carrying one signal (a mono call saved as stereo): transcribing both would double it."""
    if a.size == 0 or b.size == 0:
        return True
    # Every 8th sample is plenty to tell "the same" from "two speakers", and keeps a 2-hour call cheap.
    x, y = a[::8].astype(np.float64), b[::8].astype(np.float64)
    x -= x.mean()
    y -= y.mean()
    sx, sy = float(np.sqrt(np.dot(x, x))), float(np.sqrt(np.dot(y, y)))
    if sx < 1e-6 or sy < 1e-6:
        return False  # one silent channel: a real two-channel call where one side said nothing
    return float(np.dot(x, y)) / (sx * sy) >= threshold


def _join(segments: Sequence[Segment]) -> str:
    """Segments of one speaker run together (Chinese has no spaces); a speaker change starts a line."""
    out: list[str] = []
    previous = None
    for s in segments:
        text = s.text.strip()
        if not text:
            continue
        if out and s.speaker != previous:
            out.append("\n")
        elif out and out[-1][-1:].isascii() and out[-1][-1:].isalnum() and text[0].isascii() and text[0].isalnum():
            out.append(" ")  # two Latin words meet
        out.append(text)
        previous = s.speaker
    return "".join(out)


@dataclass(frozen=True)
class Speakers:
    """What a mono transcription needs to tell who said what: the speaker-embedding model
    (nlp/speech/campp.Campp) and the rep's enrolled voiceprints (none: roles from the wording)."""

    embedder: Any
    prints: tuple[Any, ...] = ()
    voice_options: Any = None  # nlp/speech/voices.VoiceOptions; None: its defaults
    attribution: AttributionOptions = field(default_factory=AttributionOptions)


def _voice_changes(split: Any) -> list[float]:
    """Recording times where one voice hands over to another (the middle of the gap between their turns)."""
    turns = sorted(split.turns, key=lambda t: t.start_s)
    return [(a.end_s + b.start_s) / 2 for a, b in zip(turns, turns[1:]) if a.voice != b.voice]


def _with_speakers(kept: list[Segment], stereo: bool, speakers: Speakers | None, split: Any,
                   words: dict[tuple[float, float], tuple[tuple[float, float, str], ...]]) -> dict[str, Any]:
    """Segments with speaker, confidence and voice, plus the Transcript fields that say how."""
    if stereo:
        segs = [replace(s, speaker_confidence=1.0) for s in kept]
        return {"segments": segs, "speaker_method": "channels",
                "attributed_share": 1.0 if segs else None, "speaker_note": None, "voices": 0, "voice_roles": ()}
    if speakers is None:
        return {"segments": kept, "speaker_method": "none", "attributed_share": 0.0 if kept else None,
                "speaker_note": "no_speaker_model" if kept else None, "voices": 0, "voice_roles": ()}
    by_index = {i: words.get((s.start_s, s.end_s), ()) for i, s in enumerate(kept)}
    result = attribute(kept, split, speakers.prints, speakers.attribution, words=by_index)
    roles = tuple((v, result.roles.get(v, "unknown"), result.reasons.get(v, "")) for v in split.voices) \
        if split is not None else ()
    return {"segments": list(result.segments), "speaker_method": result.method,
            "attributed_share": result.attributed_share, "speaker_note": result.note,
            "voices": len(split.voices) if split is not None else 0, "voice_roles": roles}


def transcribe(model: Any, audio: DecodedAudio, layout: str = "mono", options: TranscribeOptions | None = None,
               progress: Callable[[float], None] | None = None, speakers: Speakers | None = None) -> Transcript:
    """Transcribe a decoded recording with a faster_whisper.WhisperModel.

    `layout`: rep_left / rep_right (stereo: each channel is one speaker, labelled from the
    layout) or mono (one channel, or channels mixed down). A stereo layout on a one-channel
    file, or on two channels carrying the same signal, is transcribed as mono and marked so.
    Mono: with `speakers`, the call is split into voices and each segment attributed
    (nlp/speech/attribution.py); without, every segment is `unknown`. `progress` gets the
    fraction done (0…1) as windows finish.
    """
    options = options or TranscribeOptions()
    if progress is not None:
        progress(0.0)
    if layout not in LAYOUTS:
        raise TranscribeError(f"unknown layout {layout!r} (use {', '.join(LAYOUTS)})")
    sr = model.feature_extractor.sampling_rate
    if audio.sample_rate != sr:
        raise TranscribeError(f"audio at {audio.sample_rate} Hz; the model needs {sr} Hz (decode_audio(sample_rate=…))")
    channels = list(audio.channels)
    stereo = layout != "mono" and len(channels) >= 2 and not _same_signal(
        channels[0], channels[1], options.identical_channel_corr)
    channels = channels[:2] if stereo else [audio.mono]
    labels = _speakers(layout if stereo else "mono", len(channels))
    if options.normalise_loudness:
        channels = [normalise_loudness(c, options.quiet_below_dbfs, options.target_peak_dbfs, options.max_gain_db)
                    for c in channels]
    regions = [speech_regions(c, sr, options) for c in channels]
    windows = [_Window(pieces, i) for i, r in enumerate(regions)
               for pieces in plan_windows(r, sr, options.max_chunk_s, options.max_pause_s)]
    speech_s = sum(b - a for r in regions for a, b in r) / sr
    split, attribution_s = None, 0.0
    if not stereo and speakers is not None and speech_s > 0:
        from .voices import VoiceOptions, call_band, split_voices

        started = time.perf_counter()
        split = split_voices(channels[0], sr, speakers.embedder, speakers.voice_options or VoiceOptions(),
                             band=call_band(channels[0], sr, speakers.prints))
        attribution_s = time.perf_counter() - started
    changes = [_voice_changes(split)] if split is not None else []
    decoder = _Decoder(model, options)
    min_piece = speakers.attribution.min_piece_s if speakers is not None else 0.5
    raw = _decode_windows(decoder, channels, windows, regions, progress, changes, min_piece) if windows else []
    raw.sort(key=lambda r: (r[1], r[0]))
    segments = [Segment(round(start, 3), round(end, 3), labels[ch], to_simplified(text), avg, no_speech)
                for ch, start, end, text, avg, no_speech, _ in raw]
    words = {(round(r[1], 3), round(r[2], 3)): tuple((a, b, to_simplified(t)) for a, b, t in r[6]) for r in raw if r[6]}
    speech_by_speaker = {labels[i]: [(a / sr, b / sr) for a, b in r] for i, r in enumerate(regions)}
    kept, removed = apply_guards(segments, options.guards, speech_by_speaker)
    started = time.perf_counter()
    who = _with_speakers(list(kept), stereo, speakers, split, words)
    attribution_s += time.perf_counter() - started
    kept = who.pop("segments")
    if progress is not None:
        progress(1.0)
    return Transcript(text=_join(kept), language=options.language, duration_s=audio.duration_s,
                      segments=tuple(kept), speaker_mode="channels" if stereo else "unknown",
                      removed=tuple(removed), speech_s=round(speech_s, 3), windows=decoder.windows_decoded,
                      resumed=decoder.resumed, fallbacks=decoder.fallbacks,
                      metrics=conversation_metrics(kept, audio.duration_s), attribution_s=round(attribution_s, 3),
                      **who)
