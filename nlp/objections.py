"""Objections: price, delivery, service or other, from the industry pack's phrases.

A clause objects when it holds one of the pack's phrases and the phrase is not negated
(价格不高, 不是价格的问题) or asked about (价格高不高？). Only customers object: a rep's
clause (您是不是觉得贵？ 价格您放心) is handling an objection, not making one; an unknown
speaker's clause counts unless it asks the other side (您是不是觉得…).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nlp.packs import OBJECTION_TYPES, Pack, phrase_pattern
from nlp.text import Span, clauses, squeeze, strip_punct

_NEGATED_BEFORE = re.compile(r"(?:不|没|没有|并不|并没有|不是|不算|也不|一点也不|一点都不|不会|别|无)$")
_NEGATED_INSIDE = re.compile(r"不|没")
_NOT_THE_ISSUE = re.compile(r"不是|不在于|倒不是|并非")
_PROBE = re.compile(r"(?:您|你|你们)(?:是不是|是否|会不会|担心|觉得|感觉|是)")
# Beyond the pack's phrases: a topic and a complaint about it in the same clause
# (总价…接受不了, 操作太复杂了, 售后三天了都没来). The pack's phrases are tried first.
_TOPIC_COMPLAINT: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...] = (
    ("price", re.compile(r"价格|价钱|报价|总价|单价|(?<!性)价|费用|预算|经费|钱|利润|毛利|成本|进场费|年费|续费"),
     re.compile(r"太?高|贵|接受不了|不批|批不了|太?薄|没利润|低|不够|不多|出不起|付不起|拿不出|花完|用完|超|下不来|降不下来|压力|"
                r"没优势|没有优势|打.{0,2}折|便宜点|便宜一点|少点|让点")),
    ("delivery", re.compile(r"交期|货期|到货|发货|送货|交货|周期|工期|库存|现货|补货|配送|物流|排产|供货|调货"),
     re.compile(r"太?慢|太?长|晚|来不及|赶不上|等不了|缺|断|拖|延期|不够|跟不上")),
    ("service", re.compile(r"售后|服务|客服|维修|报修|响应|培训|安装|师傅|工程师|实施|顾问|操作|使用|上手|送货|送的货|发的货|业务员|"
                           r"促销员|保修|质保"),
     re.compile(r"太?差|太?慢|不好|不专业|没人|不来|没来|太?复杂|难|不会|不到位|跟不上|错|推|不管|没管|不理|没回|少了|漏|太?短|只有")),
    # An amount opening the clause and a complaint about it: 九十五太高了, 七十五万还是超了.
    ("price", re.compile(r"^[0-9一二两三四五六七八九十百千万.]+(?:块|元|万)?"),
     re.compile(r"^[0-9一二两三四五六七八九十百千万.]+(?:块|元|万)?(?:还是|也|有点|确实)?(?:太高|偏高|高了|太贵|贵了|超了|超出|超预算)")),
)
_AMT = r"[0-9一二两三四五六七八九十百千万.]+"
_PAST = r"(?:上次|上回|上趟|上个月|之前|以前|去年|前阵子|那次|听说|听讲)"
# Objections in the customer's own phrasing, beyond the pack. Strong ones hold even in a question
# or a condition (交期能保证吗？ 三十万整的话我就签); weak ones only where nothing else matched.
_STRONG: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("delivery", re.compile(r"(?:交期|货期|工期|周期|交货|到货|发货|[0-9一二两三四五六七八九十]+天).{0,6}"
                            r"(?:能保证吗|能不能保证|保证得了吗|有保障吗|来得及吗|赶得上吗|能按时吗)")),
    ("service", re.compile(r"(?:售后|服务|客服|维修|培训|技术支持).{0,6}(?:怎么保障|怎么保证|有保障吗|能保证吗|跟得上吗|靠谱吗)")),
    ("delivery", re.compile(_PAST + r".{0,24}(?:拖了|晚了|迟了|迟咗|延期|慢了|晚到|拖到|调了.{0,4}月)")),
    ("service", re.compile(_PAST + r".{0,28}(?:一次都没来|没来过|没人来|没人管|没补|还没补|没退|还没退|没给.{0,6}换|没换|少了.{0,3}[箱件个包])")),
    ("service", re.compile(r"(?:到现在|至今|到今天)(?:都)?还?没(?:补|退|换|解决|处理|回复|给)")),
    ("price", re.compile(r"(?:能不能|可不可以|能否|看能不能|您看能不能|你看能不能|再).{0,10}(?:便宜|优惠|打.{0,3}折|降|让一让|让一眼|让点|抹|少点|包进去)"
                         r"|(?:价格|价钱|授权费|年费|费用|单价|总价).{0,4}(?:能不能|可不可以)?再谈谈")),
    ("price", re.compile(r"(?:整到|给到|做到|降到|算到|算|价格)" + _AMT + r".{0,4}(?:的话)?.{0,3}我就(?:签|定|要|订)")),
    ("price", re.compile(r"零头.{0,4}抹|别整那么贵|贵(?:咗|了)?(?:成倍|一倍|不少|好多|一截|一毛|" + _AMT + r"(?:块|蚊|毛|元)?)")),
)
_DEGREE = r"(?:也|就|都|还|真的?|实在|水平)?(?:很|太|比较|有点|有些|特别|非常|极其|略|超级|巨)?"
_WEAK: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("other", re.compile(_PAST + r".{0,28}(?:漏气|漏液|漏水|坏点|不冰|退货|退了|算错|出错|掉线|太小|太大|偏小|偏大|是201|不合格)")),
    ("price", re.compile(r"(?:预算|经费|资金|钱).{0,4}(?:批不下来|批不了|下不来)|(?:小|很|挺|太|蛮|真|略)贵|价格不低|不(?:是很|太|怎么)?便宜|多收|另外收费|乱收费|收费.{0,4}(?:高|贵|不合理)")),
    ("service", re.compile(r"(?:服务|态度|服务员|店员|前台|客服|售后|员工)" + _DEGREE
                           + r"(?:差|不好|不行|不热情|不积极|恶劣|冷淡|不友善|有待改进|有待提高|差劲|不怎么样|不耐烦)"
                           r"|上菜(?:太|很|有点)?慢|排队(?:时间)?(?:太|很)?(?:长|久)|等(?:了)?(?:好久|半天|很久)|态度都无|骂人")),
    ("price", re.compile(r"(?<!性价)比.{0,10}(?:高|贵|多)(?:了|咗)?(?:一点|一些|不少|好多|很多|一截|" + _AMT + r")|(?:涨|加)(?:了|咗)" + _AMT
                         + r"(?:块|蚊|毛|元|个点|%)|不算便宜|没少几个钱|没便宜多少|吃不消|贵过|还是超|超了|多一分钱都不行|是上限"
                         r"|最多(?:能|只能)?批|批的就是|(?:预算|经费).{0,8}(?:就|才|只有|一共才)" + _AMT
                         + r"|最多" + _AMT + r"|不算少|毛利不到|估计悬|有没有便宜(?:一)?点的|^" + _AMT + r"(?:块|元|万|蚊)?那?(?:不行|不得行)")),
    ("price", re.compile(r"(?:别家|别的厂家|别人家|人家|隔壁|另一家|一家|批发市场|线上|网上|旗舰店|邻居).{0,16}(?:才|只要|只卖|就卖|都是全出)")),
    ("other", re.compile(r"(?:环境|卫生|设施|房间|质量|味道|口味|效果|做工|隔音|空间|位置|交通|造型|技术|水平|品质|东西|地方|种类|分量|"
                         r"用餐|体验|感觉)" + _DEGREE
                         + r"(?:差|小|少|一般|不行|不好|陈旧|破烂|脏|乱|吵|挤|难吃|不干净|不方便|不美|有待提高|嘈杂|拥挤|糟糕|堪忧|不怎么样)"
                         r"|没(?:有)?(?:卫生间|技术|配汤|什么味道)|(?:有|一股)(?:异味|恶臭|头发|苍蝇)|不(?:会|想)再来|后悔|太不好了|越来越不行"
                         r"|蒙人|变形|连接不上")),
    ("other", re.compile(r"(?:偏|太|有点|有些)(?:咸|甜|淡|小|大|重|轻|吵|硬|软|薄|厚|稀|粗|细|暗)(?:了)?|"
                         r"(?:制冷|质量|效果|信号|声音|屏幕|性能|做工|包装|口感|味道|时间)(?:有点|太)?(?:不行|不好|一般|太差|差劲|长)"
                         r"|卖得一般|老掉线|还在犹豫|再谂下|(?:糖分|含量|甲醛|噪音|能耗|耗电)" + _DEGREE + r"(?:高|大|厉害)")),
)
_CONDITIONAL = re.compile(r"如果|(?<![主只还])要是|的话|万一|否则|不然|晚了就|慢了就|迟了就")
_ASKS = re.compile(r"(?:高不高|贵不贵|慢不慢|长不长|好不好|够不够|[吗么]\s*[？?]?$|[？?])")


@dataclass(frozen=True)
class Objection:
    type: str          # price | delivery | service | other
    text: str          # the clause that objects
    speaker: str
    ref: str | None = None
    phrase: str = ""   # the pack phrase that matched


@lru_cache(maxsize=64)
def _any_phrase(pack: Pack) -> re.Pattern[str]:
    """All the pack's phrases in one pattern (longest first): one scan finds where any matches."""
    return re.compile("|".join(f"(?:{phrase_pattern(p)})" for _, p, _ in _patterns(pack)))


@lru_cache(maxsize=64)
def _patterns(pack: Pack) -> tuple[tuple[str, str, re.Pattern[str]], ...]:
    out = []
    for kind in OBJECTION_TYPES:
        for phrase in pack.objections.get(kind, ()):
            out.append((kind, phrase, re.compile(phrase_pattern(phrase))))
    # Longer phrases first (… counts for nothing): the most specific phrase explains the clause.
    return tuple(sorted(out, key=lambda x: -len(x[1].replace("…", ""))))


def _negated(clause: str, m: re.Match[str], phrase: str) -> bool:
    before = clause[:m.start()]
    if phrase[0] in "不没" and len(phrase) > 1 and before.endswith(phrase[1]):
        return True  # 有没有现货？ asks (A-not-A), it does not object
    if _NEGATED_BEFORE.search(before) and not phrase.startswith(("不", "没")):
        return True
    if _NOT_THE_ISSUE.search(before[-8:]) and "问题" in clause[m.end():m.end() + 4]:
        return True  # 不是价格的问题
    # The gap a … filled must not turn the phrase around (价格不高, 交期不长).
    if "…" in phrase:
        literal = set(phrase.replace("…", ""))
        gap = "".join(ch for ch in m.group(0) if ch not in literal)
        if _NEGATED_INSIDE.search(gap):
            return True
    return False


def objection_clauses(text: str, pack: Pack, spans: list[Span] | None = None) -> list[tuple[Span, str, str]]:
    """(clause, type, phrase) for each clause that objects, whoever speaks.

    A clause raises one objection by the pack's phrases: the longest phrase it holds says what
    it is about (客服太慢了 is about service, not delivery); the customer-phrasing rules may add
    others of other types. An utterance raises each type once.
    """
    out = []
    seen: set[str] = set()
    for c in spans if spans is not None else clauses(text):
        # Matched without the spaces some transcripts put between words (有点 贵).
        t = squeeze(c.text)[0]
        strong = [f for f in (_first((r,), t) for r in _STRONG) if f is not None] if _ANY_STRONG.search(t) else []
        for kind, phrase in strong:
            if kind not in seen:
                out.append((c, kind, phrase))
                seen.add(kind)
        found = None
        if not (_CONDITIONAL.search(t) or _ASKS.search(t) and not re.search(r"能不能|可不可以|能否|再|点", t)):
            # 晚了就赶不上 describes a risk; 价格高不高？ asks (能不能便宜点？ still objects).
            for hit in _any_phrase(pack).finditer(t):
                # Which phrase matched here: the first (longest) one that matches at this spot.
                for kind, phrase, pattern in _patterns(pack):
                    m = pattern.match(t, hit.start())
                    if m is not None:
                        if not _negated(t, m, phrase) and (found is None or len(phrase) > len(found[1])):
                            found = (kind, phrase)
                        break
            if found is None:
                found = _topic_complaint(t.strip())
            if found is None:
                found = _first(_WEAK, t)
        if found is not None and found[0] not in seen:
            out.append((c, found[0], found[1]))
            seen.add(found[0])
        # A long unpunctuated clause can object twice (十五寸太小了…能不能打个八五折): the weak rules of
        # other types too.
        for kind, rule in _WEAK if " " in c.text.strip() and len(t) >= 16 and _ANY_WEAK.search(t) else ():
            if kind not in seen:
                f = _first(((kind, rule),), t)
                if f is not None:
                    out.append((c, kind, f[1]))
                    seen.add(kind)
    return out


def _first(rules: tuple[tuple[str, re.Pattern[str]], ...], clause: str) -> tuple[str, str] | None:
    """(type, matched text) of the first rule that matches the clause un-negated."""
    for kind, pattern in rules:
        m = pattern.search(clause)
        if m is not None and not re.search(r"(?:不|没|并不|不算|也不)$", clause[:m.start()]):
            return kind, m.group(0)
    return None


# One pass to learn whether any rule can match a clause at all (most clauses object to nothing).
_ANY_STRONG = re.compile("|".join(f"(?:{p.pattern})" for _, p in _STRONG))
_ANY_WEAK = re.compile("|".join(f"(?:{p.pattern})" for _, p in _WEAK))
_ANY_TOPIC = re.compile("|".join(f"(?:{t.pattern})" for _, t, _ in _TOPIC_COMPLAINT))


def _topic_complaint(clause: str) -> tuple[str, str] | None:
    """(type, matched text) when the clause complains about a price, delivery or service topic."""
    if not _ANY_TOPIC.search(clause):
        return None
    for kind, topic, complaint in _TOPIC_COMPLAINT:
        t = topic.search(clause)
        if t is None:
            continue
        for m in complaint.finditer(clause, t.start()):
            before = clause[:m.start()]
            if m.group(0)[0] not in "不没" and re.search(r"(?:不|没|并不|不算|也不|一点也不|一点都不)$", before):
                continue  # 价格不高
            return kind, clause[t.start():m.end()]
    return None


def objections_in(text: str, speaker: str, pack: Pack, ref: str | None = None,
                  spans: list[Span] | None = None,
                  found: list[tuple[Span, str, str]] | None = None) -> list[Objection]:
    """The objections a customer (or an unknown speaker) raises in one utterance.

    `found` is objection_clauses() already computed for this text (analyze shares it with needs).
    """
    if speaker == "rep":
        return []
    out = []
    for c, kind, phrase in found if found is not None else objection_clauses(text, pack, spans):
        if speaker == "unknown" and _PROBE.search(c.text):
            continue
        out.append(Objection(kind, strip_punct(c.text), speaker, ref, phrase))
    return out
