"""`customer.changed/1`: recompute the customer's CQI and auto-fill suggestions."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import ApCqi, ApSuggestion
from queues.events import CqiUpdated, SuggestionUpdated
from queues.schemas import CustomerChanged
from scoring.cqi import CqiConfig, CqiResult, compute_cqi
from scoring.periods import Period, iso_week, rolling_30_days
from scoring.suggest import build_suggestion

from ..consumer import JobContext, utcnow
from ..errors import not_found
from ..scoring_data import CustomerFacts, customer_facts, suggestion_inputs

ACTION_TYPES = ("上门拜访", "电话沟通", "方案讲解", "报价", "异议处理", "现场勘测")


def cqi_config(settings) -> CqiConfig:
    return CqiConfig(rhythm_mode=settings.rhythm_mode)


def store_cqi(s: Session, facts: CustomerFacts, period: Period, config: CqiConfig, now: dt.datetime) -> tuple[ApCqi, CqiResult]:
    """Compute one period's CQI and upsert it with all its inputs."""
    result = compute_cqi(period, facts.touches, facts.target, facts.reaches, facts.commitments, config)
    row = s.scalar(select(ApCqi).where(ApCqi.customer_id == facts.customer.id, ApCqi.period_kind == period.kind,
                                       ApCqi.period_label == period.label).with_for_update())
    if row is None:
        row = ApCqi(org_id=facts.customer.org_id, customer_id=facts.customer.id, period_kind=period.kind,
                    period_label=period.label, period_start=period.start, period_end=period.end, details={},
                    computed_at=now)
        s.add(row)
    row.period_start, row.period_end = period.start, period.end
    row.depth, row.anchoring, row.rhythm = result.depth.value, result.anchoring.value, result.rhythm.value
    row.cqi = None if result.composite is None else round(result.composite, 1)
    row.depth_healthy, row.anchoring_healthy = result.depth.healthy, result.anchoring.healthy
    row.rhythm_healthy = result.rhythm.healthy
    row.open_expectations = len(result.open_expectations)
    row.details = {**result.to_json(), "explain": result.explain()}
    row.computed_at = now
    return row, result


def handle_customer_changed(ctx: JobContext, msg: CustomerChanged) -> dict[str, Any]:
    s, settings = ctx.session, ctx.settings
    facts = customer_facts(s, msg.customer_id, settings.default_timezone)
    if facts is None or facts.customer.org_id != msg.org_id:
        raise not_found(f"customer {msg.customer_id} of org {msg.org_id}", settings.not_found_window_s)
    now = utcnow()
    today = now.astimezone(facts.tz).date()
    config = cqi_config(settings)
    out: dict[str, Any] = {"cqi": {}}
    for period in (rolling_30_days(today), iso_week(today)):
        row, result = store_cqi(s, facts, period, config, now)
        out["cqi"][period.label] = row.cqi
        updated = CqiUpdated(customer_id=msg.customer_id, period=period.label, period_kind=period.kind, cqi=row.cqi)
        ctx.emit(msg.org_id, updated.routing_key(), updated.body())
    inputs = suggestion_inputs(s, msg.customer_id, facts.tz, today)
    for action_type in ACTION_TYPES:
        suggestion = build_suggestion(action_type, now=now, **inputs)
        body = suggestion.to_json()
        row = s.scalar(select(ApSuggestion).where(ApSuggestion.customer_id == msg.customer_id,
                                                  ApSuggestion.action_type == action_type).with_for_update())
        if row is None:
            row = ApSuggestion(org_id=msg.org_id, customer_id=msg.customer_id, action_type=action_type, body={},
                               computed_at=now)
            s.add(row)
        row.body, row.computed_at = body, now
        row.next_touch_at = suggestion.next_touch_at
        event = SuggestionUpdated(customer_id=msg.customer_id, action_type=action_type)
        ctx.emit(msg.org_id, event.routing_key(), event.body())
    out["suggestions"] = len(ACTION_TYPES)
    return out
