"""Operations and privacy: health, reprocess, purge, consent revocation, audit log, no identities in BI views."""
from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from sqlalchemy import func, inspect, select, text

from models import ApAudit, ApJob, ApSegment, ApTranscript, ApVerdict, CrmRecording
from queues.broker import connect
from queues.publisher import Publisher, job_message
from queues.topology import Topology
from workers.app import make_worker
from workers.cli_ops import check_health, reprocess_messages
from workers.privacy import purge
from tests.support import IDLE_S, seed_world


def _run(settings, *types):
    return make_worker(settings, list(types)).run(until_idle=IDLE_S, max_seconds=120)


def _transcript(sessions, world, *, consent: bool, recorded_days_ago: float = 1.0):
    """A recording with a stored transcript (as the transcribe worker leaves it) and its audio file."""
    at = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=recorded_days_ago)
    with sessions() as s, s.begin():
        rec = CrmRecording(customer_id=world.customer_id, rep_id=world.rep_id, path=f"calls/{at.timestamp()}.wav",
                           layout="mono", recorded_at=at, consent=consent)
        s.add(rec)
        s.flush()
        audio = world.settings.media_root / rec.path
        audio.parent.mkdir(parents=True, exist_ok=True)
        audio.write_bytes(b"RIFF....WAVE")
        tr = ApTranscript(org_id=world.org_id, recording_id=rec.id, customer_id=world.customer_id, job_id="seed",
                          language="zh", duration_s=3, speaker_mode="unknown", text="我们需要节能型号", model="seed",
                          recorded_at=at, created_at=at)
        s.add(tr)
        s.flush()
        s.add(ApSegment(org_id=world.org_id, transcript_id=tr.id, seq=0, start_s=0, end_s=3, speaker="unknown",
                        text="我们需要节能型号"))
        return rec.id, tr.id, audio


def test_health_reports_each_part(backend, sessions):
    out = check_health(backend, model=False)
    assert out["ok"] and out["broker"]["ok"] and out["database"]["ok"]
    broken = check_health(type(backend)(**{**backend.__dict__, "database_url": "sqlite:////nonexistent/dir/x.db"}),
                          model=False)
    assert not broken["ok"] and not broken["database"]["ok"] and broken["database"]["error"]


def test_revoked_consent_deletes_transcript_and_audio_and_is_audited(backend, sessions):
    world = seed_world(sessions, backend)
    rec_id, tr_id, audio = _transcript(sessions, world, consent=True)
    with sessions() as s, s.begin():
        s.get(CrmRecording, rec_id).consent = False  # the customer withdrew consent in the CRM
    pub = Publisher(connect(backend.broker_url), Topology(backend.queue_prefix))
    job = pub.publish_job(job_message("recording.submitted/1", world.org_id, recording_id=rec_id))
    assert _run(backend, "transcribe")["failed"] == 1
    with sessions() as s:
        row = s.get(ApJob, job)
        assert row.error_code == "consent_missing" and "deleted" in row.error
        assert s.get(ApTranscript, tr_id) is None
        assert s.scalar(select(func.count()).select_from(ApSegment)) == 0
        entry = s.scalar(select(ApAudit).where(ApAudit.object == f"recording:{rec_id}"))
        assert entry.action == "consent_revoked" and entry.detail["audio_deleted"] is True
    assert not audio.exists()


def test_purge_deletes_what_is_past_retention_only(backend, sessions):
    world = seed_world(sessions, backend)
    old_rec, old_tr, old_audio = _transcript(sessions, world, consent=True, recorded_days_ago=400)
    new_rec, new_tr, new_audio = _transcript(sessions, world, consent=True, recorded_days_ago=2)
    dry = purge(sessions, backend, older_than_days=365, dry_run=True)
    assert dry["recordings"] == 1 and old_audio.exists()
    purge(sessions, backend, older_than_days=365)
    with sessions() as s:
        assert s.get(ApTranscript, old_tr) is None and s.get(ApTranscript, new_tr) is not None
        assert s.scalar(select(ApAudit.action).where(ApAudit.object == f"recording:{old_rec}")) == "retention"
    assert not old_audio.exists() and new_audio.exists()


def test_alert_resolution_is_audited_and_bi_views_carry_no_identities(backend, sessions):
    world = seed_world(sessions, backend)
    action = world.visit(sessions, checkin_north_m=2500)
    pub = Publisher(connect(backend.broker_url), Topology(backend.queue_prefix))
    pub.publish_job(job_message("action.submitted/1", world.org_id, action_id=action))
    _run(backend, "verify")
    with sessions() as s:
        alert_id = s.scalar(text("SELECT alert_id FROM v_alerts"))
    pub.publish_job(job_message("alert.resolved/1", world.org_id, alert_id=alert_id, resolution="信号漂移",
                                resolved_by=world.manager_id))
    _run(backend, "verify")
    with sessions() as s:
        entry = s.scalar(select(ApAudit).where(ApAudit.action == "alert_resolved"))
        assert (entry.actor, entry.object) == (f"user:{world.manager_id}", f"alert:{alert_id}")
        insp = inspect(s.get_bind())
        for view in insp.get_view_names():
            if view.startswith("v_"):
                cols = {c["name"] for c in insp.get_columns(view)}
                assert not cols & {"name", "phone", "counterpart_number", "address", "note", "text"}, view
        rows = [dict(r._mapping) for r in s.execute(text("SELECT * FROM v_failed_checks"))]
        assert rows and not any(re.search(r"1\d{10}", json.dumps(r, default=str)) for r in rows)


def test_reprocess_republishes_jobs_since_a_date(backend, sessions):
    world = seed_world(sessions, backend)
    a1, a2 = world.visit(sessions), world.visit(sessions)
    messages = reprocess_messages(backend, dt.datetime.now(dt.timezone.utc) - dt.timedelta(hours=1), ["verify"])
    assert sorted(m["action_id"] for m in messages) == [a1, a2]
    pub = Publisher(connect(backend.broker_url), Topology(backend.queue_prefix))
    for m in messages:
        pub.publish_job(m)
    assert _run(backend, "verify")["done"] == 2
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(ApVerdict)) == 2
    assert reprocess_messages(backend, dt.datetime.now(dt.timezone.utc) + dt.timedelta(hours=1), ["verify"]) == []


def test_metrics_endpoint_counts_jobs_and_queue_depth(embedded):
    import socket
    import urllib.request

    from tests.support import prepared

    sessions = prepared(embedded)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = type(embedded)(**{**embedded.__dict__, "metrics_port": port})
    world = seed_world(sessions, settings)
    pub = Publisher(connect(settings.broker_url), Topology())
    pub.publish_job(job_message("action.submitted/1", world.org_id, action_id=world.visit(sessions)))
    pub.publish_raw("verify", b"{broken")
    worker = make_worker(settings, ["verify"])
    worker.run(until_idle=IDLE_S, max_seconds=60)
    from workers.ops import queue_depths

    with connect(settings.broker_url) as conn:  # what the worker's 15-second sampler does
        worker.metrics.sample_queues(queue_depths(conn, Topology()))
    body = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    assert 'actionproof_jobs_total{status="done",type="verify"} 1.0' in body
    assert 'actionproof_job_errors_total{code="invalid_message",type="verify"} 1.0' in body
    assert 'actionproof_job_duration_seconds_count{type="verify"} 1.0' in body
    assert 'actionproof_dead_letters{queue="verify"} 1.0' in body
