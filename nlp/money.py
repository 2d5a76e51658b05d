"""Money: budgets, quotes, unit prices and discounts, normalised to yuan or a price ratio.

When is a number money?
  * it carries a currency word (元, 块, 块钱) — 一块二 is 1.2, 一块零五 is 1.05;
  * it carries 万 / 亿 / w and no measure word follows (三万台 is a quantity);
  * a bare number (八百八, 九十八) needs a money word: right before it (单价八百八,
    拼多多上才两百五), a per-unit tail (八十八一套), a price word or objection right after it
    (六十八比零售价…, 七十八偏高了), or a per-unit word earlier in its clause with the
    number closing the clause (一个探头保护套要三十五).

Kinds, by the nearest money word before the amount (or a kind word right after it):
  budget   预算, 经费, 限价, 最多能出, 控制在…以内 — what the customer can spend;
  quote    报价, 总价, 一共, 合同价, 降到… — a total offered for the deal (N个账号九万六 too);
  price    单价, 每台, 一套, 零售价, 拿货 — per unit;
  discount 打九五折, 降5个点, 优惠百分之五 — `ratio` is the price multiplier (0.95);
           便宜两千 — a discount in money, `yuan` = 2000.
No money word at all: below 20 000 yuan it is read as a unit price (B2B totals are larger),
otherwise as the quote under discussion (三十二万八超预算了, 三万六的话还可以) — a budget
only when capped (十万以内, 最多五十万).

Ranges stay ranges (`yuan_low`…`yuan_high`, `yuan` empty): 二十到三十万, 15-20万, 一万到一万五,
二三十万 (20–30万), 十五六万, 两三万, 七八千; and the approximate forms: X多 / X万多 up to the next
step (六十多万 = 60–70万, 八块多 = 8–9, 三万多 = 3–4万), X万几 (6–7万), X来 (十来万 = 10–13万),
X左右 / X上下 ±10 %, X出头 (X–1.1X), 小X (0.8X–X), 万把块 / 千把块 (0.8–1.2 of it). 3k, 5w,
1.2个w are points; 不超过 / 最多 / 至少 X is the point X. An amount per unit (每台, 一吨, 每平米,
…一箱) keeps the unit (`unit` 台 / 吨 / 平米 / 箱).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from nlp.numerals import CN_DIGIT_CHARS, CN_DIGITS, NUMBER_RE, parse_number, to_halfwidth
from nlp.text import Span, clauses, squeeze

_CUR = r"(?:元|块钱|块|圆|蚊|人民币|RMB|rmb)"
_AMOUNT = re.compile(
    r"(?<![\d.A-Za-z])(?P<num>" + NUMBER_RE + r")(?P<approx>多|来|左右)?(?P<unit>万元|万块|万|w|W|千元|千块|千|k|K|百块|百元|亿元|亿)?"
    r"(?P<approx2>多)?(?P<cur>" + _CUR + r")?(?P<jiao>(?<=块)(?:零[一二三四五六七八九\d]|[一二三四五六七八九\d]毛?)(?![十百千万]|[0-9一二两三四五六七八九][十百千万]))?"
)
_CLASSIFIERS = (r"台|个|件|套|只|箱|吨|米|平|方|人|次|条|张|片|支|盒|瓶|罐|包|袋|辆|家|所|间|本|份|批|天|年|月|周|号|日|小时|"
                r"分钟|公里|度|瓦|升|斤|公斤|克|%|倍|寸|英寸|毫米|厘米|mm|cm|kg|KG|kw|KW|kW|G|M|T|路|期|层|楼|亩|颗|粒|卷|根|"
                r"桶|名|位|级|段|码|分|岁|床|栋|户|节|伏|V|A|Hz|帧|核|线|转|样|盏|扇|座|把|副|双|对|打|捆|顶|枚|款|种|项|届|季|代|单|笔|份|工位")
# What follows a quantity, a date or a measure rather than money.
_NOT_MONEY_AFTER = re.compile(r"^(?:多)?(?:小|大)?(?:" + _CLASSIFIERS + r"|点(?![" + CN_DIGIT_CHARS + r"\d]))")
_QUANTITY_CONTEXT = re.compile(r"产能|产量|销量|人口|用户数|数量|人次|访问量|阅读量|粉丝")
_DISCOUNT_ZHE = re.compile(r"(?:打)?(?:个)?(?P<z>[一二三四五六七八九]{1,2}|\d{1,2}(?:\.\d)?)折|(?P<half>对折|半价)")
_DISCOUNT_PCT = re.compile(
    r"(?P<cue>降|便宜|优惠|让|下浮|打掉|少|减|返|返点|让利|折扣)了?(?:个)?"
    r"(?:百分之(?P<pct>[一二三四五六七八九十]{1,3}|\d{1,2}(?:\.\d)?)|(?P<n>\d{1,2}(?:\.\d)?)(?:个)?(?:点|%|个百分点|百分点)"
    r"|(?P<cn>[一二三四五六七八九十]{1,2})(?:个点|个百分点|%))"
)

_BUDGET = ("预算", "经费", "资金", "批了", "批的", "批下来", "最多", "最高", "顶多", "不超过", "控制在", "只有", "拿出", "投入",
           "准备了", "额度", "心理价位", "能接受", "出得起", "能出", "申请了", "上限", "限价", "只批了", "只能给到", "只能出",
           "只能接受", "先进", "先拿", "先订")
_QUOTE = ("报价", "报", "总价", "总共", "一共", "合计", "全部", "整体", "打包", "合同", "含税", "价格是", "下来", "方案价",
          "这套", "这批", "算下来", "标价", "要价", "开价", "总额", "费用", "首付", "尾款", "定金", "订金", "合同额", "年费", "续费",
          "首年", "首批", "降到", "降至", "进货", "任务", "一年", "每年", "一个月", "每月", "包年", "年费")
_PRICE = ("单价", "零售价", "进价", "供价", "批发价", "出厂价", "售价", "卖", "终端价", "建议零售", "拿货", "才", "只要", "工程价",
          "一台", "每台", "一个", "每个", "一套", "每套", "一平", "每平", "一吨", "每吨", "一箱", "每箱", "一件", "每件", "一盒",
          "每盒", "一罐", "每罐", "一瓶", "每瓶", "一只", "每只", "一桶", "每桶", "一米", "每米", "一支", "每支", "一包", "每包",
          "每人", "一人", "每个账号", "一个账号", "一个席位", "每个席位", "一片", "每片", "一袋",
          "每袋", "/台", "/个", "/套", "/平", "/吨", "/箱", "/件", "/人", "毛利")
# 一双, 每间, 单台报价: per one of something.
_PER_UNIT_BEFORE = re.compile(r"(?:一|每|单)(?:个)?(?:台|个|套|平|平米|平方|吨|箱|件|盒|罐|瓶|只|桶|米|支|包|人|片|袋|账号|席位|用户|盏|双|把|副|"
                              r"条|张|卷|根|间|扇|樘|组|辆|盒)(?:报价|价格|的价格|是|要|卖|大概|差不多|可以做到|做到|降到)?$")
_COUNT_NEAR = re.compile(r"(?<![0-9一二两三四五六七八九十百千])(?:[0-9]+|[二两三四五六七八九十百千][0-9一二两三四五六七八九十百千]*)"
                         r"(?:个|台|套|件|箱|间)?(?:账号|席位|用户|台|套|件|箱|间|人)(?:一年|每年|一个月|每月)?$")
_DISCOUNT = ("便宜", "优惠", "让利", "让", "降", "减", "少", "返", "折扣", "下浮", "奖励", "补贴", "返利", "省", "抵")
# Words that introduce an amount without saying which kind (给我们三十八, 报九十五).
_PRICE_TARGET = re.compile(r"(?:给到|做到|可以到|能到|降到|降至|到|给我们|给的是|报|要价|开价)$")
_CAP_AFTER = re.compile(r"^(?:以内|之内|以下|封顶|打住|是上限|顶天)")
_THRESHOLD_AFTER = re.compile(r"^(?:以上|及以上)")  # 一百万以上的设备: a rule, not an amount on the table
# A subscription's 一年 / 一个月 names the period of a total (三万一年), not a unit.
_PER_UNIT_AFTER = re.compile(r"^(?:一|每|/|／)(?:个)?(?:台|个|套|平|平米|平方|吨|箱|件|盒|罐|瓶|只|桶|米|支|包|人|片|袋|账号|席位|用户|盏|把|张|副|组|"
                             r"间|双|条|卷|根)")
_KIND_AFTER = re.compile(r"^(?:的|左右的|多的)?(?:预算|经费|报价|单价|总价)")
_PRICE_AFTER = re.compile(r"^.{0,6}?(?:零售价|出厂价|批发价|单价|拿货|进货|出货)")
_OBJECTION_AFTER = re.compile(r"^.{0,3}?(?:偏高|太高|高了|贵|超预算|超出|超了)")
_OBJECTION_NEAR = re.compile(r"贵|太高|高了|偏高|超预算|超出|超了|资金压力|压力")
_CAP_BEFORE = re.compile(r"(?:最多|顶多|不超过|控制在|只有|就)$")
_COUNT_BEFORE = re.compile(r"(?<![0-9一二两三四五六七八九十百千])(?:[0-9]+|[二两三四五六七八九十百千][0-9一二两三四五六七八九十百千]*)"
                           r"(?:个|台|套|件|箱|间)?(?:账号|席位|用户|台|套|件|箱|间|人)$")
_CLAUSE_END = re.compile(r"^\s*(?:[，,。.！!？?；;]|$)")
_PERIODS = ("一年", "每年", "一个月", "每月")
_PER_HEAD_PERIOD = re.compile(r"(?:一|每)(?:个)?[\u4e00-\u9fffA-Za-z]{1,3}(?:一|每)(?:个)?(?:年|月)")
SMALL_TOTAL = 20_000  # yuan: below this an amount without a money word reads as a unit price


@dataclass(frozen=True)
class Money:
    """An amount of money said in the conversation."""

    phrase: str
    speaker: str
    kind: str                  # budget | quote | price | discount
    yuan: float | None         # the amount in yuan (budget, quote, price, discount in money)
    ratio: float | None        # the price multiplier of a discount (九五折 = 0.95)
    ref: str | None = None
    start: int = 0
    end: int = 0
    yuan_low: float | None = None   # a range or an approximate amount: its bounds (yuan is then None)
    yuan_high: float | None = None
    unit: str | None = None         # per-unit amounts: the unit (台, 吨, 平米, 箱, …)

    @property
    def low(self) -> float | None:
        """The amount, or the low end of its range."""
        return self.yuan if self.yuan is not None else self.yuan_low

    @property
    def high(self) -> float | None:
        """The amount, or the high end of its range."""
        return self.yuan if self.yuan is not None else self.yuan_high


_UNIT_WORDS = (r"台|个|套|平米|平方米|平方|平|吨|箱|件|盒|罐|瓶|只|桶|米|支|包|人|片|袋|账号|席位|用户|盏|双|把|副|条|张|卷|根|间|扇|樘|"
               r"组|辆|斤|公斤")
_UNIT_BEFORE = re.compile(r"(?:一|每|单)(?:个)?(?P<u>" + _UNIT_WORDS + r")(?:的)?(?:报价|价格|的价格|供价|单价|是|要|卖|大概|差不多|"
                          r"可以做到|做到|降到|不超过|最多|控制在|就|才|只要)*$")
_UNIT_AFTER = re.compile(r"^(?:左右|上下|出头|多)?(?:一|每|/|／)(?:个)?(?P<u>" + _UNIT_WORDS + r")")
_UNIT_NAMES = {"平方米": "平米", "平方": "平米", "平": "平米"}


def _unit_of(before: str, after: str) -> str | None:
    """The unit an amount is per (每台八百, 八百一台), or None."""
    m = _UNIT_AFTER.match(after) or _UNIT_BEFORE.search(before[-12:])
    if m is None:
        return None
    return _UNIT_NAMES.get(m.group("u"), m.group("u"))


_N = r"(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)"
_U = r"(?:万元|万块|万|w|W|千元|千块|千|k|K|亿元|亿)?"
_RANGE = re.compile(
    r"(?<![\d.A-Za-z零〇一二两三四五六七八九十百千万])(?P<a>" + _N + r")(?P<ua>" + _U + r")(?P<ca>" + _CUR + r")?"
    r"\s*(?:到|至|-|~|～|—|–)\s*(?P<b>" + _N + r")(?P<ub>" + _U + r")(?P<bt>(?<=[万千])[一二两三四五六七八九])?(?P<cb>" + _CUR + r")?"
)
_ADJACENT = re.compile(
    r"(?<![\d.零〇一二两三四五六七八九十百千万])(?P<pre>[一二两三四五六七八九]?十|[一二两三四五六七八九]百)?"
    r"(?P<x>[一二两三四五六七八九])(?P<y>[二三四五六七八九])(?P<place>[十百千万])?(?P<big>(?<![万])[万千]|w|W)?(?P<cur>" + _CUR + r")?"
    r"(?![\d零〇一二两三四五六七八九十百千])"
)
_BA = re.compile(r"(?<![\d零〇一二两三四五六七八九十])(?P<u>[百千万])把(?P<cur>" + _CUR + r")?")
_GE_W = re.compile(r"(?<![\d.])(?P<num>\d+(?:\.\d+)?|[一二两三四五六七八九十]+)个(?P<u>[wW万])")
_PLACES = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "w": 10_000, "W": 10_000}
_DIGIT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _step(num: str) -> float:
    """The place of a number's last significant digit: 六十 → 10, 一百 → 100, 十二 → 1, 1.5 → 0.1."""
    n = num.strip()
    if re.fullmatch(r"\d+", n):
        stripped = n.rstrip("0")
        return float(10 ** (len(n) - len(stripped))) if stripped else 1.0
    if re.fullmatch(r"\d+\.\d+", n):
        return 10.0 ** -len(n.split(".")[1])
    return float(_PLACES.get(n[-1], 1)) if n and n[-1] in "十百千" else 1.0


def _nearest_cue(before: str) -> tuple[str | None, int, str]:
    """The kind named by the money word closest before an amount, its distance and the word."""
    best: tuple[str | None, int, str] = (None, 10**6, "")
    for kind, words in (("budget", _BUDGET), ("quote", _QUOTE), ("price", _PRICE), ("discount", _DISCOUNT)):
        for w in words:
            i = before.rfind(w)
            if i >= 0:
                dist = len(before) - (i + len(w))
                # The closest word wins; at equal distance the longer, more specific one.
                if dist < best[1] or (dist == best[1] and len(w) > len(best[2])):
                    best = (kind, dist, w)
    return best


def _zhe_ratio(z: str) -> float | None:
    if z[0].isdigit():
        v = float(z)
        return v / 10 if v < 10 else v / 100
    digits = [CN_DIGITS[c] for c in z]
    if len(digits) == 1:
        return digits[0] / 10
    return (digits[0] * 10 + digits[1]) / 100


def _discounts(text: str, text_h: str, speaker: str, ref: str | None) -> list[Money]:
    out: list[Money] = []
    for m in _DISCOUNT_ZHE.finditer(text_h):
        ratio = 0.5 if m.group("half") else _zhe_ratio(m.group("z"))
        if ratio is None or not 0 < ratio < 1:
            continue
        out.append(Money(text[m.start():m.end()], speaker, "discount", None, round(ratio, 4), ref, m.start(), m.end()))
    for m in _DISCOUNT_PCT.finditer(text_h):
        n = parse_number(m.group("pct") or m.group("n") or m.group("cn") or "")
        if n is None or not 0 < n < 100 or any(x.start < m.end() and m.start() < x.end for x in out):
            continue
        out.append(Money(text[m.start():m.end()], speaker, "discount", None, round(1 - n / 100, 4), ref, m.start(), m.end()))
    return out


def _mult(unit: str) -> float:
    """The multiplier of an amount's unit word (万元 → 10 000; none → 1)."""
    return {"万": 1e4, "w": 1e4, "W": 1e4, "千": 1e3, "k": 1e3, "K": 1e3, "百": 100.0, "亿": 1e8}.get(unit[:1], 1.0)


def _judge(text_h: str, s: int, e: int, clause: Span, speaker: str, value: float, *, cur: bool, unit: bool,
           big: bool) -> tuple[str, str | None] | None:
    """Whether the amount at [s, e) is money, and if so its kind and unit."""
    after = text_h[e:]
    if not cur and _NOT_MONEY_AFTER.match(after):
        return None
    if _THRESHOLD_AFTER.match(after):
        return None
    before = text_h[clause.start:s]
    cue, dist, cue_word = _nearest_cue(before)
    after_kind = _KIND_AFTER.match(after)
    per_unit = _PER_UNIT_AFTER.match(after)
    if not cur:
        if big:
            ok = not _QUANTITY_CONTEXT.search(clause.text)
        elif unit:  # 千 / k
            ok = cue is not None or bool(per_unit)
        else:
            ok = bool(
                (cue is not None and dist <= 1) or _PER_UNIT_BEFORE.search(before)
                or per_unit or after_kind or _PRICE_AFTER.match(after) or _OBJECTION_AFTER.match(after)
                or _PRICE_TARGET.search(before)
                or (cue in ("price", "budget", "quote") and dist <= 12 and _CLAUSE_END.match(after))
            )
        if not ok:
            return None
    kind = _kind(speaker, value, before, after, cue, dist, cue_word, after_kind, per_unit, clause.text)
    return kind, _unit_of(before, after) if kind != "discount" else None


def _ranges(text_h: str) -> list[tuple[int, int, float, float, bool, bool, bool]]:
    """Ranges and approximate amounts that are not a plain number: (start, end, low, high, cur, unit, big).

    low == high marks a point written in a way the plain pass cannot read (1.2个w).
    """
    out: list[tuple[int, int, float, float, bool, bool, bool]] = []
    for m in _RANGE.finditer(text_h):
        ua, ub = m.group("ua") or "", m.group("ub") or ""
        if not (ua or ub or m.group("ca") or m.group("cb")):
            continue
        low = parse_number(m.group("a") + (ua or ub).rstrip("元块"))
        high = parse_number(m.group("b") + ub.rstrip("元块") + (m.group("bt") or ""))
        if low is None or high is None or not 0 < low < high:
            continue
        units = ua + ub
        out.append((m.start(), m.end(), low, high, bool(m.group("ca") or m.group("cb")),
                    bool(units), bool(re.search(r"[万亿wW]", units))))
    for m in _ADJACENT.finditer(text_h):
        x, y = _DIGIT[m.group("x")], _DIGIT[m.group("y")]
        if y != x + 1:
            continue
        place, big = m.group("place") or "", m.group("big") or ""
        if place in ("万", "千") and not big:
            place, big = "", place
        if not (place or big or m.group("cur")):
            continue
        pre = parse_number(m.group("pre")) if m.group("pre") else 0.0
        step = float(_PLACES.get(place, 1))
        mult = _mult(big)
        out.append((m.start(), m.end(), ((pre or 0) + x * step) * mult, ((pre or 0) + y * step) * mult,
                    bool(m.group("cur")), bool(big), big in ("万", "w", "W")))
    for m in _BA.finditer(text_h):
        v = float(_PLACES[m.group("u")])
        out.append((m.start(), m.end(), 0.8 * v, 1.2 * v, bool(m.group("cur")), True, m.group("u") == "万"))
    for m in _GE_W.finditer(text_h):
        n = parse_number(m.group("num"))
        if n:
            out.append((m.start(), m.end(), n * 1e4, n * 1e4, False, True, True))
    out.sort(key=lambda r: (r[0], -(r[1] - r[0])))
    kept: list[tuple[int, int, float, float, bool, bool, bool]] = []
    for r in out:
        if not any(k[0] < r[1] and r[0] < k[1] for k in kept):
            kept.append(r)
    return kept


_APPROX_AFTER = re.compile(r"^(?:左右|上下|出头|多|几)")


def _approximate(num: str, unit: str, approx: str, approx2: str, value: float, after: str, before: str
                 ) -> tuple[float, float, int, int] | None:
    """The bounds of an approximate amount, and how many characters it takes before / after; None if exact."""
    mult = _mult(unit) if unit else 1.0
    step = _step(num.rstrip("万千百亿wWkK")) * (_mult(num[-1]) if num[-1:] in "万千百亿wWkK" else 1.0) * mult
    suffix = _APPROX_AFTER.match(after)
    word = suffix.group(0) if suffix else ""
    if approx == "多" or approx2 == "多":
        return value, value + (step if approx == "多" else mult), 0, 0
    if approx == "来":
        return value, value + 0.3 * step, 0, 0
    if approx == "左右" or word in ("左右", "上下"):
        return 0.9 * value, 1.1 * value, 0, len(word)
    if word == "出头":
        return value, 1.1 * value, 0, 2
    if word == "多":
        return value, value + step, 0, 1
    if word == "几" and (unit or num[-1:] in "万千百"):
        return value, value + (mult if unit else _mult(num[-1])), 0, 1
    if before.endswith("小") and re.fullmatch(r"[一两]?[十百千万]+|\d+[万千wWkK]?", num + unit):
        return 0.8 * value, value, 1, 0
    return None


def money_in(text: str, speaker: str, ref: str | None = None, spans: list[Span] | None = None) -> list[Money]:
    """The money said in one utterance by `speaker`."""
    squeezed, keep = squeeze(text)
    if len(squeezed) == len(text):
        return _money_in(text, speaker, ref, spans)
    # The squeezed text's own clauses: the spaces were word gaps, not clause breaks.
    return [replace(m, phrase=text[keep[m.start]:keep[m.end - 1] + 1], start=keep[m.start], end=keep[m.end - 1] + 1)
            for m in _money_in(squeezed, speaker, ref, None)]


def _money_in(text: str, speaker: str, ref: str | None, spans: list[Span] | None) -> list[Money]:
    text_h = to_halfwidth(text)
    parts = spans if spans is not None else clauses(text)
    out = _discounts(text, text_h, speaker, ref)
    taken = [(x.start, x.end) for x in out]

    def clause_of(i: int) -> Span:
        return next((c for c in parts if c.start <= i < c.end), Span(text, 0, len(text), 0))

    for s, e, low, high, cur, unit_, big in _ranges(text_h):
        if any(a < e and s < b for a, b in taken):
            continue
        judged = _judge(text_h, s, e, clause_of(s), speaker, high, cur=cur, unit=unit_, big=big)
        if judged is None:
            continue
        kind, per = judged
        point = low == high
        out.append(Money(text[s:e], speaker, kind, round(low, 2) if point else None, None, ref, s, e,
                         None if point else round(low, 2), None if point else round(high, 2), per))
        taken.append((s, e))

    for m in _AMOUNT.finditer(text_h):
        s, e = m.start(), m.end()
        if any(a < e and s < b for a, b in taken):
            continue
        num, unit, cur, jiao = m.group("num"), m.group("unit") or "", m.group("cur") or "", m.group("jiao") or ""
        if num in CN_DIGITS and not (unit or cur):
            continue  # a lone 一 / 两 is a quantity word
        after = text_h[e:]
        if jiao and not jiao.endswith("毛") and not jiao.startswith("零") and _NOT_MONEY_AFTER.match(after):
            e -= len(jiao)  # 九十九块三小罐: three cans, not 99.3
            jiao, after = "", text_h[e:]
        if num in ("五一", "十一", "双十一", "十二") and re.match(r"^(?:月|号|日|前|后|期间|假期|节|长假|黄金周|人多|活动|大促|那天)", after):
            continue  # 五一前, 十一月: holidays and months
        if not cur and not unit and len(num) > 1 and num[-1] == "一" and _NOT_MONEY_AFTER.match(after):
            num, e = num[:-1], e - 1  # 八百一台 is 800 a unit, not 810 units
            after = text_h[e:]
        value = parse_number(num + unit.replace("元", "").replace("块", ""))
        if value is None or value <= 0:
            continue
        if jiao:
            digit = jiao[-1] if jiao.startswith("零") else jiao[0]
            value += (parse_number(digit) or 0) / (100 if jiao.startswith("零") else 10)  # 一块零五, 三块五
        if not (unit or cur) and value >= 10_000_000:
            continue  # phone or order numbers
        bounds = None if jiao else _approximate(num, unit.replace("元", "").replace("块", ""), m.group("approx") or "",
                                                m.group("approx2") or "", value, after, text_h[:s])
        if bounds is not None:
            s, e = s - bounds[2], e + bounds[3]
            tail = re.match(_CUR, text_h[e:])
            if tail and not cur:
                cur, e = tail.group(0), e + len(tail.group(0))  # 两百几蚊
        judged = _judge(text_h, s, e, clause_of(m.start()), speaker, value, cur=bool(cur), unit=bool(unit),
                        big=bool(re.search(r"[万亿wW]", num + unit)))
        if judged is None:
            continue
        kind, per = judged
        if bounds is None:
            out.append(Money(text[s:e], speaker, kind, round(value, 2), None, ref, s, e, unit=per))
        else:
            out.append(Money(text[s:e], speaker, kind, None, None, ref, s, e, round(bounds[0], 2), round(bounds[1], 2), per))
        taken.append((s, e))
    out.sort(key=lambda x: x.start)
    return out


def _kind(speaker: str, value: float, before: str, after: str, cue: str | None, dist: int, cue_word: str,
          after_kind: re.Match[str] | None, per_unit: re.Match[str] | None, clause: str) -> str:
    if after_kind:
        word = after_kind.group(0)
        return "budget" if ("预算" in word or "经费" in word) else "price" if "单价" in word else "quote"
    if per_unit or _PRICE_AFTER.match(after) or _PER_UNIT_BEFORE.search(before):
        return "price"
    if _COUNT_BEFORE.search(before) or _COUNT_NEAR.search(before):
        return "quote"  # 两百个账号九万六, 五个账号一年六千八: a total for a count of units
    if cue == "discount" and cue_word in ("降", "让") and re.search(r"(?:降|让)(?:到|至)$", before):
        return "quote"  # 降到一百六十五万 names the new price
    if cue == "discount" and dist > 0 and re.search(r"是|下来|一共|总共|合计", before[-dist:]):
        cue = None  # 降五个点是两万零五百二, 让一万五那也是三十万出头: the price after it, not the discount
    if cue == "budget" and speaker == "rep" and cue_word in ("最多", "最高", "顶多", "不超过", "控制在", "只能给到"):
        return "quote"  # the rep's 最多九折…十一万五, 总价能控制在一百零八万: an offer, not the customer's budget
    if cue == "quote" and cue_word in _PERIODS and _PER_HEAD_PERIOD.search(before[-14:]):
        return "price"  # 每个账号每年四百八, 一个堆头一个月三千: per head and period
    if cue is not None and dist <= 12:
        return cue
    if _CAP_AFTER.match(after) or _CAP_BEFORE.search(before):
        return "budget" if speaker != "rep" else "quote"
    if value < SMALL_TOTAL:
        return "price"
    # A large amount nobody labelled is usually the offer being discussed, by either side.
    return "quote"
