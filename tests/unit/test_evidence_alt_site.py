"""Alternative sites: a check-in or photo at a customer's temporary address (a resolved 客户临时改址)
passes the distance rules with reason alt_site; anywhere else still fails; other failures stay."""
from __future__ import annotations

from datetime import timedelta

import pytest
from pydantic import ValidationError

from evidence.datum import Position, convert
from evidence.exif import PhotoMeta
from evidence.rules import ActionEvidence, RulesConfig, judge
from queues.schemas import AlertResolved2, MessageError, parse_message
from tests.unit.test_evidence_rules import CENTER, SUBMITTED, _at

NEW_SITE = _at(1800, bearing=0)  # the customer received the rep 1.8 km north


def _photo_at(p: Position) -> PhotoMeta:
    return PhotoMeta(format="JPEG", gps_lat=p.lat, gps_lon=p.lon, gps_time_utc=SUBMITTED + timedelta(seconds=20))


def _judge(checkin: Position, photo: Position, alt_sites=()):
    ev = ActionEvidence("上门拜访", SUBMITTED, Position(*CENTER), None, checkin, [("photo:1", _photo_at(photo))],
                        alt_sites=alt_sites)
    return judge(ev, RulesConfig())


def test_a_visit_at_the_alternative_site_passes_with_reason_alt_site():
    without = _judge(NEW_SITE, NEW_SITE)
    assert without.status == "pending_verification"
    # The manager's app gave the site in GCJ-02: compared in one datum like every other position.
    site = Position(*convert(NEW_SITE.lat, NEW_SITE.lon, "wgs84", "gcj02"), "gcj02")
    near = _at(1850, bearing=1)
    got = _judge(near, near, alt_sites=[("alt_site:3", site)])
    assert got.status == "verified"
    checks = {c.rule: c for c in got.checks}
    for rule in ("checkin_distance", "photo_distance"):
        c = checks[rule]
        assert (c.passed, c.reason, c.ref) == (True, "alt_site", "alt_site:3")
        assert c.value < 100 and "alternative site alt_site:3" in c.detail and "from the registered address" in c.detail


def test_elsewhere_still_fails_and_only_too_far_is_forgiven():
    site = [("alt_site:3", NEW_SITE)]
    south = _at(1800, bearing=180)
    got = _judge(south, south, alt_sites=site)
    assert {c.rule: c.reason for c in got.checks if not c.passed} == {"checkin_distance": "too_far",
                                                                      "photo_distance": "too_far"}
    no_gps = judge(ActionEvidence("上门拜访", SUBMITTED, Position(*CENTER), None, NEW_SITE,
                                  [("photo:1", PhotoMeta(format="JPEG"))], alt_sites=site), RulesConfig())
    assert {c.rule: c.reason for c in no_gps.checks if not c.passed} == {"photo_gps_time": "no_gps_timestamp",
                                                                         "photo_distance": "no_gps_position"}


def test_alert_resolved_2_carries_a_position_only_with_customer_moved():
    base = {"schema": "alert.resolved/2", "job_id": "r-1", "org_id": "o", "sent_at": "2026-03-04T11:30:00+08:00",
            "alert_id": 4, "resolved_by": 7}
    msg = parse_message({**base, "resolution": "客户临时改址", "position": {"lat": 30.29, "lon": 120.15, "datum": "gcj02"}})
    assert isinstance(msg, AlertResolved2) and msg.position.datum == "gcj02"
    assert parse_message({**base, "resolution": "客户临时改址"}).position is None  # allowed: nothing to learn
    with pytest.raises(MessageError, match="a position goes only with resolution 客户临时改址"):
        parse_message({**base, "resolution": "信号漂移", "position": {"lat": 30.29, "lon": 120.15}})
    with pytest.raises(MessageError, match="position.lat"):
        parse_message({**base, "resolution": "客户临时改址", "position": {"lat": 91, "lon": 120.15}})
    v1 = parse_message({**base, "schema": "alert.resolved/1", "resolution": "信号漂移"})
    assert v1.schema_ == "alert.resolved/1"  # version 1 stays accepted
    with pytest.raises(MessageError):
        parse_message({**base, "schema": "alert.resolved/1", "resolution": "客户临时改址",
                       "position": {"lat": 30.29, "lon": 120.15}})
    with pytest.raises(ValidationError):
        AlertResolved2.model_validate({**base, "resolution": "其他", "note": " "})
