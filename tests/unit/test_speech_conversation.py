"""Conversation metrics of a call (nlp/speech/conversation.py)."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from nlp.speech.conversation import asks, conversation_metrics, questions_in


@dataclass(frozen=True)
class S:
    start_s: float
    end_s: float
    speaker: str
    text: str = ""


@pytest.mark.parametrize("text, n", [
    ("您这边需要几台", 1), ("没什么问题", 0), ("交期能保证吗？上次晚了半个月", 1),
    ("你们有没有IP65的型号 价格多少", 2), ("好的 我们再考虑考虑", 0), ("这个怎么卖", 1),
    ("什么都可以", 0), ("为什么这么贵?", 1), ("能不能便宜点，月底前要", 1), ("我们下周三过来", 0),
])
def test_questions_are_counted_from_the_wording(text: str, n: int) -> None:
    assert questions_in(text) == n


def test_asks_needs_no_punctuation() -> None:
    assert asks("售后服务怎么保障") and asks("方不方便发个报价") and not asks("不怎么用")


def test_metrics_of_a_small_call() -> None:
    segs = [S(0, 10, "rep", "王总您好 我是恒力的小陈 您这边需要几台"),   # 10 s rep
            S(11, 15, "customer", "大概二十台吧"),                       # 1 s pause before, 4 s customer
            S(16, 30, "customer", "我们主要是担心交期 上次晚了半个月"),    # customer continues: story 4..30 → 19 s
            S(32, 40, "rep", "明白 交期我们可以保证吗"),                 # rep replies after 2 s
            S(40.5, 45, "rep", "合同下周签怎么样"),
            S(45, 46, "unknown", "嗯")]
    m = conversation_metrics(segs, duration_s=50)
    assert m.rep_s == pytest.approx(22.5) and m.customer_s == pytest.approx(18) and m.unknown_s == pytest.approx(1)
    assert m.talk_ratio_rep == pytest.approx(22.5 / 40.5)
    assert m.attributed_share == pytest.approx(40.5 / 41.5)
    assert m.longest_customer_story_s == pytest.approx(19)   # 11 → 30, two segments, nobody else between
    assert m.longest_rep_monologue_s == pytest.approx(13)    # 32 → 45
    assert m.questions_rep == 3 and m.questions_customer == 0
    assert m.switches == 2 and m.interactivity_per_min == pytest.approx(2 / (45 / 60))
    assert m.patience_s == pytest.approx(2.0) and m.replies == 1


def test_nothing_attributed_gives_no_party_figures() -> None:
    m = conversation_metrics([S(0, 5, "unknown", "您需要几台")], duration_s=5)
    assert m.attributed_share == 0.0 and m.unknown_s == 5
    assert m.talk_ratio_rep is None and m.questions_rep is None and m.patience_s is None
    empty = conversation_metrics([], duration_s=3)
    assert empty.speech_s == 0 and empty.attributed_share is None


def test_overlap_counts_as_no_pause() -> None:
    m = conversation_metrics([S(0, 5, "customer"), S(4.5, 8, "rep")], duration_s=8)
    assert m.patience_s == 0.0 and m.switches == 1


# ---- roles from wording (nlp/speech/cues.py) ---------------------------------------------------
from nlp.speech.cues import lean_of, roles_from_words  # noqa: E402


def test_the_voice_that_introduces_itself_and_offers_is_the_rep() -> None:
    g = roles_from_words({
        "v0": ["王总您好，我是恒力机电的小陈", "这套方案报价是三十二万八，我下周一给您回复"],
        "v1": ["我们需要一级能效的", "价格比上一家贵了不少，我得问问我们老板"],
    })
    assert (g["v0"].role, g["v1"].role) == ("rep", "customer")
    assert 0.6 <= g["v0"].confidence <= 0.95 and any("company" in r for r in g["v0"].reasons)


def test_a_customer_need_said_by_the_rep_does_not_flip_roles() -> None:
    # The example: the rep says 我们希望下周三前把合同签了 — a need-like phrase, but the rest
    # of what that voice says is a seller's.
    g = roles_from_words({
        "a": ["我是东方电气的小李", "我们希望下周三前把合同签了", "样机我们明天给您发过去"],
        "b": ["你们的交期多久", "预算批不下来的话就要等明年"],
    })
    assert (g["a"].role, g["b"].role) == ("rep", "customer")


def test_when_the_cues_disagree_both_stay_unknown() -> None:
    both_reps = {"a": ["我是恒力机电的小陈，给您发报价"], "b": ["我是华东科技的小王，我们可以给您安排上门"]}
    assert {g.role for g in roles_from_words(both_reps).values()} == {"unknown"}
    too_little = {"a": ["好的"], "b": ["嗯 那行"]}
    assert {g.role for g in roles_from_words(too_little).values()} == {"unknown"}
    assert roles_from_words({}) == {}


def test_one_voice_needs_a_strong_lean() -> None:
    assert roles_from_words({"a": ["好的 谢谢"]})["a"].role == "unknown"
    strong = roles_from_words({"a": ["我是恒力机电的小陈", "给您发报价", "我们工程师明天上门调试"]})
    assert strong["a"].role == "rep"
    assert lean_of(["你们的售后怎么保障？太贵了"]).value < 0


@pytest.mark.parametrize("text", [
    "喂，何老板，早晨！我系味源酱料嘅阿辉",  # Cantonese self-introduction and greeting by title
    "冯经理侬好，我是申建材料额小陶",  # Wu: 侬好, 额
    "罗老板，中午好噻，我是上回来你们康复中心演示的那个小贺",
    "生抽一箱十二支，而家一箱九十六",  # a unit price
    "你拎五十箱，我帮你申请返三个点",
    "那 批 是 仓库 混 料 了 真 对不住",
    "明朝就叫司机送过来",
    "你们这边是打算上几台嘛",
])
def test_rep_wording_in_many_registers(text: str) -> None:
    assert lean_of([text]).value > 0, lean_of([text])


@pytest.mark.parametrize("text", [
    "嗯 你 说 多少",  # asks for the price
    "一块三 啊",  # echoes it
    "先上三台，另外还想要一台电动起立床",
    "好 发票 还是 开 到 我们 集团 那边 月结 六十 天",
    "上回 你们 发 的 那个 接头 漏气 换 了 三个 了",
    "二十二万有点吃不消",
    "能不能支持多语言？我们在越南还有几家店",
    "行，那你把合同发过来，我找财务安排付款",
])
def test_customer_wording_in_many_registers(text: str) -> None:
    assert lean_of([text]).value < 0, lean_of([text])
