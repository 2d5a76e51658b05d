"""Alert delivery: alert.created/overdue/escalated, plan.incomplete and radar.weekly events → the manager's
WeCom or DingTalk group robot.

    notifier = Notifier(parse_webhooks(raw_json), SqliteDeliveryLog(path), alert_status)
    run_notifier(broker_url, notifier, prefix=queue_prefix)

* Consumes a durable queue (`notifier`) bound to `alert.created.*`, `alert.overdue.*`,
  `alert.escalated.*` and `plan.incomplete.*` on the events exchange; several notifier processes share it.
* The recipient is the routing key's last part (for `alert.escalated.<id>` that is the
  manager's manager), looked up in the webhook mapping, else its `default` entry.
* No duplicates: an event whose `event_id` the delivery log has seen is dropped. Delivery is
  at least once underneath (a crash between the post and the log write repeats one post).
* Never posts for an alert that is superseded (or already resolved): `alert_status(alert_id)`
  is asked right before posting.
* Retries with exponential backoff on connection errors, timeouts, HTTP 429/5xx and the
  robots' rate-limit error codes; bounded by `max_attempts`, then logged and recorded `failed`.
  A robot accepts 20 messages a minute; posts are spaced to stay under that.
* The weekly radar digest (`radar.weekly.<manager_id>`) is several posts on WeCom (the digest, then
  one image message per customer) and one markdown on DingTalk (pictures linked under the media base
  URL, or the three values as text). Each post is recorded under the digest id once it is accepted,
  so a digest whose posting failed part-way is requeued and goes on where it stopped: no post twice.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import logging
import socket
import sqlite3
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter, deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping, Protocol
from zoneinfo import ZoneInfo

log = logging.getLogger("actionproof.notifier")

QUEUE_NAME = "notifier"
ROUTING_KEYS = ("alert.created.*", "alert.overdue.*", "alert.escalated.*", "plan.incomplete.*", "radar.weekly.*")
KINDS = ("wecom", "dingtalk")
SKIP_STATUSES = ("superseded", "resolved")
# Robot error codes worth retrying: WeCom 45009 (rate limit), -1 (system busy);
# DingTalk 130101 (sending too fast), 130102 (too many robots sending).
RETRYABLE_ERRCODES = frozenset({-1, 45009, 130101, 130102})
MAX_BYTES = {"wecom": {"markdown": 4096, "text": 2048}, "dingtalk": {"markdown": 5000, "text": 5000}}
TITLES = {"created": "待核实提醒", "overdue": "核实提醒已超时", "escalated": "核实提醒升级", "plan": "今日必做未完成",
          "radar": "客户健康雷达周报"}
RADAR_AXES = (("chain_coverage", "决策链覆盖度"), ("need_clarity", "需求明确度"), ("budget_match", "预算匹配度"))
WECOM_IMAGE_MAX_BYTES = 2 * 1024 * 1024  # WeCom robots refuse larger images


# ---- configuration ---------------------------------------------------------------------------
@dataclass(frozen=True)
class WebhookTarget:
    """One group robot. `secret`: DingTalk's 加签 secret (SEC…), when the robot uses signing."""

    kind: str
    url: str
    secret: str | None = None
    msgtype: str = "markdown"  # markdown / text
    mention_mobiles: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"webhook kind must be one of {KINDS}, not {self.kind!r}")
        if self.msgtype not in ("markdown", "text"):
            raise ValueError("webhook msgtype must be markdown or text")
        scheme = urllib.parse.urlsplit(self.url).scheme
        if scheme not in ("http", "https"):
            raise ValueError(f"webhook url must be http(s), not {scheme or 'empty'}")

    def redacted(self) -> str:
        """The URL without its query (the robot key lives there) for logs."""
        u = urllib.parse.urlsplit(self.url)
        return f"{u.scheme}://{u.netloc}{u.path}"


def parse_webhooks(raw: str | bytes | Mapping[str, Any] | None) -> dict[str, WebhookTarget]:
    """`{"<manager_id>"|"default": {"kind": "wecom"|"dingtalk", "url": ..., "secret"?, "msgtype"?}}`.

    The value of ACTIONPROOF_NOTIFY_WEBHOOKS; keys are manager ids as strings (a team can
    share one robot by listing each manager), `default` catches the rest.
    """
    if raw is None or raw == "" or raw == b"":
        return {}
    data = json.loads(raw) if isinstance(raw, (str, bytes)) else raw
    if not isinstance(data, Mapping):
        raise ValueError("webhook configuration must be a JSON object keyed by manager id or 'default'")
    out = {}
    for key, spec in data.items():
        if not isinstance(spec, Mapping):
            raise ValueError(f"webhook entry {key!r} must be an object with kind and url")
        unknown = set(spec) - {"kind", "url", "secret", "msgtype", "mention_mobiles"}
        if unknown:
            raise ValueError(f"webhook entry {key!r} has unknown field(s) {sorted(unknown)}")
        try:
            out[str(key)] = WebhookTarget(kind=spec["kind"], url=spec["url"], secret=spec.get("secret"),
                                          msgtype=spec.get("msgtype", "markdown"),
                                          mention_mobiles=tuple(spec.get("mention_mobiles", ())))
        except KeyError as e:
            raise ValueError(f"webhook entry {key!r} lacks {e.args[0]}") from None
    return out


def target_for(targets: Mapping[str, WebhookTarget], recipient: Any) -> WebhookTarget | None:
    return targets.get(str(recipient)) or targets.get("default")


# ---- the delivery log (dedupe) ---------------------------------------------------------------
class DeliveryLog(Protocol):
    def seen(self, event_id: str) -> bool: ...

    def mark(self, event_id: str, outcome: str, detail: str = "") -> None: ...


class MemoryDeliveryLog:
    def __init__(self) -> None:
        self.outcomes: dict[str, tuple[str, str]] = {}
        self._lock = threading.Lock()

    def seen(self, event_id: str) -> bool:
        with self._lock:
            return event_id in self.outcomes

    def mark(self, event_id: str, outcome: str, detail: str = "") -> None:
        with self._lock:
            self.outcomes[event_id] = (outcome, detail)


class SqliteDeliveryLog:
    """Event ids already handled, in one SQLite file shared by the notifier processes of a host."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        if self.path != ":memory:":
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        self._local = threading.local()
        with self._db() as db:
            db.execute("CREATE TABLE IF NOT EXISTS notify_deliveries (event_id TEXT PRIMARY KEY, "
                       "outcome TEXT NOT NULL, detail TEXT NOT NULL DEFAULT '', at TEXT NOT NULL)")

    def _db(self) -> sqlite3.Connection:
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            self._local.db = db
        return db

    def seen(self, event_id: str) -> bool:
        return self._db().execute("SELECT 1 FROM notify_deliveries WHERE event_id = ?", (event_id,)).fetchone() is not None

    def mark(self, event_id: str, outcome: str, detail: str = "") -> None:
        self._db().execute("INSERT OR REPLACE INTO notify_deliveries (event_id, outcome, detail, at) VALUES (?, ?, ?, ?)",
                           (event_id, outcome, detail[:2000], dt.datetime.now(dt.timezone.utc).isoformat()))

    def outcome(self, event_id: str) -> str | None:
        row = self._db().execute("SELECT outcome FROM notify_deliveries WHERE event_id = ?", (event_id,)).fetchone()
        return row[0] if row else None


# ---- messages --------------------------------------------------------------------------------
def event_kind(routing_key: str) -> str | None:
    parts = routing_key.split(".")
    if len(parts) >= 3 and parts[0] == "alert" and parts[1] in TITLES:
        return parts[1]
    if len(parts) == 3 and parts[:2] == ["plan", "incomplete"]:
        return "plan"
    if len(parts) == 3 and parts[:2] == ["radar", "weekly"]:
        return "radar"
    return None


def recipient_of(routing_key: str) -> str:
    return routing_key.split(".", 2)[2] if routing_key.count(".") >= 2 else ""


def _local(iso: str | None, timezone: str) -> str:
    if not iso:
        return "—"
    try:
        t = dt.datetime.fromisoformat(iso)
    except ValueError:
        return iso
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.timezone.utc)
    return t.astimezone(ZoneInfo(timezone)).strftime("%Y-%m-%d %H:%M")


def _fit(text: str, limit: int) -> str:
    """Cut to `limit` UTF-8 bytes at a character boundary, marking the cut."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    cut = data[: limit - len("…".encode("utf-8"))].decode("utf-8", errors="ignore")
    return cut + "…"


def render_message(kind: str, body: Mapping[str, Any], target: WebhookTarget, *, timezone: str = "Asia/Shanghai",
                   extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The robot's JSON message for one alert event (markdown or text, WeCom or DingTalk format).

    `extra` (optional, from the lead's `describe(body)`): rep_name, customer_name,
    action_type, manager_name, link — shown when present.
    """
    extra = dict(extra or {})
    if kind == "plan":
        return _render_plan(body, target, timezone, extra)
    title = TITLES[kind]
    action = f"{extra.get('action_type', '动作')} #{body.get('action_id')}"
    rep = extra.get("rep_name") or f"#{body.get('rep_id')}"
    lines = [f"{'客户：' + str(extra['customer_name']) + '  ' if extra.get('customer_name') else ''}销售：{rep}",
             f"截止：{_local(body.get('due_at'), timezone)}（{timezone}）"]
    if kind == "escalated":
        lines.insert(0, f"原处理人：{extra.get('manager_name') or '#' + str(body.get('manager_id'))} 未在截止前处理")
    reasons = [str(r) for r in (body.get("reasons") or [])]
    if target.msgtype == "markdown":
        head = f"### 【{title}】{action}"
        md = [head, *[f"> {x}" for x in lines], "", "**未通过的核验规则：**", *[f"- {r}" for r in reasons]]
        if extra.get("link"):
            md.append(f"[去处理]({extra['link']})")
        md.append(f"提醒编号 {body.get('alert_id')}")
        text = _fit("\n".join(md), MAX_BYTES[target.kind]["markdown"])
        if target.kind == "wecom":
            return {"msgtype": "markdown", "markdown": {"content": text}}
        out = {"msgtype": "markdown", "markdown": {"title": f"{title} {action}", "text": text}}
    else:
        plain = [f"【{title}】{action}", *lines, "未通过的核验规则：", *[f"- {r}" for r in reasons]]
        if extra.get("link"):
            plain.append(str(extra["link"]))
        text = _fit("\n".join(plain), MAX_BYTES[target.kind]["text"])
        if target.kind == "wecom":
            content: dict[str, Any] = {"content": text}
            if target.mention_mobiles:
                content["mentioned_mobile_list"] = list(target.mention_mobiles)
            return {"msgtype": "text", "text": content}
        out = {"msgtype": "text", "text": {"content": text}}
    if target.mention_mobiles:
        out["at"] = {"atMobiles": list(target.mention_mobiles), "isAtAll": False}
    return out


def _render_plan(body: Mapping[str, Any], target: WebhookTarget, timezone: str,
                 extra: Mapping[str, Any]) -> dict[str, Any]:
    """A plan.incomplete event: the rep's red items and when the manager's reasons are due."""
    title = TITLES["plan"]
    rep = extra.get("rep_name") or f"#{body.get('rep_id')}"
    names = extra.get("customer_names") or {}
    items = [f"{i.get('seq')}. {names.get(str(i.get('customer_id'))) or '客户#' + str(i.get('customer_id'))} "
             f"{i.get('action_type')}" + (f"（{i['target']}）" if i.get("target") else "") + f" · 计划项 {i.get('plan_id')}"
             for i in body.get("red") or []]
    head = f"销售：{rep}  日期：{body.get('plan_date')}  已完成 {body.get('done', 0) + body.get('unverified', 0)}/{body.get('items')}"
    due = f"请在 {_local(body.get('reason_due_at'), timezone)}（{timezone}）前为每项选择原因：客户临时变更 / 资料未齐 / 权限不足 / 其他"
    if target.msgtype == "markdown":
        text = _fit("\n".join([f"### 【{title}】{rep}", f"> {head}", f"> {due}", "", "**未完成（红色）：**",
                               *[f"- {x}" for x in items]]), MAX_BYTES[target.kind]["markdown"])
        if target.kind == "wecom":
            return {"msgtype": "markdown", "markdown": {"content": text}}
        return {"msgtype": "markdown", "markdown": {"title": f"{title} {rep}", "text": text}}
    text = _fit("\n".join([f"【{title}】{rep}", head, due, "未完成（红色）：", *[f"- {x}" for x in items]]),
                MAX_BYTES[target.kind]["text"])
    return {"msgtype": "text", "text": {"content": text}}


@dataclass(frozen=True)
class RadarPicture:
    """What a digest shows of one customer beyond the event: names, the chart, and where it is served."""

    customer_id: int
    customer_name: str
    rep_name: str | None = None
    png: bytes | None = None  # for WeCom image messages
    url: str | None = None  # for DingTalk markdown: the chart under the configured media base URL


def _percent(value: Any) -> str:
    """An axis value as the digest shows it: 无数据 when the week had no input, a real 0 stays 0%."""
    return "无数据" if value is None else f"{float(value) * 100:.0f}%"


def render_radar_digest(body: Mapping[str, Any], target: WebhookTarget, pictures: Mapping[int, RadarPicture],
                        max_images: int = 10) -> list[tuple[str, dict[str, Any]]]:
    """The posts of one weekly digest as (part key, robot message), in posting order.

    WeCom robots take pictures only as image messages: the digest text, then one image per customer
    (at most `max_images`; the rest are in the text). DingTalk robots take images only by URL: one
    markdown linking each chart served under the media base URL, or with the values alone when none
    is set (they are in the text either way).
    """
    title = TITLES["radar"]
    week = body.get("week")
    lines, images = [], []
    for item in body.get("customers") or []:
        cid = item.get("customer_id")
        pic = pictures.get(cid) or RadarPicture(cid, f"客户#{cid}")
        who = f"（{pic.rep_name}）" if pic.rep_name else ""
        values = " · ".join(f"{label} {_percent(item.get(key))}" for key, label in RADAR_AXES)
        lines.append((pic, f"{pic.customer_name}{who}：{values}"))
    head = f"{week} 共 {len(lines)} 位客户；无数据 = 本周没有该维度的输入（不是 0%）"
    if target.kind == "dingtalk":
        md = [f"### 【{title}】{week}", f"> {head}", ""]
        for pic, line in lines:
            md.append(f"- {line}")
            if pic.url:
                md.append(f"  ![{pic.customer_name}]({pic.url})")
        text = _fit("\n".join(md), MAX_BYTES["dingtalk"]["markdown"])
        return [("digest", {"msgtype": "markdown", "markdown": {"title": f"{title} {week}", "text": text}})]
    if target.msgtype == "markdown":
        text = _fit("\n".join([f"### 【{title}】{week}", f"> {head}", "", *[f"- {x}" for _, x in lines]]),
                    MAX_BYTES["wecom"]["markdown"])
        posts = [("digest", {"msgtype": "markdown", "markdown": {"content": text}})]
    else:
        text = _fit("\n".join([f"【{title}】{week}", head, *[f"- {x}" for _, x in lines]]), MAX_BYTES["wecom"]["text"])
        posts = [("digest", {"msgtype": "text", "text": {"content": text}})]
    for pic, _ in lines:
        if pic.png and len(pic.png) <= WECOM_IMAGE_MAX_BYTES and len(images) < max(0, max_images):
            images.append((f"image:{pic.customer_id}", {"msgtype": "image", "image": {
                "base64": base64.b64encode(pic.png).decode("ascii"), "md5": hashlib.md5(pic.png).hexdigest()}}))
    return posts + images


class DeliveryDeferred(Exception):
    """A post failed with an error worth retrying after all attempts: the event is requeued, and the
    posts already accepted are not sent again."""


# ---- HTTP ------------------------------------------------------------------------------------
class PostError(Exception):
    def __init__(self, message: str, retryable: bool):
        super().__init__(message)
        self.retryable = retryable


def signed_url(target: WebhookTarget, now_ms: int) -> str:
    """DingTalk 加签: timestamp and sign = base64(HMAC-SHA256(secret, "ts\\nsecret")) appended."""
    if target.kind != "dingtalk" or not target.secret:
        return target.url
    to_sign = f"{now_ms}\n{target.secret}".encode("utf-8")
    sign = base64.b64encode(hmac.new(target.secret.encode("utf-8"), to_sign, hashlib.sha256).digest()).decode()
    sep = "&" if urllib.parse.urlsplit(target.url).query else "?"
    return f"{target.url}{sep}timestamp={now_ms}&sign={urllib.parse.quote_plus(sign)}"


def http_post_json(url: str, payload: Mapping[str, Any], timeout: float) -> tuple[int, bytes]:
    """POST JSON with urllib; returns (status, body) for any HTTP status, raises PostError otherwise."""
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    req = urllib.request.Request(url, data=data, method="POST",
                                 headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:  # noqa: S310 - configured http(s) URL
            return resp.status, resp.read(65536)
    except urllib.error.HTTPError as e:
        return e.code, e.read(65536) if e.fp else b""
    except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError, OSError) as e:
        reason = getattr(e, "reason", e)
        raise PostError(f"connection failed: {type(reason).__name__}: {reason}", retryable=True) from e


def check_response(status: int, body: bytes) -> None:
    """Raise PostError unless the robot accepted the message (HTTP 2xx and errcode 0)."""
    if status == 429 or status >= 500:
        raise PostError(f"HTTP {status}", retryable=True)
    if not 200 <= status < 300:
        raise PostError(f"HTTP {status}: {body[:200].decode('utf-8', 'replace')}", retryable=False)
    try:
        answer = json.loads(body or b"{}")
    except ValueError:
        return  # a 2xx without JSON (a proxy in between): accepted
    code = answer.get("errcode", 0) if isinstance(answer, dict) else 0
    if code in (0, None):
        return
    raise PostError(f"errcode {code}: {answer.get('errmsg', '')}", retryable=code in RETRYABLE_ERRCODES)


class RateLimiter:
    """At most `per_minute` posts per robot URL in any 60 s window (both robots allow 20)."""

    def __init__(self, per_minute: int = 20, clock: Callable[[], float] = time.monotonic):
        self.per_minute, self.clock = per_minute, clock
        self._sent: dict[str, deque[float]] = {}
        self._lock = threading.Lock()

    def wait_s(self, url: str) -> float:
        with self._lock:
            q = self._sent.setdefault(url, deque())
            now = self.clock()
            while q and now - q[0] >= 60.0:
                q.popleft()
            return 0.0 if len(q) < self.per_minute else 60.0 - (now - q[0])

    def record(self, url: str) -> None:
        with self._lock:
            self._sent.setdefault(url, deque()).append(self.clock())


# ---- the notifier ----------------------------------------------------------------------------
@dataclass
class Notifier:
    """Turns one event into at most one robot post. `handle` returns the outcome."""

    targets: Mapping[str, WebhookTarget]
    deliveries: DeliveryLog
    alert_status: Callable[[Any], str | None]
    timezone: str = "Asia/Shanghai"
    max_attempts: int = 5
    backoff_s: float = 1.0
    max_backoff_s: float = 30.0
    timeout_s: float = 5.0
    skip_statuses: tuple[str, ...] = SKIP_STATUSES
    describe: Callable[[Mapping[str, Any]], Mapping[str, Any]] | None = None
    post: Callable[[str, Mapping[str, Any], float], tuple[int, bytes]] = http_post_json
    sleep: Callable[[float], None] = time.sleep
    now_ms: Callable[[], int] = lambda: int(time.time() * 1000)
    limiter: RateLimiter = field(default_factory=RateLimiter)
    keepalive: Callable[[], None] | None = None  # called while waiting (renews broker leases)
    stats: Counter = field(default_factory=Counter)
    # Weekly radar digests: (event body, robot kind) -> names and charts per customer id.
    radar_pictures: Callable[[Mapping[str, Any], str], Mapping[int, RadarPicture]] | None = None
    radar_max_images: int = 10

    def handle(self, routing_key: str, body: Mapping[str, Any]) -> str:
        outcome = self._handle(routing_key, body)
        self.stats[outcome] += 1
        return outcome

    def _handle(self, routing_key: str, body: Mapping[str, Any]) -> str:
        kind = event_kind(routing_key)
        if kind == "radar":
            return self._handle_radar(routing_key, body)
        if kind is None or (body.get("alert_id") is None if kind != "plan" else not body.get("red")):
            log.warning("not an alert or plan event; dropped", extra={"routing_key": routing_key})
            return "invalid"
        event_id = str(body.get("event_id") or _body_key(routing_key, body))
        if self.deliveries.seen(event_id):
            log.info("event already handled", extra={"event_id": event_id})
            return "duplicate"
        # A plan notice is always due: its reasons are asked for until the deadline.
        status = self.alert_status(body["alert_id"]) if kind != "plan" else None  # errors propagate: requeued
        if status in self.skip_statuses:
            self.deliveries.mark(event_id, f"skipped_{status}")
            log.info("alert no longer needs a notice", extra={"event_id": event_id, "alert_status": status})
            return f"skipped_{status}"
        recipient = recipient_of(routing_key)
        target = target_for(self.targets, recipient)
        if target is None:
            self.deliveries.mark(event_id, "no_target", f"recipient {recipient}")
            log.warning("no webhook for recipient", extra={"event_id": event_id, "recipient": recipient})
            return "no_target"
        extra = self.describe(body) if self.describe else None
        payload = render_message(kind, body, target, timezone=self.timezone, extra=extra)
        try:
            attempts = self._deliver(target, payload)
        except PostError as e:
            self.deliveries.mark(event_id, "failed", str(e))
            log.error("alert notice not delivered", extra={"event_id": event_id, "webhook": target.redacted(),
                                                           "error": str(e)})
            return "failed"
        self.deliveries.mark(event_id, "sent", f"{target.kind} {target.redacted()} attempts={attempts}")
        log.info("alert notice sent", extra={"event_id": event_id, "webhook": target.redacted(), "attempts": attempts})
        return "sent"

    def _handle_radar(self, routing_key: str, body: Mapping[str, Any]) -> str:
        """One digest = one or more posts, each recorded once accepted (`radar:<org>:<digest>:<part>`)."""
        if body.get("digest_id") is None or not body.get("customers"):
            log.warning("radar digest without a digest id or customers; dropped", extra={"routing_key": routing_key})
            return "invalid"
        # Keyed by the digest, not the event id: a digest announced twice is still posted once.
        key = f"radar:{body.get('org_id')}:{body['digest_id']}"
        if self.deliveries.seen(key):
            log.info("radar digest already delivered", extra={"digest": key})
            return "duplicate"
        recipient = recipient_of(routing_key)
        target = target_for(self.targets, recipient)
        if target is None:
            self.deliveries.mark(key, "no_target", f"recipient {recipient}")
            log.warning("no webhook for recipient", extra={"digest": key, "recipient": recipient})
            return "no_target"
        pictures = self.radar_pictures(body, target.kind) if self.radar_pictures else {}  # errors: requeued
        posted, failed = 0, []
        for part, payload in render_radar_digest(body, target, pictures, self.radar_max_images):
            part_key = f"{key}:{part}"
            if self.deliveries.seen(part_key):
                continue
            try:
                attempts = self._deliver(target, payload)
            except PostError as e:
                if e.retryable:
                    log.warning("radar digest post failed; requeued", extra={"digest": key, "part": part,
                                                                             "error": str(e)})
                    raise DeliveryDeferred(f"{part_key}: {e}") from e
                # Refused for good (a wrong key, a message the robot rejects): retrying cannot help.
                self.deliveries.mark(part_key, "failed", str(e))
                failed.append(part)
                log.error("radar digest post refused", extra={"digest": key, "part": part, "error": str(e)})
                continue
            self.deliveries.mark(part_key, "sent", f"{target.kind} {target.redacted()} attempts={attempts}")
            posted += 1
        self.deliveries.mark(key, "failed" if failed else "sent", ",".join(failed))
        log.info("radar digest sent", extra={"digest": key, "webhook": target.redacted(), "posts": posted,
                                             "refused": len(failed)})
        return "failed" if failed else "sent"

    def _wait(self, seconds: float) -> None:
        while seconds > 0:
            step = min(seconds, 5.0)
            self.sleep(step)
            seconds -= step
            if self.keepalive:
                self.keepalive()

    def _deliver(self, target: WebhookTarget, payload: Mapping[str, Any]) -> int:
        delay = self.backoff_s
        for attempt in range(1, self.max_attempts + 1):
            self._wait(self.limiter.wait_s(target.url))
            self.limiter.record(target.url)
            try:
                check_response(*self.post(signed_url(target, self.now_ms()), payload, self.timeout_s))
                return attempt
            except PostError as e:
                if not e.retryable or attempt == self.max_attempts:
                    raise PostError(f"{e} (attempt {attempt} of {self.max_attempts})", e.retryable) from e
                log.info("webhook post failed; retrying", extra={"webhook": target.redacted(), "error": str(e),
                                                                 "attempt": attempt, "delay_s": delay})
                self._wait(delay)
                delay = min(self.max_backoff_s, delay * 2)
        raise AssertionError("unreachable")  # pragma: no cover


def _body_key(routing_key: str, body: Mapping[str, Any]) -> str:
    """A stable id for an event published without `event_id` (older publishers)."""
    raw = json.dumps({"rk": routing_key, "body": body}, sort_keys=True, default=str).encode()
    return "body-" + hashlib.sha256(raw).hexdigest()[:24]


# ---- the consumer loop -----------------------------------------------------------------------
def run_notifier(broker_url: str, notifier: Notifier, *, prefix: str = "", queue_name: str = QUEUE_NAME,
                 until_idle: float | None = None, max_seconds: float | None = None,
                 lease_s: float | None = None, stop: threading.Event | None = None,
                 status_retry_s: float = 5.0) -> Counter:
    """Consume alert events until `stop` is set, idle for `until_idle` s, or `max_seconds` passed."""
    from kombu import Consumer

    from queues.broker import connect, is_embedded
    from queues.topology import Topology

    stop = stop or threading.Event()
    topology = Topology(prefix)
    started = time.monotonic()
    failures = 0

    def out_of_time() -> bool:
        return max_seconds is not None and time.monotonic() - started > max_seconds

    while not stop.is_set() and not out_of_time():
        conn = connect(broker_url, lease_seconds=lease_s)
        try:
            conn.ensure_connection(max_retries=3)
            channel = conn.channel()
            topology.events(channel).declare()
            queue = topology.event_queue(queue_name, *ROUTING_KEYS)(channel)
            queue.declare()
            if is_embedded(broker_url) and hasattr(channel, "extend_leases"):
                notifier.keepalive = channel.extend_leases
            idle_since = time.monotonic()

            def on_message(message) -> None:
                nonlocal idle_since
                idle_since = time.monotonic()
                routing_key = (message.delivery_info or {}).get("routing_key") or ""
                try:
                    body = json.loads(message.body) if isinstance(message.body, (str, bytes)) else message.body
                    routing_key = routing_key or str(body.get("event", ""))
                    notifier.handle(routing_key, body)
                except (ValueError, AttributeError) as e:
                    log.warning("unreadable event dropped", extra={"error": str(e)})
                    notifier.stats["invalid"] += 1
                except Exception as e:  # noqa: BLE001 - e.g. the database behind alert_status is down
                    log.warning("event handling failed; requeued", extra={"error": f"{type(e).__name__}: {e}"})
                    notifier.stats["requeued"] += 1
                    message.requeue()
                    stop.wait(status_retry_s)
                    return
                message.ack()

            with Consumer(channel, queues=[queue], on_message=on_message, accept=["application/json"],
                          prefetch_count=1):
                failures = 0
                while not stop.is_set() and not out_of_time():
                    try:
                        conn.drain_events(timeout=0.5)
                    except socket.timeout:
                        if until_idle is not None and time.monotonic() - idle_since > until_idle:
                            return notifier.stats
            return notifier.stats
        except Exception as e:  # noqa: BLE001 - broker errors come in many classes; reconnect
            if stop.is_set() or out_of_time():
                break
            failures += 1
            log.warning("broker connection lost; reconnecting", extra={"error": f"{type(e).__name__}: {e}"})
            stop.wait(min(30.0, 2.0 ** min(failures, 5)))
        finally:
            notifier.keepalive = None
            try:
                conn.release()
            except Exception:  # noqa: BLE001
                pass
    return notifier.stats
