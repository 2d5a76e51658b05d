"""`action.submitted/1`: judge an action's evidence, store the verdict, alert the manager."""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from evidence.datum import Position
from evidence.deadline import due_at
from evidence.exif import PhotoMeta, read_photo
from evidence.rules import ActionEvidence, Check, RulesConfig, judge
from models import (
    ApAlert, ApCheck, ApVerdict, CrmAction, CrmCallLog, CrmContact, CrmCustomer, CrmCustomerPhone, CrmOrg,
    CrmPhoto, CrmUser, OPEN_ALERT_STATES,
)
from queues.schemas import ActionSubmitted

from ..consumer import JobContext, utcnow
from ..errors import Failed, not_found
from ..media import read_media


def rules_config(settings) -> RulesConfig:
    return RulesConfig(radius_m=settings.radius_m, photo_time_tolerance_s=settings.photo_time_tolerance_s,
                       required_evidence={k: frozenset(v) for k, v in settings.required_evidence.items()})


def _position(lat: float | None, lon: float | None, datum: str | None) -> Position | None:
    if lat is None or lon is None:
        return None
    return Position(lat, lon, (datum or "wgs84").lower())


def _read_photo(ctx: JobContext, photo: CrmPhoto, unreadable: dict[str, Failed]) -> PhotoMeta:
    """The photo's metadata; a file that cannot be read is noted in `unreadable` and judged empty."""
    try:
        data = read_media(ctx.settings.media_root, photo.path, ctx.settings.max_photo_bytes)
    except Failed as e:
        unreadable[f"photo:{photo.id}"] = e
        return PhotoMeta(problems=(f"{e.code}: {e}",))
    return read_photo(data, max_pixels=ctx.settings.max_image_pixels)


def _with_media_reason(check: Check, unreadable: dict[str, Failed]) -> Check:
    # A missing or refused file is a different story for the manager than a photo without GPS.
    err = unreadable.get(check.subject or "")
    if err is None or check.passed:
        return check
    return dataclasses.replace(check, reason=err.code, detail=str(err))


def handle_action_submitted(ctx: JobContext, msg: ActionSubmitted) -> dict[str, Any]:
    s, settings = ctx.session, ctx.settings
    action = s.get(CrmAction, msg.action_id)
    if action is None or action.org_id != msg.org_id:
        raise not_found(f"action {msg.action_id} of org {msg.org_id}", settings.not_found_window_s)
    customer = s.get(CrmCustomer, action.customer_id)
    if customer is None:
        raise not_found(f"customer {action.customer_id} of action {action.id}", settings.not_found_window_s)
    photos = s.scalars(select(CrmPhoto).where(CrmPhoto.action_id == action.id).order_by(CrmPhoto.id)).all()
    calls = s.scalars(select(CrmCallLog).where(CrmCallLog.action_id == action.id).order_by(CrmCallLog.id)).all()
    registered = list(s.scalars(select(CrmCustomerPhone.phone).where(CrmCustomerPhone.customer_id == customer.id)))
    registered += [p for p in s.scalars(select(CrmContact.phone).where(CrmContact.customer_id == customer.id)) if p]

    config = rules_config(settings)
    unreadable: dict[str, Failed] = {}
    evidence = ActionEvidence(
        action_type=action.type,
        submitted_at=action.submitted_at,
        customer=_position(customer.lat, customer.lon, customer.datum),
        radius_m=customer.radius_m,
        checkin=_position(action.checkin_lat, action.checkin_lon, action.checkin_datum),
        photos=[(f"photo:{p.id}", _read_photo(ctx, p, unreadable)) for p in photos],
        call_numbers=[(f"call:{c.id}", c.counterpart_number) for c in calls],
        registered_numbers=registered,
    )
    judgement = judge(evidence, config)
    judgement = dataclasses.replace(judgement, checks=tuple(_with_media_reason(c, unreadable) for c in judgement.checks))
    now = utcnow()

    # A re-submission supersedes the earlier verdict and its open alert (CONTRACT.md §4).
    superseded_alerts = []
    for old in s.scalars(select(ApVerdict).where(ApVerdict.action_id == action.id,
                                                 ApVerdict.superseded_at.is_(None)).with_for_update()):
        old.superseded_at = now
    for alert in s.scalars(select(ApAlert).where(ApAlert.action_id == action.id,
                                                 ApAlert.status.in_(OPEN_ALERT_STATES)).with_for_update()):
        alert.status = "superseded"
        superseded_alerts.append(alert.id)
    s.flush()  # the partial unique index allows the new open alert only after this
    version = (s.scalar(select(func.max(ApVerdict.version)).where(ApVerdict.action_id == action.id)) or 0) + 1
    verdict = ApVerdict(org_id=action.org_id, action_id=action.id, version=version, job_id=ctx.job_id,
                        status=judgement.status, failed_rules=list(judgement.failed_rules),
                        rules_version=judgement.rules_version, judged_at=now)
    s.add(verdict)
    s.flush()
    s.add_all(_check_row(verdict, c) for c in judgement.checks)

    alert = None
    if judgement.status == "pending_verification":
        alert = _raise_alert(ctx, action, verdict, judgement.checks, now)
    ctx.emit(action.org_id, "action.verified", {
        "action_id": action.id, "verdict": judgement.status, "failed_rules": list(judgement.failed_rules),
        "verdict_version": version, "rules_version": judgement.rules_version,
    })
    return {"verdict_id": verdict.id, "version": version, "status": judgement.status,
            "failed_rules": list(judgement.failed_rules), "alert_id": alert.id if alert else None,
            "superseded_alerts": superseded_alerts}


def _check_row(verdict: ApVerdict, c: Check) -> ApCheck:
    numeric = isinstance(c.value, (int, float)) and not isinstance(c.value, bool)
    return ApCheck(org_id=verdict.org_id, verdict_id=verdict.id, action_id=verdict.action_id, rule=c.rule,
                   subject=c.subject, passed=c.passed, value_num=float(c.value) if numeric else None,
                   value_text=None if numeric or c.value is None else str(c.value)[:200], unit=c.unit,
                   threshold=c.threshold, reason=c.reason, detail=c.detail)


def describe(c: Check) -> str:
    """`checkin_distance_m=1840`-style reason for alerts and the demo table."""
    if isinstance(c.value, (int, float)) and not isinstance(c.value, bool) and c.unit:
        text = f"{c.rule}_{c.unit}={c.value:.0f}"
    elif c.value not in (None, ""):
        text = f"{c.rule}={c.value}"
    else:
        text = c.rule
    return f"{text} ({c.reason})" if c.reason else text


def _raise_alert(ctx: JobContext, action: CrmAction, verdict: ApVerdict, checks, now: dt.datetime) -> ApAlert:
    s, settings = ctx.session, ctx.settings
    rep = s.get(CrmUser, action.rep_id)
    org = s.get(CrmOrg, action.org_id)
    tz = (org.timezone if org and org.timezone else settings.default_timezone)
    ZoneInfo(tz)  # an unknown zone is a data error worth failing loudly on
    reasons = [describe(c) for c in checks if not c.passed]
    alert = ApAlert(org_id=action.org_id, action_id=action.id, verdict_id=verdict.id, rep_id=action.rep_id,
                    manager_id=rep.manager_id if rep else None, status="open", reasons=reasons, created_at=now,
                    due_at=due_at(now, settings.alert_due_hours, clock=settings.alert_clock, timezone=tz))
    s.add(alert)
    s.flush()
    ctx.emit(action.org_id, f"alert.created.{alert.manager_id if alert.manager_id is not None else 'unassigned'}", {
        "alert_id": alert.id, "action_id": action.id, "rep_id": action.rep_id, "manager_id": alert.manager_id,
        "due_at": alert.due_at.isoformat(), "reasons": reasons,
    })
    return alert
