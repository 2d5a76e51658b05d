"""workers/memory.py: the malloc arena cap is applied on glibc and configurable from the environment."""
from __future__ import annotations

import subprocess
import sys

import pytest

from tests.support import ROOT

from workers.config import Settings
from workers.memory import limit_malloc_arenas


def test_zero_leaves_the_default_and_the_setting_reads_the_environment() -> None:
    assert limit_malloc_arenas(0) is False
    assert Settings.from_env({}).malloc_arena_max == 2
    assert Settings.from_env({"ACTIONPROOF_MALLOC_ARENA_MAX": "0"}).malloc_arena_max == 0
    assert Settings.from_env({"ACTIONPROOF_MALLOC_ARENA_MAX": "-3"}).malloc_arena_max == 0


def test_the_cap_holds_threads_to_the_arenas_allowed() -> None:
    # Eight threads allocating at once get arenas of their own under glibc's default, but share two
    # under the cap: malloc_info() lists one <heap> per arena.
    code = """
import ctypes, ctypes.util, os, sys, tempfile, threading
from workers.memory import limit_malloc_arenas
if not limit_malloc_arenas(int(sys.argv[1])) and sys.argv[1] != "0":
    print("no-glibc"); raise SystemExit
barrier = threading.Barrier(8)
def work():
    barrier.wait()
    keep = [bytearray(4096) for _ in range(2000)]
    barrier.wait()
threads = [threading.Thread(target=work) for _ in range(8)]
[t.start() for t in threads]; [t.join() for t in threads]
libc = ctypes.CDLL(ctypes.util.find_library("c"))
libc.fdopen.restype, libc.fdopen.argtypes = ctypes.c_void_p, (ctypes.c_int, ctypes.c_char_p)
libc.malloc_info.argtypes, libc.fflush.argtypes = (ctypes.c_int, ctypes.c_void_p), (ctypes.c_void_p,)
fd, path = tempfile.mkstemp()
fp = libc.fdopen(fd, b"w")
libc.malloc_info(0, fp); libc.fflush(fp)
print(open(path).read().count("<heap nr="))
os.remove(path)
"""
    counts = {}
    for n in ("0", "2"):
        out = subprocess.run([sys.executable, "-c", code, n], capture_output=True, text=True, check=True,
                             cwd=ROOT).stdout.split()
        if out and out[-1] == "no-glibc":
            pytest.skip("not glibc: no malloc arenas to cap")
        counts[n] = int(out[-1])
    assert counts["2"] <= 2 < counts["0"], counts
