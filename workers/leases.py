"""Running a job under a lease, and handing it over to the database (docs/contract.md §3).

* ack only after the job's database transaction committed;
* a `done` (or `failed`) job delivered again changes nothing.

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
import datetime as dt
import logging
import socket
import time
from typing import Any

from kombu import Connection
from sqlalchemy import select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from models import ApJob, ApOutbox
from queues.broker import is_embedded
from queues.publisher import Publisher
from queues.schemas import Envelope

from .config import Settings
from .errors import Failed, JobError, Retry
from .jobs import Handler, JobContext, Pending, ack, lease_of, utcnow
from .outcomes import message_payload, transient

log = logging.getLogger("actionproof.worker")


class Held(Exception):
    """Another live worker is running this job (its lease is fresh): wait, do not run it too."""


class LeaseLost(Exception):
    """This worker's lease was taken over while it ran the job: its results are rolled back."""


class JobLeases:
    """The Worker's part that runs a job under its lease, renews it, hands it over and recovers it."""

    # Provided by the Worker (workers.consumer).
    settings: Settings
    sessions: sessionmaker[Session]
    handlers: dict[str, Handler]
    holder: str
    connection: Connection | None
    publisher: Publisher | None
    _executor: concurrent.futures.ThreadPoolExecutor | None
    _broken: BaseException | None
    _recovered_at: float

    def _run_job(self, item: Pending, msg: Envelope, message):
        """Run the handler in one transaction; returns (status, code), result, outbox rows."""
        handler = self.handlers.get(msg.schema_)
        replay = bool((message.headers or {}).get("x-replay"))
        try:
            with self.sessions() as s, s.begin():
                job = s.get(ApJob, msg.job_id, with_for_update=True)
                # A done job is never run again; a failed one only when an operator replays it.
                if job is not None and (job.status == "done" or (job.status == "failed" and not replay)):
                    ack(message)
                    return ("duplicate", None), None, []
                now = utcnow()
                if job is not None and self._held_by_other(job, now):
                    if lease_of(job).get("acked"):
                        # The database holds that job (handed over); its holder or the recovery ends it.
                        ack(message)
                        return ("duplicate", "held"), None, []
                    raise Held(lease_of(job).get("holder"))
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
                ack(message)
            return ("done", None), result, outbox_ids
        except LeaseLost as e:
            log.warning("lease lost: another worker took the job over; results rolled back",
                        extra={"job_id": msg.job_id, "error": str(e)})
            ack(message)
            return ("duplicate", "lease_lost"), None, []
        except (JobError, Held):
            raise
        except Exception as e:  # noqa: BLE001 - classify every error; none may kill the worker
            if transient(e):
                raise Retry("database_unavailable" if isinstance(e, DBAPIError) else "broker_unavailable",
                            f"{type(e).__name__}: {str(e).splitlines()[0][:300]}") from e
            log.exception("job raised", extra={"job_id": msg.job_id})
            raise Failed("internal", f"internal error: {type(e).__name__}: {str(e)[:300]}") from e

    def _held_by_other(self, job: ApJob, now: dt.datetime) -> bool:
        lease = lease_of(job)
        if job.status != "running" or not lease or lease.get("holder") in (None, self.holder):
            return False
        return (now - job.updated_at).total_seconds() < self.settings.lease_s

    def _execute(self, handler: Handler, msg: Envelope) -> tuple[dict[str, Any], list[ApOutbox]]:
        """In the job thread: the handler and the `done` row in one transaction, if still the holder."""
        with self.sessions() as s, s.begin():
            ctx = JobContext(session=s, settings=self.settings, job_id=msg.job_id, sessions=self.sessions)
            result = handler(ctx, msg) or {}
            job = s.get(ApJob, msg.job_id, with_for_update=True, populate_existing=True)
            holder = (lease_of(job) or {}).get("holder")
            if job is None or job.status != "running" or holder not in (None, self.holder):
                raise LeaseLost(f"job is {job.status if job else 'gone'}, held by {holder}")
            job.status, job.error_code, job.error = "done", None, None
            job.result = result
            job.finished_at = job.updated_at = utcnow()
        return result, ctx.outbox_ids

    def _await(self, future: concurrent.futures.Future, item: Pending, msg: Envelope, message):
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
                lease = lease_of(job)
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
                    lease = lease_of(job)
                    if not lease or not lease.get("acked") or not lease.get("holder") or not job.payload:
                        continue  # its message is still with the broker, which redelivers it
                    self.publisher.publish_job(job.payload, headers={"x-recovered": True})
                    job.result = {"lease": {"holder": None, "acked": False, "recovered_from": lease["holder"]}}
                    job.updated_at = utcnow()
                    log.warning("job recovered from a dead holder", extra={"job_id": job.job_id,
                                                                           "holder": lease["holder"]})
        except Exception as e:  # noqa: BLE001 - tried again on the next round
            log.warning("recovery of handed-over jobs failed", extra={"error": str(e).splitlines()[0][:200]})
