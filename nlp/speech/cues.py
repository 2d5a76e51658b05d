"""Which voice is the rep, from what each voice says (used where no voiceprint decides).

A rep introduces themself with a company (我是恒力机电的小陈), speaks for "our company / our
product" to a 您, offers, quotes and probes (您需要几台？贵公司…); a customer states needs
(我们需要 / 希望 / 必须), objects (太贵了, 交期能保证吗), speaks of their own boss, budget and
colleagues, and calls the seller 你们. Each cue adds weight to one side; a voice's lean is
rep − customer. Two voices get roles only when their leans point apart by a clear margin; where
the cues disagree (both voices sound like the rep, or both like the customer) or say too little,
both stay `unknown` — a confident wrong role would put the rep's words into the customer's facts.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

# (pattern, weight, name). Weights are evidence units; a self-introduction outweighs a 您.
_SURNAME = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾萧田董袁潘蒋蔡余杜叶程魏苏吕丁沈任姚卢傅钟姜崔谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
_TITLE = "(总|工|经理|老师|主任|院长|校长|店长|老板|姐|哥|科长|处长|医生|主管)"
REP_CUES: tuple[tuple[re.Pattern[str], float, str], ...] = tuple((re.compile(p), w, n) for p, w, n in (
    (r"我[是系叫] ?.{1,14}?(公司|科技|机电|电气|集团|厂家|医疗|销售|区域经理|客户经理|业务员|顾问)", 3.0,
     "introduces self with a company"),
    (r"我[是系] ?.{0,20}?(的|嘅|额|那个|个) ?(小|老|阿) ?[\u4e00-\u9fff]", 3.0, "introduces self as 小X/老X of a company"),
    (rf"[{_SURNAME}]{_TITLE}[，,、 ]?(您好|你好|侬好|您看|放心|早上好|中午好|下午好|晚上好|早晨|好啊)"
     rf"|^(好的|对|是的|嗯|喂)[，,、 ]?[{_SURNAME}]?{_TITLE}[，,。 ]", 2.0, "addresses the customer by title"),
    (r"(我们|咱们)(公司|厂家|厂里|这款|这套|这个方案|新款|产品|方案|工程师|售后|排产|现货|库存|是控价|有现成|包安装|负责|承诺)", 1.5,
     "speaks for the seller"),
    (r"(给您|帮您|为您|跟您|替您)", 1.5, "offers to the other side"),
    (r"(您|贵公司|贵司|贵院|贵校|贵单位)(这边|那边)?(需要|看|考虑|觉得|方便|要不要|有没有|对|用的|现在|先|期望|打算|要什么|要几)", 1.5,
     "probes the other side"),
    (r"(你们|你哋|侬)(这边|那边)?(是)?(打算|考虑|要不要|需不需要|现在用|现在是|那边觉得|品控那边)|(要|拿|订)(几|多少)(台|套|箱|个|件|支|袋|包)"
     r"|你(今次|这次)?要(几多|多少)", 1.5, "probes the other side's plans"),
    (r"(报价|单价|总价|出厂价|零售价)(是|可以给到|给到|能给|只要)|可以给到|最低(能|可以)", 1.5, "quotes a price"),
    (r"打[个]?[一二三四五六七八九]+折|优惠|折扣|返点|满[一二三四五六七八九十百0-9]+减|积分|送[^货到]"
     r"|(让|返) ?[一二三四五两0-9]+ ?个? ?点|(帮|给)(你|您)(申请|争取)|起订量|建议零售|价格保护", 1.0, "offers a deal"),
    (r"(报价|价格|价钿|价)(已经)?出来了|供价|(一|每) ?(台|套|箱|个|件|支|袋|包|张|副|吨|平方|平米) ?[一二三四五六七八九十两百千万0-9.]+ ?(块|元|万|蚊)?",
     1.0, "states a unit price"),
    (r"(我|我们)(马上|今天|明天|下周[一二三四五六日天]?|这周[一二三四五六日天]?|下午|上午|会|可以|能|一定|保证|负责|包|承诺|安排|派|协调|登记|争取|申请|回去)"
     r"(发|送|安排|派|上门|调试|开|给|过去|过来|处理|到|跟|申请|协调|回复|落实|提供|做)", 1.5, "promises delivery or service"),
    (r"(推荐|建议|放心|没问题|非常抱歉|不好意思让您|对不住|对不起|抱歉|唔好意思|疏忽|随时(喊|找|联系|打给)我)", 1.0,
     "reassures, apologises or recommends"),
    (r"(明天|明朝|听日|后天|后日|今天|马上|这两天|下周[一二三四五六日天]?|下礼拜[一二三四五六日天]?) ?(上午|下午)? ?(就)? ?(给您|给你|帮您)? ?"
     r"(安排|送|发|寄|补|叫司机|派)", 1.0, "schedules a delivery"),
))
CUSTOMER_CUES: tuple[tuple[re.Pattern[str], float, str], ...] = tuple((re.compile(p), w, n) for p, w, n in (
    (r"(需要|希望|想要|得有|必须|一定要|要求|最好(能|是)?|关键是|想引进|想做|等着用)", 1.5, "states a need"),
    (r"(太贵|贵了|高了不少|便宜点|便宜一点|降一点|超预算|预算(不够|批不下来|有限|用完)|别家|另外一家|上一家|其他家|不好卖|没底|不放心|考虑考虑|再考虑|再说)",
     2.0, "objects or hedges"),
    (r"(我们|我们的|我们这边的?|阿拉|我哋) ?(老板|领导|总监|经理|科长|主任|院长|校长|店长|厂长|采购|财务|技术部|设备科|预算|产线|工厂|厂里|医院|学校|门店|店|分店|家|工地|总部|老师"
     r"|集团|客户|仓|车间|诊所|治疗师|品控|区域经理|标准|厨房|安全科|上面|新线|线)",
     1.5, "speaks of their own organisation"),
    (r"我们是(一家|三甲|二甲|社区|连锁|新房|做|小)", 1.5, "describes their own organisation"),
    (r"你们", 1.0, "calls the seller 你们"),
    (r"(你|侬) ?(说|讲|报) ?(吧|多少|个价)?$|多少钱|怎么卖|价格多少|供价多少|^[一二三四五六七八九十两百千万块毛点0-9.多 ]{2,}(啊|哦|呀|？|\?)", 1.5,
     "asks for or echoes a price"),
    (r"(^|[，,。 ])(先|我们|那就|那)? ?(要|拿|进|上|订|放) ?[一二三四五六七八九十两百千万0-9]+ ?(台|套|箱|个|件|支|袋|包|盒|吨|张|副)", 1.0,
     "orders a quantity"),
    (r"月结|账期|付款|付清|对账|发票.{0,4}开(到|给)|安排付款", 1.0, "speaks of paying"),
    (r"(你|侬) ?(把|先)? ?.{0,12}(发过来|发给我|发我|寄过来|送过来|报过来|带上|给我)", 1.0, "tells the seller what to send"),
    (r"上(次|回|趟|个月) ?.{0,14}(迟|晚|慢|少了|错|坏|漏|退|不对|没补|没退)", 2.0, "complains about last time"),
    (r"(能不能|能否|是否|可不可以|有没有)(支持|对接|做到|保证|兼容)", 1.5, "asks what the seller can do"),
    (r"吃不消|超了|贵过|贵了|比.{0,8}贵|悬|不能少|多一分钱", 1.5, "pushes back"),
    (r"(交期|售后|质保|发票|账期|注册证|资质)(多久|怎么|能不能|能保证|有没有|必须)", 1.5, "asks about the seller's terms"),
    (r"(收到了|还在核|给你答复|再找你们|我得问问|我问问|要等|定不了|定不下来|还没批|没批下来|说了算|拍板|随便看看|得报给|(他|领导|老板|厂长)同意|报备)", 1.5,
     "answers or defers"),
    (rf"我是.{{0,8}}(的)?(店长|主任|经理|科长|院长|校长|采购|老板|负责人|[{_SURNAME}]工)(?!.{{0,3}}(公司|科技))", 2.0,
     "introduces self by a role in their own organisation"),
))


@dataclass(frozen=True)
class Lean:
    """What one voice's words say about who it is."""

    rep: float
    customer: float
    reasons: tuple[str, ...] = ()

    @property
    def value(self) -> float:
        """> 0 sounds like the rep, < 0 like the customer."""
        return self.rep - self.customer


def lean_of(texts: Sequence[str]) -> Lean:
    """The summed cues of everything one voice said."""
    rep = customer = 0.0
    reasons: list[str] = []
    for text in texts:
        for pattern, weight, name in REP_CUES:
            hits = len(pattern.findall(text))
            if hits:
                rep += weight * hits
                reasons.append(f"rep: {name}")
        for pattern, weight, name in CUSTOMER_CUES:
            hits = len(pattern.findall(text))
            if hits:
                customer += weight * hits
                reasons.append(f"customer: {name}")
    return Lean(rep, customer, tuple(dict.fromkeys(reasons)))


@dataclass(frozen=True)
class RoleGuess:
    role: str  # rep / customer / unknown
    confidence: float  # 0…1; 0 for unknown
    reasons: tuple[str, ...]


def roles_from_words(voices: Mapping[str, Sequence[str]], *, margin: float = 2.0) -> dict[str, RoleGuess]:
    """Roles of a call's voices from their words: the voice leaning most to the rep is the rep.

    Two voices: roles only when the leans differ by at least `margin` and do not both point the
    same way with strength (then the cues disagree). One voice: rep or customer only on a clear
    lean. Three or more: the clearest rep-leaning voice is the rep, clearly customer-leaning
    voices are customers, the rest unknown.
    """
    leans = {v: lean_of(texts) for v, texts in voices.items()}
    unknown = {v: RoleGuess("unknown", 0.0, leans[v].reasons) for v in voices}
    if not leans:
        return {}
    ranked = sorted(leans, key=lambda v: leans[v].value, reverse=True)
    if len(ranked) == 1:
        v = ranked[0]
        lean = leans[v].value
        if abs(lean) >= 2 * margin:
            return {v: RoleGuess("rep" if lean > 0 else "customer", _confidence(abs(lean) - margin), leans[v].reasons)}
        return unknown
    top, second = ranked[0], ranked[1]
    gap = leans[top].value - leans[second].value
    # Both voices clearly rep-like, or both clearly customer-like: the words contradict each other.
    disagree = (leans[second].value >= margin) or (leans[top].value <= -margin)
    if gap < margin or disagree:
        return unknown
    out = dict(unknown)
    confidence = _confidence(gap - margin)
    out[top] = RoleGuess("rep", confidence, leans[top].reasons)
    for v in ranked[1:]:
        if v == second or leans[v].value <= -margin / 2:
            out[v] = RoleGuess("customer", confidence, leans[v].reasons)
    return out


def _confidence(excess: float) -> float:
    """0.6 at the margin, rising towards 0.95 with more evidence."""
    return round(min(0.95, 0.6 + 0.35 * (1 - 1 / (1 + max(0.0, excess) / 4))), 3)
