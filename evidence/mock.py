"""Signs of a mocked check-in location (mock_location)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from zoneinfo import ZoneInfo

from evidence.datum import Position, convert, distance_m, position_problem
from evidence.flags import DEFAULT_FLAG_CONFIG, Flag, FlagConfig
from evidence.rules import _as_utc

DEFAULT_TIMEZONE = "Asia/Shanghai"  # docs/contract.md, "Database": an org's default timezone


@dataclass(frozen=True)
class EarlierCheckin:
    """One of the rep's earlier check-ins: when, where, and which action it belongs to."""

    at: datetime
    position: Position
    ref: str | None = None  # e.g. "action:41"


def decimals(value: float) -> int:
    """Decimal places a coordinate was written with (31.230416 -> 6), from its shortest repr."""
    text = repr(float(value))
    if "e" in text or "E" in text:
        text = f"{float(value):.17f}".rstrip("0")
    return len(text.split(".", 1)[1]) if "." in text else 0


def _as_earlier(item: EarlierCheckin | tuple) -> EarlierCheckin:
    if isinstance(item, EarlierCheckin):
        return item
    at, position, *rest = item
    return EarlierCheckin(at, position, rest[0] if rest else None)


def mock_location_signals(
    checkin: Position | None,
    accuracy_m: float | None,
    customer: Position | None,
    earlier_checkins: Sequence[EarlierCheckin | tuple[datetime, Position]],
    now_day: date,
    *,
    tz: tzinfo | str = DEFAULT_TIMEZONE,
    config: FlagConfig = DEFAULT_FLAG_CONFIG,
    subject: str | None = None,
) -> list[Flag]:
    """mock_location flags for one check-in.

    * repeated_exact_position: the same coordinates, to config.mock_min_decimals (6)
      decimals or more, as one of the rep's check-ins on another day (org timezone
      `tz`; `now_day` is the current check-in's day). Real fixes scatter by metres;
      a mock-location app replays one stored point. Coarser coordinates (fewer
      decimals) repeat by rounding alone and are not compared.
    * accuracy_zero / accuracy_invalid / accuracy_missing: a real fix always reports
      some uncertainty; mock apps often report 0 or nothing.
    * on_customer_point: within config.customer_point_m (1 m) of the customer's stored
      point — the pin was copied, not measured.
    Each has an innocent reading (a point picked from a map, a CRM that does not send
    accuracy), so they are soft by default and add to the risk score.
    """
    if checkin is None or position_problem(checkin) is not None:
        return []
    zone = ZoneInfo(tz) if isinstance(tz, str) else tz
    found: list[Flag | None] = []

    precise = min(decimals(checkin.lat), decimals(checkin.lon)) >= config.mock_min_decimals
    if precise:
        places = int(config.mock_min_decimals)
        point = (round(checkin.lat, places), round(checkin.lon, places))
        same: list[EarlierCheckin] = []
        for item in earlier_checkins:
            e = _as_earlier(item)
            if position_problem(e.position) is not None:
                continue
            if _as_utc(e.at).astimezone(zone).date() == now_day:
                continue
            lat, lon = (e.position.lat, e.position.lon) if e.position.datum == checkin.datum else \
                convert(e.position.lat, e.position.lon, e.position.datum, checkin.datum)
            if (round(lat, places), round(lon, places)) == point:
                same.append(e)
        if same:
            days = sorted({_as_utc(e.at).astimezone(zone).date() for e in same})
            last = max(same, key=lambda e: _as_utc(e.at))
            others = f" (and {len(days) - 1} other day{'s' if len(days) > 2 else ''})" if len(days) > 1 else ""
            found.append(config.flag(
                "mock_location", "repeated_exact_position", value=float(len(days)), unit="days", subject=subject,
                ref=last.ref,
                detail=f"check-in at {checkin.lat!r},{checkin.lon!r} ({checkin.datum}) is the same point to "
                       f"{places} decimals as the check-in{' of ' + last.ref if last.ref else ''} on "
                       f"{_as_utc(last.at).astimezone(zone).date().isoformat()}{others}; real fixes scatter by metres",
            ))

    if accuracy_m is None:
        found.append(config.flag("mock_location", "accuracy_missing", subject=subject,
                                 detail="the check-in reports no accuracy"))
    elif isinstance(accuracy_m, bool) or not isinstance(accuracy_m, (int, float)) \
            or not math.isfinite(accuracy_m) or accuracy_m < 0:
        found.append(config.flag("mock_location", "accuracy_invalid", value=str(accuracy_m), subject=subject,
                                 detail=f"the check-in reports an impossible accuracy {accuracy_m!r}"))
    elif accuracy_m == 0:
        found.append(config.flag("mock_location", "accuracy_zero", value=0.0, unit="m", subject=subject,
                                 detail="the check-in reports an accuracy of exactly 0 m; real fixes never do"))

    if customer is not None and position_problem(customer) is None:
        metres = distance_m(checkin, customer)
        if metres <= config.customer_point_m:
            found.append(config.flag(
                "mock_location", "on_customer_point", value=metres, unit="m",
                threshold=float(config.customer_point_m), subject=subject,
                detail=f"check-in is {metres:.2f} m from the customer's stored point "
                       f"(within {config.customer_point_m:g} m): copied, not measured",
            ))
    return [f for f in found if f is not None]
