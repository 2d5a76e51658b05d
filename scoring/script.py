"""Script compliance of in-store conversations (达标话术库), tolerant of ASR homophone errors.

Each required line of each golden node is searched for in the conversation (the utterances
joined, punctuation dropped) by approximate substring alignment: a character costs 0 when it
is the same character or has the same toneless pinyin (光临/光林, 型号/型好 are homophones),
`fuzzy_cost` when the syllables differ only by a southern-accent confusion (zh/z, ch/c, sh/s,
n/l, -ng/-n), 1 otherwise; a missing or extra character costs 1.

    score = 1 − cost of the best alignment ÷ characters in the line      (0…1)

A line passes at `threshold` (default 0.8). The report gives, per line, the matched text,
the utterance refs it came from, the score and the plain character score (what a
character-only comparison would have given), so a manager sees why a line counted.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

import numpy as np

from nlp.pinyin import fuzzy_syllable, syllables

Ref = str | int

_KEEP = re.compile(r"[\w]", re.UNICODE)


@dataclass(frozen=True)
class ScriptNode:
    """A golden action node of a store (`crm_store_nodes`) and its required script lines."""

    seq: int
    name: str
    required_lines: tuple[str, ...]


@dataclass(frozen=True)
class Utterance:
    text: str
    ref: Ref  # segment id, e.g. "segment:881"
    speaker: str | None = None


@dataclass(frozen=True)
class ScriptConfig:
    threshold: float = 0.8
    fuzzy: bool = True
    fuzzy_cost: float = 0.5
    speakers: tuple[str | None, ...] | None = None  # None: every utterance (badge recorders are mono)


@dataclass(frozen=True)
class LineMatch:
    line: str
    score: float  # pinyin-tolerant
    char_score: float  # characters only
    passed: bool
    matched_text: str
    utterance_refs: tuple[Ref, ...]
    method: str  # exact / homophone / pinyin_approximate / approximate / none

    def to_json(self) -> dict[str, Any]:
        return {"line": self.line, "score": round(self.score, 4), "char_score": round(self.char_score, 4),
                "passed": self.passed, "matched_text": self.matched_text,
                "utterance_refs": list(self.utterance_refs), "method": self.method}


@dataclass(frozen=True)
class NodeCompliance:
    seq: int
    name: str
    lines: tuple[LineMatch, ...]
    score: float  # mean line score
    compliance: float  # lines passed ÷ lines
    passed: bool  # every line passed

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "name": self.name, "score": round(self.score, 4), "compliance": self.compliance,
                "passed": self.passed, "lines": [m.to_json() for m in self.lines]}


@dataclass(frozen=True)
class ScriptReport:
    nodes: tuple[NodeCompliance, ...]
    score: float | None  # mean over all required lines
    compliance: float | None  # lines passed ÷ required lines
    lines_passed: int
    lines_total: int

    def to_json(self) -> dict[str, Any]:
        return {"score": None if self.score is None else round(self.score, 4), "compliance": self.compliance,
                "lines_passed": self.lines_passed, "lines_total": self.lines_total,
                "nodes": [n.to_json() for n in self.nodes]}


def normalise(text: str) -> str:
    """Width-folded, lower-cased, letters/digits/Han only (punctuation and spaces dropped)."""
    text = unicodedata.normalize("NFKC", text).lower()
    return "".join(ch for ch in text if _KEEP.match(ch) and ch != "_")


def _ids(items: Sequence[str], table: dict[str, int]) -> np.ndarray:
    return np.array([table.setdefault(x, len(table)) for x in items], dtype=np.int64)


def _align(cost: np.ndarray) -> tuple[float, int, int]:
    """Best approximate occurrence of the pattern (rows) in the text (columns).

    Semi-global edit distance: skipping text before and after the match is free. Returns
    (cost, start, end) with text[start:end] the matched span. Rows are vectorised: the
    in-row insertion chain is a running minimum of (x − j) shifted back by j.
    """
    m, n = cost.shape
    D = np.zeros((m + 1, n + 1))
    D[:, 0] = np.arange(m + 1)
    j = np.arange(n + 1, dtype=float)
    for i in range(1, m + 1):
        x = np.empty(n + 1)
        x[0] = D[i - 1, 0] + 1
        x[1:] = np.minimum(D[i - 1, :-1] + cost[i - 1], D[i - 1, 1:] + 1)
        D[i] = np.minimum.accumulate(x - j) + j
    end = int(np.argmin(D[m]))
    best = float(D[m, end])
    # Trace back to find where the match starts.
    i, k = m, end
    while i > 0:
        if k > 0 and np.isclose(D[i, k], D[i - 1, k - 1] + cost[i - 1, k - 1]):
            i, k = i - 1, k - 1
        elif np.isclose(D[i, k], D[i - 1, k] + 1):
            i -= 1
        else:
            k -= 1
    return best, k, end


class _Text:
    """The conversation prepared once: characters, their syllables and owning utterances."""

    def __init__(self, utterances: Sequence[Utterance]):
        chars, owners = [], []
        for idx, u in enumerate(utterances):
            t = normalise(u.text)
            chars.append(t)
            owners += [idx] * len(t)
        self.text = "".join(chars)
        self.owners = owners
        self.refs = [u.ref for u in utterances]
        self.syllables = syllables(self.text) if self.text else ()


def match_line(line: str, text: _Text, config: ScriptConfig) -> LineMatch:
    pattern = normalise(line)
    if not pattern or not text.text:
        return LineMatch(line, 0.0, 0.0, False, "", (), "none")
    table: dict[str, int] = {}
    pc, tc = _ids(list(pattern), table), _ids(list(text.text), table)
    char_cost = (pc[:, None] != tc[None, :]).astype(float)
    psyl, tsyl = syllables(pattern), text.syllables
    sp, st = _ids(psyl, table), _ids(tsyl, table)
    cost = np.where(sp[:, None] == st[None, :], 0.0, char_cost)
    if config.fuzzy:
        fp = _ids([fuzzy_syllable(s) for s in psyl], table)
        ft = _ids([fuzzy_syllable(s) for s in tsyl], table)
        cost = np.where((cost > 0) & (fp[:, None] == ft[None, :]), config.fuzzy_cost, cost)
    best, start, end = _align(cost)
    char_best, _, _ = _align(char_cost)
    m = len(pattern)
    score = max(0.0, 1.0 - best / m)
    char_score = max(0.0, 1.0 - char_best / m)
    matched = text.text[start:end]
    refs = tuple(dict.fromkeys(text.refs[o] for o in text.owners[start:end]))
    if score <= 0:
        method = "none"
    elif matched == pattern:
        method = "exact"
    elif best == 0:
        method = "homophone"  # every character matched, some only by their pinyin
    elif score > char_score + 1e-9:
        method = "pinyin_approximate"  # pinyin tolerance raised the score, some characters still differ
    else:
        method = "approximate"
    return LineMatch(line, score, char_score, score + 1e-9 >= config.threshold, matched, refs, method)


def check_script(nodes: Iterable[ScriptNode], utterances: Iterable[Utterance],
                 config: ScriptConfig | None = None) -> ScriptReport:
    """Every required line of every node against one conversation."""
    config = config or ScriptConfig()
    chosen = [u for u in utterances if config.speakers is None or u.speaker in config.speakers]
    text = _Text(chosen)
    results, all_lines = [], []
    for node in sorted(nodes, key=lambda n: n.seq):
        lines = tuple(match_line(line, text, config) for line in node.required_lines)
        all_lines += lines
        if lines:
            scores = np.array([m.score for m in lines])
            passed = sum(m.passed for m in lines)
            results.append(NodeCompliance(node.seq, node.name, lines, float(scores.mean()), passed / len(lines),
                                          passed == len(lines)))
        else:
            results.append(NodeCompliance(node.seq, node.name, (), 1.0, 1.0, True))
    total = len(all_lines)
    passed = sum(m.passed for m in all_lines)
    return ScriptReport(tuple(results), float(np.mean([m.score for m in all_lines])) if total else None,
                        passed / total if total else None, passed, total)
