"""Train the learned classifiers of nlp/learned.py on the development sets and write nlp/models/.

    python -m bench.train_nlp            # train, print out-of-fold F1 (rules / model / both), write models
    python -m bench.train_nlp --check    # only print the cross-validated figures

Examples come from every development set (bench.nlp_eval.SETS + the training sets + the complaint
development texts); held-out sets are never read. Each model is a one-vs-rest logistic regression
over sparse binary features, fitted by full-batch Adam with an L2 penalty (numpy only, so the
product needs no learning library). The strength of the penalty and the two thresholds that join a
model with the rules (`keep`, `add`) are chosen on out-of-fold predictions (5 folds grouped by
call) of the sets the rules were never tuned on (FRESH): on the sets they were tuned on the rules
look near-perfect and would teach the wrong trust.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import sys
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.nlp_eval import COMPLAINT_INDUSTRY, DATA_DIR, SETS, load
from nlp.analyze import Utterance, analyze
from nlp.learned import (MODELS_DIR, LinearModel, commitment_features, in_clause_kinds, money_features,
                         need_features, objection_features, save)
from nlp.script import readable
from nlp.text import clauses, strip_punct

TRAIN = tuple(sorted(DATA_DIR.glob("nlp_train_*.jsonl")))
# The contract's worked example and the examples, labelled as the contract says: the spec
# defines these labels, so they weigh as CONTRACT_WEIGHT ordinary rows.
CONTRACT = DATA_DIR / "nlp_contract.jsonl"
CONTRACT_WEIGHT = 5.0
CALL_SETS = tuple(SETS) + TRAIN + (CONTRACT,)
COMPLAINT_SETS = (DATA_DIR / "complaints.jsonl", DATA_DIR / "complaints2.jsonl", DATA_DIR / "complaints3.jsonl",
                  DATA_DIR / "complaints_train.jsonl", DATA_DIR / "complaints_train2.jsonl",
                  DATA_DIR / "complaints4.jsonl", DATA_DIR / "complaints5.jsonl", DATA_DIR / "complaints6.jsonl",
                  DATA_DIR / "complaints_train3.jsonl", DATA_DIR / "complaints7.jsonl", DATA_DIR / "complaints8.jsonl",
                  DATA_DIR / "complaints9.jsonl")
# Never tuned on by the rules (holdout4 and complaints2 were scored once, at the end of round two,
# and then only their role-prefix misses were fixed; holdout5 and complaints3 at the end of round
# three, then a dozen money and date forms were fixed on holdout5): the rules' errors there are honest.
FRESH = frozenset(p.name for p in TRAIN) | {"complaints_train.jsonl", "nlp_holdout4.jsonl", "complaints2.jsonl",
                                            "nlp_holdout5.jsonl", "complaints3.jsonl", "complaints5.jsonl",
                                            "complaints6.jsonl", "complaints_train3.jsonl", "complaints7.jsonl",
                                            "complaints8.jsonl", "complaints9.jsonl"}
# complaints_train2 is not fresh: round five's objection rules were written on it; nor are holdout7 and
# complaints4, development data of round six, nor holdout8, development data of round seven.
# complaints5 (held out in round six) is: no rule was written on it; nor on complaints6 (held out in round
# seven) or complaints_train3, or complaints7, complaints8 and complaints9 (held out in rounds eight to ten).
# holdout9 is not: round eight's rules were written on it; nor holdout10, round nine's development data, nor
# holdout11, round ten's, nor holdout12, round eleven's, nor holdout13, round twelve's, nor holdout14, round
# thirteen's, nor holdout15, round fourteen's, nor holdout16, round fifteen's, nor holdout17, round sixteen's,
# nor holdout18, round seventeen's, nor holdout19, round eighteen's, nor holdout20, round nineteen's, nor holdout21,
# round twenty's, nor holdout22, round twenty-one's, nor holdout23, round twenty-two's, nor holdout24, round
# twenty-three's, nor holdout25, round twenty-four's, nor holdout26, round twenty-five's, nor holdout27, round
# twenty-six's, nor holdout28, round twenty-seven's, nor holdout29, round twenty-eight's, nor
# holdout30, round twenty-nine's, nor holdout31, round thirty's, nor holdout32, round thirty-one's, nor holdout33,
# round thirty-two's, nor holdout34, round thirty-three's, nor holdout35, round thirty-four's, nor holdout36, round
# thirty-five's.
OBJECTION_TYPES = ("price", "delivery", "service", "other")
MONEY_KINDS = ("price", "quote", "discount", "budget", "none")
COMMITMENT_KINDS = ("promised", "expected", "other", "none")
FOLDS = 5
L2_GRID = (3e-5, 1e-4, 3e-4, 1e-3)
PRECISION_SLACK = 0.05
GRID = tuple(round(x, 2) for x in np.arange(0.05, 0.96, 0.05))
KEEPS = (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5)  # below `keep` a rule's finding is dropped


@dataclass
class Example:
    features: tuple[str, ...]
    labels: frozenset[str]
    group: str
    fresh: bool
    rule: frozenset[str]    # what the rules alone said (objection types; "need"; the money kind)
    barred: frozenset[str] = frozenset()  # labels the model may not give (a rep never expects)
    weight: float = 1.0


# ---- examples -------------------------------------------------------------------------------------

def _calls(rows: list[dict]) -> list[list[dict]]:
    calls: dict[str, list[dict]] = defaultdict(list)
    for r in rows:
        calls[r.get("call") or r["id"]].append(r)
    return [sorted(t, key=lambda r: r.get("turn", 0)) for t in calls.values()]


def _overlap(a: str, b: str) -> bool:
    a, b = "".join(a.split()), "".join(b.split())
    return bool(a) and bool(b) and (a in b or b in a)


def _amount(m: dict) -> tuple:
    if "ratio" in m and m.get("ratio") is not None:
        return ("r", round(m["ratio"], 6))
    if m.get("yuan_low") is not None and m.get("yuan_high") is not None and m["yuan_low"] != m["yuan_high"]:
        return ("g", round(m["yuan_low"], 4), round(m["yuan_high"], 4))
    y = m.get("yuan") if m.get("yuan") is not None else m.get("yuan_low")
    return ("y", None if y is None else round(y, 4))


def examples() -> dict[str, list[Example]]:
    out: dict[str, list[Example]] = {"objections": [], "needs": [], "money": [], "commitments": []}
    for path in CALL_SETS:
        fresh = path.name in FRESH
        for turns in _calls(load(path)):
            a = analyze([Utterance(r["text"], r["speaker"], ref=r["id"]) for r in turns],
                        on=dt.date.fromisoformat(turns[0]["date"]), industry=turns[0]["industry"], models=False)
            group = f"{path.name}:{turns[0].get('call') or turns[0]['id']}"
            last: dict[str, tuple[str, ...]] = {}  # as analyze() keeps it
            for r in turns:
                text = readable(r["text"])  # as analyze() reads it: Traditional text in Simplified
                previous = next((v for k, v in reversed(last.items()) if k != r["speaker"]), ())
                last.pop(r["speaker"], None)
                last[r["speaker"]] = tuple(m.kind for m in a.money if m.ref == r["id"])
                if r["speaker"] == "customer":
                    said = frozenset(o.type for o in a.objections if o.ref == r["id"])
                    out["objections"].append(Example(objection_features(text, said, previous),
                                                     frozenset(r["objections"]), group, fresh, said))
                    parts = [strip_punct(c.text) for c in clauses(text)]
                    gold_needs = [readable(g) for g in r["needs"]]
                    rule_needs = [n.text for n in a.needs if n.ref == r["id"]]
                    said_money = [m for m in a.money if m.ref == r["id"]]
                    said_dates = [d for d in a.commitments if d.ref == r["id"]]
                    for i, c in enumerate(parts):
                        if not c:
                            continue
                        gold = any(_overlap(c, g) for g in gold_needs)
                        rule = any(_overlap(c, n) for n in rule_needs)
                        out["needs"].append(Example(need_features(c, parts[i - 1] if i else "", rule,
                                                                  *in_clause_kinds(c, said_money, said_dates)),
                                                    frozenset({"need"} if gold else ()), group, fresh,
                                                    frozenset({"need"} if rule else ())))
                gold_money = [dict(g) for g in r["money"]]
                for m in (m for m in a.money if m.ref == r["id"] and m.ratio is None):
                    key = _amount({"yuan": m.yuan, "yuan_low": m.yuan_low, "yuan_high": m.yuan_high})
                    hit = next((g for g in gold_money if _amount(g) == key), None)
                    if hit is not None:
                        gold_money.remove(hit)
                    ranged = m.yuan_low is not None and m.yuan_high is not None and m.yuan_low != m.yuan_high
                    feats = money_features(text, m.start, m.end, r["speaker"], m.unit, ranged,
                                           m.yuan if m.yuan is not None else m.yuan_low, m.kind)
                    out["money"].append(Example(feats, frozenset({hit["kind"] if hit else "none"}), group, fresh,
                                                frozenset({m.kind})))
                gold_dates = [dict(g) for g in r["commitments"]]
                for c in (c for c in a.commitments if c.ref == r["id"]):
                    start = text.find(c.phrase)
                    if start < 0 or c.vague:
                        continue
                    hit = next((g for g in gold_dates if g["date"] == c.date.isoformat()), None)
                    if hit is not None:
                        gold_dates.remove(hit)
                    feats = commitment_features(text, start, start + len(c.phrase), r["speaker"],
                                                c.date < dt.date.fromisoformat(r["date"]), c.kind)
                    barred = {"customer": {"promised"}, "rep": {"expected"}}.get(r["speaker"], set(COMMITMENT_KINDS))
                    out["commitments"].append(Example(feats, frozenset({hit["kind"] if hit else "none"}), group,
                                                      fresh, frozenset({c.kind}), frozenset(barred)))
    for rows in out.values():
        for e in rows:
            if e.group.startswith(CONTRACT.name + ":"):
                e.weight = CONTRACT_WEIGHT
    for path in COMPLAINT_SETS:
        if not path.exists():
            continue
        fresh = path.name in FRESH
        for r in load(path):
            a = analyze([Utterance(r["text"], "customer")], on=dt.date(2026, 6, 1), industry=COMPLAINT_INDUSTRY,
                        models=False)
            said = frozenset(o.type for o in a.objections)
            out["objections"].append(Example(objection_features(r["text"], said), frozenset(r["objections"]),
                                             f"{path.name}:{r['id']}", fresh, said))
    return out


# ---- the model --------------------------------------------------------------------------------------

def _matrix(rows: list[tuple[str, ...]], vocab: dict[str, int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Compressed rows: feature ids, the row owning each, and where each row starts. Feature 0 is a
    constant every row holds, so no row is empty."""
    indices, owner, starts = [], [], []
    for i, feats in enumerate(rows):
        ids = sorted({0} | {vocab[f] for f in feats if f in vocab})
        starts.append(len(indices))
        indices.extend(ids)
        owner.extend([i] * len(ids))
    return np.asarray(indices, dtype=np.int64), np.asarray(owner, dtype=np.int64), np.asarray(starts, dtype=np.int64)


def fit(train: list[Example], labels: tuple[str, ...], l2: float, epochs: int = 250,
        min_count: int = 2) -> LinearModel:
    counts: dict[str, int] = defaultdict(int)
    for e in train:
        for f in set(e.features):
            counts[f] += 1
    names = [""] + sorted(f for f, c in counts.items() if c >= min_count)
    vocab = {f: i for i, f in enumerate(names)}
    idx, own, starts = _matrix([e.features for e in train], vocab)
    d, k = len(names), len(labels)
    y = np.array([[1.0 if lab in e.labels else 0.0 for lab in labels] for e in train])
    weight = np.array([e.weight for e in train])[:, None] / sum(e.weight for e in train)
    w, b = np.zeros((d, k)), np.zeros(k)
    mw, vw, mb, vb = np.zeros_like(w), np.zeros_like(w), np.zeros(k), np.zeros(k)
    lr, b1, b2, eps = 0.05, 0.9, 0.999, 1e-8
    for t in range(1, epochs + 1):
        z = np.add.reduceat(w[idx], starts, axis=0)
        p = 1.0 / (1.0 + np.exp(-(z + b)))
        g = (p - y) * weight
        gw = np.stack([np.bincount(idx, weights=g[own, j], minlength=d) for j in range(k)], axis=1) + l2 * w
        gw[0] -= l2 * w[0]  # the constant is not penalised (it stands in for the bias with b)
        gb = g.sum(axis=0)
        mw = b1 * mw + (1 - b1) * gw
        vw = b2 * vw + (1 - b2) * gw * gw
        mb = b1 * mb + (1 - b1) * gb
        vb = b2 * vb + (1 - b2) * gb * gb
        w -= lr * (mw / (1 - b1 ** t)) / (np.sqrt(vw / (1 - b2 ** t)) + eps)
        b -= lr * (mb / (1 - b1 ** t)) / (np.sqrt(vb / (1 - b2 ** t)) + eps)
    weights = {f: tuple(round(float(x), 4) for x in w[i]) for f, i in vocab.items() if i and np.abs(w[i]).max() >= 1e-3}
    return LinearModel("", labels, weights, tuple(round(float(x), 4) for x in b + w[0]))


def _folds(data: list[Example]) -> list[int]:
    # From each group's own hash, not its rank among the groups: a new set then leaves every other
    # group in the fold it had, so out-of-fold figures of two rounds compare.
    return [int(hashlib.sha256(e.group.encode()).hexdigest(), 16) % FOLDS for e in data]


def out_of_fold(data: list[Example], labels: tuple[str, ...], l2: float) -> list[dict[str, float]]:
    folds = _folds(data)
    probs: list[dict[str, float] | None] = [None] * len(data)
    for k in range(FOLDS):
        model = fit([e for e, f in zip(data, folds) if f != k], labels, l2)
        for i, (e, f) in enumerate(zip(data, folds)):
            if f == k:
                probs[i] = model.probabilities(e.features)
    return probs  # type: ignore[return-value]


# ---- how a model joins the rules ---------------------------------------------------------------

def _decide(kind: str, e: Example, p: dict[str, float], keep: float, add: float,
            adds: dict[str, float] | None = None) -> set[str]:
    if kind in ("money", "commitments"):
        (rule,) = tuple(e.rule)
        allowed = [k for k in p if k not in e.barred]
        best = max(allowed, key=p.get) if allowed else rule
        return {best} if best != rule and (p[best] >= add or rule == "none") else {rule}
    said = {t for t in e.rule if p.get(t, 1.0) >= keep}
    return said | {t for t, v in p.items() if v >= (adds or {}).get(t, add) and t not in e.rule}


def _without_rules(e: Example, kind: str) -> Example:
    """The example as if the rules had said nothing (money: as if they had said "none")."""
    return Example(e.features, e.labels, e.group, e.fresh,
                   frozenset({"none"} if kind in ("money", "commitments") else ()), e.barred)


def f1(kind: str, data: list[Example], probs: list[dict[str, float]], keep: float, add: float) -> float:
    return scores(kind, data, probs, keep, add)[0]


def scores(kind: str, data: list[Example], probs: list[dict[str, float]], keep: float,
           add: float, adds: dict[str, float] | None = None) -> tuple[float, float]:
    """(F1, precision) of the joined decisions."""
    tp = fn = fp = 0
    for e, p in zip(data, probs):
        said = _decide(kind, e, p, keep, add, adds)
        gold = set(e.labels)
        if kind in ("money", "commitments"):  # one finding of the right kind counts once; "none" is nothing
            said -= {"none"}
            gold -= {"none"}
        tp += len(said & gold)
        fn += len(gold - said)
        fp += len(said - gold)
    return (2 * tp / (2 * tp + fn + fp), tp / (tp + fp)) if tp else (0.0, 0.0)


def choose(kind: str, data: list[Example], probs: list[dict[str, float]]) -> tuple[float, float, float]:
    """The (keep, add) pair with the best F1 on the fresh examples whose precision stays within
    PRECISION_SLACK of the rules' own (a manager trusts a finding before a count), and that F1."""
    fresh = [i for i, e in enumerate(data) if e.fresh] or list(range(len(data)))
    d, p = [data[i] for i in fresh], [probs[i] for i in fresh]
    spec = [i for i, e in enumerate(data) if e.group.startswith(CONTRACT.name + ":")]
    ds, ps = [data[i] for i in spec], [probs[i] for i in spec]
    base_f1, base_precision = scores(kind, d, p, 0.0, 1.01)
    spec_f1 = scores(kind, ds, ps, 0.0, 1.01)[0] if spec else 0.0
    best = (0.0, 1.01, base_f1)
    # A model may overrule the rules' own finding (keep > 0) only where that loses none of the
    # spec's examples (the contract's worked example and the cases, judged out of fold).
    for keep in KEEPS:
        for add in GRID + (1.01,):
            if add < keep:
                continue
            score, precision = scores(kind, d, p, keep, add)
            if score > best[2] + 1e-9 and precision >= base_precision - PRECISION_SLACK and (
                    keep == 0.0 or not spec or scores(kind, ds, ps, keep, add)[0] >= spec_f1 - 1e-9):
                best = (keep, add, score)
    return best


def choose_per_label(kind: str, data: list[Example], probs: list[dict[str, float]], labels: tuple[str, ...],
                     keep: float, add: float) -> tuple[dict[str, float], float]:
    """Each label's own `add` (objection types only), by coordinate ascent from the shared one on
    the same fresh out-of-fold predictions and under the same precision floor as choose()."""
    fresh = [i for i, e in enumerate(data) if e.fresh] or list(range(len(data)))
    d, p = [data[i] for i in fresh], [probs[i] for i in fresh]
    floor = scores(kind, d, p, 0.0, 1.01)[1] - PRECISION_SLACK
    adds = {label: add for label in labels}
    best = scores(kind, d, p, keep, add, adds)[0]
    for _ in range(2):
        for label in labels:
            for a in GRID + (1.01,):
                if a < keep:
                    continue
                trial = {**adds, label: a}
                score, precision = scores(kind, d, p, keep, add, trial)
                if score > best + 1e-9 and precision >= floor:
                    adds, best = trial, score
    return {k: float(v) for k, v in adds.items() if v != add}, best


def _digest(paths: tuple[Path, ...]) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()[:16] for p in paths if p.exists()}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="print the cross-validated figures, write nothing")
    ap.add_argument("--kind", choices=("objections", "needs", "money", "commitments"),
                    help="with --check: only this model")
    args = ap.parse_args(argv)
    data = examples()
    labels_of = {"objections": OBJECTION_TYPES, "needs": ("need",), "money": MONEY_KINDS,
                 "commitments": COMMITMENT_KINDS}
    print(f"training sets: {', '.join(p.name for p in CALL_SETS + COMPLAINT_SETS if p.exists())}")
    for kind, rows in data.items():
        if args.check and args.kind and kind != args.kind:
            continue
        labels = labels_of[kind]
        fresh = [e for e in rows if e.fresh]
        print(f"\n== {kind}: {len(rows)} examples ({len(fresh)} from sets the rules never saw)")
        best = None
        for l2 in L2_GRID:
            probs = out_of_fold(rows, labels, l2)
            keep, add, score = choose(kind, rows, probs)
            idx = [i for i, e in enumerate(rows) if e.fresh] or list(range(len(rows)))
            rules = f1(kind, [rows[i] for i in idx], [probs[i] for i in idx], 0.0, 1.01)
            model_only = f1(kind, [_without_rules(rows[i], kind) for i in idx], [probs[i] for i in idx], 1.01, 0.5)
            print(f"  l2={l2:g}: out-of-fold F1 on fresh sets — rules {rules:.3f}, model alone {model_only:.3f}, "
                  f"joined {score:.3f} (keep {keep:.2f}, add {add:.2f})")
            if best is None or score > best[3]:
                best = (l2, keep, add, score, rules, probs)
        l2, keep, add, score, rules, probs = best
        adds: dict[str, float] = {}
        if kind == "objections":
            adds, per_label = choose_per_label(kind, rows, probs, labels, keep, add)
            print(f"  per-type add at l2={l2:g}: {adds or 'none'} — joined {score:.3f} → {per_label:.3f}")
            score = per_label
            for path in COMPLAINT_SETS:  # real complaint text, out of fold: what the call sets hide
                idx = [i for i, e in enumerate(rows) if e.group.startswith(path.name + ":")]
                if idx:
                    d, p = [rows[i] for i in idx], [probs[i] for i in idx]
                    print(f"    {path.name}: rules {f1(kind, d, p, 0.0, 1.01):.3f}, "
                          f"joined {scores(kind, d, p, keep, add, adds)[0]:.3f}")
        if args.check:
            continue
        model = fit(rows, labels, l2)
        model = LinearModel(kind, labels, model.weights, model.bias, keep, add, adds=adds, meta={
            "l2": l2, "examples": len(rows), "oof_f1_fresh": {"rules": round(rules, 4), "joined": round(score, 4)},
            "trained_on": _digest(CALL_SETS + COMPLAINT_SETS)})
        MODELS_DIR.mkdir(exist_ok=True)
        save(model, MODELS_DIR / f"{kind}.json.gz")
        print(f"  wrote {MODELS_DIR.name}/{kind}.json.gz: {len(model.weights)} features, keep {keep:.2f}, add {add:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
