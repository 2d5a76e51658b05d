"""`stage.requested/1` (a stage change judged against its checklists) and `stage.override/1`
(a manager lets a blocked change through, with a reason)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from models import ApGateDecision, CrmCustomer, CrmUser
from queues.events import GateItem, StageGateBlocked, StageGatePassed
from queues.schemas import StageOverride, StageRequested
from scoring.gate import GateError, decide, stages_to_check
from scoring.stages import StageError, load_stages

from ..consumer import JobContext, utcnow
from ..errors import Failed, Retry, not_found
from ..gate_evidence import gather
from ..privacy import audit


def _event(gate: ApGateDecision) -> StageGatePassed | StageGateBlocked:
    model = StageGateBlocked if gate.status == "blocked" else StageGatePassed
    return model(gate_id=gate.id, customer_id=gate.customer_id, from_stage=gate.from_stage,
                 target_stage=gate.target_stage, requested_by=gate.requested_by, missing=gate.missing,
                 items=[GateItem(**i) for i in gate.items], overridden_by=gate.overridden_by,
                 override_reason=gate.override_reason)


def handle_stage_requested(ctx: JobContext, msg: StageRequested) -> dict[str, Any]:
    s, settings = ctx.session, ctx.settings
    customer = s.get(CrmCustomer, msg.customer_id)
    if customer is None or customer.org_id != msg.org_id:
        raise not_found(f"customer {msg.customer_id} of org {msg.org_id}", settings.not_found_window_s)
    who = s.get(CrmUser, msg.requested_by)
    if who is None or who.org_id != msg.org_id:
        raise Failed("forbidden", f"user {msg.requested_by} is not a user of org {msg.org_id}")
    try:
        stages = load_stages(customer.industry, settings.stages_dir)
    except StageError as e:
        # The installation's stage files are wrong, not the request: retried, then replayable once fixed.
        raise Retry("stages_invalid", f"stage lists cannot be used: {e}") from None
    try:
        to_check = stages_to_check(stages, customer.stage, msg.target_stage)
    except GateError as e:
        raise Failed("invalid_stage", f"{customer.name} (customer {customer.id}): {e}") from None
    now = utcnow()
    decision = decide(stages, customer.stage, msg.target_stage, gather(s, settings, customer.id, to_check, now))
    gate = ApGateDecision(org_id=msg.org_id, job_id=ctx.job_id, customer_id=customer.id, pack=stages.pack,
                          from_stage=customer.stage, target_stage=msg.target_stage, requested_by=who.id,
                          status=decision.status, items=[i.to_json() for i in decision.items],
                          missing=len(decision.missing), decided_at=now)
    s.add(gate)
    s.flush()
    event = _event(gate)
    ctx.emit(msg.org_id, event.routing_key(), event.body())
    return {"gate_id": gate.id, "status": gate.status, "from_stage": gate.from_stage,
            "target_stage": gate.target_stage, "missing": [i.name for i in decision.missing], "note": decision.note}


def may_override(s, who: CrmUser, customer: CrmCustomer | None) -> bool:
    """The customer's owner's manager or that manager's manager; for a customer without an owner
    (or an owner without a manager) any manager of the organisation."""
    if who.role != "manager":
        return False
    owner = s.get(CrmUser, customer.owner_rep_id) if customer and customer.owner_rep_id else None
    if owner is None or owner.manager_id is None:
        return True
    boss = s.get(CrmUser, owner.manager_id)
    return who.id in {owner.manager_id, boss.manager_id if boss else None}


def handle_stage_override(ctx: JobContext, msg: StageOverride) -> dict[str, Any]:
    s, settings = ctx.session, ctx.settings
    gate = s.get(ApGateDecision, msg.gate_id, with_for_update=True)
    if gate is None or gate.org_id != msg.org_id:
        raise not_found(f"gate decision {msg.gate_id} of org {msg.org_id}", settings.not_found_window_s)
    if gate.status != "blocked":
        raise Failed("gate_not_blocked", f"gate decision {gate.id} is {gate.status}: there is nothing to override")
    who = s.get(CrmUser, msg.overridden_by)
    if who is None or who.org_id != gate.org_id:
        raise Failed("forbidden", f"user {msg.overridden_by} is not a user of org {gate.org_id}")
    customer = s.get(CrmCustomer, gate.customer_id)
    if not may_override(s, who, customer):
        raise Failed("forbidden", f"{who.name} (user {who.id}) may not override gate {gate.id}: only the manager "
                                  "of the customer's rep or that manager's manager can")
    newer = s.scalar(select(ApGateDecision.id).where(ApGateDecision.customer_id == gate.customer_id,
                                                     ApGateDecision.id > gate.id).limit(1))
    now = utcnow()
    gate.status, gate.overridden_by, gate.override_reason = "overridden", who.id, msg.reason
    gate.overridden_at, gate.override_job_id = now, ctx.job_id
    audit(s, gate.org_id, f"user:{who.id}", "gate_overridden", f"gate:{gate.id}",
          {"reason": msg.reason, "missing": [i["name"] for i in gate.items if i["state"] != "met"],
           "target_stage": gate.target_stage, "job_id": ctx.job_id})
    event = _event(gate)
    ctx.emit(gate.org_id, event.routing_key(), event.body())
    return {"gate_id": gate.id, "status": gate.status, "target_stage": gate.target_stage,
            "later_request": newer}
