"""Impossible travel between one rep's consecutive check-ins and photos."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

import pytest
from geopy.distance import geodesic

from evidence.datum import Position, convert
from evidence.flags import HARD, FlagConfig
from evidence.travel import TrackPoint, impossible_travel

T0 = datetime(2026, 3, 2, 1, 0, tzinfo=timezone.utc)
HANGZHOU = (30.2741, 120.1551)


def _north(km: float, start: tuple[float, float] = HANGZHOU) -> Position:
    p = geodesic(kilometers=km).destination(start, 0.0)
    return Position(p.latitude, p.longitude, "wgs84")


def _pt(minutes: float, km: float, ref: str, source: str = "checkin", **kw) -> TrackPoint:
    return TrackPoint(T0 + timedelta(minutes=minutes), _north(km), source, ref, **kw)


def test_plausible_day_is_not_flagged() -> None:
    # 30 km in 40 min by car = 45 km/h.
    points = [_pt(0, 0, "action:1"), _pt(40, 30, "photo:2", "photo")]
    assert impossible_travel(points, _pt(90, 35, "action:3")) is None


@pytest.mark.parametrize(("minutes", "km", "flagged"), [(60, 199, False), (60, 201, True), (30, 120, True)])
def test_speed_threshold(minutes: float, km: float, flagged: bool) -> None:
    flag = impossible_travel([_pt(0, 0, "action:1")], _pt(minutes, km, "action:2"))
    assert (flag is not None) is flagged
    if flagged:
        assert (flag.rule, flag.severity, flag.reason, flag.unit) == ("impossible_travel", HARD, "too_fast", "km/h")
        assert flag.value == pytest.approx(km / (minutes / 60), rel=1e-3)
        assert flag.threshold == 200.0
        assert flag.ref == "action:1"


def test_max_kmh_is_configurable() -> None:
    points = [_pt(0, 0, "action:1")]
    current = _pt(60, 250, "action:2")
    assert impossible_travel(points, current) is not None
    assert impossible_travel(points, current, max_kmh=350) is None  # a high-speed-rail org
    assert impossible_travel(points, current, config=FlagConfig(max_kmh=300)) is None


def test_only_consecutive_points_count() -> None:
    # The far point is two steps back; the step just before is plausible.
    points = [_pt(0, 500, "action:1"), _pt(60, 10, "action:2")]
    assert impossible_travel(points, _pt(90, 0, "action:3")) is None


def test_the_point_after_counts_too() -> None:
    # A back-dated check-in: recorded after the fact, between two real ones far away.
    points = [_pt(0, 0, "action:1"), _pt(30, 1, "action:3")]
    flag = impossible_travel(points, _pt(20, 300, "action:2"))
    assert flag is not None
    # Both neighbours are impossible; the worse one (10 min later, 299 km) is named.
    assert flag.ref == "action:3" and "later" in flag.detail


def test_gps_drift_within_margin_is_not_travel() -> None:
    # 800 m in 5 seconds (network location jumping) is noise, not 576 km/h.
    points = [_pt(0, 0, "photo:1", "photo")]
    assert impossible_travel(points, _pt(5 / 60, 0.8, "action:2")) is None
    # Beyond the margin, the gap is floored at a minute: 5 km "in 5 s" counts as 300 km/h.
    flag = impossible_travel(points, _pt(5 / 60, 5, "action:2"))
    assert flag is not None and flag.value == pytest.approx(300, rel=1e-3)


def test_reported_accuracy_widens_the_margin() -> None:
    # Two cell-tower fixes (±2.5 km each) 4 km apart within a minute: not travel.
    points = [_pt(0, 0, "action:1", accuracy_m=2500.0)]
    assert impossible_travel(points, _pt(0.5, 4, "action:2", accuracy_m=2500.0)) is None
    assert impossible_travel([_pt(0, 0, "action:1")], _pt(0.5, 4, "action:2")) is not None


def test_same_instant_far_apart_is_flagged() -> None:
    flag = impossible_travel([_pt(0, 0, "photo:1", "photo")], _pt(0, 50, "action:2"))
    assert flag is not None and flag.value == pytest.approx(3000, rel=1e-3)


def test_datums_are_converted() -> None:
    # The same spot stated in GCJ-02 (check-in) and WGS-84 (photo) is ~500 m apart raw.
    gcj = convert(*HANGZHOU, "wgs84", "gcj02")
    photo = TrackPoint(T0, Position(*HANGZHOU, "wgs84"), "photo", "photo:1")
    checkin = TrackPoint(T0 + timedelta(seconds=1), Position(*gcj, "gcj02"), "checkin", "action:1")
    assert impossible_travel([photo], checkin, config=FlagConfig(travel_margin_m=10)) is None


def test_own_ref_bad_positions_and_naive_times_are_handled() -> None:
    current = _pt(60, 300, "action:2")
    assert impossible_travel([current], current) is None  # itself
    bad = TrackPoint(T0, Position(math.nan, 120.0), "checkin", "action:9")
    assert impossible_travel([bad], current) is None
    assert impossible_travel([_pt(0, 0, "action:1")], TrackPoint(T0, Position(91.0, 0.0), "checkin", "x")) is None
    naive = TrackPoint(T0.replace(tzinfo=None), _north(0), "checkin", "action:1")
    assert impossible_travel([naive], current) is not None
    assert impossible_travel([], current) is None


def test_detail_reads_like_a_sentence() -> None:
    flag = impossible_travel([_pt(0, 0, "action:1")], _pt(30, 150, "photo:7", "photo"), subject="photo:7")
    assert flag.subject == "photo:7"
    assert flag.detail == "photo (photo:7) is 150.0 km from check-in (action:1) 30 min 0 s earlier: " \
                          "300 km/h (limit 200 km/h)"
