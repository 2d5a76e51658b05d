"""录音摘要 from the extracted facts (no generation model): who, needs, dates, money, objections, next step."""
from __future__ import annotations

import datetime as dt

from nlp.analyze import Utterance, analysis_to_json, analyze


def test_a_call_summarised_from_its_facts() -> None:
    a = analyze([Utterance("王总您好，我是恒力机电的小陈", "rep"),
                 Utterance("我们需要二十台节能电机，预算大概二三十万，希望三月二十日前交付，你们这个价格有点贵", "customer"),
                 Utterance("我们预计三月二十五号能到货，单价一万二一台", "rep")],
                on=dt.date(2026, 3, 2), industry="manufacturing")
    s = a.summary
    assert s.startswith("参与：王总（决策人）")
    for part in ("需求：我们需要二十台节能电机", "客户期望：3月20日", "销售承诺：3月25日", "预算20万–30万", "单价1.2万/台",
                 "异议：价格", "下一步：3月25日前兑现承诺"):
        assert part in s, part
    assert analysis_to_json(a)["summary"] == s


def test_nothing_found_gives_an_empty_summary_and_vague_promises_are_no_next_step() -> None:
    assert analyze([Utterance("喂 你好", "customer")], on=dt.date(2026, 3, 2)).summary == ""
    a = analyze([Utterance("这两天就给您送过去", "rep")], on=dt.date(2026, 3, 2))
    assert "约数" in a.summary and "下一步" not in a.summary
