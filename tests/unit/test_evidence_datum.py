"""Datum conversion (WGS-84 / GCJ-02 / BD-09), validation and distance."""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import pytest
from geopy.distance import geodesic

from evidence.datum import DATUMS, Position, convert, distance_m, position_problem, to_wgs84


def _error_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    return geodesic(a, b).meters


def test_published_vector_within_tolerance(field_data: Path, coord_vector: dict) -> None:
    src, dst = coord_vector["conversion"].split("->")
    got = convert(*coord_vector["input_lat_lng"], src, dst)
    error = _error_m(got, tuple(coord_vector["expected_lat_lng"]))
    assert error <= coord_vector["tolerance_m"], f"{coord_vector['conversion']} off by {error:.4f} m"


def test_city_offset_reproduced(field_data: Path, city_offset: tuple[str, dict]) -> None:
    name, city = city_offset
    wgs = tuple(city["wgs84"])
    gcj = convert(*wgs, "wgs84", "gcj02")
    # The listed GCJ-02 point comes from another implementation; centimetres apart.
    assert _error_m(gcj, tuple(city["gcj02"])) < 0.05, name
    # The offsets are printed to 0.1 m with a slightly different distance formula.
    assert _error_m(wgs, gcj) == pytest.approx(city["wgs_to_gcj_m"], abs=0.15), name
    if "wgs_to_bd09_m" in city:
        bd = convert(*wgs, "wgs84", "bd09")
        assert _error_m(wgs, bd) == pytest.approx(city["wgs_to_bd09_m"], abs=0.15), name
    # And the exact inverse takes the listed GCJ-02 point back to the WGS-84 one.
    back = convert(*city["gcj02"], "gcj02", "wgs84")
    assert _error_m(back, wgs) < 0.05, name


_CHINA_GRID = [(lat, lon) for lat in range(19, 54, 5) for lon in range(75, 135, 6)]


@pytest.mark.parametrize(("src", "dst"), list(itertools.permutations(DATUMS, 2)))
def test_round_trip_is_exact_across_china(src: str, dst: str) -> None:
    worst = 0.0
    for lat, lon in _CHINA_GRID:
        there = convert(lat + 0.123, lon + 0.456, src, dst)
        back = convert(*there, dst, src)
        worst = max(worst, _error_m(back, (lat + 0.123, lon + 0.456)))
    assert worst < 0.001, f"{src}->{dst}->{src} drifts {worst:.6f} m"


def test_gcj_inverse_beats_one_step_approximation() -> None:
    # The one-step inverse (wgs = gcj - offset(gcj)) is off by about a metre in places;
    # the iterative one must land back on the original point.
    wgs = (39.9075, 116.3972)
    gcj = convert(*wgs, "wgs84", "gcj02")
    assert _error_m(convert(*gcj, "gcj02", "wgs84"), wgs) < 1e-3


def test_offset_is_hundreds_of_metres_in_china() -> None:
    wgs = Position(30.2741, 120.1551)
    gcj = Position(*convert(wgs.lat, wgs.lon, "wgs84", "gcj02"), "gcj02")
    naive = geodesic((wgs.lat, wgs.lon), (gcj.lat, gcj.lon)).meters
    assert 400 < naive < 700
    # Once both are in one datum they are the same place.
    assert distance_m(wgs, gcj) < 0.01


def test_outside_china_gcj_equals_wgs() -> None:
    # The customary out-of-China test is a bounding box, so Seoul or Singapore still
    # count as "inside" (as in every published implementation); these are truly out.
    for lat, lon in [(48.8566, 2.3522), (40.7128, -74.0060), (-33.87, 151.21), (35.68, 139.69)]:
        assert convert(lat, lon, "wgs84", "gcj02") == (lat, lon)
        assert convert(lat, lon, "gcj02", "wgs84") == (lat, lon)


def test_bd09_is_offset_from_gcj02_everywhere() -> None:
    lat, lon = convert(48.8566, 2.3522, "gcj02", "bd09")
    assert (lat, lon) != (48.8566, 2.3522)
    assert _error_m(convert(lat, lon, "bd09", "gcj02"), (48.8566, 2.3522)) < 0.001


def test_same_datum_is_identity_and_unknown_datum_rejected() -> None:
    assert convert(30.0, 120.0, "gcj02", "gcj02") == (30.0, 120.0)
    with pytest.raises(ValueError, match="unknown datum"):
        convert(30.0, 120.0, "wgs84", "cgcs2000")


def test_to_wgs84() -> None:
    bd = Position(39.915, 116.404, "bd09")
    w = to_wgs84(bd)
    assert w.datum == "wgs84"
    gcj = convert(39.915, 116.404, "bd09", "gcj02")
    assert (w.lat, w.lon) == pytest.approx(convert(*gcj, "gcj02", "wgs84"), abs=1e-12)
    assert to_wgs84(Position(1.0, 2.0)) == Position(1.0, 2.0, "wgs84")


@pytest.mark.parametrize(
    ("position", "expected"),
    [
        (Position(91.0, 120.0), "latitude 91.0 out of range"),
        (Position(-90.5, 120.0), "latitude -90.5 out of range"),
        (Position(30.0, 180.5), "longitude 180.5 out of range"),
        (Position(math.nan, 120.0), "latitude is NaN"),
        (Position(30.0, math.inf), "longitude is infinite"),
        (Position(30.0, 120.0, "cgcs2000"), "unknown datum 'cgcs2000'"),
        (Position(90.0, -180.0), None),
        (Position(30.0, 120.0, "bd09"), None),
    ],
)
def test_position_problem(position: Position, expected: str | None) -> None:
    assert position_problem(position) == expected


def test_distance_uses_geodesic_metres() -> None:
    a = Position(30.0, 120.0)
    b = Position(30.0 + 1 / 111_000 * 500, 120.0)
    assert distance_m(a, b) == pytest.approx(geodesic((a.lat, a.lon), (b.lat, b.lon)).meters)
    assert distance_m(a, a) == 0.0
