"""Alert deadlines: wall-clock hours, or business hours on Chinese working days."""
from __future__ import annotations

import datetime as dt
from typing import Callable
from zoneinfo import ZoneInfo

BUSINESS_START = dt.time(9, 0)
BUSINESS_END = dt.time(18, 0)


def chinese_workday(day: dt.date) -> bool:
    """Official working day, holidays and 调休 make-up days included (chinese-calendar).

    Years the package does not know yet fall back to Monday–Friday.
    """
    import chinese_calendar

    try:
        return bool(chinese_calendar.is_workday(day))
    except NotImplementedError:
        return day.weekday() < 5


def due_at(start: dt.datetime, hours: float, *, clock: str = "wall", timezone: str = "Asia/Shanghai",
           is_workday: Callable[[dt.date], bool] = chinese_workday) -> dt.datetime:
    """When an alert raised at `start` is due; the result is in UTC."""
    if start.tzinfo is None:
        raise ValueError("start must be timezone-aware")
    if clock == "wall":
        return (start + dt.timedelta(hours=hours)).astimezone(dt.timezone.utc)
    if clock != "business":
        raise ValueError(f"unknown clock {clock!r}")
    tz = ZoneInfo(timezone)
    t = start.astimezone(tz)
    remaining = dt.timedelta(hours=hours)
    for _ in range(3660):  # at most ten years of days: bounded even on a calendar with no workdays
        day_start = dt.datetime.combine(t.date(), BUSINESS_START, tz)
        day_end = dt.datetime.combine(t.date(), BUSINESS_END, tz)
        if is_workday(t.date()) and t < day_end:
            t = max(t, day_start)
            available = day_end - t
            if remaining <= available:
                return (t + remaining).astimezone(dt.timezone.utc)
            remaining -= available
        t = dt.datetime.combine(t.date() + dt.timedelta(days=1), BUSINESS_START, tz)
    raise ValueError("no working day within ten years")
