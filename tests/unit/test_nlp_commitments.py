"""Whose date is it: expected (customer), promised (rep) or other."""

from __future__ import annotations

import datetime as dt

import pytest

from nlp.commitments import commitments_in

MON = dt.date(2026, 3, 2)


def kinds(text: str, speaker: str, on: dt.date = MON) -> list[tuple[str, str]]:
    return [(c.kind, c.date.isoformat()) for c in commitments_in(text, speaker, on)]


@pytest.mark.parametrize(
    ("speaker", "text", "expected"),
    [
        ("customer", "我们希望三月二十日前交付第一批货。", [("expected", "2026-03-20")]),
        ("rep", "我们预计三月二十五号能到。", [("promised", "2026-03-25")]),
        ("rep", "下周五给您答复。", [("promised", "2026-03-13")]),
        ("customer", "月底前一定要装好。", [("expected", "2026-03-31")]),
        ("customer", "你们下周三前把报价发过来。", [("expected", "2026-03-11")]),
        ("rep", "明天上午派工程师过去。", [("promised", "2026-03-03")]),
        ("customer", "我们4月1号开工，希望3月25号前到货。", [("other", "2026-04-01"), ("expected", "2026-03-25")]),
        ("rep", "3月20号肯定来不及，最快也要3月28号。", [("other", "2026-03-20"), ("promised", "2026-03-28")]),
        ("customer", "原来定的是3月15号，现在最晚推到3月25号前交货。", [("other", "2026-03-15"), ("expected", "2026-03-25")]),
        ("customer", "下周五前给你答复。", [("other", "2026-03-13")]),
        ("rep", "您是要20号前到货对吧？", [("other", "2026-03-20")]),
        ("rep", "我下周三过去拜访您。", [("other", "2026-03-11")]),
        ("rep", "如果月底前续费的话可以按去年的价格。", [("other", "2026-03-31")]),
        ("rep", "上周五已经发货了。", [("other", "2026-02-27")]),
        ("rep", "今天给您带了样机。", [("other", "2026-03-02")]),
        ("customer", "端午节前能不能把下个月的货先发过来？", [("expected", "2026-06-19"), ("other", "2026-04-30")]),
        # Unattributed: the date is reported, never as an expectation or a promise.
        ("unknown", "我们希望三月二十日前交付第一批", [("other", "2026-03-20")]),
        ("unknown", "我们预计三月二十五号能到", [("other", "2026-03-25")]),
    ],
)
def test_kinds(speaker: str, text: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(text, speaker) == expected


def test_commitment_keeps_phrase_speaker_and_window() -> None:
    (c,) = commitments_in("我们要求两周内到货", "customer", MON, ref="segment:7")
    assert (c.phrase, c.speaker, c.ref) == ("两周内", "customer", "segment:7")
    assert (c.window_start, c.window_end, c.date) == (MON, dt.date(2026, 3, 16), dt.date(2026, 3, 16))
