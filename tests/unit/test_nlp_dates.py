"""Date expressions resolved by the conventions of docs/contract.md §6."""

from __future__ import annotations

import datetime as dt

import pytest

from nlp.dates import find_dates, holiday_break, nth_workday_after

MON = dt.date(2026, 3, 2)  # a Monday


def one(text: str, on: dt.date = MON):
    found = find_dates(text, on)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "date", "deadline"),
    [
        ("今天", "2026-03-02", False), ("今晚", "2026-03-02", False), ("明天", "2026-03-03", False),
        ("这周五", "2026-03-06", False), ("本周三", "2026-03-04", False), ("下周五", "2026-03-13", False),
        ("月底", "2026-03-31", False), ("月底前", "2026-03-31", True), ("三天内", "2026-03-05", True),
        ("两周内", "2026-03-16", True), ("三个工作日内", "2026-03-05", True), ("三月二十号", "2026-03-20", False),
        ("3.20前", "2026-03-20", True), ("3月20日之前", "2026-03-20", True), ("二十号前", "2026-03-20", True),
        ("清明节前", "2026-04-04", True), ("国庆", "2026-10-01", False), ("五一之前", "2026-05-01", True),
        ("端午", "2026-06-19", False), ("元旦前", "2027-01-01", True), ("2026年4月1日", "2026-04-01", False),
        ("最晚下周三", "2026-03-11", True), ("半个月内", "2026-03-17", True), ("3个月内", "2026-06-02", True),
    ],
)
def test_conventions(text: str, date: str, deadline: bool) -> None:
    d = one(text)
    assert (d.date.isoformat(), d.deadline) == (date, deadline)
    if deadline:
        assert (d.window_start, d.window_end) == (MON, d.date)


@pytest.mark.parametrize(
    ("text", "start", "end"),
    [("四月初", "2026-04-01", "2026-04-05"), ("下个月中旬", "2026-04-11", "2026-04-20"),
     ("四月下旬", "2026-04-21", "2026-04-30"), ("下周", "2026-03-09", "2026-03-15"), ("五月份", "2026-05-01", "2026-05-31"),
     ("3月20号到25号", "2026-03-20", "2026-03-25"), ("下周一到周三", "2026-03-09", "2026-03-11"),
     ("国庆期间", "2026-10-01", "2026-10-07"), ("明年一季度", "2027-01-01", "2027-03-31")],
)
def test_windows_end_on_their_last_day(text: str, start: str, end: str) -> None:
    d = one(text)
    assert (d.window_start.isoformat(), d.window_end.isoformat(), d.date.isoformat()) == (start, end, end)


def test_before_a_window_is_the_day_before_it_starts() -> None:
    assert one("四月前").date == dt.date(2026, 3, 31)
    assert one("下个月中旬前").date == dt.date(2026, 4, 10)


def test_after_a_holiday_is_after_its_break() -> None:
    d = one("国庆后")
    assert (d.date, d.window_start, d.window_end) == (dt.date(2026, 10, 8), dt.date(2026, 10, 8), None)


def test_working_days_follow_the_chinese_calendar() -> None:
    # Friday 2026-05-08: Saturday 05-09 is a make-up working day, so three working days
    # end on Tuesday 05-12; the 2026 Spring Festival break holds no working day.
    assert nth_workday_after(dt.date(2026, 5, 8), 3) == dt.date(2026, 5, 12)
    assert nth_workday_after(dt.date(2026, 2, 13), 1) == dt.date(2026, 2, 14)
    assert nth_workday_after(dt.date(2026, 2, 14), 1) == dt.date(2026, 2, 24)
    assert one("30个工作日内", dt.date(2026, 5, 8)).date == dt.date(2026, 6, 18)


def test_holidays_are_their_first_day_and_roll_to_next_year_once_past() -> None:
    assert holiday_break("Tomb-sweeping Day", 2026) == (dt.date(2026, 4, 4), dt.date(2026, 4, 6))
    assert one("国庆前", dt.date(2026, 11, 5)).date == dt.date(2027, 10, 1)  # fixed date beyond the calendar's data
    assert find_dates("春节后", dt.date(2026, 3, 2)) == []  # 2027's lunar holidays are not known yet


def test_past_and_ago() -> None:
    assert one("上周五").past and one("昨天").past
    ago = one("三天前")
    assert ago.date == dt.date(2026, 2, 27) and ago.past and not ago.deadline


def test_bare_days_and_weekdays_look_forward() -> None:
    on = dt.date(2026, 3, 20)  # a Friday
    assert one("5号", on).date == dt.date(2026, 4, 5)
    assert one("周三", on).date == dt.date(2026, 3, 25)
    assert one("每月5号前", on).date == dt.date(2026, 4, 5)


def test_two_dates_in_one_sentence() -> None:
    found = find_dates("原来定的是3月15号，现在最晚推到3月25号前交货", MON)
    assert [(d.date.isoformat(), d.deadline) for d in found] == [("2026-03-15", False), ("2026-03-25", True)]


def test_weekday_after_a_dated_week_stays_in_it() -> None:
    found = find_dates("首批下周一发车，周三能到工地", dt.date(2026, 3, 18))
    assert [d.date.isoformat() for d in found] == ["2026-03-23", "2026-03-25"]


@pytest.mark.parametrize("text", ["报价12.5万", "版本3.2", "生产周期要30天", "3号楼", "一日三餐", "每周五例会",
                                  "三块五一瓶", "十一台设备", "用了一个月就断了"])
def test_not_dates(text: str) -> None:
    assert find_dates(text, MON) == []
