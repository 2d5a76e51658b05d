"""Decision-chain people: role, took part or only mentioned, and the CRM contact."""

from __future__ import annotations

import pytest

import datetime as dt

from nlp.analyze import Utterance, analyze
from nlp.packs import load_pack
from nlp.roles import ContactRef, roles_in

MFG = load_pack("manufacturing")


def roles(text: str, speaker: str = "rep", industry: str = "manufacturing", contacts=()) -> list[tuple]:
    return [(r.mention, r.role, r.took_part) for r in roles_in(text, speaker, load_pack(industry), contacts)]


@pytest.mark.parametrize(
    ("text", "speaker", "expected"),
    [
        ("王总您好，我是恒力机电的小陈。", "rep", [("王总", "decision_maker", True)]),
        ("张工，这个是参数表，您看一下。", "rep", [("张工", "technical", True)]),
        ("张工您看这个参数能不能满足？", "customer", [("张工", "technical", True)]),
        ("好的李经理，我明天发您。", "rep", [("李经理", "other", True)]),
        ("谢谢刘主任！", "rep", [("刘主任", "other", True)]),
        ("喂，请问是周总吗？", "unknown", [("周总", "decision_maker", True)]),
        ("王总放心，我们月底前发货。", "rep", [("王总", "decision_maker", True)]),
        ("我得问问我们采购总监。", "customer", [("采购总监", "procurement", False)]),
        ("王总说了，这个月先不定。", "customer", [("王总", "decision_maker", False)]),
        ("跟王总汇报一下再说。", "customer", [("王总", "decision_maker", False)]),
        ("王总，他下周出差。", "customer", [("王总", "decision_maker", False)]),
        ("技术部王工还在核参数。", "customer", [("技术部王工", "technical", False)]),
        ("财务陈姐那边要发票。", "customer", [("财务陈姐", "finance", False)]),
        ("我是技术部的刘工，这个项目我来对接。", "customer", [("技术部的刘工", "technical", True)]),
        ("我是这边的采购，以后下单找我。", "customer", [("采购", "procurement", True)]),
        ("我负责设备采购这块。", "customer", [("我负责设备采购这块", "procurement", True)]),
    ],
)
def test_took_part_or_mentioned(text: str, speaker: str, expected: list[tuple]) -> None:
    assert roles(text, speaker) == expected


def test_asked_for_something_is_addressed() -> None:
    assert roles("麻烦店长跟老板娘说一声。", "rep", industry="mother_baby_retail") == [
        ("店长", "user", True), ("老板娘", "decision_maker", False)]


def test_nin_hao_xiang_is_not_a_greeting() -> None:
    # 王总您好像… is 您 + 好像 ("you seem"), not 您好.
    assert roles("王总您好像没收到我们的邮件。") == [("王总", "decision_maker", False)]
    assert roles("王总您好，邮件收到了吗？") == [("王总", "decision_maker", True)]


@pytest.mark.parametrize("text", ["这张工单还没处理。", "下周总结会上再定。", "向总部汇报完了。", "我们今年要采购五十台。",
                                  "国庆后开始施工。", "明天派工程师过去。", "老师用着不伤眼。", "好几个宝妈说喝了上火。"])
def test_nobody_there(text: str) -> None:
    assert roles(text, "customer") == []


def test_the_selling_side_is_not_the_customers_chain() -> None:
    assert roles("我们王总下周过去拜访。", "rep") == []
    assert roles("让他跟你们王总通个电话。", "customer") == []
    assert roles("我是你们的客户经理小李。", "rep") == []
    assert roles("老板，你们这个纸尿裤有没有XL码的？", "customer", industry="mother_baby_retail") == []


def test_department_and_head_title_decide_the_role() -> None:
    assert roles("电工班长反映扳手断了。", "customer", industry="industrial_distribution") == [("电工班长", "user", False)]
    assert roles("总部采购定了才能进。", "customer", industry="mother_baby_retail") == [("总部采购", "procurement", False)]
    assert roles("设备科张科长下周回来。", "customer", industry="medical_devices") == [("设备科张科长", "procurement", False)]


CONTACTS = (ContactRef(1, "王建国", "总经理", "decision_maker"), ContactRef(2, "李强", "采购部经理", "procurement"),
            ContactRef(3, "张伟", "技术部工程师", "technical"), ContactRef(4, "陈芳", "财务", "finance"),
            ContactRef(5, "李娜", "行政经理", None))


def test_mentions_map_to_the_one_matching_contact() -> None:
    found = roles_in("王总您好，李经理和张工都在。", "rep", MFG, CONTACTS)
    assert [(r.mention, r.contact_id, r.role) for r in found] == [("王总", 1, "decision_maker"), ("李经理", None, "other"),
                                                                  ("张工", 3, "technical")]
    # 李经理 fits both 李强 (采购部经理) and 李娜 (行政经理): ambiguous, so no contact.


def test_contact_names_as_written_in_the_crm() -> None:
    contacts = (ContactRef(7, "采购部李经理", None, "procurement"), ContactRef(8, "财务陈姐", None, None))
    found = roles_in("李经理您好，陈姐那边的发票开好了吗？", "rep", MFG, contacts)
    assert [(r.mention, r.contact_id, r.role, r.took_part) for r in found] == [
        ("李经理", 7, "procurement", True), ("陈姐", 8, "finance", False)]


def test_full_names_of_contacts() -> None:
    found = roles_in("张伟说参数没问题。", "customer", MFG, CONTACTS)
    assert [(r.mention, r.contact_id, r.role, r.took_part) for r in found] == [("张伟", 3, "technical", False)]


@pytest.mark.parametrize(
    ("text", "industry", "mention"),
    [
        ("于总您好！您说的是那款枕式的吧", "manufacturing", "于总"),
        ("喂 孙总 是 我 啊 那个 上个月 您 问 的 方案 弄 好 了", "manufacturing", "孙总"),  # a transcript's space is a pause
        ("您好，是白沙镇卫生院的林院长吗？我是安声医疗的区域经理", "medical_devices", "林院长"),
    ],
)
def test_people_the_rep_addresses_took_part(text: str, industry: str, mention: str) -> None:
    a = analyze([Utterance(text, "rep")], on=dt.date(2026, 3, 2), industry=industry)
    assert [(r.mention, r.took_part, r.evidence) for r in a.mentions] == [(mention, True, "addressed")]
