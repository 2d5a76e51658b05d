"""Objections by type, not negated, not asked, not the rep's."""

from __future__ import annotations

import datetime as dt

import pytest

from nlp.analyze import Utterance, analyze
from nlp.objections import objections_in
from nlp.packs import load_pack


def types(text: str, speaker: str = "customer", industry: str = "manufacturing") -> list[str]:
    return [o.type for o in objections_in(text, speaker, load_pack(industry))]


def analysed(text: str, industry: str) -> list[str]:
    """The types analyze() reports for a customer's text, rules alone (clauses, spacing and packs as in the product)."""
    a = analyze([Utterance(text, "customer")], on=dt.date(2026, 6, 1), industry=industry, models=False)
    return [o.type for o in a.objections]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("价格方面你们比上一家贵了差不多百分之十五。", ["price"]),
        ("三十二万八超预算了。", ["price"]),
        ("总价一百零八万我们接受不了。", ["price"]),
        ("你们送货太慢了，上次下单等了五天才到。", ["delivery"]),
        ("交期太长了，等不了。", ["delivery"]),
        ("你们的售后网点太少，上次坏了一个礼拜都没人来修。", ["service"]),
        ("你们的客服太慢了。", ["service"]),
        ("国产的我们不太放心。", ["other"]),
        ("我们已经有固定的供应商了。", ["other"]),
        ("价格贵，交期也长。", ["price", "delivery"]),
        ("能不能再便宜一点？", ["price"]),
    ],
)
def test_types(text: str, expected: list[str]) -> None:
    assert types(text) == expected


@pytest.mark.parametrize("text", ["价格不高，质量也不错。", "价格高不高？", "有没有现货？", "晚了就赶不上四月份的订单了。",
                                  "交期没问题。"])
def test_not_objections(text: str) -> None:
    assert types(text) == []


def test_not_the_price_but_delivery() -> None:
    assert types("价格倒不是问题，主要是你们的配送跟不上。", industry="fmcg_distribution") == ["delivery"]


def test_the_rep_does_not_object() -> None:
    assert types("您是不是觉得价格贵？", speaker="rep") == []
    assert types("您是不是觉得价格贵？", speaker="unknown") == []


def test_objection_keeps_its_clause() -> None:
    found = objections_in("嗯，价格有点贵，我们再看看。", "customer", load_pack("saas"), ref="segment:4")
    assert [(o.type, o.text, o.ref) for o in found] == [("price", "价格有点贵", "segment:4"),
                                                         ("other", "我们再看看", "segment:4")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the examples: questions, complaints about the past, competitors, hedged refusals
        ("交期能保证吗？上次晚了半个月", ["delivery"]),
        ("售后服务怎么保障？", ["service"]),
        ("别家才卖八万", ["price"]),
        ("一箱一百零八？我们现在的供货商才九十六一箱。", ["price"]),  # the current supplier's price
        ("二十二蚊一箱？我而家嘅供应商先至十九蚊半。", ["price"]),
        ("但是听同行说，你们系统升级的时候停了一整个下午。", ["other"]),  # a fault heard of
        ("还有，听别个讲你们冲击波的探头半年就要换。", ["other"]),
        ("我们再考虑考虑", ["other"]),
        ("预算批不下来", ["price"]),
        # customers' own phrasing on calls (development set) and in reviews
        ("六十天您能保证吗？听说你们给二院装的那台拖了快半年", ["delivery"]),
        ("比 我 想 的 高 一点", ["price"]),
        ("零头能不能抹了", ["price"]),
        ("价格三十万整的话我就签", ["price"]),
        ("还有 上 次 那批 货 有 好几 箱 漏 液 的 到 现在 还 没 给 我们 换", ["service", "other"]),
        ("十五 寸 太 小 了 家长 在 门口 看 不 清 二十一 寸 的 你们 能 不 能 打 个 八五折", ["price", "other"]),
        ("就是上菜太慢了，服务员也不积极", ["service"]),
        ("设施陈旧破烂", ["other"]),
        ("门票小贵", ["price"]),
    ],
)
def test_objections_in_customers_own_words(text: str, expected: list[str]) -> None:
    assert sorted(types(text)) == sorted(expected)


@pytest.mark.parametrize("text", ["性价比很高", "价格不高，交期也不长", "如果晚了就赶不上工期", "这个价格还可以",
                                  "环境很好，价格公道"])
def test_praise_negation_and_conditions_are_not_objections(text: str) -> None:
    assert types(text) == []


def test_a_reps_probe_with_objection_words_is_not_an_objection() -> None:
    assert types("您是觉得价格高吗？还是交期能保证吗？", "rep") == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # quality and function in the customer's words
        ("这批杯子的把手不结实", ["other"]),
        ("那台打印机总是报警", ["other"]),
        ("面包难吃得要命", ["other"]),
        ("网络连不上，后台也登不上", ["other"]),
        ("柜门用了三个月就起泡了", ["other"]),
        ("上回那批灯管不太行", ["other"]),
        ("米饭夹生", ["other"]),
        # service attitude and nobody taking responsibility
        ("收银员不太耐心", ["service"]),
        ("出了事打电话也没人理", ["service"]),
        ("这是什么态度", ["service"]),
        ("销售一直推销会员卡", ["service"]),
        ("配件你们一直没派人送来", ["service"]),
        # price: margins, fees, haggling, a quoted figure echoed back with doubt
        ("这个货我们卖一件亏本", ["price"]),
        ("安装费稍微高了点", ["price"]),
        ("六千八有点高", ["price"]),
        ("您给个实诚价吧", ["price"]),
        ("你给我算九十五", ["price"]),
        ("铜价都降了", ["price"]),
        ("这个数超出我们的预期了", ["price"]),
        ("三万二啊……我再想想", ["price"]),
        ("两千四我再考虑考虑", ["price"]),
        ("人家那边安装都是免费的", ["price"]),
    ],
)
def test_complaints_in_customers_general_words(text: str, expected: list[str]) -> None:
    assert sorted(types(text, industry="fmcg_distribution")) == sorted(expected)


@pytest.mark.parametrize(
    "text",
    [
        "我们厂里那台老冲床噪音太大了，想换台新的",   # the customer's own old machine is why it buys
        "原来的旧系统老是死机，所以才找你们",
        "我们现在的叉车用了十年了，经常坏",
        "之前用过一家，老是掉线",                  # another vendor's product
        "下个 月 要是 还 连 不 上 我们 就 不 续 了 你们 看着 办",   # a conditional threat
        "合同能不能用我们自己的模板",              # 能不能用 asks, it does not say it does not work
        "我们用量少，先拿五十箱",
    ],
)
def test_own_old_equipment_instructions_and_threats_are_not_complaints(text: str) -> None:
    assert "other" not in types(text, industry="fmcg_distribution")
    assert "service" not in types(text, industry="fmcg_distribution")


@pytest.mark.parametrize("text", ["明天送货别晚了，下午厂里没人收", "不过你也别抱太大希望"])
def test_instructions_and_warnings_are_not_objections(text: str) -> None:
    assert types(text, industry="industrial_distribution") == []


def test_hesitation_about_a_quantity_stays_other() -> None:
    assert types("两台，我再考虑考虑") == ["other"]


def test_wanting_to_switch_to_a_product_is_not_an_objection() -> None:
    assert types("我们想换成一台大一点的机器") == []
    assert types("明年打算换成别家的系统") == ["other"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("下单都两周了怎么还没发货？", ["delivery"]),    # a complaint even as a question
        ("说好月初送，结果月底才到", ["delivery"]),
        ("你们比同行贵", ["price"]),
        ("这个报价有点离谱", ["price"]),
        ("隔壁那家还送上门安装", ["price"]),
        ("其他家的比你们的耐用", ["other"]),
        ("插头一碰就掉", ["other"]),
        ("颜色跟样品不一样", ["other"]),
        ("电机用起来特别费电", ["other"]),             # 特别 is not 别 (an instruction)
        ("我们先观望一下", ["other"]),
    ],
)
def test_late_goods_competitors_and_faults(text: str, expected: list[str]) -> None:
    assert sorted(types(text, industry="fmcg_distribution")) == sorted(expected)


@pytest.mark.parametrize("text", ["下个月就来不及了，我们月底要开业", "明年肯定赶不上了", "我们还没发货给下游", "这批货还没到期"])
def test_the_customers_own_deadlines_and_shipments_are_not_objections(text: str) -> None:
    assert types(text) == []


def test_a_lead_time_too_long_still_objects() -> None:
    assert types("三个月就来不及了") == ["delivery"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a product's faults in forum wording: a defect word with a degree or a result
        ("这台打印机用了半年越来越卡了", ["other"]),
        ("平板一开视频就卡得要死", ["other"]),
        ("手表掉电特别快", ["other"]),
        ("路由器发热很明显", ["other"]),
        ("扫地机都发烫", ["other"]),
        ("这副耳机续航太拉胯了", ["other"]),
        ("外观还行，散热确实不行", ["other"]),
        ("投影仪的画质真的很差", ["other"]),
        ("新固件还不如老版本", ["other"]),
        ("这台的信号不如果粉吹的那么好", ["other"]),   # 不如 + 果粉, not 如果
        ("门锁的指纹识别了个寂寞", ["other"]),          # 识别 is not 别 (an instruction)
        ("这个型号是有硬伤的", ["other"]),
        ("电视的颜色怎么调都偏绿", ["other"]),
        ("人像模式拍出来很不自然", ["other"]),
        ("实物和宣传的完全不一样", ["other"]),
        ("老款的蓝牙确实不行", ["other"]),
        ("键盘的充电速度慢", ["other"]),
        ("[允悲]这代的性能跟不上了", ["other"]),
        # value, price drops and budgets
        ("一个保温杯卖得这么贵", ["price"]),
        ("这不就是割韭菜嘛", ["price"]),
        ("工资都不够，这款我买不起", ["price"]),
        ("刚下单就降价了两百", ["price"]),
        ("这做工配不上它的定价", ["price"]),
        # stock-outs and waits for goods
        ("连着三天都抢不到货", ["delivery"]),
        ("下单后等了二十天才收到", ["delivery"]),
        # after-sales refusing or a repair trip that drags on
        ("售后不给换，非说是人为损坏", ["service"]),
        ("返厂维修来回折腾太麻烦", ["service"]),
        # one long clause faulting both the product and its price
        ("这个投影仪画质差成这样居然还卖那么贵", ["price", "other"]),
        # a review's fault after praise
        ("菜品不错，就是没有停车场", ["other"]),
        ("店面挺干净，就是位置不太好找", ["other"]),
        ("上菜前等待的时间特别长", ["service"]),
        ("服务很热情，只是离地铁远了点", ["other"]),
        ("汤底很鲜，就是稍微有点咸", ["other"]),
        ("外形好看，可惜有点笨重", ["other"]),
        ("屏幕一般，还卖得贵", ["price", "other"]),
    ],
)
def test_product_price_delivery_and_service_complaints_in_forum_words(text: str, expected: list[str]) -> None:
    assert sorted(types(text, industry="fmcg_distribution")) == sorted(expected)


@pytest.mark.parametrize(
    "text",
    [
        "现在用起来一点都不卡",                        # negated
        "打游戏的时候发热严重吗？",                    # asked
        "日常用会不会发热严重吗[doge]",                # asked, before a forum emoticon tag
        "那款耳机续航有点拉胯是真的吗，",              # asked, before a comma
        "无线充电不是退步",                            # denied
        "审批还卡在财务那里",                          # 卡在: held up, not lagging
        "防割手套要两百双",                            # 防割手套, not 割手
        "两家的配置差不多",                            # 差不多, not 差
        "最多两个版本就修好了",                        # 最多 two versions, not a price ceiling
        "这个月就是有点忙",                            # busy, not a fault
        "这次可别让我们失望",                          # a hope, not a disappointment
        "预算就卡到月底",                              # 卡到: a limit, not lagging
        "快递到了[裂开]，颜色挺正",                     # an emoticon tag, not a crack
    ],
)
def test_negated_asked_and_look_alike_product_words_are_not_objections(text: str) -> None:
    assert types(text, industry="fmcg_distribution") == []


def test_a_wait_for_a_repair_visit_is_not_a_delivery_complaint() -> None:
    assert "delivery" not in types("机器坏了报修，结果等了四天才来人", industry="fmcg_distribution")


@pytest.mark.parametrize(
    "text",
    [
        "我们用过的那个平台老卡顿，所以想换一家",      # a platform used before
        "我们目前用的收银软件很卡，想升级一下",        # the customer's own system: why it buys
        "以前那家的打印机老是发烫，这次想换个牌子",    # another vendor's product
    ],
)
def test_faults_of_the_customers_own_or_a_former_vendors_product_are_not_objections(text: str) -> None:
    assert types(text, industry="saas") == []


def test_a_wait_that_ended_well_is_not_a_delivery_complaint() -> None:
    assert types("等了两个月终于批下来了", industry="saas") == []


def test_forum_complaint_words_from_the_rep_are_not_objections() -> None:
    assert types("您是担心用久了越来越卡吗？", "rep") == []
    assert types("我们这款不会卡，也不会发热严重", "rep") == []


@pytest.mark.parametrize("text,expected", [
    # another seller's price, with an amount after 才/报/只要
    ("城东那家才卖六万二一台。", ["price"]),
    ("隔篱嗰间报紧九十蚊。", ["price"]),
    ("网上同款三千二就拿下了。", ["price"]),
    # what a discount still leaves, and what is still over
    ("打了九折也要十八万。", ["price"]),
    ("让了两千还是三十一万。", ["price"]),
    ("八十八万还是差八万。", ["price"]),
    ("这样已经超出预算了。", ["price"]),
    # a ceiling set against the price
    ("我们今年的预算顶多二十万。", ["price"]),
    ("钞票只有八万，多了拿不出。", ["price"]),
    # dear in regional speech
    ("呢个价都几贵喎。", ["price"]),
    ("一千二有眼眼贵。", ["price"]),
    # a delay told a clause after when it happened
    ("去年你们送的那批管子，说好一周到，结果拖了二十天。", ["delivery"]),
    # promised and never done
    ("上个季度的返利到现在还没兑现。", ["service"]),
])
def test_objections_third_round(text: str, expected: list[str]) -> None:
    assert types(text) == expected


@pytest.mark.parametrize("text", [
    "我们一家店一个月才卖五十箱。",      # the customer's own sales, not another seller's price
    "如果拖了工期就麻烦了。",            # a risk, not a past delay
    "上回修的那台，拖了一周才修好。",    # a repair: not a delivery
])
def test_not_objections_third_round(text: str) -> None:
    assert types(text) == []


@pytest.mark.parametrize("text,expected", [
    ("这代拍照真的垫底。", ["other"]),
    ("用了半年掉电还是快。", ["other"]),
    ("屏幕一直没货。", ["delivery"]),
    ("设备不能太吵。", []),  # a limit asked for, not a complaint
    ("刚买没多久就降价了。", ["price"]),
    ("劝大家别买这款。", ["other"]),
])
def test_forum_complaints_third_round(text: str, expected: list[str]) -> None:
    assert types(text, industry="fmcg_distribution") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("四十天太长了，投产不能晚于五月二十号。", ["delivery"]),
        ("去年侬拉个冷链车到得晚，酸奶到店已经是温的。", ["delivery"]),
        ("前头买侬个消毒柜坏脱，打了三趟电话侬搭公司才派人来。", ["service"]),
        ("二期你们供的推拉窗胶条开裂，整改至今没有完成。", ["other", "service"]),
    ],
)
def test_lead_times_late_trucks_slow_repairs(text: str, expected: list[str]) -> None:
    assert types(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Declining what the rep throws in objects to the offer (round eight).
        ("保养 不用 送 我们 自己 有 机修", ["other"]),
        ("雨罩我们用不着，换成钱给我便宜点儿吧", ["other", "price"]),
        ("冷柜贴就勿要了，阿拉店里勿许乱贴。", ["other"]),
        # …but a delivery called off or arranged is none.
        ("你明天不用送了，我自己来拿", []),
        ("这个不用送到楼上", []),
        # Nobody coming to repair, in Cantonese and plain speech; a long wait for the engineer.
        ("漏气我哋报咗三次都冇人嚟睇。", ["service"]),
        ("报了故障一个礼拜没人去", ["service"]),
        ("坏一次等工程师要四五天，科里最怕这个。", ["service"]),
        ("没人去过那边", []),
    ],
)
def test_declined_gifts_and_nobody_coming(text: str, expected: list[str]) -> None:
    assert analysed(text, "medical_devices") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A counter-offer is a price objection, with or without 我就签.
        ("那 行 你 把价 弄到 一百九十万 以内 国庆 以前 一定 要 装完", ["price"]),
        ("价钱你做到二百八十五，九月五号前送齐八十支，我就同老细讲。", ["price"]),
        # Dearer than another, even asked; a rise by an amount.
        ("三百二？我哋之前都系二百九左右，你哋国产仲贵过佢？", ["price"]),
        ("上个月才三百九十多，这一个月涨了三十多块。", ["price"]),
        # Trucks late are delivery; a repair that took calling again and again is service.
        ("不过阿拉听讲侬拉冷链车经常迟到。", ["delivery"]),
        ("去年侬拉送个那批雾化器，坏脱两只，打了三趟电话才来修。", ["service"]),
        # Not: a price the customer accepts, a person late.
        ("价格你们定，我们这边没意见。", []),
    ],
)
def test_counter_offers_comparisons_late_trucks_and_slow_repairs(text: str, expected: list[str]) -> None:
    assert analysed(text, "fmcg_distribution") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Another seller named in one clause, its lower price in the next.
        ("去年我们隔壁厂子买的燃气的，一台才二十万出头。", ["price"]),
        ("我们上次在网上看的，同样规格一百六十多就有。", ["price"]),
        # A count is no price.
        ("隔壁店卖得好，一天才卖五十箱。", []),
    ],
)
def test_another_sellers_price_in_the_next_clause(text: str, expected: list[str]) -> None:
    assert analysed(text, "manufacturing") == expected


@pytest.mark.parametrize("text", ["一百八十六万比我们预想的多太多了。", "区里今年给的装备经费统共十二万，还要留点儿买讲台。"])
def test_over_what_was_expected_or_allotted(text: str) -> None:
    assert analysed(text, "education_equipment") == ["price"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Spaces put at random inside words (short runs) are not pauses: the clause holds together.
        ("一万四 还行 吧不过 上 次那个 齿轮油送来 的时候有两桶是 瘪 的漏 了一地 后来 也没 人来 处理", ["service"]),
        # A repair that took days is service, not a late delivery.
        ("钱倒不是 问题 关键是响应要快 上回 报修拖 了三 天才 有 人来病人可 等不 了", ["service"]),
    ],
)
def test_irregularly_spaced_transcripts_and_slow_repairs(text: str, expected: list[str]) -> None:
    assert analysed(text, "industrial_distribution") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # A breakdown told for the wait it caused is about service, not the product.
        ("前年从你们这儿买的那台磨床，坏了打电话，等了一个礼拜才来人。", ["service"]),
        ("你们的压片机坏了等了半个月才来人。", ["service"]),
        # A breakdown alone is about the product.
        ("用了两次就坏了。", ["other"]),
    ],
)
def test_a_breakdown_and_the_wait_for_repair(text: str, expected: list[str]) -> None:
    assert analysed(text, "medical_devices") == expected


@pytest.mark.parametrize(
    "text",
    [
        # Another seller's price said as little: 才十来万, 只有一万八九, 也就…左右, …就有.
        "三十六万八哦？你莫开玩笑，我朋友在郫县买的那种半自动的，才十来万。",
        "十万块出头啊？隔壁街道那家养老院买个，讲一张只有一万八九。",
        "另外兄弟学校用的进口品牌，一间据说也就十八万左右。",
        "十二万七 你这也太 黑了吧 网上同 型号七八 千就有",
    ],
)
def test_a_rival_sells_for_less(text: str) -> None:
    assert "price" in types(text)


@pytest.mark.parametrize("text", ["我朋友说你们售后挺好，才十来天就修好了。", "隔壁厂子只有三个人会用。"])
def test_a_rival_with_a_count_is_no_price(text: str) -> None:
    assert "price" not in types(text)


@pytest.mark.parametrize(
    "text",
    ["让一万二还是多。", "减三仙都仲系贵。", "下浮后九百九十七块五，仍高于我们的控制价九百五十元。", "十一块八还差点意思。",
     "一万四的话是十六万八，比区里给的多出八千。", "区里给我们批的钱才十六万，差一大截呢。"],
)
def test_still_too_much_after_a_cut(text: str) -> None:
    assert "price" in types(text)


@pytest.mark.parametrize("text", ["今年销量比去年涨了一倍。", "这台比那台多出两个接口。"])
def test_more_of_something_else_is_no_price(text: str) -> None:
    assert "price" not in types(text)


def test_a_helper_who_vanished_is_service() -> None:
    assert "service" in types("还有啊，去年你们那个促销员，说好干一个月，干了十天就没影了。")


@pytest.mark.parametrize("text", ["四百盒太多喇，我哋细铺。", "端头陈列要得。但是一百箱太多了，我们先拿五十箱试一下。"])
def test_an_order_too_large_is_other(text: str) -> None:
    # The later label guides (holdout8–10) count it; holdout4 and nlp_train_e did not.
    assert types(text) == ["other"]


@pytest.mark.parametrize(
    "text",
    ["缠膜机阿拉有三台，勿要送。", "耳机我们有，不要送。", "运维我们信息中心可以自行承担，不必赠送。", "奶瓶刷就不要了，家里买过。",
     "保养我们设备科自己就能做，这一项可以不要。", "胶免喇，我哋有固定供应商。"],
)
def test_a_gift_declined_is_other(text: str) -> None:
    assert types(text) == ["other"]


@pytest.mark.parametrize("text", ["咁耐我等唔起。", "侬拉上趟送样品就晏了三日。"])
def test_dialect_late_is_delivery(text: str) -> None:
    assert types(text) == ["delivery"]


def test_declining_a_payment_option_is_no_objection() -> None:
    assert types("分期就唔使喇。最紧要系九月中之前搞掂。", industry="saas") == []


@pytest.mark.parametrize(
    "text",
    ["让完也还要八十六万，超出我们的预算。", "减完 还 四十二万三 还是 多了", "优惠完还三千六，俺们撑死三千。",
     "打完折都仲要五十一万。"],
)
def test_what_a_cut_still_leaves_is_price(text: str) -> None:
    assert "price" in types(text)


def test_what_a_cut_leaves_in_days_is_no_price() -> None:
    assert "price" not in types("打完折还要三十天才能到货吗？我们无所谓。")


@pytest.mark.parametrize(
    "text",
    ["九千四？对面那家五金店报的八千九。", "俺们村老王家装的才一万一。", "我在别的平台看到同款才六百多。",
     "嗰间铺头先至三千蚊咋。", "眼下用着的那套系统一年才八千出头。", "我们现在使的是免费版，一分钱不花。",
     "前年你们才四百二，今年涨了六十。", "比原来那家供应商每箱高出五块。", "两万六，还是有点超。",
     "六十八万 嗯 这个 冒了 一大截"],
)
def test_dearer_than_before_or_elsewhere_is_price(text: str) -> None:
    assert "price" in types(text)


@pytest.mark.parametrize(
    "text",
    ["上回修那台空压机磨蹭了大半个月。", "打咗四次电话先有师傅上嚟。", "部机坏咗，维修佬话一日到，结果等咗五日。"],
)
def test_a_slow_repair_is_service(text: str) -> None:
    assert "service" in types(text)


def test_late_goods_in_cantonese_is_delivery() -> None:
    assert "delivery" in types("你哋话八点前送到，结果十点先嚟。")


def test_wan_yi_inside_an_amount_is_no_condition() -> None:
    # 一万一 holds 万一 ("in case"); an amount is not a hypothetical.
    assert types("俺们村老王家装的才一万一。") == ["price"]


def test_blemishes_as_a_sorting_spec_are_no_complaint() -> None:
    assert types("要按糖度和果面瑕疵分，分到八个等级。") == []
    assert types("这批布好多瑕疵。") == ["other"]


@pytest.mark.parametrize(
    "text",
    ["优惠后仍有八十七万，还超七万。", "减完都仲系九万，仲差一万。", "两千一百九十九，仲系超咗三百。", "让价后五十二万，离预算还有六万。",
     "老板给的数是四十万以内。", "集团批的钱就六十万，再多一个子儿都不行。", "隔壁县有一家才花了七十几万。",
     "同类国产品牌给我们的供价是八十五。", "比我们的概算每平方高了将近五十块。", "九十八万 哎呀 这 太高了",
     "我们的经费覆盖不了。", "一年两万多？老板肯定觉得不值。", "可以再压一压吗？", "我们的毛利空间只有两成。"],
)
def test_price_against_a_budget_or_another_seller_round_twelve(text: str) -> None:
    assert "price" in types(text)


@pytest.mark.parametrize(
    "text, kind",
    [("上回你们给我们修那台烘干机，师傅拖了半个月才来。", "service"), ("报修以后半个月才见人来换。", "service"),
     ("装好了两个礼拜才来调。", "service"), ("上次网购嘅奶粉，寄咗成个礼拜先到。", "delivery"),
     ("打包机我们车间已经配齐了，不需要。", "other"), ("推车俺们自己有，不用。", "other"), ("拉篮阮有了，毋免送。", "other"),
     ("就是担心系统会不会卡住。", "other"), ("合同三年太长，我们只能一年一签。", "other")],
)
def test_service_delivery_and_declined_add_ons_round_twelve(text: str, kind: str) -> None:
    assert kind in types(text)


@pytest.mark.parametrize("text", ["那还差不多。", "一百六还差不多。", "分期就唔使喇。"])
def test_acceptance_is_no_objection(text: str) -> None:
    assert types(text) == []


@pytest.mark.parametrize(
    "text",
    ["减完都仲系三十六万，超咗四万。", "优惠完仍然多出四万多。", "十三万 四千 二 嗯 还 差 点 但 能 跟 老板 张嘴 了",
     "教育局今年下拨个专款只得三十六万。", "我们今年这台设备批的是七十五万。", "我哋老细俾我嘅数系三十二万以内。",
     "别家都是免押金个。", "我们去年在滨河项目租的才三十一。"],
)
def test_price_round_thirteen(text: str) -> None:
    assert "price" in types(text)


@pytest.mark.parametrize(
    "text, kind",
    [("去年报修，工程师三天后才到。", "service"), ("旧年买嗰张床，拖咗七日先送到。", "delivery"),
     ("上回模板缺件补了一个多礼拜。", "delivery"), ("话筒阿拉有了，勿要。", "other"),
     ("这事儿我说了不算，得我们曾总点头。", "other")],
)
def test_service_delivery_other_round_thirteen(text: str, kind: str) -> None:
    assert kind in types(text)


def test_a_phone_a_little_short_of_another_is_no_price() -> None:
    assert "price" not in types("后置照相的话，感觉小米11都还差点。")


@pytest.mark.parametrize(
    "text",
    ["三十八万？佛山有间厂报紧我廿几万，点解你哋贵成咁多？",  # another seller's quote, then why so much dearer
     "厦门那间才九十左右，一箱差十几块。",
     "成都一个厂跟我讲全套十二三万就拿得下。",
     "隔壁区做的才十来万，你们凭啥子多出三万？",
     "八万二 再加 两万 服务费 老板 只肯 出 九万 上下",  # the ceiling the boss allows
     "我们今年这块只批了三十万。"],
)
def test_price_objections_round_fourteen(text: str) -> None:
    assert "price" in types(text)


def test_a_count_from_a_factory_is_no_price_round_fourteen() -> None:
    assert "price" not in types("有间厂一个月要我们三百箱。")


@pytest.mark.parametrize(
    "text, kind",
    [("返三个点也是十八万外。", "price"),  # what a rebate still leaves
     ("维修预算只有六万，超出来五千多。", "price"), ("你哋贵成十几万。", "price"), ("你们凭啥子一间多出五万多喃？", "price"), ("凭咩你哋贵咁多？", "price"),
     ("侬这个贵出来一千多，做啥？", "price"), ("一年要两万多，有点肉痛。", "price"), ("这也太黑了吧。", "price"),
     ("超得太多哒，价钱还要松一松咯。", "price"), ("九折后仍高出一点。", "price"),
     ("学院给的额度是三十五万。", "price"),
     ("合同要先付一半定金？这个我们不接受。", "other"), ("三年我可不敢。", "other"),
     ("半年我做不得主。", "other"), ("阿姨年纪大，怕伊拉学勿会。", "other")],
)
def test_objections_round_fifteen(text: str, kind: str) -> None:
    assert kind in types(text)


@pytest.mark.parametrize("text", ["你们要是还这么整，我可不敢再推荐了。", "黑色的有货吗？"])
def test_no_objection_round_fifteen(text: str) -> None:
    assert "other" not in types(text) and "price" not in types(text)


@pytest.mark.parametrize(
    "text, kind",
    [("我听人讲你们家旺季送货老拖好几天，是不是真的？", "delivery"),  # what the customer has heard, asked
     ("我听说你们家橱柜装完老有门板不平的，真假的？", "other"), ("俺听人说你们那压榨机的布老跑偏，是不是真的？", "other"),
     ("上次买的验光仪，讲好一礼拜，结果拖甲二十工才装好。", "delivery"),  # Hokkien 甲
     ("去年来修那台老折弯机，工程师拖了九天才上门。", "service"),
     ("年度协议我勿敢签个。", "other"), ("一年阮毋敢定。", "other"), ("三年太耐啦，我顶多签一年。", "other"),
     ("你们要求付一半定金，这个比例接受不了。", "other"), ("这个条款我们不接受。", "other"),
     ("俺怕他们压根不用。", "other"), ("怕他操作不明白。", "other")],
)
def test_objections_round_sixteen(text: str, kind: str) -> None:
    assert kind in types(text)


@pytest.mark.parametrize("text", ["我听说你们家新出了一款，有资料吗？", "听说你们要搬厂了。"])
def test_hearsay_without_a_fault_is_no_objection(text: str) -> None:
    assert types(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [("算下来也14.89w，还超2.89w🤔", ["price"]),
     ("八五折还有四十九万四千七，超一万四千七。", ["price"]),
     ("九二折嘛閣四万五千五百四，超阮的数五千外。", ["price"]),
     ("十二万六 傷贵啦", ["price"]),
     ("听同行讲，侬拉个机器绕到后头线会断，是真个伐？", ["other"]),
     ("听讲你哋啲电表停电之后读数会乱，系咪真㗎？", ["other"]),
     ("年度合同我们不签，先签半年。", ["other"]),
     ("再讲订金阿拉从来勿付个，供应商侪是货到再结。", ["other"]),
     ("我们可不接受年年交钱。", ["other"]),
     ("遮阳篷我不稀罕。", ["other"]),
     ("另外 冷天 钓带 会不会 发硬 开裂", ["other"]),
     ("阮茶农大部分五六十岁，手机扫码恐惊袂晓用。", ["other"]),
     ("华南这边报修要等三五天才来，这一点请您说明一下。", ["service"]),
     ("搞坏了冇得人修，原来买的天象仪坏了半年冇人管。", ["service"]),
     ("你们 上一回 供的 卦具 迟了 十来天 才到", ["delivery"]),
     ("去年另一台仪器坏了，贵公司售后拖了两周才派人。", ["service"])],
)
def test_round_seventeen_objections(text: str, expected: list[str]) -> None:
    assert sorted(types(text)) == expected


@pytest.mark.parametrize("text", ["三十一万，超一万，那行吧，俺咬咬牙。", "十五万三，超三千，要得，我自己贴一点。",
                                  "两万三 还超 一千 行吧 我认了", "贺师傅 五点半 就在 店里 你们 莫迟到 咯",
                                  "价格倒不是最要紧的，我最怕的是坏了没人管。之前那台老机器的厂家，电话都打不通。"])
def test_round_seventeen_not_objections(text: str) -> None:
    """Over the budget and taken in the next breath; an order not to be late; a worry, not a past failure."""
    assert "price" not in types(text) and "service" not in types(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # goods late in the past, told with 整整 / 足足, Cantonese 旧年, or heard of a clause before
        ("而且你们去年给我们发的那批限速器钢丝绳，晚了整整一个礼拜，工地上的人天天干等起。", ["delivery"]),
        ("旧年 喺 你哋 度 订 嘅 整烫机 足足 迟咗 半个月 搞到 我哋 要 加班 追货", ["delivery"]),
        ("还有个事，听说你们去年给河西一个学校做的校服，开学两个礼拜了还有三个年级冒到货。", ["delivery"]),
        # a fault heard from anyone (听俺一哥们儿讲, 听行家讲), 成日 = always, 一…就 over a longer gap
        ("再说了，听俺一哥们儿讲，你们家那机器冬天零下二十多度一开机液压站就趴窝，真有这事儿不？", ["other"]),
        ("仲有，我听行家讲，你哋个口扫扫到后牙区成日对唔准，系咪真㗎？", ["other"]),
        # terms refused, worries about use and about the goods, a fault soon after fitting
        ("再说年度协议我们不签，先试仨月", ["other"]),
        ("而且 我 怕 我妈 不会 摆弄 那些 按钮 老太太 记性 不好", ["other"]),
        ("那盒子装在机房里，冬天零下三十度，能不能抗得住，别一冻就掉线。", ["other"]),
        ("上回我朋友屋里装的吊顶，装完半年就掉了一块板子，这个你们怎么保证？", ["other"]),
        # how far over, then taken later in the sentence
        ("四十八万八，超三万八，都OK嘅，差额我同股东倾。", []),
        ("五十八万，超了三万，差额检验科可以从维修预算里腾一点。", []),
        ("20.8w，超8k，我们可以从后勤维修的钱里挤一挤。", []),
        ("四百零五万，超五万，我搭董事会再讲讲，问题应该勿大。", []),
        ("十块零五还要得，比九块五多五毛，我们认了。", []),
        ("五十八万，超了三万，这个差额我们出不了。", ["price"]),
        # a refund that dragged is no late delivery; hearing the rep is no hearsay
        ("旧年额广式月饼卖剩四十几盒，侬讲好包退额，结果拖了两个号头才退掉。", []),
        ("听你讲你们的机器很少坏", []),
    ],
)
def test_round_eighteen_objections(text: str, expected: list[str]) -> None:
    assert [t for t in types(text) if t != "service"] == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("返五个点一吨嘛是八百出头，犹原比厦门贵。", ["price"]),   # still dearer than another, Hokkien 犹原
        ("11.2w，超1.2个w……我得报给宁总批一下", ["price"]),
        ("算下来还是12w出头，超出2w多。", ["price"]),
        ("下个礼拜四甘姑娘喺老店返工，你哋下个礼拜五嚟啦", []),  # Cantonese 返工: goes to work
        ("质量太差又返工了", ["other"]),
    ],
)
def test_round_eighteen_objections_more(text: str, expected: list[str]) -> None:
    assert types(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("二十一万二，超一万二，好个，阿拉从维修费里匀一点。", []),            # over, and taken (Wu 好个)
        ("19.6w，超1.6w，我跟分管的鲁副总申请一下，估计能批。", []),
        ("五百四，一箱也就贵十五，中，就这么地。", []),
        ("一吨七千四，还是比人家贵两百。要得嘛，价格我先报上去", ["price"]),  # the next sentence takes no price
        ("超了两万，这个差额我们出不了。", ["price"]),
        ("你们合同上写的临期品不退不换，这一条我不得签。", ["other"]),     # a clause of the contract refused
        ("延保我唔需要啦，直接再平啲得唔得？", ["other", "price"]),        # an add-on declined
        ("而且我听说那种人脸闸机，戴个帽子、出了汗就认不出来", ["other"]),  # a fault heard of, at once
        ("我表姐买的那个用了两个月就没得吸力了", ["other"]),
        ("阮隔壁店用过恁的系统，讲系统出问题敲电话，客服两工才回。", ["service"]),
        ("贵司的镜子送修以后返回要一个多月，这段时间检查只能停。", ["service"]),
        ("送货你跟各家店长对接", []),                                      # 店长 is no 长 (long)
    ],
)
def test_round_nineteen_objections(text: str, expected: list[str]) -> None:
    assert sorted(types(text)) == sorted(expected)


@pytest.mark.parametrize(("text", "expected"), [
    ("九二折之后依然两百二十一万多，还高出预算十一万多。", ["price"]),
    ("六十八万三？您这价儿可够硬的。", ["price"]),
    ("三万八千八百八，超脱三千多，我再跟阿拉老婆商量商量。", ["price"]),
    ("总价仍为二百六十万零四千，超出目标成本十万零四千。", ["price"]),
    # over, and taken later in the sentence
    ("118.6w，超3.6w，我这边能从备用金里挪。", []),
    ("十六万五还超一万五，不过我去跟余校长讲，应该冒得问题。", []),
    ("八十九，贵一块就贵一块吧，得嘞。", []),
    ("合起来十一万九，比季度的钱多点儿，俺想法儿匀匀。", []),
])
def test_round_twenty_one_price_said_and_price_taken(text: str, expected: list[str]) -> None:
    assert types(text) == expected


def test_round_twenty_one_heard_of_as_whisper_writes_it() -> None:
    assert "other" in types("八八折 也得 88万 还 超 十八万 呢 在说 俺 厅说 你们 这 模以人 用 一年 皮服 就 开列 了 是不是 真哩")
    assert types("我在大厅说了几句。") == []


@pytest.mark.parametrize(("text", "expected"), [
    ("二百一十三万，明显高于我们的预期。", ["price"]),
    ("八十五万一？这个价整得有点凶喽。", ["price"]),
    ("67.14w？？ 这个价我没法往上报", ["price"]),
    ("五十八？俺现在拿的一箱才五十三，一箱差五块，不照不照。", ["price"]),
    ("比我想的高一点，不过能接受。", []),
    ("超了两万，这个价我们不能接受。", ["price"]),
    ("超三万二……行吧，超就超了，年货不能断。", []),
    ("一百八十六万，超出六万元，差额可由科室设备维护经费补足。", []),
])
def test_round_twenty_two_price_said_and_taken(text: str, expected: list[str]) -> None:
    assert types(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the quoted price said back as a question opens the turn
    ("三十七万五？", ["price"]),
    ("¥239/盒？？", ["price"]),
    ("一台六万八？", ["price"]),
    ("二十一万 四 哦 我 再 看 看", ["price"]),
    ("十二块五？价格倒不是啥问题，关键要正品。", []),
    ("十八号？行，那天我在。", []),
    # still over after a cut: Minnan 犹原, plain shop yuan, Whisper's 抄 for 超
    ("让完一共十一万三，犹原超八千。", ["price"]),
    ("减完是2380，还超380。", ["price"]),
    ("一共 九万 六 还 抄 六千", ["price"]),
    ("还超两千，行吧，认了。", []),
    # dear in regional speech
    ("这也忒贵了。", ["price"]),
    ("一罐一百二足贵呢。", ["price"]),
])
def test_round_twenty_five_a_price_said_back_and_still_over(text: str, expected: list[str]) -> None:
    assert types(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("前年别家的管材在半路上压了一个礼拜，工地停了两天。", ["delivery"]),
    ("去年中秋前别家的月饼卡在高速上，超市里断了两天货。", ["delivery"]),
    ("我看评论里有人说用了两个月风扇嗡嗡响，是真的吗？", ["other"]),
    ("我同事话佢买嗰部机用咗三个月就松晒，你哋会唔会噉？", ["other"]),
    ("我打电话话你知，听日得闲。", []),
])
def test_round_twenty_five_goods_held_on_the_road_and_faults_heard_of(text: str, expected: list[str]) -> None:
    assert types(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # dearer than the customer's own figure
    ("五十八万二，比我想的多。", ["price"]),
    ("比我们校委会批的四十万高出一截。", ["price"]),
    ("还是比我打算的多", ["price"]),
    # …and taken: Whisper's 任了, Hunan 算哒, the customer paying the gap
    ("比我预算多一点，我自己贴。", []),
    ("六千 三 比 我 的 数 多 三百 算 哒", []),
    ("九十二万 比 我 那个 数 多 两万 行吧 任了", []),
])
def test_round_twenty_six_over_the_customers_own_figure_and_taken(text: str, expected: list[str]) -> None:
    assert types(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # how far over the budget or a spending limit, said with 还多 / 还系超 / 超限额
    ("一共三百一十三万四，还多十三万四。", ["price"]),
    ("加埋17万0540，还系超1万多。", ["price"]),
    ("总计七十七万八千零八十元，仍超限额两万八千零八十元。", ["price"]),
    # …and taken straight after
    ("三百零五万，还多五万，算了，我认了。", []),
    ("我们店还多两台空调。", []),
])
def test_round_twenty_nine_over_by_with_duo_and_over_a_limit(text: str, expected: list[str]) -> None:
    assert types(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # over the budget, and taken in the next sentence: it opens by taking it, or names the gap's home
    ("十五万三，超三千。OK，我认了。砖要在十二月初送到。", []),
    ("三十三万，超一万。行吧，这一万俺从佣金里抠，认了。", []),
    ("三十万零八千，超八千。哦呀，这八千我跟老板讲得通。", []),
    # Henan / Shanxi 行嘞 takes it without a comma (an unpunctuated transcript)
    ("十二万六还超六千行嘞这六千我从公用经费里挤一挤认了", []),
    # not taken: the next sentence is about something else
    ("十五万三，超三千。货要五一以前到。", ["price"]),
    # a rival's lower price stays an objection however the next sentence opens
    ("一吨七千四，还是比人家贵两百。要得嘛，价格我先报上去。", ["price"]),
])
def test_round_thirty_over_the_budget_taken_in_the_next_sentence(text: str, expected: list[str]) -> None:
    assert types(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a customer's floor or ceiling on price, a plain cut asked for, half the price elsewhere, a price they cannot sell at
    ("价钱你回去商量，我的底就是五十万。", ["price"]),
    ("一件九块五我们一定不会接受。", ["price"]),
    ("送赠品没意思，不如直接降价。", ["price"]),
    ("外面二手的，一半价钱就买得到。", ["price"]),
    ("这个价我卖不动的。", ["price"]),
    # no one answering, or hours late (莫得: Southwestern 没有)
    ("打了售后电话，到现在都莫得人回。", ["service"]),
    ("系统出问题，你们support四个小时才回。", ["service"]),
    # broken goods, a product everyone calls a dud, an end customer who walks away
    ("送来的瓷砖碎了两片。", ["other"]),
    ("群里都说这款踩雷了。", ["other"]),
    ("业主看了一眼就不干了。", ["other"]),
])
def test_round_thirty_one_objections_as_people_put_them(text: str, expected: list) -> None:
    assert types(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a past breakdown told with the repair's wait, without 才: the service is the objection
    ("前年那台切片机坏了，打了好几次电话都不来人。", ["service"]),
    ("去年买的空压机坏了，寄回厂家修，一去一回大半个月。", ["service"]),
    ("上回的冷柜坏了寄去杭州修了快一个月", ["service"]),
    # a breakdown told alone stays a plain complaint about the goods
    ("上回送来的冷柜坏了。", ["other"]),
    # over a tender's ceiling price, and a rival factory's price after 有家厂
    ("调整后合计八十二万元，仍超控制价两万元。", ["price"]),
    ("嘉兴有家厂，同样的机器一台才十二万。", ["price"]),
    # over the ceiling, and taken
    ("还超控制价一万，这一万我们从预备费里补足。", []),
])
def test_round_thirty_two_repairs_ceilings_and_rival_factories(text: str, expected: list[str]) -> None:
    assert types(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # goods that failed soon after they were put in, a delivery just made that came late,
    # goods that sat on the road
    ("去年装的那批水泵，用了不到半年就烧了三台。", ["other"]),
    ("这次又拖了一个礼拜，车间差点停工。", ["delivery"]),
    ("上回的面粉在路上走了十来天。", ["delivery"]),
    # late and accepted; a price said to be no higher than a rival's; their own goods losing value
    ("这次晚两天没关系。", []),
    ("你们的价比别家也不算高。", []),
    ("月底前得到货，过了中秋月饼就不值钱了。", []),
])
def test_round_thirty_two_faults_soon_late_deliveries_and_what_is_no_objection(text: str, expected: list[str]) -> None:
    assert types(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # the price cut the customer's rules demand, the offer still short of it, money that cannot be laid out
    ("单价我们也要重新比一比，今年集团要求所有备件压价5%。", ["price"]),
    ("88、145？离5%还差一截。我先把这个报上去。", ["price"]),
    ("三十二万一下子可掏不出来。", ["price"]),
    # an excess taken in the next sentence (得嘞…我认了, 超的这点…挤一挤) or in the same one (还出得起)
    ("还超三万六。得嘞，甭介了，三万六我认了。", []),
    ("还超两万六。这样，超的这点我找校长从公用经费里挤一挤。", []),
    ("超一千七，村里还出得起，就当给祖宗尽孝。", []),
    ("超一千七，村里出不起。", ["price"]),
    # a wait for a phone call, and the customer's own installation put off, are no complaint
    ("哎呀，等你这个电话等了好几天。", []),
    ("汛期水位太高，门机安装往后推了。", []),
    ("你们的安装一推再推。", ["service"]),
])
def test_round_thirty_three(text: str, expected: list[str]) -> None:
    assert types(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # dear in more words: Wenzhou 险贵, 贼贵, a concession too small (杯水车薪), a rise asked back
    ("七十万零八千？险贵。", ["price"]),
    ("这个牌子贼贵。", ["price"]),
    ("每台让八千，两台才一万六，杯水车薪。", ["price"]),
    ("又涨了？上礼拜你报的一个平方八十六。", ["price"]),
    ("钢价涨没涨？", []),
    # the cost of paying over time, and a budget of which only so much is left
    ("比一次付清多出来五万多，这个利息也太高了。", ["price"]),
    ("但是今年预算只剩12w了。", ["price"]),
    # arrived days after the day agreed (a day to come is no complaint)
    ("六月那车货，说好十五号到，十九号才到。", ["delivery"]),
    ("明天才到。", []),
])
def test_round_thirty_four(text: str, expected: list[str]) -> None:
    assert types(text) == expected


@pytest.mark.parametrize(("text", "expected"), [
    # a sum of money judged too much, and a price that cannot pass the customer's approval
    ("可一年60万太多了，我们一年总共才批了45万。", ["price"]),
    ("一套三百八十块太多了。", ["price"]),
    ("你这个价在我们院里过不了。", ["price"]),
    # a quantity too many is no price complaint
    ("五百箱太多了，先拿三百箱。", ["other"]),
])
def test_round_thirty_five_a_sum_too_much(text: str, expected: list[str]) -> None:
    assert types(text) == expected


def test_round_thirty_five_a_shopping_platform_sells_against_the_shop() -> None:
    assert types("我们零售才卖一百二十九，拼多多上面才一百零五，顾客天天拿手机比价。", industry="mother_baby_retail") == ["price"]
    assert types("淘宝上一套才卖三十五，你批给我三十八。", industry="mother_baby_retail") == ["price"]


def test_round_thirty_five_sold_for_only_is_a_rival_s_price_not_its_volume() -> None:
    assert types("隔壁店一套才卖三十五，你批给我三十八。", industry="mother_baby_retail") == ["price"]
    assert types("隔壁店卖得好，一天才卖五十箱。", industry="mother_baby_retail") == []
