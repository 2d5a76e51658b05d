"""The daily plan's clock and reads: the check at 15:00, the reason deadline at 17:00, and a rep's
plan for `actionproof plan` (docs/contract.md, "Daily plan"). The matching itself is scoring/plan.py."""
from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from models import ApPlanItem, ApQualityEvent, ApVerdict, CrmAction, CrmCustomer, CrmDailyPlan, CrmOrg, CrmUser
from queues.events import PlanIncomplete, PlanRedItem
from scoring.plan import (
    DayAction, ItemResult, PlanItem, completion, days_to_check, local_instant, match_plan, reason_due, week_label,
)

from .config import Settings
from .consumer import JobContext, utcnow

log = logging.getLogger("actionproof.plans")


@dataclass(frozen=True)
class PlanClockResult:
    checked: int  # items checked
    red: int
    missed: int  # red items whose reason deadline passed without a reason
    outbox_ids: tuple[int, ...]


def org_timezone(s: Session, org_id: str, settings: Settings) -> str:
    org = s.get(CrmOrg, org_id)
    return org.timezone if org and org.timezone else settings.default_timezone


def day_bounds(day: dt.date, tz: str) -> tuple[dt.datetime, dt.datetime]:
    start = dt.datetime.combine(day, dt.time(0), ZoneInfo(tz))
    return start, start + dt.timedelta(days=1)


def day_actions(s: Session, rep_id: int, day: dt.date, tz: str) -> list[DayAction]:
    """The rep's actions submitted on the local day, with their current verdicts."""
    lo, hi = day_bounds(day, tz)
    rows = s.execute(select(CrmAction.id, CrmAction.customer_id, CrmAction.type, CrmAction.submitted_at)
                     .where(CrmAction.rep_id == rep_id, CrmAction.submitted_at >= lo,
                            CrmAction.submitted_at < hi)).all()
    verdicts = dict(s.execute(select(ApVerdict.action_id, ApVerdict.status).where(
        ApVerdict.action_id.in_([r.id for r in rows]), ApVerdict.superseded_at.is_(None))).all()) if rows else {}
    return [DayAction(r.id, r.customer_id, r.type, r.submitted_at, verdicts.get(r.id)) for r in rows]


def plan_rows(s: Session, org_id: str, rep_id: int, day: dt.date) -> list[CrmDailyPlan]:
    return list(s.scalars(select(CrmDailyPlan).where(CrmDailyPlan.org_id == org_id, CrmDailyPlan.rep_id == rep_id,
                                                     CrmDailyPlan.plan_date == day).order_by(CrmDailyPlan.seq)))


def valid_customers(s: Session, org_id: str, ids: set[int]) -> frozenset[int]:
    return frozenset(s.scalars(select(CrmCustomer.id).where(CrmCustomer.id.in_(ids), CrmCustomer.org_id == org_id)))


def match_rows(s: Session, org_id: str, rep_id: int, day: dt.date, rows: list[CrmDailyPlan],
               tz: str) -> tuple[ItemResult, ...]:
    items = [PlanItem(r.id, r.seq, r.customer_id, r.action_type, r.target or "") for r in rows]
    return match_plan(items, day_actions(s, rep_id, day, tz),
                      valid_customers(s, org_id, {r.customer_id for r in rows}))


def _check_rep_day(s: Session, ctx: JobContext, settings: Settings, org_id: str, rep_id: int, day: dt.date,
                   rows: list[CrmDailyPlan], tz: str, now: dt.datetime) -> tuple[int, int]:
    rep = s.get(CrmUser, rep_id)
    manager_id = rep.manager_id if rep is not None and rep.org_id == org_id else None
    due = reason_due(day, now, settings.plan_check_time, settings.plan_reason_deadline, tz)
    if rep is None or rep.org_id != org_id:
        results = tuple(ItemResult(r.id, r.seq, "invalid", None, f"rep {rep_id} is not a user of org {org_id}")
                        for r in rows)
    else:
        results = match_rows(s, org_id, rep_id, day, rows, tz)
    by_id = {r.id: r for r in rows}
    for res in results:
        row = by_id[res.plan_id]
        s.add(ApPlanItem(plan_id=row.id, org_id=org_id, rep_id=rep_id, manager_id=manager_id, plan_date=day,
                         iso_week=week_label(day), seq=row.seq, customer_id=row.customer_id,
                         action_type=row.action_type, state=res.state, action_id=res.action_id, detail=res.detail,
                         checked_at=now, reason_due_at=due))
    red = [res for res in results if res.state == "red"]
    if red:
        rate = completion(day.isoformat(), (r.state for r in results))
        event = PlanIncomplete(
            rep_id=rep_id, manager_id=manager_id, plan_date=day, reason_due_at=due, items=rate.items,
            done=rate.done, unverified=rate.unverified,
            red=[PlanRedItem(plan_id=r.plan_id, seq=r.seq, customer_id=by_id[r.plan_id].customer_id,
                             action_type=by_id[r.plan_id].action_type, target=by_id[r.plan_id].target)
                 for r in red])
        ctx.emit(org_id, event.routing_key(), event.body())
    invalid = [res for res in results if res.state == "invalid"]
    log.info("plan checked", extra={"org_id": org_id, "rep_id": rep_id, "plan_date": day.isoformat(),
                                    "items": len(results), "red": len(red), "invalid": len(invalid)})
    return len(results), len(red)


def check_plans(sessions: sessionmaker[Session], settings: Settings, now: dt.datetime | None = None) -> PlanClockResult:
    """Check every plan whose local check time has passed and that is not checked yet.

    One transaction per rep and day: a second sweeper checking the same day at the same moment
    hits the primary key and leaves it to the first, so nothing is announced twice.
    """
    now = now or utcnow()
    checked = red = 0
    ids: list[int] = []
    # One query for every organisation: plan rows of the last days that are not checked yet.
    earliest = (now - dt.timedelta(days=settings.plan_catchup_days + 1)).date()
    with sessions() as s:
        zones = {o.id: o.timezone or settings.default_timezone for o in s.scalars(select(CrmOrg))}
        pending = s.scalars(select(CrmDailyPlan)
                            .outerjoin(ApPlanItem, ApPlanItem.plan_id == CrmDailyPlan.id)
                            .where(ApPlanItem.plan_id.is_(None), CrmDailyPlan.plan_date >= earliest)).all()
    due: dict[tuple[str, dt.date, int], list[CrmDailyPlan]] = {}
    days: dict[str, list[dt.date]] = {}
    for r in pending:
        tz = zones.get(r.org_id, settings.default_timezone)
        if r.org_id not in days:
            days[r.org_id] = days_to_check(now, settings.plan_check_time, tz, settings.plan_catchup_days)
        if r.plan_date in days[r.org_id]:
            due.setdefault((r.org_id, r.plan_date, r.rep_id), []).append(r)
    for (org_id, day, rep_id), rows in sorted(due.items(), key=lambda kv: (kv[0][0], kv[0][1], kv[0][2])):
        try:
            with sessions() as s, s.begin():
                ctx = JobContext(session=s, settings=settings, job_id="plan-check")
                n, r = _check_rep_day(s, ctx, settings, org_id, rep_id, day, sorted(rows, key=lambda x: x.seq),
                                      zones.get(org_id, settings.default_timezone), now)
                s.flush()
                new_ids = [o.id for o in ctx.outbox_ids]
        except IntegrityError:
            continue  # another sweeper checked this rep's day first
        checked, red, ids = checked + n, red + r, ids + new_ids
    missed = mark_missed_reasons(sessions, now)
    return PlanClockResult(checked, red, missed, tuple(ids))


def mark_missed_reasons(sessions: sessionmaker[Session], now: dt.datetime, batch: int = 500) -> int:
    """Red items still without a reason at their deadline: recorded against the manager (once)."""
    n = 0
    with sessions() as s, s.begin():
        rows = s.scalars(select(ApPlanItem).where(ApPlanItem.state == "red", ApPlanItem.reason_at.is_(None),
                                                  ApPlanItem.reason_missed_at.is_(None),
                                                  ApPlanItem.reason_due_at <= now)
                         .order_by(ApPlanItem.reason_due_at).limit(batch).with_for_update(skip_locked=True)).all()
        for item in rows:
            item.reason_missed_at = now
            s.add(ApQualityEvent(org_id=item.org_id, rep_id=item.rep_id, kind="plan_reason_missed", at=now,
                                 detail={"plan_id": item.plan_id, "manager_id": item.manager_id,
                                         "plan_date": item.plan_date.isoformat(),
                                         "reason_due_at": item.reason_due_at.isoformat()}))
            n += 1
    if n:
        log.info("plan reasons missed", extra={"missed": n})
    return n


def rep_plan_report(s: Session, settings: Settings, rep_id: int, day: dt.date,
                    now: dt.datetime | None = None) -> dict[str, Any] | None:
    """A rep's plan of one day as checked (or, before the check, as it stands now), with the day's and
    the ISO week's completion. None when the rep is unknown."""
    rep = s.get(CrmUser, rep_id)
    if rep is None:
        return None
    now = now or utcnow()
    tz = org_timezone(s, rep.org_id, settings)
    rows = plan_rows(s, rep.org_id, rep_id, day)
    stored = {i.plan_id: i for i in s.scalars(select(ApPlanItem).where(ApPlanItem.plan_id.in_([r.id for r in rows])))}
    live = {r.plan_id: r for r in match_rows(s, rep.org_id, rep_id, day, [r for r in rows if r.id not in stored], tz)}
    names = dict(s.execute(select(CrmCustomer.id, CrmCustomer.name).where(
        CrmCustomer.id.in_([r.customer_id for r in rows]), CrmCustomer.org_id == rep.org_id)).all())
    items = []
    for r in rows:
        st = stored.get(r.id)
        entry = {"plan_id": r.id, "seq": r.seq, "customer_id": r.customer_id, "customer": names.get(r.customer_id),
                 "action_type": r.action_type, "target": r.target}
        if st is not None:
            entry |= {"state": st.state, "checked": True, "action_id": st.action_id, "detail": st.detail,
                      "reason": st.reason, "note": st.note, "reason_by": st.reason_by,
                      "reason_at": st.reason_at.isoformat() if st.reason_at else None,
                      "reason_due_at": st.reason_due_at.isoformat(),
                      "reason_in_time": (st.reason_at <= st.reason_due_at) if st.reason_at else None,
                      "reason_missed": st.reason_missed_at is not None}
        else:
            res = live[r.id]
            entry |= {"state": res.state, "checked": False, "action_id": res.action_id, "detail": res.detail}
        items.append(entry)
    week = week_label(day)
    week_states = list(s.scalars(select(ApPlanItem.state).where(ApPlanItem.rep_id == rep_id,
                                                                ApPlanItem.iso_week == week)))
    return {"rep_id": rep_id, "rep": rep.name, "date": day.isoformat(), "timezone": tz,
            "check_at": local_instant(day, settings.plan_check_time, tz).isoformat(),
            "reason_deadline": local_instant(day, settings.plan_reason_deadline, tz).isoformat(),
            "items": items, "day": completion(day.isoformat(), (i["state"] for i in items)).to_json(),
            "week": completion(week, week_states).to_json()}
