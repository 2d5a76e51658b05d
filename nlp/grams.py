"""What the learned models read of a text, hashed and summed one query at a time (compiled).

learned.py scores a batch of queries in numpy: some thirty numpy calls a pass, whatever its size.
Most passes are small (an amount's kind is judged when a later turn reads it: 2.7 queries a pass),
and there the fixed cost was most of the time. Compiled with the rules (scripts/build_nlp.py),
this module makes the same feature hashes — a feature's polynomial hash mod 2**64, grown a
character at a time — in 64-bit machine integers that wrap, looks each up, and sums each query's
weight rows in the order numpy's bincount does, so a score is the same to the bit either way.

Run from source, a Python int does not wrap: `WRAPS` is then False and learned.py keeps numpy.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Final

from nlp.pinyin import fuzzy_syllable, syllables

try:  # native reads of the tables learned.py packs into bytes (mypyc's runtime library)
    from librt.strings import read_f64_le, read_i64_le
except ImportError:  # from source without the compiler: WRAPS is False and learned.py keeps numpy
    pass

if TYPE_CHECKING:  # only annotations name it: i64 is a machine integer compiled, an int from source
    from mypy_extensions import i64

_DIGITS = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_PUNCT = re.compile(r"[，,。.！!；;：:、…~～\"“”‘’'()（）\[\]【】《》<>-]+")
_DROP = re.compile(r"[\s嗯呃啊哦噢诶欸哎]+")


_normalised: dict[str, str] = {}


def normalise(text: str) -> str:
    """The text as the models read it: no spaces or fillers, digits as 0, one mark per pause."""
    # Each of the four models reads the same utterance, and every pass a later turn opens reads the
    # turns before it again: three regex passes per reading were 2 % of an analysis.
    found = _normalised.get(text)
    if found is None:
        if len(_normalised) >= 8192:
            _normalised.clear()  # a worker runs for weeks: bounded
        t = _DIGITS.sub("0", _DROP.sub("", text).lower()).replace("？", "?")
        found = _normalised[text] = _PUNCT.sub("|", t)
    return found


# The hash of learned.py (_P, _SEED there), as signed 64-bit numbers: the same bits.
_P: Final = 0x100000001B3
_SEED: Final = 0xCBF29CE484222325 - (1 << 64)
_UNDERSCORE: Final = 95  # ord("_"): a sound bigram is p:<syllable>_<syllable>
_GOLDEN: Final = 0x9E3779B97F4A7C15 - (1 << 64)  # learned._slot's Fibonacci multiplier


def _wraps() -> bool:
    x: i64 = 1 << 62
    return x * 4 == 0


WRAPS: Final = _wraps()


def grow(state: i64, text: str) -> i64:
    """The hash of a string after one whose hash is `state` (learned._grow, wrapped at 64 bits)."""
    for ch in text:
        state = state * _P + ord(ch)
    return state


_states: dict[str, i64] = {}
_sounds: dict[str, tuple[i64, i64]] = {}


def _state(prefix: str) -> i64:
    found = _states.get(prefix)
    if found is None:
        found = _states[prefix] = grow(_SEED, prefix)
    return found


def _sound(ch: str) -> tuple[i64, i64]:
    """A character's folded syllable as (its hash from state 0, _P to its length): appending it to
    a hash h gives h * power + poly."""
    found = _sounds.get(ch)
    if found is None:
        syllable = fuzzy_syllable(syllables(ch)[0])
        power: i64 = 1
        for _ in syllable:
            power = power * _P
        found = _sounds[ch] = (grow(0, syllable), power)
    return found


def _find(slots: bytes, bits: i64, h: i64) -> i64:
    """The weight row of hash `h` in an open-addressed table (learned._find's, each slot 16 bytes:
    the hash, then the row, -1 where the slot is empty), -1 where it is absent."""
    mask: i64 = (1 << bits) - 1
    at = ((h * _GOLDEN) >> (64 - bits)) & mask
    while True:
        row = read_i64_le(slots, at * 16 + 8)
        if row < 0 or read_i64_le(slots, at * 16) == h:
            return row
        at = (at + 1) & mask


def _rows(texts: tuple[tuple[str, str, bool, bool], ...], words: tuple[str, ...],
          slots: bytes, bits: i64) -> list[i64]:
    """The weight rows one query's features find (learned._hashes, then the table), ascending,
    each once."""
    rows: list[i64] = []
    for text, prefix, trigrams, sounds in texts:
        t = "^" + normalise(text) + "$"
        n = len(t)
        codes: list[i64] = [ord(c) for c in t]
        head = _state(prefix)
        for i in range(n):
            g1 = head * _P + codes[i]
            r = _find(slots, bits, g1)
            if r >= 0:
                rows.append(r)
            if i + 1 < n:
                g2 = g1 * _P + codes[i + 1]
                r = _find(slots, bits, g2)
                if r >= 0:
                    rows.append(r)
                if trigrams and i + 2 < n:
                    r = _find(slots, bits, g2 * _P + codes[i + 2])
                    if r >= 0:
                        rows.append(r)
        if sounds:
            head = _state(prefix + "p:")
            poly, power = _sound(t[0])
            for i in range(1, n):
                poly2, power2 = _sound(t[i])
                r = _find(slots, bits, ((head * power + poly) * _P + _UNDERSCORE) * power2 + poly2)
                if r >= 0:
                    rows.append(r)
                poly, power = poly2, power2
    for w in words:
        r = _find(slots, bits, grow(_SEED, w))
        if r >= 0:
            rows.append(r)
    rows.sort()
    return rows


def summed(queries: list[tuple[tuple[tuple[str, str, bool, bool], ...], tuple[str, ...]]],
           slots: bytes, bits: i64, weights: bytes, cols: i64) -> list[float]:
    """Each query's sum of the weight rows its features find, queries × cols flattened. `slots` is
    the table of 2**bits slots (see _find), `weights` the rows × cols matrix (float64, little-endian,
    row-major). A feature counts once per query, and rows are added in ascending order, each cell
    from 0.0, as bincount adds them."""
    out: list[float] = []
    for texts, words in queries:
        rows = _rows(texts, words, slots, bits)
        for c in range(cols):
            acc = 0.0
            prev: i64 = -1
            for r in rows:
                if r != prev:
                    acc += read_f64_le(weights, (r * cols + c) * 8)
                    prev = r
            out.append(acc)
    return out
