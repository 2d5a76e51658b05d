"""What the worker's three parts share (docs/contract.md §3).

The delivery loop (`workers.consumer`), the job leases (`workers.leases`) and the outcomes
(`workers.outcomes`) all speak of the same few things: the context a handler gets, a delivery
waiting in the loop, the lease kept in a job's `ap_jobs` row, and acking a delivery only once.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import time
from typing import Any, Callable

from sqlalchemy.orm import Session, sessionmaker

from models import ApJob, ApOutbox
from queues.schemas import Envelope

from . import outbox
from .config import Settings


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
class Pending:
    """A delivery in the loop's queue, ordered by when it may run (next retry) then arrival."""

    not_before: float
    seq: int
    job_type: str = dataclasses.field(compare=False)
    message: Any = dataclasses.field(compare=False)
    attempt: int = dataclasses.field(default=0, compare=False)
    first_seen: float = dataclasses.field(default_factory=time.time, compare=False)
    delivered: float = dataclasses.field(default_factory=time.monotonic, compare=False)  # for the ack deadline
    waiting: bool = dataclasses.field(default=False, compare=False)  # outside the prefetch window meanwhile


def lease_of(job: ApJob | None) -> dict[str, Any] | None:
    """The lease a running job keeps in its row: `result = {"lease": {"holder": …, "acked": …}}`."""
    result = job.result if job is not None else None
    lease = result.get("lease") if isinstance(result, dict) else None
    return lease if isinstance(lease, dict) else None


def ack(message: Any) -> None:
    """Ack unless already settled (a job handed over to the database was acked then)."""
    if not message.acknowledged:
        message.ack()
