"""Character error rate, scored the same way for every system compared.

CER = character edit distance ÷ reference length, pooled over clips (sum of distances ÷ sum
of reference lengths, so a long clip weighs more than a short one), after both sides are
converted to Simplified and stripped of punctuation, symbols and spaces, with Latin
letters lower-cased: only what was said is compared, not how it was written down.
"""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Iterable

from nlp.script import to_simplified


def normalise(text: str) -> str:
    """Simplified, no punctuation/symbols/whitespace, Latin lower-case: the text CER compares."""
    text = unicodedata.normalize("NFKC", to_simplified(text or ""))
    return "".join(c.lower() for c in text if not unicodedata.category(c)[0] in "PSZC")


def edit_distance(a: str, b: str) -> int:
    """Levenshtein distance (substitution, insertion, deletion all cost 1)."""
    if len(a) < len(b):
        a, b = b, a
    if not b:
        return len(a)
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


@dataclass(frozen=True)
class CerScore:
    errors: int
    reference_chars: int

    @property
    def cer(self) -> float:
        return self.errors / self.reference_chars if self.reference_chars else float(self.errors > 0)


def score(reference: str, hypothesis: str) -> CerScore:
    """One clip's edit distance and reference length, after normalisation."""
    ref, hyp = normalise(reference), normalise(hypothesis)
    return CerScore(edit_distance(ref, hyp), len(ref))


def cer(reference: str, hypothesis: str) -> float:
    return score(reference, hypothesis).cer


def pooled_cer(pairs: Iterable[tuple[str, str]]) -> float:
    """Pooled CER over (reference, hypothesis) pairs: Σ distances ÷ Σ reference lengths."""
    scores = [score(r, h) for r, h in pairs]
    total = sum(s.reference_chars for s in scores)
    return sum(s.errors for s in scores) / total if total else 0.0
