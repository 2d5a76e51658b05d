"""Store action funnel per store per day: entered → probed → recommended → objection handled → closed.

Input: `crm_store_events` rows (store_id, visitor_id, node_seq, at). A store's golden nodes
are ordered by `node_seq`; by default node 1…5 are the five stages above, and a store with
its own nodes passes them (`StoreNode`) to name its stages.

Counting (docs/scoring.md):
* a visitor belongs to the local day (org timezone) of their first event in the store, so a
  visit across midnight counts once;
* `reached` at a stage = visitors who completed that stage or any later one (a funnel never
  widens: a recorded 成交 without a recorded 推荐 still passed 推荐); `recorded` = visitors
  with an event for that very node, so skipped recordings stay visible;
* conversion[k] = reached[k] ÷ reached[k−1] (None when the earlier stage is empty);
  overall = reached[last] ÷ reached[first].
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
class FunnelDay:
    store_id: Ref
    day: dt.date
    visitors: int
    stages: tuple[StageCount, ...]
    conversion: tuple[float | None, ...]  # stage k from stage k−1; first entry None
    overall: float | None
    unknown_nodes: tuple[int, ...] = ()  # node_seq values not among the store's nodes (ignored)

    def to_json(self) -> dict[str, Any]:
        return {"store_id": self.store_id, "day": self.day.isoformat(), "visitors": self.visitors,
                "stages": [s.to_json() for s in self.stages], "conversion": list(self.conversion),
                "overall": self.overall, "unknown_nodes": list(self.unknown_nodes)}


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
        stages = tuple(StageCount(int(n.seq), n.stage or n.name, labels.get(n.stage or "", n.name),
                                  int(reached_n[i]), int(recorded_n[i])) for i, n in enumerate(nodes))
        conversion = (None,) + tuple(
            (stages[i].reached / stages[i - 1].reached) if stages[i - 1].reached else None
            for i in range(1, len(stages)))
        overall = stages[-1].reached / stages[0].reached if stages and stages[0].reached else None
        out.append(FunnelDay(store, day, len(visitors), stages, conversion, overall, tuple(unknown)))
    return out
