"""Word segmentation: jieba with each industry's dictionary, loaded once per process.

jieba's default dictionary splits 采购总监 into 采购/总监 and 张总 into 张/总, and its HMM
glues surnames to neighbours (找王/总, 张总说). Each industry gets its own jieba.Tokenizer
holding the base words plus the pack's titles, departments and vocabulary — never the
global jieba dictionary, so industries cannot leak into each other. Surname + title pairs
are not dictionary entries (张工 as a word breaks 这张工单); names.py finds them and the
segmenter keeps each one whole.

The words, their frequencies and the HMM are jieba's; the cutting runs in jieba-rs (rjieba), the
same algorithm in Rust, fifteen times faster than jieba's Python loop (issue #13's throughput
goal). The two cut the same way but in two places, both cut here as jieba does: runs of Latin
letters and digits, which jieba cuts apart (MK-800 → MK/-/800, 1.5w → 1.5/w) and jieba-rs keeps
whole, and characters jieba-rs reads as Chinese and jieba does not (㗎, emoji). Building an
industry's engine takes ≈ 0.2 s, once per process. tests/unit/test_segment_engine.py holds the two
to the same words on every labelled utterance and on fuzzed odd text.
"""

from __future__ import annotations

import logging
import re
import threading
from itertools import accumulate
from typing import NamedTuple

import jieba
import rjieba
from jieba.finalseg import re_skip as _LATIN_RUN

from nlp.names import person_spans
from nlp.packs import BASE_ID, Pack, PackError, load_pack

_lock = threading.Lock()
_base: jieba.Tokenizer | None = None
_HAN = re.compile("[\u4e00-\u9fd5]")  # jieba's own range of Chinese characters
# Characters jieba-rs reads as Chinese and jieba does not (㗎 of Cantonese, 𠮷, 﨑), and any
# character beyond the first plane (emoji): a text holding one is cut block by block as jieba does.
_NOT_JIEBAS_HAN = re.compile("[\u3400-\u4dbf\u9fd6-\u9fff\uf900-\ufaff\U00010000-\U0010ffff]")
_JIEBA_BLOCK = jieba.re_han_default
_JIEBA_SKIP = jieba.re_skip_default
# A word no text can hold (private-use characters, never inside a block jieba-rs cuts).
_UNSAYABLE = "\ue000\ue001"


class Token(NamedTuple):
    """A word and its character offsets (a tuple: segmentation makes thousands of them)."""

    word: str
    start: int
    end: int


def _base_tokenizer() -> jieba.Tokenizer:
    """jieba's default dictionary, read once; industry tokenizers copy its table."""
    global _base
    with _lock:
        if _base is None:
            # jieba announces every dictionary load on its logger; once is enough to know.
            logging.getLogger("jieba").setLevel(logging.WARNING)
            tk = jieba.Tokenizer()
            tk.initialize()
            _base = tk
        return _base


def jieba_tokenizer(pack: Pack) -> jieba.Tokenizer:
    """jieba holding the pack's words: the dictionary a Segmenter cuts with, and jieba's own cut of
    it (tests hold the Segmenter's words to that cut)."""
    base = _base_tokenizer()
    tk = jieba.Tokenizer()
    # Copying the table (≈50 ms) instead of re-reading the dictionary file (≈0.8 s).
    tk.FREQ = dict(base.FREQ)
    tk.total = base.total
    tk.initialized = True
    for word in pack.dictionary_words():
        if not tk.FREQ.get(word):
            tk.add_word(word)  # frequency suggested by jieba: enough to keep it whole
        if tk.lcut(word) != [word]:
            # In the dictionary yet cut apart (装好 → 装/好): raise it until it holds.
            tk.suggest_freq(word, tune=True)
    return tk


class Segmenter:
    """One industry's tokenizer. Build through `segmenter(industry)`, which caches it."""

    def __init__(self, pack: Pack) -> None:
        tk = jieba_tokenizer(pack)
        base = _base_tokenizer().FREQ
        self.pack = pack
        self.added: tuple[str, ...] = pack.dictionary_words()
        self._engine = _engine(tk)
        # Only what the pack changed is kept beside jieba's table: a copy of it per industry was 15 MB.
        self._own = {w: f for w, f in tk.FREQ.items() if base.get(w) != f}
        self._titles = tuple(sorted(pack.titles))
        self._prefixes = tuple(sorted({*pack.departments, *(t for t, r in pack.titles.items() if len(t) > 1 and r != "other")}))
        self._freq = base

    @property
    def titles(self) -> tuple[str, ...]:
        return self._titles

    @property
    def prefixes(self) -> tuple[str, ...]:
        """Department and functional-title words that may stand before a name (技术部, 财务)."""
        return self._prefixes

    def persons(self, text: str):
        """Surname + title spans in `text` (names.person_spans with this pack's words)."""
        return person_spans(text, self._titles, self._prefixes, self._freq)

    def tokens(self, text: str, persons=None) -> tuple[Token, ...]:
        """Tokens with character offsets; every surname + title stays one token."""
        words = self._cut(text) if not _NOT_JIEBAS_HAN.search(text) else self._cut_by_blocks(text)
        ends = list(accumulate(map(len, words)))
        out = tuple(map(Token, words, [0, *ends[:-1]], ends))
        people = persons if persons is not None else self.persons(text)
        if not people:
            return out
        cuts = {t.end for t in out} | {0}
        for p in people:
            cuts = {c for c in cuts if not p.name_start < c < p.end}
            cuts.update((p.name_start, p.end))
        edges = sorted(cuts)
        return tuple(Token(text[a:b], a, b) for a, b in zip(edges, edges[1:]) if b > a)

    def _cut(self, text: str) -> list[str]:
        words = self._engine.cut(text, True)
        if any(len(w) > 1 and w.isascii() for w in words):
            words = self._as_jieba(words)
        return words

    def _cut_by_blocks(self, text: str) -> list[str]:
        """jieba.Tokenizer.cut's own first step: its Chinese blocks cut by the engine, every other
        character a word of its own, a whitespace run's pieces (\\r\\n, a space) words too."""
        out: list[str] = []
        for block in _JIEBA_BLOCK.split(text):
            if not block:
                continue
            if _JIEBA_BLOCK.match(block):
                out += self._cut(block)
            else:
                for x in _JIEBA_SKIP.split(block):
                    if _JIEBA_SKIP.match(x):
                        out.append(x)
                    else:
                        out += x
        return out

    def _as_jieba(self, words: list[str]) -> list[str]:
        """jieba-rs's words cut as jieba's: a run of Latin letters and digits the dictionary does not
        hold is cut where jieba's HMM step cuts it (its pattern: letters and digits, a decimal, %)."""
        out: list[str] = []
        for w in words:
            if len(w) > 1 and not _HAN.search(w) and not self.known(w):
                out.extend(p for p in _LATIN_RUN.split(w) if p)
            else:
                out.append(w)
        return out

    def cut(self, text: str) -> list[str]:
        return [t.word for t in self.tokens(text)]

    def known(self, word: str) -> bool:
        """A dictionary word (jieba's or the pack's), not one jieba's HMM guessed (前能, 李明)."""
        own = self._own.get(word)
        return (self._freq.get(word, 0) if own is None else own) > 0


def _engine(tk: jieba.Tokenizer) -> rjieba.Jieba:
    """jieba-rs holding exactly `tk`'s words, frequencies and total."""
    engine = rjieba.Jieba.empty()
    total = 0
    for word, freq in tk.FREQ.items():
        if freq > 0:  # jieba keeps every word's prefixes at 0 to know where to stop looking
            engine.add_word(word, freq, None)
            total += freq
    if tk.total > total:
        # jieba adds a re-weighted word's new frequency to its total without taking the old one
        # off; the total divides every word's probability, so jieba-rs gets the same total.
        engine.add_word(_UNSAYABLE, tk.total - total, None)
    return engine


_segmenters: dict[str, Segmenter] = {}
_build_lock = threading.Lock()


def segmenter(industry: str | None = None) -> Segmenter:
    """The segmenter for an industry pack (None: base pack), built once on first use."""
    pack = load_pack(industry)
    found = _segmenters.get(pack.id)
    if found is None:
        with _build_lock:  # two threads asking at once build it once
            found = _segmenters.get(pack.id)
            if found is None:
                found = _segmenters[pack.id] = Segmenter(pack)
    return found


def segmenter_for(pack: Pack) -> Segmenter:
    """The segmenter of a loaded pack: the shared one for a packaged pack, else one of its own."""
    industry = None if pack.id == BASE_ID else pack.id
    try:
        packaged = load_pack(industry)
    except PackError:  # an ad-hoc pack file (load_pack_file) with an id of its own
        packaged = None
    if packaged is pack:  # load_pack is cached: the packaged pack is this very object
        return segmenter(industry)
    key = f"{pack.id}#{id(pack)}"
    with _build_lock:
        found = _segmenters.get(key)
        if found is None:
            found = _segmenters[key] = Segmenter(pack)
    return found


def cut(text: str, industry: str | None = None) -> list[str]:
    """Words of `text` under the industry's dictionary."""
    return segmenter(industry).cut(text)
