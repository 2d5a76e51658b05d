"""Dates held against a peer: JioNLP's time-parser test cases, each said as a customer sentence.

    .venv/bin/python -m bench.dates [--all]

bench/data/jionlp_cases.tsv holds 101 of the 427 cases of JioNLP's `test/test_time_parser.py`
(github dongrixinyu/JioNLP @783abc5, Apache-2.0; provenance in bench/data/jionlp_cases.md) that
name a future point or deadline a sales talk could hold. Each is said as `希望<case>交货` on the
case's base date (a missing month or day = 1) and analysed as the customer's words. The
project's answer is the commitment with the longest phrase (ties: the later one), and it agrees
only when it is the one commitment found (下周周六 read as 下周 plus 周六 is a defect); compared as
the case says: `day vs date` — JioNLP's day vs the commitment's `date`; `end vs window_end or
date` — JioNLP's last day vs `window_end` (else `date`); `start (open end) vs date` — JioNLP's
first day vs `date`. Where this project's documented convention differs on purpose
(CONVENTIONS below, docs/nlp.md "Dates"), a disagreement is counted as a convention, not a
defect. Printed: agreement per category, every disagreement, and extra commitments found.
"""
from __future__ import annotations

import argparse
import ast
import csv
import datetime as dt
import re
from collections import Counter
from pathlib import Path

from nlp.analyze import Utterance, analyze

DATA = Path(__file__).resolve().parent / "data" / "jionlp_cases.tsv"

# Cases where this project answers differently on purpose (docs/nlp.md, "Dates").
CONVENTIONS: dict[str, str] = {
    "8号晚上9点": "a bare day still ahead this month stays in this month (JioNLP's ret_future moves it to next month)",
    "1号晚上9点": "said on the 1st, the 1st is today (JioNLP's ret_future moves it to next month)",
    "10月8号": "a month without a year is this year's unless > 60 days past (JioNLP's ret_future: next year)",
    "8月初前": "前 before a window is the day before the window starts (07-31); JioNLP: the window's end",
    "明年初之前": "前 before a window is the day before it starts; JioNLP: the end of February",
    "明年6月之前": "前 before a window is the day before it starts (四月前 = 3-31)",
    "4周后": "N周后 is a day (the first day from then on); JioNLP: a blurred week, its end compared",
    "4个星期之后": "as 4周后",
    "明年初": "年初 is January; JioNLP: January–February",
    "明年年初": "年初 is January; JioNLP: January–February",
    "未来两个月": "未来 N 个月 ends N months on (08-14); JioNLP ends the day before",
    "未来2个月": "as 未来两个月",
    "十一": "a bare 十一 is not a date without 假期/前/后/长假 (十一个, 十一点)",
    "十个半月后": "a month-only base date; JioNLP blurs a month-wide window",
    "2025年前": "前 before a window is the day before it starts: 2025年前 = by 2024-12-31; JioNLP: the year's end",
    "二〇三五年前": "as 2025年前",
    "半年之后": "半年后 is six months on, a day (12-14); JioNLP: the first of the month",
    "半年后": "six months on from a month-only base (12-01); JioNLP blurs the month before",
}


def base_date(text: str) -> dt.date:
    """The case's base time as a day (a missing month or day = 1)."""
    m = re.search(r"\((\d{4})-(\d{2})-(\d{2})", text)
    if m:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    value = ast.literal_eval(text.strip())
    if isinstance(value, dict):
        return dt.date(value["year"], value.get("month", 1), value.get("day", 1))
    parts = list(value) + [1, 1]
    return dt.date(parts[0], parts[1], parts[2])


def expected(text: str) -> tuple[dt.date, dt.date | None]:
    """JioNLP's first and last day (None: open end)."""
    days = re.findall(r"\d{4}-\d{2}-\d{2}", text)
    start = dt.date.fromisoformat(days[0])
    end = dt.date.fromisoformat(days[1]) if len(days) > 1 else None
    return start, end


def answer(sentence: str, on: dt.date) -> tuple[object | None, int]:
    """The project's commitment for the sentence (longest phrase, then latest) and how many it found."""
    found = analyze([Utterance(sentence, "customer")], on=on, industry="manufacturing").commitments
    if not found:
        return None, 0
    best = max(found, key=lambda c: (len(c.phrase), c.window_end or c.date or dt.date.min))
    return best, len(found)


def compare(row: dict[str, str]) -> tuple[bool, str, int]:
    on = base_date(row["base"])
    start, end = expected(row["jionlp expected"])
    c, n = answer(row["sentence"], on)
    if c is None:
        return False, "(none)", 0
    got = f"{c.phrase}→{c.date} [{c.window_start}..{c.window_end}] {c.kind}"
    rule = row["compared"]
    if rule == "day vs date":
        return c.date == start, got, n
    if rule.startswith("end"):
        return (c.window_end or c.date) == end, got, n
    return c.date == start, got, n


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--all", action="store_true", help="print every case, not only disagreements")
    args = ap.parse_args(argv)
    rows = list(csv.DictReader(DATA.open(encoding="utf-8"), delimiter="\t"))
    totals: Counter[str] = Counter()
    per_category: dict[str, Counter[str]] = {}
    lines = []
    for row in rows:
        ok, got, n = compare(row)
        ok = ok and n == 1  # one date said, one commitment: a split (下周 + 周六) is a defect too
        verdict = "agree" if ok else "convention" if row["case"] in CONVENTIONS else "defect"
        totals[verdict] += 1
        per_category.setdefault(row["category"], Counter())[verdict] += 1
        if args.all or not ok or n > 1:
            extra = f"  (+{n - 1} more)" if n > 1 else ""
            why = f"  — {CONVENTIONS[row['case']]}" if verdict == "convention" else ""
            lines.append(f"  {verdict:<10} {row['case']:<28} JioNLP {row['jionlp expected']:<44} ours {got}{extra}{why}")
    print(f"== {len(rows)} JioNLP time-parser cases as `希望<case>交货` (bench/data/jionlp_cases.tsv) ==")
    print(f"{'category':<22} {'cases':>5} {'agree':>6} {'conv.':>6} {'defect':>7}")
    for cat, c in sorted(per_category.items()):
        print(f"{cat:<22} {sum(c.values()):>5} {c['agree']:>6} {c['convention']:>6} {c['defect']:>7}")
    print(f"{'all':<22} {len(rows):>5} {totals['agree']:>6} {totals['convention']:>6} {totals['defect']:>7}")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
