"""Money normalised to yuan or a price ratio, with its kind."""

from __future__ import annotations

import pytest

from nlp.money import money_in
from nlp.numerals import parse_number


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
        ("给 您 打 九 二 折", [("discount", 0.92, None)]),  # not 二折
        # 折 as Whisper writes it, after 打 / 按 only (两者 is no discount)
        ("素冻机 打 个 九五 者", [("discount", 0.95, None)]),
        ("立定跳原也按八五者", [("discount", 0.85, None)]),
        ("两者都一样", []),
        ("预算 才 4w 5", [("budget", 45_000, None)]),
        # the place below a 千 / 万 head, said as two neighbouring digits; a digit said again
        ("我们眼下这家才七千六七", [("price", (7_600, 7_700), None)]),
        ("才 两万 四 五", [("quote", (24_000, 25_000), None)]),
        ("报价基本都在四十六、七元", [("quote", (46, 47), None)]),
        # discounts named after their size, halves, rebates to someone
        ("给予百分之八的优惠", [("discount", 0.92, None)]),
        ("实施费给您免一半", [("discount", 0.5, None)]),
        ("再返侬两个点", [("discount", 0.98, None)]),
        ("再 给 您 反 两 个 点", [("discount", 0.98, None)]),
    ],
)
def test_money_as_people_say_it(text: str, expected: list[tuple]) -> None:
    assert shaped(text) == expected


@pytest.mark.parametrize("text", ["五一前必须送到", "计划十一月下旬挂网", "我们要三四台", "3到5台", "2024-2025年",
                                  "平时两万单左右", "我们今年人员缩减了一半", "我们反对三个点"])
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
        ("一个人一个月十五块，一百二个人", "rep", [("price", 15, "人")]),  # not 15.1; per head
        ("降五个点是两万零五百二", "rep", [("discount", 0.95, None), ("quote", 20_520, None)]),
        ("每间能省五万多", "rep", [("discount", (50_000, 60_000), "间")]),
        ("最多九折，十一万五千二，这是底价了", "rep", [("discount", 0.9, None), ("quote", 115_200, None)]),
        ("总价能控制在一百零八万", "rep", [("quote", 1_080_000, None)]),
    ],
)
def test_kinds_on_calls(text: str, speaker: str, expected: list[tuple]) -> None:
    assert shaped(text, speaker) == expected


def shaped_by(text: str, speaker: str, earlier: tuple = ()) -> list[tuple]:
    return [(m.kind, m.ratio if m.ratio is not None else m.yuan if m.yuan is not None else (m.yuan_low, m.yuan_high),
             m.unit) for m in money_in(text, speaker, earlier=earlier)]


@pytest.mark.parametrize(
    ("text", "speaker", "expected"),
    [
        # a price named by its unit
        ("台价是两万八", "rep", [("price", 28_000, "台")]),
        # a total for a count of units, however the count is linked to it
        ("一个两千一，四个是八千四", "rep", [("price", 2100, "个"), ("quote", 8400, None)]),
        ("五组九千五", "rep", [("quote", 9500, None)]),
        ("三个SKU六千", "rep", [("quote", 6000, None)]),
        ("一箱一百八 两 箱 就 是 三百六", "rep", [("price", 180, "箱"), ("quote", 360, None)]),
        ("两样加起来一千三", "rep", [("quote", 1300, None)]),
        ("旧车一辆抵五千，两辆就是一万", "rep", [("discount", 5000, "辆"), ("discount", 10_000, None)]),
        # a per-unit fee the customer charges
        ("进场费一个门店一千五", "customer", [("price", 1500, "店")]),
        # budget wording beats the 一共 / 才 next to the amount; over the budget is the quote's excess
        ("我们的经费一共才八十万", "customer", [("budget", 800_000, None)]),
        ("我们这块的目标成本是五十万", "customer", [("budget", 500_000, None)]),
        ("五十五万比预算多五万", "customer", [("quote", 550_000, None), ("quote", 50_000, None)]),
        ("给软件留的是五万", "customer", [("budget", 50_000, None)]),
        ("一间教室总共就给三千", "customer", [("budget", 3000, None)]),
        ("设备这块大概二十万的样子", "customer", [("budget", 200_000, None)]),
        ("这次大概要三四万的货", "customer", [("budget", (30_000, 40_000), None)]),
        ("一年至少要进二十万的货", "rep", [("quote", 200_000, None)]),
        ("十万以内的话只能选国产的", "rep", [("budget", 100_000, None)]),
        # periods and cheapness words
        ("两万四一个月有点多", "customer", [("quote", 24_000, None)]),
        ("以前那家一年才八千", "customer", [("quote", 8000, None)]),
        ("别家只要二十五万", "customer", [("quote", 250_000, None)]),
        ("那台才六十多万", "customer", [("price", (600_000, 700_000), None)]),
        ("一年涨了六块", "customer", [("price", 6, None)]),
        # differences and prices after a cut
        ("比他们一箱便宜五块", "rep", [("price", 5, "箱")]),
        ("供价一袋从五十降到四十五", "rep", [("price", 50, "袋"), ("price", 45, "袋")]),
        ("抵完还要二十八万", "customer", [("quote", 280_000, None)]),
        ("打八折的话就是四百", "customer", [("discount", 0.8, None), ("price", 400, None)]),
        ("总共也就三千不到", "customer", [("quote", 3000, None)]),
        ("这单就按六万整", "rep", [("quote", 60_000, None)]),
        # the floor of a haggled price
        ("六百八是底了", "rep", [("price", 680, None)]),
        ("八十五，不能再低了", "rep", [("price", 85, None)]),
        # ASR: two numbers side by side stay two numbers
        ("一 台 两千 四 三十 台 七万 二", "rep", [("price", 2400, "台"), ("quote", 72_000, None)]),
        ("一 套 一千 零 七十", "rep", [("price", 1070, "套")]),
        ("预算 二 十 万", "customer", [("budget", 200_000, None)]),
        ("预算 二 三十 万", "customer", [("budget", (200_000, 300_000), None)]),
    ],
)
def test_phrasings_from_whole_calls(text: str, speaker: str, expected: list[tuple]) -> None:
    assert shaped_by(text, speaker) == expected


@pytest.mark.parametrize("text", ["净利率有百分之二十五", "明天先发两万", "先装二十块", "门口挂一块要能刷卡",
                                  "五一之后恢复原价", "报价里能不能优惠百分之五之外再送"])
def test_not_money_in_calls(text: str) -> None:
    assert [k for k in shaped_by(text, "customer") if k[0] != "discount" or k[1] != 0.95] == []


def test_screens_counted_in_kuai() -> None:
    assert shaped_by("大屏一块四千，二十块就是八万", "rep") == [("price", 4000, "块"), ("quote", 80_000, None)]
    assert shaped_by("一套三千二平台另算", "rep") == [("price", 3200, "套")]
    assert shaped_by("三十块就是六万", "rep") == [("quote", 60_000, None)]


def _said_before(kind: str, yuan: float | None, speaker: str, unit: str | None = None, ratio: float | None = None):
    from nlp.money import Money

    return Money("", speaker, kind, yuan, ratio, unit=unit)


def test_a_restated_amount_takes_the_earlier_kind_and_unit() -> None:
    per_ton = (_said_before("price", 32_000, "rep", "吨"),)
    assert shaped_by("三万二不算便宜", "customer") == [("quote", 32_000, None)]
    assert shaped_by("三万二不算便宜", "customer", per_ton) == [("price", 32_000, "吨")]
    budget = (_said_before("budget", 160_000, "customer"),)
    assert shaped_by("十六万的话可以先配一个探头", "rep", budget) == [("budget", 160_000, None)]
    assert shaped_by("十六万的话可以先配一个探头", "rep") == [("quote", 160_000, None)]
    # one's own figure said again is not re-read: the budget may have become the deal
    assert shaped_by("那就正好十六万", "customer", budget) == [("quote", 160_000, None)]
    approx = (Money_range("budget", 720_000, 880_000, "customer"),)
    assert shaped_by("八十万的话要换普通型", "rep", approx) == [("budget", 800_000, None)]
    assert shaped_by("八十五万的话要换普通型", "rep", approx) == [("quote", 850_000, None)]


def Money_range(kind: str, low: float, high: float, speaker: str):  # noqa: N802 - reads like the constructor
    from nlp.money import Money

    return Money("", speaker, kind, None, None, yuan_low=low, yuan_high=high)


def test_bare_numbers_in_haggling_follow_the_unit_price() -> None:
    per_set = (_said_before("price", 880, "rep", "套"),)
    assert shaped_by("七百五 行 吧", "customer") == []
    assert shaped_by("七百五 行 吧", "customer", per_set) == [("price", 750, "套")]
    assert shaped_by("三百 行 吧", "customer", per_set) == []  # too far from 880 to be the same thing
    assert shaped_by("二十 号 前 送到", "customer", per_set) == []


def test_a_percentage_is_a_discount_only_when_one_was_asked_for() -> None:
    asked = (_said_before("discount", None, "customer", ratio=0.95),)
    assert shaped_by("百分之五有难度", "rep") == []
    assert shaped_by("百分之五有难度", "rep", asked) == [("discount", 0.95, None)]


def test_analyze_reads_each_turn_with_the_calls_earlier_money() -> None:
    import datetime as dt

    from nlp.analyze import Utterance, analyze

    a = analyze([Utterance("这款一箱九十六", "rep", ref="1"), Utterance("九十六？去年才九十", "customer", ref="2")],
                on=dt.date(2026, 3, 2), industry="fmcg_distribution")
    assert [(m.ref, m.kind, m.yuan, m.unit) for m in a.money] == [("1", "price", 96, "箱"), ("2", "price", 96, "箱"),
                                                                   ("2", "price", 90, "箱")]


@pytest.mark.parametrize(
    ("text", "speaker", "expected"),
    [
        # approximate forms: X几 is up to the next step, 小X is nearly X, 毛 is a tenth of a yuan
        ("三十几万的话我们这边压力不大", "customer", [("quote", (300_000, 400_000), None)]),
        ("别家五十几一平就能拿到", "customer", [("price", (50, 60), "平米")]),
        ("这批算下来小八十万", "rep", [("quote", (640_000, 800_000), None)]),
        ("一毛五一个", "rep", [("price", 0.15, "个")]),
        ("单价贵了两毛多", "customer", [("price", (0.2, 0.3), None)]),
        # units: 盘, 立方 (一方 is a cubic metre in building materials)
        ("电缆一盘四百二", "rep", [("price", 420, "盘")]),
        ("商砼一方三百九", "rep", [("price", 390, "立方")]),
        # discounts: spoken 两, 减半, money off named by 赔 / 补 keeps its unit
        ("款到得早的话再让两个点", "rep", [("discount", 0.98, None)]),
        ("培训费可以减半", "rep", [("discount", 0.5, None)]),
        ("漏发的那箱赔您三百", "rep", [("discount", 300, None)]),
        ("每台再补五百块运费", "rep", [("discount", 500, "台")]),
        ("每个门店补贴两百块", "rep", [("discount", 200, "店")]),
        # a budget word beats the per-unit word after it; a customer's 超过X就… is a cap
        ("学校的限价是每台八千", "customer", [("budget", 8000, "台")]),
        ("超过三十万就批不下来", "customer", [("budget", 300_000, None)]),
        # differences: against a 比 (便宜) or said as more (贵了 / 高出), by size without context
        ("比隔壁便宜五六万", "customer", [("quote", (50_000, 60_000), None)]),
        ("你们贵了三百", "customer", [("price", 300, None)]),
        # one item's price; the same amount twice is one amount
        ("那款一千六百八", "rep", [("price", 1680, None)]),
        ("三十一万 就 三十一万", "customer", [("quote", 310_000, None)]),
        # 万两台 / 一百二 一共: a count or a word starts after the amount
        ("四十万两台", "customer", [("quote", 400_000, None)]),
        ("算 三百二 一共 九千六", "customer", [("price", 320, None), ("quote", 9600, None)]),
    ],
)
def test_general_phrasings(text: str, speaker: str, expected: list[tuple]) -> None:
    assert shaped_by(text, speaker) == expected


@pytest.mark.parametrize("text", ["发动机转速能到六千五", "标配是八千转，选装可以到一万二。", "这款耐温三百五",
                                  "三毫米的板子能切到十五。", "我们店一个月也就卖两万出头", "再送两块样板过去",
                                  "楼高三十", "外六角的螺栓"])
def test_specs_and_turnover_are_not_money(text: str) -> None:
    assert shaped_by(text, "customer") == []


def test_a_spec_sentence_with_a_unit_price_keeps_its_prices() -> None:
    assert shaped_by("五毫米的板材每平六十，量大可以到五十五。", "rep") == [("price", 60, "平米"), ("price", 55, "平米")]
    assert shaped_by("这台三十万，功率十五千瓦", "rep") == [("quote", 300_000, None)]


def test_a_difference_takes_the_kind_and_unit_of_what_it_compares() -> None:
    per_kg = (_said_before("price", 6.5, "rep", "公斤"),)
    assert shaped_by("贵了五毛", "customer", per_kg) == [("price", 0.5, "公斤")]
    total = (_said_before("quote", 180_000, "rep"),)
    assert shaped_by("人家比你便宜一万", "customer", total) == [("quote", 10_000, None)]


def test_a_lowered_figure_near_a_unit_price_is_that_price() -> None:
    per_m2 = (_said_before("price", 95, "rep", "平米"),)
    assert shaped_by("我最多降到八十八", "rep") == [("quote", 88, None)]
    assert shaped_by("我最多降到八十八", "rep", per_m2) == [("price", 88, "平米")]
    assert shaped_by("打完九折算下来一千五左右", "rep", (_said_before("price", 1680, "rep"),)) == [
        ("discount", 0.9, None), ("price", (1350, 1650), None)]


def test_the_reps_if_figure_before_an_offer_is_the_budget() -> None:
    assert shaped_by("八万的话可以配两台基础款，报价七万六", "rep") == [("budget", 80_000, None), ("quote", 76_000, None)]
    assert shaped_by("八万的话可以换国产的", "rep") == [("quote", 80_000, None)]  # no offer fitted to it


def test_bare_points_are_a_discount_only_when_that_many_were_offered() -> None:
    offered = (_said_before("discount", None, "rep", ratio=0.97),)
    assert shaped_by("三个点还行", "customer") == []
    assert shaped_by("三个点还行", "customer", offered) == [("discount", 0.97, None)]


def test_two_digits_after_a_place_fill_the_next_two_places() -> None:
    # 三千七九 is 3790 and 一万四六 is 14 600 (not a 79 or 46 of that place)
    assert shaped_by("单价三千七九", "rep") == [("price", 3790, None)]
    assert shaped_by("一部一万四六", "rep") == [("price", 14_600, "部")]


def test_half_a_yuan_after_kuai() -> None:
    assert shaped_by("一包九块半", "rep") == [("price", 9.5, "包")]
    assert shaped_by("每条十五蚊半", "rep") == [("price", 15.5, "条")]
    assert shaped_by("四百二十蚊一部，包邮", "rep") == [("price", 420, "部")]  # 一部 is the unit, not 420.1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("上架费每家店收六百", [("price", 600, "店")]),
        ("条码费一个SKU一千八", [("price", 1800, "SKU")]),
        ("三百一家，四十家就是一万二", [("price", 300, "店"), ("quote", 12_000, None)]),
        ("精品鸡蛋一斤十二", [("price", 12, "斤")]),
        ("橱柜台面一延米九百二", [("price", 920, "延米")]),
    ],
)
def test_per_store_and_more_units(text: str, expected: list[tuple]) -> None:
    assert shaped_by(text, "rep") == expected


def test_a_count_of_stores_is_no_price() -> None:
    assert shaped_by("我们在本市有二十一家店", "customer") == []


def test_shop_price_words_name_a_price() -> None:
    assert shaped_by("这款原价一千六，活动价一千三百九", "rep") == [("price", 1600, None), ("price", 1390, None)]
    assert shaped_by("供货价五十四，零售八十九", "rep") == [("price", 54, None), ("price", 89, None)]


def test_rebate_points_are_a_discount_when_a_rebate_is_the_matter() -> None:
    assert shaped_by("返点去年给的是四个点，今年只有两个点", "customer") == [
        ("discount", 0.96, None), ("discount", 0.98, None)]
    assert shaped_by("别家都给到六个点", "customer") == [("discount", 0.94, None)]
    assert shaped_by("年底的返利按两个半点算", "rep") == [("discount", 0.975, None)]
    assert shaped_by("反点最少也得三个", "customer") == [("discount", 0.97, None)]
    assert shaped_by("毛利只有八个点", "customer") == []  # a margin, not money off


def test_a_gifts_worth_is_a_discount() -> None:
    assert shaped_by("另外送您一套工具箱，差不多值五百", "rep") == [("discount", 500, None)]
    assert shaped_by("这台设备值不值三十万", "customer") == [("quote", 300_000, None)]


def test_over_the_budget_is_the_offers_excess() -> None:
    assert shaped_by("算下来还是超了三千二", "customer") == [("quote", 3200, None)]
    assert shaped_by("超过五十万就批不下来", "customer") == [("budget", 500_000, None)]


def test_a_threshold_to_earn_a_deal_is_a_quote_but_a_shop_promotion_is_not() -> None:
    assert shaped_by("满两万打九折", "rep") == [("quote", 20_000, None), ("discount", 0.9, None)]
    assert [k for k in shaped_by("会员日满两百减二十", "rep") if k[1] == 200] == []


def test_a_range_said_with_zhijian_needs_no_unit() -> None:
    assert shaped_by("每平米在四百六到四百九之间", "rep") == [("price", (460, 490), "平米")]
    assert shaped_by("三到五天之间能到", "rep") == []


def test_tens_and_two_neighbouring_digits_are_a_range() -> None:
    per_jin = (_said_before("price", 26, "rep", "斤"),)
    assert shaped_by("外面二十二三就能拿到", "customer", per_jin) == [("price", (22, 23), "斤")]


def test_parse_number_reads_two_digits_after_a_place_as_the_next_two_places() -> None:
    assert parse_number("五千三六") == 5360
    assert parse_number("三百一五") == 315
    assert parse_number("二〇二七") == 2027  # a digit run with no place before it stays positional


def test_a_bare_figure_near_the_item_price_just_named_is_that_price() -> None:
    # retail haggling names no unit: 一千四我就拿 after 原价一千六 is a price for the same item
    item = (_said_before("price", 1600, "rep"),)
    assert shaped_by("一千四我就拿", "customer", item) == [("price", 1400, None)]
    assert shaped_by("一千四我就拿", "customer") == []  # nothing to compare with: no money
    assert shaped_by("五百我就拿", "customer", item) == []  # too far from it


def test_a_round_sum_and_a_gap_between_two_spoken_amounts() -> None:
    assert [k[1] for k in shaped_by("那就七千整", "customer")] == [7000]
    assert shaped_by("明早八点整到", "customer") == []
    # 三百 六千: two amounts (a place no lower than the one before the gap starts a new number)
    assert [k[1] for k in shaped_by("每台能降三百 六千整", "rep")] == [300, 6000]
    assert [k[1] for k in shaped_by("一台 两千 四", "rep")] == [2400]


def test_kuai_after_a_unit_price_is_yuan_not_pieces() -> None:
    assert shaped_by("一平米 三十 八 块 五千 平 就是十九万", "rep")[0] == ("price", 38, "平米")
    assert shaped_by("大屏一块四千，二十块就是八万", "rep") == [("price", 4000, "块"), ("quote", 80_000, None)]


def test_still_over_by_is_the_offers_excess() -> None:
    assert shaped_by("还是多四千二", "customer") == [("quote", 4200, None)]


def test_rebate_points_without_ge() -> None:
    assert shaped_by("说好的返点俩点还没到账", "customer") == [("discount", 0.98, None)]
    assert shaped_by("下午两点到", "customer") == []


def test_a_number_never_ends_in_ling() -> None:
    # 零售 (retail) after a price: 一百四十五 then 零售, not 一百四十五零
    assert [k[1] for k in shaped_by("进价一百四十五 零售一百九十八", "rep")] == [145, 198]


def test_measures_and_the_holiday_are_no_money() -> None:
    assert shaped_by("节拍要控制在六十秒以内", "customer") == []
    assert [k[:2] for k in shaped_by("一瓶五百毫升，供货价二十六", "rep")] == [("price", 26)]
    assert shaped_by("想要一台十五匹左右的冷水机", "customer") == []
    assert shaped_by("五一我们要搞个活动", "customer") == []


def test_more_after_a_colloquial_trailing_digit_counts_in_the_place_below() -> None:
    assert shaped_by("一台也得4万6多", "customer") == [("price", (46_000, 47_000), "台")]
    assert shaped_by("算下来一万 七 多", "customer") == [("quote", (17_000, 18_000), None)]
    assert shaped_by("一共是五万八千多", "customer") == [("quote", (58_000, 59_000), None)]


def test_wan_said_without_its_yi() -> None:
    assert shaped_by("三间一年万六几", "customer") == [("quote", (16_000, 17_000), None)]
    assert shaped_by("万一你们公司倒闭了怎么办", "customer") == []


def test_yi_fen_bu_shao_ends_the_amount_before_it() -> None:
    assert [k[1] for k in shaped_by("返利 七千 三百 二 一 分 不 少", "rep")] == [7320]


def test_a_rise_is_a_difference_and_kuai_only_rounds_it() -> None:
    per_ton = (_said_before("price", 6800, "rep", "吨"),)
    assert shaped_by("比上回涨了三百多", "customer", per_ton) == [("price", (300, 400), "吨")]
    assert shaped_by("比市场价高了将近两百", "customer", per_ton) == [("price", 200, "吨")]


def test_an_add_on_is_priced_with_zai_jia() -> None:
    assert shaped_by("主机一套九千六，带远程模块再加六百", "rep") == [("price", 9600, "套"), ("price", 600, None)]
    assert shaped_by("再加三台", "customer") == []


def test_one_unit_said_first_makes_the_offer_later_in_the_sentence_its_price() -> None:
    def kinds(text: str) -> list[tuple[str, float, str | None]]:
        return [(m.kind, m.yuan, m.unit) for m in money_in(text, "rep")]
    assert kinds("一台带自动上料的，报价二十六万") == [("price", 260_000, "台")]
    assert kinds("一 套 含 安装 调试 报 价 九 万 八") == [("price", 98_000, "套")]
    # a bundle, a count or a total word between them keeps the sum a quote
    assert kinds("一台主机加一套软件，报价二十六万") == [("quote", 260_000, None)]
    assert kinds("一台的话便宜，三台一共报价七十五万") == [("quote", 750_000, None)]
    assert kinds("整套含培训报价三十万") == [("quote", 300_000, None)]


def test_what_a_gift_would_cost_is_a_discount() -> None:
    assert found("安装我们免费做，这部分市场价大概一万二", "rep") == [("discount", 12_000)]
    assert found("再送您一台打印机，市场价三千块", "rep") == [("discount", 3_000)]
    # without a gift it is the price of the thing
    assert found("这款市场价两万八", "rep") == [("price", 28_000)]


def test_money_allotted_from_above_is_the_budget() -> None:
    assert found("局里给这个项目拨了十二万") == [("budget", 120_000)]


def test_landed_and_purchase_prices_are_unit_prices() -> None:
    got = [(m.kind, m.yuan, m.unit) for m in money_in("这台空压机单台落地价九万六", "rep")]
    assert got == [("price", 96_000, "台")]
    assert found("给您的进货价一箱四十二", "rep") == [("price", 42)]


def test_a_part_number_before_its_price_is_not_money() -> None:
    assert found("6204每套九块八，6310每套四十五", "rep") == [("price", 9.8), ("price", 45)]
    assert found("800每套", "rep") == [("price", 800)]


def test_what_is_left_after_a_discount_is_the_price_not_the_discount() -> None:
    assert found("让五千也得二十三万", "rep") == [("discount", 5_000), ("quote", 230_000)]
    assert found("让两万也还三十六万八", "rep") == [("discount", 20_000), ("quote", 368_000)]
    assert found("减三百还三千一百八块", "rep") == [("discount", 300), ("price", 3_180)]


@pytest.mark.parametrize(
    "text",
    ["九二折以后数码机也还要一百一十七万多，两台加起来还是超了三十多万。", "八五折 都 仲 要 六十 七万 几",
     "返五个点一吨嘛是八百出头，犹原比厦门贵。", "九折一米也还要十块六毛多", "洗碗机九二折是15.4w多",
     "打 了 九折 也 要 五十六 万 多", "让两万也还三十六万八呢", "让五千也得二十三万",
     "九二折嘛閣四万五千五百四", "九折后仍有五十二万三千八"],
)
def test_a_customer_working_out_what_the_offer_leaves_does_not_repeat_the_discount(text: str) -> None:
    # The rep's offer is reported from the rep's turn; the customer's reply only says it again.
    kinds = [k for k, _ in found(text)]
    assert kinds and "discount" not in kinds


@pytest.mark.parametrize(
    ("text", "expected"),
    [("再打九折也要十万", [("discount", 0.9), ("quote", 100_000)]),      # asks for more
     ("九折的话就是十万，我就签", [("discount", 0.9), ("quote", 100_000)]),  # a condition of the customer's
     ("能不能打九折", [("discount", 0.9)])],
)
def test_a_discount_the_customer_asks_for_is_reported(text: str, expected: list) -> None:
    assert found(text) == expected


def test_a_gift_or_waived_fee_valued_is_a_discount_and_kg_is_no_thousand() -> None:
    assert found("另外两年的质控品我们包了，价值约一万二。", "rep") == [("discount", 12_000)]
    assert found("医保接口费全免，值两万。", "rep") == [("discount", 20_000)]
    assert found("运费我们包了，这台值三十万", "rep") == [("quote", 300_000)]  # what the machine is worth
    assert found("每瓶10kg装") == []
    assert found("储罐欲一个二十立方的") == []
    assert found("预算5w，3k5一台") == [("budget", 50_000), ("price", 3_500)]


@pytest.mark.parametrize(
    ("speaker", "text", "expected"),
    [
        # Cantonese tenths and cents: 三毫八 is 0.38 a piece, 三仙 three cents off.
        ("rep", "M10嘅报五毫二一粒", [("price", 0.52, "粒")]),
        ("customer", "减三仙都仲系贵。", [("discount", 0.03, None)]),
        # 八十抽 counts tissues; 就系 is Cantonese 就是 (a total for the count).
        ("rep", "加厚嘅八十抽，批发价九蚊半一包，六十包就系五百七。", [("price", 9.5, "包"), ("quote", 570, None)]),
        # A tender's 控制价 is what the customer will pay at most.
        ("customer", "仍高于我们的控制价九百五十元。", [("budget", 950, None)]),
        # 角 is money only when money moves by it.
        ("rep", "头一个月我每杯让三角。", [("discount", 0.3, None)]),
    ],
)
def test_cantonese_cents_counts_and_tender_ceilings(speaker: str, text: str, expected: list) -> None:
    assert shaped(text, speaker) == expected


@pytest.mark.parametrize("text", ["钢板厚三毫米，电压二十伏。", "这个三角形的支架要三个。", "水仙花开了三仙女"])
def test_millimetres_triangles_and_flowers_are_not_money(text: str) -> None:
    assert shaped(text) == []


@pytest.mark.parametrize(
    ("speaker", "text", "expected"),
    [
        # Cantonese 平 (cheaper by) and 慳 (saved) are money off; 每平 stays a square metre.
        ("rep", "你一次过拎八十支，我每支平二十蚊，八十个慳二千二百四。", [("discount", 20, "支"), ("discount", 2240, None)]),
        ("rep", "每平二十块。", [("price", 20, "平米")]),
        # A coupon is money off.
        ("rep", "活动价九百九十九，再叠一张五十的券", [("price", 999, None), ("discount", 50, "张")]),
        # 勿好超过 (Wu: must not exceed) caps what the customer pays.
        ("customer", "伊讲过，一个平方勿好超过两百七。", [("budget", 270, None)]),
        # A fraction with no money word under a cap is a tolerance, not money.
        ("customer", "最紧要系平面度唔好超过零点零三。", []),
    ],
)
def test_cheaper_by_coupons_and_caps(speaker: str, text: str, expected: list) -> None:
    assert shaped(text, speaker) == expected


@pytest.mark.parametrize(
    ("speaker", "text", "expected"),
    [
        # What a thing thrown in is worth is money off, however the giving is said.
        ("rep", "第一年再送硬件巡检标签，价值大概三千。", [("discount", 3000, None)]),
        ("rep", "我们可以把喷枪升级为进口品牌，价值十二万，不另收费。", [("discount", 120000, None)]),
        ("rep", "再搭侬两箱三年陈额，一箱价值九十八。", [("discount", 98, "箱")]),
        ("rep", "这台设备价值三十万。", [("price", 300000, None)]),
        # A yearly total said with its period after it; Cantonese 合共 totals.
        ("customer", "三万 六 一年 有点 肉疼", [("quote", 36000, None)]),
        ("rep", "每间铺每年三千六，五间合共一万八。", [("price", 3600, "间"), ("quote", 18000, None)]),
    ],
)
def test_worth_of_gifts_and_yearly_totals(speaker: str, text: str, expected: list) -> None:
    assert shaped(text, speaker) == expected


def test_a_money_word_misheard_is_read_back() -> None:
    import datetime as dt

    from nlp.analyze import Utterance, analyze

    a = analyze([Utterance("八十 千瓦 的 风冷 型 我们 有 现货 单台 抱价 九 万 六", "rep")], on=dt.date(2026, 6, 1),
                industry="manufacturing", models=False)
    assert [(m.kind, m.yuan, m.unit) for m in a.money] == [("price", 96000, "台")]


@pytest.mark.parametrize(
    ("speaker", "text", "expected"),
    [
        # The customer's ceiling, however it is said: 撑死, the price in mind, a special fund, 以内 after haggling.
        ("customer", "储汽罐用不着，我这儿撑死三十八万。", [("budget", 380000, None)]),
        ("customer", "三十四万八还是高了，我心里价是三十万。", [("quote", 348000, None), ("budget", 300000, None)]),
        ("customer", "我们向区里申请的专项是五十万。", [("budget", 500000, None)]),
        ("customer", "遮阳棚我用不上 你直接再便宜点 两千以内我就拍", [("budget", 2000, None)]),
        # What each gift is worth, said after the gift is counted; a delivery's 送 is no gift.
        ("rep", "一箱算侬一百五十五，再送三只冰酒壶，一只一百二。", [("price", 155, "箱"), ("discount", 120, "只")]),
        ("rep", "我们下周送两台过去，一台一万二。", [("price", 12000, "台")]),
        # 顶天 caps like 撑死; a gift's worth said 价值大约…; money held back per unit is money off.
        ("customer", "你给个实在价，我这儿顶天十五万。", [("budget", 150000, None)]),
        ("rep", "另外可以赠送两年的质控品，价值大约三万六。", [("discount", 36000, None)]),
        ("rep", "到仓库迟到一个钟头每箱扣两块。", [("discount", 2, "箱")]),
        # "Not a cent more" names no amount; one yuan off still is one.
        ("customer", "今年预算得二十万，多一蚊都要老细批。", [("budget", 200000, None)]),
        ("customer", "能不能再少一块钱？", [("discount", 1, None)]),
        # A grade read digit by digit is no price; with a currency word it is one.
        ("rep", "佢嗰啲係三零四冒充嘅，卡套计十六蚊。", [("price", 16, None)]),
        ("rep", "一台三零四块。", [("price", 304, "台")]),
    ],
)
def test_ceilings_and_each_gift_worth(speaker: str, text: str, expected: list) -> None:
    assert shaped(text, speaker) == expected


@pytest.mark.parametrize(
    ("speaker", "text", "expected"),
    [
        # 多一分都不行 after an amount: the amount exactly, not "a little more than" it.
        ("customer", "我这预算就五十五万，多一分都不行。", [("budget", 550000, None)]),
        ("customer", "我这预算 就五十五万 多一分都不行", [("budget", 550000, None)]),
        # 退 given back per unit is money off; 一卷就是… the price of a roll.
        ("rep", "您要是这月底之前下单，每桶我给您退八十。", [("discount", 80, "桶")]),
        ("rep", "一公斤十一块二，一卷就是两百八。", [("price", 11.2, "公斤"), ("price", 280, "卷")]),
    ],
)
def test_not_a_cent_more_rebates_back_and_a_roll(speaker: str, text: str, expected: list) -> None:
    assert shaped(text, speaker) == expected


@pytest.mark.parametrize("text, yuan", [("每片一块三毛五。", 1.35), ("每只两块零五。", 2.05), ("一块二毛钱一个。", 1.2)])
def test_yuan_tenths_and_cents(text: str, yuan: float) -> None:
    assert [m.yuan for m in money_in(text, "rep")] == [yuan]


def test_a_count_of_ten_after_a_spoken_amount_is_no_part_of_it() -> None:
    # ASR text: 一千八 | 十台 — 1 800 a unit and ten units, not 1 810 units.
    got = [(m.kind, m.yuan, m.unit) for m in money_in("一台 一千八 十台 就是 一万八", "rep")]
    assert got == [("price", 1800.0, "台"), ("quote", 18000.0, None)]


def test_a_total_for_doors_or_phones_and_cantonese_cheaper_per_unit() -> None:
    assert [(m.kind, m.yuan) for m in money_in("六扇一万三千八。", "rep")] == [("quote", 13800.0)]
    assert [(m.kind, m.yuan, m.unit) for m in money_in("每部平一万二，再送一年服务。", "rep")] == [("discount", 12000.0, "部")]


@pytest.mark.parametrize(
    "text, expected",
    [("让价后一百八十九万二，离预算还有十四万二。", [("quote", 1892000.0), ("quote", 142000.0)]),
     ("让了还一万八千三，还是超出我们预算两千三。", [("quote", 18300.0), ("quote", 2300.0)]),
     ("七千八还是超个，一间还差八百。", [("price", 800.0)]),
     ("我再让六万，外加一整年质控品，价值一万四。", [("discount", 60000.0), ("discount", 14000.0)]),
     ("我同主管申请多一张一百五嘅券。", [("discount", 150.0)])],
)
def test_what_a_cut_leaves_how_far_over_and_gifts_round_twelve(text: str, expected: list) -> None:
    assert [(m.kind, m.yuan) for m in money_in(text, "customer" if "预算" in text or "超" in text else "rep")] == expected


def test_round_thirteen_money() -> None:
    assert [(m.kind, m.yuan_low, m.yuan_high, m.unit) for m in money_in("网上差不多的才卖三四千一只。", "customer")] == [
        ("price", 3000.0, 4000.0, "只")]
    assert [(m.kind, m.yuan) for m in money_in("全套 五十 六万 八 安装 另外 收 一万 二", "rep")] == [
        ("quote", 568000.0), ("quote", 12000.0)]
    assert [(m.kind, m.yuan) for m in money_in("安装费一万二我给你免了。", "rep")] == [("discount", 12000.0)]
    # 四十五架 counts trucks (架, Cantonese), it prices nothing
    assert 45.0 not in [m.yuan for m in money_in("每 架 车 每个 月 六十 蚊 四十五 架 一个 月 两千 七", "rep")]


def test_round_fourteen_amounts() -> None:
    # A trailing 一 before a measure word (樘, 趟) counts the goods: 1 260 a door, not 1 261.
    assert found("乙级单价一千二百六一樘。", "rep") == [("price", 1260)]
    assert [y for _, y in found("一桶卖六百四一趟。", "rep")] == [640]
    # The full-width comma ends a clause; it groups no digits (30，738 is 30, then 738).
    assert 30738 not in [y for _, y in found("再减30，738到手。", "rep")]
    assert parse_number("1,200") == 1200


@pytest.mark.parametrize("text", ["机油要CF4以上十五W四十的。", "机油用5W-30的。", "要304不锈钢的螺栓。",
                                  "他们那个是201冒充304的。", "M10×30的螺栓。", "要一只八十公分的柜子。", "配一台八十型的滚筒。"])
def test_grades_and_sizes_are_no_money(text: str) -> None:
    assert found(text) == []


def test_round_fifteen_amounts() -> None:
    # 廿 / 卅 are twenty / thirty, also before 几 (廿几万 is 200 000–300 000).
    assert parse_number("廿八") == 28 and parse_number("卅五") == 35
    assert found("一个月要廿八蚊。", "rep") == [("quote", 28)]
    assert [(m.yuan_low, m.yuan_high) for m in money_in("别家先至廿几万。", "customer")] == [(200_000, 300_000)]
    # Two neighbouring digits after 百 are a range of tens: 二百五六 is 250–260, not 256.
    assert [(m.yuan_low, m.yuan_high) for m in money_in("一平才二百五六。", "customer")] == [(250, 260)]
    # An Arabic number after 块 that goes on with a decimal is no 毛: 一块1.18w is a screen at 11 800.
    assert found("86寸一块1.18w，30块35.4w。", "rep") == [("price", 11_800), ("quote", 354_000)]


@pytest.mark.parametrize(
    "text, expected",
    [("锅炉的安装费一万二也不收了。", [("discount", 12000.0)]),
     ("接口费一万八全部免脱。", [("discount", 18000.0)]),
     ("台下盆的开孔费三百也给您免了。", [("discount", 300.0)]),
     ("价数就照五十万，零头一千五免掉。", [("quote", 500000.0), ("discount", 1500.0)]),
     ("数据迁移那五千俺也不收了。", [("discount", 5000.0)]),
     ("价钱 我再给您 抹掉一百二 四千零九十二 包邮", [("discount", 120.0)])],
)
def test_fees_waived_and_money_wiped_off_round_sixteen(text: str, expected: list) -> None:
    """A fee waived (也不收了, 全部免脱, 也给您免了) or money wiped off (抹掉一百二) is a discount in money."""
    assert [(m.kind, m.yuan) for m in money_in(text, "rep")] == expected


def test_the_price_left_after_the_tail_is_wiped_stays_a_quote() -> None:
    assert [(m.kind, m.yuan) for m in money_in("零头抹掉 四十万整 您看 要得不", "rep")] == [("quote", 400000.0)]


@pytest.mark.parametrize("text", ["我们仓里跑着28台3t电叉，铅酸电池想全换成锂电。", "您来展厅试弹的那款88键电钢。",
                                  "阿拉两只场加起来有一千二百头母猪。"])
def test_tonnes_keys_and_head_of_livestock_are_no_money(text: str) -> None:
    assert found(text) == []


def test_counts_round_sixteen() -> None:
    # 一共十一延米 counts eleven metres of cabinet; it is not 10 a metre.
    assert 10.0 not in [y for _, y in found("地柜一延米两千二，一共十一延米地柜、七延米吊柜，合下来三万五千四。", "rep")]
    # 一百片 after a price is the next count, not part of the number (三百八 一百片 is not 380 100).
    assert ("price", 380) in found("纱轮 一片三百八 一百片 三万八", "rep")
    # 头一年 is the first year: 一千 before it is still the money given off per unit.
    assert [(m.kind, m.yuan) for m in money_in("一台 让 一千 头一年 的 滤芯 免费 给 换", "rep")] == [("discount", 1000.0)]


def test_round_seventeen_money() -> None:
    # The rep's boss approving a price makes it the offer, not a budget.
    assert found("价钱 我找 老板 批了 最后 两万三 整", "rep") == [("quote", 23000)]
    assert found("价钱 我找 经理 又申请了 一回 整条线 五十七万 真的 到底了", "rep") == [("quote", 570000)]
    # Hokkien 干焦 (only) and 只肯出 cap what the customer can spend.
    assert found("阮这季度刀具的钱干焦四万。") == [("budget", 40000)]
    assert found("我哋股东只肯出二十五万。") == [("budget", 250000)]
    # Hokkien 外 is 多: 六百外 is 600–700.
    assert [(m.kind, m.yuan_low, m.yuan_high, m.unit) for m in money_in("恁一片贵六百外。", "customer")] == [
        ("price", 600.0, 700.0, "片")]
    assert [(m.yuan, m.yuan_low) for m in money_in("报价五千外加运费。", "rep")] == [(5000.0, None)]
    # 元 then a digit is jiao, as after 块: 三十三元六 is 33.6.
    assert ("price", 33.6) in found("定制款一箱三十三元六。", "rep")
    # The rep listing items before their sum: each is a price; a line's total after a count or a cut is not.
    assert found("那您看这款能转的，座椅两千六百八，再配个遮阳篷一百二，一共两千八。", "rep") == [
        ("price", 2680), ("price", 120), ("quote", 2800)]
    assert 22228 not in [y for _, y in found("22320那个型号一套一千八百六，22228的一套一千二百四，一共差不多六万二。", "rep")]
    assert 25000 not in [y for _, y in found("25kg一袋，一袋285，按每亩两袋算，一共2400袋，合计68.4w。", "rep")]


@pytest.mark.parametrize("text", ["我们产科一年分娩量在六千左右。", "我们护理系一年招八百多学生。", "阮合作社一年出铁观音四十万泡。"])
def test_volumes_and_headcounts_are_no_money(text: str) -> None:
    assert found(text) == []


def test_fractions_of_a_yuan_priced_per_unit() -> None:
    assert found("芯片按0.75一个。", "rep") == [("price", 0.75)]
    assert [(m.kind, m.yuan, m.unit) for m in money_in("二维码标签一张一角二。", "rep")] == [("price", 0.12, "张")]
    # a measure stays none: 能到零点零零四, 平面度做到零点零五, 抛光到零点四
    assert found("精度能到零点零零四。", "rep") == []
    assert found("内壁要抛光到零点四以下。") == []


def test_a_whole_set_is_per_set_and_a_rule_not_to_exceed_is_a_budget() -> None:
    assert [(m.kind, m.yuan, m.unit) for m in money_in("按这个配置，一个学生一整套是四百三十八块", "rep")] == [("price", 438, "套")]
    assert [(m.kind, m.yuan, m.unit) for m in money_in("教育局规定一套不准超过四百块", "customer")] == [("budget", 400, "套")]


def test_round_eighteen_square_metres_cups_and_a_final_offer() -> None:
    # 个平方 is square metres, not Cantonese 个平 (cheaper by): fourteen of them cost 2 352
    assert found("十四个平方两千三百五十二", "rep") == [("quote", 2_352)]
    assert [(m.yuan, m.unit) for m in money_in("三百三都仲系贵过而家嗰只成五毫一罐", "customer")][-1] == (0.5, "罐")  # 一罐 is per can
    assert found("一日丝袜奶茶卖成两千杯") == []  # cups sold, no money
    assert found("我们的龙骨是加厚的。最后给您四千二，厨房灯照送。", "rep") == [("quote", 4_200)]


def test_round_nineteen_counts_specs_and_a_conceded_step() -> None:
    assert found("我再 让 一步 二十五 万 八 是 最低 了", "rep") == [("quote", 258_000)]  # 让一步 concedes, no discount
    assert found("您 看 我们 这款 十六 通道 的 充电 款 一对 九千 八", "rep") == [("price", 9_800)]       # 十六通道 is no money
    assert found("今年内镜检查量预计一万二千例") == []
    assert found("放大倍数得到一千六，得是LED光源的") == []
    assert found("阮股东讲今年设备的钱上济五十五万。") == [("budget", 550_000)]          # Hokkien 上济: at most


def test_round_twenty_a_yuan_sign_before_the_number_and_the_items_summed() -> None:
    said = [(m.phrase, m.kind, m.yuan) for m in money_in("推荐这款～床¥1599，床垫¥459，全部¥2058哦", "rep")]
    assert said == [("¥1599", "price", 1599.0), ("¥459", "price", 459.0), ("¥2058", "quote", 2058.0)]
    assert [(m.yuan, m.kind) for m in money_in("价值￥129", "rep")] == [(129.0, "price")]
    said = [(m.yuan, m.kind) for m in money_in("轮椅六千八百八，气垫床一千二百八，俩加一块儿八千一百六。", "rep")]
    assert said[-1] == (8160.0, "quote")


def test_round_twenty_one_a_unit_quoted_with_bao() -> None:
    said = [(m.kind, m.yuan, m.unit) for m in money_in("刀片俺们一片报三十二块五，三千片是九万七千五。", "rep")]
    assert said[0] == ("price", 32.5, "片")
    said = [(m.kind, m.yuan, m.unit) for m in money_in("一寸四层钢丝管我哋每米报一百二十八，八百米系十万二千四。", "rep")]
    assert said[0] == ("price", 128.0, "米")
    assert found("这台设备报一百二十八万", "rep") == [("quote", 1_280_000)]  # no unit before 报: the offer


def test_round_twenty_one_a_count_after_an_arabic_amount_and_whispers_yigong() -> None:
    said = [(m.kind, m.yuan) for m in money_in("一台23万8两台47万6", "rep")]
    assert said == [("price", 238_000.0), ("quote", 476_000.0)]
    assert found("综合模拟人三十八万一台，一供一百万", "rep")[-1] == ("quote", 1_000_000)


def test_round_twenty_four_a_discount_the_customer_refers_back_to() -> None:
    # The rep offered 九五折; the customer works out what it gives: the ratio is not offered again.
    offered = money_in("椰浆可以打九五折", "rep")
    assert [(m.kind, m.ratio) for m in offered] == [("discount", 0.95)]
    said = shaped_by("椰浆九五折二百零五蚊二，一箱仲贵五蚊二。", "customer", earlier=tuple(offered))
    assert ("discount", 0.95, None) not in said and said
    # With no such offer before, the customer's 九五折 is a discount of its own.
    assert ("discount", 0.95, None) in shaped_by("椰浆九五折二百零五蚊二，一箱仲贵五蚊二。", "customer")


def test_round_twenty_nine_arabic_places_after_wan_and_the_three_to_five_idiom() -> None:
    assert found("三样各300箱一共18万零600，总共18万9100。", "rep") == [("quote", 180_600), ("quote", 189_100)]
    said = shaped_by("我本来想三五千块钱搞定。", "customer")
    assert [s[1] for s in said] == [(3_000.0, 5_000.0)]
    assert [s[1] for s in shaped_by("预算就三五万。", "customer")] == [(30_000.0, 50_000.0)]


def test_round_twenty_nine_the_excess_said_alone_and_a_spending_limit() -> None:
    assert found("二十一万，多一万……中，俺认了。") == [("quote", 210_000), ("quote", 10_000)]
    assert found("18.5w，多出来5000，那就这样吧") == [("quote", 185_000), ("quote", 5_000)]
    assert found("我方本批刀具采购限额为七十五万元。") == [("budget", 750_000)]
    assert found("我今年冬天进货就打算花三十六万。") == [("budget", 360_000)]
    # how far the offer is over the limit is not the limit
    assert found("合计四十五万六千四百元，仍高出限额两万六千四百元。")[-1] == ("quote", 26_400)


def test_round_thirty_what_the_customer_meant_to_spend() -> None:
    # 本来想 (Whisper's 本赖想) with 以内 as 已内, 寻思, 只批得, the cost the boss set
    assert found("两万零八百 木老老贵 我本赖想一万五已内的")[-1] == ("budget", 15_000)
    assert found("今年技改只批得一百二十万。") == [("budget", 1_200_000)]
    assert found("老板给这批货定的成本就三十二万。") == [("budget", 320_000)]
    assert [s for s in shaped_by("俺寻思一千五上下就够了。", "customer")][0][0] == "budget"
    # a rep's delivery said in 本来 is no budget
    assert found("本来要二十万，现在十八万。", "rep")[0][0] != "budget"


def test_round_thirty_a_line_total_makes_the_amount_before_it_a_unit_price() -> None:
    # an amount, a count with its unit, that many times the amount: the price of one and the line's total
    assert shaped_by("罐子让完八万，四十个三百二十万；", "customer")[:2] == [("price", 80_000, "个"), ("quote", 3_200_000, None)]
    assert shaped_by("灯减完一千零八十，三百盏三十二万四；", "customer")[:2] == [("price", 1_080, "盏"), ("quote", 324_000, None)]
    # the arithmetic must hold: 八万 and 四十个 make no 三百万
    assert shaped_by("罐子让完八万，四十个三百万；", "customer")[0][0] == "quote"
    # 合一块 / 加一块 sum the items: no price per 块
    assert shaped_by("检测仪三十三万七千八百七十五，合一块六十六万一千八百七十五。", "customer")[-1] == ("quote", 661_875, None)
    assert shaped_by("牙椅四十七万四千七百二，加一块一百四十五万四千七百二。", "customer")[-1] == ("quote", 1_454_720, None)


def test_round_thirty_three_one_opening_the_next_word_is_no_trailing_digit() -> None:
    # 三十二万一下子: 320 000 and 一下子 (at once), not 321 000; 块一共: 36 000 yuan, not 36 000.1
    assert [v for _, v in found("三十二万一下子可掏不出来。")] == [320_000]
    assert [v for _, v in found("求幕一套二十六万 一共五十七万三", "rep")] == [260_000, 573_000]
    assert [v for _, v in found("200箱36000块一共99000")][-2:] == [36_000, 99_000]
    # a trailing 一 that is a digit stays one
    assert [v for _, v in found("二十六万一，一共五十万")] == [261_000, 500_000]
    assert [v for _, v in found("一万一")] == [11_000]


def test_round_thirty_four_typed_amounts_before_an_ascii_comma_and_days_with_a_dot() -> None:
    # 2万9800 is 29 800 though an ASCII comma follows (three digits after it would group thousands)
    assert [v for _, v in found("一间考场2万9800,52间154万9600,加起来159万1200", "rep")] == [29_800, 1_549_600, 1_591_200]
    assert [v for _, v in found("一共1,200,000", "rep")] == [1_200_000]
    # a day typed with a dot is no amount
    assert found("进场费我再去申请一下 10.20之前给你回复", "rep") == []
    assert found("进场费一分不能少 11.1我们冬季新品就定了") == []


def test_round_thirty_four_not_a_cent_more_after_an_amount_makes_it_the_budget() -> None:
    assert found("我可以自己再去挤一挤 14万8 不能再多了") == [("budget", 148_000)]
    assert found("这回是158万,一分都不能超") == [("budget", 1_580_000)]
    assert found("我一个月进货就三万，多一分都不中。") == [("budget", 30_000)]
    # the rep's floor is no budget
    assert found("最低14万8，不能再少了", "rep")[0][0] != "budget"


def test_round_thirty_five_typed_places_between_units() -> None:
    # a sum spoken aloud and typed: one Arabic digit per place between the units (9万8千8 is 98 800, not 98 000 and 8)
    assert [v for _, v in found("书是8万3千2, 加接还机一供11万8千2, 在12万以内了.", "rep")] == [83_200, 118_200, 120_000]
    assert [v for _, v in found("十洋10万3千3百60.", "rep")] == [103_360]
    assert [v for _, v in found("一共1万2千5百", "rep")] == [12_500]


def test_round_thirty_five_books_and_file_names_are_no_amounts() -> None:
    # 册 counts books; a number in a sent file's name is a year or a version
    assert found("藏书十四万册，要两台自助借还机") == []
    assert found("图书管得加5000册新书") == []
    assert found("[文件] 云帆ERP报价单2027.pdf", "rep") == []
    assert [v for _, v in found("报价单发你了，一共2027块", "rep")] == [2027]


def test_round_thirty_five_a_chinese_one_after_an_arabic_amount_opens_a_word() -> None:
    # 60万一器 is 仪器 misheard after 600 000, 1.6w一组 is 16 000 a set: after Arabic digits a trailing 一 is no digit
    assert [v for _, v in found("那年采够量降到40万一器照羊放。", "rep")] == [400_000]
    assert [v for _, v in found("隔壁那家才1.6w一组")] == [16_000]
    assert [v for _, v in found("一共十二万一，不能再多")] == [121_000]


def test_round_thirty_five_the_lines_of_a_big_bill_are_line_totals() -> None:
    # a bill that comes to a deal's size: each line is a line's total, small or not
    assert [(k, v) for k, v in found("那就是面八万四，瓜子七万六，标签四千二，一共十六万四千二。", "rep")] == [
        ("quote", 84_000), ("quote", 76_000), ("quote", 4_200), ("quote", 164_200)]
    # two articles of a shop, priced one by one, stay prices
    assert [(k, v) for k, v in found("床一千六百八，椰棕床垫四百二，两样加起来两千一百。", "rep")][:2] == [
        ("price", 1_680), ("price", 420)]
