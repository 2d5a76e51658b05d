"""Signs that a photo was edited or did not come straight from a camera (photo_edited,
camera_time_mismatch)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

from evidence.exif import PhotoMeta
from evidence.flags import DEFAULT_FLAG_CONFIG, Flag, FlagConfig
from evidence.rules import _as_utc, _duration  # the same wording as the base rules

_OFFSET_RE = re.compile(r"^([+-])(\d{1,2}):?(\d{2})$")
_LATIN = re.compile(r"[A-Za-z0-9]")

# Offsets in use (UTC-12 ... UTC+14): every half hour, plus the three quarter-hour zones
# (Nepal +5:45, Eucla +8:45, Chatham +12:45).
ZONE_OFFSETS_H: tuple[float, ...] = tuple(h / 2 for h in range(-24, 29)) + (5.75, 8.75, 12.75)
# A local camera time can be at most this far ahead of UTC (UTC+14).
_MAX_AHEAD = timedelta(hours=14)


def editor_in(software: str | None, editors: tuple[str, ...]) -> str | None:
    """The first editor name found in an EXIF Software value, or None."""
    if not software:
        return None
    text = software.casefold()
    for name in editors:
        needle = name.casefold()
        if _LATIN.search(name):
            # Latin names as words: "Canva" must not match "Canvas"; a version number
            # may follow directly ("Facetune2").
            if re.search(rf"(?<![a-z]){re.escape(needle)}(?![a-z])", text):
                return name
        elif needle in text:
            return name
    return None


def parse_offset(text: str | None) -> timedelta | None:
    """OffsetTimeOriginal ("+08:00") as a timedelta; None when absent or unreadable."""
    if not text:
        return None
    match = _OFFSET_RE.match(text.strip())
    if not match:
        return None
    sign, hours, minutes = match.groups()
    delta = timedelta(hours=int(hours), minutes=int(minutes))
    if delta > _MAX_AHEAD or int(minutes) >= 60:
        return None
    return -delta if sign == "-" else delta


def _zone(hours: float) -> str:
    sign = "-" if hours < 0 else "+"
    minutes = round(abs(hours) * 60)
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def editing_signals(
    meta: PhotoMeta,
    *,
    now: datetime,
    config: FlagConfig = DEFAULT_FLAG_CONFIG,
    subject: str | None = None,
) -> list[Flag]:
    """photo_edited and camera_time_mismatch flags for one photo's metadata.

    `now` is the server's time when the photo arrived (or is judged): a GPS time later
    than that cannot have been recorded by the phone.
    """
    if meta.format is None:
        # Not an image at all: the base rules already say so; nothing to add.
        return []
    found: list[Flag | None] = []
    editor = editor_in(meta.software, config.editor_software)
    if editor is not None:
        found.append(config.flag(
            "photo_edited", "editor_software", value=meta.software, unit="software", subject=subject,
            detail=f"EXIF Software is {meta.software!r}: the file was saved by an image editor ({editor})",
        ))
    missing = [name for name, value in (("make", meta.make), ("model", meta.model)) if not value]
    if missing:
        found.append(config.flag(
            "photo_edited", "no_camera_make_model", value=",".join(missing), subject=subject,
            detail=f"no camera {' or '.join(missing)} in EXIF: not straight from a phone camera "
                   "(screenshot, chat-app copy or editor re-save)",
        ))
    found.extend(_time_signals(meta, _as_utc(now), config, subject))
    return [f for f in found if f is not None]


def _time_signals(meta: PhotoMeta, now: datetime, config: FlagConfig, subject: str | None) -> list[Flag | None]:
    found: list[Flag | None] = []
    skew = float(config.future_skew_s)
    gps = _as_utc(meta.gps_time_utc) if meta.gps_time_utc is not None else None
    offset = parse_offset(meta.offset_time)
    if gps is not None:
        ahead = (gps - now).total_seconds()
        if ahead > skew:
            found.append(config.flag(
                "camera_time_mismatch", "gps_time_future", value=ahead, unit="s", threshold=skew, subject=subject,
                detail=f"GPS time {gps:%Y-%m-%d %H:%M:%S} UTC is {_duration(ahead)} after the server's time "
                       f"{now:%Y-%m-%d %H:%M:%S} UTC (allowed skew {skew:g} s)",
            ))
    if meta.camera_time is not None:
        # The earliest UTC instant the local camera time can stand for.
        camera = meta.camera_time.replace(tzinfo=None)
        earliest = camera - (offset if offset is not None else _MAX_AHEAD)
        ahead = (earliest.replace(tzinfo=timezone.utc) - now).total_seconds()
        if ahead > skew:
            found.append(config.flag(
                "camera_time_mismatch", "camera_time_future", value=ahead, unit="s", threshold=skew, subject=subject,
                detail=f"camera time {camera:%Y-%m-%d %H:%M:%S} is in the future in every time zone "
                       f"({_duration(ahead)} after the server's time)",
            ))
    if gps is not None and meta.camera_time is not None:
        found.append(_clock_mismatch(meta.camera_time.replace(tzinfo=None), offset, meta.offset_time, gps,
                                     config, subject))
    return found


def _fit(delta: float, offset: timedelta | None, config: FlagConfig) -> tuple[float, float]:
    """(error in seconds, zone offset in hours) of the best explanation of camera − GPS."""
    if offset is not None:
        hours = offset.total_seconds() / 3600
        return delta - offset.total_seconds(), hours
    offsets = tuple(config.camera_offsets_h) or ZONE_OFFSETS_H
    nearest = min(offsets, key=lambda h: abs(delta - h * 3600))
    return delta - nearest * 3600, nearest


def _clock_mismatch(
    camera: datetime, offset: timedelta | None, offset_text: str | None, gps: datetime,
    config: FlagConfig, subject: str | None,
) -> Flag | None:
    # Camera time is local wall time; GPS time is UTC. Their difference is the zone
    # offset plus the camera clock's error. With OffsetTimeOriginal the offset is known;
    # without it (most files) any offset in use explains whole/half hours, and only the
    # remainder is error. An org can narrow the offsets (camera_offsets_h=(8,) in China),
    # which also catches a GPS time shifted by whole hours.
    tolerance = float(config.camera_skew_s)
    gps_naive = gps.astimezone(timezone.utc).replace(tzinfo=None)
    delta = (camera - gps_naive).total_seconds()
    error, zone = _fit(delta, offset, config)
    if abs(error) <= tolerance:
        return None
    direction = "ahead of" if delta >= 0 else "behind"
    said = (f"camera clock {camera:%Y-%m-%d %H:%M:%S} is {_duration(delta)} {direction} GPS time "
            f"{gps_naive:%Y-%m-%d %H:%M:%S} UTC")
    # A difference of whole days with a fitting time of day: the dates disagree (a GPS
    # logger's date bug, or a date rewritten by hand), a different story for a manager.
    for days in (1, -1, 2, -2):
        day_error, day_zone = _fit(delta + days * 86400, offset, config)
        if abs(day_error) <= tolerance:
            return config.flag(
                "camera_time_mismatch", "date_mismatch", value=abs(delta - day_zone * 3600), unit="s",
                threshold=tolerance,
                subject=subject,
                detail=f"{said}: the dates differ by {abs(days)} day{'s' if abs(days) > 1 else ''} while the time "
                       f"of day fits {_zone(day_zone)} within {_duration(day_error)} (tolerance {tolerance:g} s)",
            )
    if offset is not None:
        explain = f"its recorded offset {offset_text} leaves {_duration(error)}"
    else:
        explain = f"no time zone explains it (nearest {_zone(zone)}, {_duration(error)} off)"
    return config.flag(
        "camera_time_mismatch", "clock_mismatch", value=abs(error), unit="s", threshold=tolerance, subject=subject,
        detail=f"{said}; {explain} (tolerance {tolerance:g} s)",
    )
