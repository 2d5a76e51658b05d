"""Money: budgets, quotes, unit prices and discounts, normalised to yuan or a price ratio.

When is a number money?
  * it carries a currency word (元, 块, 块钱) — 一块二 is 1.2, 一块零五 is 1.05;
  * it carries 万 / 亿 / w and no measure word follows (三万台 is a quantity);
  * a bare number (八百八, 九十八) needs a money word: right before it (单价八百八,
    拼多多上才两百五), a per-unit tail (八十八一套), a price word or objection right after it
    (六十八比零售价…, 七十八偏高了), or a per-unit word earlier in its clause with the
    number closing the clause (一个探头保护套要三十五).

Kinds, by the nearest money word before the amount (or a kind word right after it):
  budget   预算, 经费, 限价, 最多能出, 控制在…以内 — what the customer can spend;
  quote    报价, 总价, 一共, 合同价, 降到… — a total offered for the deal (N个账号九万六 too); 满三千打九五折
           is the order size a deal counts on (a shop's 满两百减二十 is no money); 还是超了一千七, 还是多六千八
           is how far the offer is over the budget;
  price    单价, 每台, 一套, 零售价, 拿货, 原价, 活动价, 供货价, 批价 — per unit (一家店两千, 每家店进场费收七百五:
           per store, `unit` 店);
  discount 打九五折, 降5个点, 让两个点, 减半 — `ratio` is the price multiplier (0.95); points said where a
           rebate is the matter are one whether asked for or not (返点从五个点降到三个点, 反点三个半, 别家都给到
           六个点; a margin's 毛利八个点 is not);
           便宜两千, 赔两千一百六, 每罐补二十块, 再送两箱…值三百六 — a discount in money, `yuan` = 2000 (with its unit).
           A fee waived (安装费一万二也不收了, 开孔费三百也给您免了) or money wiped off (抹掉一百二) is one too.
A budget word beats a per-unit word after it (限价是每套一万五 is a budget per 套), and the customer's
超过二十万就做不了 is a cap. A difference (贵了五百, 高了将近两千, 涨了五百多, 比你们便宜二三十万 — 便宜 / 少
only against a 比) takes the kind and unit of the amounts it compares: the call's latest price or quote,
else by size. An add-on (带遥控再加八百) is a price.
No money word at all: below 20 000 yuan it is read as a unit price (B2B totals are larger),
otherwise as the quote under discussion (三十二万八超预算了, 三万六的话还可以) — a budget
only when capped (十万以内, 最多五十万).

Numerals as said: 两千六八 = 2680, 十二块半 = 12.5, 六千整; 四百 五千 (a gap before a place no lower) is two amounts.
Ranges stay ranges (`yuan_low`…`yuan_high`, `yuan` empty): 二十到三十万, 15-20万, 一万到一万五, 七百二到七百五之间,
二三十万 (20–30万), 十五六万, 三十二三 (32–33), 两三万, 七八千; and the approximate forms: X多 / X万多 up to the next
step (六十多万 = 60–70万, 八块多 = 8–9, 三万多 = 3–4万), X万几 / X几万 / X十几 (6–7万, 二十几万 =
20–30万, 六十几 = 60–70), X来 (十来万 = 10–13万), 一毛多 (0.1–0.2; 一毛五 = 0.15),
X左右 / X上下 ±10 %, X出头 (X–1.1X), 小X (0.8X–X), 万把块 / 千把块 (0.8–1.2 of it). 3k, 5w,
1.2个w are points; 不超过 / 最多 / 至少 X is the point X; 小X takes any round X (小七十万). An amount per unit (每台, 一吨, 吨价, 每平米,
…一箱, 一个SKU) keeps the unit (`unit` 台 / 吨 / 平米 / 箱 / SKU).

Whole calls: a total for a count (三台就是两万四, 六组一万二千六) is a quote — or a discount when it
adds up a per-unit deduction; budget words (经费, 目标成本) beat the 一共 / 才 next to the amount,
比预算多六万 is a quote's excess; 块 counting screens (装四十块, 四十块就是十二万八), rates (百分之三十八)
and goods shipped (发一万五) are not money, nor are samples handed over (送两块), a shop's
turnover (一个月才卖一万出头), or a spec's figure — right after a spec word (转速至少要一万二, 耐温二百五)
or, guessed by size, in a sentence of specs that prices nothing per unit (六千瓦切碳钢能到二十五).
An amount said twice in a turn (二十四万五就二十四万五) is one amount. `earlier` (the call's money so far) settles what one turn
cannot: the same amount said again by the other side takes the earlier kind and unit (the rep's
十六万的话 is the customer's budget), a bare number close to a unit price just quoted is a price for
that unit (七百五 after 一套八百八), and so is a figure lowered to (最多降到八十二, 打八八折算下来两千九)
next to one, and a bare figure near an item's price just named (0.75–1.33 of it: 两千四我即刻买 after 原价三千二)
is a price for it; a bare 百分之五 / 五个点 is a discount only if one of that size was asked for. The rep's
opening 六万的话 followed by an offer (报价五万八) is the customer's budget the offer is fitted to.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import chain
from dataclasses import dataclass, replace
from functools import lru_cache

from nlp.dates import DOTTED_DATE
from nlp.numerals import CN_DIGIT_CHARS, CN_DIGITS, CN_NUM_CHARS, NUMBER_RE, parse_number, to_halfwidth
from nlp.text import Span, clauses, gated, squeeze

_CUR = r"(?:元|块钱|块|圆|蚊|人民币|RMB|rmb)"
# A number never ends in 零: 一百六十五零售 is 165 then 零售 (retail), not 一百六十五零.
# 多一分都不行 after an amount: "not a cent more", so the 多 makes no range (五十五万 多一分都不行).
_NOT_A_CENT_MORE = r"\s*一(?:分|毛|蚊|块|钱|个子|仙)"
_ANY_NUMERAL = re.compile(r"[0-9０-９" + CN_NUM_CHARS + r"]|半价|对折|减半")
_AMOUNT = re.compile(
    r"(?:(?<![\d.A-Za-z])|(?<=[A-Za-z])(?=[^\x00-\x7f]))(?P<num>" + NUMBER_RE + r")(?<![零〇○])(?P<approx>多(?!" + _NOT_A_CENT_MORE + r")|来|左右|几)?(?P<unit>万元|万块|万|w|W|千元|千块|千|k(?![a-zA-Z])|K(?![a-zA-Z])|百块|百元|亿元|亿)?"
    r"(?P<approx2>多(?!" + _NOT_A_CENT_MORE + r"))?(?P<cur>" + _CUR + r"|毛钱|毛(?![利巾衣毯绒料坯重])|毫(?![米升克秒安伏瓦欧巴无不])|仙(?![人女子境草鹤桃丹])|角钱|角(?![形洲星度落铁架尺码梅楼区钢柜阀色]))?(?P<jiao>(?<=[块蚊元])(?:零[一二三四五六七八九\d]|[一二三四五六七八九\d](?:毛[一二三四五六七八九\d]?)?|半)(?![十百千万.\d]|[0-9一二两三四五六七八九][十百千万]))?"
)
_CLASSIFIERS = (r"台|个|件|套|只|箱|吨|米|平(?![台时常安均])|立方|方|人|次|条|张|片|支|盒|瓶|罐|包|袋|辆|家|所|间|本|册|份|批|天|年|月|周|号|日|小时|"
                r"分钟|秒|公里|度|瓦|毫升|升|斤|公斤|克|部|延米|匹|兆|模次|%|倍|寸|英寸|毫米|厘米|公分|型|樘|趟|mm|cm|kg|KG|kw|KW|kW|G|M|T|路|期|层|楼|亩|颗|粒|卷|根|杯|碗|例|通道|声道|"
                r"桶|名|位|级|段|码|分|岁|床|栋|户|节|架|伏|V|A|Hz|帧|核|线|转|样|盏|盘|扇|座|把|副|双|键|泡(?![沫面水])|学生|学员|员工|会员|病人|患者|t(?![a-zA-Z])|头(?![款期一二两三几年个回次天批])|抽(?![成奖检查样签烟屉])|对(?![吧吗不啊？?])|打(?![完个了折掉一二三四五六七八九])|捆|顶|枚|款|种|项|届|季|代|单|笔|份|工位")
# What follows a quantity, a date or a measure rather than money.
_NOT_MONEY_AFTER = re.compile(r"^(?:多)?(?:小|大)?(?:" + _CLASSIFIERS + r"|点(?![" + CN_DIGIT_CHARS + r"\d]))")
# 报价单2027.pdf: a number in a sent file's name (a year, a version) is nothing said about money
_FILE_NAME_AFTER = re.compile(r"^[^\s，,。；;！!？?]{0,12}\.(?:pdf|docx?|xlsx?|pptx?|jpe?g|png|zip|rar|txt|csv|dwg)(?![A-Za-z])", re.I)
_QUANTITY_CONTEXT = re.compile(r"产能|产量|销量|人口|用户数|数量|人次|访问量|阅读量|粉丝")
# Whisper writes 折 as 者 or 哲 (打个九五者, 按八五者): taken after 打 / 按 only, where no 者 of 两者 fits.
_DISCOUNT_ZHE = re.compile(r"(?:打)?(?:个)?(?P<z>[一二三四五六七八九]{1,2}|\d{1,2}(?:\.\d)?)折"
                           r"|(?<=[打按])(?:个)?(?P<zh>[一三四五六七八九][一二三四五六七八九]?)[者哲]|(?P<half>对折|半价|减半|(?<![缩削裁])(?:免|减|砍|让)(?:掉)?一半)")
_DISCOUNT_PCT = gated(
    r"(?P<cue>降|便宜|优惠|让|下浮|打掉|少|减|返|返点|让利|折扣|(?<![相违造])反(?=[给你您侬佢]|[一二两三四五六七八九十\d]{1,2}个点))了?(?:给)?(?:你们|您们|你|您|侬|佢)?(?:个)?"
    r"(?:百分之(?P<pct>[一二三四五六七八九十]{1,3}|\d{1,2}(?:\.\d)?)|(?P<n>\d{1,2}(?:\.\d)?)(?:个)?(?:点|%|个百分点|百分点)"
    r"|(?P<cn>[一二两三四五六七八九十]{1,2})(?:个点|个百分点|%))"
)

# 百分之八的优惠, 五个点的折扣: the size first, then the discount word.
_DISCOUNT_PCT_AFTER = re.compile(
    r"(?:百分之(?P<pct>[一二三四五六七八九十]{1,3}|\d{1,2}(?:\.\d)?)|(?P<n>\d{1,2}(?:\.\d)?)(?:个点|%|个百分点|百分点)"
    r"|(?P<cn>[一二两三四五六七八九十]{1,2})(?:个点|个百分点|%))(?:的)?(?:优惠|折扣|让利|返点|返利|返现)"
)

_BUDGET = ("预算", "经费", "资金", "批了", "批的", "批下来", "拨了", "拨的", "拨款", "最多", "最高", "顶多", "不超过", "控制在", "只有", "拿出", "投入",
           "准备了", "额度", "心理价位", "能接受", "出得起", "能出", "申请了", "上限", "限价", "只批了", "只能给到", "只能出",
           "只能接受", "先进", "先拿", "先订", "目标成本", "成本控制", "控制价", "拦标价", "最高限价", "留的是", "留了", "就给", "只给",
           "勿好超过", "唔好超过", "不好超过", "别超过", "不能超过", "不准超过", "不得超过",  # Wu 勿好, Cantonese 唔好: must not
           "干焦", "只肯出", "只肯给", "只肯花",  # Hokkien 干焦: only (阮这季度刀具的钱干焦四万); 股东只肯出二十五万
           "撑死", "顶天", "心里价", "心理价", "专项", "上济",  # Hokkien 上济: at most  # 撑死三十八万: at the very most; 心里价是三十万: the price in mind
           "限额", "打算花", "准备花", "计划花", "只算了",  # 采购限额为七十五万, 进货就打算花三十六万: what they mean to spend
           # 我本来想一万五以内 (Whisper's 本赖想), 俺寻思一千五上下就够了, 技改只批得一百二十万, 定的成本就三十二万
           "本来想", "本赖想", "寻思", "只批得", "定的成本", "成本就")
_QUOTE = ("报价", "报", "总价", "总共", "一共", "合计", "全部", "整体", "打包", "合同", "含税", "价格是", "下来", "方案价",
          "这套", "这批", "算下来", "标价", "要价", "开价", "总额", "费用", "首付", "尾款", "定金", "订金", "合同额", "年费", "续费",
          "首年", "首批", "降到", "降至", "进货", "任务", "一年", "每年", "一个月", "每月", "包年", "年费", "加起来",
          "加一起", "加在一起", "总的", "满", "合共", "全套", "整套", "另外收",
          "加一块", "加一块儿", "俩一块", "俩一块儿", "合一块", "合一块儿",  # 俩加一块儿八千一百六: the sum of the items
          "一供", "一贡",  # Whisper's 一共
          "最后给您", "最后给你", "最低给您", "最低给你", "最终给您", "最终给你")  # 最后给您四千二: the final offer  # 满五千返三百: the order size a deal is counted on
_PRICE = ("单价", "零售价", "进价", "供价", "批发价", "出厂价", "售价", "卖", "终端价", "建议零售", "拿货", "才", "只要", "工程价",
          "一台", "每台", "一个", "每个", "一套", "每套", "一平", "每平", "一吨", "每吨", "一箱", "每箱", "一件", "每件", "一盒",
          "每盒", "一罐", "每罐", "一瓶", "每瓶", "一只", "每只", "一桶", "每桶", "一米", "每米", "一支", "每支", "一包", "每包",
          "每人", "一人", "每个账号", "一个账号", "一个席位", "每个席位", "一片", "每片", "一袋",
          "每袋", "一盘", "每盘", "一立方", "每立方", "一方", "每方", "/台", "/个", "/套", "/平", "/吨", "/箱", "/件", "/人", "毛利", "吨价", "台价", "套价", "箱价", "件价",
          "包价", "瓶价", "这款", "那款", "原价", "活动价", "牌价", "批价", "供货价", "会员价", "特价", "店庆价", "现价",
          "到手价", "促销价", "团购价", "批量价", "零售", "价钿", "进货价", "落地价", "含税价", "结算价", "出货价", "再加", "另加",
          # what a thing is worth: money off when it is given away (see _WORTH_BEFORE)
          "价值", "市场价", "市面价", "单买")  # 带遥控再加八百: an add-on's price  # 这款三千二百九: one item's price
# 一双, 每间, 单台报价: per one of something.
# 一家店进场费两千, 每间店收七百五: the fee named between the unit and the amount.
_PER_UNIT_BEFORE = re.compile(r"(?:(?<![合加俩])一|每|单)(?:个|家|间)?整?(?:延米|公斤|斤|部|户|粒|顶|次|座位|台|个|套|平|平米|平方|立方|方|盘|吨|箱|件|盒|"
                              r"罐|瓶|只|桶|米|支|包|人|片|袋|账号|席位|用户|盏|双|把|副|条|张|卷|根|间|扇|樘|组|辆|盒|块|门店|店|SKU|sku)"
                              r"(?:[\u4e00-\u9fff]{1,3}费)?(?:报价|报|价格|的价格|落地价|进货价|含税价|结算价|出货价|是|要|就是|就要|要收|收|卖|在|大概|差不多|可以做到|做到|降到)?$")
_COUNT_NEAR = gated(r"(?<![0-9一二两三四五六七八九十百千])(?:[0-9]+|[二两三四五六七八九十百千][0-9一二两三四五六七八九十百千]*)"
                         r"(?:个|台|套|件|箱|间)?(?:账号|席位|用户|台|套|件|箱|间|人)(?:一年|每年|一个月|每月)?$")
_DISCOUNT = ("便宜", "优惠", "让利", "让", "降", "减", "少", "返", "折扣", "下浮", "奖励", "补贴", "返利", "省", "抵", "赔", "补",
             "扣掉", "扣除", "扣", "值", "给您退", "给你退", "给你们退", "退您", "退你",  # 再送两箱，一箱值三百六: what a gift is worth (only after a gift, see _GIFT)
             # Cantonese 平 (cheaper) and 慳 (saved): 每支平二十蚊, 八十个慳二千二百四 — not 每平 (per m²).
             "慳", "我平", "再平", "照样平", "仲平", "都平", "支平", "盒平", "箱平", "台平", "套平", "瓶平", "包平",
             "罐平", "桶平", "条平", "张平", "个平", "部平", "扇平", "只平", "副平")
# Words that introduce an amount without saying which kind (给我们三十八, 报九十五).
_PRICE_TARGET = re.compile(r"(?:给到|做到|可以到|能到|降到|降至|到|给我们|给的是|报|要价|开价|按|算)$")
_CAP_AFTER = re.compile(r"^(?:以内|已内|之内|以下|封顶|打住|是上限|顶天"  # 已内: Whisper's 以内
                        # 14万8 不能再多了, 158万,一分都不能超: not a cent more
                        r"|[，,\s]*(?:不能再多|再多就|(?:多)?一分(?:钱)?都不(?:能|行|中|好使|可以)))")
_THRESHOLD_AFTER = re.compile(r"^(?:以上|及以上)")  # 一百万以上的设备: a rule, not an amount on the table
# A subscription's 一年 / 一个月 names the period of a total (三万一年), not a unit.
# 九万六一个月 is a monthly total, not 96 000 per 个.
_PER_UNIT_AFTER = re.compile(r"^(?:一|每|/|／)(?:个)?(?:家店|间店|家|延米|公斤|斤|部|户|粒|顶|台|个|套|平|平米|平方|立方|方(?![面案便式法向])|盘|吨|箱|件|盒|罐|瓶|只|桶|米|支|包|人|片|袋|账号|席位|用户|盏|把|张|副|组|"
                             r"间|双|条|卷|根)(?![月年季])")
_KIND_AFTER = re.compile(r"^(?:的|左右的|多的)?(?:预算|经费|报价|单价|总价)")
_PRICE_AFTER = re.compile(r"^.{0,6}?(?:零售价|出厂价|批发价|单价|拿货|进货|出货)")
# 七百五是底了, 九十一，不能再低了: the floor of a haggled price.
_FLOOR_AFTER = re.compile(r"^[，,]?(?:是|就是)?(?:底价|底线|底了|最低|(?:不能|不可以|唔可以|唔能)再低)")
_OBJECTION_AFTER = re.compile(r"^.{0,3}?(?:偏高|太高|高了|有点高|贵|超预算|超出|超了)")
_OBJECTION_NEAR = re.compile(r"贵|太高|高了|偏高|超预算|超出|超了|资金压力|压力")
_CAP_BEFORE = re.compile(r"(?:最多|顶多|不超过|控制在|只有|就)$")
# 三台就是两万四, 六组一万二千六, 两个SKU四千: a total for a count of units.
# (一台23万8两台47万6: a spoken count may follow an Arabic amount with no pause.)
_COUNT_BEFORE = gated(r"(?:(?<![0-9一二两三四五六七八九十百千])[0-9]+|(?<![一二两三四五六七八九十百千])[二两俩三四五六七八九十百千][0-9一二两三四五六七八九十百千]*)"
                           r"(?:个|台|套|件|箱|间)?(?:账号|席位|用户|台|套|件|箱|间|人|个|组|张|包|瓶|袋|盒|副|支|片|桶|把|条|辆|扇|樘|部|盏|只|双|卷|根|"
                           r"家店|间店|家|店|门店|SKU|sku|(?<=[几多个])平方|(?<=[几多个])平米)(?:的话)?(?:那)?(?:就是|就系|就|是|系|一共|合计|总共|共|下来|加起来|不得|得|算)?$")
# The amount closes its clause, perhaps after a bound (两千不到。, 十万以内。).
_CLAUSE_END = re.compile(r"^(?:不到|以内|之内|以下|封顶|左右|上下|出头)?\s*(?:[，,。.！!？?；;]|$)")
_PERIODS = ("一年", "每年", "一个月", "每月")
_PER_HEAD_PERIOD = re.compile(r"(?:一|每)(?:个)?[\u4e00-\u9fffA-Za-z]{1,3}(?:一|每)(?:个)?(?:年|月)")
# 一 after a gap is mostly "one X" (四百二 一 套), and 十 multiplies (五 十), so those stay joined;
# but 一 opening a word (一百二 一共 四千八) ends the number before it, and so does a place no lower than the
# one before the gap (四百 五千整 is 400 and 5000; 两千 四 stays 2400).
_ZHE_AFTER_GAP = re.compile(r" ?折")
_NUMBER_GAP = gated(r"(?<=[一二两三四五六七八九]) (?=[二两三四五六七八九]|一(?:共|起|下|样|直|定|般|些|次性|分不|分钱|[十百千万]))"
                         r"|(?<=百) (?=[一二两三四五六七八九][百千万])|(?<=千) (?=[一二两三四五六七八九][千万])"
                         # 一万一千八 十台: a count of ten after an amount, not 11 880 units
                         r"|(?<=[一二两三四五六七八九]) (?=十[一二三四五六七八九]?(?:台|套|个|件|箱|包|家|店|间|部|扇|瓶|盒|吨|只|张|支|条|辆|份|桶|袋|罐)"
                         r"\s?(?:就是|是|一共|共|总共|要|得|算)?\s?[一二两三四五六七八九十])")
# 一 opening a word (一下子, 一共, 一起): it ends the amount before it, not a trailing digit of it.
_ONE_OPENS_WORD = re.compile(r"^(?:下子|下(?![来去单])|共|起|样|直|定|般|些|次性|致|旦|律|切|并|齐|口气|会儿|阵)")
# 块 counting pieces: 四十块就是十二万八 (a money amount follows), 装四十块 (installed).
_PIECES_AFTER = re.compile(r"^(?:的话)?(?:就是|就|是|一共|共|总共)?(?:\d+(?:\.\d+)?|[一二两三四五六七八九十][一二两三四五六七八九十百]*)[千万kKwW]")
_INSTALL_BEFORE = re.compile(r"(?:装|安装|铺|(?<!补)贴|挂|送|寄|带)(?:了|个)?$")  # 补贴三百块 is money; 送两块 are samples
# 百分之三十八 is a rate; 发一万五 / 第三十 count goods and places.
_QUANTITY_BEFORE = re.compile(r"(?:百分之|发|先发|第|量在|量是|量有|量大概)$")  # 分娩量在六千左右: a volume
_GOODS_AFTER = re.compile(r"^(?:蚊|块|元)?(?:的)?货")
_STRONG_BUDGET = re.compile(r"(?:预算|经费|目标成本|额度|限价|控制价|拦标价)(?P<gap>[^，,。；;！!？?]{0,8})$")
# 对折的话就是两百一: the price once the discount is taken.
_AFTER_DISCOUNT = re.compile(r"(?:折|个点|半价|减半)(?:的话)?(?:就是|是|就|算下来|下来)$")
_PERCENT = re.compile(r"百分之(?P<n>[一二三四五六七八九十]{1,3}|\d{1,2}(?:\.\d)?)")
# 五个点还差不多: points said bare
_POINTS = re.compile(r"(?<![\d一二两三四五六七八九十])(?P<n>[一二两三四五六七八九十]{1,2}|\d{1,2})个(?P<half>半)?点")
# 返点得五个, 反点三个半, 反点俩点: the points of a rebate said without 点 or without 个.
_REBATE_POINTS = re.compile(r"(?:返点|反点|返利|反利)(?:也|就|得|是|要|给|按|再|可以|最少|至少|起码|最多|只有|只|才)*(?P<n>[一二两俩三四五六七八九十]{1,2})"
                            r"(?:个(?P<half>半)?(?![点月天年人台套件箱家店种样])|(?<![个])点(?![钟半多]))")
# Points said where a rebate or a discount is the matter (反点从五个点降到三个点, 别家都给到五个点): money
# off whether or not that size was asked for before; a margin's points (毛利八个点) are not.
_REBATE = re.compile(r"返点|反点|返利|反利|返佣|扣点|折扣|让利|返(?=[一二两三四五六七八九十\d])")
_GIVE_POINTS = re.compile(r"(?:给到|给|返|反|让|提到|回到|降到|做到)(?:你们|您们|你|您|我们|我|侬)?(?:个)?$")
_MARGIN_BEFORE = re.compile(r"(?:毛利|利润|毛力|税|税点)[^，,。；;！!？?]{0,3}$")
# 贵了五百, 高了两千多, 比你们便宜二三十万: a difference between two amounts, of their kind.
# 便宜 / 少 / 低 are a difference only against a 比 (alone, 便宜两千 is money off).
# 高 / 差 bare are heights and shortfalls of anything (楼高三十, 还差二十个): they need a 了 / 出.
# 还是超了一千七, 超 三万 六, 还是多六千八, 九万二，多两千: how far the offer is over the budget (超过二十万就… is a cap, see _kind).
_OVER_BUDGET = re.compile(r"(?:(?<![不没])超(?:了|出|出了|咗)?|还(?:是)?多(?:了|出来|出|出了)?)(?:个)?$"
                          # 二十一万，多一万……中: the excess said on its own after the amount
                          r"|(?:^|[，,。；;…\s])多(?:了|出来|出|出了)?$"
                          # 离预算还有十四万二, 还差六万, 超出阮预算两千三: how far the offer is over
                          r"|离预算还(?:有|差)$|(?:还|仲|仲系)差$|(?:超出|超过|高出|超)(?:了)?(?:我们?的?|阮|我)?(?:预算|经费|限额)$")
# 让价后一百八十九万二, 让了还一万八千三, 减完都要两千四百九十九: the price left after a cut, not the cut.
_AFTER_CUT = re.compile(r"(?:让|减|降|优惠)(?:价)?(?:后|完|了)(?:都|也|还|仍|仍然)?(?:有|要|是|系)?$")
# The rep listing items before their sum (座椅两千六百八，再配个遮阳篷一百二，一共两千八): each item's price.
_TOTAL_LATER = re.compile(r"一共|总共|合计|加起来|两样|三样|一起算|合埋")
_COUNT_OR_CUT = re.compile(r"[0-9一二两三四五六七八九十百千万]|折|让|减")  # 三万张四千五, 打完折四千七百八: a line's total
_ITEM_END = re.compile(r"^(?:[，,、；;\s]|再|加)")  # the item's price ends there (not 22228的一套, 十二参数)
# The rep's own side approving a price (我找老板批了, 我找经理又申请了一回): what is offered, not a budget.
_REP_APPROVED = re.compile(r"(?:老板|经理|领导|总监|公司|老细|上面)[^，,。；;！!？?]{0,4}(?:批了|批的|批下来|申请了|申请)|(?:我|我们)(?:又|再)?申请了")
# 安装费一万二我给你免了, 接口费一万八全部免脱, 那五千俺也不收了: a fee waived is money off.
_WAIVED_AFTER = re.compile(r"^\s*(?:我|俺|阿拉|阮|我哋)?(?:也|都|全部|全|就)?(?:给(?:你|您|侬|恁)|同你)?"
                           r"(?:免了|全免|免掉|免脱|免咗|免去|不收了|唔收了?|勿收了?|袂收了?)")
# 开孔费三百也给您免了, 零头一千五免掉, 数据迁移那五千俺也不收了: what is waived is money.
_FEE_BEFORE = re.compile(r"(?:费用?|零头|那|嗰)\s*$")
# 我再给您抹掉一百二: money wiped off the price (零头抹掉 四十万整 names the price left).
_WIPED_BEFORE = re.compile(r"(?<!零头)(?<!零头再)(?<!零头都)抹(?:掉|去|咗|脱)\s*$")
# 送两箱…值三百六, 再搭一套…也值七八百: 值 prices a gift; elsewhere (值不值, 这台值三十万) it names no discount.
_GIFT = re.compile(r"送|搭|赠|附带|白给|外加")
# A gift counted (再送三只…, 仲送埋两部…) and, in the clause after it, one of them (一只一百二).
# (再送, not the 送 of a delivery: 下周送两台过去，一台一万二 is a price)
_GIFT_COUNTED = re.compile(r"(?:(?:再|还|仲|另外|额外|免费|并|加)(?:送|搭)|赠送?)(?:你|您|侬|埋|给你)?[0-9一二两三四五六七八九十]+")
_EACH_OF = re.compile(r"^\s*(?:一|每)(?:只|套|台|个|张|箱|盒|瓶|件|条|把|支|包|罐|桶|袋|本|部)(?:值|是)?\s*$")
# 质控品我们包了，价值约一万二, 接口费全免，值两万: given or waived, then what it is worth.
_WORTH_NEXT = re.compile(r"[，,、]\s*(?:也|都|总共)?值(?:约|大概|差不多)?\s*$")  # …全免，值两万 (not 这台值三十万)
_GIFT_OR_FREE = re.compile(_GIFT.pattern + r"|免费|免咗|不收钱|不要钱|(?:我们|我|俺们|阿拉|我哋)?包了|全免|免了|免掉|免脱")
_PERIOD_AFTER = re.compile(r"^\s*(?:一年|每年|/年|一个月|每个月|每月)(?![0-9一二两三四五六七八九十])")
_FREE_AFTER = re.compile(r"^[^。！!？?]{0,4}?(?:不另收费|不收费|免费|不收钱|不要钱|白送)")  # 价值十二万，不另收费
_COUPON_AFTER = re.compile(r"^(?:块|元|蚊)?钱?(?:的|嘅)?(?:优惠|代金|抵用|现金|购物|满减)?券")
# What something given away would cost: 市场价大概两万, 价值三千.
_WORTH_BEFORE = re.compile(r"(?:市场价|市面上|市面价|外面|价值|单买|单独买|平时卖|平时收|平常收)(?:卖|要|得|是|也|都)*(?:大概|大约|差不多|约|起码|至少)?$")
# 涨了五百多, 又涨了快一百, 高了将近一百: a rise is a difference too, and 快 / 将近 only round it.
_DIFF_BEFORE = gated(r"(?:贵(?:了|出|出了)?|(?<![最提])(?:高|差)(?:了|出|出了)|涨(?:了|咗)|(?P<cmp>便宜|少|低|高|差)了?)(?:个)?"
                          r"(?:快|近|将近|差不多|大概)?$")
# A physical spec in the sentence (主轴转速一万二, 六千瓦切碳钢能到二十五, 耐温二百五): a bare number
# there with no money word is the spec's figure, not money.
# An engine oil's viscosity grade (15W40, 十五W四十, 5W-30) reads like 十五万四.
_NOT_AN_AMOUNT_AT = re.compile(r"[0-9一二三四五六七八九十]{1,3}[wW]-?(?:\d{2}|[二三四五六]十)")
_STEEL_GRADES = frozenset({"201", "304", "316", "430"})
_STEEL_AFTER = re.compile(r"^L?(?:不锈钢|钢|的|材质|料|板|管|冒充)")
_MEASURE_WORD = re.compile(r"(?:倍数|转速|耐温|温度|功率|厚度|精度|扭矩|电压|电流|硬度|隔音|噪音|含水率|含水律|水分|湿度|浓度)[^，,。；;！!？?]{0,5}$")
_MEASURE = re.compile(r"[\d零一二两三四五六七八九十百千万](?:转(?![账给款让手卖])|千瓦|瓦|毫米|公分|厘米|微米|mm|伏|马力|分贝)")
# 一个月才卖一万出头: the shop's turnover, not an amount of this deal.
_REVENUE = re.compile(r"(?:一个月|每个月|每月|一年|每年|一天|每天)[^，,。；;！!？?]{0,4}卖(?:了)?$")
_SENT_END = re.compile(r"[。！？!?]")
# 降到 / 算下来 name the new figure: a total, unless it is close to a unit price just quoted
# (最多降到八十二 after 八十八一平, 打八八折算下来两千九 after 这款三千二百九).
# Money words a recogniser writes as homophones (抱价 for 报价, 预酸 for 预算): analyze() reads them back
# with the pack's vocabulary. Only words of two or more characters that name money outright.
HEARD_MONEY_WORDS = ("报价", "单价", "总价", "预算", "经费", "出厂价", "零售价", "批发价", "进价", "供价", "折扣", "返点",
                     "返利", "定金", "尾款", "限价", "控制价", "落地价", "含税价", "到手价", "活动价", "市场价")
_SOFT_QUOTE = ("降到", "降至", "算下来", "下来")
_BIG_NUMBER = re.compile(r"[0-9零一二两三四五六七八九十百千]+[万千wWkK]")
# 二十万以内额话 opening the rep's turn: the customer's cap taken up as the budget. (A plain
# 十六万的话 may take up a budget or a target price: the call's earlier amounts decide.)
_IF_AFTER = re.compile(r"^(?:以内|之内)(?:的话|额话|嘅话)")
_IF_AFTER_PLAIN = re.compile(r"^(?:左右|出头)?(?:的话|额话|嘅话)")
_OVER = re.compile(r"^(?:还)?(?:多|高|超|超了|超出)")
_BEYOND_AFTER = re.compile(r"^(?:的话|额话|嘅话)?[，,]?(?:就|都|肯定|我们就)")
_LIKE_AFTER = re.compile(r"^的?样子")
_ONE_ITEM = re.compile(r"(?:那|这|一|每)(?:个)?(?:台|套|件|辆|张|间)")
_PERIOD_END = re.compile(r"(?:一年|每年|一个月|每月|一季度|每季度)$")
SMALL_TOTAL = 20_000  # yuan: below this an amount without a money word reads as a unit price


@dataclass(frozen=True)
class Money:
    """An amount of money said in the conversation."""

    phrase: str
    speaker: str
    kind: str                  # budget | quote | price | discount
    yuan: float | None         # the amount in yuan (budget, quote, price, discount in money)
    ratio: float | None        # the price multiplier of a discount (九五折 = 0.95)
    ref: str | None = None
    start: int = 0
    end: int = 0
    yuan_low: float | None = None   # a range or an approximate amount: its bounds (yuan is then None)
    yuan_high: float | None = None
    unit: str | None = None         # per-unit amounts: the unit (台, 吨, 平米, 箱, …)

    @property
    def low(self) -> float | None:
        """The amount, or the low end of its range."""
        return self.yuan if self.yuan is not None else self.yuan_low

    @property
    def high(self) -> float | None:
        """The amount, or the high end of its range."""
        return self.yuan if self.yuan is not None else self.yuan_high


_UNIT_WORDS = (r"延米|部|户|粒|顶|座位|台|个|套|平米|平方米|平方|平|立方米|立方|方(?![面案便式法向])|盘|吨|箱|件|盒|罐|瓶|只|桶|米|支|包|人|片|袋|账号|席位|用户|盏|双|把|副|条|张|卷|根|间|扇|樘|"
               r"组|辆|斤|公斤|块|门店|店|SKU|sku")
# (合一块 / 加一块: together, no 块 a piece)
_UNIT_BEFORE = re.compile(r"(?:(?<![合加俩])一|每|单)(?:个|家|间)?整?(?P<u>" + _UNIT_WORDS + r")(?:的)?(?:[\u4e00-\u9fff]{1,3}费)?"
                          r"(?:报价|价格|的价格|供价|单价|落地价|进货价|含税价|结算价|出货价|是|要|要收|收|卖|在|大概|差不多|"
                          r"可以做到|做到|降到|不超过|不准超过|不得超过|不能超过|最多|控制在|就|才|只要|便宜|贵)*$")

# 6205每套十二蚊半: a part number said before its price.
_CODE_BEFORE_PRICE = re.compile(r"^每(?:个)?(?:" + _UNIT_WORDS + r")[0-9一二两三四五六七八九十百千]")
_UNIT_IN_CLAUSE = re.compile(r"(?:一|每)(?:个|家|间)?(?P<u>" + _UNIT_WORDS + r")(?![月年季])")
_UNIT_AFTER = re.compile(r"^(?:左右|上下|出头|多)?(?:一|每|/|／)(?:个)?(?P<u>家店|间店|家|" + _UNIT_WORDS + r")(?![月年季])")
# 吨价是三万二: a price named by its unit.
_UNIT_PRICE = re.compile(r"(?P<u>吨|台|套|箱|件|包|瓶|桶|袋|盒|张)价(?:格)?(?:是|为|在|要)?$")
_UNIT_NAMES = {"家店": "店", "间店": "店", "家": "店", "平方米": "平米", "平方": "平米", "平": "平米", "立方米": "立方", "方": "立方",
               "门店": "店", "sku": "SKU"}


_PER_UNIT_ANY = re.compile(r"(?:一|每|单)(?:个)?(?:" + _UNIT_WORDS + r")|单价|供价|零售价|出厂价|批发价|进价|拿货价|" +
                           _UNIT_PRICE.pattern[:-1])


def _unit_of(before: str, after: str) -> str | None:
    """The unit an amount is per (每台八百, 八百一台), or None."""
    m = _UNIT_AFTER.match(after) or _UNIT_BEFORE.search(before[-12:]) or _UNIT_PRICE.search(before[-8:])
    if m is None:
        return None
    return _UNIT_NAMES.get(m.group("u"), m.group("u"))


_N = r"(?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千]+)"
_U = r"(?:万元|万块|万|w|W|千元|千块|千|k|K|亿元|亿)?"
_RANGE = re.compile(
    r"(?<![\d.A-Za-z零〇一二两三四五六七八九十百千万])(?P<a>" + _N + r")(?P<ua>" + _U + r")(?P<ca>" + _CUR + r")?"
    r"\s*(?:到|至|-|~|～|—|–)\s*(?P<b>" + _N + r")(?P<ub>" + _U + r")(?P<bt>(?<=[万千])[一二两三四五六七八九])?(?P<cb>" + _CUR + r")?"
)
_ADJACENT = gated(
    r"(?<![\d.零〇一二两三四五六七八九十百千万])(?P<pre>[一二两三四五六七八九]?十|[一二两三四五六七八九]百)?"
    r"(?P<x>[一二两三四五六七八九])(?P<y>[二三四五六七八九])(?P<place>[十百千万])?(?P<big>(?<![万])[万千]|w|W)?(?P<cur>" + _CUR + r")?"
    r"(?![\d零〇二两三四五六七八九十百千]|一(?![只个台套件箱包瓶张支条双副盒桶块片]))"  # 三四千一只: 一只 is per unit
)
# 七千六七, 两万四五, 二百五六: two neighbouring digits after a 百 / 千 / 万 head are the range of the place below it.
_TAIL_RANGE = gated(
    r"(?<![\d.零〇一二两三四五六七八九十百千万])(?P<head>(?:[一二两三四五六七八九]?十[一二两三四五六七八九]?|[一二两三四五六七八九])(?P<hu>[万千百]))"
    r"(?P<x>[一二两三四五六七八九])(?P<y>[二三四五六七八九])(?P<cur>" + _CUR + r")?(?![\d零〇一二两三四五六七八九十百千万])"
)
# 四十六、七元: the last digit said again, one higher.
_ENUM_RANGE = gated(
    r"(?<![\d.零〇一二两三四五六七八九十百千万])(?P<pre>[一二两三四五六七八九]?十|[一二两三四五六七八九]百)(?P<x>[一二两三四五六七八九])[、，,]"
    r"(?P<y>[二三四五六七八九])(?P<big>[万千])?(?P<cur>" + _CUR + r")?(?![\d零〇一二两三四五六七八九十百千万])"
)
_LEAD_WAN = gated(r"(?<![\d零〇一二两三四五六七八九十百千万亿A-Za-z])万(?P<d>[二三四五六七八九])(?P<approx>几|多)?"
                       r"(?![\d零〇一二两三四五六七八九十百千万])(?P<cur>" + _CUR + r")?")
_BETWEEN_AFTER = re.compile(r"(?:的)?(?:之间|中间|区间)")
_BA = gated(r"(?<![\d零〇一二两三四五六七八九十])(?P<u>[百千万])把(?P<cur>" + _CUR + r")?")
_GE_W = re.compile(r"(?<![\d.])(?P<num>\d+(?:\.\d+)?|[一二两三四五六七八九十]+)个(?P<u>[wW万])")
_PLACES = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "w": 10_000, "W": 10_000}
_DIGIT = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


# Hot helpers' patterns, compiled once (re's own cache costs a lookup a call).
_INT = re.compile(r"\d+")
_DECIMAL = re.compile(r"\d+\.\d+")
_BIG_UNIT = re.compile(r"[万亿wW]")
_CUR_RE = re.compile(_CUR)


def _step(num: str) -> float:
    """The place of a number's last significant digit: 六十 → 10, 一百 → 100, 十二 → 1, 1.5 → 0.1."""
    n = num.strip()
    if _INT.fullmatch(n):
        stripped = n.rstrip("0")
        return float(10 ** (len(n) - len(stripped))) if stripped else 1.0
    if _DECIMAL.fullmatch(n):
        return 10.0 ** -len(n.split(".")[1])
    return float(_PLACES.get(n[-1], 1)) if n and n[-1] in "十百千" else 1.0


@lru_cache(maxsize=1)
def _cue_words() -> tuple[re.Pattern[str], dict[str, str]]:
    """The money words, reversed, longest first, and each word's kind (the first list naming it)."""
    kind_of: dict[str, str] = {}
    for kind, words in (("budget", _BUDGET), ("quote", _QUOTE), ("price", _PRICE), ("discount", _DISCOUNT)):
        for w in words:
            kind_of.setdefault(w, kind)
    # 至少 / 最少 / 多少 bound an amount, they take nothing off.
    alts = [re.escape(w[::-1]) + ("(?![至最多])" if w == "少" else "") for w in sorted(kind_of, key=len, reverse=True)]
    return re.compile("|".join(alts)), kind_of


def _nearest_cue(before: str) -> tuple[str | None, int, str]:
    """The kind named by the money word closest before an amount, its distance and the word.

    The closest word wins, at equal distance the longer, more specific one: the first match in
    the reversed text, longest alternative first."""
    pattern, kind_of = _cue_words()
    # 十四个平方 is square metres, not Cantonese 个平 (cheaper by)
    # (and 让一步 concedes a point, it names no discount)
    m = pattern.search(before.replace("个平方", "个_方").replace("个平米", "个_米").replace("让一步", "_一步")[::-1])
    if m is None:
        return None, 10**6, ""
    w = m.group(0)[::-1]
    return kind_of[w], m.start(), w


def _zhe_ratio(z: str) -> float | None:
    if z[0].isdigit():
        v = float(z)
        return v / 10 if v < 10 else v / 100
    digits = [CN_DIGITS[c] for c in z]
    if len(digits) == 1:
        return digits[0] / 10
    return (digits[0] * 10 + digits[1]) / 100


def _discounts(text: str, text_h: str, speaker: str, ref: str | None) -> list[Money]:
    out: list[Money] = []
    for m in _DISCOUNT_ZHE.finditer(text_h):
        ratio = 0.5 if m.group("half") else _zhe_ratio(m.group("z") or m.group("zh"))
        if ratio is None or not 0 < ratio < 1:
            continue
        out.append(Money(text[m.start():m.end()], speaker, "discount", None, round(ratio, 4), ref, m.start(), m.end()))
    for m in [*_DISCOUNT_PCT.finditer(text_h), *_DISCOUNT_PCT_AFTER.finditer(text_h)]:
        n = parse_number(m.group("pct") or m.group("n") or m.group("cn") or "")
        if n is None or not 0 < n < 100 or any(x.start < m.end() and m.start() < x.end for x in out):
            continue
        out.append(Money(text[m.start():m.end()], speaker, "discount", None, round(1 - n / 100, 4), ref, m.start(), m.end()))
    return out


def _mult(unit: str) -> float:
    """The multiplier of an amount's unit word (万元 → 10 000; none → 1)."""
    return {"万": 1e4, "w": 1e4, "W": 1e4, "千": 1e3, "k": 1e3, "K": 1e3, "百": 100.0, "亿": 1e8}.get(unit[:1], 1.0)


def _judge(text_h: str, s: int, e: int, clause: Span, speaker: str, value: float, *, cur: bool, unit: bool,
           big: bool) -> tuple[str, str | None, str] | None:
    """Whether the amount at [s, e) is money, and if so its kind, unit and how sure the kind is.

    How: "firm" (a money word says it), "count" (a total for N units), "weak" (guessed from the size),
    "maybe" (a bare number with no money word: money only if the call's earlier amounts say so).
    """
    after = text_h[e:]
    if not cur and (_NOT_MONEY_AFTER.match(after) or _FILE_NAME_AFTER.match(after)):
        return None
    if not cur and not unit and value < 1 and not (_PER_UNIT_AFTER.match(after) or re.search(r"(?:按|报|算|卖)$", text_h[max(0, s - 2):s])):
        # 平面度唔好超过零点零三: a fraction with no money word is a measure (cents are said 五毛) —
        # unless it is a price a unit (芯片按0.75一个, 别家报0.6左右)
        return None
    if _THRESHOLD_AFTER.match(after):
        return None
    if not cur and re.fullmatch(r"[零〇幺一二三四五六七八九]{3,}", text_h[s:e]):
        return None  # 三零四, 三一六: a grade or a code read digit by digit (a price says 三百零四)
    if value == 1 and re.search(r"(?:多|超|贵|少)$", text_h[max(0, s - 2):s]) and re.match(r"(?:钱|块钱)?(?:都|也)", after):
        return None  # 多一蚊都要老细批, 超一分钱都要开会: not one yuan, "not a cent more"
    if not cur and _CODE_BEFORE_PRICE.match(after) and text_h[s:e].isascii():
        return None  # 6205每套十二蚊半: a part number, its price follows
    before = text_h[clause.start:s]
    if _REVENUE.search(before):
        return None
    if not cur and _QUANTITY_BEFORE.search(before) and not _GOODS_AFTER.match(after):
        return None
    cue, dist, cue_word = _nearest_cue(before)
    if cue_word == "值" and not (_GIFT.search(text_h, max(0, s - 40), s) or _GIFT_OR_FREE.search(text_h, max(0, s - 16), s)
                                 and _WORTH_NEXT.search(text_h, max(0, s - 8), s)):
        cue, dist, cue_word = None, 10**6, ""
    if cue_word == "满" and dist == 0 and after.startswith(("减", "立减")):
        return None  # 满三百减三十: a shop's promotion rule, not an amount of this deal
    after_kind = _KIND_AFTER.match(after)
    per_unit = _PER_UNIT_AFTER.match(after)
    if not cur:
        if big:
            ok = not _QUANTITY_CONTEXT.search(clause.text)
        elif unit:  # 千 / k
            ok = cue is not None or bool(per_unit) or bool(_PER_UNIT_BEFORE.search(before) or _COUNT_BEFORE.search(before)
                                                            or _difference(before))
        else:
            ok = bool(
                (cue is not None and dist <= 1) or _PER_UNIT_BEFORE.search(before)
                or per_unit or after_kind or _PRICE_AFTER.match(after) or _OBJECTION_AFTER.match(after) or _FLOOR_AFTER.match(after)
                or _PRICE_TARGET.search(before) or _COUNT_BEFORE.search(before) or _AFTER_DISCOUNT.search(before)
                or after.startswith("整")  # 六千整: a round sum of money (八点整 is a time: 点 is no money)
                or (_WAIVED_AFTER.match(after) and _FEE_BEFORE.search(before)) or _WIPED_BEFORE.search(before)
                or (speaker == "rep" and not unit and bool(_ITEM_END.match(after)) and not _COUNT_OR_CUT.search(before)
                    and bool(_TOTAL_LATER.search(text_h, e, e + 30)))
                or _difference(before) or _OVER_BUDGET.search(before)
                or (cue in ("price", "budget", "quote") and dist <= 12 and _CLAUSE_END.match(after))
            )
        if not ok:
            return None if big else (None if _spec_sentence(text_h, s, e, value) else ("price", _unit_of(before, after), "maybe"))
    opening = len(text_h[:s]) - len(before) <= 6 and len(before) <= 6  # after at most a form of address
    kind, how = _kind(speaker, value, before, after, cue, dist, cue_word, after_kind, per_unit, big, opening)
    if how == "weak" and kind == "price" and _ITEM_END.match(after) and not _COUNT_OR_CUT.search(before) \
            and value >= 1000 and "每" not in before and not _ONE_ITEM.search(text_h, max(0, s - 12), s) \
            and not _PER_UNIT_ANY.search(before) and _big_total_later(text_h, e):
        # 面八万四，瓜子七万六，标签四千二，一共十六万四千二: the lines of a bill that comes to a deal's size are
        # line totals (床一千六百八，床垫四百二，两样加起来两千一百 prices two articles)
        kind = "quote"
    if kind == "budget" and speaker == "rep" and _REP_APPROVED.search(before):
        kind, how = "quote", "firm"  # 价钱我找老板批了 最后两万三整: the price the rep's boss approved, not a budget
    if not cur and (_MEASURE_WORD.search(before[len(before) - dist:] if cue else before)
                    or how == "weak" and _spec_sentence(text_h, s, e, value)):
        return None  # 这款耐温三百五: the spec word after the money word names what the number is
    if kind in ("price", "quote") and _WORTH_BEFORE.search(before) and (
            _GIFT_OR_FREE.search(text_h, max(0, s - 40), s) or _FREE_AFTER.match(after)):
        kind, how = "discount", "firm"  # 再送一套口扫，市场价十二万左右: what the gift is worth
    if kind == "price" and _EACH_OF.match(before) and _GIFT_COUNTED.search(text_h, max(0, clause.start - 16), clause.start):
        kind, how = "discount", "firm"  # 再送三只冰酒壶，一只一百二: what each gift is worth
    if kind in ("price", "quote") and _COUPON_AFTER.match(after):
        kind, how = "discount", "firm"  # 再叠一张五十的券: a coupon is money off
    if kind == "discount":
        # 每罐再补二十块: money off per unit keeps the unit
        units = _UNIT_IN_CLAUSE.findall(before)
        return kind, (_UNIT_NAMES.get(units[-1], units[-1]) if units else None), how
    per = _unit_of(before, after)
    if kind == "quote" and how == "firm" and per is None and cue_word not in _TOTAL_WORDS:
        lead = _unit_lead(text_h, s)
        if lead is not None:
            return "price", lead, "firm"  # 一间标准教室，含四路摄像机，报价三十二万: the price of one
    if per is None and kind == "price":
        # 供价一瓶从三十二降到二十七块五: the unit was named earlier in the clause
        units = _UNIT_IN_CLAUSE.findall(before)
        per = _UNIT_NAMES.get(units[-1], units[-1]) if units else None
    return kind, per, how


# One of a unit said first, its price later in the sentence (一 台 裸机 报价 四十八 万, 一套包埋三样，我哋报两千三百五).
# 个 is left out (一个项目报价三十万 is a project's total), and so is 整套 (the whole package).
_LEAD_UNIT = re.compile(r"(?<![0-9一二两三四五六七八九十百千万第])(?:一|每|单)(?P<u>台|套|间|扇|樘|辆|吨|件|箱|盒|桶|双|组|部)(?![月年季])")
_TOTAL_WORDS = frozenset({"一共", "合计", "总共", "共", "总价", "整单", "加起来", "总计", "全部"})
_LEAD_BREAK = re.compile(r"[0-9二两三四五六七八九十百千万亿]|" + "|".join(sorted(_TOTAL_WORDS, key=len, reverse=True))
                         + r"|都|另外|再")


def _unit_lead(text_h: str, s: int) -> str | None:
    """The unit of a 一台 / 一套 said earlier in the sentence of the amount at `s`, with no other
    amount, count or total word between them; none for a bundle (一台一体机加一套录播)."""
    start = max(text_h.rfind(ch, 0, s) for ch in "。！!？?；;") + 1
    leads = list(_LEAD_UNIT.finditer(text_h, start, s))
    if len(leads) != 1 or _LEAD_BREAK.search(text_h, leads[-1].end(), s):
        return None
    u = leads[-1].group("u")
    return _UNIT_NAMES.get(u, u)


_TOTAL_AMOUNT = re.compile(r"(?:" + _TOTAL_LATER.pattern + r")(?:是|就是|系)?\s*(?P<num>" + NUMBER_RE + r")(?P<unit>万|w|W)?")


def _big_total_later(text_h: str, e: int) -> bool:
    """A total word within 30 characters after `e`, naming a sum of at least SMALL_TOTAL."""
    m = _TOTAL_AMOUNT.search(text_h, e, e + 40)
    if m is None or m.start() > e + 30:
        return False
    value = parse_number(m.group("num"))
    return value is not None and value * (1e4 if m.group("unit") else 1) >= SMALL_TOTAL


def _difference(before: str) -> bool:
    """Whether the amount after `before` is a difference of two amounts (贵了五百, 比你们便宜二三十万)."""
    m = _DIFF_BEFORE.search(before)
    return m is not None and (m.group("cmp") is None or "比" in before[:m.start()])


def _spec_sentence(text_h: str, s: int, e: int, value: float) -> bool:
    """Whether the amount at [s, e) is a spec's figure: right after a spec word (转速至少要一万二), or in a
    sentence that states specs (六千瓦切碳钢能到二十五) and prices nothing per unit (4毫米的卷材每平四十二，
    量大可以到三十八 is a price)."""
    if _MEASURE_WORD.search(text_h, max(0, s - 10), s):
        return True
    if value >= SMALL_TOTAL:
        return False  # 三十万 next to 十五千瓦 is still the price of the machine
    ends = [m.start() for m in _SENT_END.finditer(text_h, 0, s)]
    stop = _SENT_END.search(text_h, e)
    a, b = (ends[-1] + 1 if ends else 0), (stop.start() if stop else len(text_h))
    return bool(_MEASURE.search(text_h, a, b)) and not _PER_UNIT_ANY.search(text_h, a, b)


def _ranges(text_h: str) -> list[tuple[int, int, float, float, bool, bool, bool]]:
    """Ranges and approximate amounts that are not a plain number: (start, end, low, high, cur, unit, big).

    low == high marks a point written in a way the plain pass cannot read (1.2个w).
    """
    out: list[tuple[int, int, float, float, bool, bool, bool]] = []
    for m in _RANGE.finditer(text_h):
        ua, ub = m.group("ua") or "", m.group("ub") or ""
        if not (ua or ub or m.group("ca") or m.group("cb") or _BETWEEN_AFTER.match(text_h, m.end())):
            continue  # 三到五 alone counts anything; 七百二到七百五之间 is a range said as one
        low = parse_number(m.group("a") + (ua or ub).rstrip("元块"))
        high = parse_number(m.group("b") + ub.rstrip("元块") + (m.group("bt") or ""))
        if low is None or high is None or not 0 < low < high:
            continue
        units = ua + ub
        out.append((m.start(), m.end(), low, high, bool(m.group("ca") or m.group("cb")),
                    bool(units), bool(_BIG_UNIT.search(units))))
    for m in _ADJACENT.finditer(text_h):
        x, y = _DIGIT[m.group("x")], _DIGIT[m.group("y")]
        if y != x + 1 and not ((x, y) == (3, 5) and (m.group("place") or m.group("big"))):
            continue  # 三五千, 三五万: the one idiom that skips a digit (three to five thousand)
        place, big = m.group("place") or "", m.group("big") or ""
        if place in ("万", "千") and not big:
            place, big = "", place
        if not (place or big or m.group("cur") or (m.group("pre") or "").endswith("十")):
            continue  # 三十二三 is 32–33 as it stands; 二三 alone may count anything
        pre = parse_number(m.group("pre")) if m.group("pre") else 0.0
        step = float(_PLACES.get(place, 1))
        mult = _mult(big)
        out.append((m.start(), m.end(), ((pre or 0) + x * step) * mult, ((pre or 0) + y * step) * mult,
                    bool(m.group("cur")), bool(big), big in ("万", "w", "W")))
    for m in _TAIL_RANGE.finditer(text_h):
        x, y = _DIGIT[m.group("x")], _DIGIT[m.group("y")]
        head = parse_number(m.group("head"))
        if y != x + 1 or not head:
            continue
        step = _PLACES[m.group("hu")] / 10
        out.append((m.start(), m.end(), head + x * step, head + y * step, bool(m.group("cur")), True, m.group("hu") == "万"))
    for m in _ENUM_RANGE.finditer(text_h):
        x, y = _DIGIT[m.group("x")], _DIGIT[m.group("y")]
        pre = parse_number(m.group("pre"))
        if y != x + 1 or not pre or not (m.group("cur") or m.group("big")):
            continue
        mult = _mult(m.group("big") or "")
        out.append((m.start(), m.end(), (pre + x) * mult, (pre + y) * mult, bool(m.group("cur")), bool(m.group("big")),
                    m.group("big") == "万"))
    for m in _BA.finditer(text_h):
        v = float(_PLACES[m.group("u")])
        out.append((m.start(), m.end(), 0.8 * v, 1.2 * v, bool(m.group("cur")), True, m.group("u") == "万"))
    for m in _LEAD_WAN.finditer(text_h):
        v = 10_000 + _DIGIT[m.group("d")] * 1000.0
        out.append((m.start(), m.end(), v, v + 1000 if m.group("approx") else v, bool(m.group("cur")), True, True))
    for m in _GE_W.finditer(text_h):
        n = parse_number(m.group("num"))
        if n:
            out.append((m.start(), m.end(), n * 1e4, n * 1e4, False, True, True))
    out.sort(key=lambda r: (r[0], -(r[1] - r[0])))
    kept: list[tuple[int, int, float, float, bool, bool, bool]] = []
    for r in out:
        if not any(k[0] < r[1] and r[0] < k[1] for k in kept):
            kept.append(r)
    return kept


_COLLOQUIAL_PLACE = {"百": 100.0, "千": 1000.0, "k": 1000.0, "K": 1000.0, "万": 10_000.0, "w": 10_000.0, "W": 10_000.0}
_TENTHS = ("毛", "毫", "角")  # a tenth of a yuan: Mandarin 毛 / 角, Cantonese 毫
_JIAO_VERB = re.compile(r"(?:让|减|便宜|降|涨|贵|补|返|加|少|多|差)(?:了|咗)?$")
# (not the 一 of a unit after it: 成五毫一罐 is 0.5 a can)
_FEN_AFTER = re.compile(r"[一二两三四五六七八九](?![十百千万0-9]|[一二两三四五六七八九][十百千万])(?<!一(?=[罐瓶包盒只个粒支件箱斤杯碗份条张台套]))")
# Hokkien 外 is 多 (贵六百外, 超阮的数五千外), not 外加 / 外面 / 外地.
_APPROX_AFTER = re.compile(r"^(?:左右|上下|出头|多|几|外(?![加面边地省国包卖资企贸观形套壳头婆公科伤语汇快部来出带]))")
# 小七十万, 小两千: a round number (one digit and its places) that 小 says is nearly reached.
_ROUND = re.compile(r"[一二两三四五六七八九]?[十百千万]+|\d+[万千wWkK]?")


def _approximate(num: str, unit: str, approx: str, approx2: str, value: float, after: str, before: str
                 ) -> tuple[float, float, int, int] | None:
    """The bounds of an approximate amount, and how many characters it takes before / after; None if exact."""
    num = num.replace("廿", "二十").replace("卅", "三十")  # 廿几万 steps as 二十几万
    mult = _mult(unit) if unit else 1.0
    step = _step(num.rstrip("万千百亿wWkK")) * (_mult(num[-1]) if num[-1:] in "万千百亿wWkK" else 1.0) * mult
    if len(num) >= 2 and num[-2] in _COLLOQUIAL_PLACE and (num[-1].isdigit() or num[-1] in _DIGIT):
        step = _COLLOQUIAL_PLACE[num[-2]] / 10 * mult  # 一万三多, 3万3多: the digit after a place counts in the one below
    suffix = _APPROX_AFTER.match(after)
    word = suffix.group(0) if suffix else ""
    if approx in ("多", "几") or approx2 == "多":  # 六十多万, 二十几万: up to the next step
        return value, value + (step if approx else mult), 0, 0
    if approx == "来":
        return value, value + 0.3 * step, 0, 0
    if approx == "左右" or word in ("左右", "上下"):
        return 0.9 * value, 1.1 * value, 0, len(word)
    if word == "出头":
        return value, 1.1 * value, 0, 2
    if word == "外" or (word == "多" and not re.match(r"\s*多" + _NOT_A_CENT_MORE, after)):
        return value, value + step, 0, 1
    if word == "几" and (unit or num[-1:] in "万千百"):
        return value, value + (mult if unit else _mult(num[-1])), 0, 1
    if before.endswith("小") and _ROUND.fullmatch(num + unit):
        return 0.8 * value, value, 1, 0
    return None


def money_in(text: str, speaker: str, ref: str | None = None, spans: list[Span] | None = None,
             earlier: Sequence[Money] = ()) -> list[Money]:
    """The money said in one utterance by `speaker`.

    `earlier` is the money said before in the same conversation, oldest first: a bare number that
    restates one of those amounts (三万二不算便宜 after 吨价是三万二), or sits next to a unit price
    just quoted (七百五是底了 after 一套八百八), takes its kind and unit.
    """
    if not _ANY_NUMERAL.search(text):
        return []  # every amount, ratio and 对折 has a numeral or 半价/对折 in it
    found = _money_said(text, speaker, ref, spans, earlier)
    if "." not in text and "/" not in text:
        return found
    # 10.20之前给你回复, 11.1我们就定了: a day typed with a dot is no amount
    days = [(m.start("mo"), m.end("d")) for m in DOTTED_DATE.finditer(text)]
    return [m for m in found if not any(a < m.end and m.start < b for a, b in days)]


def _money_said(text: str, speaker: str, ref: str | None, spans: list[Span] | None,
                earlier: Sequence[Money]) -> list[Money]:
    squeezed, keep = squeeze(text)
    if len(squeezed) == len(text):
        return _money_in(text, speaker, ref, spans, earlier)
    gaps = [m.start() for m in _NUMBER_GAP.finditer(text) if _DIGIT.get(text[m.start() + 1], -1) != _DIGIT.get(text[m.start() - 1], -9) + 1
            and not _ZHE_AFTER_GAP.match(text, m.start() + 2)]  # 打 九 二 折 is one 九二折
    if gaps:  # two spoken numbers side by side (两千 四 | 四十 块): the gap stays and ends the first
        keep = sorted(keep + gaps)
        squeezed = "".join(text[i] for i in keep)
    # The squeezed text's own clauses: the spaces were word gaps, not clause breaks.
    return [replace(m, phrase=text[keep[m.start]:keep[m.end - 1] + 1], start=keep[m.start], end=keep[m.end - 1] + 1)
            for m in _money_in(squeezed, speaker, ref, None, earlier)]


def _money_in(text: str, speaker: str, ref: str | None, spans: list[Span] | None,
              earlier: Sequence[Money]) -> list[Money]:
    text_h = to_halfwidth(text)
    parts = spans if spans is not None else clauses(text)
    out = _discounts(text, text_h, speaker, ref)
    taken = [(x.start, x.end) for x in out]
    how: dict[int, str] = {}  # start → how sure the kind is (see _judge); discounts are firm
    # searched only where their words occur: a pattern opening on a numeral is slow
    points = "个点" in text_h or "个半点" in text_h
    rebate_words = "返" in text_h or "反" in text_h
    bare = [*_PERCENT.finditer(text_h), *(_POINTS.finditer(text_h) if points else ()),
            *(_REBATE_POINTS.finditer(text_h) if rebate_words else ())]
    rebate = (points or rebate_words) and bool(_REBATE.search(text_h))
    for m in bare:
        n = parse_number(m.group("n"))
        s, e = m.start("n"), m.end()
        if n and m.groupdict().get("half"):
            n += 0.5  # 三个半点
        if n and 0 < n < 100 and not any(a < e and s < b for a, b in taken):
            # 百分之五有难度, 五个点还差不多: a bare percentage is a discount only if one of that size was
            # asked for before — unless the points are a rebate's or given (see _REBATE)
            out.append(Money(text[s:e], speaker, "discount", None, round(1 - n / 100, 4), ref, s, e))
            firm = m.re is not _PERCENT and not _MARGIN_BEFORE.search(text_h, max(0, s - 8), s) and (
                rebate or bool(_GIVE_POINTS.search(text_h, max(0, s - 8), s)))
            how[s] = "firm" if firm else "maybe"
            taken.append((s, e))

    def clause_of(i: int) -> Span:
        return next((c for c in parts if c.start <= i < c.end), Span(text, 0, len(text), 0))

    for s, e, low, high, cur_, unit_, big in _ranges(text_h):
        if any(a < e and s < b for a, b in taken):
            continue
        judged = _judge(text_h, s, e, clause_of(s), speaker, high, cur=cur_, unit=unit_, big=big)
        if judged is None:
            continue
        kind, per, how[s] = judged
        point = low == high
        out.append(Money(text[s:e], speaker, kind, round(low, 2) if point else None, None, ref, s, e,
                         None if point else round(low, 2), None if point else round(high, 2), per))
        taken.append((s, e))

    for m in _AMOUNT.finditer(text_h):
        s, e = m.start(), m.end()
        if any(a < e and s < b for a, b in taken):
            continue
        num, unit, cur, jiao = m.group("num"), m.group("unit") or "", m.group("cur") or "", m.group("jiao") or ""
        if not cur and s > 0 and text_h[s - 1] in "¥￥" and not any(a < s and s - 1 < b for a, b in taken):
            cur, s = "¥", s - 1  # ¥1599: the sign before the number says yuan as 元 after it does
        if num in CN_DIGITS and not (unit or cur):
            continue  # a lone 一 / 两 is a quantity word
        if cur == "角" and not _JIAO_VERB.search(text_h, max(0, s - 3), s) and not _PER_UNIT_BEFORE.search(text_h[max(0, s - 6):s]):
            continue  # 三角 is a triangle unless money moves by it (每杯让三角, 便宜五角) or it prices a unit (一张一角二)
        after = text_h[e:]
        if cur == "块" and not jiao and ((_PIECES_AFTER.match(after) and not _UNIT_BEFORE.search(text_h, max(0, s - 12), s))
                                          or _INSTALL_BEFORE.search(text_h[:s])
                                          or (num == "一" and not after.startswith(("钱", "多"))
                                              and _nearest_cue(text_h[max(0, s - 8):s])[1] > 1)):
            continue  # 四十块就是十二万八, 装四十块, 门口一块: 块 counts screens or boards, not yuan
        if jiao and "毛" not in jiao and not jiao.startswith("零") and jiao != "半" and (
                _NOT_MONEY_AFTER.match(after) or (jiao == "一" and (_PER_UNIT_AFTER.match(jiao + after) or _ONE_OPENS_WORD.match(after)))):
            e -= len(jiao)  # 九十九块三小罐: three cans, not 99.3; 三百五十蚊一部 is 350 a phone
            jiao, after = "", text_h[e:]
        if num == "五一" and not (unit or cur):
            continue  # 五一 alone is the holiday: fifty-one is said 五十一
        if _NOT_AN_AMOUNT_AT.match(text_h, s) or text_h[s - 1:s] in ("×", "*", "x", "X") or (
                num in _STEEL_GRADES and (_STEEL_AFTER.match(after) or text_h[:s].endswith("冒充"))):
            continue  # 15W40 engine oil, M10×30 bolts, 304 stainless: grades and sizes, not money
        if num in ("五一", "十一", "双十一", "十二") and re.match(r"^(?:月|号|日|前|后|之前|之后|以前|以后|期间|假期|节|长假|黄金周|人多|活动|大促|那天)", after):
            continue  # 五一前, 十一月: holidays and months
        if (not cur and not unit and len(num) > 1 and _NOT_MONEY_AFTER.match(after)
                and (num[-1] == "一" or (num[-1] == "两" and num[-2] in "百千万"))
                and not (after.startswith(("家", "间")) and num[-2] in "十0123456789")
                and not (num == "十一" or re.search(r"(?:一共|总共|共|合共)$", text_h[:s]))):
            # 八百一台 is 800 a unit, not 810 units; 二十万两台 is 200 000 for two; 四百一家 is 400 a store,
            # but 三十一家店 counts stores, and so do 十一延米 and 一共二十一台
            num, e = num[:-1], e - 1
            after = text_h[e:]
        elif not (unit or cur) and len(num) > 1 and num[-1] == "一" and num[-2] in "百千万" and _ONE_OPENS_WORD.match(after):
            num, e = num[:-1], e - 1  # 三十二万一下子掏不出来, 二十六万 一共…: 一 opens the next word
            after = text_h[e:]
        value = parse_number(num + unit.replace("元", "").replace("块", ""))
        if value is None or value <= 0:
            continue
        # 一毛多, Cantonese 三毫八: tenths of a yuan; 三仙: cents
        scale = 0.1 if cur[:1] in _TENTHS else 0.01 if cur == "仙" else 1.0
        fen = _FEN_AFTER.match(after) if cur in _TENTHS else None
        if fen:  # 一毛五 is 0.15
            value += _DIGIT[fen.group(0)] / 10
            e += 1
            after = text_h[e:]
        if jiao == "半":
            value += 0.5  # 十二块半, 十二蚊半
        elif jiao:
            digit = jiao[-1] if jiao.startswith("零") else jiao[0]
            value += (parse_number(digit) or 0) / (100 if jiao.startswith("零") else 10)  # 一块零五, 三块五
            if jiao[1:2] == "毛" and jiao[2:]:
                value += (parse_number(jiao[2]) or 0) / 100  # 一块三毛五 is 1.35
        if not (unit or cur) and value >= 10_000_000:
            continue  # phone or order numbers
        bounds = None if jiao else _approximate(num, unit.replace("元", "").replace("块", ""), m.group("approx") or "",
                                                m.group("approx2") or "", value, after, text_h[:s])
        value *= scale
        if bounds is not None:
            bounds = (bounds[0] * scale, bounds[1] * scale, bounds[2], bounds[3])
            s, e = s - bounds[2], e + bounds[3]
            tail = _CUR_RE.match(text_h, e)
            if tail and not cur:
                cur, e = tail.group(0), e + len(tail.group(0))  # 两百几蚊
        judged = _judge(text_h, s, e, clause_of(m.start()), speaker, value, cur=bool(cur), unit=bool(unit),
                        big=bool(_BIG_UNIT.search(num + unit)))
        if judged is None:
            continue
        kind, per, how[s] = judged
        if bounds is None:
            out.append(Money(text[s:e], speaker, kind, round(value, 2), None, ref, s, e, unit=per))
        else:
            out.append(Money(text[s:e], speaker, kind, None, None, ref, s, e, round(bounds[0], 2), round(bounds[1], 2), per))
        taken.append((s, e))
    out.sort(key=lambda x: x.start)
    if len(how) != sum(h == "firm" for h in how.values()):
        out = _in_context(out, how, earlier)
    if speaker == "customer":
        out = _without_echo(text_h, out, clause_of)
    return _line_totals(text_h, _once(out, how))


# …八万，四十个三百二十万: a count and its unit between two amounts, the second the first times the count.
_COUNT_BETWEEN = re.compile(r"[，,、\s]*(?P<count>[0-9]+|[一二两三四五六七八九十百千]+)\s*"
                            r"(?P<unit>个|台|套|条|盏|箱|件|只|支|吨|桶|袋|盒|瓶|罐|把|张|间|扇|樘|组|部|辆|方|平米|平|米)\s*$")


def _line_totals(text_h: str, found: list[Money]) -> list[Money]:
    """An amount, then a count with its unit and that many times the amount (罐子让完八万，四十个三百二十万; 灯减完一千零八十，
    三百盏三十二万四): the first is the price of one (its unit the count's), the second the line's total — whatever
    the words around them said, the arithmetic says which is which."""
    out = list(found)
    for i in range(len(out) - 1):
        a, b = out[i], out[i + 1]
        if a.yuan is None or b.yuan is None or a.kind not in ("quote", "price") or b.kind not in ("quote", "price"):
            continue
        m = _COUNT_BETWEEN.match(text_h[a.end:b.start])
        n = parse_number(m.group("count")) if m is not None else None
        if m is None or not n or n < 2 or abs(a.yuan * n - b.yuan) > max(1.0, b.yuan * 0.005):
            continue
        out[i] = replace(a, kind="price", unit=m.group("unit"))
        out[i + 1] = replace(b, kind="quote", unit=None)
    return out


# A customer's reply that opens on the offer just made and works out what it leaves (九二折以后数码机也还要
# 一百一十七万多, 让两万也还三十六万八, 返五个点一吨嘛是八百出头): the discount is the rep's, said again.
# Not one asked for (再打九折, 要是九折的话) nor one the customer names first in a new clause.
_ECHO_LEAD = re.compile(r"[^，,。！？!?；;：:再要能给想如果若是]{0,4}")
_ECHO_NET = re.compile(r"(?:以后|之后|后|完)?[^，,。！？!?；;：:]{0,5}?(?:也|都|仲|还|是|仍|閣|阁|犹原)")
_ECHO_NOT = re.compile(r"的话|就签|能不能|可不可以|行不行|得唔得")


def _without_echo(text_h: str, found: list[Money], clause_of: Callable[[int], Span]) -> list[Money]:
    out = []
    for m in found:
        net = _ECHO_NET.match(text_h, m.end)
        if m.kind == "discount" and net and _ECHO_LEAD.fullmatch(text_h[:m.start]):
            end = clause_of(m.start).end
            if not _ECHO_NOT.search(text_h, m.start, end) \
                    and any(x.kind in ("quote", "price") and net.end() <= x.start < end for x in found):
                continue
        out.append(m)
    return out


def _once(found: list[Money], how: dict[int, str]) -> list[Money]:
    """Each amount once per utterance: 二十四万五就二十四万五 agrees to one figure. A repeat keeps the
    first mention's kind unless a money word names its own (预算三十万，报价也是三十万 are two)."""
    if len(found) < 2:
        return found
    seen: dict[tuple[float | None, ...], str] = {}
    out = []
    for m in found:
        key = (m.yuan, m.yuan_low, m.yuan_high, m.ratio)
        kind = seen.get(key)
        if kind is None or (kind != m.kind and how.get(m.start, "firm") == "firm"):
            seen[key] = m.kind
            out.append(m)
    return out


def _said(m: Money) -> set[tuple[float, ...]]:
    """The amount as said: a point (v,) or a range (low, high)."""
    if m.yuan is not None:
        return {(m.yuan,)}
    if m.yuan_low is not None and m.yuan_high is not None:
        return {(m.yuan_low, m.yuan_high)}
    return set()


def _restatable(m: Money) -> set[tuple[float, ...]]:
    """What an earlier mention can be restated as: itself, or the round number of an approximate one
    (八十万左右 → 八十万, 一千出头 → 一千, 小十万 → 十万)."""
    out = _said(m)
    lo, hi = m.yuan_low, m.yuan_high
    if m.yuan is None and lo and hi:
        if abs(hi / lo - 11 / 9) < 1e-3:
            out.add((round((lo + hi) / 2, 2),))
        elif abs(hi / lo - 1.1) < 1e-3:
            out.add((lo,))
        elif abs(lo / hi - 0.8) < 1e-3:
            out.add((hi,))
    return out


def _referred_back(ratio: Money, after: Money | None, earlier: Sequence[Money]) -> bool:
    """The customer's ratio is the other side's offer worked out, the amount it gives right after it
    (椰浆九五折二百零五蚊二, 工位九折是八十二万八): no new discount."""
    return (ratio.speaker == "customer" and after is not None and after.ratio is None
            and 0 <= after.start - ratio.end <= 3
            and any(x.ratio == ratio.ratio and x.speaker != ratio.speaker for x in earlier))


def _in_context(found: list[Money], how: dict[int, str], earlier: Sequence[Money]) -> list[Money]:
    """Settle the amounts whose kind was a guess by what was said before them in the conversation.

    A restated amount (the same number) takes the earlier mention's kind and unit: the rep's
    十六万的话 is the budget the customer named. Otherwise an amount close to a unit price just
    quoted (0.6–1.67 of it) is a price for the same unit: the haggling over 八百八 一套 goes on in
    bare numbers (七百, 七百五是底了). A bare number that neither explains is not money.
    """
    out: list[Money] = []
    # Read once: the call's money so far is long by the end of a call, and each amount reads only its
    # last few or looks back through it once (a copy for every amount grew with the call's length).
    prior = list(earlier) if found else []
    for i, m in enumerate(found):
        h = how.get(m.start, "firm")
        recent = (prior[-6:] + out)[-6:]
        if h in ("diff", "soft"):
            v = m.low or 0.0
            ref = next((x for x in reversed(recent) if x.ratio is None and x.kind in ("price", "quote") and x.low), None)
            if h == "diff" and ref is not None:
                # 贵了五百 after 同款才两千四: a difference between unit prices is a price, between totals a quote
                m = replace(m, kind=ref.kind, unit=ref.unit if ref.kind == "price" else None)
            elif h == "soft" and ref is not None and ref.kind == "price" and ref.low and 0.6 <= v / ref.low <= 1.67:
                m = replace(m, kind="price", unit=ref.unit)  # 降到八十二 after 八十八一平: the haggled unit price
            out.append(m)
            continue
        if h == "count":
            prev = out[-1] if out else None
            if prev is not None and prev.kind == "discount" and prev.yuan is not None:
                m = replace(m, kind="discount")  # 一台抵八千，三台就是两万四: the trade-in for all of them
            out.append(m)
            continue
        if h == "firm":
            if m.ratio is not None and _referred_back(m, found[i + 1] if i + 1 < len(found) else None, earlier):
                continue
            if m.kind == "price" and m.unit is None and m.yuan is not None:
                # 去年才九十 after 一箱九十六: a price close to a unit price just quoted is for the same unit
                near = next((x for x in reversed(recent) if x.unit is not None and x.kind == "price" and x.low
                             and 0.6 <= m.yuan / x.low <= 1.67), None)
                m = replace(m, unit=near.unit) if near else m
            out.append(m)
            continue
        if m.ratio is not None:  # 百分之五 again: the discount asked for before
            if any(x.kind == "discount" and x.ratio == m.ratio for x in chain(prior, out)):
                out.append(m)
            continue
        said = _said(m)
        # Taken up from the other side: one's own figure said again may be a new role for it (那就正好十万).
        same = next((x for x in chain(reversed(out), reversed(prior)) if x.speaker != m.speaker and x.ratio is None and said & _restatable(x)), None)
        if same is not None:
            out.append(replace(m, kind=same.kind, unit=same.unit))
            continue
        if h == "if" and m.speaker == "rep" and any(
                how.get(x.start, "firm") in ("firm", "count", "soft") and x.kind in ("quote", "price") and x.ratio is None
                for x in found[i + 1:]):
            # 六万的话可以配…报价五万八: the rep fits an offer to the customer's figure, which is the budget
            out.append(replace(m, kind="budget"))
            continue
        amount = m.yuan if m.yuan is not None else m.yuan_low
        near = None
        if h != "if" and amount:
            near = next((x for x in reversed(recent) if x.unit is not None and x.kind in ("price", "budget")
                         and x.low and 0.6 <= amount / x.low <= 1.67), None)
        if near is None and h == "maybe" and amount:
            # 两千四我即刻买 after 原价三千二…两千六八: haggling over one item's price, no unit said — closer
            # to the price just named than a unit price need be
            near = next((x for x in reversed(recent[-4:]) if x.unit is None and x.kind == "price" and x.ratio is None
                         and x.low and 0.75 <= amount / x.low <= 1.33), None)
        if near is not None:
            out.append(replace(m, kind="price", unit=near.unit))
        elif h in ("weak", "if"):
            out.append(m)
    return out


def _kind(speaker: str, value: float, before: str, after: str, cue: str | None, dist: int, cue_word: str,
          after_kind: re.Match[str] | None, per_unit: re.Match[str] | None, big: bool, opening: bool
          ) -> tuple[str, str]:
    """The kind of an amount and how sure that is ("firm", "count" or "weak", see _judge)."""
    if after_kind:
        word = after_kind.group(0)
        return ("budget" if ("预算" in word or "经费" in word) else "price" if "单价" in word else "quote"), "firm"
    if _AFTER_CUT.search(before):
        return ("price" if per_unit or _PER_UNIT_BEFORE.search(before) else "quote"), "firm"
    if _WAIVED_AFTER.match(after) or (_WIPED_BEFORE.search(before) and not after.startswith("整")):
        return "discount", "firm"
    if _OVER_BUDGET.search(before):
        # 还是超了一千七: the offer's excess over the budget (一间还差八百: per unit)
        return ("price" if per_unit or _ONE_ITEM.search(before[-6:]) else "quote"), "firm"
    if _difference(before):
        if _PER_UNIT_ANY.search(before):
            return "price", "firm"  # 比进口品牌一吨便宜四千多
        # Which amounts are compared the call says (see _in_context); by size until then.
        return ("price" if value < SMALL_TOTAL else "quote"), "diff"
    allotted = _STRONG_BUDGET.search(before)
    if allotted and not _BIG_NUMBER.search(allotted.group("gap")):
        # 经费一共才六十万 is the budget whatever 一共 / 才 say, 限价是每套一万五 whatever 每套 says;
        # 比预算多六万 is how far a quote is over it
        return ("quote" if _OVER.match(allotted.group("gap")) else "budget"), "firm"
    if speaker == "customer" and before.endswith(("超过", "超出", "超")) and _BEYOND_AFTER.match(after):
        return "budget", "firm"  # 超过二十万就做不了: the customer's cap
    if per_unit or _PRICE_AFTER.match(after) or _PER_UNIT_BEFORE.search(before):
        return "price", "firm"
    if _PERIOD_AFTER.match(after) and not _PER_UNIT_ANY.search(before):
        return "quote", "firm"  # 三万多一年: a yearly total (一个小区一年两千八 is per unit, above)
    if _COUNT_BEFORE.search(before) or _COUNT_NEAR.search(before):
        return "quote", "count"  # 两百个账号九万六, 五个账号一年六千八: a total for a count of units
    if _GOODS_AFTER.match(after):
        # 要四五万蚊货: the customer's spend on an order; the rep's 一年至少走三十万的货 is the deal's size
        return ("budget" if speaker == "customer" else "quote"), "firm"
    if speaker == "customer" and cue in ("discount", "quote") and _CAP_AFTER.match(after) and dist <= 12:
        return "budget", "firm"  # 便宜点两千以内我就拍, 降到二十万以内: the customer's cap, not a discount
    if cue == "discount" and cue_word in ("降", "让") and re.search(r"(?:降|让)(?:到|至)$", before):
        return ("price" if _PER_UNIT_ANY.search(before) else "quote"), "firm"  # 降到一百六十五万 names the new price
    if cue == "quote" and cue_word in ("降到", "降至") and _PER_UNIT_ANY.search(before):
        return "price", "firm"  # 供价一瓶从三十二降到二十七块五
    if cue == "discount" and dist > 0 and re.search(r"是|下来|一共|总共|合计|也得|还得|也要|还要|都要|都得|仍然|也还|还剩|剩下?$"
                                                    r"|[\d零一二两三四五六七八九十百千万块]还$", before[-dist:]):
        cue = None  # 降五个点是两万零五百二, 让八千也得十四万, 减三百还三千一: the price after it, not the discount
    if cue == "discount" and dist > 0 and re.match(r"完|了以后|以后|之后|后", before[-dist:]):
        cue = None  # 抵完也得四十一万多: what is left after the deduction
    if cue == "discount" and cue_word in ("便宜", "少") and "比" in before[:-dist or None] and _PER_UNIT_ANY.search(before):
        return "price", "firm"  # 比进口品牌一吨便宜四千多: a difference of two unit prices
    if cue == "budget" and _BIG_NUMBER.search(before[len(before) - dist:]):
        cue = None  # 目标成本是八十万左右你这差了十来万: the budget word belongs to the amount before
    if cue == "budget" and speaker == "rep" and cue_word in ("最多", "最高", "顶多", "不超过", "控制在", "只能给到", "就给", "只给"):
        return "quote", "firm"  # the rep's 最多九折…十一万五, 总价能控制在一百零八万: an offer, not the customer's budget
    if cue == "quote" and cue_word in _PERIODS and _PER_HEAD_PERIOD.search(before[-14:]):
        return "price", "firm"  # 每个账号每年四百八, 一个堆头一个月三千: per head and period
    if cue == "price" and cue_word in ("才", "只要"):
        if _PERIOD_END.search(before[:len(before) - dist - len(cue_word)]):
            return "quote", "firm"  # 一年才1.5w: a yearly total
        if big and value >= SMALL_TOTAL and not _ONE_ITEM.search(before):
            cue = None  # 听讲只要十八万多: 才 / 只要 say cheap, not per unit (那台才七十多万 is one item's price)
    if cue == "quote" and cue_word in _PERIODS and re.search(r"涨|加|贵", before[len(before) - dist:]):
        cue = None  # 一年加咗六蚊: a rise over a year, not a yearly total
    if cue == "quote" and cue_word in _SOFT_QUOTE and dist <= 2:
        return "quote", "soft"
    if cue is not None and dist <= 12:
        return cue, "firm"
    if before.endswith("按"):
        return ("price" if value < SMALL_TOTAL else "quote"), "firm"  # 就按七万整: the amount agreed on
    if speaker == "rep" and opening and _IF_AFTER.match(after):
        return "budget", "if"
    if opening and _IF_AFTER_PLAIN.match(after):
        return ("price" if value < SMALL_TOTAL else "quote"), "if"  # restated: context may say budget
    if _CAP_AFTER.match(after) or _CAP_BEFORE.search(before):
        return ("budget" if speaker != "rep" else "quote"), "weak"
    if speaker == "customer" and _LIKE_AFTER.match(after):
        return "budget", "weak"  # 设备这块小十万的样子: what the customer has in mind to spend
    if value < SMALL_TOTAL:
        return "price", "weak"
    # A large amount nobody labelled is usually the offer being discussed, by either side.
    return "quote", "weak"
