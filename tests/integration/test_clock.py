"""The clock's results through the database: process quality per rep/manager week, weekly radar."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select

from models import ApProcessQuality, ApRadar
from queues.broker import connect
from queues.publisher import Publisher, job_message
from queues.topology import Topology
from scoring.periods import iso_week
from workers.app import make_worker
from workers.periodic import process_quality, radar_due, weekly_radar
from tests.support import IDLE_S, seed_world

SH = ZoneInfo("Asia/Shanghai")


def test_process_quality_for_the_week(backend, sessions):
    world = seed_world(sessions, backend)
    now = dt.datetime.now(dt.timezone.utc)
    ok, far = world.visit(sessions), world.visit(sessions, checkin_north_m=3000)
    pub = Publisher(connect(backend.broker_url), Topology(backend.queue_prefix))
    for a in (ok, far):
        pub.publish_job(job_message("action.submitted/1", world.org_id, action_id=a))
    make_worker(backend, ["verify"]).run(until_idle=IDLE_S, max_seconds=60)
    week = iso_week(now.astimezone(SH).date())
    assert process_quality(sessions, backend, week, now) >= 2
    with sessions() as s:
        rep = s.scalar(select(ApProcessQuality).where(ApProcessQuality.subject_kind == "rep",
                                                      ApProcessQuality.subject_id == world.rep_id))
        d = rep.details
        assert (d["actions"], d["verified"], d["pending_verification"]) == (2, 1, 1)
        assert d["evidence_completeness"] == 1.0 and rep.week_label == week.label
        mgr = s.scalar(select(ApProcessQuality).where(ApProcessQuality.subject_kind == "manager"))
        assert mgr.subject_id == world.manager_id and mgr.details["still_open"] == 1


def test_weekly_radar_is_due_friday_18_00_org_time(backend, sessions):
    thursday = dt.datetime(2026, 3, 5, 20, 0, tzinfo=SH)
    friday_evening = dt.datetime(2026, 3, 6, 18, 0, tzinfo=SH)
    assert radar_due(thursday, SH, 4, "18:00") is None
    assert radar_due(friday_evening, SH, 4, "18:00").label == "2026-W10"
    world = seed_world(sessions, backend)
    assert weekly_radar(sessions, backend, thursday) == 0
    assert weekly_radar(sessions, backend, friday_evening) == 1
    assert weekly_radar(sessions, backend, friday_evening + dt.timedelta(hours=1)) == 0  # once per week
    with sessions() as s:
        row = s.scalar(select(ApRadar).where(ApRadar.customer_id == world.customer_id))
        assert row.week_label == "2026-W10" and row.chain_coverage is None  # no touch that week: 无数据, not 0 %
