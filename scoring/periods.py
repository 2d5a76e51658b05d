"""Scoring periods: rolling windows of days and ISO weeks, both inclusive of their last day.

Days are calendar days in the org's timezone; callers convert instants with `local_day`.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

DEFAULT_TIMEZONE = "Asia/Shanghai"
_ISO_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$")


@dataclass(frozen=True)
class Period:
    """Days `start` … `end`, both included; `label` is what BI and `ap_cqi.period` show."""

    start: dt.date
    end: dt.date
    kind: str = "custom"  # rolling / iso_week / custom
    label: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")

    def __contains__(self, day: object) -> bool:
        if isinstance(day, dt.datetime):
            day = day.date()
        return isinstance(day, dt.date) and self.start <= day <= self.end

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def to_json(self) -> dict:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "kind": self.kind,
                "label": self.label or f"{self.start.isoformat()}..{self.end.isoformat()}"}


def custom(start: dt.date, end: dt.date, label: str = "") -> Period:
    return Period(start, end, "custom", label or f"{start.isoformat()}..{end.isoformat()}")


def rolling(end: dt.date, days: int = 30) -> Period:
    """The `days` days ending on `end` (included): rolling(2026-03-31) is 03-02 … 03-31."""
    if days < 1:
        raise ValueError("a rolling period has at least one day")
    return Period(end - dt.timedelta(days=days - 1), end, "rolling", f"R{days}:{end.isoformat()}")


def rolling_30_days(end: dt.date) -> Period:
    return rolling(end, 30)


def iso_week(day: dt.date) -> Period:
    """The ISO week (Monday … Sunday) holding `day`, labelled like 2026-W12."""
    if isinstance(day, dt.datetime):
        day = day.date()
    year, week, weekday = day.isocalendar()
    monday = day - dt.timedelta(days=weekday - 1)
    return Period(monday, monday + dt.timedelta(days=6), "iso_week", f"{year}-W{week:02d}")


def parse_iso_week(label: str) -> Period:
    """`2026-W12` (or `2026W12`) → that week; raises ValueError for a week the year lacks."""
    m = _ISO_WEEK.match(label.strip())
    if not m:
        raise ValueError(f"not an ISO week label: {label!r} (expected like 2026-W12)")
    year, week = int(m.group(1)), int(m.group(2))
    monday = dt.date.fromisocalendar(year, week, 1)
    return iso_week(monday)


def week_label(day: dt.date) -> str:
    return iso_week(day).label


def local_day(instant: dt.datetime | dt.date, timezone: str = DEFAULT_TIMEZONE) -> dt.date:
    """The calendar day of an instant in the org's timezone (naive instants are taken as UTC)."""
    if not isinstance(instant, dt.datetime):
        return instant
    if instant.tzinfo is None:
        instant = instant.replace(tzinfo=dt.timezone.utc)
    return instant.astimezone(ZoneInfo(timezone)).date()
