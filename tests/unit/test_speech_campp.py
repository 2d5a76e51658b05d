"""CAM++ in numpy (nlp/speech/campp.py): Kaldi fbank, the shipped weights, embeddings of real voices."""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

from nlp.speech.campp import EMBEDDING_DIM, Campp, fbank, load_campp, normalise
from tests.fielddata import clip

WEIGHTS = Path(__file__).resolve().parents[2] / "nlp" / "speech" / "weights"
S0764 = ("fireredasr_BAC009S0764W0121.wav", "s3tokenizer_BAC009S0764W0122.wav")
S0002 = ("mindaudio_BAC009S0002W0122.wav", "mindaudio_BAC009S0002W0123.wav")
OTHERS = ("paddle_zh.wav", "funasr_asr_example.wav", "wenet_aishell_BAC009S0724W0121.wav", "ppasr_test.wav")


@lru_cache(maxsize=1)
def model() -> Campp:
    return load_campp((WEIGHTS / "campplus_zh_en_16k.npz").read_bytes())


def cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b / np.linalg.norm(a) / np.linalg.norm(b))


def test_npz_is_the_one_the_readme_names() -> None:
    readme = (WEIGHTS / "README.md").read_text(encoding="utf-8")
    m = re.search(r"sha256 of the npz \| `([0-9a-f]{64})`", readme)
    assert m, "README lists the npz sha256"
    assert hashlib.sha256((WEIGHTS / "campplus_zh_en_16k.npz").read_bytes()).hexdigest() == m.group(1)


def test_fbank_shape_floor_and_tone() -> None:
    sr = 16000
    t = np.arange(8000) / sr
    tone = (0.5 * np.sin(2 * np.pi * 1000.0 * t)).astype(np.float32)
    f = fbank(tone)
    # Snipped edges: 1 + (8000 - 400) // 160 frames of 80 bins.
    assert f.shape == (48, 80) and f.dtype == np.float32
    # Kaldi's mel scale: bin b's triangle peaks at mel_low + (b + 1) * delta; a 1 kHz tone lands
    # in the bin whose centre is nearest 1 kHz.
    mel = lambda hz: 1127.0 * np.log(1.0 + hz / 700.0)  # noqa: E731
    delta = (mel(8000.0) - mel(20.0)) / 81
    centres = 700.0 * (np.exp((mel(20.0) + (np.arange(80) + 1) * delta) / 1127.0) - 1.0)
    assert int(np.argmax(f[10])) == int(np.argmin(np.abs(centres - 1000.0)))
    # Power spectrum: twice the amplitude is log(4) more in every bin above the floor.
    g = fbank(2 * tone)
    lit = f > -10
    assert np.allclose(g[lit] - f[lit], np.log(4.0), atol=1e-3)
    # Digital silence sits on the floor (float32 eps); too little audio gives no frames.
    assert np.allclose(fbank(np.zeros(1600, np.float32)), np.log(np.finfo(np.float32).eps))
    assert fbank(np.zeros(399, np.float32)).shape == (0, 80)
    with pytest.raises(ValueError):
        fbank(tone, 8000)


def test_same_speaker_is_closer_than_other_voices() -> None:
    m = model()
    e = {name: m.embed(fbank(clip(name))) for name in S0764 + S0002 + OTHERS}
    assert all(v.shape == (EMBEDDING_DIM,) for v in e.values())
    same = [cos(e[S0764[0]], e[S0764[1]]), cos(e[S0002[0]], e[S0002[1]])]
    cross = [cos(e[a], e[b]) for a in S0764 + S0002 for b in OTHERS] + \
        [cos(e[a], e[b]) for a in S0764 for b in S0002]
    assert min(same) > 0.75, same
    assert max(cross) < 0.4, cross


def test_batch_and_pooled_frames_agree_with_one_utterance() -> None:
    m = model()
    f = fbank(clip(S0764[0]))
    one = m.embed(f[:150])
    batch = m.embed_batch(np.stack([f[:150], f[100:250]]))
    assert cos(one, batch[0]) > 0.99999
    # One long pass with windows pooled from its frames: near the utterance's own embedding.
    frames = m.frames(normalise(f))
    assert frames.shape == ((len(f) + 1) // 2, m.channels)
    pooled = m.pool(frames, [(0, len(frames)), (0, 75)])
    assert cos(pooled[0], m.embed(f)) > 0.98
    assert m.pool(frames, np.zeros((0, 2))).shape == (0, EMBEDDING_DIM)


def test_not_a_campp_file_is_refused() -> None:
    import io

    buf = io.BytesIO()
    np.savez(buf, other=np.zeros(3))
    with pytest.raises(KeyError):
        load_campp(buf.getvalue())
