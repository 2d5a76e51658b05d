"""People as sales talk names them: surname + title (王总, 张工, 李经理, 欧阳主任), optionally
after their department (技术部王工, 采购部的李经理, 财务陈姐).

The hard part is what is *not* a person: 一张工单 (a work order), 下周总结 (a summary next
week), 提高总产量, 向总部汇报. A candidate is dropped when the surname character forms a
common word with the character before it (一张, 下周, 提高, 关于) or the title forms one with
the character after it (总结, 总部, 工作, 工厂) — judged against jieba's own dictionary
frequencies rather than a hand list, so it covers words nobody thought of.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from functools import lru_cache

# The common single-character surnames, minus characters that are mostly function words
# in speech (和, 连, 全, 应, 时, 明, 管, 车, 师, 司, 成, 单, 还, 把 …): 连总经理都同意了 is
# "even the general manager agreed", not a 连总.
_SURNAME_ORDER = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武"
    "戴莫孔向汤常温康施牛樊葛邢齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪"
    "梅童凌毕季裴霍涂苗谷盛曲翁冉骆蓝游辛靳柴蒙鲍华喻祁蒲房滕屈饶牟艾穆卓吉缪简项芦麦褚娄窦戚岑景"
    "党宫费卜冷晏席卫米柏宗瞿桂佟臧闵苟邬边卞姬栾隋刁沙巫寇桑郎甄丛仲虞敖巩佘池苑迟邝闻于"
    "阎萧鞠邴奚冀阚鹿邰蒯鄢郜冼邸储裘解文劳蒉粟羊浦揭苍尧扶暴相秘晋鲜战练麻蔚昌"  # rarer, yet said with a title as often as the common ones
    "荣庾栗诸封蔺乐洪贝仇芮羿雍戈燕荆匡巢慕綦容伏祖沃井满植滑辜税铁帅门权卿锺衡萨乌"  # also words (光荣, 诸位, 快乐, 洪水, 宝贝, 容易, 祖国, 水井, 满意, 植物, 滑动, 无辜, 含税, 钢铁, 帅气, 部门, 权利): jieba's frequencies keep those apart, as for the others
    # The rest of 百家姓 that speech rarely uses as a word of its own (not 惠 of 优惠, 况 of 情况, 楚 of 清楚).
    "芶庹翦傅尤湛谌眭禚禹狄茅昝宣贲郁杭钮嵇荀汲糜宓郗仰钭厉戎幸韶蓟鄂赖屠胥莘逄郦郤璩濮扈郏茹宦暨殳夔厍晁訾毋乜竺逯桓缑亢佴谯笪阙禤亓"
    # and those that are words too (薄, 古, 农, 寿, 丰, 步…), kept apart by the same frequency checks
    "薄凤廉皮危巴牧隗蓬束印怀索咸籍贡堵宰寿农习鱼古慎居步弘禄隆勾融养须丰盖益修计况云海"
)
SURNAMES = frozenset(_SURNAME_ORDER)
# Tibetans have no surname: the given name alone names the person, with or without a title (采购部的达瓦经理,
# 仓库的扎西, 卓玛阿佳). The common ones, none of them a Chinese word. Left out: 尼玛 (a swear word in chat).
TIBETAN_GIVEN = ("扎西", "卓玛", "达瓦", "次仁", "多吉", "格桑", "央金", "拉姆", "德吉", "平措", "旺堆", "边巴", "普布",
                 "洛桑", "丹增", "旦增", "索朗", "巴桑", "白玛", "次旦", "顿珠", "米玛", "益西", "强巴", "嘉措", "加措",
                 "曲珍", "卓嘎", "央宗", "贡布", "欧珠", "罗布", "拉巴", "旺姆", "仁增", "群培", "扎巴", "琼达", "德庆")
# Uyghur, Kazakh and Mongolian given names, said the same way (物资部的艾力经理, 财务部的古丽娜尔, 巴特尔大哥): common
# ones that are no Chinese word. Left out: 乌兰 (乌兰察布), 哈斯, 苏和, 伊力 (a liquor), 依明.
STEPPE_GIVEN = ("艾力", "古丽娜尔", "阿依古丽", "帕提古丽", "迪丽娜尔", "古丽", "买买提", "麦麦提", "艾买提", "阿不都",
                "吐尔逊", "热合曼", "艾尔肯", "阿力木", "米吉提", "阿迪力", "热依拉", "努尔兰", "叶尔兰", "巴特尔",
                "其其格", "斯琴", "娜仁", "格日勒", "额尔敦", "宝音", "朝鲁", "图雅", "萨仁")
# Surnames that are everyday words (全院, 安全, 车重, 连工带料, 公司, 代理, 管理, 地区, 利润, 时间, 须采购): a person only
# when spoken to or sought (全院长您好, 喂，车老板嗦, 跟代经理说, 区老板你好, 收到利老板，), never read from a
# misheard title; 时 only when greeted (时总您好: 临时工 and 进场时工 are pauses away from a name).
ADDRESSED_SURNAMES = frozenset("全安车连代司管区利时须")
_GREETED_ONLY = frozenset("时")
_GREETED = re.compile(r"\s*(?:您|你|侬|恁|汝)好")
COMPOUND_SURNAMES = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "慕容", "司徒", "令狐", "夏侯",
                     "尉迟", "公孙", "长孙", "宇文", "轩辕", "端木", "独孤", "南宫", "西门", "百里")

# Before 张 or 周 these make a measure word or a week: 这张工单, 每周工作日.
_COUNTING = frozenset("这那哪每几一二两三四五六七八九十半整上下本该此某各")
_MEASURE_SURNAMES = frozenset("张周万项支条")
# 小王, 老张 are how people are called; never let those block the name.
_NICKNAME_PREFIX = frozenset("小老大")
# 总是, 总要, 总会 after a bare surname read as 王总 + verb: nobody calls a person 王 alone.
# 总和 ("the sum") too: 章总和财务的卜总监 is 章总 + 和, and a sum follows no surname (金额总和, 数量总和).
_TITLE_VERB_OK = frozenset({"总是", "总要", "总会", "总能", "总得", "总算", "总也", "总说", "总在", "总还", "总不", "总和"})
_LEFT_MIN_FREQ = 50
_RIGHT_MIN_FREQ = 10
_WORD_MIN_FREQ = 12  # 包工 (15), 施工; 高工 (10) stays a person


@dataclass(frozen=True)
class PersonSpan:
    """A surname + title found in text, with the department or role word before it."""

    start: int           # of the prefix when there is one, else of the surname
    end: int
    name_start: int      # where the surname starts
    surname: str
    title: str
    prefix: str | None   # 技术部, 财务 … (from the pack's departments and titles)
    text: str            # as written: 医工科的陈工


@lru_cache(maxsize=64)
def _pattern(titles: tuple[str, ...]) -> re.Pattern[str]:
    surname = "|".join(COMPOUND_SURNAMES) + "|[" + "".join(sorted(SURNAMES | ADDRESSED_SURNAMES)) + "]"
    title = "|".join(re.escape(t) for t in sorted(set(titles), key=lambda t: (-len(t), t)))
    return re.compile(f"(?P<surname>{surname})(?P<title>{title})")


# What joins a department to its person: 的; 额 / 个 in Shanghainese (财务科个蒋科长), 嘅 in Cantonese
# (财务部嘅何姐). A transcript may put spaces around it, and a transcript or a hurried chat may write
# 的 as its homophones 得 / 德 / 地, and 个 as 格 (采购部得饶经理).
# Whisper writes 嘅 as 慨 / 揩 / 凯 and 个 as 歌 / 各 / 阁 (财务部慨麦小姐, 音乐组歌施老师).
POSSESSIVE = "的|额|嘅|个|得|德|地|格|慨|揩|凯|歌|各|阁|哩"
_POSSESSIVE_WORDS = tuple(POSSESSIVE.split("|"))
# …or a place word: 财务那边关姐, 供应科的那个祁科长, 车间里的老周, Cantonese 财务嗰边嘅容小姐.
JOINERS = "那边的|这边的|里的|上的|的那个|的那位|那边|这边|嗰边嘅|嗰便嘅|嗰边|那头的|上"
_DEPARTMENT_END = re.compile(r"(?:部|科|处|室|中心|办|组|班)$")
# …and only where a person stands: 技术部的包工到我们展厅, 技术部的叶工对一对 (夜工 heard), not 技术部的施工进度.
_PLACED_AFTER = re.compile(r"$|[\s，,。.！!？?、：:；;]|[吗嘛呢您你说也都在到来去跟和让一提讲觉看对签审核批]")


@lru_cache(maxsize=64)
def _prefix_pattern(prefixes: tuple[str, ...]) -> re.Pattern[str] | None:
    """The department or role word right before a name, matched backwards from the name."""
    if not prefixes:
        return None
    prefix = "|".join(re.escape(p) for p in sorted(set(prefixes), key=lambda p: (-len(p), p)))
    return re.compile(f"(?P<prefix>{prefix})\\s*(?:(?:{POSSESSIVE}|{JOINERS})\\s*)?$")


def _blocked(text: str, s: int, e: int, title: str, freq: Mapping[str, int], titles: Collection[str],
             placed: bool = False) -> bool:
    # 施工, 童工, 加工: the pair is itself a common word — unless a department placed a person there
    # (技术部的包工, 信息科的贝工 name people whose surname and title happen to spell a word).
    # (A two-character title spells no common word with a surname: jieba lists 蒲老板 as a name.)
    if len(title) == 1 and (freq.get(text[s:e]) or 0) >= _WORD_MIN_FREQ and not (placed and _PLACED_AFTER.match(text, e)):
        return True
    if s > 0:
        prev = text[s - 1]
        if prev in _COUNTING and text[s] in _MEASURE_SURNAMES:
            return True
        if prev not in _NICKNAME_PREFIX and (freq.get(prev + text[s]) or 0) >= _LEFT_MIN_FREQ:
            return True
    if e < len(text):
        # The title glued to what follows (总结, 总部, 工作) — unless what follows is itself the
        # stronger word: 王总汇报 is 王总 + 汇报, not 王 + 总汇.
        following = (freq.get(text[e:e + 2]) or 0) if e + 2 <= len(text) else 0
        for n in (2, 1):
            tail = title + text[e:e + n]
            if len(tail) == len(title) + n and tail not in titles and tail not in _TITLE_VERB_OK:
                glued = freq.get(tail) or 0
                if glued >= _RIGHT_MIN_FREQ and glued >= following:
                    return True
    return False


def person_spans(
    text: str,
    titles: Collection[str],
    prefixes: Collection[str] = (),
    freq: Mapping[str, int] | None = None,
) -> list[PersonSpan]:
    """Surname + title mentions in `text`, left to right, without overlaps.

    `titles` are what may follow a surname (总, 工, 经理 …); `prefixes` are department or role
    words that may come before the person; `freq` is a word-frequency dictionary (jieba's)
    used to drop candidates whose characters belong to neighbouring words.
    """
    freq = freq or {}
    found: list[PersonSpan] = []
    # Patterns are cached per word list; callers pass the same tuples every time.
    pattern = _pattern(titles if isinstance(titles, tuple) else tuple(titles))
    before = _prefix_pattern(prefixes if isinstance(prefixes, tuple) else tuple(prefixes))
    pos = 0
    while True:
        m = pattern.search(text, pos)
        if not m:
            break
        s, e = m.start(), m.end()
        p = before.search(text, max(0, s - 16), s) if before is not None else None
        # A prefix ending in the surname's neighbour is the name's department, never the
        # word the left-hand check should judge (技术部王工: 部 + 王 is no word).
        if (p is None and _blocked(text, s, e, m.group("title"), freq, titles)) or (
                p is not None and _blocked(text[p.end():], 0, e - p.end(), m.group("title"), freq, titles,
                                           placed=_DEPARTMENT_END.search(p.group("prefix")) is not None)):
            pos = s + 1
            continue
        if m.group("surname") in ADDRESSED_SURNAMES and (not _spoken_to_or_sought(text, s, e) or (
                m.group("surname") in _GREETED_ONLY and not _GREETED.match(text, e)) or (
                s > 0 and freq is not None and freq.get(text[s - 1:s + 1], 0) >= _LEFT_MIN_FREQ)):  # 大区总监: a word's end
            pos = s + 1
            continue
        if m.group("surname") == "阮" and HOKKIEN.search(text):
            pos = s + 1  # 阮 is Hokkien "our" (阮经理, 阮会计室的施小姐) where the text speaks Hokkien
            continue
        if m.group("surname") == "向" and p is None and _TOWARD_AFTER.match(text, e) and \
                not _NAMED_BY.search(text, max(0, s - 2), s):
            pos = s + 1  # 我向总经理申请, 向分管副院长汇报: "to", not a Mr Xiang (跟向总汇报 still names him)
            continue
        start = p.start() if p is not None else s
        found.append(PersonSpan(start, e, s, m.group("surname"), m.group("title"), p.group("prefix") if p else None,
                                text[start:e]))
        pos = e
    if freq:
        found = _with_misheard(text, found, titles, prefixes, before, freq)
    return found


def _spoken_to_or_sought(text: str, s: int, e: int) -> bool:
    """The name at s:e is greeted or paused after (全院长您好, 连老板 你好), or sought (跟代经理说, 喂，车老板)."""
    if _ADDRESS_AFTER.match(text, e):
        return True
    if _ASKED_IF_AFTER.match(text, e) and (s == 0 or text[s - 1] in _ASKED_IF_BEFORE):
        return True  # 是…供应处的司处长吧？ (not 是园区经理吧: 区 there ends a word)
    if _DEPARTMENT_OF.search(text, max(0, s - 6), s) and text[s] in _SURNAMES_AFTER_DEPARTMENT:
        return True  # 工程部的司经理: a department's person (公司 ends no 部的)
    return bool(_SOUGHT_BY.search(text[max(0, s - 4):s].rstrip(" ，,")))


_DEPARTMENT_OF = re.compile(r"(?:部|科|处|室|办|站|中心|车间)(?:的|嘅)$")
# (not 区, 代, 管: 销售部的区经理, 代经理 and 管经理 are titles as often as names)
_SURNAMES_AFTER_DEPARTMENT = frozenset("全安车连司利须")


_ADDRESS_AFTER = re.compile(r"\s*(?:[，,！!。.？?~～]|$)|\s*(?:您|你|侬|恁)好|\s+")
# Asked on the phone whether one is speaking to that person: 是司处长吧？ Stricter than PHONE_CALL_AFTER
# (below, for misheard names): a mark must follow, and the surname must not end a word (see above).
# (Cantonese: 请问系唔系工程部嘅利工呀？)
_ASKED_IF_AFTER = re.compile(r"\s*(?:吧|吗|嘛|嗦)\s*(?:[，,！!。.？?]|$)|\s*(?:呀|啊|吖)\s*[？?]")
_ASKED_IF_BEFORE = "的是喂 ，,嘅系"
_SOUGHT_BY = re.compile(r"(?:喂|您好|你好|跟|和|同|找|给|问|叫|让|请|对|帮|是)$")


# What one does "to" (向) a superior: ask, report, apply.
_TOWARD_AFTER = re.compile(r"\s*(?:了|过|一下|下)?\s*(?:申请|汇报|请示|反映|报告|报批|争取|打报告|提出|说明|解释|要)")
_NAMED_BY = re.compile(r"(?:跟|和|同|找|给|问|叫|让|请|对|帮|的|与)$")

# Words only Hokkien speech uses: there 阮 is "we / our" far more often than the surname.
HOKKIEN = re.compile(r"佮|恁|毋|攏|揣|佇|代志|头家|参详|彼(?:家|个|款|间)|上济|予(?:你|阮|伊)|早起|看觅|啥物|按呢|这马|即阵|犹原|伊(?:叫|讲|规)|会使|袂")


# Whisper writes a name's surname or its title as a homophone (督主任 for 杜主任, 罗功 for 罗工,
# 王劳师 for 王老师). One-character titles only these: their homophones rarely follow a surname.
_MISHEARD_SHORT_TITLES = ("工", "总", "姐")
# Characters that are grammar, a verb that governs a person, a rank, a number or an organisation
# as said: 是主任 is "is the director", 找财务 "ask finance", 副院长 a deputy, 一工 is 一共.
NOT_A_SURNAME = frozenset("在再的得地是事有又也那哪么吗嘛呢了啦吧就才都还和跟与把被给对向从到这个们老我你他她它您"
                           "找叫请让问帮替陪同带等约见副正总常代前原新"
                           "搭共佮"  # Wu and Hokkien "with" (侬搭老板讲, 我共经理讲): no 笪老板, 龚经理
                           "一二三四五六七八九十两几百千万号"
                           "市省县镇村区院科部处厂店校局司组班室所队"
                           "吓下"  # Cantonese 问吓 / 睇吓 (ask, look a moment): 问吓区域经理 names the rep's own manager
                           "隔")  # 隔天, 隔壁, Hokkien 隔工 (the next day): no 葛工
# A misheard name only for a personal title: 采购 or 财务 after a stray character is an activity.
_SOUND_WORD_MIN_FREQ = 300
_PERSONAL_TITLE = re.compile(r"(?:总|工|长|任|理|师|姐|哥|监|板|董|管|秘书|会计|女士|先生)$")
# …and only where people are named: at a clause start, after a verb that governs a person or a
# possessive, or before an address or a report (下物工程师 is 下午 + 工程师, nobody named 吴).
# Cantonese 同 / 揾 (with, find) and 喺 / 睇 (at, look) name people as 跟 / 找 and 在 / 看 do; 还有 adds one
# to a list of them (跟亢工还有季主冷对一下).
_NAMED_BEFORE = re.compile(r"(?:^|[\s，,。.！!？?、：:；;]|喂|您好|你好|跟|和|同|还有|给|找|揾|问|叫|让|请|向|对|帮|的|们|是)$")
_NAMED_AFTER = re.compile(r"^(?:[\s，,。.！!？?：:；;]|$|您|你|说|那边|这边|的|吗|嘛|好|他|她|也|都|在|喺|要|让|同意|觉得|负责|"
                          r"确认|对一|睇|看|休息|请假|值班|出差|不在|有空|上班|下班|倾|聊|谈|碰|商量|沟通|对接|联系|讲)")


# A weekday ends right before the name (下周二亓主人, 下个礼拜一荀主人): its numeral is the day's, whatever word
# it and the surname sound like (二期, 依循).
PHONE_CALL_BEFORE = re.compile(r"(?:喂|您好|你好|是)[，,\s]*$")
PHONE_CALL_AFTER = re.compile(r"\s*(?:吗|嘛|吧|(?:嗦|啵|不)(?=[\s？?，,。.！!]|$)|(?:您|你|侬|恁)\s*好)")  # Sichuan 嗦, Hunan 啵
_DAY_BEFORE = re.compile(r"(?:周|礼拜|星期)\s*[一二三四五六七日天]\s*$")


@lru_cache(maxsize=1)
def surname_by_sound() -> dict[str, str]:
    """The commonest surname of each toneless syllable."""
    from nlp.pinyin import syllables

    out: dict[str, str] = {}
    for ch in _SURNAME_ORDER:  # commonest first: 喝 → 何, not 贺
        out.setdefault(syllables(ch)[0], ch)
    return out


@lru_cache(maxsize=64)
def _titles_by_sound(titles: tuple[str, ...]) -> dict[tuple[str, ...], str]:
    """Personal titles by their toneless syllables (longest title first for a shared sound)."""
    from nlp.pinyin import fuzzy_syllable, syllables

    out: dict[tuple[str, ...], str] = {}
    for t in sorted(set(titles), key=lambda t: (-len(t), t)):
        if (len(t) > 1 or t in _MISHEARD_SHORT_TITLES) and _PERSONAL_TITLE.search(t) and \
                all("\u4e00" <= c <= "\u9fff" for c in t):
            out.setdefault(syllables(t), t)
    # zh/z and -ng/-n are the commonest accent slips (王终, 孙今理): keyed by the folded
    # syllables too, after every exact key so that an exact sound always wins.
    for t in list(out.values()):
        out.setdefault(tuple(map(fuzzy_syllable, syllables(t))), t)
    return out


_WORD_SOUNDS: dict[int, frozenset[tuple[str, ...]]] = {}


def _word_sounds(freq: Mapping[str, int]) -> frozenset[tuple[str, ...]]:
    """The toneless syllables of common two-character words: 易共 sounds like 一共, so it is not 易工.
    Kept per dictionary object (there is one per process and pack)."""
    from nlp.pinyin import syllables

    got = _WORD_SOUNDS.get(id(freq))
    if got is None:
        got = _WORD_SOUNDS[id(freq)] = frozenset(
            syllables(w) for w, f in freq.items() if len(w) == 2 and f >= _SOUND_WORD_MIN_FREQ)
    return got


@lru_cache(maxsize=64)
def _title_lengths(titles: tuple[str, ...]) -> tuple[int, ...]:
    return tuple(sorted({len(k) for k in _titles_by_sound(titles)}, reverse=True))


@lru_cache(maxsize=64)
def _title_first_sounds(titles: tuple[str, ...]) -> frozenset[str]:
    """The accent-folded first syllables of the personal titles' sounds."""
    from nlp.pinyin import fuzzy_syllable

    return frozenset(fuzzy_syllable(k[0]) for k in _titles_by_sound(titles))


@lru_cache(maxsize=64)
def _misheard_pattern(titles: tuple[str, ...]) -> re.Pattern[str]:
    """A personal title after any Han character (the surname may be misheard), or a surname
    before up to three Han characters (the title may be)."""
    title = "|".join(re.escape(t) for t in sorted(set(_titles_by_sound(titles).values()), key=lambda t: (-len(t), t)))
    surname = "[" + "".join(sorted(SURNAMES)) + "]"
    return re.compile(f"(?=(?P<a>[\\u4e00-\\u9fff])(?P<title>{title}))|(?=(?P<s>{surname})[\\u4e00-\\u9fff])")


@lru_cache(maxsize=64)
def _words_pattern(titles: tuple[str, ...], prefixes: tuple[str, ...]) -> re.Pattern[str]:
    words = sorted({*titles, *prefixes}, key=lambda w: (-len(w), w))
    return re.compile("|".join(re.escape(w) for w in words) or "(?!)")


# Units that Whisper writes for a surname of the same sound (院总 for 袁总, 市总 for 施总, 科经理 for 柯经理):
# a person only when greeted at the start of a clause (喂，院总您好) — 医院总共, 全市总量 are no one.
_UNIT_HEARD_FOR_SURNAME = frozenset("院市科")


def _greeted_unit(text: str, s: int, e: int) -> bool:
    return text[s] in _UNIT_HEARD_FOR_SURNAME and (s == 0 or text[s - 1] in " ，,。！!喂") and bool(_GREETED.match(text, e))


def _with_misheard(text: str, found: list[PersonSpan], titles: Collection[str], prefixes: Collection[str],
                   before: re.Pattern[str] | None, freq: Mapping[str, int]) -> list[PersonSpan]:
    """`found` plus names with a misheard surname or title, reported as the name they stand for.

    Stricter than an exact name: the window as said is no dictionary word, a misheard surname
    forms no word with the character before it, and the name stands where people are named."""
    from nlp.pinyin import fuzzy_syllable, syllables

    key = titles if isinstance(titles, tuple) else tuple(titles)
    pre = prefixes if isinstance(prefixes, tuple) else tuple(prefixes)
    by_sound, title_sound = surname_by_sound(), _titles_by_sound(key)
    lengths = _title_lengths(key)
    firsts = _title_first_sounds(key)
    # 阿X姐 after a department is one person, though 阿 hides its department from X姐 read alone
    nicknames = _placed_nicknames(text, pre)
    if nicknames:
        found = [f for f in found if not any(f.name_start < n.end and n.name_start - 1 < f.end for n in nicknames)]
    taken = [(f.name_start, f.end) for f in found] + [(n.name_start - 1, n.end) for n in nicknames]
    said_words: list[tuple[int, int]] | None = None
    extra: list[PersonSpan] = list(nicknames)
    for m in _misheard_pattern(key).finditer(text):
        s = m.start()
        if m.group("a") is None and fuzzy_syllable(syllables(text[s + 1])[0]) not in firsts:
            continue  # most surname characters are followed by no title-like sound at all
        if m.group("a") is not None:
            said, title = m.group("a"), m.group("title")
            if said in SURNAMES or said in NOT_A_SURNAME and not _greeted_unit(text, s, s + 1 + len(title)):
                continue
            surname = by_sound.get(syllables(said)[0])
            if surname is None:
                continue
            e, said_title = s + 1 + len(title), title
            if s > 0 and text[s - 1] not in _NICKNAME_PREFIX and freq.get(text[s - 1] + said):
                continue  # 督 in 监督主任 belongs to 监督
        else:
            surname, title = m.group("s"), None
            for n in lengths:
                window = text[s + 1:s + 1 + n]
                if len(window) == n and window not in titles:
                    title = title_sound.get(syllables(window)) or title_sound.get(
                        tuple(map(fuzzy_syllable, syllables(window))))
                    if title is not None and len(title) > 1 and not any(a == b for a, b in zip(window, title)):
                        title = None  # a longer title keeps one character as said
                    if title is not None:
                        said_title, e = window, s + 1 + n
                        break
            if title is None:
                continue
        if any(a < e and s < b for a, b in taken):
            continue
        # A word as said (干姐) is still a name right after its department and 的 (财务的干姐).
        p = before.search(text, max(0, s - 16), s) if before is not None else None
        placed = p is not None and p.group("prefix") in _placed_departments(pre) and \
            POSSESSIVE_BEFORE.search(text, p.start(), s) is not None
        if freq.get(text[s:e]) and not placed:
            continue
        if said_words is None:
            # The pack's own words are said as written: 招采经理 is not 招 + 蔡经理, nor 品控经理 品 + 孔经理.
            words = _words_pattern(key, pre)
            said_words = [(w.start(), w.end()) for w in words.finditer(text) if w.end() - w.start() > 1]
        if any(a < e and s < b and (a < s or b > e) for a, b in said_words):
            continue
        # What a homophone of a word reads as: 易共 is 一共, 愿工 员工, 下武工程师 下午 + 工程师.
        sounds = _word_sounds(freq)
        # …unless a surname as written stands where people are named on both sides (喂 伍宗 您好: not 无踪).
        named_both = m.group("a") is None and bool(_NAMED_BEFORE.search(text, 0, s)) and bool(_NAMED_AFTER.match(text[e:e + 4]))
        # …or called on the phone, surname misheard too (喂，是历总吧, 喂胆总吗, 喂，份老师你好).
        named_both = named_both or (bool(PHONE_CALL_BEFORE.search(text, 0, s)) and bool(PHONE_CALL_AFTER.match(text, e)))
        # (和段宫确认 sounds like 河段 too; named on both sides it is 和 + 段工.)
        if not named_both and ((e - s == 2 and syllables(text[s:e]) in sounds) or (
                s > 0 and syllables(text[s - 1:s + 1]) in sounds and not _DAY_BEFORE.search(text, 0, s))):
            continue
        if p is None and not (_NAMED_BEFORE.search(text, 0, s) or _NAMED_AFTER.match(text[e:e + 4])):
            continue
        if (p is None and _blocked(text, s, e, said_title, freq, titles)) or (
                p is not None and _blocked(text[p.end():], 0, e - p.end(), said_title, freq, titles, placed=placed)):
            continue
        start = p.start() if p is not None else s
        assert surname is not None and title is not None  # both found above: for the type checker
        extra.append(PersonSpan(start, e, s, surname, title, p.group("prefix") if p else None,
                                text[start:s] + surname + title))
        taken.append((s, e))
    extra += _placed_misheard(text, taken, key, pre, freq)
    return sorted([*found, *extra], key=lambda f: f.start) if extra else found


@lru_cache(maxsize=64)
def _placed_departments(prefixes: tuple[str, ...]) -> frozenset[str]:
    """The prefixes that name a unit a person belongs to (技术部, 财务), not a role word."""
    return frozenset(p for p in prefixes if _DEPARTMENT_END.search(p) or p in ("财务", "会计", "出纳", "管账"))


# 的 or a stand-in right before a name (财务的干姐, 车间 的 富 主任).
POSSESSIVE_BEFORE = re.compile(f"(?:{POSSESSIVE})\\s*$")


@lru_cache(maxsize=64)
def _placed_pattern(prefixes: tuple[str, ...]) -> re.Pattern[str] | None:
    """A department and what joins it to its person (财务的, 技术部嘅), read forwards."""
    departments = sorted(_placed_departments(prefixes), key=lambda p: (-len(p), p))
    if not departments:
        return None
    return re.compile("(?P<prefix>" + "|".join(map(re.escape, departments)) + f")\\s*(?:{POSSESSIVE})\\s*")


# How a person after their department is addressed, beside the pack's titles (财务的詹小姐, 后厨的顾师傅).
_PLACED_ADDRESS = ("小姐", "阿姨", "大姐", "阿姐", "姑娘", "师傅")


@lru_cache(maxsize=64)
def _placed_titles_by_sound(titles: tuple[str, ...]) -> dict[tuple[str, ...], str]:
    """Titles of two characters or more and the forms of address, by their exact and accent-folded sounds."""
    from nlp.pinyin import fuzzy_syllable, syllables

    out = {k: t for k, t in _titles_by_sound(titles).items() if len(k) >= 2}
    for t in _PLACED_ADDRESS:
        out.setdefault(syllables(t), t)
    for t in _PLACED_ADDRESS:
        out.setdefault(tuple(map(fuzzy_syllable, syllables(t))), t)
    return out


# 阿 + a given name + 姐 / 哥, the south's way to name a colleague (财务个阿娟姐, 财务的阿珠姐): no surname to find.
_NICKNAME_AFTER = re.compile(r"阿(?P<given>[\u4e00-\u9fff])(?P<title>姐|哥)")


def _placed_nicknames(text: str, prefixes: tuple[str, ...]) -> list[PersonSpan]:
    """A person named 阿X姐 / 阿X哥 right after their department and what joins it (财务个阿娟姐)."""
    if "阿" not in text:
        return []
    placed = _placed_pattern(prefixes)
    if placed is None:
        return []
    out: list[PersonSpan] = []
    for m in placed.finditer(text):
        n = _NICKNAME_AFTER.match(text, m.end())
        if n is not None:
            out.append(PersonSpan(m.start(), n.end(), n.start("given"), n.group("given"), n.group("title"),
                                  m.group("prefix"), text[m.start():n.end()]))
    return out


def _placed_misheard(text: str, taken: list[tuple[int, int]], titles: tuple[str, ...], prefixes: tuple[str, ...],
                     freq: Mapping[str, int]) -> list[PersonSpan]:
    """A name right after its department whose surname and title were both misheard (财务的粘小界 for
    财务的詹小姐): the department and 的 say a person comes next, so the title's sound alone names one —
    a title of two characters or more, as said no dictionary word."""
    from nlp.pinyin import fuzzy_syllable, syllables

    placed = _placed_pattern(prefixes)
    if placed is None or not any(w in text for w in _POSSESSIVE_WORDS):
        return []
    title_sound = _placed_titles_by_sound(titles)
    out: list[PersonSpan] = []
    for m in placed.finditer(text):
        s = m.end()
        if s >= len(text) or not "\u4e00" <= text[s] <= "\u9fff" or text[s] in NOT_A_SURNAME or \
                any(a <= s < b for a, b in taken):
            continue
        for n in sorted({len(k) for k in title_sound}, reverse=True):
            window = text[s + 1:s + 1 + n]
            if len(window) < n or not all("\u4e00" <= c <= "\u9fff" for c in window):
                continue
            title = title_sound.get(syllables(window)) or title_sound.get(tuple(map(fuzzy_syllable, syllables(window))))
            # The title as said after a surname no list holds (财务部的单会计, 车间的富主任) is a name as well.
            unlisted = window == title and text[s] not in _NICKNAME_PREFIX and _PLACED_AFTER.match(text, s + 1 + n)
            if title is None or (window == title and not unlisted) or freq.get(text[s:s + 1 + n]) or \
                    ((freq.get(window) or 0) >= _SOUND_WORD_MIN_FREQ and not unlisted):
                continue
            surname = text[s] if text[s] in SURNAMES or unlisted else \
                surname_by_sound().get(syllables(text[s])[0], text[s])
            out.append(PersonSpan(m.start(), s + 1 + n, s, surname, title, m.group("prefix"),
                                  text[m.start():s] + surname + title))
            taken.append((s, s + 1 + n))
            break
    return out
