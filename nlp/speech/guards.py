"""Guards against Whisper's known failures on Chinese call audio.

Each guard takes the transcript's segments and returns the ones to keep (possibly with their
text repaired), and says what it removed, so a run can be audited. They are measured on the
shared clips not to raise the character error rate (bench/asr.py --guards, tests/integration).

* boilerplate — Whisper was trained on subtitled video: on silence, noise or hold music it
  writes the subtitlers' credits (字幕由Amara.org社群提供, 请不吝点赞订阅…, 谢谢观看). Those
  phrases never occur in a sales call; they are cut out and an emptied segment is dropped.
* repetition — a decoder stuck in a loop repeats a character or phrase dozens of times
  (我们我们我们…). Runs longer than a person says them are collapsed.
* no_speech — Whisper's own silence test: a high no-speech probability *and* a low average
  log-probability mean the text was invented over silence.
* outside_speech — a segment whose time span holds (almost) no speech according to the voice
  activity detector is text over silence, whatever the decoder's confidence.
* duplicate — the same text repeated by consecutive segments of one speaker (a loop across
  segments).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Protocol, Sequence, TypeVar

# Subtitle credits and video-channel boilerplate Whisper emits on non-speech (Simplified, since
# the guards run after conversion). Matched ignoring spaces and punctuation between characters.
BOILERPLATE = (
    "字幕由Amara.org社群提供",
    "由Amara.org社群提供的字幕",
    "Amara.org",
    "请不吝点赞订阅转发打赏支持明镜与点点栏目",
    "点赞订阅转发打赏",
    "明镜与点点",
    "中文字幕",
    "字幕志愿者",
    "字幕制作",
    "字幕提供",
    "YoYoTelevisionSeriesExclusive",
    "优优独播剧场",
    "谢谢观看",
    "感谢观看",
    "谢谢收看",
    "感谢收看",
    "欢迎订阅",
    "请订阅",
    "订阅我的频道",
    "下集再见",
    "本期视频就到这里",
)


class _SegmentLike(Protocol):
    start_s: float
    end_s: float
    speaker: str
    text: str
    avg_logprob: float
    no_speech_prob: float


S = TypeVar("S", bound=_SegmentLike)


@dataclass(frozen=True)
class GuardOptions:
    """Thresholds of the guards; None (or False) switches a guard off."""

    boilerplate: bool = True
    # Whisper's own rule (faster-whisper's defaults): skip when no_speech_prob > 0.6 and avg_logprob < -1.
    no_speech_prob: float | None = 0.6
    no_speech_logprob: float = -1.0
    # A single character said more than this many times in a row is a loop (对对对对 is 4, 对对对对对对 6).
    max_char_run: int | None = 8
    keep_char_run: int = 4
    # A phrase of 2–20 characters repeated this many times in a row is a loop (好的好的好的 is 3).
    max_phrase_repeats: int | None = 4
    keep_phrase_repeats: int = 2
    # Seconds of detected speech a segment must overlap (None: guard off; needs the VAD regions).
    min_speech_overlap_s: float | None = 0.2
    # The same text (≥ this many characters) from one speaker this many times in a row is a loop.
    max_duplicates: int | None = 3
    min_duplicate_chars: int = 4


@dataclass(frozen=True)
class Removal:
    """What a guard removed, for the transcript's audit trail."""

    guard: str
    start_s: float
    end_s: float
    speaker: str
    text: str


def _fuzzy(phrase: str) -> re.Pattern[str]:
    # Let spaces/punctuation sit between the characters: "字幕 由 Amara.org 社群 提供".
    sep = r"[\s\W_]*"
    return re.compile(sep.join(re.escape(c) for c in phrase if not c.isspace()), re.IGNORECASE)


_BOILERPLATE_RES = tuple(_fuzzy(p) for p in sorted(BOILERPLATE, key=len, reverse=True))
_WORDLESS = re.compile(r"^[\s\W_]*$")


def strip_boilerplate(text: str) -> str:
    """`text` without subtitle credits; only separators left means nothing was said."""
    for pattern in _BOILERPLATE_RES:
        text = pattern.sub("", text)
    return "" if _WORDLESS.match(text) else text.strip()


def collapse_repetitions(text: str, *, max_char_run: int | None = 8, keep_char_run: int = 4,
                         max_phrase_repeats: int | None = 4, keep_phrase_repeats: int = 2) -> str:
    """Collapse runs a speaker would not produce: one character more than `max_char_run` times
    (kept `keep_char_run` times), a 2–20 character phrase `max_phrase_repeats` times or more
    (kept `keep_phrase_repeats` times)."""
    if max_char_run is not None:
        text = re.sub(r"(\w)\1{%d,}" % max_char_run, lambda m: m.group(1) * keep_char_run, text)
    if max_phrase_repeats is not None:
        # Phrases may be separated by punctuation/spaces: 我们，我们，我们，…
        pattern = re.compile(r"((\w.{0,18}?\w)[\s\W_]*)\1{%d,}" % (max_phrase_repeats - 1), re.DOTALL)
        text = pattern.sub(lambda m: m.group(1) * keep_phrase_repeats, text)
    return text


def _key(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKC", text) if c.isalnum()).lower()


def _overlap(start: float, end: float, regions: Sequence[tuple[float, float]]) -> float:
    return sum(max(0.0, min(end, b) - max(start, a)) for a, b in regions)


def apply_guards(segments: Sequence[S], options: GuardOptions = GuardOptions(),
                 speech: dict[str, Sequence[tuple[float, float]]] | None = None) -> tuple[list[S], list[Removal]]:
    """The segments worth keeping (text repaired where a loop was collapsed) and what was removed.

    `speech`: per speaker, the (start_s, end_s) regions the voice activity detector found;
    without it the outside-speech guard does nothing.
    """
    kept: list[S] = []
    removed: list[Removal] = []

    def drop(guard: str, seg: S, text: str | None = None) -> None:
        removed.append(Removal(guard, seg.start_s, seg.end_s, seg.speaker, seg.text if text is None else text))

    run_key, run_len = None, 0
    last_speaker, last_text = None, ""  # the segment kept just before: its speaker and its text as kept
    for seg in segments:
        if (options.no_speech_prob is not None and seg.no_speech_prob > options.no_speech_prob
                and seg.avg_logprob < options.no_speech_logprob):
            drop("no_speech", seg)
            continue
        if options.min_speech_overlap_s is not None and speech is not None and seg.speaker in speech:
            span = seg.end_s - seg.start_s
            need = min(options.min_speech_overlap_s, 0.5 * span) if span > 0 else 0.0
            if _overlap(seg.start_s, seg.end_s, speech[seg.speaker]) < need:
                drop("outside_speech", seg)
                continue
        text = seg.text
        if options.boilerplate:
            cleaned = strip_boilerplate(text)
            if cleaned != text.strip():
                drop("boilerplate", seg)
                if not cleaned:
                    continue
                text = cleaned
        collapsed = collapse_repetitions(text, max_char_run=options.max_char_run, keep_char_run=options.keep_char_run,
                                         max_phrase_repeats=options.max_phrase_repeats,
                                         keep_phrase_repeats=options.keep_phrase_repeats)
        if collapsed != text:
            drop("repetition", seg, text)
            text = collapsed
        elif options.max_char_run is not None and last_speaker == seg.speaker and text:
            # A loop cut into segments (…有有有有 | 有有有有有 | 有有有有有有): the run goes on across the edge.
            c = text[0]
            before = len(last_text) - len(last_text.rstrip(c))
            now = len(text) - len(text.lstrip(c))
            if before and c.isalnum() and before + now > options.max_char_run:
                drop("repetition", seg, text)
                text = (c * max(0, options.keep_char_run - before) + text[now:]).strip()
                if not text:
                    continue
        if options.max_duplicates is not None:
            key = (seg.speaker, _key(text))
            if len(key[1]) >= options.min_duplicate_chars and key == run_key:
                run_len += 1
                if run_len >= options.max_duplicates:
                    drop("duplicate", seg)
                    continue
            else:
                run_key, run_len = key, 1
        kept.append(seg if text == seg.text else replace(seg, text=text))
        last_speaker, last_text = seg.speaker, text
    return kept, removed
