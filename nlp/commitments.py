"""Commitments: who wants or promises what by when (docs/contract.md, "Analysis semantics").

Every date in an utterance becomes a commitment of one kind, judged on the clause that
holds it:
  * expected — the customer says when they want something (希望3月20日前交付, 月底前一定要装好,
    你们下周五前把报价发过来);
  * promised — the rep says when they will deliver, fix or respond (预计3月25日到货,
    下周五给您答复, 明天派工程师过去);
  * other — any other date: past days and things already done, meetings, visits and
    demos, the customer's own plans (我们4月1号开工), a date used as a label (下个月的货),
    a rep repeating the customer's date back (您是要20号前到货对吧, 月底前没问题), a date declared
    impossible (20号肯定来不及) or offered on a condition (如果九月底前续费的话…, 只要…就, 满五十箱…),
    the customer's own doings (我这周内走完审批, 这周末我们有个活动, 今年内必须完成采购) and hedged
    or deferred wishes (下半年我们可能还要…, …的话再说).
A transcript without punctuation can put several dates in one clause: each is judged on its own
words, from the subject or connective before it (…没问题 您这周五之前…) to the next date's.
An unknown speaker's date (a mono call nobody could attribute, CLI without --speaker) is always
`other`: the same words are an expectation from the customer and a promise from the rep, so
without knowing who spoke they enter neither rhythm match nor open commitments.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace

from nlp.dates import DateMention, find_dates
from nlp.text import IN_CASE, Span, clauses, gated, squeeze

REP, CUSTOMER, UNKNOWN = "rep", "customer", "unknown"

# 请在六月二十日前转入: a request to the vendor.
_WANT = gated(r"希望|要求|请(?:在|于|务必)|需要|必须|一定要|一定得|务必|(?<!得)最好|尽量|尽快|赶在|着急|急着|等着用|等着|能不能|能否|可不可以|可唔可以|可以吗|"
                   r"能(?:送|到|来|装)[^，,。]{0,4}(?:不|吗|么)\s*[？?]?$|得帮(?:我们?|阿拉|我哋)?把|"
                   r"行不行|行吗|等(?:你|您)|得要|要在|要到|[需须](?:在|于)|要货|要装|要交|要用|要上线|要把|想要|想|得在|得把|得给|不能晚于|不能超过|最晚|最迟|截止"
                   # Hokkien 欲 / 爱 are 要 (就欲装好, 爱佇…进前到, 进前爱会用)
                   r"|欲\s?(?=装|到|送|交|用|会)|爱\s?(?=佇|会\s?用|会\s?使|到|装|交)|着\s?(?=装好|装|到|送到|上线|交|完成)")
# A bare 要/得 before an action also wants it done: 月底前要到, 下周得装好, 国庆前要备一批货.
_WANT_VERB = re.compile(r"(?:要|得)(?:能|把|给|先|在|全部|全|都|统统|尽快)?(?:到|交|发|送|装|安装|上线|完成|弄好|做好|调试|出来|拿到|用上|报|备|进|订|采购|"
                        r"执行|铺)")
_PROMISE = re.compile(r"预计|保证|承诺|争取|安排|确保|配合|肯定能|一定能|能到|可以到|能发|可以发|能交|可以交|能给|可以给|给您|帮您|为您|"
                      r"跟您|向您|通知您|联系您|回复您|答复您|最快|我们会|我会|会给|会发|会到|放心|保留到|保到|锁到|"
                      # 10.20之前一定回你: an answer by the day (寄回你 / 退回您 are goods going back)
                      r"(?<![寄退送发拿带返])回(?:你|您|侬)(?!们|家|去|来)")
# Delivering goods, fixing things, sending documents or answers (compounds only: a lone
# 到 in 到年底都有效 delivers nothing).
# 拨 is 给 and 侬 is 你 in 吴 speech (发拨侬, 回侬电话); 覆你 is 回复你 in Cantonese (听日覆你).
_DELIVER = gated(r"跟(?:着)?(?:送货|货)?车(?!间)|导(?:入|进)|跟着?[^，,。？?]{0,5}?货(?:一块|一起|一道)|发拨|送拨|寄拨|交拨|出厂|送抵|运抵|发物流|发快递|发(?:顺丰|中通|圆通|韵达|申通|德邦|京东|EMS|跨越)|装埋|送去|试送|传(?:给|俾|拨|互|予)?(?:你|您|侬)|传(?:一|份)|回(?:侬|你|您)(?:个)?电话|交付|交货|到货|到齐|到位|到厂|到店|到工地|到您|能到|会到|就到|可以到|一定到|肯定到|准到|发货|发过去|发过来|"
                      r"入仓|入库|进仓|配送|配好|配置好|设好|(?:过去|过来|去|来)(?:装|修|换|调试|安装|培训)|安排.{0,6}?(?:过去|上门)|"
                      r"发给|发您|发出|发到|发车|装车|送到|送货|送过去|送过来|调过来|调货|补上|补货|装好|装上|装完|安装|调试|上线|完成|做完|"
                      r"做好|走完|办完|签完|寄|提供|出货|出完|出样|打样|备货|排产|开通|部署|开好|开出|报价|出.{0,4}方案|答复|回复|反馈|"
                      r"回话|回电|打电话|回电话|覆(?:你|您)|准话|回音|递交|提交|回(?:你|您|侬)(?:个)?话|回访|施工|落实|派|安排人|安排工程师|上门|(?<![水污])处理(?![间站器])|维修|返修|更换|换掉|发布|等到|"
                      r"[送发交寄补][0-9一二两三四五六七八九十百千半]|(?:我们|我).{0,8}?返(?:[0-9一二两三四五六七八九十百千半]|点|利|现)|"
                      r"从.{1,6}?[发送调出]|交给|送给|进场|进[校厂店园院]|铺货|上架|启动(?!会)|"
                      r"(?:送|发|交|装|做|弄|办|铺|调|修|改|换|补|寄|运|对|签|盖|备|准备|整理|写|处理|导|迁|录)(?:完|好|齐|出来)|(?:全部?|都)到|点火|载(?:去|到)|(?:传|寄|送|交)予|"
                      r"(?:送|发|补|寄|运|调|拿|带|打|转|汇|拉|载|扛|搬|抬)(?:[0-9一二两三四五六七八九十几]+[^\s，,。？?！!过]{0,2})?(?:过去|过来|过嚟)|"
                      # 四月二号前分到六个店, 九月二十五号以前都验收完, 九月二十八号前并网, 明天下午我过来签合同
                      r"分到|验收完|并网|(?:过来|过去|来)签(?:合同|协议|约)?|拿到[^，,。？?！!]{0,6}签|"
                      r"给(?:您|你|侬)(?:们)?(?:换|修|装|调|补|送|发|拉|带|配)|升级|修复|解决|优化|培训|"
                      # Cantonese 晒 / 掂 and northern 利索 finish a job (换晒新货, 搞掂, 装利索).
                      r"(?:送|发|交|装|做|弄|换|补|修|整|搞|铺)(?:晒|掂|利索)|快递|send|"
                      # 装机九月二十五号搞定, 三栋全部完工, 直配到门店, 接口打通, 二十号早上头一车, 开始迁数据
                      r"搞定|完工|(?:全部|都)结束|配到|打通|调通|送达|到场|到仓|到院|到校|发运|入场|上柜|入(?:贵司|你们|您)?仓|(?:头|第一)一?车|开始(?:迁|进场|施工|供)|"
                      # 十八号以前全部就位, 都能进您库里, 全部送进你们仓库, 八月十二号第二批, Whisper's 掉好 (调好)
                      r"就位|进(?:您|你|你们|您们|贵司)?(?:的)?[库仓]|送进|掉好|(?:头|第[一二三四五])一?批|"
                      # 合同传到你邮箱, 微信上给您, 电子发票发俾你, 把合同拿给阚科长, 全拉到地头
                      r"传(?:到|给|俾|过去)|传真|甩给|(?:发|寄|传)俾|微信上?(?:发|给|甩)|(?:拿|带|递)给|拉(?:到|去|过去|过来|工地)|"
                      # 我明天把合同发骆主管邮箱, 今晚电邮俾麦主任, 听日帮你开账号, 运到院里, 下周一实施
                      r"把[^，,。？?！!\s]{1,12}?(?:发|寄|送|传)|电邮|发邮件|开(?:账号|账户|户)|运(?:到|过去|过来|抵)|实施|"
                      # 带合同过嚟, 带签好的补充协议过来: papers or goods handed over (a sample, a case study or
                      # a colleague brought along — 带样机过来, 带技术过去 — is a visit to show them).
                      r"(?:带|拎|攞|拿)[^，,。？?！!\s]{0,6}?(?:合同|协议|发票|报告|证书|合格证|单据|货|配件|零件|新阀|新件)"
                      r"[^，,。？?！!\s]{0,4}?(?:过去|过来|过嚟)")
_RESPOND = re.compile(r"覆(?:你|您)|给(?:你|您|侬)(?:们)?(?:个|一个)?(?:答复|回复|回话|消息|电话|打电话|确认|通知|准信|回信|准话|回音)|回复(?:你|您|侬)|答复(?:你|您|侬)|告诉(?:你|您|侬)|"
                      r"通知(?:你|您|侬)|联系(?:你|您|侬)|回(?:你|您|侬)")
_VISIT = re.compile(r"开会|会议|评审会|碰一下|碰个头|见面|拜访|参观|考察|过去|过来|来一趟|去一趟|出差|放假|休息|开工|复工|演示|"
                    r"面谈|吃饭|走访|在家|不在|汇报|看看|看一下|聊|谈|交流|介绍|回来")
# What a visit is for: to see, measure, talk things over or sign (找麻姐签合同), not to deliver or fix.
_VISIT_FOR = re.compile(r"拜访|当面|跟[^，,。？?！!\s]{1,5}确认一下|找[^，,。？?！!\s]{1,4}(?:签|看|量|聊|谈|对|过|梳理)|看一下|看看|瞅瞅|量一量|量一下|梳理|过一遍|碰一下|聊聊|谈谈"
                        # 派工程师过来量场地, 到院勘察布线, 上门复尺, 跟铁队长讲讲, 同治疗师上一堂操作课
                        # (给老师做培训 after installing is a service delivered: promised)
                        r"|量场地|量尺寸|量(?:操场|机房|现场|房间|地方)|勘察|勘查|复尺|对一对|讲讲|讲一讲|上一堂|上堂|先讲|培训|陪训")
# Words that only move the rep somewhere (到厂里, 上门, 过去): no delivery of their own.
_MOTION = re.compile(r"到(?:贵|你们|您们|你哋)?(?:厂|店|工地|您|你|集团|总部|学校|医院|公司|司|校|院)|上门|进[校厂店园院]|(?:过去|过来)(?!装|修|换|调试|安装|培训)"
                     r"|派(?:工程师|师傅|技术员|技术|人|培训师)?(?=过来|过去|过嚟|上门|到)")
_IMPOSSIBLE = re.compile(r"来不及|赶不上|做不到|不可能|不行|没办法|够呛|有点紧|太紧|紧张|有困难|困难|保证不了|不能保证")
# 只要…就, 满五十箱返五个点: a condition too.
# 您这月三十号前订，我给您让一万二: the customer's deadline for an offer, a condition as well.
_HYPOTHETICAL = gated(r"如果|如能|若能|(?<![主只还])要是|的话|假如|" + IN_CASE + r"|假设|只要|满[0-9一二两三四五六七八九十百千]|"
                           # 你六月十五号前落实签约，牙椅打九折; 你们九月底之前走完流程; 恁若六月三十号进前落三冬的约
                           r"(?:您|你|恁|侬|贵校|贵司|贵院|若)[^，,。！!？?]{0,10}?(?:之前|以前|进前|前头|前)\s*"
                           r"(?:下单|订|定下来|定|落定|签|拍板|完成(?:采购|签约|签订|下单)|付款|落实签约|落单|落(?=\s?[一二两三四五六七八九十0-9])|走完(?:\s?流程)?|确认订单)"
                           # 今天定我给您减八百, 赶月底拍板一套给你让四千: an offer that holds if decided by then
                           r"|(?<![肯一确决约规预])(?:定|订|签|下单|拍板)(?:下来|的话)?(?:我)?(?:就)?[^，,。！!？?]{0,6}?(?:给(?:您|你|侬))?(?:减|让|优惠|便宜|送(?!到|过|去|来|货))")
_SECOND_PERSON_WANT = re.compile(r"(?:您|你|你们|贵司|贵方|您那边|你们那边)(?:这边|那边)?(?:是)?(?:说|要|需要|希望|想|打算|计划|要求|定)")
_QUESTION = re.compile(r"[吗吧呢？?]\s*[，,。]?\s*$|对吧|是吧|是不是|对不对|行吗")
_DONE = re.compile(r"已经|已|刚|[带发送到给做拿寄]了|(?:过来|过去|出来|好)了")
# Right after the date: 明天到, 后天就能发.
_TIME_OF_DAY = r"(?:凌晨|一早|早上|上午|中午|下午|晚上|傍晚|夜里向|夜里|夜头|上半天|下半天|上半日|下半日|上昼|下昼|晏昼|朝早|夜晚|早起|下晡)"  # Hokkien 早起 / 下晡
# (晚上十点我们远程切换: the hour, then the work done at the customer's; an hour before a bare 到 is
# the rep's visit — 明天下午三点我到东街店 — as the guides label it)
_HOW = r"(?:我们|我)?(?:就|会|能|可以|肯定|一定|准时|按时|再|才|先|统一|开始|分批)*"
_DELIVER_AFTER = re.compile(r"^" + _TIME_OF_DAY + r"?(?:(?:[0-9一二两三四五六七八九十]+点(?:半|钟)?(?:前后|左右)?)?"
                            + _HOW + r"(?:远程)?(?:发|送|交|装|补|进|寄|出|铺|施工|配送|切换|上线|开通|调试|安装)|" + _HOW + "到)")
# 下个月的货, 端午节的货: a date naming a thing (明天的消息 is an answer due then).
_LABEL_AFTER = re.compile(r"^的(?![话时]|消息|答复|回复|回话|电话|准信)|^(?:到期|过期)|^(?:的)?(?:活动价|特价|促销价)")  # 九月底到期: an event's day
# The customer's own affairs on that day, not the vendor's: 这周末有个活动, 七月一号有一批活要开工,
# 今年内必须完成采购, 四月底前我们还要盘库.
_OWN_EVENT_AFTER = re.compile(r"^(?:我们|我)?(?:这边)?(?:还|也)?有(?!没有)")
# The day, then what the customer's side does on it (二十八号阮欲交一批货予客人, 15号开始我们要冲发货高峰).
_OWN_DOING_AFTER = re.compile(r"^(?:开始|起)?(?:我们|我哋|阮|阿拉|俺们|咱们)(?:这边|店里|总店|厂里)?(?:就|要|欲|得|会|还)")
_OWN_PROCESS = re.compile(r"(?<![给到向找])(?:采购|审批|招标|定标|开标|评标|立项|报批|盘库|迎检|开分公司|开业|开工|交房)")
_HEDGE = re.compile(r"可能|也许|或许|说不定")
# 货的话, 合同嘛: a short topic set off just before the date (not 如果…的话, a condition).
_TOPIC = re.compile(r"(?:^|[，,\s])(?!如果|要是|假如)[^，,。？?！!\s的]{1,4}的话$")
# …，卖得动的话再说: the sentence puts the whole wish off.
_DEFER = re.compile(r"再说|到时候再")
_FIRST_PERSON_END = re.compile(r"(?:我们|咱们|我|阿拉)(?:这边)?(?:尽量|争取|会|就|先|再|一定|可以|能)?$")
# The rep asking or offering (这礼拜要不要给您送点, 下周四方便吗？), waiting (月底等您消息) or calling to ask
# for the customer's result (下礼拜二给您打电话问问信儿): no promise.
_REP_ASKS = re.compile(r"要不要|需不需要|方便吗|有空吗|在不在|电话问问|电话问一下|问问(?:信|结果|情况|进展)")
_QUESTION_END = re.compile(r"[吗嘛][？?]?\s*$|[？?]\s*$")
_CONDITION_REACH = 10
# …and before it, within this many characters: in an unpunctuated transcript 七块的话要找厂家申请…价格明天
# 下班前答复您 puts its condition on the price, far back, not on the answer's day.
_CONDITION_BACK = 16
_REP_WAITS = re.compile(r"等(?:您|你|侬)(?:们)?(?:的)?(?:消息|回复|答复|电话|回话|通知|确认)")
# The customer telling the rep what to do right after the date: 明儿上午你给我回个信儿, 周五你们把样品送来.
_YOU_AFTER = re.compile(r"^" + _TIME_OF_DAY + r"?(?:你们|你哋|您|你|侬)(?:这边|那边)?"
                        r"(?:给我|给我们|把|帮我|就|先|一定|必须|务必|得|要)?(?:回|答复|回复|发|送|到|装|报|给|拿|带|过来|去[^问看，,。]{0,4}?[店厂校院司仓])")
# 下礼拜二你们工程师来了，先找钮主任: the customer telling the rep whom to see on the day they come.
_YOU_ARRIVE = re.compile(r"^[，,\s]*(?:你们|你哋|您|你|侬)(?:的|那边的?)?(?:工程师|师傅|技术员|人|安装队|业务员|司机)?(?:来了|到了|过来了)"
                         r"(?:以后|之后)?[，,\s]*(?:先|直接|就)?(?:找|去|到)")
# The customer telling the rep when to come or deliver: 你 下周 三来吧, 你改下礼拜五送啦, 咁你下礼拜四前喺旺角店装.
_YOU_DO_IT = re.compile(r"(?:你们|你哋|您|你|侬)[^，,。？?]{0,10}?(?:过来|来|送|装|发|带)(?:过来|过去|上)?(?:吧|啦|嘛|喇|哈)"
                        r"|(?:咁|那)(?:你们|你哋|您|你|侬)[^，,。？?]{0,10}?(?:过来|来|送|装|发)")
# Goods or service reaching the customer: 我们下周一前要收到货 still wants the vendor to deliver.
_RECEIVE = re.compile(r"收到|到货|到齐|到位|到厂|到店|送到|交货|交付|发过来|送过来|拿到|用上|上线|装好|装完|安装|调试")
# 前收到, 之前能用上: what the customer must have by the day.
_RECEIVED_BY = re.compile(r"^(?:之前|以前|前)?(?:就)?(?:能)?(?:收到|拿到|到手|用上|能用|调试好|装好|到)")
# (十月十号以前) 屋面板先到: the goods named, then their arrival by the day.
_GOODS_BY = re.compile(r"^(?:之前|以前|前)?[\u4e00-\u9fff]{1,5}?(?:先|都|全部?)?(?:到|送到|到齐|到货|到厂)(?![^，,。；;！!？?]{0,3}(?:出差|开会))")
_MODAL_ARRIVAL_AFTER = re.compile(r"^(?:之前|以前|前)?(?:得|要|必须|务必|一定要|一定得)(?:先|都|全部?)?(?:来|到|送到|送来|到齐|到货|到厂)"
                                  r"(?![^，,。；;！!？?]{0,3}(?:出差|开会|考察|参观))")
# The rest of the sentence after a date: what must be ready by then (届时设备必须能用, 线必须在那之前调试好).
# 四月十五号我们有个展会，线得在那之前跑顺了: said later in the same clause.
_BY_THEN_LATER = re.compile(r"赶在[^，,。；;！!？?]{0,6}(?:以前|之前|前)|(?:在那之前|那之前|届时)[^，,。；;！!？?]{0,4}?(?:必须|一定要|务必|得|要)|(?:必须|一定要|务必|得|要)(?:在)?那之前")
# The customer waiting for the vendor on that day: 下周二头午我在厂里候着你们, 下礼拜一上午我在家等,
# 下礼拜二阮等恁的合同; or saying when to come (后天过了三点再来).
_CUSTOMER_WAITS = re.compile(r"(?:候着?|等着?)(?:你|您|侬|恁|你们|您们)?(?:的)?(?:合同|报价|货|方案|消息|电话|样品)?[吧啊呀哈嘛]?$"
                             r"|再(?:来|过来)(?:吧|啦|嘛)?$")
# The rep's date said back as acceptable: a delivery verb, then 可以 / 能行 / 就来得及 / 就赶得切 / 就得.
_ACCEPTS_DATE = re.compile(r"^(?:之前|以前|前头?)?[^，,。；;！!？?]{0,4}?(?:调|装|铺|到|送|培训|交|做|弄|搞)(?:完|好|齐|掂)?"
                           r"(?:(?:就|都|也)?(?:可以|能行|来得及|赶得切|赶得上)|就得|(?<=[调装铺送交做弄搞])得(?:完|好)(?=[？?]))(?![吗么嘛])"
                           r"|^(?:之前|以前|前)?(?:就|都|也)?(?:可以|能行|没问题)(?=[，,。.！!\s]|$)")
_ANOTHER_DATE = gated(r"[0-9一二两三四五六七八九十廿]+(?:月|号|日(?!到夜))|(?:周|礼拜|星期|里拜)[一二三四五六日天]|[今明后](?:天|儿|日|晚|早)|上旬|中旬|下旬|月底|年底")
# 九月一号开学前得弄好, 元旦开业前必须装完: the customer's event is the deadline for what the rep does
_BEFORE_EVENT = r"(?:之|以)?前头?(?:就|都|全部)?(?:得|要|必须|务必|一定要|一定得)[^，,。；;！!？?]{0,6}?(?:好|完|到|齐|装|送|交)"
_EVENT_DEADLINE = re.compile(r"^[^，,。；;！!？?]{0,6}?" + _BEFORE_EVENT)
_OWN_EVENT_NOUN_AFTER = re.compile(r"^[^，,。；;！!？?]{0,4}?(?:报到|开学|开张|开业|周年庆|店庆|上级检查|有上级|开始报|开始冻|展会|年会|放假|生(?!产|意|效))"
                                   r"(?![^，,。；;！!？?]{0,3}(?:要用|得用|就要))"
                                   r"(?!" + _BEFORE_EVENT + ")")
# 我预产期十月尾: the customer's own day named, whatever is wanted next.
_OWN_DAY_BEFORE = re.compile(r"(?:预产期|生日|婚期|满月)(?:是|在)?$")
_BY_THEN = re.compile(r"^[，,\s]*[^，,。；;！!？?]{0,8}?(?:(?:届时|在那之前|那之前)[^，,。；;！!？?]{0,4}?"
                      r"(?:必须|一定要|务必|得|要)|(?:必须|一定要|务必|得|要)(?:在)?那之前)")
# Hokkien 恁 is 你; 改到十一日吧 moves the day with no 你 at all.
_YOU_MOVED = re.compile(r"(?:你们|你哋|您|你|侬|恁)(?:改|换|就)?(?:到|在|喺)?$|(?:^|[，,\s])改(?:到|成|在)$")
_COME_THEN = re.compile(r"^\s*" + _TIME_OF_DAY + r"?\s*(?:再|才)?(?:来|过来|嚟|过嚟|去|过去|上门)(?![了过])|^吧")
# The customer telling the rep, after naming the day, to come (你10点前过来哈, 你们下午三点以后来咯, 请您上午十点前到,
# 缪主任…等侬拉, 下午2点后过来就行).
_COME_LATER = re.compile(r"(?:你们|你哋|您|你|侬拉|侬|恁)[^，,。？?！!]{0,10}?(?:过来|过嚟|来|嚟|到)(?![过了])[^，,。？?！!]{0,5}?(?:就好|就行|就得|噻|咯|哈|吧|啦|嘛|喇|找我)"
                         r"|等(?:你们|你哋|您|你|侬拉|侬|恁)|请(?:您|你)[^，,。？?]{0,8}(?:到|来)|(?<!能)(?:过来|来|到)就(?:行|好|得)"
                         # 下礼拜二行，你上午来; …，您下午三点以后过来，单阿姨也在: the clause ends on the coming
                         r"|(?:^|[，,\s])(?:你们|你哋|您|你|侬拉|侬|恁)[^，,。？?！!不别甭唔勿冇没]{0,8}?(?:过来|过嚟|来|嚟)(?=[，,。！!]|$)")
# The customer naming the hour on the rep's day (你们下午三点以后来比较好, 下午吧，三点以后, 上午九点以后, 侬下
# 礼拜五上半日去) or telling the rep to come then (下午两点以后来吧): the day the rep is expected.
_HOUR_FOR_REP = re.compile(r"[0-9０-９一二两三四五六七八九十]+点(?:半|钟)?(?:以后|之后|过后|后|以前|之前|前)"
                           r"|(?:上半日|下半日|上半天|下半天)(?:来|去|过来|过去|嚟|过嚟)"
                           r"|(?:来|去|过来|过去|嚟|过嚟|上门)(?:吧|嘛|比较好|为好|最好|合适)")
# 明天下午我过来签合同，顺便…看一下: the rep comes with the contract, a promise whatever else is looked at.
# The rep bringing or sending the papers on a day (合同我下礼拜一带到学校来, 合同明儿我带去您公司签, 投标文件今天下班前
# 发送至您的邮箱): a promise, even where it takes a visit.
_BRINGS_PAPERS = re.compile(r"(?:合同|协议|文件|资料|发票|报价单|方案|清单|标书|样品)[^，,。？?！!；;]{0,12}?"
                            r"(?:带|拎|拿|送|捎|寄|发送?)(?:到|去|来|过去|过来|给|至|俾|拨)")
# The papers sent or brought to the customer (合同明天发我, 报价单后天拿来): what the customer asks for by the day.
_PAPERS_TO_ME = re.compile(r"(?:合同|协议|报价单|方案|资料|发票|清单|样品|标书)[^，,。？?！!；;]{0,8}?(?:发|寄|拿|送|带|传|给)(?:给)?"
                           r"(?:我|俺|额|阮|过来|来)(?!们?(?:这边)?(?:就|再|会|先|去))")
_SIGN_VISIT = re.compile(r"(?:过来|过去|来|去)签(?:合同|协议)")
_SECOND_PERSON_END = re.compile(r"(?:你们|你哋|您|你|侬|贵司)(?:这边|那边)?$")
_ASK_VENDOR = re.compile(r"把|给我|发我|给我们|发我们")
# Where a date's own words start when an unpunctuated clause holds several dates: at the last
# subject or connective before it (…没问题 您这周五之前…, …问题不大 只要设备科这边十五号前…).
# (给您 / 跟你 is the object of what goes before: 后天就从天津仓给您发顺丰.)
_STARTER = re.compile(r"我们|咱们|我|(?<![给跟帮为向替])(?:您|你们|你)|只要|如果|要是|但是|不过|另外|而且|然后")
_ENDER = re.compile(r"没问题|没毛病|问题不大|就行|就好|不急|可以")
# Words a clause may end in after its date and still be that date's alone: 那就下礼拜一上午，
_DATE_TAIL = re.compile(_TIME_OF_DAY + r"?[吧呢啊呀吗]?$")


@dataclass(frozen=True)
class Commitment:
    """A date said in the conversation and whose it is."""

    phrase: str
    speaker: str
    kind: str                        # expected | promised | other
    date: dt.date                    # the deadline or the day (see dates.py)
    window_start: dt.date | None
    window_end: dt.date | None
    ref: str | None = None
    clause: str = ""
    vague: bool = False              # 年前, 节后, 这两天: never in rhythm match; shown in the suggestion


def _until_another_date(text: str) -> str:
    m = _ANOTHER_DATE.search(text)
    return text if m is None else text[:m.start()]


def _kind(clause: str, lead: str, after: str, speaker: str, d: DateMention, on: dt.date, later: str = "") -> str:
    """The kind of date `d` said by `speaker`.

    `clause` holds it, `lead` is the clause before it, `after` the rest of the clause, `later`
    the rest of its sentence.
    """
    if d.past:
        return "other"
    if d.date <= on and _DONE.search(clause):
        return "other"  # 今天给您带了样机: done, not promised
    if _LABEL_AFTER.match(after):
        return "other"
    rest = clause.replace(d.phrase, " ")
    wants = bool(_WANT.search(clause) or _WANT_VERB.search(clause))
    promises = bool(_PROMISE.search(clause))
    delivers = bool(_DELIVER.search(rest) or _DELIVER_AFTER.match(after) or _BRINGS_PAPERS.search(rest))
    visits = bool(_VISIT.search(clause))
    # The rest of the sentence speaks of this date only when it names no other (…，十一月一号…那之前…).
    own_later = "" if _ANOTHER_DATE.search(later) else later
    visits_for = bool(_VISIT_FOR.search(clause + own_later))
    impossible = bool(_IMPOSSIBLE.search(clause))
    # A condition on this date is said before it or right after it (如果九月底前续费的话); a 的话
    # further on belongs to another matter (…给您配专属客服 另外续费的话有活动).
    at = clause.find(d.phrase)
    near = clause[max(0, at - _CONDITION_BACK):at + len(d.phrase) + _CONDITION_REACH] if at >= 0 else clause
    if at >= 0:
        # An affirmation closes the date's statement: in 一月二十号前装完没问题价格的话我再争取, 价格的话
        # names the next topic, it puts no condition on the date.
        closed = _ENDER.search(near, at + len(d.phrase))
        if closed is not None:
            near = near[:closed.end()]
    if speaker == REP:
        if visits_for and not _DELIVER.search(_VISIT_FOR.sub("", _MOTION.sub("", rest))) and \
                not _DELIVER_AFTER.match(_MOTION.sub("", after)) and not _SIGN_VISIT.search(rest):
            return "other"  # 下周一我带工程师到厂里当面过一遍参数, 下周五我到总部拜访艾经理: a visit
        # 货的话七月三号首批发出: a topic right before the date, no condition.
        if _HYPOTHETICAL.search(near.replace("的话" + d.phrase, d.phrase, 1) if at >= 0 and _TOPIC.search(clause[:at])
                                else near):
            return "other"  # 如果九月底前续费的话: the customer's condition
        if impossible:
            return "other"
        # Repeating the customer's wish back: 您是要20号前到货对吧.
        if _SECOND_PERSON_WANT.search(clause) and (_QUESTION.search(clause) or not (promises or delivers)):
            return "other"
        if _REP_WAITS.search(clause) or _REP_ASKS.search(clause):
            return "other"
        if delivers:
            return "promised"  # 明天下午就能送到您厂里，您看行吗: a promise put for agreement
        if _QUESTION_END.search(clause):
            return "other"
        if visits:
            return "other"
        return "promised" if promises else "other"
    if speaker == CUSTOMER:
        if _ACCEPTS_DATE.match(after):
            return "other"  # 一月十五号前调完能行, 十九号装好就赶得切: the rep's date accepted, not a wish set
        if _COME_LATER.search(after + own_later):
            return "expected"  # 下周二我请假，满师傅上午在，你10点前过来哈: the day, then when the rep is to come
        if _BY_THEN.match(later) or _BY_THEN_LATER.search(after + own_later):
            return "expected"  # 五月下旬要接一个大单，线必须在那之前调试好: the day, then what must be ready by it
        if _HOUR_FOR_REP.search(_until_another_date(after) + own_later) and not _RESPOND.search(clause + own_later):
            return "expected"
        if (not d.deadline and _OWN_EVENT_NOUN_AFTER.match(after)) or _OWN_DAY_BEFORE.search(lead):
            return "other"  # 八月二十号新生报到, 这月二十号三店搞周年庆, 预产期十月尾: the customer's own day
        # The customer promising their own answer (下周五前给你答复) is not an expectation.
        if _RESPOND.search(clause) and not re.search(r"你们|您们|贵司", clause):
            return "other"
        if (_YOU_AFTER.match(after) and "了" not in after[:6]) or _YOU_DO_IT.search(clause) or _YOU_ARRIVE.match(after + own_later):
            return "expected"
        you = bool(_SECOND_PERSON_END.search(lead))
        if (you or _YOU_MOVED.search(lead)) and _COME_THEN.match(after):
            return "expected"  # 侬下礼拜二来好了, 你改下个礼拜五嚟啦: the day the customer asks the rep to come
        if d.deadline and _MODAL_ARRIVAL_AFTER.match(after):
            return "expected"  # 一月十号以前得先来三十吨散件, 九月二十号以前必须全部到: by the day, a modal, the arrival
        if _OWN_EVENT_AFTER.match(after) or (_OWN_PROCESS.search(after) and not you and not _EVENT_DEADLINE.match(after)) or \
                (not d.deadline and _OWN_DOING_AFTER.match(after.replace(" ", "")) and not _RECEIVE.search(after)):
            return "other"
        # 先把钱给了再说 货最晚一月十号进仓: a 再说 before the date puts off what came before, not the date.
        deferred = _DEFER.search(clause[at:] if at >= 0 else clause) or _DEFER.search(later)
        if _HEDGE.search(clause) or deferred or (_HYPOTHETICAL.search(clause) and not wants):
            return "other"  # 下半年我们可能还要…, 十二月中旬前调完的话可以接受: no deadline set
        if _FIRST_PERSON_END.search(lead) and not _RECEIVE.search(clause) and (
                not wants or re.search(r"(?:尽量|争取)$", lead)):
            return "other"  # 我这周内走完审批: the customer's own doing
        if you and (delivers or _ASK_VENDOR.search(clause)) and "了" not in after:
            return "expected"  # 合同您今天发过来, 那你11月15号前把报告给我
        if (_DELIVER_AFTER.match(after) or _RECEIVED_BY.match(after) or d.deadline and _GOODS_BY.match(after)) \
                and re.search(r"(?:要|得|必须|务必|一定要)(?:的是|保证)?\s*$", lead):
            return "expected"  # 不过要听日送到, 我得六月十号前收到, 俺要的是十月十号以前屋面板先到: a modal, the day, the delivery
        if (_CUSTOMER_WAITS.search(clause.rstrip("，,。.！! ")) or _CUSTOMER_WAITS.search(own_later.rstrip("，,。.！! "))) \
                and "了" not in after:
            return "expected"
        papers = _PAPERS_TO_ME.search(clause)
        if papers is not None and at >= 0 and papers.end() >= at and papers.start() <= at + len(d.phrase) + 1 \
                and "了" not in after:
            return "expected"  # 合同明天发我, 合同后儿个拿来: the day the customer wants the papers
        if wants:
            return "other" if visits and not delivers else "expected"
        if d.deadline and (delivers or re.search(r"你们|您们|贵司", clause)):
            return "expected"
        return "other"
    # Unknown speaker (a mono call nobody could attribute): a date is reported, but it is neither the
    # customer's expectation nor the rep's promise — it could be either party's words.
    return "other"


def commitments_in(text: str, speaker: str, on: dt.date, ref: str | None = None,
                   spans: list[Span] | None = None) -> list[Commitment]:
    """The commitments of one utterance by `speaker` (rep, customer or unknown)."""
    squeezed, keep = squeeze(text)
    if len(squeezed) == len(text):
        return [c for c, _, _ in _commitments(text, speaker, on, ref, spans)]
    # A transcript with spaces between words (六月 二十 号 之前): read without them, reported in the
    # words as said.
    return [replace(c, phrase=text[keep[s]:keep[e - 1] + 1]) for c, s, e in _commitments(squeezed, speaker, on, ref, None)]


def _commitments(text: str, speaker: str, on: dt.date, ref: str | None,
                 spans: list[Span] | None) -> list[tuple[Commitment, int, int]]:
    dates = find_dates(text, on)
    if not dates:
        return []
    parts = spans if spans is not None else clauses(text)
    out = []
    for i, d in enumerate(dates):
        holder = next((c for c in parts if c.start <= d.start < c.end), None)
        start, end = (holder.start, holder.end) if holder is not None else (0, len(text))
        # Several dates in one clause (a transcript without punctuation): each date judged on its own words.
        prev = dates[i - 1] if i > 0 and dates[i - 1].end > start else None
        nxt_date = dates[i + 1] if i + 1 < len(dates) and dates[i + 1].start < end else None
        if prev is not None:
            start = _boundary(text, prev.end, d.start)
        if nxt_date is not None:
            end = _boundary(text, d.end, nxt_date.start)
        clause = text[start:end]
        # A date ending its clause often belongs with the next one (3月20号前，一定要到货),
        # unless that clause has a date of its own.
        if holder is not None and nxt_date is None and _DATE_TAIL.fullmatch(text[d.end:end].strip(" ，,")):
            nxt = next((c for c in parts if c.start == holder.end and c.sentence == holder.sentence), None)
            if nxt is not None and not any(nxt.start <= o.start < nxt.end for o in dates):
                clause, end = clause + nxt.text, nxt.end
        sentence_end = max((c.end for c in parts if holder is not None and c.sentence == holder.sentence), default=len(text))
        kind = _kind(clause, text[start:d.start], text[d.end:end], speaker, d, on, text[end:sentence_end])
        out.append((Commitment(d.phrase, speaker, kind, d.date, d.window_start, d.window_end, ref, clause, d.vague),
                    d.start, d.end))
    return out


def _boundary(text: str, a: int, b: int) -> int:
    """Where the words of the date at `b` start, between the end of the date before (`a`) and `b`."""
    start = None
    run_end = -1
    for m in _STARTER.finditer(text, a, b):
        if m.start() != run_end:  # 只要你们…: connective and subject said together start one run
            start = m.start()
        run_end = m.end()
    ends = [m.end() for m in _ENDER.finditer(text, a, b)]
    if start is None and not ends:
        return b
    return max(start if start is not None else a, ends[-1] if ends else a)
