"""Stage gates: a requested stage change against the checklists it must pass, item by item.

Plain values in (the stage list, the customer's evidence already read from the database),
a frozen decision out. Semantics: docs/contract.md, "Stage gates".
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from nlp.pinyin import VocabularyMatcher

from .stages import ChecklistItem, EvidenceRule, Stage, StageList


class GateError(ValueError):
    """A request that names no usable stage change; the message is for the person who asked."""


@dataclass(frozen=True)
class PhotoFact:
    """A photo of one of the customer's actions, with its photo time and distance checks (None: not judged)."""

    photo_id: int
    action_id: int
    action_type: str
    at: dt.datetime
    time_ok: bool | None
    distance_ok: bool | None
    failed: tuple[str, ...] = ()  # e.g. "photo_distance_m=1840 (too_far)"


@dataclass(frozen=True)
class AttachmentFact:
    attachment_id: int
    kind: str
    at: dt.datetime
    problem: str | None = None  # why the file does not count (missing, outside the media root …)


@dataclass(frozen=True)
class TextFact:
    """A message (typed) or a voice note / call transcript (`voice`), with who wrote or said it."""

    ref: str  # message:<id> / transcript:<id>
    kind: str  # message / voice
    sender: str | None
    text: str
    at: dt.datetime


@dataclass(frozen=True)
class Fact:
    """A fact the analysis extracted or the CRM recorded: took_part (with role), budget, need, quote."""

    ref: str  # mention:<id> / money:<id> / need:<id> / quote:<id>
    kind: str
    at: dt.datetime
    role: str | None = None


@dataclass(frozen=True)
class Evidence:
    photos: tuple[PhotoFact, ...] = ()
    attachments: tuple[AttachmentFact, ...] = ()
    texts: tuple[TextFact, ...] = ()
    facts: tuple[Fact, ...] = ()


@dataclass(frozen=True)
class ItemResult:
    stage: str
    id: str
    name: str
    state: str  # met / missing
    reason: str
    evidence: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"stage": self.stage, "id": self.id, "name": self.name, "state": self.state, "reason": self.reason,
                "evidence": list(self.evidence)}


@dataclass(frozen=True)
class GateDecision:
    status: str  # passed / blocked
    from_stage: str | None
    target_stage: str
    stages_checked: tuple[str, ...]
    items: tuple[ItemResult, ...]
    note: str

    @property
    def missing(self) -> tuple[ItemResult, ...]:
        return tuple(i for i in self.items if i.state != "met")


def stages_to_check(stages: StageList, current: str | None, target: str) -> tuple[Stage, ...]:
    """The stages whose checklists a move from `current` to `target` must pass.

    Forward: every stage after the current one up to and including the target (a skipped stage's
    evidence is still owed). Backwards: none. An unknown current stage: the target's own only.
    """
    t = stages.index(target)
    if t is None:
        raise GateError(f"stage {target!r} is not a stage of pack {stages.pack} "
                        f"(its stages: {' → '.join(stages.names())})")
    c = stages.index(current) if current else 0
    if current and c is None:
        return (stages.stages[t],)
    if c == t:
        raise GateError(f"the customer is already at stage {target!r}")
    return stages.stages[c + 1:t + 1] if t > c else ()


@lru_cache(maxsize=256)
def _matcher(words: tuple[str, ...]) -> VocabularyMatcher:
    return VocabularyMatcher(words)


def says(text: str, terms: tuple[tuple[str, ...], ...]) -> bool:
    """Every group of `terms` is in the text by one of its words, as written or as a homophone
    (a transcript's 张期 is 账期), compared by toneless pinyin."""
    words = tuple(sorted({w for g in terms for w in g}))
    corrected, _ = _matcher(words).correct(text)
    return all(any(w in text or w in corrected for w in group) for group in terms)


def _judge_rule(rule: EvidenceRule, ev: Evidence) -> tuple[tuple[str, ...], str]:
    """(evidence ids meeting the rule, why not when there are none)."""
    if rule.kind == "photo":
        photos = [p for p in ev.photos if not rule.action_types or p.action_type in rule.action_types]
        good = [p for p in photos if p.time_ok and p.distance_ok]
        if good:
            return tuple(f"photo:{p.photo_id}" for p in good), ""
        if not photos:
            return (), "no photo of this customer"
        bad = [f"photo {p.photo_id} " + ("not verified yet" if p.time_ok is None or p.distance_ok is None
                                        else "fails " + ", ".join(p.failed or ("its time or distance check",)))
               for p in photos[:3]]
        return (), "; ".join(bad)
    if rule.kind == "attachment":
        mine = [a for a in ev.attachments if a.kind in rule.attachment_kinds]
        good = [a for a in mine if a.problem is None]
        if good:
            return tuple(f"attachment:{a.attachment_id}" for a in good), ""
        kinds = " or ".join(rule.attachment_kinds)
        if not mine:
            return (), f"no {kinds} attachment"
        return (), "; ".join(f"attachment {a.attachment_id} ({a.kind}): {a.problem}" for a in mine[:3])
    if rule.kind in ("message", "voice"):
        texts = [t for t in ev.texts if t.kind == rule.kind and (rule.sender is None or t.sender == rule.sender)]
        good = [t for t in texts if says(t.text, rule.terms)]
        if good:
            return tuple(t.ref for t in good), ""
        who = f"{rule.sender} " if rule.sender else ""
        what = " + ".join("/".join(g) for g in rule.terms)
        where = "message" if rule.kind == "message" else "voice note or call"
        return (), f"no {who}{where} saying {what}" + (f" (of {len(texts)} read)" if texts else "")
    # fact
    facts = [f for f in ev.facts if f.kind == rule.fact and (not rule.roles or f.role in rule.roles)]
    if facts:
        return tuple(f.ref for f in facts), ""
    label = {"took_part": "no " + ("/".join(rule.roles) + " " if rule.roles else "") + "person of the customer took part",
             "budget": "no customer budget said", "need": "no customer need stated",
             "quote": "no quote recorded"}[rule.fact or ""]
    return (), label


def judge_item(stage: str, item: ChecklistItem, ev: Evidence) -> ItemResult:
    """Met when any of the item's evidence rules is; the reason names what was found or what is missing."""
    reasons = []
    for rule in item.rules:
        ids, why = _judge_rule(rule, ev)
        if ids:
            shown = ", ".join(ids[:3]) + (f" and {len(ids) - 3} more" if len(ids) > 3 else "")
            return ItemResult(stage, item.id, item.name, "met", f"{rule.kind}: {shown}", ids)
        reasons.append(why)
    return ItemResult(stage, item.id, item.name, "missing", "; ".join(reasons), ())


def decide(stages: StageList, current: str | None, target: str, ev: Evidence) -> GateDecision:
    """Passed when every item of every stage to check is met; GateError for a request naming no change."""
    to_check = stages_to_check(stages, current, target)
    items = tuple(judge_item(st.id, item, ev) for st in to_check for item in st.checklist)
    blocked = any(i.state != "met" for i in items)
    if not to_check:
        note = f"a move back from {current} to {target} needs no evidence"
    elif blocked:
        note = f"{sum(i.state != 'met' for i in items)} of {len(items)} items missing"
    else:
        note = f"all {len(items)} items met"
    return GateDecision("blocked" if blocked else "passed", current, target, tuple(s.id for s in to_check), items, note)


def window_start(now: dt.datetime, days: float) -> dt.datetime:
    """Evidence before this instant no longer counts for a gate."""
    return now - dt.timedelta(days=days)
