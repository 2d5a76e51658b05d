"""Date expressions resolved by the conventions of docs/contract.md §6."""

from __future__ import annotations

import datetime as dt

import pytest

from nlp.dates import find_dates, holiday_break, nth_workday_after

MON = dt.date(2026, 3, 2)  # a Monday


def one(text: str, on: dt.date = MON):
    found = find_dates(text, on)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "date", "deadline"),
    [
        ("今天", "2026-03-02", False), ("今晚", "2026-03-02", False), ("明天", "2026-03-03", False),
        ("这周五", "2026-03-06", False), ("本周三", "2026-03-04", False), ("下周五", "2026-03-13", False),
        ("月底", "2026-03-31", False), ("月底前", "2026-03-31", True), ("三天内", "2026-03-05", True),
        ("两周内", "2026-03-16", True), ("三个工作日内", "2026-03-05", True), ("三月二十号", "2026-03-20", False),
        ("3.20前", "2026-03-20", True), ("3月20日之前", "2026-03-20", True), ("二十号前", "2026-03-20", True),
        ("清明节前", "2026-04-04", True), ("国庆", "2026-10-01", False), ("五一之前", "2026-05-01", True),
        ("端午", "2026-06-19", False), ("元旦前", "2027-01-01", True), ("2026年4月1日", "2026-04-01", False),
        ("最晚下周三", "2026-03-11", True), ("半个月内", "2026-03-17", True), ("3个月内", "2026-06-02", True),
    ],
)
def test_conventions(text: str, date: str, deadline: bool) -> None:
    d = one(text)
    assert (d.date.isoformat(), d.deadline) == (date, deadline)
    if deadline:
        assert (d.window_start, d.window_end) == (MON, d.date)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [("四月初", "2026-04-01", "2026-04-05"), ("下个月中旬", "2026-04-11", "2026-04-20"),
     ("四月下旬", "2026-04-21", "2026-04-30"), ("下周", "2026-03-09", "2026-03-15"), ("五月份", "2026-05-01", "2026-05-31"),
     ("3月20号到25号", "2026-03-20", "2026-03-25"), ("下周一到周三", "2026-03-09", "2026-03-11"),
     ("国庆期间", "2026-10-01", "2026-10-07"), ("明年一季度", "2027-01-01", "2027-03-31")],
)
def test_windows_end_on_their_last_day(text: str, start: str, end: str) -> None:
    d = one(text)
    assert (d.window_start.isoformat(), d.window_end.isoformat(), d.date.isoformat()) == (start, end, end)


def test_before_a_window_is_the_day_before_it_starts() -> None:
    assert one("四月前").date == dt.date(2026, 3, 31)
    assert one("下个月中旬前").date == dt.date(2026, 4, 10)


def test_after_a_holiday_is_after_its_break() -> None:
    d = one("国庆后")
    assert (d.date, d.window_start, d.window_end) == (dt.date(2026, 10, 8), dt.date(2026, 10, 8), None)


def test_working_days_follow_the_chinese_calendar() -> None:
    # Friday 2026-05-08: Saturday 05-09 is a make-up working day, so three working days
    # end on Tuesday 05-12; the 2026 Spring Festival break holds no working day.
    assert nth_workday_after(dt.date(2026, 5, 8), 3) == dt.date(2026, 5, 12)
    assert nth_workday_after(dt.date(2026, 2, 13), 1) == dt.date(2026, 2, 14)
    assert nth_workday_after(dt.date(2026, 2, 14), 1) == dt.date(2026, 2, 24)
    assert one("30个工作日内", dt.date(2026, 5, 8)).date == dt.date(2026, 6, 18)


def test_holidays_are_their_first_day_and_roll_to_next_year_once_past() -> None:
    assert holiday_break("Tomb-sweeping Day", 2026) == (dt.date(2026, 4, 4), dt.date(2026, 4, 6))
    assert one("国庆前", dt.date(2026, 11, 5)).date == dt.date(2027, 10, 1)  # fixed date beyond the calendar's data
    # 2027 has no official notice yet: 春节 from the lunar calendar (lunar_python), its break taken as
    # 除夕 (2027-02-05) … 初七 (02-12), so 春节后 is 02-13.
    assert one("春节后", dt.date(2026, 3, 2)).date == dt.date(2027, 2, 13)
    assert one("春节前", dt.date(2026, 12, 3)).date == dt.date(2027, 2, 5)
    assert one("明年中秋前", dt.date(2026, 12, 3)).date == dt.date(2027, 9, 15)


def test_a_holiday_told_of_in_the_past_is_the_one_just_gone() -> None:
    assert one("元旦前去您厂里看过场地", dt.date(2027, 1, 5)).date == dt.date(2027, 1, 1)
    assert one("国庆后您说要看方案", dt.date(2026, 10, 20)).date == dt.date(2026, 10, 8)
    assert one("六一八我们卖了两百多罐", dt.date(2026, 6, 27)).date == dt.date(2026, 6, 18)
    # what someone said would happen then is still ahead; without a past word it rolls on
    assert one("您上次说元旦要给员工发礼盒", dt.date(2026, 1, 8)).date == dt.date(2027, 1, 1)
    assert one("元旦前必须到货", dt.date(2027, 1, 5)).date == dt.date(2028, 1, 1)
    # beyond the official notices 国庆's break is taken as 1–7 October
    assert one("国庆后再说", dt.date(2026, 10, 20)).date == dt.date(2027, 10, 8)
    assert one("五一放假以后再装", dt.date(2026, 4, 20)).date == dt.date(2026, 5, 6)


def test_past_and_ago() -> None:
    assert one("上周五").past and one("昨天").past
    ago = one("三天前")
    assert ago.date == dt.date(2026, 2, 27) and ago.past and not ago.deadline


def test_bare_days_and_weekdays_look_forward() -> None:
    on = dt.date(2026, 3, 20)  # a Friday
    assert one("5号", on).date == dt.date(2026, 4, 5)
    assert one("周三", on).date == dt.date(2026, 3, 25)
    assert one("每月5号前", on).date == dt.date(2026, 4, 5)


def test_two_dates_in_one_sentence() -> None:
    found = find_dates("原来定的是3月15号，现在最晚推到3月25号前交货", MON)
    assert [(d.date.isoformat(), d.deadline) for d in found] == [("2026-03-15", False), ("2026-03-25", True)]


def test_weekday_after_a_dated_week_stays_in_it() -> None:
    found = find_dates("首批下周一发车，周三能到工地", dt.date(2026, 3, 18))
    assert [d.date.isoformat() for d in found] == ["2026-03-23", "2026-03-25"]


@pytest.mark.parametrize("text", ["报价12.5万", "版本3.2", "生产周期要30天", "3号楼", "一日三餐", "每周五例会",
                                  "三块五一瓶", "十一台设备", "用了一个月就断了"])
def test_not_dates(text: str) -> None:
    assert find_dates(text, MON) == []


# Said on 2026-12-03 (a Thursday): the defects, each now a date.
DEC3 = dt.date(2026, 12, 3)


@pytest.mark.parametrize(
    ("text", "date", "window"),
    [
        ("明年底前交货", "2027-12-31", ("2026-12-03", "2027-12-31")),  # a stated year is kept
        ("2027年3月", "2027-03-31", ("2027-03-01", "2027-03-31")),
        ("第37周交货", "2027-09-19", ("2027-09-13", "2027-09-19")),  # ISO week 37, not 37 weeks on
        ("下周周六", "2026-12-12", (None, None)),  # one day, not 下周 plus this Saturday
        ("十二月月底", "2026-12-31", (None, None)),
        ("大大后天", "2026-12-07", (None, None)),
        ("大前天", "2026-11-30", (None, None)),  # three days before, not 前天
        ("前年五月份", "2024-05-31", ("2024-05-01", "2024-05-31")),  # two years back, not next May
        ("旧年十月三号", "2025-10-03", (None, None)),  # Cantonese 旧年: last year
        ("今年内", "2026-12-31", ("2026-12-03", "2026-12-31")),
        ("2027年内", "2027-12-31", ("2026-12-03", "2027-12-31")),
        ("半年后", "2027-06-03", (None, None)),
        ("12-15", "2026-12-15", (None, None)),
        ("20270307", "2027-03-07", (None, None)),
        ("6·30", "2027-06-30", (None, None)),
        ("本日", "2026-12-03", (None, None)),
        ("当晚", "2026-12-03", (None, None)),
        ("春节前", "2027-02-05", ("2026-12-03", "2027-02-05")),  # 除夕 2027 from the lunar calendar
        ("中旬", "2026-12-20", ("2026-12-11", "2026-12-20")),  # bare 中旬: this month's (next month's once past)
        ("下个月第二周", "2027-01-17", ("2027-01-11", "2027-01-17")),  # the second week starting on a Monday in January
        ("一月份的第一个周二", "2027-01-05", (None, None)),
        ("第三天", "2026-12-05", (None, None)),  # today is the first day
        ("教师节前", "2027-09-10", ("2026-12-03", "2027-09-10")),
    ],
)
def test_dates_a_peer_parser_reads_right(text: str, date: str, window: tuple[str | None, str | None]) -> None:
    d = one(text, DEC3)
    assert d.date.isoformat() == date
    if window[0] is not None:
        assert (d.window_start.isoformat(), d.window_end.isoformat()) == window


def test_listed_days_keep_their_month_and_make_one_window() -> None:
    d = one("9月10号，11号，12号，13号", dt.date(2026, 6, 14))
    assert (d.window_start, d.window_end, d.date) == (dt.date(2026, 9, 10), dt.date(2026, 9, 13), dt.date(2026, 9, 13))
    r = one("12月9日零时至12月16日24时", dt.date(2026, 6, 14))
    assert (r.window_start, r.window_end) == (dt.date(2026, 12, 9), dt.date(2026, 12, 16))


def test_ordinals_that_are_not_calendar_weeks() -> None:
    assert find_dates("灯具可以在暑假第一周装完", DEC3) == []
    assert find_dates("开学后的第一周", DEC3) == []
    assert find_dates("预算15-20万", DEC3) == []  # a money range, not month-day


def test_the_jionlp_cases_agree_or_differ_only_by_documented_convention() -> None:
    import csv

    from bench.dates import CONVENTIONS, DATA, compare

    rows = list(csv.DictReader(DATA.open(encoding="utf-8"), delimiter="\t"))
    assert len(rows) == 101
    defects = []
    for row in rows:
        ok, got, n = compare(row)
        if not (ok and n == 1) and row["case"] not in CONVENTIONS:
            defects.append((row["case"], got))
    assert defects == []


def test_commitments_in_a_transcript_with_spaces_between_words() -> None:
    from nlp.commitments import commitments_in

    (c,) = commitments_in("十天 可以 但是 我们 六月 二十 号 之前 必须 要 装 好 调 好", "customer", dt.date(2026, 6, 1))
    assert (c.kind, c.date, c.phrase) == ("expected", dt.date(2026, 6, 20), "六月 二十 号 之前")
    (p,) = commitments_in("好 嘞 那 我 下周一 给 您 送 过去", "rep", dt.date(2026, 4, 15))
    assert (p.kind, p.date) == ("promised", dt.date(2026, 4, 20))
    assert commitments_in("按您现在的用电量，不到两年就能回本", "rep", DEC3) == []
    assert commitments_in("含头显、工作站、实训软件和三年内容更新", "rep", DEC3) == []


def test_vague_dates_are_marked_and_resolved_by_convention() -> None:
    from nlp.commitments import commitments_in

    on = dt.date(2026, 1, 10)
    nian = one("年前签合同够呛", on)
    assert (nian.date, nian.deadline, nian.vague) == (dt.date(2026, 2, 15), True, True)  # the Spring Festival break's first day
    assert one("盖章得节后", on).date == dt.date(2026, 2, 24)  # the next holiday's break is over
    assert [d.date for d in find_dates("五一人多，节后我还想进点", on)][-1] == dt.date(2026, 5, 6)  # the holiday named
    two = one("这两天就给您送过去", on)
    assert (two.window_start, two.window_end, two.vague, two.deadline) == (on, dt.date(2026, 1, 12), True, False)
    assert one("过几天", on).window_start == dt.date(2026, 1, 12)
    assert not one("2025年前", on).vague and not one("两年后", on).vague
    (c,) = commitments_in("这两天就给您送过去", "rep", on)
    assert c.kind == "promised" and c.vague


def test_event_days_durations_and_labels_are_not_dates() -> None:
    assert find_dates("货到了当天就安排安装", MON) == []  # 当天 is the day of the delivery, not today
    assert find_dates("上次晚了三日才到", MON) == []  # 三日 counted, not the 3rd
    assert find_dates("在三号炉上用了半年", MON) == []  # 三号炉 names a furnace
    assert find_dates("我们的交期是四十天左右", MON) == []
    assert one("十天左右到货").date == dt.date(2026, 3, 12)
    assert find_dates("付款以后七天就能发货", MON) == []  # counted from the payment
    assert find_dates("验收之后两个月内付清", MON) == []
    assert one("七天就能发货").date == dt.date(2026, 3, 9)


def test_regional_day_words_and_guohou() -> None:
    assert one("我听日发货").date == dt.date(2026, 3, 3)  # 粤: tomorrow
    assert one("后日上午送到").date == dt.date(2026, 3, 4)
    assert one("明朝叫师傅过来").date == dt.date(2026, 3, 3)  # 吴: tomorrow
    assert find_dates("以后日子还长", MON) == []
    d = one("中秋过后再说", dt.date(2026, 9, 8))
    assert d.date == dt.date(2026, 9, 28)  # the day after the 09-25…09-27 break, as 中秋后


def test_bare_nian_nei_is_this_year() -> None:
    d = one("年内交付", MON)
    assert (d.date, d.deadline) == (dt.date(2026, 12, 31), True)
    assert one("三年内").date == dt.date(2029, 3, 2)  # a count, not this year


def test_a_bare_weekday_takes_the_week_of_the_nearest_date_before_it() -> None:
    thu = dt.date(2026, 3, 5)
    days = [d.date for d in find_dates("下周三前送齐，明天先发一半，剩下的周一补上", thu)]
    assert days == [dt.date(2026, 3, 11), dt.date(2026, 3, 6), dt.date(2026, 3, 9)]
    days = [d.date for d in find_dates("下周四发车，周一到", thu)]
    assert days == [dt.date(2026, 3, 12), dt.date(2026, 3, 16)]  # after a dated week: that week or later


def test_wu_month_and_day_words() -> None:
    # 号头 is 月 in 吴 speech; 今朝 is today; 三个号头 is a duration
    d = one("上个号头讲好额样品")
    assert (d.date, d.past) == (dt.date(2026, 2, 28), True)
    assert one("下个号头再来").date == dt.date(2026, 4, 30)
    assert one("今朝夜里发出去").date == MON
    assert find_dates("用了三个号头就坏了", MON) == []


def test_month_head_is_its_first_days() -> None:
    d = one("五月头到货")
    assert (d.window_start, d.date) == (dt.date(2026, 5, 1), dt.date(2026, 5, 5))


def test_northern_yesterday_words() -> None:
    assert one("昨儿个刚到").date == dt.date(2026, 3, 1)
    assert one("前儿来过一趟").date == dt.date(2026, 2, 28)


def test_last_quarter_and_a_quarter_told_of_in_the_past() -> None:
    aug = dt.date(2026, 8, 20)
    assert one("上个季度的返利", aug).date == dt.date(2026, 6, 30)
    assert one("二季度的货款至今没结", aug).date == dt.date(2026, 6, 30)
    assert one("一季度才有预算", aug).date == dt.date(2027, 3, 31)  # still ahead: next year's


def test_a_shopping_day_with_its_year() -> None:
    assert one("去年双十二那天卖爆了").date == dt.date(2025, 12, 12)


def test_words_of_the_past_in_regional_speech() -> None:
    jan = dt.date(2027, 1, 10)
    assert one("元旦前侬讲要看看新款", jan).date == dt.date(2027, 1, 1)
    assert one("清明前你话想试下", dt.date(2026, 4, 20)).date == dt.date(2026, 4, 4)


def test_before_an_ordinal_week_is_by_its_end() -> None:
    d = one("第十二周前交货")
    assert (d.date, d.deadline) == (dt.date(2026, 3, 22), True)  # ISO week 12: 3-16 … 3-22


def test_a_bare_weekday_after_a_deadline_can_fall_before_it() -> None:
    wed = dt.date(2026, 3, 4)
    days = [d.date for d in find_dates("这周六之前没问题，周五就能发", wed)]
    assert days == [dt.date(2026, 3, 7), dt.date(2026, 3, 6)]
    days = [d.date for d in find_dates("下周二前一定到，周六就装车", wed)]
    assert days == [dt.date(2026, 3, 10), dt.date(2026, 3, 7)]
    days = [d.date for d in find_dates("下周二前发过去，周四我再上门", wed)]
    assert days == [dt.date(2026, 3, 10), dt.date(2026, 3, 12)]  # 再: after it


def test_todays_weekday_said_bare_is_next_weeks() -> None:
    assert one("周一过来吧").date == dt.date(2026, 3, 9)  # said on a Monday


def test_a_bare_day_after_a_dated_day_keeps_its_month() -> None:
    days = [d.date for d in find_dates("四月三号开工，二十五号之前完工", dt.date(2026, 3, 28))]
    assert days == [dt.date(2026, 4, 3), dt.date(2026, 4, 25)]


def test_a_weekday_naming_the_day_just_said_is_the_same_date() -> None:
    assert [d.date for d in find_dates("三月十三号周五送到", MON)] == [dt.date(2026, 3, 13)]


def test_a_day_of_next_month_before_a_word_opening_with_yi() -> None:
    assert one("下个月五号一块儿结").date == dt.date(2026, 4, 5)


def test_the_week_of_a_day() -> None:
    d = one("十八号那周我们盘点")  # Wednesday 3-18: its week is 3-16 … 3-22
    assert (d.window_start, d.date) == (dt.date(2026, 3, 16), dt.date(2026, 3, 22))
    assert [x.date for x in find_dates("十八号那周五", MON)] != [dt.date(2026, 3, 22)]  # 那周五 is a weekday


def test_yixia_before_next_week_is_not_the_week_after() -> None:
    assert one("我问一下下周三给您回话").date == dt.date(2026, 3, 11)
    assert one("下下周三到").date == dt.date(2026, 3, 18)


def test_after_new_year_said_as_guo_wan_nian() -> None:
    d = one("过完年再定", dt.date(2026, 1, 20))
    assert (d.date, d.vague) == (dt.date(2026, 2, 24), True)  # the day after the 2-15 … 2-23 break


def test_numbers_that_look_like_holidays_and_days() -> None:
    assert find_dates("这款一双十二块五", MON) == []  # a pair at 12.5, not 双十二
    assert find_dates("综合单价三百零五一平米", MON) == []  # 零五一 is a number's tail, not 五一
    assert find_dates("上回在三号店拿的货", MON) == []  # shop number three
    assert one("二十号店里有活动").date == dt.date(2026, 3, 20)
    assert find_dates("第二年起每年续费八千", MON) == []  # an ordinal year, not two years from now


def test_missing_a_season_is_no_word_of_the_past() -> None:
    assert one("得赶在元旦前上架，不然就错过旺季了", dt.date(2026, 11, 24)).date == dt.date(2027, 1, 1)


def test_cantonese_this_week_and_month() -> None:
    assert one("今个月嘅货").date == dt.date(2026, 3, 31)
    assert one("呢个礼拜五送到").date == dt.date(2026, 3, 6)


def test_verb_xia_before_next_week_is_not_the_week_after() -> None:
    assert one("我商量下下周一答复你").date == dt.date(2026, 3, 9)


def test_duan_wu_as_a_transcript_writes_it() -> None:
    assert one("端五前要备好货").date == one("端午前要备好货").date


def test_guo_lai_in_cantonese_tells_of_nothing_past() -> None:
    assert one("元旦后我过嚟同你倾", dt.date(2025, 12, 16)).date == dt.date(2026, 1, 4)


def test_a_bare_third_of_a_month_after_a_named_month_is_of_that_month() -> None:
    got = find_dates("八月中旬之前必须进教室装完，下旬老师们就回来备课了", dt.date(2026, 7, 6))
    assert [(d.phrase, d.date) for d in got] == [("八月中旬之前", dt.date(2026, 8, 10)), ("下旬", dt.date(2026, 8, 31))]
    # With no month named, 中旬 is this month's (or the next, once past).
    assert [d.date for d in find_dates("中旬到货", dt.date(2026, 7, 6))] == [dt.date(2026, 7, 20)]


@pytest.mark.parametrize("text", ["装完 一周内 回访", "报修以后必须两天内有人来修", "签约后六周内可以完成安装"])
def test_a_window_counted_from_an_event_is_no_date(text: str) -> None:
    assert find_dates(text, dt.date(2026, 7, 6)) == []


def test_the_afternoon_of_a_day_is_no_half_day_from_now() -> None:
    # Wu 下半天 / 上半天 is the afternoon / morning of the day named before it, not "in half a day".
    assert [(d.phrase, d.date) for d in find_dates("下礼拜二下半天送到", MON)] == [("下礼拜二", dt.date(2026, 3, 10))]
    assert [d.phrase for d in find_dates("今天上半天有门诊", MON)] == ["今天"]
    assert [(d.phrase, d.date) for d in find_dates("半天就能到", MON)] == [("半天", MON)]


@pytest.mark.parametrize(
    ("text", "date"),
    [  # holidays as Whisper writes them: 元单 (元旦), 中邱 (中秋); 元旦一过 (once it has passed) looks ahead
        ("头一批元单以前得到", "2027-01-01"),
        ("鸡器一定要中邱已前装好", "2026-09-25"),
        ("东西得在元单一过就装好", "2027-01-01"),
        ("元旦一过就要装好", "2027-01-01"),
    ],
)
def test_round_thirty_misheard_holidays_and_once_past(text: str, date: str) -> None:
    assert one(text).date.isoformat() == date


@pytest.mark.parametrize("text", ["这个三百元单价太高", "一百元单独算"])
def test_round_thirty_yuan_before_dan_is_no_new_year(text: str) -> None:
    assert find_dates(text, MON) == []


JAN29 = dt.date(2026, 1, 29)  # lunar 2025-12-11: 正月 is just ahead


@pytest.mark.parametrize(
    ("text", "on", "date"),
    [  # lunar dates (正月初一 = 2026-02-17); a bare solar month and day stays solar
        ("屋是正月初八开工", JAN29, "2026-02-24"),
        ("正月十五以前我上门量尺寸", JAN29, "2026-03-03"),
        ("腊月二十八前给您装好", JAN29, "2026-02-15"),
        ("元宵节后我们上门", JAN29, "2026-03-03"),
        ("除夕前要到货", JAN29, "2026-02-16"),
        ("农历八月十五之前到货", JAN29, "2026-09-25"),
        ("二月十五号前给您装好", JAN29, "2026-02-15"),
        ("正月初八开工", dt.date(2026, 3, 1), "2027-02-13"),  # after this year's, next year's
        # Hakka: 天光日 tomorrow, 昨晡日 yesterday
        ("你天光日先把方案发过来", JAN29, "2026-01-30"),
        ("昨晡日你在微信问的", JAN29, "2026-01-28"),
    ],
)
def test_round_thirty_one_lunar_dates_hakka_days_and_the_next_day(text: str, on: dt.date, date: str) -> None:
    assert one(text, on).date.isoformat() == date


@pytest.mark.parametrize("text", ["起码要到正月二十几", "账号签约第二天就给您开", "一天起码要印八万个"])
def test_round_thirty_one_no_date(text: str) -> None:
    assert find_dates(text, JAN29) == []


def test_round_thirty_one_a_solar_month_start_before_another_word() -> None:
    assert [(d.phrase, d.date.isoformat()) for d in find_dates("三月初一大批货进仓", JAN29)] == [("三月初", "2026-03-05")]


def test_round_thirty_one_the_next_day_after_a_date_said() -> None:
    found = find_dates("纯化系统十二月九号到，工程师第二天上门装", dt.date(2025, 12, 3))
    assert [(d.phrase, d.date.isoformat()) for d in found] == [("十二月九号", "2025-12-09"), ("第二天", "2025-12-10")]


@pytest.mark.parametrize(("text", "days"), [
    ("合同后儿个拿来", 2), ("货后儿到就行", 2), ("您大后儿个来吧", 3), ("夜儿个又有个小区把账弄错了", -1), ("夜个晚上停电了", -1)])
def test_round_thirty_three_henan_days(text: str, days: int) -> None:
    assert one(text).date == MON + dt.timedelta(days=days)


@pytest.mark.parametrize("text", ["以后儿子来接", "熬夜个把月", "今夜儿风大"])
def test_round_thirty_three_not_henan_days(text: str) -> None:
    assert find_dates(text, MON) == []


@pytest.mark.parametrize(("text", "day"), [
    ("9.14上午培训", "2026-09-14"), ("9.9从郑州发车", "2026-09-09"), ("新校区9.15开学前要用上", "2026-09-15"),
    ("11.1我们冬季新品就定了", "2026-11-01")])
def test_round_thirty_four_a_day_typed_with_a_dot_before_a_time_or_an_event(text: str, day: str) -> None:
    assert one(text).date.isoformat() == day


@pytest.mark.parametrize("text", ["价格9.9从今天起", "版本3.2我们没升级", "一共12.5万"])
def test_round_thirty_four_a_price_or_version_with_a_dot_is_no_day(text: str) -> None:
    assert [d for d in find_dates(text, MON) if "." in d.phrase] == []


def test_round_thirty_five_children_s_day_said_as_six_one() -> None:
    # 六一 is 1 June where no amount can be meant: before a deadline word or the shop's doing that day
    assert one("六一之前要到 还要一台样机摆起").date == dt.date(2026, 6, 1)
    assert one("在不在 六一我店里要搞个母婴节").date == dt.date(2026, 6, 1)
    assert one("六一儿童节俺要做活动").date == dt.date(2026, 6, 1)
    # …and an amount a unit stays one (三百八一支, 九百八一个人)
    assert find_dates("三百八一支，九百八一个人", MON) == []
