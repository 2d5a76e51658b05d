"""Numbers as said in sales talk: colloquial trailing digits, units, mixed scripts."""

from __future__ import annotations

import pytest

from nlp.numerals import parse_int, parse_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("十二万", 120_000), ("八百八", 880), ("一万二", 12_000), ("十二万五", 125_000), ("12.5万", 125_000),
        ("1.2w", 12_000), ("5k", 5_000), ("3千5", 3_500), ("12万5", 125_000), ("三千五", 3_500),
        ("两万五千", 25_000), ("一百二", 120), ("一百二十", 120), ("二十五", 25), ("十", 10), ("二〇二六", 2026),
        ("十二点五万", 125_000), ("120,000", 120_000), ("１２万", 120_000),
    ],
)
def test_values(text: str, value: float) -> None:
    assert parse_number(text) == value


def test_zero_keeps_the_units_apart() -> None:
    # 八百零八 is 808 and 一万零五 is 10005: 零 stops the colloquial reading.
    assert parse_number("八百零八") == 808
    assert parse_number("一万零五") == 10_005


@pytest.mark.parametrize(("text", "value"), [("18万9100", 189_100), ("16万2540", 162_540), ("17万0540", 170_540),
                                           ("18万零600", 180_600), ("1万25", 12_500), ("3千500", 3_500)])
def test_arabic_places_below_a_unit(text: str, value: float) -> None:
    # A chat types the places under 万 in Arabic: all of them, or the top ones (1万25 is 一万二五).
    assert parse_number(text) == value


def test_more_arabic_places_than_the_unit_holds_is_no_number() -> None:
    assert parse_number("1万23456") is None


def test_not_numbers() -> None:
    for text in ("", "万", "abc", "三个"):
        assert parse_number(text) is None


def test_int_rejects_fractions() -> None:
    assert parse_int("三十一") == 31
    assert parse_int("1.5") is None
