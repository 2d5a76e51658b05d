"""The daily must-do plan (今日3件必做): items matched with the day's actions, completion rates,
the manager's reason deadline and what it means for the manager's process quality.

Plain values in, frozen dataclasses out. Semantics: docs/contract.md, "Daily plan".
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable, Sequence
from zoneinfo import ZoneInfo

from .periods import iso_week

REASON_CATEGORIES = ("客户临时变更", "资料未齐", "权限不足", "其他")
# An item's state after the check: done (a verified action), unverified (an action that is 待核实 or
# not judged yet: counts as done, shown unverified), red (no action), invalid (names an unknown customer).
STATES = ("done", "unverified", "red", "invalid")
COUNTS_AS_DONE = ("done", "unverified")


@dataclass(frozen=True)
class PlanItem:
    """One `crm_daily_plans` row."""

    plan_id: int
    seq: int
    customer_id: int
    action_type: str
    target: str = ""


@dataclass(frozen=True)
class DayAction:
    """One action of the rep on the plan's local day, with its current verdict (None: not judged yet)."""

    action_id: int
    customer_id: int
    action_type: str
    submitted_at: dt.datetime
    verdict: str | None = None


@dataclass(frozen=True)
class ItemResult:
    plan_id: int
    seq: int
    state: str
    action_id: int | None
    detail: str  # a sentence for the manager

    def to_json(self) -> dict[str, Any]:
        return {"plan_id": self.plan_id, "seq": self.seq, "state": self.state, "action_id": self.action_id,
                "detail": self.detail}


def _norm(action_type: str) -> str:
    # The CRM's forms differ in spaces and width (上门拜访 / 上门 拜访 / full-width letters).
    return "".join(action_type.split()).casefold()


def match_plan(items: Sequence[PlanItem], actions: Iterable[DayAction],
               valid_customers: frozenset[int] | None = None) -> tuple[ItemResult, ...]:
    """Each item's state from the rep's actions of the day.

    An item is met by an action of the same customer and action type; one action meets at most
    one item (two planned visits need two visits). Verified actions are given out first, then
    待核实 and not yet judged ones, earliest first, so an item is shown unverified only when no
    verified action is left for it.
    """
    rank = {"verified": 0, "pending_verification": 1, None: 2}
    pool = sorted(actions, key=lambda a: (rank.get(a.verdict, 2), a.submitted_at, a.action_id))
    used: set[int] = set()
    out = []
    for item in sorted(items, key=lambda i: (i.seq, i.plan_id)):
        if valid_customers is not None and item.customer_id not in valid_customers:
            out.append(ItemResult(item.plan_id, item.seq, "invalid", None,
                                  f"customer {item.customer_id} is not a customer of this organisation"))
            continue
        hit = next((a for a in pool if a.action_id not in used and a.customer_id == item.customer_id
                    and _norm(a.action_type) == _norm(item.action_type)), None)
        if hit is None:
            out.append(ItemResult(item.plan_id, item.seq, "red", None,
                                  f"no {item.action_type} with customer {item.customer_id} recorded today"))
            continue
        used.add(hit.action_id)
        if hit.verdict == "verified":
            out.append(ItemResult(item.plan_id, item.seq, "done", hit.action_id, f"action {hit.action_id} verified"))
        else:
            why = "待核实 (pending verification)" if hit.verdict else "not judged yet"
            out.append(ItemResult(item.plan_id, item.seq, "unverified", hit.action_id,
                                  f"action {hit.action_id} recorded, {why}: counts as done, shown unverified"))
    return tuple(out)


def local_instant(day: dt.date, at: str, tz: str) -> dt.datetime:
    """`HH:MM` of a local day in `tz`, as an aware instant."""
    hour, minute = (int(x) for x in at.split(":"))
    return dt.datetime.combine(day, dt.time(hour, minute), ZoneInfo(tz))


def reason_due(day: dt.date, checked_at: dt.datetime, check_time: str, deadline: str, tz: str) -> dt.datetime:
    """When the manager's reasons for a day's red items are due.

    The day's deadline (17:00, as the brief says). Only a check that ran after it (the workers were
    down all afternoon) gets the window the manager would have had, counted from the check, so
    nothing is due before it was announced.
    """
    due = local_instant(day, deadline, tz)
    if checked_at <= due:
        return due
    return checked_at + max(due - local_instant(day, check_time, tz), dt.timedelta(0))


def days_to_check(now: dt.datetime, check_time: str, tz: str, catchup_days: int) -> list[dt.date]:
    """Local days whose check time has passed, newest last, going back `catchup_days` days."""
    today = now.astimezone(ZoneInfo(tz)).date()
    days = [today - dt.timedelta(days=k) for k in range(max(0, catchup_days), 0, -1)]
    if now >= local_instant(today, check_time, tz):
        days.append(today)
    return days


@dataclass(frozen=True)
class Completion:
    """Completion of planned items over a day or an ISO week (invalid items are not counted)."""

    label: str
    items: int
    done: int
    unverified: int
    red: int
    rate: float | None  # (done + unverified) ÷ items
    verified_rate: float | None  # done ÷ items

    def to_json(self) -> dict[str, Any]:
        return {"period": self.label, "items": self.items, "done": self.done, "unverified": self.unverified,
                "red": self.red, "rate": self.rate, "verified_rate": self.verified_rate}


def completion(label: str, states: Iterable[str]) -> Completion:
    states = [s for s in states if s in ("done", "unverified", "red")]
    n = len(states)
    done, unverified = states.count("done"), states.count("unverified")
    return Completion(label, n, done, unverified, states.count("red"),
                      (done + unverified) / n if n else None, done / n if n else None)


def week_label(day: dt.date) -> str:
    return iso_week(day).label


@dataclass(frozen=True)
class RedItem:
    """A red item as the manager's process quality sees it."""

    plan_id: int
    manager_id: int | None
    plan_date: dt.date
    reason_due_at: dt.datetime
    reason_at: dt.datetime | None  # the first reason's time


@dataclass(frozen=True)
class ManagerPlanWeek:
    """Per manager per ISO week: red items explained by the deadline vs decided (explained or past due)."""

    manager_id: int | None
    week: str
    red: int
    decided: int
    in_time: int
    missing_ids: tuple[int, ...]  # no reason by the deadline (explained late, or never)

    def to_json(self) -> dict[str, Any]:
        return {"red": self.red, "decided": self.decided, "in_time": self.in_time,
                "missing_plan_ids": list(self.missing_ids)}


def manager_plan_weeks(items: Iterable[RedItem], now: dt.datetime) -> list[ManagerPlanWeek]:
    """Red items grouped by manager and the ISO week of their plan day; one not yet due is undecided."""
    groups: dict[tuple[int | None, str], list[RedItem]] = {}
    for it in items:
        groups.setdefault((it.manager_id, week_label(it.plan_date)), []).append(it)
    out = []
    for (manager, week), rows in sorted(groups.items(), key=lambda kv: (str(kv[0][0]), kv[0][1])):
        in_time = [r for r in rows if r.reason_at is not None and r.reason_at <= r.reason_due_at]
        missing = [r for r in rows if r not in in_time and (r.reason_at is not None or now > r.reason_due_at)]
        out.append(ManagerPlanWeek(manager, week, len(rows), len(in_time) + len(missing), len(in_time),
                                   tuple(sorted(r.plan_id for r in missing))))
    return out
