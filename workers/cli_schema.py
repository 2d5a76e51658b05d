"""`actionproof schema`: JSON Schema files for every job message and event (docs/schemas/)."""
from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from .config import Settings

DRAFT = "https://json-schema.org/draft/2020-12/schema"
DEFAULT_OUT = Path("docs/schemas")
SUBDIRS = ("messages", "events")


def message_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of one job message, e.g. `action.submitted/1`, as the CRM must send it."""
    from queues.schemas import SCHEMAS

    model, queue = SCHEMAS[name]
    body = model.model_json_schema(by_alias=True, mode="validation")
    # One model class per schema name: the name itself is fixed, not any string.
    body["properties"]["schema"] = {**body["properties"]["schema"], "const": name}
    return {"$schema": DRAFT, "$id": f"urn:actionproof:message:{name}", **body, "title": name, "x-queue": queue}


def event_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of one event, e.g. `alert.created`, as it is published."""
    from queues.events import EVENTS, event_model

    payload = EVENTS[name]
    body = event_model(payload).model_json_schema(mode="validation")
    return {"$schema": DRAFT, "$id": f"urn:actionproof:event:{name}", **body, "title": name,
            "x-routing-key": payload.routing_pattern}


def all_schemas() -> dict[str, dict[str, Any]]:
    """Every schema file by its path relative to the output folder."""
    from queues.events import EVENTS
    from queues.schemas import SCHEMAS

    out = {f"messages/{name.replace('/', '.v')}.json": message_schema(name) for name in SCHEMAS}
    out.update({f"events/{name}.json": event_schema(name) for name in EVENTS})
    return out


def render(schema: dict[str, Any]) -> str:
    """The file text: stable, readable, UTF-8 (the resolution categories are Chinese)."""
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def write_schemas(out: Path) -> list[Path]:
    """Write every schema under `out` and remove stale ones there; returns the files written."""
    files = all_schemas()
    for sub in SUBDIRS:
        folder = out / sub
        folder.mkdir(parents=True, exist_ok=True)
        # A renamed or removed schema must not linger beside the current ones.
        for old in folder.glob("*.json"):
            if f"{sub}/{old.name}" not in files:
                old.unlink()
    written = []
    for rel, schema in files.items():
        path = out / rel
        path.write_text(render(schema), encoding="utf-8")
        written.append(path)
    return written


def cmd_schema(args: argparse.Namespace, settings: Settings) -> int:
    """Write the schema files and list them."""
    for path in write_schemas(Path(args.out)):
        print(path)
    return 0


def add_schema_command(subparsers: Any) -> argparse.ArgumentParser:
    """Register `schema` on the CLI's subparsers (workers/cli.py calls this)."""
    p = subparsers.add_parser("schema", help="write JSON Schema files for every job message and event")
    p.add_argument("--out", default=str(DEFAULT_OUT), help=f"output folder (default {DEFAULT_OUT}/)")
    p.set_defaults(func=cmd_schema)
    return p
