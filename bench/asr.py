"""Speech: plain faster-whisper versus actionproof's path, same audio, same model, one run.

Plain = WhisperModel.transcribe(language="zh", beam_size=5, vad_filter=True), text converted
to Simplified afterwards (OpenCC t2s). actionproof = nlp.speech.transcribe.transcribe with its
defaults (loudness normalisation, VAD windows on the real timeline, batched timestamped
decoding with resumption, temperature fallback, guards). Both get the same decoded audio;
file decoding is not timed. CER: nlp.speech.cer (Simplified, punctuation and spaces removed, pooled).
RTF = processing seconds ÷ audio seconds (lower is faster); CPU = this process's CPU seconds
(time.process_time, all threads), the steadier measure on shared cores: `--speed cpu` (default)
keeps, of the repeats, the run with the least CPU time, `--speed wall` the fastest.

    .venv/bin/python -m bench.asr                       # long_call_16k, long_call_8k, human pool
    .venv/bin/python -m bench.asr --sets long16k --variants stock-batched,no-guards
    .venv/bin/python -m bench.asr --variants plain,actionproof,actionproof-beam5 --repeat 3 --threads 1
    .venv/bin/python -m bench.asr --ablation            # every guard/option off in turn (CER only)
    .venv/bin/python -m bench.asr --day [--calls 60 --minutes 60]  # a day's batch through a worker (bench/_asr_day.py)

The machine's load is printed before and after: on shared cores timings are noisy, CER is not.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import time
from pathlib import Path
from typing import Any, Callable


from nlp.speech.audio import DecodedAudio, decode_audio
from nlp.speech.cer import score
from nlp.speech.guards import GuardOptions
from nlp.speech.transcribe import TranscribeOptions, transcribe
from nlp.script import has_traditional, to_simplified

from tests.fielddata import speech_fixtures, speech_manifest, speech_path

ROOT = Path(__file__).resolve().parents[1]


@dataclasses.dataclass(frozen=True)
class Clip:
    name: str
    reference: str
    audio: DecodedAudio


def human_clips() -> list[tuple[str, str]]:
    """(file, reference) of manifest.tsv's human-labelled clips."""
    return [(r["file"], r["reference"]) for r in speech_manifest() if r["reference_kind"] == "human label"]


def load_sets(names: list[str], ffmpeg_exe: str | None = None) -> dict[str, list[Clip]]:
    """The named sets (long16k, long8k, human, quiet, amr) decoded, with their references."""
    fixtures = speech_fixtures()
    files = {"long16k": [("long_call_16k.wav", fixtures["long_call_16k.wav"]["reference"])],
             "long8k": [("long_call_8k_telephone.wav", fixtures["long_call_8k_telephone.wav"]["reference"])],
             "human": human_clips(),
             "quiet": [("quiet_paddle_zh.wav", fixtures["quiet_paddle_zh.wav"]["reference"])],
             "amr": [("paddle_zh_8k.amr", fixtures["paddle_zh_8k.amr"]["reference"])]}
    return {n: [Clip(f, ref, decode_audio(speech_path(f).read_bytes(), ffmpeg_exe=ffmpeg_exe)) for f, ref in files[n]]
            for n in names}


def plain(model: Any, clip: Clip, batched: bool = False) -> str:
    """The baseline: faster-whisper as its README shows it, converted to Simplified afterwards."""
    if batched:
        from faster_whisper import BatchedInferencePipeline

        segments, _ = BatchedInferencePipeline(model).transcribe(clip.audio.mono, language="zh", beam_size=5,
                                                                 batch_size=8)
    else:
        segments, _ = model.transcribe(clip.audio.mono, language="zh", beam_size=5, vad_filter=True)
    return to_simplified("".join(s.text for s in segments))


def ours(options: TranscribeOptions) -> Callable[[Any, Clip], str]:
    def run(model: Any, clip: Clip) -> str:
        return transcribe(model, clip.audio, "mono", options).text

    return run


VARIANTS: dict[str, Callable[[Any, Clip], str]] = {
    "plain": plain,
    "stock-batched": lambda m, c: plain(m, c, batched=True),
    "actionproof": ours(TranscribeOptions()),
    "actionproof-seq": ours(TranscribeOptions(batch_size=1)),
    # Before the speed round (docs/speech.md): beam 5 everywhere, encoder in batches of 8, always 30 s input.
    "actionproof-beam5": ours(TranscribeOptions(first_beam_size=None, encode_batch_size=8, encoder_step_s=None)),
    "actionproof-greedy-all": ours(TranscribeOptions(greedy_min_s=0.0)),
    "actionproof-short-all": ours(TranscribeOptions(short_encoder="all")),
    "no-guards": ours(TranscribeOptions(guards=GuardOptions(
        boilerplate=False, no_speech_prob=None, max_char_run=None, max_phrase_repeats=None,
        min_speech_overlap_s=None, max_duplicates=None))),
}

ABLATION: dict[str, TranscribeOptions] = {
    "defaults": TranscribeOptions(),
    "no boilerplate guard": TranscribeOptions(guards=GuardOptions(boilerplate=False)),
    "no no-speech guard": TranscribeOptions(guards=GuardOptions(no_speech_prob=None)),
    "no repetition guard": TranscribeOptions(guards=GuardOptions(max_char_run=None, max_phrase_repeats=None)),
    "no outside-speech guard": TranscribeOptions(guards=GuardOptions(min_speech_overlap_s=None)),
    "no duplicate guard": TranscribeOptions(guards=GuardOptions(max_duplicates=None)),
    "no loudness normalisation": TranscribeOptions(normalise_loudness=False),
    "no resumption": TranscribeOptions(max_resume_rounds=0),
    "no temperature fallback": TranscribeOptions(temperatures=(0.0,)),
    "hotwords (customer vocabulary)": TranscribeOptions(hotwords="房地产 限购 通用计算机 发票机 金融学 销售 商场 业绩"),
}


@dataclasses.dataclass
class Result:
    variant: str
    set: str
    seconds: float  # wall clock
    cpu_seconds: float  # this process's CPU time (all threads)
    audio_s: float
    errors: int
    ref_chars: int
    traditional: int
    texts: list[str]

    @property
    def rtf(self) -> float:
        return self.seconds / self.audio_s

    @property
    def cpu_rtf(self) -> float:
        return self.cpu_seconds / self.audio_s

    @property
    def cer(self) -> float:
        return self.errors / self.ref_chars


def measure(model: Any, variant: str, run: Callable[[Any, Clip], str], set_name: str, clips: list[Clip]) -> Result:
    seconds, cpu, errors, chars, trad, texts = 0.0, 0.0, 0, 0, 0, []
    for clip in clips:
        t0, c0 = time.perf_counter(), time.process_time()
        text = run(model, clip)
        seconds += time.perf_counter() - t0
        cpu += time.process_time() - c0
        s = score(clip.reference, text)
        errors, chars = errors + s.errors, chars + s.reference_chars
        trad += has_traditional(text)
        texts.append(text)
    return Result(variant, set_name, seconds, cpu, sum(c.audio.duration_s for c in clips), errors, chars, trad, texts)


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main(argv: list[str] | None = None) -> int:
    import sys

    if "--day" in (sys.argv[1:] if argv is None else argv):
        from bench._asr_day import main as day_main

        return day_main(argv)
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sets", default="long16k,long8k,human", help="long16k, long8k, human, quiet, amr")
    p.add_argument("--variants", default="plain,actionproof", help=", ".join(VARIANTS))
    p.add_argument("--ablation", action="store_true", help="CER of the defaults with each guard/option off in turn")
    p.add_argument("--day", action="store_true", help="a day's batch of calls through a real transcription worker "
                   "beside plain faster-whisper (bench/_asr_day.py; its own flags: --calls, --minutes, --seed)")
    p.add_argument("--model", default="pypi:base")
    p.add_argument("--cache-dir", default=str(ROOT / "var" / "models"))
    p.add_argument("--compute-type", default="int8")
    p.add_argument("--threads", type=int, default=0)
    p.add_argument("--repeat", type=int, default=1, help="time each variant this many times (interleaved), keep the best run (--speed)")
    p.add_argument("--speed", choices=("cpu", "wall"), default="cpu",
                   help="which run of the repeats is kept: least CPU time (default) or least wall time")
    p.add_argument("--json", help="also write the results here")
    p.add_argument("--show-text", action="store_true")
    args = p.parse_args(argv)

    from workers.asr_model import default_ffmpeg_exe, load_model

    model, info = load_model(args.model, Path(args.cache_dir), "cpu", args.compute_type, args.threads)
    sets = load_sets([s for s in args.sets.split(",") if s], ffmpeg_exe=default_ffmpeg_exe())
    print(f"model {info.name} at {info.path} ({info.compute_type}, threads {info.threads or 'default'}); "
          f"cpus {os.cpu_count()}; load average before: {load()}", flush=True)
    runs: list[tuple[str, Callable[[Any, Clip], str]]]
    if args.ablation:
        runs = [(name, ours(o)) for name, o in ABLATION.items()]
    else:
        runs = [(v, VARIANTS[v]) for v in args.variants.split(",") if v]
    # Warm-up: the first call pays for lazy initialisation (VAD model, allocator).
    first = next(iter(sets.values()))[0]
    VARIANTS["actionproof"](model, Clip(first.name, first.reference, dataclasses.replace(
        first.audio, channels=tuple(c[:16000 * 5] for c in first.audio.channels), duration_s=5.0)))
    results: list[Result] = []
    for set_name, clips in sets.items():
        # Repeats interleave the variants, so a burst of load from elsewhere hits them alike;
        # the fastest run of each is kept (CER does not change between runs).
        best: dict[str, Result] = {}
        for _ in range(max(1, args.repeat)):
            for variant, run in runs:
                r = measure(model, variant, run, set_name, clips)
                key = (lambda x: x.cpu_seconds) if args.speed == "cpu" else (lambda x: x.seconds)
                if variant not in best or key(r) < key(best[variant]):
                    best[variant] = r
        for variant, _ in runs:
            r = best[variant]
            results.append(r)
            print(f"  {set_name:<8} {variant:<32} RTF {r.rtf:.3f} (CPU {r.cpu_seconds:.2f} s, {r.cpu_rtf:.3f})  "
                  f"CER {r.cer:.3f}  "
                  f"({r.errors}/{r.ref_chars}, traditional outputs {r.traditional})", flush=True)
            if args.show_text:
                for t in r.texts:
                    print("     ", t.replace("\n", " / "))
    print(f"load average after: {load()}")
    if not args.ablation and "plain" in [v for v, _ in runs]:
        others = [v for v, _ in runs if v not in ("plain", "actionproof")]
        head = ("| audio | plain RTF | actionproof RTF | wall speed-up | plain CPU s | actionproof CPU s | "
                "CPU speed-up | plain CER | actionproof CER |")
        head += "".join(f" {v} RTF | {v} CPU s | {v} CER |" for v in others)
        print("\n" + head)
        print("|---" * (9 + 3 * len(others)) + "|")
        for set_name in sets:
            by = {r.variant: r for r in results if r.set == set_name}
            if "plain" in by and "actionproof" in by:
                a, b = by["plain"], by["actionproof"]
                line = (f"| {set_name} ({a.audio_s:.0f} s) | {a.rtf:.3f} | {b.rtf:.3f} | {a.rtf / b.rtf:.2f}× | "
                        f"{a.cpu_seconds:.1f} | {b.cpu_seconds:.1f} | {a.cpu_seconds / b.cpu_seconds:.2f}× | "
                        f"{a.cer:.3f} | {b.cer:.3f} |")
                line += "".join(f" {by[v].rtf:.3f} | {by[v].cpu_seconds:.1f} | {by[v].cer:.3f} |"
                                for v in others if v in by)
                print(line)
    if args.json:
        Path(args.json).write_text(json.dumps([dict(dataclasses.asdict(r), rtf=r.rtf, cer=r.cer) for r in results],
                                              ensure_ascii=False, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
