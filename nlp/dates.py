"""Dates in conversation, resolved against the conversation's own date (docs/contract.md, "Analysis semantics").

Each expression resolves to a span of days (one day, or a window such as 中旬 = 11–20),
then its modifiers decide what the phrase commits to:
  * 前 / 之前 / 以前 / 为止, or 最晚 / 最迟 / 截止 in front: a deadline — by that day
    (a window's deadline is the day before it starts: 四月前 = by 3-31; 月底前 = by month end,
    since 月底 is one day; a schedule's week is counted whole: 第八周前 = by that week's Sunday);
  * 内 / 之内 / 以内: a deadline at the window's end (本周内 = by Sunday, 两周内 = +14 days);
  * 后 / 之后 / 以后: from that day on (a holiday: the first day after its break);
  * nothing: the day itself, or the window.
`date` is always the latest day that still meets the phrase (the deadline, the day, or the
window's end), so expected and promised dates compare like for like.

Measured before writing this: jionlp's time parser read 两周内 as 2 days and failed on 月底前.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any
from dataclasses import dataclass
from functools import lru_cache

import chinese_calendar

from nlp.numerals import parse_int

_N = r"(?:\d{1,2}|[一二两三四五六七八九十]{1,3})"
# 廿八号, 卅号: the written forms of twenty and thirty, still said for days of the month.
_D = r"(?:\d{1,2}|[廿卅][一二三四五六七八九]?|[一二三四五六七八九十]{1,3})"
_DAY_SUFFIX = r"(?:日|号)"
_PRE = r"(?P<pre>最晚|最迟|不晚于|截止到|截止|截至|最好在|最快)?"
_SUF = r"(?:进(?=前))?(?P<suf>前后|之前|以前|前|为止|之内|以内|内|之后|以后|过后|后|左右|起(?!码))?"  # 进前: Hokkien 之前; 起码: at least
# 商量一下下礼拜一 / 商量下 下周一 is (一)下 + 下礼拜一, not 下下礼拜一 (as 说一下月底 for months);
# 今个礼拜 / 呢个礼拜 (粤) is this week.
_WEEKREF = r"(?P<wref>(?<![一量问看查等究虑示认解实对想算])下下个?|下个?|这个?|本|上个?|今个|呢个)"
# Whisper hears 下个礼拜二 as 下个里拜二 and 礼拜四 as 里拜四; 里拜 counts only before a weekday (厂里拜访 is not,
# nor 这里拜一下).
_WEEK = r"(?:周|星期|礼拜|里拜(?=(?!一[下拜])[一二三四五六日天1-7]))"
# 说一下月底 is 一下 + 月底, not 下月底.
# 号头 is 月 in 吴 speech (上个号头, 下个号头); 三个号头 stays a duration.
_MONTHREF = r"(?P<mref>下下个?月|(?<!一)下个?月|这个?月|本月|当月|上个?月|[今呢]个月|[上下这本]个?号头|(?P<month>" + _N + r")月)"
# A year said: relative (明年, 次年, 去年, Cantonese 旧年, 前年), four digits, or two (98年, 九零年); not 三年 (a
# duration) nor 年级.
_YEAR_WORD = (r"(?:今年|明年|次年|来年|后年|去年|旧年|(?<![之以年])前年|(?<!\d)(?:19|20)\d\d年|(?<!\d)\d\d年(?!级|代|龄)"
              r"|(?<![一二三四五六七八九零〇])[一二三四五六七八九零〇]{4}年|(?<![一二三四五六七八九零〇十])[一二三四五六七八九零〇]{2}年(?!级|代|龄))")
_CN_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def year_of(said: str | None, on: dt.date) -> int | None:
    """The year a year word names (明年 → on.year + 1, 二〇三五年 → 2035, 98年 → 1998), or None."""
    if not said:
        return None
    s = said.rstrip("年的")
    rel = {"今": 0, "明": 1, "次": 1, "来": 1, "后": 2, "去": -1, "旧": -1, "前": -2}  # Cantonese 旧年: last year
    if len(s) == 1 and s in rel:
        return on.year + rel[s]
    digits = "".join(str(_CN_DIGIT[c]) if c in _CN_DIGIT else c for c in s)
    if not digits.isdigit():
        return None
    if len(digits) == 4:
        return int(digits)
    if len(digits) == 2:
        year = 2000 + int(digits)
        return year if year <= on.year + 20 else year - 100
    return None

# Names as said → chinese_calendar's holiday names.
_HOLIDAYS = {
    "元旦": "New Year's Day", "春节": "Spring Festival", "过年": "Spring Festival",
    "清明": "Tomb-sweeping Day", "五一": "Labour Day", "劳动节": "Labour Day",
    "端午": "Dragon Boat Festival", "端五": "Dragon Boat Festival", "国庆": "National Day", "十一": "National Day",
    "中秋": "Mid-autumn Festival",
    # as Whisper writes them: 元单 (元旦), 中邱 (中秋)
    "元单": "New Year's Day", "中邱": "Mid-autumn Festival",
}
# Fixed-date holidays still resolve in years chinese_calendar has no data for.
# Solar holidays of a year without an official notice yet: the first day and the usual length of the
# break (国庆 1–7 October and 五一 1–5 May every year since 2020 except when merged with 中秋).
_FIXED_HOLIDAYS = {"New Year's Day": (1, 1, 1), "Labour Day": (5, 1, 5), "National Day": (10, 1, 7)}


@dataclass(frozen=True)
class DateMention:
    """A date expression found in text and what it resolves to."""

    phrase: str
    start: int
    end: int
    date: dt.date                    # the deadline, the day, or the window's last day
    window_start: dt.date | None     # deadlines: the conversation day; windows: first day
    window_end: dt.date | None
    deadline: bool                   # "by then" (前/内/最晚)
    past: bool                       # entirely before the conversation day
    vague: bool = False              # 年前, 节后, 这两天: a convention, not a day anyone named


@dataclass(frozen=True)
class _Days:
    first: dt.date
    last: dt.date
    after: dt.date | None = None     # a holiday's first day after its break (for 后)
    relative_count: bool = False     # N天/N周: 前 means "ago", 内 "within"
    vague: bool = False
    by_end: bool = False             # 前 is by its last day (第八周前: a schedule's week, not 四月前's day before)


# ---- calendar helpers ---------------------------------------------------------------

def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def add_months(d: dt.date, n: int) -> dt.date:
    y, m = divmod(d.month - 1 + n, 12)
    year, month = d.year + y, m + 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def is_workday(d: dt.date) -> bool:
    """A Chinese working day (holidays and 调休 from chinese_calendar; Mon–Fri beyond its data)."""
    try:
        return chinese_calendar.is_workday(d)
    except NotImplementedError:
        return d.weekday() < 5


def nth_workday_after(d: dt.date, n: int) -> dt.date:
    """The n-th working day after `d` (`d` itself not counted): 三个工作日内 from a Friday."""
    x, count = d, 0
    while count < n:
        x += dt.timedelta(days=1)
        if is_workday(x):
            count += 1
    return x


@lru_cache(maxsize=64)
def holiday_break(name: str, year: int) -> tuple[dt.date, dt.date] | None:
    """First and last day of a named holiday's official break in `year`, if known."""
    days = sorted(d for d, n in chinese_calendar.holidays.items() if d.year == year and n == name)
    if days:
        # The break is the run of days around the first one (weekends inside included).
        first = last = days[0]
        for d in days[1:]:
            if (d - last).days > 3:
                break
            last = d
        return first, last
    if name in _FIXED_HOLIDAYS:
        m, d, length = _FIXED_HOLIDAYS[name]
        day = dt.date(year, m, d)
        return day, day + dt.timedelta(days=length - 1)
    return _lunar_holiday(name, year)


def _solar(s: Any) -> dt.date:
    """A lunar_python Solar as a date."""
    return dt.date(s.getYear(), s.getMonth(), s.getDay())


def _lunar_holiday(name: str, year: int) -> tuple[dt.date, dt.date] | None:
    """A lunar holiday (or 清明's solar term) from lunar_python, for years without an official notice.

    The break is not announced yet: 春节's is taken as 除夕 … 初七 (as in 2025 and 2026), the others
    as the day itself.
    """
    from lunar_python import Lunar

    try:
        if name == "Spring Festival":
            new_year = _solar(Lunar.fromYmd(year, 1, 1).getSolar())
            return new_year - dt.timedelta(days=1), new_year + dt.timedelta(days=6)
        if name == "Dragon Boat Festival":
            day = _solar(Lunar.fromYmd(year, 5, 5).getSolar())
        elif name == "Mid-autumn Festival":
            day = _solar(Lunar.fromYmd(year, 8, 15).getSolar())
        elif name == "Tomb-sweeping Day":
            day = _solar(Lunar.fromYmd(year, 3, 1).getJieQiTable()["清明"])
        else:
            return None
    except Exception:  # noqa: BLE001 - a year outside the library's tables: no date rather than a crash
        return None
    return day, day


def _week_monday(d: dt.date, offset_weeks: int) -> dt.date:
    return d - dt.timedelta(days=d.weekday()) + dt.timedelta(weeks=offset_weeks)


def _week_offset(ref: str | None) -> int:
    if not ref:
        return 0
    ref = ref.rstrip("个")
    return {"下下": 2, "下": 1, "这": 0, "本": 0, "上": -1, "今": 0, "呢": 0}[ref]


def _month_offset(ref: str) -> int:
    ref = ref.replace("个", "").replace("号头", "月")
    return {"下下月": 2, "下月": 1, "这月": 0, "本月": 0, "当月": 0, "上月": -1, "今月": 0, "呢月": 0}[ref]


def _roll_year(first: dt.date, last: dt.date, on: dt.date) -> tuple[dt.date, dt.date]:
    """A month named without a year: this year, unless that is long past (一月 said in November)."""
    if last < on - dt.timedelta(days=60):
        try:
            return first.replace(year=first.year + 1), last.replace(year=last.year + 1)
        except ValueError:  # 2-29
            return first.replace(year=first.year + 1, day=28), last.replace(year=last.year + 1, day=28)
    return first, last


# ---- the expressions ----------------------------------------------------------------
# Each rule is (pattern, resolver). A resolver returns the days the core phrase names
# (modifiers 前/内/后 are applied afterwards) or None when the match is not a date.

def _ymd(m: re.Match[str], on: dt.date) -> _Days | None:
    y = int(m.group("y")) if m.group("y") else None
    mo, d = parse_int(m.group("mo")), parse_int(m.group("d"))
    if not mo or not d or not 1 <= mo <= 12:
        return None
    try:
        day = dt.date(y or on.year, mo, d)
    except ValueError:
        return None
    if y is None:
        day, _ = _roll_year(day, day, on)
    return _Days(day, day)


def _month_day(m: re.Match[str], on: dt.date) -> _Days | None:
    d = parse_int(m.group("d"))
    if not d:
        return None
    if m.group("month"):
        mo = parse_int(m.group("month"))
        if not mo or not 1 <= mo <= 12:
            return None
        year = year_of(m.group("yref"), on) or on.year
        try:
            day = dt.date(year, mo, d)
        except ValueError:
            return None
        if not m.group("yref"):
            day, _ = _roll_year(day, day, on)
        return _Days(day, day)
    base = add_months(on.replace(day=1), _month_offset(m.group("mref")))
    try:
        day = base.replace(day=d)
    except ValueError:
        return None
    return _Days(day, day)


def _dotted(m: re.Match[str], on: dt.date) -> _Days | None:
    mo, d = int(m.group("mo")), int(m.group("d"))
    if not 1 <= mo <= 12:
        return None
    try:
        day = dt.date(on.year, mo, d)
    except ValueError:
        return None
    day, _ = _roll_year(day, day, on)
    return _Days(day, day)


_COUNTED_DAYS = re.compile(r"(?:[迟晚延推拖等过用花隔差停住做咗了]|耽误|需要)$")


def _bare_day(m: re.Match[str], on: dt.date) -> _Days | None:
    if m.group("d") == "一" and m.group(0).find("日") >= 0:
        return None  # 一日 is "one day" far more often than "the 1st"
    if m.group(0).endswith("日") and _COUNTED_DAYS.search(m.string, 0, m.start()):
        return None  # 迟咗三日, 晚了三日: a count of days (日 = 天 in 粤 and written speech), not the 3rd
    d = parse_int(m.group("d"))
    if not d or d > 31:
        return None
    month = on.replace(day=1)
    if d < on.day:
        month = add_months(month, 1)  # 5号 said on the 20th: next month's 5th
    try:
        day = month.replace(day=d)
    except ValueError:
        return None
    return _Days(day, day)


_XUN = "[旬训询寻循巡讯]"


def _month_part(m: re.Match[str], on: dt.date) -> _Days | None:
    part = (m.group("part") or "").removeprefix("月") if m.group("mref") else m.group("part") or ""
    if len(part) == 2 and part[0] in "上中下" and part[1] != "旬":
        part = part[0] + "旬"  # heard as 上训
    if m.group("month"):
        mo = parse_int(m.group("month"))
        if not mo or not 1 <= mo <= 12:
            return None
        year = year_of(m.group("yref"), on) or on.year
        first = dt.date(year, mo, 1)
    elif m.group("mref"):
        first = add_months(on.replace(day=1), _month_offset(m.group("mref")))
    else:
        if not part or part in ("中",):
            return None  # a bare 月 needs 初/底…; 月中 alone is handled as 中旬 below
        first = on.replace(day=1)
    end = month_end(first.year, first.month)
    span = {
        "初": (1, 5), "头": (1, 5), "上旬": (1, 10), "中旬": (11, 20), "中": (11, 20), "下旬": (21, end.day),
        "底": (end.day, end.day), "末": (end.day, end.day), "尾": (end.day, end.day), "": (1, end.day), "份": (1, end.day),
    }[part]
    a, b = first.replace(day=span[0]), first.replace(day=span[1])
    if m.group("month") and not m.group("yref"):
        a, b = _roll_year(a, b, on)
    return _Days(a, b)


def _bare_month_part(m: re.Match[str], on: dt.date) -> _Days | None:
    first = on.replace(day=1)
    end = month_end(on.year, on.month)
    part = m.group("part")
    span = {"月初": (1, 5), "月中": (11, 20), "月中旬": (11, 20), "月底": (end.day, end.day),
            "月末": (end.day, end.day), "月尾": (end.day, end.day), "月下旬": (21, end.day), "月上旬": (1, 10),
            "上旬": (1, 10), "中旬": (11, 20), "下旬": (21, end.day)}[part]
    a, b = first.replace(day=span[0]), first.replace(day=span[1])
    if b < on and (span[0] <= 5 or not part.startswith("月")):
        # 月初 said on the 20th, 中旬 said on the 25th: next month's
        a = add_months(a, 1)
        b = add_months(first, 1).replace(day=min(span[1], month_end(add_months(first, 1).year, add_months(first, 1).month).day))
    return _Days(a, b)


def _weekday(m: re.Match[str], on: dt.date) -> _Days | None:
    x = m.group("x")
    if x == "一" and m.group("suf") == "起" and not m.string[:m.start()].endswith("从"):
        return None  # 下周一起带过去: 下周 + 一起 (together); 从下周一起 is from Monday on
    monday = _week_monday(on, _week_offset(m.group("wref")))
    if x == "末":
        first, last = monday + dt.timedelta(days=5), monday + dt.timedelta(days=6)
    else:
        idx = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}.get(x)
        if idx is None:
            idx = int(x) - 1 if x.isdigit() and 1 <= int(x) <= 7 else None
        if idx is None:
            return None
        first = last = monday + dt.timedelta(days=idx)
    if not m.group("wref") and x != "末" and _of_the_past(m, reach=10):
        # 礼拜三侬讲要换…, 周四您在抖音上留了电话: told of as done or said, the latest such day before today.
        while first >= on:
            first -= dt.timedelta(weeks=1)
        return _Days(first, first)
    if not m.group("wref") and last <= on:
        # 周五 said on a Saturday: the coming one (这周五 / 本周五 keep this week); said on a Thursday,
        # 周四 is next week's (today is 今天).
        first, last = first + dt.timedelta(weeks=1), last + dt.timedelta(weeks=1)
    return _Days(first, last)


def _week(m: re.Match[str], on: dt.date) -> _Days | None:
    monday = _week_monday(on, _week_offset(m.group("wref")))
    return _Days(monday, monday + dt.timedelta(days=6))


# 当天 is left out: said in a call it is the day of some event (到了当天, 装好当天), not today.
# Regional words: 听日/听朝 and 琴日/寻日 (粤), 今朝/明朝 (吴), 后日/前日, 昨儿/前儿(个) (北方).
_RELATIVE_DAY = {"今天": 0, "今日": 0, "今儿": 0, "今晚": 0, "今早": 0, "当晚": 0, "本日": 0, "明天": 1,
                 "今朝": 0, "今儿个": 0, "明儿个": 1, "昨儿": -1, "昨儿个": -1, "前儿": -2, "前儿个": -2,
                 "明日": 1, "明儿": 1, "明早": 1, "明晚": 1, "听日": 1, "听朝": 1, "明朝": 1, "后天": 2, "后日": 2,
                 "大后天": 3, "大后日": 3, "大大后天": 4, "昨天": -1, "昨日": -1, "琴日": -1, "寻日": -1, "前天": -2, "前日": -2,
                 "大前天": -3, "大前日": -3,
                 "明仔载": 1, "今仔日": 0,  # Hokkien: tomorrow, today
                 "天光日": 1, "今晡日": 0, "昨晡日": -1,  # Hakka: tomorrow, today, yesterday
                 "明个": 1,  # Jianghuai / Henan: tomorrow (明个上午俺带合同过去)
                 "后儿个": 2, "后儿": 2, "大后儿个": 3, "大后儿": 3, "夜儿个": -1, "夜儿": -1, "夜个": -1}  # Henan: the day after tomorrow, yesterday


def _relative_day(m: re.Match[str], on: dt.date) -> _Days | None:
    day = on + dt.timedelta(days=_RELATIVE_DAY[m.group("rd")])
    return _Days(day, day)


# 下单以后十天, 报修以后必须两天内, 装完 一周内 回访: counted from an event (a modal may come between).
_EVENT_BEFORE = re.compile(r"(?:(?<![0-9一二两三四五六七八九十半个天周月年期节])(?:以后|之后|后)|(?<=[装修签做收验弄搞])\s*完)"
                           r"\s*(?:(?:必须|要|得|就|会|能|可以|保证|都)\s*)*$")


_SERVICE_AFTER = re.compile(r"(?:免费|包换|换件|保修|包修|保养|质保|不收钱|不收费)")
_SERVICE_BEFORE = re.compile(r"报修|接报|保修|质保|售后")
_CLAUSE_BREAK = re.compile(r"[，,；;：:]")
_RESPONSE_TIME = re.compile(r"[0-9一二两三四五六七八九十半]+(?:个)?(?:钟头|小时|天|日|周|星期|礼拜)(?:内|以内|之内)")


_REPAIR_AFTER = re.compile(r"(?:必须|就|会|保证|才)?(?:给(?:您|你))?(?:派人|派工程师|派师傅)?(?:上门)?(?:维修|修好|响应|到场|回复|回音|上门)"
                           r"|才(?:到|来|派人|上门)")


# 下单第二天就到, 走高速一天就到, 物流两天到: how long delivery takes once something happens, said in the count's
# own clause — a lead time, not a date.
_LEAD_BEFORE = re.compile(r"下\s?[单担]|落单|订货|签约|签合同|付款|到账|报修|走高[速素]|开车|坐车|物流|快递|空运|海运|船运")


def _lead_time(m: re.Match[str]) -> bool:
    """Whether the count `m` is a lead time: an order, a repair call or a journey before it in its clause."""
    start = max(m.string.rfind(c, 0, m.start()) for c in "，,。！？!?；;\n") + 1
    return bool(_LEAD_BEFORE.search(m.string, start, m.start()))


def _service_term(before: str, after: str) -> bool:
    """The count between `before` (its sentence so far) and `after` is a service term: after 报修 / 保修 /
    质保 anywhere in the sentence; after 售后 in its own clause, or in an earlier clause when the count
    is a repair's or one of several response times (售后响应…，工程师一周后才到). 售后没问题，三天内送到 is
    a delivery date."""
    hits = list(_SERVICE_BEFORE.finditer(before))
    if not hits:
        return False
    if hits[-1].group(0) != "售后":
        return True  # 报修, 保修, 质保 set the terms of the whole sentence (…报修，工程师三天后才到; …质保金，一年后支付)
    rest = before[hits[-1].end():]
    return not _CLAUSE_BREAK.search(rest) or bool(_RESPONSE_TIME.search(rest)) or bool(_REPAIR_AFTER.match(after))


def _count(m: re.Match[str], on: dt.date) -> _Days | None:
    n_text, unit = m.group("n"), m.group("unit")
    suf = m.group("suf") or ""
    if not suf and m.group("verb") is None:
        return None  # 生产周期要30天 is a duration, not a date
    if suf in ("内",) and re.match(r"[容部地存置需销勤]", m.string[m.end():]):
        return None  # 三年内容更新: 内容, not 内
    if suf in ("左右", "前后") and m.group("verb") is None:
        return None  # 供货周期是六十天左右: a duration
    if _EVENT_BEFORE.search(m.string, 0, m.start()):
        return None  # 下单以后十天, 验收后一个月内: counted from an event, not from today
    if _lead_time(m):
        return None  # 走高速一天就到: a lead time
    after = m.string[m.end():]
    sentence = m.string[max(m.string.rfind(c, 0, m.start()) for c in "。！？!?\n") + 1:m.start()]
    if _SERVICE_AFTER.match(after) or _service_term(sentence, after):
        return None  # 三年内免费保养, 接报四个钟头内给回音，一天以内派人上门: a service term, not a date
    if not suf and re.match(r"就能|就可以", after) and not re.match(r"(?:就能|就可以)(?:到|发|交|送|装|完成|上线|用上|投产)", after):
        return None  # 两年就能回本: a payback time, not a date
    if n_text in ("半",):
        n = 0.5
    elif n_text.endswith("个半"):
        base = parse_int(n_text[:-2])
        if base is None:
            return None
        n = base + 0.5
    else:
        v = parse_int(n_text)
        if not v:
            return None
        n = float(v)
    sign = -1 if suf in ("前", "之前", "以前") else 1  # 三天前 = three days ago
    if unit == "工作日":
        if sign < 0 or n != int(n):
            return None
        day = nth_workday_after(on, int(n))
    elif unit in ("天", "日"):
        day = on + dt.timedelta(days=sign * round(n))
    elif unit in ("周", "星期", "礼拜"):
        day = on + dt.timedelta(days=sign * round(7 * n))
    elif unit == "年":
        day = add_months(on, sign * round(12 * n))  # 半年后 = six months on
    else:  # 月
        whole = int(n)
        day = add_months(on, sign * whole)
        if n != whole:
            day += dt.timedelta(days=sign * 15)
    return _Days(day, day, relative_count=True)


# A holiday followed in its clause by words of the past (元旦前去您厂里看过, 国庆后您说…, 六一八卖了两百罐)
# is the one just gone, not next year's. 元旦一过 (once it has passed) looks ahead.
_PAST_CLAUSE = re.compile(r"(?<![不没错一])过(?![来嚟去年节几两完头了]|一(?![次回遍趟]))|上次|上回|那次|那会|[您你]说|[您你]讲|说过|讲过|话过|"
                          r"答应[的嘅]|已经|卖了|销量|[您你侬]话|侬讲|唠的|聊的|谈的|留了|至今|到现在")
_CLAUSE_MARK = re.compile(r"[，,。.！!？?；;]")


def _of_the_past(m: re.Match[str], reach: int | None = None) -> bool:
    """What follows the match in its clause tells of something done or said before (元旦前去看过),
    not of what someone said would happen then (您上次说元旦要发礼盒: the date is still ahead).
    `reach` limits how far (an unpunctuated transcript runs on to other matters: 周五 人 要 到 … 上次 换 的)."""
    text = m.string
    end = _CLAUSE_MARK.search(text, m.end())
    stop = end.start() if end else len(text)
    if reach is not None:
        stop = min(stop, m.end() + reach)
    return bool(_PAST_CLAUSE.search(text, m.end(), stop))


def _holiday(m: re.Match[str], on: dt.date) -> _Days | None:
    said = m.group("hol")
    key = next(k for k in _HOLIDAYS if said.startswith(k))
    name = _HOLIDAYS[key]
    year = year_of(m.group("hyref"), on) or on.year
    span = holiday_break(name, year)
    if span and span[1] < on and not m.group("hyref") and not _of_the_past(m):
        span = holiday_break(name, year + 1)  # 国庆后 said in November: next year's
    if not span:
        return None
    if m.group("during"):
        return _Days(span[0], span[1])  # 国庆期间: the whole break
    # A holiday is its first day (docs/contract.md's date conventions); 后 means after the whole break.
    return _Days(span[0], span[0], after=span[1] + dt.timedelta(days=1))


def _year_part(m: re.Match[str], on: dt.date) -> _Days | None:
    year = year_of(m.group("yref2"), on) or on.year
    part = {"底": "年底", "末": "年末", "初": "年初"}.get(m.group("ypart"), m.group("ypart"))
    a, b = {
        "年底": ((12, 31), (12, 31)), "年末": ((12, 31), (12, 31)), "上半年": ((1, 1), (6, 30)),
        "下半年": ((7, 1), (12, 31)), "年初": ((1, 1), (1, 31)),
    }[part]
    first, last = dt.date(year, *a), dt.date(year, *b)
    if last < on and not m.group("yref2"):
        first, last = first.replace(year=year + 1), last.replace(year=year + 1)
    return _Days(first, last)


def _month_of(m: re.Match[str], on: dt.date) -> dt.date | None:
    """The first day of the month a rule's year/month groups name (本月, 下月, 三月, 2023年三月), or None."""
    g = m.groupdict()
    if g.get("month"):
        mo = parse_int(g["month"])
        if not mo or not 1 <= mo <= 12:
            return None
        year = year_of(g.get("yref"), on)
        first = dt.date(year or on.year, mo, 1)
        if year is None:
            first, _ = _roll_year(first, month_end(first.year, first.month), on)
        return first
    if g.get("mref"):
        return add_months(on.replace(day=1), _month_offset(g["mref"]))
    return None


def _nth_week(m: re.Match[str], on: dt.date) -> _Days | None:
    """第N周: of a month, the N-th week starting on a Monday inside it; else ISO week N of the year."""
    n = parse_int(m.group("n"))
    if not n or n > 53:
        return None
    if m.groupdict().get("mref"):
        first = _month_of(m, on)
        if first is None or n > 5:
            return None
        monday = first + dt.timedelta(days=(7 - first.weekday()) % 7)
        start = monday + dt.timedelta(weeks=n - 1)
        if start.month != first.month:
            return None
        return _Days(start, start + dt.timedelta(days=6), by_end=True)
    year = year_of(m.groupdict().get("yref"), on)
    try:
        start = dt.date.fromisocalendar(year or on.year, n, 1)
        if year is None and start + dt.timedelta(days=6) < on:
            start = dt.date.fromisocalendar(on.year + 1, n, 1)  # 第10周 said in November: next year's
    except ValueError:
        return None
    # 第八周前到货 is by the end of week 8: a production schedule counts whole weeks
    return _Days(start, start + dt.timedelta(days=6), by_end=True)


def _nth_weekday(m: re.Match[str], on: dt.date) -> _Days | None:
    """6月第3个星期日, 八月份的第一个周二: the N-th such weekday of the month."""
    n = parse_int(m.group("n"))
    idx = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}.get(m.group("x"))
    if idx is None and m.group("x").isdigit():
        idx = int(m.group("x")) - 1
    first = _month_of(m, on)
    if not n or idx is None or not 0 <= idx <= 6 or first is None:
        return None
    day = first + dt.timedelta(days=(idx - first.weekday()) % 7) + dt.timedelta(weeks=n - 1)
    return _Days(day, day) if day.month == first.month else None


def _nth_day(m: re.Match[str], on: dt.date) -> _Days | None:
    """第三天: counted from today as the first day."""
    n = parse_int(m.group("n"))
    if not n or n > 366 or _lead_time(m):
        return None  # 下单第二天就到: a lead time
    day = on + dt.timedelta(days=n - 1)
    return _Days(day, day)


def _year_alone(m: re.Match[str], on: dt.date) -> _Days | None:
    year = year_of(m.group("yref3"), on)
    if year is None or m.group("yref3") in ("明年", "今年") and m.group("suf") in ("前", "之前", "以前"):
        return None  # 今年前 / 明年前 are not said as dates
    return _Days(dt.date(year, 1, 1), dt.date(year, 12, 31))


def _this_year(m: re.Match[str], on: dt.date) -> _Days | None:
    """年内 with no year or count before it: this year (年内交房 = 今年内)."""
    return _Days(dt.date(on.year, 1, 1), dt.date(on.year, 12, 31))


# Festivals on a fixed day (or the N-th Sunday of a month) that people set deadlines by.
_FESTIVALS = {"教师节": (9, 10), "妇女节": (3, 8), "三八节": (3, 8), "儿童节": (6, 1), "情人节": (2, 14), "圣诞节": (12, 25),
              "圣诞": (12, 25), "建军节": (8, 1), "植树节": (3, 12), "母亲节": (5, -2), "父亲节": (6, -3),
              "六一儿童节": (6, 1), "六一": (6, 1)}
# 六一 (1 June, Children's Day, a mother-and-baby shop's big day) said alone, where no amount can be meant:
# not after a numeral (三百八一支 is 380 a piece) and before a deadline word or what the shop does that day.
_JUNE_FIRST = r"(?<![0-9零〇一二两三四五六七八九十百千万块元])六一(?=前|之前|以前|后|之后|以后|那天|当天|活动|我|俺|搞|要|大促|档期)"


def _festival(m: re.Match[str], on: dt.date) -> _Days | None:
    month, day = _FESTIVALS[m.group("fest")]
    year = year_of(m.group("fyref"), on)

    def on_year(y: int) -> dt.date:
        if day > 0:
            return dt.date(y, month, day)
        first = dt.date(y, month, 1)  # the (-day)-th Sunday
        return first + dt.timedelta(days=(6 - first.weekday()) % 7) + dt.timedelta(weeks=-day - 1)

    d = on_year(year or on.year)
    if year is None and d < on and not _of_the_past(m):
        d = on_year(on.year + 1)
    return _Days(d, d)


# Lunar dates, as the countryside and the New Year season speak (正月初八开工, 腊月二十八, 农历八月十五):
# a month and day are lunar after 农历 / 阴历, in 正月 / 冬月 / 腊月, or with an 初 / 廿 day; 二月十五 alone is solar.
_LUNAR_MONTHS = {"正": 1, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
                 "十一": 11, "冬": 11, "十二": 12, "腊": 12}
_LUNAR_NAMED = {"元宵": (1, 15), "腊八": (12, 8), "小年": (12, 23), "大年三十": (12, 0), "年三十": (12, 0),
                "除夕": (12, 0), "大年初一": (1, 1), "大年初二": (1, 2), "大年初三": (1, 3)}  # 0: the year's last day


_LUNAR_DAY_ENDS = re.compile(r"[号日前后以之左那当到开动起，,。！!？?；;\s]|$")


def _lunar_day(m: re.Match[str], on: dt.date) -> _Days | None:
    from lunar_python import Lunar, LunarYear

    named = m.group("lname")
    if named:
        month, day = _LUNAR_NAMED[named.removesuffix("节")]
    else:
        said_month, said_day = m.group("lmo"), m.group("ld")
        if not (m.group("nongli") or said_month in ("正", "冬", "腊") or said_day[0] in "初廿"):
            return None  # a solar date: the month-and-day rule reads it
        if not (m.group("nongli") or said_month in ("正", "冬", "腊")) and not _LUNAR_DAY_ENDS.match(m.string, m.end("ld")):
            return None  # 三月初 一大批货: the start of a solar month, then another word
        month = _LUNAR_MONTHS[said_month]
        day = parse_int(said_day.replace("初", "").replace("廿", "二十")) or 0
        if not 1 <= day <= 30:
            return None
    year = year_of(m.group("lyref"), on)
    dates = []
    for y in ((year,) if year else (on.year - 1, on.year, on.year + 1)):
        try:
            lunar_year = LunarYear.fromYear(y)
            length = lunar_year.getMonth(month).getDayCount()  # 小月 have 29 days: 年三十 is then the 29th
            dates.append(_solar(Lunar.fromYmd(y, month, length if day == 0 else min(day, length)).getSolar()))
        except Exception:  # noqa: BLE001 - a year outside the library's tables: no date rather than a crash
            continue
    if not dates:
        return None
    if year:
        d = dates[0]
    elif _of_the_past(m):
        d = max((x for x in dates if x <= on), default=dates[0])
    else:
        d = min((x for x in dates if x >= on), default=dates[-1])
    return _Days(d, d)


# The holidays 节前 / 节后 can mean when none is named: the next one to come.
_NEXT_HOLIDAYS = ("New Year's Day", "Spring Festival", "Tomb-sweeping Day", "Labour Day", "Dragon Boat Festival",
                  "Mid-autumn Festival", "National Day")


def _holiday_of(text: str, at: int, on: dt.date) -> tuple[dt.date, dt.date] | None:
    """The break 节前/节后 refers to: the last holiday named before it in the text, else the next one."""
    named = [(m.start(), _HOLIDAYS[k]) for k in _HOLIDAYS for m in re.finditer(re.escape(k), text[:at])]
    if named:
        name = max(named)[1]
        span = holiday_break(name, on.year)
        if span and span[1] < on:
            span = holiday_break(name, on.year + 1)
        return span
    spans = [s for name in _NEXT_HOLIDAYS for y in (on.year, on.year + 1)
             for s in [holiday_break(name, y)] if s and s[1] >= on]
    return min(spans) if spans else None


def _vague(m: re.Match[str], on: dt.date) -> _Days | None:
    """年前 / 年后 (the Spring Festival), 节前 / 节后 (the holiday named, else the next), 这两天, 过几天."""
    word = m.group("vague")
    if word in ("这两天", "这几天"):
        return _Days(on, on + dt.timedelta(days=2), vague=True)
    if word == "过几天":
        return _Days(on + dt.timedelta(days=2), on + dt.timedelta(days=7), vague=True)
    if word in ("过完年", "过了年"):
        word = "年后"  # 过完年再说: after the Spring Festival
    if word.startswith("年"):
        span = holiday_break("Spring Festival", on.year)
        if span and span[1] < on:
            span = holiday_break("Spring Festival", on.year + 1)
    else:
        span = _holiday_of(m.string, m.start(), on)
    if not span:
        return None
    if word.endswith("前"):
        return _Days(span[0], span[0], vague=True)
    after = span[1] + dt.timedelta(days=1)
    return _Days(after, after, vague=True)


_SHOPPING_DAYS = {"双十一": (11, 11), "双11": (11, 11), "双十二": (12, 12), "双12": (12, 12), "618": (6, 18), "六一八": (6, 18)}


def _shopping_day(m: re.Match[str], on: dt.date) -> _Days | None:
    """E-commerce festivals retail plans around (beyond the contract's date conventions): the day, this year or next."""
    month, day = _SHOPPING_DAYS[m.group("shop")]
    year = year_of(m.group("syref"), on)
    d = dt.date(year or on.year, month, day)
    if year is None and d < on and not _of_the_past(m):
        d = d.replace(year=on.year + 1)
    return _Days(d, d)


def _quarter(m: re.Match[str], on: dt.date) -> _Days | None:
    """一季度 = January–March; 下季度 = the next one. Not in docs/contract.md's date conventions; a window like 中旬."""
    current = (on.month - 1) // 3
    if m.group("qref"):
        q_index = current + {"下": 1, "下个": 1, "这": 0, "这个": 0, "本": 0, "上": -1, "上个": -1}[m.group("qref")]
        year = on.year + q_index // 4
        q_index %= 4
    else:
        q_index = 0 if m.group("q") == "首" else (parse_int(m.group("q")) or 0) - 1
        year = year_of(m.group("qyref"), on) or on.year
        if not m.group("qyref") and q_index < current and not _of_the_past(m):
            year += 1  # 一季度 said in November: next year's (一季度的反利至今没到账: this year's)
    first = dt.date(year, 3 * q_index + 1, 1)
    return _Days(first, month_end(year, 3 * q_index + 3))


_NTH_WEEK = r"第(?P<n>" + _N + r"|[一二三四五]十[一二三四五六七八九]?)个?(?:周|星期|礼拜)(?![一二三四五六日天末1-7])"
_NOT_AFTER_DAY = r"(?![楼线机台层栋号车间库门位厂仓码件种轧炉窑泵罐槽房室院馆床窗柜梯站井]|[店铺](?![里内头]))"  # 二号轧机, 一号店: a label (二十八号店里搞活动 is a day)
_YREF = r"(?:(?P<yref>" + _YEAR_WORD + r")的?)?"
# 3.20 / 3/20 / 9.14上午: a month and day with a dot or slash, where a date word follows (a price or a
# version does not: 12.5万, 版本3.2). Money reads no amount here (nlp.money).
DOTTED_DATE = re.compile(_PRE + r"(?<![\d.A-Za-z价卖报本格钱])(?P<mo>\d{1,2})[./](?P<d>\d{1,2})(?![\d.%万元块wWkK折倍米吨个台件套])"
                r"(?=号|日|前|之前|以前|左右|当天|那天|交|到|发|送|上线|开工|完成|截止|之内|内"
                # 9.14上午培训, 9.9从郑州发车, 9.15开学前, 11.1我们…就定了: typed dates in chat
                r"|上午|下午|晚上|早上|中午|从|开学|开业|开标|开课|装|培训|签|我们|咱们)[号日]?" + _SUF)
_RULES: list[tuple[re.Pattern[str], object]] = [
    (re.compile(_PRE + r"(?P<y>20\d\d)\s*[-/.年]\s*(?P<mo>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})[日号]?" + _SUF), _ymd),
    # 20240307, 2022 11 23: compact or space-separated, only with a plausible month and day.
    (re.compile(_PRE + r"(?<!\d)(?P<y>20\d\d)(?: (?=\d{1,2} \d))?(?P<mo>0[1-9]|1[0-2]|(?<= )[1-9])(?: )?(?P<d>0[1-9]|[12]\d|3[01]|(?<= )[1-9])"
                r"(?![\d.万元块wWkK%])" + _SUF), _ymd),
    # 09-01, 6·30: month-day with a hyphen (two digits each, so 15-20万 stays money) or a middle dot.
    (re.compile(_PRE + r"(?<![\d.\-])(?P<mo>0[1-9]|1[0-2])-(?P<d>0[1-9]|[12]\d|3[01])(?![\d\-万元块wWkK%])" + _SUF), _dotted),
    (re.compile(_PRE + r"(?<![\d.])(?P<mo>\d{1,2})[·•](?P<d>\d{1,2})(?![\d万元块wWkK%])[号日]?" + _SUF), _dotted),
    # After 号 / 日 the date has ended (这月二十号三店搞周年庆); without it a numeral may go on (三月二十二).
    (re.compile(_PRE + _YREF + r"(?:" + _MONTHREF + r")份?(?P<d>" + _D + r")(?:" + _DAY_SUFFIX + r"|"
                r"(?![0-9二三四五六七八九十百千万个台套件天]|一(?!块|起|并|早|下|定|律|齐)))" + _NOT_AFTER_DAY + _SUF), _month_day),
    (DOTTED_DATE, _dotted),
    (re.compile(r"(?<=在|于|是|定|改|推|约|到|止)" + _PRE + r"(?P<mo>\d{1,2})[./](?P<d>\d{1,2})(?![\d.%万元块wWkK折倍米吨个台件套])"
                r"[号日]?" + _SUF), _dotted),
    # Whisper writes 旬 as 训 / 询 / 寻 … (十月上训): after a month's name only.
    (re.compile(_PRE + _YREF + _MONTHREF + r"(?P<part>份|初|头(?![上里])|[上中下]" + _XUN + r"|中|底|末|尾|月底|月末|月尾|月初|月中)?" + _SUF),
     _month_part),
    (re.compile(_PRE + r"(?P<part>月初|月中旬|月中|月底|月末|月尾|月下旬|月上旬|(?<![月\d一二三四五六七八九十])(?:上旬|中旬|下旬))" + _SUF),
     _bare_month_part),
    (re.compile(_PRE + r"(?<![A-Za-z月年第\d])(?P<d>" + _D + r")" + _DAY_SUFFIX + _NOT_AFTER_DAY + _SUF), _bare_day),
    # 每月5号: a monthly day, resolved to its next occurrence like a bare 5号.
    (re.compile(_PRE + r"每个?月(?P<d>" + _D + r")" + _DAY_SUFFIX + _NOT_AFTER_DAY + _SUF), _bare_day),
    (re.compile(r"(?<!每)" + _PRE + r"(?:" + _WEEKREF + r")?" + _WEEK + r"(?:的?" + _WEEK + r")?(?P<x>[一二三四五六日天末1-7])" + _SUF),
     _weekday),
    (re.compile(_PRE + _WEEKREF + _WEEK + r"(?![二三四五六日天末1-7]|一(?!起))" + _SUF), _week),
    (re.compile(_PRE + r"(?P<rd>明仔载|今仔日|天光日|今晡日|昨晡日|明个(?![月礼星周年])|大后儿个?|(?<![之以然最今此日背大])后儿个?|(?<![今昨半熬守连整一])夜(?:儿个?|个)|大大后天|大后天|大后日|后天|今天|今日|今儿个|明儿个|昨儿个|前儿个|昨儿|(?<![之以])前儿|今儿|今晚|今早|当晚|本日|明天|明日|明儿|明早|明晚|听日|听朝|(?<![说证表声标透发查])明朝|(?<![如])今朝|"
                r"(?<![之以今此然最日])后日|昨天|昨日|琴日|寻日|大前[天日]|(?<![之以])前[天日])" + _SUF),
     _relative_day),
    (re.compile(_PRE + r"(?<![\d第])(?P<n>" + _N + r"个半|" + _N + r"|(?<![上下])半)个?(?P<unit>工作日|天|日|周|星期|礼拜|月|年)"
                + _SUF + r"(?P<verb>(?=就能|就可以|就到|能到|能发|可以到|可以发|到货|发货|交货|交付|送到|完成|搞定|回复|答复))?"), _count),
    (re.compile(_PRE + r"(?:(?P<hyref>" + _YEAR_WORD + r")的?)?(?P<hol>清明节?|(?<![0-9零〇一二两三四五六七八九十百千块元毛])五一(?![0-9一二两三四五六七八九十百千块元毛台套个件瓶罐箱包盒])|劳动节|端午节?|端五(?![0-9一二两三四五六七八九十百千万块元个])|国庆节?|春节|过年|元旦|(?<![0-9零〇一二两三四五六七八九十百千万])元单(?![价位据号子])|中秋节?|中邱|(?<![月第\d一二三四五六七八九十])十一(?=长假|假期|前|之前|以前|后|之后|以后))"
                r"(?:假期|长假|放假|放完假)?(?P<during>期间)?" + _SUF), _holiday),
    (re.compile(_PRE + r"(?:(?P<yref2>" + _YEAR_WORD + r"))?(?P<ypart>年底|年末|上半年|下半年|年初|(?<=年)(?:底|末|初))" + _SUF),
     _year_part),
    # 第N周 of a named year or month; bare, the year's ISO week — but not 暑假第一周, 开学后的第一周.
    (re.compile(_PRE + _YREF + _MONTHREF + r"份?的?" + _NTH_WEEK + _SUF), _nth_week),
    (re.compile(_PRE + r"(?P<yref>" + _YEAR_WORD + r")的?" + _NTH_WEEK + _SUF), _nth_week),
    (re.compile(_PRE + r"(?<![假期学后的])" + _NTH_WEEK + _SUF), _nth_week),
    (re.compile(_PRE + _YREF + _MONTHREF + r"份?的?第(?P<n>" + _N + r")个(?:周|星期|礼拜)(?P<x>[一二三四五六日天1-7])" + _SUF),
     _nth_weekday),
    (re.compile(_PRE + r"第(?P<n>" + _N + r")天" + _SUF), _nth_day),
    # A year with 前 / 内 (2024年内, 今年内, 二〇三五年前): the whole year as a window.
    (re.compile(_PRE + r"(?P<yref3>" + _YEAR_WORD + r")(?P<suf>之前|以前|前|之内|以内|内)"), _year_alone),
    (re.compile(_PRE + r"(?<![0-9〇零一二两三四五六七八九十百千今明去后次来个半当每近多几些同新往历])年(?P<suf>之内|以内|内)(?!容|部)"),
     _this_year),
    (re.compile(_PRE + r"(?P<vague>过完年|过了年(?![底初末中])|(?<![0-9〇零一二两三四五六七八九十今明去后次来个半])年(?:前|后)(?!天|年)|(?<![春中国劳端元])节(?:前|后)"
                r"|这两天|这几天|过几天)"), _vague),
    (re.compile(_PRE + r"(?:(?P<fyref>" + _YEAR_WORD + r")的?)?(?P<fest>" + "|".join(sorted(set(_FESTIVALS) - {"六一"}, key=len, reverse=True))
                + "|" + _JUNE_FIRST + r")(?:前夕)?" + _SUF), _festival),
    (re.compile(_PRE + r"(?:(?P<syref>" + _YEAR_WORD + r")的?)?(?P<shop>(?:双十一|双11|双十二|双12)(?![0-9一二两三四五六七八九十百千万块元蚊毛个只件套])|(?<!\d)618(?!\d)|(?<![0-9一二两三四五六七八九十百千])六一八(?![0-9一二两三四五六七八九十百千万块元]))(?:大促|活动)?(?P<during>期间)?" + _SUF), _shopping_day),
    (re.compile(_PRE + r"(?:(?P<lyref>" + _YEAR_WORD + r")的?)?(?:(?P<lname>元宵节?|腊八(?![个块元])|(?<![上下今去明])小年(?![轻纪级])|大年三十|(?<!\d)年三十|除夕|大年初[一二三])|"
                r"(?P<nongli>农历|阴历|旧历)?(?P<lmo>正|冬|腊|十一|十二|十|[一二三四五六七八九])月"
                r"(?P<ld>初[一二三四五六七八九十]|廿[一二三四五六七八九]?|二十[一二三四五六七八九]?|三十|十[一二三四五六七八九]?|[一二三四五六七八九])"
                r"(?![0-9一二三四五六七八九十百千万块元个台套件天几多来]))[号日]?" + _SUF), _lunar_day),
    (re.compile(_PRE + r"(?:(?P<qyref>" + _YEAR_WORD + r")的?)?(?:第)?(?P<q>[一二三四1-4首])季度|(?P<qref>下个?|这个?|本|上个?)季度" + _SUF),
     _quarter),
]
# Characters one of a rule's matches must contain: a rule whose triggers are all absent
# cannot match, and most sentences skip most rules on a substring test.
_TRIGGERS: dict[object, tuple[str, ...]] = {
    _ymd: ("20",), _month_day: ("月", "号头"), _dotted: (".", "/", "-", "·", "•"), _month_part: ("月", "号头"), _bare_month_part: ("月", "旬"),
    _bare_day: ("号", "日"), _weekday: ("周", "星期", "礼拜", "里拜"), _week: ("周", "星期", "礼拜"),
    _relative_day: ("今", "明", "后天", "后日", "昨", "前天", "前日", "前儿", "听", "琴日", "寻日", "当晚", "本日", "天光日", "后儿", "夜儿", "夜个"), _count: ("天", "日", "周", "星期", "礼拜", "月", "年"),
    _holiday: ("清明", "五一", "劳动节", "端午", "端五", "国庆", "春节", "过年", "元旦", "元单", "中秋", "中邱", "十一"),
    _year_part: ("年",), _year_alone: ("年",), _this_year: ("年内", "年之内", "年以内"), _nth_week: ("第",), _nth_weekday: ("第",), _nth_day: ("第",),
    _shopping_day: ("双", "618", "六一八"), _festival: ("节", "圣诞", "六一"), _vague: ("年前", "年后", "过完年", "过了年", "节前", "节后", "两天", "几天"), _quarter: ("季度",),
    _lunar_day: ("正月", "冬月", "腊月", "农历", "阴历", "旧历", "月初", "月廿", "元宵", "腊八", "小年", "年三十", "除夕", "大年初"),
}
_TRIGGER_RE = {resolve: re.compile("|".join(re.escape(t) for t in triggers)) for resolve, triggers in _TRIGGERS.items()}
_ANY_TRIGGER = re.compile("|".join(sorted({re.escape(t) for ts in _TRIGGERS.values() for t in ts}, key=len, reverse=True)))
_CLOCK = (r"(?:(?:凌晨|早上|上午|中午|下午|晚上)?\s*(?:[零〇一二两三四五六七八九十\d]{1,3}\s*(?:时|点|:|：)\s*"
          r"(?:[零〇一二三四五六七八九十\d]{1,3}分?|半|整)?|凌晨|早上|上午|中午|下午|晚上))")
_DONE_THAT_DAY = re.compile(r"[^，,。？?！!]{0,10}?(?:[问讲说试看来发提聊睇]过|试坐|试用了|发来的|问的|讲的|说的|喺[^，,。]{0,6}(?:问|试|睇)|在[^，,。]{0,6}(?:问|试)(?:的|了|过))")
_THAT_WEEK = re.compile(r"(?:的)?那(?:个|一)?(?:周|星期|礼拜)(?![一二三四五六日天末1-7])")
_RANGE_JOIN = re.compile(r"^\s*" + _CLOCK + r"?\s*(?:到|至|~|～|-|—|－)\s*$")
_ENUM_JOIN = re.compile(r"^\s*(?:[，,、]|和|及|与|还有)\s*$")


def _apply(days: _Days, pre: str, suf: str, on: dt.date) -> tuple[dt.date, dt.date | None, dt.date | None, bool]:
    """(date, window_start, window_end, deadline) for resolved days and their modifiers."""
    single = days.first == days.last
    if days.relative_count:
        if suf in ("内", "之内", "以内", "前", "之前", "以前") and days.first >= on:
            return days.first, on, days.first, True
        return days.first, None, None, False
    if suf in ("前", "之前", "以前", "为止"):
        deadline = days.last if single or days.by_end else days.first - dt.timedelta(days=1)
        return deadline, on, deadline, True
    if suf in ("内", "之内", "以内") or pre in ("最晚", "最迟", "不晚于", "截止到", "截止", "截至"):
        return days.last, on, days.last, True
    if suf in ("后", "之后", "以后", "过后", "起"):
        start = days.after or days.first
        return start, start, None, False
    if single or suf in ("左右", "前后"):
        return days.first if single else days.last, None, None, False
    return days.last, days.first, days.last, False


def find_dates(text: str, on: dt.date) -> list[DateMention]:
    """Every date expression in `text`, resolved against the conversation day `on`."""
    candidates: list[tuple[int, int, re.Match[str], object]] = []
    if not _ANY_TRIGGER.search(text):
        return []  # most utterances name no date at all
    for pattern, resolve in _RULES:
        if not _TRIGGER_RE[resolve].search(text):
            continue
        for m in pattern.finditer(text):
            if m.end() > m.start():
                candidates.append((m.start(), m.end(), m, resolve))
    # Longest first at each position, then keep the non-overlapping ones left to right.
    candidates.sort(key=lambda c: (c[0], -(c[1] - c[0])))
    taken: list[tuple[int, int, _Days, re.Match[str], object]] = []
    last_end = -1
    for start, end, m, resolve in candidates:
        if start < last_end:
            continue
        days = resolve(m, on)  # type: ignore[operator]
        if days is None:
            continue
        taken.append((start, end, days, m, resolve))
        last_end = end
    # 这个月的下周一: the month only frames the day that follows; 十一月七号礼拜六: the weekday names the
    # day just said.
    taken = [t for k, t in enumerate(taken)
             if not (t[4] is _month_part and k + 1 < len(taken) and text[t[1]:taken[k + 1][0]] == "的")
             and not (t[4] is _weekday and k > 0 and not t[3].group("wref") and t[0] - taken[k - 1][1] <= 1
                      and taken[k - 1][4] in (_month_day, _ymd, _dotted, _bare_day)
                      and text[taken[k - 1][1]:t[0]] in ("", "是", "(", "（", " ")
                      and taken[k - 1][2].first.weekday() == t[2].first.weekday())]
    # 下周一发车，周三到: a bare weekday after a dated week stays in that week (or later) — when
    # that week is the nearest date before it (下周三前送到，明天先发，周一补齐: the coming Monday).
    for k, t in enumerate(taken):
        if t[4] is _weekday and not t[3].group("wref") and t[3].group("x") != "末" and k > 0:
            prev = taken[k - 1]
            if prev[4] is _weekday and prev[3].group("wref"):
                monday = prev[2].first - dt.timedelta(days=prev[2].first.weekday())
                day = monday + dt.timedelta(days=t[2].first.weekday())
                due = prev[2].first
                before = due - dt.timedelta(days=(due.weekday() - day.weekday()) % 7)
                if ((prev[3].groupdict().get("suf") or "") in ("前", "之前", "以前") and before >= on
                        and "再" not in text[prev[1]:t[1] + 4]):
                    # 这周五前没问题，周四就能到 / 下礼拜一前肯定到，礼拜六就发货: the last such day by the deadline
                    # (下周一前发过去，周三我再去 is after it)
                    day = before
                elif day < due:
                    day += dt.timedelta(weeks=1)
                taken[k] = (t[0], t[1], _Days(day, day), t[3], t[4])
    # 十二月九号到，工程师第二天上门装: the day after the date just said, not after today.
    for k, t in enumerate(taken):
        if t[4] is _nth_day and k > 0 and taken[k - 1][4] in (_month_day, _ymd, _dotted, _bare_day, _weekday, _lunar_day):
            day = taken[k - 1][2].last + dt.timedelta(days=(parse_int(t[3].group("n")) or 1) - 1)
            taken[k] = (t[0], t[1], _Days(day, day), t[3], t[4])
    # 十一月七号进场，二十二号之前交付: a bare day after a dated day, and after it in that month, is of that month;
    # so is one before it that is still to come (八月二十五号分店开张，十九号装好就赶得切: the 19th of August).
    for k, t in enumerate(taken):
        if t[4] is _bare_day and k > 0:
            dated = next((x for x in reversed(taken[:k]) if x[4] in (_month_day, _ymd, _dotted)), None)
            if dated is not None and (dated[2].first.year, dated[2].first.month) != (t[2].first.year, t[2].first.month):
                try:
                    day = dated[2].first.replace(day=parse_int(t[3].group("d")) or 0)
                except ValueError:
                    continue
                if day > dated[2].first or (day > on and dated[2].first > on and day.month != on.month):
                    taken[k] = (t[0], t[1], _Days(day, day), t[3], t[4])
    # 礼拜三你喺群度问嗰个…, 礼拜四你在门市试坐的那张: a bare weekday told with what was done that day is the
    # last one gone, not the next.
    for k, t in enumerate(taken):
        if t[4] is _weekday and not t[3].group("wref") and t[2].first >= on and _DONE_THAT_DAY.match(text, t[1]):
            day = t[2].first - dt.timedelta(days=7)
            if day < on:
                taken[k] = (t[0], t[1], _Days(day, day), t[3], t[4])
    # 八月中旬之前…，下旬老师们就回来: a bare 上旬 / 中旬 / 下旬 after a named month is of that month.
    for k, t in enumerate(taken):
        if t[4] is _bare_month_part and t[3].group("part") in ("上旬", "中旬", "下旬") and k > 0:
            month = next((x for x in reversed(taken[:k]) if x[4] is _month_part and x[3].group("month")), None)
            if month is not None and (month[2].first.year, month[2].first.month) != (t[2].first.year, t[2].first.month):
                # Read as if said on that month's first day: the same spans, never rolled to the next month.
                days = _bare_month_part(t[3], month[2].first.replace(day=1))
                if days is not None:
                    taken[k] = (t[0], t[1], days, t[3], t[4])
    # 二十五号那周: the week holding that day, Monday to Sunday.
    for k, t in enumerate(taken):
        if t[4] in (_bare_day, _month_day, _ymd, _dotted) and not (t[3].groupdict().get("suf") or ""):
            week = _THAT_WEEK.match(text, t[1])
            nxt = taken[k + 1][0] if k + 1 < len(taken) else len(text)
            if week and week.end() <= nxt:
                monday = t[2].first - dt.timedelta(days=t[2].first.weekday())
                taken[k] = (t[0], week.end(), _Days(monday, monday + dt.timedelta(days=6)), t[3], t[4])
    # 9月10号，11号，12号: bare days listed after a dated day keep its month, and the list is one window.
    merged: list[tuple[int, int, _Days, re.Match[str], object]] = []
    k = 0
    while k < len(taken):
        t = taken[k]
        run = [t]
        if t[4] in (_month_day, _ymd, _dotted):
            j = k + 1
            while j < len(taken) and taken[j][4] is _bare_day and _ENUM_JOIN.match(text[run[-1][1]:taken[j][0]]):
                try:
                    day = run[-1][2].first.replace(day=parse_int(taken[j][3].group("d")) or 0)
                except ValueError:
                    break
                if day <= run[-1][2].first:
                    break
                run.append((taken[j][0], taken[j][1], _Days(day, day), taken[j][3], _bare_day))
                j += 1
        if len(run) > 1:
            merged.append((run[0][0], run[-1][1], _Days(run[0][2].first, run[-1][2].last), run[-1][3], _month_day))
        else:
            merged.append(t)
        k += len(run)
    taken = merged
    out: list[DateMention] = []
    i = 0
    while i < len(taken):
        start, end, days, m, _ = taken[i]
        pre, suf = m.group("pre") or "", m.groupdict().get("suf") or ""
        # 3月20号到25号, 下周一到周三: one window from the first day to the last.
        if i + 1 < len(taken) and _RANGE_JOIN.match(text[end:taken[i + 1][0]]) and not suf:
            n_start, n_end, n_days, n_m, n_resolve = taken[i + 1]
            if n_resolve is _bare_day:  # 3月20号到25号: the 25th of that month
                try:
                    d = days.first.replace(day=parse_int(n_m.group("d")) or 0)
                    n_days = _Days(d, d)
                except ValueError:
                    pass
            elif n_resolve is _weekday and not n_m.group("wref"):  # 下周一到周三: that week
                while n_days.last < days.first:
                    n_days = _Days(n_days.first + dt.timedelta(weeks=1), n_days.last + dt.timedelta(weeks=1))
            if n_days.last >= days.first:
                n_suf = n_m.groupdict().get("suf") or ""
                window = _Days(days.first, n_days.last)
                date, ws, we, deadline = _apply(window, pre, n_suf, on)
                if not deadline and ws is None:
                    ws, we = window.first, window.last
                out.append(DateMention(text[start:n_end], start, n_end, date, ws, we, deadline,
                                       (we or date) < on))
                i += 2
                continue
        date, ws, we, deadline = _apply(days, pre, suf, on)
        if days.vague and days.first != days.last:  # 这两天: a window, not a deadline
            date, ws, we, deadline = days.last, days.first, days.last, False
        elif days.vague and text[start:end].endswith("前"):  # 年前: by the festival
            ws, we, deadline = on, date, True
        past = (we or date) < on
        out.append(DateMention(text[start:end], start, end, date, ws, we, deadline, past, days.vague))
        i += 1
    return out
