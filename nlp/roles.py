"""Decision-chain people: who is named, in which role, and whether they took part.

Mentions come in three shapes: surname + title (王总, 技术部王工, 财务陈姐, found by names.py),
a bare title (采购总监, 设备科主任, 我们老板) and a CRM contact's full name (王建国).

Took part (docs/contract.md, "Analysis semantics") is decided per mention:
  * addressed — the mention stands alone at the start of a clause and is followed by a
    pause, a greeting or 您/你 (王总您好, 王总，…, 张工您看这个参数), or closes a greeting or
    thanks (您好王总, 谢谢李工), or is asked for on the phone (请问是王总吗). 王总您好像… is not
    a greeting: 您好 there is 您 + 好像, and 王总说… or 跟王总汇报 are about him, not to him;
  * self-introduced — a customer (or unknown) speaker says 我是采购部的李经理 / 我负责采购;
  * speaker — the utterance carries the contact who spoke (message sender, call counterpart).
Anything else is mentioned only (我得问问我们采购总监). A rep's 我们王总 and a customer's
你们王总 are the selling side and are dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from nlp.names import COMPOUND_SURNAMES, PersonSpan, person_spans
from nlp.packs import Pack
from nlp.pinyin import fuzzy_syllable, syllables
from nlp.segment import Segmenter, segmenter_for

# A title that reads as a person on its own; others (采购, 财务, 法务) are also
# activities and need a person context (问问我们财务, 跟采购确认).
_PERSON_SUFFIX = re.compile(r"(?:总监|经理|主任|主管|长|总|师|员|老板|老板娘|董事长|助理|秘书|老师|领导|负责人|专员|总裁|"
                            r"CEO|CTO|CFO|CIO|VP|HR|HRBP|医生|大夫|护士|顾问|董|书记|导购|会计|出纳|总工|业主|创始人|"
                            r"一把手|法人|法人代表|老总|督导|买手|监理|网管|运维|品控|仓管|机修|电工)$")
_PERSON_BEFORE = re.compile(r"(?:我们|你们|咱们|他们|公司|厂里|院里|学校|店里|跟|和|找|问|问问|给|让|叫|请|等|是|的)$")
_PERSON_AFTER = re.compile(r"^(?:那边|这边|说|觉得|同意|不同意|审批|签字|确认|在吗|在不在|回来|过来|的意见|的意思|也|都|那里|您好|你好|"
                           r"负责|要求|看了|看过|反馈|提|问|让|讲|定|拍板|批|要|想|的人|[，,。.！!？?]|$)")
_OPENERS = r"(?:您好|你好|喂|哎|诶|嗯|啊|哦|噢|那|好的|好额|好嘞|好咧|好|行|对|是的|谢谢|感谢|多谢|麻烦|辛苦|拜托|不好意思|打扰了|打扰一下|请问|" \
           r"早上好|上午好|下午好|晚上好|再见|欢迎|恭喜|哈喽|嗨|[，,\s！!~])*"
# 请问是白沙镇卫生院的林院长吗: the organisation may come between.
_BEFORE_ADDRESS = re.compile(r"^" + _OPENERS + r"(?:请问)?(?:(?:是|您是|你是)(?:[^，,。？?！!]{1,14}的?)?)?$")
# 您好 must be the greeting: in 王总您好像… it is 您 + 好像.
# In a transcript a space after the name is the pause (喂 孙总 是 我).
_AFTER_ADDRESS = re.compile(r"^(?:[，,！!。.？?…—~～\s]|、[^，,。？?！!\s、]{1,8}[，,！!]|$|(?:您|你|侬)好(?![像几多久些])|好[，,！!。~]|好$|早|早上好|上午好|下午好|晚上好|"
                            r"辛苦|久等|再见|放心|请|稍等|别担心|见谅|留步|慢走|过奖|(?:您|你)(?!好像|好几|好多|好久|好些))")
# Asking the listener for something puts the listener right after the verb: 麻烦店长跟老板娘说一声.
_REQUEST_BEFORE = re.compile(r"(?:^|[，,\s])(?:麻烦|拜托|辛苦|劳驾|有劳)$")
# Jobs held by many people: on their own they name nobody in particular (派工程师过去,
# 老师用着不伤眼), so they count only when addressed or introducing themselves.
_OCCUPATIONAL = re.compile(r"(?:(?<!总)(?:工程|设计|营养|育婴|技|会计)师|员|老师|医生|大夫|护士|工人|师傅|店员|导购)$")
_GROUP_AFTER = re.compile(r"^们")
_GROUP_BEFORE = re.compile(r"(?:几个|好几个|一些|很多|不少|各个|各位|所有|有的|其他|别的|两个|三个)(?:的)?$")
# Titles that are also verbs (我们采购五十台).
_VERB_LIKE = frozenset({"采购", "审计", "销售", "监理"})
# An honorific rather than a job: 采购部的王总 is procurement's head.
_HONORIFIC = frozenset({"总", "董", "领导", "老板", "姐", "哥", "老总"})
_VENDOR_IN_UTTERANCE = re.compile(r"你们|贵司|你们公司|您们")
_THIRD_PERSON_NEXT = re.compile(r"^[，,]\s*(?:他|她|他们|她们)")
_ASKED_ON_PHONE = re.compile(r"^(?:吗|嘛)")
_SPECIFIC_AFTER = re.compile(r"^(?:那边|这边|说|觉得|同意|反馈|要求|建议)")  # 设计师那边: that designer
_VOCATIVE_VERB = re.compile(r"^(?:您|你)(?:看|觉得|放心|说|稍等|这边|那边)")
_GOVERNED = re.compile(r"(?:跟|和|给|找|问|问问|让|叫|请|向|对|帮|替|陪|同|带|把|被|等|约|见|通知|告诉|转告|汇报给|交给)$")
_SELF_INTRO = re.compile(r"(?:我|本人)(?:就|呢)?(?:是|叫|姓)[^，,。.？?！!]{0,10}$")
# 我叫设备部的李工过来: 叫 there summons someone, it names nobody.
_SUMMONED = re.compile(r"^(?:过来|过去|来|去|一起|一块|他|她)")
_SELF_DUTY = re.compile(r"(?:我|本人)(?:这边|呢)?(?:主要)?(?:是)?(?:负责|管)(?P<what>[^，,。.？?！!的]{2,4}?)(?:的|这块|这一块|方面|工作|[，,。.？?！!]|$)")
_NOT_A_PERSON_AFTER = re.compile(r"^(?:费|价|款|成本|预算|合同|流程|系统|部|处|科|室|中心|办)")  # 品控部: a department
# The rep's own side, asked or told by the rep: 跟服务经理协调, 跟领导申请, 我们产品经理.
_REP_OWN_AFTER = re.compile(r"^(?:\s*(?:协调|申请|请示|商量|沟通|汇报|批|报批|确认一下))")
_REP_OWN_BEFORE = re.compile(r"(?:我们|我司|公司|咱们)[^，,。？?！!\s]{0,4}$")
# A list of people addressed at once: 钱总、孙工，…
_LISTED_BEFORE = re.compile(r"^(?:[^，,。？?！!、]{1,8}、)+$")
_OUR_SIDE = re.compile(r"(?:我们|我司|我们公司|咱们)(?:的|这边的|那边的)?$")
_THEIR_SIDE = re.compile(r"(?:你们|您们|贵司|你们公司|您那边|你们那边)(?:的)?$")


@dataclass(frozen=True)
class ContactRef:
    """A CRM contact of the customer (crm_contacts)."""

    id: int
    name: str
    title: str | None = None
    role_tag: str | None = None


@dataclass(frozen=True)
class RoleMention:
    """A decision-chain person named or speaking in one utterance."""

    mention: str
    role: str                 # decision_maker | procurement | technical | finance | user | approver | other
    took_part: bool
    contact_id: int | None
    speaker: str
    ref: str | None
    evidence: str             # addressed | self_introduced | speaker | mentioned
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class _Found:
    start: int
    end: int
    text: str
    surname: str | None
    title: str
    prefix: str | None
    name_start: int


@lru_cache(maxsize=64)
def _bare_pattern(pack: Pack) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(titles, prefix-before-a-title): the prefix is matched backwards from the title."""
    titles = sorted({*(t for t in pack.titles if len(t) > 1), *(t for t in pack.rep_titles if len(t) > 1)},
                    key=lambda t: (-len(t), t))
    # A functional title may qualify another one (电工班长, 总部采购): both act as prefixes.
    depts = sorted({*pack.departments, *(t for t, r in pack.titles.items() if len(t) > 1 and r != "other")},
                   key=lambda d: (-len(d), d))
    d = "|".join(re.escape(x) for x in depts)
    t = "|".join(re.escape(x) for x in titles)
    return re.compile(f"(?P<title>{t})"), re.compile(f"(?P<prefix>{d})\\s*(?:(?:的|额|那边的|这边的|里的)\\s*)?$")


def _role_of(found: _Found, pack: Pack) -> str:
    """The head title's role when it names a function (总部采购, 电工班长), else the prefix's."""
    head = pack.titles.get(found.title, "other")
    if found.prefix:
        prefix_role = pack.departments.get(found.prefix) or pack.titles.get(found.prefix)
        if prefix_role and (head == "other" or found.title in _HONORIFIC):
            return prefix_role
        if prefix_role and found.prefix in pack.departments and found.prefix not in pack.titles and head != "other":
            # A department before a functional title: the title says what they do.
            return head
    return head


def _mentions(text: str, pack: Pack, seg: Segmenter | None, persons: list[PersonSpan] | None) -> list[_Found]:
    if persons is None:
        persons = (seg or segmenter_for(pack)).persons(text)
    found = [_Found(p.start, p.end, p.text, p.surname, p.title, p.prefix, p.name_start) for p in persons]
    covered = [(f.start, f.end) for f in found]
    titles_re, prefix_re = _bare_pattern(pack)
    for m in titles_re.finditer(text):
        p = prefix_re.search(text, max(0, m.start() - 16), m.start())
        s, e = (p.start() if p else m.start()), m.end()
        if p is not None and found and found[-1].surname is None and (found[-1].start, found[-1].end) == (s, p.end()):
            # 电工 then 班长: one person, 电工班长, whose head title is 班长.
            found.pop()
            covered.pop()
        if any(a < e and s < b for a, b in covered):
            continue
        title, prefix = m.group("title"), (p.group("prefix") if p else None)
        if prefix and text[s:e] in pack.titles:
            title, prefix = text[s:e], None  # 集团采购 is a title of its own
        if title in pack.rep_titles:
            covered.append((s, e))
            continue
        if not _PERSON_SUFFIX.search(title) and not prefix:
            before_ok, after_ok = bool(_PERSON_BEFORE.search(text[:s])), bool(_PERSON_AFTER.match(text[e:]))
            # 采购 is as often the verb (我们采购五十台) as the person: it needs both sides.
            if not ((before_ok and after_ok) if title in _VERB_LIKE else (before_ok or after_ok)):
                continue
        found.append(_Found(s, e, text[s:e], None, title, prefix, m.start("title")))
        covered.append((s, e))
    return sorted(found, key=lambda f: f.start)


def _clause_bounds(text: str, i: int) -> tuple[int, int]:
    stops = "，,。.！!？?；;\n"
    a = max(text.rfind(ch, 0, i) for ch in stops) + 1
    ends = [j for j in (text.find(ch, i) for ch in stops) if j >= 0]
    return a, min(ends) if ends else len(text)


_GREETING_SOUNDS = frozenset({("lin", "hao"), ("li", "hao")})  # 您好 / 你好, accent-folded


def _misheard_greeting(after: str) -> str:
    """`after` with a misheard 您好 / 你好 at its start written as 您好 (拰好, 您号, 你浩)."""
    head = after.lstrip(" ")
    if len(head) >= 2 and head[:2] not in ("您好", "你好") and \
            tuple(map(fuzzy_syllable, syllables(head[:2]))) in _GREETING_SOUNDS:
        return "您好" + head[2:]
    return after


def _addressed(text: str, f: _Found) -> bool:
    a, _ = _clause_bounds(text, f.start)
    # A transcript's word spaces say nothing before the name (好 的 韩姐 is 好的韩姐); after it a
    # space is the pause that sets off an address (喂 孙总 是 我).
    before, after = text[a:f.start].replace(" ", ""), _misheard_greeting(text[f.end:])
    # An unpunctuated transcript runs the greeting into the question: 喂您好我是…的小何请问是设备部的高工吗.
    ask = before.rfind("请问")
    if ask > 0:
        before = before[ask:]
    if _LISTED_BEFORE.match(before):
        before = ""  # 钱总、孙工，…: the second of two addressed at once
    if _REQUEST_BEFORE.search(before):
        return True
    if _BEFORE_ADDRESS.match(before):
        if _ASKED_ON_PHONE.match(after.lstrip(" ")):
            return True  # 请问是王总吗, 喂，刘护士长吗？
        if _AFTER_ADDRESS.match(after) and not _THIRD_PERSON_NEXT.match(after.lstrip(" ")):
            return not re.search(r"[吗嘛][？?]?$", after[:3]) or bool(re.search(r"是$", before))
    # Mid-clause, only the unmistakable vocatives: 这个方案王总您看一下.
    return bool(_VOCATIVE_VERB.match(after)) and not _GOVERNED.search(before)


def _sentence_after(text: str, i: int) -> str:
    """The rest of the sentence from `i` (刘护士长，您也过来听一下。你们…: 你们 is in the next one)."""
    m = re.search(r"[。.！!？?]", text[i:])
    return text[i:i + m.start()] if m else text[i:]


def _contact_parts(c: ContactRef, pack: Pack) -> tuple[str | None, str | None, str | None]:
    """(surname, title, prefix) of a contact, reading titles written into the name (采购部李经理)."""
    seg = segmenter_for(pack)
    spans = person_spans(c.name, seg.titles, seg.prefixes, {})
    if spans and spans[0].end == len(c.name):
        p = spans[0]
        return p.surname, c.title or p.title, p.prefix
    surname = next((s for s in COMPOUND_SURNAMES if c.name.startswith(s)), c.name[:1] or None)
    return surname, c.title, None


def contact_role(c: ContactRef, pack: Pack) -> str | None:
    """A contact's role category: its role_tag, else what its title or department says."""
    if c.role_tag:
        return c.role_tag
    _, title, prefix = _contact_parts(c, pack)
    if prefix and (pack.departments.get(prefix) or pack.titles.get(prefix)):
        return pack.departments.get(prefix) or pack.titles.get(prefix)
    return pack.titles.get(title or "")


def match_contact(f_text: str, surname: str | None, title: str, role: str,
                  contacts: Sequence[ContactRef], pack: Pack) -> ContactRef | None:
    """The one contact a mention names (name/surname + title), or None when none or several match."""
    exact = [c for c in contacts if c.name == f_text]
    if len(exact) == 1:
        return exact[0]
    hits = []
    for c in contacts:
        c_surname, c_title, _ = _contact_parts(c, pack)
        c_role = contact_role(c, pack)
        if surname is not None and c_surname != surname:
            continue
        if surname is None and not c_title:
            continue
        title_fits = bool(c_title) and (title in c_title or c_title in title)
        role_fits = role != "other" and c_role == role
        if title_fits or role_fits:
            hits.append(c)
    return hits[0] if len(hits) == 1 else None


def _duty_role(what: str, pack: Pack) -> str | None:
    """The role of a duty named in a self-introduction (负责采购 → procurement)."""
    words = {**pack.titles, **pack.departments}
    ranked = sorted((w for w in words if len(w) > 1 and words[w] != "other"), key=len, reverse=True)
    # The head of the duty first (设备采购 is procurement), then its start (技术 → 技术部).
    for test in (lambda w: what.endswith(w), lambda w: w.startswith(what) or what.startswith(w)):
        for w in ranked:
            if test(w):
                return words[w]
    return None


def roles_in(
    text: str,
    speaker: str,
    pack: Pack,
    contacts: Sequence[ContactRef] = (),
    ref: str | None = None,
    seg: Segmenter | None = None,
    persons: list[PersonSpan] | None = None,
) -> list[RoleMention]:
    """Every decision-chain person named in one utterance, with took-part evidence."""
    out: list[RoleMention] = []
    found = _mentions(text, pack, seg, persons)
    # CRM contacts written by full name (王建国), wherever no title mention covers them.
    seg = seg or segmenter_for(pack)
    for c in contacts:
        titled = person_spans(c.name, seg.titles, seg.prefixes, {})
        if len(c.name) >= 2 and not titled:
            for m in re.finditer(re.escape(c.name), text):
                if not any(f.start <= m.start() < f.end for f in found):
                    found.append(_Found(m.start(), m.end(), c.name, c.name[:1], c.title or "", None, m.start()))
    found.sort(key=lambda f: f.start)
    for f in found:
        before = text[:f.start].rstrip(" ")  # 找 我们 老板: a transcript's word spaces
        if speaker == "rep" and _OUR_SIDE.search(before):
            continue  # the rep's own 王总
        if speaker == "rep" and f.surname is None and (
                _REP_OWN_AFTER.match(text[f.end:]) or _REP_OWN_BEFORE.search(before.replace(" ", ""))):
            continue  # 跟领导申请一下, 我们产品经理: the rep's colleagues
        if speaker == "customer" and _THEIR_SIDE.search(before):
            continue  # the rep's company, seen from the customer
        if f.surname is None and (_GROUP_AFTER.match(text[f.end:]) or _GROUP_BEFORE.search(before)):
            continue  # 老师们, 好几个宝妈: a group, not a person
        if f.surname is None and (before.endswith("、") or text[f.end:f.end + 1] == "、"):
            continue  # 劳保、五金、电工: a list of product lines
        if f.surname is None and _NOT_A_PERSON_AFTER.match(text[f.end:]):
            continue  # 运维费, 采购价: the title names a cost, not a person
        if speaker == "rep" and f.surname is None and \
                _SELF_INTRO.search(text[_clause_bounds(text, f.start)[0]:f.start].replace(" ", "")):
            continue  # 我是远景数字教育的项目经理: the rep's own title
        role = _role_of(f, pack)
        contact = match_contact(f.text, f.surname, f.title, role, contacts, pack) if contacts else None
        if contact is not None:
            role = contact_role(contact, pack) or role
        evidence = "mentioned"
        if _addressed(text, f):
            evidence = "addressed"
            if speaker == "customer" and contact is None and _VENDOR_IN_UTTERANCE.search(_sentence_after(text, f.end)):
                continue  # 老板，你们这个…: the customer talking to the seller
        elif speaker != "rep" and _SELF_INTRO.search(text[_clause_bounds(text, f.start)[0]:f.start].replace(" ", "")) \
                and not _SUMMONED.match(text[f.end:].lstrip(" ")):
            evidence = "self_introduced"
        if (evidence == "mentioned" and f.surname is None and _OCCUPATIONAL.search(f.title)
                and not _SPECIFIC_AFTER.match(text[f.end:])):
            continue
        out.append(RoleMention(f.text, role, evidence != "mentioned", contact.id if contact else None, speaker, ref,
                               evidence, f.start, f.end))
    if speaker != "rep":
        for m in _SELF_DUTY.finditer(text):
            role = _duty_role(m.group("what"), pack)
            if role and not any(r.start <= m.start() < r.end for r in out):
                contact = next((c for c in contacts if contact_role(c, pack) == role), None) \
                    if sum(contact_role(c, pack) == role for c in contacts) == 1 else None
                out.append(RoleMention(m.group(0).rstrip("，,。.？?！!的"), role, True, contact.id if contact else None,
                                       speaker, ref, "self_introduced", m.start(), m.end()))
    return out
