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
FILES = tuple(sorted(p.name for p in DATA.glob("nlp_*.jsonl")))  # development, training and held-out sets


def _amount_ok(m: dict) -> bool:
    """Exactly one of: a ratio (discounts), a point `yuan`, a range `yuan_low` < `yuan_high`."""
    shapes = [("ratio" in m), ("yuan" in m), ("yuan_low" in m and "yuan_high" in m)]
    if sum(shapes) != 1:
        return False
    return not shapes[2] or m["yuan_low"] < m["yuan_high"]


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
        assert all(m["kind"] in ("budget", "quote", "price", "discount") and _amount_ok(m)
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


@pytest.mark.parametrize("name", ("nlp_dev_calls.jsonl", "nlp_holdout3.jsonl", "nlp_holdout4.jsonl"))
def test_whole_call_sets_hold_whole_calls(name: str) -> None:
    rows = load(DATA / name)
    calls: dict[str, list[dict]] = {}
    for r in rows:
        calls.setdefault(r["call"], []).append(r)
    assert len(rows) >= 150 and len(calls) >= 24
    for call in calls.values():
        assert [r["turn"] for r in call] == list(range(1, len(call) + 1))
        assert len({r["date"] for r in call}) == 1 and len({r["industry"] for r in call}) == 1
        assert {r["speaker"] for r in call} == {"rep", "customer"}


@pytest.mark.parametrize("name", ("complaints.jsonl", "complaints2.jsonl"))
def test_real_complaint_texts_are_labelled_and_split(name: str) -> None:
    rows = load(DATA / name)
    assert len({r["id"] for r in rows}) == len(rows)
    assert all(r["split"] in ("dev", "holdout") and set(r["objections"]) <= set(OBJECTION_TYPES) for r in rows)
    for split in {r["split"] for r in rows}:  # complaints2 is one held-out batch
        chosen = [r for r in rows if r["split"] == split]
        assert len(chosen) >= 80 and any(not r["objections"] for r in chosen)
    assert len(rows) >= 100 and not ({r["text"] for r in rows} & _other_complaint_texts(name))


def _other_complaint_texts(name: str) -> set[str]:
    """The texts of the other complaint files: no text may be in two batches."""
    return {r["text"] for other in ("complaints.jsonl", "complaints2.jsonl") if other != name
            for r in load(DATA / other)}


def _norm(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def test_no_complaint_text_is_in_two_files_and_every_label_is_a_type() -> None:
    # complaints4 (held out) and complaints_train2 (training) come from one corpus: different splits,
    # and no text of one may equal, contain or sit inside a text of another file
    names = sorted(p.name for p in DATA.glob("complaints*.jsonl"))
    assert {"complaints4.jsonl", "complaints_train2.jsonl"} <= set(names)
    texts = {}
    for name in names:
        rows = load(DATA / name)
        assert len({r["id"] for r in rows}) == len(rows), name
        assert all(r["split"] in ("dev", "holdout", "train") and set(r["objections"]) <= set(OBJECTION_TYPES)
                   and list(r["objections"]) == sorted(r["objections"], key=OBJECTION_TYPES.index) for r in rows), name
        texts[name] = {_norm(r["text"]) for r in rows}
    held, train = texts["complaints4.jsonl"], texts["complaints_train2.jsonl"]
    assert not any(a in b or b in a for a in held for b in train if min(len(a), len(b)) >= 6)
    for a_name in names:
        for b_name in names:
            if a_name < b_name:
                assert not texts[a_name] & texts[b_name], (a_name, b_name)


def test_a_held_out_sets_errors_stay_hidden_however_it_is_named(capsys: pytest.CaptureFixture[str],
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from bench.nlp_eval import HELD_OUT, main

    monkeypatch.chdir(DATA.parents[1])
    for path in HELD_OUT:
        main(["--rules-only", "--no-speed", "--no-complaints", "--errors", "--data", f"bench/data/{path.name}"])
        out = capsys.readouterr().out
        assert path.name in out and "missed [" not in out


@pytest.mark.parametrize(
    ("gold", "said", "same"),
    [
        ("才务部 德 菊 毁级", "财务部 德 鞠会计", True),   # a word-spaced label, the name reported unspaced
        ("速动 车间 的 喻 主人", "车间 的 喻主任", True),
        ("林元长", "林院长", True),
        ("才务部 德 菊 毁级", "财务部 德 苏会计", False),   # another person
    ],
)
def test_a_mention_is_matched_by_sound_whatever_its_spaces(gold: str, said: str, same: bool) -> None:
    from bench.nlp_eval import _sounds_within

    assert _sounds_within(gold, said) is same
