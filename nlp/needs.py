"""Need statements: clauses in which the customer states a requirement.

A clause states a need when it carries a requirement cue — 需要, 希望, 要求, 必须, 一定要,
想要, 关键是, 能不能, 有没有, 是否支持, 至少, 不能超过 … — or a plain 要 with something to
want (要IP65的, 要三十台, a pack need word), or asks whether the product can do something
the pack knows (能对接钉钉吗), or lists an order item right after a need (五千个M16, 蚝油二十箱).
In ASR text with a space between every word, a long clause is cut before each further cue.
要 and 想 misheard as a homophone (腰三十台, 像换个…) still count where a want follows. It does
not when:
  * the cue is negated (不需要, 暂时不考虑, 没有这个需求);
  * it is hypothetical (需要的话再联系你, 如果以后要扩容…, 万一需要…);
  * it is about the buying process, not the purchase (需要跟领导商量, 得走招标流程);
  * it is an errand (发票抬头改一下, 有没有时间, 能不能把资料发我) with no need word;
  * it is an objection (能不能再便宜点 is haggling) or a money term (打个九折, 堆头费你们得出,
    出了错你们得赔, 控制在十万以内) — objections.py and money.py report those;
  * it points back to the need just said (最看重的就是这个) or is put off (…的话再说);
  * the rep says it: only customers state needs. Nor does an unknown speaker (a mono call
    nobody could attribute): 我们需要您这边确认一下参数 is the rep's request as often as a need.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nlp.objections import objection_clauses
from nlp.packs import Pack
from nlp.text import Span, clauses, squeeze, strip_punct, word_spaced

_CUE = re.compile(
    r"需要|需求|希望|要求|必须|一定要|一定得|务必|想要|想找|想买|想换|想上|想做|想了解|想看看|想试|想先|关键是|重点是|核心是|"
    r"最重要的是|主要是要|能不能|能否|可不可以|可否|有没有|有无|是否有|是否支持|是否可以|是否能|支不支持|支持不支持|"
    r"得要|最好|急需|期望|关注|看重|在意|考虑(?:上|换|采购|引进|买|做)|打算(?:上|换|采购|买|做|引进)|计划(?:采购|上|换|买|引进)|"
    r"准备(?:采购|上|换|买|引进)|要的是|缺(?!货|点|陷|席|勤|口)|不能(?:超过|低于|少于|高于|大于|小于|有|上|影响|出现|含|带|少|减|卡|停|混|断|漏|差)|"
    r"至少|起码|最紧要|唔可以|唔好(?!意思)|还差(?![0-9一二两三四五六七八九十百千万点多少]|一点|不多)|(?:我们|俺们|阿拉)?也要\s*[，,。！!]?$|"
    r"能(?:长期|稳定|按时|及时)?供(?:应|货)吗|先(?:拿|要|来|订|进|放|发|送|备)[0-9一二两三四五六七八九十百千万]|"
    r"不低于|不超过|不高于|不少于|要能|得能|要有|得有|要带|要支持|要兼容|要符合|得符合|都得|"
    r"得(?:支持|兼容|满足|配|带|是|负责|用|整|放|进|到|装|上|换|派|做|留|铺)|"
    r"要(?:轻|快|稳|准|小|结实|耐用|安全|静音|省电|好用|简单|方便)(?=[\s，,。！!]|$)|"
    r"(?:得|要|需要|必须)?尽快(?:换|上|买|采购|解决|安排|处理|到|发|交|装)|先(?:上|买|进|采购|试|做|装)|"
    r"想(?!想|法|到|起|说|问|知道|请|着|不到|必|来|去|过|了|跟|和|让|再|卖|咨询|的)|要(?:能|自动|支持|带|做到|达到|满足)|(?:都|各)要|"
    r"(?<![主重需])要(?!是)[^，,。.！!？?]{1,14}的[\s，,。.！!？?]*$|要到(?=[\s，,。.！!？?]|$)|要(?:铺完|装完|做完|铺好|修好|调好)|"
    r"想.{0,8}(?:上线|到货|交付|装好|完成|用上)|关心|重视|注重|(?:要|得|能|必须|需要)(?:能)?(?:跟|和|与).{0,12}(?:打通|对接|兼容|集成|连通|同步)|"
    r"(?:要|得|必须)(?:把|在)|(?:要|得|必须|一定要)(?:先|全部|都)?(?:到位|到货|到齐|装好|装上|装完|调好|交付|上线|送到|交货|铺到|备|进货|采购|订)|"
    r"(?:马上|就|急着|等着)要用|急用|等着用|才行|才可以|(?:装好|到位|到货|完成|上线|交付|送到)就行|有吗\s*[？?]?$|"
    r"(?:你们|您们)(?:必须|得|一定要|务必|最好|要(?!不要|是))|(?:得|要|必须)跟(?:得)?上|"
    r"(?:之前|以前|前)(?:(?:能|要|得|必须)(?:送到|到货|交货|发货|到位|装好)|送到)|前(?:还|也|仲)?(?:要|得|必须|一定要|务必)(?:再|先|全部|都)?(?:到|送|发|补|备|装|调|交|铺)|"
    r"(?:要|得|必须)分批|要[^，,。.！!？?]{1,10}的[^，,。.！!？?]{0,6}(?:款|型|版|型号|规格|系列)[\s，,。.！!？?]*$"
)
# A plain 要 (not 需要, 主要, 重要, 要是, 要不要 …) wants something when the clause says what.
_PLAIN_WANT = re.compile(r"(?<![需主重想只不还总紧])要(?!不要|是|么|不然|不|紧|求|点|素|命|好|数)")
# After a plain 要, the thing wanted comes first: 要三十台, 要304的, 要IP65的 (not 要停两三次).
# 要做外墙真石漆, 要上一套MES: a purchase verb and what is bought.
_BUY_AFTER = re.compile(r"^(?:买|上|换|采购|配|装|做|建|建设|引进|添置|进|订|铺|刷|改)[^，,。.！!？?的了过]{2,}")
_WANTED_AFTER = re.compile(r"^(?:买|上|用|换|采购|配|装|做|建|建设|引进|添置|增加|进|一个|个|一款|一批|一套|的是)?(?:型号|规格|款|版本|配置|功能|"
                           r"[0-9一二两三四五六七八九十百千万]+(?:台|套|个|批|件|箱|吨|只|盒|罐|平|米|账号|席位|块|打|盏|把|间|条|张|副|包|袋|瓶|桶|支|卷|组|根|份|辆)|[A-Za-z0-9]{2,})")
# 要三十抬, 要两千钛: a quantity whose measure word was misheard — a number and one character ending the clause.
_HEARD_QUANTITY = re.compile(r"^[0-9二两三四五六七八九十百千万][0-9一二两三四五六七八九十百千万]*(?![0-9一二两三四五六七八九十百千万块元毛分角])[\u4e00-\u9fff]\s*[，,。.！!？?]?\s*$")
_FEATURE_QUESTION = re.compile(r"(?:能|支持|可以|有|带|兼容|对接|适配|符合|达到).{0,12}(?:吗|么|没有|没)\s*[？?]?\s*$")
# The customer telling the vendor what to deliver: 你们先发十台过来, 你们下周三前送到.
_DEMAND = re.compile(r"(?:你们|您|你)(?!.{0,3}(?:是不是|要不要|能不能|可不可以)).{0,10}(?:发|送|安排|提供|装|交|铺|放)(?!的|了|过)")
_DEMAND_WHAT = re.compile(r"前|之前|以内|号|[0-9一二两三四五六七八九十百千]+(?:台|套|个|批|件|箱|吨)")
# A price cap put as a question: 三十万以内能不能做？
_PRICE_CAP = re.compile(r"[0-9一二两三四五六七八九十百千]+(?:\.\d+)?(?:万|千|元|块|w|W|k|K)(?:以内|以下|之内|左右|的话|能不能|可不可以|行不行)")
# Haggling and commercial terms are money, whatever product word is in the clause: 打个八五折,
# 零头能不能抹了, 控制在十万以内, 堆头费你们得出, 出了错你们得赔, 端架要收费, 要做满减.
_MONEY_TERM = re.compile(r"打.{0,2}折|[0-9一二两三四五六七八九]折|抹零|零头|便宜|降(?:点|价|一点|些)|让(?:点|利|一点)|"
                         r"控制在.{0,6}[0-9一二两三四五六七八九十百千万](?:万|千|块|元|w|W)|费.{0,4}(?:得|要)?出|赔|收费|满减")
# 最关心的就是这个, 这是学院最看重的: a pointer back to the need just said, not a second one.
_POINTER_BACK = re.compile(r"(?:关心|看重|关注|在意|重视|重要)(?:的(?:就)?是)?这(?:个|点|块)?\s*[。！!]?$|^这(?:个|点)?(?:就)?是.{0,6}(?:关心|看重|关注|在意|重视)")
# 卖得动的话再说, 测完再定: the clause before is put off until then.
_DEFERRED = re.compile(r"(?:的话|以后|之后|完)再(?:说|定|看)")
# 还要买别的: nothing in particular is wanted.
_VAGUE_OBJECT = re.compile(r"要(?:买|做|用|进)?(?:别的|其他的?|其它的?)[\s。.！!]*$")
# Where to send something is an errand even about a product (试用账号发到我邮箱).
_CONTACT = re.compile(r"发.{0,3}(?:邮箱|微信|短信)")
# An item of an order, said without a verb after a need: 五千个M16, 蚝油二十箱先, 每季度初送二十吨.
_NUM = "[0-9一二两三四五六七八九十百千万]"
_MEASURE = "(?:台|套|个|批|件|箱|吨|只|盒|罐|副|包|袋|瓶|桶|支|卷|组|根|份|辆|打|把|张|条)"
_LIST_ITEM = re.compile(rf"^(?:(?!不|没|想|再|是|有|要)[^，,。.！!？?]){{0,12}}?{_NUM}+{_MEASURE}"
                        r"(?:[A-Za-z0-9]{1,6})?先?\s*[。.！!]?$")
# 一条线一台, 每间一台: how the need just said is spread, not a further item.
_SPREAD = re.compile(rf"^(?:每|一){_NUM}?.{{0,3}}一{_MEASURE}$|各{_NUM}")
# 按试用订单走, 按流程走: how the purchase proceeds.
_GOES_BY = re.compile(r"按.{1,8}走")
_NEGATION = re.compile(r"(?:不|没|没有|不太|并不|暂时不|暂时没|先不|还不|用不着|没什么|无)$")
_NEGATED_CLAUSE = re.compile(r"不需要|不用了|不用买|没必要|用不着|不要了|不想要|没需求|没有需求|没什么需求|暂时不考虑|不考虑|不打算|"
                             r"没这个需求|没有这个需求|没有这方面|不太需要|不缺")
_HYPOTHETICAL = re.compile(r"如果|(?<![主只还])要是|假如|万一|假设|若是|倘若|的话|到时候|以后再|回头再|等以后|等到|哪天")
_PROCESS = re.compile(r"商量|请示|汇报|问问|研究一下|讨论|开会|走流程|流程|审批|申请|想想|核实|内部|比较一下|对比一下|签字|上会|招标|"
                      r"考虑一下|评估一下|报备|走个|立项|提需求|比价|过来|讲一下|介绍一下|演示|交流|拜访|见面|咨询|完成采购|验收|评估|"
                      r"能耗测试")
_SENT_OVER = re.compile(r"[发送寄调拿带运步].{0,6}过来")  # goods coming over, not a visit
_ERRAND = re.compile(r"发票|抬头|开票|税号|盖章|快递|单号|对账|收据|地址|电话|微信|邮箱|名片|停车|几点|时间|有空|方便|会议|资料|彩页|"
                     r"报价单|合同|签收|回款|付款|打款|账号密码|联系方式|标书|投标文件|准数|给个价|分(?:期|[两三四五]年|[两三四五]次)付")
_NOT_A_NEED_ASK = re.compile(r"有没有(?:问题|空|时间|收到|看到|消息|进展|反馈|别的问题|其他问题|什么问题|人在|在|做过|用过|案例|合作过|经验|自己的)")
_PROBE_END = re.compile(r"[吗么呢？?]|什么|哪|几|多少|怎么|如何|是否")
_SHORT_ASK = 4  # 有没有？ 行不行？ — a clause this short asks about the one before


# The cue words a homophone of which is read as the cue (须要 → 需要, 希忘 → 希望): a need said
# through Whisper base keeps its cue.
NEED_CUE_WORDS = ("需要", "希望", "要求", "必须", "一定要", "想要", "关键是", "最好", "能不能", "有没有", "至少", "起码",
                  "急需", "看重", "关注", "务必", "要能", "得有", "要有", "不能", "还差", "之前", "唔可以", "可不可以",
                  # and the words that rule a need out, so a misheard 发飘 still reads as an errand
                  "发票", "招标", "汇报")
# 要 said alone has no word around it to correct it by: Whisper writes it as any of these
# (腰带称重的, 邀那种…的, 摇五十包). One is read as 要 only where a want follows it: a quantity, a
# model code, 那种/带 … — never inside its own word (遥控, 邀请).
_YAO_SOUNDS = "腰妖摇邀耀咬遥窑谣瑶吆"
_YAO_HEARD = re.compile(rf"(?<![需主重想只不总紧])[{_YAO_SOUNDS}](?!控|请|头|滚|晃|篮|远|感|言|动|摆|杆)"
                        rf"(?=(?:先|再|都)?(?:{_NUM}|[A-Za-z0-9]{{2,}}|那种|带|做|上|买|换|补|备|支持|兼容|到位|到货|提前))")
# 想 likewise (象换个…, 像引进…) where a purchase verb follows; not 好像/就像/不像.
_XIANG_HEARD = re.compile(r"(?<![好就不很])[象像向相响享项](?=换|买|引进|订|采购|试用)")


@dataclass(frozen=True)
class NeedStatement:
    text: str          # the clause
    speaker: str
    ref: str | None = None
    cue: str = ""      # the word that made it a need


@lru_cache(maxsize=64)
def _need_words(pack: Pack) -> re.Pattern[str] | None:
    words = sorted(set(pack.need_words), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words)) if words else None


def _cue(clause: str, speaker: str, pack: Pack) -> str | None:
    """The requirement cue of a clause, or None."""
    words = _need_words(pack)
    for m in _CUE.finditer(clause):
        if _NEGATION.search(clause[:m.start()]) and not m.group(0).startswith(("不能", "不低于", "不超过", "不高于", "不少于")):
            continue
        return m.group(0)
    for m in _PLAIN_WANT.finditer(clause):
        rest = clause[m.end():]
        if _WANTED_AFTER.match(rest) or _BUY_AFTER.match(rest) or (words and words.match(rest)) or _HEARD_QUANTITY.match(rest):
            return "要"
    if words and words.search(clause) and _FEATURE_QUESTION.search(clause):
        return "?"
    if speaker == "customer" and _DEMAND.search(clause) and _DEMAND_WHAT.search(clause) and not _PROBE_END.search(clause):
        return "你们…"
    if _YAO_HEARD.search(clause) or _XIANG_HEARD.search(clause):
        # read once more with the misheard 要/想 put back (the result has none left to put back)
        return _cue(_XIANG_HEARD.sub("想", _YAO_HEARD.sub("要", clause)), speaker, pack)
    return None


def is_need(clause: str, speaker: str, pack: Pack) -> str | None:
    """The cue that makes `clause` a need statement by `speaker`, or None."""
    if speaker != "customer":
        return None  # only the customer states needs; an unattributed voice may be the rep
    cue = _cue(clause, speaker, pack)
    if cue is None:
        return None
    if _NEGATED_CLAUSE.search(clause) or _HYPOTHETICAL.search(clause):
        return None
    if (_NOT_A_NEED_ASK.search(clause) or _MONEY_TERM.search(clause) or _POINTER_BACK.search(clause)
            or _VAGUE_OBJECT.search(clause) or _CONTACT.search(clause) or _GOES_BY.search(clause)):
        return None
    words = _need_words(pack)
    has_word = bool(words and words.search(clause))
    if _PROCESS.search(_SENT_OVER.sub("", clause)) and not has_word:
        return None
    if _ERRAND.search(clause) and not has_word:
        return None
    if _PRICE_CAP.search(clause) and not has_word:
        return None  # 三十万以内能不能做？ is haggling, not a requirement
    if speaker == "customer" and re.search(r"^(?:那|嗯|好)?[，,\s]*(?:您|你)(?:这边|那边)?(?:还)?(?:需要|想要|要不要)", clause):
        return None  # the customer asking the rep what they need (您需要我们提供什么？)
    return cue


# In a transcript with a space between every word a clause runs until a connective, so one
# "clause" may hold several needs (要 两万 个 m12 … 下周三 之前 送到). It is cut again before a
# connective standing as a word, and before each further cue that starts this far (squeezed
# characters) past the cue of the piece it would end — 必须 要 装 好 stays one need.
_SPACED_CONNECTIVE = re.compile(r"(?<=\s)(?:还有|另外|但是|不过|可是|而且|然后|所以|对了|同埋)(?=\s)")
_PIECE_GAP = 4
# Connectives and fillers said before a need are not part of it (labels drop them too).
_LEAD = re.compile(r"^(?:(?:嗯|呃|啊|哦|行|好|对|那|那个|还有|另外|但是|不过|可是|而且|然后|所以|对了|同埋)(?:\s+|$))+")
# A cue that takes a clause as its object (我们要求个税模块必须有人复核): the next cue is inside
# the same need, so it does not start a piece.
_TAKES_CLAUSE = re.compile(r"要求|希望|需要|关键是|重点是|意思是|要的是")


def _cue_starts(clause: str, pack: Pack) -> list[tuple[int, str]]:
    """Where requirement cues begin in a squeezed clause, with the cue (close to what _cue accepts)."""
    words = _need_words(pack)
    starts = {m.start(): m.group(0) for m in _CUE.finditer(clause)}
    for m in _PLAIN_WANT.finditer(clause):
        rest = clause[m.end():]
        if _WANTED_AFTER.match(rest) or _BUY_AFTER.match(rest) or (words and words.match(rest)):
            starts.setdefault(m.start(), "要")
    for m in _DEMAND.finditer(clause):
        if _DEMAND_WHAT.search(clause, m.start()):
            starts.setdefault(m.start(), m.group(0))
    return sorted(starts.items())


# A cue that begins with 前 (双十二 前 要 铺 到) needs the date said before it.
_DEADLINE_CUE = re.compile(r"(?:之|以)?前")


def _word_start(text: str, pos: int) -> int:
    """The start of the spaced word holding `pos` (a cut never falls inside a word: 节|前)."""
    return text.rfind(" ", 0, pos) + 1


def _pieces(span: Span, pack: Pack) -> list[tuple[int, int]]:
    """A word-spaced clause cut where a second need may begin: (start, end) offsets in span.text."""
    text = span.text
    squeezed, keep = squeeze(text)
    cuts = {m.start() for m in _SPACED_CONNECTIVE.finditer(text)}
    bounds = sorted(cuts | {0, len(text)})
    starts = _cue_starts(squeezed, pack)
    for a, b in zip(bounds, bounds[1:]):
        last: tuple[int, str] | None = None  # the cue that began the current piece
        for q, cue in starts:
            if not a <= keep[q] < b:
                continue
            if last is not None and q - last[0] >= _PIECE_GAP and not _TAKES_CLAUSE.fullmatch(last[1]):
                start = _word_start(text, keep[q])
                if start == keep[q] and _DEADLINE_CUE.match(cue):
                    start = _word_start(text, start - 1)  # 双十二 | 前 要 …: the date is the word before
                cuts.add(start)
            if last is None or q - last[0] >= _PIECE_GAP:
                last = (q, cue)  # the first cue keeps what comes before it (its topic)
    edges = sorted(cuts | {0, len(text)})
    return [(a, b) for a, b in zip(edges, edges[1:]) if text[a:b].strip()]


def needs_in(text: str, speaker: str, pack: Pack, ref: str | None = None,
             spans: list[Span] | None = None,
             objecting_clauses: list[tuple[Span, str, str]] | None = None) -> list[NeedStatement]:
    """The need statements in one utterance by `speaker`.

    `objecting_clauses` is objection_clauses() already computed for this text, if at hand.
    """
    if speaker == "rep":
        return []
    parts = spans if spans is not None else clauses(text)
    found = objecting_clauses if objecting_clauses is not None else objection_clauses(text, pack, parts)
    objecting = {(c.start, c.end) for c, _, _ in found}
    out: list[NeedStatement] = []
    previous_was_need = False
    asr_spaced = word_spaced(text)
    for i, c in enumerate(parts):
        spaced = " " in c.text.strip()
        if (c.start, c.end) in objecting and not spaced:
            previous_was_need = False
            continue  # a long transcript clause can object and state a need (必须是正经304的…上次…退货)
        if spaced and asr_spaced:
            supposed = False  # 到时候 …, 如果 … : what follows the condition is hypothetical too
            for a, b in _pieces(c, pack):
                piece = _LEAD.sub("", strip_punct(c.text[a:b]))
                said = squeeze(piece)[0]
                cue = is_need(said, speaker, pack) if piece and not supposed else None
                if (cue is None and speaker == "customer" and previous_was_need and not supposed
                        and _LIST_ITEM.match(said) and not _SPREAD.search(said)):
                    cue = "…"  # 要 两万 个 M12 | 五千 个 M16
                previous_was_need = cue is not None
                if cue is not None:
                    out.append(NeedStatement(strip_punct(piece), speaker, ref, cue))
                supposed = supposed or bool(_HYPOTHETICAL.search(said))
            continue
        said = squeeze(c.text)[0]
        cue = is_need(said, speaker, pack)
        nxt = parts[i + 1] if i + 1 < len(parts) and parts[i + 1].sentence == c.sentence else None
        if cue is not None and nxt is not None and _DEFERRED.search(nxt.text):
            cue = None
        item = strip_punct(said)
        if cue is None and speaker == "customer" and _LIST_ITEM.match(item) and not _SPREAD.search(item) and (
                previous_was_need or (nxt is not None and _LIST_ITEM.match(strip_punct(squeeze(nxt.text)[0])))):
            cue = "…"  # 生抽三十箱，蚝油二十箱先: an order said as a list
        short = len(strip_punct(c.text)) <= _SHORT_ASK
        if cue is not None and short and i > 0 and parts[i - 1].sentence == c.sentence:
            # 带扭矩显示的电动扳手，有没有？ — one need, said in two breaths.
            if previous_was_need:
                continue
            prev = parts[i - 1]
            if (prev.start, prev.end) not in objecting and strip_punct(prev.text):
                out.append(NeedStatement(strip_punct(prev.text + c.text), speaker, ref, cue))
                previous_was_need = True
                continue
        if cue is not None:
            out.append(NeedStatement(strip_punct(c.text), speaker, ref, cue))
        previous_was_need = cue is not None
    return out
