"""Money normalised to yuan or a price ratio, with its kind."""

from __future__ import annotations

import pytest

from nlp.money import money_in


def found(text: str, speaker: str = "customer") -> list[tuple[str, float]]:
    return [(m.kind, m.ratio if m.ratio is not None else m.yuan) for m in money_in(text, speaker)]


@pytest.mark.parametrize(
    ("speaker", "text", "expected"),
    [
        ("customer", "预算大概十二万", [("budget", 120_000)]),
        ("rep", "报价12.5万", [("quote", 125_000)]),
        ("rep", "单价八百八", [("price", 880)]),
        ("rep", "可以打九五折", [("discount", 0.95)]),
        ("rep", "量大可以降5个点", [("discount", 0.95)]),
        ("rep", "打包的话可以再优惠百分之五", [("discount", 0.95)]),
        ("rep", "最多再便宜两千", [("discount", 2000)]),
        ("customer", "十万以内能搞定吗", [("budget", 100_000)]),
        ("customer", "你们这个十二万太贵了", [("quote", 120_000)]),
        ("rep", "总价是三十八万六千，含税", [("quote", 386_000)]),
        ("customer", "别家才卖八百一台", [("price", 800)]),
        ("rep", "劳保套装八十八一套，两百套以上打八折", [("price", 88), ("discount", 0.8)]),
        ("customer", "一块二有点贵啊，网上才一块零五", [("price", 1.2), ("price", 1.05)]),
        ("rep", "试吃装九十九块三小罐", [("price", 99)]),
        ("rep", "每个账号每年四百八，两百个账号九万六", [("price", 480), ("quote", 96_000)]),
        ("rep", "如果不要维保可以降到一百六十五万", [("quote", 1_650_000)]),
        ("customer", "三十二万八超预算了，三十万以内能不能做？", [("quote", 328_000), ("budget", 300_000)]),
    ],
)
def test_amounts(speaker: str, text: str, expected: list[tuple[str, float]]) -> None:
    assert found(text, speaker) == expected


@pytest.mark.parametrize("text", ["我们要三万台", "采购五千台左右", "电话13812345678", "3.20前交货", "2026年预算还没定",
                                  "报价单我下午发您", "一百万以上的设备必须招标", "精度零点零五以内"])
def test_not_money(text: str) -> None:
    assert found(text) == []


def test_money_keeps_phrase_and_speaker() -> None:
    (m,) = money_in("预算大概十二万", "unknown", ref="message:3")
    assert (m.phrase, m.speaker, m.ref, m.yuan, m.ratio) == ("十二万", "unknown", "message:3", 120_000, None)


def shaped(text: str, speaker: str = "customer") -> list[tuple]:
    """(kind, point or (low, high), unit) per amount."""
    return [(m.kind, m.ratio if m.ratio is not None else m.yuan if m.yuan is not None else (m.yuan_low, m.yuan_high),
             m.unit) for m in money_in(text, speaker)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the examples: ranges stay ranges
        ("我们的预算在二十到三十万之间", [("budget", (200_000, 300_000), None)]),
        ("预算大概二三十万", [("budget", (200_000, 300_000), None)]),
        ("预算15-20万", [("budget", (150_000, 200_000), None)]),
        ("预算十五六万", [("budget", (150_000, 160_000), None)]),
        ("预算二十万上下", [("budget", (180_000, 220_000), None)]),
        ("预算十来万", [("budget", (100_000, 130_000), None)]),
        ("预算小十万", [("budget", (80_000, 100_000), None)]),
        ("隔壁才一百出头", [("price", (100, 110), None)]),
        ("预算也就万把块", [("budget", (8_000, 12_000), None)]),
        ("预算六十多万", [("budget", (600_000, 700_000), None)]),
        ("八块多一瓶", [("price", (8, 9), "瓶")]),
        ("报价六万几", [("quote", (60_000, 70_000), None)]),
        ("预算一万到一万五", [("budget", (10_000, 15_000), None)]),
        ("两百几蚊", [("price", (200, 300), None)]),
        # points as people write them
        ("报价三千五", [("quote", 3_500, None)]),
        ("报价3k", [("quote", 3_000, None)]),
        ("预算5w", [("budget", 50_000, None)]),
        ("预算1.2个w", [("budget", 12_000, None)]),
        ("预算不超过十万", [("budget", 100_000, None)]),
        ("预算最多三十万", [("budget", 300_000, None)]),
        # per unit vs totals
        ("每台八百", [("price", 800, "台")]),
        ("一吨三万二", [("price", 32_000, "吨")]),
        ("每平米十八块", [("price", 18, "平米")]),
        ("劳保套装八十八一套", [("price", 88, "套")]),
        ("按年包的话一年三万", [("quote", 30_000, None)]),
        # discounts and rebates
        ("可以打八折", [("discount", 0.8, None)]),
        ("年底统一返3个点", [("discount", 0.97, None)]),
        # ASR output with spaces between words
        ("价格 是 三十一万 五", [("quote", 315_000, None)]),
        ("二十七 八万", [("quote", (270_000, 280_000), None)]),
    ],
)
def test_money_as_people_say_it(text: str, expected: list[tuple]) -> None:
    assert shaped(text) == expected


@pytest.mark.parametrize("text", ["五一前必须送到", "计划十一月下旬挂网", "我们要三四台", "3到5台", "2024-2025年",
                                  "平时两万单左右"])
def test_ranges_that_are_not_money(text: str) -> None:
    assert shaped(text) == []


def test_a_range_keeps_its_phrase_in_the_original_text() -> None:
    (m,) = money_in("价格 是 三十一万 五", "rep")
    assert m.phrase == "三十一万 五" and (m.start, m.end) == (5, 11) and (m.low, m.high) == (315_000, 315_000)
    (r,) = money_in("预算二三十万吧", "customer")
    assert r.yuan is None and (r.low, r.high) == (200_000, 300_000) and r.phrase == "二三十万"


@pytest.mark.parametrize(
    ("text", "speaker", "expected"),
    [
        ("扫码枪三百一把", "rep", [("price", 300, "把")]),
        ("建议零售价三块五一瓶", "rep", [("price", 3.5, "瓶")]),
        ("一个人一个月十五块，一百二个人", "rep", [("price", 15, None)]),  # not 15.1
        ("降五个点是两万零五百二", "rep", [("discount", 0.95, None), ("quote", 20_520, None)]),
        ("每间能省五万多", "rep", [("discount", (50_000, 60_000), None)]),
        ("最多九折，十一万五千二，这是底价了", "rep", [("discount", 0.9, None), ("quote", 115_200, None)]),
        ("总价能控制在一百零八万", "rep", [("quote", 1_080_000, None)]),
    ],
)
def test_kinds_on_calls(text: str, speaker: str, expected: list[tuple]) -> None:
    assert shaped(text, speaker) == expected
