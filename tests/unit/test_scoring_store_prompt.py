"""Funnels that fit any store (the brief's 7-node mother-and-baby store) and in-store prompts."""
from __future__ import annotations

import datetime as dt

import pytest

from scoring.funnel import StoreEvent, StoreNode, funnel_by_store_day, stage_key
from scoring.store_prompt import PastVisit, PromptError, PromptNode, Step, next_prompt, path_share, similar_cases

UTC = dt.timezone.utc
T0 = dt.datetime(2026, 3, 7, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai

# The brief's store: 7 nodes, each declaring its funnel stage.
BRIEF_NODES = [("迎宾进店", "进店"), ("需求探询", "探询"), ("段数确认", "探询"), ("产品推荐", "推荐"),
               ("试用体验", "推荐"), ("异议处理", "异议处理"), ("成交", "成交")]


def brief_events() -> list[StoreEvent]:
    """102 visitors: 87 reach 探询, 63 推荐, 41 异议处理, 39 成交 (furthest node per visitor below)."""
    furthest = [1] * 15 + [2] * 12 + [3] * 12 + [4] * 10 + [5] * 12 + [6] * 2 + [7] * 39
    events = []
    for v, last in enumerate(furthest):
        # Every other visitor's guide skips 段数确认 and 试用体验: those nodes are optional steps.
        path = [n for n in range(1, last + 1) if not (v % 2 and n in (3, 5) and n != last)]
        events += [StoreEvent("mb", f"v{v}", n, T0 + dt.timedelta(minutes=v, seconds=n)) for n in path]
    return events


def test_the_briefs_seven_node_store_counts_per_stage_and_per_node():
    nodes = {"mb": [StoreNode(i + 1, name, stage) for i, (name, stage) in enumerate(BRIEF_NODES)]}
    (day,) = funnel_by_store_day(brief_events(), nodes)
    assert day.visitors == 102
    assert [(f.stage, f.label, f.reached) for f in day.funnel] == [
        ("entered", "进店", 102), ("probed", "探询需求", 87), ("recommended", "推荐", 63),
        ("objection_handled", "异议处理", 41), ("closed", "成交", 39)]
    assert [f.nodes for f in day.funnel] == [(1,), (2, 3), (4, 5), (6,), (7,)]
    # Node 4 is 产品推荐 and node 5 试用体验: both 推荐, never 异议处理 by position.
    assert [(n.seq, n.stage) for n in day.stages][3:5] == [(4, "recommended"), (5, "recommended")]
    assert [n.reached for n in day.stages] == [102, 87, 75, 63, 53, 41, 39]
    assert day.stage("closed").recorded == 39 and day.unstaged_nodes == ()
    assert day.to_json()["funnel"][4] == {"stage": "closed", "label": "成交", "reached": 39, "recorded": 39,
                                          "nodes": [7]}


def test_ten_visitors_and_one_sale_report_one_closed_in_a_seven_node_store():
    nodes = {"mb": [StoreNode(i + 1, name, stage) for i, (name, stage) in enumerate(BRIEF_NODES)]}
    events = [StoreEvent("mb", f"v{v}", n, T0 + dt.timedelta(minutes=v, seconds=n))
              for v in range(10) for n in range(1, (8 if v == 0 else 4))]
    (day,) = funnel_by_store_day(events, nodes)
    assert day.stage("closed").reached == 1 and day.stage("entered").reached == 10
    assert day.stage("recommended").reached == 1  # node 3 is still 探询


def test_nodes_without_a_stage_count_per_node_only_and_stage_names_are_read():
    nodes = {"s": [StoreNode(1, "进店", None), StoreNode(2, "拍照打卡", None), StoreNode(3, "成交", "closed"),
                   StoreNode(4, "会员登记", "not-a-stage")]}
    events = [StoreEvent("s", "a", 1, T0), StoreEvent("s", "a", 2, T0), StoreEvent("s", "b", 3, T0)]
    (day,) = funnel_by_store_day(events, {k: [StoreNode(n.seq, n.name, stage_key(n.stage) or stage_key(n.name))
                                              for n in v] for k, v in nodes.items()})
    assert day.unstaged_nodes == (2, 4)
    assert [(f.stage, f.reached) for f in day.funnel] == [("entered", 2), ("probed", 1), ("recommended", 1),
                                                          ("objection_handled", 1), ("closed", 1)]
    assert stage_key("探询") == "probed" and stage_key(" 成交 ") == "closed" and stage_key("试穿") is None


NODES = tuple(PromptNode(i + 1, name, stage_key(stage), (f"{name}话术一", f"{name}话术二"))
              for i, (name, stage) in enumerate(BRIEF_NODES))


def _won(visitor, path, product=None, objection=None, store="mb", minutes=-60):
    return PastVisit(store, visitor, tuple(path), product, objection, T0 + dt.timedelta(minutes=minutes))


def test_prompt_gives_the_next_reference_line_and_two_similar_won_cases():
    past = [_won("p1", ["迎宾进店", "需求探询", "成交"], product="有机奶粉1段", minutes=-300),
            _won("p2", ["迎宾进店", "需求探询", "段数确认", "产品推荐", "试用体验", "异议处理", "成交"],
                 objection="价格", product="有机奶粉 1段"),
            _won("p3", ["迎宾进店", "需求探询", "段数确认", "产品推荐", "成交"], store="other", minutes=-10),
            _won("p4", ["迎宾进店", "成交"], product="纸尿裤"),
            PastVisit("mb", "lost", ("迎宾进店", "需求探询", "段数确认"), "有机奶粉1段", "价格", None)]
    p = next_prompt(NODES, 3, T0, [Step(1, T0 - dt.timedelta(minutes=2)), Step(2, T0 - dt.timedelta(minutes=1))],
                    product="有机奶粉1段", objection="价格", store_id="mb", past=past)
    assert (p.status, p.next_seq, p.next_name, p.next_stage, p.line) == ("next", 4, "产品推荐", "recommended",
                                                                         "产品推荐话术一")
    assert p.lines == ("产品推荐话术一", "产品推荐话术二") and p.skipped == ()
    # p2 shares objection, product (width and spaces folded) and path; p1 only the product; p3 the path,
    # from another store of the chain; the visitor who did not buy is never a case.
    assert [(c.visitor_id, c.matched) for c in p.cases] == [("p2", ("objection", "product", "path")),
                                                            ("p3", ("path",))]
    assert len(similar_cases(["迎宾进店"], None, None, "mb", past)) == 0  # entering alone is no likeness


def test_last_node_skipped_nodes_out_of_order_and_unknown_nodes():
    last = next_prompt(NODES, 7, T0, [Step(1, T0)])
    assert (last.status, last.next_seq, last.line, last.skipped) == ("last_node", None, None, (2, 3, 4, 5, 6))
    skipped = next_prompt(NODES, 4, T0, [Step(1, T0 - dt.timedelta(minutes=3)), Step(2, T0 - dt.timedelta(minutes=2))])
    assert skipped.skipped == (3,) and skipped.next_seq == 5 and "跳过了节点 3" in skipped.note
    # The completion of node 2 arrives after node 4 was completed later in the visit: stale, no line.
    stale = next_prompt(NODES, 2, T0, [Step(4, T0 + dt.timedelta(minutes=1))])
    assert (stale.status, stale.line, stale.cases) == ("stale", None, ())
    with pytest.raises(PromptError, match="node 9 is not one of the store's nodes"):
        next_prompt(NODES, 9, T0, [])
    assert path_share(["a", "b", "c"], ["a", "x", "c"]) == pytest.approx(2 / 3)
