"""The check-photo JSON report."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from evidence.datum import Position, convert
from evidence.photo_writer import make_photo
from evidence.report import photo_report

GPS_TIME = datetime(2026, 3, 2, 1, 29, 41, tzinfo=timezone.utc)
HERE = (30.2741, 120.1551)


def _photo() -> bytes:
    return make_photo(width=64, height=48, gps=HERE, gps_time_utc=GPS_TIME, camera_time=datetime(2026, 3, 2, 9, 29, 40))


def test_report_without_rules() -> None:
    report = photo_report(_photo())
    assert report["gps"] == {"lat": 30.2741, "lon": 120.1551, "datum": "wgs84"}
    assert report["gps_time_utc"] == "2026-03-02T01:29:41+00:00"
    assert report["camera_time"] == "2026-03-02T09:29:40"
    assert (report["make"], report["model"], report["software"]) == ("Xiaomi", "Redmi Note 12", None)
    assert (report["width"], report["height"], report["format"]) == (64, 48, "JPEG")
    assert report["problems"] == []
    assert "rules" not in report
    json.dumps(report)  # must be JSON as it is


def test_report_with_rules() -> None:
    near = Position(*convert(*HERE, "wgs84", "gcj02"), "gcj02")
    submitted = GPS_TIME + timedelta(seconds=200)
    report = photo_report(_photo(), submitted_at=submitted, near=near, radius_m=500.0, tolerance_s=180.0)
    rules = {r["rule"]: r for r in report["rules"]}
    assert set(rules) == {"photo_gps_time", "photo_distance"}
    assert rules["photo_gps_time"]["passed"] is False
    assert rules["photo_gps_time"]["value"] == 200.0
    assert rules["photo_gps_time"]["threshold"] == 180.0
    assert rules["photo_gps_time"]["reason"] == "time_off"
    assert rules["photo_distance"]["passed"] is True
    assert rules["photo_distance"]["value"] < 0.01
    assert set(rules["photo_distance"]) >= {"rule", "passed", "value", "threshold", "reason"}
    json.dumps(report)


def test_report_on_garbage() -> None:
    report = photo_report(b"not a photo at all", submitted_at=GPS_TIME, near=Position(*HERE))
    assert report["gps"] is None and report["format"] is None
    assert "not an image" in report["problems"]
    assert {r["reason"] for r in report["rules"]} == {"no_gps_timestamp", "no_gps_position"}
