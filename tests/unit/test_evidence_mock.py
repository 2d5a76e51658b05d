"""Mock-location signals on a check-in."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta, timezone

import pytest

from evidence.datum import Position, convert
from evidence.flags import SOFT, FlagConfig
from evidence.mock import EarlierCheckin, decimals, mock_location_signals

TODAY = date(2026, 3, 9)
CUSTOMER = Position(30.274085, 120.155070, "gcj02")
HERE = Position(30.275112, 120.156341, "gcj02")  # ~170 m from the customer
LAST_WEEK = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)  # 10:00 in Shanghai


def _reasons(flags) -> set[str]:
    return {f.reason for f in flags}


def test_ordinary_checkin_has_no_flags() -> None:
    earlier = [EarlierCheckin(LAST_WEEK, Position(30.275120, 120.156322, "gcj02"), "action:1")]
    assert mock_location_signals(HERE, 12.0, CUSTOMER, earlier, TODAY) == []


def test_same_point_on_another_day() -> None:
    earlier = [
        EarlierCheckin(LAST_WEEK, Position(30.275112, 120.156341, "gcj02"), "action:1"),
        (LAST_WEEK - timedelta(days=7), Position(30.275112, 120.156341, "gcj02")),  # plain tuples too
    ]
    (flag,) = mock_location_signals(HERE, 12.0, CUSTOMER, earlier, TODAY, subject="action:9")
    assert (flag.rule, flag.reason, flag.severity) == ("mock_location", "repeated_exact_position", SOFT)
    assert (flag.value, flag.unit, flag.ref, flag.subject) == (2.0, "days", "action:1", "action:9")
    assert "2026-03-02" in flag.detail and "1 other day" in flag.detail


def test_same_point_the_same_day_is_not_a_signal() -> None:
    # Two check-ins at one customer in one morning may well reuse the phone's last fix.
    same_day = datetime(2026, 3, 9, 1, 0, tzinfo=timezone.utc)
    assert mock_location_signals(HERE, 12.0, CUSTOMER, [EarlierCheckin(same_day, HERE)], TODAY) == []


def test_days_are_counted_in_the_org_timezone() -> None:
    # 2026-03-08 17:00 UTC is 01:00 on the 9th in Shanghai (same day) but the 8th in UTC.
    late = datetime(2026, 3, 8, 17, 0, tzinfo=timezone.utc)
    assert mock_location_signals(HERE, 12.0, None, [EarlierCheckin(late, HERE)], TODAY) == []
    flags = mock_location_signals(HERE, 12.0, None, [EarlierCheckin(late, HERE)], TODAY, tz="UTC")
    assert _reasons(flags) == {"repeated_exact_position"}


def test_coarse_coordinates_repeat_by_rounding() -> None:
    coarse = Position(30.2751, 120.1563, "gcj02")  # 4 decimals, ~10 m grid
    assert mock_location_signals(coarse, 12.0, None, [EarlierCheckin(LAST_WEEK, coarse)], TODAY) == []
    # Equal only at 5 decimals: different points.
    near = Position(30.275114, 120.156341, "gcj02")
    assert mock_location_signals(HERE, 12.0, None, [EarlierCheckin(LAST_WEEK, near)], TODAY) == []


def test_repeat_across_datums() -> None:
    lat, lon = convert(HERE.lat, HERE.lon, "gcj02", "bd09")
    earlier = [EarlierCheckin(LAST_WEEK, Position(lat, lon, "bd09"), "action:1")]
    assert _reasons(mock_location_signals(HERE, 12.0, None, earlier, TODAY)) == {"repeated_exact_position"}


@pytest.mark.parametrize(("accuracy", "reason"), [
    (0.0, "accuracy_zero"), (0, "accuracy_zero"), (None, "accuracy_missing"), (-5.0, "accuracy_invalid"),
    (math.nan, "accuracy_invalid"), (math.inf, "accuracy_invalid"), (0.5, None), (65.0, None),
])
def test_accuracy(accuracy, reason: str | None) -> None:
    flags = mock_location_signals(HERE, accuracy, None, [], TODAY)
    assert _reasons(flags) == ({reason} if reason else set())
    assert all(f.severity == SOFT for f in flags)


@pytest.mark.parametrize(("checkin", "flagged"), [
    (CUSTOMER, True),
    (Position(*convert(CUSTOMER.lat, CUSTOMER.lon, "gcj02", "wgs84"), "wgs84"), True),  # same point, other datum
    (Position(30.274090, 120.155070, "gcj02"), False),  # 0.55 m: outside this test's 0.5 m
])
def test_on_customer_point(checkin: Position, flagged: bool) -> None:
    config = FlagConfig(customer_point_m=0.5)
    flags = mock_location_signals(checkin, 10.0, CUSTOMER, [], TODAY, config=config)
    assert ("on_customer_point" in _reasons(flags)) is flagged
    if flagged:
        flag = next(f for f in flags if f.reason == "on_customer_point")
        assert flag.value < 0.01 and flag.unit == "m" and flag.threshold == 0.5


def test_on_customer_point_default_is_one_metre() -> None:
    half_metre_off = Position(30.274090, 120.155070, "gcj02")
    assert "on_customer_point" in _reasons(mock_location_signals(half_metre_off, 10.0, CUSTOMER, [], TODAY))


def test_no_checkin_or_bad_positions() -> None:
    assert mock_location_signals(None, None, CUSTOMER, [], TODAY) == []
    assert mock_location_signals(Position(math.nan, 120.0), 0.0, CUSTOMER, [], TODAY) == []
    bad_earlier = [EarlierCheckin(LAST_WEEK, Position(95.0, 120.0))]
    assert mock_location_signals(HERE, 10.0, Position(0, 0, "xx"), bad_earlier, TODAY) == []


def test_signals_can_be_switched_off() -> None:
    config = FlagConfig(severity={"mock_location": "soft", "mock_location:accuracy_missing": "off"})
    assert mock_location_signals(HERE, None, None, [], TODAY, config=config) == []


@pytest.mark.parametrize(("value", "places"), [(30.274085, 6), (120.1551, 4), (30.0, 1), (1e-07, 7),
                                               (31.2304161234567, 13)])
def test_decimals(value: float, places: int) -> None:
    assert decimals(value) == places
