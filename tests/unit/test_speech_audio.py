"""nlp.speech.audio: decoding recordings from bytes (formats made here with PyAV), and its error codes."""
from __future__ import annotations

import io
import struct
from pathlib import Path

import av
import numpy as np
import pytest

from bench.calls import amr_bytes
from nlp.speech.audio import AudioError, DecodedAudio, decode_audio
from workers.asr_model import default_ffmpeg_exe

from tests.fielddata import speech_path
FFMPEG = default_ffmpeg_exe()


def field(name: str) -> bytes:
    return speech_path(name).read_bytes()


def tone(rate: int, seconds: float, freq: float = 440.0, amp: float = 0.3) -> np.ndarray:
    t = np.arange(int(rate * seconds)) / rate
    return (amp * np.sin(2 * np.pi * freq * t)).astype(np.float32)


def amr(seconds: float) -> bytes:
    """A 440 Hz tone as AMR-NB without DTX, from imageio-ffmpeg's ffmpeg: PyAV's wheels carry no
    libopencore_amrnb encoder from 18.1.1 on (its decoders are unchanged)."""
    return amr_bytes(tone(16000, seconds), FFMPEG, dtx=False)


def encode(fmt: str, codec: str, rate: int, channels: list[np.ndarray], **codec_options: str) -> bytes:
    """Encode float channels with PyAV into an in-memory file."""
    layout = "mono" if len(channels) == 1 else "stereo"
    buf = io.BytesIO()
    with av.open(buf, "w", format=fmt) as container:
        stream = container.add_stream(codec, rate=rate, layout=layout, options=codec_options or None)
        planar = np.stack(channels).astype(np.float32)
        sample_fmt = stream.codec_context.format.name if stream.codec_context.format else "fltp"
        size = stream.codec_context.frame_size or 1024
        fifo = av.AudioFifo()
        for i in range(0, planar.shape[1], size):
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(planar[:, i:i + size]), format="fltp",
                                               layout=layout)
            frame.sample_rate = rate
            frame.pts = i
            fifo.write(frame)
        resampler = av.AudioResampler(format=sample_fmt, layout=layout, rate=rate)
        while (frame := fifo.read(size)) is not None:
            for out in resampler.resample(frame):
                for packet in stream.encode(out):
                    container.mux(packet)
        last = fifo.read()
        if last is not None:
            for out in resampler.resample(last):
                for packet in stream.encode(out):
                    container.mux(packet)
        for packet in stream.encode(None):
            container.mux(packet)
    return buf.getvalue()


def wav(rate: int, channels: list[np.ndarray]) -> bytes:
    return encode("wav", "pcm_s16le", rate, channels)


def dominant_hz(x: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(x * np.hanning(x.size)))
    return float(np.argmax(spectrum) * rate / x.size)


FORMATS = [("wav", "pcm_s16le", 16000), ("wav", "pcm_s16le", 8000), ("mp3", "libmp3lame", 44100),
           ("ipod", "aac", 16000), ("ogg", "libopus", 48000), ("flac", "flac", 22050)]


@pytest.mark.parametrize("fmt,codec,rate", FORMATS, ids=[f"{f}-{c}-{r}" for f, c, r in FORMATS])
def test_formats_decode_to_16k_mono(fmt: str, codec: str, rate: int) -> None:
    data = encode(fmt, codec, rate, [tone(rate, 2.0)])
    audio = decode_audio(data)
    assert isinstance(audio, DecodedAudio)
    assert audio.sample_rate == 16000 and len(audio.channels) == 1
    assert audio.channels[0].dtype == np.float32
    assert audio.duration_s == pytest.approx(2.0, abs=0.15)  # AAC keeps its encoder delay (1024+ samples)
    assert audio.decoder.startswith("pyav:")
    assert dominant_hz(audio.channels[0], 16000) == pytest.approx(440, abs=5)


@pytest.mark.parametrize("fmt,codec,rate", [("wav", "pcm_s16le", 16000), ("mp3", "libmp3lame", 44100),
                                            ("ipod", "aac", 16000), ("ogg", "libopus", 48000)])
def test_stereo_keeps_channels_apart(fmt: str, codec: str, rate: int) -> None:
    left, right = tone(rate, 2.0, 440), tone(rate, 2.0, 1000, amp=0.1)
    audio = decode_audio(encode(fmt, codec, rate, [left, right]))
    assert len(audio.channels) == 2
    assert dominant_hz(audio.channels[0], 16000) == pytest.approx(440, abs=5)
    assert dominant_hz(audio.channels[1], 16000) == pytest.approx(1000, abs=5)
    assert np.abs(audio.channels[0]).max() > 2 * np.abs(audio.channels[1]).max()
    assert audio.mono.shape == audio.channels[0].shape


def test_other_sample_rate_on_request() -> None:
    audio = decode_audio(wav(44100, [tone(44100, 1.0)]), sample_rate=8000)
    assert audio.sample_rate == 8000 and audio.channels[0].size == pytest.approx(8000, abs=80)


def test_amr_nb_without_dtx_decodes_in_pyav_and_through_ffmpeg() -> None:
    data = amr(2.0)
    assert data.startswith(b"#!AMR\n")
    alone = decode_audio(data)  # no DTX frames: PyAV's native decoder copes
    assert alone.decoder.startswith("pyav:") and alone.duration_s == pytest.approx(2.0, abs=0.1)
    piped = decode_audio(data, ffmpeg_exe=FFMPEG)
    assert piped.decoder == "ffmpeg:libopencore_amrnb" and piped.duration_s == pytest.approx(2.0, abs=0.1)
    assert dominant_hz(piped.channels[0], 16000) == pytest.approx(440, abs=10)


def test_field_amr_file_needs_and_gets_libopencore() -> None:
    data = field("paddle_zh_8k.amr")
    with pytest.raises(AudioError) as e:
        decode_audio(data)  # PyAV's bundled FFmpeg: "Not yet implemented in FFmpeg"
    assert e.value.code == "media_unreadable"
    assert "libopencore_amrnb" in str(e.value) and "imageio-ffmpeg" in str(e.value)
    audio = decode_audio(data, ffmpeg_exe=FFMPEG)
    assert audio.decoder == "ffmpeg:libopencore_amrnb" and audio.source_format == "amr"
    assert audio.duration_s == pytest.approx(5.0, abs=0.05)  # all of it, not the native decoder's 4/5
    assert float(np.abs(audio.channels[0]).max()) > 0.01


def test_missing_ffmpeg_binary_is_named() -> None:
    data = amr(1.0)
    with pytest.raises(AudioError) as e:
        decode_audio(data, ffmpeg_exe="/nonexistent/ffmpeg")
    assert e.value.code == "media_unreadable" and "/nonexistent/ffmpeg" in str(e.value)


def test_ffmpeg_without_the_decoder_names_it(tmp_path: Path) -> None:
    fake = tmp_path / "ffmpeg"
    fake.write_text("#!/bin/sh\necho \"Unknown decoder 'libopencore_amrnb'\" >&2\nexit 1\n")
    fake.chmod(0o755)
    with pytest.raises(AudioError) as e:
        decode_audio(amr(1.0), ffmpeg_exe=str(fake))
    assert e.value.code == "media_unreadable" and "no libopencore_amrnb decoder" in str(e.value)


# ---- errors ---------------------------------------------------------------------------------------
def _code(data: bytes, **kw) -> str:
    with pytest.raises(AudioError) as e:
        decode_audio(data, ffmpeg_exe=FFMPEG, **kw)
    assert str(e.value)  # a message a manager can read
    return e.value.code


def test_empty() -> None:
    assert _code(b"") == "media_unreadable"


@pytest.mark.parametrize("size", [1, 10, 100, 1000, 100_000])
def test_random_bytes(size: int) -> None:
    rng = np.random.default_rng(size)
    assert _code(rng.bytes(size)) == "media_unreadable"


def test_many_random_buffers_never_escape_as_other_exceptions() -> None:
    rng = np.random.default_rng(7)
    for _ in range(60):
        data = rng.bytes(int(rng.integers(1, 5000)))
        try:
            decode_audio(data, ffmpeg_exe=FFMPEG)
        except AudioError as e:
            assert e.code == "media_unreadable"


def test_text_file_is_unreadable() -> None:
    assert _code("这不是录音，是一段文字。\n".encode() * 50) == "media_unreadable"


@pytest.mark.parametrize("keep", [0.5, 0.9, 0.99])
def test_truncated_wav(keep: float) -> None:
    data = wav(16000, [tone(16000, 3.0)])
    assert _code(data[: int(len(data) * keep)]) == "media_unreadable"


def test_wav_header_only() -> None:
    data = wav(16000, [tone(16000, 1.0)])
    assert _code(data[:44]) == "media_unreadable"
    assert _code(data[:20]) == "media_unreadable"


def test_streaming_wav_with_unknown_size_is_accepted() -> None:
    data = bytearray(wav(16000, [tone(16000, 1.0)]))
    pos = data.index(b"data")
    data[pos + 4:pos + 8] = struct.pack("<I", 0xFFFFFFFF)  # recorders that never patch the header
    data[4:8] = struct.pack("<I", 0xFFFFFFFF)
    assert decode_audio(bytes(data)).duration_s == pytest.approx(1.0, abs=0.05)


@pytest.mark.parametrize("fmt,codec,rate", [("mp3", "libmp3lame", 16000), ("ipod", "aac", 16000),
                                            ("ogg", "libopus", 48000)])
def test_truncated_compressed_files_fail_or_decode_what_is_there(fmt: str, codec: str, rate: int) -> None:
    # A compressed file cut short either fails cleanly or yields the part that is there — never an
    # exception other than AudioError, never more audio than was sent.
    data = encode(fmt, codec, rate, [tone(rate, 3.0)])
    for keep in (0.1, 0.5, 0.9):
        try:
            audio = decode_audio(data[: int(len(data) * keep)], ffmpeg_exe=FFMPEG)
        except AudioError as e:
            assert e.code == "media_unreadable"
        else:
            assert audio.duration_s <= 3.1


def test_truncated_and_damaged_amr() -> None:
    data = amr(2.0)
    assert _code(data[:6]) == "media_unreadable"  # the magic only
    assert _code(data[: len(data) // 2 + 3]) == "media_unreadable"  # a frame cut off
    rng = np.random.default_rng(3)
    assert _code(data[:6] + rng.bytes(2000)) == "media_unreadable"


def test_too_long_from_the_header_before_decoding() -> None:
    data = wav(16000, [tone(16000, 3.0)])
    with pytest.raises(AudioError) as e:
        decode_audio(data, max_duration_s=2.0)
    assert e.value.code == "media_too_long" and "limit 2 s" in str(e.value)
    assert decode_audio(data, max_duration_s=3.5).duration_s == pytest.approx(3.0, abs=0.01)


def test_too_long_without_a_header_duration() -> None:
    # AMR has no duration in its header: the ffmpeg path stops at the limit and says so.
    data = amr(4.0)
    assert _code(data, max_duration_s=2.0) == "media_too_long"


def test_no_audio_stream() -> None:
    buf = io.BytesIO()
    with av.open(buf, "w", format="mp4") as c:
        s = c.add_stream("mpeg4", rate=10)
        s.width, s.height = 32, 32
        s.pix_fmt = "yuv420p"
        for i in range(5):
            f = av.VideoFrame.from_ndarray(np.zeros((32, 32, 3), np.uint8), format="rgb24")
            f.pts = i
            for p in s.encode(f):
                c.mux(p)
        for p in s.encode(None):
            c.mux(p)
    with pytest.raises(AudioError) as e:
        decode_audio(buf.getvalue(), ffmpeg_exe=FFMPEG)
    assert e.value.code == "media_unreadable" and "no audio stream" in str(e.value)
