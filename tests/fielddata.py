"""The field data in tests/data/ (real photos, speech, datum vectors; see tests/data/SOURCES.md).

Derived recordings — the 195 s long call, its telephone-band copy, the quiet recording and the
rep/customer stereo call — are not stored: `speech_path` builds them from the clips on first use
(a few seconds) into var/fielddata/, atomically, so parallel test processes never see half a file.
"""
from __future__ import annotations

import csv
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from nlp.speech.audio import decode_audio
from nlp.speech.mix import concat_with_pauses, scale_to_peak, telephone, two_party_call, wav_bytes

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
PHOTOS = DATA / "photos"
SPEECH = DATA / "speech"
COORDS = DATA / "coords.json"
# Bump when a recipe changes, so a developer's earlier build is not reused.
BUILT = ROOT / "var" / "fielddata" / "v1"
RATE = 16000

# Derived files: how each is built (fixtures.json says the same in words).
DERIVED = ("long_call_16k.wav", "long_call_8k_telephone.wav", "quiet_paddle_zh.wav", "stereo_call_rep_left.wav")


@lru_cache(maxsize=1)
def speech_manifest() -> list[dict[str, str]]:
    """Rows of tests/data/speech/manifest.tsv (file, duration, reference, reference kind, source, licence)."""
    with (SPEECH / "manifest.tsv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


@lru_cache(maxsize=1)
def speech_fixtures() -> dict[str, Any]:
    """tests/data/speech/fixtures.json: the derived recordings, their references and turn times."""
    return json.loads((SPEECH / "fixtures.json").read_text(encoding="utf-8"))


def clip(name: str) -> np.ndarray:
    """A stored clip decoded to 16 kHz mono float32."""
    return decode_audio((SPEECH / name).read_bytes()).mono


def _build(name: str) -> bytes:
    if name in ("long_call_16k.wav", "long_call_8k_telephone.wav"):
        samples = concat_with_pauses([clip(row["file"]) for row in speech_manifest()], 1.5, RATE)
        if name == "long_call_16k.wav":
            return wav_bytes(samples, RATE)
        return wav_bytes(*telephone(samples, RATE))
    if name == "quiet_paddle_zh.wav":
        return wav_bytes(scale_to_peak(clip("paddle_zh.wav"), -40.0), RATE)
    if name == "stereo_call_rep_left.wav":
        spec = speech_fixtures()[name]
        turns = [(t["speaker"], t["source"], clip(t["source"])) for t in spec["turns"]]
        stereo, _ = two_party_call(turns, RATE, pause_s=0.5, stereo_order=("rep", "customer"))
        return wav_bytes(stereo, RATE)
    raise KeyError(name)


def speech_path(name: str) -> Path:
    """The path of a speech file: a stored clip, or a derived recording built on first use."""
    stored = SPEECH / name
    if stored.is_file():
        return stored
    if name not in DERIVED:
        raise FileNotFoundError(f"no field speech file {name!r} (stored: {SPEECH}, derived: {', '.join(DERIVED)})")
    target = BUILT / name
    if not target.is_file():
        BUILT.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=BUILT, prefix=f".{name}.")
        with os.fdopen(fd, "wb") as f:
            f.write(_build(name))
        os.replace(tmp, target)
    return target


def speech_dir() -> Path:
    """A folder with every speech file, stored and derived, side by side (for code that takes a folder)."""
    folder = BUILT / "speech"
    folder.mkdir(parents=True, exist_ok=True)
    for path in [*sorted(SPEECH.iterdir()), *(speech_path(n) for n in DERIVED)]:
        link = folder / path.name
        if not link.exists():
            try:
                link.symlink_to(path)
            except FileExistsError:
                pass
    return folder
