"""Chinese script: everything actionproof stores is Simplified Chinese, and the rules read it.

Whisper answers Mandarin in Traditional characters for a good part of the time (about 40%
of the shared clips with plain faster-whisper). Asking for Simplified in the prompt made
recognition much worse (CER 0.096 → 0.42), so the text is converted afterwards with OpenCC.
Text typed in Traditional characters (a Hong Kong customer's chat, a CRM note) is read the
same way by the analysis (`readable`).
"""
from __future__ import annotations

import functools

import opencc

# Dialect characters the analysis reads as written, which OpenCC t2s would turn into another
# word: Cantonese 嗰 (that; see to_simplified), 搵 (find) and 慳 (save), southwestern
# 孃孃 (auntie; 娘娘 is an empress), Hokkien 佇 (at), 攏 (all) and 愛 (must; 爱 is love).
_READ_AS_WRITTEN = frozenset("嗰搵慳孃佇攏愛")


@functools.lru_cache(maxsize=1)
def _t2s() -> opencc.OpenCC:
    # Building a converter loads its dictionaries (tens of milliseconds): once per process.
    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """`text` in Simplified characters (OpenCC t2s: phrase-aware, so 乾隆 stays and 乾燥 → 干燥).

    Cantonese 嗰 (that) stays 嗰, as Simplified Cantonese writing has it, not t2s's rare 𠮶."""
    if not text:
        return text
    return _t2s().convert(text).replace("𠮶", "嗰")


def _each_character(text: str, simplified: str) -> list[str] | str:
    """What each character of `text` becomes: `simplified` itself when it kept the length, else each
    character converted alone (a phrase that changed length is judged one character at a time)."""
    return simplified if len(simplified) == len(text) else [to_simplified(c) for c in text]


def readable(text: str) -> str:
    """`text` as the rules read it: Simplified, character for character (every offset kept), with
    the dialect characters the rules know left as written (孃孃 is not 娘娘)."""
    if text.isascii():
        return text
    simplified = to_simplified(text)
    if simplified == text:
        return text
    return "".join(c if c in _READ_AS_WRITTEN or len(s) != 1 else s
                   for c, s in zip(text, _each_character(text, simplified)))


def traditional_chars(text: str) -> list[str]:
    """The characters of `text` that OpenCC would change to Simplified, in order (empty: all Simplified)."""
    simplified = to_simplified(text)
    if simplified == text:
        return []
    return [c for c, s in zip(text, _each_character(text, simplified)) if s != c]


def has_traditional(text: str) -> bool:
    """True when any character of `text` is Traditional-only."""
    return to_simplified(text) != text
