"""In-store prompts and the funnel of any store through real workers on both backends: the brief's
7-node mother-and-baby store answers a completed node with the next reference line and similar won
cases of the store and its chain; bad completions get clear errors, duplicates change nothing, a
late completion is kept but not shown; the 102-visitor funnel per stage and per node."""
from __future__ import annotations

import dataclasses
import datetime as dt
import uuid

from sqlalchemy import func, select, text

from models import ApFunnel, ApJob, ApStorePrompt, CrmOrg, CrmStore, CrmStoreEvent, CrmStoreNode
from queues.publisher import job_message
from tests.integration.test_speakers_flow import _publish, _run
from tests.integration.test_verify_flow import _events, _listen
from tests.unit.test_scoring_store_prompt import BRIEF_NODES, brief_events
from workers.periodic import store_funnels

CST = dt.timezone(dt.timedelta(hours=8))
T0 = dt.datetime(2026, 3, 7, 10, 0, tzinfo=CST)


def _store_org(sessions, org_id=None):
    """Two stores of one chain with the brief's seven nodes; returns (org, store, sister store)."""
    org_id = org_id or f"mb-{uuid.uuid4().hex[:8]}"
    with sessions() as s, s.begin():
        s.add(CrmOrg(id=org_id, name="贝贝母婴连锁", timezone="Asia/Shanghai"))
        stores = [CrmStore(org_id=org_id, name=name, industry="mother_baby_retail", chain_id="beibei")
                  for name in ("西湖店", "滨江店")]
        s.add_all(stores)
        s.flush()
        for st in stores:
            s.add_all(CrmStoreNode(store_id=st.id, seq=i + 1, name=name, stage=stage,
                                   script_lines=[f"{name}：参考话术", f"{name}：备选话术"])
                      for i, (name, stage) in enumerate(BRIEF_NODES))
        return org_id, stores[0].id, stores[1].id


def _visit(sessions, store_id, visitor, nodes, start, **noted) -> list[int]:
    with sessions() as s, s.begin():
        rows = [CrmStoreEvent(store_id=store_id, visitor_id=visitor, node_seq=n, at=start + dt.timedelta(minutes=i),
                              **(noted if i == len(nodes) - 1 else {})) for i, n in enumerate(nodes)]
        s.add_all(rows)
        s.flush()
        return [r.id for r in rows]


def _complete(settings, org_id, event_id, job=None) -> str:
    msg = job_message("store.node.completed/1", org_id, store_event_id=event_id)
    return _publish(settings, {**msg, "job_id": job} if job else msg)


def _prompt(sessions, event_id) -> ApStorePrompt | None:
    with sessions() as s:
        return s.scalar(select(ApStorePrompt).where(ApStorePrompt.store_event_id == event_id))


def test_a_completed_node_is_answered_with_the_next_line_and_similar_won_cases(backend, sessions):
    org, store, sister = _store_org(sessions)
    # Earlier won visitors: one in this store with the same objection and product, one in the chain's
    # other store with the same path; one who did not buy; one who bought something else elsewhere.
    _visit(sessions, store, "won-price", [1, 2, 3, 4, 6, 7], T0 - dt.timedelta(days=3), product="有机奶粉1段",
           objection="价格")
    _visit(sessions, sister, "won-path", [1, 2, 3, 4, 5, 7], T0 - dt.timedelta(days=2))
    _visit(sessions, store, "lost", [1, 2, 3], T0 - dt.timedelta(days=1), product="有机奶粉1段", objection="价格")
    _visit(sessions, sister, "won-other", [1, 7], T0 - dt.timedelta(days=1), product="纸尿裤")
    ids = _visit(sessions, store, "now", [1, 2, 3], T0, product="有机奶粉1段", objection="价格")
    conn, events = _listen(backend, "store.prompt.#")
    job = _complete(backend, org, ids[-1])
    _run(backend, "store")
    prompt = _prompt(sessions, ids[-1])
    assert (prompt.status, prompt.node_seq, prompt.next_node_seq, prompt.line) == ("next", 3, 4, "产品推荐：参考话术")
    cases = prompt.body["cases"]
    assert [(c["visitor_id"], c["store_id"], c["matched"]) for c in cases] == [
        ("won-price", store, ["objection", "product", "path"]), ("won-path", sister, ["path"])]
    got = _events(events)
    conn.release()
    assert [k for k, _ in got] == [f"store.prompt.{store}"]
    body = got[0][1]
    assert (body["prompt_id"], body["line"], body["next_node_name"], body["next_stage"]) == (
        prompt.id, "产品推荐：参考话术", "产品推荐", "recommended")
    assert body["lines"] == ["产品推荐：参考话术", "产品推荐：备选话术"] and len(body["cases"]) == 2
    with sessions() as s:
        assert s.get(ApJob, job).status == "done"


def test_bad_completions_get_clear_errors_duplicates_and_late_ones_change_nothing(backend, sessions):
    settings = dataclasses.replace(backend, not_found_window_s=0.2)
    org, store, _ = _store_org(sessions)
    other_org, other_store, _ = _store_org(sessions)
    visit = _visit(sessions, store, "v1", [1, 2, 4], T0)  # 段数确认 (3) skipped
    late = _visit(sessions, store, "v1", [2], T0 - dt.timedelta(minutes=5))[0]  # arrives after node 4
    unknown_node = _visit(sessions, store, "v2", [9], T0)[0]
    last = _visit(sessions, store, "v3", [1, 7], T0)[-1]
    foreign = _visit(sessions, other_store, "v9", [1], T0)[0]
    conn, events = _listen(settings, "store.prompt.#")
    jobs = {"first": _complete(settings, org, visit[-1], job="c-1"),
            "same_job": _complete(settings, org, visit[-1], job="c-1"),
            "new_job_same_row": _complete(settings, org, visit[-1], job="c-2"),
            "late": _complete(settings, org, late),
            "unknown_node": _complete(settings, org, unknown_node),
            "last": _complete(settings, org, last),
            "missing_row": _complete(settings, org, 987_654),
            "other_org": _complete(settings, org, foreign)}
    stats = _run(settings, "store")
    with sessions() as s:
        got = {k: s.get(ApJob, j) for k, j in jobs.items()}
        prompts = s.scalar(select(func.count()).select_from(ApStorePrompt))
    assert got["first"].status == "done" and got["new_job_same_row"].status == "done"
    assert got["new_job_same_row"].result["duplicate_of"] == "c-1"
    assert (got["unknown_node"].status, got["unknown_node"].error_code) == ("failed", "invalid_store_event")
    assert "node 9 is not one of the store's nodes (1 迎宾进店" in got["unknown_node"].error
    for k in ("missing_row", "other_org"):
        assert (got[k].status, got[k].error_code) == ("failed", "not_found"), k
    assert stats["duplicate"] >= 1
    first = _prompt(sessions, visit[-1])
    assert (first.next_node_seq, first.body["skipped"]) == (5, [3])
    assert (_prompt(sessions, late).status, _prompt(sessions, late).line) == ("stale", None)
    assert _prompt(sessions, last).status == "last_node"
    assert prompts == 3 and _prompt(sessions, foreign) is None
    got_events = _events(events)
    conn.release()
    # One event per answered completion; the duplicate and the late one publish nothing.
    assert sorted(b["store_event_id"] for _, b in got_events) == sorted([visit[-1], last])


def test_the_briefs_store_funnel_per_stage_and_node(backend, sessions):
    org, store, _ = _store_org(sessions)
    with sessions() as s, s.begin():
        s.add_all(CrmStoreEvent(store_id=store, visitor_id=str(e.visitor_id), node_seq=e.node_seq, at=e.at)
                  for e in brief_events())
    day = dt.date(2026, 3, 7)
    assert store_funnels(sessions, backend, [day], dt.datetime.now(dt.timezone.utc)) == 1
    with sessions() as s:
        f = s.scalar(select(ApFunnel).where(ApFunnel.store_id == store))
        assert (f.entered, f.probed, f.recommended, f.objection_handled, f.closed) == (102, 87, 63, 41, 39)
        rows = s.execute(text("SELECT kind, seq, step, label, stage, reached FROM v_store_funnel_steps "
                              "WHERE store_id = :s ORDER BY kind DESC, seq"), {"s": store}).all()
        weekly = s.execute(text("SELECT reached FROM v_store_funnel_steps_weekly WHERE store_id = :s AND kind = 'stage' "
                                "ORDER BY seq"), {"s": store}).scalars().all()
    assert [tuple(r) for r in rows] == [
        ("stage", 1, "entered", "进店", "entered", 102), ("stage", 2, "probed", "探询需求", "probed", 87),
        ("stage", 3, "recommended", "推荐", "recommended", 63),
        ("stage", 4, "objection_handled", "异议处理", "objection_handled", 41),
        ("stage", 5, "closed", "成交", "closed", 39),
        ("node", 1, "迎宾进店", "迎宾进店", "entered", 102), ("node", 2, "需求探询", "需求探询", "probed", 87),
        ("node", 3, "段数确认", "段数确认", "probed", 75), ("node", 4, "产品推荐", "产品推荐", "recommended", 63),
        ("node", 5, "试用体验", "试用体验", "recommended", 53),
        ("node", 6, "异议处理", "异议处理", "objection_handled", 41), ("node", 7, "成交", "成交", "closed", 39)]
    assert weekly == [102, 87, 63, 41, 39]
    # Re-running the clock rewrites the same rows.
    assert store_funnels(sessions, backend, [day], dt.datetime.now(dt.timezone.utc)) == 1
    with sessions() as s:
        assert s.execute(text("SELECT COUNT(*) FROM ap_funnel_steps WHERE store_id = :s"), {"s": store}).scalar() == 12
