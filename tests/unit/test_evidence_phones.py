"""Phone normalisation, masking and matching as used by the call_number rule."""

from __future__ import annotations

import pytest

from evidence.phones import PhoneMatch, mask_phone, match_phone, normalize_phone

MOBILE_FORMS = ["+86 138 0013 8000", "13800138000", "8613800138000", "+86-138-0013-8000",
                "0086 138 0013 8000", "(+86) 138-0013-8000", "１３８００１３８０００"]
LANDLINE_FORMS = ["0571-8888 6666", "057188886666", "+86 571 8888 6666", "(0571) 8888-6666",
                  "+86 0571 88886666"]
EXTENSION_FORMS = ["0571-88886666 转 8001", "0571-88886666转8001", "0571-88886666-8001",
                   "0571-88886666 ext. 8001", "0571-88886666 x8001", "0571-88886666 分机 8001",
                   "0571-88886666#8001"]


@pytest.mark.parametrize("raw", MOBILE_FORMS)
def test_mobile_forms_are_equal(raw: str) -> None:
    assert normalize_phone(raw) == "+8613800138000"


@pytest.mark.parametrize("raw", LANDLINE_FORMS + EXTENSION_FORMS)
def test_landline_forms_and_extensions_are_equal(raw: str) -> None:
    assert normalize_phone(raw) == "+8657188886666"


@pytest.mark.parametrize(
    "raw", ["", "   ", "abc", "12345", "110", "88886666", "x8001", "转8001", "not a number 123", "+86"]
)
def test_garbage_is_none(raw: str) -> None:
    assert normalize_phone(raw) is None


def test_non_string_is_none() -> None:
    assert normalize_phone(None) is None  # type: ignore[arg-type]
    assert normalize_phone(13800138000) is None  # type: ignore[arg-type]


def test_other_regions_and_services() -> None:
    assert normalize_phone("+1 650-253-0000") == "+16502530000"
    assert normalize_phone("650-253-0000", region="US") == "+16502530000"
    assert normalize_phone("400-812-3123") == "+864008123123"
    assert normalize_phone("010-12345678") == "+861012345678"


def test_distinct_numbers_stay_distinct() -> None:
    assert normalize_phone("13800138000") != normalize_phone("13800138001")
    assert normalize_phone("0571-88886666") != normalize_phone("0571-88886667")


@pytest.mark.parametrize(
    ("e164", "masked"),
    [
        ("+8613800138000", "+86138****8000"),
        ("+8657188886666", "+86571****6666"),
        ("+861012345678", "+86101***5678"),
        ("+16502530000", "+1650***0000"),
    ],
)
def test_mask_keeps_country_first_three_last_four(e164: str, masked: str) -> None:
    assert mask_phone(e164) == masked


def test_mask_never_reveals_a_short_number_whole() -> None:
    masked = mask_phone("+86110")
    assert "*" in masked and "110" not in masked


def test_match_found_ignoring_format_and_extension() -> None:
    result = match_phone("0571-88886666 转 8001", ["13900000000", "+86 571 8888 6666"])
    assert result == PhoneMatch(True, "+8657188886666", "+86571****6666", None)


def test_match_not_registered() -> None:
    result = match_phone("+86 138 0013 8001", ["13800138000", "0571-88886666"])
    assert result.matched is False
    assert result.reason == "number_not_registered"
    assert result.masked == "+86138****8001"


def test_match_unparseable_counterpart() -> None:
    result = match_phone("private number", ["13800138000"])
    assert result == PhoneMatch(False, None, None, "number_unparseable")


def test_match_without_registered_numbers() -> None:
    result = match_phone("13800138000", ["", "garbage"])
    assert result.matched is False and result.reason == "no_registered_numbers"
    assert result.normalized == "+8613800138000"


def test_match_accepts_any_iterable() -> None:
    assert match_phone("13800138000", (n for n in ["8613800138000"])).matched
