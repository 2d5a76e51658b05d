"""analyze(): the issue's done-when sentence, the worked example of docs/contract.md §6, the JSON contract."""

from __future__ import annotations

import datetime as dt

import pytest

from nlp.analyze import Analysis, ContactRef, Utterance, analysis_to_json, analyze

DONE_WHEN = "王总您好，我们希望三月二十日前交付第一批，预算大概十二万"


def test_done_when() -> None:
    out = analysis_to_json(analyze([Utterance(DONE_WHEN, "customer")], on=dt.date(2026, 3, 2)))
    assert [(r["mention"], r["role"], r["took_part"]) for r in out["roles"]] == [("王总", "decision_maker", True)]
    assert [n["text"] for n in out["needs"]] == ["我们希望三月二十日前交付第一批"]
    assert [(c["kind"], c["date"], c["phrase"]) for c in out["commitments"]] == [("expected", "2026-03-20", "三月二十日前")]
    assert [(m["kind"], m["yuan"], m["ratio"]) for m in out["money"]] == [("budget", 120000.0, None)]


def test_json_contract_keys() -> None:
    out = analysis_to_json(analyze([Utterance(DONE_WHEN + "，价格有点贵", "customer")], on=dt.date(2026, 3, 2)))
    assert {"roles", "needs", "commitments", "money", "objections", "keywords"} <= set(out)
    assert {"mention", "role", "took_part"} <= set(out["roles"][0])
    assert {"text", "speaker"} <= set(out["needs"][0])
    assert {"phrase", "speaker", "kind", "date", "window_start", "window_end"} <= set(out["commitments"][0])
    assert {"phrase", "speaker", "kind", "yuan", "ratio"} <= set(out["money"][0])
    assert {"type", "text"} <= set(out["objections"][0])
    assert {"word", "weight"} <= set(out["keywords"][0])


# The worked example of docs/contract.md §6: contacts and the eight touches of March 2026.
CONTACTS = (ContactRef(1, "王总", None, "decision_maker"), ContactRef(2, "采购部李经理", None, "procurement"),
            ContactRef(3, "技术部张工", None, "technical"), ContactRef(4, "财务陈姐", None, "finance"))
TOUCHES = [
    (2, [Utterance("我们希望三月二十日前交付第一批货。", "customer", contact_id=2), Utterance("我们预计三月二十五号能到。", "rep")]),
    (4, [Utterance("王总您好，这是新方案。", "rep"), Utterance("能耗一定要降下来。", "customer")]),
    (5, [Utterance("有没有IP65的型号？", "customer", contact_id=3)]),
    (9, [Utterance("李经理，下周三上午我们过去拜访，您看方便吗？", "rep"), Utterance("可以，上午十点吧。", "customer", contact_id=2)]),
    (11, [Utterance("张工您好，这是新款，您看一下参数。", "rep"), Utterance("我们需要兼容新国标的型号。", "customer")]),
    (16, [Utterance("李经理，上次的资料您收到了吗？", "rep"), Utterance("收到了，我们还在看。", "customer", contact_id=2)]),
    (18, [Utterance("发票抬头改一下。", "customer", contact_id=2)]),
    (20, [Utterance("月底前一定要装好。", "customer", contact_id=2)]),
]


@pytest.fixture(scope="module")
def touches() -> list[Analysis]:
    return [analyze(u, on=dt.date(2026, 3, day), industry="manufacturing", contacts=CONTACTS) for day, u in TOUCHES]


def test_worked_example_needs(touches: list[Analysis]) -> None:
    assert [i + 1 for i, a in enumerate(touches) if a.has_need] == [1, 2, 3, 5, 8]


def test_worked_example_reached_roles(touches: list[Analysis]) -> None:
    reached = [sorted({r.role for r in a.roles if r.took_part}) for a in touches[:3]]
    assert reached == [["procurement"], ["decision_maker"], ["technical"]]
    assert {r.role for a in touches for r in a.roles if r.took_part} == {"procurement", "decision_maker", "technical"}
    assert all(r.contact_id is not None for a in touches for r in a.roles)


def test_worked_example_commitments(touches: list[Analysis]) -> None:
    first = [(c.kind, c.date.isoformat(), c.speaker) for c in touches[0].commitments]
    assert first == [("expected", "2026-03-20", "customer"), ("promised", "2026-03-25", "rep")]
    last = [(c.kind, c.date.isoformat()) for c in touches[7].commitments]
    assert last == [("expected", "2026-03-31")]
    assert not any(c.kind == "promised" for a in touches[1:] for c in a.commitments)


def test_roles_merge_per_person_and_keep_every_mention() -> None:
    a = analyze([Utterance("我问问王总。", "customer", ref="s1"), Utterance("王总您好！", "rep", ref="s2")],
                on=dt.date(2026, 3, 2))
    assert [(r.mention, r.took_part, r.ref) for r in a.roles] == [("王总", True, "s2")]
    assert [(m.took_part, m.ref) for m in a.mentions] == [(False, "s1"), (True, "s2")]


def test_speaker_must_be_known_and_industry_may_not_be() -> None:
    with pytest.raises(ValueError, match="speaker must be one of"):
        analyze([Utterance("你好", "boss")], on=dt.date(2026, 3, 2))
    a = analyze([Utterance("需要三十台", "customer")], on=dt.date(2026, 3, 2), industry="aerospace")
    assert a.industry == "base" and a.notes and a.has_need


def test_unknown_speaker_never_makes_a_customer_need_or_expected_date() -> None:
    # The examples: on a mono call nobody attributed, these may be the rep's words.
    a = analysis_to_json(analyze([Utterance("我们需要您这边确认一下参数")], on=dt.date(2026, 3, 2)))
    assert a["needs"] == [] and a["has_need"] is False
    b = analysis_to_json(analyze([Utterance("我们希望下周三前把合同签了")], on=dt.date(2026, 3, 2)))
    assert [(c["kind"], c["date"], c["speaker"]) for c in b["commitments"]] == [("other", "2026-03-11", "unknown")]
    # Said by the customer, the same words are a need and an expectation.
    c = analysis_to_json(analyze([Utterance("我们希望下周三前把合同签了", "customer")], on=dt.date(2026, 3, 2)))
    assert [x["kind"] for x in c["commitments"]] == ["expected"]
    # Roles, money and keywords still count for an unknown speaker, keeping that speaker.
    d = analysis_to_json(analyze([Utterance(DONE_WHEN)], on=dt.date(2026, 3, 2)))
    assert [(r["mention"], r["took_part"]) for r in d["roles"]] == [("王总", True)]
    assert [(m["yuan"], m["speaker"]) for m in d["money"]] == [(120000.0, "unknown")] and d["keywords"]


def test_empty_touch() -> None:
    a = analyze([Utterance("  ", "customer")], on=dt.date(2026, 3, 2))
    assert (a.roles, a.needs, a.keywords, a.has_need) == ((), (), (), False)


def test_traditional_text_reads_as_the_simplified_words() -> None:
    # A customer typing in Traditional characters (a Hong Kong chat): the amounts, the budget, the
    # objection and the deadline are the ones the Simplified words give, quoted in Simplified.
    said = [Utterance("王總您好，兩百零八萬的報價收到了。", "rep"),
            Utterance("你們這個價太貴了，我今年預算就批到一百九十萬，下週三前給我回覆。", "customer")]
    a = analysis_to_json(analyze(said, on=dt.date(2026, 3, 2), industry="manufacturing", models=False))
    assert [(m["kind"], m["yuan"]) for m in a["money"]] == [("quote", 2080000.0), ("budget", 1900000.0)]
    assert [o["type"] for o in a["objections"]] == ["price"] and "价" in a["objections"][0]["text"]
    assert [(c["kind"], c["date"]) for c in a["commitments"]] == [("expected", "2026-03-11")]
    assert [r["mention"] for r in a["roles"]] == ["王总"]
    assert "Traditional characters read as Simplified" in a["notes"]
