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
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlp.numerals import CN_DIGIT_CHARS, CN_DIGITS, NUMBER_RE, parse_number, to_halfwidth
from nlp.text import Span, clauses

_CUR = r"(?:元|块钱|块|圆|人民币|RMB|rmb)"
_AMOUNT = re.compile(
    r"(?<![\d.A-Za-z])(?P<num>" + NUMBER_RE + r")(?P<approx>多|来|左右)?(?P<unit>万元|万块|万|w|W|千元|千块|千|k|K|百块|百元|亿元|亿)?"
    r"(?P<approx2>多)?(?P<cur>" + _CUR + r")?(?P<jiao>(?<=块)(?:零[一二三四五六七八九\d]|[一二三四五六七八九\d]毛?))?"
)
_CLASSIFIERS = (r"台|个|件|套|只|箱|吨|米|平|方|人|次|条|张|片|支|盒|瓶|罐|包|袋|辆|家|所|间|本|份|批|天|年|月|周|号|日|小时|"
                r"分钟|公里|度|瓦|升|斤|公斤|克|%|倍|寸|英寸|毫米|厘米|mm|cm|kg|KG|kw|KW|kW|G|M|T|路|期|层|楼|亩|颗|粒|卷|根|"
                r"桶|名|位|级|段|码|分|岁|床|栋|户|节|伏|V|A|Hz|帧|核|线|转|样|盏|扇|座|把|副|双|对|打|捆|顶|枚|款|种|项|届|季|代")
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
          "首年", "首批", "降到", "降至", "进货", "任务")
_PRICE = ("单价", "零售价", "进价", "供价", "批发价", "出厂价", "售价", "卖", "终端价", "建议零售", "拿货", "才", "只要", "工程价",
          "一台", "每台", "一个", "每个", "一套", "每套", "一平", "每平", "一吨", "每吨", "一箱", "每箱", "一件", "每件", "一盒",
          "每盒", "一罐", "每罐", "一瓶", "每瓶", "一只", "每只", "一桶", "每桶", "一米", "每米", "一支", "每支", "一包", "每包",
          "每人", "一人", "每年", "一年", "每月", "一个月", "每个账号", "一个账号", "一个席位", "每个席位", "一片", "每片", "一袋",
          "每袋", "/台", "/个", "/套", "/平", "/吨", "/箱", "/件", "/年", "/人", "毛利")
# 一双, 每间, 单台报价: per one of something.
_PER_UNIT_BEFORE = re.compile(r"(?:一|每|单)(?:个)?(?:台|个|套|平|平米|平方|吨|箱|件|盒|罐|瓶|只|桶|米|支|包|人|片|袋|账号|席位|用户|盏|双|把|副|"
                              r"条|张|卷|根|间|扇|樘|组|辆|盒)(?:报价|价格|的价格|是|要|卖|大概|差不多|可以做到|做到|降到)?$")
_COUNT_NEAR = re.compile(r"(?<![0-9一二两三四五六七八九十百千])(?:[0-9]+|[二两三四五六七八九十百千][0-9一二两三四五六七八九十百千]*)"
                         r"(?:个|台|套|件|箱|间)?(?:账号|席位|用户|台|套|件|箱|间|人)(?:一年|每年|一个月|每月)?$")
_DISCOUNT = ("便宜", "优惠", "让利", "让", "降", "减", "少", "返", "折扣", "下浮", "奖励", "补贴", "返利")
# Words that introduce an amount without saying which kind (给我们三十八, 报九十五).
_PRICE_TARGET = re.compile(r"(?:给到|做到|可以到|能到|降到|降至|到|给我们|给的是|报|要价|开价)$")
_CAP_AFTER = re.compile(r"^(?:以内|之内|以下|封顶|打住|是上限|顶天)")
_THRESHOLD_AFTER = re.compile(r"^(?:以上|及以上)")  # 一百万以上的设备: a rule, not an amount on the table
_PER_UNIT_AFTER = re.compile(r"^(?:一|每|/|／)(?:个)?(?:台|个|套|平|平米|平方|吨|箱|件|盒|罐|瓶|只|桶|米|支|包|人|年|月|片|袋|账号|席位|用户|盏)")
_KIND_AFTER = re.compile(r"^(?:的|左右的|多的)?(?:预算|经费|报价|单价|总价)")
_PRICE_AFTER = re.compile(r"^.{0,6}?(?:零售价|出厂价|批发价|单价|拿货|进货|出货)")
_OBJECTION_AFTER = re.compile(r"^.{0,3}?(?:偏高|太高|高了|贵|超预算|超出|超了)")
_OBJECTION_NEAR = re.compile(r"贵|太高|高了|偏高|超预算|超出|超了|资金压力|压力")
_CAP_BEFORE = re.compile(r"(?:最多|顶多|不超过|控制在|只有|就)$")
_COUNT_BEFORE = re.compile(r"(?<![0-9一二两三四五六七八九十百千])(?:[0-9]+|[二两三四五六七八九十百千][0-9一二两三四五六七八九十百千]*)"
                           r"(?:个|台|套|件|箱|间)?(?:账号|席位|用户|台|套|件|箱|间|人)$")
_CLAUSE_END = re.compile(r"^\s*(?:[，,。.！!？?；;]|$)")
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


def money_in(text: str, speaker: str, ref: str | None = None, spans: list[Span] | None = None) -> list[Money]:
    """The money said in one utterance by `speaker`."""
    text_h = to_halfwidth(text)
    parts = spans if spans is not None else clauses(text)
    out = _discounts(text, text_h, speaker, ref)
    taken = [(x.start, x.end) for x in out]

    def clause_of(i: int) -> Span:
        return next((c for c in parts if c.start <= i < c.end), Span(text, 0, len(text), 0))

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
        if not cur and not unit and len(num) > 1 and num[-1] == "一" and _NOT_MONEY_AFTER.match(after):
            num, e = num[:-1], e - 1  # 八百一台 is 800 a unit, not 810 units
            after = text_h[e:]
        if not cur and _NOT_MONEY_AFTER.match(after):
            continue
        if _THRESHOLD_AFTER.match(after):
            continue
        clause = clause_of(s)
        before = text_h[clause.start:s]
        cue, dist, cue_word = _nearest_cue(before)
        after_kind = _KIND_AFTER.match(after)
        per_unit = _PER_UNIT_AFTER.match(after)
        big_unit = bool(re.search(r"[万亿wW]", num + unit))
        if not cur:
            if big_unit:
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
                continue
        value = parse_number(num + unit.replace("元", "").replace("块", ""))
        if value is None or value <= 0:
            continue
        if jiao:
            digit = jiao[-1] if jiao.startswith("零") else jiao[0]
            value += (parse_number(digit) or 0) / (100 if jiao.startswith("零") else 10)  # 一块零五, 三块五
        if not (unit or cur) and value >= 10_000_000:
            continue  # phone or order numbers
        kind = _kind(speaker, value, before, after, cue, dist, cue_word, after_kind, per_unit, clause.text)
        out.append(Money(text[s:e], speaker, kind, round(value, 2), None, ref, s, e))
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
    if cue is not None and dist <= 12:
        return cue
    if _CAP_AFTER.match(after) or _CAP_BEFORE.search(before):
        return "budget" if speaker != "rep" else "quote"
    if value < SMALL_TOTAL:
        return "price"
    # A large amount nobody labelled is usually the offer being discussed, by either side.
    return "quote"
