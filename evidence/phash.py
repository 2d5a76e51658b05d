"""Perceptual hash of a visit photo and detection of a photo reused from another action."""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

import imagehash
import numpy as np
from PIL import ExifTags, Image, ImageOps

from evidence.flags import DEFAULT_FLAG_CONFIG, Flag, FlagConfig
from evidence.image_header import probe_header

# Stored with every hash: a later change of the pipeline (trimming, sizes, algorithm)
# makes old and new hashes incomparable, so the lead can re-hash or compare per version.
HASH_ALGORITHM = "phash64+dhash64/trim1"

# The reduced decode only has to feed a 32x32 DCT and the border analysis; JPEG's
# DCT scaling (draft mode) gives at least this many pixels on each side at 1/8 cost.
_DRAFT_SIDE = 256
# Working size for the border analysis: long side in pixels after a box downscale.
_WORK_SIDE = 256
# Screenshot bars: photo viewers frame the picture in black (or dark grey) or white.
# A line whose pixels are at least _BAR_SHARE within _BAR_TOLERANCE grey levels of the
# bar colour is bar, even with a status-bar clock or toolbar icons on it. Only near-black
# and near-white count as bar colours, and only when two opposite edges of the picture
# are bar: so a blue sky or a grey wall at a photo's edge is never trimmed, and an
# original and its screenshot are trimmed to the same picture.
_BAR_TOLERANCE = 8
_BAR_SHARE = 0.9
_BAR_DARK_MAX = 40
_BAR_LIGHT_MIN = 215
# Trim only when the kept content is at least this fraction of the side: a picture
# that is mostly bar colour has nothing to trim to.
_MIN_KEEP = 0.1
# Below this grey-level standard deviation the picture is blank (lens covered, black
# frame); every blank picture hashes alike, which would be a false "reuse".
_BLANK_STD = 2.0
# A pHash of a picture with detail has 32 of its 64 bits set (median threshold).
_MIN_ONES = 24

_HEX_DIGITS = frozenset("0123456789abcdef")
# EXIF Orientation values that exif_transpose turns or mirrors (1 and anything else: as stored).
_TURNING_ORIENTATIONS = frozenset(range(2, 9))


@dataclass(frozen=True)
class PhotoHash:
    """A photo's 64-bit perceptual hash (16 hex digits), or why it has none.

    `dhash_hex` is a second, independent 64-bit hash (gradient hash) of the same
    picture: a pHash match is confirmed by it, which keeps chance matches between
    different pictures rare when an organisation has thousands of photos.
    """

    hash_hex: str | None
    reason: str | None
    width: int | None
    height: int | None
    dhash_hex: str | None = None
    algorithm: str = HASH_ALGORITHM
    # True when the hash comes from a truncated JPEG (the missing part decodes grey).
    partial: bool = False
    detail: str | None = None


@dataclass(frozen=True)
class EarlierPhoto:
    """A photo already on file for the organisation: where it was used and its hashes."""

    photo_id: str | int
    action_id: str | int
    hash_hex: str | None
    taken_at: datetime | None = None
    dhash_hex: str | None = None
    customer_id: str | int | None = None


@dataclass(frozen=True)
class ReuseMatch:
    """The earlier photo closest to a new one, within the Hamming threshold."""

    photo_id: str | int
    action_id: str | int
    distance: int
    threshold: int
    taken_at: datetime | None = None
    dhash_distance: int | None = None
    customer_id: str | int | None = None


def photo_hash(data: bytes, *, max_pixels: int = 50_000_000, min_side: int = 256) -> PhotoHash:
    """Hash a photo from a reduced-size decode; never raises, returns a reason instead.

    Reasons: empty_file, not_an_image, damaged_image (a known signature, unreadable
    header), unsupported_format (JPEG XL), unreadable_image_header, image_too_large,
    photo_too_small, photo_blank, unreadable_pixels.
    """
    try:
        with warnings.catch_warnings():
            # Pillow warns about damaged tags and big images; the reason says what matters.
            warnings.simplefilter("ignore")
            return _photo_hash(bytes(data), max_pixels, min_side)
    except Exception as exc:  # noqa: BLE001 - a worker must get a reason, not a crash
        return PhotoHash(None, "unreadable_pixels", None, None, detail=f"{type(exc).__name__}: {exc}"[:200])


def _photo_hash(data: bytes, max_pixels: int, min_side: int) -> PhotoHash:
    if not data:
        return PhotoHash(None, "empty_file", None, None)
    header = probe_header(data, max_pixels)
    width, height = header.width, header.height
    image = header.image
    try:
        if width is not None and height is not None and width * height > max_pixels:
            # Checked on the header's numbers before any pixel is decoded.
            return PhotoHash(None, "image_too_large", width, height, detail=f"{width}x{height} exceeds {max_pixels} pixels")
        if image is None or width is None or height is None:
            problem = header.problem or "not an image"
            reason = "unreadable_image_header"
            for prefix, code in (("not an image", "not_an_image"), ("image too large", "image_too_large"),
                                 ("damaged", "damaged_image"), ("unsupported format", "unsupported_format")):
                if problem.startswith(prefix):
                    reason = code
            return PhotoHash(None, reason, width, height, detail=problem)
        if min(width, height) < min_side:
            return PhotoHash(None, "photo_too_small", width, height,
                             detail=f"{min(width, height)} px on the short side, under {min_side} px")
        grey, partial = _reduced_grey(image, data, header.format)
    finally:
        if image is not None:
            image.close()
    if grey is None:
        return PhotoHash(None, "unreadable_pixels", width, height, detail="the pixel data cannot be decoded")
    pixels = np.asarray(grey, dtype=np.float32)
    if float(pixels.std()) <= _BLANK_STD:
        return PhotoHash(None, "photo_blank", width, height, detail="the picture is one flat colour")
    top, bottom, left, right = content_box(pixels)
    content = grey.crop((left, top, right, bottom))
    phash = imagehash.phash(content)
    ones = int(phash.hash.sum())
    if not _MIN_ONES <= ones <= 64 - _MIN_ONES:
        # Thresholding at the median sets 32 of 64 bits unless many DCT terms tie, which
        # happens only for featureless pictures (a smooth gradient, a bare wall): their
        # hashes would all match one another.
        return PhotoHash(None, "photo_blank", width, height, detail=f"too little detail to compare ({ones}/64 bits)")
    return PhotoHash(str(phash), None, width, height, dhash_hex=str(imagehash.dhash(content)), partial=partial)


def _reduced_grey(image: Image.Image, data: bytes, fmt: str | None) -> tuple[Image.Image | None, bool]:
    """Greyscale picture, upright, long side at most _WORK_SIDE; (None, False) if undecodable."""
    partial = False
    if fmt == "JPEG":
        # DCT-domain scaling: libjpeg decodes at 1/2, 1/4 or 1/8 size, straight to grey.
        image.draft("L", (_DRAFT_SIDE, _DRAFT_SIDE))
    try:
        image.load()
    except OSError:
        if fmt != "JPEG":
            return None, False
        # A truncated upload still shows most of the picture: an end-of-image marker
        # lets libjpeg finish (grey below the cut) without Pillow's process-wide
        # LOAD_TRUNCATED_IMAGES switch.
        image = Image.open(io.BytesIO(data + b"\xff\xd9"))
        image.draft("L", (_DRAFT_SIDE, _DRAFT_SIDE))
        try:
            image.load()
        except OSError:
            return None, False
        partial = True
    # Phones store portrait shots sideways with an Orientation tag; a screenshot or
    # re-save has the pixels turned, so the hash must be of the picture as displayed.
    if _needs_turning(image):
        try:
            image = ImageOps.exif_transpose(image)
        except Exception:  # noqa: BLE001 - a broken Orientation tag must not cost the hash
            pass
    grey = _to_grey(image)
    w, h = grey.size
    scale = _WORK_SIDE / max(w, h)
    if scale < 1:
        grey = grey.resize((max(1, round(w * scale)), max(1, round(h * scale))), Image.Resampling.BOX)
    return grey, partial


def _needs_turning(image: Image.Image) -> bool:
    """Whether exif_transpose would turn the picture (Orientation 2-8).

    exif_transpose copies the whole decoded picture even when there is nothing to turn:
    for a 12 MP HEIC (libheif has already applied its rotation) that copy is 5-25 ms of
    each check. An Orientation that cannot even be looked up goes to exif_transpose, so
    its failure is handled exactly as before.
    """
    try:
        return image.getexif().get(ExifTags.Base.Orientation, 1) in _TURNING_ORIENTATIONS
    except Exception:  # noqa: BLE001 - e.g. an unhashable tag value: let exif_transpose decide
        return True


def _to_grey(image: Image.Image) -> Image.Image:
    if image.mode in ("I", "F") or image.mode.startswith("I;16"):
        # Pillow's I->L conversion clips at 255, which turns a 16-bit picture white.
        values = np.asarray(image.convert("F"), dtype=np.float32)
        peak = float(values.max()) if values.size else 0.0
        if peak > 255:
            values = values * (255.0 / peak)
        return Image.fromarray(np.clip(values, 0, 255).astype(np.uint8), "L")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        # Transparent pixels carry arbitrary colour; show them on white as viewers do.
        rgba = image.convert("RGBA")
        canvas = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        canvas.alpha_composite(rgba)
        return canvas.convert("L")
    return image.convert("L")


def _content_span(bar_share: np.ndarray) -> tuple[int, int]:
    """Start/end (exclusive) of the longest stretch of lines that are not bar."""
    n = len(bar_share)
    best, start = (0, n), None
    best_len = 0
    for i, is_bar in enumerate(list(bar_share >= _BAR_SHARE) + [True]):
        if not is_bar and start is None:
            start = i
        elif is_bar and start is not None:
            if i - start > best_len:
                best, best_len = (start, i), i - start
            start = None
    if best_len < _MIN_KEEP * n:
        return 0, n
    return best


def _frame_level(pixels: np.ndarray) -> float | None:
    """The bar colour when two opposite edges are (almost) all near-black or near-white."""
    for first, second in ((pixels[0], pixels[-1]), (pixels[:, 0], pixels[:, -1])):
        level = float(np.median(np.concatenate([first, second])))
        if _BAR_DARK_MAX < level < _BAR_LIGHT_MIN:
            continue
        shares = [float(np.mean(np.abs(edge - level) <= _BAR_TOLERANCE)) for edge in (first, second)]
        if min(shares) >= _BAR_SHARE:
            return level
    return None


def content_box(pixels: np.ndarray) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) of the picture inside a uniform frame, as in a screenshot.

    A screenshot of a photo viewer shows the photo between flat (black or white) bars
    carrying a status bar and toolbar icons; the hash must see the photo, not the frame.
    The same trimming runs on every picture, so an original and its copies agree.
    """
    h, w = pixels.shape
    full = (0, h, 0, w)
    level = _frame_level(pixels) if h >= 8 and w >= 8 else None
    if level is None:
        return full
    is_bar = np.abs(pixels - level) <= _BAR_TOLERANCE
    top, bottom, left, right = full
    # Rows, then columns inside those rows, then rows again inside those columns: a
    # landscape viewer has bars on all four sides, and icons sit beside the photo.
    for _ in range(2):
        top, bottom = _content_span(is_bar[:, left:right].mean(axis=1))
        left, right = _content_span(is_bar[top:bottom].mean(axis=0))
    return top, bottom, left, right


def _as_int(hash_hex: str) -> int:
    text = hash_hex.strip().lower() if isinstance(hash_hex, str) else ""
    if len(text) != 16 or not set(text) <= _HEX_DIGITS:
        raise ValueError(f"not a 64-bit hash in 16 hex digits: {hash_hex!r}")
    return int(text, 16)


def hamming(a_hex: str, b_hex: str) -> int:
    """Number of differing bits between two 16-hex-digit hashes (ValueError if malformed)."""
    return (_as_int(a_hex) ^ _as_int(b_hex)).bit_count()


def _utc_key(value: datetime | None) -> float:
    if value is None:
        return math.inf
    if value.tzinfo is None or value.utcoffset() is None:
        value = value.replace(tzinfo=timezone.utc)  # naive times are stored UTC
    return value.timestamp()


def find_reuse(
    hash_hex: str | None,
    earlier: Sequence[EarlierPhoto],
    threshold: int,
    *,
    dhash_hex: str | None = None,
    dhash_threshold: int | None = None,
    exclude_action_id: str | int | None = None,
) -> ReuseMatch | None:
    """The earlier photo nearest to hash_hex within threshold bits (inclusive), or None.

    The caller passes the organisation's photos of other actions; photos of
    `exclude_action_id` (the action being judged: burst shots of one visit are alike)
    and entries without a valid hash are skipped. When both sides carry a dHash and
    `dhash_threshold` is given, the dHash must agree too. Ties go to the earliest
    taken_at, the likelier original.
    """
    if hash_hex is None:
        return None
    target = _as_int(hash_hex)
    confirm = _as_int(dhash_hex) if dhash_hex is not None and dhash_threshold is not None else None
    best: tuple[int, float, EarlierPhoto, int | None] | None = None
    for photo in earlier:
        if exclude_action_id is not None and str(photo.action_id) == str(exclude_action_id):
            continue
        if photo.hash_hex is None:
            continue
        try:
            distance = (target ^ _as_int(photo.hash_hex)).bit_count()
        except ValueError:
            continue
        if distance > threshold:
            continue
        d_distance = None
        if confirm is not None and photo.dhash_hex is not None:
            try:
                d_distance = (confirm ^ _as_int(photo.dhash_hex)).bit_count()
            except ValueError:
                d_distance = None
            if d_distance is not None and d_distance > dhash_threshold:  # type: ignore[operator]
                continue
        key = (distance, _utc_key(photo.taken_at))
        if best is None or key < (best[0], best[1]):
            best = (distance, key[1], photo, d_distance)
    if best is None:
        return None
    distance, _, photo, d_distance = best
    return ReuseMatch(photo.photo_id, photo.action_id, distance, int(threshold), photo.taken_at,
                      dhash_distance=d_distance, customer_id=photo.customer_id)


# --- flags ----------------------------------------------------------------------------


def reuse_signals(
    ph: PhotoHash,
    earlier: Sequence[EarlierPhoto],
    *,
    config: FlagConfig | None = None,
    subject: str | None = None,
    action_id: str | int | None = None,
    customer_id: str | int | None = None,
) -> list[Flag]:
    """photo_reused flags for one photo: a match with another action's photo, or why
    the photo could not be checked (too small, blank, unreadable)."""
    cfg = config or DEFAULT_FLAG_CONFIG
    found: list[Flag | None] = []
    if ph.hash_hex is None:
        if ph.reason == "photo_too_small":
            side = min(ph.width or 0, ph.height or 0)
            found.append(cfg.flag("photo_reused", "photo_too_small", value=float(side), unit="px",
                                  threshold=float(cfg.min_photo_side), subject=subject,
                                  detail=f"photo is {ph.width}x{ph.height}: under {cfg.min_photo_side} px on the "
                                         "short side it cannot be checked for reuse"))
        elif ph.reason == "photo_blank":
            found.append(cfg.flag("photo_reused", "photo_blank", subject=subject,
                                  detail="the photo is one flat colour (lens covered?); it shows nothing to check"))
        else:
            found.append(cfg.flag("photo_reused", "photo_unhashable", value=ph.reason, subject=subject,
                                  detail=f"the photo cannot be checked for reuse: {ph.reason}"
                                         + (f" ({ph.detail})" if ph.detail else "")))
        return [f for f in found if f is not None]
    match = find_reuse(ph.hash_hex, earlier, cfg.phash_threshold, dhash_hex=ph.dhash_hex,
                       dhash_threshold=cfg.dhash_threshold, exclude_action_id=action_id)
    if match is None:
        return []
    same_customer = (customer_id is not None and match.customer_id is not None
                     and str(match.customer_id) == str(customer_id))
    reason = "similar_earlier_visit" if same_customer and match.distance > cfg.phash_copy_threshold else "reused"
    when = f", taken {match.taken_at.isoformat()}" if match.taken_at is not None else ""
    confirm = f", dHash {match.dhash_distance} bits" if match.dhash_distance is not None else ""
    what = ("looks like a re-shot of" if reason == "similar_earlier_visit" else "is a copy of")
    found.append(cfg.flag(
        "photo_reused", reason, value=float(match.distance), unit="bits", threshold=float(cfg.phash_threshold),
        subject=subject, ref=f"action:{match.action_id}",
        detail=f"{what} photo {match.photo_id} of action {match.action_id}{when}: "
               f"pHash {match.distance} bits apart (limit {cfg.phash_threshold}){confirm}",
    ))
    return [f for f in found if f is not None]
