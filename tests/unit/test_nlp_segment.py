"""Segmentation: domain words stay whole, names stay whole, industries stay apart."""

from __future__ import annotations

import jieba
import pytest

from nlp.packs import available_industries
from nlp.segment import cut, segmenter


def test_jieba_alone_splits_what_sales_talk_needs_whole() -> None:
    # The reason for the domain dictionaries (measured, jieba 0.42.1).
    assert jieba.lcut("我得问问我们采购总监")[-2:] == ["采购", "总监"]
    assert jieba.lcut("张总您好")[:2] == ["张", "总"]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("我得问问我们采购总监", "采购总监"), ("张总您好", "张总"), ("找王总签字", "王总"), ("我们张总说了", "张总"),
        ("技术部王工看一下", "王工"), ("财务陈姐那边", "陈姐"), ("欧阳主任您好", "欧阳主任"),
        ("设备科主任在开会", "设备科主任"), ("院感科的意见", "院感科"), ("医工科主任", "医工科主任"),
        ("电教馆的李馆长", "李馆长"), ("这个是技术总监定的", "技术总监"), ("厂长和副总都在", "副总"),
    ],
)
def test_titles_and_names_stay_whole(text: str, word: str) -> None:
    industry = "medical_devices" if "科" in text else "education_equipment" if "电教馆" in text else "manufacturing"
    assert word in cut(text, industry)


@pytest.mark.parametrize(
    ("text", "not_a_name"),
    [("这张工单还没处理", "张工"), ("下周总结一下", "周总"), ("提高总产量", "高总"), ("向总部汇报", "向总"),
     ("连总经理都同意了", "连总"), ("国庆后开始施工", "施工")],
)
def test_words_that_only_look_like_names(text: str, not_a_name: str) -> None:
    seg = segmenter("manufacturing")
    assert not any(p.surname + p.title == not_a_name for p in seg.persons(text))
    if not_a_name != "施工":  # 施工 is a word in its own right, just not a person
        assert not_a_name not in seg.cut(text)


@pytest.mark.parametrize("industry", available_industries())
def test_every_dictionary_entry_segments_whole(industry: str) -> None:
    seg = segmenter(industry)
    broken = [w for w in seg.added if seg.cut(w) != [w]]
    assert broken == []


def test_industries_do_not_leak_into_each_other_or_into_jieba() -> None:
    # 交互大屏 is education vocabulary only; the global jieba dictionary stays untouched.
    assert "交互大屏" in cut("这个交互大屏不错", "education_equipment")
    assert "交互大屏" not in cut("这个交互大屏不错", "saas")
    assert "交互大屏" not in jieba.lcut("这个交互大屏不错")
    assert segmenter("saas") is segmenter("saas")  # built once per process


def test_tokens_carry_offsets_that_rebuild_the_text() -> None:
    text = "王总您好，找王总签字，3月20日前到货"
    tokens = segmenter("manufacturing").tokens(text)
    assert "".join(t.word for t in tokens) == text
    assert all(text[t.start:t.end] == t.word for t in tokens)
