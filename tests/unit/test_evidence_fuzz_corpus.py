"""No crash on any real-world file: the field-data photos plus a generated corpus of broken ones.

Every file goes through read_photo, photo_hash, editing_signals and photo_report: no
exception escapes, a broken file gets a reason, each file finishes within a time bound,
and an image whose header claims 20000×20000 pixels is refused from the header in < 1 s
(and without the memory a decode would need: checked under an address-space limit).
"""

from __future__ import annotations

import io
import json
import math
import os
import random
import struct
import subprocess
import sys
import time
import zlib
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path

import pytest
from PIL import Image

from evidence.exif import PhotoMeta, read_photo
from evidence.flags import Flag
from evidence.phash import PhotoHash, photo_hash
from evidence.photo_writer import make_photo
from evidence.report import photo_report
from evidence.tamper import editing_signals

NOW = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)
FIX = datetime(2026, 3, 2, 1, 30, 5, tzinfo=timezone.utc)
HUGE = 20000
# Per file, all four functions together (photo_report reads and hashes again). Generous
# because the machine is shared; a decode of a refused image would take far longer.
FILE_BOUND_S = 3.0
HUGE_BOUND_S = 1.0


def _base(fmt: str) -> bytes:
    return make_photo(width=400, height=300, gps=(30.2741, 120.1551), gps_time_utc=FIX,
                      camera_time=datetime(2026, 3, 2, 9, 30, 4), fmt=fmt)


# --- hand-built EXIF (zero denominators, NaN, latitude 91°, negative seconds) ----------

ASCII, LONG, RATIONAL, SRATIONAL, DOUBLE = 2, 4, 5, 10, 12


def _entry(tag: int, kind: int, value) -> tuple[int, int, int, bytes]:
    if kind == ASCII:
        raw = value.encode() + b"\0"
        return tag, kind, len(raw), raw
    if kind == LONG:
        return tag, kind, 1, struct.pack("<I", value)
    if kind in (RATIONAL, SRATIONAL):
        fmt = "<II" if kind == RATIONAL else "<ii"
        return tag, kind, len(value), b"".join(struct.pack(fmt, n, d) for n, d in value)
    return tag, kind, len(value), b"".join(struct.pack("<d", v) for v in value)


def _ifd(entries: list, offset: int) -> bytes:
    data_offset = offset + 2 + 12 * len(entries) + 4
    head, data = struct.pack("<H", len(entries)), b""
    for tag, kind, count, raw in sorted(entries):
        if len(raw) <= 4:
            head += struct.pack("<HHI", tag, kind, count) + raw.ljust(4, b"\0")
        else:
            head += struct.pack("<HHII", tag, kind, count, data_offset + len(data))
            data += raw + (b"\0" if len(raw) % 2 else b"")
    return head + struct.pack("<I", 0) + data


def _jpeg_with_gps(gps: list) -> bytes:
    ifd0 = [_entry(0x010F, ASCII, "Xiaomi"), _entry(0x0110, ASCII, "Redmi Note 12"),
            _entry(0x0132, ASCII, "2026:03:02 09:30:00"), _entry(0x8825, LONG, 0)]
    ifd0[-1] = _entry(0x8825, LONG, 8 + len(_ifd(ifd0, 8)))
    body = _ifd(ifd0, 8)
    body += _ifd(gps, 8 + len(body))
    payload = b"Exif\0\0" + b"II*\0" + struct.pack("<I", 8) + body
    plain = io.BytesIO()
    Image.effect_noise((320, 320), 60).convert("RGB").save(plain, "JPEG")
    jpeg = plain.getvalue()
    return jpeg[:2] + b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload + jpeg[2:]


_LON = [_entry(3, ASCII, "E"), _entry(4, RATIONAL, [(120, 1), (9, 1), (1836, 100)])]
_TIME = [_entry(7, RATIONAL, [(1, 1), (30, 1), (5, 1)]), _entry(29, ASCII, "2026:03:02")]


def _exif_cases() -> dict[str, bytes]:
    lat = lambda kind, value: [_entry(1, ASCII, "N"), _entry(2, kind, value)]  # noqa: E731
    return {
        "exif-zero-denominator": _jpeg_with_gps(lat(RATIONAL, [(30, 1), (16, 0), (0, 1)]) + _LON + _TIME),
        "exif-all-zero-denominators": _jpeg_with_gps(lat(RATIONAL, [(0, 0)] * 3) + _LON
                                                     + [_entry(7, RATIONAL, [(0, 0)] * 3)]),
        "exif-nan": _jpeg_with_gps(lat(DOUBLE, [math.nan, 0.0, 0.0]) + _LON + _TIME),
        "exif-infinity": _jpeg_with_gps(lat(DOUBLE, [math.inf, 0.0, 0.0]) + _LON + _TIME),
        "exif-latitude-91": _jpeg_with_gps(lat(RATIONAL, [(91, 1), (0, 1), (0, 1)]) + _LON + _TIME),
        "exif-negative-seconds": _jpeg_with_gps(lat(SRATIONAL, [(30, 1), (16, 1), (-5, 1)]) + _LON + _TIME),
        "exif-gps-hour-25": _jpeg_with_gps(lat(RATIONAL, [(30, 1), (0, 1), (0, 1)]) + _LON
                                           + [_entry(7, RATIONAL, [(25, 1), (0, 1), (0, 1)])]),
        "exif-gps-date-2099": _jpeg_with_gps(lat(RATIONAL, [(30, 1), (0, 1), (0, 1)]) + _LON
                                             + [_entry(7, RATIONAL, [(1, 1), (0, 1), (0, 1)]),
                                                _entry(29, ASCII, "2099:01:01")]),
        "exif-garbage-date": _jpeg_with_gps(_LON + [_entry(29, ASCII, "\xff\xfe:99:99")]),
    }


# --- headers claiming 20000×20000 ----------------------------------------------------------


def _jpeg_claiming(size: int) -> bytes:
    data = bytearray(make_photo(width=64, height=48))
    sof = data.find(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, size, size)
    return bytes(data)


def _png_claiming(size: int) -> bytes:
    data = bytearray(make_photo(width=64, height=48, fmt="PNG"))
    struct.pack_into(">II", data, 16, size, size)
    struct.pack_into(">I", data, 29, zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def _webp_claiming(size: int) -> bytes:
    data = bytearray(make_photo(width=64, height=48, fmt="WEBP"))
    if data[12:16] != b"VP8X":
        data[12:12] = b"VP8X" + struct.pack("<I", 10) + bytes([0x08, 0, 0, 0]) + bytes(6)
        struct.pack_into("<I", data, 4, len(data) - 8)
    data[24:27] = (size - 1).to_bytes(3, "little")
    data[27:30] = (size - 1).to_bytes(3, "little")
    return bytes(data)


def _tiff_claiming(size: int) -> bytes:
    data = bytearray(make_photo(width=64, height=48, fmt="TIFF"))
    ifd = struct.unpack_from("<I", data, 4)[0]
    (count,) = struct.unpack_from("<H", data, ifd)
    for k in range(count):
        at = ifd + 2 + 12 * k
        if struct.unpack_from("<H", data, at)[0] in (256, 257):
            struct.pack_into("<HII", data, at + 2, LONG, 1, size)
    return bytes(data)


def _heic_claiming(size: int, width: int = 64, height: int = 64) -> bytes:
    # The image spatial extents property ('ispe') is where HEIF states its size. (At
    # 64×48 the encoder pads to 64×64 and adds a clean-aperture crop, which then
    # states the size instead: that variant is in the corpus too.)
    data = bytearray(make_photo(width=width, height=height, fmt="HEIF"))
    at = data.find(b"ispe")
    while at != -1:
        struct.pack_into(">II", data, at + 8, size, size)
        at = data.find(b"ispe", at + 4)
    return bytes(data)


HUGE_BUILDERS: dict[str, Callable[[int], bytes]] = {
    "jpeg": _jpeg_claiming, "png": _png_claiming, "webp": _webp_claiming, "tiff": _tiff_claiming,
    "heic": _heic_claiming,
}


# --- the corpus ----------------------------------------------------------------------------


def _corpus() -> list[tuple[str, bytes, bool]]:
    """(name, bytes, must_have_a_reason) for every generated case."""
    cases: list[tuple[str, bytes, bool]] = [
        ("zero-length", b"", True),
        ("text-renamed.jpg", "拜访记录：客户不在，改天再来。\n".encode() * 30, True),
        ("random-bytes", random.Random(7).randbytes(4096), True),
        ("jpeg-soi-only", b"\xff\xd8", True),
        ("jpeg-markers-only", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\xff\xd9", True),
        ("png-signature-only", b"\x89PNG\r\n\x1a\n", True),
        ("gif-header-only", b"GIF89a", True),
        ("heic-ftyp-only", b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", True),
        ("jxl-container", b"\x00\x00\x00\x0cJXL \r\n\x87\n\x00\x00\x00\x14ftypjxl \x00\x00\x00\x00jxl "
                          + b"\x00\x00\x00\x10jxlc\xff\x0a\xfa\x1f\x04\x00\x00\x00", True),
        ("jxl-codestream", b"\xff\x0a\xfa\x1f" + random.Random(8).randbytes(200), True),
        ("pdf-renamed.jpg", b"%PDF-1.7\n" + bytes(300), True),
    ]
    for name, data in _exif_cases().items():
        # A GPS date in 2099 reads fine: its reason is a flag (test_specific_reasons).
        cases.append((name, data, name != "exif-gps-date-2099"))
    for fmt, builder in HUGE_BUILDERS.items():
        cases.append((f"huge-{fmt}", builder(HUGE), True))
    cases.append(("huge-heic-ispe-behind-clap", _heic_claiming(HUGE, 64, 48), True))
    rng = random.Random("actionproof-fuzz")
    for fmt in ("JPEG", "PNG", "WEBP", "HEIF", "TIFF"):
        base = _base(fmt)
        cases.append((f"{fmt.lower()}-intact", base, False))
        for cut in (1, 12, 100, len(base) // 3, len(base) * 2 // 3, len(base) - 16):
            # A cut inside WebP/TIFF/HEIF pixel data may still decode to something; the
            # reason is asserted where the format makes the damage visible.
            cases.append((f"{fmt.lower()}-truncated-{cut}", base[:cut], fmt in ("JPEG", "PNG") or cut <= 100))
        hot = min(len(base), 1200)
        for k in range(24):
            data = bytearray(base)
            for _ in range(rng.randint(1, 8)):
                i = rng.randrange(hot) if rng.random() < 0.8 else rng.randrange(len(data))
                data[i] ^= 1 << rng.randrange(8)
            cases.append((f"{fmt.lower()}-bitflip-{k}", bytes(data), False))
    return cases


CORPUS = _corpus()


def _run_all(data: bytes) -> tuple[PhotoMeta, PhotoHash, list[Flag], dict]:
    meta = read_photo(data)
    hashed = photo_hash(data)
    flags = editing_signals(meta, now=NOW)
    report = photo_report(data, now=NOW, submitted_at=FIX, near=None)
    return meta, hashed, flags, report


def _check(name: str, data: bytes, needs_reason: bool, bound_s: float) -> None:
    started = time.perf_counter()
    meta, hashed, flags, report = _run_all(data)
    elapsed = time.perf_counter() - started
    assert isinstance(meta, PhotoMeta) and isinstance(hashed, PhotoHash), name
    assert all(isinstance(f, Flag) for f in flags), name
    json.dumps(report, ensure_ascii=False, default=str)
    assert elapsed < bound_s, (name, elapsed)
    assert (hashed.hash_hex is None) == (hashed.reason is not None), name
    if needs_reason:
        assert meta.problems or hashed.reason, name
        assert all(isinstance(p, str) and p for p in meta.problems), name
    if meta.gps_lat is not None:
        assert -90 <= meta.gps_lat <= 90 and -180 <= meta.gps_lon <= 180, name
    if meta.gps_time_utc is not None:
        assert meta.gps_time_utc.tzinfo is not None, name


def test_generated_corpus() -> None:
    assert len(CORPUS) > 150
    for name, data, needs_reason in CORPUS:
        _check(name, data, needs_reason, FILE_BOUND_S)


@pytest.mark.parametrize("fmt", sorted(HUGE_BUILDERS))
def test_huge_header_refused_fast(fmt: str) -> None:
    data = HUGE_BUILDERS[fmt](HUGE)
    for fn in (read_photo, photo_hash):
        started = time.perf_counter()
        result = fn(data)
        assert time.perf_counter() - started < HUGE_BOUND_S, fn.__name__
        if isinstance(result, PhotoHash):
            assert result.reason == "image_too_large" and (result.width, result.height) == (HUGE, HUGE)
        else:
            assert f"image too large: {HUGE}x{HUGE}" in result.problems


def test_specific_reasons() -> None:
    got = {name: _run_all(data) for name, data, _ in CORPUS if not name.startswith(("jpeg-", "png-", "webp-",
                                                                                        "heif-", "tiff-"))}
    assert got["zero-length"][0].problems == ("empty file",) and got["zero-length"][1].reason == "empty_file"
    assert got["text-renamed.jpg"][1].reason == "not_an_image"
    assert got["jxl-container"][1].reason == "unsupported_format"
    assert "unsupported format: JPEG XL" in got["jxl-codestream"][0].problems
    assert got["heic-ftyp-only"][1].reason == "damaged_image"
    assert "GPS latitude has a zero denominator" in got["exif-zero-denominator"][0].problems
    assert "GPS latitude is not a finite number" in got["exif-nan"][0].problems
    assert "GPS latitude 91.0 out of range" in got["exif-latitude-91"][0].problems
    assert "GPS latitude has a negative component" in got["exif-negative-seconds"][0].problems
    # A GPS date in 2099 reads fine, and is flagged as the future it claims to be.
    future = {f.reason: f for f in got["exif-gps-date-2099"][2]}
    assert future["gps_time_future"].severity == "hard"
    for name in ("exif-zero-denominator", "exif-nan", "exif-latitude-91", "exif-negative-seconds"):
        assert got[name][1].hash_hex is not None, name  # the picture itself is fine


def test_truncated_jpeg_and_png_say_so() -> None:
    for name, data, _ in CORPUS:
        if name.startswith(("jpeg-truncated", "png-truncated")) and len(data) > 200:
            meta, hashed, _, _ = _run_all(data)
            assert "truncated file" in meta.problems, name
            if name.startswith("jpeg"):
                # The grey-filled remainder is hashed, and marked as partial.
                assert hashed.partial and hashed.hash_hex, name
            # A PNG cut after its last pixel row (only the CRC and IEND lost) still
            # hashes; one cut inside the pixels says why not.
            assert hashed.hash_hex or hashed.reason == "unreadable_pixels", name


def test_every_field_photo(field_data: Path) -> None:
    files = sorted(p for p in (field_data / "photos").rglob("*") if p.is_file() and p.suffix != ".json")
    assert len(files) >= 40
    for path in files:
        _check(str(path.relative_to(field_data)), path.read_bytes(), False, FILE_BOUND_S)


_MEMORY_CHILD = """
import resource, sys
sys.path[:0] = [{root!r}, {here!r}]
import test_evidence_fuzz_corpus as corpus
from evidence.exif import read_photo
from evidence.phash import photo_hash
from evidence.report import photo_report
limit = {limit}
resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
bad = []
for fmt, build in corpus.HUGE_BUILDERS.items():
    data = build(corpus.HUGE)
    h = photo_hash(data)
    m = read_photo(data)
    r = photo_report(data)
    if h.reason != "image_too_large" or not any(p.startswith("image too large") for p in m.problems):
        bad.append((fmt, h.reason, h.detail, m.problems))
print("BAD" if bad else "OK", bad)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="RLIMIT_AS semantics")
def test_huge_headers_need_no_memory() -> None:
    # A 20000×20000 RGB decode needs 1.2 GB; under a 1.2 GB address-space cap (the
    # interpreter with numpy, scipy, Pillow and libheif loaded takes ~0.55 GB of it) any
    # decode attempt would fail with MemoryError and show up as another reason.
    here = Path(__file__).resolve().parent
    code = _MEMORY_CHILD.format(root=str(here.parents[1]), here=str(here), limit=1_200_000_000)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["OPENBLAS_NUM_THREADS"] = "1"  # thread arenas would eat the address space
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.startswith("OK"), out.stdout
