"""Numbers as Chinese speakers say and type them: 十二万, 八百八, 一万二, 12.5万, 1.2w, 3千5, 16万2540.

Written here rather than taken from a library because the colloquial forms matter most
in sales talk: 八百八 is 880 (not 808), 一万二 is 12 000 and 十二万五 is 125 000 — a
trailing digit right after a unit counts in the next lower unit, and two trailing digits fill the next
two places (两千六八 is 2680, 一万二八 is 12 800).
"""

from __future__ import annotations

import re

CN_DIGITS: dict[str, int] = {
    "零": 0, "〇": 0, "○": 0, "一": 1, "幺": 1, "二": 2, "两": 2, "俩": 2, "三": 3, "四": 4,
    "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
}
_SMALL_UNITS: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000, "k": 1000, "K": 1000}
_BIG_UNITS: dict[str, int] = {"万": 10_000, "w": 10_000, "W": 10_000, "亿": 100_000_000}

# Character classes for building regexes elsewhere.
CN_DIGIT_CHARS = "零〇○一幺二两俩三四五六七八九"
CN_NUM_CHARS = CN_DIGIT_CHARS + "十拾百佰千仟万亿廿卅"  # 廿 / 卅: twenty / thirty (廿八蚊, 廿几万)
# A number as written in speech or chat: Arabic (with thousands separators and decimals)
# or Chinese numerals, optionally mixed with units (12万5, 3千5, 十二点五万).
NUMBER_RE = (
    r"(?:\d+(?:,\d{3})*(?:\.\d+)?|[" + CN_NUM_CHARS + r"]+(?:点[" + CN_DIGIT_CHARS + r"]+)?)"
    # 60万一器 (仪器 misheard): after an Arabic head a trailing digit is Arabic too, a Chinese one opens a word
    # 9万8千8, 10万3千3百60: one digit per place between the units, as a chat types a sum spoken aloud
    r"(?:(?<=\d)[亿万千百]零?\d(?=[万千百]))*"
    # 18万9100, 17万0540, 18万零600: the places below the unit in Arabic digits, as a chat types them
    # (an ASCII comma after them ends the clause unless three digits follow: 2万9800,52间)
    r"(?:(?:[万千百亿]|[wWkK](?![a-zA-Z]))(?:零?\d{2,4}(?![\d.]|,\d{3}(?!\d))|零\d|\d|(?<!\d[万千百亿wWkK])[" + CN_DIGIT_CHARS + r"])?)?"  # 10kg, 3kW: a weight, a power
)

# Not the full-width comma: in Chinese text it ends a clause (再减30，738到手), it groups no digits.
_FULLWIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")
_TOKEN = re.compile(r"\d+(?:\.\d+)?|点|[" + CN_DIGIT_CHARS + r"]|[十拾百佰千仟kK]|[万wW亿]")


def to_halfwidth(text: str) -> str:
    """Full-width digits and separators (common in IME input) as ASCII."""
    return text.translate(_FULLWIDTH)


def parse_number(text: str, *, colloquial: bool = True) -> float | None:
    """The value of a written number, or None when `text` is not one.

    `colloquial` reads a trailing digit after a unit in the next lower unit
    (八百八 = 880, 一万二 = 12000); 八百零八 keeps its 零 and means 808.
    """
    s = to_halfwidth(text).replace(",", "").replace("廿", "二十").replace("卅", "三十").strip()
    if not s:
        return None
    tokens = _TOKEN.findall(s)
    if "".join(tokens) != s:
        return None
    total = 0.0        # sum of completed 万/亿 groups
    section = 0.0      # value inside the current group
    number: float | None = None
    last_unit = 0      # the unit that came right before the pending number
    after_unit = False  # the pending number directly follows a unit (八百[八])
    zero_seen = False
    decimals: str | None = None
    digit_run = False  # consecutive Chinese digits read positionally (二〇二六)
    run_len = 0        # how many digits that run holds
    for tok in tokens:
        if tok[0].isdigit():
            if number is not None:
                return None
            number = float(tok)
            after_unit = last_unit > 0 and not zero_seen
            digit_run = False
            if after_unit and len(tok) > 1 and tok.isdigit():
                # Arabic digits fill the places below the unit from the top (16万2540, 1万25 = 12 500);
                # a leading 0 or every place written (17万0540) reads as written.
                places = len(str(last_unit)) - 1
                if len(tok) > places:
                    return None
                if tok[0] != "0":
                    number *= 10 ** (places - len(tok))
                after_unit = False
        elif tok == "点":
            if number is None or decimals is not None:
                return None
            decimals = ""
        elif tok in CN_DIGITS:
            d = CN_DIGITS[tok]
            if decimals is not None:
                decimals += str(d)
                continue
            if tok in "零〇○" and number is None and last_unit:
                zero_seen = True
                continue
            if number is not None and digit_run:
                number = number * 10 + d
                run_len += 1
            elif number is not None:
                return None
            else:
                number = float(d)
                after_unit = last_unit > 0 and not zero_seen
                run_len = 1
            digit_run = True
        elif tok in _SMALL_UNITS:
            unit = _SMALL_UNITS[tok]
            if decimals:
                number = (number or 0) + float("0." + decimals)
            decimals = None
            if number is None:
                if unit != 10:
                    return None
                number = 1.0  # 十五 = 15
            section += number * unit
            number, last_unit, zero_seen, digit_run, after_unit = None, unit, False, False, False
        else:  # 万 / w / 亿
            unit = _BIG_UNITS[tok]
            if decimals:
                number = (number or 0) + float("0." + decimals)
            decimals = None
            if number is None and section == 0:
                return None
            section += number or 0
            total += section * unit
            section, number, last_unit, zero_seen, digit_run, after_unit = 0.0, None, unit, False, False, False
    if decimals is not None:
        if number is None or not decimals:
            return None
        number += float("0." + decimals)
    if number is not None:
        if digit_run and run_len > 1 and last_unit and not zero_seen:
            # 两千六八 = 2680, 二百二八 = 228: two digits after a unit fill the next two places; any other
            # run after a unit (一百六十五零, 三十二三) is no number
            if not (colloquial and after_unit and last_unit >= 100 and run_len == 2):
                return None
            number = (number // 10) * (last_unit // 10) + (number % 10) * (last_unit // 100)
        elif colloquial and after_unit and last_unit >= 100:
            number *= last_unit // 10
        section += number
    return total + section


def parse_int(text: str) -> int | None:
    """A whole number such as a day or month (二十五, 25, 十, 廿八); None otherwise."""
    v = parse_number(text.replace("廿", "二十").replace("卅", "三十"), colloquial=False)
    if v is None or v != int(v):
        return None
    return int(v)
