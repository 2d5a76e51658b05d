"""In-store prompts: after a guide completes a node, the next node's reference line and up to two
similar won cases (docs/contract.md, "In-store prompts").

* The **reference line** is the first of the next node's script lines (`crm_store_nodes.script_lines`):
  the store's script library lists the line to say first; the others come along as `lines`.
* **Next node** = the store's node after the completed one, in `seq` order. The last node has none
  (`status` `last_node`).
* **Out of order**: when the visitor already completed a later node at a later time than this
  completion, the guide has moved on — the prompt is `stale` (kept, not shown).
* **Similar won cases**: earlier visitors of this store or its chain who reached a 成交 node. A case
  matches on the same objection, the same product, or a path that contains this visitor's path so
  far; ranked by how many of the three match, then by how much of the path they share, then this
  store before the chain's others, then the most recent. Cases matching nothing are not offered.
"""
from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

Ref = str | int

PROMPT_STATES = ("next", "last_node", "stale")


@dataclass(frozen=True)
class PromptNode:
    seq: int
    name: str
    stage: str | None  # funnel stage key (scoring.funnel.stage_key), None: no stage
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Step:
    """One node the visitor completed."""

    node_seq: int
    at: dt.datetime


@dataclass(frozen=True)
class PastVisit:
    """An earlier visitor of the store or chain, as far as the cases need: path, product, objection, won."""

    store_id: Ref
    visitor_id: str
    path: tuple[str, ...]  # node names in the order completed
    product: str | None
    objection: str | None
    won_at: dt.datetime | None  # when they reached a 成交 node; None: did not buy


@dataclass(frozen=True)
class SimilarCase:
    store_id: Ref
    visitor_id: str
    won_at: dt.datetime
    matched: tuple[str, ...]  # objection / product / path
    path_share: float  # this visitor's path found in theirs, 0…1
    product: str | None
    objection: str | None
    path: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"store_id": self.store_id, "visitor_id": self.visitor_id, "won_at": self.won_at.isoformat(),
                "matched": list(self.matched), "path_share": round(self.path_share, 3), "product": self.product,
                "objection": self.objection, "path": list(self.path)}


@dataclass(frozen=True)
class Prompt:
    status: str  # next / last_node / stale
    node_seq: int
    node_name: str
    next_seq: int | None
    next_name: str | None
    next_stage: str | None
    line: str | None  # the reference line to say next
    lines: tuple[str, ...]  # every script line of the next node
    skipped: tuple[int, ...]  # nodes between the visitor's last one and this one with no completion
    cases: tuple[SimilarCase, ...]
    note: str

    def to_json(self) -> dict[str, Any]:
        return {"status": self.status, "node_seq": self.node_seq, "node_name": self.node_name,
                "next_node_seq": self.next_seq, "next_node_name": self.next_name, "next_stage": self.next_stage,
                "line": self.line, "lines": list(self.lines), "skipped": list(self.skipped),
                "cases": [c.to_json() for c in self.cases], "note": self.note}


class PromptError(ValueError):
    """The completion cannot be answered: the node is not one of the store's."""


def fold(text: str | None) -> str | None:
    """Width-, case- and space-insensitive form for comparing products and objections."""
    if text is None:
        return None
    folded = "".join(unicodedata.normalize("NFKC", text).lower().split())
    return folded or None


def path_share(mine: Sequence[str], theirs: Sequence[str]) -> float:
    """Share of `mine` found in `theirs` in the same order: longest common subsequence ÷ len(mine)."""
    if not mine:
        return 0.0
    row = [0] * (len(theirs) + 1)
    for a in mine:
        prev_diag = 0
        for j, b in enumerate(theirs, start=1):
            keep = row[j]
            row[j] = prev_diag + 1 if a == b else max(row[j], row[j - 1])
            prev_diag = keep
    return row[-1] / len(mine)


def similar_cases(path: Sequence[str], product: str | None, objection: str | None, store_id: Ref,
                  past: Iterable[PastVisit], limit: int = 2) -> tuple[SimilarCase, ...]:
    want_product, want_objection = fold(product), fold(objection)
    ranked = []
    for visit in past:
        if visit.won_at is None:
            continue
        matched = []
        if want_objection and fold(visit.objection) == want_objection:
            matched.append("objection")
        if want_product and fold(visit.product) == want_product:
            matched.append("product")
        share = path_share(path, visit.path)
        # A shared first node alone (everyone enters) is no likeness: the path must go past it.
        if len(path) > 1 and share == 1.0:
            matched.append("path")
        if not matched:
            continue
        case = SimilarCase(visit.store_id, visit.visitor_id, visit.won_at, tuple(matched), share, visit.product,
                           visit.objection, visit.path)
        ranked.append(((-len(matched), -share, visit.store_id != store_id, -visit.won_at.timestamp()), case))
    ranked.sort(key=lambda r: r[0])
    return tuple(c for _, c in ranked[:max(0, limit)])


def next_prompt(nodes: Sequence[PromptNode], completed_seq: int, completed_at: dt.datetime,
                earlier: Iterable[Step], *, product: str | None = None, objection: str | None = None,
                store_id: Ref = "", past: Iterable[PastVisit] = (), max_cases: int = 2) -> Prompt:
    """What the guide says next after the visitor completed node `completed_seq` at `completed_at`.

    `earlier`: the visitor's other completions in this store (any time); `past`: earlier visitors of
    this store and its chain. Raises PromptError for a node the store does not have.
    """
    ordered = sorted(nodes, key=lambda n: n.seq)
    position = {n.seq: i for i, n in enumerate(ordered)}
    if completed_seq not in position:
        known = ", ".join(f"{n.seq} {n.name}" for n in ordered) or "none"
        raise PromptError(f"node {completed_seq} is not one of the store's nodes ({known})")
    here = position[completed_seq]
    node = ordered[here]
    steps = [s for s in earlier if s.node_seq in position]
    later = [s for s in steps if position[s.node_seq] > here and s.at > completed_at]
    before = sorted((s for s in steps if s.at <= completed_at and s.node_seq != completed_seq),
                    key=lambda s: s.at)
    path = tuple(dict.fromkeys([ordered[position[s.node_seq]].name for s in before] + [node.name]))
    furthest = max((position[s.node_seq] for s in before), default=-1)
    done = {position[s.node_seq] for s in before}
    skipped = tuple(ordered[i].seq for i in range(furthest + 1, here) if i not in done)
    if later:
        last = max(later, key=lambda s: position[s.node_seq])
        name = ordered[position[last.node_seq]].name
        return Prompt("stale", node.seq, node.name, None, None, None, None, (), skipped, (),
                      f"顾客已在 {last.at.isoformat()} 完成「{name}」，本条提示已过时")
    if here == len(ordered) - 1:
        return Prompt("last_node", node.seq, node.name, None, None, None, None, (), skipped, (),
                      f"「{node.name}」是本店最后一个节点")
    nxt = ordered[here + 1]
    cases = similar_cases(path, product, objection, store_id, past, max_cases)
    note = f"下一步「{nxt.name}」" + (f"；跳过了节点 {', '.join(map(str, skipped))}" if skipped else "")
    if not nxt.lines:
        note += "；该节点话术库为空"
    return Prompt("next", node.seq, node.name, nxt.seq, nxt.name, nxt.stage, nxt.lines[0] if nxt.lines else None,
                  nxt.lines, skipped, cases, note)
