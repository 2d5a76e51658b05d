"""Conversation metrics of one call, from segments with speakers (Gong's set, for Mandarin).

* talk ratio — the rep's share of the speech time of rep and customer;
* longest rep monologue / longest customer story — the longest stretch one party holds the floor
  (consecutive segments of that party, the other party silent in between);
* questions each party asks — counted from the wording (吗 / 呢 / 什么 / 怎么 / 能不能 …, or a
  question mark), since Whisper base writes little punctuation;
* interactivity — switches between rep and customer per minute of the call;
* patience — the rep's mean pause between the customer's last word and the rep's reply.

Segments of an `unknown` speaker count in neither party's figures; `attributed_share` says how
much of the speech time had a speaker at all (a mono call nobody could attribute gives None for
every per-party figure rather than zeros that look like facts).
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Protocol

PARTIES = ("rep", "customer")

# A clause that asks: a question mark, a sentence-final 吗/呢/么, an A-not-A pair, or a wh-word
# that is not part of a negated or indefinite phrase (没什么, 不怎么, 什么都).
_QUESTION_END = re.compile(r"(吗|嘛|呢|么)[啊呀哈]?$")
_A_NOT_A = re.compile(r"(能不能|是不是|有没有|要不要|可不可以|可以不可以|好不好|对不对|行不行|会不会|用不用|需不需要|方不方便|愿不愿意|考不考虑|了没有|没有没有)")
_WH = re.compile(r"(?<![没不])(什么|怎么|怎样|多少|哪里|哪儿|哪个|哪些|哪家|哪种|几个|几台|几号|几点|几天|为什么|为啥|咋|啥时候|何时)(?!都|也)")
# A clause: text up to a punctuation mark or a space (Whisper separates phrases with spaces),
# keeping a question mark that ends it.
_CLAUSE = re.compile(r"[^，,。．.！!？?；;：:\s]+[？?]?")


class _Seg(Protocol):
    start_s: float
    end_s: float
    speaker: str
    text: str


def asks(clause: str) -> bool:
    """Whether one clause is a question, by its mark or its wording."""
    if clause.endswith(("?", "？")):
        return True
    return bool(_QUESTION_END.search(clause) or _A_NOT_A.search(clause) or _WH.search(clause))


def questions_in(text: str) -> int:
    """How many clauses of `text` ask something."""
    return sum(1 for m in _CLAUSE.finditer(text) if asks(m.group(0)))


@dataclass(frozen=True)
class ConversationMetrics:
    """One call's metrics; seconds are of speech, per-party figures None when nothing was attributed."""

    duration_s: float
    speech_s: float
    rep_s: float
    customer_s: float
    unknown_s: float
    attributed_share: float | None  # (rep + customer) ÷ all speech
    talk_ratio_rep: float | None  # rep ÷ (rep + customer)
    longest_rep_monologue_s: float | None
    longest_customer_story_s: float | None
    questions_rep: int | None
    questions_customer: int | None
    switches: int | None
    interactivity_per_min: float | None
    patience_s: float | None  # the rep's mean pause before answering the customer
    replies: int  # customer → rep hand-overs that patience averages over

    def to_json(self) -> dict[str, Any]:
        return {k: (round(v, 3) if isinstance(v, float) else v) for k, v in asdict(self).items()}


def _turns(segments: Sequence[_Seg]) -> list[tuple[str, float, float]]:
    """Consecutive segments of one party merged into turns (speaker, start, end); unknown breaks nothing."""
    turns: list[tuple[str, float, float]] = []
    for s in sorted((s for s in segments if s.speaker in PARTIES), key=lambda s: (s.start_s, s.end_s)):
        if turns and turns[-1][0] == s.speaker:
            who, start, end = turns[-1]
            turns[-1] = (who, start, max(end, s.end_s))
        else:
            turns.append((s.speaker, s.start_s, s.end_s))
    return turns


def conversation_metrics(segments: Sequence[_Seg], duration_s: float) -> ConversationMetrics:
    """The metrics of one call from its segments (any order) and its length in seconds."""
    talk = {"rep": 0.0, "customer": 0.0, "unknown": 0.0}
    for s in segments:
        talk[s.speaker if s.speaker in talk else "unknown"] += max(0.0, s.end_s - s.start_s)
    speech = sum(talk.values())
    attributed = talk["rep"] + talk["customer"]
    if attributed <= 0:
        return ConversationMetrics(duration_s, speech, 0.0, 0.0, talk["unknown"],
                                   0.0 if speech > 0 else None, None, None, None, None, None, None, None, None, 0)
    turns = _turns(segments)
    longest = {p: max((e - s for who, s, e in turns if who == p), default=0.0) for p in PARTIES}
    questions = {p: sum(questions_in(s.text) for s in segments if s.speaker == p) for p in PARTIES}
    switches = sum(1 for a, b in zip(turns, turns[1:]) if a[0] != b[0])
    span = (turns[-1][2] - turns[0][1]) if turns else 0.0
    minutes = max(span, 1.0) / 60.0
    pauses = [max(0.0, b[1] - a[2]) for a, b in zip(turns, turns[1:]) if a[0] == "customer" and b[0] == "rep"]
    return ConversationMetrics(
        duration_s=duration_s, speech_s=speech, rep_s=talk["rep"], customer_s=talk["customer"],
        unknown_s=talk["unknown"], attributed_share=attributed / speech if speech else None,
        talk_ratio_rep=talk["rep"] / attributed,
        longest_rep_monologue_s=longest["rep"], longest_customer_story_s=longest["customer"],
        questions_rep=questions["rep"], questions_customer=questions["customer"], switches=switches,
        interactivity_per_min=switches / minutes,
        patience_s=sum(pauses) / len(pauses) if pauses else None, replies=len(pauses))
