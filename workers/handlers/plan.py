"""`plan.submitted/1` (a rep's plan is checked for sense in the morning) and `plan.reason/1`
(a manager classifies why a red item was not done)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from models import ApPlanItem, CrmCustomer, CrmDailyPlan, CrmUser
from queues.schemas import PlanReason, PlanSubmitted
from scoring.plan import local_instant

from ..consumer import JobContext, utcnow
from ..errors import Failed, not_found
from ..plans import org_timezone, plan_rows
from ..privacy import audit


def handle_plan_submitted(ctx: JobContext, msg: PlanSubmitted) -> dict[str, Any]:
    s, settings = ctx.session, ctx.settings
    rep = s.get(CrmUser, msg.rep_id)
    if rep is None or rep.org_id != msg.org_id:
        raise not_found(f"rep {msg.rep_id} of org {msg.org_id}", settings.not_found_window_s)
    rows = plan_rows(s, msg.org_id, rep.id, msg.plan_date)
    if not rows:
        raise not_found(f"plan of {rep.name} (user {rep.id}) for {msg.plan_date}", settings.not_found_window_s)
    problems = []
    if len(rows) > settings.plan_max_items:
        problems.append(f"{len(rows)} items, at most {settings.plan_max_items} are planned a day")
    for r in rows:
        customer = s.get(CrmCustomer, r.customer_id)
        if customer is None or customer.org_id != msg.org_id:
            problems.append(f"item {r.seq} names customer {r.customer_id}, which is not a customer of org {msg.org_id}")
        if not (r.action_type or "").strip():
            problems.append(f"item {r.seq} has no action type")
    if problems:
        raise Failed("invalid_plan", f"plan of {rep.name} (user {rep.id}) for {msg.plan_date}: " + "; ".join(problems))
    tz = org_timezone(s, msg.org_id, settings)
    return {"rep_id": rep.id, "plan_date": msg.plan_date.isoformat(), "plan_ids": [r.id for r in rows],
            "check_at": local_instant(msg.plan_date, settings.plan_check_time, tz).isoformat()}


def handle_plan_reason(ctx: JobContext, msg: PlanReason) -> dict[str, Any]:
    s, settings = ctx.session, ctx.settings
    item = s.get(ApPlanItem, msg.plan_id, with_for_update=True)
    if item is None or item.org_id != msg.org_id:
        plan = s.get(CrmDailyPlan, msg.plan_id)
        if plan is None or plan.org_id != msg.org_id:
            raise not_found(f"plan item {msg.plan_id} of org {msg.org_id}", settings.not_found_window_s)
        raise Failed("plan_item_not_red", f"plan item {plan.id} (#{plan.seq} of {plan.plan_date}) is not checked "
                                          f"yet (plans are checked at {settings.plan_check_time}): only red items "
                                          "take a reason")
    if item.state != "red":
        met = f" by action {item.action_id}" if item.action_id else ""
        raise Failed("plan_item_not_red", f"plan item {item.plan_id} (#{item.seq} of {item.plan_date}) is "
                                          f"{item.state}{met}, not red: it needs no reason")
    giver = s.get(CrmUser, msg.given_by)
    if giver is None or giver.org_id != item.org_id:
        raise Failed("forbidden", f"user {msg.given_by} is not a user of org {item.org_id}")
    manager = s.get(CrmUser, item.manager_id) if item.manager_id is not None else None
    allowed = {item.manager_id, manager.manager_id if manager else None} - {None, item.rep_id}
    if giver.id not in allowed:
        raise Failed("forbidden", f"{giver.name} (user {giver.id}) may not give the reason for plan item "
                                  f"{item.plan_id}: only the rep's manager or that manager's manager can")
    # Given when the CRM sent it (a backlog in the queue does not make a manager late), never later
    # than now (a clock ahead in the CRM does not make a late answer early).
    now = min(utcnow(), msg.sent_at.astimezone(dt.timezone.utc))
    previous = item.reason
    # A later reason corrects the category and note; timeliness stays that of the first answer.
    item.reason, item.note, item.reason_by, item.reason_job_id = msg.reason, msg.note, giver.id, ctx.job_id
    if item.reason_at is None:
        item.reason_at = now
    in_time = item.reason_at <= item.reason_due_at
    audit(s, item.org_id, f"user:{giver.id}", "plan_reason", f"plan:{item.plan_id}",
          {"reason": msg.reason, "note": msg.note, "previous": previous, "job_id": ctx.job_id, "in_time": in_time})
    return {"plan_id": item.plan_id, "reason": msg.reason, "in_time": in_time, "replaced": previous}
