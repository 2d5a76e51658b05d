"""nlp.script (Simplified output), nlp.speech.cer (the scoring) and nlp.speech.guards on synthetic segment lists."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from nlp.speech.cer import edit_distance, normalise, pooled_cer, score
from nlp.speech.guards import GuardOptions, apply_guards, collapse_repetitions, strip_boilerplate
from nlp.script import has_traditional, readable, to_simplified, traditional_chars

from tests.fielddata import speech_fixtures, speech_manifest


# ---- zh ---------------------------------------------------------------------------------------------
def test_to_simplified() -> None:
    assert to_simplified("這並不是告別，這是一個篇章的結束") == "这并不是告别，这是一个篇章的结束"
    assert to_simplified("我認為跑步最重要的就是給我帶來了身體健康") == "我认为跑步最重要的就是给我带来了身体健康"
    assert to_simplified("") == ""
    assert to_simplified("offer 100塊錢") == "offer 100块钱"


def test_simplified_text_is_left_alone() -> None:
    text = "欢迎大家来体验达摩院推出的语音识别模型。王总您好，我们下周三前交付第一批货！"
    assert to_simplified(text) == text and not has_traditional(text) and traditional_chars(text) == []


def test_has_traditional() -> None:
    assert has_traditional("廣州市房地產")
    assert traditional_chars("廣州市房地產") == ["廣", "產"]


def test_cantonese_that_stays_as_written() -> None:
    # OpenCC's t2s gives the rare 𠮶 for Cantonese 嗰; Simplified Cantonese writing (and the rules) keep 嗰.
    assert to_simplified("隔籬嗰間報三十六") == "隔篱嗰间报三十六"
    assert not has_traditional("隔篱嗰间")


def test_readable_keeps_every_offset_and_the_dialect_words() -> None:
    text = "秦總，兩百零八萬？佇廠裏攏愛裝好，米孃孃搵你，慳咗錢"
    read = readable(text)
    assert len(read) == len(text)
    assert read == "秦总，两百零八万？佇厂里攏愛装好，米孃孃搵你，慳咗钱"
    plain = "王总您好，我们下周三前交付第一批货！"
    assert readable(plain) is plain and readable("OK 100") == "OK 100"


# ---- cer ----------------------------------------------------------------------------------------------
def test_normalise_removes_punctuation_spaces_and_script() -> None:
    assert normalise("我意思是說，通用計算機 offer嘛？") == "我意思是说通用计算机offer嘛"
    assert normalise("“好的”——嗯… OK!") == "好的嗯ok"


def test_edit_distance() -> None:
    assert edit_distance("", "") == 0
    assert edit_distance("abc", "") == 3
    assert edit_distance("", "abc") == 3
    assert edit_distance("kitten", "sitting") == 3
    assert edit_distance("广州市房地产", "广州市佛地产") == 1


def test_cer_is_pooled_over_clips() -> None:
    pairs = [("一二三四", "一二三四"), ("五六", "")]  # 0 of 4, 2 of 2
    assert pooled_cer(pairs) == pytest.approx(2 / 6)
    s = score("廣州市，房地產。", "广州市房地产")
    assert (s.errors, s.reference_chars, s.cer) == (0, 6, 0.0)


# ---- guards ---------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Seg:
    start_s: float
    end_s: float
    speaker: str
    text: str
    avg_logprob: float = -0.3
    no_speech_prob: float = 0.05


def texts(segments) -> list[str]:
    return [s.text for s in segments]


def test_boilerplate_removed() -> None:
    for junk in ("字幕由Amara.org社群提供", "字幕由 Amara.org 社群提供", "请不吝点赞 订阅 转发 打赏支持明镜与点点栏目",
                 "中文字幕——Yo Yo Television Series Exclusive", "谢谢观看！"):
        assert strip_boilerplate(junk) == "", junk
    assert strip_boilerplate("好的，我们下周见。字幕由Amara.org社群提供") == "好的，我们下周见。"
    kept, removed = apply_guards([Seg(0, 2, "rep", "您好，王总"), Seg(3, 5, "rep", "字幕由Amara.org社群提供")])
    assert texts(kept) == ["您好，王总"] and [r.guard for r in removed] == ["boilerplate"]


def test_repetition_loops_collapsed() -> None:
    assert collapse_repetitions("我们" * 20) == "我们我们"
    assert collapse_repetitions("好的，" * 10 + "再见") == "好的，好的，再见"
    assert collapse_repetitions("啊" * 30) == "啊啊啊啊"
    kept, removed = apply_guards([Seg(0, 30, "customer", "价格" + "太贵了" * 12)])
    assert texts(kept) == ["价格太贵了太贵了"] and removed[0].guard == "repetition"


def test_a_loop_cut_into_segments_is_collapsed_across_their_edges() -> None:
    # Whisper over silence with the VAD off once gave 我有有有有有 | 有有有有有有 | 有有有有有有有: no segment
    # alone runs past eight, the three together run seventeen.
    segs = [Seg(0, 1, "unknown", "有什么事没有"), Seg(1, 2, "unknown", "我有有有有有"), Seg(2, 3, "unknown", "有有有有有有"),
            Seg(3, 4, "unknown", "有有有有有有有")]
    kept, removed = apply_guards(segs)
    assert texts(kept) == ["有什么事没有", "我有有有有有"]
    assert [(r.guard, r.text) for r in removed] == [("repetition", "有有有有有有"), ("repetition", "有有有有有有有")]
    # the run is cut to what one segment may keep; what follows it stays
    kept, _ = apply_guards([Seg(0, 1, "rep", "好有有有"), Seg(1, 2, "rep", "有有有有有有好的")])
    assert texts(kept) == ["好有有有", "有好的"]
    # short answers of one speaker, each a segment, and another speaker's words between, are speech
    short = [Seg(0, 1, "rep", "对对对"), Seg(1, 2, "rep", "对对对对"), Seg(2, 3, "customer", "对对对对"),
             Seg(3, 4, "rep", "好的")]
    assert apply_guards(short) == (short, [])


@pytest.mark.parametrize("text", ["对对对对连接各种设备", "好的好的好的", "谢谢谢谢", "嗯嗯嗯", "哈哈哈哈哈",
                                  "一百一十一", "8888元", "呃，还有一个就是要跟大家纠正一点"])
def test_what_people_say_is_not_a_loop(text: str) -> None:
    assert collapse_repetitions(text) == text


def test_no_speech_rule_is_whispers_own() -> None:
    segs = [Seg(0, 2, "unknown", "谢谢", avg_logprob=-1.2, no_speech_prob=0.9),   # silence: dropped
            Seg(2, 4, "unknown", "好的", avg_logprob=-0.4, no_speech_prob=0.9),   # confident text: kept
            Seg(4, 6, "unknown", "价格", avg_logprob=-1.5, no_speech_prob=0.3)]   # unsure speech: kept
    kept, removed = apply_guards(segs)
    assert texts(kept) == ["好的", "价格"] and [r.guard for r in removed] == ["no_speech"]


def test_text_outside_detected_speech_is_dropped() -> None:
    speech = {"rep": [(0.0, 5.0), (20.0, 25.0)]}
    segs = [Seg(1, 4, "rep", "您好"), Seg(10, 14, "rep", "我们聊聊价格吧"), Seg(19.5, 22, "rep", "再见")]
    kept, removed = apply_guards(segs, speech=speech)
    assert texts(kept) == ["您好", "再见"] and [r.guard for r in removed] == ["outside_speech"]
    assert texts(apply_guards(segs, GuardOptions(min_speech_overlap_s=None), speech)[0])[1] == "我们聊聊价格吧"


def test_duplicate_segments_from_one_speaker() -> None:
    segs = [Seg(i, i + 1, "customer", "我明白了您的意思") for i in range(6)] + [Seg(7, 8, "rep", "我明白了您的意思")]
    kept, removed = apply_guards(segs)
    assert texts(kept) == ["我明白了您的意思"] * 2 + ["我明白了您的意思"]
    assert [r.guard for r in removed] == ["duplicate"] * 4
    short = [Seg(i, i + 1, "customer", "对") for i in range(5)]
    assert len(apply_guards(short)[0]) == 5  # short answers repeat for real


def test_guards_off() -> None:
    off = GuardOptions(boilerplate=False, no_speech_prob=None, max_char_run=None, max_phrase_repeats=None,
                       min_speech_overlap_s=None, max_duplicates=None)
    segs = [Seg(0, 1, "rep", "字幕由Amara.org社群提供", -2.0, 0.99), Seg(1, 2, "rep", "我们" * 20)]
    assert apply_guards(segs, off) == (segs, [])


def _references() -> list[str]:
    refs = [r["reference"] for r in speech_manifest()]
    refs += [t["reference"] for t in speech_fixtures()["stereo_call_rep_left.wav"]["turns"]]
    return refs


def test_guards_leave_every_human_reference_untouched() -> None:
    # Correct transcripts pass through unchanged, so a guard cannot raise CER by eating real speech.
    refs = _references()
    segs = [Seg(i * 10.0, i * 10.0 + 8, "unknown", to_simplified(r)) for i, r in enumerate(refs)]
    kept, removed = apply_guards(segs, speech={"unknown": [(s.start_s, s.end_s) for s in segs]})
    assert removed == [] and texts(kept) == texts(segs)
