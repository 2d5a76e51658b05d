"""Decoding call recordings from bytes into float32 channels at the model's sample rate.

PyAV (the FFmpeg libraries faster-whisper itself uses) decodes WAV, MP3, M4A/AAC, OGG/Opus,
FLAC… from memory. AMR-NB — the usual format of Chinese phone-call recorders — is the
exception: recorders write DTX/SID (comfort-noise) frames, which PyAV's bundled native
`amrnb` decoder refuses ("Not yet implemented in FFmpeg, patches welcome") or, skipping them,
loses about a fifth of the audio. The static ffmpeg binary of the PyPI package imageio-ffmpeg
carries `libopencore_amrnb`, which decodes all of it, so AMR (and anything PyAV cannot
decode) goes through that binary over stdin/stdout pipes. The caller passes the binary's
path in: this module reads no settings and touches no files.

Errors are AudioError(code, message) with the job error codes of docs/contract.md, "Job life":
`media_unreadable` (empty, truncated, random bytes, no audio stream, no decoder for it —
the message names what is missing) and `media_too_long`.
"""
from __future__ import annotations

import io
import re
import struct
import subprocess
from dataclasses import dataclass

import av
import numpy as np

AMR_NB_MAGIC = b"#!AMR\n"
AMR_WB_MAGIC = b"#!AMR-WB\n"


class AudioError(Exception):
    """The recording cannot be used: `code` is the job's error code, the message says why."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True)
class DecodedAudio:
    """One float32 array per channel (1 = mono, 2 = stereo), all at `sample_rate`."""

    channels: tuple[np.ndarray, ...]
    sample_rate: int
    duration_s: float
    source_format: str  # the container as FFmpeg names it: wav, mp3, ogg, amr, "mov,mp4,m4a,…"
    decoder: str  # pyav:<codec> or ffmpeg:<codec>

    @property
    def mono(self) -> np.ndarray:
        """All channels mixed down (the mean), for mono transcription."""
        if len(self.channels) == 1:
            return self.channels[0]
        mixed = self.channels[0] + self.channels[1]  # one temporary, not a stacked copy of both
        for c in self.channels[2:]:
            mixed += c
        mixed *= np.float32(1.0 / len(self.channels))
        return mixed


# ---- header checks --------------------------------------------------------------------------------
def _wav_truncation(data: bytes) -> str | None:
    """A RIFF/WAVE file whose data chunk claims more bytes than the file has: cut short in transit.

    FFmpeg quietly decodes what is there (and even reports the shorter duration), so the
    header is checked here. Sizes 0 and 0xFFFFFFFF mean "unknown" (recorders that stream and
    never go back to patch the header) and are not judged.
    """
    if len(data) < 12 or data[:4] not in (b"RIFF", b"RIFX") or data[8:12] != b"WAVE":
        return None
    fmt = "<I" if data[:4] == b"RIFF" else ">I"
    pos = 12
    while pos + 8 <= len(data):
        chunk_id = data[pos:pos + 4]
        (size,) = struct.unpack(fmt, data[pos + 4:pos + 8])
        if chunk_id == b"data":
            have = len(data) - pos - 8
            if size not in (0, 0xFFFFFFFF) and have < size:
                return f"the WAV header declares {size} bytes of audio but the file holds {have}"
            return None
        pos += 8 + size + (size & 1)
    if pos > len(data):
        return "the WAV file ends inside a header chunk"
    return "the WAV file has no data chunk"


# Bytes per AMR storage-format frame (header byte included) by frame type, as FFmpeg's demuxer has them.
_AMR_NB_SIZES = (13, 14, 16, 18, 20, 21, 27, 32, 6, 1, 1, 1, 1, 1, 1, 1)
_AMR_WB_SIZES = (18, 24, 33, 37, 41, 47, 51, 59, 61, 6, 1, 1, 1, 1, 1, 1)


def _amr_problem(data: bytes) -> str | None:
    """Walk the frames of an AMR file (RFC 4867 storage format): a cut-off last frame or
    header bytes with their padding bits set mean a truncated or damaged file; AMR has no
    length field, so this is the only truncation sign there is."""
    wide = data.startswith(AMR_WB_MAGIC)
    sizes = _AMR_WB_SIZES if wide else _AMR_NB_SIZES
    pos = len(AMR_WB_MAGIC if wide else AMR_NB_MAGIC)
    if pos >= len(data):
        return "the AMR file has a header and no audio frames"
    frames = damaged = 0
    while pos < len(data):
        header = data[pos]
        if header & 0x83:  # the padding bits of a frame header are zero
            damaged += 1
        pos += sizes[(header >> 3) & 0x0F]
        frames += 1
    if damaged > max(2, frames // 20):
        return f"the AMR file is damaged: {damaged} of {frames} frame headers are invalid"
    if pos > len(data):
        return "the AMR file is truncated: its last frame is cut off"
    return None


# ---- PyAV ---------------------------------------------------------------------------------------
class _NeedsFallback(Exception):
    """PyAV's FFmpeg cannot decode this stream (missing or unimplemented decoder)."""


def _decode_pyav(data: bytes, sample_rate: int, max_duration_s: float) -> DecodedAudio:
    try:
        container = av.open(io.BytesIO(data), mode="r", metadata_errors="ignore")
    except av.error.FFmpegError as e:
        raise AudioError("media_unreadable", f"not a recognisable audio file ({e.strerror or e})") from None
    with container:
        if not container.streams.audio:
            raise AudioError("media_unreadable", f"the {container.format.name} file has no audio stream")
        stream = container.streams.audio[0]
        fmt = container.format.name
        codec = stream.codec_context.name if stream.codec_context else "?"
        declared = _declared_duration(container, stream)
        if declared is not None and declared > max_duration_s:
            # From the header: refuse before decoding hours of audio.
            raise AudioError("media_too_long", f"the recording lasts {declared:.0f} s (limit {max_duration_s:.0f} s)")
        n_channels = 1 if (stream.channels or 1) == 1 else 2  # more than two: FFmpeg downmixes to stereo
        resampler = av.AudioResampler(format="fltp", layout="mono" if n_channels == 1 else "stereo",
                                      rate=sample_rate)
        pieces: list[np.ndarray] = []
        total = 0
        limit = int((max_duration_s + 1.0) * sample_rate)
        good = bad = 0
        try:
            for packet in container.demux(stream):
                try:
                    frames = packet.decode()
                except (av.error.PatchWelcomeError, av.error.DecoderNotFoundError) as e:
                    raise _NeedsFallback(f"{codec}: {e.strerror or e}") from None
                except av.error.FFmpegError:
                    bad += 1  # one damaged packet: skip it as FFmpeg's own tools do, judged below
                    continue
                good += 1
                for frame in frames:
                    frame.pts = None  # the resampler does not need them and some containers lie
                    for out in resampler.resample(frame):
                        pieces.append(out.to_ndarray())
                        total += out.samples
                if total > limit:
                    raise AudioError("media_too_long", f"the recording lasts over {max_duration_s:.0f} s "
                                                       f"(limit {max_duration_s:.0f} s)")
            for out in resampler.resample(None):
                pieces.append(out.to_ndarray())
                total += out.samples
        except (av.error.PatchWelcomeError, av.error.DecoderNotFoundError) as e:
            raise _NeedsFallback(f"{codec}: {e.strerror or e}") from None
        except av.error.FFmpegError as e:
            if total == 0:
                raise AudioError("media_unreadable", f"the {fmt} audio cannot be decoded ({e.strerror or e})") from None
            bad += 1
        if total == 0:
            raise AudioError("media_unreadable", f"the {fmt} file holds no decodable audio"
                             + (f" ({bad} damaged packets)" if bad else ""))
        if bad > max(2, 0.05 * (good + bad)):
            raise AudioError("media_unreadable", f"the {fmt} audio is corrupt: {bad} of {good + bad} packets "
                                                 "cannot be decoded")
        audio = np.concatenate(pieces, axis=1).astype(np.float32, copy=False)
        duration = audio.shape[1] / sample_rate
        if declared is not None and duration < declared * 0.97 - 0.5:
            raise AudioError("media_unreadable", f"the {fmt} file is truncated: its header says {declared:.1f} s, "
                                                 f"only {duration:.1f} s can be decoded")
        return DecodedAudio(tuple(np.ascontiguousarray(audio[i]) for i in range(audio.shape[0])), sample_rate,
                            duration, fmt, f"pyav:{codec}")


def _declared_duration(container: av.container.InputContainer, stream: av.audio.stream.AudioStream) -> float | None:
    if stream.duration is not None and stream.time_base is not None and stream.duration > 0:
        return float(stream.duration * stream.time_base)
    if container.duration is not None and container.duration > 0:
        return container.duration / av.time_base
    return None


# ---- the ffmpeg binary ------------------------------------------------------------------------------
_STREAM_LINE = re.compile(r"Stream #0:\d+.*?: Audio: ([^,\s]+).*?, (\d+) Hz, ([^,]+),")


def _decode_ffmpeg(data: bytes, ffmpeg_exe: str, sample_rate: int, max_duration_s: float,
                   input_codec: str | None, why: str) -> DecodedAudio:
    cmd = [ffmpeg_exe, "-nostdin", "-hide_banner", "-loglevel", "info"]
    if input_codec:
        cmd += ["-c:a", input_codec]
    cmd += ["-i", "pipe:0", "-vn", "-map", "0:a:0",
            # mono stays mono, everything else becomes stereo (rep/customer channels)
            "-af", "aformat=channel_layouts=mono|stereo",
            "-ar", str(sample_rate), "-t", f"{max_duration_s + 1.0:.3f}",
            "-f", "f32le", "-c:a", "pcm_f32le", "pipe:1"]
    try:
        done = subprocess.run(cmd, input=data, capture_output=True, timeout=120 + max_duration_s / 10, check=False)
    except FileNotFoundError:
        raise AudioError("media_unreadable", f"{why}; the ffmpeg binary {ffmpeg_exe!r} is missing "
                                             "(pip install imageio-ffmpeg)") from None
    except subprocess.TimeoutExpired:
        raise AudioError("media_unreadable", f"{why}; ffmpeg did not finish decoding in time") from None
    err = done.stderr.decode("utf-8", "replace")
    if done.returncode != 0 or not done.stdout:
        reason = _ffmpeg_reason(err, input_codec)
        raise AudioError("media_unreadable", f"{why}; ffmpeg cannot decode it either: {reason}")
    out_part = err.split("Output #0", 1)
    in_match = _STREAM_LINE.search(out_part[0])
    out_match = _STREAM_LINE.search(out_part[1]) if len(out_part) > 1 else None
    n_channels = 2 if out_match and out_match.group(3).strip() == "stereo" else 1
    fmt_match = re.search(r"Input #0, ([^,]+(?:,[^,]+)*?), from", err)
    audio = np.frombuffer(done.stdout, dtype="<f4")
    audio = audio[: len(audio) - len(audio) % n_channels].reshape(-1, n_channels).T
    duration = audio.shape[1] / sample_rate
    if duration > max_duration_s:
        raise AudioError("media_too_long", f"the recording lasts over {max_duration_s:.0f} s "
                                           f"(limit {max_duration_s:.0f} s)")
    if audio.shape[1] == 0:
        raise AudioError("media_unreadable", f"{why}; ffmpeg decoded no audio from it")
    codec = input_codec or (in_match.group(1) if in_match else "?")
    return DecodedAudio(tuple(np.ascontiguousarray(audio[i], dtype=np.float32) for i in range(n_channels)),
                        sample_rate, duration, fmt_match.group(1) if fmt_match else "?", f"ffmpeg:{codec}")


def _ffmpeg_reason(stderr: str, input_codec: str | None) -> str:
    if input_codec and ("Unknown decoder" in stderr or "not found" in stderr):
        return f"this ffmpeg has no {input_codec} decoder (the one in PyPI package imageio-ffmpeg has)"
    lines = [ln.strip() for ln in stderr.splitlines() if ln.strip() and not ln.startswith(" ")]
    return lines[-1][:300] if lines else "no output"


# ---- the entry point ------------------------------------------------------------------------------
def decode_audio(data: bytes, *, sample_rate: int = 16000, max_duration_s: float = 7200.0,
                 ffmpeg_exe: str | None = None) -> DecodedAudio:
    """Decode a recording's bytes into float32 channels at `sample_rate` (mono or stereo).

    `ffmpeg_exe`: the static ffmpeg binary (imageio-ffmpeg's has libopencore_amrnb), used for
    AMR and for whatever PyAV cannot decode; None means "PyAV only" and AMR-NB with DTX then
    fails with a message naming the missing decoder. Raises AudioError.
    """
    if not data:
        raise AudioError("media_unreadable", "the file is empty")
    truncated = _wav_truncation(data)
    if truncated:
        raise AudioError("media_unreadable", f"the file is truncated: {truncated}")
    amr_codec = ("libopencore_amrwb" if data.startswith(AMR_WB_MAGIC)
                 else "libopencore_amrnb" if data.startswith(AMR_NB_MAGIC) else None)
    if amr_codec and ffmpeg_exe:
        # Straight to libopencore: the native decoder loses the DTX/comfort-noise frames.
        problem = _amr_problem(data)
        if problem:
            raise AudioError("media_unreadable", problem)
        return _decode_ffmpeg(data, ffmpeg_exe, sample_rate, max_duration_s, amr_codec, "AMR recording")
    try:
        return _decode_pyav(data, sample_rate, max_duration_s)
    except _NeedsFallback as e:
        why = f"PyAV's FFmpeg cannot decode this audio ({e})"
        if not ffmpeg_exe:
            need = (f"the {amr_codec} decoder" if amr_codec else "a decoder for it")
            raise AudioError("media_unreadable", f"{why}; {need} is missing: install the PyPI package "
                                                 "imageio-ffmpeg, whose ffmpeg has libopencore_amrnb") from None
        return _decode_ffmpeg(data, ffmpeg_exe, sample_rate, max_duration_s, amr_codec, why)
