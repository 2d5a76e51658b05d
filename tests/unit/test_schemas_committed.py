"""docs/schemas/ is what the models generate, and what the code emits matches it."""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from queues.events import EVENTS, AlertCreated, AlertEscalated, event_model, parse_event, payload_model
from queues.schemas import SCHEMAS, parse_message
from workers.cli import main as cli_main
from workers.cli_schema import all_schemas, write_schemas

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "docs" / "schemas"
CONTRACT = ROOT / "docs" / "contract.md"


def _normalised(value: Any) -> Any:
    """Parsed JSON with `required` lists sorted: their order carries no meaning."""
    if isinstance(value, dict):
        return {k: sorted(v) if k == "required" and isinstance(v, list) else _normalised(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalised(v) for v in value]
    return value


def _files(folder: Path) -> dict[str, Any]:
    return {p.relative_to(folder).as_posix(): _normalised(json.loads(p.read_text(encoding="utf-8")))
            for p in sorted(folder.rglob("*.json"))}


def _committed_schema(rel: str) -> dict[str, Any]:
    return json.loads((COMMITTED / rel).read_text(encoding="utf-8"))


def _problems(schema: dict[str, Any], value: Any, where: str = "$") -> list[str]:
    """The subset of JSON Schema the committed files use, enough to catch a drifted field."""
    if "anyOf" in schema:
        if all(_problems(s, value, where) for s in schema["anyOf"]):
            return [f"{where}: matches none of anyOf"]
        return []
    if "const" in schema and value != schema["const"]:
        return [f"{where}: {value!r} != const {schema['const']!r}"]
    if "enum" in schema and value not in schema["enum"]:
        return [f"{where}: {value!r} not in enum"]
    kinds = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "array": list,
             "object": dict, "null": type(None)}
    kind = schema.get("type")
    if kind and (not isinstance(value, kinds[kind]) or (kind in ("integer", "number") and isinstance(value, bool))):
        return [f"{where}: {value!r} is not {kind}"]
    if schema.get("format") == "date-time" and dt.datetime.fromisoformat(value).utcoffset() is None:
        return [f"{where}: {value!r} has no offset"]
    out = []
    if kind == "array":
        for i, item in enumerate(value):
            out += _problems(schema.get("items", {}), item, f"{where}[{i}]")
    if kind == "object":
        props = schema.get("properties", {})
        out += [f"{where}: missing {k}" for k in schema.get("required", []) if k not in value]
        if schema.get("additionalProperties") is False:
            out += [f"{where}: unexpected {k}" for k in value if k not in props]
        for k, v in value.items():
            if k in props:
                out += _problems(props[k], v, f"{where}.{k}")
    return out


def test_committed_schemas_are_what_the_models_generate(tmp_path: Path) -> None:
    write_schemas(tmp_path)
    generated, committed = _files(tmp_path), _files(COMMITTED)
    missing, extra = sorted(set(generated) - set(committed)), sorted(set(committed) - set(generated))
    assert not missing and not extra, (f"docs/schemas/ is out of date (missing {missing}, extra {extra}): "
                                       "run `actionproof schema`")
    stale = [rel for rel in generated if generated[rel] != committed[rel]]
    assert not stale, f"docs/schemas/ differs from the models in {stale}: run `actionproof schema`"


def test_one_schema_file_per_message_and_event() -> None:
    names = {s["title"] for s in all_schemas().values()}
    assert names == set(SCHEMAS) | set(EVENTS)


def test_schema_command_writes_the_files_and_drops_stale_ones(tmp_path: Path, capsys) -> None:
    stale = tmp_path / "events" / "gone.json"
    stale.parent.mkdir(parents=True)
    stale.write_text("{}", encoding="utf-8")
    assert cli_main(["schema", "--out", str(tmp_path)]) == 0
    assert not stale.exists()
    assert len(capsys.readouterr().out.splitlines()) == len(SCHEMAS) + len(EVENTS)
    schema = json.loads((tmp_path / "messages" / "action.submitted.v1.json").read_text(encoding="utf-8"))
    assert schema["properties"]["schema"]["const"] == "action.submitted/1" and schema["x-queue"] == "verify"
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def _contract_examples() -> list[dict[str, Any]]:
    return [json.loads(block) for block in re.findall(r"```json\n(.*?)```", CONTRACT.read_text(encoding="utf-8"),
                                                        re.S)]


def test_the_contract_examples_are_valid() -> None:
    """Every JSON example in docs/contract.md passes the workers' validation and its committed schema."""
    examples = _contract_examples()
    assert {e["schema"] for e in examples if "schema" in e} == set(SCHEMAS)
    for example in examples:
        if "schema" in example:
            parse_message(example)
            rel = f"messages/{example['schema'].replace('/', '.v')}.json"
        else:
            rel = f"events/{parse_event(example['event'], example).name}.json"
        assert _problems(_committed_schema(rel), example) == [], rel


def test_alert_payloads_keep_their_wire_format() -> None:
    due = dt.datetime(2026, 3, 4, 4, 12, 7, 498112, tzinfo=dt.timezone.utc)
    created = AlertCreated(alert_id=1, action_id=2, rep_id=3, manager_id=None, due_at=due, reasons=["x"])
    # The offset stays +00:00 (not pydantic's Z), as consumers have always parsed it.
    assert created.body() == {"alert_id": 1, "action_id": 2, "rep_id": 3, "manager_id": None,
                              "due_at": "2026-03-04T04:12:07.498112+00:00", "reasons": ["x"]}
    assert created.routing_key() == "alert.created.unassigned"
    up = AlertEscalated(**{**created.body(), "manager_id": 7}, escalated_to=9)
    assert up.routing_key() == "alert.escalated.9" and payload_model("alert.escalated.9") is AlertEscalated
    with pytest.raises(KeyError):
        payload_model("action.verified.7")
    with pytest.raises(ValueError):
        parse_event("alert.created.8", {"event": "alert.created.8", "event_id": "ev-1", "org_id": "o",
                                        "sent_at": "2026-03-04T02:00:00+00:00", **up.body()})


class _Recorder:
    """Stands in for the broker: keeps what the outbox publishes."""

    def __init__(self) -> None:
        self.events: list[tuple[str, dict[str, Any]]] = []

    def publish_event(self, routing_key: str, body: dict[str, Any]) -> None:
        self.events.append((routing_key, json.loads(json.dumps(body))))

    def publish_job(self, body: dict[str, Any]) -> None:
        pass


def test_events_the_workers_emit_match_their_committed_schemas(embedded) -> None:
    """Verification, the overdue sweep and scoring emit through the outbox; each event is checked."""
    from queues.schemas import ActionSubmitted, CustomerChanged
    from tests.support import prepared, seed_world
    from workers import outbox
    from workers.consumer import JobContext
    from workers.handlers.score import handle_customer_changed
    from workers.handlers.verify_action import handle_action_submitted
    from workers.sweep import mark_overdue

    sessions = prepared(embedded)
    world = seed_world(sessions, embedded)
    action = world.visit(sessions, checkin_north_m=1800)  # pending: alert.created too
    now = dt.datetime.now(dt.timezone.utc)
    envelope = {"org_id": world.org_id, "sent_at": now}
    ids = []
    with sessions() as s, s.begin():
        ctx = JobContext(session=s, settings=embedded, job_id="verify-1")
        handle_action_submitted(ctx, ActionSubmitted(schema="action.submitted/1", job_id="verify-1", action_id=action,
                                                     **envelope))
        ctx2 = JobContext(session=s, settings=embedded, job_id="score-1")
        handle_customer_changed(ctx2, CustomerChanged(schema="customer.changed/1", job_id="score-1",
                                                      customer_id=world.customer_id, reason="test", **envelope))
        s.flush()
        ids = [r.id for r in ctx.outbox_ids + ctx2.outbox_ids]
    ids += mark_overdue(sessions, embedded, now=now + dt.timedelta(hours=3)).outbox_ids
    # A red plan item (plan.incomplete) and two gate decisions: blocked, and a move back that passes.
    from models import CrmCustomer, CrmDailyPlan
    from queues.schemas import StageRequested
    from workers.handlers.gate import handle_stage_requested
    from workers.plans import check_plans

    day = dt.date(2026, 3, 2)
    with sessions() as s, s.begin():
        s.add(CrmDailyPlan(org_id=world.org_id, rep_id=world.rep_id, plan_date=day, seq=1,
                           customer_id=world.customer_id, action_type="报价", target="发正式报价"))
        s.get(CrmCustomer, world.customer_id).stage = "需求确认"
    ids += check_plans(sessions, embedded, now=dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.timezone.utc)).outbox_ids
    for n, target in enumerate(("方案报价", "初步接触")):
        with sessions() as s, s.begin():
            ctx3 = JobContext(session=s, settings=embedded, job_id=f"gate-{n}")
            handle_stage_requested(ctx3, StageRequested(schema="stage.requested/1", job_id=f"gate-{n}",
                                                        customer_id=world.customer_id, target_stage=target,
                                                        requested_by=world.rep_id, **envelope))
            s.flush()
            ids += [r.id for r in ctx3.outbox_ids]
    # A guide completes a node in a store: store.prompt.<store_id>.
    from models import CrmStore, CrmStoreEvent, CrmStoreNode
    from queues.schemas import StoreNodeCompleted
    from workers.handlers.store import handle_store_node_completed

    with sessions() as s, s.begin():
        store = CrmStore(org_id=world.org_id, name="西湖店", industry="mother_baby_retail")
        s.add(store)
        s.flush()
        s.add_all([CrmStoreNode(store_id=store.id, seq=1, name="迎宾进店", stage="进店", script_lines=["欢迎光临"]),
                   CrmStoreNode(store_id=store.id, seq=2, name="需求探询", stage="探询", script_lines=["宝宝多大了"])])
        event = CrmStoreEvent(store_id=store.id, visitor_id="v1", node_seq=1, at=now)
        s.add(event)
        s.flush()
        ctx4 = JobContext(session=s, settings=embedded, job_id="store-1")
        handle_store_node_completed(ctx4, StoreNodeCompleted(schema="store.node.completed/1", job_id="store-1",
                                                             store_event_id=event.id, **envelope))
        s.flush()
        ids += [r.id for r in ctx4.outbox_ids]
    # The manager resolves the alert as 客户临时改址 with the new position: customer.address.suggested.
    from models import ApAlert
    from queues.schemas import AlertResolved2
    from workers.handlers.resolve_alert import handle_alert_resolved

    with sessions() as s, s.begin():
        alert_id = s.scalar(select(ApAlert.id).where(ApAlert.action_id == action))
        ctx5 = JobContext(session=s, settings=embedded, job_id="resolve-1")
        handle_alert_resolved(ctx5, AlertResolved2(schema="alert.resolved/2", job_id="resolve-1", alert_id=alert_id,
                                                   resolution="客户临时改址", resolved_by=world.manager_id,
                                                   position={"lat": 30.29, "lon": 120.15, "datum": "gcj02"},
                                                   **envelope))
        s.flush()
        ids += [r.id for r in ctx5.outbox_ids]
    # Friday 18:05 in Shanghai: the manager's weekly radar digest.
    from workers.periodic import weekly_radar

    weekly_radar(sessions, embedded, dt.datetime(2026, 3, 13, 10, 5, tzinfo=dt.timezone.utc), ids)
    broker = _Recorder()
    assert outbox.flush(sessions, broker, ids=ids) == len(ids)

    seen = set()
    for routing_key, body in broker.events:
        event = parse_event(routing_key, body)
        assert type(event) is event_model(EVENTS[event.name])
        assert _problems(_committed_schema(f"events/{event.name}.json"), body) == [], routing_key
        seen.add(event.name)
    assert seen == set(EVENTS)
    keys = {k for k, _ in broker.events}
    assert {f"alert.created.{world.manager_id}", f"alert.overdue.{world.manager_id}",
            f"alert.escalated.{world.boss_id}", f"plan.incomplete.{world.manager_id}",
            f"stage.gate.blocked.{world.customer_id}", f"stage.gate.passed.{world.customer_id}"} <= keys
