"""The consumer loop of CONTRACT.md §3.

* ack only after the job's database transaction committed;
* transient errors keep the message unacknowledged and retry it in this process with
  exponential backoff (1 s doubling, capped) until the retry window is over, then the
  message is dead-lettered; a crash in between simply redelivers it;
* permanent errors mark the job `failed` once; unusable messages are `rejected` to the
  job type's dead-letter queue — nothing is acked without a record;
* a `done` (or `failed`) job delivered again changes nothing;
* SIGTERM finishes the current job, leaves the rest to the broker and exits.

Long jobs. The handler runs in a job thread while the main thread keeps the broker connection
serviced (deliveries, heartbeats). A running job holds a lease in its `ap_jobs` row
(`result = {"lease": {"holder": …, "acked": …}}`, renewed through `updated_at` every lease_s/3):

* a delivery of a job that another live holder is running is not run: it waits (unacked) and
  is acked as a duplicate once the job is done, or taken over once the lease is stale;
* RabbitMQ closes a channel whose oldest unacked delivery is older than its `consumer_timeout`
  (30 min by default, not renewable by a client) and redelivers the message. A job still running
  after `lease_s` is therefore handed over to the database: the worker commits the lease as
  `acked`, then acks the delivery (still ack after commit: the commit that makes the job
  recoverable without the message). From then on the row is the job's only copy; if its holder
  dies, the lease goes stale and any worker republishes the stored message (`x-recovered`).
  The embedded transport renews its message leases instead, so it never hands over.
"""
from __future__ import annotations

import concurrent.futures
import dataclasses
import datetime as dt
import hashlib
import heapq
import itertools
import logging
import os
import re
import signal
import socket
import threading
import time
import uuid
from typing import Any, Callable

from kombu import Connection, Consumer
from kombu.exceptions import OperationalError as KombuOperationalError
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from models import ApJob, ApOutbox
from queues.broker import connect, is_embedded
from queues.publisher import Publisher
from queues.schemas import Envelope, MessageError, parse_message, queue_for
from queues.topology import Topology

from . import outbox
from .config import Settings
from .errors import Failed, JobError, Retry

log = logging.getLogger("actionproof.worker")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


@dataclasses.dataclass
class JobContext:
    """What a handler gets: its transaction, the settings and the outbox."""

    session: Session
    settings: Settings
    job_id: str
    # For short reads before a long computation, so no connection is held meanwhile.
    sessions: sessionmaker[Session] | None = None
    outbox_ids: list[ApOutbox] = dataclasses.field(default_factory=list)

    def emit(self, org_id: str | None, routing_key: str, body: dict[str, Any]) -> None:
        self.outbox_ids.append(outbox.add_event(self.session, org_id, routing_key, body))

    def follow_up(self, org_id: str, message: dict[str, Any]) -> None:
        self.outbox_ids.append(outbox.add_job(self.session, org_id, message))


Handler = Callable[[JobContext, Envelope], dict[str, Any] | None]


@dataclasses.dataclass(order=True)
class _Pending:
    not_before: float
    seq: int
    job_type: str = dataclasses.field(compare=False)
    message: Any = dataclasses.field(compare=False)
    attempt: int = dataclasses.field(default=0, compare=False)
    first_seen: float = dataclasses.field(default_factory=time.time, compare=False)
    delivered: float = dataclasses.field(default_factory=time.monotonic, compare=False)  # for the ack deadline
    waiting: bool = dataclasses.field(default=False, compare=False)  # outside the prefetch window meanwhile


MAX_EXTRA_WINDOW = 32  # messages that may wait for a retry beyond the prefetch window, per job type


@dataclasses.dataclass
class _Window:
    """A job type's channel-wide prefetch window, widened by the messages waiting for a retry."""

    channel: Any
    base: int
    waiting: int = 0
    size: int = 0


class _Held(Exception):
    """Another live worker is running this job (its lease is fresh): wait, do not run it too."""


class _LeaseLost(Exception):
    """This worker's lease was taken over while it ran the job: its results are rolled back."""


def _lease(job: ApJob | None) -> dict[str, Any] | None:
    result = job.result if job is not None else None
    lease = result.get("lease") if isinstance(result, dict) else None
    return lease if isinstance(lease, dict) else None


JOB_ID = re.compile(r"^[A-Za-z0-9._:@/-]{1,128}$")


def _clean(text: Any, limit: int) -> str | None:
    """Text a database column takes: no NUL, no lone surrogates, at most `limit` characters."""
    if not isinstance(text, str):
        return None
    text = text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "\ufffd")
    return text[:limit]


def transient(exc: BaseException) -> bool:
    """Errors that pass when the database or broker comes back."""
    if isinstance(exc, IntegrityError):
        return True  # a concurrent delivery of the same job won the race: look again
    if isinstance(exc, (OperationalError, KombuOperationalError, ConnectionError, socket.error)):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


def stable_job_id(body: bytes | str | None) -> str:
    raw = body if isinstance(body, bytes) else (body or "").encode("utf-8", "replace")
    return "rejected-" + hashlib.sha256(raw).hexdigest()[:24]


class Worker:
    def __init__(self, settings: Settings, sessions: sessionmaker[Session], handlers: dict[str, Handler],
                 job_types: list[str], *, topology: Topology | None = None,
                 periodic: list[tuple[float, Callable[[], Any]]] | None = None) -> None:
        self.settings = settings
        self.sessions = sessions
        self.handlers = handlers
        self.job_types = job_types
        self.topology = topology or Topology(settings.queue_prefix)
        self.periodic = [[interval, 0.0, fn] for interval, fn in (periodic or [])]
        self.stopping = threading.Event()
        self._pending: list[_Pending] = []
        self._seq = itertools.count()
        self._held: dict[int, _Pending] = {}
        self.stats = {"done": 0, "failed": 0, "rejected": 0, "dead_lettered": 0, "duplicate": 0, "retrying": 0}
        # Called with (job_type, status, error_code, seconds) after each outcome (metrics).
        self.observers: list[Callable[[str, str, str | None, float], None]] = []
        self.connection: Connection | None = None
        self.publisher: Publisher | None = None
        self.holder = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"  # lease owner id
        self._executor: concurrent.futures.ThreadPoolExecutor | None = None
        self._broken: BaseException | None = None  # a connection error seen while a job ran
        self._recovered_at = 0.0
        self._windows: dict[str, _Window] = {}

    # AMQP heartbeat: the main thread services the connection even while a job runs.
    heartbeat_s = 60.0

    # ---- life cycle -------------------------------------------------------------------------
    def install_signal_handlers(self) -> None:
        def stop(signum, _frame):
            log.info("stopping after the current job", extra={"signal": signum})
            self.stopping.set()

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)

    def run(self, *, until_idle: float | None = None, max_seconds: float | None = None) -> dict[str, int]:
        """Consume until stopped (or idle for `until_idle` seconds, or `max_seconds` passed)."""
        started = time.monotonic()
        failures = 0
        while not self.stopping.is_set():
            attempt_at = time.monotonic()
            try:
                self._serve(started, until_idle, max_seconds)
                break
            except Exception as e:  # noqa: BLE001 - broker errors come in many classes; the worker lives on
                if self.stopping.is_set() or (max_seconds is not None and time.monotonic() - started > max_seconds):
                    break
                if time.monotonic() - attempt_at > 60:
                    failures = 0  # the connection had been fine: start the backoff again from 2 s
                failures += 1
                log.warning("broker connection lost; reconnecting", extra={"error": f"{type(e).__name__}: {e}"})
                self._pending.clear()  # unacked messages return to the queue with the connection
                self._close()
                self.stopping.wait(min(30.0, 2.0 ** min(failures, 5)))
        self._close()
        if self._executor is not None:
            self._executor.shutdown(wait=True)
            self._executor = None
        return self.stats

    def _close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.release()
            except Exception:  # noqa: BLE001 - closing a dead connection may fail in many ways
                pass
        self.connection = None

    def _serve(self, started: float, until_idle: float | None, max_seconds: float | None) -> None:
        embedded_broker = is_embedded(self.settings.broker_url)
        conn = connect(self.settings.broker_url, lease_seconds=self.settings.lease_s,
                       heartbeat=0 if embedded_broker else self.heartbeat_s)
        conn.ensure_connection(max_retries=3)
        self.connection = conn
        self._broken = None
        self.topology.declare(conn)
        self.publisher = Publisher(conn, self.topology, declare=False)
        consumers = []
        self._windows = {}
        for job_type in self.job_types:
            # A channel per queue gives each job type its own prefetch window. It is channel-wide
            # (global) so it can widen while messages wait for a retry only time can fix.
            channel = conn.channel()
            consumer = Consumer(channel, queues=[self.topology.queue(job_type)],
                                on_message=self._receiver(job_type), accept=["application/json"])
            window = _Window(channel, self.settings.prefetch_for(job_type))
            window.size = window.base
            channel.basic_qos(0, window.base, True)
            self._windows[job_type] = window
            consumer.consume()
            consumers.append(consumer)
        log.info("worker ready", extra={"queues": self.job_types, "broker": conn.as_uri()})
        keeper_stop = threading.Event()
        if is_embedded(self.settings.broker_url):
            # Renew leases from a thread so a long job (or a message waiting for its retry)
            # never becomes visible to another worker while this one is alive.
            threading.Thread(target=self._keep_leases, args=(consumers, keeper_stop), daemon=True,
                             name="lease-keeper").start()
        try:
            self._loop(conn, started, until_idle, max_seconds)
        finally:
            keeper_stop.set()
            for consumer in consumers:
                try:
                    consumer.cancel()
                except Exception:  # noqa: BLE001
                    pass

    def _loop(self, conn: Connection, started: float, until_idle: float | None, max_seconds: float | None) -> None:
        idle_since = time.monotonic()
        while not self.stopping.is_set():
            now = time.time()
            if self._pending and self._pending[0].not_before <= now:
                item = heapq.heappop(self._pending)
                self._process(item)
                if self._broken is not None:  # seen while the job ran: reconnect now that it is over
                    raise self._broken
                idle_since = time.monotonic()
                continue
            timeout = 0.2
            if self._pending:
                timeout = max(0.01, min(timeout, self._pending[0].not_before - now))
            try:
                conn.drain_events(timeout=timeout)
                idle_since = time.monotonic()
            except socket.timeout:
                pass
            conn.heartbeat_check()
            self._run_periodic()
            self._recover_handed_off()
            if max_seconds is not None and time.monotonic() - started > max_seconds:
                break
            if until_idle is not None and not self._pending and time.monotonic() - idle_since > until_idle:
                break

    def _keep_leases(self, consumers: list[Consumer], stop: threading.Event) -> None:
        while not stop.wait(self.settings.lease_s / 3):
            for consumer in consumers:
                try:
                    consumer.channel.extend_leases()
                except Exception as e:  # noqa: BLE001 - a missed renewal means a redelivery, not a loss
                    log.warning("lease renewal failed", extra={"error": str(e)})

    def _run_periodic(self) -> None:
        now = time.monotonic()
        for entry in self.periodic:
            interval, last, fn = entry
            if now - last >= interval:
                entry[1] = now
                try:
                    fn()
                except Exception as e:  # noqa: BLE001 - a periodic task never stops the worker
                    log.warning("periodic task failed", extra={"task": getattr(fn, "__name__", "?"), "error": str(e)})

    def _receiver(self, job_type: str):
        def on_message(message) -> None:
            heapq.heappush(self._pending, _Pending(time.time(), next(self._seq), job_type, message))
        return on_message

    # ---- one message --------------------------------------------------------------------------
    def _process(self, item: _Pending) -> None:
        t0 = time.perf_counter()
        message = item.message
        msg: Envelope | None = None
        job_id: str | None = None
        try:
            msg = self._decode(item.job_type, message)
            job_id = msg.job_id
            outcome, result, outbox_ids = self._run_job(item, msg, message)
        except _Held as e:
            # Look again soon: acked as a duplicate once done, taken over once the lease is stale.
            item.not_before = time.time() + min(5.0, max(0.5, self.settings.lease_s / 5))
            heapq.heappush(self._pending, item)
            self._set_waiting(item, True)
            log.debug("job held by another worker", extra={"job_id": msg.job_id if msg else None, "holder": str(e)})
            return
        except MessageError as e:
            job_id = e.job_id if e.job_id and JOB_ID.match(e.job_id) else stable_job_id(message.body)
            outcome = self._reject(item, message, e, job_id)
            result, outbox_ids = None, []
        except Retry as e:
            outcome = self._retry(item, message, msg, e)
            result, outbox_ids = None, []
        except Failed as e:
            outcome = self._fail(item, message, msg, e)
            result, outbox_ids = None, []
        if outcome is None:
            return
        self._set_waiting(item, False)
        status, code = outcome
        self.stats[status] = self.stats.get(status, 0) + 1
        for observe in self.observers:
            observe(item.job_type, status, code, time.perf_counter() - t0)
        log.info("job %s", status, extra={
            "job_id": job_id, "type": item.job_type, "schema": msg.schema_ if msg else None,
            "status": status, "error_code": code, "attempt": item.attempt + 1,
            "duration_ms": round((time.perf_counter() - t0) * 1000, 1),
            **({"result": result} if result else {}),
        })
        if outbox_ids:
            try:
                outbox.flush(self.sessions, self.publisher, ids=[r.id for r in outbox_ids])
            except Exception as e:  # noqa: BLE001 - the sweeper republishes what is left
                log.warning("outbox flush deferred", extra={"job_id": job_id, "error": str(e)})

    def _set_waiting(self, item: _Pending, waiting: bool) -> None:
        """Keep a message waiting for a retry outside its job type's prefetch window.

        A message whose retry only time can fix (`not_found`: the CRM's commit not visible yet; a
        job another worker holds) would otherwise block the queue behind it for up to a minute
        (with ACTIONPROOF_PREFETCH_TRANSCRIBE=1, all transcription). Database or broker outages do
        not widen the window: every message waits for them alike.
        """
        if item.waiting == waiting:
            return
        item.waiting = waiting
        window = self._windows.get(item.job_type)
        if window is None:
            return
        window.waiting += 1 if waiting else -1
        size = window.base + min(max(window.waiting, 0), MAX_EXTRA_WINDOW)
        if size != window.size:
            try:
                window.channel.basic_qos(0, size, True)
                window.size = size
            except Exception as e:  # noqa: BLE001 - connection trouble: the consumer loop reconnects
                log.warning("prefetch window not changed", extra={"job_type": item.job_type, "error": str(e)})

    def _decode(self, job_type: str, message) -> Envelope:
        ctype = (message.content_type or "").split(";")[0].strip().lower()
        if ctype not in ("application/json", ""):
            raise MessageError("invalid_message", f"content type {ctype!r} is not accepted: messages are JSON only")
        try:
            msg = parse_message(message.body)
        except MessageError:
            raise
        except Exception as e:  # noqa: BLE001 - e.g. RecursionError: JSON nested past the parser's limit
            raise MessageError("invalid_message", f"message could not be decoded: {type(e).__name__}") from None
        problem = _unstorable(msg)
        if problem:
            raise MessageError("invalid_message", f"{msg.schema_}: {problem}", msg.job_id, None, msg.schema_)
        expected = queue_for(msg.schema_)
        if expected != job_type:
            raise MessageError("invalid_message", f"{msg.schema_} belongs on the {expected!r} queue, not {job_type!r}",
                               msg.job_id, msg.org_id, msg.schema_)
        return msg

    def _run_job(self, item: _Pending, msg: Envelope, message):
        """Run the handler in one transaction; returns (status, code), result, outbox rows."""
        handler = self.handlers.get(msg.schema_)
        replay = bool((message.headers or {}).get("x-replay"))
        try:
            with self.sessions() as s, s.begin():
                job = s.get(ApJob, msg.job_id, with_for_update=True)
                # A done job is never run again; a failed one only when an operator replays it.
                if job is not None and (job.status == "done" or (job.status == "failed" and not replay)):
                    _ack(message)
                    return ("duplicate", None), None, []
                now = utcnow()
                if job is not None and self._held_by_other(job, now):
                    if _lease(job).get("acked"):
                        # The database holds that job (handed over); its holder or the recovery ends it.
                        _ack(message)
                        return ("duplicate", "held"), None, []
                    raise _Held(_lease(job).get("holder"))
                if job is None:
                    job = ApJob(job_id=msg.job_id, org_id=msg.org_id, schema=msg.schema_, queue=item.job_type,
                                status="received", attempts=0, received_at=now, updated_at=now,
                                payload=message_payload(msg))
                    s.add(job)
                job.status, job.updated_at = "running", now
                job.attempts += 1
                job.first_attempt_at = job.first_attempt_at or now
                job.result = {"lease": {"holder": self.holder, "acked": False}}
                item.first_seen = min(item.first_seen, job.first_attempt_at.timestamp())
            if handler is None:
                raise Failed("internal", f"no handler for {msg.schema_} in this worker")
            if self._executor is None:
                self._executor = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="job")
            future = self._executor.submit(self._execute, handler, msg)
            result, outbox_ids = self._await(future, item, msg, message)
            if self._broken is None:  # else the broker redelivers it and the copy is a duplicate
                _ack(message)
            return ("done", None), result, outbox_ids
        except _LeaseLost as e:
            log.warning("lease lost: another worker took the job over; results rolled back",
                        extra={"job_id": msg.job_id, "error": str(e)})
            _ack(message)
            return ("duplicate", "lease_lost"), None, []
        except (JobError, _Held):
            raise
        except Exception as e:  # noqa: BLE001 - classify every error; none may kill the worker
            if transient(e):
                raise Retry("database_unavailable" if isinstance(e, DBAPIError) else "broker_unavailable",
                            f"{type(e).__name__}: {str(e).splitlines()[0][:300]}") from e
            log.exception("job raised", extra={"job_id": msg.job_id})
            raise Failed("internal", f"internal error: {type(e).__name__}: {str(e)[:300]}") from e

    def _held_by_other(self, job: ApJob, now: dt.datetime) -> bool:
        lease = _lease(job)
        if job.status != "running" or not lease or lease.get("holder") in (None, self.holder):
            return False
        return (now - job.updated_at).total_seconds() < self.settings.lease_s

    def _execute(self, handler: Handler, msg: Envelope):
        """In the job thread: the handler and the `done` row in one transaction, if still the holder."""
        with self.sessions() as s, s.begin():
            ctx = JobContext(session=s, settings=self.settings, job_id=msg.job_id, sessions=self.sessions)
            result = handler(ctx, msg) or {}
            job = s.get(ApJob, msg.job_id, with_for_update=True, populate_existing=True)
            holder = (_lease(job) or {}).get("holder")
            if job is None or job.status != "running" or holder not in (None, self.holder):
                raise _LeaseLost(f"job is {job.status if job else 'gone'}, held by {holder}")
            job.status, job.error_code, job.error = "done", None, None
            job.result = result
            job.finished_at = job.updated_at = utcnow()
        return result, ctx.outbox_ids

    def _await(self, future: concurrent.futures.Future, item: _Pending, msg: Envelope, message):
        """Wait for the job thread while servicing the connection and renewing the job's lease."""
        renew_every = max(0.2, self.settings.lease_s / 3)
        next_renew = time.monotonic() + renew_every
        can_hand_over = not is_embedded(self.settings.broker_url)
        while True:
            try:
                return future.result(timeout=0.5)
            except concurrent.futures.TimeoutError:
                pass
            if self._broken is None and self.connection is not None:
                try:
                    try:
                        self.connection.drain_events(timeout=0.05)  # deliveries wait in _pending
                    except socket.timeout:
                        pass
                    self.connection.heartbeat_check()
                except Exception as e:  # noqa: BLE001 - finish the job first, reconnect after
                    log.warning("broker connection lost during a job", extra={"job_id": msg.job_id, "error": str(e)})
                    self._broken = e
            now = time.monotonic()
            if now < next_renew:
                continue
            next_renew = now + renew_every
            hand_over = (can_hand_over and not message.acknowledged and self._broken is None
                         and now - item.delivered >= self.settings.lease_s)
            if self._renew(msg.job_id, acked=hand_over) and hand_over:
                try:
                    message.ack()
                    log.info("job handed over to the database", extra={"job_id": msg.job_id,
                                                                        "running_s": round(now - item.delivered, 1)})
                except Exception as e:  # noqa: BLE001 - the redelivered copy sees the acked lease
                    log.warning("ack at hand-over failed", extra={"job_id": msg.job_id, "error": str(e)})
                    self._broken = e

    def _renew(self, job_id: str, *, acked: bool) -> bool:
        """Renew this worker's lease on a running job (and mark it handed over); False if not held."""
        try:
            with self.sessions() as s, s.begin():
                job = s.get(ApJob, job_id, with_for_update=True)
                lease = _lease(job)
                if job is None or job.status != "running" or not lease or lease.get("holder") != self.holder:
                    return False
                job.updated_at = utcnow()
                if acked and not lease.get("acked"):
                    job.result = {"lease": {**lease, "acked": True, "handed_over_at": job.updated_at.isoformat()}}
            return True
        except Exception as e:  # noqa: BLE001 - a missed renewal shortens the lease, it loses nothing
            log.warning("lease renewal failed", extra={"job_id": job_id, "error": str(e).splitlines()[0][:200]})
            return False

    def _recover_handed_off(self) -> None:
        """Republish handed-over jobs whose holder stopped renewing (it died): the row is their only copy."""
        now = time.monotonic()
        if self.publisher is None or now - self._recovered_at < max(1.0, self.settings.lease_s / 2):
            return
        self._recovered_at = now
        cutoff = utcnow() - dt.timedelta(seconds=self.settings.lease_s)
        try:
            with self.sessions() as s, s.begin():
                rows = s.scalars(select(ApJob).where(ApJob.status == "running", ApJob.updated_at < cutoff)
                                 .order_by(ApJob.updated_at).limit(100).with_for_update(skip_locked=True)).all()
                for job in rows:
                    lease = _lease(job)
                    if not lease or not lease.get("acked") or not lease.get("holder") or not job.payload:
                        continue  # its message is still with the broker, which redelivers it
                    self.publisher.publish_job(job.payload, headers={"x-recovered": True})
                    job.result = {"lease": {"holder": None, "acked": False, "recovered_from": lease["holder"]}}
                    job.updated_at = utcnow()
                    log.warning("job recovered from a dead holder", extra={"job_id": job.job_id,
                                                                           "holder": lease["holder"]})
        except Exception as e:  # noqa: BLE001 - tried again on the next round
            log.warning("recovery of handed-over jobs failed", extra={"error": str(e).splitlines()[0][:200]})

    def _retry(self, item: _Pending, message, msg: Envelope | None, err: Retry):
        window = err.window_s if err.window_s is not None else self.settings.retry_window_s
        elapsed = time.time() - item.first_seen
        if elapsed >= window:
            if err.final == "failed":
                return self._fail(item, message, msg, Failed(err.code, f"{err} (gave up after {elapsed:.0f} s)"))
            return self._dead_letter(item, message, msg, err, elapsed)
        if message.acknowledged:
            self._set_waiting(item, False)
            # Handed over: the row keeps its (now stale) lease and the recovery republishes it.
            log.info("handed-over job retrying through recovery", extra={
                "job_id": msg.job_id if msg else None, "error_code": err.code, "error": str(err)})
            self.stats["retrying"] += 1
            return None
        delay = min(self.settings.retry_max_delay_s, 2.0 ** item.attempt)
        item.attempt += 1
        item.not_before = time.time() + min(delay, max(0.0, window - elapsed) + 0.01)
        heapq.heappush(self._pending, item)
        self._set_waiting(item, err.code == "not_found")
        if msg is not None:
            self._record(msg.job_id, msg, item, "retrying", err.code, str(err), best_effort=True)
        log.info("job retrying", extra={"job_id": msg.job_id if msg else None, "type": item.job_type,
                                        "status": "retrying", "error_code": err.code, "error": str(err),
                                        "attempt": item.attempt, "delay_s": round(delay, 2)})
        self.stats["retrying"] += 1
        return None

    def _fail(self, item: _Pending, message, msg: Envelope | None, err: Failed):
        try:
            self._record(msg.job_id if msg else stable_job_id(message.body), msg, item, "failed", err.code, str(err))
        except Exception as e:  # noqa: BLE001
            if transient(e):
                return self._retry(item, message, msg, Retry("database_unavailable", str(e).splitlines()[0]))
            raise
        _ack(message)
        return ("failed", err.code)

    def _reject(self, item: _Pending, message, err: MessageError, job_id: str):
        try:
            self._record(job_id, None, item, "rejected", err.code, str(err), org_id=err.org_id,
                         schema=err.schema, raw=message.body)
            self._to_dlq(item, message, job_id, "rejected", err.code, str(err))
        except Exception as e:  # noqa: BLE001
            if transient(e):
                return self._retry(item, message, None, Retry("database_unavailable", str(e).splitlines()[0]))
            raise
        _ack(message)
        return ("rejected", err.code)

    def _dead_letter(self, item: _Pending, message, msg: Envelope | None, err: Retry, elapsed: float):
        job_id = msg.job_id if msg else stable_job_id(message.body)
        reason = f"{err} (retried for {elapsed:.0f} s)"
        self._to_dlq(item, message, job_id, "dead_lettered", err.code, reason)
        self._record(job_id, msg, item, "dead_lettered", err.code, reason, best_effort=True)
        _ack(message)
        return ("dead_lettered", err.code)

    def _to_dlq(self, item: _Pending, message, job_id: str, status: str, code: str, reason: str) -> None:
        headers = dict(message.headers or {})
        headers.update({"x-job-id": job_id, "x-status": status, "x-error-code": code, "x-error": reason[:1000],
                        "x-original-queue": self.topology.queue_name(item.job_type),
                        "x-dead-lettered-at": utcnow().isoformat()})
        headers.pop("x-replay", None)
        self.publisher.dead_letter(item.job_type, message.body, content_type=message.content_type, headers=headers)

    def _record(self, job_id: str, msg: Envelope | None, item: _Pending, status: str, code: str | None,
                error: str | None, *, org_id: str | None = None, schema: str | None = None, raw=None,
                best_effort: bool = False) -> None:
        """Upsert the job row with its status (best effort while the database is down).

        A value the database refuses (fuzzed text: NUL, over-long ids) is not transient; the row
        is then written again with the message kept only as sanitised raw text.
        """
        try:
            try:
                self._write_status(job_id, msg, item, status, code, error, org_id, schema, raw, sanitised=False)
            except Exception as e:  # noqa: BLE001
                if transient(e):
                    raise
                log.warning("job status refused by the database; recording it sanitised",
                            extra={"job_id": job_id, "error": str(e).splitlines()[0][:200]})
                self._write_status(job_id, None, item, status, code, error, org_id, schema,
                                   raw if raw is not None else (to_raw(msg) if msg else None), sanitised=True)
        except Exception as e:  # noqa: BLE001
            if not best_effort:
                raise
            log.warning("could not record job status", extra={"job_id": job_id, "status": status, "error": str(e)[:200]})

    def _write_status(self, job_id, msg, item, status, code, error, org_id, schema, raw, *, sanitised: bool) -> None:
        with self.sessions() as s, s.begin():
            job = s.get(ApJob, job_id, with_for_update=True)
            now = utcnow()
            if job is None:
                if msg is not None:
                    org, sch, payload = msg.org_id, msg.schema_, message_payload(msg)
                else:
                    org, sch, payload = org_id, schema, raw_payload(raw)
                if sanitised:
                    org = org if org and _clean(org, 64) == org else None
                    sch = _clean(sch, 64)
                job = ApJob(job_id=job_id, org_id=org, schema=sch, queue=item.job_type, status=status,
                            attempts=0, received_at=now, first_attempt_at=now, updated_at=now, payload=payload)
                s.add(job)
            if job.status == "done":
                return  # never overwrite a committed result
            if self._held_by_other(job, now):
                return  # another live worker runs this job; it records its own outcome
            if _lease(job) is not None:
                job.result = None  # the lease ends with the run
            job.status, job.error_code, job.updated_at = status, code, now
            job.error = _clean(error, 4000) if sanitised or error is None else error
            if status in ("failed", "rejected", "dead_lettered"):
                job.finished_at = now


INT64_MAX = 2**63 - 1


def _unstorable(msg: Envelope) -> str | None:
    """Why a schema-valid message still cannot be stored (NUL, lone surrogates, ids beyond 64 bits)."""
    for name, value in msg.model_dump(by_alias=True).items():
        if isinstance(value, str):
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return f"{name}: text with an unpaired surrogate"
            if "\x00" in value:
                return f"{name}: text with a NUL character"
        elif isinstance(value, int) and not isinstance(value, bool) and abs(value) > INT64_MAX:
            return f"{name}: {value} does not fit a 64-bit id"
    return None


def _ack(message) -> None:
    """Ack unless already settled (a job handed over to the database was acked then)."""
    if not message.acknowledged:
        message.ack()


def to_raw(msg: Envelope) -> str:
    import json

    return json.dumps(message_payload(msg), ensure_ascii=False, default=str)


def message_payload(msg: Envelope) -> dict[str, Any]:
    return msg.model_dump(mode="json", by_alias=True, exclude_none=True)


def raw_payload(raw: bytes | str | None) -> dict[str, Any]:
    if isinstance(raw, (bytes, bytearray)):
        raw = bytes(raw).decode("utf-8", "replace")
    return {"raw": _clean(raw or "", 4000) or ""}
