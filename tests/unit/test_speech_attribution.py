"""Who said what on mono calls: splitting segments at voice changes, roles from the words, unknown when unsure.

The voice split is written by hand here (turns of voices 0 and 1) so each rule is tested on its
own; tests/unit/test_speech_voices.py and the transcription tests exercise the real voices.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from nlp.analyze import Utterance, analyze
from nlp.speech.attribution import AttributionOptions, attribute, split_at_voice_changes
from nlp.speech.transcribe import Segment


@dataclass(frozen=True)
class Turn:
    start_s: float
    end_s: float
    voice: int


@dataclass(frozen=True)
class Split:
    turns: tuple[Turn, ...]
    voices: tuple[int, ...] = (0, 1)
    note: str | None = None
    seconds: dict = field(default_factory=dict)


def seg(a: float, b: float, text: str) -> Segment:
    return Segment(a, b, "unknown", text, -0.2, 0.01)


def test_a_segment_spanning_a_change_of_voice_is_split_at_the_word_nearest_the_change() -> None:
    split = Split((Turn(0.0, 2.0, 0), Turn(2.3, 5.0, 1)))
    s = seg(0.0, 5.0, "您好请问需要吗需要三台")
    # character times: the first seven characters before 2.15 s, the rest after
    words = [(0.1 + 0.25 * i, 0.3 + 0.25 * i, c) for i, c in enumerate("您好请问需要吗")] + \
            [(2.5 + 0.5 * i, 2.9 + 0.5 * i, c) for i, c in enumerate("需要三台")]
    pieces = split_at_voice_changes(s, split, words=words)
    assert [(p.text, v) for p, v in pieces] == [("您好请问需要吗", 0), ("需要三台", 1)]
    assert pieces[0][0].end_s == pieces[1][0].start_s == 2.15


def test_without_word_times_the_text_is_shared_by_time() -> None:
    split = Split((Turn(0.0, 2.0, 0), Turn(2.0, 4.0, 1)))
    pieces = split_at_voice_changes(seg(0.0, 4.0, "一二三四五六七八"), split)
    assert [(p.text, v) for p, v in pieces] == [("一二三四", 0), ("五六七八", 1)]


def test_a_short_burst_of_another_voice_does_not_split_a_segment() -> None:
    split = Split((Turn(0.0, 2.0, 0), Turn(2.0, 2.3, 1), Turn(2.3, 5.0, 0)))
    pieces = split_at_voice_changes(seg(0.0, 5.0, "我们这款产品很好用的"), split, AttributionOptions(min_piece_s=0.5))
    assert len(pieces) == 1 and pieces[0][1] == 0


def _call() -> tuple[list[Segment], Split]:
    segments = [seg(0.0, 3.0, "王总您好我是恒力机电的小陈"), seg(3.5, 6.0, "你好你们什么事"),
                seg(6.5, 9.0, "我们这款新款空压机给您介绍一下您这边需要几台"),
                seg(9.5, 12.0, "我们需要两台预算有限"), seg(12.5, 15.0, "我们希望下周三前把合同签了")]
    turns = (Turn(0, 3, 0), Turn(3.5, 6, 1), Turn(6.5, 9, 0), Turn(9.5, 12, 1), Turn(12.5, 15, 0))
    return segments, Split(turns)


def test_roles_from_the_words_when_no_voiceprint_is_enrolled() -> None:
    segments, split = _call()
    a = attribute(segments, split)
    assert a.method == "words"
    assert a.roles == {0: "rep", 1: "customer"}
    assert [s.speaker for s in a.segments] == ["rep", "customer", "rep", "customer", "rep"]
    assert all(0 < s.speaker_confidence <= 1 for s in a.segments)
    assert a.attributed_share == 1.0


def test_on_attributed_segments_the_reps_hoped_date_is_not_the_customers_expectation() -> None:
    segments, split = _call()
    a = attribute(segments, split)
    result = analyze([Utterance(text=s.text, speaker=s.speaker, start_s=s.start_s, end_s=s.end_s) for s in a.segments],
                     on=dt.date(2026, 12, 4))
    dated = [c for c in result.commitments if c.phrase.startswith("下周三")]
    assert dated and all(c.kind != "expected" and c.speaker == "rep" for c in dated)
    assert [n.speaker for n in result.needs] and all(n.speaker == "customer" for n in result.needs)
    # the same words with nobody attributed: still never a customer's expectation
    plain = analyze([Utterance(text=s.text, speaker="unknown") for s in segments], on=dt.date(2026, 12, 4))
    assert not plain.needs and all(c.kind == "other" for c in plain.commitments)


def test_cues_that_disagree_leave_both_voices_unknown() -> None:
    segments = [seg(0, 3, "我们需要您这边确认一下参数"), seg(3.5, 6, "我们需要尽快交货")]
    a = attribute(segments, Split((Turn(0, 3, 0), Turn(3.5, 6, 1))))
    assert {s.speaker for s in a.segments} == {"unknown"}
    assert a.method == "none" and a.note and a.attributed_share == 0.0


def test_no_voices_at_all_gives_unknown_with_the_reason() -> None:
    a = attribute([seg(0, 2, "喂")], Split((), voices=(), note="too_short"))
    assert a.segments[0].speaker == "unknown" and a.note == "too_short" and a.method == "none"
    assert attribute([seg(0, 2, "喂")], None).note == "no_voices"


def test_segments_in_silence_or_between_voices_stay_unknown() -> None:
    split = Split((Turn(0.0, 1.0, 0), Turn(1.0, 2.0, 1), Turn(10.0, 14.0, 0), Turn(14.5, 18.0, 1)))
    segments = [seg(0.0, 2.0, "嗯好的"), seg(5.0, 8.0, "这段没有声纹"), seg(10.0, 14.0, "我是恒力机电的小陈给您报价"),
                seg(14.5, 18.0, "我们需要三台太贵了")]
    a = attribute(segments, split)
    by_text = {s.text: s.speaker for s in a.segments}
    assert by_text["这段没有声纹"] == "unknown"
    assert by_text["我是恒力机电的小陈给您报价"] == "rep" and by_text["我们需要三台太贵了"] == "customer"


def test_one_voice_in_a_call_gets_no_role_whatever_it_says() -> None:
    # One voice heard: one party alone, or two parties the clustering could not tell apart — the
    # words of both would land under one name, so neither the wording nor a voiceprint decides.
    segments = [seg(0, 4, "我是恒力机电的小陈给您报价"), seg(4.5, 9, "我们需要三台太贵了")]
    a = attribute(segments, Split((Turn(0, 4, 0), Turn(4.5, 9, 0)), voices=(0,), note="one_voice"))
    assert {s.speaker for s in a.segments} == {"unknown"}
    assert a.method == "none" and a.note == "one_voice" and a.reasons == {0: "one_voice"}
    assert a.attributed_share == 0.0
