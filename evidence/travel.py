"""Impossible travel: one rep's consecutive check-ins and photos implying an impossible speed."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from evidence.datum import Position, distance_m, position_problem
from evidence.flags import DEFAULT_FLAG_CONFIG, Flag, FlagConfig
from evidence.rules import _as_utc, _duration  # the same wording as the base rules


@dataclass(frozen=True)
class TrackPoint:
    """Where a rep was at a time: a check-in (server receive time) or a photo (GPS time)."""

    at: datetime
    position: Position
    source: str  # "checkin" or "photo"
    ref: str  # e.g. "action:42" or "photo:17"; points with the current ref are skipped
    accuracy_m: float | None = None


def _usable(p: TrackPoint) -> bool:
    return isinstance(p.at, datetime) and position_problem(p.position) is None


def _accuracy(p: TrackPoint) -> float:
    a = p.accuracy_m
    if a is None or not isinstance(a, (int, float)) or not math.isfinite(a) or a < 0:
        return 0.0
    return float(a)


def _label(p: TrackPoint) -> str:
    return f"{'check-in' if p.source == 'checkin' else p.source} ({p.ref})"


def impossible_travel(
    points: Sequence[TrackPoint],
    current: TrackPoint,
    max_kmh: float | None = None,
    *,
    config: FlagConfig = DEFAULT_FLAG_CONFIG,
    subject: str | None = None,
) -> Flag | None:
    """Flag when getting from the point just before `current`, or to the point just
    after it, needs more than max_kmh (default config.max_kmh, 200 km/h).

    Jumps within the accuracy margin (config.travel_margin_m, or the two points'
    reported accuracies added if larger) are GPS/network-location noise, not travel;
    time gaps are floored at config.travel_min_gap_s so two fixes seconds apart do not
    turn a few hundred metres of drift into supersonic speed.
    """
    limit = float(config.max_kmh if max_kmh is None else max_kmh)
    if not _usable(current):
        return None
    now = _as_utc(current.at)
    others = [p for p in points if p.ref != current.ref and _usable(p)]
    before = [p for p in others if _as_utc(p.at) <= now]
    after = [p for p in others if _as_utc(p.at) > now]
    neighbours: list[TrackPoint] = []
    if before:
        latest = max(_as_utc(p.at) for p in before)
        neighbours += [p for p in before if _as_utc(p.at) == latest]
    if after:
        earliest = min(_as_utc(p.at) for p in after)
        neighbours += [p for p in after if _as_utc(p.at) == earliest]

    worst: tuple[float, float, float, TrackPoint] | None = None
    for p in neighbours:
        metres = distance_m(current.position, p.position)
        margin = max(float(config.travel_margin_m), _accuracy(current) + _accuracy(p))
        if metres <= margin:
            continue
        gap = abs((_as_utc(p.at) - now).total_seconds())
        kmh = metres / max(gap, float(config.travel_min_gap_s)) * 3.6
        if kmh > limit and (worst is None or kmh > worst[0]):
            worst = (kmh, metres, gap, p)
    if worst is None:
        return None
    kmh, metres, gap, p = worst
    when = "earlier" if _as_utc(p.at) <= now else "later"
    return config.flag(
        "impossible_travel", "too_fast", value=kmh, unit="km/h", threshold=limit, subject=subject, ref=p.ref,
        detail=f"{_label(current)} is {metres / 1000:.1f} km from {_label(p)} {_duration(gap)} {when}: "
               f"{kmh:.0f} km/h (limit {limit:g} km/h)",
    )
