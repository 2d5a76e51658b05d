"""Configuration: read from environment variables here and nowhere else."""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

DEFAULT_REQUIRED_EVIDENCE = {"上门拜访": ["checkin", "photo"], "现场勘测": ["checkin", "photo"], "电话沟通": ["call_log"]}

ASR_DEVICES = ("cpu", "cuda", "auto")  # auto: cuda when CTranslate2 sees a GPU, else cpu (decided at model load)
ASR_COMPUTE_TYPES = ("int8", "int8_float32", "int8_float16", "int8_bfloat16", "int16", "float16", "bfloat16",
                     "float32", "default", "auto")  # CTranslate2's names
ASR_DEFAULT_COMPUTE_TYPE = {"cpu": "int8", "cuda": "float16"}  # faster-whisper's recommendations per device
# CTranslate2 refuses these on a CPU ("do not support efficient float16 computation") and int16 on a GPU:
# refused here, so a typo stops the worker at start rather than failing the first transcription.
_GPU_ONLY_COMPUTE_TYPES = ("int8_float16", "int8_bfloat16", "float16", "bfloat16")
_CPU_ONLY_COMPUTE_TYPES = ("int16",)


def _float(env: Mapping[str, str], name: str, default: float) -> float:
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        return float(raw)
    except ValueError:
        raise SystemExit(f"{name}={raw!r} is not a number") from None


def _json_object(env: Mapping[str, str], name: str) -> dict:
    raw = env.get(name)
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except ValueError as e:
        raise SystemExit(f"{name} is not JSON: {e}") from None
    if not isinstance(value, dict):
        raise SystemExit(f"{name} must be a JSON object")
    return value


def _choice(env: Mapping[str, str], name: str, choices: tuple[str, ...]) -> str:
    raw = env.get(name) or choices[0]
    if raw not in choices:
        raise SystemExit(f"{name}={raw!r}: use one of {', '.join(choices)}")
    return raw


def _asr_compute_type(env: Mapping[str, str], device: str) -> str:
    """ACTIONPROOF_ASR_COMPUTE_TYPE checked against the device; unset: int8 on cpu, float16 on cuda, "" on auto."""
    name = "ACTIONPROOF_ASR_COMPUTE_TYPE"
    raw = env.get(name) or ""
    if not raw:
        return ASR_DEFAULT_COMPUTE_TYPE.get(device, "")  # auto: chosen once the device is known (workers/asr_model.py)
    if raw not in ASR_COMPUTE_TYPES:
        raise SystemExit(f"{name}={raw!r}: use one of {', '.join(ASR_COMPUTE_TYPES)}")
    if device == "cpu" and raw in _GPU_ONLY_COMPUTE_TYPES:
        raise SystemExit(f"{name}={raw!r} needs a GPU (ACTIONPROOF_ASR_DEVICE=cuda); on cpu use int8 or float32")
    if device == "cuda" and raw in _CPU_ONLY_COMPUTE_TYPES:
        raise SystemExit(f"{name}={raw!r} runs on cpu only; on cuda use float16, int8_float16 or int8")
    return raw


def _clock_time(env: Mapping[str, str], name: str, default: str) -> str:
    """A local time of day `HH:MM`, checked here so a typo stops the worker at start, not at 15:00."""
    raw = env.get(name) or default
    parts = raw.split(":")
    if len(parts) != 2 or not all(p.isdigit() for p in parts) or int(parts[0]) > 23 or int(parts[1]) > 59:
        raise SystemExit(f"{name}={raw!r} is not a time of day like 15:00")
    return f"{int(parts[0]):02d}:{int(parts[1]):02d}"


@dataclass(frozen=True)
class Settings:
    """Every setting, with the environment variable it comes from (see README's table)."""

    home: Path = Path("var")
    database_url: str = ""
    broker_url: str = ""
    media_root: Path = Path("var/media")
    queue_prefix: str = ""
    default_timezone: str = "Asia/Shanghai"
    radius_m: float = 500.0
    photo_time_tolerance_s: float = 180.0
    required_evidence: dict[str, list[str]] = field(default_factory=lambda: dict(DEFAULT_REQUIRED_EVIDENCE))
    alert_due_hours: float = 2.0
    alert_clock: str = "wall"  # wall / business
    retry_window_s: float = 900.0
    retry_max_delay_s: float = 60.0
    not_found_window_s: float = 60.0
    prefetch: int = 4
    prefetch_by_type: dict[str, int] = field(default_factory=dict)  # ACTIONPROOF_PREFETCH_<TYPE>
    lease_s: float = 60.0
    sweep_interval_s: float = 60.0
    clock_interval_s: float = 600.0  # radar due check, process quality, store funnels
    max_photo_bytes: int = 30 * 1024 * 1024
    max_image_pixels: int = 50_000_000
    log_level: str = "INFO"
    asr_model: str = "pypi:base"
    asr_cache_dir: Path = Path("var/models")
    asr_device: str = "cpu"  # cpu / cuda / auto
    asr_compute_type: str = "int8"  # "" (auto device): int8 on cpu, float16 on cuda
    asr_device_index: int = 0  # which GPU (one worker per GPU on a multi-GPU machine)
    asr_threads: int = 0
    asr_batch_size: int = 8
    asr_decoding: str = "beam"  # "beam": beam 5 for every window; "greedy-first": greedy, beam only where it fails
    # Mono calls: tell the voices apart and attribute them (voices), or leave every segment unknown (off).
    speakers: str = "voices"
    malloc_arena_max: int = 2  # glibc malloc arenas of a worker process (0: glibc's default); workers/memory.py
    max_audio_bytes: int = 512 * 1024 * 1024
    max_audio_s: float = 7200.0
    rhythm_mode: str = "late_only"  # late_only / absolute
    notify_webhooks: str = ""  # JSON: {"<manager_id>"|"default": {"kind": "wecom"|"dingtalk", "url": ...}}
    notify_deliveries_path: Path | None = None  # None: <home>/notify.db
    retention_days: float = 365.0
    metrics_port: int = 0  # 0: no metrics endpoint
    metrics_addr: str = "127.0.0.1"
    max_kmh: float = 200.0
    flag_severity: dict[str, str] = field(default_factory=dict)  # {"photo_edited": "soft", ...}
    radar_weekday: int = 4  # Friday (Monday = 0)
    radar_time: str = "18:00"
    # Daily must-do plan (docs/contract.md, "Daily plan"): times are local to each org.
    plan_check_time: str = "15:00"  # items are matched with the day's actions and red ones announced
    plan_reason_deadline: str = "17:00"  # red items without a manager's reason by then count against the manager
    plan_max_items: int = 3  # 今日3件必做: a plan with more items is refused
    plan_catchup_days: int = 2  # a day the workers missed (down at the check time) is still checked this long after
    # Stage gates (docs/contract.md, "Stage gates").
    stages_dir: Path | None = None  # None: the stage lists shipped in scoring/stages/
    gate_evidence_days: float = 180.0  # evidence older than this does not count for a gate
    # In-store prompts (docs/contract.md, "In-store prompts").
    store_cases: int = 2  # similar won cases per prompt
    store_case_days: float = 180.0  # how far back won cases are looked for
    store_case_visitors: int = 500  # most recent won visitors of the store and chain compared per prompt
    alt_site_days: float = 30.0  # a 客户临时改址 position counts as the customer's site this long
    # Weekly radar digests (docs/contract.md, "Weekly radar to managers").
    radar_media_base_url: str = ""  # DingTalk: charts linked under it; empty = the values as text
    radar_media_dir: Path | None = None  # where the charts are written for that URL; None: <home>/radar-media
    radar_max_images: int = 10  # WeCom: image messages per digest (robots take about 20 posts a minute)

    def prefetch_for(self, job_type: str) -> int:
        return self.prefetch_by_type.get(job_type) or self.prefetch

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> "Settings":
        env = os.environ if env is None else env
        home = Path(env.get("ACTIONPROOF_HOME") or "var")
        required = DEFAULT_REQUIRED_EVIDENCE
        if env.get("ACTIONPROOF_REQUIRED_EVIDENCE"):
            try:
                required = {str(k): [str(x) for x in v] for k, v in
                            json.loads(env["ACTIONPROOF_REQUIRED_EVIDENCE"]).items()}
            except (ValueError, AttributeError, TypeError) as e:
                raise SystemExit(f"ACTIONPROOF_REQUIRED_EVIDENCE is not a JSON object of lists: {e}") from None
        clock = _choice(env, "ACTIONPROOF_ALERT_CLOCK", ("wall", "business"))
        asr_device = _choice(env, "ACTIONPROOF_ASR_DEVICE", ASR_DEVICES)
        asr_device_index = int(_float(env, "ACTIONPROOF_ASR_DEVICE_INDEX", 0))
        if asr_device_index < 0:
            raise SystemExit(f"ACTIONPROOF_ASR_DEVICE_INDEX={asr_device_index}: a GPU number, 0 or more")
        return cls(
            home=home,
            database_url=env.get("ACTIONPROOF_DATABASE_URL") or f"sqlite:///{(home / 'actionproof.db').as_posix()}",
            broker_url=env.get("ACTIONPROOF_BROKER_URL") or f"sqlite-lease:///{(home / 'broker.db').as_posix()}",
            media_root=Path(env.get("ACTIONPROOF_MEDIA_ROOT") or home / "media"),
            queue_prefix=env.get("ACTIONPROOF_QUEUE_PREFIX", ""),
            default_timezone=env.get("ACTIONPROOF_TIMEZONE") or "Asia/Shanghai",
            radius_m=_float(env, "ACTIONPROOF_RADIUS_M", 500.0),
            photo_time_tolerance_s=_float(env, "ACTIONPROOF_PHOTO_TIME_TOLERANCE_S", 180.0),
            required_evidence=required,
            alert_due_hours=_float(env, "ACTIONPROOF_ALERT_DUE_HOURS", 2.0),
            alert_clock=clock,
            retry_window_s=_float(env, "ACTIONPROOF_RETRY_WINDOW_S", 900.0),
            retry_max_delay_s=_float(env, "ACTIONPROOF_RETRY_MAX_DELAY_S", 60.0),
            not_found_window_s=_float(env, "ACTIONPROOF_NOT_FOUND_WINDOW_S", 60.0),
            prefetch=int(_float(env, "ACTIONPROOF_PREFETCH", 4)),
            prefetch_by_type={t: int(_float(env, f"ACTIONPROOF_PREFETCH_{t.upper()}", 0))
                              for t in ("verify", "transcribe", "analyze", "score", "store")
                              if env.get(f"ACTIONPROOF_PREFETCH_{t.upper()}")},
            lease_s=_float(env, "ACTIONPROOF_LEASE_S", 60.0),
            sweep_interval_s=_float(env, "ACTIONPROOF_SWEEP_INTERVAL_S", 60.0),
            clock_interval_s=_float(env, "ACTIONPROOF_CLOCK_INTERVAL_S", 600.0),
            max_photo_bytes=int(_float(env, "ACTIONPROOF_MAX_PHOTO_BYTES", 30 * 1024 * 1024)),
            max_image_pixels=int(_float(env, "ACTIONPROOF_MAX_IMAGE_PIXELS", 50_000_000)),
            log_level=env.get("ACTIONPROOF_LOG_LEVEL") or "INFO",
            asr_model=env.get("ACTIONPROOF_ASR_MODEL") or "pypi:base",
            asr_cache_dir=Path(env.get("ACTIONPROOF_ASR_CACHE_DIR") or home / "models"),
            asr_device=asr_device,
            asr_compute_type=_asr_compute_type(env, asr_device),
            asr_device_index=asr_device_index,
            asr_threads=int(_float(env, "ACTIONPROOF_ASR_THREADS", 0)),
            asr_batch_size=int(_float(env, "ACTIONPROOF_ASR_BATCH_SIZE", 8)),
            asr_decoding=_choice(env, "ACTIONPROOF_ASR_DECODING", ("beam", "greedy-first")),
            speakers=_choice(env, "ACTIONPROOF_SPEAKERS", ("voices", "off")),
            malloc_arena_max=max(0, int(_float(env, "ACTIONPROOF_MALLOC_ARENA_MAX", 2))),
            max_audio_bytes=int(_float(env, "ACTIONPROOF_MAX_AUDIO_BYTES", 512 * 1024 * 1024)),
            max_audio_s=_float(env, "ACTIONPROOF_MAX_AUDIO_S", 7200.0),
            rhythm_mode=_choice(env, "ACTIONPROOF_RHYTHM_MODE", ("late_only", "absolute")),
            notify_webhooks=env.get("ACTIONPROOF_NOTIFY_WEBHOOKS", ""),
            notify_deliveries_path=Path(env["ACTIONPROOF_NOTIFY_DELIVERIES"]) if env.get("ACTIONPROOF_NOTIFY_DELIVERIES") else None,
            retention_days=_float(env, "ACTIONPROOF_RETENTION_DAYS", 365.0),
            metrics_port=int(_float(env, "ACTIONPROOF_METRICS_PORT", 0)),
            metrics_addr=env.get("ACTIONPROOF_METRICS_ADDR") or "127.0.0.1",
            max_kmh=_float(env, "ACTIONPROOF_MAX_KMH", 200.0),
            flag_severity=_json_object(env, "ACTIONPROOF_FLAG_SEVERITY"),
            radar_weekday=int(_float(env, "ACTIONPROOF_RADAR_WEEKDAY", 4)),
            radar_time=_clock_time(env, "ACTIONPROOF_RADAR_TIME", "18:00"),
            plan_check_time=_clock_time(env, "ACTIONPROOF_PLAN_CHECK_TIME", "15:00"),
            plan_reason_deadline=_clock_time(env, "ACTIONPROOF_PLAN_REASON_DEADLINE", "17:00"),
            plan_max_items=int(_float(env, "ACTIONPROOF_PLAN_MAX_ITEMS", 3)),
            plan_catchup_days=int(_float(env, "ACTIONPROOF_PLAN_CATCHUP_DAYS", 2)),
            stages_dir=Path(env["ACTIONPROOF_STAGES_DIR"]) if env.get("ACTIONPROOF_STAGES_DIR") else None,
            gate_evidence_days=_float(env, "ACTIONPROOF_GATE_EVIDENCE_DAYS", 180.0),
            store_cases=int(_float(env, "ACTIONPROOF_STORE_CASES", 2)),
            store_case_days=_float(env, "ACTIONPROOF_STORE_CASE_DAYS", 180.0),
            store_case_visitors=int(_float(env, "ACTIONPROOF_STORE_CASE_VISITORS", 500)),
            alt_site_days=_float(env, "ACTIONPROOF_ALT_SITE_DAYS", 30.0),
            radar_media_base_url=env.get("ACTIONPROOF_RADAR_MEDIA_BASE_URL", ""),
            radar_media_dir=Path(env["ACTIONPROOF_RADAR_MEDIA_DIR"]) if env.get("ACTIONPROOF_RADAR_MEDIA_DIR") else None,
            radar_max_images=int(_float(env, "ACTIONPROOF_RADAR_MAX_IMAGES", 10)),
        )
