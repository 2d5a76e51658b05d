"""The speech model on a GPU (ACTIONPROOF_ASR_DEVICE=cuda, float16), through the worker's code path.

Skipped where CTranslate2 sees no GPU — every machine of the team today, so this has not been run
(docs/speech.md, "On a GPU"). On a GPU machine: `.venv/bin/python -m pytest tests/integration/test_speech_gpu.py`.
"""
from __future__ import annotations

from pathlib import Path

import ctranslate2
import pytest

from nlp.speech.cer import score
from workers.asr_model import transcribe_recording
from workers.config import Settings

from tests.fielddata import SPEECH, speech_manifest

pytestmark = pytest.mark.skipif(ctranslate2.get_cuda_device_count() == 0,
                                reason="no CUDA GPU visible to CTranslate2 (ctranslate2.get_cuda_device_count() == 0)")

CLIP = "wenet_aishell_BAC009S0724W0121.wav"  # 4.3 s, human label


def test_cuda_float16_transcribes_a_short_clip(tmp_path: Path) -> None:
    settings = Settings.from_env({"ACTIONPROOF_HOME": str(tmp_path), "ACTIONPROOF_ASR_DEVICE": "cuda"})
    assert settings.asr_compute_type == "float16"
    run = transcribe_recording((SPEECH / CLIP).read_bytes(), "mono", settings)
    reference = next(r["reference"] for r in speech_manifest() if r["file"] == CLIP)
    # int8 on CPU gets 2 of 12 characters wrong here (CER 0.17); float16 decodes slightly differently, so one more
    assert score(reference, run.transcript.text).cer <= 0.25, run.transcript.text
    assert (run.info.device, run.info.compute_type) == ("cuda", "float16")
    assert run.info.describe().endswith("float16/cuda")
