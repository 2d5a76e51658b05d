"""Sentences and clauses with their offsets, for extractors that judge one clause at a time."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Clause ends: Chinese and ASCII punctuation; a full stop only when it is not a decimal
# point or a date separator (12.5万, 3.20前); whitespace between Chinese characters, which
# is how speech recognisers often mark pauses.
_CLAUSE_END = re.compile(r"[，,。！!？?；;：:\n…~～]+|(?<!\d)\.(?!\d)|(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")
_SENTENCE_END = re.compile(r"[。！!？?；;\n]+|(?<!\d)\.(?!\d)")


@dataclass(frozen=True)
class Span:
    text: str
    start: int
    end: int
    sentence: int  # index of the sentence holding it


def _split(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    out, pos = [], 0
    for m in pattern.finditer(text):
        if m.start() > pos:
            out.append((pos, m.end()))  # keep the punctuation: a question mark matters
        pos = m.end()
    if pos < len(text):
        out.append((pos, len(text)))
    return out


def sentences(text: str) -> list[Span]:
    return [Span(text[a:b], a, b, i) for i, (a, b) in enumerate(_split(text, _SENTENCE_END))]


def clauses(text: str) -> list[Span]:
    """Clauses (comma-separated parts) with the index of their sentence."""
    sent_ends = [s.end for s in sentences(text)]
    out = []
    for a, b in _split(text, _CLAUSE_END):
        idx = next((i for i, e in enumerate(sent_ends) if a < e), max(len(sent_ends) - 1, 0))
        out.append(Span(text[a:b], a, b, idx))
    return out


def strip_punct(s: str) -> str:
    return s.strip(" \t\r\n，,。.！!？?；;：:、…~～")
