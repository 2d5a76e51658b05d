"""Each industry pack's sales stages, in order, with the checklist that gates entering each one.

The data lives in `<pack id>.json` beside this file (or in the folder `ACTIONPROOF_STAGES_DIR`
names), apart from nlp/packs/*.json so stage lists change without touching the language packs.
A pack without a file of its own uses `base.json`. Format and semantics: docs/contract.md,
"Stage gates".
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BASE = "base"
EVIDENCE_KINDS = ("photo", "attachment", "message", "voice", "fact")
FACTS = ("took_part", "budget", "need", "quote")
ROLES = ("decision_maker", "procurement", "technical", "finance", "user", "approver", "other")


class StageError(ValueError):
    """A stage file that cannot be used: the message names the file and the place."""


@dataclass(frozen=True)
class EvidenceRule:
    """One way an item can be met; an item is met when any of its rules is."""

    kind: str  # photo / attachment / message / voice / fact
    attachment_kinds: tuple[str, ...] = ()
    # All groups must match, each by any of its words: (("账期",), ("确认", "同意")) = 账期 and a yes.
    terms: tuple[tuple[str, ...], ...] = ()
    sender: str | None = None  # messages: customer / rep; None: either
    fact: str | None = None  # took_part / budget / need / quote
    roles: tuple[str, ...] = ()  # took_part: any of these roles
    action_types: tuple[str, ...] = ()  # photos: only of these action types; empty: any


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    name: str
    rules: tuple[EvidenceRule, ...]


@dataclass(frozen=True)
class Stage:
    id: str
    checklist: tuple[ChecklistItem, ...]


@dataclass(frozen=True)
class StageList:
    pack: str
    stages: tuple[Stage, ...]

    def names(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.stages)

    def index(self, stage_id: str) -> int | None:
        return next((i for i, s in enumerate(self.stages) if s.id == stage_id), None)


def _strings(value: Any, where: str, allowed: tuple[str, ...] | None = None) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(x, str) and x.strip() for x in value):
        raise StageError(f"{where} must be a list of non-empty strings")
    bad = [x for x in value if allowed is not None and x not in allowed]
    if bad:
        raise StageError(f"{where}: unknown {bad} (known: {', '.join(allowed or ())})")
    return tuple(value)


def _rule(raw: Any, where: str) -> EvidenceRule:
    if not isinstance(raw, dict):
        raise StageError(f"{where} must be an object")
    known = {"kind", "attachment_kinds", "terms", "sender", "fact", "roles", "action_types"}
    if set(raw) - known:
        raise StageError(f"{where} has unknown field(s) {sorted(set(raw) - known)}")
    kind = raw.get("kind")
    if kind not in EVIDENCE_KINDS:
        raise StageError(f"{where}.kind {kind!r} is not one of {', '.join(EVIDENCE_KINDS)}")
    terms_raw = raw.get("terms", [])
    if not isinstance(terms_raw, list):
        raise StageError(f"{where}.terms must be a list of word lists")
    terms = tuple(_strings(g, f"{where}.terms[{i}]") for i, g in enumerate(terms_raw))
    rule = EvidenceRule(kind=kind, attachment_kinds=_strings(raw.get("attachment_kinds", []), f"{where}.attachment_kinds"),
                        terms=terms, sender=raw.get("sender"), fact=raw.get("fact"),
                        roles=_strings(raw.get("roles", []), f"{where}.roles", ROLES),
                        action_types=_strings(raw.get("action_types", []), f"{where}.action_types"))
    if kind == "attachment" and not rule.attachment_kinds:
        raise StageError(f"{where}: an attachment rule needs attachment_kinds")
    if kind in ("message", "voice") and not rule.terms:
        raise StageError(f"{where}: a {kind} rule needs terms")
    if rule.sender not in (None, "customer", "rep"):
        raise StageError(f"{where}.sender must be customer or rep")
    if kind == "fact" and rule.fact not in FACTS:
        raise StageError(f"{where}.fact {rule.fact!r} is not one of {', '.join(FACTS)}")
    return rule


def parse_stages(data: Any, source: str = "stages") -> StageList:
    """Validate one stage file's JSON; StageError says what is wrong and where."""
    if not isinstance(data, dict) or not isinstance(data.get("pack"), str) or not isinstance(data.get("stages"), list):
        raise StageError(f"{source}: needs an object with 'pack' (string) and 'stages' (list)")
    if not data["stages"]:
        raise StageError(f"{source}: the stage list is empty")
    stages, seen_stages, seen_items = [], set(), set()
    for i, st in enumerate(data["stages"]):
        where = f"{source}: stages[{i}]"
        if not isinstance(st, dict) or not isinstance(st.get("id"), str) or not st["id"].strip():
            raise StageError(f"{where} needs an 'id' (the stage's name as the CRM shows it)")
        if st["id"] in seen_stages:
            raise StageError(f"{where}: stage {st['id']!r} is listed twice")
        seen_stages.add(st["id"])
        items = []
        for j, it in enumerate(st.get("checklist", [])):
            w = f"{where}.checklist[{j}]"
            if not isinstance(it, dict) or not all(isinstance(it.get(k), str) and it[k].strip() for k in ("id", "name")):
                raise StageError(f"{w} needs 'id' and 'name'")
            if it["id"] in seen_items:
                raise StageError(f"{w}: item id {it['id']!r} is used twice in the pack")
            seen_items.add(it["id"])
            rules = it.get("evidence")
            if not isinstance(rules, list) or not rules:
                raise StageError(f"{w} needs at least one 'evidence' rule")
            items.append(ChecklistItem(it["id"], it["name"], tuple(_rule(r, f"{w}.evidence[{k}]")
                                                                    for k, r in enumerate(rules))))
        stages.append(Stage(st["id"], tuple(items)))
    return StageList(data["pack"], tuple(stages))


@lru_cache(maxsize=64)
def _load(path: Path, mtime: float) -> StageList:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise StageError(f"{path}: cannot be read as JSON ({e})") from None
    return parse_stages(data, path.name)


def load_stages(pack: str | None, directory: Path | None = None) -> StageList:
    """The stage list of an industry pack (its own file, else base.json) from `directory` or the shipped one."""
    folder = directory or HERE
    name = pack if pack and all(c.isalnum() or c == "_" for c in pack) else BASE
    path = folder / f"{name}.json"
    if not path.is_file():
        path = folder / f"{BASE}.json"
    if not path.is_file():
        raise StageError(f"no stage list for pack {name!r} and no {BASE}.json in {folder}")
    # Keyed on the file's mtime: an edited file is read again without restarting the worker.
    return _load(path, path.stat().st_mtime)


def shipped_packs() -> list[str]:
    return sorted(p.stem for p in HERE.glob("*.json"))
