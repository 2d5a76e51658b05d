"""Alert deadlines: wall clock and Chinese business hours."""
import datetime as dt

import pytest

from evidence.deadline import due_at

CST = dt.timezone(dt.timedelta(hours=8))


def test_wall_clock_is_two_hours_later_in_utc():
    start = dt.datetime(2026, 3, 2, 23, 30, tzinfo=CST)
    due = due_at(start, 2)
    assert due == dt.datetime(2026, 3, 2, 17, 30, tzinfo=dt.timezone.utc)
    assert due.tzinfo == dt.timezone.utc


@pytest.mark.parametrize("start, expected", [
    (dt.datetime(2026, 3, 2, 10, 0), dt.datetime(2026, 3, 2, 12, 0)),   # Monday morning
    (dt.datetime(2026, 3, 2, 17, 0), dt.datetime(2026, 3, 3, 10, 0)),   # one hour today, one tomorrow
    (dt.datetime(2026, 3, 2, 7, 0), dt.datetime(2026, 3, 2, 11, 0)),    # before opening
    (dt.datetime(2026, 3, 6, 17, 30), dt.datetime(2026, 3, 9, 10, 30)),  # Friday evening → Monday
    (dt.datetime(2026, 9, 30, 17, 0), dt.datetime(2026, 10, 8, 10, 0)),  # National Day holiday
])
def test_business_hours_skip_nights_weekends_and_holidays(start, expected):
    due = due_at(start.replace(tzinfo=CST), 2, clock="business", timezone="Asia/Shanghai")
    assert due == expected.replace(tzinfo=CST)


def test_business_hours_work_on_a_tiaoxiu_saturday():
    # 2026-02-28 (Saturday) is a make-up working day (调休) for the Spring Festival.
    import chinese_calendar

    day = dt.date(2026, 2, 28)
    assert chinese_calendar.is_workday(day)
    due = due_at(dt.datetime(2026, 2, 28, 9, 0, tzinfo=CST), 2, clock="business")
    assert due == dt.datetime(2026, 2, 28, 11, 0, tzinfo=CST)


def test_custom_calendar_and_bad_input():
    never_friday = lambda d: d.weekday() < 4  # noqa: E731
    due = due_at(dt.datetime(2026, 3, 5, 17, 0, tzinfo=CST), 2, clock="business", is_workday=never_friday)
    assert due == dt.datetime(2026, 3, 9, 10, 0, tzinfo=CST)
    with pytest.raises(ValueError):
        due_at(dt.datetime(2026, 3, 5, 17, 0), 2)
    with pytest.raises(ValueError):
        due_at(dt.datetime(2026, 3, 5, 17, 0, tzinfo=CST), 2, clock="lunar")
