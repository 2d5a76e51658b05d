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
from nlp.text import Span, clauses, strip_punct

_NEGATED_BEFORE = re.compile(r"(?:不|没|没有|并不|并没有|不是|不算|也不|一点也不|一点都不|不会|别|无)$")
_NEGATED_INSIDE = re.compile(r"不|没")
_NOT_THE_ISSUE = re.compile(r"不是|不在于|倒不是|并非")
_PROBE = re.compile(r"(?:您|你|你们)(?:是不是|是否|会不会|担心|觉得|感觉|是)")
# Beyond the pack's phrases: a topic and a complaint about it in the same clause
# (总价…接受不了, 操作太复杂了, 售后三天了都没来). The pack's phrases are tried first.
_TOPIC_COMPLAINT: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...] = (
    ("price", re.compile(r"价格|价钱|报价|总价|单价|价|费用|预算|经费|钱|利润|毛利|成本|进场费|年费|续费"),
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

    A clause raises one objection: the longest phrase it holds says what it is about
    (客服太慢了 is about service, not delivery). A sentence raises each type once.
    """
    out = []
    seen: set[tuple[int, str]] = set()
    for c in spans if spans is not None else clauses(text):
        if _CONDITIONAL.search(c.text):
            continue  # 晚了就赶不上: a risk they describe, not an objection to the offer
        if _ASKS.search(c.text) and not re.search(r"能不能|可不可以|能否|再|点", c.text):
            continue  # 价格高不高？ asks; 能不能便宜点？ still objects
        found = None
        for hit in _any_phrase(pack).finditer(c.text):
            # Which phrase matched here: the first (longest) one that matches at this spot.
            for kind, phrase, pattern in _patterns(pack):
                m = pattern.match(c.text, hit.start())
                if m is not None:
                    if not _negated(c.text, m, phrase) and (found is None or len(phrase) > len(found[1])):
                        found = (kind, phrase)
                    break
        if found is None:
            found = _topic_complaint(c.text.strip())
        if found is not None and (c.sentence, found[0]) not in seen:
            out.append((c, found[0], found[1]))
            seen.add((c.sentence, found[0]))
    return out


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
