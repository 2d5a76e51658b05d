"""JSON-ready report of one photo's evidence, for `actionproof check-photo`."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timezone
from typing import Any

from evidence.datum import Position
from evidence.exif import read_photo
from evidence.flags import DEFAULT_FLAG_CONFIG, Flag, FlagConfig, risk_score
from evidence.phash import EarlierPhoto, photo_hash, reuse_signals
from evidence.rules import Check, check_photo_distance, check_photo_gps_time
from evidence.tamper import editing_signals


def _rule(check: Check) -> dict[str, Any]:
    return {
        "rule": check.rule,
        "passed": check.passed,
        "value": check.value,
        "threshold": check.threshold,
        "reason": check.reason,
        "detail": check.detail,
    }


def _flag(f: Flag) -> dict[str, Any]:
    return {
        "rule": f.rule,
        "severity": f.severity,
        "value": f.value,
        "unit": f.unit,
        "reason": f.reason,
        "detail": f.detail,
        "ref": f.ref,
    }


def photo_report(
    data: bytes,
    *,
    submitted_at: datetime | None = None,
    near: Position | None = None,
    radius_m: float = 500.0,
    tolerance_s: float = 180.0,
    now: datetime | None = None,
    flag_config: FlagConfig = DEFAULT_FLAG_CONFIG,
    earlier: Sequence[EarlierPhoto] = (),
) -> dict[str, Any]:
    """Read a photo and, given a submission time or a position, judge it as the verifier would.

    Also hashes it (`phash`), raises the photo's evidence-depth flags (editing, camera
    clock, and reuse against `earlier` photos when given) and their `risk_score`.
    `now` (default: the current time) is when the photo is taken to have arrived.
    """
    meta = read_photo(data, max_pixels=flag_config.max_pixels)
    hashed = photo_hash(data, max_pixels=flag_config.max_pixels, min_side=flag_config.min_photo_side)
    flags = editing_signals(meta, now=now or datetime.now(timezone.utc), config=flag_config)
    flags += reuse_signals(hashed, earlier, config=flag_config)
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
        "phash": hashed.hash_hex,
        "phash_reason": hashed.reason,
        "flags": [_flag(f) for f in flags],
        "risk_score": risk_score(flags, flag_config),
    }
    rules: list[dict[str, Any]] = []
    if submitted_at is not None:
        rules.append(_rule(check_photo_gps_time(meta, submitted_at, tolerance_s)))
    if near is not None:
        rules.append(_rule(check_photo_distance(meta, near, radius_m)))
    if rules:
        report["rules"] = rules
    return report
