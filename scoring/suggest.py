"""Auto-fill suggestion per customer × action type (docs/scoring.md, "Auto-fill suggestion").

    s = build_suggestion("上门拜访", communications, quotes, spoken_prices, inventory,
                         products_mentioned, open_commitments, last_touch_at, now)
    s.to_json()  # what `ap_suggestions` stores and the form is prefilled from

Inputs are plain dataclasses (tuples in the same field order are accepted too). Every hint
carries the ids it came from. Normalisations and defaults: docs/scoring.md.
"""
from __future__ import annotations

import datetime as dt
import math
import unicodedata
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Iterable, Mapping, Sequence
from zoneinfo import ZoneInfo

import numpy as np

from .periods import DEFAULT_TIMEZONE

Ref = str | int

DEFAULT_CADENCE_DAYS: dict[str, float] = {
    "上门拜访": 7, "电话沟通": 3, "方案讲解": 5, "报价": 3, "异议处理": 2, "现场勘测": 5,
}


# ---- inputs ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Communication:
    """A transcript or a day's messages: `source` like "transcript:12" / "message:34"."""

    source: Ref
    at: dt.datetime
    keywords: tuple[tuple[str, float], ...] = ()
    attributed_share: float | None = None  # a call's speech attributed to rep or customer; None: messages
    summary: str | None = None  # its 录音摘要


@dataclass(frozen=True)
class PricePoint:
    """A quoted price: a `crm_quotes` row or a price spoken in a call (`ap_money`)."""

    product: str | None
    amount_yuan: float  # the amount, or the low end of a range (二三十万)
    at: dt.datetime
    source: Ref
    spoken: bool = False
    amount_high_yuan: float | None = None  # a range's high end
    unit: str | None = None  # per-unit amounts (台, 吨 …): kept out of the totals' range


@dataclass(frozen=True)
class OpenCommitment:
    """A date the rep promised (`ap_commitments`, kind `promised`); `met_on` set once it was met."""

    ref: Ref
    date: dt.date
    stated_on: dt.date
    text: str | None = None
    met_on: dt.date | None = None
    vague: bool = False  # 年前, 这两天: shown to the rep, but it moves no touch date


def _default_cadence() -> dict[str, float]:
    return dict(DEFAULT_CADENCE_DAYS)


def _weekdays(day: dt.date) -> bool:
    return day.weekday() < 5


@dataclass(frozen=True)
class SuggestConfig:
    cadence_days: Mapping[str, float] = field(default_factory=_default_cadence)
    default_cadence_days: float = 5
    last_communications: int = 3
    max_keywords: int = 8
    recency_decay: float = 0.8  # the k-th most recent communication's keywords count decay**k
    commitment_lead_days: int = 1  # touch this many days before a promised date
    touch_hour: int = 10  # local hour of the suggested touch
    timezone: str = DEFAULT_TIMEZONE
    # Working days (None = every day). The default is Chinese working days (holidays, 调休).
    is_workday: Callable[[dt.date], bool] | None = None
    workdays_only: bool = True

    def cadence_for(self, action_type: str) -> float:
        return float(self.cadence_days.get(action_type, self.default_cadence_days))


# ---- outputs ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class KeywordHint:
    word: str
    score: float
    sources: tuple[tuple[Ref, dt.datetime], ...]  # (communication source, its time), newest first

    def to_json(self) -> dict[str, Any]:
        return {"word": self.word, "score": round(self.score, 4),
                "sources": [{"source": s, "at": a.isoformat()} for s, a in self.sources]}


@dataclass(frozen=True)
class PriceRange:
    count: int
    min_yuan: float
    max_yuan: float
    median_yuan: float
    last: PricePoint
    sources: tuple[Ref, ...]

    def to_json(self) -> dict[str, Any]:
        return {"count": self.count, "min_yuan": self.min_yuan, "max_yuan": self.max_yuan,
                "median_yuan": self.median_yuan, "sources": list(self.sources),
                "last": {"amount_yuan": self.last.amount_yuan, "amount_high_yuan": self.last.amount_high_yuan,
                         "unit": self.last.unit, "at": self.last.at.isoformat(),
                         "source": self.last.source, "product": self.last.product, "spoken": self.last.spoken}}


@dataclass(frozen=True)
class InventoryHint:
    product: str
    quantity: float | None  # None: the product is not in crm_inventory
    inventory_product: str | None  # the crm_inventory name it matched

    def to_json(self) -> dict[str, Any]:
        return {"product": self.product, "quantity": self.quantity, "inventory_product": self.inventory_product}


@dataclass(frozen=True)
class CommitmentHint:
    ref: Ref
    date: dt.date
    stated_on: dt.date
    text: str | None
    overdue: bool
    days_left: int
    vague: bool = False

    def to_json(self) -> dict[str, Any]:
        return {"ref": self.ref, "date": self.date.isoformat(), "stated_on": self.stated_on.isoformat(),
                "text": self.text, "overdue": self.overdue, "days_left": self.days_left, "vague": self.vague}


@dataclass(frozen=True)
class Suggestion:
    action_type: str
    generated_at: dt.datetime
    keywords: tuple[KeywordHint, ...]
    communications: tuple[tuple[Ref, dt.datetime], ...]  # the (up to 3) communications used
    quote_range: PriceRange | None
    quote_range_by_product: Mapping[str, PriceRange]
    inventory: tuple[InventoryHint, ...]
    open_commitments: tuple[CommitmentHint, ...]
    next_touch_at: dt.datetime
    next_touch_reason: str
    ignored: tuple[Mapping[str, Any], ...] = ()
    attributed_shares: Mapping[Ref, float | None] = field(default_factory=dict)  # per call used
    unit_price_ranges: Mapping[str, PriceRange] = field(default_factory=dict)  # per-unit amounts, by unit
    summary: str | None = None  # the newest communication's 录音摘要

    def to_json(self) -> dict[str, Any]:
        return {
            "action_type": self.action_type,
            "generated_at": self.generated_at.isoformat(),
            "keywords": [k.to_json() for k in self.keywords],
            "communications": [{"source": s, "at": a.isoformat(), "attributed_share": self.attributed_shares.get(s)}
                               for s, a in self.communications],
            "quote_range": self.quote_range.to_json() if self.quote_range else None,
            "quote_range_by_product": {p: r.to_json() for p, r in self.quote_range_by_product.items()},
            "unit_price_ranges": {u: r.to_json() for u, r in self.unit_price_ranges.items()},
            "summary": self.summary,
            "inventory": [i.to_json() for i in self.inventory],
            "open_commitments": [c.to_json() for c in self.open_commitments],
            "next_touch_at": self.next_touch_at.isoformat(),
            "next_touch_reason": self.next_touch_reason,
            "ignored": [dict(i) for i in self.ignored],
        }


# ---- computation -----------------------------------------------------------------------------
def _coerce(cls, rows: Iterable[Any] | None) -> list[Any]:
    return [r if isinstance(r, cls) else cls(*r) for r in (rows or ())]


def _aware(t: dt.datetime, name: str) -> dt.datetime:
    if not isinstance(t, dt.datetime):
        raise TypeError(f"{name} must be a datetime")
    if t.tzinfo is None:  # naive values come from SQLite as UTC
        return t.replace(tzinfo=dt.timezone.utc)
    return t


def norm_product(name: str) -> str:
    """Product names compared width-, case- and space-insensitively (ＩＰ６５ 型 == ip65型)."""
    return "".join(unicodedata.normalize("NFKC", name).casefold().split())


def rank_keywords(communications: Sequence[Communication], last: int = 3, decay: float = 0.8,
                  limit: int = 8) -> tuple[tuple[KeywordHint, ...], tuple[Communication, ...]]:
    """Need keywords of the `last` newest communications, ranked by Σ weight × decay**k.

    k is the communication's rank by time (0 = newest), so a keyword the customer repeats
    ranks higher, and a newer one outranks an equally weighted older one.
    """
    aware = [replace(c, at=_aware(c.at, "at")) for c in communications]
    used = tuple(sorted(aware, key=lambda c: (c.at, str(c.source)), reverse=True)[:last])
    scores: dict[str, float] = {}
    sources: dict[str, list[tuple[Ref, dt.datetime]]] = {}
    for k, comm in enumerate(used):
        factor = decay ** k
        for word, weight in comm.keywords:
            word = word.strip()
            if not word or not math.isfinite(weight) or weight <= 0:
                continue
            scores[word] = scores.get(word, 0.0) + factor * float(weight)
            refs = sources.setdefault(word, [])
            if not refs or refs[-1][0] != comm.source:
                refs.append((comm.source, comm.at))
    ranked = sorted(scores, key=lambda w: (-scores[w], -sources[w][0][1].timestamp(), w))[:limit]
    return tuple(KeywordHint(w, scores[w], tuple(sources[w])) for w in ranked), used


def price_range(points: Sequence[PricePoint]) -> PriceRange | None:
    if not points:
        return None
    lows = np.array([p.amount_yuan for p in points], dtype=float)
    highs = np.array([p.amount_high_yuan or p.amount_yuan for p in points], dtype=float)
    last = max(points, key=lambda p: (_aware(p.at, "at"), not p.spoken))
    return PriceRange(len(points), float(lows.min()), float(highs.max()), float(np.median((lows + highs) / 2)),
                      last, tuple(p.source for p in sorted(points, key=lambda p: _aware(p.at, "at"))))


def _default_workday(day: dt.date) -> bool:
    try:
        from evidence.deadline import chinese_workday
    except ImportError:  # pragma: no cover - evidence ships with the project
        return _weekdays(day)
    return chinese_workday(day)


def suggest_next_touch(action_type: str, last_touch_at: dt.datetime | None, now: dt.datetime,
                       commitments: Sequence[CommitmentHint], config: SuggestConfig) -> tuple[dt.datetime, str]:
    """When to touch next: cadence after the last touch, earlier if a promise falls due first.

    * overdue promise → the first working slot from now;
    * a promise due before the cadence date → `commitment_lead_days` before it;
    * never in the past; moved forward to a working day at `touch_hour` (org timezone).
    """
    tz = ZoneInfo(config.timezone)
    now_local = _aware(now, "now").astimezone(tz)
    is_workday = config.is_workday or _default_workday
    cadence = config.cadence_for(action_type)
    base = _aware(last_touch_at, "last_touch_at").astimezone(tz) if last_touch_at else now_local
    target_day = (base + dt.timedelta(days=cadence)).date()
    reason = (f"cadence {cadence:g} d for {action_type} after the last touch {base.date().isoformat()}"
              if last_touch_at else f"cadence {cadence:g} d for {action_type} (no touch yet)")
    dated = [c for c in commitments if not c.vague]  # a vague promise (这两天) moves no touch date
    overdue = [c for c in dated if c.overdue]
    upcoming = [c for c in dated if not c.overdue]
    if overdue:
        first = min(overdue, key=lambda c: c.date)
        target_day = now_local.date()
        reason = f"promise {first.date.isoformat()} [{first.ref}] is overdue: touch as soon as possible"
    elif upcoming:
        first = min(upcoming, key=lambda c: c.date)
        before = first.date - dt.timedelta(days=config.commitment_lead_days)
        if before < target_day:
            target_day = before
            reason = (f"{config.commitment_lead_days} d before the promised date {first.date.isoformat()} "
                      f"[{first.ref}]")
    slot = dt.datetime.combine(target_day, dt.time(config.touch_hour), tz)
    if slot < now_local:
        # Too late for that slot: the same day's slot has passed, so the next day's.
        slot = dt.datetime.combine(now_local.date(), dt.time(config.touch_hour), tz)
        if slot < now_local:
            slot += dt.timedelta(days=1)
        reason += "; moved to the next slot from now"
    if config.workdays_only:
        for _ in range(60):
            if is_workday(slot.date()):
                break
            slot = dt.datetime.combine(slot.date() + dt.timedelta(days=1), dt.time(config.touch_hour), tz)
        else:  # pragma: no cover - no working day in 60 days: keep the date as it is
            pass
    return slot, reason


def build_suggestion(action_type: str,
                     communications: Iterable[Communication | tuple],
                     quotes: Iterable[PricePoint | tuple],
                     spoken_prices: Iterable[PricePoint | tuple],
                     inventory: Mapping[str, float],
                     products_mentioned: Iterable[str],
                     open_commitments: Iterable[OpenCommitment | tuple],
                     last_touch_at: dt.datetime | None,
                     now: dt.datetime,
                     config: SuggestConfig | None = None) -> Suggestion:
    """The prefill for one customer × action type (see the module docstring)."""
    config = config or SuggestConfig()
    now = _aware(now, "now")
    today = now.astimezone(ZoneInfo(config.timezone)).date()
    ignored: list[dict[str, Any]] = []

    comms = _coerce(Communication, communications)
    keywords, used = rank_keywords(comms, config.last_communications, config.recency_decay, config.max_keywords)

    points: list[PricePoint] = []
    for spoken, rows in ((False, quotes), (True, spoken_prices)):
        for p in _coerce(PricePoint, rows):
            amount = float(p.amount_yuan) if p.amount_yuan is not None else float("nan")
            if not math.isfinite(amount) or amount <= 0:
                ignored.append({"input": "price", "source": p.source, "amount_yuan": p.amount_yuan,
                                "reason": "not a positive amount"})
                continue
            points.append(replace(p, amount_yuan=amount, at=_aware(p.at, "at"), spoken=spoken or p.spoken))
    # A per-unit amount (一吨三万二) is not comparable with a deal's total: ranges of their own.
    per_unit: dict[str, list[PricePoint]] = {}
    for p in points:
        if p.unit:
            per_unit.setdefault(p.unit, []).append(p)
    points = [p for p in points if not p.unit]
    by_product: dict[str, list[PricePoint]] = {}
    for p in points:
        if p.product:
            by_product.setdefault(p.product, []).append(p)

    stock = {norm_product(k): (k, v) for k, v in inventory.items()}
    hints, seen = [], set()
    for product in products_mentioned:
        key = norm_product(product)
        if not key or key in seen:
            continue
        seen.add(key)
        name, qty = stock.get(key, (None, None))
        hints.append(InventoryHint(product, None if qty is None else float(qty), name))

    commitments = []
    for c in _coerce(OpenCommitment, open_commitments):
        if c.met_on is not None:
            continue
        commitments.append(CommitmentHint(c.ref, c.date, c.stated_on, c.text, c.date < today, (c.date - today).days,
                                          c.vague))
    commitments.sort(key=lambda c: (c.date, str(c.ref)))

    next_at, reason = suggest_next_touch(action_type, last_touch_at, now, commitments, config)
    return Suggestion(
        action_type=action_type, generated_at=now, keywords=keywords,
        communications=tuple((c.source, c.at) for c in used),
        quote_range=price_range(points),
        quote_range_by_product={p: price_range(v) for p, v in sorted(by_product.items())},
        inventory=tuple(hints), open_commitments=tuple(commitments),
        next_touch_at=next_at, next_touch_reason=reason, ignored=tuple(ignored),
        attributed_shares={c.source: c.attributed_share for c in used if c.attributed_share is not None},
        unit_price_ranges={u: price_range(v) for u, v in sorted(per_unit.items())},
        summary=next((c.summary for c in sorted(comms, key=lambda c: _aware(c.at, "at"), reverse=True) if c.summary), None))
