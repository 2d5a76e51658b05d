"""The homophone-tolerant vocabulary matcher shared by analyze() and the store script check."""
from __future__ import annotations

import datetime as dt

from nlp.analyze import Utterance, analyze
from nlp.pinyin import VocabularyMatcher, fuzzy_syllable, syllables


def test_syllables_and_accent_folds() -> None:
    assert syllables("采购") == ("cai", "gou") == syllables("才够")
    assert fuzzy_syllable("zhang") == fuzzy_syllable("zan")


def test_whisper_homophones_of_pack_words_are_read_as_the_words() -> None:
    a = analyze([Utterance("我们才够总监说交其太长了", "customer")], on=dt.date(2026, 3, 2), industry="manufacturing")
    assert any(r.mention.endswith("采购总监") and r.role == "procurement" for r in a.roles)
    assert [o.type for o in a.objections] == ["delivery"]
    assert a.notes == ("homophones read as: 才够总监→采购总监, 交其→交期",)


def test_words_as_said_stay_when_they_are_words_of_their_own() -> None:
    m = VocabularyMatcher(["阀门", "再考虑", "门店"], known=lambda w: w in {"法门"})
    assert m.find("法门的价格") == []  # a dictionary word of its own
    assert m.find("我们在考虑") == []  # differs only in a common function character
    assert m.find("我们店", bounds={0, 2, 3}) == []  # 们店 crosses a word boundary
    assert [c.word for c in m.find("发门坏了")] == ["阀门"]


def test_the_noise_channel_is_deterministic_and_labels_follow_the_text() -> None:
    from bench.nlp_eval import noisy

    rows = [{"text": "我们需要二十台节能电机", "needs": ["我们需要二十台节能电机"], "roles": [], "id": "x"}]
    a, b = noisy(rows, 0.5, seed=3), noisy(rows, 0.5, seed=3)
    assert a == b and a[0]["text"] != rows[0]["text"] and len(a[0]["text"]) == len(rows[0]["text"])
    assert a[0]["needs"] == [a[0]["text"]]


def test_a_need_cue_heard_as_a_homophone_keeps_the_need_reported_as_said() -> None:
    a = analyze([Utterance("我们须要二十台节能电机", "customer")], on=dt.date(2026, 3, 2), industry="manufacturing")
    assert a.has_need and a.needs[0].text == "我们须要二十台节能电机"  # read as 需要, reported as said


def test_a_grammar_character_inside_a_longer_word_is_a_mishearing() -> None:
    m = VocabularyMatcher(["护士长", "再考虑"])
    assert [c.word for c in m.find("邢护是长您好")] == ["护士长"]
    assert m.find("我们在考虑") == []  # 在 at the edge: a phrase of its own


def test_two_vocabulary_words_said_alike_are_each_left_as_written() -> None:
    # 勿要送 (Wu) and 唔要送 (Cantonese) sound the same: neither is a mishearing of the other, and which
    # one a homophone is read as does not depend on the order the words came in (or the hash seed).
    for words in (["勿要送", "唔要送"], ["唔要送", "勿要送"]):
        m = VocabularyMatcher(words)
        assert m.find("勿要送") == [] and m.find("唔要送") == []
        assert [c.word for c in m.find("物要送")] == ["勿要送"]


def test_a_numeral_ending_an_amount_is_no_homophone() -> None:
    # 五可以 sounds like the Cantonese 唔可以 (cannot); after 二毛 the 五 is the amount's cents.
    a = analyze([Utterance("一块二毛五可以接受。", "customer")], on=dt.date(2026, 6, 1), industry="industrial_distribution",
                models=False)
    assert [m.yuan for m in a.money] == [1.25]
    assert not any("唔可以" in n for n in a.notes)


def test_round_twenty_one_a_grammar_character_starting_a_two_character_non_word_is_misheard() -> None:
    from nlp.analyze import _vocabulary
    from nlp.packs import load_pack
    matcher = _vocabulary(load_pack("fmcg_distribution"))
    assert matcher.correct("合同发给我们才务的蒋姐")[0] == "合同发给我们财务的蒋姐"
    assert matcher.correct("老是这样")[0] == "老是这样"  # 老是 is a word: no 老师
