"""Photo reuse: perceptual hash, copies that must match, different shots that must not."""

from __future__ import annotations

import io
import itertools
import struct
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from PIL import Image, ImageOps

from evidence.flags import HARD, SOFT, FlagConfig
from evidence.phash import (
    HASH_ALGORITHM, EarlierPhoto, PhotoHash, _needs_turning, find_reuse, hamming, photo_hash, reuse_signals,
)
from evidence.photo_writer import make_copies, make_photo

THRESHOLD = FlagConfig().phash_threshold
D_THRESHOLD = FlagConfig().dhash_threshold

# Real photos of several kinds: the DSCN series (one site, minutes apart), phone JPEGs
# (iPhone HDR, Jolla, Olympus 12 MP) and an iPhone HEIC.
DSCN = [f"jpg/gps/DSCN00{n}.jpg" for n in ("10", "12", "21", "25", "27", "29")]
SOURCES = DSCN + ["jpg/hdr/iphone_hdr_NO.jpg", "jpg/mobile/jolla.jpg", "jpg/tests/42_IndexError.jpg",
                  "heic/IMG_5195.HEIC"]
# What a rep reusing a photo would do; the one-edge crop is measured, not required.
REQUIRED_COPIES = ("reencoded_q60", "resized_60pct", "resized_1080_webp", "cropped_5pct_centre",
                   "screenshot_black_png", "screenshot_white_jpeg", "screenshot_landscape_png")


from tests.fielddata import PHOTOS


@pytest.fixture(scope="module")
def corpus() -> dict[str, tuple[PhotoHash, dict[str, PhotoHash]]]:
    """Hashes of each source photo and of its copies (built once: ~6 s)."""
    out = {}
    for name in SOURCES:
        data = (PHOTOS / name).read_bytes()
        out[name] = (photo_hash(data), {k: photo_hash(v) for k, v in make_copies(data).items()})
    return out


# --- hashing -----------------------------------------------------------------------


def test_hash_shape_and_algorithm() -> None:
    h = photo_hash(make_photo(width=400, height=300, scene=1))
    assert h.reason is None and h.partial is False
    assert len(h.hash_hex) == 16 and int(h.hash_hex, 16) >= 0
    assert len(h.dhash_hex) == 16
    assert (h.width, h.height) == (400, 300)
    assert h.algorithm == HASH_ALGORITHM
    # Deterministic: the same bytes always give the same hash.
    assert photo_hash(make_photo(width=400, height=300, scene=1)) == h


@pytest.mark.parametrize(("size", "reason"), [((255, 400), "photo_too_small"), ((400, 255), "photo_too_small"),
                                              ((256, 256), None)])
def test_min_side(size: tuple[int, int], reason: str | None) -> None:
    h = photo_hash(make_photo(width=size[0], height=size[1]))
    assert h.reason == reason
    assert (h.hash_hex is None) == (reason is not None)
    assert (h.width, h.height) == size


def test_min_side_is_configurable() -> None:
    assert photo_hash(make_photo(width=200, height=150), min_side=128).hash_hex is not None


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty_file"),
    (b"visit notes, not a photo\n" * 40, "not_an_image"),
    (b"\x00\x00\x00\x0cJXL \r\n\x87\n" + bytes(64), "unsupported_format"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "damaged_image"),
])
def test_reasons_for_non_photos(data: bytes, reason: str) -> None:
    h = photo_hash(data)
    assert h.hash_hex is None and h.reason == reason


def test_blank_picture_is_not_hashed() -> None:
    out = io.BytesIO()
    Image.new("RGB", (640, 480), (10, 10, 10)).save(out, "JPEG")
    h = photo_hash(out.getvalue())
    assert h.reason == "photo_blank" and h.hash_hex is None


def test_oversized_header_refused_fast() -> None:
    data = bytearray(make_photo(width=64, height=48))
    sof = data.find(b"\xff\xc0")
    struct.pack_into(">HH", data, sof + 5, 20000, 20000)
    started = time.perf_counter()
    h = photo_hash(bytes(data))
    assert time.perf_counter() - started < 1.0
    assert h.reason == "image_too_large" and (h.width, h.height) == (20000, 20000)


def test_truncated_jpeg_hashes_what_is_there() -> None:
    data = make_photo(width=640, height=480, scene=7)
    whole = photo_hash(data)
    cut = photo_hash(data[: len(data) * 9 // 10])
    assert cut.partial is True and cut.reason is None
    assert hamming(whole.hash_hex, cut.hash_hex) <= THRESHOLD


def test_exif_orientation_is_applied() -> None:
    # A phone stores a portrait shot sideways plus Orientation=6; a re-save turns the
    # pixels. Both must hash alike.
    picture = Image.open(io.BytesIO(make_photo(width=640, height=480, scene=3)))
    sideways = picture.rotate(90, expand=True)  # what the sensor wrote
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    stored, upright = io.BytesIO(), io.BytesIO()
    sideways.save(stored, "JPEG", quality=92, exif=exif.tobytes())
    sideways.rotate(-90, expand=True).save(upright, "JPEG", quality=92)
    a, b = photo_hash(stored.getvalue()), photo_hash(upright.getvalue())
    assert (a.width, a.height) == (480, 640)
    assert hamming(a.hash_hex, b.hash_hex) <= 2


def test_orientation_skip_agrees_with_exif_transpose() -> None:
    # photo_hash calls exif_transpose (a copy of the whole decoded picture) only when it
    # would turn the picture; for every Orientation value, odd ones included, that
    # decision must be exif_transpose's own, or hashes would change.
    picture = Image.new("L", (4, 3))
    picture.putdata(range(12))  # every turn or mirror changes these pixels
    for value in (None, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 65535):
        exif = Image.Exif()
        if value is not None:
            exif[0x0112] = value
        out = io.BytesIO()
        picture.save(out, "PNG", exif=exif.tobytes())
        image = Image.open(io.BytesIO(out.getvalue()))
        image.load()
        turned = ImageOps.exif_transpose(image)
        changed = turned.size != image.size or turned.tobytes() != image.tobytes()
        assert _needs_turning(image) == changed, value


def test_synthetic_visit_photos_do_not_collide() -> None:
    # The demo's photos (one per visit) must not look reused to each other.
    hashes = [photo_hash(make_photo(width=400, height=300, gps=(30.27 + i * 1e-3, 120.15),
                                    gps_time_utc=datetime(2026, 3, 2, 1, i, tzinfo=timezone.utc)))
              for i in range(12)]
    earlier = [EarlierPhoto(i, i, h.hash_hex, dhash_hex=h.dhash_hex) for i, h in enumerate(hashes)]
    for i, h in enumerate(hashes):
        assert find_reuse(h.hash_hex, earlier, THRESHOLD, dhash_hex=h.dhash_hex, dhash_threshold=D_THRESHOLD,
                          exclude_action_id=i) is None


# --- hamming and find_reuse ------------------------------------------------------------


def test_hamming() -> None:
    assert hamming("0000000000000000", "000000000000000f") == 4
    assert hamming("FFFFFFFFFFFFFFFF", "0000000000000000") == 64
    assert hamming("c5043eb73c3138f9", "c5043eb73c3138f9") == 0
    for bad in ("", "123", "zzzzzzzzzzzzzzzz", "00000000000000000"):
        with pytest.raises(ValueError):
            hamming(bad, "0000000000000000")


T0 = datetime(2026, 3, 1, 2, 0, tzinfo=timezone.utc)


def test_find_reuse_nearest_within_threshold() -> None:
    earlier = [
        EarlierPhoto("p1", "a1", "000000000000ffff", T0),  # 16 bits away
        EarlierPhoto("p2", "a2", "00000000000003ff", T0),  # 10 bits away: at the threshold
        EarlierPhoto("p3", "a3", None, T0),  # never hashed
        EarlierPhoto("p4", "a4", "not-a-hash", T0),  # corrupt row
    ]
    match = find_reuse("0000000000000000", earlier, 10)
    assert (match.photo_id, match.action_id, match.distance, match.threshold) == ("p2", "a2", 10, 10)
    assert find_reuse("0000000000000000", earlier, 9) is None
    assert find_reuse(None, earlier, 10) is None
    assert find_reuse("0000000000000000", [], 10) is None


def test_find_reuse_skips_own_action_and_prefers_the_original() -> None:
    earlier = [
        EarlierPhoto(1, 7, "0000000000000001", T0 + timedelta(days=3)),
        EarlierPhoto(2, 8, "0000000000000002", T0),  # same distance, older: the original
        EarlierPhoto(3, 9, "0000000000000000", T0),  # identical, but the action being judged
    ]
    match = find_reuse("0000000000000000", earlier, 10, exclude_action_id=9)
    assert (match.photo_id, match.distance) == (2, 1)
    # Naive stored times compare as UTC against aware ones.
    naive = [EarlierPhoto(5, 5, "0000000000000001", datetime(2026, 3, 1, 1, 0)), earlier[1]]
    assert find_reuse("0000000000000000", naive, 10).photo_id == 5


def test_find_reuse_needs_dhash_agreement_when_both_have_one() -> None:
    earlier = [EarlierPhoto(1, 1, "0000000000000000", T0, dhash_hex="ffffffffffffffff")]
    assert find_reuse("0000000000000000", earlier, 10, dhash_hex="0000000000000000", dhash_threshold=12) is None
    ok = [EarlierPhoto(1, 1, "0000000000000000", T0, dhash_hex="000000000000000f")]
    match = find_reuse("0000000000000000", ok, 10, dhash_hex="0000000000000000", dhash_threshold=12)
    assert match.dhash_distance == 4
    # Rows stored before the dHash existed are judged on the pHash alone.
    legacy = [EarlierPhoto(1, 1, "0000000000000000", T0)]
    assert find_reuse("0000000000000000", legacy, 10, dhash_hex="0000000000000000", dhash_threshold=12)


# --- flags -------------------------------------------------------------------------------


def _hash(scene: int) -> PhotoHash:
    return photo_hash(make_photo(width=640, height=480, scene=scene))


def test_reuse_flag_names_the_earlier_action() -> None:
    h = _hash(11)
    earlier = [EarlierPhoto(17, 41, h.hash_hex, T0, dhash_hex=h.dhash_hex, customer_id=5)]
    (flag,) = reuse_signals(h, earlier, subject="photo:90", action_id=42, customer_id=6)
    assert (flag.rule, flag.severity, flag.reason, flag.ref) == ("photo_reused", HARD, "reused", "action:41")
    assert flag.value == 0.0 and flag.unit == "bits" and flag.threshold == THRESHOLD
    assert flag.subject == "photo:90"
    assert "photo 17 of action 41" in flag.detail
    # The same photo inside the action being judged is not reuse.
    assert reuse_signals(h, earlier, action_id=41) == []


def test_same_customer_near_match_is_soft_but_a_copy_stays_hard() -> None:
    h = _hash(12)
    near = f"{int(h.hash_hex, 16) ^ 0xFF:016x}"  # 8 bits away: a re-shot from the same spot?
    earlier = [EarlierPhoto(1, 2, near, T0, customer_id=5)]
    (flag,) = reuse_signals(h, earlier, action_id=3, customer_id=5)
    assert (flag.reason, flag.severity) == ("similar_earlier_visit", SOFT)
    (other,) = reuse_signals(h, earlier, action_id=3, customer_id=6)
    assert (other.reason, other.severity) == ("reused", HARD)
    exact = [EarlierPhoto(1, 2, h.hash_hex, T0, customer_id=5)]
    assert reuse_signals(h, exact, action_id=3, customer_id=5)[0].reason == "reused"


def test_unhashable_photos_give_soft_flags() -> None:
    (small,) = reuse_signals(photo_hash(make_photo(width=200, height=150)), [])
    assert (small.reason, small.severity, small.value, small.threshold) == ("photo_too_small", SOFT, 150.0, 256.0)
    (broken,) = reuse_signals(photo_hash(b"nope"), [])
    assert (broken.reason, broken.value) == ("photo_unhashable", "not_an_image")
    off = FlagConfig(severity={"photo_reused": HARD, "photo_reused:photo_too_small": "off"})
    assert reuse_signals(photo_hash(make_photo(width=200, height=150)), [], config=off) == []


# --- the measurement on real photos --------------------------------------------------


def test_copies_of_real_photos_match(field_data: Path, corpus) -> None:
    for name, (original, copies) in corpus.items():
        assert original.hash_hex is not None, name
        for kind in REQUIRED_COPIES:
            copy = copies[kind]
            distance = hamming(original.hash_hex, copy.hash_hex)
            assert distance <= THRESHOLD, (name, kind, distance)
            assert hamming(original.dhash_hex, copy.dhash_hex) <= D_THRESHOLD, (name, kind)
            earlier = [EarlierPhoto("orig", "a-orig", original.hash_hex, T0, dhash_hex=original.dhash_hex)]
            match = find_reuse(copy.hash_hex, earlier, THRESHOLD, dhash_hex=copy.dhash_hex,
                               dhash_threshold=D_THRESHOLD, exclude_action_id="a-new")
            assert match is not None and match.action_id == "a-orig", (name, kind)
    # Cutting 5% off one edge shifts the picture; measured, most still match.
    edge = [hamming(o.hash_hex, c["cropped_5pct_edge"].hash_hex) <= THRESHOLD for o, c in corpus.values()]
    assert sum(edge) >= 0.7 * len(edge)


def test_different_shots_do_not_match(field_data: Path, corpus) -> None:
    # The DSCN series: one site, minutes apart. Different pictures must stay apart, and
    # no copy of one photo may match another photo.
    dscn = [corpus[n][0] for n in DSCN]
    assert min(hamming(a.hash_hex, b.hash_hex) for a, b in itertools.combinations(dscn, 2)) > THRESHOLD + 8
    originals = {n: o for n, (o, _) in corpus.items()}
    earlier = [EarlierPhoto(n, n, o.hash_hex, T0, dhash_hex=o.dhash_hex) for n, o in originals.items()]
    for name, (_, copies) in corpus.items():
        for kind, copy in copies.items():
            match = find_reuse(copy.hash_hex, earlier, THRESHOLD, dhash_hex=copy.dhash_hex,
                               dhash_threshold=D_THRESHOLD, exclude_action_id=name)
            assert match is None, (name, kind, match)


def test_16_bit_and_transparent_pngs_hash_like_the_photo() -> None:
    import numpy as np

    picture = Image.open(io.BytesIO(make_photo(width=640, height=480, scene=9))).convert("L")
    grey8 = np.asarray(picture, dtype=np.uint16)
    sixteen, rgba, plain = io.BytesIO(), io.BytesIO(), io.BytesIO()
    Image.fromarray(grey8 * 257).save(sixteen, "PNG")  # I;16: Pillow's I→L would clip it white
    picture.convert("RGBA").save(rgba, "PNG")
    picture.save(plain, "PNG")
    base = photo_hash(plain.getvalue()).hash_hex
    for data in (sixteen.getvalue(), rgba.getvalue()):
        h = photo_hash(data)
        assert h.reason is None and hamming(base, h.hash_hex) <= 2
