"""Customer Contact Quality Index (docs/contract.md, "Analysis semantics"): touch depth, need anchoring, rhythm match.

Plain values in (the rows the lead reads from `crm_*`/`ap_*`), a frozen `CqiResult` out, which
carries every figure's numerator, denominator and the ids it came from, so "why is this 69.9?"
is answered by `result.explain()` (lines for people) or `result.to_json()` (for `ap_cqi`).

    result = compute_cqi(period, touches, target_categories, reaches, commitments, CqiConfig())

Decisions where docs/contract.md is silent are listed in docs/scoring.md.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from .periods import Period

PARTS = ("depth", "anchoring", "rhythm")
PART_LABELS = {"depth": "触达深度", "anchoring": "需求锚定度", "rhythm": "节奏匹配度"}
RHYTHM_MODES = ("late_only", "absolute")
COMMITMENT_KINDS = ("expected", "promised", "other")
_EPS = 1e-9  # thresholds are compared with this slack so 41/50 counts as 0.82

Ref = str | int


# ---- inputs ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Touch:
    """One touch (docs/contract.md, "Touch"): a `crm_actions` row, or one day's messages between customer and rep.

    `has_content`: a transcript or messages exist (the touch can be analysed).
    `has_need`: at least one customer need statement (`need_ids` non-empty implies it).
    `source_ids`: what the touch is made of, e.g. ("action:17", "transcript:5") or
    ("message:31", "message:32").
    `unattributed`: its only content is calls in which no speech could be attributed to the
    customer (mono, speakers unknown): whether a need was stated is not known, so need
    anchoring leaves the touch out of its denominator (and says so) instead of counting a
    touch without a need.
    `attributed_share`: of the touch's call speech, the share attributed to rep or customer.
    """

    key: str
    day: dt.date
    has_content: bool = False
    has_need: bool = False
    source_ids: tuple[Ref, ...] = ()
    need_ids: tuple[Ref, ...] = ()
    unattributed: bool = False
    attributed_share: float | None = None

    @property
    def needs(self) -> bool:
        return bool(self.has_need or self.need_ids)

    @property
    def analysable(self) -> bool:
        # A need statement can only come from content, so it makes the touch analysable.
        return bool(self.has_content or self.needs)


@dataclass(frozen=True)
class Reach:
    """A person of role `category` took part in touch `touch_key` (not merely mentioned).

    `evidence_id`: what shows it (call log id, message id, ap_mentions id…); `person`: the
    contact id or the name/title as heard, for the explanation only.
    """

    category: str
    touch_key: str
    evidence_id: Ref | None = None
    person: str | None = None


@dataclass(frozen=True)
class Commitment:
    """A dated commitment from a conversation (`ap_commitments` row).

    kind `expected`: the customer wants something by `date`; `promised`: the rep says it will
    happen by `date`; `other`: neither (ignored by the CQI). `stated_on`: the day it was said.
    `topic` (optional, e.g. 交付/安装/报价): when both an expectation and a promise carry one,
    they pair only if the topics are equal. `seq` orders commitments said on the same day
    (e.g. the epoch milliseconds it was said; 0 = unknown): a promise said before the
    expectation that day does not pair with it, and the later of two same-day promises wins.
    """

    kind: str
    date: dt.date
    stated_on: dt.date
    ref: Ref
    topic: str | None = None
    seq: int = 0

    def __post_init__(self) -> None:
        if self.kind not in COMMITMENT_KINDS:
            raise ValueError(f"commitment kind {self.kind!r} is not one of {COMMITMENT_KINDS}")


def _default_weights() -> dict[str, float]:
    return {p: 1.0 for p in PARTS}


def _default_thresholds() -> dict[str, float]:
    return {"depth": 0.82, "anchoring": 0.65, "rhythm": 0.73}


@dataclass(frozen=True)
class CqiConfig:
    """Weights of the parts in the composite, healthy thresholds (0…1) and the rhythm mode."""

    weights: Mapping[str, float] = field(default_factory=_default_weights)
    thresholds: Mapping[str, float] = field(default_factory=_default_thresholds)
    rhythm_mode: str = "late_only"
    min_cycle_days: int = 1

    def __post_init__(self) -> None:
        for name, mapping in (("weights", self.weights), ("thresholds", self.thresholds)):
            unknown = set(mapping) - set(PARTS)
            if unknown:
                raise ValueError(f"unknown CQI part(s) in {name}: {sorted(unknown)}")
        # Fill parts the caller left out with the defaults, so a partial mapping is enough.
        object.__setattr__(self, "weights", {**_default_weights(), **{k: float(v) for k, v in self.weights.items()}})
        object.__setattr__(self, "thresholds",
                           {**_default_thresholds(), **{k: float(v) for k, v in self.thresholds.items()}})
        if any(w < 0 or not np.isfinite(w) for w in self.weights.values()):
            raise ValueError("CQI weights must be finite and ≥ 0")
        if self.rhythm_mode not in RHYTHM_MODES:
            raise ValueError(f"rhythm_mode must be one of {RHYTHM_MODES}, not {self.rhythm_mode!r}")
        if self.min_cycle_days < 1:
            raise ValueError("min_cycle_days must be ≥ 1")

    def to_json(self) -> dict[str, Any]:
        return {"weights": dict(self.weights), "thresholds": dict(self.thresholds),
                "rhythm_mode": self.rhythm_mode, "min_cycle_days": self.min_cycle_days}


# ---- outputs ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class PartScore:
    """One CQI part: `value` = numerator ÷ denominator in 0…1, or None (missing, with the reason)."""

    name: str
    value: float | None
    numerator: float
    denominator: float
    threshold: float
    weight: float
    ids: tuple[Ref, ...] = ()
    missing_reason: str | None = None

    @property
    def missing(self) -> bool:
        return self.value is None

    @property
    def healthy(self) -> bool | None:
        return None if self.value is None else self.value + _EPS >= self.threshold

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "label": PART_LABELS[self.name], "value": self.value,
                "percent": None if self.value is None else round(100 * self.value, 1),
                "numerator": self.numerator, "denominator": self.denominator,
                "threshold": self.threshold, "weight": self.weight, "healthy": self.healthy,
                "missing_reason": self.missing_reason, "ids": list(self.ids)}


@dataclass(frozen=True)
class RhythmPair:
    """A customer expectation E (stated on S) and the rep's promise P about it."""

    expected_ref: Ref
    expected_date: dt.date
    stated_on: dt.date
    promise_ref: Ref
    promised_date: dt.date
    promised_on: dt.date
    cycle_days: int
    gap_days: int
    match: float

    def to_json(self) -> dict[str, Any]:
        return {"expected_ref": self.expected_ref, "expected_date": self.expected_date.isoformat(),
                "stated_on": self.stated_on.isoformat(), "promise_ref": self.promise_ref,
                "promised_date": self.promised_date.isoformat(), "promised_on": self.promised_on.isoformat(),
                "cycle_days": self.cycle_days, "gap_days": self.gap_days, "match": self.match}


@dataclass(frozen=True)
class CqiResult:
    period: Period
    depth: PartScore
    anchoring: PartScore
    rhythm: PartScore
    composite: float | None  # 0…100, unrounded; None when every part is missing
    target_categories: tuple[str, ...]
    reached: Mapping[str, tuple[Reach, ...]]  # category in the target -> reaches in the period
    pairs: tuple[RhythmPair, ...]
    open_expectations: tuple[Commitment, ...]
    touches: tuple[Touch, ...]  # the touches in the period
    config: CqiConfig
    ignored: tuple[Mapping[str, Any], ...] = ()  # inputs left out, each with its reason

    @property
    def parts(self) -> tuple[PartScore, PartScore, PartScore]:
        return (self.depth, self.anchoring, self.rhythm)

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.parts if p.missing)

    @property
    def healthy(self) -> dict[str, bool | None]:
        return {p.name: p.healthy for p in self.parts}

    @property
    def composite_display(self) -> float | None:
        return None if self.composite is None else round(self.composite, 1)

    def to_json(self) -> dict[str, Any]:
        """Everything `ap_cqi` stores: the figures and every input with its ids (JSON-safe)."""
        return {
            "period": self.period.to_json(),
            "cqi": self.composite_display,
            "cqi_exact": self.composite,
            "parts": {p.name: p.to_json() for p in self.parts},
            "missing": list(self.missing),
            "healthy": self.healthy,
            "target_categories": list(self.target_categories),
            "reached": {c: [{"touch_key": r.touch_key, "evidence_id": r.evidence_id, "person": r.person}
                            for r in rs] for c, rs in self.reached.items()},
            "pairs": [p.to_json() for p in self.pairs],
            "open_expectations": [{"ref": e.ref, "expected_date": e.date.isoformat(),
                                   "stated_on": e.stated_on.isoformat(), "topic": e.topic}
                                  for e in self.open_expectations],
            "touches": [{"key": t.key, "day": t.day.isoformat(), "has_content": t.analysable,
                         "has_need": t.needs, "source_ids": list(t.source_ids), "need_ids": list(t.need_ids),
                         "unattributed": t.unattributed, "attributed_share": t.attributed_share}
                        for t in self.touches],
            "ignored": [dict(i) for i in self.ignored],
            "config": self.config.to_json(),
        }

    def explain(self) -> list[str]:
        """One line per figure, saying what it was computed from."""
        lines = []
        d, a, r = self.depth, self.anchoring, self.rhythm
        if d.missing:
            lines.append(f"touch depth: missing ({d.missing_reason})")
        else:
            via = "; ".join(f"{c} via {', '.join(f'{x.touch_key}' + (f' [{x.evidence_id}]' if x.evidence_id is not None else '') for x in rs)}"
                            for c, rs in self.reached.items()) or "nobody"
            not_reached = [c for c in self.target_categories if c not in self.reached]
            lines.append(f"touch depth {d.value:.3f} = {d.numerator:g} of {d.denominator:g} target roles reached "
                         f"({via}); not reached: {', '.join(not_reached) or 'none'}")
        if a.missing:
            lines.append(f"need anchoring: missing ({a.missing_reason})")
        else:
            lines.append(f"need anchoring {a.value:.3f} = {a.numerator:g} touches with a need statement "
                         f"({', '.join(map(str, a.ids)) or 'none'}) of {a.denominator:g} with content")
        left_out = [i for i in self.ignored if i.get("part") == "anchoring"]
        if left_out:
            lines.append("need anchoring leaves out " + ", ".join(
                f"{i['touch_key']} (no speech attributed to the customer"
                + (f"; {i['attributed_share']:.0%} attributed" if i.get("attributed_share") is not None else "") + ")"
                for i in left_out))
        if r.missing:
            lines.append(f"rhythm match: missing ({r.missing_reason})")
        else:
            lines.append(f"rhythm match {r.value:.3f} ({self.config.rhythm_mode}) = mean of " + "; ".join(
                f"E {p.expected_date} stated {p.stated_on} [{p.expected_ref}] vs P {p.promised_date} "
                f"promised {p.promised_on} [{p.promise_ref}]: gap {p.gap_days} d / cycle {p.cycle_days} d "
                f"→ {p.match:.3f}" for p in self.pairs))
        for e in self.open_expectations:
            lines.append(f"open expectation: {e.date} stated {e.stated_on} [{e.ref}] has no promise yet")
        if self.composite is None:
            lines.append("CQI: missing (no part could be computed)")
        else:
            present = [p for p in self.parts if not p.missing and p.weight > 0]
            terms = " + ".join(f"{p.weight:g}×{p.value:.3f}" for p in present)
            total = sum(p.weight for p in present)
            lines.append(f"CQI {self.composite_display} = 100 × ({terms}) / {total:g}"
                         + (f"; left out: {', '.join(self.missing)}" if self.missing else ""))
        unhealthy = [PART_LABELS[n] + f"({n})" for n, h in self.healthy.items() if h is False]
        if unhealthy:
            lines.append("not healthy: " + ", ".join(unhealthy))
        return lines


# ---- computation -----------------------------------------------------------------------------
def compute_cqi(period: Period, touches: Iterable[Touch], target_categories: Iterable[str],
                reaches: Iterable[Reach], commitments: Iterable[Commitment],
                config: CqiConfig | None = None) -> CqiResult:
    """The CQI of one customer for one period (days in the org's timezone, both ends included).

    * touches: the customer's touches (those outside the period are ignored);
    * target_categories: role categories of the target chain (contacts' role tags ∪ the
      industry pack's required roles for the segment);
    * reaches: who took part in which touch (reaches of touches outside the period, or of
      unknown touches, are ignored and listed in `ignored`);
    * commitments: all `expected`/`promised` commitments of the customer (any period);
      expectations stated in the period pair with the rep's latest promise made on or after
      the day they were stated and no later than the period's last day.
    """
    config = config or CqiConfig()
    all_touches = list(touches)
    in_period = tuple(sorted((t for t in all_touches if t.day in period), key=lambda t: (t.day, t.key)))
    ignored: list[dict[str, Any]] = []
    keys = [t.key for t in in_period]
    if len(set(keys)) != len(keys):
        raise ValueError("touch keys must be unique")
    period_keys = set(keys)
    known_keys = {t.key for t in all_touches}

    depth, reached, target = _depth(period_keys, known_keys, target_categories, reaches, config, ignored)
    anchoring = _anchoring(in_period, config, ignored)
    rhythm, pairs, open_expectations = _rhythm(period, commitments, config)
    composite = _composite((depth, anchoring, rhythm))
    return CqiResult(period=period, depth=depth, anchoring=anchoring, rhythm=rhythm, composite=composite,
                     target_categories=target, reached=reached, pairs=pairs,
                     open_expectations=open_expectations, touches=in_period, config=config,
                     ignored=tuple(ignored))


def _depth(period_keys: set[str], known_keys: set[str], target_categories: Iterable[str],
           reaches: Iterable[Reach], config: CqiConfig, ignored: list[dict[str, Any]]):
    target = tuple(sorted({c for c in target_categories if c}))
    reached: dict[str, list[Reach]] = {}
    for r in reaches:
        if r.touch_key not in period_keys:
            why = "touch outside the period" if r.touch_key in known_keys else "unknown touch"
            ignored.append({"input": "reach", "category": r.category, "touch_key": r.touch_key,
                            "evidence_id": r.evidence_id, "reason": why})
        elif r.category not in target:
            ignored.append({"input": "reach", "category": r.category, "touch_key": r.touch_key,
                            "evidence_id": r.evidence_id, "reason": "role not in the target chain"})
        else:
            reached.setdefault(r.category, []).append(r)
    reached_t = {c: tuple(reached[c]) for c in target if c in reached}
    ids = tuple(r.evidence_id if r.evidence_id is not None else r.touch_key
                for rs in reached_t.values() for r in rs)
    weight, threshold = config.weights["depth"], config.thresholds["depth"]
    if not target:
        part = PartScore("depth", None, len(reached_t), 0, threshold, weight, ids, "no target decision chain")
    else:
        part = PartScore("depth", len(reached_t) / len(target), len(reached_t), len(target), threshold, weight, ids)
    return part, reached_t, target


def _anchoring(touches: Sequence[Touch], config: CqiConfig, ignored: list[dict[str, Any]] | None = None
               ) -> PartScore:
    analysable = []
    for t in touches:
        if not t.analysable:
            continue
        if t.unattributed and not t.needs:
            if ignored is not None:
                ignored.append({"input": "touch", "touch_key": t.key, "part": "anchoring",
                                "reason": "no speech attributed to the customer",
                                "attributed_share": t.attributed_share})
            continue
        analysable.append(t)
    anchored = [t for t in analysable if t.needs]
    weight, threshold = config.weights["anchoring"], config.thresholds["anchoring"]
    ids = tuple(t.key for t in anchored)
    if not analysable:
        return PartScore("anchoring", None, 0, 0, threshold, weight, ids, "no touch with analysable content")
    return PartScore("anchoring", len(anchored) / len(analysable), len(anchored), len(analysable),
                     threshold, weight, ids)


def _same_topic(e: Commitment, p: Commitment) -> bool:
    return e.topic is None or p.topic is None or e.topic == p.topic


def _made_after(p: Commitment, e: Commitment) -> bool:
    """The promise was made on or after the day E was stated; on that day, not before E when
    both carry a `seq` (0 means unknown: any promise of that day counts)."""
    if p.stated_on != e.stated_on:
        return p.stated_on > e.stated_on
    return not (p.seq and e.seq) or p.seq >= e.seq


def pair_commitments(period: Period, commitments: Iterable[Commitment]
                     ) -> tuple[list[tuple[Commitment, Commitment]], list[Commitment]]:
    """Pair each expectation stated in the period with the rep's latest promise about it.

    A promise counts when it was made on or after the day the expectation was stated (the
    same call counts: 我们希望二十日前… / 我们预计二十五号…) and no later than the period's end.
    Among candidates the latest made wins (then the higher `seq`, then the later input row).
    Returns (pairs, unpaired expectations).
    """
    rows = list(commitments)
    order = {id(c): i for i, c in enumerate(rows)}
    expected = sorted((c for c in rows if c.kind == "expected" and c.stated_on in period),
                      key=lambda c: (c.stated_on, c.seq, order[id(c)]))
    promises = [c for c in rows if c.kind == "promised" and c.stated_on <= period.end]
    pairs, unpaired = [], []
    for e in expected:
        candidates = [p for p in promises if _made_after(p, e) and _same_topic(e, p)]
        if not candidates:
            unpaired.append(e)
            continue
        pairs.append((e, max(candidates, key=lambda p: (p.stated_on, p.seq, order[id(p)]))))
    return pairs, unpaired


def rhythm_match(expected: dt.date, stated_on: dt.date, promised: dt.date, mode: str = "late_only",
                 min_cycle_days: int = 1) -> tuple[float, int, int]:
    """(match, gap_days, cycle_days) for one pair; match = clamp(1 − gap ÷ cycle, 0, 1)."""
    if mode not in RHYTHM_MODES:
        raise ValueError(f"rhythm mode must be one of {RHYTHM_MODES}")
    cycle = max(min_cycle_days, (expected - stated_on).days)
    diff = (promised - expected).days
    gap = max(0, diff) if mode == "late_only" else abs(diff)
    return float(np.clip(1.0 - gap / cycle, 0.0, 1.0)), gap, cycle


def _rhythm(period: Period, commitments: Iterable[Commitment], config: CqiConfig):
    raw_pairs, unpaired = pair_commitments(period, commitments)
    pairs = []
    for e, p in raw_pairs:
        match, gap, cycle = rhythm_match(e.date, e.stated_on, p.date, config.rhythm_mode, config.min_cycle_days)
        pairs.append(RhythmPair(e.ref, e.date, e.stated_on, p.ref, p.date, p.stated_on, cycle, gap, match))
    weight, threshold = config.weights["rhythm"], config.thresholds["rhythm"]
    ids = tuple(x for p in pairs for x in (p.expected_ref, p.promise_ref))
    if not pairs:
        reason = ("no expectation paired with a promise" if unpaired
                  else "no customer expectation stated in the period")
        part = PartScore("rhythm", None, 0, 0, threshold, weight, ids, reason)
    else:
        matches = np.array([p.match for p in pairs], dtype=float)
        part = PartScore("rhythm", float(matches.mean()), float(matches.sum()), len(pairs), threshold, weight, ids)
    return part, tuple(pairs), tuple(unpaired)


def _composite(parts: Sequence[PartScore]) -> float | None:
    present = [p for p in parts if p.value is not None and p.weight > 0]
    if not present:
        return None
    w = np.array([p.weight for p in present], dtype=float)
    v = np.array([p.value for p in present], dtype=float)
    return float(100.0 * np.dot(w, v) / w.sum())
