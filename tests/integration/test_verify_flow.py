"""Action verification end to end through a real broker and database (both backends)."""
from __future__ import annotations

import datetime as dt
import json

from kombu import Connection
from sqlalchemy import func, select

from models import ApAlert, ApCheck, ApJob, ApQualityEvent, ApVerdict
from queues.broker import connect
from queues.publisher import Publisher, job_message
from queues.topology import Topology
from workers.app import make_worker
from workers.sweep import mark_overdue
from workers import outbox
from tests.support import IDLE_S, seed_world


def _publisher(settings) -> Publisher:
    return Publisher(connect(settings.broker_url, lease_seconds=settings.lease_s), Topology(settings.queue_prefix))


def _listen(settings, *keys: str):
    """Bind a subscriber queue on the events exchange before anything is published."""
    conn = connect(settings.broker_url, lease_seconds=settings.lease_s)
    topology = Topology(settings.queue_prefix)
    topology.declare(conn)
    queue = topology.event_queue("test-events", *keys)(conn.channel())
    queue.declare()
    return conn, queue


def _events(queue) -> list[dict]:
    out = []
    while (m := queue.get(no_ack=True, accept=["application/json"])) is not None:
        out.append((m.delivery_info.get("routing_key"), json.loads(m.body)))
    return out


def _run(settings, seconds: float = IDLE_S):
    worker = make_worker(settings, ["verify"])
    return worker.run(until_idle=seconds, max_seconds=120)


def test_publish_verdict_checks_and_alert_event(backend, sessions):
    world = seed_world(sessions, backend)
    clean = world.visit(sessions)
    far = world.visit(sessions, checkin_north_m=1800)
    conn, events = _listen(backend, "action.verified", "alert.created.*")
    pub = _publisher(backend)
    j_clean = pub.publish_job(job_message("action.submitted/1", world.org_id, action_id=clean))
    j_far = pub.publish_job(job_message("action.submitted/1", world.org_id, action_id=far))
    stats = _run(backend)
    assert stats["done"] == 2

    with sessions() as s:
        assert s.get(ApJob, j_clean).status == "done"
        v_clean = s.scalar(select(ApVerdict).where(ApVerdict.action_id == clean))
        v_far = s.scalar(select(ApVerdict).where(ApVerdict.action_id == far))
        assert v_clean.status == "verified" and v_clean.failed_rules == []
        assert v_far.status == "pending_verification"
        assert v_far.failed_rules == ["checkin_distance"]
        rules = {c.rule: c for c in s.scalars(select(ApCheck).where(ApCheck.verdict_id == v_far.id))}
        assert set(rules) == {"evidence_present", "checkin_distance", "photo_gps_time", "photo_distance"}
        assert 1750 < rules["checkin_distance"].value_num < 1850 and rules["checkin_distance"].unit == "m"
        alert = s.scalar(select(ApAlert).where(ApAlert.action_id == far))
        assert alert.status == "open" and alert.manager_id == world.manager_id
        assert abs((alert.due_at - alert.created_at) - dt.timedelta(hours=2)) < dt.timedelta(seconds=1)
        assert any(r.startswith("checkin_distance_m=") for r in alert.reasons)
        assert s.scalar(select(func.count()).select_from(ApAlert)) == 1

    got = _events(events)
    conn.release()
    keys = [k for k, _ in got]
    assert keys.count("action.verified") == 2
    created = [b for k, b in got if k == f"alert.created.{world.manager_id}"]
    assert len(created) == 1 and created[0]["action_id"] == far and created[0]["rep_id"] == world.rep_id
    assert created[0]["reasons"] and created[0]["due_at"]


def test_duplicate_delivery_leaves_one_set_of_rows(backend, sessions):
    world = seed_world(sessions, backend)
    action = world.visit(sessions, checkin_north_m=2000)
    msg = job_message("action.submitted/1", world.org_id, action_id=action)
    pub = _publisher(backend)
    pub.publish_job(msg)
    pub.publish_job(msg)  # the same job delivered twice
    stats = _run(backend)
    assert stats["done"] == 1 and stats["duplicate"] == 1
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(ApVerdict)) == 1
        assert s.scalar(select(func.count()).select_from(ApAlert)) == 1
        assert s.scalar(select(func.count()).select_from(ApCheck)) == 4
        assert s.get(ApJob, msg["job_id"]).attempts == 1


def test_invalid_messages_are_rejected_to_the_dead_letter_queue(backend, sessions):
    pub = _publisher(backend)
    good_envelope = {"job_id": "bad-1", "org_id": "o", "sent_at": "2026-03-02T10:00:00+08:00"}
    pub.publish_raw("verify", b"{not json")
    pub.publish_raw("verify", json.dumps({**good_envelope, "schema": "action.submitted/9", "action_id": 1}))
    pub.publish_raw("verify", json.dumps({**good_envelope, "job_id": "bad-2", "schema": "action.submitted/1"}))
    pub.publish_raw("verify", b"\x80\x04\x95pickle", content_type="application/x-python-serialize")
    stats = _run(backend)
    assert stats["rejected"] == 4 and stats["done"] == 0
    with sessions() as s:
        jobs = {j.job_id: j for j in s.scalars(select(ApJob))}
    assert jobs["bad-1"].status == "rejected" and jobs["bad-1"].error_code == "unknown_schema"
    assert jobs["bad-2"].error_code == "invalid_message" and "action_id" in jobs["bad-2"].error
    assert sum(1 for j in jobs.values() if j.status == "rejected") == 4
    from workers.ops import dlq_list

    with connect(backend.broker_url) as conn:
        letters = dlq_list(conn, Topology(backend.queue_prefix))
        assert len(letters) == 4
        assert {x["error_code"] for x in letters} == {"unknown_schema", "invalid_message"}
        # Listing does not consume: they are still there.
        assert len(dlq_list(conn, Topology(backend.queue_prefix))) == 4


def test_resubmission_supersedes_verdict_and_alert(backend, sessions):
    world = seed_world(sessions, backend)
    action = world.visit(sessions, checkin_north_m=1500)
    pub = _publisher(backend)
    pub.publish_job(job_message("action.submitted/1", world.org_id, action_id=action))
    _run(backend)
    pub.publish_job(job_message("action.submitted/1", world.org_id, action_id=action))
    _run(backend)
    with sessions() as s:
        verdicts = s.scalars(select(ApVerdict).where(ApVerdict.action_id == action).order_by(ApVerdict.version)).all()
        assert [v.version for v in verdicts] == [1, 2]
        assert verdicts[0].superseded_at is not None and verdicts[1].superseded_at is None
        alerts = s.scalars(select(ApAlert).where(ApAlert.action_id == action).order_by(ApAlert.id)).all()
        assert [a.status for a in alerts] == ["superseded", "open"]
        assert alerts[1].verdict_id == verdicts[1].id


def test_sweeper_marks_overdue_records_quality_event_and_escalates(backend, sessions):
    world = seed_world(sessions, backend)
    action = world.visit(sessions, checkin_north_m=3000)
    conn, events = _listen(backend, "alert.overdue.*", "alert.escalated.*")
    pub = _publisher(backend)
    pub.publish_job(job_message("action.submitted/1", world.org_id, action_id=action))
    _run(backend)
    later = dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=2, minutes=1)
    assert mark_overdue(sessions, backend, now=later - dt.timedelta(minutes=5)).overdue == 0
    result = mark_overdue(sessions, backend, now=later)
    assert result.overdue == 1 and result.escalated == 1
    assert outbox.flush(sessions, pub, ids=result.outbox_ids) == 2
    assert mark_overdue(sessions, backend, now=later).overdue == 0  # a second sweep changes nothing
    with sessions() as s:
        alert = s.scalar(select(ApAlert).where(ApAlert.action_id == action))
        assert alert.status == "overdue" and alert.escalated_to_id == world.boss_id
        q = s.scalars(select(ApQualityEvent)).all()
        assert [(e.kind, e.rep_id) for e in q] == [("alert_overdue", world.rep_id)]
    got = dict(_events(events))
    conn.release()
    assert got[f"alert.overdue.{world.manager_id}"]["alert_id"] == alert.id
    assert got[f"alert.escalated.{world.boss_id}"]["escalated_to"] == world.boss_id


def test_alert_resolution_only_by_the_manager_chain(backend, sessions):
    world = seed_world(sessions, backend)
    action = world.visit(sessions, checkin_north_m=2500)
    pub = _publisher(backend)
    pub.publish_job(job_message("action.submitted/1", world.org_id, action_id=action))
    _run(backend)
    with sessions() as s:
        alert_id = s.scalar(select(ApAlert.id).where(ApAlert.action_id == action))
    by_rep = pub.publish_job(job_message("alert.resolved/1", world.org_id, alert_id=alert_id,
                                         resolution="信号漂移", resolved_by=world.rep_id))
    by_boss = pub.publish_job(job_message("alert.resolved/1", world.org_id, alert_id=alert_id,
                                          resolution="客户临时改址", note="客户搬到了新厂区", resolved_by=world.boss_id))
    again = pub.publish_job(job_message("alert.resolved/1", world.org_id, alert_id=alert_id,
                                        resolution="确认虚假", resolved_by=world.manager_id))
    stats = _run(backend)
    assert stats["failed"] == 2 and stats["done"] == 1
    with sessions() as s:
        assert s.get(ApJob, by_rep).error_code == "forbidden"
        assert s.get(ApJob, by_boss).status == "done"
        assert s.get(ApJob, again).error_code == "alert_closed"
        alert = s.get(ApAlert, alert_id)
        assert (alert.status, alert.resolution, alert.resolved_by) == ("resolved", "客户临时改址", world.boss_id)
        ev = s.scalar(select(ApQualityEvent).where(ApQualityEvent.kind == "alert_resolved"))
        assert ev.detail["within_deadline"] is True and ev.detail["resolution"] == "客户临时改址"


def test_missing_action_retries_then_fails_not_found(backend, sessions):
    import dataclasses

    settings = dataclasses.replace(backend, not_found_window_s=2.5)
    pub = _publisher(settings)
    job = pub.publish_job(job_message("action.submitted/1", "nobody", action_id=999_999))
    worker = make_worker(settings, ["verify"])
    stats = worker.run(until_idle=IDLE_S, max_seconds=60)  # the retries wait in the worker
    assert stats["retrying"] >= 2 and stats["failed"] == 1
    with sessions() as s:
        row = s.get(ApJob, job)
        assert row.status == "failed" and row.error_code == "not_found" and row.attempts >= 2


def test_missing_and_escaping_photos_are_judged_with_their_media_reason(backend, sessions):
    world = seed_world(sessions, backend)
    missing = world.visit(sessions, photo_path="photos/never-uploaded.jpg")
    escaping = world.visit(sessions, photo_path="../../etc/passwd")
    pub = _publisher(backend)
    for a in (missing, escaping):
        pub.publish_job(job_message("action.submitted/1", world.org_id, action_id=a))
    stats = _run(backend)
    assert stats["done"] == 2  # the verdict is made; the worker keeps serving
    with sessions() as s:
        for action, code in ((missing, "media_missing"), (escaping, "media_outside_root")):
            v = s.scalar(select(ApVerdict).where(ApVerdict.action_id == action))
            assert v.status == "pending_verification"
            photo_checks = s.scalars(select(ApCheck).where(ApCheck.verdict_id == v.id,
                                                           ApCheck.rule.in_(["photo_gps_time", "photo_distance"]))).all()
            assert len(photo_checks) == 2 and {c.reason for c in photo_checks} == {code}
            assert not any(c.passed for c in photo_checks)
