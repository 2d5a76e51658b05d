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
from nlp.text import IN_CASE, Span, clauses, gated as _gated, squeeze, strip_punct

_NEGATED_BEFORE = re.compile(r"(?:不|没|没有|并不|并没有|不是|不算|也不|一点也不|一点都不|不会|别|无)$")
_NEGATED_INSIDE = re.compile(r"不|没")
_NOT_THE_ISSUE = re.compile(r"不是|不在于|倒不是|并非")
# 下周一就来不及了, 今年肯定赶不上: a date the customer names and its own deadline, not a complaint
# about the seller's lead time (交期…来不及, 三个月就来不及了 still object).
_OWN_DEADLINE = re.compile(r"(?:[今明后]天|[今明]年|这周|下(?:周|礼拜|星期|个月)[一二三四五六日天末]?|[0-9一二三四五六七八九十]+号)"
                           r"(?:就|肯定|估计|怕是|恐怕|都)?(?:来不及|赶不上|等不了)")
_A_DAY = re.compile(r"[今明后]天|这周|下(?:周|礼拜|星期)|[0-9一二三四五六七八九十]+号|上午|下午|晚上")
_PROBE = re.compile(r"(?:您|你|你们)(?:是不是|是否|会不会|担心|觉得|感觉|是)")
# Beyond the pack's phrases: a topic and a complaint about it in the same clause
# (总价…接受不了, 操作太复杂了, 售后三天了都没来). The pack's phrases are tried first.
_TOPIC_COMPLAINT: tuple[tuple[str, re.Pattern[str], re.Pattern[str]], ...] = (
    ("price", re.compile(r"价格|价钱|报价|总价|单价|(?<!性)价|费用|预算|经费|钱|利润|毛利|成本|利息|首付|月供|(?<![浪免消])费(?![劲力事心时])"),
     re.compile(r"太?高|贵|接受不了|不批|批不了|太?薄|没利润|低|不够|不多|出不起|付不起|拿不出|花完|用完|超|下不来|[压降]不下(?:来|去)|承受不了|离谱|虚高|吃不消|压力|不合适|不划算|(?:又|还|咋|怎么)没降|"
                r"没优势|没有优势|起飞|上天|打.{0,2}折|便宜点|便宜一点|少点|让点")),
    ("delivery", re.compile(r"交期|货期|到货|发货|送货|交货|周期|工期|库存|现货|补货|配送|物流|排产|供货|调货"),
     re.compile(r"太?慢|太?(?<![店家校院组班队部科处厂行])长|晚|来不及|赶不上|等不了|缺|断|拖|延期|不够|跟不上")),  # not 店长
    ("service", re.compile(r"售后|服务|客服|维修|报修|响应|培训|安装|师傅|工程师|实施|顾问|操作|使用|上手|送货|送的货|发的货|业务员|"
                           r"促销员|保修|质保|返厂|寄修|返修|维修点|维修店"),
     # (师傅不好找, 工程师难招: the customer's own staffing, a reason to buy)
     re.compile(r"太?差|太?慢|不好(?![找招请雇])|不专业|没人|不来|没来|太?复杂|难(?![找招请雇])|不会|不到位|跟不上|错|(?<![往后])推(?!迟)|不管|没管|不理|没回|少了|漏|太?短|只有|不给|不行|倒闭|关门|(?:太|很|挺|好|特别|比较|有点|非常)麻烦")),
    # An amount opening the clause and a complaint about it: 九十五太高了, 七十五万还是超了.
    ("price", re.compile(r"^[0-9一二两三四五六七八九十百千万.]+(?:块|元|万)?"),
     re.compile(r"^[0-9一二两三四五六七八九十百千万.]+(?:块|元|万)?(?:[哎呀哟妈嗯哦啊]{1,4})?(?:这个?|那)?(?:还是|也|确实)?(?:有点|有些|稍微|略)?(?:太高|偏高|高了|高(?![度温压端配级清速效])|太贵|贵了|贵|超了|超出|超预算)")),
)
_AMT = r"[0-9一二两三四五六七八九十百千万.]+"
# What the customer has heard (听说, 听同行讲) of a fault of the vendor's goods (你们…老…, 侬拉个机器…会断), in one
# clause or split over two (听同行讲，侬拉个机器…): not of a delivery, which is its own rule.
_HEARD = (r"(?:听说|听讲|(?<!大)厅(?:说|讲)|听(?![你您不懂到见得过])[^，,。？?！!\s]{1,6}?(?:说|讲)"  # 听俺一哥们儿讲, 听行家讲; Whisper hears 听说 as 厅说
          # 评论里有人说, 我家姐话 (Cantonese 话 "says")
          r"|评论[^，,。？?！!\s]{0,4}?(?:说|讲|话)|(?:家姐|细佬|朋友|同事|老公|老婆|邻居|同行|老友)话(?![费筒题]))")
_VENDOR_FAULT = (r"(?:你们|你哋|侬拉|恁)(?![^。？?！!]{0,16}(?:送货|到货|发货|交货|车|物流|快递|迟到))"
                 r"[^。？?！!]{0,16}(?:老|总是|经常|容易|成日|时不时|动不动|一[^。？?！!]{1,6}就|会(?:掉|断|乱|坏|裂|漏|卡|变小|变差|失灵)|要散"
                 r"|就(?:坏|歹去|要换|跑偏)|停了一?整|宕机|死机)")
# 戴个帽子、出了汗就认不出来, 戴了仨月就吱吱响: a fault that comes at once (heard of such goods)
_SOON_FAULT = r"就(?:认不出|坏|不行|不灵|掉线|卡|断|歹去|漏|吱吱响|要换|跑偏|褪色|开裂|变形|烂|松|响)|嗡嗡响|松晒"
# …and not accepted straight after (还超 一千 行吧 我认了, 超三千，要得)
_NOT_ACCEPTED = r"(?![^，,。！!？?]{0,8}?(?:行吧|行嘞|那行|认了|任了|算哒|算了|算啦|也行|中吧|成吧|好吧|接受|要得|说得过去|咬咬牙|勉强(?!不)))"
# The next clause takes the price (…超一万，那行吧; 超八千 勉强说得过去; 超三千，要得).
_ACCEPTED_NEXT = re.compile(r"^[，,\s]*(?:那|我们|俺们|我哋|咱们|我|俺|阮|阿拉)?(?:就)?(?:得嘞|行吧|行啦|认了|任了|算了|算啦|算哒|也行|中吧|成吧|好吧|要得|勉强(?!不)|咬咬牙|可以接受|凑合|都OK|OK|好个|好啦|中(?=[，,。！!\s]|$))")
# …or later in the sentence, once the gap is found a home (差额检验科可以从维修预算里腾一点, 问题应该勿大).
# (俺想法儿匀匀, 我这边能从备用金里挪, 应该冒得问题, 贵一块就贵一块吧, 得嘞)
# (Whisper's 任了 is 认了; Hunan 算哒 is 算了; 我自己贴 / Minnan 家己贴: the customer pays the gap)
_ACCEPTED_LATER = re.compile(r"认了|任了|算哒|(?:自己|家己|自家)贴|凑合吧|挤一挤|挤点|腾一点|问题(?:应该)?(?:不大|勿大|唔大)|应该(?:没|冇|冒得|冇得)问题|估计能(?:通过|批)"
                             r"|匀匀|匀一匀|匀一下|里挪|挪一挪|挪一点|挪点|里抠|得嘞|讲得通|说得通|(?P<over>贵|超|多)(?P<by>[^，,。！!？?就]{1,4})就(?P=over)(?P=by)吧"
                             # (原则上可以接受, 不过能接受, 超就超了, 可由…补足, 可在…中平衡; Whisper's 蒜啦 is 算啦)
                             # (村里还出得起, 这点钱拿得出)
                             r"|(?<![不难])能接受|(?<![不没])(?:出|付)得起|(?<![不没])拿得出|超就超了|多就多了|贵就贵了|补足|里补|中平衡|蒜啦"
                             r"|(?:^|[，,。\s])(?:好个|好啦|好吧|得|中|要得|行)(?=[，,。！!\s]|$)|就这么地|也将就|调剂|列支"
                             r"|差额[^，,。！!？?]{0,10}?(?:可以从|从|来补|补上|我同|我跟)")
# 九天, 十来天, 好几个礼拜, 半个月: how long a wait or a delay lasted
_SPAN = r"(?:[0-9一二两三四五六七八九十几半]|好几)+(?:来|多)?(?:个)?(?:天|日|周|礼拜|星期|月)"
_PAST = r"(?:上次|上回|上趟|上一回|上一次|上个月|之前|以前|去年|上年|旧年|前年|前阵子|那次|听说|听讲)"
_BREAKDOWN = frozenset({"坏了", "就坏了", "老是坏", "经常坏", "老出问题", "死机"})
# (都不来人, 寄回内地修，一去一回一个多月, 寄去广州修了快两个月: the repair's wait, told without 才)
_REPAIR_WAIT = _gated(r"(?:都|也|就是)(?:不|没)(?:来人|派人|来修)|寄(?:回|去|到)[^，。]{0,8}修|一去一回|"
                      r"修了(?:快|足足|整整|差不多|将近)?" + _SPAN + "|"
                      r"才(?:来人|来修|有人|到|派人)|[没冇](?:得)?人管|[没冇](?:得)?人修|找不着人|找不到人|等配件|等(?:了|咗)[^，。]{0,8}(?:天|日|周|礼拜|星期|月)|拖了[^，。]{0,6}才")
# Another seller named, then its price in the clause after (隔壁厂子买的燃气的，一台才二十万出头).
_RIVAL = re.compile(r"(?:^|[，,\s])(?:有|有一)家|有一?家(?:厂|工厂|厂子|厂家|公司|店|供应商)|别家|别的厂家|别的厂商|别人家|人家|同类|同级别|那边|隔壁|隔篱|隔离街|嗰间|嗰家|对面|另一家|那家|其他家|同行|同款|批发市场|线上|网上|旗舰店|邻居|外面|"
                    r"朋友|兄弟(?:学校|单位|医院|公司|厂)|同型号|别个|别的牌子|其他牌子"
                    # the shopping platforms sell against the shop (拼多多上一套才卖三十五)
                    r"|拼多多|淘宝|天猫|京东|抖音|快手|1688|阿里巴巴|直播间")
# 才十来万, 只有一万八九, 也就十八万左右: what the other seller charges, said as little.
_GOODS_COUNTED = "台套个件箱包盒张瓶罐袋条只支桶吨斤"
# …not a count or a span after it (一天才卖五十箱, 才三天), though a price a unit may follow (才240一袋)
_NO_COUNT_AFTER = (r"(?!(?!一[" + _GOODS_COUNTED + r"])[0-9一二两三四五六七八九十百千.]*[来几多]?"
                   r"[天人年月号日次周岁倍分秒层期家单" + _GOODS_COUNTED + r"])")
_RIVAL_AMOUNT = _gated(r"(?:才(?:花了?|卖)?|只要|只卖|只有|也就|先至|不到)" + _AMT + r"(?:来|几|多)?(?:万|千|块|元|蚊)?" + _NO_COUNT_AFTER + r"|" + _AMT
                           + r"(?:来|几|多)?(?:块|元|万|千|蚊)?(?:出头|左右)?就(?:有|拿下|拿得到|买到|搞定|能做)"
                         # 同类进口品牌给我们的供价是一百九十五, 一台报价四十三万左右
                         + r"|(?:报价|供价|卖价|开价)(?:是|才|只有)?" + _AMT)
# Objections in the customer's own phrasing, beyond the pack. Strong ones hold even in a question
# or a condition (交期能保证吗？ 三十万整的话我就签); weak ones only where nothing else matched.
_STRONG: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("delivery", re.compile(r"(?:交期|货期|工期|周期|交货|到货|发货|[0-9一二两三四五六七八九十]+天).{0,6}"
                            r"(?:能保证吗|能不能保证|保证得了吗|有保障吗|来得及吗|赶得上吗|能按时吗)")),
    ("service", re.compile(r"(?:售后|服务|客服|维修|培训|技术支持).{0,6}(?:怎么保障|怎么保证|有保障吗|能保证吗|跟得上吗|靠谱吗)")),
    # (…售后拖了两周才派人 is a repair: service below)
    ("delivery", re.compile(_PAST + r"(?![^。]{0,30}(?:售后|派人|维修|报修|来修|包退|退掉|退款|才退))\s?.{0,24}(?:拖了|拖咗|晚了|迟了|迟咗|延期|慢了|晚到|拖到|调了.{0,4}月"
                            # 在路上压了十来天, 堵在高速上, 店里短了三天货: goods held on the road, shelves empty
                            r"|(?:路上|半路|高速)[^，。]{0,3}(?:压|堵|卡|困)(?:了|咗|在)|(?:路上|半路)[^，。]{0,2}走了(?:整整|足足|快|差不多)?" + _SPAN + r"|(?:压|堵|卡|困)(?:了|咗)?在[^，。]{0,3}(?:路上|半路|高速)|[短断](?:了|咗)[^，。]{0,4}货)")),
    ("delivery", re.compile(r"结果[^，。]{0,8}(?:才|先)(?:到|送|发|嚟)|拖(?:了|咗|甲)[^，。]{0,6}(?:才|先)(?:送到|到|装好)|缺件[^，。]{0,3}补了|(?:寄|发|送)(?:了|咗)[^，。]{0,6}(?:才|先)到|拖到[^，。]{0,6}才|(?:还|都|也|一直)没(?:有)?(?:到货|发货(?!给)|发出来|送到)|迟迟(?:不|没)(?:发|到(?![期账])|送)"
                            r"|(?:货|快递|东西|订单)[^，。]{0,6}(?:还|都|也|一直)(?:没|未)(?:有)?(?:到(?![期账])|发|送)"
                            r"|等了[^，。]{0,6}(?:才到|还没到|都没到)")),
    ("service", re.compile(_PAST + r".{0,28}(?:一次都没来|没来过|没人来|没人管|没人回|冇人回|没人理|没补|还没补|没退|还没退|没给.{0,6}换|没换|少了.{0,3}[箱件个包])"
                           # 讲系统出问题敲电话，客服两工才回: support answered late
                           r"|(?:客服|售后|打电话|敲电话)[^，。]{0,8}(?:才回|没人回|冇人回|没人接)")),
    ("service", re.compile(r"(?:到现在|至今|到今天|到而家|一直)(?:都|也)?还?(?:没|未)(?:有)?"
                           r"(?:补|退|换|解决|处理|回复|给|赔|送|来(?!得及)|修|派|打|兑现|见)")),
    ("price", re.compile(r"(?:能不能|可不可以|能否|看能不能|您看能不能|你看能不能|再).{0,10}(?:便宜|优惠|打.{0,3}折|降|让一让|让一眼|让点|抹|少点|包进去)"
                         r"|(?:价格|价钱|授权费|年费|费用|单价|总价).{0,4}(?:能不能|可不可以)?再谈谈")),
    ("price", re.compile(r"(?:整到|给到|做到|降到|算到|弄到|压到|算|价格)" + _AMT + r".{0,4}(?:的话)?.{0,3}我就(?:签|定|要|订)"
                         # 你就把价弄到十五万五, 价钱你做到二百八十五: a counter-offer, with or without 我就
                         r"|(?:把价|把价格|把价钱|价钱|价格)(?:你|您)?(?:就|再)?(?:弄到|做到|压到|降到|给到|整到)" + _AMT)),
    # 仲贵过佢？, 还贵过人家: dearer than another, asked or not.
    ("price", re.compile(r"(?:仲|还|更)贵过|贵过(?:人哋|别家|人家|佢|他们|佢哋|进口)"
                         # 你们凭啥子一间多出五万多喃？ 凭咩贵成咁多？ — asked, and still an objection
                         r"|凭(?:啥子?|什么|乜|咩)[^，,。？?]{0,10}(?:多出|贵)")),
    # What the customer has heard, asked or not (我听人讲你们家旺季送货老拖好几天, 听说你们家橱柜装完老有门板不平的).
    ("delivery", re.compile(r"(?:听说|听人说|听人讲|听讲)[^。？?！!]{0,12}(?:送货|到货|发货|交货)[^。？?！!]{0,6}(?:拖|慢|晚|迟)")),
    ("other", re.compile(_HEARD + r"[，,\s]?" + _VENDOR_FAULT)),
    ("other", re.compile(_HEARD + r"[^。？?！!]{0,24}?" + _SOON_FAULT)),
    # 这回晚九天, 这批又拖了一个礼拜: the delivery just made, late
    ("delivery", re.compile(r"(?:这回|这次|这趟|这批货?)(?:又|还)?(?:晚|迟|拖)(?:了|咗)?(?:整整|足足)?" + _SPAN
                            + r"(?![^，。]{0,4}(?:也行|没关系|不要紧|可以|问题不大|没事))")),
    # 冷链车经常迟到, 货老是迟到: the goods late, not a person.
    ("delivery", re.compile(r"(?:车|货|送货|物流|冷链|快递)[^，。]{0,6}(?:经常|老是|总是|又|常常)迟到")),
    # 又涨了？ asked back: a rise just heard of, objected to however it is asked
    ("price", re.compile(r"(?<![不没])(?:又|咋又|怎么又|阿么又)涨(?:价)?了[？?！!。]*$")),
    # 说好十五号到，十九号才到: arrived days after the day agreed (a day named, not 明天才到)
    ("delivery", re.compile(r"^(?:结果|可|但|但是)?(?:[0-9一二三四五六七八九十]{1,3}月)?[0-9一二三四五六七八九十]{1,3}[号日](?:才|先)(?:到|送到|到货|到齐)(?!之前|以前|前)")),
    # 打了三趟电话才来修, 找了好几回才来: a repair that took asking again and again.
    ("service", re.compile(r"(?:[0-9两三四五六七八九十几]|好几)(?:回|趟|次|遍)[^，。]{0,6}(?:才|先)(?:有(?:人|师傅)|来|派人|上门|上嚟|嚟)"
                           # 工程师三天后才到, 报修要等三五天才来
                           r"|(?:工程师|师傅|维修|报修)[^，。]{0,8}(?:天|日|周|礼拜)(?:后|以后)?(?:才|先)(?:到|来|嚟|上门)"
                           # 搞坏了冇得人修, 坏了半年冇人管
                           r"|(?<!怕的是)(?<!怕)(?<!担心)坏[^，。]{0,8}(?:冇|没)(?:得)?人(?:修|管)"
                           # 上回给我们修那台贴标机磨蹭了小一个月
                           r"|修[^，。]{0,10}(?:磨蹭|拖拉|拖拖拉拉)")),
    ("price", re.compile(r"给(?:我|我们)?(?:个)?(?:实在|实诚|实惠|痛快|最低|最好|最优惠|底)的?价"
                         r"|给(?:我|我们)算(?:个)?(?:[0-9一二两三四五六七八九十百千万.]{2,}|" + _AMT + r"[块元蚊毛])")),
    ("price", re.compile(r"零头.{0,4}抹|别整那么贵|贵(?:咗|了)?(?:成倍|一倍|不少|好多|一截|一毛|" + _AMT + r"(?:块|蚊|毛|元)?)")),
)
# Quality and function, said of anything: eats badly, does not work, keeps failing, falls apart.
_QUALITY = re.compile(
    r"难吃|难喝|不好(?:吃|喝|用|使)|不耐用|不结实|失灵|劣质|(?:很|太|特别|好|真|超)烂|烂透|坑爹|坑人|不推荐|不(?:是)?正规|欠佳|欠专业|(?:只是|可惜)没有|文字游戏|敷衍|忽悠"
    r"|使用不了|用不了(?!那么|这么|多|几|太)|(?:没法|无法)(?:用|使用|登录|连接|上网|开机)|(?:都|也)不能用|登不上|连不上|收不到|反应(?:都|也)?没有|没(?:有)?任何反应"
    r"|(?:还是|老是|总是|一直|老)(?:响|漏|卡|坏|报警|跳闸|停机|掉线|死机|出问题|出故障|往上走|发热|发烫)"
    r"|难用|粗糙|不达标|松动|破了|费电|费油|耗油|(?:大|还|都|远)不如(?:以前|原来|上次|之前|前|别家|人家)|退回(?:去|来)了"
    r"|(?:尺寸|规格|型号|颜色|参数|尺码|数量)[^，。]{0,6}(?:不对|不符|不一样|对不上)|(?:跟|和|与)(?:样品|样板|描述|图片)[^，。]{0,3}(?:不一样|不符|差(?:太多|很多|得远|别大))|货不对板"
    r"|裂了|裂开|翘起|起翘|翘边|鼓包|马虎|偷工减料|一[拧碰拉摸用按]就(?:掉|坏|断|开|裂)"
    r"|(?:没(?:多久|几天|两天)|不到[^，。]{1,5})就(?:坏|裂|掉|翘|松|漏|断|不|抱死|烧(?:了|坏|掉))"
    r"|(?:装完|装好|用了|买了|才用)[^，。]{0,3}?(?:半年|半个月|[0-9一两三四五六七八九十几]+个?(?:天|月|年|礼拜|星期))就(?:坏|裂|掉|翘|松|漏|断)"
    r"|(?:又|要|得|全部|全|都|重新|还得|只能|拿回去)返工|返工(?:了|过|率)|返了工|返修率|次品|残次|(?:有|发现|好多|很多|一堆|全是|都是|不少)瑕疵|瑕疵(?:太多|很多|不少|品)|划痕|破损|漏电|异响|(?:质量|性能|系统|产品|精度|品质)(?:也|很|太|有点)?(?:不稳定|不达标|不过关|参差不齐)"
    r"|(?:别家|别人家|人家|其他家|同行)[^，。]{0,12}比(?:你们|你家|您这|你这)[^，。]{0,4}(?:好|强|耐用|结实|稳定|靠谱)"
    r"|起皮|起泡|脱落|掉色|褪色|发霉|变质|开胶|离过期|快过期|压力不足|用不到一半|色差"
    r"|(?:用了|才用|没用|戴了|穿了)[^，。]{0,8}就(?:坏|裂|断|起|掉|脱|松|漏|锈|变形|吱吱响|不(?:行|亮|转|动|灵|好使)|没(?:得|有)?(?:吸力|劲|电|声音?|反应)了?)"
    r"|(?:很|太|非常|比较|特别|挺)一般|一般般|难受|不舒服|吵死|太吵|很吵|很臭|太臭|好臭|臭(?:死|味)|^臭"
    r"|越来越(?:差|难吃|难喝|少|烂|不行|不好)|又[硬柴咸油腻辣苦酸涩脏乱差吵小旧破]又[硬柴咸油腻辣苦酸涩脏乱差吵小旧破]"
    r"|没有(?!比|什么)[^，。]{1,8}(?:好吃|舒服|好用)|没有[^，。]{1,6}的(?:味道|效果|质量)?好(?![办方主选处])|(?:都|还)比(?:这|你们|你家|这里|这家)[个儿里家]?(?:好|强)"
    r"|不是.{0,4}想要的|(?<![用需订进销产批存])量(?:也|太|很|有点|偏)?少|少了点|(?:灰|虫子?|蚊子|苍蝇|头发)(?:稍微|有点|太|很)?多|很大的.{0,4}味|一股.{0,4}味"
    r"|(?:有|看到|吃到|发现)(?:一只|一根|只|根)?(?:苍蝇|头发|虫子|蟑螂)|没(?:煮|做|烤|炒|蒸)(?:好|熟)|不熟|夹生"
    r"|(?:摄影师|技师|厨师)(?:也|都|真的?|水平)?(?:不行|不好|太差|很差|一般)")
_DEGREE = r"(?:也|就|都|还|真的?|实在|水平|质量|态度){0,3}(?:很|太|比较|有点|有些|特别|非常|极其|略|超级|巨)?"
# Staff not doing what service should (不太热情, 不够耐心): a negated virtue.
_UNKIND = r"不(?:太|够|怎么|是很|大)?(?:热情|积极|友善|友好|耐心|主动|礼貌|客气|负责)"
# A product's faults in forum wording, said of any goods: a defect word with a degree or a result
# (越用越卡, 卡得要死, 发热严重, 掉电快), slang for "poor" (拉胯), an aspect of the product with a
# verdict (续航不行, 屏幕太差, 信号不如…), and sarcasm that means "useless" (…了个寂寞, 讲个笑话).
_ASPECT = (r"(?:屏幕|屏|电池|续航|信号|网络|系统|拍照|相机|镜头|影像|画质|音质|音效|手感|外观|颜值|设计|性能|配置|散热|"
           r"充电|做工|硬件|软件|内存|产品力|体验|流畅度|稳定性|亮度|像素|功能|材质|工艺|版本|固件)")
_VERDICT = (r"(?:慢|差(?![不点异价别距额])|太差|很差|差劲|不行|不太行|不好|拉[胯垮跨]|垃圾|崩|糟糕|不流畅|不稳定|不灵敏|不清晰|不耐用|缩水|"
            r"不够用|跟不上|一般般?|不怎么样|不咋地|不如|比不上|没法比|打不过)")
_PRODUCT = re.compile(
    r"(?:拉[胯垮跨夸]|太拉了|(?:拍照|续航|性能|信号|屏幕|系统|做工|散热|影像|体验|表现|成绩|口碑)[^，。]{0,4}垫底|(?:好|真的?|太|巨|很|有点)丑|降频|了个寂寞|讲个笑话|(?:就是|简直是?|完全是|像|是)(?:个|一个)?半成品|不耐[操摔用]|不经[摔用]|一摔就|(?<!防)割手(?!套)|硌手|烫手|误触|缩水|阉割|减配"
    r"|(?:很|太|好|超|贼|巨|有点|有些|特别|非常|越来越|越用越|越更越|都|还|也|就|老|又|经常|动不动就?)卡(?![片号位住着在到里上内口券包纸车通尺子])"
    r"|卡(?:顿|死|得要死|的要死|得不行|的不行|成)|(?:越来越|越用越|越更越)(?:慢|差|烂|烫|热)"
    r"|(?:发热|发烫|耗电|掉电|费电|掉漆|掉色|漏光|漏水|磨损|损耗|老化|杀后台|色差|失真|噪音|异响|卡顿)"
    r"(?:也|都|还是|还|确实|真的?)?(?:很|太|好|比较|非常|特别|贼|超|有点|挺)?(?:严重|厉害|明显|快)"
    r"|" + _ASPECT + r"(?:速度|方面|上|这块|也|都|就|还|确实|真的?|实在|还是|又|是|简直)*(?:有点|有些|很|太|比较|非常|特别|挺|这么|那么|过于|最)?"
    + _VERDICT +
    r"|(?:是|很|太|真|这么|那么|好|就是个?|都是|纯)垃圾(?![桶箱袋站车处分清回填场话短])|(?:这|老|各种|一堆)毛病|(?:经常|各种|老是|总是|一堆|全是)\s?bug"
    r"|还不如|都不如|远不如|比不上|比[^，。]{1,12}还(?:差|严重|卡|慢|烂|糟|难用)|不(?:太|够|怎么)?(?:流畅|灵敏|跟手)"
    r"|(?:都|也|老|容易|经常|总是|一直)(?:发热|发烫)|(?<![说讲])不香(?!不臭)|(?:很|太|好|真|显得)low"
    r"|(?<!不是)(?:倒退|退步)|不进步|开倒车|毁了|💩|(?:有|是|最大的?|一个|这个)(?:弊端|硬伤|短板|缺陷|通病|槽点)|烦死"
    r"|怎么(?:调|弄|设置|修|试|刷|重启)都(?:不|没|是|还|发|偏|有)|(?:很|太|特别|有点)不自然|(?:真|确实|已经|实在|真的)不行了?(?![吗么])"
    r"|(?:跟|和|与)(?:宣传|显示|介绍|广告|详情页?)的?[^，。]{0,3}(?:不一样|不符)"
    r"|(?:很|太|比较|有点|好)糊(?!涂)|糊(?:死|成)|(?<![被最不])(?<![你您我]们)(?<!让[你您我])失望|劝退|(?:不会|不想|再也不|以后不)再?买.{0,6}了|千万别买|不要买|(?:劝|建议)(?:大家|各位)?别买|不(?:太)?建议(?:买|购买|入手)?)"
    r"(?![吗么呢])")
_WEAK: tuple[tuple[str, re.Pattern[str]], ...] = (
    # 四百盒太多喇, 一百箱太多了: the order asked for is too large.
    ("other", re.compile(_AMT + r"(?:盒|箱|包|台|套|件|瓶|桶|袋|只|双|支|吨|罐|条|张)(?:货)?(?:有点|实在)?太多")),
    # 就是担心系统会不会卡住: a worry the product fails
    ("other", re.compile(r"(?:担心|就怕|好惊)[^，。]{0,12}?(?:会不会|会)(?:卡|坏|出问题|掉线|崩|死机|漏|裂)"
                         # 冷天 钓带 会不会 发硬 开裂, 戴了面照 会 透勿过气伐: asked of the goods themselves
                         r"|会不会\s?(?:发硬|开裂|变形|断|生锈|掉色|褪色|过敏|透不过气)|会\s?透(?:勿|不|唔)过气"
                         # 冬天零下三十度，能不能抗得住，别一冻就掉线
                         r"|能不能(?:抗|扛|顶)得住|(?:抗|扛|顶)得住(?:吗|不)|别一[^，。]{1,3}就(?:掉线|坏|死机|卡|停)")),
    ("other", re.compile(_PAST + r".{0,28}(?:漏气|漏液|漏水|坏点|不冰|退货|退了|算错|出错|掉线|太小|太大|偏小|偏大|是201|不合格"
                         r"|(?:那个|那批|那台|那套|的)[^，。]{0,4}不太?行)")),
    # Value in forum words: cannot afford it, a tax on fools, fleecing buyers (割韭菜), low specs at a
    # high price, a price drop soon after buying, a price that the product does not live up to.
    ("price", re.compile(r"(?<!不是)买不起|智商税|割韭菜|(?:当|是|做|的|很|太)韭菜|韭菜机|高价低配|低配高价|天价|嫌贵|掉价|降价(?:太|这么|那么)快|(?:没多久|刚买|才买|买完)[^，。]{0,6}就降价|不舍得买|降价了?" + _AMT
                         + r"|(?:又|都|全都|还|一直|年年|每年|老是)涨价|(?:没|有啥|有什么)性价比|性价比.{0,6}(?:高在哪|在哪)"
                         r"|卖(?:得|的)?(?:这么|那么|太|好|挺|很)贵|(?:还|却|也)卖(?:得|的)贵|(?:这么|那么)贵(?!吗)"
                         r"|(?:这个价|这价|这个价格|这价格|这个价位|这价位|那钱|这钱|这个钱|那个钱|那个价)[^，。]{0,8}(?:不如|还不如)"
                         r"|预算[^，。]{0,12}(?:选不到|买不到|买不了)|(?:收割|割)(?:用户|消费者)|价格跳水|大跳水"
                         r"|(?:配不上|对不起|撑不起|不值)(?:这个|它的|这|那个)?(?:价格|价钱|价位|售价|定价)")),
    # What a discount still leaves (九折也要十八万, 让了两千还是三十一万) and what is still missing (还是差八万,
    # 还是多三千五, 仍然超出两万, 超出预算了).
    # 让完也还要一百二十九万, 减完还七十六万六: the price left after the cut, said as still too much.
    ("price", re.compile(r"(?:折|让|减|优惠后?|下浮|降|返[^，。？?]{0,4}点)[^，。？?]{0,8}(?:还是|也得|也要|都要|都得|也只到|也是|仍是|仍然是?|也?还要?|都?仲要|都?仲系)"
                         + r"(?=[0-9一二两三四五六七八九十百千万.]*[万千百块元蚊])" + _AMT
                         + r"|(?:还是|仍然|仍)(?:差|多|超出?|冒了?)" + _AMT + r"(?![台套个件箱包盒张次天])"
                         # 还超十七万, 仲差五万, 超咗五百, 离预算还有十四万二: how far over, in money
                         # (犹原超一万零五百 in Minnan, 还超1856 in a shop's plain yuan, Whisper's 还抄 for 还超; 还多十三万四)
                         + r"|(?:还|仲|都仲|还是|仲系|还系|都仲系|犹原|依然|仍旧)(?:差|超(?:出|咗|了)?|抄|多(?:了|出)?)\s*(?=[0-9一二两三四五六七八九十百千万.]*[万千百十块元蚊wWkK]|\d{3,}(?![\d.]*[台套个件箱包盒张次天]))" + _AMT
                         + _NOT_ACCEPTED
                         # 超一万四千七, 超 七千外, 超3w多: a clause opening on how far over
                         + r"|(?:^|(?<=[，,\s]))超\s*(?=[0-9一二两三四五六七八九十百千万.]*个?[万千百十块元蚊wWkK])" + _AMT + _NOT_ACCEPTED
                         + r"|超(?:阮|我|我们|我哋|阿拉)的数"
                         # 仍超控制价六万: over the tender's ceiling price
                         + r"|(?:还是|仍然|仍|还|依然|仍旧)超(?:出|过|了)?(?:招标)?(?:控制价|限价|最高限价|概算)" + _NOT_ACCEPTED
                         + r"|离预算还(?:有|差)" + _AMT
                         # 超咗四万, 超了六万八, 仍然多出四万多: over by an amount of money
                         + r"|(?<![不没])(?:超(?:咗|了|出了?|出来)|(?:仍然|还是|已经|仍)多出)\s*(?=[0-9一二两三四五六七八九十百千万.]*[万千百十块元蚊wWkK])" + _AMT
                         # 还差点 / 还差一眼眼 after the amount: a little short
                         + r"|^" + _AMT + r"(?:块|元|万)?[^，。]{0,4}还差(?:一)?(?:点|眼眼?)(?=[，,。\s]|$|但|不过)"
                         + r"|超(?:出|咗|过)?了?(?:我们?的?|我)?(?:预算|经费|限额)|(?:仍然|还是|已经)超出" + _AMT)),
    # The price cut the customer's rules demand (集团要求所有备件压价5%), the offer still short of it (离5%还差一截),
    # money the customer cannot lay out (三十二万一下子可掏不出来).
    # 一年60万太多了: a sum of money judged too much (五百箱太多了 is a quantity); 这个价在我们院里过不了: it cannot pass
    # (a bare 两万太多了 may count goods: 万 only after a period or a fee)
    ("price", re.compile(r"(?:(?<![0-9一二两三四五六七八九十百千万.])" + _AMT + r"(?:块|元|蚊)|(?:一年|每年|一个月|每个月|费|钱)" + _AMT
                         + r"(?:万|千|w|W))(?:钱)?(?:也|还是|还)?太多(?:了|啦|喽)?"
                         r"|(?:这个价|这价|这个价格|这价格|这个价钱|这价钱|这个数)[^，。？?]{0,10}(?:过不了|批不下来|通不过)")),
    ("price", re.compile(r"压价\s*(?:" + _AMT + r"|百分之)|离\s*(?:" + _AMT + r"\s*(?:%|个点)|百分之" + _AMT + r")\s*还差"
                         r"|掏不出")),
    # A ceiling set against the price: 预算顶多二十万, 钞票只有八万, 钱批的是五万以内, 控制价是三十万.
    # 批的钱就二百八十万, 老板娘给的数是一百一十万以内: the same, said as "only" or "within".
    ("price", re.compile(r"(?:预算|玉算|经费|钞票|资金|控制价|限价|给的数|批的钱|专款|拨款)[^，。]{0,8}(?:顶多|最多|只有|只得|只|才|就(?=[0-9一二两三四五六七八九十百千])|批的是)" + _AMT
                         + r"|批(?:的|下来的|复)(?:是|就是|系)" + _AMT + r"|(?:嘅|的)数(?:是|系)" + _AMT + r"(?:万|千)?(?:以内|以下)"
                         + r"|(?:给的数|批的钱|预算)(?:是|就是)" + _AMT + r"(?:万|千)?(?:以内|以下)"
                         + r"|多一(?:个子儿?|分钱?|毛钱?)都不(?:行|能)"
                         # 老板只肯出十万上下, 这项只批了四十八万
                         + r"|只肯(?:出|给|付|花)" + _AMT + r"|只批(?:了|咗)" + _AMT + r"|额度(?:是|只有|就)" + _AMT
                         + r"|钱[^，。]{0,6}(?:批的是|只有|顶多)" + _AMT + r"|才" + _AMT + r"的(?:预算|玉算|经费)"
                         r"|(?:钱|钞票|预算)就这(?:点|么多|些)|控制价(?:是|就是)" + _AMT)),
    # 比我们董事会批的一百八十万高出一截, 比我想的多, 还是比我打算的多: dearer than the customer's own figure
    ("price", re.compile(r"比(?:我|我们|俺|俺们|阮|阿拉|我哋)(?:想|打算|预想|预计|估计|心里|心理价|那个数|的数|那|的预算|预算"
                         r"|[^，,。？?！!]{1,8}?批的)[^，,。？?！!]{0,10}?(?:多|高|贵)" + _NOT_ACCEPTED)),
    # Dear in regional speech: 都几贵, 唔平, 高咗啲, 有眼眼贵 (Wu 有点贵), 贵成两蚊一个, 忒贵, 足贵 (Minnan), Whisper's 敢贵 (咁贵).
    ("price", re.compile(r"(?:都几|几|好|咁|敢|真系|傷|伤|忒|足)贵|唔(?:平|便宜)|(?<![水持公和太扯])平(?:啲|少少|一啲)|直接平" + _AMT + r"|(?:高|贵)咗|有眼眼?(?:贵|高)|(?:贵|差)成" + _AMT
                         + r"|贵(?:成)?(?:这么|那么|太|咁)多"
                         # 你哋贵喺边度, 你们凭啥子一间多出五万: asked why it costs more
                         r"|贵(?:喺|在)(?:边度|哪(?:里|儿)?)"
                         # 贵成十几万, 贵出来一千多, 超得太多, 肉痛, 太黑了: dearer by much, or too dear
                         r"|贵(?:成|出来)[^，,。？?]{0,4}(?:万|千|百|块|蚊)|超得?太多|肉痛|肉疼|(?:太|真|好|心)黑了?(?![色白板])"
                         # 价钱还要松一松, 仍高出一点: the price must give
                         r"|(?:价钱|价格|价)[^，,。？?]{0,4}(?:松一松|松一点|松点|松动一下)|(?:仍|仍然|还是)(?:高出|贵出|超出)(?:一点|一些|少少|一眼)")),
    ("price", re.compile(r"(?:预算|经费|资金|钱).{0,4}(?:批不下来|批不了|下不来)|(?:小|很|挺|太|蛮|真|略|贼|死|巨|险|怪)贵|价格不低|不(?:是很|太|怎么)?便宜|多收|另外收费|乱收费|收费.{0,4}(?:高|贵|不合理)")),
    ("service", re.compile(r"(?:服务|态度|服务员|店员|前台|客服|售后|员工|收银员|工作人员|导购|业务员|快递员|司机|保安)" + _DEGREE
                           + r"(?:差|不好|不行|" + _UNKIND + r"|恶劣|冷淡|有待改进|有待提高|差劲|不怎么样|不耐烦|烂)"
                           r"|(?:语气|口气)" + _DEGREE + _UNKIND + r"|什么(?:服务)?态度|没(?:有)?(?:一个)?人(?:管|理|处理|负责|接|回我)|爱(?:理|答)不理|不理人|(?:很|太|特别|有点|一脸)不耐烦"
                           r"|(?:你们|师傅|工人|人|业务员|司机|工程师)[^，。]{0,4}(?<![莫别要好])迟到|放鸽子|爽约|占线"
                           r"|不承认|不认账|推卸|踢皮球|互相推|(?:拼命|强行|一直|硬)推销|不见人影?|人影都没|联系不上|(?:电话)?打不通"
                           r"|上菜(?:太|很|有点)?慢|排队(?:时间)?(?:太|很)?(?:长|久)|等(?:待|候)?的?时间(?:过|太|比较|很|有点|特别)?(?:长|久)|等(?:了)?(?:好久|半天|很久)|态度都无|骂人")),
    ("price", re.compile(r"(?<!性价)比.{0,10}(?:(?:高|贵)出|(?:高|贵|多)(?:了|咗)?)(?:将近|差不多|足足|整整)?(?:一点|一些|不少|好多|很多|太多|一大截|一截|" + _AMT + r")" + _NOT_ACCEPTED + r"|(?:涨|加)(?:了|咗)" + _AMT
                         + r"多?(?:块|蚊|毛|元|个点|%)|涨了" + _AMT + r"[。！!]?$|不算便宜|没少几个钱|没便宜多少|吃不消|贵过|还是(?:有点|有些|稍微|略)?超|超了|冒了?(?:一大截|一截|不少|好多)|多一分钱都不行|是上限"
                         r"|最多(?:能|只能)?批|批的就是|(?:预算|经费|额度).{0,8}(?:就|才|只有|只剩下?|就剩下?|一共才|统共|统共才)" + _AMT
                         + r"|最多" + _AMT + r"(?![次遍天周年]|个(?:版本|月|星期|礼拜|小时|人))|不算少|毛利不到|估计悬|有没有便宜(?:一)?点的|^" + _AMT + r"(?:块|元|万|蚊)?那?(?:不行|不得行)")),
    # Another seller's price: 别家才卖八万, 对面那家报二十五, 同款三千二就拿下了, 现在这家才七千多
    # (an amount must follow 才/报, not a count: 一家店才卖五十箱 is the customer's sales, not a price).
    ("price", re.compile(r"(?:别家|别的厂家|别人家|人家|隔壁|隔篱|对面|另一家|一家|那家|这家|嗰间|嗰家|其他家|同行|同款|批发市场|线上|网上|旗舰店|邻居"
                         # 泉州那间才一百四十, 东莞有间厂报紧我三十几万, 一个厂跟我说十七八万就拿得下来
                         r"|那间|有(?:间|家)(?:厂|公司|店)|一(?:个|间)(?:厂|公司)"
                         # 老郭家换的才两万七八, 另一个平台看到一样的才一百一十几
                         r"|老(?!人)[\u4e00-\u9fff]家|(?:另一个|别的|其他)平台"
                         # 我们现在的供货商才九十六一箱, 俺现在进的那个牌子才六十二, 隔避厂 (Whisper's 隔壁), 药房看的…才两百多
                         r"|供货商|供应商|现在进的|隔避|药房|药方|药店|超市|商场)"
                         r".{0,16}(?:(?:才(?:花了?)?|只要|先至|报(?:紧|价|的|了)?(?:我们?|我哋|阮)?)" + _AMT + r"|(?:只卖|就卖|先|卖)(?![0-9一二两三四五六七八九十]+[箱包件台套个瓶盒罐桶吨张支条单双])" + _AMT + r"|" + _AMT + r"(?:块|元|万|蚊)?就(?:拿下|买到|搞定|拿得下)"
                         r"|都是全出|免费|免(?:押金|运费|安装费)|不要钱|不收钱|(?:还|都|仲)(?:送|包))"
                         # 我们去年在滨河项目租的才三十一: what the customer paid before
                         + r"|(?:去年|上次|上回|以前|之前)[^，。]{0,12}(?:才|只要)" + _AMT
                         # 眼下用着的那套全年才一万出头, 俺眼下使的是免费版，一分钱不花: what it replaces costs little
                         + r"|(?:眼下|现在|目前|而家)(?:用|使)(?:着|紧)?(?:的|嘅)[^，。]{0,12}(?:才" + _AMT + r"|免费|一分钱(?:都)?不花)")),
    ("price", re.compile(r"[0-9一二两三四五六七八九十百千万.]{2,}(?:块|元|万|蚊)?(?:还是|也|确实)?(?:有点|有些|稍微|略)?(?:太高|偏高|高了|太贵|贵了)"
                         r"|比(?:别家|别人家|人家|同行|其他家|市场价|网上|外面|隔壁)[^，。不没]{0,6}(?:贵|高)|(?:还是|仍然|犹原|仲系)比[^，。？?]{1,8}?贵(?![不吗么])|不划算|划不来|不值当|性价比(?:太|很|比较)?低"
                         r"|不赚钱|没(?:得|钱)赚|赚不到钱|亏本|亏钱|越来越贵|不值(?:这个|那个)?(?:价|钱)(?!了)|不算(?:低|少)|毛利(?:空间)?(?:只有|才|不到)"
                         r"|(?:钢材|原材料|材料|铜价|铝价|油价|行情|市场价).{0,4}(?:都|也)?(?:跌|降)了"
                         r"|超出.{0,6}(?:预期|预想|心理价|承受)|差了" + _AMT + r"[块元万千百蚊]|(?:预算|经费|资金)不足"
                         r"|还要(?:小费|加钱|另外收|额外收)|另收|额外收|另外(?:收|加)钱|赚.{0,3}(?:停车|服务)?费|(?:你|您)(?:们)?再(?:想想|想)办法")),
    # Terms refused or not the customer's to grant (这个我们不接受, 三年我可不敢, 半年我做不得主), and a worry the
    # staff cannot learn it (怕伊拉学勿会).
    ("other", re.compile(r"(?:这个|这样|这条|这点)(?:条款|比例|要求|条件)?(?:我们|阿拉|我哋|阮)?(?:不|唔|勿)(?:能)?接受|接受不了|接受唔到"
                         r"|(?:不|勿|毋|唔)敢(?:签|定)|(?:我|阮)可不敢(?!再)|(?:我|阮)?顶多签|做不得主|做不了主|作不了主|话唔到事|[一二两三四五]年太(?:耐|长|久)"
                         r"|(?:怕|惊|担心)[^，。]{0,8}(?:学不会|学勿会|学唔识|学唔会|不会用|勿会用|唔识用|用不来|用勿来|压根不用|不愿意用|操作不明白|不会操作|搞不懂|袂晓用|不会摆弄|摆弄不来|弄不来)"
                         # 年度合同我们不签，先签半年; 一签就3年？太长了，最多签1年; 订金阿拉从来勿付个; 不接受年年交钱
                         r"|先(?:签|试)(?:半年|仨月|[一二两三四五六\d]个月)|一签就(?:[一二两三四五\d]|十)年|(?:年度|长期)(?:合同|协议)[^，。]{0,4}(?:不|勿|唔|毋)签"
                         r"|最多签(?:一|1|半)年|(?:订金|定金)[^，。]{0,6}(?:不|勿|唔|袂|毋)付|不接受(?:年年|每年)(?:交|付)钱"
                         r"|(?:这一?条|这个条款|这款条款)[^，。]{0,4}(?:不得|不能|不会|不|勿|唔|毋)签|(?:一年|三年|两年)(?:个|的)?(?:合同|协议)[^，。]{0,4}(?:不|勿|唔|毋)签"
                         r"|(?:延保|保险|赠品|套餐|服务包)[^，。]{0,2}(?:我|我们|阿拉|我哋)?(?:唔|不|勿)需要|(?:惊|怕|担心)被[^，。]{0,6}绑死"
                         # 遮阳篷我不稀罕: a gift turned down
                         r"|不稀罕")),
    ("other", re.compile(r"(?:环境|卫生|设施|房间|质量|味道|口味|效果|做工|隔音|空间|位置|交通|造型|技术|水平|品质|东西|地方|种类|分量|"
                         r"用餐|体验|感觉|景观|景色|风景|水质|产品|材料|设备|停车位?|车位)" + _DEGREE
                         + r"(?:差|小|少|一般|不行|不好|陈旧|破烂|脏|乱|吵|挤|难吃|不干净|不(?:太|是很|怎么)?方便|不便|难找|不(?:太)?好找|不美|有待提高|嘈杂|拥挤|糟糕|堪忧|不怎么样)"
                         r"|没(?:有)?(?:卫生间|技术|配汤|什么味道)|(?:有|一股)(?:异味|恶臭|头发|苍蝇)|不(?:会|想)再来|后悔|太不好了|越来越不行"
                         r"|蒙人|变形|连接不上")),
    # Goods one cannot get, and a long wait for them (not for a repair visit, not one that ended in 终于).
    ("delivery", re.compile(r"(?:我|根本|都|还是|一直)买不到|抢不到|一机难求|(?:一直|还是|都)没货|没货(?:要|得)等|停产(?:了|好久)|等配件"
                            r"|(?<!电话)等(?:了|咗)[^，。]{0,3}(?:半个多?月|[0-9一两三四五六七八九十几多]+(?:个多?)?(?:天|日|周|星期|礼拜|月))"
                            r"(?![^，。]{0,3}(?:来人|有人|修|上门|处理|回复|回我|终于|批))")),
    # After-sales refusing to act, a shop that cheated, a repair trip that drags on.
    ("service", re.compile(r"(?:不给|不去|不肯|不愿意?|拒绝)(?:解决|处理|修|换|退|保修)|被(?:店|实体店|商家|卖家|客服|售后|门店|经销商|代理)[^，。]{0,6}坑"
                           r"|(?:寄修|送修|返厂|返修)[^，。]{0,6}(?:来回|一来一回|太?麻烦|很麻烦|好久|半个月|一周|个多?月)"
                           r"|没(?:有)?(?:给我们?|帮我们?)(?:弄|修|处理|搞|调)好")),
    # A review's "but": the fault after praise (…就是没有电梯, 缺点是人多, 只是远了点).
    ("other", re.compile(r"(?:就是|只是|可惜)(?:有点|有些|比较|太|稍微|略|偏)(?!忙|急|赶|担心)|缺点是|美中不足|唯一(?:的)?(?:缺点|不足|遗憾|可惜)|(?:就是|只是|可惜)(?:没有|没)(?!问题|关系|事|什么|必要)"
                         r"|(?:稍微|稍|有点|略)?(?:远|小|旧|淡|暗|吵|挤|硬|咸|油|腻|简单|单一|窄|短|薄)了(?:一)?(?:点|些)")),
    ("other", _QUALITY),
    ("other", _PRODUCT),
    ("other", re.compile(r"(?:偏|太|有点|有些)(?:咸|甜|淡|小|大|重|轻|吵|硬|软|薄|厚|稀|粗|细|暗)(?!希望|问题|关系|影响|必要|区别|变化|差别|意义)(?:了)?|"
                         r"(?:制冷|质量|效果|信号|声音|屏幕|性能|做工|包装|口感|味道|时间)(?:有点|太)?(?:不行|不好|一般|太差|差劲|长)"
                         r"|卖得一般|老掉线|还在犹豫|再谂下|(?:糖分|含量|甲醛|噪音|能耗|耗电)" + _DEGREE + r"(?:高|大|厉害)")),
)
# A delay told a clause after when it happened (去年你们送的那批管子，说好一周到，结果拖了二十天).
_DELAY = re.compile(r"拖了|拖咗|迟了|迟咗|延期|晚到|拖到|晚了(?:整整|足足)?(?:[0-9一二两三四五六七八九十几]|好几|半)")
_PAST_AT = re.compile(_PAST)
_WAITED = re.compile(r"等(?:了|咗)")
_BARE_DECLINE = re.compile(r"(?:就|都|也)?(?:不用了?|不需要了?|不要了?|勿要|唔要|毋要|用不到|用不上|用唔着|毋免)(?:吧|啦|喇)?")
_HAVE_IT = re.compile(r"(?:已经|自己|都|还)?(?:有了?|有嘞|有啦|配齐了?|买了|一大堆)(?:的)?[，,\s]*$")
_REPAIR_BEFORE = re.compile(r"修")  # 修, 报修, 维修
# A wait told with a repair (坏了报修，等了四天才来人) is the service's, not a late delivery.
_REPAIR = re.compile(r"修|坏|配件|来人|上门|派人")
_HEARD_BEFORE = re.compile(_HEARD + r"[，,]?$")
# 听说你们去年给河西一个学校做的校服，开学两个礼拜了还有三个年级冒到货: goods late, heard of earlier in the sentence.
_HEARD_ANYWHERE = re.compile(_HEARD)
_SOON_FAULT_AT = re.compile(_SOON_FAULT)
_REFUND = re.compile(r"才退|退掉|退款|包退")  # 结果拖了两个号头才退掉: a refund late, not goods
_NOT_ARRIVED = re.compile(r"[没冇冒](?:有)?(?:到货|送到|发货)|晚了(?:整整|足足)?[0-9一二两三四五六七八九十几半好]|迟咗|拖咗")
_HEARD_FAULT = re.compile(r"^" + _VENDOR_FAULT)
_NOT_OURS = re.compile(r"[那这几两三四五六七八九十](?:台|套|辆|部|条)(?:老|旧)"
                       r"|(?:我们|咱们|现在|厂里|原来)的?(?:老|旧)(?!板|规矩|客户|样子|地方|是|说|师|总|公|婆|家|乡|朋友)"
                       r"[A-Za-z\u4e00-\u9fff]{0,4}?(?:机|设备|系统|软件|仪|床|车|线)|(?:^|[，。,\s])老[A-Z]|用过(?:的)?(?:一家|别家|一个|的那家|别的|那个|那家)|(?:之前|以前|原来)(?:那家|合作的那家|用的那)"
                       r"|(?:我们|咱们)(?:现在|目前)(?:的|用的)(?![^。]*(?:你们|你家|贵司))"
                       r"|用了(?:[0-9一二两三四五六七八九十]+|好几|很多)年")
_ECHOED_PRICE = re.compile(r"\s*" + _AMT + r"多?(?:[块元万千百蚊]|一个月|一年|每[台套个年月])*(?:啊|呀|哦|噢|哈|啦|哎呀|哎哟|嗯)?"
                           r"(?:……|…|[？?！!，,。]|(?=我|阿拉|那我|这个?(?:也|还是|确实)?(?:太|有点)?(?:高|贵)))")
_PRICE_DOUBT = re.compile(r"考虑|再谂|想想|再看看|这个?(?:也|还是|确实)?(?:太|有点)?(?:高|贵)了?$|(?:预算|经费)[^，。]{0,4}(?:是|才|只有|就|只)")
_HESITATION = re.compile(r"考虑|谂|想想|看看")
# The quoted price said back as a question opens the customer's turn (五十二万八？, ¥168/箱？？, 一个八十五？,
# 三十一万 六 哦): an objection to it, unless the price is said not to be the trouble (十八块五？价格倒不是啥子问题).
_ECHO_ASKED = re.compile(r"(?:一(?:个|台|套|箱|件|张|片|根|平方?))?[¥￥]?[0-9一二两三四五六七八九十百千万.]{2,}多?"
                         r"(?:[块元蚊wW]|/[\u4e00-\u9fff])*(?:[？?]|哦|噢|啊[？?])")
_PRICE_FINE = re.compile(r"不是(?:啥子?|什么|大)?问题|(?:能|可以)接受|还行|合理|没问题|认了|行吧|好吧")
# What still holds when the faults talked about are not the seller's: the customer's own hesitation.
_OWN_DOUBT = re.compile(r"考虑|谂|想想|看看|再说|不需要|不用|放一放|商量")
_CONDITIONAL = _gated(r"(?<!不)如果|(?<![主只还])要是|的话|" + IN_CASE + r"|否则|不然|晚了就|慢了就|迟了就")
# What ends a clause after its words: punctuation, spaces, forum emoticon tags ([doge]) and emoji.
_TRAILER = re.compile(r"(?:\[[^\[\]]{1,8}\]|[\s,，。.!！~～…]|[\U0001F300-\U0001FAFF])+$")
_TAG = re.compile(r"\[[^\[\]]{1,8}\]")
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
    return _gated("|".join(f"(?:{phrase_pattern(p)})" for _, p, _ in _patterns(pack)))


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
    if phrase in ("来不及", "赶不上", "等不了") and _OWN_DEADLINE.search(clause, 0, m.end()):
        return True
    if phrase in ("不用送", "别送了") and (clause[m.end():m.end() + 1] in tuple("到过去上来") or _A_DAY.search(before)):
        return True  # 明天不用送了, 不用送到楼上: a delivery called off or arranged, not a gift declined
    if phrase == "没人去" and clause[m.end():m.end() + 1] == "过":
        return True  # 没人去过那边: nobody has been there, not a repair nobody came to
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


def _price_taken(text: str, start: int, i: int) -> bool:
    """The price said in the clause text[start:i] is taken: by the clause itself (超就超了), the next
    clause or later in the sentence."""
    return bool(_SO_BE_IT.search(text, start, i)) or _accepted_next(text, i) or \
        bool(_ACCEPTED_LATER.search(squeeze(_sentence_rest(text, i))[0])) or \
        not _RIVAL.search(text, start, i) and _taken_next_sentence(text, i)


def _taken_next_sentence(text: str, i: int) -> bool:
    """The price closed its sentence and the next sentence takes it: it opens by taking it (超三千。OK，我认了)
    or finds the gap a home by name (超八千。哦呀，这八千我跟老板讲得通). Not for a rival's lower price,
    which stays an objection however the next sentence goes on (比人家贵两百。要得嘛，价格我先报上去)."""
    if _sentence_rest(text, i).strip(" ，,"):
        return False  # more of this sentence follows: the clauses after are read already
    end = _SENTENCE_END.search(text, i - 1 if i > 0 else 0)
    if end is None:
        return False
    after = _SENTENCE_END.search(text, end.end())
    nxt = squeeze(text[end.end():after.start() if after else len(text)])[0]
    return bool(_ACCEPTED_NEXT.match(_OPENER.sub("", nxt))) or \
        bool(_THIS_GAP.search(nxt) and _ACCEPTED_LATER.search(nxt))


_OPENER = re.compile(r"^[，,\s]*(?:哦呀|哎呀|唉|哎|嗯|啊|哦|噢)*")
_THIS_GAP = re.compile(r"这(?:" + _AMT + r"[块元蚊]?|点钱|个差额|差额|部分)|(?:超|多)(?:出)?的(?:这点|那点|部分|钱)")
_SO_BE_IT = re.compile(r"(?P<x>超|贵|多)就(?P=x)(?:了|吧)")


def _accepted_next(text: str, i: int) -> bool:
    """The clause from `i` takes the price just said (…超一万，那行吧) — within the same sentence."""
    return not (i > 0 and _SENTENCE_END.match(text, i - 1)) and bool(_ACCEPTED_NEXT.match(squeeze(text[i:])[0]))


def _sentence_rest(text: str, i: int) -> str:
    """text[i:] up to the end of its sentence (nothing when text[:i] closed it)."""
    if i > 0 and _SENTENCE_END.match(text, i - 1):
        return ""
    end = _SENTENCE_END.search(text, i)
    return text[i:end.start() if end else len(text)]


_SENTENCE_END = re.compile(r"[。！!？?]")


def objection_clauses(text: str, pack: Pack, spans: list[Span] | None = None) -> list[tuple[Span, str, str]]:
    """(clause, type, phrase) for each clause that objects, whoever speaks.

    A clause raises one objection by the pack's phrases: the longest phrase it holds says what
    it is about (客服太慢了 is about service, not delivery); the customer-phrasing rules may add
    others of other types. An utterance raises each type once.
    """
    out = []
    seen: set[str] = set()
    whole = squeeze(text)[0]
    # Faults of the customer's own old machines or of a product it used before are the reason
    # to buy, not an objection to this seller (老活塞机耗电太厉害, 之前用过一家…老掉线).
    not_ours = _NOT_OURS.search(whole) is not None
    spans = spans if spans is not None else clauses(text)
    sentence_start: dict[int, int] = {}
    for c in spans:
        sentence_start.setdefault(c.sentence, c.start)
    for i, c in enumerate(spans):
        # Matched without the spaces some transcripts put between words (有点 贵).
        # A forum emoticon tag ([裂开], [doge]) is a face, not words: 裂开 there is no crack.
        t = _TAG.sub("，", squeeze(c.text)[0])
        strong = [f for f in (_first((r,), t) for r in _STRONG) if f is not None] if _ANY_STRONG.search(t) else []
        if _REPAIR.search(t):
            strong = [f for f in strong if f[0] != "delivery" or "货" in f[1]]  # 报修拖了三天: a repair, not goods
        said_before = squeeze(text[sentence_start[c.sentence]:c.start])[0]  # this sentence up to the clause
        if "delivery" not in seen and not any(k == "delivery" for k, _ in strong):
            delay = _DELAY.search(t)
            if delay is not None and not _REPAIR.search(t) and not _CONDITIONAL.search(t) and not _REFUND.search(t) \
                    and _PAST_AT.search(said_before):
                strong.append(("delivery", delay.group(0)))
        if "delivery" not in seen and not any(k == "delivery" for k, _ in strong) \
                and (arrived := _NOT_ARRIVED.search(t)) is not None and _HEARD_ANYWHERE.search(said_before[-40:]):
            strong.append(("delivery", arrived.group(0)))
        if "other" not in seen and not any(k == "other" for k, _ in strong) and _SOON_FAULT_AT.search(t) \
                and _HEARD_ANYWHERE.search(said_before[-40:]):
            strong.append(("other", t))  # 我听说那种人脸闸机，戴个帽子、出了汗就认不出来
        if "other" not in seen and _HEARD_FAULT.search(t) and _HEARD_BEFORE.search(said_before):
            strong.append(("other", t))  # 听同行讲，侬拉个机器绕到后头线会断: a fault heard of, in the next clause
        if not _REPAIR.search(t) and _REPAIR_BEFORE.search(said_before):
            # 上回给俺们修那台隧道炉，工程师拖了十来天才来: the repair named just before
            strong = [("service", p) if k == "delivery" and "货" not in p else (k, p) for k, p in strong]
        if any(k == "price" for k, _ in strong) and _price_taken(text, c.start, c.end):
            strong = [(k, p) for k, p in strong if k != "price"]  # 一箱也就贵十五，中，就这么地: over, and taken
        for kind, phrase in strong:
            if kind not in seen:
                out.append((c, kind, phrase))
                seen.add(kind)
        found = None
        asks = _ASKS.search(_TRAILER.sub("", t)) or _ASKS.search(t)
        if not (_CONDITIONAL.search(t) or asks and not re.search(r"能不能|可不可以|能否|再|(?<!有)点", t)):
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
            if found is None and _any_weak(t):
                found = _first(_WEAK_GATED, t)
                if found is not None and found[0] == "delivery" and _REPAIR.search(whole):
                    # 坏咗…维修佬话两日到，点知等咗七日: the wait was for the repair.
                    found = ("service", found[1]) if _WAITED.match(found[1]) else None
            if found is not None and not_ours and found[0] in ("other", "service") and not _OWN_DOUBT.search(found[1]):
                found = None
            if found is not None and found[0] == "price" and _price_taken(text, c.start, c.end):
                found = None  # 超一万，那行吧，俺咬咬牙: over, and taken
        if found is None and "other" not in seen and i > 0 and spans[i - 1].sentence == c.sentence \
                and _BARE_DECLINE.fullmatch(_TRAILER.sub("", t)) and _HAVE_IT.search(squeeze(spans[i - 1].text)[0]):
            found = ("other", t)  # 风幕柜俺们自己有，不用: an add-on declined, the customer has one
        if found is None and "price" not in seen:
            # 隔壁厂子买的燃气的，一台才二十万出头: another seller named in the clause before (or earlier in
            # this one: 网上同型号七八千就有), its price in this one.
            cheap = _RIVAL_AMOUNT.search(t)
            before = t[:cheap.start()] if cheap is not None else ""
            if i > 0 and spans[i - 1].sentence == c.sentence:
                before = squeeze(spans[i - 1].text)[0] + before
            if cheap is not None and _RIVAL.search(before) and not _CONDITIONAL.search(t):
                found = ("price", cheap.group(0))
        if found is not None and found[0] not in seen:
            out.append((c, found[0], found[1]))
            seen.add(found[0])
        # A long unpunctuated clause can object twice (十五寸太小了…能不能打个八五折): the weak rules of
        # other types too.
        # So can a long clause of forum text that faults both the product and its price
        # (屏幕差成那样还卖那么贵): the other weak rule then stands on its own words.
        long_clause = len(t) >= 16 and (" " in c.text.strip() or found is not None and found[0] in ("price", "other"))
        for kind, rule in _WEAK_GATED if long_clause and _any_weak(t) else ():
            if kind not in seen and not (not_ours and kind in ("other", "service")) \
                    and not (kind == "delivery" and _REPAIR.search(whole)):
                m = rule.search(t)
                # …要是还登不上我们就不续了: a threat under a condition, not a complaint.
                if m is not None and not _NOT_BEFORE.search(t, 0, m.start()) \
                        and not _CONDITIONAL.search(t, max(0, m.start() - 10), m.start()):
                    out.append((c, kind, m.group(0)))
                    seen.add(kind)
    # 坏了打电话，等了一个礼拜才来人: a breakdown told for the wait it caused is about service.
    if _REPAIR_WAIT.search(whole):
        kinds = {kind for _, kind, _ in out}
        out = [(c, "service" if kind == "other" and p in _BREAKDOWN else kind, p) for c, kind, p in out
               if not (kind == "other" and p in _BREAKDOWN and "service" in kinds)]
        seen = {kind for _, kind, _ in out}
    # A quoted price echoed back with hesitation or a lower budget (五百一我再考虑考虑, 十八万六啊……预算是
    # 十五六万): the doubt is about that price, not a bare 再考虑.
    echoed = _ECHOED_PRICE.match(whole)
    if echoed is not None and _PRICE_DOUBT.search(whole):
        out = [o for o in out if not (o[1] == "other" and _HESITATION.search(o[2]))]
        if "price" not in seen:
            out.insert(0, (spans[0], "price", echoed.group(0)))
            seen.add("price")
    if "price" not in seen and (asked := _ECHO_ASKED.match(whole)) is not None and not _PRICE_FINE.search(whole):
        out.insert(0, (spans[0], "price", asked.group(0)))
    return out


def _first(rules: tuple[tuple[str, re.Pattern[str]], ...], clause: str) -> tuple[str, str] | None:
    """(type, matched text) of the first rule that matches the clause un-negated."""
    for kind, pattern in rules:
        m = pattern.search(clause)
        if m is not None and not _NOT_BEFORE.search(clause, 0, m.start()):
            return kind, m.group(0)
    return None


# One pass to learn whether any rule can match a clause at all (most clauses object to nothing).
_ANY_STRONG = _gated("|".join(f"(?:{p.pattern})" for _, p in _STRONG))
_ANY_TOPIC = _gated("|".join(f"(?:{t.pattern})" for _, t, _ in _TOPIC_COMPLAINT))
# The weak rules start with so many characters between them that one gated alternation of all of them
# tries most of its branches at most places: each behind its own gate, a clause costs a third less.
_WEAK_GATED = tuple((kind, _gated(p.pattern)) for kind, p in _WEAK)


def _any_weak(clause: str) -> bool:
    return any(rule.search(clause) is not None for _, rule in _WEAK_GATED)


# 别 as "don't", not the 别 of 特别, 识别, 区别 …
_NOT_BEFORE = re.compile(r"(?:不|没|并不|不算|也不|一点也不|一点都不|(?<![特区分个级性类识辨鉴告差派])别|不要|不能|不可以|唔可以|唔好)$")


def _topic_complaint(clause: str) -> tuple[str, str] | None:
    """(type, matched text) when the clause complains about a price, delivery or service topic."""
    if not _ANY_TOPIC.search(clause):
        return None
    for kind, topic, complaint in _TOPIC_COMPLAINT:
        t = topic.search(clause)
        if t is None:
            continue
        for m in complaint.finditer(clause, t.start()):
            if m.start() - t.end() > 8:
                break  # too far apart to be about the topic (送货别晚了…厂里没人收)
            before = clause[:m.start()]
            if m.group(0)[0] not in "不没" and _NOT_BEFORE.search(before):
                continue  # 价格不高; 送货别晚了 asks ahead, it does not complain
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
