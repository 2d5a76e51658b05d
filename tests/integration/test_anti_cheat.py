"""Anti-cheat flags wired into verification: reuse, editing, impossible travel, mock location."""
from __future__ import annotations

import datetime as dt
import shutil

from sqlalchemy import select

from evidence.photo_writer import make_photo
from models import ApAlert, ApCheck, ApPhoto, ApVerdict, CrmAction
from queues.broker import connect
from queues.publisher import Publisher, job_message
from queues.topology import Topology
from workers.app import make_worker
from tests.support import IDLE_S, seed_world


def _verify(settings, org_id, *action_ids):
    pub = Publisher(connect(settings.broker_url), Topology(settings.queue_prefix))
    for a in action_ids:
        pub.publish_job(job_message("action.submitted/1", org_id, action_id=a))
    return make_worker(settings, ["verify"]).run(until_idle=IDLE_S, max_seconds=120)


def _checks(s, action_id):
    v = s.scalar(select(ApVerdict).where(ApVerdict.action_id == action_id, ApVerdict.superseded_at.is_(None)))
    return v, {(c.rule, c.reason): c for c in s.scalars(select(ApCheck).where(ApCheck.verdict_id == v.id))}


def test_reused_photo_names_the_earlier_action(backend, sessions):
    world = seed_world(sessions, backend)
    first = world.visit(sessions)
    assert _verify(backend, world.org_id, first)["done"] == 1
    second = world.visit(sessions, submitted_at=dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=7))
    with sessions() as s:
        stored = s.scalar(select(ApPhoto).where(ApPhoto.action_id == first))
        assert stored.phash and stored.dhash  # the first photo's hashes are kept for later actions
    # The rep re-uploads last week's photo for the new visit.
    media = backend.media_root / "photos"
    shutil.copy(media / f"{world.org_id}-{first}.jpg", media / f"{world.org_id}-{second}.jpg")
    assert _verify(backend, world.org_id, second)["done"] == 1
    with sessions() as s:
        v, checks = _checks(s, second)
        assert v.status == "pending_verification" and "photo_reused" in v.failed_rules
        reused = [c for (rule, _), c in checks.items() if rule == "photo_reused"][0]
        assert reused.ref == f"action:{first}" and reused.severity == "hard" and reused.value_num == 0
        alert = s.scalar(select(ApAlert).where(ApAlert.action_id == second))
        assert any("photo_reused" in r and f"action:{first}" in r for r in alert.reasons)


def test_edited_photo_and_impossible_travel_are_hard_flags(backend, sessions):
    world = seed_world(sessions, backend)
    now = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    edited = world.visit(sessions, submitted_at=now)
    photo = backend.media_root / "photos" / f"{world.org_id}-{edited}.jpg"
    from tests.support import HANGZHOU, offset
    from evidence.datum import convert

    wlat, wlon = convert(*HANGZHOU, "gcj02", "wgs84")
    photo.write_bytes(make_photo(gps=offset(wlat, wlon, 20, -10), gps_time_utc=now - dt.timedelta(seconds=30),
                                 camera_time=(now + dt.timedelta(hours=8, seconds=-30)).replace(tzinfo=None),
                                 software="Adobe Photoshop 25.0", scene=4242))
    # Thirty minutes later the same rep checks in 1,100 km away (Beijing): over 2,000 km/h.
    far = world.visit(sessions, submitted_at=now + dt.timedelta(minutes=30))
    with sessions() as s, s.begin():
        a = s.get(CrmAction, far)
        a.checkin_lat, a.checkin_lon, a.checkin_datum = 39.9087, 116.3975, "gcj02"
    stats = _verify(backend, world.org_id, edited, far)
    assert stats["done"] == 2
    with sessions() as s:
        v, checks = _checks(s, edited)
        assert "photo_edited" in v.failed_rules
        v2, checks2 = _checks(s, far)
        assert "impossible_travel" in v2.failed_rules
        travel = [c for (rule, _), c in checks2.items() if rule == "impossible_travel"][0]
        assert travel.value_num > 1000 and travel.unit == "km/h"


def test_soft_mock_location_signal_raises_risk_but_not_the_verdict(backend, sessions):
    world = seed_world(sessions, backend)
    action = world.visit(sessions)
    with sessions() as s, s.begin():
        s.get(CrmAction, action).checkin_accuracy_m = 0  # mock-location apps report a perfect fix
    assert _verify(backend, world.org_id, action)["done"] == 1
    with sessions() as s:
        v, checks = _checks(s, action)
        assert v.status == "verified" and v.risk_score > 0
        mock = [c for (rule, _), c in checks.items() if rule == "mock_location"]
        assert mock and all(c.passed and c.severity == "soft" for c in mock)
