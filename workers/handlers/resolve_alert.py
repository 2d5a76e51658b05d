"""`alert.resolved/1`: a manager closes a verification alert with a reason category."""
from __future__ import annotations

from typing import Any

from models import ApAlert, ApQualityEvent, CrmUser
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
    return {"alert_id": alert.id, "resolution": msg.resolution, "within_deadline": within}
