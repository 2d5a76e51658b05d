"""Need statements: the customer's requirements, not their negations, hypotheses or errands."""

from __future__ import annotations

import pytest

from nlp.needs import needs_in
from nlp.packs import load_pack

MFG = load_pack("manufacturing")


def needs(text: str, speaker: str = "customer", industry: str = "manufacturing") -> list[str]:
    return [n.text for n in needs_in(text, speaker, load_pack(industry))]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("我们需要兼容新国标的型号。", ["我们需要兼容新国标的型号"]),
        ("能耗一定要降下来。", ["能耗一定要降下来"]),
        ("有没有IP65的型号？", ["有没有IP65的型号"]),
        ("我们希望三月二十日前交付第一批货。", ["我们希望三月二十日前交付第一批货"]),
        ("关键是要跟我们现在的三菱PLC兼容。", ["关键是要跟我们现在的三菱PLC兼容"]),
        ("噪音不能超过75分贝。", ["噪音不能超过75分贝"]),
        ("你们那个变频器我们要三十台。", ["你们那个变频器我们要三十台"]),
        ("我们车间主任要的是那种带扭矩显示的电动扳手，有没有？", ["我们车间主任要的是那种带扭矩显示的电动扳手"]),
        ("那你们先发十台过来，剩下的清明节前一定要到齐。", ["那你们先发十台过来", "剩下的清明节前一定要到齐"]),
    ],
)
def test_needs(text: str, expected: list[str]) -> None:
    assert needs(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "发票抬头改一下。",                         # an errand (the contract's worked example, touch 7)
        "我们暂时不需要新的设备。",                   # negated
        "如果以后要扩产的话，再找你们聊。",              # hypothetical
        "需要的话我再联系你。",                       # hypothetical
        "这个我需要跟领导商量一下。",                  # the buying process
        "明天有没有时间？",                          # scheduling
        "能不能再便宜一点？",                         # haggling is an objection
        "三十万以内能不能做？",                        # a price cap, not a requirement
        "交期多久？",                               # a question, not a requirement
        "好的，收到了我跟你说。",
    ],
)
def test_not_needs(text: str) -> None:
    assert needs(text) == []


def test_only_customers_state_needs() -> None:
    assert needs("您需要几台？什么时候要货？", speaker="rep") == []
    assert needs("我们需要兼容新国标的型号", speaker="rep") == []
    # An unknown speaker never states a customer need: the words may be the rep's.
    assert needs("我们需要兼容新国标的型号", speaker="unknown") == []
    assert needs("我们需要您这边确认一下参数", speaker="unknown") == []
    assert needs("我们需要兼容新国标的型号", speaker="customer") == ["我们需要兼容新国标的型号"]


def test_need_carries_speaker_and_ref() -> None:
    (n,) = needs_in("有没有IP65的型号？", "customer", MFG, ref="message:9")
    assert (n.speaker, n.ref, n.cue) == ("customer", "message:9", "有没有")


@pytest.mark.parametrize(
    "text",
    [
        # more need phrasings (the issue: 要 / 想要 / 得有 / 关键是 / 最好能 / 能不能…), on calls and in ASR text
        "机器最晚三月中旬前得进厂",
        "心脏探头不能少",
        "我们还差吸奶器和婴儿游泳设备",
        "储物柜我们也要",
        "俺们要那种耐零下二十五度的",
        "对 要 带 磁 的 开关 我们 有",
        "最好 是 带 那个 无线 联网 的 能 在 护士站 看",
        "最紧要系唔好崩刃",
        "先拿六十箱",
        "峰值的时候系统不能卡",
    ],
)
def test_needs_in_more_phrasings(text: str) -> None:
    assert needs_in(text, "customer", load_pack("manufacturing")), text


@pytest.mark.parametrize("text", ["想咨询一下你们双板DR的情况", "我们零售想卖九块九", "年前能不能给个准数",
                                  "能不能分两年付", "授权费能不能再谈谈"])
def test_asks_errands_and_haggling_are_not_needs(text: str) -> None:
    assert needs_in(text, "customer", load_pack("manufacturing")) == []
