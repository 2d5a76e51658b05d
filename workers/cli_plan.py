"""`actionproof plan --rep ID --date D`: a rep's must-do plan of one day, each item's state and reason,
and the day's and the ISO week's completion rate (docs/contract.md, "Daily plan")."""
from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from typing import Any

from .config import Settings


def _pct(rate: float | None) -> str:
    return "-" if rate is None else f"{100 * rate:.0f} %"


def _state(item: dict[str, Any]) -> str:
    text = {"done": "done", "unverified": "done, unverified (待核实)", "red": "RED", "invalid": "invalid"}[item["state"]]
    if item.get("action_id"):
        text += f" · action {item['action_id']}"
    return text + ("" if item["checked"] else " (before the check)")


def _reason(item: dict[str, Any]) -> str:
    if item["state"] != "red":
        return "" if item["state"] != "invalid" else item.get("detail") or ""
    if not item["checked"]:
        return ""
    if not item.get("reason"):
        return "no reason yet" + (" — missed the deadline" if item.get("reason_missed") else "")
    when = "in time" if item.get("reason_in_time") else "late"
    return f"{item['reason']}" + (f"：{item['note']}" if item.get("note") else "") + f" ({when})"


def render(report: dict[str, Any]) -> str:
    """The report as the manager reads it in a terminal."""
    from .demo import _table

    check = report["check_at"][11:16]
    due = report["reason_deadline"][11:16]
    head = (f"{report['rep']} (rep {report['rep_id']}), plan for {report['date']} ({report['timezone']}): "
            f"checked at {check}, reasons for red items due {due}")
    rows = [[str(i["seq"]), f"{i['customer'] or '?'} ({i['customer_id']})", i["action_type"], i["target"] or "",
             _state(i), _reason(i)] for i in report["items"]]
    day, week = report["day"], report["week"]
    tail = (f"day {report['date']}: {day['done'] + day['unverified']}/{day['items']} done ({_pct(day['rate'])}), "
            f"{day['done']} verified ({_pct(day['verified_rate'])}), {day['red']} red\n"
            f"week {week['period']}: {week['done'] + week['unverified']}/{week['items']} done ({_pct(week['rate'])}), "
            f"{week['done']} verified ({_pct(week['verified_rate'])}), {week['red']} red")
    if not rows:
        return f"{head}\nno plan written for this day\n{tail}"
    return "\n".join([head, _table(["#", "customer", "action", "target", "state", "manager's reason"], rows), tail])


def cmd_plan(args: argparse.Namespace, settings: Settings) -> int:
    from .app import sessions
    from .plans import rep_plan_report

    try:
        day = dt.date.fromisoformat(args.date) if args.date else None
    except ValueError:
        print(f"--date {args.date!r} is not a date like 2026-03-02", file=sys.stderr)
        return 2
    with sessions(settings)() as s:
        if day is None:
            from .plans import org_timezone
            from models import CrmUser
            from zoneinfo import ZoneInfo

            rep = s.get(CrmUser, args.rep)
            tz = org_timezone(s, rep.org_id, settings) if rep else settings.default_timezone
            day = dt.datetime.now(ZoneInfo(tz)).date()
        report = rep_plan_report(s, settings, args.rep, day)
    if report is None:
        print(f"no rep {args.rep}", file=sys.stderr)
        return 1
    print(json.dumps(report, ensure_ascii=False, indent=2) if args.json else render(report))
    return 0


def add_plan_command(subparsers: Any) -> None:
    p = subparsers.add_parser("plan", help="a rep's daily must-do plan: item states, reasons, completion rate")
    p.add_argument("--rep", type=int, required=True)
    p.add_argument("--date", help="the plan's local day, e.g. 2026-03-02 (default: today in the org's timezone)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_plan)
