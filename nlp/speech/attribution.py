"""Who said what on a mono call: Whisper segments + the call's voices → rep / customer / unknown.

The voices come from nlp/speech/voices.py (CAM++ embeddings, clustered). Which voice is the rep:

1. the rep's **voiceprint**, where one is enrolled (nlp/speech/voices.roles_by_voiceprint);
2. otherwise the **wording** of each voice (nlp/speech/cues.roles_from_words: self-introduction,
   offers and probes vs needs and objections), only where the cues clearly agree;
3. otherwise `unknown` — a confident wrong role would put the rep's words into the customer's facts.

A Whisper segment that spans a change of voice is split at the change: at the word (character)
boundary nearest to it when the segment has word timestamps, else by the share of characters
before the change. Pieces shorter than `min_piece_s` are not split off (a cough, a 嗯).
"""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from .cues import roles_from_words

if TYPE_CHECKING:
    from .voices import VoiceSplit, Voiceprint

PARTIES = ("rep", "customer")


@dataclass(frozen=True)
class AttributionOptions:
    min_piece_s: float = 0.5  # a change of voice nearer than this to a segment's edge does not split it
    min_coverage: float = 0.6  # a segment takes a voice heard over at least this share of its voiced time
    cue_margin: float = 2.0  # nlp/speech/cues.roles_from_words' margin


@dataclass(frozen=True)
class Attribution:
    segments: tuple[Any, ...]  # the transcript's Segment objects with speaker, speaker_confidence, voice
    method: str  # voiceprint / words / none
    attributed_share: float | None  # of the segments' time: rep or customer; None without speech
    note: str | None  # why some or all of it is unknown
    roles: dict[int, str]  # voice → rep / customer / unknown
    reasons: dict[int, str]  # voice → why that role


def _coverage(split: VoiceSplit, a: float, b: float) -> list[tuple[int, float, float]]:
    """The voice turns clipped to [a, b], in time order: (voice, start, end)."""
    out = []
    for t in split.turns:
        s, e = max(a, t.start_s), min(b, t.end_s)
        if e > s:
            out.append((t.voice, s, e))
    return sorted(out, key=lambda x: x[1])


def _pieces(cover: list[tuple[int, float, float]], min_piece_s: float) -> list[tuple[int, float, float]]:
    """Consecutive stretches of one voice; stretches shorter than `min_piece_s` join a neighbour."""
    runs: list[list[Any]] = []
    for voice, s, e in cover:
        if runs and runs[-1][0] == voice:
            runs[-1][2] = e
        else:
            runs.append([voice, s, e])
    changed = True
    while changed and len(runs) > 1:
        changed = False
        for i, r in enumerate(runs):
            if r[2] - r[1] < min_piece_s:
                # join the longer neighbour
                left = runs[i - 1] if i > 0 else None
                right = runs[i + 1] if i + 1 < len(runs) else None
                target = max((x for x in (left, right) if x is not None), key=lambda x: x[2] - x[1])
                target[1], target[2] = min(target[1], r[1]), max(target[2], r[2])
                del runs[i]
                # neighbours of one voice now touch: merge them
                merged: list[list[Any]] = []
                for x in runs:
                    if merged and merged[-1][0] == x[0]:
                        merged[-1][2] = max(merged[-1][2], x[2])
                    else:
                        merged.append(x)
                runs = merged
                changed = True
                break
    return [(v, s, e) for v, s, e in runs]


def split_at_voice_changes(segment: Any, split: VoiceSplit, options: AttributionOptions = AttributionOptions(),
                           words: Sequence[tuple[float, float, str]] = ()) -> list[tuple[Any, int | None]]:
    """One segment → [(piece, voice heard most in it, or None where no voice is heard)].

    `words`: (start_s, end_s, text) of the segment's words, in recording time, when known.
    """
    cover = _coverage(split, segment.start_s, segment.end_s)
    voiced = sum(e - s for _, s, e in cover)
    if voiced <= 0:
        return [(segment, None)]
    runs = _pieces(cover, options.min_piece_s)
    if len(runs) == 1:
        return [(segment, runs[0][0])]
    # Changes of voice inside the segment: the midpoint of the gap between two runs.
    cuts = [(runs[i][2] + runs[i + 1][1]) / 2 for i in range(len(runs) - 1)]
    texts = _cut_text(segment, cuts, words)
    out = []
    bounds = [segment.start_s] + cuts + [segment.end_s]
    for i, (voice, _, _) in enumerate(runs):
        text = texts[i].strip()
        if not text:
            continue
        piece = replace(segment, start_s=round(bounds[i], 3), end_s=round(bounds[i + 1], 3), text=text)
        out.append((piece, voice))
    if not out:
        return [(segment, None)]
    return out


def _cut_text(segment: Any, cuts: Sequence[float], words: Sequence[tuple[float, float, str]]) -> list[str]:
    """The segment's text cut at the given times: by word timestamps, else by share of characters."""
    n = len(cuts) + 1
    if words and "".join(w for _, _, w in words).strip() == segment.text.strip():
        parts = [""] * n
        for ws, we, w in words:
            mid = (ws + we) / 2
            k = sum(1 for c in cuts if mid >= c)
            parts[k] += w
        return parts
    text = segment.text
    span = max(segment.end_s - segment.start_s, 1e-6)
    idx = [0] + [int(round(len(text) * min(1.0, max(0.0, (c - segment.start_s) / span)))) for c in cuts] + [len(text)]
    return [text[idx[i]:idx[i + 1]] for i in range(n)]


def attribute(segments: Sequence[Any], split: VoiceSplit | None, prints: Sequence[Voiceprint] = (),
              options: AttributionOptions = AttributionOptions(),
              words: Mapping[int, Sequence[tuple[float, float, str]]] | None = None) -> Attribution:
    """Speakers for a mono call's segments (any object with start_s, end_s, text and the Segment fields).

    `words`: per segment index, its word timestamps (only segments that span a change need them).
    """
    words = words or {}
    if split is None or not split.turns:
        out = tuple(replace(s, speaker="unknown", speaker_confidence=None, voice=None) for s in segments)
        note = (split.note if split is not None and split.note else "no_voices") if segments else None
        return Attribution(out, "none", _share(out), note, {}, {})
    pieces: list[tuple[Any, int | None, float]] = []
    for i, seg in enumerate(segments):
        for piece, voice in split_at_voice_changes(seg, split, options, words.get(i, ())):
            cover = _coverage(split, piece.start_s, piece.end_s)
            voiced = sum(e - s for _, s, e in cover)
            share = sum(e - s for v, s, e in cover if v == voice) / voiced if voice is not None and voiced > 0 else 0.0
            pieces.append((piece, voice if share >= options.min_coverage else None, share))

    roles: dict[int, str] = {}
    confidence: dict[int, float] = {}
    reasons: dict[int, str] = {}
    method = "none"
    note = split.note
    one_voice = len(split.voices) < 2
    if one_voice:
        # One voice heard in a call: either one party alone or two the clustering could not tell
        # apart; any role would risk putting one party's words under the other's name.
        roles = {v: "unknown" for v in split.voices}
        reasons = {v: "one_voice" for v in split.voices}
        note = note or "one_voice"
    elif prints:
        from .voices import roles_by_voiceprint

        by_print = roles_by_voiceprint(split, prints)
        for v, r in by_print.items():
            roles[v], confidence[v], reasons[v] = r.role, r.confidence, r.reason
        if any(r in PARTIES for r in roles.values()):
            method = "voiceprint"
        else:
            note = note or next((r for r in reasons.values() if r), None)
    if method == "none" and not one_voice:
        texts: dict[int, list[str]] = {}
        for piece, voice, _ in pieces:
            if voice is not None:
                texts.setdefault(voice, []).append(piece.text)
        guesses = roles_from_words(texts, margin=options.cue_margin)
        if any(g.role in PARTIES for g in guesses.values()):
            method = "words"
            roles = {v: g.role for v, g in guesses.items()}
            confidence = {v: g.confidence for v, g in guesses.items()}
            reasons = {v: "; ".join(g.reasons[:3]) for v, g in guesses.items()}
        else:
            roles = {v: "unknown" for v in texts}
            reasons = {v: "cues_unclear" for v in texts}
            note = note or ("no_voiceprint_cues_unclear" if not prints else "voiceprint_unclear_cues_unclear")
    out = []
    for piece, voice, share in pieces:
        role = roles.get(voice, "unknown") if voice is not None else "unknown"
        conf = round(confidence.get(voice, 0.0) * share, 3) if role in PARTIES else None
        out.append(replace(piece, speaker=role, speaker_confidence=conf, voice=voice))
    result = tuple(out)
    if method != "none" and any(s.speaker == "unknown" for s in result) and note is None:
        note = "some_speech_unattributed"
    return Attribution(result, method, _share(result), note, roles, reasons)


def _share(segments: Sequence[Any]) -> float | None:
    total = sum(max(0.0, s.end_s - s.start_s) for s in segments)
    if total <= 0:
        return None
    return round(sum(max(0.0, s.end_s - s.start_s) for s in segments if s.speaker in PARTIES) / total, 3)
