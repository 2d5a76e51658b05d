"""Daily plan matching, deadlines and completion (scoring/plan.py): plain values, no database."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from scoring.plan import (
    DayAction, PlanItem, RedItem, completion, days_to_check, manager_plan_weeks, match_plan, reason_due,
)

TZ = "Asia/Shanghai"
DAY = dt.date(2026, 3, 2)


def t(h: int, m: int = 0, day: dt.date = DAY) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(h, m), ZoneInfo(TZ))


def test_states_from_the_days_actions():
    items = [PlanItem(1, 1, 10, "上门拜访"), PlanItem(2, 2, 10, "电话沟通"), PlanItem(3, 3, 11, "上门拜访"),
             PlanItem(4, 4, 12, "报价")]
    actions = [DayAction(100, 10, "上门拜访", t(9), "verified"), DayAction(101, 10, "电话沟通", t(10), None),
               DayAction(102, 11, "电话沟通", t(11), "verified")]  # right customer, wrong type
    got = {r.plan_id: (r.state, r.action_id) for r in match_plan(items, actions, frozenset({10, 11}))}
    assert got == {1: ("done", 100), 2: ("unverified", 101), 3: ("red", None), 4: ("invalid", None)}


def test_one_action_meets_one_item_and_verified_ones_go_first():
    items = [PlanItem(1, 1, 10, "上门拜访"), PlanItem(2, 2, 10, "上门拜访"), PlanItem(3, 3, 10, "上门拜访")]
    actions = [DayAction(7, 10, "上门拜访", t(9), "pending_verification"), DayAction(8, 10, "上门 拜访", t(12), "verified")]
    got = [(r.state, r.action_id) for r in match_plan(items, actions)]
    assert got == [("done", 8), ("unverified", 7), ("red", None)]
    assert "待核实" in match_plan(items, actions)[1].detail


def test_reason_deadline_and_late_checks():
    assert reason_due(DAY, t(15, 1), "15:00", "17:00", TZ) == t(17)
    assert reason_due(DAY, t(16, 55), "15:00", "17:00", TZ) == t(17)  # the brief's 17:00 holds
    # Checked only at 19:00 (workers down all afternoon): the manager still gets two hours.
    assert reason_due(DAY, t(19), "15:00", "17:00", TZ) == t(21)


def test_days_to_check_include_today_only_after_the_check_time():
    assert days_to_check(t(14, 59), "15:00", TZ, 2) == [DAY - dt.timedelta(days=2), DAY - dt.timedelta(days=1)]
    assert days_to_check(t(15), "15:00", TZ, 0) == [DAY]
    # 00:30 in Shanghai is still the previous day in UTC; the local day counts.
    assert days_to_check(t(0, 30).astimezone(dt.timezone.utc), "00:00", TZ, 0) == [DAY]


def test_completion_leaves_invalid_items_out():
    c = completion("2026-03-02", ["done", "unverified", "red", "invalid"])
    assert (c.items, c.done, c.unverified, c.red) == (3, 1, 1, 1)
    assert abs(c.rate - 2 / 3) < 1e-12 and abs(c.verified_rate - 1 / 3) < 1e-12
    assert completion("x", []).rate is None


def test_manager_weeks_count_reasons_missing_at_the_deadline():
    items = [RedItem(1, 5, DAY, t(17), t(16)), RedItem(2, 5, DAY, t(17), t(17, 30)), RedItem(3, 5, DAY, t(17), None),
             RedItem(4, 5, DAY + dt.timedelta(days=1), t(17, day=DAY + dt.timedelta(days=1)), None)]
    (week,) = manager_plan_weeks(items, now=t(18))
    # 1 in time, 2 late, 3 never: decided; 4 is not due yet.
    assert (week.week, week.red, week.decided, week.in_time, week.missing_ids) == ("2026-W10", 4, 3, 1, (2, 3))
