"""`store.node.completed/1`: a guide completed a node with a visitor; answer with the next node's
reference line and similar won cases (`ap_store_prompts`, `store.prompt.<store_id>`)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from models import ApStorePrompt, CrmStore, CrmStoreEvent
from queues.events import StoreCase, StorePrompt
from queues.schemas import StoreNodeCompleted
from scoring.store_prompt import PromptError, next_prompt

from ..consumer import JobContext, utcnow
from ..errors import Failed, not_found
from ..stores import chain_stores, store_nodes, visitor_steps, won_visits


def handle_store_node_completed(ctx: JobContext, msg: StoreNodeCompleted) -> dict[str, Any]:
    s, settings = ctx.session, ctx.settings
    event = s.get(CrmStoreEvent, msg.store_event_id)
    store = s.get(CrmStore, event.store_id) if event is not None else None
    if event is None or store is None or store.org_id != msg.org_id:
        raise not_found(f"store event {msg.store_event_id} of org {msg.org_id}", settings.not_found_window_s)
    done = s.scalar(select(ApStorePrompt).where(ApStorePrompt.store_event_id == event.id))
    if done is not None:
        # The same completion sent again (a new job id): it was answered once; nothing is shown twice.
        return {"prompt_id": done.id, "status": done.status, "duplicate_of": done.job_id}
    if not (event.visitor_id or "").strip():
        raise Failed("invalid_store_event", f"store event {event.id} of {store.name} has no visitor id")
    nodes, source = store_nodes(s, store)
    steps = visitor_steps(s, store.id, event.visitor_id, event.id)
    # The visitor's product and objection so far: this completion's, else the latest noted before it.
    earlier = sorted((x for x in steps if x[0].at <= event.at), key=lambda x: x[0].at)
    product = event.product or next((p for _, p, _ in reversed(earlier) if p), None)
    objection = event.objection or next((o for _, _, o in reversed(earlier) if o), None)
    stores = [s.get(CrmStore, sid) for sid in chain_stores(s, store)]
    since = event.at - dt.timedelta(days=settings.store_case_days)
    past = [p for p in won_visits(s, stores, event.at, since, settings.store_case_visitors)
            if not (p.store_id == store.id and p.visitor_id == event.visitor_id)]
    try:
        prompt = next_prompt(nodes, event.node_seq, event.at, [x[0] for x in steps], product=product,
                             objection=objection, store_id=store.id, past=past, max_cases=settings.store_cases)
    except PromptError as e:
        raise Failed("invalid_store_event", f"{store.name} (store {store.id}), store event {event.id}: {e} "
                                            f"— nodes from {source}") from None
    row = ApStorePrompt(org_id=store.org_id, job_id=ctx.job_id, store_id=store.id, store_event_id=event.id,
                        visitor_id=event.visitor_id, node_seq=event.node_seq, status=prompt.status,
                        next_node_seq=prompt.next_seq, line=prompt.line, body=prompt.to_json(),
                        completed_at=event.at, created_at=utcnow())
    s.add(row)
    s.flush()
    if prompt.status != "stale":
        # A stale prompt is kept (nothing lost) but not shown: the guide is already past that node.
        body = prompt.to_json()
        payload = StorePrompt(prompt_id=row.id, store_id=store.id, store_event_id=event.id,
                              visitor_id=event.visitor_id, status=prompt.status, node_seq=prompt.node_seq,
                              node_name=prompt.node_name, next_node_seq=prompt.next_seq,
                              next_node_name=prompt.next_name, next_stage=prompt.next_stage, line=prompt.line,
                              lines=list(prompt.lines), skipped=list(prompt.skipped),
                              cases=[StoreCase(**c) for c in body["cases"]], note=prompt.note)
        ctx.emit(store.org_id, payload.routing_key(), payload.body())
    return {"prompt_id": row.id, "status": prompt.status, "next_node_seq": prompt.next_seq,
            "cases": len(prompt.cases)}
