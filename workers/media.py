"""Reading media files safely from under the media root."""
from __future__ import annotations

import os
import re
from pathlib import Path

from .errors import Failed

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def resolve_media(root: Path, relative: str) -> Path:
    """The real path of `relative` inside `root`, or Failed(media_outside_root)."""
    if not relative or "\x00" in relative:
        raise Failed("media_outside_root", f"media path {relative!r} is empty or malformed")
    if _SCHEME.match(relative) and not re.match(r"^[A-Za-z]:[\\/]", relative):
        raise Failed("media_outside_root", f"media path {relative!r} is a URL; only paths under the media root are read")
    if os.path.isabs(relative) or relative.startswith(("\\", "~")):
        raise Failed("media_outside_root", f"media path {relative!r} is absolute; paths are relative to the media root")
    if ".." in Path(relative).parts:
        raise Failed("media_outside_root", f"media path {relative!r} climbs out with '..'")
    real_root = Path(os.path.realpath(root))
    real = Path(os.path.realpath(real_root / relative))
    if real != real_root and real_root not in real.parents:
        raise Failed("media_outside_root", f"media path {relative!r} leads outside the media root (symlink)")
    return real


def read_media(root: Path, relative: str, max_bytes: int) -> bytes:
    """The file's bytes, or Failed with media_missing / media_too_large / media_unreadable."""
    path = resolve_media(root, relative)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise Failed("media_missing", f"media file {relative!r} does not exist") from None
    except OSError as e:
        raise Failed("media_unreadable", f"media file {relative!r} cannot be read: {e.strerror}") from None
    if not path.is_file():
        raise Failed("media_unreadable", f"media path {relative!r} is not a file")
    if size > max_bytes:
        raise Failed("media_too_large", f"media file {relative!r} is {size} bytes (limit {max_bytes})")
    if size == 0:
        raise Failed("media_unreadable", f"media file {relative!r} is empty")
    try:
        with path.open("rb") as f:
            return f.read(max_bytes + 1)
    except OSError as e:
        raise Failed("media_unreadable", f"media file {relative!r} cannot be read: {e.strerror}") from None
