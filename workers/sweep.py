"""The clock's job: overdue alerts (quality event + escalation) and stale outbox rows."""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import ApAlert, ApQualityEvent, CrmUser
from queues.events import AlertEscalated, AlertOverdue

from .consumer import JobContext, utcnow
from .config import Settings

log = logging.getLogger("actionproof.sweep")


@dataclass(frozen=True)
class SweepResult:
    overdue: int
    escalated: int
    outbox_ids: tuple[int, ...]


def mark_overdue(sessions: sessionmaker[Session], settings: Settings, now: dt.datetime | None = None,
                 batch: int = 200) -> SweepResult:
    """Mark open alerts past their deadline overdue; safe with several sweepers running.

    On PostgreSQL the rows are claimed with FOR UPDATE SKIP LOCKED, so two sweepers never
    handle one alert; on SQLite the single writer lock serialises them.
    """
    now = now or utcnow()
    overdue = escalated = 0
    ids: list = []
    with sessions() as s, s.begin():
        ctx = JobContext(session=s, settings=settings, job_id="sweep")
        rows = s.scalars(select(ApAlert).where(ApAlert.status == "open", ApAlert.due_at <= now)
                         .order_by(ApAlert.due_at).limit(batch).with_for_update(skip_locked=True)).all()
        for alert in rows:
            alert.status, alert.overdue_at = "overdue", now
            manager = s.get(CrmUser, alert.manager_id) if alert.manager_id is not None else None
            boss = manager.manager_id if manager else None
            alert.escalated_to_id = boss
            s.add(ApQualityEvent(org_id=alert.org_id, rep_id=alert.rep_id, kind="alert_overdue",
                                 alert_id=alert.id, action_id=alert.action_id, at=now,
                                 detail={"due_at": alert.due_at.isoformat(), "manager_id": alert.manager_id}))
            fields = dict(alert_id=alert.id, action_id=alert.action_id, rep_id=alert.rep_id,
                          manager_id=alert.manager_id, due_at=alert.due_at, reasons=alert.reasons)
            late = AlertOverdue(**fields)
            ctx.emit(alert.org_id, late.routing_key(), late.body())
            overdue += 1
            if boss is not None:
                up = AlertEscalated(**fields, escalated_to=boss)
                ctx.emit(alert.org_id, up.routing_key(), up.body())
                escalated += 1
        s.flush()
        ids = [r.id for r in ctx.outbox_ids]
    if overdue:
        log.info("alerts overdue", extra={"overdue": overdue, "escalated": escalated})
    return SweepResult(overdue, escalated, tuple(ids))
