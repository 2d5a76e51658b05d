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
