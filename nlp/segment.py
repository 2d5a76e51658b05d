"""Word segmentation: jieba with each industry's dictionary, loaded once per process.

jieba's default dictionary splits 采购总监 into 采购/总监 and 张总 into 张/总, and its HMM
glues surnames to neighbours (找王/总, 张总说). Each industry gets its own jieba.Tokenizer
holding the base words plus the pack's titles, departments and vocabulary — never the
global jieba dictionary, so industries cannot leak into each other. Surname + title pairs
are not dictionary entries (张工 as a word breaks 这张工单); names.py finds them and the
segmenter keeps each one whole.
"""

from __future__ import annotations

import logging
import threading
from itertools import accumulate
from typing import NamedTuple

import jieba

from nlp.names import person_spans
from nlp.packs import BASE_ID, Pack, PackError, load_pack

_lock = threading.Lock()
_base: jieba.Tokenizer | None = None


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


class Segmenter:
    """One industry's tokenizer. Build through `segmenter(industry)`, which caches it."""

    def __init__(self, pack: Pack) -> None:
        base = _base_tokenizer()
        tk = jieba.Tokenizer()
        # Copying the table (≈50 ms) instead of re-reading the dictionary file (≈0.8 s).
        tk.FREQ = dict(base.FREQ)
        tk.total = base.total
        tk.initialized = True
        self.pack = pack
        self.added: tuple[str, ...] = pack.dictionary_words()
        for word in self.added:
            if not tk.FREQ.get(word):
                tk.add_word(word)  # frequency suggested by jieba: enough to keep it whole
            if tk.lcut(word) != [word]:
                # In the dictionary yet cut apart (装好 → 装/好): raise it until it holds.
                tk.suggest_freq(word, tune=True)
        self._tk = tk
        self._titles = tuple(sorted(pack.titles))
        self._prefixes = tuple(sorted({*pack.departments, *(t for t, r in pack.titles.items() if len(t) > 1 and r != "other")}))
        self._freq = base.FREQ

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
        words = self._tk.lcut(text)
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

    def cut(self, text: str) -> list[str]:
        return [t.word for t in self.tokens(text)]

    def known(self, word: str) -> bool:
        """A dictionary word (jieba's or the pack's), not one jieba's HMM guessed (前能, 李明)."""
        return self._tk.FREQ.get(word, 0) > 0


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
