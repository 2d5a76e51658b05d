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
你们王总 are the selling side and are dropped, and so is the one a customer greets, thanks or
answers by name (沈经理你好, 好的韩经理): in a sales call that is the rep. The rep's own superiors
and back office (我回去跟老板再争取, 财务那边流程卡住了) are dropped too.

Transcripts come spaced (财务 部 的 童 部长), misheard (才够 总监 for 采购总监) and in dialect
(财务部嘅冼小姐, 阿拉财务额包阿姨, 我哋老细, 何生): mentions are found in the text without its
spaces and with the pack's departments and titles read by their sound, and reported as said.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from nlp.names import (COMPOUND_SURNAMES, HOKKIEN, JOINERS, NOT_A_SURNAME, PHONE_CALL_AFTER, PHONE_CALL_BEFORE,
                       POSSESSIVE, POSSESSIVE_BEFORE, STEPPE_GIVEN, SURNAMES, TIBETAN_GIVEN, PersonSpan, person_spans,
                       surname_by_sound)
from nlp.packs import Pack
from nlp.pinyin import fuzzy_syllable, syllables
from nlp.segment import Segmenter, segmenter_for
from nlp.text import gated

# A title that reads as a person on its own; others (采购, 财务, 法务) are also
# activities and need a person context (问问我们财务, 跟采购确认).
_PERSON_SUFFIX = re.compile(r"(?:总监|经理|主任|主管|长|总|师|员|老板|老板娘|董事长|助理|秘书|老师|领导|负责人|专员|总裁|"
                            r"CEO|CTO|CFO|CIO|VP|HR|HRBP|医生|大夫|护士|顾问|董|书记|导购|会计|出纳|总工|业主|创始人|"
                            r"一把手|法人|法人代表|老总|老细|督导|买手|监理|网管|运维|品控|仓管|机修|电工)$")
_PERSON_BEFORE = re.compile(r"(?:我们|你们|咱们|他们|我哋|你哋|佢哋|阿拉|侬拉|公司|厂里|院里|学校|店里|跟|和|同|找|问|问问|给|让|叫|请|等|是|的|嘅)$")
_PERSON_AFTER = re.compile(r"^(?:那边|这边|说|觉得|同意|不同意|审批|签字|确认|在吗|在不在|回来|过来|的意见|的意思|也|都|那里|您好|你好|"
                           r"负责|要求|看了|看过|反馈|提|问|让|讲|定|拍板|批|要|想|的人|[，,。.！!？?]|$)")
# Acknowledgements a name may run into (没问题戴院长, 晓得了蒋园长): an address, like 好的.
_ACKS = r"没问题|冇问题|晓得了|知道了|得嘞|要得|妥了"
_OPENERS = r"(?:您好|你好|喂|哎|诶|嗯|啊|哦|噢|那|对了|好的|好额|好嘞|好咧|好|行|对|是的|谢谢|感谢|多谢|麻烦|辛苦|拜托|不好意思|打扰了|打扰一下|请问|" \
           r"早上好|上午好|下午好|晚上好|侬好|早晨|再见|欢迎|恭喜|哈喽|哈佬|哈啰|哈罗|嗨|[Hh]i|[Hh]ello|HI|实在对不起|对不起|实在抱歉|真抱歉|抱歉|放心吧|明白|收到|" \
           + _ACKS + r"|" \
           r"[，,\s！!~～])*"
# 请问是白沙镇卫生院的林院长吗: the organisation may come between.
# Cantonese asks with 系 / 系咪 / 系唔系 (请问系唔系福满楼嘅黎经理).
# 对，是我我爸… answers; it asks nobody.
# Whisper writes 是 and 请问 as any character of the same sound (请问十…的童科丈吗, 喂，实研中学的…): after
# 喂 or 请问 only, where a call asks who it reaches (not 实在抱歉, 十五万多).
_SHI_HEARD = "事实市十使时式视试世示士"
_ASKING_IS = r"(?:[请情亲轻清][问吻文闻稳])?(?:(?:是|(?:(?<=喂)|(?<=[问吻文闻稳]))[" + _SHI_HEARD + r"]|您是|你是|系唔系|系咪|系(?![统列数])|係唔係|係咪|係)(?!我)"  # 系统培训找…: no 系 (is)
_BEFORE_ADDRESS = re.compile(r"^" + _OPENERS + _ASKING_IS + r"(?:[^，,。？?！!]{1,14}的?)?)?$")
# Asked with a tag question, the one called may come after a longer account of how they got in
# touch (是昨儿个在咱们店小程序上咨询制氧机的钟女士吧).
_BEFORE_ASKED = re.compile(r"^" + _OPENERS + _ASKING_IS + r"[^，,。？?！!]{1,30}的)$")
# 您好 must be the greeting: in 王总您好像… it is 您 + 好像.
# In a transcript a space after the name is the pause (喂 孙总 是 我).
_AFTER_ADDRESS = re.compile(r"^(?:[，,！!。.？?…—~～\s]|、[^，,。？?！!\s、]{1,8}[，,！!]|$|(?:您|你|侬|恁|汝)好(?![像几多久些])|好(?![\u4e00-\u9fff])|早|早上好|上午好|下午好|晚上好|"
                            # (麦总好👋, Hokkien 柯老板食饱未？ — have you eaten, the south's hello)
                            r"食饱未|食饱了未|吃了吗|吃了没|吃饭了吗|吃饭没|"
                            r"辛苦|久等|再见|放心|请|稍等|别担心|别着急|别急|莫着急|莫急|不着急|见谅|留步|慢走|过奖|"
                            r"(?:您|你)(?!好像|好几|好多|好久|好些))")
# Greeted with their department first (成本合约部狄经理您好, 航空系的农主任您好): the one spoken to.
_UNIT_BEFORE_GREETING = re.compile(r"^" + _OPENERS + r"[^，,。？?！!\s]{1,12}(?:部|科|处|室|中心|办|组|系|的|嘅)$")
# What comes before the clause that asks for someone at a call's start: greetings and pauses only.
_CALL_OPENING = re.compile(_OPENERS)
_UNIT_ASKED = re.compile(r"^" + _OPENERS + r"(?:麻烦|请问|打扰一下)?(?:找一下|找下|找)?[^，,。？?！!]{0,16}$")
_SOUGHT_ON_PHONE = re.compile(r"^" + _OPENERS + r"(?:麻烦|请问)?(?:找一下|找下|找)")
_GREETING_AFTER = re.compile(r"^[\s，,]*(?:您|你|侬|恁|汝)好(?![像几多久些])")  # 笪科长，汝好 (Hokkien)
# Asking the listener for something puts the listener right after the verb: 麻烦店长跟老板娘说一声.
_REQUEST_BEFORE = re.compile(r"(?:^|[，,\s])(?:麻烦|拜托|辛苦|劳驾|有劳)$")
# An acknowledgement, thanks or apology run into the name (好的谭科长我今天下午就去)…
_ACK_BEFORE = re.compile(r"(?:好的|好嘞|好咧|好|行|明白|收到|谢谢|多谢|感谢|辛苦|对不起|抱歉|放心吧|不好意思|"
                         + _ACKS + r")[，,\s！!~]*$")
# …unless the name goes on as the subject or object of what follows (好的王总说可以, 好，李工那边我去问).
_NOT_VOCATIVE_AFTER = re.compile(r"^(?:说|讲|话|那边|这边|那里|的|也|都|和|跟|同|他|她|让|要|在|觉得|同意|不|没|已经|刚|会|还|"
                                 r"又|再|就|才|负责|过来|来了|去了)")
# The rep asking their own superior: 请示 / 报批 someone, or 我 … 跟/同/问 someone with no 你/您 between
# (价格我今晚跟老板再磨一磨, 我回去同经理讲讲; 我帮侬去问问经理 asks on the customer's behalf) — the
# customer's boss is 你们老板, 你跟老板…
_REP_ASKS_OWN = re.compile(r"(?:请示|报批)(?:一下|下)?(?:我们|阿拉|我哋)?$")
# 额 / 俺 are 我 in northern speech, 搵 / 揾 Cantonese 找 (额回去跟老板磨一磨, 我要返去搵老板签字), 阮 and 共 Minnan
# 我 and 跟 (价我共老板讲好矣); 窝 / 涡 / 倭 / 斡 are 我 misheard (roles_in reads a misheard 跟 before a name as 跟:
# 价格我根老板磨了一下).
_REP_I_ASK = re.compile(r"(?:我|额|俺|阮|窝|涡|倭|斡)(?!们|哋)(?:(?:帮|替|给)(?:你|您|侬)|[^你您侬，,。？?！!]){0,8}(?:跟|同|共|问|问下|问问|让|叫|找|搵|揾)"
                        r"(?:我们|阿拉|我哋)?$|(?:回去|返去|回公司)(?:再)?(?:跟|同|问|找|搵|揾)$")
# …and only a rep's superiors and back office are asked so (我跟店长对接 is the customer's store manager).
_REP_SUPERIORS = frozenset({"老板", "大老板", "老总", "老细", "领导", "经理", "区域经理", "大区经理", "总监", "财务",
                            "总经理", "厂长"})
# An unnamed back office or manager in the rep's mouth is the rep's own (我去财务那边核一下, 经理那边回复了,
# 这是总监特批的价): the customer's is 您让财务…, and the rep calls a customer's manager by name.
_BACK_OFFICE = frozenset({"财务", "会计", "出纳", "经理", "总监", "区域经理", "大区经理"})
_LISTENER_BEFORE = re.compile(r"你|您|侬|贵司")
# The customer asking the one addressed to look, judge or join: a colleague in the room.
_ASKS_LISTENER = re.compile(r"^[，,\s]*(?:你|您|侬)(?:看|也|觉得|帮|过来|一起|说两句|讲两句|说说|讲讲|来说|来讲)|也过来|一起")
# Jobs held by many people: on their own they name nobody in particular (派工程师过去,
# 老师用着不伤眼), so they count only when addressed or introducing themselves.
_OCCUPATIONAL = re.compile(r"(?:(?<!总)(?:工程|设计|营养|育婴|技|会计)师|员|老师|医生|大夫|护士|工人|师傅|店员|导购|操作工|维修工)$")
_GROUP_AFTER = re.compile(r"^们")
_GROUP_BEFORE = re.compile(r"(?:几个|好几个|一些|很多|不少|各个|各位|所有|有的|其他|别的|两个|三个)(?:的)?$")
# Titles that are also verbs (我们采购五十台).
_VERB_LIKE = frozenset({"采购", "审计", "销售", "监理"})
# An honorific rather than a job: 采购部的王总 is procurement's head.
# 老师 too: schools call any staff 老师 (财务的符老师 is finance).
_HONORIFIC = frozenset({"总", "董", "领导", "老板", "姐", "哥", "老总", "老师"})
_CRAFT = frozenset({"师傅", "师父"})
_VENDOR_IN_UTTERANCE = re.compile(r"你们|贵司|你们公司|您们")
_THIRD_PERSON_NEXT = re.compile(r"^[，,]\s*(?:他|她|他们|她们)")
# 请问是王总吗; a tag question asks the same (是郝经理吧？, 是冯科长不？, 蔡厂长嗦？, 蒋院长伐？, 邝生呀？).
_ASKED_ON_PHONE = re.compile(r"^(?:吗|嘛|(?:吧|不|伐|嗦|噻|呀|啊|么|没|咩|啵|无|是吧|是不是|对吧)(?:\s|[？?，,。！!]|$))")
_SPECIFIC_AFTER = re.compile(r"^(?:那边|这边|说|觉得|同意|反馈|要求|建议)")  # 设计师那边: that designer
_VOCATIVE_VERB = re.compile(r"^(?:您|你)(?:看|觉得|放心|说|稍等|这边|那边|先忙|忙)")  # 滕主任您先忙: a goodbye
_GOVERNED = re.compile(r"(?:跟|和|给|找|问|问问|让|叫|请|向|对|帮|替|陪|同|带|把|被|等|约|见|联系|联络|通知|告诉|转告|汇报给|交给)$")
# Cantonese 我系. 我叫 + a title summons someone (我叫会计打过去, 我叫我们店长小郑跟你核): one's name is no
# title, so 叫 introduces nobody here.
_SELF_INTRO = re.compile(r"(?:我|本人)(?:这边|就|呢)?(?:是|系|姓)[^，,。.？?！!]{0,10}$")
_CLAUSE_ENDS = re.compile(r"\s*(?:[，,。.？?！!；;]|$)")
# The rep names a long company before the title (我是南京华岩节能材料的投标负责人): further back, only the rep's own.
_REP_SELF_INTRO = re.compile(r"(?:我|本人)(?:这边|就|呢)?(?:是|系)(?![^，,。？?！!]*?(?:你|您|贵|侬|想|问|找|给|跟))"
                             r"[^，,。.？?！!\s]{6,14}(?:的|嘅)[^，,。.？?！!\s]{0,4}$")
# Said on the phone without 是: 我采购部汤经理, 我老街烧烤的汤老板 — 我 then the name, or the workplace and
# 的, with no verb between (我找财务的王姐, 我跟他们厂的王总 name someone else). Named people only: 我老板
# is "my boss", and a bare 我王总 too little to go on.
_SELF_PLAIN = re.compile(r"我(?![们哋])(?:就|呢)?(?P<place>[^，,。.？?！!跟和找问让叫给等同帮向对请去来说看]{1,10}的)?$")
# 我叫设备部的李工过来: 叫 there summons someone, it names nobody.
# …or to deal with the listener (我叫技术部嘅Kevin同你对下).
_SUMMONED = re.compile(r"^(?:过来|过去|来|去|一起|一块|他|她|(?:跟|同|和|给|帮)(?:你|您|侬))")
_SELF_DUTY = re.compile(r"(?:我|本人)(?:这边|呢)?(?:主要)?(?:是)?(?:负责|管)(?P<what>[^，,。.？?！!的]{2,4}?)(?:的|这块|这一块|方面|工作|[，,。.？?！!]|$)")
_NOT_A_PERSON_AFTER = re.compile(r"^(?:费|价|款|成本|预算|合同|流程|系统|部|处|科|室|中心|办)")  # 品控部: a department
# 总工 before an amount is 总共 as Whisper writes it, or a homophone read as the title (总公十一万六): a total.
_TOTAL_AMOUNT_AFTER = re.compile(r"(?:[零一二两三四五六七八九十百千万]|[0-9])")
# The rep's own side, asked or told by the rep: 跟服务经理协调, 跟领导申请, 我们产品经理.
# A bare 财务 / 会计 / 出纳 is an office (no labelled set but the two oldest names one as a person).
_DEPARTMENT_WORDS = frozenset({"财务", "会计", "出纳"})
# …unless a person follows (财务的敖孃孃, 会计阿May, 会计小关, 财务 的 司 姐).
_NAME_AFTER = re.compile(r"^\s*(?:的|嘅|个|额)?\s*(?:[小老阿]\s*(?:[\u4e00-\u9fff]|[A-Z])|[A-Z]|[\u4e00-\u9fff]\s*(?:姐|哥|孃孃|阿姨|师傅|总|工))")
_REP_ASKS_STORE = re.compile(r"我(?:要|得|去|再|先)?(?:问|问下|问问|请示|申请)(?:一下|下)?(?:我们|我哋)?$")
_STORE_SAYS = re.compile(r"^(?:话|说|讲|同意|最低|只能|批)")
_REP_STAFF_BEFORE = re.compile(r"(?:常驻|专属|配了?|派了?|驻点|驻场|安排了?|我(?:们)?带(?:上|着|了)?)(?:的|一个|一位|两个|两位|俩)?"
                               r"[^，,。？?！!]{0,3}$")
# The rep sends or has their own staff do something (明天让销售员小李送过去, 我派技术员小王过来).
_REP_SENDS = re.compile(r"(?:我|我们|我这边|我们这边)?(?:明天|后天|下周[一二三四五六日天]?|到时候?)?(?:让|派|叫|安排)(?:我们)?(?:的)?$")
_SALES_TITLE = re.compile(r"销售|业务|客服|售后|导购|售前|实施|安装")
# …so the rep names the customer's staff by title and nickname only as theirs or as sought (跟你们仓管小卢对一下).
_THEIRS_OR_SOUGHT = re.compile(r"(?:你们|您们|你哋|侬拉|恁|贵司|贵院|贵校|贵厂)(?:的|嘅|个|额)?$|(?:跟|和|同|找|给|发|问|搵|寻|揣)$")
_REP_STAFF_AFTER = re.compile(r"^(?:常驻|驻场|驻点|上门|过去|过来)")
_REP_OWN_AFTER = re.compile(r"^(?:\s*(?:协调|申请|请示|商量|沟通|汇报|批|报批|确认一下))")
# The rep asked their own boss (价钱我问过老细, 我请示了领导): a bare title after it is the rep's side.
_REP_ASKED_BEFORE = re.compile(r"我(?:已经|都|也|刚|专门|特意|特地)?(?:问过|问了|请示过|请示了|问咗)$")
_PERK_AFTER = re.compile(r"(?:福利|特价|专享|推荐价|价(?![格钱位值]))")  # not 跟老板价格谈好了
_REP_OWN_BEFORE = re.compile(r"(?:我们|我司|公司|咱们)[^，,。？?！!\s]{0,4}$")
# A list of people addressed at once: 钱总、孙工，…
# Who uses what is bought, said of a person named: before (平时用系统的是…) or after (…在用, …，佢负责日常用).
_USER_BEFORE = re.compile(r"(?:平时|日常|天天|每天|以后|主要)?(?:用|使用|操作)(?:这|那|呢|迭)?(?:套|台|个|款|部|批)?"
                          r"(?:系统|设备|机器|仪器|软件|平台|它)?(?:的|嘅)(?:是|系|就是)"
                          r"[^，,。？?！!；;]{0,8}$")
_USES_AFTER = re.compile(r"(?:(?:主要)?(?:在|喺)(?:用|使用|操作|顾)|(?:领着|带着|带人)用|[，,]?(?:以后|今后)?(?:他|她|佢|伊)?(?:们|哋|班人|几个)?(?:负责)?"
                         r"(?:日常|平时|天天|每天|日日)(?:都)?(?:在|喺)?(?:用|使用|操作|巡检|点检)|"
                         r"[，,]?(?:他|她|佢|伊)?(?:们|哋)?负责(?:操作|使用))"
                         r"(?![餐饭膳心力功])")
_OF_THE_NEXT = re.compile(r"\s*(?:的|嘅|个|嗰)\s*")
# Titles that also name an office (前台的汤组长, 财务的初姐): before another person, the office.
_OFFICE_TITLES = frozenset({"前台", "行政", "财务", "会计", "出纳", "客服", "售后", "后勤"})
_LISTED_BEFORE = re.compile(r"^(?:[^，,。？?！!、]{1,8}、)+$")
# A department's person by nickname or English name (财务部小齐, 设备科的老常, IT部嘅Ricky); an English
# word needs the possessive (技术部Java工程师 names a skill).
_NICKS = frozenset("小老阿")
_NICKNAME = re.compile(r"\s*(?:(?:的|嘅|额)?\s*(?P<nick>[小老阿])\s*(?P<surname>[" + "".join(sorted(SURNAMES)) + r"])"
                       r"|(?:的|嘅|额)\s*(?P<latin>[A-Z][a-z]{2,})(?![A-Za-z])"
                       # 管账的阿秀: 阿 and a given name, after a department's 的 (not kin: 的阿姨; not 阿拉 "we")
                       r"|(?:的|嘅|额)\s*阿(?P<given>[^\W\dA-Za-z姨姐哥叔婆公伯妈爸嫂爷妹弟奶娘嬷拉里胶门根尔]))")
# Forms of address after a surname (冼小姐, 温姑娘, 包阿姨, 黄阿姐), found here rather than as pack titles: as
# words of the vocabulary they would pull homophones in (肖姐 → 小姐), and alone they are anyone
# (阿姨，给孙子买东西啊 to a shopper); an elderly shopper is addressed as kin (栾大爷您好, 蔡伯伯). Cantonese X生 /
# X太 (何生, 何太: Mr / Mrs X) and X师傅 only as an address: 生 and 太 after a surname are more often words (姚太贵了),
# and the rep's own fitter is a 师傅 too.
_ADDRESS_FORM = gated(r"(?P<surname>" + "|".join(COMPOUND_SURNAMES) + r"|[" + "".join(sorted(SURNAMES)) + r"])"
                           r"\s*(?P<title>小姐|姑娘|阿姨|阿姐|大姐|孃孃|大爷|伯伯|阿伯|奶奶|爷爷|大妈|大娘|阿婆|婆婆|生|太|师傅|师父|叔|伯(?![父母伯]))")
_ADDRESS_ONLY = frozenset({"生", "太", "师傅", "师父", "伯"})  # 师父: Whisper's 师傅
# …and X师傅 the customer's person one is sent to or calls (找后厨的綦师傅, 打俾卢师傅): the rep's own
# fitter is sent, not sought (我派王师傅过去).
# The one called may be named as kin first (打俾我老公黎生); Hokkien 揣 / 佮 are 找 / 跟.
# Hokkien 共 is 跟 too; Wu 打电话拨 is 打电话给.
_SOUGHT_BEFORE = re.compile(r"(?:找|寻|揾|揣|打俾|打给|打电话(?:拨|给|俾)|同|和|跟|佮|共|问|问下|问问|拜访|联系|约)"
                            r"(?:[^，,。！!？?\s]{1,4}(?:的|嘅|个|得|德)|\s*(?:我|阮)?\s*(?:老公|老婆|爱人|先生|太太))?\s*$")


def _sought_master(text: str, title: str, start: int) -> bool:
    """X师傅 (or Cantonese X生 / X太) at `start` is someone the speaker goes to or calls."""
    if title not in ("师傅", "师父", "生", "太"):
        return False
    if _SOUGHT_BEFORE.search(text, max(0, start - 10), start):
        return True
    # 给吕师傅打电话: called, the 给 before and the call after (the surname may be a compound one)
    end = text.find(title, start) + len(title)
    return text[max(0, start - 1):start] == "给" and bool(_CALLED_AFTER.match(text, end))


_CALLED_AFTER = re.compile(r"\s*(?:打(?:个|只|一个)?电话|打手机|打个招呼)")
# Surnames names.py leaves out as more often grammar or words (单价, 车间, 管理, 成本, 应该): a person only when
# spoken to at the start of a clause (喂单总吗, 车总，跟您再唠唠, 单工您好).
# Whisper writes the surname before 师傅 / 小姐 as a homophone (仓库的匈师傅 for 熊师傅, 同悦师傅 for 岳师傅):
# a character not in the surname list, sounding as a surname, where people are named, is a name.
_MISHEARD_ADDRESS = re.compile(r"(?:(?<=[的嘅个找跟同和给问揾揣佮共\s，,。！!？?])|^)(?P<said>[\u4e00-\u9fff])\s*(?P<title>师傅|小姐|伯伯|大爷)")
# names.py's grammar characters, not its places and units (市 / 院 / 科 may be Whisper's 施 / 袁 / 柯), and the
# words that say who, not whose name (找个好师傅, 一位男师傅).
_NOT_SAID_SURNAME = (NOT_A_SURNAME - frozenset("市省县镇村区院科部处厂店校局司组班室所队吓下隔")) | frozenset("位名好坏旧大真假男女专每各某靓")
_WEAK_SURNAME = gated(r"(?P<surname>[单车管成应])(?P<title>总|工|经理|主任|科长|厂长|店长|老板)|"
                           # 那总您好: Mr Na only when spoken to (那总经理, 那总价 are "that")
                           r"(?P<na>那)(?P<na_title>总)(?=\s*(?:您|你)好|\s*[，,！!]\s*(?:您|你)好)")
# A mother or father addressed by the child's doubled pet name (朵朵妈妈, 乐乐爸): how a baby shop's staff speak
# to a parent. Only as an address: 宝宝妈妈 and the kin words themselves (爸爸妈妈) name nobody.
_PARENT_OF = re.compile(r"(?P<kid>(?P<c>[\u4e00-\u9fff])(?P=c))(?P<title>妈妈|爸爸|妈咪|爹地|妈|爸)")
_NOT_A_PET_NAME = frozenset("爸妈哥姐弟妹爷奶姥婆公娃宝孩人天个家常刚渐慢好我你您他她是")
# A Tibetan, Uyghur, Kazakh or Mongolian given name, then 阿佳 / 啦 (elder sister; the polite particle) or 大哥 / 大姐 —
# not the greeting 扎西德勒, the 格桑花 or 罗布泊. Longest first: 古丽娜尔 before 古丽.
_TIBETAN_NAME = re.compile("(?P<given>" + "|".join(sorted(TIBETAN_GIVEN + STEPPE_GIVEN, key=len, reverse=True)) +
                           r")(?!德勒|花|泊)(?P<honorific>阿佳|啦|大哥|大姐)?")
_NOT_DIRECTOR_CHE = re.compile(r"何|意|务|性")  # 车主任何时候, 车主任意停放: the car's owner
_SANG_AFTER = re.compile(r"\s*(?:[，,！!？?。\s]|呀|啊|吗|嗎|嗦|你好|您好|早晨|下昼好|唔好意思|$)")
# With the dialects' possessives: Cantonese 我哋 / 你哋, Shanghainese 阿拉 (we) / 侬拉 (you).
_OUR_SIDE = re.compile(r"(?:我们|我司|我们公司|咱们|我哋|阿拉)(?:的|嘅|额|这边的|那边的)?$")
# 跟你老板讲, 您领导: the rep's own superior, seen from the customer (a surname is the person: 你王总 is rare).
_YOUR_SUPERIOR = re.compile(r"(?:你|您|侬)(?:的|嘅|个)?$")
# A shopper's WeChat hail (在不 老板, 老板在吗): the seller addressed, whoever minds the shop.
_HAILS = r"在吗|在不|在么|在嘛|在不在|在伐|喺唔喺度|喺度吗"
_SELLER_HAILED_BEFORE = re.compile(r"(?:^|[，,。！!？?\s])(?:" + _HAILS + r"|你好|您好|哈喽|hello)[，,\s]*$", re.IGNORECASE)
_SELLER_HAILED_AFTER = re.compile(r"^[，,\s]*(?:" + _HAILS + r")")
_SELLER_TITLES = frozenset({"老板", "老板娘", "老细", "老细娘"})
# The rep's own office (贵阳办事处的宋工) or colleague come along (我下礼拜三跟宋工一起再过来一趟).
_REP_OFFICE_BEFORE = re.compile(r"(?:办事处|分公司|服务站|售后部|售后中心)(?:的|嘅|个)?$")
_REP_GOES_WITH = re.compile(r"我(?![们哋])[^，,。？?！!你您]{0,8}(?:跟|和|同)$")
_REP_COMES_WITH = re.compile(r"^(?:一起|一块儿?|一道)(?:再|又)?(?:过来|过去|来|去|上门|到)")
# 我丛团长啊: a caller naming themself, the name closing the clause.
_SELF_NAMED_AFTER = re.compile(r"^\s*(?:啊|呀|哈|嘛|哦|喔|呢)?\s*(?:[，,。！!？?]|$)")
_THEIR_SIDE = re.compile(r"(?:你们|您们|贵司|你们公司|您那边|你们那边|你哋|侬拉)(?:的|嘅|额)?$")


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
    address_only: bool = False  # a person only if spoken to (单总, 何生)


# Polite forms that name nobody without a surname: 我先生 is the speaker's husband, 林先生 a person.
_SURNAME_ONLY = frozenset({"先生", "女士"})


@lru_cache(maxsize=64)
def _bare_pattern(pack: Pack) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(titles, prefix-before-a-title): the prefix is matched backwards from the title."""
    titles = sorted({*(t for t in pack.titles if len(t) > 1 and t not in _SURNAME_ONLY),
                     *(t for t in pack.rep_titles if len(t) > 1)},
                    key=lambda t: (-len(t), t))
    # A functional title may qualify another one (电工班长, 总部采购): both act as prefixes.
    depts = sorted({*pack.departments, *(t for t, r in pack.titles.items() if len(t) > 1 and r != "other")},
                   key=lambda d: (-len(d), d))
    d = "|".join(re.escape(x) for x in depts)
    t = "|".join(re.escape(x) for x in titles)
    return re.compile(f"(?P<title>{t})"), re.compile(f"(?P<prefix>{d})\\s*(?:(?:{POSSESSIVE}|{JOINERS})\\s*)?$")


@lru_cache(maxsize=64)
def _nickname_pattern(pack: Pack) -> re.Pattern[str]:
    """A department or functional title, then a nickname or an English name (财务部小齐)."""
    # A person's own title before a name is apposition (导购小霍, 工程师小段), not whose person it is.
    # An office that runs things (运营部嘅Jason) makes no role of a bare name.
    depts = sorted({*(d for d, r in pack.departments.items() if r != "other"),
                    *(t for t, r in pack.titles.items() if len(t) > 1 and r != "other" and not _PERSON_SUFFIX.search(t))},
                   key=lambda d: (-len(d), d))
    return re.compile("(?P<prefix>" + "|".join(re.escape(x) for x in depts) + ")" + _NICKNAME.pattern)


_INSPECTS = re.compile(r"质检|检验|质量|品控|化验")


@lru_cache(maxsize=64)
def _apposition_pattern(pack: Pack) -> re.Pattern[str]:
    """A person's own title, then their nickname (会计小闫, 仓管小卢, 质检员小沈, 厨师长老焦): one person, named
    by what they do — as colleagues and bosses speak of staff."""
    titles = sorted({t for t in pack.titles if len(t) > 1 and _PERSON_SUFFIX.search(t) and t not in pack.rep_titles
                     and all("\u4e00" <= c <= "\u9fff" for c in t)}, key=lambda t: (-len(t), t))
    # (a title the pack lacks only from a word's start: 我们店长小殷 is no 们店长)
    return re.compile("(?P<prefix>" + "|".join(map(re.escape, titles)) +
                      r"|(?:(?<![\u4e00-\u9fff])|(?<=[的个嘅额们找给跟问让叫和同与是]))[\u4e00-\u9fff]{1,2}?(?:员|师|长))"
                      r"\s*(?P<nick>[小老阿])\s*(?P<surname>[" + "".join(sorted(SURNAMES)) + r"])(?![\u4e00-\u9fff]{0,1}[吗嘛])")


# A unit the pack does not list that uses what is bought — a workshop, a teaching group or faculty, a
# team, a station or centre (汽车系的敖主任, 体育组个俞老师, 教练队的鲜队长, 兽医站个虞医生, 视光中心的符主任) —
# and, in hospitals, a clinical department (血透室的芮护士长); offices that run things are not users.
_UNIT_OF = r"\s*(?:的|个|嘅|嗰|哩)\s*$"  # 哩: the Henan 的 (教练组哩牛组长)
_USING_UNIT_BEFORE = re.compile(r"(?P<unit>前台|[\u4e00-\u9fff]{1,6}?(?:车间|系|组|队|站|中心|舍|(?<![值上加下早晚夜跟中白轮替])班))"
                                + _UNIT_OF)
_CLINICAL_UNIT_BEFORE = re.compile(r"(?P<unit>[\u4e00-\u9fff]{1,5}?(?:科|室))" + _UNIT_OF)
_RUNNING_UNIT = re.compile(r"办公|行政|总务|资产|基建|后勤|财务|采购|人事|营运|运营|市场|销售|设备|信息|医务|党|工会|招生|"
                           r"项目|工作|领导|小组|保卫|宣传|教务|学生|团委|质控|审计|法务|综合|管理|客服|售后|物流|配送|调度")


def _using_unit(text_before: str, pack: Pack) -> bool:
    """Whether the words right before a person name a unit that uses the product (see _USING_UNIT_BEFORE)."""
    text_before = text_before.replace(" ", "")  # 配种 舍 的: a transcript's word spaces
    m = _USING_UNIT_BEFORE.search(text_before) or (
        _CLINICAL_UNIT_BEFORE.search(text_before) if pack.id == "medical_devices" else None)
    return m is not None and not _RUNNING_UNIT.search(m.group("unit") or "")


def _role_of(found: _Found, pack: Pack, text_before: str = "") -> str:
    """The head title's role when it names a function (总部采购, 电工班长), else the prefix's — or
    user after a unit the pack does not list that uses the product (汽车系的敖主任)."""
    head = pack.titles.get(found.title, "other")
    if found.title in _CRAFT and not (found.prefix and found.prefix in pack.titles):
        # 车间的苏师傅, 后厨的韩师傅: a craftsman of the unit, not the one who runs or uses the purchase
        # (行政总厨龙师傅 is the head chef: the functional title says what they do)
        return head
    if not found.prefix and (head == "other" or found.title in _HONORIFIC) and text_before and \
            _using_unit(text_before, pack):
        return "user"
    if found.prefix:
        prefix_role = pack.departments.get(found.prefix) or pack.titles.get(found.prefix)
        if prefix_role is None and found.title in _NICKS:
            # A trade the pack does not list before a nickname: an inspector checks the goods, a 治疗师 or
            # 厨师 works with them, anyone else (保管员老邱) is other.
            return "technical" if _INSPECTS.search(found.prefix) else "user" if found.prefix.endswith("师") else "other"
        if prefix_role == "other":
            return head  # 运营部的滕总: an office that runs things says nothing; the title does
        if prefix_role and (head == "other" or found.title in _HONORIFIC):
            return prefix_role
        if prefix_role and found.prefix in pack.departments and found.prefix not in pack.titles and head != "other":
            # A department before a functional title: the title says what they do.
            return head
    return head


def _mentions(text: str, pack: Pack, seg: Segmenter | None, persons: list[PersonSpan] | None) -> list[_Found]:
    if persons is None:
        persons = (seg or segmenter_for(pack)).persons(text)
    titles_re, prefix_re = _bare_pattern(pack)
    known = (seg or segmenter_for(pack)).known
    # 阿拉姆妈 (Shanghai: our mum) holds no 拉姆
    given = [m for m in _TIBETAN_NAME.finditer(text) if not (m.start() > 0 and known(text[m.start() - 1:m.start() + 1]))]
    # 艾力经理 is Manager Ali, not a misheard 李经理 inside the name
    found = [_Found(p.start, p.end, p.text, p.surname, p.title, p.prefix, p.name_start) for p in persons
             if not any(m.start() < p.name_start < m.end() for m in given)]
    covered = [(f.start, f.end) for f in found]
    for m in _nickname_pattern(pack).finditer(text):
        s, e = m.span()
        if any(a < e and s < b for a, b in covered):
            continue
        if m.group("surname"):
            pair = text[m.start("surname"):m.start("surname") + 2]
            if len(pair) == 2 and known(pair):
                continue  # 老马上: 马上 is a word, no 老马
            title = m.group("nick")
        else:
            title = ""
        found.append(_Found(s, e, text[s:e], m.group("surname"), title, m.group("prefix"), m.start("prefix")))
        covered.append((s, e))
    for m in _apposition_pattern(pack).finditer(text):
        s, e = m.span()
        pair = text[m.start("surname"):m.start("surname") + 2]
        if any(a < e and s < b for a, b in covered) or (len(pair) == 2 and known(pair)) or \
                m.group("prefix") in pack.rep_titles:
            continue  # 小马上: 马上 is a word, no 小马
        found.append(_Found(s, e, text[s:e], m.group("surname"), m.group("nick"), m.group("prefix"), m.start("prefix")))
        covered.append((s, e))
    for m in _ADDRESS_FORM.finditer(text):
        s, e = m.span()
        compound = len(m.group("surname")) == 2  # 司徒小姐: the surname is itself a dictionary word
        # 凌小姐: jieba lists 凌小 and 凌小姐 as words (names it saw); after a title of two characters
        # only a longer word (于小姐姐) or one across the surname (如何生) rules the person out.
        long_title = len(m.group("title")) >= 2
        if any(a < e and s < b for a, b in covered) or (s > 0 and known(text[s - 1:s + 1])) or \
                (not compound and not long_title and known(text[s:s + 2])) or \
                (known(text[s:e]) and not long_title) or (long_title and known(text[s:e + 1])):
            continue  # 卫生, 毕生, 如何生, 于小姐姐: words, nobody called 卫 or 何
        p = prefix_re.search(text, max(0, s - 16), s)
        # (X师傅 goes on: whose it is, the customer's or the rep's fitter, is judged with the speaker.)
        if m.group("title") in _ADDRESS_ONLY and m.group("title") != "师傅" and p is None \
                and not _SANG_AFTER.match(text, e) and not _sought_master(text, m.group("title"), s):
            continue  # X生 stands alone as an address, or after the department (财务部嘅谭生倾下)
        start = p.start() if p else s
        found.append(_Found(start, e, text[start:e], m.group("surname"), m.group("title"),
                            p.group("prefix") if p else None, s))
        covered.append((start, e))
    for m in _PARENT_OF.finditer(text):
        s, e = m.span()
        if m.group("c") in _NOT_A_PET_NAME or any(a < e and s < b for a, b in covered):
            continue
        found.append(_Found(s, e, text[s:e], None, m.group("title"), None, s, address_only=True))
        covered.append((s, e))
    for m in _MISHEARD_ADDRESS.finditer(text):
        s, e, said = m.start(), m.end(), m.group("said")
        surname = surname_by_sound().get(syllables(said)[0])
        if said in SURNAMES or said in _NOT_SAID_SURNAME or surname is None or any(a < e and s < b for a, b in covered) \
                or known(text[s - 1:s + 1]) or known(text[s:s + 2]):
            continue  # 好师傅, 老师傅, 的士: words and grammar, nobody misheard
        p = prefix_re.search(text, max(0, s - 16), s)
        start = p.start() if p else s
        # reported as said: the character may be a surname the list lacks (财务 的 连 小姐)
        found.append(_Found(start, e, text[start:e], surname, m.group("title"),
                            p.group("prefix") if p else None, s))
        covered.append((start, e))
    for m in _WEAK_SURNAME.finditer(text):
        s, e = m.span()
        if any(a < e and s < b for a, b in covered) or known(text[s:e]) or (s > 0 and known(text[s - 1:s + 1])):
            continue  # 车工 is a lathe hand, 订单总 the order's total
        if text[s:e] == "车主任" and not _NOT_DIRECTOR_CHE.match(text, e):
            # 车主任 is no 车主 (a car's owner) but Director Che, wherever named (与车主任一起, 实训中心的车主任)
            p = prefix_re.search(text, max(0, s - 16), s)
            start = p.start() if p else s
            found.append(_Found(start, e, text[start:e], "车", "主任", p.group("prefix") if p else None, s))
            covered.append((start, e))
            continue
        found.append(_Found(s, e, text[s:e], m.group("surname") or m.group("na"), m.group("title") or m.group("na_title"),
                            None, s, address_only=True))
        covered.append((s, e))
    for m in given:
        s, e = m.span()
        if any(a < e and s < b for a, b in covered):
            continue
        t = titles_re.match(text, e)  # 达瓦经理: the title the pack knows, else the name alone (卓玛阿佳)
        title = t.group("title") if t is not None and t.group("title") not in pack.rep_titles else ""
        end = t.end() if t is not None and title else e
        p = prefix_re.search(text, max(0, s - 16), s)
        start = p.start() if p else s
        found.append(_Found(start, end, text[start:end], m.group("given"), title, p.group("prefix") if p else None, s))
        covered.append((start, end))
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


_WORD_SPACE = frozenset(" \t\u3000")


def _squeezed(text: str) -> tuple[str, list[int]]:
    """`text` without a transcript's word spaces (财务 部 的 童 部长, 邢 总), and the offset in `text` of
    each character kept: names and departments are found as said without the spaces."""
    keep = [i for i, ch in enumerate(text) if ch not in _WORD_SPACE]
    return "".join(text[i] for i in keep), keep


@lru_cache(maxsize=64)
def _role_sounds(pack: Pack) -> tuple[dict[tuple[str, ...], str], dict[str, tuple[int, ...]]]:
    """The pack's departments and titles of three characters or more by their toneless syllables, for
    reading a misheard one as itself (财物部 → 财务部, 才够总监 → 采购总监, 社备科 → 设备科), and their
    lengths by last character. Shorter words are left alone: two syllables sound like too many everyday
    words (财物, 才够)."""
    words = sorted({w for w in (*pack.departments, *pack.titles)
                    if len(w) >= 3 and all("\u4e00" <= c <= "\u9fff" for c in w)}, key=lambda w: (-len(w), w))
    sounds: dict[tuple[str, ...], str] = {}
    heads: dict[str, set[int]] = {}
    for w in words:
        sounds.setdefault(syllables(w), w)
        heads.setdefault(w[-1], set()).add(len(w))
    return sounds, {h: tuple(sorted(ns, reverse=True)) for h, ns in heads.items()}


# Two-character titles said after a surname (牛经理, 尤会计, 简师傅): Whisper writes them as any word that sounds
# the same (牛经历, 简师富, 溶主人). 老师 is left out: 老是 / 老实 follow a name too often.
_SOUNDED_TITLES = ("经理", "主任", "主管", "总监", "会计", "科长", "处长", "部长", "院长", "校长", "厂长", "店长", "馆长",
                   "师傅", "律师", "医生", "护士", "老板", "组长", "所长", "站长", "场长",
                   # forms of address (蓝销解 → 蓝小姐, 宓阿议 → 宓阿姨, 侯娘孃 → 侯孃孃)
                   "小姐", "阿姨", "孃孃")
# A window that is a word of its own (经历, 不涨) is read as the title only where a name's sentence goes on after it.
_AFTER_NAME = frozenset("，,。.！!？?；; 说讲那这的嘅个在来去看签审吧吗呢啊呀哈也都和跟同他她我你您侬汝恁")


@lru_cache(maxsize=1)
def _title_sounds() -> dict[tuple[str, ...], str]:
    return {syllables(t): t for t in _SOUNDED_TITLES}


@lru_cache(maxsize=1)
def _folded_title_sounds() -> dict[tuple[str, ...], str]:
    """The titles by their accent-folded syllables (院展 → 院长, 医深 → 医生)."""
    return {tuple(map(fuzzy_syllable, syllables(t))): t for t in _SOUNDED_TITLES}


def _as_titles_after_surnames(text: str, known: Callable[[str], bool]) -> str:
    """`text` with a two-character window after a surname that sounds like a title written as that title."""
    sounds = _title_sounds()
    chars = list(text)
    changed = False
    hokkien: bool | None = None
    for i in range(len(text) - 2):
        if text[i] not in SURNAMES or text[i + 1:i + 3] in _SOUNDED_TITLES:
            continue
        if text[i] == "阮":
            hokkien = bool(HOKKIEN.search(text)) if hokkien is None else hokkien
            if hokkien:
                continue  # 阮管账的: Hokkien "our bookkeeper", no 阮馆长
        said = syllables(text[i + 1:i + 3])
        title = sounds.get(said)
        if title is None:
            # By the folded sound only where the first character is the title's own and the name's sentence
            # goes on after it (院展呀 → 院长; not 汤女士 → 律师, 顾总讲下… or 跟李总讲。 → 总监).
            title = _folded_title_sounds().get(tuple(map(fuzzy_syllable, said)))
            # (跟李总讲。 is 李总 and a verb: 讲 / 说 / 问 after a bare title is said, not heard wrong)
            if title is not None and (text[i + 1] != title[0] or not (i + 3 == len(text) or text[i + 3] in _AFTER_NAME)
                                      or text[i + 2] in "讲说问"):
                title = None
        if title is None or (i > 0 and known(text[i - 1:i + 1])) or known(text[i:i + 3]):
            continue  # 工作经历: no surname; a name jieba knows whole is no title
        if known(text[i + 1:i + 3]) and not (i + 3 == len(text) or text[i + 3] in _AFTER_NAME):
            continue  # 钱总共就三十万, 价钱不涨了: words, not 钱总工, 钱部长
        chars[i + 1:i + 3] = title
        changed = True
    return "".join(chars) if changed else text


def _as_role_words(text: str, edges_of: Callable[[], set[int]], pack: Pack, known: Callable[[str], bool]) -> str:
    """`text` with each window that sounds like one of the pack's departments or titles written as it.

    Unlike analyze()'s homophone reading this one trusts a grammar character at the start (才购部 is
    采购部: a department is no everyday phrase) but asks for the head as said — 部, 科, 总监 — so that
    only the qualifier can be misheard; the window is no dictionary word and starts and ends on a word's
    edge (`edges_of`, asked only once a window sounds right: segmenting costs more than listening)."""
    sounds, heads = _role_sounds(pack)
    syl: tuple[str, ...] | None = None
    edges: set[int] | None = None
    chars = list(text)
    done = 0  # corrections do not overlap
    for j, ch in enumerate(text):
        for n in heads.get(ch, ()):
            i = j + 1 - n
            window = text[i:j + 1]
            if i < done or not all("\u4e00" <= c <= "\u9fff" for c in window):
                continue
            syl = syl or syllables(text)
            word = sounds.get(syl[i:j + 1])
            if word is None or word == window or known(window):
                continue
            edges = edges if edges is not None else edges_of()
            if i in edges and j + 1 in edges:
                chars[i:j + 1] = word
                done = j + 1
                break
    return "".join(chars)


@lru_cache(maxsize=64)
def _unit_sounds(pack: Pack) -> tuple[dict[tuple[str, ...], str], tuple[int, ...]]:
    """The pack's departments and two-character functional titles (财务, 采购; not `other`) by their
    accent-folded syllables, and their lengths, longest first. A longer title is a person, not a unit
    (钟经理 sounds like 总经理)."""
    words = sorted({w for w, r in (*pack.departments.items(), *((t, r) for t, r in pack.titles.items() if len(t) == 2))
                    if r != "other" and 2 <= len(w) <= 4 and all("\u4e00" <= c <= "\u9fff" for c in w)},
                   key=lambda w: (-len(w), w))
    sounds: dict[tuple[str, ...], str] = {}
    for w in words:
        sounds.setdefault(tuple(map(fuzzy_syllable, syllables(w))), w)
    return sounds, tuple(sorted({len(w) for w in words}, reverse=True))


_TITLE_AFTER_NAME = re.compile("|".join(("大姐", "大哥", "姐", "哥", "总", "工", *_SOUNDED_TITLES)))
# 的 and its stand-ins between a unit and its person, 嘅 / 个 as Whisper writes them included.
_OF_A_NAME = "".join(POSSESSIVE.split("|"))


# Where a name may start: after 的 or a stand-in, or at a surname as written.
_NAME_START = re.compile(f"(?<=[{_OF_A_NAME}])[\u4e00-\u9fff]|[{''.join(sorted(SURNAMES))}]")


def _as_units_before_names(text: str, pack: Pack, known: Callable[[str], bool]) -> str:
    """`text` with a window that sounds like one of the pack's departments written as it, where a name
    follows (包装车尖的田主任 → 车间, 财武科的柴会计 → 财务科, 设贝科褚科长 → 设备科): there even two syllables
    (with 的 between) are the unit the person belongs to, and whose role they hold. A dictionary word as
    said stays (财物的损失)."""
    sounds, lengths = _unit_sounds(pack)
    by_sound = surname_by_sound()
    chars = list(text)
    changed = False
    syl: tuple[str, ...] | None = None
    done = 0
    for m in _NAME_START.finditer(text, 3):
        k = m.start()
        ch = text[k]
        joined = text[k - 1] in _OF_A_NAME
        syl = syl or syllables(text)
        if ch not in SURNAMES and not (joined and syl[k] in by_sound):
            continue  # with no 的 between, the surname as written
        end = k - 1 if joined else k
        for n in lengths:
            if not joined and n < 3:
                break  # two syllables right before a name: too many words sound like a unit
            i = end - n
            window = text[i:end]
            if i < done or not all("\u4e00" <= c <= "\u9fff" for c in window):
                continue
            word = sounds.get(tuple(map(fuzzy_syllable, syl[i:end])))
            if word == window:
                break  # the unit as written
            if word is None or known(window) or ((n == 2 or not joined) and not any(a == b for a, b in zip(window, word))
                                                 and not (joined and _TITLE_AFTER_NAME.match(text, k + 1))):
                continue  # two characters, or no 的, every one misheard: too many words sound like that — unless
                # a title follows the name too (才物的宿姐, 菜吴的需姐: the unit, 的, a surname and a title)
            chars[i:end] = word
            changed, done = True, end
            break
    return "".join(chars) if changed else text


def _clause_bounds(text: str, i: int) -> tuple[int, int]:
    stops = "，,。.！!？?；;\n"
    a = max(text.rfind(ch, 0, i) for ch in stops) + 1
    ends = [j for j in (text.find(ch, i) for ch in stops) if j >= 0]
    return a, min(ends) if ends else len(text)


_GREETING_SOUNDS = frozenset({("lin", "hao"), ("li", "hao"), ("long", "hao")})  # 您好 / 你好 / 侬好, accent-folded


# 您家好 / 你家好 (the polite hello of Wuhan and the north, 泥家好 as Whisper hears it) and the time-of-day
# hellos (下五好 is 下午好), accent-folded.
_LONG_GREETING_SOUNDS = frozenset({("lin", "jia", "hao"), ("li", "jia", "hao"), ("xia", "wu", "hao"),
                                   ("shang", "wu", "hao"), ("zao", "shang", "hao"), ("wan", "shang", "hao")})


def _misheard_greeting(after: str) -> str:
    """`after` with a misheard 您好 / 你好 at its start written as 您好 (拰好, 您号, 你浩; 泥家好, 下五好)."""
    head = after.lstrip(" ")
    if len(head) >= 3 and re.fullmatch(r"[\u4e00-\u9fff]{3}", head[:3]) and \
            tuple(map(fuzzy_syllable, syllables(head[:3]))) in _LONG_GREETING_SOUNDS:
        return "您好" + head[3:]
    if len(head) >= 2 and head[:2] not in ("您好", "你好", "侬好") and \
            tuple(map(fuzzy_syllable, syllables(head[:2]))) in _GREETING_SOUNDS:
        if head[:1] in "弄农浓脓" and head[2:3] not in ("", " ", "，", ",", "！", "!", "~", "～", "我"):
            return after  # 王工弄好了吗: done, not 侬好
        return "您好" + head[2:]
    return after


def _addressed(text: str, f: _Found, speaker: str = "unknown") -> bool:
    a, _ = _clause_bounds(text, f.start)
    # A transcript's word spaces say nothing before the name (好 的 韩姐 is 好的韩姐); after it a
    # space is the pause that sets off an address (喂 孙总 是 我).
    before, after = text[a:f.start].replace(" ", ""), _misheard_greeting(text[f.end:])
    if a == 0 and before[:1] not in ("", "喂") and text[1:2] in (" ", "，", ",") and syllables(before[0])[0] == "wei":
        before = "喂" + before[1:]  # the call's 喂 as Whisper writes it (维 熊院长您好, 围 芦老板)
    if a > 0 and before[:1] in _SHI_HEARD and re.fullmatch(r"(?:喂|您好|你好)+", re.sub(r"[\s，,！!]", "", text[:a])):
        before = "是" + before[1:]  # 喂，实育才中学的…: 是, in its own clause after the 喂
    # An unpunctuated transcript runs the greeting into the question: 喂您好我是…的小何请问是设备部的高工吗.
    ask = max(before.rfind("请问"), before.rfind("您是"), before.rfind("你是"))
    if ask > 0:
        before = before[ask:]  # …or the rep's own name first: 我就是小童 您是恒通五金的侯经理吧
    # …or runs one question into the next words (喂 是 易经理 吗 我 …): only what follows the question counts.
    asked = max(before.rfind(ch) for ch in "吗嘛")
    if asked >= 0:
        before = before[asked + 1:]
    if _LISTED_BEFORE.match(before):
        before = ""  # 钱总、孙工，…: the second of two addressed at once
    if _REQUEST_BEFORE.search(before):
        return True
    if a == 0 and _GREETING_AFTER.match(after) and (
            _UNIT_BEFORE_GREETING.match(before) or (f.prefix and re.fullmatch(_OPENERS + r"[^，,。？?！!\s]{0,6}", before))):
        return True  # 计划采购部瞿主管您好: the department found with the name, more of it before
    if _BEFORE_ASKED.match(before) and _ASKED_ON_PHONE.match(after.lstrip(" ")):
        return True
    # The rep's call opens by asking for the person, the unit first and no 是 (喂，汽车工程系的蒲主任吗？,
    # 喂 您好 鲸选 电商 温 总监 是吧, 麻烦找下采购中心的于总监。, 请问 缪主任 在吗): the one reached.
    if speaker == "rep" and _CALL_OPENING.fullmatch(text[:a]) and _UNIT_ASKED.match(before) and (
            _ASKED_ON_PHONE.match(after.lstrip(" ").removeprefix("在")) or (
                _SOUGHT_ON_PHONE.search(before) and re.match(r"[\s。.！!？?，,]|$", after))):
        return True
    if _BEFORE_ADDRESS.match(before):
        if _ASKED_ON_PHONE.match(after.lstrip(" ")):
            return True  # 请问是王总吗, 喂，刘护士长吗？
        # 王总，他下周出差 answers about 王总 — from the customer; the rep talks to the customer
        # about a third party (霍科长，他那是散装的).
        if _AFTER_ADDRESS.match(after) and (speaker == "rep" or not _THIRD_PERSON_NEXT.match(after.lstrip(" "))) \
                and not (after[:1] == " " and re.match(r"(?:那边|这边|那里|那儿)", after.lstrip(" "))):  # 好的 羿总 那边 我…
            return not re.search(r"[吗嘛][？?]?$", after[:3]) or bool(re.search(r"是$", before))
        # An acknowledgement, thanks or apology runs into the name and on in an unpunctuated
        # transcript (好的谭科长我今天下午就去): the name is still the one spoken to.
        if f.surname and _ACK_BEFORE.search(before) and not _NOT_VOCATIVE_AFTER.match(after.lstrip(" ")):
            return True
    # At the very end, set off by a pause, after what was told to them (合同这周五前发您邮箱 柏经理) — by the
    # rep: a customer's closing name is the rep's, or one more in a list (明天来的有 王总).
    if speaker != "customer" and f.surname and not after.strip(" 。.！!~～") and \
            text[f.start - 1:f.start] in (" ", "，", ",") and not _GOVERNED.search(before) and \
            not before.endswith(("是", "的", "有", "和", "、")):
        return True
    # Called after a sentence's closing particle, before a pause: 三十万做不下来哦蒲老板，…
    if f.surname and not f.prefix and re.search(r"[哦啊呀啦嘛喔噢咯哇]$", before) and re.match(r"[，,！!。？?]", after):
        return True
    # Mid-clause, only the unmistakable vocatives: 这个方案王总您看一下 (a transcript's 您 看).
    return bool(_VOCATIVE_VERB.match(after.replace(" ", ""))) and not _GOVERNED.search(before)


def _sentence_after(text: str, i: int) -> str:
    """The rest of the sentence from `i` (刘护士长，您也过来听一下。你们…: 你们 is in the next one)."""
    m = re.search(r"[。.！!？?]", text[i:])
    return text[i:i + m.start()] if m else text[i:]


def _the_rep(text: str, f: _Found, pack: Pack) -> bool:
    """Whether the one a customer speaks to by name is, as far as the words go, the rep: named (no
    department before) and no boss — 王总您好 may greet the customer's own boss as the meeting opens —
    and not asked to look or to join (孙工，你也过来听一下 is a colleague in the room)."""
    return bool(f.surname) and not f.prefix and pack.titles.get(f.title) != "decision_maker" and \
        not _ASKS_LISTENER.search(_sentence_after(text, f.end)[:12])


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
        title_fits = c_title is not None and bool(c_title) and (title in c_title or c_title in title)
        role_fits = role != "other" and c_role == role
        if title_fits or role_fits:
            hits.append(c)
    return hits[0] if len(hits) == 1 else None


@lru_cache(maxsize=64)
def _self_named_pattern(pack: Pack) -> re.Pattern[str]:
    """我是采购部的戚丽, 我是恒安物业信息部的韦志成: a self-introduction by department and full name."""
    depts = sorted((d for d, r in pack.departments.items() if r != "other"), key=lambda d: (-len(d), d))
    return re.compile(r"(?:我是|我系|我叫|阿拉是|我这边是)[^，,。.？?！!\s]{0,10}?(?P<dept>" + "|".join(map(re.escape, depts)) +
                      r")(?:" + POSSESSIVE + r")?(?P<name>[" + "".join(sorted(SURNAMES)) + r"][\u4e00-\u9fff]{1,2})(?=[，,。.？?！!]|$)")


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


# Whisper's 跟 before a name (顺便根耿师傅点点数, 价格我羹老板…): the rules that ask who one goes to read it as 跟.
_GEN_BEFORE_NAME = re.compile(r"[根羹](?=\s*(?:[" + "".join(sorted(SURNAMES)) + r"]|老板|领导|经理))")


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
    seg = seg or segmenter_for(pack)
    if "根" in text or "羹" in text:
        text = _GEN_BEFORE_NAME.sub("跟", text)  # same length: every offset holds
    # Found in the text without word spaces and with misheard departments and titles read as the
    # pack's words, reported as said; every other rule reads the text as said (a space after a
    # name is the pause of an address).
    plain, at = _squeezed(text)
    if plain != text:
        # analyze() reads homophones word by word, and a word spaced apart (财物 部, 才够 总监) is none of
        # the pack's; here the window must still start and end on a word's edge (可以把售后 holds no 一把手),
        # any position inside a word jieba only guessed (社备 in 我们社备科的).
        def edges_of(plain: str = plain) -> set[int]:
            tokens = seg.tokens(plain)
            return {t.start for t in tokens} | {len(plain)} | {
                k for t in tokens if t.end - t.start > 1 and not seg.known(t.word) for k in range(t.start, t.end)}

        plain = _as_role_words(plain, edges_of, pack, seg.known)
    plain = _as_titles_after_surnames(_as_units_before_names(plain, pack, seg.known), seg.known)
    if "管帐" in plain:
        plain = plain.replace("管帐", "管账")  # the bookkeeper written with 帐, the older form: reported as said
    if plain == text:
        found = _mentions(text, pack, seg, persons)
    else:
        found = []
        # A misheard name across a pause (喂 老板 is no 魏老板, 可以 把 售后 no name at all) is too weak a guess.
        # After a department or a possessive (车间 的 富 主任, 城钟 店 的 墨 店长) a person comes next, and a
        # word-spaced transcript parts every surname from its title.
        named = [p for p in seg.persons(plain)
                 if p.text == plain[p.start:p.end] or not _WORD_SPACE & set(text[at[p.name_start]:at[p.end - 1]])
                 or p.prefix is not None or POSSESSIVE_BEFORE.search(plain, 0, p.name_start)
                 # called on the phone, a greeting or a question on both sides (喂 染 老板 你 好)
                 or (PHONE_CALL_BEFORE.search(plain, 0, p.name_start) and PHONE_CALL_AFTER.match(plain, p.end))]
        for f in _mentions(plain, pack, seg, named):
            s, e, n = at[f.start], at[f.end - 1] + 1, at[f.name_start]
            # As said, spaces and a misheard department included; a misheard name as the name (罗工 for 罗功).
            name = f.text[f.name_start - f.start:]
            said = text[s:e] if name == plain[f.name_start:f.end] else text[s:n] + name
            found.append(_Found(s, e, said, f.surname, f.title, f.prefix, n, f.address_only))
    # CRM contacts written by full name (王建国), wherever no title mention covers them.
    for c in contacts:
        titled = person_spans(c.name, seg.titles, seg.prefixes, {})
        if len(c.name) >= 2 and not titled:
            for m in re.finditer(re.escape(c.name), text):
                if not any(f.start <= m.start() < f.end for f in found):
                    found.append(_Found(m.start(), m.end(), c.name, c.name[:1], c.title or "", None, m.start()))
    found.sort(key=lambda f: f.start)
    for k, f in enumerate(found):
        if f.surname is None and f.title in _OFFICE_TITLES and k + 1 < len(found) and \
                _OF_THE_NEXT.fullmatch(text[f.end:found[k + 1].start]):
            continue  # 前台的汤组长: the unit of the person named next, not a person of its own
        before = text[:f.start].rstrip(" ")  # 找 我们 老板: a transcript's word spaces
        clause_before = text[_clause_bounds(text, f.start)[0]:f.start].replace(" ", "")
        if speaker == "rep" and _OUR_SIDE.search(before):
            continue  # the rep's own 王总
        if speaker == "rep" and f.surname is None and (
                _REP_OWN_AFTER.match(text[f.end:]) or _REP_OWN_BEFORE.search(before.replace(" ", ""))
                or _REP_ASKED_BEFORE.search(clause_before)):
            continue  # 跟领导申请一下, 我们产品经理, 价钱我问过老细: the rep's colleagues
        if f.surname is None and _PERK_AFTER.match(text[f.end:]):
            continue  # 给您申请了店长福利: the manager's price, not a person
        if speaker == "rep" and f.surname is None and not f.prefix and (
                _REP_STAFF_BEFORE.search(clause_before) or _REP_STAFF_AFTER.match(text[f.end:].lstrip(" "))):
            continue  # 本地有俩工程师常驻, 为贵司配了专属技术经理: the vendor's own staff
        if speaker == "rep" and f.surname is None and (
                _REP_ASKS_OWN.search(clause_before) or (f.text in _REP_SUPERIORS and _REP_I_ASK.search(clause_before))):
            continue  # 我回去跟老板再争取, 我要请示经理: the rep asking their own superior
        if speaker == "customer" and _THEIR_SIDE.search(before):
            continue  # the rep's company, seen from the customer
        if speaker == "customer" and f.surname is None and not f.prefix and _YOUR_SUPERIOR.search(before):
            continue
        if speaker == "customer" and f.surname is None and f.title in _SELLER_TITLES and (
                _SELLER_HAILED_BEFORE.search(before)
                or ((not before or before[-1] in "。！!？?，,") and _SELLER_HAILED_AFTER.match(text[f.end:]))):
            continue
        if speaker == "rep" and f.surname is not None and (
                _REP_OFFICE_BEFORE.search(clause_before)
                or (_REP_GOES_WITH.search(clause_before) and _REP_COMES_WITH.match(text[f.end:].lstrip(" ")))):
            continue
        if f.title == "工" and f.surname == "左" and before.endswith(("收", "开", "放", "停", "冇", "返")):
            continue  # 收左工 (Cantonese: knocked off work), no Engineer Zuo
        if f.surname is None and (_GROUP_AFTER.match(text[f.end:]) or _GROUP_BEFORE.search(before)):
            continue  # 老师们, 好几个宝妈: a group, not a person
        if f.surname is None and (before.endswith("、") or text[f.end:f.end + 1] == "、"):
            continue  # 劳保、五金、电工: a list of product lines
        if f.surname is None and _NOT_A_PERSON_AFTER.match(text[f.end:]):
            continue  # 运维费, 采购价: the title names a cost, not a person
        if f.text == "总工" and _TOTAL_AMOUNT_AFTER.match(text, f.end):
            continue
        if speaker == "rep" and f.title in _NICKS and f.prefix and f.prefix not in pack.departments and (
                _REP_STAFF_BEFORE.search(clause_before) or _REP_SENDS.search(clause_before)
                or _SALES_TITLE.search(f.prefix) or not _THEIRS_OR_SOUGHT.search(clause_before)):
            continue  # 明天让销售员小李给您送过去, 区域工程师小段 (who the rep is): the rep's own staff
        if speaker == "rep" and (f.surname is None or f.title in _NICKS) and (
                _SELF_INTRO.search(clause_before) or _REP_SELF_INTRO.search(clause_before)):
            continue  # 我是远景数字教育的项目经理, 我系…嘅阿杰: the rep's own title or name
        if speaker == "rep" and f.surname is not None and _SELF_INTRO.search(clause_before) and \
                _CLAUSE_ENDS.match(text, f.end):
            continue  # 我是实施部的蔡工。: the rep names themself (我是王总的助理 names 王总)
        role = _role_of(f, pack, text[max(0, f.start - 12):f.start])
        if role == "other" and (_USER_BEFORE.search(clause_before) or _USES_AFTER.match(text[f.end:].replace(" ", ""))):
            role = "user"  # 平时用系统的是调度室的商主任, 叉车班的衡班长在用, 荀主任，佢负责日常用: the one who uses it
        contact = match_contact(f.text, f.surname, f.title, role, contacts, pack) if contacts else None
        if contact is not None:
            role = contact_role(contact, pack) or role
        evidence = "mentioned"
        # A self-introduction first: a run-on transcript (喂 是 易经理 吗 我 消毒 供应 中心 的 卢护士长 你们…)
        # has the caller's own name after a question that reads like an address.
        plain_intro = _SELF_PLAIN.search(clause_before) if f.surname or f.prefix else None
        if speaker != "rep" and (_SELF_INTRO.search(clause_before) or
                                 (plain_intro and (f.prefix or plain_intro.group("place")
                                                   or _SELF_NAMED_AFTER.match(text[f.end:])))) and \
                not _SUMMONED.match(text[f.end:].lstrip(" ")):
            evidence = "self_introduced"
        elif _addressed(text, f, speaker):
            evidence = "addressed"
            if speaker == "customer" and contact is None and _VENDOR_IN_UTTERANCE.search(_sentence_after(text, f.end)):
                continue  # 老板，你们这个…: the customer talking to the seller
            if speaker == "customer" and contact is None and _the_rep(text, f, pack):
                continue  # 沈经理你好, 好的韩经理, 辛苦孔经理: the customer greets, thanks or answers the rep
        elif speaker == "customer" and contact is None and _the_rep(text, f, pack) and \
                text[f.end:f.end + 1] in ("，", ",") and _LISTENER_BEFORE.search(_sentence_after(text, f.end)):
            continue  # 不过郝经理，我先把话说清楚…你们: set off mid-sentence and told 你 — the rep again
        if (evidence == "mentioned" and f.surname is None and _OCCUPATIONAL.search(f.title)
                and not _SPECIFIC_AFTER.match(text[f.end:])):
            continue
        # The customer's own 师傅 (亢师傅在中央厨房等你) is the customer's person; the rep's is the rep's fitter.
        if evidence == "mentioned" and (f.address_only or (f.title in _ADDRESS_ONLY and not f.prefix
                                                           and not (speaker == "customer" and f.title == "师傅")
                                                           and not _sought_master(text, f.title, f.start))):
            continue  # X生 only said to the person, or after their department (财务部嘅谭生)
        if evidence == "mentioned" and f.surname is None and not f.prefix and f.title in _DEPARTMENT_WORDS \
                and not _NAME_AFTER.match(text[f.end:]):
            continue  # 我们财务那边过不了, 让会计把定金打过去: the office, not a person one would call
        if speaker == "rep" and evidence == "mentioned" and f.surname is None and not f.prefix and f.title == "店长" and (
                _REP_ASKS_STORE.search(clause_before) or _STORE_SAYS.match(text[f.end:].lstrip(" "))):
            continue  # 我要问下店长, 店长话可以: the shop's own manager, asked by the salesperson
        if speaker == "rep" and f.surname is None and not f.prefix and f.title in _BACK_OFFICE and \
                not _LISTENER_BEFORE.search(clause_before) and \
                (evidence == "mentioned" or _SPECIFIC_AFTER.match(text[f.end:].replace(" ", ""))):
            continue  # 财务那边流程卡住了, 经理 那边 回复 了: the rep's own, unless the customer's (您让财务…)
        out.append(RoleMention(f.text, role, evidence != "mentioned", contact.id if contact else None, speaker, ref,
                               evidence, f.start, f.end))
    if speaker != "rep":
        for m in _self_named_pattern(pack).finditer(text):
            s, e = m.start("dept"), m.end()
            if not any(r.start < e and s < r.end for r in out):
                out.append(RoleMention(text[s:e], pack.departments[m.group("dept")], True, None, speaker, ref,
                                       "self_introduced", s, e))
        for m in _SELF_DUTY.finditer(text):
            duty = _duty_role(m.group("what"), pack)
            if duty and not any(r.start <= m.start() < r.end for r in out):
                contact = next((c for c in contacts if contact_role(c, pack) == duty), None) \
                    if sum(contact_role(c, pack) == duty for c in contacts) == 1 else None
                out.append(RoleMention(m.group(0).rstrip("，,。.？?！!的"), duty, True, contact.id if contact else None,
                                       speaker, ref, "self_introduced", m.start(), m.end()))
    return out
