"""Anomalies that teach, through real workers on both backends: a 客户临时改址 resolution with the new
position (alert.resolved/2) makes the next visit there pass with reason alt_site and suggests the
address to the CRM; without a position, or with v1, it is resolved as before; 信号漂移 resolutions
build the rep's and device's drift baseline; the month's share of 待核实 by resolution category."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json

from sqlalchemy import select, text

from evidence.datum import convert
from evidence.photo_writer import make_photo
from models import ApAlert, ApCheck, ApJob, ApVerdict, CrmAction, CrmPhoto
from models.stores import ApAltSite
from queues.publisher import job_message
from tests.integration.test_speakers_flow import _publish, _run
from tests.integration.test_verify_flow import _events, _listen, _publisher
from tests.support import HANGZHOU, offset, seed_world

FAR_NORTH_M = 1800.0  # the customer's temporary address


def _visit_at(sessions, world, north_m: float, device: str | None = None) -> int:
    """A visit whose check-in and photo are both `north_m` north of the customer (GCJ-02 check-in)."""
    submitted = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    lat, lon = offset(*HANGZHOU, north_m)
    with sessions() as s, s.begin():
        action = CrmAction(org_id=world.org_id, customer_id=world.customer_id, rep_id=world.rep_id, type="上门拜访",
                           submitted_at=submitted, checkin_lat=lat, checkin_lon=lon, checkin_datum="gcj02",
                           checkin_accuracy_m=10, device_id=device)
        s.add(action)
        s.flush()
        wlat, wlon = convert(lat, lon, "gcj02", "wgs84")
        shot = submitted - dt.timedelta(seconds=30)
        rel = f"photos/{world.org_id}-{action.id}.jpg"
        path = world.settings.media_root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(make_photo(scene=action.id * 7919 + int(north_m), gps=(wlat, wlon), gps_time_utc=shot,
                                    camera_time=(shot + dt.timedelta(hours=8)).replace(tzinfo=None)))
        s.add(CrmPhoto(action_id=action.id, path=rel, uploaded_at=submitted))
        return action.id


def _verify(settings, world, action_id) -> None:
    _publish(settings, job_message("action.submitted/1", world.org_id, action_id=action_id))
    _run(settings, "verify")


def _alert(sessions, action_id) -> ApAlert:
    with sessions() as s:
        return s.scalar(select(ApAlert).where(ApAlert.action_id == action_id))


def _checks(sessions, action_id) -> dict[str, ApCheck]:
    with sessions() as s:
        verdict = s.scalar(select(ApVerdict).where(ApVerdict.action_id == action_id, ApVerdict.superseded_at.is_(None)))
        return {c.rule: c for c in s.scalars(select(ApCheck).where(ApCheck.verdict_id == verdict.id))}, verdict.status


def _resolve(settings, world, alert_id, resolution, version=2, job=None, **extra) -> str:
    msg = job_message(f"alert.resolved/{version}", world.org_id, alert_id=alert_id, resolution=resolution,
                      resolved_by=world.manager_id, **extra)
    return _publish(settings, {**msg, "job_id": job} if job else msg)


def test_a_moved_customers_new_position_lets_the_next_visit_there_pass(backend, sessions):
    world = seed_world(sessions, backend)
    first = _visit_at(sessions, world, FAR_NORTH_M)
    _verify(backend, world, first)
    alert = _alert(sessions, first)
    assert alert.status == "open"
    lat, lon = offset(*HANGZHOU, FAR_NORTH_M + 40)  # where the manager's app put the warehouse
    conn, events = _listen(backend, "customer.address.suggested")
    job = _resolve(backend, world, alert.id, "客户临时改址", note="客户临时在二号仓库接待",
                   position={"lat": lat, "lon": lon, "datum": "gcj02"}, job="resolve-moved")
    again = _resolve(backend, world, alert.id, "客户临时改址", position={"lat": lat, "lon": lon, "datum": "gcj02"},
                     job="resolve-moved")  # the same message delivered twice
    _run(backend, "verify")
    with sessions() as s:
        row = s.get(ApJob, job)
        sites = s.scalars(select(ApAltSite)).all()
    assert row.status == "done" and row.result["alt_site"] == sites[0].id and again == job and len(sites) == 1
    site = sites[0]
    assert (site.customer_id, site.datum, site.alert_id) == (world.customer_id, "gcj02", alert.id)
    assert dt.timedelta(days=29) < site.valid_until - site.created_at <= dt.timedelta(days=30)
    got = _events(events)
    conn.release()
    assert [k for k, _ in got] == ["customer.address.suggested"]
    assert (got[0][1]["customer_id"], got[0][1]["alt_site_id"], got[0][1]["suggested_by"]) == (
        world.customer_id, site.id, world.manager_id)

    # The next visit at the warehouse passes both distance rules with reason alt_site; one elsewhere does not.
    there = _visit_at(sessions, world, FAR_NORTH_M + 60)
    _verify(backend, world, there)
    elsewhere = _visit_at(sessions, world, -FAR_NORTH_M)
    _verify(backend, world, elsewhere)
    checks, status = _checks(sessions, there)
    assert status == "verified", {r: (c.reason, c.value_num) for r, c in checks.items() if not c.passed}
    for rule in ("checkin_distance", "photo_distance"):
        assert (checks[rule].passed, checks[rule].reason, checks[rule].ref) == (True, "alt_site", f"alt_site:{site.id}")
    checks, status = _checks(sessions, elsewhere)
    assert status == "pending_verification" and checks["checkin_distance"].reason == "too_far"


def _raw(settings, message: dict) -> str:
    """Publish as a CRM might, without the publisher's validation (it refuses what the workers reject)."""
    pub = _publisher(settings)
    try:
        pub.publish_raw("verify", json.dumps(message, ensure_ascii=False))
    finally:
        pub.connection.release()
    return message["job_id"]


def test_resolutions_without_a_position_and_bad_ones_change_nothing_they_should_not(backend, sessions):
    settings = dataclasses.replace(backend, not_found_window_s=0.2)
    world = seed_world(sessions, settings)
    a1, a2 = _visit_at(sessions, world, FAR_NORTH_M), _visit_at(sessions, world, FAR_NORTH_M + 5)
    _verify(settings, world, a1)
    _verify(settings, world, a2)
    alert1, alert2 = _alert(sessions, a1), _alert(sessions, a2)
    jobs = {"v2_no_position": _resolve(settings, world, alert1.id, "客户临时改址"),
            "v1": _resolve(settings, world, alert2.id, "客户临时改址", version=1, note="老版本"),
            "position_with_drift": _raw(settings, {**job_message("alert.resolved/2", world.org_id, alert_id=alert2.id,
                                                                 resolution="信号漂移", resolved_by=world.manager_id),
                                                   "position": {"lat": 30.3, "lon": 120.1}}),
            "closed": _resolve(settings, world, alert1.id, "客户临时改址", position={"lat": 30.3, "lon": 120.1}),
            "unknown_alert": _resolve(settings, world, 999_999, "客户临时改址", position={"lat": 30.3, "lon": 120.1})}
    _run(settings, "verify")
    with sessions() as s:
        got = {k: s.get(ApJob, j) for k, j in jobs.items()}
        sites = s.scalars(select(ApAltSite)).all()
    assert got["v2_no_position"].status == "done" and got["v2_no_position"].result["alt_site"] is None
    assert "no position given" in got["v2_no_position"].result["note"]
    assert got["v1"].status == "done" and got["v1"].result["alt_site"] is None
    assert (got["position_with_drift"].status, got["position_with_drift"].error_code) == ("rejected", "invalid_message")
    assert "a position goes only with resolution 客户临时改址" in got["position_with_drift"].error
    assert (got["closed"].status, got["closed"].error_code) == ("failed", "alert_closed")
    assert (got["unknown_alert"].status, got["unknown_alert"].error_code) == ("failed", "not_found")
    assert sites == []


def test_signal_drift_builds_a_baseline_per_rep_and_device_and_the_month_shows_objective_causes(backend, sessions):
    world = seed_world(sessions, backend)
    actions = [_visit_at(sessions, world, m, device=d) for m, d in
               ((700, "phone-A"), (900, "phone-A"), (650, None), (1500, "phone-B"), (2000, None))]
    for a in actions:
        _verify(backend, world, a)
    alerts = [_alert(sessions, a).id for a in actions]
    for alert_id, resolution in zip(alerts, ("信号漂移", "信号漂移", "信号漂移", "客户临时改址", "确认虚假")):
        _resolve(backend, world, alert_id, resolution)
    _run(backend, "verify")
    with sessions() as s:
        rep = s.execute(text("SELECT samples, alerts, max_distance_m, avg_excess_m FROM v_drift_baseline "
                             "WHERE rep_id = :r"), {"r": world.rep_id}).one()
        devices = s.execute(text("SELECT device_id, samples, alerts FROM v_drift_baseline_device WHERE rep_id = :r "
                                 "ORDER BY device_id"), {"r": world.rep_id}).all()
        month = s.execute(text("SELECT month, alerts, resolved, customer_moved, signal_drift, confirmed_fake, other, "
                               "objective_share, signal_drift_share FROM v_anomaly_baseline_monthly "
                               "WHERE org_id = :o"), {"o": world.org_id}).all()
    # Three drift resolutions, two failed distance checks each (check-in and photo).
    assert (rep.samples, rep.alerts) == (6, 3) and 880 < rep.max_distance_m < 920 and rep.avg_excess_m > 150
    assert [tuple(d) for d in devices] == [("phone-A", 4, 2)]  # the device-less one counts for the rep only
    (row,) = month
    local = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m")
    assert tuple(row)[:7] == (local, 5, 5, 1, 3, 1, 0)
    assert row.objective_share == 0.8 and row.signal_drift_share == 0.6
