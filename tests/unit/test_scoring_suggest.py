"""Auto-fill suggestion: keywords of the last 3 communications, quote range, inventory,
open commitments, next-touch time."""
from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest

from scoring.suggest import (
    Communication, OpenCommitment, PricePoint, SuggestConfig, build_suggestion, norm_product,
)

SH = ZoneInfo("Asia/Shanghai")


def at(month: int, day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, tzinfo=SH)


def weekdays(day: dt.date) -> bool:
    return day.weekday() < 5


CONFIG = SuggestConfig(is_workday=weekdays)

COMMS = [
    Communication("transcript:1", at(3, 2), (("交付", 1.0), ("能耗", 0.4))),
    Communication("message:3", at(3, 5), (("IP65", 1.0),)),
    Communication("transcript:5", at(3, 11), (("新国标", 1.0), ("能耗", 0.8))),
    Communication("transcript:8", at(3, 20), (("安装", 1.0), ("能耗", 0.6))),
]


def build(**kw):
    args = dict(
        action_type="上门拜访", communications=COMMS,
        quotes=[PricePoint("变频器A", 120000, at(3, 6), "crm_quotes:1"),
                PricePoint("变频器A", 98000, at(3, 12), "crm_quotes:2")],
        spoken_prices=[("变频器A", 105000, at(3, 16), "money:9")],
        inventory={"变频器Ａ": 37, "电机B": 0},
        products_mentioned=["变频器A", "电机B", "控制柜C", "变频器a"],
        open_commitments=[OpenCommitment("commitment:2", dt.date(2026, 3, 25), dt.date(2026, 3, 2), "第一批货到货"),
                          OpenCommitment("commitment:7", dt.date(2026, 3, 10), dt.date(2026, 3, 4), met_on=dt.date(2026, 3, 9))],
        last_touch_at=at(3, 20, 15), now=at(3, 21, 9), config=CONFIG)
    args.update(kw)
    return build_suggestion(**args)


def test_keywords_come_from_the_last_three_communications_ranked_with_sources():
    s = build()
    assert [src for src, _ in s.communications] == ["transcript:8", "transcript:5", "message:3"]
    words = [k.word for k in s.keywords]
    assert words[0] == "能耗"  # said in two of the last three: 0.6 + 0.8 × 0.8
    assert "交付" not in words  # only in the 4th newest
    energy = s.keywords[0]
    assert energy.score == pytest.approx(0.6 + 0.8 * 0.8)
    assert [src for src, _ in energy.sources] == ["transcript:8", "transcript:5"]
    assert words.index("安装") < words.index("新国标") < words.index("IP65")  # newer outranks older


def test_quote_range_includes_spoken_prices_and_inventory_matches_names():
    s = build()
    q = s.quote_range
    assert (q.count, q.min_yuan, q.max_yuan, q.median_yuan) == (3, 98000, 120000, 105000)
    assert q.last.source == "money:9" and q.last.spoken
    assert q.sources == ("crm_quotes:1", "crm_quotes:2", "money:9")
    assert s.quote_range_by_product["变频器A"].count == 3
    inv = {i.product: (i.quantity, i.inventory_product) for i in s.inventory}
    assert inv == {"变频器A": (37, "变频器Ａ"), "电机B": (0, "电机B"), "控制柜C": (None, None)}
    assert norm_product("ＩＰ６５ 型") == norm_product("ip65型")


def test_open_commitments_and_next_touch_before_the_promise():
    s = build()
    assert [c.ref for c in s.open_commitments] == ["commitment:2"]  # commitment:7 was met
    assert s.open_commitments[0].days_left == 4 and not s.open_commitments[0].overdue
    # Cadence 7 d after 3-20 would be 3-27, after the promise: touch the day before it (3-24).
    assert s.next_touch_at == dt.datetime(2026, 3, 24, 10, tzinfo=SH)
    assert "commitment:2" in s.next_touch_reason
    doc = s.to_json()
    json.dumps(doc, ensure_ascii=False)
    assert doc["next_touch_at"] == "2026-03-24T10:00:00+08:00"


def test_cadence_by_action_type_and_working_days():
    s = build(action_type="电话沟通", open_commitments=[])
    assert s.next_touch_at == dt.datetime(2026, 3, 23, 10, tzinfo=SH)  # 3-20 + 3 d = Monday 3-23
    s = build(action_type="异议处理", open_commitments=[], last_touch_at=at(3, 19))
    assert s.next_touch_at == dt.datetime(2026, 3, 23, 10, tzinfo=SH)  # 3-21 is Saturday → Monday
    s = build(action_type="自定义类型", open_commitments=[])
    assert s.next_touch_at.date() == dt.date(2026, 3, 25)  # default cadence 5 d


def test_overdue_promise_means_touch_as_soon_as_possible():
    s = build(open_commitments=[OpenCommitment("c", dt.date(2026, 3, 18), dt.date(2026, 3, 2))],
              now=at(3, 20, 9))
    assert s.open_commitments[0].overdue
    assert s.next_touch_at == dt.datetime(2026, 3, 20, 10, tzinfo=SH)
    assert "overdue" in s.next_touch_reason
    # Past today's slot: tomorrow's (a working day).
    s = build(open_commitments=[OpenCommitment("c", dt.date(2026, 3, 18), dt.date(2026, 3, 2))],
              now=at(3, 19, 16))
    assert s.next_touch_at == dt.datetime(2026, 3, 20, 10, tzinfo=SH)


def test_chinese_working_days_by_default():
    # 2026-10-01…07 is the National Day holiday: a touch due then moves to 10-08.
    s = build_suggestion("电话沟通", [], [], [], {}, [], [], at(9, 28), at(9, 29),
                         SuggestConfig())
    assert s.next_touch_at.date() == dt.date(2026, 10, 8)


def test_empty_inputs_and_bad_prices():
    s = build_suggestion("报价", [], [], [("x", 0, at(3, 1), "money:1"), ("x", float("nan"), at(3, 1), "money:2")],
                         {}, [], [], None, at(3, 2, 8), CONFIG)
    assert s.keywords == () and s.quote_range is None and s.inventory == ()
    assert [i["source"] for i in s.ignored] == ["money:1", "money:2"]
    assert s.next_touch_at == dt.datetime(2026, 3, 5, 10, tzinfo=SH)  # no touch yet: cadence from now
