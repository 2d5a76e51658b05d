"""Two-party mono calls built from the field clips, with ground truth, for bench/speakers.py.

A call plan (seeded, deterministic) picks a rep voice and a customer voice among the single-speaker
clips of tests/data/speech, alternates their turns (a turn = a clip or a stretch of one ≥ 1.5 s,
cut at the quietest point near the nominal length), puts 0.2–2 s pauses between them and lasts
20–90 s. The same plan is rendered in four conditions:

* ``clean``     16 kHz, parties 0–3 dB apart;
* ``telephone`` the clean mix band-limited to 300–3400 Hz at 8 kHz, decoded back to 16 kHz;
* ``amr``       the telephone mix as AMR-NB 4.75 kbit/s with DTX (how tests/data/speech/paddle_zh_8k.amr
                was written), decoded with the ffmpeg of imageio-ffmpeg as the worker does;
* ``level``     16 kHz, one party 6–12 dB quieter.

Ground truth: (start_s, end_s, role) of the speech in every placed piece — the clip's own speech
(Silero VAD at threshold 0.5 on the isolated clean clip, pauses < 0.3 s bridged), so silence around
and inside pieces is not counted. Enrolment (the rep's voiceprint audio): for the two speakers with two
clips (S0764, S0002) the rep's OTHER clip (honest); for every other rep voice a stretch of the same
clip held apart — the last third of its speech, never placed in the call (optimistic: same
recording session and channel).

Also here: the text half's calls (rows of bench/data/nlp_*.jsonl grouped six utterances at a time)
and the frame scoring of a call (10 ms frames of ground-truth speech).
"""
from __future__ import annotations

import random
import subprocess
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from nlp.speech.audio import decode_audio
from nlp.speech.mix import peak_dbfs, telephone, wav_bytes

RATE = 16000
FRAME_S = 0.01
FRAME = int(RATE * FRAME_S)
MIN_TURN_S = 1.5
MAX_TURN_S = 5.0
MIN_CALL_S = 20.0
MAX_CALL_S = 90.0
CONDITIONS = ("clean", "telephone", "amr", "level")
AMR_BITRATE = "4.75k"  # the mode (MR475) and DTX of the stored field file
AMR_DELAY = 79  # samples at 16 kHz the AMR round trip lags (measured by cross-correlation, constant)

TWO_SPEAKER_CLIP = "mosstts_single_reference_2spk.wav"  # two people: never used as one voice
# Speakers with two clips: their other clip is the honest enrolment.
PAIRED: dict[str, tuple[str, str]] = {
    "S0764": ("fireredasr_BAC009S0764W0121.wav", "s3tokenizer_BAC009S0764W0122.wav"),
    "S0002": ("mindaudio_BAC009S0002W0122.wav", "mindaudio_BAC009S0002W0123.wav"),
}


@dataclass(frozen=True)
class Span:
    """Samples [start, end) of a stored clip at 16 kHz."""

    file: str
    start: int
    end: int

    @property
    def seconds(self) -> float:
        return (self.end - self.start) / RATE


@dataclass(frozen=True)
class Piece:
    """A span of a clip placed in a call at sample `at`."""

    role: str  # rep / customer
    span: Span
    at: int


@dataclass(frozen=True)
class Truth:
    start_s: float
    end_s: float
    role: str


@dataclass(frozen=True)
class CallPlan:
    """One constructed call, before rendering: who, which pieces where, enrolment, levels."""

    id: str
    enrolment: str  # honest / optimistic
    rep_voice: str
    customer_voice: str
    pieces: tuple[Piece, ...]
    length: int  # samples at 16 kHz
    enrol: tuple[Span, ...]  # the rep's enrolment audio
    truth: tuple[Truth, ...]
    small_diff_db: float  # clean / telephone / amr: the quieter party this much lower
    large_diff_db: float  # level: the quieter party this much lower
    quiet: str  # the quieter party's role
    material_s: float  # distinct clip seconds the call's pieces come from
    gains_db: dict[str, float] = field(default_factory=dict)  # per clip: to a −3 dBFS peak

    @property
    def duration_s(self) -> float:
        return self.length / RATE

    @property
    def speech_s(self) -> float:
        return sum(t.end_s - t.start_s for t in self.truth)


# --------------------------------------------------------------------------- clips and voices

def voices() -> dict[str, tuple[str, ...]]:
    """Distinct single-speaker voices → their clips (the two-speaker clip and the AMR copy left out)."""
    from tests.fielddata import speech_manifest

    paired = {f: v for v, files in PAIRED.items() for f in files}
    out: dict[str, tuple[str, ...]] = {}
    for row in speech_manifest():
        f = row["file"]
        if f == TWO_SPEAKER_CLIP or row.get("speakers", "1") != "1":
            continue
        v = paired.get(f, f.rsplit(".", 1)[0])
        out[v] = out.get(v, ()) + (f,)
    return out


@lru_cache(maxsize=None)
def clip(name: str) -> np.ndarray:
    """A stored clip at 16 kHz mono float32 (cached; do not modify)."""
    from tests import fielddata

    x = fielddata.clip(name)
    x.setflags(write=False)
    return x


def frame_db(x: np.ndarray) -> np.ndarray:
    """RMS level of each 10 ms frame in dB."""
    n = len(x) // FRAME
    if n == 0:
        return np.zeros(0)
    power = np.square(x[:n * FRAME].astype(np.float64)).reshape(n, FRAME).mean(axis=1)
    return 10.0 * np.log10(np.maximum(power, 1e-12))


@lru_cache(maxsize=None)
def speech_frames(name: str) -> np.ndarray:
    """Per 10 ms frame of a clip: speech, by Silero VAD (faster-whisper's, threshold 0.5, 30 ms padding,
    pauses < 0.3 s bridged) on the isolated clean clip."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    x = clip(name)
    vad = VadOptions(threshold=0.5, min_silence_duration_ms=300, speech_pad_ms=30, min_speech_duration_ms=100)
    on = np.zeros(len(x) // FRAME, bool)
    for r in get_speech_timestamps(x, vad, sampling_rate=RATE):
        on[r["start"] // FRAME:-(-r["end"] // FRAME)] = True
    on.setflags(write=False)
    return on


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """[start, end) of the True runs."""
    if not len(mask):
        return []
    d = np.diff(np.concatenate([[0], mask.astype(np.int8), [0]]))
    return list(zip(np.nonzero(d == 1)[0].tolist(), np.nonzero(d == -1)[0].tolist()))


def speech_extent(name: str) -> Span:
    """From the clip's first speech frame to its last."""
    runs = _runs(speech_frames(name))
    if not runs:
        return Span(name, 0, len(clip(name)))
    return Span(name, runs[0][0] * FRAME, min(len(clip(name)), runs[-1][1] * FRAME))


def speech_in(span: Span) -> list[tuple[int, int]]:
    """Speech stretches [start, end) in samples of the clip inside `span`."""
    out = []
    for a, b in _runs(speech_frames(span.file)):
        a, b = max(a * FRAME, span.start), min(b * FRAME, span.end)
        if b > a:
            out.append((a, b))
    return out


def quietest_cut(name: str, nominal: int, lo: int, hi: int, search_s: float = 0.4) -> int:
    """A cut near sample `nominal` (kept within [lo, hi]) at the quietest 10 ms frame within ±`search_s`."""
    db = frame_db(clip(name))
    a = max(lo, nominal - int(search_s * RATE)) // FRAME
    b = min(hi, nominal + int(search_s * RATE)) // FRAME
    if b <= a or a >= len(db):
        return int(min(max(nominal, lo), hi))
    f = a + int(np.argmin(db[a:min(b, len(db))]))
    return int(min(max(f * FRAME + FRAME // 2, lo), hi))


def held_apart(name: str, share: float = 1 / 3, min_s: float = 1.5) -> tuple[Span, Span]:
    """(call material, enrolment) of one clip: its speech cut in two, the last `share` (≥ `min_s`) held apart."""
    ext = speech_extent(name)
    enrol_n = max(int(min_s * RATE), int(share * (ext.end - ext.start)))
    nominal = ext.end - enrol_n
    cut = quietest_cut(name, nominal, ext.start + int(3.0 * RATE), ext.end - int(min_s * RATE))
    return Span(name, ext.start, cut), Span(name, cut, ext.end)


# --------------------------------------------------------------------------- plans

class _Material:
    """A party's clip stretches, walked through in turn-sized pieces (from the start again when used up)."""

    def __init__(self, spans: Sequence[Span], rng: random.Random) -> None:
        self.spans = [s for s in spans if s.seconds >= MIN_TURN_S]
        if not self.spans:
            raise ValueError("no stretch of ≥ 1.5 s")
        self.rng = rng
        self.i = 0
        self.cursor = self.spans[0].start

    def next(self) -> Span:
        span = self.spans[self.i]
        min_n = int(MIN_TURN_S * RATE)
        if span.end - self.cursor < min_n:
            self.i = (self.i + 1) % len(self.spans)
            span = self.spans[self.i]
            self.cursor = span.start
        remaining = span.end - self.cursor
        want = int(self.rng.uniform(MIN_TURN_S, MAX_TURN_S) * RATE)
        if remaining - want < min_n:
            end = span.end
        else:
            end = quietest_cut(span.file, self.cursor + want, self.cursor + min_n, span.end - min_n)
        piece = Span(span.file, self.cursor, end)
        self.cursor = end
        return piece


def plan_call(call_id: str, rep_voice: str, customer_voice: str, *, seed: str | int,
              enrol_file: str | None = None) -> CallPlan:
    """One call: the rep's clips (all but `enrol_file`, or the held-apart part of a single clip) against the customer's.

    `enrol_file`: honest enrolment from this other clip of the rep; None: hold apart a stretch of the rep's clip.
    """
    rng = random.Random(f"{seed}:{call_id}")
    all_voices = voices()
    rep_files, cust_files = all_voices[rep_voice], all_voices[customer_voice]
    if enrol_file is not None:
        if enrol_file not in rep_files or len(rep_files) < 2:
            raise ValueError(f"{enrol_file} is not another clip of {rep_voice}")
        rep_spans = [speech_extent(f) for f in rep_files if f != enrol_file]
        enrol = (speech_extent(enrol_file),)
        kind = "honest"
    else:
        material, held = held_apart(rep_files[0])
        rep_spans, enrol, kind = [material], (held,), "optimistic"
    cust_spans = [speech_extent(f) for f in cust_files]
    parties = {"rep": _Material(rep_spans, rng), "customer": _Material(cust_spans, rng)}
    material_s = sum(s.seconds for s in rep_spans) + sum(s.seconds for s in cust_spans)
    # Longer calls only where there is material for them (each second of clip heard ≤ ~3.5 times).
    target = rng.uniform(MIN_CALL_S, min(MAX_CALL_S, max(MIN_CALL_S + 4.0, 3.5 * material_s)))
    lead, tail = rng.uniform(0.2, 1.0), rng.uniform(0.2, 1.0)
    role = rng.choice(("rep", "customer"))
    at = int(lead * RATE)
    pieces: list[Piece] = []
    counts = {"rep": 0, "customer": 0}
    while True:
        span = parties[role].next()
        pause = int(rng.uniform(0.2, 2.0) * RATE) if pieces else 0
        end = at + pause + (span.end - span.start)
        if (end + tail * RATE) / RATE > MAX_CALL_S:
            break
        pieces.append(Piece(role, span, at + pause))
        counts[role] += 1
        at = end
        if at / RATE >= target and min(counts.values()) >= 2:
            break
        role = "customer" if role == "rep" else "rep"
    length = at + int(tail * RATE)
    truth = []
    for p in pieces:
        for a, b in speech_in(p.span):
            truth.append(Truth(round((p.at + a - p.span.start) / RATE, 3), round((p.at + b - p.span.start) / RATE, 3),
                               p.role))
    gains = {f: -3.0 - peak_dbfs(clip(f)) for f in {p.span.file for p in pieces} | {s.file for s in enrol}}
    return CallPlan(call_id, kind, rep_voice, customer_voice, tuple(pieces), length, enrol, tuple(truth),
                    round(rng.uniform(0.0, 3.0), 2), round(rng.uniform(6.0, 12.0), 2),
                    rng.choice(("rep", "customer")), round(material_s, 3), gains)


def optimistic_reps(min_speech_s: float = 4.5) -> list[str]:
    """Single-clip voices with enough speech to hold a third apart and still fill turns."""
    return [v for v, files in voices().items()
            if len(files) == 1 and speech_extent(files[0]).seconds >= min_speech_s]


def plan_calls(seed: int = 0, *, honest_customers: int | None = None, optimistic_customers: int = 3,
               optimistic_voices: int | None = None) -> list[CallPlan]:
    """The bench's calls: each two-clip speaker as rep, enrolled from one clip, the other in the call (both
    ways) against every other voice (or `honest_customers` of them) as customer; every other long-enough
    voice as rep (held-apart enrolment) against `optimistic_customers` customers. Drawn with `seed`."""
    rng = random.Random(seed)
    all_voices = sorted(voices())
    plans = []
    for rep, files in PAIRED.items():
        others = [v for v in all_voices if v != rep]
        for enrol_file in files:
            chosen = others if honest_customers is None else rng.sample(others, min(honest_customers, len(others)))
            for cust in chosen:
                plans.append(plan_call(f"h{len(plans):03d}", rep, cust, seed=seed, enrol_file=enrol_file))
    reps = optimistic_reps()
    if optimistic_voices is not None:
        reps = reps[:optimistic_voices]
    for rep in reps:
        others = [v for v in all_voices if v != rep]
        for cust in rng.sample(others, min(optimistic_customers, len(others))):
            plans.append(plan_call(f"o{len(plans):03d}", rep, cust, seed=seed))
    return plans


def assemble(turns: Sequence[tuple[str, Span]], pause_s: float = 0.6, lead_s: float = 0.5
             ) -> tuple[np.ndarray, tuple[Truth, ...]]:
    """Hand-made recordings (three voices, very short calls): the spans one after another at −3 dBFS
    peak per clip, `pause_s` apart, and their ground truth."""
    at = int(lead_s * RATE)
    placed = []
    for i, (role, span) in enumerate(turns):
        if i:
            at += int(pause_s * RATE)
        placed.append((role, span, at))
        at += span.end - span.start
    out = np.zeros(at + int(lead_s * RATE), np.float32)
    truth = []
    for role, span, a in placed:
        g = np.float32(10.0 ** ((-3.0 - peak_dbfs(clip(span.file))) / 20.0))
        out[a:a + span.end - span.start] = clip(span.file)[span.start:span.end] * g
        truth.extend(Truth(round((a + s - span.start) / RATE, 3), round((a + e - span.start) / RATE, 3), role)
                     for s, e in speech_in(span))
    return out, tuple(truth)


# --------------------------------------------------------------------------- rendering

def party_db(plan: CallPlan, condition: str) -> dict[str, float]:
    """Each party's gain in dB in a condition (the quieter party lowered)."""
    diff = plan.large_diff_db if condition == "level" else plan.small_diff_db
    return {r: (-diff if r == plan.quiet else 0.0) for r in ("rep", "customer")}


def mix(plan: CallPlan, condition: str = "clean") -> np.ndarray:
    """The call at 16 kHz before any channel: pieces at their places, clips to −3 dBFS peak, party levels."""
    out = np.zeros(plan.length, np.float32)
    levels = party_db(plan, condition)
    for p in plan.pieces:
        g = 10.0 ** ((plan.gains_db[p.span.file] + levels[p.role]) / 20.0)
        out[p.at:p.at + p.span.end - p.span.start] += clip(p.span.file)[p.span.start:p.span.end] * np.float32(g)
    return out


def fit(x: np.ndarray, n: int) -> np.ndarray:
    """`x` cut or zero-padded to `n` samples."""
    x = np.asarray(x, dtype=np.float32)
    return x[:n].copy() if len(x) >= n else np.concatenate([x, np.zeros(n - len(x), np.float32)])


def telephone_16k(x: np.ndarray) -> np.ndarray:
    """Telephone band at 8 kHz, decoded back to 16 kHz (as a worker decodes an 8 kHz WAV), same length."""
    narrow, rate = telephone(x, RATE)
    return fit(decode_audio(wav_bytes(narrow, rate), sample_rate=RATE).mono, len(x))


def ffmpeg_exe() -> str | None:
    """imageio-ffmpeg's static ffmpeg (it has libopencore_amrnb), or None."""
    from workers.asr_model import default_ffmpeg_exe

    return default_ffmpeg_exe()


def amr_bytes(x: np.ndarray, exe: str, bitrate: str = AMR_BITRATE, dtx: bool = True) -> bytes:
    """16 kHz audio band-limited, at 8 kHz, encoded as AMR-NB (libopencore_amrnb)."""
    narrow, rate = telephone(x, RATE)
    cmd = [exe, "-nostdin", "-hide_banner", "-loglevel", "error", "-f", "wav", "-i", "pipe:0",
           "-ar", "8000", "-ac", "1", "-c:a", "libopencore_amrnb", "-b:a", bitrate, "-dtx", "1" if dtx else "0",
           "-f", "amr", "pipe:1"]
    done = subprocess.run(cmd, input=wav_bytes(narrow, rate), capture_output=True, timeout=120, check=False)
    if done.returncode != 0 or not done.stdout.startswith(b"#!AMR\n"):
        raise RuntimeError(f"AMR encoding failed: {done.stderr.decode('utf-8', 'replace')[-300:]}")
    return done.stdout


def amr_16k(x: np.ndarray, exe: str, bitrate: str = AMR_BITRATE) -> np.ndarray:
    """An AMR-NB round trip (telephone band, 4.75 kbit/s by default, DTX), decoded to 16 kHz, same length."""
    return fit(decode_audio(amr_bytes(x, exe, bitrate), sample_rate=RATE, ffmpeg_exe=exe).mono[AMR_DELAY:], len(x))


def render(plan: CallPlan, condition: str, exe: str | None = None, amr_bitrate: str = AMR_BITRATE) -> np.ndarray:
    """The call's mono 16 kHz audio in a condition (clean / telephone / amr / level)."""
    if condition not in CONDITIONS:
        raise ValueError(condition)
    x = mix(plan, condition)
    if condition == "telephone":
        return telephone_16k(x)
    if condition == "amr":
        if exe is None:
            raise ValueError("AMR needs the ffmpeg binary of imageio-ffmpeg")
        return amr_16k(x, exe, amr_bitrate)
    return x


def enrol_audio(plan: CallPlan) -> list[np.ndarray]:
    """The rep's enrolment audio (clean 16 kHz, each clip to −3 dBFS peak)."""
    return [clip(s.file)[s.start:s.end] * np.float32(10.0 ** (plan.gains_db[s.file] / 20.0)) for s in plan.enrol]


# --------------------------------------------------------------------------- scoring

@dataclass
class FrameScore:
    """10 ms frames of ground-truth speech by (true role → predicted role)."""

    counts: dict[tuple[str, str], int] = field(default_factory=dict)

    def add(self, other: FrameScore) -> None:
        for k, v in other.counts.items():
            self.counts[k] = self.counts.get(k, 0) + v

    def n(self, truth: str | None = None, predicted: str | None = None) -> int:
        return sum(v for (t, p), v in self.counts.items()
                   if (truth is None or t == truth) and (predicted is None or p == predicted))

    def share(self, truth: str | None = None, predicted: str | None = None) -> float:
        total = self.n()
        return self.n(truth, predicted) / total if total else float("nan")

    @property
    def right(self) -> float:
        total = self.n()
        return (self.n("rep", "rep") + self.n("customer", "customer")) / total if total else float("nan")

    @property
    def rep_in_customer(self) -> float:
        """Of the speech labelled customer, the share that is the rep's."""
        labelled = self.n(predicted="customer")
        return self.n("rep", "customer") / labelled if labelled else 0.0


def truth_frames(truth: Iterable[Truth], length_s: float) -> np.ndarray:
    """Per 10 ms frame (by its centre): the true role, or '' outside speech."""
    n = int(length_s / FRAME_S)
    out = np.full(n, "", dtype=object)
    centres = (np.arange(n) + 0.5) * FRAME_S
    for t in truth:
        out[(centres >= t.start_s) & (centres < t.end_s)] = t.role
    return out


def voice_frames(turns: Iterable, length_s: float) -> np.ndarray:
    """Per 10 ms frame: the voice of the turn covering its centre, −1 where none does."""
    n = int(length_s / FRAME_S)
    out = np.full(n, -1, dtype=np.int64)
    centres = (np.arange(n) + 0.5) * FRAME_S
    for t in turns:
        out[(centres >= t.start_s) & (centres < t.end_s)] = t.voice
    return out


@dataclass(frozen=True)
class CallScore:
    frames: FrameScore
    rep_voice: int | None  # the voice holding most of the rep's speech
    customer_voice: int | None
    rep_role: str  # the role given to rep_voice ('none' when no voice holds rep speech)
    customer_role: str

    @property
    def verdict(self) -> str:
        """right (rep voice → rep, customer voice → customer, two voices) / rep_only / wrong / unknown."""
        if self.rep_role == "customer" or self.customer_role == "rep":
            return "wrong"
        if self.rep_role == "rep" and self.customer_role == "customer" and self.rep_voice != self.customer_voice:
            return "right"
        if self.rep_role == "rep":
            return "rep_only"
        return "unknown"


def score_call(truth: Sequence[Truth], turns: Sequence, roles: Mapping[int, str], length_s: float) -> CallScore:
    """Frames of true speech by predicted role (the covering turn's voice's role; none → unknown), and per call
    the roles of the voices holding most of each party's speech."""
    want = truth_frames(truth, length_s)
    got = voice_frames(turns, length_s)
    pred = np.array([roles.get(int(v), "unknown") if v >= 0 else "unknown" for v in got], dtype=object)
    fs = FrameScore()
    for t in ("rep", "customer"):
        sel = want == t
        for p in ("rep", "customer", "unknown"):
            fs.counts[(t, p)] = int(np.sum(pred[sel] == p))
    majority: dict[str, int | None] = {}
    for t in ("rep", "customer"):
        v = got[(want == t) & (got >= 0)]
        majority[t] = int(np.bincount(v).argmax()) if len(v) else None
    def role(v: int | None) -> str:
        return "none" if v is None else roles.get(v, "unknown")
    return CallScore(fs, majority["rep"], majority["customer"], role(majority["rep"]), role(majority["customer"]))


# --------------------------------------------------------------------------- the text half

def text_calls(rows: Sequence[Mapping], size: int = 6) -> list[list[Mapping]]:
    """The rows' calls, speaker-unknown rows dropped: whole calls where rows name their `call`,
    else consecutive rows of one industry, `size` utterances a call."""
    if rows and all("call" in r for r in rows):
        calls: dict[str, list[Mapping]] = {}
        for r in rows:
            if r["speaker"] in ("rep", "customer"):
                calls.setdefault(r["call"], []).append(r)
        return list(calls.values())
    out: list[list[Mapping]] = []
    run: list[Mapping] = []
    for row in [*rows, None]:
        if row is None or (run and row["industry"] != run[0]["industry"]):
            out.extend(run[i:i + size] for i in range(0, len(run), size))
            run = []
        if row is not None and row["speaker"] in ("rep", "customer"):
            run.append(row)
    return out


def hide_speakers(call: Sequence[Mapping], rng: random.Random) -> tuple[dict[str, list[str]], str]:
    """Two anonymous voices A and B (which letter is the rep drawn from `rng`) and the rep's letter."""
    rep = [r["text"] for r in call if r["speaker"] == "rep"]
    customer = [r["text"] for r in call if r["speaker"] == "customer"]
    letter = rng.choice("AB")
    other = "B" if letter == "A" else "A"
    return {letter: rep, other: customer}, letter
