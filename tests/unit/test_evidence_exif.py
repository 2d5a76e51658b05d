"""EXIF reading: the exiftool oracle for real photos, malformed GPS, and fuzzed files."""

from __future__ import annotations

import io
import json
import math
import random
import struct
import time
import zlib
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image

from evidence.exif import PhotoMeta, read_photo
from evidence.photo_writer import make_photo

# exiftool's FileType for the manifest's formats, as PhotoMeta names them.
_FORMATS = {"JPEG": "JPEG", "HEIC": "HEIF", "TIFF": "TIFF", "PNG": "PNG", "Extended WEBP": "WEBP"}


# --- the oracle ---------------------------------------------------------------------


def _assert_time_of_day(got: datetime, oracle: str) -> None:
    hh, mm, ss = oracle.split(":")
    assert (got.hour, got.minute) == (int(hh), int(mm))
    seconds = Decimal(got.second) + Decimal(got.microsecond) / Decimal(1_000_000)
    # Compared at the precision exiftool printed ("07.24" -> hundredths, "24" -> seconds).
    digits = len(ss.split(".")[1]) if "." in ss else 0
    assert seconds.quantize(Decimal(1).scaleb(-digits)) == Decimal(ss)


def _parse_exif_date(text: str) -> date:
    return datetime.strptime(text, "%Y:%m:%d").date()


def test_exif_matches_exiftool_oracle(field_data: Path, photo_case: dict) -> None:
    meta = read_photo((field_data / "photos" / photo_case["file"]).read_bytes())
    oracle = photo_case["oracle"]
    assert isinstance(meta, PhotoMeta)
    assert meta.format == _FORMATS[photo_case["format"]]

    for ours, key in ((meta.gps_lat, "GPSLatitude"), (meta.gps_lon, "GPSLongitude")):
        if oracle[key] is None:
            assert ours is None, key
        else:
            assert ours == pytest.approx(oracle[key], abs=1e-6), (key, meta.problems)

    stamp, day = oracle["GPSTimeStamp"], oracle["GPSDateStamp"]
    if stamp is None:
        assert meta.gps_time_utc is None
    else:
        assert meta.gps_time_utc is not None, meta.problems
        assert meta.gps_time_utc.utcoffset() == timedelta(0)
        _assert_time_of_day(meta.gps_time_utc, stamp)
        if day is not None:
            assert meta.gps_time_utc.date() == _parse_exif_date(day)
            assert meta.gps_date_from_camera is False
        else:
            # No GPSDateStamp: the UTC date comes from DateTimeOriginal (±1 day at most).
            assert meta.gps_date_from_camera is True
            camera = datetime.strptime(oracle["DateTimeOriginal"], "%Y:%m:%d %H:%M:%S")
            assert abs(meta.gps_time_utc.date() - camera.date()) <= timedelta(days=1)

    if oracle["DateTimeOriginal"] is not None:
        assert meta.camera_time == datetime.strptime(oracle["DateTimeOriginal"], "%Y:%m:%d %H:%M:%S")
        assert meta.camera_time.tzinfo is None
    # (When DateTimeOriginal is absent, camera_time may legitimately come from DateTime.)
    assert meta.offset_time == oracle["OffsetTimeOriginal"]
    assert meta.make == oracle["Make"]
    assert meta.model == oracle["Model"]
    software = oracle["Software"]
    if isinstance(software, (int, float)):
        # exiftool -n printed a numeric-looking string ("8.3", "1.00") as a JSON number.
        assert meta.software is not None and float(meta.software) == pytest.approx(software)
    else:
        assert meta.software == software


def test_every_oracle_gps_file_is_read(field_data: Path) -> None:
    manifest = json.loads((field_data / "photos" / "manifest.json").read_text(encoding="utf-8"))
    with_gps = [f for f in manifest["files"] if f["oracle"]["GPSLatitude"] is not None]
    read = []
    for entry in with_gps:
        meta = read_photo((field_data / "photos" / entry["file"]).read_bytes())
        if meta.gps_lat is not None and abs(meta.gps_lat - entry["oracle"]["GPSLatitude"]) <= 1e-6:
            read.append(entry["file"])
    # 14 of the 40 files carry a GPS position (JPEG, HEIC and HEIF); all must be read.
    assert len(with_gps) >= 14
    assert read == [f["file"] for f in with_gps]


def test_broken_corpus_files_give_reasons(field_data: Path) -> None:
    folder = field_data / "photos" / "jpg"
    files = sorted((folder / "invalid").iterdir()) + sorted((folder / "tests").iterdir())
    files.append(folder / "corrupted.jpg")
    assert len(files) >= 18
    for path in files:
        meta = read_photo(path.read_bytes())
        assert isinstance(meta, PhotoMeta), path.name
        assert meta.problems, path.name
        assert all(isinstance(p, str) and p for p in meta.problems), path.name
        # None of them carries GPS; damage must not conjure a position or time.
        assert meta.gps_lat is None and meta.gps_time_utc is None, path.name


# --- hand-built EXIF with malformed GPS ------------------------------------------------

ASCII, SHORT, LONG, RATIONAL, SRATIONAL, DOUBLE = 2, 3, 4, 5, 10, 12


def _entry(tag: int, kind: int, value) -> tuple[int, int, int, bytes]:
    if kind == ASCII:
        raw = value.encode() + b"\0"
        return tag, kind, len(raw), raw
    if kind == LONG:
        return tag, kind, 1, struct.pack("<I", value)
    if kind in (RATIONAL, SRATIONAL):
        fmt = "<II" if kind == RATIONAL else "<ii"
        return tag, kind, len(value), b"".join(struct.pack(fmt, n, d) for n, d in value)
    if kind == DOUBLE:
        return tag, kind, len(value), b"".join(struct.pack("<d", v) for v in value)
    raise ValueError(kind)


def _ifd(entries: list[tuple[int, int, int, bytes]], offset: int) -> bytes:
    data_offset = offset + 2 + 12 * len(entries) + 4
    head, data = struct.pack("<H", len(entries)), b""
    for tag, kind, count, raw in sorted(entries):
        if len(raw) <= 4:
            head += struct.pack("<HHI", tag, kind, count) + raw.ljust(4, b"\0")
        else:
            head += struct.pack("<HHII", tag, kind, count, data_offset + len(data))
            data += raw + (b"\0" if len(raw) % 2 else b"")
    return head + struct.pack("<I", 0) + data


def _tiff(ifd0: list, gps: list | None) -> bytes:
    entries = list(ifd0)
    if gps is not None:
        entries.append(_entry(0x8825, LONG, 0))  # placeholder, same size as the real one
        gps_offset = 8 + len(_ifd(entries, 8))
        entries[-1] = _entry(0x8825, LONG, gps_offset)
    body = _ifd(entries, 8)
    if gps is not None:
        body += _ifd(gps, 8 + len(body))
    return b"II*\0" + struct.pack("<I", 8) + body


def _jpeg_with_exif(tiff: bytes) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (120, 80, 40)).save(out, "JPEG")
    plain = out.getvalue()
    payload = b"Exif\0\0" + tiff
    return plain[:2] + b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload + plain[2:]


_IFD0 = [_entry(0x010F, ASCII, "Xiaomi"), _entry(0x0110, ASCII, "Redmi Note 12"),
         _entry(0x0132, ASCII, "2026:03:02 09:30:00")]
_GOOD_LAT = [_entry(1, ASCII, "N"), _entry(2, RATIONAL, [(30, 1), (16, 1), (2676, 100)])]
_GOOD_LON = [_entry(3, ASCII, "E"), _entry(4, RATIONAL, [(120, 1), (9, 1), (1836, 100)])]
_GOOD_TIME = [_entry(7, RATIONAL, [(1, 1), (30, 1), (5, 1)]), _entry(29, ASCII, "2026:03:02")]


def _photo(gps: list) -> PhotoMeta:
    return read_photo(_jpeg_with_exif(_tiff(_IFD0, gps)))


def test_hand_built_exif_reads_back() -> None:
    meta = _photo(_GOOD_LAT + _GOOD_LON + _GOOD_TIME)
    assert meta.gps_lat == pytest.approx(30.2741, abs=1e-9)
    assert meta.gps_lon == pytest.approx(120.1551, abs=1e-9)
    assert meta.gps_time_utc == datetime(2026, 3, 2, 1, 30, 5, tzinfo=timezone.utc)
    assert meta.camera_time == datetime(2026, 3, 2, 9, 30)  # DateTime fallback
    assert meta.make == "Xiaomi" and meta.problems == ()


@pytest.mark.parametrize(
    ("gps", "problem"),
    [
        ([_entry(1, ASCII, "N"), _entry(2, RATIONAL, [(30, 1), (16, 0), (0, 1)])] + _GOOD_LON,
         "GPS latitude has a zero denominator"),
        ([_entry(1, ASCII, "N"), _entry(2, RATIONAL, [(0, 0), (0, 0), (0, 0)])] + _GOOD_LON,
         "GPS latitude has a zero denominator"),
        ([_entry(1, ASCII, "N"), _entry(2, RATIONAL, [(91, 1), (0, 1), (0, 1)])] + _GOOD_LON,
         "GPS latitude 91.0 out of range"),
        (_GOOD_LAT + [_entry(3, ASCII, "E"), _entry(4, RATIONAL, [(181, 1), (0, 1), (0, 1)])],
         "GPS longitude 181.0 out of range"),
        ([_entry(1, ASCII, "N"), _entry(2, SRATIONAL, [(30, 1), (16, 1), (-5, 1)])] + _GOOD_LON,
         "GPS latitude has a negative component"),
        ([_entry(1, ASCII, "N"), _entry(2, DOUBLE, [math.nan, 0.0, 0.0])] + _GOOD_LON,
         "GPS latitude is not a finite number"),
        ([_entry(2, RATIONAL, [(30, 1), (16, 1), (0, 1)])] + _GOOD_LON,
         "GPS latitude reference is missing"),
        ([_entry(1, ASCII, "Q"), _entry(2, RATIONAL, [(30, 1), (16, 1), (0, 1)])] + _GOOD_LON,
         "GPS latitude reference 'Q' is not one of N, S"),
        (_GOOD_LAT, "GPS longitude is missing"),
        ([_entry(1, ASCII, "N"), _entry(2, RATIONAL, [(0, 1), (0, 1), (0, 1)]),
          _entry(3, ASCII, "E"), _entry(4, RATIONAL, [(0, 1), (0, 1), (0, 1)])],
         "GPS position is 0,0 (no fix)"),
    ],
    ids=["zero-den", "all-zero-den", "lat-91", "lon-181", "negative-seconds", "nan-double",
         "missing-ref", "bad-ref", "no-longitude", "null-island"],
)
def test_malformed_gps_position_gives_problem(gps: list, problem: str) -> None:
    meta = _photo(gps + _GOOD_TIME)
    assert problem in meta.problems
    assert meta.gps_lat is None and meta.gps_lon is None
    # The time stamps are independent of the broken position and still read.
    assert meta.gps_time_utc == datetime(2026, 3, 2, 1, 30, 5, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("stamp", "problem"),
    [
        ([(1, 1), (30, 0), (5, 1)], "GPS time stamp has a zero denominator"),
        ([(25, 1), (30, 1), (5, 1)], "GPS time stamp 25:30:5 out of range"),
    ],
)
def test_malformed_gps_time_gives_problem(stamp: list, problem: str) -> None:
    meta = _photo(_GOOD_LAT + _GOOD_LON + [_entry(7, RATIONAL, stamp), _entry(29, ASCII, "2026:03:02")])
    assert problem in meta.problems
    assert meta.gps_time_utc is None
    assert meta.gps_lat == pytest.approx(30.2741, abs=1e-9)


def test_unreadable_gps_date_falls_back_to_camera_date() -> None:
    meta = _photo(_GOOD_LAT + _GOOD_LON + [_entry(7, RATIONAL, [(1, 1), (30, 1), (5, 1)]),
                                           _entry(29, ASCII, "2026:13:45")])
    assert "GPS date stamp unreadable: '2026:13:45'" in meta.problems
    assert meta.gps_date_from_camera is True
    assert meta.gps_time_utc == datetime(2026, 3, 2, 1, 30, 5, tzinfo=timezone.utc)


def test_gps_time_without_date_or_camera_time() -> None:
    ifd0 = [_entry(0x010F, ASCII, "Xiaomi")]
    meta = read_photo(_jpeg_with_exif(_tiff(ifd0, _GOOD_LAT + _GOOD_LON + [_entry(7, RATIONAL, [(1, 1), (30, 1), (5, 1)])])))
    assert meta.gps_time_utc is None
    assert any("without a date" in p for p in meta.problems)


@pytest.mark.parametrize(
    ("camera", "gps_utc", "expected"),
    [
        # Shanghai 07:30 local on 2 March is 23:30 UTC on 1 March: the UTC day differs.
        (datetime(2026, 3, 2, 7, 30, tzinfo=timezone(timedelta(hours=8))),
         datetime(2026, 3, 1, 23, 30, 5, tzinfo=timezone.utc), datetime(2026, 3, 1, 23, 30, 5, tzinfo=timezone.utc)),
        # Without an offset the nearest UTC day to the camera clock is chosen.
        (datetime(2026, 3, 2, 7, 30), datetime(2026, 3, 1, 23, 30, 5, tzinfo=timezone.utc),
         datetime(2026, 3, 1, 23, 30, 5, tzinfo=timezone.utc)),
        (datetime(2026, 3, 1, 18, 0, tzinfo=timezone(timedelta(hours=-7))),
         datetime(2026, 3, 2, 1, 0, 2, tzinfo=timezone.utc), datetime(2026, 3, 2, 1, 0, 2, tzinfo=timezone.utc)),
    ],
)
def test_gps_date_from_camera_picks_the_right_utc_day(camera: datetime, gps_utc: datetime, expected: datetime) -> None:
    data = make_photo(width=64, height=48, gps=(30.2741, 120.1551), gps_time_utc=gps_utc, camera_time=camera)
    meta = read_photo(_drop_gps_date(data))
    assert meta.gps_date_from_camera is True
    assert meta.gps_time_utc == expected


def _drop_gps_date(data: bytes) -> bytes:
    # Rewrite the GPSDateStamp tag id (29) to an unused one so the stamp has no date.
    marker = struct.pack("<HH", 29, ASCII)
    assert data.count(marker) == 1
    return data.replace(marker, struct.pack("<HH", 0x7F00, ASCII))


# --- fuzz ---------------------------------------------------------------------------

_FIX = datetime(2026, 3, 2, 1, 30, 5, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def sample_jpeg() -> bytes:
    return make_photo(width=160, height=120, gps=(30.2741, 120.1551), gps_time_utc=_FIX,
                      camera_time=datetime(2026, 3, 2, 9, 30, 4))


def test_zero_length() -> None:
    assert read_photo(b"").problems == ("empty file",)


def test_text_renamed_jpg() -> None:
    meta = read_photo(b"Customer visit notes: arrived 09:30, left 10:15.\n" * 20)
    assert meta.format is None and meta.gps_lat is None
    assert "not an image" in meta.problems


def test_non_bytes_input_does_not_raise() -> None:
    meta = read_photo(None)  # type: ignore[arg-type]
    assert meta.problems and meta.problems[0].startswith("unreadable")


def test_truncated_jpeg(sample_jpeg: bytes) -> None:
    meta = read_photo(sample_jpeg[: len(sample_jpeg) * 2 // 3])
    assert "truncated file" in meta.problems
    # The header and EXIF are at the front, so they still read.
    assert meta.gps_lat == pytest.approx(30.2741, abs=1e-6)
    for cut in (3, 20, 100, 300):
        assert isinstance(read_photo(sample_jpeg[:cut]).problems, tuple)
        assert read_photo(sample_jpeg[:cut]).problems


def test_intact_jpeg_is_not_truncated(sample_jpeg: bytes) -> None:
    assert read_photo(sample_jpeg).problems == ()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP", "TIFF"])
def test_bit_flips_never_raise(fmt: str) -> None:
    base = make_photo(width=48, height=32, gps=(30.2741, 120.1551), gps_time_utc=_FIX,
                      camera_time=datetime(2026, 3, 2, 9, 30, 4), fmt=fmt)
    rng = random.Random(f"actionproof-{fmt}")
    # Most flips land in the EXIF block, where the parsers do the risky work.
    hot = min(len(base), 600)
    for _ in range(150):
        data = bytearray(base)
        for _ in range(rng.randint(1, 8)):
            i = rng.randrange(hot) if rng.random() < 0.8 else rng.randrange(len(data))
            data[i] ^= 1 << rng.randrange(8)
        meta = read_photo(bytes(data))
        assert isinstance(meta, PhotoMeta)
        if meta.gps_lat is not None:
            assert -90 <= meta.gps_lat <= 90 and -180 <= meta.gps_lon <= 180
        if meta.gps_time_utc is not None:
            assert meta.gps_time_utc.tzinfo is not None


def _jpeg_claiming(width: int, height: int) -> bytes:
    data = bytearray(make_photo(width=64, height=48))
    sof = data.find(b"\xff\xc0")
    assert sof > 0
    struct.pack_into(">HH", data, sof + 5, height, width)
    return bytes(data)


def _png_claiming(width: int, height: int) -> bytes:
    data = bytearray(make_photo(width=64, height=48, fmt="PNG"))
    assert data[12:16] == b"IHDR"
    struct.pack_into(">II", data, 16, width, height)
    struct.pack_into(">I", data, 29, zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def _webp_claiming(width: int, height: int) -> bytes:
    # An extended (VP8X) WebP header: the canvas size Pillow checks before decoding.
    data = bytearray(make_photo(width=64, height=48, fmt="WEBP"))
    if data[12:16] != b"VP8X":
        vp8x = b"VP8X" + struct.pack("<I", 10) + bytes([0x08, 0, 0, 0]) + bytes(6)
        data[12:12] = vp8x
        struct.pack_into("<I", data, 4, len(data) - 8)
    data[24:27] = (width - 1).to_bytes(3, "little")
    data[27:30] = (height - 1).to_bytes(3, "little")
    return bytes(data)


def _tiff_claiming(width: int, height: int) -> bytes:
    # Patch ImageWidth/ImageLength (256/257) in IFD0; TIFF sizes come from Pillow's plugin.
    data = bytearray(make_photo(width=64, height=48, fmt="TIFF"))
    endian = "<" if data[:2] == b"II" else ">"
    ifd = struct.unpack_from(endian + "I", data, 4)[0]
    (count,) = struct.unpack_from(endian + "H", data, ifd)
    for k in range(count):
        at = ifd + 2 + 12 * k
        tag, kind = struct.unpack_from(endian + "HH", data, at)
        if tag in (256, 257):
            value = width if tag == 256 else height
            struct.pack_into(endian + "HII", data, at + 2, LONG, 1, value)
    return bytes(data)


@pytest.mark.parametrize(
    "build", [_jpeg_claiming, _png_claiming, _webp_claiming, _tiff_claiming], ids=["jpeg", "png", "webp", "tiff"]
)
@pytest.mark.parametrize("size", [20000, 10000])
def test_huge_header_is_refused_without_decoding(build, size: int) -> None:
    data = build(size, size)
    started = time.perf_counter()
    meta = read_photo(data)
    elapsed = time.perf_counter() - started
    assert f"image too large: {size}x{size}" in meta.problems
    assert (meta.width, meta.height) == (size, size)
    # Decoding 100-400 megapixels would take seconds and gigabytes.
    assert elapsed < 1.0


def test_max_pixels_is_configurable(sample_jpeg: bytes) -> None:
    assert read_photo(sample_jpeg, max_pixels=160 * 120).problems == ()
    assert read_photo(sample_jpeg, max_pixels=160 * 120 - 1).problems == ("image too large: 160x120",)


def test_png_without_exif() -> None:
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, "PNG")
    meta = read_photo(out.getvalue())
    assert meta.format == "PNG" and meta.problems == ("no EXIF",)
