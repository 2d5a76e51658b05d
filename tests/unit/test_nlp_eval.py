"""The labelled evaluation data is well-formed, and the analysis still meets its targets on it.

bench/nlp_eval.py prints the full report; this guards against regressions in a second.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from bench.nlp_eval import TARGETS, load, prf, run, score_row
from nlp.packs import OBJECTION_TYPES, ROLE_CATEGORIES, available_industries

DATA = Path(__file__).resolve().parents[2] / "bench" / "data"
FILES = ("nlp_eval.jsonl", "nlp_holdout.jsonl", "nlp_holdout2.jsonl")


@pytest.mark.parametrize("name", FILES)
def test_labels_are_well_formed(name: str) -> None:
    rows = load(DATA / name)
    assert len({r["id"] for r in rows}) == len(rows)
    for r in rows:
        assert r["industry"] in available_industries() and r["speaker"] in ("rep", "customer", "unknown")
        dt.date.fromisoformat(r["date"])
        assert all(g["mention"] in r["text"] and g["role"] in ROLE_CATEGORIES for g in r["roles"]), r["id"]
        assert all(n in r["text"] for n in r["needs"]), r["id"]
        assert all(c["kind"] in ("expected", "promised", "other") and dt.date.fromisoformat(c["date"])
                   for c in r["commitments"]), r["id"]
        assert all(m["kind"] in ("budget", "quote", "price", "discount") and ("yuan" in m) != ("ratio" in m)
                   for m in r["money"]), r["id"]
        assert all(o in OBJECTION_TYPES for o in r["objections"]), r["id"]


def test_main_set_size_and_coverage() -> None:
    rows = load(DATA / "nlp_eval.jsonl")
    assert len(rows) >= 200
    assert len({r["industry"] for r in rows}) == 8
    assert {r["speaker"] for r in rows} == {"rep", "customer", "unknown"}


def test_targets_hold_on_the_main_set() -> None:
    totals: dict[str, list[int]] = {}
    for row in load(DATA / "nlp_eval.jsonl"):
        for field, (tp, missed, extra) in score_row(row, run(row)).items():
            acc = totals.setdefault(field, [0, 0, 0])
            acc[0] += tp
            acc[1] += len(missed)
            acc[2] += len(extra)
    for field, target in TARGETS.items():
        tp, fn, fp = totals[field]
        assert prf(tp, fn, fp)[2] >= target, field
