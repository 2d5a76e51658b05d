"""Credibility rules for an action's evidence (docs/contract.md, "Verification rules"): checks and the verdict."""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from types import MappingProxyType

from evidence.datum import Position, distance_m, position_problem
from evidence.exif import PhotoMeta
from evidence.phones import match_phone

VERIFIED = "verified"
PENDING = "pending_verification"

# Evidence kinds, in the order they are reported when missing.
EVIDENCE_KINDS: tuple[str, ...] = ("checkin", "photo", "call_log")

_DEFAULT_REQUIRED: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "上门拜访": frozenset({"checkin", "photo"}),
        "现场勘测": frozenset({"checkin", "photo"}),
        "电话沟通": frozenset({"call_log"}),
    }
)


@dataclass(frozen=True)
class RulesConfig:
    """Thresholds and required evidence the rules are judged under."""

    radius_m: float = 500.0
    photo_time_tolerance_s: float = 180.0
    required_evidence: Mapping[str, frozenset[str]] = field(default_factory=lambda: _DEFAULT_REQUIRED)

    @property
    def version(self) -> str:
        """Short stable hash of this configuration, recorded with every verdict."""
        canonical = json.dumps(
            {
                "radius_m": float(self.radius_m),
                "photo_time_tolerance_s": float(self.photo_time_tolerance_s),
                "required_evidence": {k: sorted(v) for k, v in sorted(self.required_evidence.items())},
            },
            sort_keys=True,
            ensure_ascii=False,
            separators=(",", ":"),
        )
        return "r1-" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:12]

    def __hash__(self) -> int:
        # The mapping field is unhashable; the version already identifies the config.
        return hash(self.version)


@dataclass(frozen=True)
class Check:
    """One rule's outcome for one subject, with the measured value and why it failed."""

    rule: str
    passed: bool
    value: float | str | None = None
    unit: str | None = None
    threshold: float | None = None
    reason: str | None = None
    subject: str | None = None
    detail: str | None = None
    # Set only on evidence-depth flag checks (evidence.flags): "hard" or "soft", and
    # what the flag points at (e.g. the earlier action whose photo was reused).
    severity: str | None = None
    ref: str | None = None


@dataclass(frozen=True)
class ActionEvidence:
    """Everything the rules need about one action, as plain values."""

    action_type: str
    submitted_at: datetime
    customer: Position | None
    radius_m: float | None = None
    checkin: Position | None = None
    photos: Sequence[tuple[str, PhotoMeta]] = ()
    call_numbers: Sequence[tuple[str, str]] = ()
    registered_numbers: Sequence[str] = ()
    # The customer's alternative sites valid at submission (a manager resolved 客户临时改址 with the new
    # position): (ref, position), e.g. ("alt_site:3", Position(...)).
    alt_sites: Sequence[tuple[str, Position]] = ()


@dataclass(frozen=True)
class Judgement:
    """The verdict on an action: its status, every check, and the failed rule names."""

    status: str
    checks: tuple[Check, ...]
    failed_rules: tuple[str, ...]
    rules_version: str
    # 0-100 from evidence-depth flags (evidence.flags.judge_with_flags); None from judge().
    risk_score: float | None = None


# --- formatting -----------------------------------------------------------------------


def _metres(value: float, limit: float) -> str:
    # Whole metres read best, but near the limit rounding could make a failing value
    # print as the limit itself, so show centimetres there.
    if abs(value - limit) < 1:
        return f"{value:.2f} m"
    return f"{value:.0f} m"


def _limit(value: float) -> str:
    return f"{value:g}"


def _duration(seconds: float) -> str:
    seconds = abs(seconds)
    if seconds < 120:
        return f"{seconds:.0f} s" if abs(seconds - round(seconds)) < 0.05 else f"{seconds:.1f} s"
    minutes, rest = divmod(int(round(seconds)), 60)
    if minutes < 120:
        return f"{minutes} min {rest} s"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min"
    return f"{hours // 24} days"


def _as_utc(value: datetime) -> datetime:
    # Naive times are taken as UTC: the contract stores UTC, and SQLite hands stored
    # timezone-aware columns back without their tzinfo.
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=timezone.utc)
    return value


def _position_reason(p: Position) -> str:
    problem = position_problem(p)
    return "datum_unknown" if problem and problem.startswith("unknown datum") else "position_invalid"


# --- single rules ---------------------------------------------------------------------


def check_checkin_distance(checkin: Position | None, customer: Position, radius_m: float) -> Check:
    """Check-in within radius_m (inclusive) of the customer, compared in WGS-84."""
    base = dict(rule="checkin_distance", unit="m", threshold=float(radius_m))
    if checkin is None:
        return Check(**base, passed=False, reason="no_checkin_position", detail="the action has no check-in position")
    for who, p in (("check-in", checkin), ("customer", customer)):
        problem = position_problem(p)
        if problem:
            reason = _position_reason(p)
            if who == "customer" and reason != "datum_unknown":
                reason = "customer_position_invalid"
            return Check(**base, passed=False, reason=reason, detail=f"{who} position unusable: {problem}")
    meters = distance_m(checkin, customer)
    passed = meters <= radius_m
    return Check(
        **base,
        passed=passed,
        value=meters,
        reason=None if passed else "too_far",
        detail=f"check-in {_metres(meters, radius_m)} from the customer (limit {_limit(radius_m)} m)",
    )


def check_call_number(counterpart: str, registered: Iterable[str], subject: str | None = None) -> Check:
    """The call's counterpart equals one of the customer's registered numbers."""
    match = match_phone(counterpart, registered)
    if match.matched:
        detail = f"called {match.masked}, a registered number of the customer"
    elif match.reason == "number_unparseable":
        detail = f"the call log's number {counterpart!r} is not a valid phone number"
    elif match.reason == "no_registered_numbers":
        detail = f"called {match.masked}, but the customer has no registered numbers"
    else:
        detail = f"called {match.masked}, which is not a registered number of the customer"
    return Check(
        rule="call_number",
        passed=match.matched,
        value=match.masked,
        unit="number",
        reason=match.reason,
        subject=subject,
        detail=detail,
    )


def check_photo_gps_time(
    meta: PhotoMeta, submitted_at: datetime, tolerance_s: float, subject: str | None = None
) -> Check:
    """Photo's GPS UTC time strictly within tolerance_s of the submission, either side."""
    base = dict(rule="photo_gps_time", unit="s", threshold=float(tolerance_s), subject=subject)
    if meta.gps_time_utc is None:
        return Check(**base, passed=False, reason="no_gps_timestamp", detail="the photo carries no GPS time stamp")
    delta = (_as_utc(meta.gps_time_utc) - _as_utc(submitted_at)).total_seconds()
    gap = abs(delta)
    passed = gap < tolerance_s
    when = "before" if delta < 0 else "after"
    detail = f"photo GPS time {_duration(gap)} {when} submission (limit under {_limit(tolerance_s)} s)"
    reason = None
    if meta.gps_date_from_camera:
        reason = "gps_date_from_camera"
        detail += "; GPS date missing, taken from the camera clock"
    elif not passed:
        reason = "time_off"
    return Check(**base, passed=passed, value=gap, reason=reason, detail=detail)


def check_photo_distance(
    meta: PhotoMeta, customer: Position, radius_m: float, subject: str | None = None
) -> Check:
    """Photo's GPS position within radius_m (inclusive) of the customer."""
    base = dict(rule="photo_distance", unit="m", threshold=float(radius_m), subject=subject)
    if meta.gps_lat is None or meta.gps_lon is None:
        return Check(**base, passed=False, reason="no_gps_position", detail="the photo carries no usable GPS position")
    photo = Position(meta.gps_lat, meta.gps_lon, "wgs84")
    for who, p in (("photo", photo), ("customer", customer)):
        problem = position_problem(p)
        if problem:
            reason = "no_gps_position" if who == "photo" else _position_reason(p)
            if who == "customer" and reason != "datum_unknown":
                reason = "customer_position_invalid"
            return Check(**base, passed=False, reason=reason, detail=f"{who} position unusable: {problem}")
    meters = distance_m(photo, customer)
    passed = meters <= radius_m
    return Check(
        **base,
        passed=passed,
        value=meters,
        reason=None if passed else "too_far",
        detail=f"photo taken {_metres(meters, radius_m)} from the customer (limit {_limit(radius_m)} m)",
    )


def check_evidence_present(
    action_type: str, has_checkin: bool, photos: int, call_logs: int, config: RulesConfig
) -> Check:
    """The action carries every kind of evidence its type requires."""
    required = config.required_evidence.get(action_type, frozenset())
    have = {"checkin": bool(has_checkin), "photo": photos > 0, "call_log": call_logs > 0}
    unknown = sorted(set(required) - set(EVIDENCE_KINDS))
    missing = [kind for kind in EVIDENCE_KINDS if kind in required and not have[kind]] + unknown
    if not missing:
        needed = ", ".join(k for k in EVIDENCE_KINDS if k in required) or "nothing"
        return Check(rule="evidence_present", passed=True, detail=f"{action_type} requires {needed}: all present")
    joined = ",".join(missing)
    return Check(
        rule="evidence_present",
        passed=False,
        value=joined,
        reason=f"missing:{joined}",
        detail=f"{action_type} is missing required evidence: {', '.join(missing)}",
    )


# --- verdict --------------------------------------------------------------------------


def _radius(ev: ActionEvidence, config: RulesConfig) -> float:
    override = ev.radius_m
    if override is not None and math.isfinite(override) and override > 0:
        return float(override)
    return float(config.radius_m)


def _no_customer(rule: str, radius: float, subject: str | None) -> Check:
    return Check(
        rule=rule,
        passed=False,
        unit="m",
        threshold=radius,
        reason="customer_position_missing",
        subject=subject,
        detail="the customer has no position to compare with",
    )


def at_alt_site(check: Check, point: Position | None, alt_sites: Sequence[tuple[str, Position]],
                radius_m: float) -> Check:
    """A distance check failed `too_far` passes with reason `alt_site` when the point is within the
    radius of one of the customer's alternative sites; the value becomes the distance to that site."""
    if check.passed or check.reason != "too_far" or point is None or not alt_sites:
        return check
    usable = [(ref, site) for ref, site in alt_sites if position_problem(site) is None]
    if not usable:
        return check
    meters, ref = min((distance_m(point, site), ref) for ref, site in usable)
    if meters > radius_m:
        return check
    what = "check-in" if check.rule == "checkin_distance" else "photo"
    return replace(check, passed=True, value=meters, reason="alt_site", ref=ref,
                   detail=f"{what} {_metres(meters, radius_m)} from the customer's alternative site {ref} "
                          f"(a resolved 客户临时改址; {_metres(float(check.value), radius_m)} from the registered "
                          f"address)")


def judge(ev: ActionEvidence, config: RulesConfig) -> Judgement:
    """Run every applicable rule on one action; any failure makes it pending verification."""
    radius = _radius(ev, config)
    checks: list[Check] = [
        check_evidence_present(
            ev.action_type, ev.checkin is not None, len(ev.photos), len(ev.call_numbers), config
        )
    ]
    if ev.checkin is not None:
        if ev.customer is None:
            checks.append(_no_customer("checkin_distance", radius, None))
        else:
            checks.append(at_alt_site(check_checkin_distance(ev.checkin, ev.customer, radius), ev.checkin,
                                      ev.alt_sites, radius))
    for subject, counterpart in ev.call_numbers:
        checks.append(check_call_number(counterpart, ev.registered_numbers, subject))
    for subject, meta in ev.photos:
        checks.append(check_photo_gps_time(meta, ev.submitted_at, config.photo_time_tolerance_s, subject))
        if ev.customer is None:
            checks.append(_no_customer("photo_distance", radius, subject))
        else:
            photo = Position(meta.gps_lat, meta.gps_lon, "wgs84") if meta.gps_lat is not None and \
                meta.gps_lon is not None else None
            checks.append(at_alt_site(check_photo_distance(meta, ev.customer, radius, subject), photo, ev.alt_sites,
                                      radius))
    failed = tuple(dict.fromkeys(c.rule for c in checks if not c.passed))
    return Judgement(
        status=PENDING if failed else VERIFIED,
        checks=tuple(checks),
        failed_rules=failed,
        rules_version=config.version,
    )
