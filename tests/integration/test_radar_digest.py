"""The weekly radar reaches managers, on both backends: the clock at Friday 18:00 org time stores the
radars and announces one digest per manager (never twice), the notifier posts it through a real broker
to a local HTTP server standing in for the WeCom / DingTalk robots (real robots cannot be reached
here): WeCom gets the digest and one image message per customer, DingTalk one markdown linking the
charts under the media base URL or with the values as text; a failing post is retried, the digest
requeued, and no post is ever sent twice; an axis without input is 无数据, a real zero 0%."""
from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import hashlib
import json

from sqlalchemy import func, select

from models import ApOutbox, ApRadar, ApRadarDigest, CrmAction, CrmCustomer
from tests.integration.test_notifier import Robot, _drop_queue, _publish, _subscribe  # noqa: F401 - Robot: fixture's class
from tests.integration.test_notifier import robot  # noqa: F401 - the local robot server fixture
from tests.support import seed_world
from workers import outbox
from workers.app import publisher
from workers.notifier import Notifier, RateLimiter, SqliteDeliveryLog, parse_webhooks, run_notifier
from workers.periodic import weekly_radar
from workers.radar_digest import db_radar_pictures

CST = dt.timezone(dt.timedelta(hours=8))
FRIDAY_1805 = dt.datetime(2026, 3, 13, 18, 5, tzinfo=CST)  # 2026-W11


def _clock(sessions, settings, now) -> list[int]:
    ids: list[int] = []
    weekly_radar(sessions, settings, now, ids)
    return ids


def _team(sessions, settings):
    """The seed's manager with one rep and two customers: one called this week without a need stated
    (need clarity a real 0 %), one without anything this week (every axis 无数据)."""
    world = seed_world(sessions, settings)
    with sessions() as s, s.begin():
        quiet = CrmCustomer(org_id=world.org_id, name="滨江精工机械", industry=None, owner_rep_id=world.rep_id)
        s.add(quiet)
        # 杭州明达五金 was called on Thursday: a touch in which no need was stated.
        s.add(CrmAction(org_id=world.org_id, customer_id=world.customer_id, rep_id=world.rep_id, type="电话沟通",
                        submitted_at=FRIDAY_1805 - dt.timedelta(days=1)))
        s.flush()
        quiet_id = quiet.id
    return world, quiet_id


def _notifier(settings, robot, **kw) -> Notifier:
    webhooks = kw.pop("webhooks")
    return Notifier(targets=parse_webhooks(webhooks), deliveries=SqliteDeliveryLog(settings.home / "notify.db"),
                    alert_status=lambda _a: None, limiter=RateLimiter(1000), backoff_s=0.01,
                    radar_pictures=db_radar_pictures(settings), **kw)


def _deliver(settings, notifier) -> dict:
    return dict(run_notifier(settings.broker_url, notifier, prefix=settings.queue_prefix, until_idle=1.0,
                             max_seconds=60, lease_s=settings.lease_s, status_retry_s=0.05))


def test_friday_digest_reaches_the_wecom_robot_once_with_images_retried_never_twice(backend, sessions, robot):
    settings = backend
    world, quiet = _team(sessions, settings)
    assert _clock(sessions, settings, FRIDAY_1805 - dt.timedelta(minutes=10)) == []  # 17:55: not due yet
    ids = _clock(sessions, settings, FRIDAY_1805)
    assert len(ids) == 1 and _clock(sessions, settings, FRIDAY_1805 + dt.timedelta(hours=1)) == []  # once a week
    with sessions() as s:
        radars = {r.customer_id: r for r in s.scalars(select(ApRadar))}
        digest = s.scalar(select(ApRadarDigest))
        body = s.get(ApOutbox, ids[0]).body
    assert (digest.manager_id, digest.week_label, digest.customers) == (world.manager_id, "2026-W11", 2)
    called = radars[world.customer_id]
    assert (called.need_clarity, called.budget_match) == (0.0, None)  # talked, no need heard: a real zero
    assert called.chain_coverage is not None and called.chain_coverage > 0
    assert (radars[quiet].chain_coverage, radars[quiet].need_clarity, radars[quiet].budget_match) == (None, None, None)
    assert body["event"] == f"radar.weekly.{world.manager_id}"
    _subscribe(settings)
    try:
        pub = publisher(settings)
        assert outbox.flush(sessions, pub, ids=ids) == 1
        pub.connection.release()
        # The digest text gets a 500 first (retried within the post); the second image fails every attempt
        # (the digest is requeued); the redelivery posts only that image.
        path = "/cgi-bin/webhook/send"
        robot.script[path] = [(500, {}), (200, {"errcode": 0}), (200, {"errcode": 0}),
                              (200, {"errcode": 45009, "errmsg": "api freq out of limit"}),
                              (200, {"errcode": 45009, "errmsg": "api freq out of limit"})]
        hooks = {str(world.manager_id): {"kind": "wecom", "url": f"{robot.url}{path}?key=k"}}
        stats = _deliver(settings, _notifier(settings, robot, webhooks=hooks, max_attempts=2))
        # The event is published again (a second announcement): nothing more is posted.
        _publish(settings, [(body["event"], {**body, "event_id": "ev-again"})])
        again = _deliver(settings, _notifier(settings, robot, webhooks=hooks, max_attempts=2))
    finally:
        _drop_queue(settings)
    assert stats.get("requeued") == 1 and stats.get("sent") == 1 and again == {"duplicate": 1}
    posts = robot.accepted(path)
    assert [p["body"]["msgtype"] for p in posts] == ["markdown", "image", "image"]
    text = posts[0]["body"]["markdown"]["content"]
    assert "客户健康雷达周报" in text and "2026-W11" in text
    assert "杭州明达五金（李明）：决策链覆盖度 8% · 需求明确度 0% · 预算匹配度 无数据" in text
    assert "滨江精工机械（李明）：决策链覆盖度 无数据 · 需求明确度 无数据 · 预算匹配度 无数据" in text
    for p in posts[1:]:
        png = base64.b64decode(p["body"]["image"]["base64"])
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and hashlib.md5(png).hexdigest() == p["body"]["image"]["md5"]
    assert len({p["body"]["image"]["md5"] for p in posts[1:]}) == 2  # each customer's chart once
    # The digest twice (a 500, then accepted), image 1, image 2 rate-limited twice, image 2 after the requeue.
    assert len(robot.posts) == 6 and [p["path"] for p in robot.posts] == [path] * 6


def test_dingtalk_digest_links_the_charts_or_gives_the_values(backend, sessions, robot):
    world, quiet = _team(sessions, backend)
    other, _ = _team(sessions, backend)  # a second organisation: its own manager, its own digest
    ids = _clock(sessions, backend, FRIDAY_1805)
    assert len(ids) == 2
    linked = dataclasses.replace(backend, radar_media_base_url="https://crm.example.cn/radar/",
                                 radar_media_dir=backend.home / "served")
    hooks = {str(world.manager_id): {"kind": "dingtalk", "url": f"{robot.url}/robot/send?access_token=a"},
             str(other.manager_id): {"kind": "dingtalk", "url": f"{robot.url}/robot/plain?access_token=b"}}
    _subscribe(backend)
    try:
        pub = publisher(backend)
        outbox.flush(sessions, pub, ids=ids)
        pub.connection.release()
        notifier = _notifier(linked, robot, webhooks=hooks)
        plain = db_radar_pictures(backend)  # no media base URL: the values as text
        notifier.radar_pictures = lambda body, kind: (
            db_radar_pictures(linked) if body["manager_id"] == world.manager_id else plain)(body, kind)
        stats = _deliver(backend, notifier)
    finally:
        _drop_queue(backend)
    assert stats == {"sent": 2}
    (md,) = [p["body"]["markdown"]["text"] for p in robot.accepted("/robot/send")]
    (text,) = [p["body"]["markdown"]["text"] for p in robot.accepted("/robot/plain")]
    links = [line.strip() for line in md.splitlines() if line.strip().startswith("![")]
    assert len(links) == 2 and all("](https://crm.example.cn/radar/2026-W11/" in x for x in links)
    for link in links:
        served = linked.radar_media_dir / "2026-W11" / link.rsplit("/", 1)[1].rstrip(")")
        assert served.read_bytes()[:4] == b"\x89PNG"
    assert "![" not in text and "决策链覆盖度 8% · 需求明确度 0% · 预算匹配度 无数据" in text
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(ApRadarDigest)) == 2
    json.dumps(md, ensure_ascii=False)
