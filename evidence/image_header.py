"""Image format and size from a file's header, without decoding pixels."""

from __future__ import annotations

import functools
import io
import re
import struct
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

# Only photo formats are probed: Pillow knows many exotic formats (EPS, PSD, ...)
# that no phone produces and that widen the parser surface for hostile uploads.
_FORMATS: tuple[str, ...] = ("JPEG", "MPO", "PNG", "WEBP", "TIFF", "HEIF", "AVIF", "GIF", "BMP")

# Pillow names multi-picture JPEGs (iPhone portrait/HDR) "MPO"; to a reader they are JPEGs.
_FORMAT_NAMES = {"MPO": "JPEG"}


@dataclass(frozen=True)
class ImageHeader:
    """An image's format and size as its header states them, or why it has none."""

    image: Image.Image | None
    format: str | None
    width: int | None
    height: int | None
    problem: str | None = None


@functools.cache
def open_formats() -> tuple[str, ...]:
    """Pillow format ids to probe, with the HEIF opener registered."""
    # Registered lazily and once: importing this module should not reconfigure Pillow
    # for processes that never read a photo. Image.open raises KeyError for a format
    # name no plugin provides, so only the available ones are passed on.
    from pillow_heif import register_heif_opener

    register_heif_opener()
    Image.init()
    return tuple(fmt for fmt in _FORMATS if fmt in Image.OPEN)


def _header(image: Image.Image) -> ImageHeader:
    width, height = image.size
    return ImageHeader(image, _FORMAT_NAMES.get(image.format or "", image.format), width, height)


def probe_header(data: bytes, max_pixels: int) -> ImageHeader:
    """Open the image lazily (header only) for its format and size, or say why not."""
    sniffed = _sniff_size(data)
    if sniffed is not None and sniffed[1] * sniffed[2] > max_pixels:
        # Some plugins allocate the canvas while opening (WebP's animation decoder does),
        # so an oversized image is never handed to Pillow at all.
        return ImageHeader(None, *sniffed)
    formats = open_formats()
    try:
        return _header(Image.open(io.BytesIO(data), formats=formats))
    except Image.DecompressionBombError as exc:
        # Size is judged against max_pixels by the caller; Pillow's own, larger limit
        # must neither raise nor hide the dimensions.
        image = _open_unchecked(data, formats)
        if image is not None:
            return _header(image)
        sniffed = _sniff_size(data)
        if sniffed is not None:
            return ImageHeader(None, *sniffed)
        pixels = re.search(r"\((\d+) pixels\)", str(exc))
        return ImageHeader(None, None, None, None, f"image too large: {pixels.group(1) if pixels else '?'} pixels")
    except UnidentifiedImageError:
        # A damaged photo is not "not an image": name the format its signature claims,
        # so a truncated HEIC upload reads as damaged rather than as a renamed text file.
        claimed = signature_format(data)
        if claimed == "JXL":
            return ImageHeader(None, None, None, None, "unsupported format: JPEG XL")
        if claimed is not None:
            return ImageHeader(None, None, None, None, f"damaged {claimed} image: header unreadable")
        return ImageHeader(None, None, None, None, "not an image")
    except Exception as exc:  # noqa: BLE001 - plugins raise all sorts on bad headers
        return ImageHeader(None, None, None, None, f"unreadable image header: {type(exc).__name__}")


_HEIF_BRANDS = (b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif", b"avis")


def signature_format(data: bytes) -> str | None:
    """The image format a file's first bytes claim (magic numbers only, no parsing)."""
    head = data[:32]
    if head[:3] == b"\xff\xd8\xff":
        return "JPEG"
    if head[:8] == b"\x89PNG\r\n\x1a\n":
        return "PNG"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "GIF"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "TIFF"
    if head[:2] == b"\xff\x0a" or head[:12] == b"\x00\x00\x00\x0cJXL \r\n\x87\n":
        return "JXL"
    if head[4:8] == b"ftyp" and (head[8:12] in _HEIF_BRANDS or any(b in head[16:32] for b in _HEIF_BRANDS)):
        return "AVIF" if head[8:12] in (b"avif", b"avis") else "HEIF"
    return None


def _open_unchecked(data: bytes, formats: tuple[str, ...]) -> Image.Image | None:
    # Same plugin walk as Image.open minus its decompression-bomb check, so a huge image
    # still reports its dimensions; nothing is decoded here either. Plugins that check
    # inside their own header parsing (WebP, GIF, MPO) still refuse; _sniff_size covers them.
    prefix = data[:16]
    for fmt in formats:
        factory, accept = Image.OPEN[fmt]
        if accept is not None and accept(prefix) is not True:
            continue
        try:
            return factory(io.BytesIO(data), "")
        except Exception:  # noqa: BLE001 - try the next plugin, as Image.open does
            continue
    return None


def _sniff_size(data: bytes) -> tuple[str, int, int] | None:
    """Format and size from the first header bytes of JPEG, PNG, WebP or GIF."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR" and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return "PNG", width, height
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return "GIF", width, height
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP" and len(data) >= 30:
        chunk = data[12:16]
        if chunk == b"VP8X":
            return "WEBP", 1 + int.from_bytes(data[24:27], "little"), 1 + int.from_bytes(data[27:30], "little")
        if chunk == b"VP8L" and data[20] == 0x2F:
            bits = int.from_bytes(data[21:25], "little")
            return "WEBP", (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
        if chunk == b"VP8 " and data[23:26] == b"\x9d\x01\x2a":
            width, height = struct.unpack("<HH", data[26:30])
            return "WEBP", width & 0x3FFF, height & 0x3FFF
        return None
    if data[:2] == b"\xff\xd8":
        return _jpeg_size(data)
    return None


def _jpeg_size(data: bytes) -> tuple[str, int, int] | None:
    i = 2
    while i + 9 <= len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        length = struct.unpack(">H", data[i + 2 : i + 4])[0]
        # SOF0-SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return "JPEG", width, height
        i += 2 + length
    return None


def looks_truncated(data: bytes, fmt: str | None) -> bool:
    """True when a JPEG or PNG visibly lacks its end."""
    if fmt == "JPEG":
        # Entropy-coded data never contains a bare FFD9/FFDA (0xFF is byte-stuffed), so
        # an end-of-image marker before the last start-of-scan means the tail is missing.
        # A file ending in FFD9 (maybe NUL-padded) is whole; checking that first spares
        # a backward scan of megabytes on every intact photo.
        if data[-64:].rstrip(b"\x00").endswith(b"\xff\xd9"):
            return False
        return data.rfind(b"\xff\xd9") < data.rfind(b"\xff\xda")
    if fmt == "PNG":
        return b"IEND" not in data[-32:]
    return False
