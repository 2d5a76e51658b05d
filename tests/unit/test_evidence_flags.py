"""Flag severity, risk score, ap_checks rows, the verdict with flags, and the check-photo report."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from evidence.datum import Position
from evidence.exif import PhotoMeta
from evidence.flags import (
    DEFAULT_FLAG_CONFIG, FLAG_RULES, HARD, SOFT, Flag, FlagConfig, flag_check, flag_checks, judge_with_flags,
    risk_score,
)
from evidence.phash import EarlierPhoto, photo_hash
from evidence.photo_writer import make_photo
from evidence.report import photo_report
from evidence.rules import PENDING, VERIFIED, ActionEvidence, RulesConfig, judge

SUBMITTED = datetime(2026, 3, 2, 1, 30, tzinfo=timezone.utc)
CUSTOMER = Position(30.2741, 120.1551, "wgs84")


def _flag(rule: str, reason: str, severity: str) -> Flag:
    return Flag(rule=rule, severity=severity, reason=reason, value=1.0, detail="why")


def test_default_severities() -> None:
    c = DEFAULT_FLAG_CONFIG
    assert c.severity_of("photo_reused", "reused") == HARD
    assert c.severity_of("photo_reused", "photo_too_small") == SOFT
    assert c.severity_of("photo_edited", "editor_software") == HARD
    assert c.severity_of("photo_edited", "no_camera_make_model") == SOFT
    assert c.severity_of("camera_time_mismatch", "clock_mismatch") == SOFT
    assert c.severity_of("camera_time_mismatch", "gps_time_future") == HARD
    assert c.severity_of("impossible_travel", "too_fast") == HARD
    assert c.severity_of("mock_location", "accuracy_zero") == SOFT
    assert set(FLAG_RULES) == {"photo_reused", "photo_edited", "camera_time_mismatch", "impossible_travel",
                               "mock_location"}


def test_config_is_validated() -> None:
    with pytest.raises(ValueError, match="severity"):
        FlagConfig(severity={"photo_reused": "fatal"})
    with pytest.raises(ValueError, match="unknown flag rules"):
        FlagConfig(severity={"photo_reuse": HARD})


def test_version_is_short_stable_and_sensitive() -> None:
    v = FlagConfig().version
    assert v.startswith("f1-") and len(v) == 15
    assert FlagConfig().version == v and hash(FlagConfig()) == hash(FlagConfig())
    assert FlagConfig(max_kmh=250).version != v
    assert FlagConfig(severity={**DEFAULT_FLAG_CONFIG.severity, "mock_location": HARD}).version != v
    assert FlagConfig(editor_software=("GIMP",)).version != v


def test_risk_score() -> None:
    assert risk_score([]) == 0.0
    one = [_flag("mock_location", "accuracy_zero", SOFT)]  # weight 0.4
    assert risk_score(one) == 40.0
    two = one + [_flag("mock_location", "on_customer_point", SOFT)]  # 0.5
    assert risk_score(two) == 70.0  # 1 − 0.6 × 0.5
    assert risk_score(list(reversed(two))) == 70.0
    many = two + [_flag("photo_reused", "reused", HARD)] * 3
    assert 0 <= risk_score(many) <= 100
    assert risk_score([_flag("mock_location", "x", "off")]) == 0.0
    weighted = FlagConfig(weights={"mock_location": 1.0})
    assert risk_score(one, weighted) == 100.0


def test_flag_check_rows() -> None:
    hard = Flag("photo_reused", HARD, "reused", 3.0, "bits", 10.0, "copy of photo 17", "photo:9", "action:41")
    row = flag_check(hard)
    assert (row.rule, row.passed, row.value, row.unit, row.threshold, row.reason, row.subject) == \
        ("photo_reused", False, 3.0, "bits", 10.0, "reused", "photo:9")
    assert (row.severity, row.ref) == (HARD, "action:41")
    assert row.detail == "[hard] copy of photo 17"
    soft = flag_check(_flag("mock_location", "accuracy_zero", SOFT))
    assert soft.passed is True and soft.reason == "accuracy_zero" and soft.severity == SOFT
    assert flag_checks([_flag("mock_location", "a", "off"), hard]) == (row,)


def _visit(photo: PhotoMeta) -> ActionEvidence:
    return ActionEvidence(action_type="上门拜访", submitted_at=SUBMITTED, customer=CUSTOMER,
                          checkin=Position(30.2742, 120.1551, "wgs84"), photos=[("photo:1", photo)])


GOOD_PHOTO = PhotoMeta(format="JPEG", gps_lat=30.2741, gps_lon=120.1552,
                       gps_time_utc=SUBMITTED - timedelta(seconds=30), make="Xiaomi", model="13")


def test_judge_with_flags_keeps_judge_and_adds_flags() -> None:
    ev, config = _visit(GOOD_PHOTO), RulesConfig()
    plain = judge(ev, config)
    assert plain.status == VERIFIED and plain.risk_score is None

    none = judge_with_flags(ev, config, [])
    assert (none.status, none.checks, none.failed_rules, none.risk_score) == (VERIFIED, plain.checks, (), 0.0)
    assert none.rules_version == f"{config.version}+{DEFAULT_FLAG_CONFIG.version}"
    assert len(none.rules_version) <= 32  # ap_verdicts.rules_version is String(32)

    soft = judge_with_flags(ev, config, [_flag("mock_location", "accuracy_zero", SOFT)])
    assert soft.status == VERIFIED and soft.failed_rules == () and soft.risk_score == 40.0
    assert soft.checks[: len(plain.checks)] == plain.checks
    assert soft.checks[-1].rule == "mock_location" and soft.checks[-1].passed

    hard = judge_with_flags(ev, config, [_flag("photo_reused", "reused", HARD)])
    assert hard.status == PENDING and hard.failed_rules == ("photo_reused",)
    assert hard.risk_score == 90.0


def test_judge_with_flags_applies_its_own_severities() -> None:
    ev = _visit(GOOD_PHOTO)
    lenient = FlagConfig(severity={"photo_reused": SOFT})
    j = judge_with_flags(ev, RulesConfig(), [_flag("photo_reused", "reused", HARD)], lenient)
    assert j.status == VERIFIED and j.checks[-1].severity == SOFT
    off = FlagConfig(severity={"photo_reused": "off"})
    j = judge_with_flags(ev, RulesConfig(), [_flag("photo_reused", "reused", HARD)], off)
    assert j.checks == judge(ev, RulesConfig()).checks and j.risk_score == 0.0


def test_base_failures_and_flags_both_listed() -> None:
    far = ActionEvidence(action_type="上门拜访", submitted_at=SUBMITTED, customer=CUSTOMER,
                         checkin=Position(30.40, 120.1551), photos=[("photo:1", GOOD_PHOTO)])
    j = judge_with_flags(far, RulesConfig(), [_flag("impossible_travel", "too_fast", HARD)])
    assert j.failed_rules == ("checkin_distance", "impossible_travel")


# --- check-photo report ----------------------------------------------------------------


def test_report_has_phash_flags_and_risk() -> None:
    now = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)
    data = make_photo(width=640, height=480, gps=(30.2741, 120.1551), gps_time_utc=SUBMITTED,
                      camera_time=datetime(2026, 3, 2, 9, 30, 0), software="Snapseed 2.0")
    report = photo_report(data, now=now)
    assert report["phash"] == photo_hash(data).hash_hex
    assert report["phash_reason"] is None
    (flag,) = report["flags"]
    assert {k: flag[k] for k in ("rule", "severity", "reason", "value")} == \
        {"rule": "photo_edited", "severity": HARD, "reason": "editor_software", "value": "Snapseed 2.0"}
    assert "Snapseed" in flag["detail"]
    assert report["risk_score"] == 60.0
    # The keys the earlier report had are all still there.
    assert {"gps", "gps_time_utc", "camera_time", "make", "model", "software", "width", "height", "format",
            "problems"} <= set(report)
    json.dumps(report, ensure_ascii=False)


def test_report_checks_reuse_against_earlier_photos() -> None:
    data = make_photo(width=640, height=480, scene=5)
    h = photo_hash(data)
    earlier = [EarlierPhoto(3, 8, h.hash_hex, SUBMITTED, dhash_hex=h.dhash_hex)]
    report = photo_report(data, now=SUBMITTED, earlier=earlier)
    reuse = [f for f in report["flags"] if f["rule"] == "photo_reused"]
    assert reuse and reuse[0]["ref"] == "action:8" and reuse[0]["severity"] == HARD


def test_report_on_a_small_or_broken_file() -> None:
    small = photo_report(make_photo(width=100, height=80), now=SUBMITTED)
    assert small["phash"] is None and small["phash_reason"] == "photo_too_small"
    assert "photo_too_small" in {f["reason"] for f in small["flags"]}
    broken = photo_report(b"\xff\xd8\xff\xe0garbage", now=SUBMITTED)
    assert broken["phash"] is None and broken["phash_reason"]
    json.dumps(broken)
