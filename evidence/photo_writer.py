"""Synthetic visit photos with real EXIF (camera, time, GPS) for the demo and tests."""

from __future__ import annotations

import io
from datetime import datetime, timezone
from fractions import Fraction

import numpy as np
from PIL import Image, ImageDraw
from PIL.TiffImagePlugin import IFDRational

_EXIF_IFD, _GPS_IFD = 0x8769, 0x8825
# Microsecond/micro-arc-second denominators keep positions exact to ~3 cm and times to
# 1 µs while numerators stay inside EXIF's unsigned 32-bit range.
_DENOMINATOR = 1_000_000

_SAVE_FORMATS = {"JPEG": "JPEG", "JPG": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "TIFF": "TIFF",
                 "HEIF": "HEIF", "HEIC": "HEIF"}


def _rational(value: float) -> IFDRational:
    fraction = Fraction(value).limit_denominator(_DENOMINATOR)
    return IFDRational(fraction.numerator, fraction.denominator)


def _dms(value: float) -> tuple[IFDRational, IFDRational, IFDRational]:
    value = abs(value)
    degrees = int(value)
    minutes_float = (value - degrees) * 60
    minutes = int(minutes_float)
    seconds = round((minutes_float - minutes) * 60, 6)
    return IFDRational(degrees, 1), IFDRational(minutes, 1), _rational(seconds)


def _exif_datetime(value: datetime) -> str:
    return value.strftime("%Y:%m:%d %H:%M:%S")


def _picture(width: int, height: int, color: tuple[int, int, int]) -> Image.Image:
    # A gradient with shapes and text compresses like a real photo and shows something
    # recognisable in the demo, unlike a flat colour.
    y = np.linspace(0.55, 1.0, height, dtype=np.float32)[:, None, None]
    x = np.linspace(0.8, 1.1, width, dtype=np.float32)[None, :, None]
    base = np.array(color, dtype=np.float32)[None, None, :]
    pixels = np.clip(base * y * x, 0, 255).astype(np.uint8)
    image = Image.fromarray(pixels, "RGB")
    draw = ImageDraw.Draw(image)
    w, h = width, height
    draw.rectangle((w * 0.15, h * 0.45, w * 0.55, h * 0.9), fill=(200, 190, 170), outline=(60, 50, 40))
    draw.polygon([(w * 0.1, h * 0.47), (w * 0.35, h * 0.25), (w * 0.6, h * 0.47)], fill=(150, 60, 50))
    draw.rectangle((w * 0.3, h * 0.65, w * 0.4, h * 0.9), fill=(90, 60, 40))
    draw.ellipse((w * 0.72, h * 0.08, w * 0.88, h * 0.08 + w * 0.16), fill=(250, 220, 120))
    draw.text((w * 0.05, h * 0.03), "actionproof visit", fill=(255, 255, 255))
    return image


def make_photo(
    *,
    width: int = 640,
    height: int = 480,
    color: tuple[int, int, int] = (90, 140, 200),
    gps: tuple[float, float] | None = None,
    gps_time_utc: datetime | None = None,
    camera_time: datetime | None = None,
    make: str | None = "Xiaomi",
    model: str | None = "Redmi Note 12",
    software: str | None = None,
    fmt: str = "JPEG",
) -> bytes:
    """Return an encoded photo whose EXIF carries the given camera, times and WGS-84 GPS."""
    save_format = _SAVE_FORMATS.get(fmt.upper())
    if save_format is None:
        raise ValueError(f"unsupported format {fmt!r}")
    if save_format == "HEIF":
        from pillow_heif import register_heif_opener

        register_heif_opener()

    exif = Image.Exif()
    for tag, value in ((0x010F, make), (0x0110, model), (0x0131, software)):
        if value is not None:
            exif[tag] = value
    if camera_time is not None:
        exif[0x0132] = _exif_datetime(camera_time)
        exif_ifd = exif.get_ifd(_EXIF_IFD)
        exif_ifd[0x9003] = _exif_datetime(camera_time)  # DateTimeOriginal
        exif_ifd[0x9004] = _exif_datetime(camera_time)  # DateTimeDigitized
        if camera_time.tzinfo is not None and camera_time.utcoffset() is not None:
            minutes = int(camera_time.utcoffset().total_seconds() // 60)
            sign = "-" if minutes < 0 else "+"
            exif_ifd[0x9011] = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    if gps is not None or gps_time_utc is not None:
        gps_ifd = exif.get_ifd(_GPS_IFD)
        gps_ifd[0] = b"\x02\x03\x00\x00"  # GPSVersionID 2.3
        if gps is not None:
            lat, lon = gps
            gps_ifd[1] = "N" if lat >= 0 else "S"
            gps_ifd[2] = _dms(lat)
            gps_ifd[3] = "E" if lon >= 0 else "W"
            gps_ifd[4] = _dms(lon)
            gps_ifd[18] = "WGS-84"
        if gps_time_utc is not None:
            t = gps_time_utc.astimezone(timezone.utc) if gps_time_utc.tzinfo else gps_time_utc
            seconds = t.second + t.microsecond / 1_000_000
            gps_ifd[7] = (IFDRational(t.hour, 1), IFDRational(t.minute, 1), _rational(seconds))
            gps_ifd[29] = t.strftime("%Y:%m:%d")

    out = io.BytesIO()
    image = _picture(width, height, color)
    options: dict[str, object] = {"exif": exif.tobytes()}
    if save_format == "JPEG":
        options["quality"] = 88
    image.save(out, save_format, **options)
    return out.getvalue()
