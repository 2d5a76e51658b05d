"""Learned clause classifiers beside the rules: objection types, need clauses and money kinds.

Hand rules fitted to a few hundred utterances reached 0.96–1.00 F1 on what they were tuned on
and moved fresh sets by only 0.00–0.06 (docs/nlp.md). These models are linear (one logistic
regression per label over character n-grams and toneless-pinyin bigrams, so a homophone such as
交其 shares features with 交期), trained by `python -m bench.train_nlp` on every labelled
development set; the weights ship as data in nlp/models/. The rules still find the amounts,
dates and names; a model decides what the rules only guess: whether a customer's words object
and to what, whether a clause states a need, and what kind of amount a number is.

How a model and the rules are combined is data too (`keep`, `add` thresholds per model, chosen
on out-of-fold predictions of sets the rules were never tuned on): a rule's finding stands when
the model gives it at least `keep`; the model adds a finding of its own at `add` or more.
"""

from __future__ import annotations

import gzip
import json
import math
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import repeat
from pathlib import Path

import numpy as np

from nlp import grams
from nlp.grams import normalise
from nlp.pinyin import fuzzy_syllable, syllables

MODELS_DIR = Path(__file__).parent / "models"

# Compiled, nlp.grams scores a query from its hashes without numpy (see `LinearModel.score`).
_NATIVE = grams if grams.WRAPS else None


@lru_cache(maxsize=256)  # a clause is read by two models in one analysis; no reuse across texts
def text_features(text: str, prefix: str = "", trigrams: bool = True, sounds: bool = True) -> tuple[str, ...]:
    """Character 1–3-grams and toneless, accent-folded pinyin bigrams of `text`, each once."""
    t = "^" + normalise(text) + "$"
    n = len(t)
    # Slices into one set: half the time of joining characters pairwise (analysis speed, issue #13).
    grams = set(t)
    grams.update([t[i:i + 2] for i in range(n - 1)])
    if trigrams:
        grams.update([t[i:i + 3] for i in range(n - 2)])
    if sounds:
        sy = list(map(_folded, t))
        grams.update(["p:" + a + "_" + b for a, b in zip(sy, sy[1:])])
    if prefix:
        return tuple([prefix + g for g in grams])
    return tuple(grams)


@lru_cache(maxsize=1 << 15)
def _folded(ch: str) -> str:
    return fuzzy_syllable(syllables(ch)[0])


@dataclass(frozen=True)
class Query:
    """What a model reads of one case: texts cut into n-grams (text, prefix, trigrams, sounds) and
    whole features (K:price, S:customer). `features()` spells them out as strings, as training reads
    them; `LinearModel.score` reads many queries at once from their hashes, never making the strings."""

    texts: tuple[tuple[str, str, bool, bool], ...]
    words: tuple[str, ...] = ()

    def features(self) -> tuple[str, ...]:
        out: tuple[str, ...] = ()
        for text, prefix, trigrams, sounds in self.texts:
            out += text_features(text, prefix, trigrams, sounds)
        return out + self.words


# A feature's hash is the polynomial hash of its string, mod 2**64: the hash of a string's n-grams
# can then be grown character by character, in numpy, over every text of a batch at once. Analysis
# spent a third of its time making feature strings and looking them up one by one (issue #13's
# throughput goal).
_MASK = (1 << 64) - 1
_P = 0x100000001B3
_SEED = 0xCBF29CE484222325


def _grow(state: int, text: str) -> int:
    for ch in text:
        state = (state * _P + ord(ch)) & _MASK
    return state


@lru_cache(maxsize=1 << 16)
def feature_hash(feature: str) -> int:
    """The hash `LinearModel.score` gives the feature string `feature`."""
    return _grow(_SEED, feature)


@lru_cache(maxsize=1 << 12)
def _state(prefix: str) -> int:
    return _grow(_SEED, prefix)


class _Sounds:
    """Each character's folded syllable as (its polynomial from state 0, _P to its length), the two
    numbers that append the syllable to a hash; kept as arrays indexed by a per-character id."""

    def __init__(self) -> None:
        self._ids: dict[str, int] = {}
        self._poly: list[int] = []
        self._power: list[int] = []
        self._arrays = (np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.uint64))
        self._lock = threading.Lock()

    def of(self, text: str) -> tuple[np.ndarray, np.ndarray]:
        ids = list(map(self._ids.get, text))
        if None in ids:
            with self._lock:
                for i, ch in enumerate(text):
                    if ids[i] is None:
                        ids[i] = self._ids.get(ch)
                        if ids[i] is None:
                            s = _folded(ch)
                            self._poly.append(_grow(0, s))
                            self._power.append(pow(_P, len(s), 1 << 64))
                            ids[i] = self._ids[ch] = len(self._poly) - 1
                self._arrays = (np.asarray(self._poly, dtype=np.uint64), np.asarray(self._power, dtype=np.uint64))
        poly, power = self._arrays
        at = np.fromiter(ids, dtype=np.int64, count=len(ids))
        return poly[at], power[at]


_sounds = _Sounds()


_U64 = np.uint64
_FEW = 2  # queries a batch holds at most to be scored from feature strings instead of hashes


def _slot(h: np.ndarray, mask: int) -> np.ndarray:
    """Where a hash's search starts: its top bits after a Fibonacci multiply (a polynomial hash's low
    bits are poorly mixed, and runs of neighbours make long searches)."""
    return ((h * _U64(0x9E3779B97F4A7C15)) >> _U64(64 - mask.bit_length())).astype(np.int64)


def _find(slots: np.ndarray, rows_of: np.ndarray, reach: int, h: np.ndarray) -> np.ndarray:
    """The weight row of each hash in an open-addressed table (`_hashed`), -1 where it is absent.
    Probed a slot at a time for the hashes still looking: at most a quarter of the table is full, so
    most searches end at their first slot (reading all `reach` slots of every hash at once read eight
    times the memory)."""
    mask = len(slots) - 1
    out = np.full(len(h), -1, dtype=np.int64)
    todo = np.arange(len(h))
    at = _slot(h, mask)
    for _ in range(reach + 1):
        row = rows_of[at]
        hit = slots[at] == h[todo]
        out[todo[hit]] = row[hit]
        going = ~hit & (row >= 0)  # an empty slot ends the search: keys are never removed
        if not going.any():
            break
        todo, at = todo[going], (at[going] + 1) & mask
    return out


def _hashes(queries: Sequence[Query], salts: Sequence[str] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(query index, feature hash) of every feature of every query (a feature may come twice);
    `salts`: a string each query's features are read after (several models' queries in one table)."""
    parts: list[str] = []
    owner: list[int] = []
    prefixes: list[str] = []
    flags: list[tuple[bool, bool]] = []
    word_q: list[int] = []
    word_h: list[int] = []
    for q, query in enumerate(queries):
        salt = salts[q] if salts is not None else ""
        for text, prefix, trigrams, sounds in query.texts:
            parts.append("^" + normalise(text) + "$")
            owner.append(q)
            prefixes.append(salt + prefix)
            flags.append((trigrams, sounds))
        for w in query.words:
            word_q.append(q)
            word_h.append(feature_hash(salt + w))
    qs = [np.asarray(word_q, dtype=np.int64)]
    hs = [np.asarray(word_h, dtype=_U64)]
    if parts:
        big = "".join(parts)
        n = len(big)
        lengths = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
        part = np.repeat(np.arange(len(parts)), lengths)
        end = np.cumsum(lengths)[part]  # each position's part ends before this position
        pos = np.arange(n)
        q_of = np.asarray(owner, dtype=np.int64)[part]
        code = np.frombuffer(big.encode("utf-32-le"), dtype=np.uint32).astype(_U64)
        p = _U64(_P)
        g1 = np.asarray([_state(x) for x in prefixes], dtype=_U64)[part] * p + code
        two = pos[:-1] + 1 < end[:-1]
        g2 = g1[:-1] * p + code[1:]
        tri = np.asarray([t for t, _ in flags], dtype=bool)[part]
        snd = np.asarray([s for _, s in flags], dtype=bool)[part]
        three = (pos[:-2] + 2 < end[:-2]) & tri[:-2]
        g3 = g2[:-1] * p + code[2:]
        sounds = two & snd[:-1]
        qs += [q_of, q_of[:-1][two], q_of[:-2][three]]
        hs += [g1, g2[two], g3[three]]
        if sounds.any():
            # Only the texts read for their sounds: the long context texts (C:) are not.
            poly, power = (np.zeros(n, dtype=_U64), np.zeros(n, dtype=_U64))
            idx = np.flatnonzero(snd)
            poly[idx], power[idx] = _sounds.of("".join(t for t, (_, x) in zip(parts, flags) if x))
            head = np.asarray([_state(x + "p:") for x in prefixes], dtype=_U64)[part]
            gp = ((head[:-1] * power[:-1] + poly[:-1]) * p + _U64(ord("_"))) * power[1:] + poly[1:]
            qs.append(q_of[:-1][sounds])
            hs.append(gp[sounds])
    return np.concatenate(qs), np.concatenate(hs)


@dataclass(frozen=True)
class LinearModel:
    """One logistic regression per label (one-vs-rest) over sparse binary features."""

    name: str
    labels: tuple[str, ...]
    weights: dict[str, tuple[float, ...]]
    bias: tuple[float, ...]
    keep: float = 0.0              # a rule's finding stands at this probability or more
    add: float = 1.01              # the model's own finding at this probability or more
    meta: dict = field(default_factory=dict, hash=False, compare=False)
    # Per label where one threshold does not fit all (an objection model sure of `other` in forum
    # chatter about phones is wrong more often than when it is sure of `price`).
    adds: dict = field(default_factory=dict, hash=False, compare=False)

    def add_for(self, label: str) -> float:
        """The probability at or above which the model adds a finding of `label` of its own."""
        return self.adds.get(label, self.add)

    def score(self, queries: Sequence[Query]) -> np.ndarray:
        """The probability of every label (columns) for each query (rows), all in one pass."""
        if not queries:
            return np.zeros((0, len(self.labels)))
        if _NATIVE is not None and len(self.weights):
            z = _NATIVE.summed([(q.texts, q.words) for q in queries], *self._native, len(self.labels))
            return _sigmoids(np.asarray(z).reshape(len(queries), len(self.labels)) + np.asarray(self.bias))
        if len(queries) <= _FEW:
            # numpy's fixed cost per call outweighs the strings of one or two queries
            return np.array([list(self.probabilities(q.features()).values()) for q in queries])
        slots, rows_of, reach, matrix = self._hashed
        if not len(matrix):
            return np.tile(1.0 / (1.0 + np.exp(-np.asarray(self.bias))), (len(queries), 1))
        return _sigmoids(_summed(slots, rows_of, reach, matrix, *_hashes(queries), len(queries))
                         + np.asarray(self.bias))

    @cached_property
    def _native(self) -> tuple[bytes, int, bytes]:
        """The table and weights as nlp.grams reads them: 16-byte slots (hash, row; half of them
        empty: one slot read finds most, where a quarter-full table of two arrays was two cache
        misses), the number of bits of the slot count, the weights row by row."""
        slots, rows_of, _ = _table(self.feature_hashes, self.name, spare=2)
        packed = np.empty((len(slots), 2), dtype="<i8")
        packed[:, 0], packed[:, 1] = slots.view(np.int64), rows_of
        return packed.tobytes(), len(slots).bit_length() - 1, self.matrix.astype("<f8").tobytes()

    @cached_property
    def _hashed(self) -> tuple[np.ndarray, np.ndarray, int, np.ndarray]:
        return (*_table(self.feature_hashes, self.name), self.matrix)

    @cached_property
    def feature_hashes(self) -> np.ndarray:
        """`feature_hash` of every feature, in the order of `weights`."""
        return np.fromiter(map(feature_hash, self.weights), dtype=_U64, count=len(self.weights))

    @cached_property
    def matrix(self) -> np.ndarray:
        """The weights, a row per feature in the order of `weights`."""
        return np.array(list(self.weights.values()), dtype=np.float64).reshape(-1, len(self.labels))

    def probabilities(self, features: Iterable[str]) -> dict[str, float]:
        index, matrix = self._matrix
        # A feature counts once, as in training; an unknown one reads row -1, which is all zeros.
        rows = list(map(index.get, set(features), repeat(-1)))
        z = matrix.take(rows, axis=0).sum(axis=0).tolist()  # take: fancy indexing costs twice as much
        return {label: _sigmoid(v + b) for label, v, b in zip(self.labels, z, self.bias)}

    @cached_property
    def _matrix(self) -> tuple[dict[str, int], np.ndarray]:
        # One row a feature: a sum over the rows a text holds is one numpy call, not a Python loop.
        names = list(self.weights)
        rows = [self.weights[f] for f in names] + [(0.0,) * len(self.labels)]
        return {f: i for i, f in enumerate(names)}, np.array(rows, dtype=np.float64).reshape(-1, len(self.labels))

    def to_json(self) -> dict:
        return {"name": self.name, "labels": list(self.labels), "bias": list(self.bias), "keep": self.keep,
                "add": self.add, "adds": self.adds, "meta": self.meta,
                "weights": {k: list(v) for k, v in self.weights.items()}}

    @classmethod
    def from_json(cls, d: dict) -> LinearModel:
        return cls(d["name"], tuple(d["labels"]), {k: tuple(v) for k, v in d["weights"].items()},
                   tuple(d["bias"]), float(d["keep"]), float(d["add"]), dict(d.get("meta", {})),
                   {k: float(v) for k, v in d.get("adds", {}).items()})


def _table(hashes: np.ndarray, name: str, spare: int = 4) -> tuple[np.ndarray, np.ndarray, int]:
    """An open-addressed table of `hashes` (slots, the row of each slot, the longest search).

    At most 1 / `spare` full: a lookup reads a few neighbouring slots, where a binary search over
    sorted hashes was a dozen random reads (memory, not arithmetic, is the cost here)."""
    size = 1 << max(4, (spare * len(hashes) - 1).bit_length())
    slots = np.zeros(size, dtype=_U64)
    rows_of = np.full(size, -1, dtype=np.int32)
    mask = size - 1
    starts = _slot(hashes, mask).tolist()
    taken: set[int] = set()  # the slots in use, read without touching numpy per key
    reach = 0
    for i, h in enumerate(hashes.tolist()):
        at = starts[i]
        while at in taken:
            if int(slots[at]) == h:
                raise ValueError(f"model {name!r}: two features share a hash; rename one")
            at = (at + 1) & mask
        slots[at], rows_of[at] = h, i
        taken.add(at)
        reach = max(reach, (at - starts[i]) & mask)
    return slots, rows_of, reach


def _summed(slots: np.ndarray, rows_of: np.ndarray, reach: int, matrix: np.ndarray, q: np.ndarray,
            h: np.ndarray, queries: int) -> np.ndarray:
    """Each query's sum of the weight rows its features find (queries × columns)."""
    row = _find(slots, rows_of, reach, h)
    hit = row >= 0
    # A feature counts once per query, as in training: one sort of (query, row) pairs.
    width = len(matrix)
    pair = np.sort(q[hit] * width + row[hit], kind="stable")
    if len(pair) > 1:
        pair = pair[np.concatenate(([True], pair[1:] != pair[:-1]))]
    q, rows = pair // width, pair % width
    cols = matrix.shape[1]
    # One gather of whole rows and one bincount over (query, column) cells: each cell sums its
    # weights in the order (so to the bit) a bincount per column did, with a gather per column.
    cells = (q[:, None] * cols + np.arange(cols)).ravel()
    return np.bincount(cells, weights=matrix[rows].ravel(), minlength=queries * cols).reshape(queries, cols)


def _sigmoids(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


class _Joint:
    """Several models' features in one table, each model's hashes salted with its place, so the
    models of one touch are read in one pass: a pass's fixed cost in numpy calls was most of
    what scoring a touch took (issue #13's throughput goal)."""

    def __init__(self, models: tuple[LinearModel, ...]) -> None:
        self.models = models
        self.salts = tuple(f"{i}\x1f" for i in range(len(models)))  # by place: a model may come twice
        width = max(len(m.labels) for m in models)
        hashes, blocks = [], []
        for m, salt in zip(models, self.salts):
            hashes.append(_salted(m.feature_hashes, list(map(len, m.weights)), salt))
            block = np.zeros((len(m.weights), width))
            block[:, :len(m.labels)] = m.matrix
            blocks.append(block)
        self.matrix = np.concatenate(blocks)
        self.table = _table(np.concatenate(hashes), "+".join(m.name for m in models))


def _salted(hashes: np.ndarray, lengths: list[int], salt: str) -> np.ndarray:
    """The hashes of `salt` + each feature, from the features' own hashes and lengths: a string's
    polynomial hash is its start state times _P to its length plus its characters' part."""
    powers = {n: pow(_P, n, 1 << 64) for n in set(lengths)}
    power = np.fromiter(map(powers.__getitem__, lengths), dtype=_U64, count=len(lengths))
    return hashes + _U64((_state(salt) - _SEED) & _MASK) * power


_joints: dict[tuple[int, ...], _Joint] = {}
_joint_lock = threading.Lock()


def score_together(asked: Sequence[tuple[LinearModel, Sequence[Query]]]) -> list[np.ndarray]:
    """`LinearModel.score` of each (model, queries) pair, all of them read in one pass."""
    asked = [(m, qs) for m, qs in asked]
    total = sum(len(qs) for _, qs in asked)
    if total <= _FEW or len(asked) < 2 or _NATIVE is not None:  # compiled: no pass has a fixed cost
        return [m.score(qs) for m, qs in asked]
    models = tuple(m for m, _ in asked)
    if not any(len(m.weights) for m in models):
        return [m.score(qs) for m, qs in asked]
    key = tuple(map(id, models))
    joint = _joints.get(key)
    if joint is None:
        with _joint_lock:  # the models stay referenced by the joint, so their ids stay theirs
            joint = _joints.setdefault(key, _Joint(models))
    salts = [salt for (_, qs), salt in zip(asked, joint.salts) for _ in qs]
    queries = [q for _, qs in asked for q in qs]
    z = _summed(*joint.table, joint.matrix, *_hashes(queries, salts), len(queries))
    out, at = [], 0
    for m, qs in asked:
        out.append(_sigmoids(z[at:at + len(qs), :len(m.labels)] + np.asarray(m.bias)))
        at += len(qs)
    return out


def _sigmoid(z: float) -> float:
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def save(model: LinearModel, path: Path) -> None:
    with gzip.open(path, "wt", encoding="utf-8") as fh:
        json.dump(model.to_json(), fh, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


@lru_cache(maxsize=8)
def load(name: str, directory: Path = MODELS_DIR) -> LinearModel | None:
    """The shipped model `name` (nlp/models/<name>.json.gz), or None when it is not there."""
    path = directory / f"{name}.json.gz"
    if not path.exists():
        return None
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        return LinearModel.from_json(json.load(fh))


# ---- what each model reads ----------------------------------------------------------------------

def objection_query(text: str, said: Iterable[str] = (), before_money: Iterable[str] = ()) -> Query:
    """A customer utterance (or a clause of it), for the objection-type model, with the types the
    rules found in it (the model learns how far to trust them) and the kinds of money the other side
    named in the turn just before it (六十八万？ after a quote is haggling)."""
    return Query(((text, "", True, True),),
                 tuple(f"K:{t}" for t in sorted(set(said))) + tuple(f"PM:{k}" for k in sorted(set(before_money))))


def objection_features(text: str, said: Iterable[str] = (), before_money: Iterable[str] = ()) -> tuple[str, ...]:
    return objection_query(text, said, before_money).features()


def need_query(clause: str, before: str = "", said: bool = False, money: Iterable[str] = (),
               dates: Iterable[str] = ()) -> Query:
    """One clause of a customer turn, with the clause before it as context, whether the rules found a
    need in it, and the kinds of the money and dates the rules found in it (预算大概二三十万 states a
    budget, 希望三月二十日前交付 a deadline the customer needs)."""
    texts = ((clause, "", True, True),) + (((before[-8:], "b:", False, False),) if before else ())
    words = (("K:need",) if said else ()) + tuple(sorted({f"$:{k}" for k in money})) + \
        tuple(sorted({f"D:{k}" for k in dates}))
    return Query(texts, words)


def need_features(clause: str, before: str = "", said: bool = False, money: Iterable[str] = (),
                  dates: Iterable[str] = ()) -> tuple[str, ...]:
    return need_query(clause, before, said, money, dates).features()


def in_clause_kinds(clause: str, money: Iterable, dates: Iterable) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The kinds of the amounts (`.phrase`, `.kind`) and dates said inside `clause`, for need_features."""
    return (tuple(m.kind for m in money if m.phrase and m.phrase in clause),
            tuple(d.kind for d in dates if d.phrase and d.phrase in clause))


def money_query(text: str, start: int, end: int, speaker: str, unit: str | None,
                ranged: bool, amount: float | None, kind: str = "") -> Query:
    """An amount in its utterance: the words just before and after it, its clause, unit, size and speaker."""
    left, right = text[max(0, start - 10):start], text[end:end + 8]
    words = [f"S:{speaker}", f"U:{unit or '-'}", f"G:{int(ranged)}", f"A:{normalise(text[start:end])[-2:]}",
             f"K:{kind}"]
    if amount is not None and amount > 0:
        words.append(f"M:{int(math.floor(math.log10(amount)))}")
    return Query(((left[-6:], "L:", True, True), (right[:6], "R:", True, True),
                  (text[max(0, start - 24):end + 16], "C:", False, False)), tuple(words))


def money_features(text: str, start: int, end: int, speaker: str, unit: str | None,
                   ranged: bool, amount: float | None, kind: str = "") -> tuple[str, ...]:
    return money_query(text, start, end, speaker, unit, ranged, amount, kind).features()


def commitment_query(text: str, start: int, end: int, speaker: str, past: bool, kind: str = "") -> Query:
    """A date in its utterance: the words around it, its clause and who said it."""
    left, right = text[max(0, start - 10):start], text[end:end + 10]
    words = (f"S:{speaker}", f"D:{normalise(text[start:end])[-2:]}", f"T:{int(past)}", f"K:{kind}",
             f"SK:{speaker}:{kind}")
    return Query(((left[-6:], "L:", True, True), (right[:8], "R:", True, True),
                  (text[max(0, start - 20):end + 20], "C:", False, False)), words)


def commitment_features(text: str, start: int, end: int, speaker: str, past: bool,
                        kind: str = "") -> tuple[str, ...]:
    return commitment_query(text, start, end, speaker, past, kind).features()


def best_clause(model: LinearModel, label: str, clauses: Sequence[str]) -> int:
    """The index of the clause the model finds most `label`: where to point a finding of the whole turn."""
    p = model.score([objection_query(c) for c in clauses])[:, model.labels.index(label)]
    return int(np.argmax(p)) if len(p) else 0
