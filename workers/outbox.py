"""The transactional outbox: events and follow-up jobs are written with the job's results and
published after commit, so a crash in between delays them instead of losing them."""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any, Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import ApOutbox
from queues.publisher import Publisher

log = logging.getLogger("actionproof.outbox")


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def derived_job_id(parent_job_id: str, kind: str) -> str:
    """A stable job id for a follow-up job: the same parent always yields the same child."""
    import hashlib

    return f"{kind}-{hashlib.sha256(parent_job_id.encode()).hexdigest()[:24]}"


def add_event(session: Session, org_id: str | None, routing_key: str, body: dict[str, Any]) -> ApOutbox:
    row = ApOutbox(org_id=org_id, kind="event", target=routing_key, created_at=utcnow(),
                   body={"event": routing_key, "org_id": org_id, "sent_at": utcnow().isoformat(), **body})
    session.add(row)
    return row


def add_job(session: Session, org_id: str, message: dict[str, Any]) -> ApOutbox:
    row = ApOutbox(org_id=org_id, kind="job", target=message["schema"], body=message, created_at=utcnow())
    session.add(row)
    return row


def flush(sessions: sessionmaker[Session], publisher: Publisher, ids: Iterable[int] | None = None,
          older_than_s: float = 0.0, limit: int = 500) -> int:
    """Publish unpublished outbox rows (the given ids, or any older than `older_than_s`).

    Rows are claimed with SKIP LOCKED on PostgreSQL so concurrent flushers do not send one
    row twice; consumers still de-duplicate on `event_id` since delivery is at least once.
    """
    sent = 0
    with sessions() as s, s.begin():
        q = select(ApOutbox).where(ApOutbox.published_at.is_(None)).order_by(ApOutbox.id).limit(limit)
        if ids is not None:
            ids = list(ids)
            if not ids:
                return 0
            q = q.where(ApOutbox.id.in_(ids))
        else:
            q = q.where(ApOutbox.created_at <= utcnow() - dt.timedelta(seconds=older_than_s))
        for row in s.scalars(q.with_for_update(skip_locked=True)):
            body = dict(row.body)
            if row.kind == "event":
                body.setdefault("event_id", f"ev-{row.id}")
                publisher.publish_event(row.target, body)
            else:
                publisher.publish_job(body)
            row.published_at = utcnow()
            sent += 1
    return sent
