"""`alert.resolved/1` and `/2`: a manager closes a verification alert with a reason category, and the
resolution teaches: a 客户临时改址 with the new position (v2) records an alternative site of the customer
and suggests the address to the CRM; a 信号漂移 adds the measured distances to the rep's (and device's)
drift baseline."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from models import ApAlert, ApCheck, ApQualityEvent, CrmAction, CrmUser
from models.stores import ApAltSite, ApDriftSample
from queues.events import CustomerAddressSuggested
from queues.schemas import AlertResolved

from ..consumer import JobContext, utcnow
from ..errors import Failed, not_found
from ..privacy import audit


def handle_alert_resolved(ctx: JobContext, msg: AlertResolved) -> dict[str, Any]:
    s = ctx.session
    alert = s.get(ApAlert, msg.alert_id, with_for_update=True)
    if alert is None or alert.org_id != msg.org_id:
        raise not_found(f"alert {msg.alert_id} of org {msg.org_id}", ctx.settings.not_found_window_s)
    if alert.status not in ("open", "overdue"):
        raise Failed("alert_closed", f"alert {alert.id} is already {alert.status}; nothing to resolve")
    resolver = s.get(CrmUser, msg.resolved_by)
    if resolver is None or resolver.org_id != alert.org_id:
        raise Failed("forbidden", f"user {msg.resolved_by} is not a user of org {alert.org_id}")
    manager = s.get(CrmUser, alert.manager_id) if alert.manager_id is not None else None
    allowed = {alert.manager_id, manager.manager_id if manager else None} - {None, alert.rep_id}
    if resolver.id not in allowed:
        raise Failed("forbidden", f"{resolver.name} (user {resolver.id}) may not resolve alert {alert.id}: "
                                  "only the rep's manager or that manager's manager can")
    now = utcnow()
    within = now <= alert.due_at
    alert.status, alert.resolved_at, alert.resolution = "resolved", now, msg.resolution
    alert.note, alert.resolved_by, alert.resolved_job_id = msg.note, resolver.id, ctx.job_id
    # The archive of resolutions is the baseline of objective causes for process quality.
    s.add(ApQualityEvent(org_id=alert.org_id, rep_id=alert.rep_id, kind="alert_resolved", alert_id=alert.id,
                         action_id=alert.action_id, at=now,
                         detail={"resolution": msg.resolution, "note": msg.note, "resolved_by": resolver.id,
                                 "within_deadline": within, "manager_id": alert.manager_id}))
    audit(s, alert.org_id, f"user:{resolver.id}", "alert_resolved", f"alert:{alert.id}",
          {"resolution": msg.resolution, "note": msg.note, "job_id": ctx.job_id, "within_deadline": within})
    out: dict[str, Any] = {"alert_id": alert.id, "resolution": msg.resolution, "within_deadline": within}
    action = s.get(CrmAction, alert.action_id)
    position = getattr(msg, "position", None)  # only alert.resolved/2 has one
    if msg.resolution == "客户临时改址" and action is not None:
        if position is None:
            # Version 1, or v2 without a position: resolved as always; nothing to learn a site from.
            out["alt_site"] = None
            out["note"] = "no position given: no alternative site recorded (send alert.resolved/2 with position)"
        else:
            out["alt_site"] = _alt_site(ctx, alert, action, position, resolver.id, now)
    elif msg.resolution == "信号漂移" and action is not None:
        out["drift_samples"] = _drift(ctx, alert, action)
    return out


def _alt_site(ctx: JobContext, alert: ApAlert, action: CrmAction, position, resolver_id: int,
              now: dt.datetime) -> int:
    """The new position becomes a site of the customer from the flagged action on, for the configured days."""
    s = ctx.session
    site = ApAltSite(org_id=alert.org_id, customer_id=action.customer_id, lat=position.lat, lon=position.lon,
                     datum=position.datum, alert_id=alert.id, action_id=action.id, resolved_by=resolver_id,
                     valid_from=min(action.submitted_at, now),
                     valid_until=now + dt.timedelta(days=ctx.settings.alt_site_days), created_at=now)
    s.add(site)
    s.flush()
    event = CustomerAddressSuggested(customer_id=action.customer_id, alt_site_id=site.id, lat=site.lat, lon=site.lon,
                                     datum=site.datum, alert_id=alert.id, action_id=action.id,
                                     suggested_by=resolver_id, valid_until=site.valid_until)
    ctx.emit(alert.org_id, event.routing_key(), event.body())
    return site.id


def _drift(ctx: JobContext, alert: ApAlert, action: CrmAction) -> int:
    """The failed distance checks of the alert's verdict, as the rep's (and device's) drift samples."""
    s = ctx.session
    checks = s.scalars(select(ApCheck).where(ApCheck.verdict_id == alert.verdict_id, ApCheck.passed.is_(False),
                                             ApCheck.rule.in_(("checkin_distance", "photo_distance")),
                                             ApCheck.reason == "too_far")).all()
    for c in checks:
        s.add(ApDriftSample(org_id=alert.org_id, rep_id=alert.rep_id, device_id=action.device_id, alert_id=alert.id,
                            action_id=action.id, rule=c.rule, subject=c.subject or "checkin",
                            distance_m=float(c.value_num), limit_m=float(c.threshold or 0), at=action.submitted_at))
    return len(checks)
