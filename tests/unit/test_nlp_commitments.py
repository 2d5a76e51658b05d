"""Whose date is it: expected (customer), promised (rep) or other."""

from __future__ import annotations

import datetime as dt

import pytest

from nlp.commitments import commitments_in

MON = dt.date(2026, 3, 2)


def kinds(text: str, speaker: str, on: dt.date = MON) -> list[tuple[str, str]]:
    return [(c.kind, c.date.isoformat()) for c in commitments_in(text, speaker, on)]


@pytest.mark.parametrize(
    ("speaker", "text", "expected"),
    [
        ("customer", "我们希望三月二十日前交付第一批货。", [("expected", "2026-03-20")]),
        ("rep", "我们预计三月二十五号能到。", [("promised", "2026-03-25")]),
        ("rep", "下周五给您答复。", [("promised", "2026-03-13")]),
        ("customer", "月底前一定要装好。", [("expected", "2026-03-31")]),
        ("customer", "你们下周三前把报价发过来。", [("expected", "2026-03-11")]),
        ("rep", "明天上午派工程师过去。", [("promised", "2026-03-03")]),
        ("customer", "我们4月1号开工，希望3月25号前到货。", [("other", "2026-04-01"), ("expected", "2026-03-25")]),
        ("rep", "3月20号肯定来不及，最快也要3月28号。", [("other", "2026-03-20"), ("promised", "2026-03-28")]),
        ("customer", "原来定的是3月15号，现在最晚推到3月25号前交货。", [("other", "2026-03-15"), ("expected", "2026-03-25")]),
        ("customer", "下周五前给你答复。", [("other", "2026-03-13")]),
        ("rep", "您是要20号前到货对吧？", [("other", "2026-03-20")]),
        ("rep", "我下周三过去拜访您。", [("other", "2026-03-11")]),
        ("rep", "如果月底前续费的话可以按去年的价格。", [("other", "2026-03-31")]),
        ("rep", "上周五已经发货了。", [("other", "2026-02-27")]),
        ("rep", "今天给您带了样机。", [("other", "2026-03-02")]),
        ("customer", "端午节前能不能把下个月的货先发过来？", [("expected", "2026-06-19"), ("other", "2026-04-30")]),
        # Unattributed: the date is reported, never as an expectation or a promise.
        ("unknown", "我们希望三月二十日前交付第一批", [("other", "2026-03-20")]),
        ("unknown", "我们预计三月二十五号能到", [("other", "2026-03-25")]),
    ],
)
def test_kinds(speaker: str, text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(text, speaker) == expected


@pytest.mark.parametrize(
    ("speaker", "text", "expected"),
    [
        # Several dates in one unpunctuated clause: each judged on its own words.
        ("customer", "我们 三月 二十 号 之前 一定 要 到货 四月 一号 有 个 展会 要 参加",
         [("expected", "2026-03-20"), ("other", "2026-04-01")]),
        ("customer", "下周五前送到就行不急月底前我们还要盘点", [("expected", "2026-03-13"), ("other", "2026-03-31")]),
        ("rep", "月底 前 没 问题 我 这边 二十 号 安排 发货", [("other", "2026-03-31"), ("promised", "2026-03-20")]),
        ("rep", "二十号前到货问题不大只要你们财务十号前付款我们就能发", [("promised", "2026-03-20"), ("other", "2026-03-10")]),
        ("rep", "您这周五之前把合同签了我下周一就安排发货", [("other", "2026-03-06"), ("promised", "2026-03-09")]),
        ("rep", "我今天跟领导请示一下明天给您回话", [("other", "2026-03-02"), ("promised", "2026-03-03")]),
        # The customer's own affairs, plans and answers are not expectations.
        ("customer", "这周末我们有个开业活动想一起搞", [("other", "2026-03-08")]),
        ("customer", "今年内必须完成招标", [("other", "2026-12-31")]),
        ("customer", "我下周三前走完内部流程", [("other", "2026-03-11")]),
        ("customer", "我们下周一前要收到货", [("expected", "2026-03-09")]),  # their receiving is the vendor's delivery
        ("customer", "下半年我们可能还要再上一套系统", [("other", "2026-12-31")]),
        ("customer", "下个月我还想订一批，看情况再说", [("other", "2026-04-30")]),
        ("customer", "月底前能装完的话可以接受", [("other", "2026-03-31")]),
        ("customer", "国庆前那两周卖得最好", [("other", "2026-10-01")]),
        # …but asking the vendor for something is, with or without a deadline.
        ("customer", "招标要求月底前必须完成安装", [("expected", "2026-03-31")]),
        ("customer", "报价单你今天发过来", [("expected", "2026-03-02")]),
        ("customer", "那你十号前把资质文件给我", [("expected", "2026-03-10")]),
        ("customer", "那我等您周五的答复", [("expected", "2026-03-06")]),
        ("customer", "你们这周送的货少了两箱", [("other", "2026-03-08")]),
        # The rep's deliveries, rebates, transfers and crews; conditions are not promises.
        ("rep", "我们下个月统一返两个点", [("promised", "2026-04-30")]),
        ("rep", "这个月订满一百箱返三个点", [("other", "2026-03-31")]),
        ("rep", "退款这周内给您转过去", [("promised", "2026-03-08")]),
        ("rep", "我们二十号前把样品交给你们", [("promised", "2026-03-20")]),
        ("rep", "四月中旬施工队进校", [("promised", "2026-04-20")]),
        ("rep", "我们四月上旬就能铺货", [("promised", "2026-04-10")]),
        ("rep", "十五号开始铺", [("promised", "2026-03-15")]),
        ("rep", "周四前没问题，明天就从总仓发", [("other", "2026-03-05"), ("promised", "2026-03-03")]),
        ("rep", "那就周三下午，我带工具过去给您装好", [("promised", "2026-03-04")]),
    ],
)
def test_kinds_by_whose_words_they_are(speaker: str, text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(text, speaker) == expected


def test_commitment_keeps_phrase_speaker_and_window() -> None:
    (c,) = commitments_in("我们要求两周内到货", "customer", MON, ref="segment:7")
    assert (c.phrase, c.speaker, c.ref) == ("两周内", "customer", "segment:7")
    assert (c.window_start, c.window_end, c.date) == (MON, dt.date(2026, 3, 16), dt.date(2026, 3, 16))


@pytest.mark.parametrize(
    ("speaker", "text", "expected"),
    [
        # The rep offering or asking is no promise; a promise put for agreement still is.
        ("rep", "这礼拜要不要给您补点货？", [("other", "2026-03-08")]),
        ("rep", "下周四您方便吗？我们过去看看现场。", [("other", "2026-03-12")]),
        ("rep", "明天下午就能送到您厂里，您看行吗？", [("promised", "2026-03-03")]),
        ("rep", "那我月底等您消息。", [("other", "2026-03-31")]),
        # Delivering words: a time of day between date and verb, goods hauled, service on site.
        ("rep", "送货还是下周二，上午就到。", [("promised", "2026-03-10")]),
        ("rep", "明儿 上午 给 您 拉 过去", [("promised", "2026-03-03")]),
        ("rep", "坏了的您先收着，我周五过去给您换。", [("promised", "2026-03-06")]),
        ("rep", "下周一我带同事过去装。", [("promised", "2026-03-09")]),
        ("rep", "五号前入仓没问题。", [("promised", "2026-03-05")]),
        ("rep", "我们下周三开始分批配送。", [("promised", "2026-03-11")]),
        ("rep", "下周二带样机过来给您演示。", [("other", "2026-03-10")]),
        # Done already, an event's day, a condition further on that belongs to another matter.
        ("rep", "今天我把样册带过来了。", [("other", "2026-03-02")]),
        ("rep", "咱们系统九月底到期续费的事。", [("other", "2026-09-30")]),
        ("rep", "下个月一号开始给您配专属客服，另外续费的话今年有活动。", [("promised", "2026-04-01")]),
        # The customer telling the rep what to do, or answering themselves.
        ("customer", "明儿上午你给我回个信儿。", [("expected", "2026-03-03")]),
        ("customer", "我跟老板说一下，月底前给你个回复。", [("other", "2026-03-31")]),
        ("customer", "十二月中旬前给侬回复。", [("other", "2026-12-10")]),
        ("customer", "合同流程要走一个礼拜，我尽量下个月中旬前把章盖好。", [("other", "2026-04-10")]),
    ],
)
def test_offers_deliveries_and_own_answers(speaker: str, text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(text, speaker) == expected


def test_a_spaced_transcript_keeps_together_and_a_little_apart_from_dates() -> None:
    assert [d for _, d in kinds("我 让 产品 经理 出 个 方案 下周 一起 带 过去", "rep")] == ["2026-03-15"]
    assert kinds("从下周一起开始供货", "rep")[0][1] == "2026-03-09"
    assert kinds("我 得 跟 老板 说 一下 月底 前 给 你 个 回复", "customer") == [("other", "2026-03-31")]


@pytest.mark.parametrize(
    "text",
    ["好的，我明天把合同和图纸发骆主管邮箱。", "收到，今晚我就电邮俾麦主任。", "冇问题，听日就帮你开账号。",
     "合同签好，阿拉十二月二十号前运到院里。", "没问题 下周一 实施就 过去"],
)
def test_the_reps_own_errand_with_a_day_is_a_promise(text: str) -> None:
    assert [k for k, _ in kinds(text, "rep")] == ["promised"]


@pytest.mark.parametrize(
    "text",
    ["我们五月下旬要接一个幕墙大单，线必须在那之前调试好。", "七月上旬我们要办暑期师资培训，届时设备必须能用。",
     "八百六十九 也行 那 我 得 六月十号 前 收到"],
)
def test_what_must_be_ready_by_the_customers_day_is_expected(text: str) -> None:
    assert [k for k, _ in kinds(text, "customer")] == ["expected"]


def test_a_plan_at_that_time_is_no_deadline() -> None:
    assert [k for k, _ in kinds("节后我们新车间开工，到时候还要一批安全帽。", "customer")] == ["other"]


@pytest.mark.parametrize(
    "text",
    ["网上那都是翻新机，您这月三十号前订，我给您让一万二。",
     "您九月五号前下单，普通板我给您二十四块。",
     "若贵校四月十日前完成采购，我们每间让利一千六。"],
)
def test_the_customers_deadline_for_an_offer_is_no_promise(text: str) -> None:
    assert [k for k, _ in kinds(text, "rep")] == ["other"]


@pytest.mark.parametrize(
    "text",
    ["没问题，这周四之前给九家店开通账号，会员数据十八号前导完。",
     "好个，下礼拜一上门装，九月三十号前数据导好。",
     "没问题 这周六 从天津仓发 二十七号前 十二家全到"],
)
def test_data_moved_and_goods_all_arrived_by_a_day_are_promised(text: str) -> None:
    assert [k for k, _ in kinds(text, "rep")][-1] == "promised"


@pytest.mark.parametrize(
    ("text", "expected"),
    [("机器的话3月9号首批发出，合同明天给您。", [("promised", "2026-03-09"), ("promised", "2026-03-03")]),  # a topic, no condition
     ("三月十号设备发运，十五号前装好。", [("promised", "2026-03-10"), ("promised", "2026-03-15")]),
     ("三月六号全部到仓。", [("promised", "2026-03-06")]), ("三月九号设备到院。", [("promised", "2026-03-09")]),
     ("三月十一号入场。", [("promised", "2026-03-11")]),
     ("会 啦 三月 七号 就 载 过去", [("promised", "2026-03-07")])],
)
def test_rep_delivery_promises_round_fourteen(text: str, expected: list) -> None:
    assert kinds(text, "rep") == expected


def test_a_condition_before_the_topic_still_conditions() -> None:
    assert kinds("如果货的话3月9号发出，我们就签。", "rep") == [("other", "2026-03-09")]


def test_the_day_the_customer_asks_the_rep_to_come_round_fifteen() -> None:
    assert kinds("下礼拜一科长出差，侬下礼拜二来好了。", "customer") == [("other", "2026-03-09"), ("expected", "2026-03-10")]
    assert kinds("下个礼拜四医生放假，你改下个礼拜五嚟啦。", "customer") == [("other", "2026-03-12"),
                                                                        ("expected", "2026-03-13")]
    assert kinds("下周三你来过了吧？", "customer") == [("other", "2026-03-11")]


def test_hokkien_tomorrow_and_papers_sent_round_fifteen() -> None:
    assert kinds("合同明仔载寄过去。", "rep") == [("promised", "2026-03-03")]
    assert kinds("合同今晚微信上甩给你。", "rep") == [("promised", "2026-03-02")]
    assert kinds("合同明天传真过去。", "rep") == [("promised", "2026-03-03")]


@pytest.mark.parametrize("text", ["一年内换件不收钱。", "三年内免费保养。", "接报四个钟头内给回音，一天以内派人上门。",
                                  "保修期内，三天内上门维修。", "去年贵司的监护仪报修，工程师三天后才到。",
                                  "我们对售后响应有顾虑：去年采购的监护仪，坏了一台，厂家工程师一周后才到。"])
def test_service_terms_are_no_dates(text: str) -> None:
    assert kinds(text, "rep") == []


def test_a_service_word_in_an_earlier_clause_keeps_a_delivery_date() -> None:
    # 售后没问题 closes its own clause: 三天内送到 is a delivery promise (Monday + 3 days).
    assert kinds("售后没问题，三天内送到。", "rep") == [("promised", "2026-03-05")]


def test_round_sixteen_commitments() -> None:
    # 给您 / 跟你 is the object of what goes before, not the start of the next date's words.
    assert kinds("没问题 后天 就从天津仓 给您发顺丰 下礼拜二 准到", "rep") == [("promised", "2026-03-04"),
                                                                       ("promised", "2026-03-10")]
    assert kinds("皮带三月底前全部到。", "rep") == [("promised", "2026-03-31")]
    assert kinds("好，三月二十五号阮车载去中央仓，合约今仔日下晡传予你。", "rep") == [("promised", "2026-03-25"),
                                                                           ("promised", "2026-03-02")]
    # The customer moving the rep's day: 改到…吧, Hokkien 恁…才来.
    assert kinds("九日主任要外出进修，改到十一日吧。", "customer") == [("other", "2026-03-09"), ("expected", "2026-03-11")]
    assert kinds("下礼拜二主任去开会，恁下礼拜四才来。", "customer") == [("other", "2026-03-10"),
                                                                  ("expected", "2026-03-12")]
    assert kinds("我们改到下周再说吧。", "customer") == [("other", "2026-03-15")]  # put off, not asked for


@pytest.mark.parametrize(
    ("text", "expected"),
    [("下周二我请假，满师傅上午在，你10点前过来哈", [("expected", "2026-03-10")]),
     ("下个礼拜二我要去义乌，缪主任一日到夜勒厂里等侬拉。", [("expected", "2026-03-10")]),
     ("下周四上午我要参加院周会，下午两点后你们来设备科找我。", [("expected", "2026-03-12")]),
     ("下周一我也在现场，下午2点后过来就行", [("expected", "2026-03-09")]),
     # 能来就行 takes a day the rep offered; a day named before the one the rep is to come keeps its own kind.
     ("明天能来就行。", [("other", "2026-03-03")])],
)
def test_the_customer_naming_the_day_then_when_the_rep_is_to_come(text: str, expected: list) -> None:
    assert kinds(text, "customer") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("六月二十六号设备出厂。", [("promised", "2026-06-26")]),
     ("五月二十六日设备送抵医院。", [("promised", "2026-05-26")]),
     ("冇问题，八月十八号送货，二十五号之前四间都装埋。", [("promised", "2026-08-18"), ("promised", "2026-08-25")]),
     ("合同我今晚先传份草稿俾你睇。", [("promised", "2026-03-02")]),
     ("合同今朝夜快我用微信传拨侬。", [("promised", "2026-03-02")]),
     # a visit to measure, survey, show or train is no delivery
     ("下个礼拜二阿拉派工程师过来量场地，顺带搭缪主任对一对电源。", [("other", "2026-03-10")]),
     ("下周四我们工程师到院勘察布线。", [("other", "2026-03-12")]),
     ("没问题，下礼拜四师傅上门复尺，六月八号前给您装好。", [("other", "2026-03-12"), ("promised", "2026-06-08")])],
)
def test_round_seventeen_rep_dates(text: str, expected: list) -> None:
    assert kinds(text, "rep") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("合同我下礼拜一带到学校来。", [("promised", "2026-03-09")]),
     ("合同听日下昼我拎去你总店。", [("promised", "2026-03-03")]),
     ("合同明儿我带去您公司签。", [("promised", "2026-03-03")]),
     ("投标文件和配置清单今天下班前发送至您的邮箱。", [("promised", "2026-03-02")]),
     # a visit with no papers stays a visit
     ("下周一我带工程师到厂里当面过一遍参数。", [("other", "2026-03-09")])],
)
def test_round_twenty_the_rep_bringing_the_papers_promises(text: str, expected: list) -> None:
    assert kinds(text, "rep") == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("毋过头一批砂带九月二十五号进前一定着到，二十八号阮欲交一批货予客人。", [("expected", "2026-09-25"), ("other", "2026-09-28")]),
     # a deadline for the customer's own stocking is still the day they need the goods by
     ("五一前我们要备一批饮料，常温的冰的都要。", [("expected", "2026-05-01")])],
)
def test_round_twenty_the_day_then_what_the_customers_side_does_on_it(text: str, expected: list) -> None:
    assert kinds(text, "customer", dt.date(2026, 3, 2)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [  # the rep's delivery schedule: in place, into the customer's store, the next batch, Whisper's 掉好 (调好)
        ("罐子分两批，七月二十八号头一批发车，八月十二号第二批，十八号以前全部就位。",
         [("promised", "2026-07-28"), ("promised", "2026-08-12"), ("promised", "2026-08-18")]),
        ("检测仪十一月十二号发，十八号以前都能进您库里。", [("promised", "2026-11-12"), ("promised", "2026-11-18")]),
        ("二十九号到拉萨，三十号以前全部送进你们仓库。", [("promised", "2026-07-29"), ("promised", "2026-07-30")]),
        ("下里拜二到厂，里拜四已前全部掉好。", [("promised", "2026-07-28"), ("promised", "2026-07-30")]),
        # the rep's visit stays a visit
        ("下周一我带工程师到厂里当面过一遍参数。", [("other", "2026-07-27")]),
    ],
)
def test_round_thirty_the_reps_delivery_schedule_promises(text: str, expected: list) -> None:
    assert kinds(text, "rep", dt.date(2026, 7, 20)) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [  # the customer's deadline for an offer, said as 若…前完成签约: a condition, no promise
        ("若贵院在五月二十九日前完成签约，模拟人每台可下浮一万八千元。", [("other", "2026-05-29")]),
        ("若十月三十一号前完成签约，每台可以优惠四万。", [("other", "2026-10-31")]),
    ],
)
def test_round_thirty_an_offer_until_the_contract_is_signed_is_a_condition(text: str, expected: list) -> None:
    assert kinds(text, "rep", dt.date(2026, 5, 12)) == expected


@pytest.mark.parametrize(
    ("speaker", "text", "expected"),
    [  # the rep: the hour, then work done for the customer, is a promise; the hour before a bare 到 is a visit
        ("rep", "好的，周四晚上九点我们远程切换。", [("promised", "2026-12-10")]),
        ("rep", "周四下午三点我到你们店里。", [("other", "2026-12-10")]),
        # the customer's event as the deadline for the rep's work is expected; the event alone is their own
        ("customer", "九月一号开学前必须装完。", [("expected", "2027-09-01")]),
        ("customer", "三月一号开业前得把货送到。", [("expected", "2027-03-01")]),
        ("customer", "三月一号开业。", [("other", "2027-03-01")]),
        # whom the rep's people are to see on the day they come
        ("customer", "周五你们师傅来了，直接找仓库的老郑。", [("expected", "2026-12-11")]),
        # a tender decided by the customer's own panel
        ("customer", "我方须于八月十号以前完成评标。", [("other", "2027-08-10")]),
    ],
)
def test_round_thirty_two_hours_events_and_arrivals(speaker: str, text: str, expected: list) -> None:
    assert kinds(text, speaker, dt.date(2026, 12, 7)) == expected
