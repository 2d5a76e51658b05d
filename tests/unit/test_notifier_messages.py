"""Notifier pieces without a broker: configuration, robot message formats, responses, pacing."""
from __future__ import annotations

import pytest

from workers.notifier import (
    MemoryDeliveryLog, Notifier, PostError, RateLimiter, WebhookTarget, check_response, parse_webhooks,
    recipient_of, render_message, signed_url, target_for,
)

BODY = {"event_id": "ev-1", "alert_id": 9, "action_id": 31, "rep_id": 4, "manager_id": 2,
        "due_at": "2026-03-02T08:30:00+00:00", "reasons": ["call_number=+86138****0000 (number_not_registered)"]}


def test_parse_webhooks_and_lookup():
    targets = parse_webhooks('{"2": {"kind": "wecom", "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K"},'
                             ' "default": {"kind": "dingtalk", "url": "https://oapi.dingtalk.com/robot/send?access_token=T",'
                             ' "msgtype": "text", "mention_mobiles": ["13800000000"]}}')
    assert target_for(targets, 2).kind == "wecom" and target_for(targets, "99").kind == "dingtalk"
    assert targets["2"].redacted() == "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"  # no key in logs
    assert parse_webhooks(None) == {} and parse_webhooks("") == {}
    assert target_for({}, 1) is None
    for bad in ('{"1": {"kind": "slack", "url": "https://x"}}', '{"1": {"kind": "wecom"}}',
                '{"1": {"kind": "wecom", "url": "ftp://x"}}', '{"1": {"kind": "wecom", "url": "https://x", "typo": 1}}',
                '[1]'):
        with pytest.raises(ValueError):
            parse_webhooks(bad)


def test_message_formats():
    wecom_md = render_message("created", BODY, WebhookTarget("wecom", "https://h/"))
    assert set(wecom_md) == {"msgtype", "markdown"} and "content" in wecom_md["markdown"]
    assert "动作 #31" in wecom_md["markdown"]["content"] and "16:30" in wecom_md["markdown"]["content"]
    wecom_text = render_message("overdue", BODY, WebhookTarget("wecom", "https://h/", msgtype="text",
                                                                mention_mobiles=("13800000000",)))
    assert wecom_text["text"]["mentioned_mobile_list"] == ["13800000000"]
    assert wecom_text["text"]["content"].startswith("【核实提醒已超时】")
    ding = render_message("escalated", {**BODY, "escalated_to": 1}, WebhookTarget("dingtalk", "https://h/", mention_mobiles=("1",)),
                          extra={"rep_name": "小刘", "customer_name": "宏达五金", "action_type": "上门拜访",
                                 "manager_name": "周经理", "link": "https://crm/alerts/9"})
    text = ding["markdown"]["text"]
    assert ding["markdown"]["title"] == "核实提醒升级 上门拜访 #31"
    assert "客户：宏达五金" in text and "销售：小刘" in text and "原处理人：周经理" in text and "(https://crm/alerts/9)" in text
    assert ding["at"] == {"atMobiles": ["1"], "isAtAll": False}
    many = render_message("created", {**BODY, "reasons": ["很长的原因" * 50] * 40}, WebhookTarget("wecom", "https://h/"))
    assert len(many["markdown"]["content"].encode()) <= 4096 and many["markdown"]["content"].endswith("…")


def test_responses_and_signing():
    check_response(200, b'{"errcode":0,"errmsg":"ok"}')
    check_response(200, b"ok")
    for status, body, retryable in ((500, b"", True), (429, b"", True), (200, b'{"errcode":130101}', True),
                                    (200, b'{"errcode":310000,"errmsg":"sign not match"}', False),
                                    (400, b"bad", False)):
        with pytest.raises(PostError) as e:
            check_response(status, body)
        assert e.value.retryable is retryable
    t = WebhookTarget("dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=T", secret="SECx")
    assert signed_url(t, 1700000000000).startswith("https://oapi.dingtalk.com/robot/send?access_token=T&timestamp=1700000000000&sign=")
    assert signed_url(WebhookTarget("wecom", "https://h/?key=1", secret="s"), 1) == "https://h/?key=1"
    assert recipient_of("alert.escalated.12") == "12" and recipient_of("alert.created.unassigned") == "unassigned"


def test_rate_limit_spaces_posts_to_twenty_a_minute():
    now = [0.0]
    limiter = RateLimiter(20, clock=lambda: now[0])
    for _ in range(20):
        assert limiter.wait_s("u") == 0.0
        limiter.record("u")
        now[0] += 1.0
    assert limiter.wait_s("u") == pytest.approx(40.0)
    assert limiter.wait_s("other") == 0.0


def test_unknown_status_is_posted_and_no_target_is_recorded():
    posted = []
    n = Notifier(targets={"2": WebhookTarget("wecom", "https://h/")}, deliveries=MemoryDeliveryLog(),
                 alert_status=lambda _id: None, post=lambda url, payload, timeout: (posted.append(payload), (200, b"{}"))[1],
                 sleep=lambda s: None)
    assert n.handle("alert.created.2", BODY) == "sent" and len(posted) == 1
    assert n.handle("alert.created.3", {**BODY, "event_id": "ev-2"}) == "no_target"
    assert n.deliveries.outcomes["ev-2"][0] == "no_target"
    assert n.handle("alert.resolved.2", BODY) == "invalid"
    assert n.handle("alert.created.2", {**BODY, "event_id": None}) == "sent"  # keyed by its body instead
    assert n.handle("alert.created.2", {**BODY, "event_id": None}) == "duplicate"
    n.alert_status = lambda _id: "resolved"
    assert n.handle("alert.overdue.2", {**BODY, "event_id": "ev-9"}) == "skipped_resolved"


PLAN = {"event_id": "ev-p1", "rep_id": 4, "manager_id": 2, "plan_date": "2026-03-02",
        "reason_due_at": "2026-03-02T09:00:00+00:00", "items": 3, "done": 1, "unverified": 1,
        "red": [{"plan_id": 88, "seq": 3, "customer_id": 7, "action_type": "上门拜访", "target": "现场勘测安装条件"}]}


def test_plan_incomplete_goes_to_the_manager_without_an_alert_lookup():
    posted = []

    def alert_status(_):
        raise AssertionError("a plan event names no alert")

    n = Notifier(targets=parse_webhooks('{"2": {"kind": "wecom", "url": "https://h/"}}'),
                 deliveries=MemoryDeliveryLog(), alert_status=alert_status,
                 describe=lambda body: {"rep_name": "李明", "customer_names": {"7": "滨江精工机械"}},
                 post=lambda url, payload, timeout: posted.append(payload) or (200, b'{"errcode":0}'))
    assert n.handle("plan.incomplete.2", PLAN) == "sent"
    assert n.handle("plan.incomplete.2", PLAN) == "duplicate"
    text = posted[0]["markdown"]["content"]
    assert text.startswith("### 【今日必做未完成】李明") and "已完成 2/3" in text
    assert "3. 滨江精工机械 上门拜访（现场勘测安装条件） · 计划项 88" in text and "17:00" in text
    assert n.handle("plan.incomplete.2", {**PLAN, "event_id": "ev-p2", "red": []}) == "invalid"
    ding = render_message("plan", PLAN, WebhookTarget("dingtalk", "https://h/", msgtype="text"))
    assert ding["text"]["content"].startswith("【今日必做未完成】#4") and "客户#7" in ding["text"]["content"]
