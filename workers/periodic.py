"""Clock-driven results: the weekly health radar (Friday 18:00 org time), process quality
and store funnels. Each function reads rows, calls `scoring/`, upserts, and is safe to re-run."""
from __future__ import annotations

import datetime as dt
import logging
from typing import Iterable
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from models import (
    ApAlert, ApFunnel, ApPlanItem, ApProcessQuality, ApRadar, ApVerdict, CrmAction, CrmCallLog, CrmCustomer, CrmOrg,
    CrmPhoto, CrmStore, CrmStoreEvent, CrmUser,
)
from models import ApOutbox
from models.stores import ApFunnelStep, ApRadarDigest
from queues.events import RadarDigestItem, RadarWeekly
from scoring.cqi import compute_cqi
from scoring.funnel import STAGE_KEYS, StoreEvent, StoreNode, funnel_by_store_day
from scoring.periods import Period, iso_week
from scoring.plan import RedItem, manager_plan_weeks
from scoring.quality import ActionRow, AlertRow, QualityConfig, manager_week_quality, rep_week_quality
from scoring.radar import RadarInputs, radar_axes

from . import outbox
from .config import Settings
from .handlers.score import cqi_config
from .scoring_data import customer_facts, radar_inputs
from .stores import store_nodes

log = logging.getLogger("actionproof.periodic")


def _upsert(s: Session, model, keys: dict, values: dict):
    row = s.scalar(select(model).filter_by(**keys).with_for_update())
    if row is None:
        row = model(**keys, **values)
        s.add(row)
    else:
        for k, v in values.items():
            setattr(row, k, v)
    return row


def customer_radar(s: Session, settings: Settings, customer_id: int, week: Period,
                   now: dt.datetime) -> tuple[CrmCustomer, RadarInputs, ApRadar] | None:
    """Compute and store one customer's radar for an ISO week."""
    facts = customer_facts(s, customer_id, settings.default_timezone)
    if facts is None:
        return None
    cqi = compute_cqi(week, facts.touches, facts.target, facts.reaches, facts.commitments, cqi_config(settings))
    inputs = radar_inputs(s, facts, week, chain_reached=int(cqi.depth.numerator))
    axes = radar_axes(inputs)
    row = _upsert(s, ApRadar, {"customer_id": customer_id, "week_label": week.label}, {
        "org_id": facts.customer.org_id, "rep_id": facts.customer.owner_rep_id, "chain_coverage": axes.coverage,
        "need_clarity": axes.need_clarity, "budget_match": axes.budget_match, "details": axes.to_json(),
        "computed_at": now})
    return facts.customer, inputs, row


def radar_due(now: dt.datetime, tz: ZoneInfo, weekday: int, at: str) -> Period | None:
    """The ISO week whose radar is due at `now` (from its weekday/time on), else None."""
    local = now.astimezone(tz)
    hour, minute = (int(x) for x in at.split(":"))
    week = iso_week(local.date())
    due = dt.datetime.combine(week.start + dt.timedelta(days=weekday), dt.time(hour, minute), tz)
    return week if local >= due else None


def weekly_radar(sessions: sessionmaker[Session], settings: Settings, now: dt.datetime,
                 outbox_ids: list[int] | None = None) -> int:
    """Fill in the radar of every customer whose org's radar time has passed this week, then announce
    each manager's digest once (`radar.weekly.<manager_id>`; ids of the outbox rows go to `outbox_ids`)."""
    done = 0
    with sessions() as s, s.begin():
        rows = []
        for org in s.scalars(select(CrmOrg)):
            week = radar_due(now, ZoneInfo(org.timezone or settings.default_timezone), settings.radar_weekday,
                             settings.radar_time)
            if week is None:
                continue
            have = set(s.scalars(select(ApRadar.customer_id).where(ApRadar.org_id == org.id,
                                                                  ApRadar.week_label == week.label)))
            for cid in s.scalars(select(CrmCustomer.id).where(CrmCustomer.org_id == org.id)):
                if cid not in have:
                    customer_radar(s, settings, cid, week, now)
                    done += 1
            rows += radar_digests(s, org.id, week, now)
        s.flush()
    if outbox_ids is not None:
        outbox_ids += [r.id for r in rows]
    return done


def radar_digests(s: Session, org_id: str, week: Period, now: dt.datetime) -> list[ApOutbox]:
    """One digest per manager and ISO week: the radars of the customers of the manager's reps.

    `ap_radar_digests` (unique manager × week) makes a later clock tick, a second worker or a restart
    announce nothing twice; the notifier de-duplicates its posts on the digest id as well. A rep
    without a manager has nobody to send to: their customers are in no digest.
    """
    done = set(s.scalars(select(ApRadarDigest.manager_id).where(ApRadarDigest.org_id == org_id,
                                                                 ApRadarDigest.week_label == week.label)))
    managers = {u.id: u.manager_id for u in s.scalars(select(CrmUser).where(CrmUser.org_id == org_id))}
    teams: dict[int, list[ApRadar]] = {}
    for r in s.scalars(select(ApRadar).where(ApRadar.org_id == org_id, ApRadar.week_label == week.label)
                       .order_by(ApRadar.customer_id)):
        manager = managers.get(r.rep_id) if r.rep_id is not None else None
        if manager is not None and manager not in done:
            teams.setdefault(manager, []).append(r)
    out = []
    for manager, radars in sorted(teams.items()):
        digest = ApRadarDigest(org_id=org_id, manager_id=manager, week_label=week.label, customers=len(radars),
                               created_at=now)
        s.add(digest)
        s.flush()
        event = RadarWeekly(digest_id=digest.id, manager_id=manager, week=week.label, customers=[
            RadarDigestItem(customer_id=r.customer_id, rep_id=r.rep_id, chain_coverage=r.chain_coverage,
                            need_clarity=r.need_clarity, budget_match=r.budget_match) for r in radars])
        out.append(outbox.add_event(s, org_id, event.routing_key(), event.body()))
    return out


def evidence_kinds(s: Session, action_ids: list[int]) -> dict[int, frozenset[str]]:
    kinds: dict[int, set[str]] = {a: set() for a in action_ids}
    for aid in s.scalars(select(CrmPhoto.action_id).where(CrmPhoto.action_id.in_(action_ids))):
        kinds[aid].add("photo")
    for aid in s.scalars(select(CrmCallLog.action_id).where(CrmCallLog.action_id.in_(action_ids))):
        kinds[aid].add("call_log")
    return {a: frozenset(k) for a, k in kinds.items()}


def process_quality(sessions: sessionmaker[Session], settings: Settings, week: Period, now: dt.datetime) -> int:
    """Rep and manager process quality for one ISO week, stored in ap_process_quality."""
    start = dt.datetime.combine(week.start - dt.timedelta(days=1), dt.time(0), dt.timezone.utc)
    end = dt.datetime.combine(week.end + dt.timedelta(days=2), dt.time(0), dt.timezone.utc)
    written = 0
    with sessions() as s, s.begin():
        actions = s.scalars(select(CrmAction).where(CrmAction.submitted_at >= start, CrmAction.submitted_at < end)).all()
        kinds = evidence_kinds(s, [a.id for a in actions])
        verdicts = {v.action_id: v.status for v in s.scalars(select(ApVerdict).where(
            ApVerdict.action_id.in_([a.id for a in actions]), ApVerdict.superseded_at.is_(None)))}
        orgs = {a.id: a.org_id for a in actions}
        rows = [ActionRow(a.id, a.rep_id, a.type, a.submitted_at,
                          kinds[a.id] | ({"checkin"} if a.checkin_lat is not None else set()), verdicts.get(a.id))
                for a in actions]
        alerts = s.scalars(select(ApAlert).where(ApAlert.created_at >= start, ApAlert.created_at < end)).all()
        alert_rows = [AlertRow(a.id, a.action_id, a.rep_id, a.manager_id, a.status, a.created_at, a.due_at,
                               a.overdue_at, a.resolved_at, a.resolution) for a in alerts]
        org_of_rep = {a.rep_id: a.org_id for a in actions} | {a.rep_id: a.org_id for a in alerts}
        org_of_manager = {a.manager_id: a.org_id for a in alerts if a.manager_id is not None}
        config = QualityConfig(required_evidence={k: frozenset(v) for k, v in settings.required_evidence.items()},
                               timezone=settings.default_timezone)
        for q in rep_week_quality(rows, alert_rows, config):
            if q.week.label != week.label:
                continue
            _upsert(s, ApProcessQuality, {"subject_kind": "rep", "subject_id": q.rep_id, "week_label": q.week.label},
                    {"org_id": org_of_rep.get(q.rep_id, orgs.get(q.rep_id, "")), "score": q.score,
                     "details": q.to_json(), "computed_at": now})
            written += 1
        # Red plan items of the week: a reason missing at 17:00 counts like an alert left overdue.
        reds = s.scalars(select(ApPlanItem).where(ApPlanItem.state == "red", ApPlanItem.iso_week == week.label)).all()
        plan = {p.manager_id: p for p in manager_plan_weeks(
            [RedItem(r.plan_id, r.manager_id, r.plan_date, r.reason_due_at, r.reason_at) for r in reds], now)}
        org_of_manager |= {r.manager_id: r.org_id for r in reds if r.manager_id is not None}
        by_manager = {q.manager_id: q for q in manager_week_quality(alert_rows, now, config) if q.week.label == week.label}
        for manager_id in sorted(set(by_manager) | set(plan), key=str):
            q, p = by_manager.get(manager_id), plan.get(manager_id)
            details = q.to_json() if q else {"manager_id": manager_id, "week": week.label, "alerts": 0}
            decided = (q.decided if q else 0) + (p.decided if p else 0)
            in_time = (q.resolved_in_time if q else 0) + (p.in_time if p else 0)
            if p is not None:
                details["plan"] = p.to_json()
            _upsert(s, ApProcessQuality, {"subject_kind": "manager", "subject_id": manager_id,
                                          "week_label": week.label},
                    {"org_id": org_of_manager.get(manager_id, ""), "score": in_time / decided if decided else None,
                     "details": details, "computed_at": now})
            written += 1
    return written


def store_funnels(sessions: sessionmaker[Session], settings: Settings, days: Iterable[dt.date],
                  now: dt.datetime) -> int:
    """Per store per local day, the action funnel from crm_store_events: the five stages by each
    node's declared stage (ap_funnels) and one row per stage and per node (ap_funnel_steps)."""
    days = sorted(days)
    if not days:
        return 0
    start = dt.datetime.combine(days[0] - dt.timedelta(days=1), dt.time(0), dt.timezone.utc)
    end = dt.datetime.combine(days[-1] + dt.timedelta(days=2), dt.time(0), dt.timezone.utc)
    written = 0
    with sessions() as s, s.begin():
        events = [StoreEvent(e.store_id, e.visitor_id, e.node_seq, e.at) for e in s.scalars(
            select(CrmStoreEvent).where(CrmStoreEvent.at >= start, CrmStoreEvent.at < end))]
        stores = {st.id: st for st in s.scalars(select(CrmStore).where(
            CrmStore.id.in_({e.store_id for e in events})))} if events else {}
        nodes = {sid: [StoreNode(n.seq, n.name, n.stage) for n in store_nodes(s, st)[0]] for sid, st in stores.items()}
        by_org_tz = {o.id: o.timezone for o in s.scalars(select(CrmOrg))}
        for sid, st in stores.items():
            tz = by_org_tz.get(st.org_id) or settings.default_timezone
            for day in funnel_by_store_day([e for e in events if e.store_id == sid], nodes, timezone=tz):
                if day.day not in days:
                    continue
                counts = {f.stage: f.reached for f in day.funnel}
                _upsert(s, ApFunnel, {"store_id": sid, "day": day.day}, {
                    "org_id": st.org_id, **{k: counts.get(k, 0) for k in STAGE_KEYS},
                    "details": day.to_json(), "computed_at": now})
                week = iso_week(day.day).label
                steps = [("stage", i + 1, f.stage, f.label, f.stage, f.reached, f.recorded)
                         for i, f in enumerate(day.funnel)]
                names = {n.seq: n.name for n in nodes[sid]}
                steps += [("node", n.seq, names.get(n.seq, n.label), names.get(n.seq, n.label),
                           n.stage if n.stage in STAGE_KEYS else None, n.reached, n.recorded) for n in day.stages]
                for kind, seq, step, label, stage, reached, recorded in steps:
                    _upsert(s, ApFunnelStep, {"store_id": sid, "day": day.day, "kind": kind, "seq": seq}, {
                        "org_id": st.org_id, "iso_week": week, "step": step[:64], "label": label[:64],
                        "stage": stage, "reached": reached, "recorded": recorded, "computed_at": now})
                written += 1
    return written


def run_clock(sessions: sessionmaker[Session], settings: Settings, now: dt.datetime | None = None,
              outbox_ids: list[int] | None = None) -> dict[str, int]:
    """Everything the clock owes: called by every worker's sweep and by `actionproof sweep`.
    Ids of the outbox rows it wrote (radar digests) are added to `outbox_ids`, for publishing at once."""
    now = now or dt.datetime.now(dt.timezone.utc)
    today = now.astimezone(ZoneInfo(settings.default_timezone)).date()
    return {"radar": weekly_radar(sessions, settings, now, outbox_ids),
            "quality": process_quality(sessions, settings, iso_week(today), now),
            "funnels": store_funnels(sessions, settings, [today - dt.timedelta(days=1), today], now)}
