"""Reading a photo's EXIF GPS position, GPS time, camera time and camera identity."""

from __future__ import annotations

import io
import math
import re
import warnings
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from typing import Any

import exifread
from PIL import Image

from evidence.image_header import ImageHeader, looks_truncated, probe_header

# Canonical field name -> exifread key / Pillow (IFD, tag id).
_EXIFREAD_KEYS = {
    "Make": "Image Make",
    "Model": "Image Model",
    "Software": "Image Software",
    "DateTime": "Image DateTime",
    "DateTimeOriginal": "EXIF DateTimeOriginal",
    "OffsetTimeOriginal": "EXIF OffsetTimeOriginal",
    "GPSLatitudeRef": "GPS GPSLatitudeRef",
    "GPSLatitude": "GPS GPSLatitude",
    "GPSLongitudeRef": "GPS GPSLongitudeRef",
    "GPSLongitude": "GPS GPSLongitude",
    "GPSTimeStamp": "GPS GPSTimeStamp",
    "GPSDateStamp": "GPS GPSDate",
}
_IFD0, _EXIF_IFD, _GPS_IFD = None, 0x8769, 0x8825
_PILLOW_KEYS = {
    "Make": (_IFD0, 0x010F),
    "Model": (_IFD0, 0x0110),
    "Software": (_IFD0, 0x0131),
    "DateTime": (_IFD0, 0x0132),
    "DateTimeOriginal": (_EXIF_IFD, 0x9003),
    "OffsetTimeOriginal": (_EXIF_IFD, 0x9011),
    "GPSLatitudeRef": (_GPS_IFD, 1),
    "GPSLatitude": (_GPS_IFD, 2),
    "GPSLongitudeRef": (_GPS_IFD, 3),
    "GPSLongitude": (_GPS_IFD, 4),
    "GPSTimeStamp": (_GPS_IFD, 7),
    "GPSDateStamp": (_GPS_IFD, 29),
}

_DATE_RE = re.compile(r"^\s*(\d{4})[:\-/](\d{1,2})[:\-/](\d{1,2})")
_DATETIME_RE = re.compile(
    r"^\s*(\d{4})[:\-/](\d{1,2})[:\-/](\d{1,2})[ T]+(\d{1,2}):(\d{1,2}):(\d{1,2})"
)
_OFFSET_RE = re.compile(r"^([+-])(\d{2}):?(\d{2})$")


@dataclass(frozen=True)
class PhotoMeta:
    """What a photo's header and EXIF say, plus why anything could not be read."""

    format: str | None = None
    width: int | None = None
    height: int | None = None
    gps_lat: float | None = None
    gps_lon: float | None = None
    gps_time_utc: datetime | None = None
    gps_date_from_camera: bool = False
    camera_time: datetime | None = None
    offset_time: str | None = None
    make: str | None = None
    model: str | None = None
    software: str | None = None
    problems: tuple[str, ...] = ()


class _Bad(ValueError):
    """A tag value that cannot be used; the message is the user-facing reason."""


def read_photo(data: bytes, *, max_pixels: int = 50_000_000) -> PhotoMeta:
    """Read a photo's metadata from its bytes without decoding pixels; never raises."""
    try:
        with warnings.catch_warnings():
            # Pillow warns about every damaged tag and oversized image; the reasons that
            # matter are returned in problems, so the warnings would only be log noise.
            warnings.simplefilter("ignore")
            return _read_photo(bytes(data), max_pixels)
    except Exception as exc:  # noqa: BLE001 - a worker must get a reason, not a crash
        return PhotoMeta(problems=(f"unreadable: {type(exc).__name__}: {exc}"[:200],))


def _read_photo(data: bytes, max_pixels: int) -> PhotoMeta:
    if not data:
        return PhotoMeta(problems=("empty file",))
    header = probe_header(data, max_pixels)
    try:
        return _read_tags(data, header, max_pixels)
    finally:
        if header.image is not None:
            header.image.close()


def _read_tags(data: bytes, header: ImageHeader, max_pixels: int) -> PhotoMeta:
    problems: list[str] = []
    image, fmt, width, height = header.image, header.format, header.width, header.height
    if header.problem:
        problems.append(header.problem)
    if width is not None and height is not None and width * height > max_pixels:
        problems.append(f"image too large: {width}x{height}")
    if looks_truncated(data, fmt):
        problems.append("truncated file")

    tags, found, exif_problem = _exifread_tags(data)
    if image is not None and len(tags) < len(_EXIFREAD_KEYS):
        # exifread finds nothing in WebP, some HEIF brands and PNG eXIf, and gives up on
        # some damaged sub-IFDs; Pillow fills in whatever exifread did not deliver.
        pillow_tags, pillow_found, pillow_problem = _pillow_tags(image)
        for name, value in pillow_tags.items():
            tags.setdefault(name, value)
        found = found or pillow_found
        if found:
            exif_problem = None
        else:
            exif_problem = exif_problem or pillow_problem
    if exif_problem:
        problems.append(exif_problem)
    if not found:
        if not exif_problem and fmt is not None:
            problems.append("no EXIF")
        return PhotoMeta(format=fmt, width=width, height=height, problems=tuple(problems))

    make = _text(tags.get("Make"))
    model = _text(tags.get("Model"))
    software = _text(tags.get("Software"))
    offset_time = _text(tags.get("OffsetTimeOriginal"))

    camera_time = None
    for key in ("DateTimeOriginal", "DateTime"):
        raw = _text(tags.get(key))
        if raw is None:
            continue
        camera_time = _parse_datetime(raw)
        if camera_time is not None:
            break
        problems.append(f"{key} unreadable: {raw!r}")

    lat, lon = _gps_position(tags, problems)
    gps_time, from_camera = _gps_time(tags, camera_time, offset_time, problems)

    return PhotoMeta(
        format=fmt,
        width=width,
        height=height,
        gps_lat=lat,
        gps_lon=lon,
        gps_time_utc=gps_time,
        gps_date_from_camera=from_camera,
        camera_time=camera_time,
        offset_time=offset_time,
        make=make,
        model=model,
        software=software,
        problems=tuple(problems),
    )


# --- tag extraction -------------------------------------------------------------------


def _exifread_tags(data: bytes) -> tuple[dict[str, Any], bool, str | None]:
    """Return (our fields, whether any EXIF was found, a reason it could not be read)."""
    try:
        raw = exifread.process_file(io.BytesIO(data), details=False, extract_thumbnail=False)
    except Exception as exc:  # noqa: BLE001 - exifread raises on many malformed files
        return {}, False, f"EXIF unreadable: {type(exc).__name__}"
    tags: dict[str, Any] = {}
    for name, key in _EXIFREAD_KEYS.items():
        tag = raw.get(key)
        if tag is not None:
            tags[name] = getattr(tag, "values", tag)
    return tags, bool(raw), None


def _pillow_tags(image: Image.Image) -> tuple[dict[str, Any], bool, str | None]:
    """Return (our fields, whether any EXIF was found, a reason it could not be read)."""
    try:
        if image.format == "PNG" and "exif" not in image.info:
            # PngImageFile.getexif() decodes the whole image to look for a late eXIf
            # chunk; a PNG without one in its header has no EXIF we are willing to read.
            return {}, False, None
        exif = image.getexif()
        ifds: dict[int | None, Any] = {_IFD0: exif}
        for ifd in (_EXIF_IFD, _GPS_IFD):
            try:
                ifds[ifd] = exif.get_ifd(ifd)
            except Exception:  # noqa: BLE001 - a broken sub-IFD must not hide IFD0
                ifds[ifd] = {}
    except Exception as exc:  # noqa: BLE001
        return {}, False, f"EXIF unreadable: {type(exc).__name__}"
    tags: dict[str, Any] = {}
    for name, (ifd, tag_id) in _PILLOW_KEYS.items():
        value = ifds[ifd].get(tag_id)
        if value is not None:
            tags[name] = value
    return tags, len(exif) > 0, None


# --- value conversion -----------------------------------------------------------------


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, (bytes, bytearray)):
        value = bytes(value).decode("utf-8", errors="replace")
    elif isinstance(value, (list, tuple)):
        # exifread returns ASCII as str, but odd writers store text as BYTE arrays.
        if not all(isinstance(v, int) for v in value):
            return None
        value = bytes(v & 0xFF for v in value).decode("utf-8", errors="replace")
    elif not isinstance(value, str):
        value = str(value)
    # EXIF ASCII ends at the first NUL (as exiftool reads it); padding is noise.
    text = value.split("\x00", 1)[0].strip()
    return text or None


def _number(value: Any) -> float:
    if isinstance(value, tuple) and len(value) == 1:
        # exifread hands FLOAT/DOUBLE values over as struct.unpack 1-tuples.
        value = value[0]
    numerator = getattr(value, "numerator", None)
    denominator = getattr(value, "denominator", None)
    if numerator is not None and denominator is not None:
        if denominator == 0:
            raise _Bad("has a zero denominator")
        result = numerator / denominator
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        result = float(value)
    else:
        raise _Bad("is not a number")
    if not math.isfinite(result):
        raise _Bad("is not a finite number")
    return float(result)


def _components(value: Any) -> list[float]:
    if isinstance(value, (str, bytes)):
        raise _Bad("is not a number")
    items = list(value) if isinstance(value, (list, tuple)) else [value]
    if not 1 <= len(items) <= 3:
        raise _Bad(f"has {len(items)} components")
    numbers = [_number(v) for v in items]
    if any(n < 0 for n in numbers):
        raise _Bad("has a negative component")
    return numbers


def _coordinate(tags: dict[str, Any], name: str, refs: str, limit: float) -> float:
    key = "GPSLatitude" if name == "latitude" else "GPSLongitude"
    d, m, s = (_components(tags[key]) + [0.0, 0.0])[:3]
    value = d + m / 60.0 + s / 3600.0
    ref = _text(tags.get(key + "Ref"))
    if ref is None:
        raise _Bad("reference is missing")
    ref = ref.upper()[:1]
    if ref not in refs:
        raise _Bad(f"reference {ref!r} is not one of {', '.join(refs)}")
    if value > limit:
        raise _Bad(f"{round(value, 6)} out of range")
    # South and west are negative, as exiftool -n prints them.
    return -value if ref == refs[1] else value


def _gps_position(tags: dict[str, Any], problems: list[str]) -> tuple[float | None, float | None]:
    has_lat, has_lon = "GPSLatitude" in tags, "GPSLongitude" in tags
    if not has_lat and not has_lon:
        problems.append("no GPS position")
        return None, None
    if not (has_lat and has_lon):
        problems.append(f"GPS {'longitude' if has_lat else 'latitude'} is missing")
        return None, None
    try:
        lat = _coordinate(tags, "latitude", "NS", 90.0)
    except _Bad as bad:
        problems.append(f"GPS latitude {bad}")
        return None, None
    try:
        lon = _coordinate(tags, "longitude", "EW", 180.0)
    except _Bad as bad:
        problems.append(f"GPS longitude {bad}")
        return None, None
    if lat == 0.0 and lon == 0.0:
        # Phones write 0,0 when they had no fix; it is never a customer's address.
        problems.append("GPS position is 0,0 (no fix)")
        return None, None
    return lat, lon


def _time_of_day(value: Any) -> timedelta:
    h, m, s = (_components(value) + [0.0, 0.0])[:3]
    if h >= 24 or m >= 60 or s >= 61:
        raise _Bad(f"{h:g}:{m:g}:{s:g} out of range")
    return timedelta(hours=h, minutes=m, seconds=s)


def _gps_time(
    tags: dict[str, Any],
    camera_time: datetime | None,
    offset_time: str | None,
    problems: list[str],
) -> tuple[datetime | None, bool]:
    if "GPSTimeStamp" not in tags:
        problems.append("no GPS time stamp")
        return None, False
    try:
        time_of_day = _time_of_day(tags["GPSTimeStamp"])
    except _Bad as bad:
        problems.append(f"GPS time stamp {bad}")
        return None, False

    raw_date = _text(tags.get("GPSDateStamp"))
    gps_date = _parse_date(raw_date) if raw_date else None
    if raw_date and gps_date is None:
        problems.append(f"GPS date stamp unreadable: {raw_date!r}")
    if gps_date is not None:
        return datetime.combine(gps_date, datetime.min.time(), timezone.utc) + time_of_day, False

    if camera_time is None:
        problems.append("GPS time stamp without a date, and no camera time to take it from")
        return None, False
    return _date_from_camera(time_of_day, camera_time, offset_time), True


def _date_from_camera(time_of_day: timedelta, camera_time: datetime, offset: str | None) -> datetime:
    # The camera clock is local time, so its calendar date can be a day off the UTC
    # date near midnight (in China, 00:00-08:00 local is the previous UTC day). Pick
    # the UTC day that puts the GPS time closest to the camera's instant; with a known
    # offset that is exact, without one it assumes the zone is within ±12 h.
    offset_delta = _parse_offset(offset) if offset else None
    camera_utc = camera_time - (offset_delta or timedelta(0))
    best: datetime | None = None
    for shift in (-1, 0, 1):
        day = camera_utc.date() + timedelta(days=shift)
        candidate = datetime.combine(day, datetime.min.time()) + time_of_day
        if best is None or abs(candidate - camera_utc) < abs(best - camera_utc):
            best = candidate
    assert best is not None
    return best.replace(tzinfo=timezone.utc)


def _parse_date(text: str) -> date | None:
    match = _DATE_RE.match(text)
    if not match:
        return None
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def _parse_datetime(text: str) -> datetime | None:
    match = _DATETIME_RE.match(text)
    if not match:
        return None
    try:
        return datetime(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def _parse_offset(text: str) -> timedelta | None:
    match = _OFFSET_RE.match(text.strip())
    if not match:
        return None
    sign, hours, minutes = match.groups()
    delta = timedelta(hours=int(hours), minutes=int(minutes))
    return -delta if sign == "-" else delta
