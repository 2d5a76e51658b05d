"""Store action funnel per store per day: entered → probed → recommended → objection handled → closed.

Input: `crm_store_events` rows (store_id, visitor_id, node_seq, at). A store's golden nodes
are ordered by `node_seq`, any number of them; each node declares the funnel stage it belongs
to (`crm_store_nodes.stage`), so several nodes may share a stage (需求探询 and 段数确认 are both
探询) and a node may belong to none (counted per node only). Without nodes of its own a store
gets the five default nodes, one per stage.

Counting (docs/scoring.md):
* a visitor belongs to the local day (org timezone) of their first event in the store, so a
  visit across midnight counts once;
* `reached` at a stage = visitors who completed that stage or any later one (a funnel never
  widens: a recorded 成交 without a recorded 推荐 still passed 推荐); `recorded` = visitors
  with an event for that very node, so skipped recordings stay visible;
* conversion[k] = reached[k] ÷ reached[k−1] (None when the earlier stage is empty);
  overall = reached[last] ÷ reached[first].
* per stage: a visitor reached a stage when they completed a node of that stage or of any later
  stage; `recorded` = visitors with an event at a node of that very stage.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable, Mapping, Sequence

import numpy as np

from .periods import DEFAULT_TIMEZONE, local_day

Ref = str | int

STAGES: tuple[tuple[str, str], ...] = (
    ("entered", "进店"),
    ("probed", "探询需求"),
    ("recommended", "推荐"),
    ("objection_handled", "异议处理"),
    ("closed", "成交"),
)
STAGE_KEYS = tuple(k for k, _ in STAGES)
# What a CRM may write in crm_store_nodes.stage (or name a node): the keys, the labels and the
# brief's short forms. Anything else is no funnel stage.
STAGE_ALIASES: dict[str, str] = {**{k: k for k in STAGE_KEYS}, **{label: k for k, label in STAGES},
                                 "探询": "probed", "需求探询": "probed", "异议": "objection_handled"}


def stage_key(value: str | None) -> str | None:
    """The funnel stage a declared value names (`probed`, `探询`, `探询需求` → probed), else None."""
    if value is None:
        return None
    return STAGE_ALIASES.get(value.strip())


@dataclass(frozen=True)
class StoreEvent:
    store_id: Ref
    visitor_id: Ref
    node_seq: int
    at: dt.datetime


@dataclass(frozen=True)
class StoreNode:
    seq: int
    name: str
    stage: str | None = None  # one of STAGES' keys, or None to use the node's name


@dataclass(frozen=True)
class StageCount:
    seq: int
    stage: str
    label: str
    reached: int
    recorded: int

    def to_json(self) -> dict[str, Any]:
        return {"seq": self.seq, "stage": self.stage, "label": self.label, "reached": self.reached,
                "recorded": self.recorded}


@dataclass(frozen=True)
class FunnelStage:
    """One of the five funnel stages on one store-day: visitors who reached it, and its nodes."""

    stage: str
    label: str
    reached: int
    recorded: int
    nodes: tuple[int, ...]  # the store's node seqs of this stage (empty: the store has none)

    def to_json(self) -> dict[str, Any]:
        return {"stage": self.stage, "label": self.label, "reached": self.reached, "recorded": self.recorded,
                "nodes": list(self.nodes)}


@dataclass(frozen=True)
class FunnelDay:
    store_id: Ref
    day: dt.date
    visitors: int
    stages: tuple[StageCount, ...]
    conversion: tuple[float | None, ...]  # stage k from stage k−1; first entry None
    overall: float | None
    unknown_nodes: tuple[int, ...] = ()  # node_seq values not among the store's nodes (ignored)
    funnel: tuple[FunnelStage, ...] = ()  # the five stages, from the nodes' declared stages
    unstaged_nodes: tuple[int, ...] = ()  # the store's nodes that declare no (known) stage

    def stage(self, key: str) -> FunnelStage | None:
        return next((f for f in self.funnel if f.stage == key), None)

    def to_json(self) -> dict[str, Any]:
        return {"store_id": self.store_id, "day": self.day.isoformat(), "visitors": self.visitors,
                "stages": [s.to_json() for s in self.stages], "conversion": list(self.conversion),
                "overall": self.overall, "unknown_nodes": list(self.unknown_nodes),
                "funnel": [f.to_json() for f in self.funnel], "unstaged_nodes": list(self.unstaged_nodes)}


def default_nodes() -> tuple[StoreNode, ...]:
    return tuple(StoreNode(i + 1, label, key) for i, (key, label) in enumerate(STAGES))


def funnel_by_store_day(events: Iterable[StoreEvent | tuple],
                        nodes_by_store: Mapping[Ref, Sequence[StoreNode]] | None = None,
                        timezone: str = DEFAULT_TIMEZONE) -> list[FunnelDay]:
    """One `FunnelDay` per store and local day with at least one visitor, sorted by store, day."""
    nodes_by_store = nodes_by_store or {}
    rows = [e if isinstance(e, StoreEvent) else StoreEvent(*e) for e in events]
    # visitor -> (first instant, set of node seqs), per store
    visits: dict[tuple[Ref, Ref], tuple[dt.datetime, set[int]]] = {}
    for e in rows:
        at = e.at if e.at.tzinfo else e.at.replace(tzinfo=dt.timezone.utc)
        key = (e.store_id, e.visitor_id)
        first, seqs = visits.get(key, (at, set()))
        seqs.add(int(e.node_seq))
        visits[key] = (min(first, at), seqs)
    days: dict[tuple[Ref, dt.date], list[set[int]]] = {}
    for (store, _visitor), (first, seqs) in visits.items():
        days.setdefault((store, local_day(first, timezone)), []).append(seqs)
    out = []
    for (store, day) in sorted(days, key=lambda k: (str(k[0]), k[1])):
        nodes = sorted(nodes_by_store.get(store) or default_nodes(), key=lambda n: n.seq)
        seqs = np.array([n.seq for n in nodes])
        visitors = days[(store, day)]
        known = set(seqs.tolist())
        unknown = sorted({s for v in visitors for s in v} - known)
        # Matrix visitor × node: recorded[v, k] = the visitor has an event for node k.
        recorded = np.array([[s in v for s in seqs] for v in visitors], dtype=bool).reshape(len(visitors), len(seqs))
        # Reached = recorded at this node or any later one: reverse cumulative OR along the nodes.
        reached = np.flip(np.logical_or.accumulate(np.flip(recorded, axis=1), axis=1), axis=1)
        reached_n = reached.sum(axis=0)
        recorded_n = recorded.sum(axis=0)
        labels = dict(STAGES)
        keys = [stage_key(n.stage) for n in nodes]
        stages = tuple(StageCount(int(n.seq), keys[i] or n.stage or n.name, labels.get(keys[i] or "", n.name),
                                  int(reached_n[i]), int(recorded_n[i])) for i, n in enumerate(nodes))
        funnel = _funnel_stages(recorded, keys, [int(n.seq) for n in nodes])
        unstaged = tuple(int(n.seq) for n, k in zip(nodes, keys) if k is None)
        conversion = (None,) + tuple(
            (stages[i].reached / stages[i - 1].reached) if stages[i - 1].reached else None
            for i in range(1, len(stages)))
        overall = stages[-1].reached / stages[0].reached if stages and stages[0].reached else None
        out.append(FunnelDay(store, day, len(visitors), stages, conversion, overall, tuple(unknown), funnel, unstaged))
    return out


def _funnel_stages(recorded: np.ndarray, keys: Sequence[str | None], seqs: Sequence[int]) -> tuple[FunnelStage, ...]:
    """Visitor × node events folded onto the five stages by each node's declared stage.

    Position does not matter: a 7-node store with two 探询 nodes and two 推荐 nodes still has one
    探询 and one 推荐 stage, and a node of no stage (a free-form step) counts towards none.
    """
    n_visitors = recorded.shape[0]
    at_stage = np.zeros((n_visitors, len(STAGE_KEYS)), dtype=bool)
    for i, key in enumerate(keys):
        if key is not None:
            at_stage[:, STAGE_KEYS.index(key)] |= recorded[:, i]
    reached = np.flip(np.logical_or.accumulate(np.flip(at_stage, axis=1), axis=1), axis=1)
    return tuple(FunnelStage(key, label, int(reached[:, k].sum()), int(at_stage[:, k].sum()),
                             tuple(s for s, kk in zip(seqs, keys) if kk == key))
                 for k, (key, label) in enumerate(STAGES))
