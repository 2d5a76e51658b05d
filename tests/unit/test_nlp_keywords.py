"""Need keywords: ranked per touch, domain words kept, names/dates/amounts left out."""

from __future__ import annotations

import datetime as dt

from nlp.analyze import Utterance, analyze


def test_keywords_rank_domain_words_and_keep_single_characters() -> None:
    a = analyze([Utterance("我们的阀漏得厉害，需要耐腐蚀的阀，泵也要换。", "customer", start_s=12.5, ref="segment:3")],
                on=dt.date(2026, 3, 2), industry="manufacturing")
    words = [k.word for k in a.keywords]
    assert "阀" in words and "泵" in words and "耐腐蚀" in words
    assert a.keywords[0].weight == 1.0 and all(0 < k.weight <= 1 for k in a.keywords)
    top = a.keywords[0]
    assert (top.ref, top.speaker, top.start_s) == ("segment:3", "customer", 12.5)


def test_names_dates_and_amounts_are_not_keywords() -> None:
    a = analyze([Utterance("王总您好，我们希望三月二十日前交付第一批，预算大概十二万")], on=dt.date(2026, 3, 2))
    words = {k.word for k in a.keywords}
    assert not words & {"王总", "三月", "二十日", "十二万"}
    assert "交付" in words


def test_customer_words_outweigh_the_reps() -> None:
    a = analyze([Utterance("我们这款变频器很好。", "rep"), Utterance("我们关心能耗。", "customer")],
                on=dt.date(2026, 3, 2), industry="manufacturing")
    weights = {k.word: k.weight for k in a.keywords}
    assert weights["能耗"] > weights["变频器"]


def test_person_names_fragments_and_filler_are_not_keywords() -> None:
    # The example: 李明 (a name jieba's HMM guessed), 前能 (glued across 月底前 | 能到), 就是说.
    a = analyze([Utterance("李明你好，我们需要二十台节能电机，月底前能到吗", "customer"),
                 Utterance("嗯嗯那个就是说价格方面还能再谈谈吗", "customer")],
                on=dt.date(2026, 3, 2), industry="manufacturing")
    words = {k.word for k in a.keywords}
    assert not words & {"李明", "前能", "就是说", "谈谈"}
    assert {"节能", "电机"} <= words
