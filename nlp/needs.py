"""Need statements: clauses in which the customer states a requirement.

A clause states a need when it carries a requirement cue — 需要, 希望, 要求, 必须, 一定要,
想要, 关键是, 能不能, 有没有, 是否支持, 至少, 不能超过 … — or a plain 要 with something to
want (要IP65的, 要三十台, a pack need word), or asks whether the product can do something
the pack knows (能对接钉钉吗), or lists an order item right after a need (五千个M16, 蚝油二十箱),
or orders without a cue word (那硬件也整两套, 给我放两箱, 你明天送货时一起带过来), or sets a
spec or deadline (标识要清楚, 屏幕要大一点, 我们得四月一号前装好, 还要过消防验收).
In ASR text with a space between every word, a long clause is cut before each further cue
(and before a budget word); an adverb before the cut (还 得 是…) goes with the need after it.
要 and 想 misheard as a homophone (腰三十台, 像换个…) still count where a want follows. It does
not when:
  * the cue is negated (不需要, 暂时不考虑, 没有这个需求);
  * it is hypothetical (需要的话再联系你, 如果以后要扩容…, 万一需要…), or the consequent of a
    condition said just before (如果你们能做到，我们就要一百台), or still undecided (要不要再拿两箱);
  * it is the customer's own plan or errand (我们要装修办公室, 我们得把外墙封完, 他得在场,
    项目明年底前要交房), a reminder (你们记得关注), or a bare yes (要备嘛);
  * it is about the buying process, not the purchase (需要跟领导商量, 得走招标流程);
  * it is an errand (发票抬头改一下, 有没有时间, 能不能把资料发我) with no need word;
  * it is an objection (能不能再便宜点 is haggling) or a money term (打个九折, 堆头费你们得出,
    出了错你们得赔, 控制在十万以内, 你看能不能十块, 预算最多二十二万, 促销支持, 先进十来万的货)
    — objections.py and money.py report those;
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
from nlp.text import IN_CASE, Span, clauses, first_chars, gated, squeeze, start_gate, strip_punct, word_spaced

_NUM = "[0-9一二两三四五六七八九十百千万]"
_MEASURE = "(?:台|套|个|批|件|箱|吨|只|盒|罐|副|包|袋|瓶|桶|支|卷|组|根|份|辆|打|把|张|条|樘|扇|粒|双|顶|片)"
# What an order is counted in (四十盘, 五十双 too): 整四十盘, 给我放两箱.
_ORDER_MEASURE = "(?:台|套|个|批|件|箱|吨|只|盒|罐|副|包|袋|瓶|桶|支|卷|组|根|份|辆|打|把|张|条|盘|双|部)"
# How much is used in a day, a month, a year (一个月要打两千多托, 一天要出两吨面条): the volume the
# goods must cover. Not money (一年要四万多), not a small amount (一个月才走七八十包), not a fault (一天要停两三次).
_USAGE_MEASURE = "(?:台|套|个|批|件|箱|吨|只|盒|罐|副|包|袋|瓶|桶|支|卷|组|根|份|辆|打|把|张|条|盘|双|米|托|片|斤|公斤|粒|杯|单|方|平方?|升|千克|人次|场)"
_USAGE = (rf"(?:日|月|年)产(?:量|能)?(?:大约|大概|差不多|约)?\s*{_NUM}+(?:多|来|几)?\s*{_USAGE_MEASURE}(?![块元蚊钱])|"
          rf"(?<![0-9一二两三四五六七八九十百千万第])(?:每(?:天|日|个?月|年|周|个?礼拜|个?星期|个?季度?|小时|个?钟头?|个?班)|一(?:天|日|个月|年|周|个?礼拜|个?星期|个季度|小时|个钟头?|个班|个?晚上?)|每晚|日均|月均)(?:大概|差不多|起码|少说|至少|大约)?"
          rf"(?:(?!才|只|也就|就)[^，,。！!？?\s]){{0,5}}?(?<![才只少多就])(?:要|得|需要|能|用|走|打|开|出库|出|卖|消耗|进|造|包|切|洗|封|收|接诊|检查|验|办)(?:过|处理|加工|灌|喷|冻|供|产|生产|烤|装|做|掉|上|个|出|卖|走|透)?"
          # (一天收衣服两千来件: what is taken in, named before the count)
          r"(?:[\u4e00-\u9fff]{1,2}(?=(?:大概|差不多)?[0-9一二两三四五六七八九十百千万]))?"
          rf"(?:大概|差不多|小)?\s*{_NUM}+(?:多|来|几)?\s*{_USAGE_MEASURE}(?![块元蚊钱])")
_USAGE_CUE = re.compile(_USAGE)
# The verbs of offering, bringing and fitting, and how a "don't …" with them ends (…莫给我装, …就别拿来了).
# (寄 of a parcel, a tender's 请勿响应; Whisper's 抱 for 报)
_OFFER_VERBS = "考虑|推荐|推|报价|报|抱|送|拿|拎|发|寄|装|介绍|弄|整|搞|响应"
_OFFER_END = r"(?:过来|过去|来|嚟|给我|给俺|个我)?(?:了|哈|啊|哦|喇|吧|啦|嘞|噶|咯|嘛|喔|哒)*[^\u4e00-\u9fff，,？?]*$"
# 矿物油基的不要哈, 油温的我们不考虑, 翻新机阿拉一律勿收: a kind of goods ruled out (a cue, and firm: see is_need).
# …的您就甭推荐了, 的门锁毋通拿来, 的可别往俺这儿发, 的就拉倒吧, 就唔使提喇, 翻新机不在考虑范围: the same, as said elsewhere.
_RULED_OUT_BODY = (r"(?:(?<=[的个嘅])|(?<=[的个嘅][\u4e00-\u9fff])|(?<=[的个嘅][\u4e00-\u9fff]{2})|(?<=[的个嘅][\u4e00-\u9fff]{3})"
                   r"|(?<=[的个嘅][\u4e00-\u9fff]{4})|(?<=那种)|(?<=这种)|(?<=那类))"
                   r"(?:我们?|阿拉|我哋|阮|俺)?(?:您|你|侬|恁)?(?:就|一律|可|都)?"
                   r"(?:不要|不考虑|免谈|甭拿来|别拿来|莫拿来|莫拿过来|莫搞|莫要|别发|勿收|唔收|不收|毋通(?:拿来)?|甭推荐|甭提|(?<=的就)拉倒|唔使提|免了|"
                   # …的就不考虑了, 就不用介绍了, 别推了, 一律不接受, Henan 不中, 可别给我
                   r"不用介绍|别推|一律不接受|(?<=的)不中|不予考虑|"
                   # …的杂牌子嫑拿来, 的就不要往我们这边送了, 的恁别往俺这推, 的莫给我拿, 的那种可甭给我送, 莫报: any "don't bring me"
                   r"(?:别|甭|莫|嫑|不要|不用|不必)(?:再)?(?:给我|往[^，,。！!？?]{0,5})?(?:推荐|推|报|送|拿来|拿|整|弄|搞|介绍)(?:过来|来)?|"
                   r"(?:可)?(?:别|甭|莫|嫑)给我|"
                   r"别整|甭整|莫整|别给我推|甭给我(?:推|报)|不要(?:跟我讲|发给我|给我发)|莫拿来糊弄(?:我|人)?|唔好(?:拎|攞)嚟|"
                   r"(?:别|甭)(?:给我)?往[^，,。！!？?]{0,5}(?:整|发|送|拿))(?:了|哈|啊|哦|喇|吧|啦|嘞)*[^\u4e00-\u9fff，,？?]*$"
                   # 二手设备或者翻新机一概不考虑, 二手/展示款就不要发给我了, 杂牌胶唔该唔好拎嚟: the kinds everyone rules out
                   r"|(?:二手|翻新|展示|样机|杂牌|贴牌|山寨|临期|回收料|再生料|再生铝|拼装)[^，,。！!？?]{0,12}?(?:一概|一律|都|就|也|可)?"
                   r"(?:不要|不考虑|不予考虑|不接受|免谈|免了|勿要|唔要|毋通|不收|别(?:整|发|送|拿|推|报|往)|甭|莫(?:拿|搞|要|发|整)|唔该唔好|唔好(?:拎|攞|介绍))"
                   # 别给我推全脸的: the kind after the verb
                   r"|^(?:别|甭|莫|不要)(?:给我)?(?:推|拿|发|送|报|弄|整|搞)[^，,。！!？?]{1,8}的[\s。.！!]*$"
                   r"|一律(?:勿收|不收|不要)|(?:不在|唔在)考虑范围(?:内|之内)?[\s。.！!]*$|(?<=[\u4e00-\u9fff])就唔使提(?:喇|啦)?[\s。.！!]*$"
                   # 封闭系统不予考虑, 公有云方案不予考虑: the formal refusal of a kind
                   r"|(?<=[\u4e00-\u9fff]{2})(?:一概|一律|均|都)?不予考虑[\s。.！!]*$"
                   # Any "don't offer me" after the kind, a 的 or 那种 before it (…的就别考虑了, …的产品请勿报价,
                   # 许种便宜货唔好拎来, …的莫给我装): the verbs of offering, bringing and fitting. Not 你的报价就别发了,
                   # 发票的事就别考虑了: a pronoun's or a matter's 的 names no kind of goods.
                   r"|(?:(?<![你您我他她它们])的(?!事|话|时候)|那种|这种|货)[^，,。！!？?]{0,12}?(?:您|你|恁|侬)?(?:就|可|千万|也|都)?"
                   r"(?:请勿|请不要|不敢|不要|别|莫|甭|嫑|勿|唔好|毋通)(?:再)?(?:给我|跟我|帮我)?"
                   r"(?:" + _OFFER_VERBS + ")" + _OFFER_END)
# A side of a size said in words: hundreds or thousands (of millimetres), or metres (一千三, 九百, 一米五) — not
# the small count of a price multiplied out (两百九十五乘四十).
_SIDE = r"(?:[一二两三四五六七八九十]+[百千][一二两三四五六七八九十百千]*|[一二两三四五六七八九十]{1,2}米[一二两三四五六七八九]?)"
_CUE_BODY = (
    _USAGE + "|"
    # 别抱太大希望, 没希望, 有希望: hope as a noun, not 希望 (want)
    r"需要|需求|(?:共|还|另|总共|一共)需(?=[\u4e00-\u9fff]{0,8}[0-9一二两三四五六七八九十百千万])|希望(?<![抱大没有]希望)|要求|必须|一定要|一定得|务必|想要|想找|想买|想换|想上|想做|想了解|想看看|想试|想先|关键是|重点是|核心是|"
    r"最重要的是|主要是要|能不能|能否|可不可以|可否|有没有|有无|是否有|是否支持|是否可以|是否能|支不支持|支持不支持|"
    r"得要|(?<!得)(?<!反馈)(?<!效果)(?<!卖的)最好|急需|期望|关注|看重|在意|考虑(?:上|换|采购|引进|买|做)|打算(?:上|换|采购|买|做|引进)|计划(?:采购|上|换|买|引进)|"
    # 计划新增二十四台…, 拟更换六台…, 计划新建两间…, 另采购一台…: a purchase planned, counted
    rf"(?:计划|拟|准备|打算|另)(?:新增|新建|更换|更新|购置|添置|增加|采购|增购)(?={_NUM}+{_ORDER_MEASURE}|[两几]?间)|"
    r"准备(?:采购|上|换|买|引进)|要的是|缺(?!货|点|陷|席|勤|口|件)|不能(?:太(?!贵|便宜)|被|超过|低于|少于|高于|大于|小于|短于|长于|有|上|影响|出现|含|加|掺|添加|带|少|减|卡|停|混|断|漏|差|直接|送|发|丢|掉)|"
    r"至少|起码|最紧要|唔可以|唔好(?!意思|提|讲|话|咁|再|又)|(?:莫|毋|勿)超过|(?:不要|勿好|唔好|别)超过(?=[^，,。！!？?]{0,8}?(?:公分|公斤|厘米|毫米|米|斤|克|度|分贝|寸|小时|分钟|秒|天|kg|KG|cm|mm|ml|ML|[0-9](?:g|G|L)))|要可以|得可以|(?:勿好|嫑|毋通|勿通)(?:有|太|含|加|掺|带|伤|用|一[推碰拉用洗])|不要(?:有(?!点|些|什么|啥|问题)|含|加|掺)|(?:最|顶顶|最最)?要紧(?:的|额|嘅)?是(?!总?价|价格|价钱)|是要紧|"
    # 不换不行, 不带赠品不得行: what cannot be done without.
    r"不[\u4e00-\u9fff]{1,6}不(?:行|得行|可以)(?=[\s，,。！!]|$)|还差(?![0-9一二两三四五六七八九十百千万点多少]|一点|.多)|(?:我们|俺们|阿拉)?也要\s*[，,。！!]?$|"
    r"能(?:长期|稳定|按时|及时)?供(?:应|货)吗|先(?:拿|要|来|订|进|放|发|送|备|配|试)[0-9一二两三四五六七八九十百千万]|"
    # 头批三百二十箱, 首单就要三百盒: the first order's size.
    rf"(?:首单|首批|头批|头一批|第一批)(?:就|先)?(?:要|订|拿|进|配|来)?{_NUM}+{_USAGE_MEASURE}(?!\s*(?:不行|太多|不要|不用|唔得|勿要))|(?:勿要|不要|别)太(?!贵|便宜|担心|着急|急|客气|麻烦)|"
    r"不低于|不超过|不高于|不少于|不小于|不大于|不短于|不窄于|不得(?:低于|高于|超过|少于|小于|大于)|要能|得能|要有(?!点|些)|得有(?!点|些)|要带(?![^，,。！!？?]{0,6}[去来])|要支持|要兼容|要符合|得符合|都得|"
    # 得 the modal (děi), not the complement after a verb (拿得到, 卖得最好); an adverb may come
    # between (也得一块儿配上); 整不了 is "cannot", not a requirement.
    r"(?<![拿买找做办看听收接受用搞弄见说记觉懂值晓认舍显免难获取赢使省])得(?:一块儿?|一起|一并|同时|先|都|全部?)?(?:给(?:我们?)?|帮(?:我们?)?)?"
    r"(?:支持|兼容|满足|配|带|是|负责|用|整|放|进|到|装|上(?![课架班会学报])|换|派|做|留|铺|耐|抗|防)(?!不)|"
    r"(?:(?<![价钱])要|(?<![拿买找做办看听收接受用搞弄见说记觉懂值晓认舍显免难获取赢使省卖长跑走来去过活吃穿睡价钱])得)(?:较|比较|更)?(?:轻|快|稳|准|小|大|匀|顺|少|低|好|足|强|全|齐|软|硬|细|粗|厚|薄|宽|结实|耐用|安全|静音|省电|好用|简单|方便|清楚|清晰|牢固|干净|整齐|齐全|准确|可靠|环保|美观|舒服|够(?!了)[\u4e00-\u9fff]|"
    # 要耐油, 要防滑, 要抗菌: a property the goods must have.
    r"(?:耐|防|抗)(?!止|范|备|守|着|不住|得住)[\u4e00-\u9fff]{1,3})(?=[\s，,。！!]|$)|"
    r"要(?:早点|尽早|快点|尽快)(?:到|送|发|交)|"  # 货要早点到
    # 切片厚度零点五到五毫米能调, 滑块行程能调, 辐照强度可调: a setting the goods must let one adjust
    r"(?<=[\u4e00-\u9fff])(?<![价钱扣])(?<!价格)(?:能|可)调(?:节)?(?=[\s，,。.！!；;]|$)|"
    r"(?:得|要|需要|必须)?尽快(?:换|上|买|采购|解决|安排|处理|到|发|交|装)|先(?:上|买|进|采购|试|做|装)|"
    r"想(?!想|法|到|起|说|问|知道|请|着|不到|必|来|去|过|了|跟|和|让|辙|再(?!加|买|上|订|要|来|进|配|添|采购|换)|卖|咨询|的|办法|个办法|一下|下(?!单|订)|.问)|要(?:能|自动|支持|带(?![^，,。！!？?]{0,6}[去来])|做到|达到|满足)|(?:都|各|全部|全都|统一|一律)要|"
    # 要原厂的哈: a particle may follow; Wu 额 and Cantonese 嘅 stand for 的 (要五年陈额); 要来/要去 is a plan.
    r"(?<![主重需])要(?!是|来|去)[^，,。.！!？?]{1,14}(?:的|额|嘅)[哈啊呀嘛哦喔噢]?[\s，,。.！!？?]*$|"
    # 还有就是得超薄的: 得 (děi) after an adverb or 是, with what is wanted.
    r"(?<=[还也都就是，,\s])得(?!是)[^，,。.！!？?]{1,12}(?:的|额|嘅)[哈啊呀嘛哦喔噢]?[\s，,。.！!？?]*$|要到(?=[\s，,。.！!？?]|$)|要(?:铺完|装完|做完|铺好|修好|调好)|"
    r"想.{0,8}(?:上线|到货|交付|装好|完成|用上)|关心|重视|注重|(?:要|得|能|必须|需要)(?:能)?(?:跟|和|与).{0,12}(?:打通|对接|兼容|集成|连通|同步)|"
    r"(?:要|得|必须)(?:帮(?:我们?|阿拉|我哋)?)?(?:把|在)|赶(?:在)?(?=[^，,。！!？?]{0,3}[0-9一二两三四五六七八九十月号日底])[^，,。！!？?]{1,10}?(?:之前|以前|前)头?(?:做完|完成|装好|装完|弄完|装利索|弄利索|切换好|切换完|到)|要(?:实时|随时|即时)?(?:睇|看)(?:到|得到)|(?:要|得|必须|一定要)(?:先|全部|都)?(?:到位|到货|到齐|装好|装上|装完|调好|交付|上线|送到|交货|铺到|备|进货|采购|订|拿到货|收到货)|"
    r"(?:马上|就|急着|等着)要用|急用|等着用|才行|才可以|(?:装好|到位|到货|完成|上线|交付|送到|前(?:能)?到)就(?:行|可以)|有吗\s*[？?]?$|"
    r"(?:你们|您们)(?:必须|得|一定要|务必|最好|要(?!不要|是))|(?:得|要|必须)跟(?:得)?上|"
    r"(?:之前|以前|进前|前)(?:(?:能|要|得|必须|着)(?:全部|都)?(?:送到|到货|交货|发货|到位|装好(?:势)?)|送到)|"
    # 八月二十号前送第一批到厂, 清明前把货铺到店: the day and the goods brought there (the customer's terms)
    r"(?:之前|以前|前)(?:把[^，,。！!？?\s]{1,6}?)?(?:送|铺|发|运|交)[^，,。！!？?了过]{0,6}?到(?:厂|店|仓|库|工地|现场|学校|医院|门店)(?!的)|前头?(?:还|也|仲|就)?(?:要|得|必须|一定要|务必)(?:再|先|全部|都|统统|全都)?(?:到|送|发|补|备|装|调|交(?!房|工|钱|费|差)|铺|修|换|整|切换|上架|进仓|入仓|上线|开通|用上|(?:弄|做|搞|印|办)(?:好|完|齐))|"
    # 我们得四月一号前装好: modal, date, then the deadline verb (我/他/她得… is their own errand).
    # (Hokkien 着 is 要: 门锁着二月十二号进前装好)
    r"(?<![我他她])(?:要|得|必须|务必|须|需|(?<![看急跟接试随沿顺靠])着)(?:在|喺)?[^，,。！!？?]{1,10}?(?:之前|以前|前)头?(?:全部|都)?(?:给|帮)?(?:我|我们)?"
    r"(?:装好|装完|送到|到货|到位|到齐|交付|上线|开通|完成|修好|调好|做完|铺完|交货|发货|拉到|运到|送齐|打好|换完|做好|弄好|搞掂|搞定|"
    r"完工|竣工|验收|进入|进场|入场|进厂|切换好|切换完|装利索|弄利索|到)|"
    # 我要机器十八号以前到厂: the goods there by a day (我要…到北京 stays the customer's own trip)
    r"(?<=我)要[^，,。！!？?]{1,10}?(?:之前|以前|前)(?:到厂|到货|到位|到齐|送到|运到|拉到|装好|装完|调好|上线|开通)|"
    # 七月十号一定要完工验收, 九月二十五号进前一定着到: the day, then the modal and what must be done by it
    r"(?<=[号日底])(?:之前|以前|进前|前)?(?:一定要|一定得|一定着|必须|务必|须|需)(?:完工|竣工|验收|装好|装完|到货|到齐|到位|送到|完成|上线|交付|进场|到(?![^，,。！!？?]{0,3}(?:出差|开会|北京|上海)))|"
    # 我得六月十号前收到: what the customer must have from the vendor by then.
    r"(?:要|得|必须|务必)(?:在)?[^，,。！!？?]{1,10}?(?:之前|以前|前)(?:收到|拿到|到手)|"
    # 开学要用; goods brought along (这次一起带过来); an order said as 给我放两箱, 整四十盘, 来十瓶
    # (not 上来/回来…); a result required (得切得利索); passing an inspection (还要过消防验收).
    r"(?:开学|开业|开工|投产|开张|开园|营业)(?:就|时|的时候)?要用|(?:一起|顺便|顺路|一块儿?|一并)(?:给我)?(?:带|送|发|寄|捎)[^，,。！!？?]{0,4}过来|"
    rf"给(?:我|我们)(?:先|也|再)?(?:放|发|送|寄|来|留|备|拿|整|配)(?:上)?{_NUM}+{_ORDER_MEASURE}|(?:整|(?<![上下回过出起进后本原从将以])来|拿)(?:上)?{_NUM}+{_ORDER_MEASURE}|"
    r"(?:要|得|必须)[\u4e00-\u9fff]{1,2}得(?:很|够|特别)?(?:利索|好|快|准|稳|干净|漂亮|结实|牢|清楚|清爽|清晰|明白|及时|下来|到|见)|"
    # 临期的我们不收, 门店那边不收直送: what the customer will not accept
    r"(?<=[\u4e00-\u9fff])(?<![钱费款你您侬])(?:我们|我|阿拉|俺|那边|这边)?(?:坚决|一律|绝对)?(?<!差点)(?<!几乎)(?<!分文)(?<!一分)不收(?:直送|散装|散货|临期)?[\s。.！!]*$|"
    r"(?:要|得|必须|能)(?:通)?过(?!来|去).{0,6}(?:验收|检测|认证|检验|评审)|"
    # 屏幕要大一点, 噪音得控制在六十分贝以下, 颜色要跟样板一致, 货最晚下周五要到: a spec or a deadline.
    r"(?:要|(?<![拿买找做办看听收接受用搞弄见说记觉懂值晓认舍显免难获取赢使省卖长跑走来去过活吃穿睡价])得)再?[大小高低长短厚薄轻快亮宽窄软硬稳矮浅深]一?(?:点|啲|些)|"
    # 鱼肉含量要六成以上, 扫全口要三分钟以内: a figure the goods must reach or stay within.
    rf"(?:要|(?<![觉记值舍难晓懂认])得|需|须)(?=(?:在|达到|做到|剩|有)?{_NUM}+[^，,。.！!？?]{{0,4}}?(?:以上|以内|以下|之内))|"
    # 产水每小时最少一千五百升, 每分钟最少要包60袋: the least the goods must do
    rf"最少(?:要|得)?(?=[\u4e00-\u9fff]{{0,2}}{_NUM})|"
    # (换模时间控制在五分钟以内: a limit the goods must keep, said without 要)
    r"(?:要|得|必须|务必)控制在|(?<![价钱费款额])控制在(?=[^，,。！!？?]{1,8}?(?:以内|以下|之内))|(?:要|得|必须)(?:跟|和|与).{1,8}(?:一致|一样|相同|匹配|配套)|"
    r"(?:最|顶)(?:晚|迟)[^，,。！!？?]{0,8}?(?:要|得|必须|一定要)|最(?:晚|迟)(?![^，,。！!？?]{0,3}(?:推|改|延))[^，,。！!？?]{0,10}?(?:送到|到货|交货|上架|进仓|入仓|铺到|铺货|送埋|送嚟|装晒|装埋|到(?:院|厂|店|校|场|位|齐)|装好|装完|上线|开通|交付)|"
    # 要听日送到, 得下周二前到货: a deadline named by its day, without 之前.
    r"(?:要|得|必须|一定要|务必)(?:在)?(?:今天|今日|明天|明日|听日|后天|后日|(?:下|这|本)?(?:周|礼拜|星期)[一二三四五六日天]|"
    r"(?:[0-9一二三四五六七八九十]{1,2}月)?[0-9一二三四五六七八九十]{1,3}[号日]|月底|月初)(?:之前|以前|前|进前)?"
    r"(?:送到|到货|交货|上架|进仓|入仓|铺到|发货|装好|装完|装晒|进厂|上线|到)|"
    r"越[\u4e00-\u9fff]{1,2}越好|"
    # 再配一台一百吨的数控折弯机, 再要直径十二的…立铣刀二百支: a further item, counted
    # (再买几包鼻氧管备用, 再看一个腰凳, 再上一条烘干线: bought, looked for or put in, a few of them — not
    # 另外上一个项目, the last one, nor 再上剩下四条, the rest later)
    rf"(?:再|另外?|还)(?:要|配|加|来|添|买|上(?!一[个次回批期年轮家]|剩|其余)|看|订|备|采购|弄|放|整)(?:上)?(?![^，,。.！!？?]{{0,24}}?(?:万|块|元|钱|蚊|价))(?=[^，,。.！!？?\s]{{0,20}}?(?:{_NUM}+|几){_ORDER_MEASURE}(?![月年钟小星礼周]))|"
    # 需采用环氧自流平, 须选用不锈钢材质: what must be used; 本次需采购…: what is to be bought
    r"(?:需|须|必须)(?:采用|选用)|(?:本次|此次|这次|今年)(?:需|须|需要|计划|拟)(?:采购|购买|购置|更换)|"
    # 安全带也该换了: what is due for replacement
    r"(?<=[\u4e00-\u9fff]{2})(?:也|都)?(?:该|得|要)(?:换|更换|换新)了[\s。.！!]*$|"
    # 另有楼梯防滑条约一千八百米: one more item and how much of it
    rf"另有[^，,。.！!？?]{{1,12}}?(?:约|大约|大概)?{_NUM}+(?:多|来)?(?:米|平方米|平米|吨|{_ORDER_MEASURE})|"
    # 再整个血养仪, 再帮阿拉大儿子买部平衡车: one more item, its count a bare measure word
    r"再(?:帮[^，,。.！!？?]{1,8}?)?(?:整|买|配|要|添)(?:一)?(?:个|台|部|套|只)(?=[\u4e00-\u9fff]{2})|"
    # 设备需在六月上旬完成安装验收, 首批卷材须于六月第三周进场, 框架断路器2月上旬要装: a deadline by a part of a month
    r"(?:需|须|要|得|必须|务必)(?:在|于)[^，,。！!？?]{1,10}?(?:上旬|中旬|下旬|第.周|月底|月初)(?:前|之前|以前)?(?:完成|进场|到货|安装|交付|上线|装好|送到|到)|"
    # 货得九月上旬到齐, 全部材料须在一月二十日前供应完毕, 终端得赶在三月上旬装完: all of it by a day
    r"(?:需|须|要|得|必须|务必)(?:赶)?(?:在|于|喺)?[^，,。！!？?]{1,10}?(?:上旬|中旬|下旬|月底|月初|[号日])(?:前|之前|以前)?"
    r"(?:全部|都)?(?:到齐|到位|供应完毕|完毕|装完|装好)|"
    r"(?<=旬)(?:前|之前)?(?:要|得|须|必须)(?:装|到(?!时)|送|交货|上线|进场)|"
    # 低温柔度需达到零下二十五度, 设备须取得国家三类医疗器械注册证: what the goods must meet or hold
    r"(?:需|须)(?:达到|满足|符合|具备|取得|提供|具有|通过|为)|"
    # 能保证九月二十号前把货全送到吗; 送货前打电话; 老数据要导进去
    r"保证[^，,。！!？?]{1,10}?(?:之前|以前|前)(?:把[^，,。！!？?]{1,6}?)?(?:全部?|都)?(?:送到|到货|交货|装好|到位|到齐|交付|上线)|"
    r"(?:送货|送|送嚟|上门|安装|发货|出发)(?:之?前|的时候)(?:提前(?:一|两|半)?(?:天|个?小时|个?钟头?)?)?(?:先|要|得)?(?:(?:给|跟)[^，,。！!？?]{0,4}?)?(?:(?:打|来|通知)(?:个|一个|只|一只|通)?电话|打给|打俾|打拨|打我)|"
    # 装门那天先给我媳妇打电话: the day of the job, a call first
    r"(?:那天|当天|到了)(?:先|要|得)?(?:给|跟|打给)[^，,。！!？?]{1,6}?(?:打(?:个|只)?电话|打手机)|"
    # 矿物油基的不要哈, 油温的我们不考虑, 那种贴纸的免谈, 翻新机阿拉一律勿收, …的就甭拿来了: what is ruled out
    + _RULED_OUT_BODY + "|"
    # 规格一千三乘两千六百二, 幅宽两米六, 一樘一米五乘两米一: the size of what is wanted
    # (not a size priced or multiplied out: 八百乘八百的那款一百三一片, 三千八乘二十四也要九万一千二, 4×185 cable)
    r"(?:(?<!同样)(?:规格|尺寸|幅宽|门幅|线径|目数)(?:最大|最小|要|得|是|在)?[0-9一二两三四五六七八九十]|"
    r"(?<![0-9一二两三四五六七八九十百千万点.A-Za-z\s])" + _SIDE + "(?:米|毫米|厘米|公分)?乘" + _SIDE + ")"
    r"(?![^。！!？?；;]*(?:块|元|万|价|钱|片|一平|也要|就要|等于|超))|"
    # 送货尽量放到下午两点过后: when deliveries may come
    r"(?:送货|配送|到货)(?:时间)?(?:尽量|最好|要|得)?(?:放到|放在|安排在|安排到|改到|定在)|"
    # 剩下的六月二十号前到齐, 二月三号前首批交货: the day and the delivery, without a modal
    r"(?<=[号日底初旬一二三四五六天])(?:之前|以前|前)(?:首批|头批|第一批|全部|都|全)?(?:到齐|交货|送到|到货|装好|装完|到位|交付|上线)(?![了过]|\s*(?:要得|可以|行|没问题|就行|也行|就来得及|就赶得切|就赶得上))|"
    r"(?:要|得|必须|都要|都得|也要)(?:全部|都)?(?:导进去|导进来|导入|录进去|录入|迁移|迁过来|迁过去|转过来)|"
    # 只接受发那科或者西门子, 不接受拼色返工, 不能是分装的, 手工膜勿要, 掺陈米的坚决不要, 唔要纯净水: what is ruled in or out
    r"(?:只|不|不能|唔|勿)接受(?!这|那|你|您|侬|了|吗|嘛|呢|啊)[\u4e00-\u9fff]{2,}|不能是[^，,。.！!？?]{1,8}的[\s。.！!]*$|"
    r"(?<=[\u4e00-\u9fff])(?<!那个|这个|赠品|送的|那些|这些|的话|你们|您的|分钱|毛钱)(?<![都也以])(?<!分钱 )(?:坚决|一律|绝对)?(?:勿要|唔要|不要)[\s。.！!]*$|"
    r"^(?:仲|也|都)?(?:唔要|勿要|不要(?!有|是|用|去|来))(?!太|送|了|你|您|侬|这|那|他|她|啦|喇|咁|再|客气|紧|担心|急|着急|理|管|讲|话|睬|说|问|怕|忘|骗|乱|浪费|错过|误会|生气|打|让|跟|给|把|被|再|又|光|只|老|总|一直|随便|多|钱)[\u4e00-\u9fff]{2,6}[\s。.！!]*$|(?:不要|唔要|勿要|毋要)(?!太|送|了|你|您|侬|这|那|他|她)[^，,。.！!？?]{1,8}(?:的|嘅|额|个|那种[\u4e00-\u9fff]{0,4})[\s。.！!]*$|(?:要|得|必须)分批|(?:要|得|必须|一定要)按照?|要[^，,。.！!？?]{1,10}的[^，,。.！!？?]{0,6}(?:款|型|版|型号|规格|系列)[\s，,。.！!？?]*$"
)
# Every character a cue can begin with. The regex engine tries each of the cue's ~120 branches at
# every position; a one-character lookahead first skips the positions no cue starts at (3× faster).
# Derived from the branches (text.first_chars); tests/unit/test_nlp_needs.py checks it against them.
CUE_FIRST_CHARS = first_chars(_CUE_BODY)
_CUE_GATE = start_gate(CUE_FIRST_CHARS)
_CUE = re.compile(f"{_CUE_GATE}(?:{_CUE_BODY})")
_CUE_BUT_USAGE = re.compile(f"{_CUE_GATE}(?:{_CUE_BODY.removeprefix(_USAGE + '|')})")
# A plain 要 (not 需要, 主要, 重要, 要是, 要不要 …) wants something when the clause says what.
_PLAIN_WANT = re.compile(r"要(?<![需主重想只不还总紧敢]要)(?!不要|是|么|不然|不|紧|求|点|素|命|好|数|赶|问)")
# 你们水饺和汤圆想进我们店？: the listener's wish, the one 想 names (not the customer's own: 我想…你们的).
_YOUR_WISH = re.compile(r"(?:你们|您们|你|您)[^，,。！!？?我俺阮]{0,8}想")
# After a plain 要, the thing wanted comes first: 要三十台, 要304的, 要IP65的 (not 要停两三次).
# 要做外墙真石漆, 要上一套MES: a purchase verb and what is bought.
_BUY_AFTER = re.compile(r"^(?:进|买|订|采购)(?:你们|您们|恁|你哋|侬拉)的[^，,。.！!？?了过]{2,}|^(?:买|上|换|采购|配|加(?=一|[两三四五六七八九十]|个|套|台)|装(?!修)|做|建|建设|引进|添置|添|备(?!注|案|份|课|考|用)|进|订|铺|刷|补(?!充|贴|签|办|偿|救)|改(?!造))[^，,。.！!？?的了过]{2,}")
_WANTED_AFTER = re.compile(r"^(?:买|上|用|换|采购|配|装|挂|贴|做|建|建设|引进|添置|增加|进|一个|个|一款|一批|一套|的是)?(?:型号|规格|款|版本|配置|功能|"
                           # 要虾饺、烧卖、叉烧包三样, 要测肺活量、立定跳远这几项: the items listed
                           r"(?:测|买|进|配)?[\u4e00-\u9fffA-Za-z0-9]{1,8}(?:、[\u4e00-\u9fffA-Za-z0-9]{1,8})+|"
                           r"[0-9一二两三四五六七八九十百千万]+(?:台|套|个|批|件|箱|吨|只|盒|罐|平|米|账号|席位|块|打|盏|把|间|条|张|副|包|袋|瓶|桶|支|卷|组|根|份|辆|粒)|[A-Za-z0-9]{2,}|"
                           # 要五升流量, 要二十一寸以上, 要八厘钢化, 要恒温三十七度: a measured spec
                           r"(?:恒温|至少|最少)?[0-9一二两三四五六七八九十百千点]+(?:升|寸|厘米?|毫米|公分|分贝|度|丝|瓦|伏|安|公斤|千克|克|毫升|匹|层|级)(?![0-9一二两三四五六七八九十]*(?:块|元|蚊|钱)))")
# 要三十抬, 要两千钛: a quantity whose measure word was misheard — a number and one character ending the clause.
# 要甲级防火门四百二十樘, 还要一只八十公分的浴室柜, 要从十六台扩到二十八台: goods wanted with their count
# (not a time or a headcount: 要两个小时, 要三个人; nor a past order: 要了三十箱).
_COUNTED_WANT = re.compile(rf"(?<![需主重想只不总紧])要(?!是|不|了|过|\s)(?!(?:再|先|还)?(?:赶|接|出|开|新开|倒|搞|办|改造))(?:[^，,。.！!？?了过]{{0,12}}?)"
                           rf"(?<![0-9一二两三四五六七八九十百千万第每钱]){_NUM}+(?:{_ORDER_MEASURE}|樘|扇|间|片)"
                           r"(?!小时|个?月|个?星期|个?礼拜|钟|工作日|人|天|日|年|周|次|点|左右就)")
# 另外要个喂奶枕, 我还要个婴儿床: one item wanted, named to the clause's end (not 要个说法, 要个准数).
_ITEM_WANTED = re.compile(r"(?<![需主重只不总紧])要(?:一)?(?:个|只|台|套|张|部|款)"
                          r"(?!说法|准话|态度|交代|解释|答复|回复|结果|准信|准数|价|发票|电话|名片|时间|地址|联系方式|微信|方案|报价|合同|人|面子|把|[0-9一二两三四五六七八九十几半]|礼拜|星期|月)"
                          r"[\u4e00-\u9fffA-Za-z0-9]{2,8}[哈啊呀嘛吧喇啦]?[\s，,。.！!]*$")
_HEARD_QUANTITY = re.compile(r"^[0-9二两三四五六七八九十百千万][0-9一二两三四五六七八九十百千万]*(?![0-9一二两三四五六七八九十百千万块元毛分角])[\u4e00-\u9fff]\s*[，,。.！!？?]?\s*$")
_FEATURE_QUESTION = re.compile(r"(?:能|支持|可以|有|带|兼容|对接|适配|符合|达到).{0,12}(?:吗|么|没有|没)\s*[？?]?\s*$")
# The customer telling the vendor what to deliver: 你们先发十台过来, 你们下周三前送到, 侬…寄过来,
# 你明天送货的时候一起带过来 (goods brought over: 过来 names where, as a date or a count does).
_DEMAND = re.compile(r"(?<![给帮跟和替])(?:你们|您|你哋|你|侬)(?!.{0,3}(?:是不是|要不要|能不能|可不可以)).{0,10}(?:发|送|安排|提供|装|交|铺|放|(?<![皮腰胶磁传纽绷])带|寄|捎)(?!的|了|过(?!来))")
_DEMAND_WHAT = re.compile(rf"前|之前|以内|号|过来|[0-9一二两三四五六七八九十百千]+{_ORDER_MEASURE}")
# A price cap put as a question: 三十万以内能不能做？
_PRICE_CAP = re.compile(r"[0-9一二两三四五六七八九十百千]+(?:\.\d+)?(?:万|千|元|块|w|W|k|K)(?:以内|以下|之内|左右|的话|能不能|可不可以|行不行)")
# Haggling and commercial terms are money, whatever product word is in the clause: 打个八五折,
# 零头能不能抹了, 控制在十万以内, 堆头费你们得出, 出了错你们得赔, 端架要收费, 要做满减; a counter-offer
# (你看能不能十块), 再优化一下 after a price, promotion support and listing fees (首单要有百分之十的促销支持),
# goods counted in money (先进十来万的货), and a budget or price cap (预算最多二十二万, 经费只有二十万上下).
_MONEY_TERM = gated(r"打.{0,2}折|让一让|[0-9一二两三四五六七八九]折|抹零|零头|便宜|降(?:点|价|一点|些)|让(?:点|利|一点)|平(?:啲|少少|一啲|一点)|"
                         # 你至少得给我四个点, 你给我七块, 一年要四万多: points, a counter-offer, what it would cost
                         r"[0-9一二两三四五六七八九十]个点|给(?:我|我们)[0-9一二两三四五六七八九十百千万]+(?:块|元|蚊)|"
                         r"要[0-9一二两三四五六七八九十百千]+(?:万|千)[0-9一二两三四五六七八九十]*(?:多|块|元|了)|留(?:点|些)?钱|"
                         # 一部平一万五都要二十五万三: what it still costs (not 第一批先要五万, a count)
                         r"(?:都|也|总共|一共|合共)要[0-9一二两三四五六七八九十百千]+(?:万|千)[0-9一二两三四五六七八九十]*\s*[。.！!]?$|"
                         r"控制在.{0,6}[0-9一二两三四五六七八九十百千万](?:万|千|块|元|w|W)|控制在[^，,。！!？?点.]{0,6}?[0-9一二两三四五六七八九十百千万](?:以内|以下)|毛利|费.{0,4}(?:得|要)?出|赔|(?<![、，,])收费(?!系统|模块|功能|管理|全部|都要)|满减|"
                         r"给个.{0,4}价|底价|最低价|实在价|"
                         rf"(?:能不能|可不可以|行不行){_NUM}+(?:块|元|万|千)?{_NUM}?$|再优化|优惠|促销支持|进场费|返点|扣点|账期|"
                         rf"{_NUM}+(?:来|多|几)?(?:万|千)(?:块|元)?钱?的货|(?:不|唔好|勿好|唔可以|不能|别|莫|毋)超过[^，,。！!？?]{{0,4}}?{_NUM}+(?:万|千|块|元|蚊)|(?:勿好|唔好|不能)超(?:额|标|预算)|(?:[预玉与]算|经费|限价)[^，,。！!？?]{{0,8}}{_NUM}")
# 最关心的就是这个, 这是学院最看重的: a pointer back to the need just said, not a second one.
_POINTER_BACK = re.compile(r"(?:关心|看重|关注|在意|重视|重要)(?:的(?:就)?是)?这(?:个|点|块)?\s*[。！!]?$|^这(?:个|点)?(?:就)?是.{0,6}(?:关心|看重|关注|在意|重视)")
# 卖得动的话再说, 测完再定: the clause before is put off until then.
_DEFERRED = re.compile(r"(?:的话|以后|之后|完|到时候?)再(?:说|定|看|搵|找|联系)")
# 五一前装好 可以: the customer accepting a date the rep offered, not setting one.
_ACCEPTED = re.compile(r"\s*(?:要得|可以|行|没问题|就行|也行)")
# 薯片同埋坚果礼包都要 before 薯片要五百箱，礼包要两百盒: a preview of the items stated next.
_BOTH_WANTED = re.compile(r"(?:都|各)要[\s，,。！!]*$")
# 还要买别的: nothing in particular is wanted.
_VAGUE_OBJECT = re.compile(r"要(?:买|做|用|进)?(?:别的|其他的?|其它的?)[\s。.！!]*$")
# Where to send something is an errand even about a product (试用账号发到我邮箱).
_CONTACT = re.compile(r"发.{0,3}(?:邮箱|微信|短信)")
# An item of an order, said without a verb after a need: 五千个M16, 蚝油二十箱先, 每季度初送二十吨.
_LIST_ITEM = re.compile(rf"^(?:(?!不|没|想|再|是|有|要)[^，,。.！!？?]){{0,12}}?{_NUM}+(?:多|来)?{_MEASURE}"
                        r"(?:[A-Za-z0-9]{1,6})?先?\s*[。.！!]?$")
# 四十台八十八键重锤数码钢琴 right after 想要一间数码钢琴教室: the count first, then the item (not a price
# per unit, 一台六千二, nor a count with a verb, 两台坏了).
_COUNT_FIRST_ITEM = re.compile(rf"^{_NUM}+{_MEASURE}(?![^，,。]*(?:不|没|了|过|坏|吗|呢|够|就|块|元|钱|万|价|涨|差|贵|报|卖|走|用|要|得))"
                               r"[\u4e00-\u9fffA-Za-z0-9]{2,16}(?<![0-9一二两三四五六七八九十百千万零])[。.！!]?$")
# 我想要一台能放八个奶瓶的，带紫外线消毒和烘干: a feature added to the need just said.
_FEATURE_ITEM = re.compile(r"^(?:还|也)?(?:带|带有|配|配有|支持|具备)(?!来|去|过|走|回|着|上你|你|您|我)[\u4e00-\u9fff、和跟及与]{2,12}[\s。.！!]*$")
# Right after a need, the pack, the kind or a figure of what is wanted, said without a verb: 十五公斤一盘,
# 一箱十二包那种, 五升装的, 纯水的, 无盐个, 乳脂三十五以上, 精度0.05mm以内, 膜宽最大一米二.
_SPEC_ITEM = re.compile(
    rf"^(?:{_NUM}+|[0-9.]+)\s*(?:公斤|千克|克|斤|升|毫升|[Ll]|ml|kg|g|包|片|支|瓶|袋|罐|串|个|只|粒)\s*(?:装)?\s*(?:一|每)\s*"
    r"(?:箱|盘|桶|包|袋|盒|罐|瓶|串|卷|件|提|板)(?:的|那种|那样的|装)?$|"
    rf"^(?:一|每)\s*(?:箱|盘|桶|包|袋|盒|罐|件|提)\s*(?:{_NUM}+|[0-9]+)\s*(?:包|片|支|瓶|袋|罐|串|个|只|公斤|斤|卷)(?:的|那种|那样的|装)?$|"
    rf"^(?:{_NUM}+|[0-9.]+)\s*(?:公斤|千克|克|斤|升|毫升|[Ll]|ml|kg|g)\s*装(?:的|个|嘅)?$|"
    r"^(?!(?:我|你|您|他|她|它|这|那|咱|俺|阮|侬|伊|佢|谁|啥|什么|一样|同样|别|其他|其它|旧|以前|上次|原来|还有|有))"
    r"[\u4e00-\u9fff]{1,4}(?<![一二两三四五六七八九十几])(?:的|个|嘅)$|"
    rf"^[\u4e00-\u9fffA-Za-z]{{1,6}}?\s*(?:最大|最小|最高|最低|最少|最多)?\s*(?:{_NUM}+|[0-9.]+)[^，,。！!？?]{{0,4}}?(?:以上|以内|以下|之内)$|"
    rf"^[\u4e00-\u9fffA-Za-z]{{1,6}}?\s*(?:最大|最小|最高|最低|最少|最多)\s*(?:{_NUM}+|[0-9.]+)[^，,。！!？?]{{0,3}}$|"
    # 管径一寸, 厚度三公分: a measure of what is wanted; 能兼容Scratch的, 有在线血液透析滤过功能的: a feature
    rf"^[\u4e00-\u9fff]{{1,4}}?(?:径|宽|长|高|厚|重|深|度)\s*(?:{_NUM}+|[0-9.]+)\s*(?:寸|米|毫米|厘米|公分|公斤|千克|克|升|毫升|瓦|mm|cm|kg|W)"
    r"(?:[一二两三四五六七八九半])?$|"
    r"^(?:要|得)?(?:有|带|能|可以)[^，,。！!？?]{2,14}的$")
# 再换一条连续油炸线, 东西两边的石栏也一起修 right after a need: one more thing wanted, said as "and also".
_MORE_ITEM = re.compile(rf"^(?:另外|然后)?(?:再|还(?:得|要)?再)(?:换|加|上|买|配|来|装|添|订|做|弄|建|修|铺|刷)(?:{_NUM}|个|套|台|条|批)"
                        rf"|^(?:另外|还|再)?外加[^，,。！!？?]{{1,12}}?{_NUM}+{_MEASURE}"
                        r"|^[\u4e00-\u9fff]{1,10}也(?:一起|一块儿?|一并|顺便)(?:换|修|做|装|铺|刷|弄|买|配)")
# 一条线一台, 每间一台: how the need just said is spread, not a further item.
_SPREAD = re.compile(rf"^(?:每|一){_NUM}?.{{0,3}}一{_MEASURE}$|各{_NUM}")
# 按试用订单走, 按流程走: how the purchase proceeds — unless the goods go that way (配送要按物流中心走).
_GOES_BY = re.compile(r"按.{1,8}走")
_DELIVERY = re.compile(r"配送|送货|发货|物流|运输")
# Whether the vendor has people near (你们在江西有没有人, 恁在潮州有无师傅, 贵司在浙北是否设有服务网点): a worry
# about service after a story of slow repairs, asked of the vendor's set-up, not of the goods.
_PRESENCE_ASK = re.compile(r"(?:你们|您们|恁|贵司|贵公司|你哋|侬|汝)(?:公司|家)?(?:在|喺|佇)[\u4e00-\u9fff]{1,6}?"
                           r"(?:有没有|有无|有冇|有木有|是否设有|是否有|有)(?:自己的)?"
                           r"(?:人|师傅|工程师|服务网点|网点|售后|售后点|办事处|服务站|分公司)[吗嘛呢？?。.]*$")
# A heading the requirements follow (我们的要求是, 工期要求, 我们提三条要求, 邹主任提了要求): what it heads is the need
# (not 不停仓施工是硬要求, 能不能过我们的等保要求: a requirement named as one).
_HEADING = re.compile(r"^(?![^，,。！!？?]*(?:是|过|符合|满足|达到)[^，,。！!？?]{0,10}要求)[^，,。！!？?]*要求"
                      r"(?:是|如下|主要有[^，,。！!？?]{1,3}|需要明确)?[:：\s。.]*$")
# People about to break or leave (人都要熬废了, 工人都要回去过年了): what is about to happen to them, no want —
# unlike what every site must get (每个店都要装摄像头了).
_ABOUT_TO = re.compile(r"(?:人|我|俺|大家|员工|店员|工人|师傅|同事|老师)们?都(?:快)?要[^，,。！!？?的]{1,6}了[啊呀哈吧啦呢]*[\s。.！!]*$")
# The customer's own side doing something (上冻之前我们得把外墙封完, 我要把账倒过来, 他得在场) is their
# plan or errand, not something asked of the vendor. (Without a subject, 春节前要把…执行完 may be either.)
_OWN_PLAN = re.compile(r"(?:他俩|她俩|他们俩|他们|他|她)(?:都|也)?(?:得|要)(?:看|签字?|过目|审|同意|点头)[\s。.！!]*$|"
                       # 双十一要做活动: the customer's own promotion
                       r"^[^，,。！!？?]{0,10}要(?:做|搞|办)(?:个|场|次|一次|一场)?(?:活动|促销|体测|体检|店庆|展会|年会|评估|检查|会员日)[\s。.！!]*$|"
                       # 全厂要做消防演练, 俺要开早会, 我们要迎接等级评审: the customer's own event, why a day does not suit
                       r"(?:要|得)(?:做|搞|开|迎接|停|接受)[^，,。！!？?]{0,6}?"
                       r"(?:演练|检查|盘点|评审|评估|考试|会|检修|督导|审计|会员日)[\s。.！!]*$|"
                       # 关键是十月二十号就开始收晚熟富士: the customer's own season or opening
                       r"[号日月]就?开始(?:收|采|摘|营业|开业|开学|上市|生产)|"
                       r"(?:我们|我|他们|他|她|俺们|阿拉)(?:这边|自己)?(?:也|还|就)?(?:得|要|必须)(?:把|去|在场|到场)"
                       r"(?!.*(?:打通|对接|集成|同步|兼容|接入))"  # 我们要把库存和ERP打通 asks it of the product
                       # 床垫我自己想买: bought elsewhere, by the customer, not from the vendor
                       r"|自己(?:想|要|会|去)?(?:买|弄|搞|找)")
# 你们记得关注, 这个你们留意一下: a reminder to the vendor, not a requirement of the product.
_REMINDER = re.compile(r"(?:你们|您|你|侬).{0,2}(?:关注|留意|注意)")
# 要备嘛, 要订啊: a bare yes to the rep's question names nothing wanted.
# 要不要再拿两箱, 需不需要加一台: still deciding, nothing stated.
# 要不要, and a decision left to someone's nod or an unsure 冇得把握 (佢点头才行): who decides, not what is needed.
_UNDECIDED = re.compile(r"要不要|需不需要|用不用|买不买|(?:点头|拍板|同意|签字|批了?|开口)才(?:行|可以|算)|(?:冇|冇得|没|没得|莫得)把握")
_BARE_YES = re.compile(r"^(?:要|得)(?:备|订|进|买|采购)货?[嘛吧啊呀哈的了呢]*[\s，,。.！!]*$")
# 要过消防验收: the product passing an inspection is a requirement, not the buying process.
_PASSES = re.compile(r"过(?!来|去).{0,6}(?:验收|检测|认证|检验|评审)")
# 想找一个能管客户跟进和合同的系统: an errand word inside the description of what is bought.
_PURCHASE = re.compile(r"(?:想|要|需要|打算|准备|计划)(?:找|买|换|上|采购|引进|添置|配)(?:一|个|套|台|款|家)")
_NEGATION = re.compile(r"(?:不|没|没有|不太|并不|暂时不|暂时没|先不|还不|用不着|没什么|无)$")
_NEGATED_CLAUSE = re.compile(r"不需要|不用了|不用买|没必要|用不着|不要了|不想要|没需求|没有需求|没什么需求|暂时不考虑|不考虑|不打算|"
                             r"没这个需求|没有这个需求|没有这方面|不太需要|不缺")
# 你哋上次话七点前送到: what was said before, told again, not a requirement stated now.
_REPORTED_PAST = re.compile(r"(?:上次|上回|上趟|上个月|之前|以前)(?:你们|你哋|你|您|侬)?(?:话|说|讲|讲过|说过|答应)")
# 现在最晚推到3月25号前交货: a date moved, not a requirement stated.
# 顶多拖到八月二十号全都得装好 is the latest day, a deadline.
_POSTPONED = re.compile(r"(?:推|改|延)(?:迟|后)?(?:到|至)|(?<!顶多)(?<!最多)拖(?:迟|后)?(?:到|至)")
_HYPOTHETICAL = gated(r"如果|要是(?<![主只还紧重需]要是)|[耀腰妖]是|[得地]话|假如|" + IN_CASE + r"|假设|若是|倘若|的话|到时候|以后再|回头再|等以后|等到|哪天")
# A clause that sets a condition (如果你们能做到，…) makes the next one hypothetical — unless it only
# hedges politely (如果可以的话，我们希望下周能到).
_CONDITION = re.compile(r"如果|假如|" + IN_CASE + r"|要是(?<![主只还紧重需]要是)|[耀腰妖]是|假设|若是|倘若")
# …or only waits for the deal's approval (要是能过，电缆三月二十号前得送到工地): what follows is the customer's term.
# (如果价格谈得拢，…; 如果定了，…; 如果上线，…; 要上的话…)
_IF_APPROVED = re.compile(r"(?:(?:如果|要是|若是|假如)\s*[^，,。！!？?]{0,6}?(?:能够?|可以)?\s*"
                          r"(?:过|批|通过|批下来|定下来|定了|谈得?拢|谈成|签了|签约|成交|上线|得|(?<![0-9零一二两三四五六七八九十百千万])整|做)|要上|要整|要做)"
                          r"\s*(?:了|的话)?[，,\s]*$")
_HEDGE = re.compile(r"(?:如果|要是)?(?:可以|方便|能|行|允许)的话|如果(?:可以|方便|能行)[，,\s]*$")
_PROCESS = gated(r"商量|请示|汇报|打(?:个)?报告|问问|研究一下|讨论|开会|走流程|(?<![全业])流程|审批|申请|想想|核实|内部|比较一下|对比一下|签字|上会|招标|"
                      r"考虑一下|评估一下|报备|走个|立项|提需求|比价|过来|讲一下|介绍一下|演示|交流|拜访|见面|参观|考察|咨询|完成采购|(?<!安装)(?<!完成)(?<!到货)(?<!完工)(?<!预)验收|评估|"
                      r"能耗测试|办公会|董事会|例会|党委会|集中采购|政府采购|走.{0,6}采购|批准|定标")
_SENT_OVER = re.compile(r"[发送寄调拿带运步].{0,6}过来")  # goods coming over, not a visit
_ERRAND = gated(r"(?<!前打)(?<!前先打)(?<!前来)(?<!前通知)(?<!前打个)(?<!前打只)(?<!前打通)电话(?!.{0,3}前)|备注|发票|抬头|开票|税号|盖章|快递|单号|对账|收据|地址|微信|邮箱|名片|停车|几点|(?:有|没|什么|啥|约个?|定个?|哪个|留出?)时间|时间是|有空|方便(?<!不方便)|会议|资料|彩页|"
                     r"报价|方案|合同|签收|回款|付款|打款|钱付|付钱|结清|付清|尾款|定金|账号密码|联系方式|标书|投标文件|准数|给个价|分(?:期|[两三四五]年|[两三四五]次)付")
_NOT_A_NEED_ASK = re.compile(r"有没有(?:问题|空|时间|收到|看到|消息|进展|反馈|别的问题|其他问题|什么问题|人在|在|做过|用过|案例|合作过|经验|自己的)")
_PROBE_END = re.compile(r"[吗么呢？?]|什么|哪|几|多少|多久|多长时间|怎么|如何|是否")
_SHORT_ASK = 4  # 有没有？ 行不行？ — a clause this short asks about the one before
_OWN_WANT = re.compile(r"(?:要|得)(?!的|了|吗|嘛|呢|啊|不)[\u4e00-\u9fff]")  # 要纯水的, 缝要小: what is wanted, said


# The cue words a homophone of which is read as the cue (须要 → 需要, 希忘 → 希望): a need said
# through Whisper base keeps its cue.
NEED_CUE_WORDS = ("需要", "希望", "要求", "必须", "一定要", "想要", "关键是", "最好", "能不能", "有没有", "至少", "起码",
                  "急需", "看重", "关注", "关心", "务必", "要能", "得有", "要有", "不能", "还差", "之前", "唔可以", "可不可以",
                  # who is asked and who acts (你们…带过来 is asked of the vendor, 我们得把… is the customer's own)
                  "你们", "我们", "过来",
                  # and the words that rule a need out, so a misheard 发飘 still reads as an errand
                  "发票", "招标", "汇报", "到时候", "预算", "合同", "方案", "资料")
# 要 said alone has no word around it to correct it by: Whisper writes it as any of these
# (腰带称重的, 邀那种…的, 摇五十包). One is read as 要 only where a want follows it: a quantity, a
# model code, 那种/带 … — never inside its own word (遥控, 邀请).
_YAO_SOUNDS = "腰妖摇邀耀咬遥窑谣瑶吆药"
# 药 is 要's commonest homophone; 药能/药有/药按 only read as 要 where no medicine is meant (药能不能…).
_YAO_HEARD = re.compile(rf"(?<![需主重想只不总紧])[{_YAO_SOUNDS}](?!控|请|头|滚|晃|篮|远|感|言|动|摆|杆|品|物|剂|房|店|厂|材|费)"
                        rf"(?=(?:先|再|都)?(?:{_NUM}|[A-Za-z0-9]{{2,}}|那种|带|做|上|买|换|补|备|支持|兼容|到位|到货|提前|"
                        r"能(?!不)|有|按|过|跟|早点|自动))")
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


_BOUNDS = ("不能", "不低于", "不超过", "不高于", "不少于", "不小于", "不大于", "不短于", "不窄于")  # a negation that is the cue


def _cue(clause: str, speaker: str, pack: Pack, usage: bool = True) -> str | None:
    """The requirement cue of a clause, or None (`usage`: a volume used counts as one)."""
    words = _need_words(pack)
    for m in (_CUE if usage else _CUE_BUT_USAGE).finditer(clause):
        if _NEGATION.search(clause[:m.start()]) and not m.group(0).startswith(_BOUNDS) and not _RULED_OUT.search(clause):
            continue  # (a kind ruled out may be described by what it lacks: 三无的别发, 没有认证的莫拿来)
        return m.group(0)
    for m in _PLAIN_WANT.finditer(clause):
        rest = clause[m.end():]
        if _WANTED_AFTER.match(rest) or _BUY_AFTER.match(rest) or (words and words.match(rest)) or _HEARD_QUANTITY.match(rest):
            return "要"
    if _COUNTED_WANT.search(clause) or _ITEM_WANTED.search(clause):
        return "要"
    if words and words.search(clause) and _FEATURE_QUESTION.search(clause):
        return "?"
    if speaker == "customer" and _DEMAND.search(clause) and _DEMAND_WHAT.search(clause) and not _PROBE_END.search(clause):
        return "你们…"
    if _YAO_HEARD.search(clause) or _XIANG_HEARD.search(clause):
        # read once more with the misheard 要/想 put back (the result has none left to put back)
        return _cue(_XIANG_HEARD.sub("想", _YAO_HEARD.sub("要", clause)), speaker, pack, usage)
    return None


# 快递员上门前先打我手机, 装门那天先给我媳妇打电话: a call before the job (not a contact errand).
_CALL_FIRST = re.compile(r"(?:送货|送|送嚟|上门|安装|发货|出发|装)[^，,。！!？?]{0,2}?(?:之?前|那天|当天|的时候)(?:先|要|得)?[^，,。！!？?]{0,6}?"
                         r"(?:打(?:个|一个|只|一只|通)?电话|打给|打俾|打拨|打我(?:手机|电话)|"
                         # 送之前打我老公电话: the one to ring, then the phone
                         r"打我(?:家)?(?:老公|老婆|爱人|先生|太太|媳妇|儿子|女儿|女婿|闺女|爸|妈|婆婆)的?(?:手机|电话))")
_RULED_OUT = gated(_RULED_OUT_BODY)
# "Don't bring it" on its own, the kind said in the clause before (…的老系统，就不要拿来了; …的货，不要给我发过来).
# (您家 / 泥家 the polite you, Hunan 嗯 for 你; Southwestern 不消, 崩 for 甭; 推个我 for 推给我; 给我们送来, 给我往这儿送)
_BARE_RULED_OUT = re.compile(r"^(?:您家|你家|泥家|您|你|恁|侬|汝|嗯)?(?:就|可|千万|也|都)*"
                             r"(?:请勿|请不要|不要|别|莫|甭|嫑|不用|不必|不消|不敢|唔好|毋通|伓使|崩(?=给))(?:再)?"
                             r"(?:(?:给|个|跟|帮)(?:我们|我|俺们|俺)(?:往?这儿?)?|往我这儿?|往我们这边|往俺这儿?)?"
                             r"(?:" + _OFFER_VERBS + "|港|讲|提)" + _OFFER_END)
_KIND_BEFORE = re.compile(r"(?:(?<![你您我他她它们])的|货|那种[\u4e00-\u9fff]{0,6}|的[\u4e00-\u9fff]{1,4})[\s，,]*$")


def is_need(clause: str, speaker: str, pack: Pack, usage: bool = True) -> str | None:
    """The cue that makes `clause` a need statement by `speaker`, or None.

    Without `usage` a volume used (一个月走八百箱) is no cue: in a turn that objects it is leverage."""
    if speaker != "customer":
        return None  # only the customer states needs; an unattributed voice may be the rep
    cue = _cue(clause, speaker, pack, usage)
    if cue is None:
        return None
    firm = _CALL_FIRST.search(clause) or _RULED_OUT.search(clause)
    if firm is not None and not _HYPOTHETICAL.search(clause):
        return firm.group(0)  # a call before the delivery, a kind ruled out: no contact errand, no negated want
    if (_NEGATED_CLAUSE.search(clause) or _HYPOTHETICAL.search(clause) or _POSTPONED.search(clause)
            or _REPORTED_PAST.search(clause)):
        return None
    if (_NOT_A_NEED_ASK.search(clause) or _MONEY_TERM.search(clause) or _POINTER_BACK.search(clause)
            or _VAGUE_OBJECT.search(clause) or _CONTACT.search(clause) or _OWN_PLAN.search(clause)
            or _REMINDER.search(clause) or _BARE_YES.match(clause) or _UNDECIDED.search(clause) or _ABOUT_TO.search(clause)
            or _PRESENCE_ASK.search(clause) or _HEADING.match(clause)
            or (_GOES_BY.search(clause) and not _DELIVERY.search(clause))):
        return None
    words = _need_words(pack)
    has_word = bool(words and words.search(clause))
    if _PROCESS.search(_SENT_OVER.sub("", clause)) and not has_word and not _PASSES.search(clause):
        return None
    errand = _ERRAND.search(clause)
    if errand and not has_word and not (_PURCHASE.search(clause) and "的" in clause[errand.end():]):
        return None
    if _PRICE_CAP.search(clause) and not has_word:
        return None  # 三十万以内能不能做？ is haggling, not a requirement
    if speaker == "customer" and re.search(r"^(?:那|嗯|好)?[，,\s]*(?:您|你)(?:这边|那边)?(?:还)?(?:需要|想要|要不要)", clause):
        return None  # the customer asking the rep what they need (您需要我们提供什么？)
    if cue == "想" and (_YOUR_WISH.search(clause) or "想等" in clause):
        return None  # 你们水饺和汤圆想进我们店？ is the rep's wish asked back; 我想等公示了再定 waits
    return cue


# In a transcript with a space between every word a clause runs until a connective, so one
# "clause" may hold several needs (要 两万 个 m12 … 下周三 之前 送到). It is cut again before a
# connective standing as a word, and before each further cue that starts this far (squeezed
# characters) past the cue of the piece it would end — 必须 要 装 好 stays one need.
# A budget word starts a money clause of its own (…要 能 旋转 的 | 预算 不 超过 三千).
_SPACED_CONNECTIVE = re.compile(r"(?<=\s)(?:还有|另外|但是|不过|可是|而且|然后|所以|对了|同埋|预算|经费|要是|如果|假如|万一)(?=\s)")
_PIECE_GAP = 4
# Connectives and fillers said before a need are not part of it (labels drop them too).
_LEAD = re.compile(r"^(?:(?:嗯|呃|啊|哦|行|好|对|那|那个|还有|另外|但是|不过|可是|而且|然后|所以|对了|同埋)(?:\s+|$))+")
# A cue that takes a clause as its object (我们要求个税模块必须有人复核): the next cue is inside
# the same need, so it does not start a piece.
_TAKES_CLAUSE = re.compile(r"要求|希望|需要|关键是|重点是|意思是|要的是")


# Every start of a cue, overlapping ones too: 要…的 at the clause end would otherwise swallow a
# second cue inside it (要 八百套 单人 的 还 得 是 能 调 高度 的).
_CUE_AT = re.compile(f"{_CUE_GATE}(?=({_CUE_BODY}))")
# 要 八百乘八百 的: a 要…的 phrase ends a want even mid-clause (the piece is still judged whole).
_WANT_DE = re.compile(r"要(?<![需主重想只不还总紧敢]要)(?!是|不要|啊|嘛|呀|吧|了|问)[^，,。.！!？?的]{1,10}的")
# Between 必须 and 之前送到 only a date: one need (必须 九月 二十号 之前 送到), not two.
_DATE_ONLY = re.compile(r"(?:[0-9一二两三四五六七八九十]+(?:月份?|号|日)?|最晚|这|下|本|个|周|星期|礼拜|[一二三四五六日天末]|月|底|初|中旬|上旬|下旬)*")
# An adverb before a cut belongs to the need after it (… 的 | 还 得 是 …, … 的 | 大概 要 三千 个).
_ASK_CUE = re.compile(r"有没有|有吗|有无|能不能|可不可以|能否|可否|支不支持|支持不支持")
# A subject goes with it too (… 少 | 我们 一天 要 出 四十 万 个).
_ADVERB_WORD = re.compile(r"(?<!\S)(?:(?:我们|我|俺们|阿拉|我哋|咱们)\s*(?:(?:还|也|都|就)\s*)?|(?:还|也|都|就|另|再|大概|大约|差不多|估计|一共|总共)\s*)$")


def _cue_starts(clause: str, pack: Pack) -> list[tuple[int, str]]:
    """Where requirement cues begin in a squeezed clause, with the cue (close to what _cue accepts)."""
    words = _need_words(pack)
    starts = {m.start(): m.group(1) for m in _CUE_AT.finditer(clause)}
    for m in _WANT_DE.finditer(clause):
        starts.setdefault(m.start(), "要")
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
            if _ASK_CUE.fullmatch(cue) and len(text[keep[q]:b].replace(" ", "")) <= _SHORT_ASK:
                continue  # … 以上 的 你们 有没有: a short ask at the end asks about the piece before
            if last is not None and _USAGE_CUE.fullmatch(last[1]) and q < last[0] + len(last[1]):
                continue  # 一年大概要用六十吨: the 要 inside a volume begins no second need
            if (last is not None and q - last[0] >= _PIECE_GAP and not _TAKES_CLAUSE.fullmatch(last[1])
                    and not _DATE_ONLY.fullmatch(squeezed, last[0] + len(last[1]), q)):
                start = _word_start(text, keep[q])
                if start == keep[q] and _DEADLINE_CUE.match(cue):
                    start = _word_start(text, start - 1)  # 双十二 | 前 要 …: the date is the word before
                adverb = _ADVERB_WORD.search(text, a, start) if start > a + 1 else None
                if adverb:
                    start = adverb.start()
                cuts.add(start)
            if last is None or q - last[0] >= _PIECE_GAP:
                last = (q, cue)  # the first cue keeps what comes before it (its topic)
    edges = sorted(cuts | {0, len(text)})
    return [(a, b) for a, b in zip(edges, edges[1:]) if text[a:b].strip()]


# Hokkien 欲 is 要 (阮欲一套溯源系统, 刀头欲高频焊的, 一定欲送到) — not 欲望, 食欲, 随心所欲.
_HOKKIEN_WANT = re.compile(r"(?<![食所情贪求])欲(?![望速])")


# …and so is 愛 (变频器愛有恒压供水功能, 进前愛装好): a Simplified transcript writes 爱 for love. Hokkien 上迟 is 最迟.
_HOKKIEN_MUST = re.compile(r"愛(?=[\u4e00-\u9fff])|(?<![恋热喜可亲友偏心])爱(?=装|送到|到货|有|用|上线|交货|配)")


def _as_mandarin(said: str) -> str:
    """The clause as the need cues read it (same length: offsets stay)."""
    if "欲" in said:
        said = _HOKKIEN_WANT.sub("要", said)
    if "愛" in said or "爱" in said:
        said = _HOKKIEN_MUST.sub("要", said)
    return said.replace("上迟", "最迟") if "上迟" in said else said


# The customer's own size: 我们在成都有15家干洗店, 阮合作社有三百二十户茶农, 我哋喺广州开咗四间诊所.
# Also 我们公司在重庆管到两千三百多台电梯, 郑州这边有86台冷藏车, 我们学校寄宿生1600人, and a day's trade
# (一天油条能卖一万多根, 一日门诊量加起来一千多人次).
_SCALE = re.compile(r"^(?:(?:我们|我哋|阮|阿拉|俺们?|我|咱们?|涯兜|涯)[^，,。！!？?]{0,10}?|[\u4e00-\u9fff]{2,4}(?:这边|那边|嗰边))"
                    r"(?:有|开了|开咗|跑着|管着|管到|维保着|维护着|养了|(?:学生|寄宿生|员工|职工|工人))"
                    rf"{_NUM}+(?:多|来|几)?(?:万|千|百)?(?:多)?(?:家|间|个|台|所|头|层|栋|户|条|辆|座|位|名|张|套|亩|平|校区|门店|分店|人)"
                    r"(?!要求|条件|问题|想法|疑问)"  # 我们这边有两个要求: a heading, no size of the business
                    # (现在一天做康复训练的病人有八十多个: who comes in a day, named before 有)
                    rf"|^(?:现在|目前|平时|平常)?(?:一天|一日|每天|每日)[^，,。！!？?]{{0,8}}?(?:卖|走|量|接诊|接待|的[\u4e00-\u9fff]{{1,3}}有)"
                    rf"[^，,。！!？?]{{0,4}}?{_NUM}+(?:多|来|几)?(?:万|千|百)?(?:多)?"
                    r"(?:根|杯|份|单|人次|碗|个)")

# The size said as a count that ends the clause, with no subject (一共一百三十台车, 司机两百多个, 房间加起来九十二间,
# 昆山这边3个仓, 外墙面积大约六千八百平方米, 窗户一共十二扇) — as _SCALE, only beside a need. Not a time
# (三个月), what was bought or broke before, nor a count refused.
_COUNT_END = re.compile(
    r"^(?![^，,。！!？?]*(?:上次|上回|以前|之前|去年|前年|以往|买了|买过|用了|用过|坏了|坏过|报价|报|退|换了|(?<!差)不(?!多)|没|别|莫|勿|唔|毋|甭|给|送|发|装|卖了|才|只有|只剩|问题|方案|要求|条件|贵|便宜|块|元|钱|价))"
    # (an ordinal counts nothing: 四月一号我们第七家店开业 is an opening day)
    rf"[^，,。！!？?]{{0,10}}?(?<![0-9一二两三四五六七八九十百千万第])(?!一(?![0-9一二两三四五六七八九十百千万]))"
    rf"{_NUM}+(?:多|来|几)?(?:万|千|百)?多?"
    r"(?:个(?!月|小时|星期|礼拜|工作日|点|钟|半|人情)|家|间|台|辆|张|头|扇|樘|所|栋|层|户|亩|名|位|平方米?|平米|人)"
    r"(?:(?![0-9一二两三四五六七八九十百千万])[\u4e00-\u9fff]){0,3}$")


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
    scale: list[NeedStatement] = []
    previous_was_need = False
    asr_spaced = word_spaced(text)
    for i, c in enumerate(parts):
        spaced = " " in c.text.strip()
        # the clause as the cues read it (a word-spaced transcript's clause is read piece by piece below)
        mandarin = "" if spaced and asr_spaced else _as_mandarin(squeeze(c.text)[0])
        if (c.start, c.end) in objecting and not spaced and not _RULED_OUT.search(mandarin.rstrip("，,、；;")):
            # (a kind ruled out, 那种一压就鼓包的莫拿来, is a need whatever complaint it carries)
            previous_was_need = False
            continue  # a long transcript clause can object and state a need (必须是正经304的…上次…退货)
        if spaced and asr_spaced:
            supposed = False  # 到时候 …, 如果 … : what follows the condition is hypothetical too
            for a, b in _pieces(c, pack):
                piece = _LEAD.sub("", strip_punct(c.text[a:b]))
                said = _as_mandarin(squeeze(piece)[0])
                cue = is_need(said, speaker, pack, usage=not objecting) if piece and not supposed else None
                if cue is not None and _ACCEPTED.match(c.text, b):
                    cue = None
                if (cue is None and speaker == "customer" and previous_was_need and not supposed
                        and _LIST_ITEM.match(said) and not _SPREAD.search(said)):
                    cue = "…"  # 要 两万 个 M12 | 五千 个 M16
                previous_was_need = cue is not None
                if cue is not None:
                    out.append(NeedStatement(strip_punct(piece), speaker, ref, cue))
                supposed = supposed or bool(_HYPOTHETICAL.search(said))
            continue
        # A clause that ends in a comma ends as much as one that ends in a full stop (不要勾兑的，桶得是…).
        # (Not after a bare 不要 / 勿要: 讲台椅勿要，… declines an add-on, a need only where the clause ends.)
        said = mandarin
        # (A kind ruled out, 有味儿的可不要，家里有老人, is one wherever the clause ends.)
        if not re.search(r"(?:不要|勿要|唔要|毋要)[，,、；;]+$", said) or \
                re.search(r"的[可就都也]?(?:坚决|一律|绝对)?(?:不要|勿要|唔要|毋要)[，,、；;]+$", said):
            said = said.rstrip("，,、；;")
        if i > 0 and speaker == "customer" and parts[i - 1].sentence == c.sentence and _BARE_RULED_OUT.match(said) \
                and _KIND_BEFORE.search(_as_mandarin(squeeze(parts[i - 1].text)[0])):
            # …那种要拿U盘拷片子的老系统，就不要拿来了: the kind in one breath, "don't bring it" in the next — one need
            if previous_was_need and out and out[-1].text == strip_punct(parts[i - 1].text):
                out.pop()
            out.append(NeedStatement(strip_punct(parts[i - 1].text + c.text), speaker, ref, "ruled out"))
            previous_was_need = True
            continue
        # 我四个店一个月走八百箱 in a price complaint: volume as leverage, not a need
        cue = is_need(said, speaker, pack, usage=not objecting)
        if cue is not None and i > 0 and parts[i - 1].sentence == c.sentence and _CONDITION.search(parts[i - 1].text) \
                and not _HEDGE.search(parts[i - 1].text) and not _IF_APPROVED.search(parts[i - 1].text):
            cue = None  # 如果你们能做到，我们就要一百台: the consequent of a condition is hypothetical too
        nxt = parts[i + 1] if i + 1 < len(parts) and parts[i + 1].sentence == c.sentence else None
        if cue is not None and nxt is not None and _DEFERRED.search(nxt.text):
            cue = None
        if cue is not None and c.text.endswith(" ") and _ACCEPTED.match(text, c.end):
            cue = None  # 五一前装好 可以…: a chat-style pause, then the acceptance
        if (cue is not None and nxt is not None and _BOTH_WANTED.search(said)
                and is_need(squeeze(nxt.text)[0], speaker, pack)):
            cue = None  # 薯片和礼包都要，薯片要五百箱…: the items that follow state it
        item = strip_punct(said)
        if cue is None and speaker == "customer" and not _SPREAD.search(item) and (
                (_LIST_ITEM.match(item) and (previous_was_need or (
                    nxt is not None and _LIST_ITEM.match(strip_punct(squeeze(nxt.text)[0])))))
                or (previous_was_need and _COUNT_FIRST_ITEM.match(item))):
            cue = "…"  # 生抽三十箱，蚝油二十箱先: an order said as a list
        if cue is None and speaker == "customer" and previous_was_need and (
                _FEATURE_ITEM.match(item) or _SPEC_ITEM.match(item) or _MORE_ITEM.match(item)):
            cue = "…"
        # 有没有？ and 不换不行 speak of the clause before; 要纯水的 and a list item (湿巾十箱) are as short
        # and needs of their own.
        short = len(strip_punct(c.text)) <= _SHORT_ASK and cue != "…" and not _OWN_WANT.search(said)
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
        elif speaker == "customer" and (_SCALE.search(said) or (
                _COUNT_END.search(item) and not _SPREAD.search(item))) \
                and (c.start, c.end) not in objecting:
            scale.append(NeedStatement(strip_punct(c.text), speaker, ref, "scale"))
        previous_was_need = cue is not None
    if scale and out:
        # 我们在成都有15家干洗店 beside what the customer wants sizes the need; alone it is no need.
        out = sorted(out + scale, key=lambda n: text.find(n.text))
    return out
