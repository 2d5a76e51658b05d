"""Events on the topic exchange `actionproof.events` (docs/contract.md, "Events").

The code that emits an event builds its payload through one of these models, so what is
published always matches the committed JSON Schema (`actionproof schema`). An event on the
wire is the payload plus the envelope the outbox adds (`EventEnvelope`).
"""
from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Annotated, Any, ClassVar, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, PlainSerializer, create_model


def _isoformat(value: dt.datetime) -> str:
    """ISO-8601 with the offset the value carries (`+00:00`, not pydantic's `Z`), as events always had."""
    return value.isoformat()


Instant = Annotated[AwareDatetime, PlainSerializer(_isoformat, return_type=str, when_used="json")]
UNASSIGNED = "unassigned"  # routing-key part for an alert whose rep has no manager


class EventEnvelope(BaseModel):
    """Fields every event carries besides its payload (added when it is written to the outbox)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    event: str = Field(description="The routing key the event was published with, e.g. alert.created.12.")
    event_id: str = Field(description="Unique per event; delivery is at least once, so de-duplicate on it.")
    org_id: str | None = Field(description="The tenant (crm_orgs.id).")
    sent_at: AwareDatetime = Field(description="When the event was recorded, ISO-8601 with offset.")


class EventPayload(BaseModel):
    """Base of every event's payload: its name, routing-key pattern and JSON body."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: ClassVar[str]
    routing_pattern: ClassVar[str]  # as documented, e.g. alert.created.<manager_id>

    def routing_key(self) -> str:
        """The routing key this event is published with."""
        return self.name

    def body(self) -> dict[str, Any]:
        """The payload as the outbox stores and publishes it."""
        return self.model_dump(mode="json")


class ActionVerified(EventPayload):
    """A verdict was made on an action (every action.submitted/1 job that completes)."""

    name: ClassVar[str] = "action.verified"
    routing_pattern: ClassVar[str] = "action.verified"

    action_id: int = Field(description="crm_actions.id")
    verdict: Literal["verified", "pending_verification"]
    failed_rules: list[str] = Field(description="Names of the failed rules (ap_checks.rule); empty when verified.")
    verdict_version: int = Field(description="ap_verdicts.version: 1, then +1 per re-submission.")
    rules_version: str = Field(description="The rules configuration the verdict was judged under.")
    risk_score: float | None = Field(description="0-100 from evidence-depth flags.")


class _AlertBody(EventPayload):
    """Fields shared by the alert events."""

    alert_id: int = Field(description="ap_alerts.id")
    action_id: int = Field(description="crm_actions.id")
    rep_id: int = Field(description="crm_users.id of the rep")
    manager_id: int | None = Field(description="crm_users.id of the rep's manager; null when the rep has none.")
    due_at: Instant = Field(description="The alert's deadline, ISO-8601 with offset (UTC).")
    reasons: list[str] = Field(description="One line per failed check, e.g. 'checkin_distance_m=1840 (too_far)'.")

    def routing_key(self) -> str:
        """`<name>.<manager_id>`, or `<name>.unassigned` for a rep without a manager."""
        return f"{self.name}.{self.manager_id if self.manager_id is not None else UNASSIGNED}"


class AlertCreated(_AlertBody):
    """A verification alert was raised for the rep's manager (verdict pending_verification)."""

    name: ClassVar[str] = "alert.created"
    routing_pattern: ClassVar[str] = "alert.created.<manager_id|unassigned>"


class AlertOverdue(_AlertBody):
    """An alert was still open at its deadline; a quality event was recorded against the rep."""

    name: ClassVar[str] = "alert.overdue"
    routing_pattern: ClassVar[str] = "alert.overdue.<manager_id|unassigned>"


class AlertEscalated(_AlertBody):
    """An overdue alert was escalated to the manager's manager (published with alert.overdue)."""

    name: ClassVar[str] = "alert.escalated"
    routing_pattern: ClassVar[str] = "alert.escalated.<escalated_to>"

    escalated_to: int = Field(description="crm_users.id of the manager's manager, the recipient.")

    def routing_key(self) -> str:
        """`alert.escalated.<escalated_to>`: addressed to the manager's manager."""
        return f"{self.name}.{self.escalated_to}"


class SuggestionUpdated(EventPayload):
    """The auto-fill suggestion of a customer and action type was recomputed (ap_suggestions)."""

    name: ClassVar[str] = "suggestion.updated"
    routing_pattern: ClassVar[str] = "suggestion.updated"

    customer_id: int = Field(description="crm_customers.id")
    action_type: str = Field(description="e.g. 上门拜访")


class CqiUpdated(EventPayload):
    """A customer's CQI for one period was recomputed (ap_cqi)."""

    name: ClassVar[str] = "cqi.updated"
    routing_pattern: ClassVar[str] = "cqi.updated"

    customer_id: int = Field(description="crm_customers.id")
    period: str = Field(description="ap_cqi.period_label, e.g. R30:2026-03-31 or 2026-W12.")
    period_kind: Literal["rolling", "iso_week", "custom"] = Field(description="ap_cqi.period_kind")
    cqi: float | None = Field(description="0-100, one decimal; null when no part could be computed.")


class PlanRedItem(BaseModel):
    """A plan item found red at the check time."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    plan_id: int = Field(description="crm_daily_plans.id: name it in plan.reason/1")
    seq: int
    customer_id: int
    action_type: str
    target: str | None


class PlanIncomplete(EventPayload):
    """A rep's plan had red items at the check time; the manager must give each a reason by reason_due_at."""

    name: ClassVar[str] = "plan.incomplete"
    routing_pattern: ClassVar[str] = "plan.incomplete.<manager_id|unassigned>"

    rep_id: int = Field(description="crm_users.id of the rep")
    manager_id: int | None = Field(description="crm_users.id of the rep's manager; null when the rep has none.")
    plan_date: dt.date = Field(description="The plan's local day.")
    reason_due_at: Instant = Field(description="Reasons given after this count against the manager.")
    items: int = Field(description="Items checked (invalid ones not counted).")
    done: int = Field(description="Items met by a verified action.")
    unverified: int = Field(description="Items met by a 待核实 or not yet judged action (count as done).")
    red: list[PlanRedItem] = Field(description="The red items.")

    def routing_key(self) -> str:
        """`plan.incomplete.<manager_id>`, or `plan.incomplete.unassigned` for a rep without a manager."""
        return f"{self.name}.{self.manager_id if self.manager_id is not None else UNASSIGNED}"


class GateItem(BaseModel):
    """One checklist item of a gate decision."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    stage: str = Field(description="The stage whose checklist the item is on.")
    id: str
    name: str
    state: Literal["met", "missing"]
    reason: str = Field(description="What met it, or what is missing, in words.")
    evidence: list[str] = Field(description="Ids of the evidence that met it: photo:<id>, attachment:<id>, message:<id>, transcript:<id>, mention:<id>, money:<id>, need:<id>, quote:<id>.")


class _GateBody(EventPayload):
    """Fields shared by the gate events."""

    gate_id: int = Field(description="ap_gate_decisions.id")
    customer_id: int = Field(description="crm_customers.id")
    from_stage: str | None = Field(description="The customer's stage when asked (crm_customers.stage).")
    target_stage: str
    requested_by: int = Field(description="crm_users.id of who asked")
    missing: int = Field(description="Items not met.")
    items: list[GateItem]
    overridden_by: int | None = Field(description="crm_users.id of the manager who let a blocked gate pass; null otherwise.")
    override_reason: str | None

    def routing_key(self) -> str:
        """`<name>.<customer_id>`."""
        return f"{self.name}.{self.customer_id}"


class StageGatePassed(_GateBody):
    """The stage change may go ahead: every item met, or a manager overrode a blocked gate."""

    name: ClassVar[str] = "stage.gate.passed"
    routing_pattern: ClassVar[str] = "stage.gate.passed.<customer_id>"


class StageGateBlocked(_GateBody):
    """The stage change is blocked until the missing items have evidence and the CRM asks again."""

    name: ClassVar[str] = "stage.gate.blocked"
    routing_pattern: ClassVar[str] = "stage.gate.blocked.<customer_id>"


class StoreCase(BaseModel):
    """An earlier visitor of the store or its chain who bought, similar to this one."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    store_id: int
    visitor_id: str
    won_at: Instant = Field(description="When they completed a 成交 node.")
    matched: list[Literal["objection", "product", "path"]] = Field(description="What they share with this visitor.")
    path_share: float = Field(description="Share of this visitor's path (nodes so far) found in theirs, 0-1.")
    product: str | None
    objection: str | None
    path: list[str] = Field(description="Their nodes, in the order completed.")


class StorePrompt(EventPayload):
    """A guide completed a node: the next node's reference line and up to two similar won cases."""

    name: ClassVar[str] = "store.prompt"
    routing_pattern: ClassVar[str] = "store.prompt.<store_id>"

    prompt_id: int = Field(description="ap_store_prompts.id")
    store_id: int = Field(description="crm_stores.id")
    store_event_id: int = Field(description="crm_store_events.id of the completion answered")
    visitor_id: str
    status: Literal["next", "last_node"] = Field(description="last_node: the visit's last node was completed; no line.")
    node_seq: int = Field(description="The node completed.")
    node_name: str
    next_node_seq: int | None
    next_node_name: str | None
    next_stage: str | None = Field(description="The next node's funnel stage key, if it declares one.")
    line: str | None = Field(description="The reference line to say next (the next node's first script line).")
    lines: list[str] = Field(description="Every script line of the next node.")
    skipped: list[int] = Field(description="Nodes between the visitor's previous node and this one that were not completed.")
    cases: list[StoreCase]
    note: str

    def routing_key(self) -> str:
        """`store.prompt.<store_id>`: a store's guide app subscribes to its own store."""
        return f"{self.name}.{self.store_id}"


class RadarDigestItem(BaseModel):
    """One customer of the manager's team on the weekly radar; null axes had no input that week (无数据)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    customer_id: int
    rep_id: int | None = Field(description="The customer's rep (crm_customers.owner_rep_id).")
    chain_coverage: float | None = Field(description="决策链覆盖度 0-1; null: no input in the week (无数据).")
    need_clarity: float | None = Field(description="需求明确度 0-1; null: no input in the week (无数据).")
    budget_match: float | None = Field(description="预算匹配度 0-1; null: no input in the week (无数据).")


class RadarWeekly(EventPayload):
    """The weekly radar of a manager's team is due (Friday 18:00 org time): one per manager and ISO week.
    The built-in notifier posts it to the manager's robot as one digest."""

    name: ClassVar[str] = "radar.weekly"
    routing_pattern: ClassVar[str] = "radar.weekly.<manager_id>"

    digest_id: int = Field(description="ap_radar_digests.id: one per manager and week; de-duplicate deliveries on it.")
    manager_id: int = Field(description="crm_users.id of the reps' manager, the recipient.")
    week: str = Field(description="ISO week, e.g. 2026-W12.")
    customers: list[RadarDigestItem]

    def routing_key(self) -> str:
        """`radar.weekly.<manager_id>`."""
        return f"{self.name}.{self.manager_id}"


class CustomerAddressSuggested(EventPayload):
    """A manager resolved an alert as 客户临时改址 with the new position: the CRM may update the customer's
    address (actionproof never writes crm_* rows). Meanwhile the position is an alternative site."""

    name: ClassVar[str] = "customer.address.suggested"
    routing_pattern: ClassVar[str] = "customer.address.suggested"

    customer_id: int = Field(description="crm_customers.id")
    alt_site_id: int = Field(description="ap_alt_sites.id")
    lat: float
    lon: float
    datum: Literal["wgs84", "gcj02", "bd09"]
    alert_id: int = Field(description="The resolved alert (ap_alerts.id).")
    action_id: int = Field(description="The action that was flagged there.")
    suggested_by: int = Field(description="crm_users.id of the manager who resolved it.")
    valid_until: Instant = Field(description="Check-ins and photos there pass the distance rules until then.")


EVENTS: dict[str, type[EventPayload]] = {
    m.name: m for m in (ActionVerified, AlertCreated, AlertOverdue, AlertEscalated, SuggestionUpdated, CqiUpdated,
                        PlanIncomplete, StageGatePassed, StageGateBlocked, StorePrompt, RadarWeekly,
                        CustomerAddressSuggested)
}


@cache
def event_model(payload: type[EventPayload]) -> type[BaseModel]:
    """The event as published: envelope fields first, then the payload's."""
    # Bases are collected last to first, so listing the envelope last puts its fields first.
    return create_model(f"{payload.__name__}Event", __base__=(payload, EventEnvelope), __doc__=payload.__doc__)


def payload_model(routing_key: str) -> type[EventPayload]:
    """The payload model of a routing key (alert.created.12 → AlertCreated); KeyError if unknown."""
    if routing_key in EVENTS:
        return EVENTS[routing_key]
    name = routing_key.rsplit(".", 1)[0]  # the last part is the addressee
    model = EVENTS.get(name)
    if model is None or model.routing_pattern == model.name:
        raise KeyError(routing_key)
    return model


def parse_event(routing_key: str, body: dict[str, Any]) -> BaseModel:
    """Validate a received event against its schema (for consumers written in Python, and tests)."""
    event = event_model(payload_model(routing_key)).model_validate(body)
    if event.event != routing_key:
        raise ValueError(f"event {event.event!r} published with routing key {routing_key!r}")
    if isinstance(event, EventPayload) and event.routing_key() != routing_key:
        raise ValueError(f"routing key {routing_key!r} does not match the payload ({event.routing_key()!r})")
    return event
