"""Database reads of the store loop: a store's golden nodes, a visitor's completions and the won
visitors of the store and its chain, as the plain inputs of `scoring.store_prompt` / `scoring.funnel`."""
from __future__ import annotations

import datetime as dt
from typing import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import CrmStore, CrmStoreEvent, CrmStoreNode
from nlp.packs import PackError, load_pack
from scoring.funnel import stage_key
from scoring.store_prompt import PastVisit, PromptNode, Step


def store_nodes(s: Session, store: CrmStore) -> tuple[tuple[PromptNode, ...], str]:
    """The store's nodes with their stage and script lines, and where they came from.

    A store without `crm_store_nodes` rows uses its industry pack's default nodes (as `script-check`
    does), whose stages the pack declares. A node without a declared stage takes the stage its name
    names (进店, 探询 …), else none.
    """
    rows = s.scalars(select(CrmStoreNode).where(CrmStoreNode.store_id == store.id).order_by(CrmStoreNode.seq)).all()
    if rows:
        return tuple(PromptNode(n.seq, n.name, stage_key(n.stage) or stage_key(n.name),
                                tuple(str(x) for x in (n.script_lines or ()) if str(x).strip()))
                     for n in rows), "crm_store_nodes"
    try:
        pack = load_pack(store.industry)
    except PackError:
        pack = load_pack(None)
    return tuple(PromptNode(n.seq, n.name, stage_key(n.node), tuple(n.script_lines)) for n in pack.store_nodes), \
        f"industry pack {pack.id}"


def visitor_steps(s: Session, store_id: int, visitor_id: str, but: int) -> list[tuple[Step, str | None, str | None]]:
    """The visitor's other completions in the store: (step, product, objection)."""
    rows = s.execute(select(CrmStoreEvent.node_seq, CrmStoreEvent.at, CrmStoreEvent.product, CrmStoreEvent.objection)
                     .where(CrmStoreEvent.store_id == store_id, CrmStoreEvent.visitor_id == visitor_id,
                            CrmStoreEvent.id != but)).all()
    return [(Step(r.node_seq, r.at), r.product, r.objection) for r in rows]


def chain_stores(s: Session, store: CrmStore) -> list[int]:
    if not store.chain_id:
        return [store.id]
    return list(s.scalars(select(CrmStore.id).where(CrmStore.org_id == store.org_id,
                                                    CrmStore.chain_id == store.chain_id)))


def won_visits(s: Session, stores: Iterable[CrmStore], before: dt.datetime, since: dt.datetime,
               limit: int) -> list[PastVisit]:
    """Earlier visitors of these stores who completed a 成交 node before `before`, newest first.

    Two reads: the won visitors (events at a closing node), then all their events for the path.
    """
    nodes = {st.id: {n.seq: n for n in store_nodes(s, st)[0]} for st in stores}
    closing = [(sid, seq) for sid, by_seq in nodes.items() for seq, n in by_seq.items() if n.stage == "closed"]
    if not closing:
        return []
    won: dict[tuple[int, str], dt.datetime] = {}
    for sid in {sid for sid, _ in closing}:
        seqs = [seq for st, seq in closing if st == sid]
        for visitor, at in s.execute(select(CrmStoreEvent.visitor_id, CrmStoreEvent.at).where(
                CrmStoreEvent.store_id == sid, CrmStoreEvent.node_seq.in_(seqs), CrmStoreEvent.at < before,
                CrmStoreEvent.at >= since).order_by(CrmStoreEvent.at.desc()).limit(limit)):
            key = (sid, visitor)
            won[key] = min(won.get(key, at), at)
    keep = sorted(won, key=lambda k: won[k], reverse=True)[:limit]
    if not keep:
        return []
    events: dict[tuple[int, str], list] = {k: [] for k in keep}
    for sid in {k[0] for k in keep}:
        visitors = [v for st, v in keep if st == sid]
        for row in s.execute(select(CrmStoreEvent.visitor_id, CrmStoreEvent.node_seq, CrmStoreEvent.at,
                                    CrmStoreEvent.product, CrmStoreEvent.objection).where(
                CrmStoreEvent.store_id == sid, CrmStoreEvent.visitor_id.in_(visitors),
                CrmStoreEvent.at < before)):
            events[(sid, row.visitor_id)].append(row)
    out = []
    for (sid, visitor) in keep:
        rows = sorted(events[(sid, visitor)], key=lambda r: r.at)
        names = tuple(dict.fromkeys(nodes[sid][r.node_seq].name for r in rows if r.node_seq in nodes[sid]))
        product = next((r.product for r in reversed(rows) if r.product), None)
        objection = next((r.objection for r in reversed(rows) if r.objection), None)
        out.append(PastVisit(sid, visitor, names, product, objection, won[(sid, visitor)]))
    return out
