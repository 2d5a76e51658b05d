"""Credibility rules of docs/contract.md (verification rules): boundaries, reasons and the verdict."""

from __future__ import annotations

import math
from datetime import datetime, timedelta, timezone

import pytest
from geopy.distance import geodesic

from evidence.datum import Position, convert, distance_m
from evidence.exif import PhotoMeta
from evidence.rules import (
    ActionEvidence,
    Check,
    Judgement,
    RulesConfig,
    check_call_number,
    check_checkin_distance,
    check_evidence_present,
    check_photo_distance,
    check_photo_gps_time,
    judge,
)

CENTER = (30.2741, 120.1551)  # Hangzhou, WGS-84
CUSTOMER = Position(*CENTER)
SUBMITTED = datetime(2026, 3, 2, 1, 30, 0, tzinfo=timezone.utc)


def _at(metres: float, bearing: float = 37.0) -> Position:
    point = geodesic(meters=metres).destination(CENTER, bearing)
    return Position(point.latitude, point.longitude)


def _photo(*, dt_s: float | None = 10.0, metres: float | None = 50.0, from_camera: bool = False) -> PhotoMeta:
    here = _at(metres) if metres is not None else None
    return PhotoMeta(
        format="JPEG",
        gps_lat=here.lat if here else None,
        gps_lon=here.lon if here else None,
        gps_time_utc=SUBMITTED + timedelta(seconds=dt_s) if dt_s is not None else None,
        gps_date_from_camera=from_camera,
    )


# --- checkin_distance -----------------------------------------------------------------


@pytest.mark.parametrize(("metres", "passed"), [(0.0, True), (499.0, True), (499.999, True),
                                                (500.4, False), (501.0, False), (1840.0, False)])
def test_checkin_distance_boundary(metres: float, passed: bool) -> None:
    check = check_checkin_distance(_at(metres), CUSTOMER, 500.0)
    assert check.passed is passed
    assert check.rule == "checkin_distance" and check.unit == "m" and check.threshold == 500.0
    assert check.value == pytest.approx(metres, abs=1e-6)
    assert check.reason == (None if passed else "too_far")


def test_checkin_exactly_at_radius_passes() -> None:
    checkin = _at(500.0)
    exact = distance_m(checkin, CUSTOMER)
    assert exact == pytest.approx(500.0, abs=1e-6)
    # The boundary is inclusive (the seed's ≤500米), judged on the unrounded distance.
    assert check_checkin_distance(checkin, CUSTOMER, exact).passed
    assert not check_checkin_distance(checkin, CUSTOMER, math.nextafter(exact, 0.0)).passed


def test_checkin_compared_after_datum_conversion() -> None:
    # The customer's address came from AMap (GCJ-02); the check-in is raw GPS.
    customer = Position(*convert(*CENTER, "wgs84", "gcj02"), "gcj02")
    assert check_checkin_distance(_at(100.0), customer, 500.0).value == pytest.approx(100.0, abs=0.01)
    # Compared without conversion the two would be ~520 m apart and fail.
    assert geodesic(CENTER, (customer.lat, customer.lon)).meters > 500


def test_checkin_detail_reads_like_a_sentence() -> None:
    check = check_checkin_distance(_at(1840.0), CUSTOMER, 500.0)
    assert check.detail == "check-in 1840 m from the customer (limit 500 m)"
    near = check_checkin_distance(_at(500.4), CUSTOMER, 500.0)
    # Rounded to whole metres this would print "500 m" next to a failure.
    assert near.detail == "check-in 500.40 m from the customer (limit 500 m)"


def test_checkin_unknown_datum_and_bad_positions() -> None:
    check = check_checkin_distance(Position(30.27, 120.15, "cgcs2000"), CUSTOMER, 500.0)
    assert (check.passed, check.reason) == (False, "datum_unknown")
    check = check_checkin_distance(Position(math.nan, 120.15), CUSTOMER, 500.0)
    assert (check.passed, check.reason) == (False, "position_invalid")
    check = check_checkin_distance(_at(10.0), Position(91.0, 120.0), 500.0)
    assert (check.passed, check.reason) == (False, "customer_position_invalid")
    check = check_checkin_distance(None, CUSTOMER, 500.0)
    assert (check.passed, check.reason) == (False, "no_checkin_position")


# --- call_number ----------------------------------------------------------------------


def test_call_number_matches_and_masks() -> None:
    check = check_call_number("0571-88886666-8001", ["+86 571 8888 6666"], subject="call:3")
    assert check == Check(rule="call_number", passed=True, value="+86571****6666", unit="number",
                          subject="call:3", detail=check.detail)
    assert "+86571****6666" in check.detail


@pytest.mark.parametrize(
    ("counterpart", "registered", "reason"),
    [
        ("13800138001", ["13800138000"], "number_not_registered"),
        ("unknown", ["13800138000"], "number_unparseable"),
        ("13800138000", [], "no_registered_numbers"),
    ],
)
def test_call_number_failures(counterpart: str, registered: list[str], reason: str) -> None:
    check = check_call_number(counterpart, registered)
    assert (check.passed, check.reason) == (False, reason)
    assert check.detail


# --- photo_gps_time -------------------------------------------------------------------


@pytest.mark.parametrize("sign", [-1, 1], ids=["before", "after"])
@pytest.mark.parametrize(("gap", "passed"), [(0, True), (179, True), (179.999, True), (180, False), (181, False)])
def test_photo_time_boundary_both_sides(sign: int, gap: float, passed: bool) -> None:
    check = check_photo_gps_time(_photo(dt_s=sign * gap), SUBMITTED, 180.0, subject="photo:12")
    assert check.passed is passed
    assert check.value == pytest.approx(gap, abs=1e-6)
    assert (check.rule, check.unit, check.threshold, check.subject) == ("photo_gps_time", "s", 180.0, "photo:12")
    assert check.reason == (None if passed else "time_off")
    assert ("before" if sign < 0 else "after") in check.detail or gap == 0


def test_photo_time_missing() -> None:
    check = check_photo_gps_time(_photo(dt_s=None), SUBMITTED, 180.0)
    assert (check.passed, check.reason, check.value) == (False, "no_gps_timestamp", None)


@pytest.mark.parametrize(("gap", "passed"), [(60, True), (3600, False)])
def test_photo_time_with_date_from_camera_is_still_judged(gap: int, passed: bool) -> None:
    check = check_photo_gps_time(_photo(dt_s=gap, from_camera=True), SUBMITTED, 180.0)
    assert check.passed is passed
    assert check.reason == "gps_date_from_camera"
    assert "camera" in check.detail


def test_photo_time_accepts_any_timezone_and_naive_utc() -> None:
    shanghai = SUBMITTED.astimezone(timezone(timedelta(hours=8)))
    assert check_photo_gps_time(_photo(dt_s=30), shanghai, 180.0).value == pytest.approx(30.0)
    # SQLite returns stored UTC timestamps without tzinfo; they are read as UTC.
    naive = SUBMITTED.replace(tzinfo=None)
    assert check_photo_gps_time(_photo(dt_s=30), naive, 180.0).value == pytest.approx(30.0)


def test_photo_time_detail() -> None:
    check = check_photo_gps_time(_photo(dt_s=-200), SUBMITTED, 180.0)
    assert check.detail == "photo GPS time 3 min 20 s before submission (limit under 180 s)"


# --- photo_distance -------------------------------------------------------------------


@pytest.mark.parametrize(("metres", "passed"), [(499.0, True), (501.0, False)])
def test_photo_distance_boundary(metres: float, passed: bool) -> None:
    check = check_photo_distance(_photo(metres=metres), CUSTOMER, 500.0, subject="photo:1")
    assert check.passed is passed
    assert check.value == pytest.approx(metres, abs=1e-6)
    assert check.subject == "photo:1"


def test_photo_distance_without_position() -> None:
    check = check_photo_distance(_photo(metres=None), CUSTOMER, 500.0)
    assert (check.passed, check.reason, check.value) == (False, "no_gps_position", None)


def test_photo_distance_against_baidu_customer() -> None:
    customer = Position(*convert(*CENTER, "wgs84", "bd09"), "bd09")
    check = check_photo_distance(_photo(metres=300.0), customer, 500.0)
    assert check.passed and check.value == pytest.approx(300.0, abs=0.01)


# --- evidence_present -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("action_type", "checkin", "photos", "calls", "missing"),
    [
        ("上门拜访", True, 1, 0, None),
        ("上门拜访", True, 0, 0, "photo"),
        ("上门拜访", False, 0, 0, "checkin,photo"),
        ("现场勘测", False, 2, 0, "checkin"),
        ("电话沟通", False, 0, 0, "call_log"),
        ("电话沟通", False, 0, 1, None),
        ("报价", False, 0, 0, None),
        ("方案讲解", False, 0, 0, None),
    ],
)
def test_evidence_present(action_type: str, checkin: bool, photos: int, calls: int, missing: str | None) -> None:
    check = check_evidence_present(action_type, checkin, photos, calls, RulesConfig())
    assert check.rule == "evidence_present"
    assert check.passed is (missing is None)
    assert check.value == missing
    assert check.reason == (None if missing is None else f"missing:{missing}")


def test_required_evidence_is_configurable() -> None:
    config = RulesConfig(required_evidence={"报价": frozenset({"photo"})})
    assert check_evidence_present("报价", False, 0, 0, config).reason == "missing:photo"
    assert check_evidence_present("上门拜访", False, 0, 0, config).passed


# --- configuration version --------------------------------------------------------------


def test_rules_version_is_short_stable_and_sensitive() -> None:
    default = RulesConfig()
    # Pinned: a change here means verdicts would be recorded under a new version.
    assert default.version == "r1-404b485ed76d"
    assert RulesConfig().version == default.version
    assert RulesConfig(radius_m=300).version != default.version
    assert RulesConfig(photo_time_tolerance_s=120).version != default.version
    changed = dict(RulesConfig().required_evidence, 报价=frozenset({"photo"}))
    assert RulesConfig(required_evidence=changed).version != default.version
    # Order of the mapping does not matter.
    reordered = dict(reversed(list(default.required_evidence.items())))
    assert RulesConfig(required_evidence=reordered).version == default.version
    assert hash(RulesConfig()) == hash(default)


# --- judge ------------------------------------------------------------------------------


def _visit(**changes) -> ActionEvidence:
    base = dict(
        action_type="上门拜访",
        submitted_at=SUBMITTED,
        customer=CUSTOMER,
        radius_m=None,
        checkin=_at(120.0),
        photos=[("photo:1", _photo(dt_s=-40, metres=80))],
        call_numbers=[],
        registered_numbers=["13800138000"],
    )
    base.update(changes)
    return ActionEvidence(**base)


def test_judge_verified_visit() -> None:
    config = RulesConfig()
    result = judge(_visit(), config)
    assert isinstance(result, Judgement)
    assert result.status == "verified"
    assert result.failed_rules == ()
    assert result.rules_version == config.version
    assert [c.rule for c in result.checks] == ["evidence_present", "checkin_distance", "photo_gps_time", "photo_distance"]
    assert all(c.passed for c in result.checks)


def test_judge_far_checkin_is_pending_with_measured_value() -> None:
    result = judge(_visit(checkin=_at(1840.0)), RulesConfig())
    assert result.status == "pending_verification"
    assert result.failed_rules == ("checkin_distance",)
    failed = [c for c in result.checks if not c.passed]
    assert failed[0].value == pytest.approx(1840.0, abs=1e-6)
    assert failed[0].detail == "check-in 1840 m from the customer (limit 500 m)"


def test_judge_one_bad_photo_fails_the_action() -> None:
    photos = [("photo:1", _photo()), ("photo:2", _photo(dt_s=600)), ("photo:3", _photo(metres=None))]
    result = judge(_visit(photos=photos), RulesConfig())
    assert result.status == "pending_verification"
    assert result.failed_rules == ("photo_gps_time", "photo_distance")
    by_subject = {(c.rule, c.subject): c for c in result.checks}
    assert by_subject[("photo_gps_time", "photo:2")].passed is False
    assert by_subject[("photo_distance", "photo:3")].reason == "no_gps_position"
    assert by_subject[("photo_gps_time", "photo:1")].passed is True
    assert len([c for c in result.checks if c.subject]) == 6


def test_judge_missing_evidence() -> None:
    result = judge(_visit(checkin=None, photos=[]), RulesConfig())
    assert result.status == "pending_verification"
    assert result.failed_rules == ("evidence_present",)
    assert result.checks[0].value == "checkin,photo"
    assert len(result.checks) == 1


def test_judge_customer_without_position() -> None:
    result = judge(_visit(customer=None), RulesConfig())
    reasons = {c.rule: c.reason for c in result.checks if not c.passed}
    assert reasons == {"checkin_distance": "customer_position_missing", "photo_distance": "customer_position_missing"}
    assert result.status == "pending_verification"


def test_judge_per_customer_radius_override() -> None:
    ev = _visit(checkin=_at(800.0), photos=[("photo:1", _photo(metres=700.0))])
    assert judge(ev, RulesConfig()).failed_rules == ("checkin_distance", "photo_distance")
    widened = judge(_visit(checkin=_at(800.0), photos=[("photo:1", _photo(metres=700.0))], radius_m=1000.0),
                    RulesConfig())
    assert widened.status == "verified"
    assert {c.threshold for c in widened.checks if c.unit == "m"} == {1000.0}


def test_judge_phone_call() -> None:
    ok = ActionEvidence(action_type="电话沟通", submitted_at=SUBMITTED, customer=None,
                        call_numbers=[("call:3", "+86 138 0013 8000")], registered_numbers=["13800138000"])
    result = judge(ok, RulesConfig())
    assert result.status == "verified"
    assert [c.rule for c in result.checks] == ["evidence_present", "call_number"]
    bad = ActionEvidence(action_type="电话沟通", submitted_at=SUBMITTED, customer=None,
                         call_numbers=[("call:3", "13900000000")], registered_numbers=["13800138000"])
    result = judge(bad, RulesConfig())
    assert result.failed_rules == ("call_number",)
    assert result.checks[1].value == "+86139****0000"
    assert result.checks[1].subject == "call:3"


def test_judge_action_type_without_requirements() -> None:
    result = judge(ActionEvidence(action_type="报价", submitted_at=SUBMITTED, customer=None), RulesConfig())
    assert result.status == "verified"
    assert [c.rule for c in result.checks] == ["evidence_present"]
