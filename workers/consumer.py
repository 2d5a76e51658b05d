"""The delivery loop of docs/contract.md §3: the Worker that consumes the job queues.

* one channel per job type's queue; messages are received, decoded (JSON only; an unusable one is
  rejected) and dispatched one at a time, while the connection's heartbeats and the periodic tasks
  are serviced between jobs; a lost broker connection is reconnected with backoff;
* SIGTERM finishes the current job, leaves the rest to the broker and exits.

The Worker composes two more parts: workers.leases (a job runs under a lease in its `ap_jobs` row
and is handed over to the database before RabbitMQ's `consumer_timeout`) and workers.outcomes
(retry with backoff, `failed`, `rejected` and dead-lettered jobs, the status rows). The names
callers import from here (`JobContext`, `utcnow`, `stable_job_id`, …) are re-exported.
"""
from __future__ import annotations

import concurrent.futures
import dataclasses
import heapq
import itertools
import logging
import os
import signal
import socket
import threading
import time
import uuid
from typing import Any, Callable

from kombu import Connection, Consumer
from sqlalchemy.orm import Session, sessionmaker

from queues.broker import connect, is_embedded
from queues.publisher import Publisher
from queues.schemas import Envelope, MessageError, parse_message, queue_for
from queues.topology import Topology

from . import outbox
from .config import Settings
from .errors import Failed, Retry
from .jobs import Handler, JobContext, Pending, utcnow
from .leases import Held, JobLeases
from .outcomes import JOB_ID, JobOutcomes, message_payload, raw_payload, stable_job_id, to_raw, transient

__all__ = ["Worker", "JobContext", "Handler", "utcnow", "transient", "stable_job_id", "to_raw",
           "message_payload", "raw_payload"]

log = logging.getLogger("actionproof.worker")

MAX_EXTRA_WINDOW = 32  # messages that may wait for a retry beyond the prefetch window, per job type


@dataclasses.dataclass
class _Window:
    """A job type's channel-wide prefetch window, widened by the messages waiting for a retry."""

    channel: Any
    base: int
    waiting: int = 0
    size: int = 0


class Worker(JobLeases, JobOutcomes):
    """Consumes the given job types' queues and runs their handlers until stopped."""

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
        self._pending: list[Pending] = []
        self._seq = itertools.count()
        self._held: dict[int, Pending] = {}
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
            heapq.heappush(self._pending, Pending(time.time(), next(self._seq), job_type, message))
        return on_message

    # ---- one message --------------------------------------------------------------------------
    def _process(self, item: Pending) -> None:
        t0 = time.perf_counter()
        message = item.message
        msg: Envelope | None = None
        job_id: str | None = None
        try:
            msg = self._decode(item.job_type, message)
            job_id = msg.job_id
            outcome, result, outbox_ids = self._run_job(item, msg, message)
        except Held as e:
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

    def _set_waiting(self, item: Pending, waiting: bool) -> None:
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
