"""Fewer glibc malloc arenas for a worker process.

glibc gives each thread that allocates concurrently an arena of its own (up to 8 per core) and
rarely returns their free space; a transcription worker's job thread, CTranslate2's threads and
the decoder's buffers then hold memory long after a call is done. `bench.asr --day --calls 12
--minutes 20` (2026-12-04, one run each): peak RSS 1,500 MB with glibc's default, 1,282 MB with
MALLOC_ARENA_MAX=2 in the environment, 1,347 MB with this call at the worker's start, at the same
CPU time (178.4 / 174.8 / 180.4 s).
"""
from __future__ import annotations

import ctypes
import ctypes.util

M_ARENA_MAX = -8  # glibc's mallopt parameter (malloc.h)


def limit_malloc_arenas(count: int) -> bool:
    """Cap glibc's malloc arenas at `count` for this process (0: leave the default); False where
    there is nothing to cap (not glibc) or the call is refused. Call it before threads start."""
    if count <= 0:
        return False
    try:
        mallopt = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").mallopt
    except (OSError, AttributeError):  # musl, macOS: other allocators, no arenas to cap
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    return mallopt(M_ARENA_MAX, count) == 1
