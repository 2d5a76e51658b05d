"""How a job that did not end `done` ends: retry, failed, rejected or dead-lettered (docs/contract.md §3).

* transient errors (database or broker away) keep the message unacknowledged and retry it in
  this process with exponential backoff (1 s doubling, capped) until the retry window is over,
  then the message is dead-lettered; a crash in between simply redelivers it;
* permanent errors mark the job `failed` once; unusable messages are `rejected` to the job
  type's dead-letter queue — nothing is acked without a record;
* each outcome is written to the job's `ap_jobs` row; a `done` row is never overwritten, nor a
  row whose job another live worker runs.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import heapq
import json
import logging
import re
import socket
import time
from typing import Any, Callable

from kombu.exceptions import OperationalError as KombuOperationalError
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from models import ApJob
from queues.publisher import Publisher
from queues.schemas import Envelope, MessageError
from queues.topology import Topology

from .config import Settings
from .errors import Failed, Retry
from .jobs import Pending, ack, lease_of, utcnow

log = logging.getLogger("actionproof.worker")


def transient(exc: BaseException) -> bool:
    """Errors that pass when the database or broker comes back."""
    if isinstance(exc, IntegrityError):
        return True  # a concurrent delivery of the same job won the race: look again
    if isinstance(exc, (OperationalError, KombuOperationalError, ConnectionError, socket.error)):
        return True
    return isinstance(exc, DBAPIError) and bool(exc.connection_invalidated)


# A rejected message is recorded under its own job id if it is usable as one, else under stable_job_id.
JOB_ID = re.compile(r"^[A-Za-z0-9._:@/-]{1,128}$")


def stable_job_id(body: bytes | str | None) -> str:
    raw = body if isinstance(body, bytes) else (body or "").encode("utf-8", "replace")
    return "rejected-" + hashlib.sha256(raw).hexdigest()[:24]


class JobOutcomes:
    """The Worker's part that retries, fails, rejects and dead-letters jobs and records their status."""

    # Provided by the Worker (workers.consumer) and its other parts.
    settings: Settings
    sessions: sessionmaker[Session]
    topology: Topology
    publisher: Publisher | None
    stats: dict[str, int]
    _pending: list[Pending]
    _set_waiting: Callable[[Pending, bool], None]
    _held_by_other: Callable[[ApJob, dt.datetime], bool]

    def _retry(self, item: Pending, message, msg: Envelope | None, err: Retry):
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

    def _fail(self, item: Pending, message, msg: Envelope | None, err: Failed):
        try:
            self._record(msg.job_id if msg else stable_job_id(message.body), msg, item, "failed", err.code, str(err))
        except Exception as e:  # noqa: BLE001
            if transient(e):
                return self._retry(item, message, msg, Retry("database_unavailable", str(e).splitlines()[0]))
            raise
        ack(message)
        return ("failed", err.code)

    def _reject(self, item: Pending, message, err: MessageError, job_id: str):
        try:
            self._record(job_id, None, item, "rejected", err.code, str(err), org_id=err.org_id,
                         schema=err.schema, raw=message.body)
            self._to_dlq(item, message, job_id, "rejected", err.code, str(err))
        except Exception as e:  # noqa: BLE001
            if transient(e):
                return self._retry(item, message, None, Retry("database_unavailable", str(e).splitlines()[0]))
            raise
        ack(message)
        return ("rejected", err.code)

    def _dead_letter(self, item: Pending, message, msg: Envelope | None, err: Retry, elapsed: float):
        job_id = msg.job_id if msg else stable_job_id(message.body)
        reason = f"{err} (retried for {elapsed:.0f} s)"
        self._to_dlq(item, message, job_id, "dead_lettered", err.code, reason)
        self._record(job_id, msg, item, "dead_lettered", err.code, reason, best_effort=True)
        ack(message)
        return ("dead_lettered", err.code)

    def _to_dlq(self, item: Pending, message, job_id: str, status: str, code: str, reason: str) -> None:
        headers = dict(message.headers or {})
        headers.update({"x-job-id": job_id, "x-status": status, "x-error-code": code, "x-error": reason[:1000],
                        "x-original-queue": self.topology.queue_name(item.job_type),
                        "x-dead-lettered-at": utcnow().isoformat()})
        headers.pop("x-replay", None)
        self.publisher.dead_letter(item.job_type, message.body, content_type=message.content_type, headers=headers)

    def _record(self, job_id: str, msg: Envelope | None, item: Pending, status: str, code: str | None,
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
            if lease_of(job) is not None:
                job.result = None  # the lease ends with the run
            job.status, job.error_code, job.updated_at = status, code, now
            job.error = _clean(error, 4000) if sanitised or error is None else error
            if status in ("failed", "rejected", "dead_lettered"):
                job.finished_at = now


def _clean(text: Any, limit: int) -> str | None:
    """Text a database column takes: no NUL, no lone surrogates, at most `limit` characters."""
    if not isinstance(text, str):
        return None
    text = text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "\ufffd")
    return text[:limit]


def to_raw(msg: Envelope) -> str:
    return json.dumps(message_payload(msg), ensure_ascii=False, default=str)


def message_payload(msg: Envelope) -> dict[str, Any]:
    return msg.model_dump(mode="json", by_alias=True, exclude_none=True)


def raw_payload(raw: bytes | str | None) -> dict[str, Any]:
    if isinstance(raw, (bytes, bytearray)):
        raw = bytes(raw).decode("utf-8", "replace")
    return {"raw": _clean(raw or "", 4000) or ""}
