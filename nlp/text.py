"""Sentences and clauses with their offsets, for extractors that judge one clause at a time."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

try:  # re's parser is internal (Python 3.11+ names): without it only the start-character speed-up is lost
    from re import _constants as _c, _parser  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - another Python's layout
    _c = _parser = None


def _first_chars(items: Any) -> tuple[set[str], bool] | None:
    """The characters a parsed pattern can start with, and whether it can match empty; None if any."""
    chars: set[str] = set()
    for op, av in items:
        if op is _c.LITERAL:
            found: tuple[set[str], bool] | None = ({chr(av)}, False)
        elif op is _c.IN:
            if any(o not in (_c.LITERAL, _c.RANGE) or o is _c.RANGE and a[1] - a[0] > 64 for o, a in av):
                return None
            found = ({chr(c) for o, a in av for c in ((a,) if o is _c.LITERAL else range(a[0], a[1] + 1))}, False)
        elif op is _c.BRANCH:
            alts = [_first_chars(b) for b in av[1]]
            if any(a is None for a in alts):
                return None
            found = (set().union(*(a[0] for a in alts if a)), any(a[1] for a in alts if a))
        elif op is _c.SUBPATTERN:
            found = _first_chars(av[3])
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT):
            inner = _first_chars(av[2])
            found = None if inner is None else (inner[0], av[0] == 0 or inner[1])
        elif op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
            found = (set(), True)  # takes no character
        else:
            return None
        if found is None:
            return None
        chars |= found[0]
        if not found[1]:
            return chars, False
    return chars, True


def first_chars(pattern: str) -> str:
    """The characters every match of `pattern` starts with, sorted ("" where that cannot be told)."""
    try:
        first = _first_chars(_parser.parse(pattern)) if _parser is not None else None
    except Exception:  # re's parser is internal: if it changes, only the speed-up is lost
        first = None
    return "" if first is None or first[1] else "".join(sorted(first[0]))


def start_gate(chars: str) -> str:
    """A look-ahead for one of `chars` ("" for none: no gate)."""
    return "(?=[" + "".join(re.escape(c) for c in chars) + "])" if chars else ""


def gated(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """The pattern behind a look-ahead for the characters it can start with: re tries the many
    alternatives only where one of them could begin (about five times faster on clauses)."""
    gate = start_gate(first_chars(pattern))
    return re.compile(gate + "(?:" + pattern + ")" if gate else pattern, flags)


# Clause ends: Chinese and ASCII punctuation; a full stop only when it is not a decimal
# point or a date separator (12.5万, 3.20前); whitespace between Chinese characters, which
# is how speech recognisers often mark pauses.
# 万一 ("in case") as a word of its own — not the 万一 inside an amount (一万一, 三万一千四).
IN_CASE = r"(?<![0-9一二两三四五六七八九十百千])万一"
_CLAUSE_END = re.compile(r"[，,。！!？?；;：:\n…~～]+|(?<!\d)\.(?!\d)|(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])")
_SENTENCE_END = gated(r"[。！!？?；;\n]+|(?<!\d)\.(?!\d)")
# Transcripts that put a space between every word (三十一万 五 嗯 比 我 想 的 高): there a space is
# not a pause, so only punctuation and a space before a connective end a clause.
_WORD_SPACED_END = re.compile(
    r"[，,。！!？?；;：:\n…~～]+|(?<!\d)\.(?!\d)"
    r"|(?<=[^\x00-\x7f])\s+(?=(?:但是|不过|可是|还有|另外|而且|然后|所以|因为|如果|要是|对了|其实|说实话|就是说|那就|反正)[^\x00-\x7f])")
_CJK_RUN = re.compile(r"[^\x00-\x7f]+")


def word_spaced(text: str) -> bool:
    """Spaces between words or inside them (ASR output), rather than at pauses: runs of ≤ 4 characters
    on average between at least four spaces. (At 2.5, transcripts that break words at random — 吧不过 上
    次那个 — were cut into one-word clauses: every development and training set gains at 4.)"""
    # a run is what lies between spaces: Arabic digits do not end one (烘干器30台 吸奶器20台 is two runs
    # of a typed chat, not six words)
    runs = [r for r in text.split() if _CJK_RUN.search(r)]
    return len(runs) >= 5 and sum(len(r) for r in runs) / len(runs) <= 4.0


def squeeze(text: str) -> tuple[str, list[int]]:
    """The text without spaces between Chinese characters or digits, and where each kept character was."""
    if not _SPACE.search(text):
        return text, list(range(len(text)))
    squeezed, keep = _squeeze(text)
    return squeezed, list(keep)


@lru_cache(maxsize=1024)
def _squeeze(text: str) -> tuple[str, tuple[int, ...]]:
    # Several extractors squeeze the same utterance: computed once.
    keep = tuple(i for i, ch in enumerate(text)
                 if not (ch.isspace() and 0 < i < len(text) - 1 and _joins_left(text, i - 1) and _JOIN.match(text[i + 1])
                         and not (text[i - 1].isdigit() and text[i + 1].isdigit())))  # 09-01 20:01 stays two numbers
    return "".join(text[i] for i in keep), keep


_SPACE = re.compile(r"\s")


_JOIN = re.compile(r"[\u4e00-\u9fff0-9]")


def _joins_left(text: str, i: int) -> bool:
    """A Chinese character or digit, or the w / k of an amount (4w 5, 5w 出头: one amount)."""
    return bool(_JOIN.match(text[i])) or (text[i] in "wWkK" and i > 0 and text[i - 1].isdigit())


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
    return list(_clauses(text))


@lru_cache(maxsize=1024)
def _clauses(text: str) -> tuple[Span, ...]:
    # analyze() and the extractors that read a squeezed transcript split the same text: once.
    sent_ends = [s.end for s in sentences(text)]
    out = []
    for a, b in _split(text, _WORD_SPACED_END if word_spaced(text) else _CLAUSE_END):
        idx = next((i for i, e in enumerate(sent_ends) if a < e), max(len(sent_ends) - 1, 0))
        out.append(Span(text[a:b], a, b, idx))
    return tuple(out)


def strip_punct(s: str) -> str:
    return s.strip(" \t\r\n，,。.！!？?；;：:、…~～")
