"""Alert delivery through a real broker (embedded, and RabbitMQ when available) to a local
robot server that records the posts and can answer 500 or a robot error code first."""
from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from queues.broker import connect
from queues.publisher import Publisher
from queues.topology import Topology
from workers.notifier import (
    QUEUE_NAME, ROUTING_KEYS, Notifier, RateLimiter, SqliteDeliveryLog, parse_webhooks, run_notifier,
)


class Robot:
    """A local stand-in for the WeCom/DingTalk robot endpoints."""

    def __init__(self):
        self.posts: list[dict] = []
        self.script: dict[str, list[tuple[int, dict]]] = {}  # path -> answers to give first
        self.lock = threading.Lock()
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's naming
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length).decode("utf-8"))
                url = urllib.parse.urlsplit(self.path)
                with robot.lock:
                    queued = robot.script.get(url.path) or []
                    status, answer = queued.pop(0) if queued else (200, {"errcode": 0, "errmsg": "ok"})
                    robot.posts.append({"path": url.path, "query": urllib.parse.parse_qs(url.query),
                                        "body": body, "status": status, "answer": answer,
                                        "content_type": self.headers.get("Content-Type")})
                data = json.dumps(answer).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def accepted(self, path: str | None = None) -> list[dict]:
        return [p for p in self.posts if p["status"] == 200 and p["answer"].get("errcode") == 0
                and (path is None or p["path"] == path)]

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def robot():
    r = Robot()
    yield r
    r.close()


SECRET = "SECtest-secret"


def _webhooks(robot: Robot) -> dict:
    return parse_webhooks({
        "7": {"kind": "wecom", "url": f"{robot.url}/cgi-bin/webhook/send?key=k7"},
        "default": {"kind": "dingtalk", "url": f"{robot.url}/robot/send?access_token=t0", "secret": SECRET},
    })


def _subscribe(settings) -> None:
    """Declare the notifier's queue before anything is published (as a deployed notifier has)."""
    conn = connect(settings.broker_url, lease_seconds=settings.lease_s)
    try:
        channel = conn.channel()
        Topology(settings.queue_prefix).events(channel).declare()
        Topology(settings.queue_prefix).event_queue(QUEUE_NAME, *ROUTING_KEYS)(channel).declare()
    finally:
        conn.release()


def _drop_queue(settings) -> None:
    if settings.broker_url.startswith("amqp"):
        conn = connect(settings.broker_url)
        try:
            conn.channel().queue_delete(f"{settings.queue_prefix}{QUEUE_NAME}")
        finally:
            conn.release()


def _publish(settings, events: list[tuple[str, dict]]) -> None:
    pub = Publisher(connect(settings.broker_url, lease_seconds=settings.lease_s), Topology(settings.queue_prefix))
    try:
        for key, body in events:
            pub.publish_event(key, body)
    finally:
        pub.connection.release()


def _event(event_id: str, alert_id: int, manager_id, **extra) -> dict:
    return {"event_id": event_id, "alert_id": alert_id, "action_id": 100 + alert_id, "rep_id": 55,
            "manager_id": manager_id, "due_at": "2026-03-02T08:30:00+00:00",
            "reasons": ["checkin_distance_m=1840 (too_far)", "photo_gps_time_s=412 (time_off)"], **extra}


def _notifier(settings, robot, statuses, **kw) -> Notifier:
    kw.setdefault("backoff_s", 0.01)
    return Notifier(targets=_webhooks(robot), deliveries=SqliteDeliveryLog(settings.home / "notify.db"),
                    alert_status=lambda alert_id: statuses[alert_id], limiter=RateLimiter(1000), **kw)


def _run(settings, notifier) -> dict:
    return dict(run_notifier(settings.broker_url, notifier, prefix=settings.queue_prefix, until_idle=1.0,
                             max_seconds=30, lease_s=settings.lease_s))


def test_each_alert_posted_once_retried_after_500_and_superseded_never(backend, robot):
    settings = backend
    _subscribe(settings)
    try:
        robot.script["/cgi-bin/webhook/send"] = [(500, {"error": "busy"})]
        statuses = {1: "open", 2: "superseded", 3: "overdue"}
        events = [
            ("alert.created.7", _event("ev-1", 1, 7)),
            ("alert.created.7", _event("ev-1", 1, 7)),  # the outbox published it twice
            ("alert.created.7", _event("ev-2", 2, 7)),  # superseded since: never posted
            ("alert.overdue.8", _event("ev-3", 3, 8)),
            ("alert.escalated.9", _event("ev-4", 3, 8, escalated_to=9)),
            ("action.verified", {"event_id": "ev-5", "action_id": 1}),  # not bound: never seen
        ]
        _publish(settings, events)
        stats = _run(settings, _notifier(settings, robot, statuses))
        assert stats == {"sent": 3, "duplicate": 1, "skipped_superseded": 1}

        wecom = [p for p in robot.posts if p["path"] == "/cgi-bin/webhook/send"]
        assert [p["status"] for p in wecom] == [500, 200]  # retried once after the 500
        assert wecom[0]["body"] == wecom[1]["body"] and wecom[1]["query"] == {"key": ["k7"]}
        md = wecom[1]["body"]
        assert md["msgtype"] == "markdown" and "【待核实提醒】动作 #101" in md["markdown"]["content"]
        assert "checkin_distance_m=1840 (too_far)" in md["markdown"]["content"]
        assert "2026-03-02 16:30" in md["markdown"]["content"]  # due_at in Asia/Shanghai
        assert wecom[1]["content_type"].startswith("application/json")

        ding = robot.accepted("/robot/send")
        assert len(ding) == 2
        titles = [p["body"]["markdown"]["title"] for p in ding]
        assert titles == ["核实提醒已超时 动作 #103", "核实提醒升级 动作 #103"]
        assert "原处理人：#8" in ding[1]["body"]["markdown"]["text"]
        for p in ding:  # DingTalk 加签: sign = base64(HMAC-SHA256(secret, "timestamp\nsecret"))
            ts = p["query"]["timestamp"][0]
            expected = base64.b64encode(hmac.new(SECRET.encode(), f"{ts}\n{SECRET}".encode(),
                                                 hashlib.sha256).digest()).decode()
            assert p["query"]["sign"] == [expected] and p["query"]["access_token"] == ["t0"]

        # A redelivery (another publish of the same events, another notifier process) posts nothing.
        before = len(robot.posts)
        _publish(settings, events[:5])
        stats = _run(settings, _notifier(settings, robot, statuses))
        assert stats == {"duplicate": 5} and len(robot.posts) == before
    finally:
        _drop_queue(settings)


def test_bounded_retries_robot_error_codes_and_a_failing_status_lookup(embedded, robot):
    settings = embedded
    _subscribe(settings)
    robot.script["/cgi-bin/webhook/send"] = [(200, {"errcode": 45009, "errmsg": "api freq out of limit"})]
    robot.script["/robot/send"] = [(503, {})] * 10
    calls = {"n": 0}

    def flaky_status(alert_id):
        calls["n"] += 1
        if alert_id == 5 and calls["n"] == 1:
            raise ConnectionError("database unavailable")
        return "open"

    notifier = Notifier(targets=_webhooks(robot), deliveries=SqliteDeliveryLog(settings.home / "notify.db"),
                        alert_status=flaky_status, backoff_s=0.01, max_attempts=3, limiter=RateLimiter(1000))
    _publish(settings, [("alert.created.5", _event("ev-down", 5, 5)),   # default → DingTalk, always 503
                        ("alert.created.7", _event("ev-rate", 6, 7))])  # WeCom rate limit once, then ok
    stats = dict(run_notifier(settings.broker_url, notifier, prefix=settings.queue_prefix, until_idle=1.0,
                              max_seconds=30, lease_s=settings.lease_s, status_retry_s=0.05))
    assert stats == {"requeued": 1, "failed": 1, "sent": 1}
    assert len([p for p in robot.posts if p["path"] == "/robot/send"]) == 3  # max_attempts, then gave up
    assert [p["answer"].get("errcode") for p in robot.posts if p["path"] == "/cgi-bin/webhook/send"] == [45009, 0]
    log = SqliteDeliveryLog(settings.home / "notify.db")
    assert log.outcome("ev-down") == "failed" and log.outcome("ev-rate") == "sent"


def test_a_permanent_robot_error_is_not_retried(embedded, robot):
    robot.script["/cgi-bin/webhook/send"] = [(200, {"errcode": 93000, "errmsg": "invalid webhook url"})]
    notifier = _notifier(embedded, robot, {1: "open"})
    assert notifier.handle("alert.created.7", _event("ev-x", 1, 7)) == "failed"
    assert len(robot.posts) == 1
    robot.script["/cgi-bin/webhook/send"] = [(404, {})]
    assert notifier.handle("alert.created.7", _event("ev-y", 1, 7)) == "failed"
    assert len(robot.posts) == 2


def test_actionproof_notify_command(embedded, robot, capsys):
    """The CLI command end to end: webhooks from --webhooks, dedupe file under the home folder."""
    import argparse

    from tests.support import prepared
    from workers.cli_scoring import add_scoring_commands, db_alert_status

    settings = embedded
    prepared(settings)
    assert db_alert_status(settings)(12345) is None  # the default lookup reads ap_alerts (no such row)
    _subscribe(settings)
    _publish(settings, [("alert.created.7", _event("ev-cli", 1, 7))])
    parser = argparse.ArgumentParser(prog="actionproof")
    add_scoring_commands(parser.add_subparsers(dest="command"), alert_status_factory=lambda s: (lambda a: "open"))
    webhooks = json.dumps({"default": {"kind": "wecom", "url": f"{robot.url}/cgi-bin/webhook/send?key=k"}})
    args = parser.parse_args(["notify", "--webhooks", webhooks, "--until-idle", "0.5", "--max-seconds", "20"])
    assert args.func(args, settings) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1]) == {"sent": 1}
    assert len(robot.accepted()) == 1
    assert SqliteDeliveryLog(settings.home / "notify.db").outcome("ev-cli") == "sent"


def test_a_plan_with_red_items_reaches_the_managers_robot(backend, robot):
    settings = backend
    _subscribe(settings)
    try:
        body = {"event_id": "ev-plan-1", "rep_id": 55, "manager_id": 7, "plan_date": "2026-03-02",
                "reason_due_at": "2026-03-02T09:00:00+00:00", "items": 3, "done": 1, "unverified": 1,
                "red": [{"plan_id": 88, "seq": 3, "customer_id": 9, "action_type": "上门拜访", "target": "看安装条件"}]}
        _publish(settings, [("plan.incomplete.7", body), ("plan.incomplete.7", body)])
        stats = _run(settings, _notifier(settings, robot, statuses={}))
    finally:
        _drop_queue(settings)
    assert stats.get("sent") == 1 and stats.get("duplicate") == 1
    (post,) = robot.accepted("/cgi-bin/webhook/send")
    text = post["body"]["markdown"]["content"]
    assert "今日必做未完成" in text and "计划项 88" in text and "17:00" in text
