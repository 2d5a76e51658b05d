"""The consumer loop of CONTRACT.md §3.

* ack only after the job's database transaction committed;
* transient errors keep the message unacknowledged and retry it in this process with
  exponential backoff (1 s doubling, capped) until the retry window is over, then the
  message is dead-lettered; a crash in between simply redelivers it;
* permanent errors mark the job `failed` once; unusable messages are `rejected` to the
  job type's dead-letter queue — nothing is acked without a record;
* a `done` (or `failed`) job delivered again changes nothing;
* SIGTERM finishes the current job, leaves the rest to the broker and exits.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import heapq
import itertools
import logging
import signal
import socket
import threading
import time
from typing import Any, Callable

from kombu import Connection, Consumer
from kombu.exceptions import OperationalError as KombuOperationalError
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
            try:
                self._serve(started, until_idle, max_seconds)
                break
            except Exception as e:  # noqa: BLE001 - broker errors come in many classes; the worker lives on
                if self.stopping.is_set() or (max_seconds is not None and time.monotonic() - started > max_seconds):
                    break
                failures += 1
                log.warning("broker connection lost; reconnecting", extra={"error": f"{type(e).__name__}: {e}"})
                self._pending.clear()  # unacked messages return to the queue with the connection
                self._close()
                self.stopping.wait(min(30.0, 2.0 ** min(failures, 5)))
        self._close()
        return self.stats

    def _close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.release()
            except Exception:  # noqa: BLE001 - closing a dead connection may fail in many ways
                pass
        self.connection = None

    def _serve(self, started: float, until_idle: float | None, max_seconds: float | None) -> None:
        conn = connect(self.settings.broker_url, lease_seconds=self.settings.lease_s)
        conn.ensure_connection(max_retries=3)
        self.connection = conn
        self.topology.declare(conn)
        self.publisher = Publisher(conn, self.topology, declare=False)
        consumers = []
        for job_type in self.job_types:
            # A channel per queue gives each job type its own prefetch window.
            consumer = Consumer(conn.channel(), queues=[self.topology.queue(job_type)],
                                on_message=self._receiver(job_type), accept=["application/json"],
                                prefetch_count=self.settings.prefetch_for(job_type))
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
            self._run_periodic()
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
        except MessageError as e:
            job_id = e.job_id or stable_job_id(message.body)
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

    def _decode(self, job_type: str, message) -> Envelope:
        ctype = (message.content_type or "").split(";")[0].strip().lower()
        if ctype not in ("application/json", ""):
            raise MessageError("invalid_message", f"content type {ctype!r} is not accepted: messages are JSON only")
        msg = parse_message(message.body)
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
                    message.ack()
                    return ("duplicate", None), None, []
                now = utcnow()
                if job is None:
                    job = ApJob(job_id=msg.job_id, org_id=msg.org_id, schema=msg.schema_, queue=item.job_type,
                                status="received", attempts=0, received_at=now, updated_at=now,
                                payload=message_payload(msg))
                    s.add(job)
                job.status, job.updated_at = "running", now
                job.attempts += 1
                job.first_attempt_at = job.first_attempt_at or now
                item.first_seen = min(item.first_seen, job.first_attempt_at.timestamp())
            if handler is None:
                raise Failed("internal", f"no handler for {msg.schema_} in this worker")
            with self.sessions() as s, s.begin():
                ctx = JobContext(session=s, settings=self.settings, job_id=msg.job_id, sessions=self.sessions)
                result = handler(ctx, msg) or {}
                job = s.get(ApJob, msg.job_id, with_for_update=True)
                job.status, job.error_code, job.error = "done", None, None
                job.result = result
                job.finished_at = job.updated_at = utcnow()
            message.ack()
            return ("done", None), result, ctx.outbox_ids
        except JobError:
            raise
        except Exception as e:  # noqa: BLE001 - classify every error; none may kill the worker
            if transient(e):
                raise Retry("database_unavailable" if isinstance(e, DBAPIError) else "broker_unavailable",
                            f"{type(e).__name__}: {str(e).splitlines()[0][:300]}") from e
            log.exception("job raised", extra={"job_id": msg.job_id})
            raise Failed("internal", f"internal error: {type(e).__name__}: {str(e)[:300]}") from e

    def _retry(self, item: _Pending, message, msg: Envelope | None, err: Retry):
        window = err.window_s if err.window_s is not None else self.settings.retry_window_s
        elapsed = time.time() - item.first_seen
        if elapsed >= window:
            if err.final == "failed":
                return self._fail(item, message, msg, Failed(err.code, f"{err} (gave up after {elapsed:.0f} s)"))
            return self._dead_letter(item, message, msg, err, elapsed)
        delay = min(self.settings.retry_max_delay_s, 2.0 ** item.attempt)
        item.attempt += 1
        item.not_before = time.time() + min(delay, max(0.0, window - elapsed) + 0.01)
        heapq.heappush(self._pending, item)
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
        message.ack()
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
        message.ack()
        return ("rejected", err.code)

    def _dead_letter(self, item: _Pending, message, msg: Envelope | None, err: Retry, elapsed: float):
        job_id = msg.job_id if msg else stable_job_id(message.body)
        reason = f"{err} (retried for {elapsed:.0f} s)"
        self._to_dlq(item, message, job_id, "dead_lettered", err.code, reason)
        self._record(job_id, msg, item, "dead_lettered", err.code, reason, best_effort=True)
        message.ack()
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
        """Upsert the job row with its status (best effort while the database is down)."""
        try:
            with self.sessions() as s, s.begin():
                job = s.get(ApJob, job_id, with_for_update=True)
                now = utcnow()
                if job is None:
                    job = ApJob(job_id=job_id, org_id=msg.org_id if msg else org_id,
                                schema=msg.schema_ if msg else schema, queue=item.job_type, status=status,
                                attempts=0, received_at=now, first_attempt_at=now, updated_at=now,
                                payload=message_payload(msg) if msg else raw_payload(raw))
                    s.add(job)
                if job.status == "done":
                    return  # never overwrite a committed result
                job.status, job.error_code, job.error, job.updated_at = status, code, error, now
                if status in ("failed", "rejected", "dead_lettered"):
                    job.finished_at = now
        except Exception as e:  # noqa: BLE001
            if not best_effort:
                raise
            log.warning("could not record job status", extra={"job_id": job_id, "status": status, "error": str(e)[:200]})


def message_payload(msg: Envelope) -> dict[str, Any]:
    return msg.model_dump(mode="json", by_alias=True, exclude_none=True)


def raw_payload(raw: bytes | str | None) -> dict[str, Any]:
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", "replace")
    return {"raw": (raw or "")[:4000]}
