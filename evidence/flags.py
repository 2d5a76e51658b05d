"""Evidence-depth flags (docs/contract.md, "Verification rules"): severity, risk score, and their place in a verdict.

A flag is a signal that evidence may be faked: a reused photo, an edited one, a camera
clock that disagrees with GPS, impossible travel, a mocked location. A *hard* flag makes
the action 待核实 on its own; a *soft* one is stored and shown and adds to the risk
score, but does not change the verdict. Which is which is configuration, per rule or
per rule and reason.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from evidence.rules import PENDING, VERIFIED, ActionEvidence, Check, Judgement, RulesConfig, judge

HARD, SOFT, OFF = "hard", "soft", "off"
SEVERITIES: tuple[str, ...] = (HARD, SOFT, OFF)

FLAG_RULES: tuple[str, ...] = (
    "photo_reused",
    "photo_edited",
    "camera_time_mismatch",
    "impossible_travel",
    "mock_location",
)

# Keys are a rule ("photo_reused") or a rule and reason ("photo_reused:photo_too_small");
# the more specific key wins. Defaults: hard where an honest rep cannot produce the
# signal (a copy of another action's photo, GPS time in the future, travel faster than
# the configured speed, an editor's name in the file); soft where ordinary life can
# (a camera clock off by minutes, a check-in picked from a map, a phone that strips
# camera tags, a weekly photo of the same storefront).
DEFAULT_SEVERITY: Mapping[str, str] = MappingProxyType(
    {
        "photo_reused": HARD,
        "photo_reused:similar_earlier_visit": SOFT,
        "photo_reused:photo_too_small": SOFT,
        "photo_reused:photo_blank": SOFT,
        "photo_reused:photo_unhashable": SOFT,
        "photo_edited": HARD,
        "photo_edited:no_camera_make_model": SOFT,
        "camera_time_mismatch": SOFT,
        "camera_time_mismatch:gps_time_future": HARD,
        "camera_time_mismatch:camera_time_future": HARD,
        "impossible_travel": HARD,
        "mock_location": SOFT,
    }
)

# Each flag's weight is the chance (0-1) that it alone means the evidence is not real;
# the risk score combines them as independent signals: 100 × (1 − Π(1 − w)). That keeps
# the score within 0-100, independent of order, and lets two weak signals together
# outweigh one, without a cap that hides a third.
DEFAULT_WEIGHTS: Mapping[str, float] = MappingProxyType(
    {
        "photo_reused": 0.9,
        "photo_reused:similar_earlier_visit": 0.3,
        "photo_reused:photo_too_small": 0.2,
        "photo_reused:photo_blank": 0.3,
        "photo_reused:photo_unhashable": 0.2,
        "photo_edited": 0.6,
        "photo_edited:no_camera_make_model": 0.25,
        "camera_time_mismatch": 0.35,
        "camera_time_mismatch:gps_time_future": 0.8,
        "camera_time_mismatch:camera_time_future": 0.6,
        "impossible_travel": 0.9,
        "mock_location:repeated_exact_position": 0.5,
        "mock_location:accuracy_zero": 0.4,
        "mock_location:accuracy_invalid": 0.4,
        "mock_location:accuracy_missing": 0.1,
        "mock_location:on_customer_point": 0.5,
    }
)
_DEFAULT_WEIGHT = 0.3

# Names editors and beauty apps write into EXIF Software (case-insensitive; Latin names
# match as words, so "Canva" does not hit "Canvas"). Camera firmware, phone OS versions
# and transfer tools (Nikon Transfer, PMB) are not editors.
DEFAULT_EDITORS: tuple[str, ...] = (
    # Chinese apps
    "美图秀秀", "美图", "Meitu", "MTXX", "醒图", "Hypic", "黄油相机", "Butter Camera",
    "轻颜", "Faceu", "美颜相机", "BeautyCam", "天天P图", "Pitu", "B612", "无他相机",
    "Picsart", "PicsArt",
    # Desktop and mobile editors
    "Photoshop", "Lightroom", "Adobe Photoshop Express", "GIMP", "Snapseed", "VSCO",
    "Pixelmator", "Affinity Photo", "Paint.NET", "PhotoScape", "Fotor", "Polarr",
    "Facetune", "Canva", "PhotoDirector", "Picasa", "Luminar", "darktable", "RawTherapee",
    "Capture One", "Photopea", "Prisma", "Enlight", "Afterlight", "Photo Editor",
)


@dataclass(frozen=True)
class Flag:
    """One evidence-depth signal with its measured value and why it was raised."""

    rule: str
    severity: str
    reason: str
    value: float | str | None = None
    unit: str | None = None
    threshold: float | None = None
    detail: str | None = None
    subject: str | None = None
    # What the flag points at, e.g. the earlier action whose photo was reused.
    ref: str | None = None


@dataclass(frozen=True)
class FlagConfig:
    """Severities, risk weights and thresholds the flags are raised under."""

    severity: Mapping[str, str] = field(default_factory=lambda: DEFAULT_SEVERITY)
    weights: Mapping[str, float] = field(default_factory=lambda: DEFAULT_WEIGHTS)
    # Photo reuse (measured: docs/evidence.md). Copies measured 0-10 bits of pHash;
    # different pictures 18+ (different shots of one site 24+).
    phash_threshold: int = 10
    dhash_threshold: int = 12
    # A match this close is a copy even against the same customer's earlier visit;
    # between it and phash_threshold, a same-customer match may be a re-shot from the
    # same spot (reason similar_earlier_visit).
    phash_copy_threshold: int = 6
    min_photo_side: int = 256
    max_pixels: int = 50_000_000
    # Travel
    max_kmh: float = 200.0
    travel_margin_m: float = 1000.0
    travel_min_gap_s: float = 60.0
    # Camera clock vs GPS
    camera_skew_s: float = 300.0
    camera_offsets_h: tuple[float, ...] = ()
    future_skew_s: float = 300.0
    # Mock location
    mock_min_decimals: int = 6
    customer_point_m: float = 1.0
    editor_software: tuple[str, ...] = DEFAULT_EDITORS

    def __post_init__(self) -> None:
        bad = {k: v for k, v in self.severity.items() if v not in SEVERITIES}
        if bad:
            raise ValueError(f"severity must be one of {SEVERITIES}: {bad}")
        rules = {k.split(":", 1)[0] for k in [*self.severity, *self.weights]}
        unknown = sorted(rules - set(FLAG_RULES))
        if unknown:
            raise ValueError(f"unknown flag rules: {unknown}")

    def _lookup(self, table: Mapping[str, object], rule: str, reason: str | None) -> object | None:
        if reason is not None and f"{rule}:{reason}" in table:
            return table[f"{rule}:{reason}"]
        return table.get(rule)

    def severity_of(self, rule: str, reason: str | None = None) -> str:
        """hard, soft or off for this rule and reason (unlisted rules are soft)."""
        found = self._lookup(self.severity, rule, reason)
        return str(found) if found is not None else SOFT

    def weight_of(self, rule: str, reason: str | None = None) -> float:
        """The flag's risk weight in 0-1."""
        found = self._lookup(self.weights, rule, reason)
        value = float(found) if isinstance(found, (int, float)) else _DEFAULT_WEIGHT
        return min(1.0, max(0.0, value)) if math.isfinite(value) else _DEFAULT_WEIGHT

    def flag(self, rule: str, reason: str, **fields: object) -> Flag | None:
        """A Flag with its configured severity, or None when the rule/reason is off."""
        severity = self.severity_of(rule, reason)
        if severity == OFF:
            return None
        return Flag(rule=rule, severity=severity, reason=reason, **fields)  # type: ignore[arg-type]

    @property
    def version(self) -> str:
        """Short stable hash of this configuration, recorded with every verdict."""
        canonical = json.dumps(
            {
                "severity": dict(sorted(self.severity.items())),
                "weights": {k: float(v) for k, v in sorted(self.weights.items())},
                "phash_threshold": int(self.phash_threshold),
                "dhash_threshold": int(self.dhash_threshold),
                "phash_copy_threshold": int(self.phash_copy_threshold),
                "min_photo_side": int(self.min_photo_side),
                "max_pixels": int(self.max_pixels),
                "max_kmh": float(self.max_kmh),
                "travel_margin_m": float(self.travel_margin_m),
                "travel_min_gap_s": float(self.travel_min_gap_s),
                "camera_skew_s": float(self.camera_skew_s),
                "camera_offsets_h": sorted(float(h) for h in self.camera_offsets_h),
                "future_skew_s": float(self.future_skew_s),
                "mock_min_decimals": int(self.mock_min_decimals),
                "customer_point_m": float(self.customer_point_m),
                "editor_software": sorted(self.editor_software),
            },
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        )
        return "f1-" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]

    def __hash__(self) -> int:
        # The mapping fields are unhashable; the version already identifies the config.
        return hash(self.version)


DEFAULT_FLAG_CONFIG = FlagConfig()


def risk_score(flags: Iterable[Flag], config: FlagConfig = DEFAULT_FLAG_CONFIG) -> float:
    """0-100: 100 × (1 − Π(1 − weight)) over every flag, hard and soft, one decimal."""
    keep = 1.0
    for f in flags:
        if f.severity == OFF:
            continue
        keep *= 1.0 - config.weight_of(f.rule, f.reason)
    return round(100.0 * (1.0 - keep), 1)


def flag_check(f: Flag) -> Check:
    """The ap_checks row for a flag: a hard flag fails; a soft one passes but keeps its reason.

    Soft flags are stored as passed=True so that every consumer that derives the verdict
    or the alert from failed checks (the alert lists only failed ones) treats them as
    not blocking, while the reason, value and detail stay visible in ap_checks.
    """
    detail = f.detail or f.reason
    return Check(
        rule=f.rule,
        passed=f.severity != HARD,
        value=f.value,
        unit=f.unit,
        threshold=f.threshold,
        reason=f.reason,
        subject=f.subject,
        detail=f"[{f.severity}] {detail}",
        severity=f.severity,
        ref=f.ref,
    )


def flag_checks(flags: Iterable[Flag]) -> tuple[Check, ...]:
    """flag_check for every flag that is not switched off, in order."""
    return tuple(flag_check(f) for f in flags if f.severity != OFF)


def combined_version(config: RulesConfig, flag_config: FlagConfig) -> str:
    """`r1-…+f1-…` (31 characters): both configurations a verdict was judged under."""
    return f"{config.version}+{flag_config.version}"


def judge_with_flags(
    ev: ActionEvidence,
    config: RulesConfig,
    flags: Sequence[Flag],
    flag_config: FlagConfig = DEFAULT_FLAG_CONFIG,
) -> Judgement:
    """judge() plus the flags: hard flags fail the verdict, all count in the risk score.

    The base checks and their order are exactly judge()'s; flag checks follow them.
    """
    base = judge(ev, config)
    # Re-derive severities from this configuration, so a flag raised under another
    # one cannot smuggle in a different verdict.
    current: list[Flag] = []
    for f in flags:
        severity = flag_config.severity_of(f.rule, f.reason)
        if severity != OFF:
            current.append(f if f.severity == severity else replace(f, severity=severity))
    extra = flag_checks(current)
    checks = base.checks + extra
    failed = tuple(dict.fromkeys(c.rule for c in checks if not c.passed))
    return Judgement(
        status=PENDING if failed else VERIFIED,
        checks=checks,
        failed_rules=failed,
        rules_version=combined_version(config, flag_config),
        risk_score=risk_score(current, flag_config),
    )
