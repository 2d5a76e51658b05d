"""Toneless pinyin, accent-folded syllables and a homophone-tolerant vocabulary matcher.

One matcher for the whole product: the store script check (scoring/script.py) aligns required
lines by these syllables, and analyze() corrects the pack's vocabulary where Whisper wrote a
homophone (才够总监 → 采购总监, 交其 → 交期) before any rule reads the text.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"), ("r", "l"), ("f", "h"))
_FUZZY_FINALS = (("iang", "ian"), ("uang", "uan"), ("ang", "an"), ("eng", "en"), ("ing", "in"))


@lru_cache(maxsize=1 << 16)
def _syllable(ch: str) -> str:
    from pypinyin import Style, lazy_pinyin

    out = lazy_pinyin(ch, style=Style.NORMAL, errors=lambda s: list(s))  # type: ignore[arg-type,return-value]
    return out[0] if out else ch


@lru_cache(maxsize=64)
def chars_sounding(syllable: str) -> frozenset[str]:
    """The Han characters whose commonest reading is `syllable` (toneless): gong → 工公功供共…"""
    import unicodedata

    from pypinyin.pinyin_dict import pinyin_dict

    def toneless(reading: str) -> str:
        return "".join(c for c in unicodedata.normalize("NFD", reading) if not unicodedata.combining(c))

    return frozenset(chr(code) for code, readings in pinyin_dict.items()
                     if 0x4E00 <= code <= 0x9FFF and toneless(readings.split(",")[0]) == syllable)


def syllables(text: str) -> tuple[str, ...]:
    """Toneless pinyin per character, each character's commonest reading (non-Han characters stand
    for themselves); per-character lookups, so a long transcript costs dictionary reads, not parsing."""
    return tuple(map(_syllable, text))


@lru_cache(maxsize=1 << 14)
def fuzzy_syllable(s: str) -> str:
    """The syllable with southern-accent confusions folded (zhang → zan, ning → lin)."""
    for a, b in _FUZZY_INITIALS:
        if s.startswith(a) and len(s) > len(a):
            s = b + s[len(a):]
            break
    for a, b in _FUZZY_FINALS:
        if s.endswith(a):
            s = s[: -len(a)] + b
            break
    return s


# Characters so common that a window differing only in them is more likely right as said.
_FUNCTION = frozenset("在再的得地是事有又也那哪么吗嘛呢了啦吧就才都还和跟与把被给对向从到这个们老")


def syllables_with_folds(s: str) -> set[str]:
    """Syllables whose accent-folded form equals `s`'s (a window starting with zan may be zhang)."""
    folded = fuzzy_syllable(s)
    return {s, folded} | {a + folded[len(b):] for a, b in _FUZZY_INITIALS if folded.startswith(b)} | \
        {folded[: -len(b)] + a for a, b in _FUZZY_FINALS if folded.endswith(b)}


def _is_han(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


_NUMERALS = frozenset("零一二两三四五六七八九十百千万")
# What a numeral continues an amount after: another numeral, a currency or a tenth (三块五, 二毛五).
_AMOUNT_CHARS = _NUMERALS | frozenset("块元蚊毛角毫")


@dataclass(frozen=True)
class Correction:
    start: int
    said: str      # what the text had (才够总监)
    word: str      # the vocabulary word it stands for (采购总监)
    fuzzy: bool    # matched only with accent-folded syllables


class VocabularyMatcher:
    """Finds the vocabulary's words written as homophones, by toneless (and accent-folded) pinyin.

    A window of the text is read as a vocabulary word when its syllables equal the word's, it is
    not that word already, at least half its characters are the word's own (one wrong character
    in 交其, two in 才够总监) or the word is ≥ 3 characters, and the window is not a dictionary
    word of its own (法门 is not 阀门). Accent-folded matches (zh/z, n/l, -ng/-n) need ≥ 4 characters.
    """

    def __init__(self, words: Iterable[str], known: Callable[[str], bool] | None = None,
                 trusted: Iterable[str] = ()) -> None:
        self._exact: dict[tuple[str, ...], str] = {}
        self._fuzzy: dict[tuple[str, ...], str] = {}
        # Words whose homophones are corrected even when those are words of their own (须要 → 需要).
        self._trusted = frozenset(trusted)
        words = [*words, *self._trusted]
        self._words = frozenset(w for w in words if len(w) >= 2 and all(_is_han(c) for c in w))
        # Longest first, then by character: of two words said alike (勿要送, 唔要送) the same one is kept in
        # every process, whatever the string hash seed.
        for w in sorted(self._words, key=lambda w: (-len(w), w)):
            syl = syllables(w)
            self._exact.setdefault(syl, w)
            if len(w) >= 4:  # accent-folded keys are only looked up for windows of four or more
                self._fuzzy.setdefault(tuple(fuzzy_syllable(s) for s in syl), w)
        # The word lengths to try from a window's first syllable (accent-folded forms too).
        firsts: dict[str, set[int]] = {}
        for k in self._exact:
            for s in syllables_with_folds(k[0]) if len(k) >= 4 else {k[0]}:
                firsts.setdefault(s, set()).add(len(k))
        self._firsts = {s: sorted(ns, reverse=True) for s, ns in firsts.items()}
        # Every key's first two syllables (folded ones for the folded keys): most windows stop there.
        self._pairs = frozenset(k[:2] for k in self._exact) | frozenset(k[:2] for k in self._fuzzy)
        self._known = known

    def find(self, text: str, bounds: set[int] | None = None) -> list[Correction]:
        """Non-overlapping corrections, longest words first; `bounds`: token edges a window must start
        and end on (a window across a word boundary, 我们店 → 们店, is no word)."""
        if not self._exact or not any(_is_han(c) for c in text):
            return []
        syl = syllables(text)
        fsyl: tuple[str, ...] | None = None
        hits: list[Correction] = []
        firsts = self._firsts
        pairs = self._pairs
        n_syl = len(syl)
        # Only token edges can start a window: walk those rather than every character.
        starts = range(n_syl) if bounds is None else sorted(b for b in bounds if b < n_syl)
        for i in starts:
            first = syl[i]
            lengths = firsts.get(first)
            if lengths is None:
                continue
            if syl[i:i + 2] not in pairs and (fuzzy_syllable(first), fuzzy_syllable(syl[i + 1]) if i + 1 < len(syl)
                                               else "") not in pairs:
                continue
            for n in lengths:
                j = i + n
                if j > len(text) or (bounds is not None and j not in bounds):
                    continue
                word, fuzzy = self._exact.get(syl[i:j]), False
                if word is None and n >= 4:
                    if fsyl is None:
                        fsyl = tuple(map(fuzzy_syllable, syl))
                    word, fuzzy = self._fuzzy.get(fsyl[i:j]), True
                if word is None:
                    continue
                window = text[i:j]
                if window in self._words or not all(_is_han(c) for c in window):
                    continue  # already a word of the vocabulary as written (勿要送 beside 唔要送)
                same = sum(a == b for a, b in zip(window, word))
                if n < 3 and same * 2 < n:
                    continue
                if all(a == b or a in _FUNCTION for a, b in zip(window, word)) and (
                        (n <= 2 and (self._known is None or self._known(window) or window[-1] != word[-1]))
                        or (n > 2 and (window[0] != word[0] or window[-1] != word[-1]))):
                    # 在考虑 is not 再考虑, 老是 not 老师: a common word's homophone is itself — but a
                    # grammar character inside a longer word is a mishearing (护是长 → 护士长), and so is one
                    # that starts a two-character non-word (才务 → 财务).
                    continue
                if any(a != b and a in _NUMERALS and (text[i + k - 1] if i + k else "") in _AMOUNT_CHARS
                       for k, (a, b) in enumerate(zip(window, word))):
                    continue  # 一块二毛五可以: the 五 ends an amount, it is no 唔 (cannot)
                if self._known is not None and word not in self._trusted and self._known(window):
                    continue
                hits.append(Correction(i, window, word, fuzzy))
        taken = [False] * len(text)
        out: list[Correction] = []
        for c in sorted(hits, key=lambda c: (-len(c.word), c.start)):
            if not any(taken[c.start:c.start + len(c.word)]):
                out.append(c)
                for k in range(c.start, c.start + len(c.word)):
                    taken[k] = True
        return sorted(out, key=lambda c: c.start)

    def correct(self, text: str, bounds: set[int] | None = None) -> tuple[str, list[Correction]]:
        """The text with each homophone replaced by its vocabulary word (same length, same offsets)."""
        found = self.find(text, bounds)
        if not found:
            return text, []
        chars = list(text)
        for c in found:
            chars[c.start:c.start + len(c.word)] = list(c.word)
        return "".join(chars), found
