"""Coordinate datums used in China (WGS-84, GCJ-02, BD-09): conversion and distance."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from geopy.distance import geodesic

Datum = Literal["wgs84", "gcj02", "bd09"]
DATUMS: tuple[str, ...] = ("wgs84", "gcj02", "bd09")

# Krasovsky 1940 ellipsoid, as used by the published GCJ-02 obfuscation algorithm.
_A = 6378245.0
_EE = 0.00669342162296594323
_X_PI = math.pi * 3000.0 / 180.0

# The fixed-point inverse converges to ~1e-15° within a handful of steps; the cap only
# guards against pathological input near the out-of-China boundary.
_INVERSE_TOLERANCE_DEG = 1e-12
_INVERSE_MAX_STEPS = 30


@dataclass(frozen=True)
class Position:
    """A latitude/longitude pair in decimal degrees, tagged with its datum."""

    lat: float
    lon: float
    datum: str = "wgs84"


def position_problem(p: Position) -> str | None:
    """Return a short reason why the position is unusable, or None when it is fine."""
    if p.datum not in DATUMS:
        return f"unknown datum {p.datum!r}"
    for name, value, limit in (("latitude", p.lat, 90.0), ("longitude", p.lon, 180.0)):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return f"{name} {value!r} is not a number"
        if math.isnan(value):
            return f"{name} is NaN"
        if math.isinf(value):
            return f"{name} is infinite"
        if abs(value) > limit:
            return f"{name} {float(value)} out of range"
    return None


def out_of_china(lat: float, lon: float) -> bool:
    """Return True outside the rough mainland-China box where GCJ-02 equals WGS-84."""
    return not (72.004 <= lon <= 137.8347 and 0.8293 <= lat <= 55.8271)


def _transform_lat(x: float, y: float) -> float:
    ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2.0 / 3.0
    return ret


def _transform_lon(x: float, y: float) -> float:
    ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    ret += (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    ret += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    ret += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2.0 / 3.0
    return ret


def _gcj_offset(lat: float, lon: float) -> tuple[float, float]:
    d_lat = _transform_lat(lon - 105.0, lat - 35.0)
    d_lon = _transform_lon(lon - 105.0, lat - 35.0)
    rad_lat = lat / 180.0 * math.pi
    magic = 1 - _EE * math.sin(rad_lat) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lon = (d_lon * 180.0) / (_A / sqrt_magic * math.cos(rad_lat) * math.pi)
    return d_lat, d_lon


def _wgs_to_gcj(lat: float, lon: float) -> tuple[float, float]:
    if out_of_china(lat, lon):
        return lat, lon
    d_lat, d_lon = _gcj_offset(lat, lon)
    return lat + d_lat, lon + d_lon


def _gcj_to_wgs(lat: float, lon: float) -> tuple[float, float]:
    if out_of_china(lat, lon):
        return lat, lon
    # The offset varies slowly, so a fixed-point iteration on forward(w) = g converges
    # fast; the one-step version is off by up to ~1 m, which matters next to a 500 m rule.
    w_lat, w_lon = lat, lon
    for _ in range(_INVERSE_MAX_STEPS):
        g_lat, g_lon = _wgs_to_gcj(w_lat, w_lon)
        e_lat, e_lon = g_lat - lat, g_lon - lon
        w_lat, w_lon = w_lat - e_lat, w_lon - e_lon
        if abs(e_lat) < _INVERSE_TOLERANCE_DEG and abs(e_lon) < _INVERSE_TOLERANCE_DEG:
            break
    return w_lat, w_lon


def _gcj_to_bd(lat: float, lon: float) -> tuple[float, float]:
    z = math.sqrt(lon * lon + lat * lat) + 0.00002 * math.sin(lat * _X_PI)
    theta = math.atan2(lat, lon) + 0.000003 * math.cos(lon * _X_PI)
    return z * math.sin(theta) + 0.006, z * math.cos(theta) + 0.0065


def _bd_to_gcj_approx(lat: float, lon: float) -> tuple[float, float]:
    x, y = lon - 0.0065, lat - 0.006
    z = math.sqrt(x * x + y * y) - 0.00002 * math.sin(y * _X_PI)
    theta = math.atan2(y, x) - 0.000003 * math.cos(x * _X_PI)
    return z * math.sin(theta), z * math.cos(theta)


def _bd_to_gcj(lat: float, lon: float) -> tuple[float, float]:
    # Baidu's published inverse leaves up to ~0.2 m of residual; refine it against the
    # forward formula so BD-09 round trips are exact like GCJ-02 ones.
    g_lat, g_lon = _bd_to_gcj_approx(lat, lon)
    for _ in range(_INVERSE_MAX_STEPS):
        b_lat, b_lon = _gcj_to_bd(g_lat, g_lon)
        e_lat, e_lon = b_lat - lat, b_lon - lon
        g_lat, g_lon = g_lat - e_lat, g_lon - e_lon
        if abs(e_lat) < _INVERSE_TOLERANCE_DEG and abs(e_lon) < _INVERSE_TOLERANCE_DEG:
            break
    return g_lat, g_lon


def convert(lat: float, lon: float, src: str, dst: str) -> tuple[float, float]:
    """Convert a (lat, lon) pair between the wgs84, gcj02 and bd09 datums."""
    for datum in (src, dst):
        if datum not in DATUMS:
            raise ValueError(f"unknown datum {datum!r}")
    if src == dst:
        return lat, lon
    # Route everything through GCJ-02, the hub both other datums are defined against.
    if src == "wgs84":
        g_lat, g_lon = _wgs_to_gcj(lat, lon)
    elif src == "bd09":
        g_lat, g_lon = _bd_to_gcj(lat, lon)
    else:
        g_lat, g_lon = lat, lon
    if dst == "gcj02":
        return g_lat, g_lon
    if dst == "wgs84":
        return _gcj_to_wgs(g_lat, g_lon)
    return _gcj_to_bd(g_lat, g_lon)


def to_wgs84(p: Position) -> Position:
    """Return the position expressed in WGS-84."""
    lat, lon = convert(p.lat, p.lon, p.datum, "wgs84")
    return Position(lat, lon, "wgs84")


def distance_m(a: Position, b: Position) -> float:
    """Return the geodesic distance in metres between two positions of any datum."""
    wa, wb = to_wgs84(a), to_wgs84(b)
    return float(geodesic((wa.lat, wa.lon), (wb.lat, wb.lon)).meters)
