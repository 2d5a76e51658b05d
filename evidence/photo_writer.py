"""Synthetic visit photos with real EXIF (camera, time, GPS) for the demo and tests."""

from __future__ import annotations

import hashlib
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


def _picture(width: int, height: int, color: tuple[int, int, int], scene: int) -> Image.Image:
    # A gradient with shapes and text compresses like a real photo and shows something
    # recognisable in the demo, unlike a flat colour. The scene moves the house, the
    # light and the furniture (cars, signs, people): two visits must not produce the
    # same picture, or the perceptual-hash reuse check would rightly call it reused.
    rng = np.random.default_rng(scene)
    w, h = width, height
    y = np.linspace(*rng.permutation([0.45, 1.0]), height, dtype=np.float32)[:, None, None]
    x = np.linspace(*rng.permutation([0.7, 1.15]), width, dtype=np.float32)[None, :, None]
    base = np.array(color, dtype=np.float32)[None, None, :]
    # Light and shade at the scale a perceptual hash looks at (an 8x8 grid, smoothed).
    shade = Image.fromarray(rng.integers(90, 256, (6, 8), dtype=np.uint8), "L")
    shade = np.asarray(shade.resize((width, height), Image.Resampling.BICUBIC), dtype=np.float32)
    pixels = np.clip(base * y * x * (shade[:, :, None] / 200.0), 0, 255).astype(np.uint8)
    image = Image.fromarray(pixels, "RGB")
    draw = ImageDraw.Draw(image)
    for _ in range(8):
        x0, y0 = rng.uniform(-0.1, 0.8) * w, rng.uniform(0.0, 0.8) * h
        x1, y1 = x0 + rng.uniform(0.1, 0.4) * w, y0 + rng.uniform(0.1, 0.4) * h
        fill = tuple(int(v) for v in rng.integers(0, 256, 3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)((x0, y0, x1, y1), fill=fill)
    dx = rng.uniform(-0.1, 0.4) * w
    draw.rectangle((dx + w * 0.15, h * 0.45, dx + w * 0.55, h * 0.9), fill=(200, 190, 170), outline=(60, 50, 40))
    draw.polygon([(dx + w * 0.1, h * 0.47), (dx + w * 0.35, h * 0.25), (dx + w * 0.6, h * 0.47)], fill=(150, 60, 50))
    draw.rectangle((dx + w * 0.3, h * 0.65, dx + w * 0.4, h * 0.9), fill=(90, 60, 40))
    sx = rng.uniform(0.05, 0.8) * w
    draw.ellipse((sx, h * 0.08, sx + w * 0.16, h * 0.08 + w * 0.16), fill=(250, 220, 120))
    draw.text((w * 0.05, h * 0.03), "actionproof visit", fill=(255, 255, 255))
    return image


def _scene_seed(*parts: object) -> int:
    # Deterministic across runs (unlike hash()): the same arguments give the same photo.
    return int.from_bytes(hashlib.sha256(repr(parts).encode()).digest()[:8], "big")


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
    scene: int | None = None,
) -> bytes:
    """Return an encoded photo whose EXIF carries the given camera, times and WGS-84 GPS.

    `scene` picks the picture's furniture; by default it follows the GPS position,
    times and colour, so photos of different visits look (and hash) different.
    """
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
    if scene is None:
        scene = _scene_seed(gps, gps_time_utc, camera_time, color)
    image = _picture(width, height, color, scene)
    options: dict[str, object] = {"exif": exif.tobytes()}
    if save_format == "JPEG":
        options["quality"] = 88
    image.save(out, save_format, **options)
    return out.getvalue()


# --- copies of a photo, as a rep reusing it would make them ---------------------------


def _encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    image.save(out, fmt, **options)
    return out.getvalue()


def _screenshot(image: Image.Image, screen: tuple[int, int], background: tuple[int, int, int]) -> Image.Image:
    # A phone photo viewer: the photo fitted to the screen between flat bars, a status
    # bar (clock, battery) on top and a toolbar of icons at the bottom.
    sw, sh = screen
    scale = min(sw / image.width, sh * 0.8 / image.height)
    shown = image.convert("RGB").resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))),
                                        Image.Resampling.BILINEAR)
    canvas = Image.new("RGB", screen, background)
    canvas.paste(shown, ((sw - shown.width) // 2, (sh - shown.height) // 2))
    draw = ImageDraw.Draw(canvas)
    ink = (255 - background[0], 255 - background[1], 255 - background[2])
    bar = max(12, sh // 40)
    draw.text((sw * 0.05, bar * 0.3), "9:41", fill=ink)
    draw.rectangle((sw * 0.85, bar * 0.3, sw * 0.93, bar * 0.7), outline=ink)
    draw.rectangle((sw * 0.85, bar * 0.3, sw * 0.9, bar * 0.7), fill=ink)
    for k in range(4):
        x = sw * (0.12 + 0.22 * k)
        draw.ellipse((x, sh - bar * 3, x + bar * 1.5, sh - bar * 1.5), outline=ink, width=2)
    return canvas


def make_copies(data: bytes, *, long_side: int | None = 1600) -> dict[str, bytes]:
    """Copies of a photo a rep could pass off as new: re-encoded, resized, 5%-cropped, screenshotted.

    `long_side` first reduces big originals (as a chat app or the CRM app would); the
    copies are made from that picture. Keys name the transformation.
    """
    from PIL import ImageOps

    from evidence.image_header import open_formats

    source = Image.open(io.BytesIO(data), formats=open_formats())
    if source.format in ("JPEG", "MPO") and long_side:
        source.draft("RGB", (long_side // 2, long_side // 2))
    picture = ImageOps.exif_transpose(source).convert("RGB")
    if long_side and max(picture.size) > long_side:
        picture.thumbnail((long_side, long_side), Image.Resampling.LANCZOS)
    w, h = picture.size
    cx, cy = round(w * 0.025), round(h * 0.025)
    ex = round(w * 0.05)
    return {
        "reencoded_q60": _encode(picture, "JPEG", quality=60),
        "resized_60pct": _encode(picture.resize((w * 3 // 5, h * 3 // 5), Image.Resampling.LANCZOS), "JPEG", quality=85),
        "resized_1080_webp": _encode(_fit(picture, 1080), "WEBP", quality=80),
        "cropped_5pct_centre": _encode(picture.crop((cx, cy, w - cx, h - cy)), "JPEG", quality=90),
        "cropped_5pct_edge": _encode(picture.crop((ex, 0, w, h)), "JPEG", quality=90),
        "screenshot_black_png": _encode(_screenshot(picture, (1080, 2340), (0, 0, 0)), "PNG", compress_level=1),
        "screenshot_white_jpeg": _encode(_screenshot(picture, (1170, 2532), (255, 255, 255)), "JPEG", quality=75),
        "screenshot_landscape_png": _encode(_screenshot(picture, (2340, 1080), (0, 0, 0)), "PNG", compress_level=1),
    }


def _fit(image: Image.Image, side: int) -> Image.Image:
    copy = image.copy()
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    return copy
