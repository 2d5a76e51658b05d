"""JSON-ready report of one photo's evidence, for `actionproof check-photo`."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from evidence.datum import Position
from evidence.exif import read_photo
from evidence.rules import Check, check_photo_distance, check_photo_gps_time


def _rule(check: Check) -> dict[str, Any]:
    return {
        "rule": check.rule,
        "passed": check.passed,
        "value": check.value,
        "threshold": check.threshold,
        "reason": check.reason,
        "detail": check.detail,
    }


def photo_report(
    data: bytes,
    *,
    submitted_at: datetime | None = None,
    near: Position | None = None,
    radius_m: float = 500.0,
    tolerance_s: float = 180.0,
) -> dict[str, Any]:
    """Read a photo and, given a submission time or a position, judge it as the verifier would."""
    meta = read_photo(data)
    report: dict[str, Any] = {
        "gps": (
            {"lat": meta.gps_lat, "lon": meta.gps_lon, "datum": "wgs84"}
            if meta.gps_lat is not None and meta.gps_lon is not None
            else None
        ),
        "gps_time_utc": meta.gps_time_utc.isoformat() if meta.gps_time_utc else None,
        "gps_date_from_camera": meta.gps_date_from_camera,
        "camera_time": meta.camera_time.isoformat() if meta.camera_time else None,
        "offset_time": meta.offset_time,
        "make": meta.make,
        "model": meta.model,
        "software": meta.software,
        "width": meta.width,
        "height": meta.height,
        "format": meta.format,
        "problems": list(meta.problems),
    }
    rules: list[dict[str, Any]] = []
    if submitted_at is not None:
        rules.append(_rule(check_photo_gps_time(meta, submitted_at, tolerance_s)))
    if near is not None:
        rules.append(_rule(check_photo_distance(meta, near, radius_m)))
    if rules:
        report["rules"] = rules
    return report
