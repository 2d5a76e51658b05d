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
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from itertools import repeat
from pathlib import Path

import numpy as np

from nlp.pinyin import fuzzy_syllable, syllables

MODELS_DIR = Path(__file__).parent / "models"

_SPACES = re.compile(r"\s+")
_DIGITS = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_QUESTION = re.compile(r"[？?]")
_PUNCT = re.compile(r"[，,。.！!；;：:、…~～\"“”‘’'()（）\[\]【】《》<>-]+")
_FILLER = re.compile(r"[嗯呃啊哦噢诶欸哎]")


def normalise(text: str) -> str:
    """The text as the models read it: no spaces or fillers, digits as 0, one mark per pause."""
    t = _SPACES.sub("", text).lower()
    t = _FILLER.sub("", t)
    t = _DIGITS.sub("0", t)
    t = _QUESTION.sub("?", t)
    return _PUNCT.sub("|", t)


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

def objection_features(text: str, said: Iterable[str] = (), before_money: Iterable[str] = ()) -> tuple[str, ...]:
    """A customer utterance (or a clause of it), for the objection-type model, with the types the
    rules found in it (the model learns how far to trust them) and the kinds of money the other side
    named in the turn just before it (六十八万？ after a quote is haggling)."""
    return (text_features(text) + tuple(f"K:{t}" for t in sorted(set(said)))
            + tuple(f"PM:{k}" for k in sorted(set(before_money))))


def need_features(clause: str, before: str = "", said: bool = False, money: Iterable[str] = (),
                  dates: Iterable[str] = ()) -> tuple[str, ...]:
    """One clause of a customer turn, with the clause before it as context, whether the rules found a
    need in it, and the kinds of the money and dates the rules found in it (预算大概二三十万 states a
    budget, 希望三月二十日前交付 a deadline the customer needs)."""
    feats = text_features(clause) + (("K:need",) if said else ())
    feats += tuple(sorted({f"$:{k}" for k in money})) + tuple(sorted({f"D:{k}" for k in dates}))
    if before:
        feats = feats + text_features(before[-8:], "b:", trigrams=False, sounds=False)
    return feats


def in_clause_kinds(clause: str, money: Iterable, dates: Iterable) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The kinds of the amounts (`.phrase`, `.kind`) and dates said inside `clause`, for need_features."""
    return (tuple(m.kind for m in money if m.phrase and m.phrase in clause),
            tuple(d.kind for d in dates if d.phrase and d.phrase in clause))


def money_features(text: str, start: int, end: int, speaker: str, unit: str | None,
                   ranged: bool, amount: float | None, kind: str = "") -> tuple[str, ...]:
    """An amount in its utterance: the words just before and after it, its clause, unit, size and speaker."""
    left, right = text[max(0, start - 10):start], text[end:end + 8]
    feats = list(text_features(left[-6:], "L:")) + list(text_features(right[:6], "R:"))
    feats += text_features(text[max(0, start - 24):end + 16], "C:", trigrams=False, sounds=False)
    feats += [f"S:{speaker}", f"U:{unit or '-'}", f"G:{int(ranged)}", f"A:{normalise(text[start:end])[-2:]}",
              f"K:{kind}"]
    if amount is not None and amount > 0:
        feats.append(f"M:{int(math.floor(math.log10(amount)))}")
    return tuple(feats)


def commitment_features(text: str, start: int, end: int, speaker: str, past: bool,
                        kind: str = "") -> tuple[str, ...]:
    """A date in its utterance: the words around it, its clause and who said it."""
    left, right = text[max(0, start - 10):start], text[end:end + 10]
    feats = list(text_features(left[-6:], "L:")) + list(text_features(right[:8], "R:"))
    feats += text_features(text[max(0, start - 20):end + 20], "C:", trigrams=False, sounds=False)
    feats += [f"S:{speaker}", f"D:{normalise(text[start:end])[-2:]}", f"T:{int(past)}", f"K:{kind}",
              f"SK:{speaker}:{kind}"]
    return tuple(feats)


def best_clause(model: LinearModel, label: str, clauses: Sequence[str]) -> int:
    """The index of the clause the model finds most `label`: where to point a finding of the whole turn."""
    best, index = -1.0, 0
    for i, c in enumerate(clauses):
        p = model.probabilities(objection_features(c))[label]
        if p > best:
            best, index = p, i
    return index
