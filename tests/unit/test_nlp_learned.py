"""The learned classifiers: features, the linear model, how a model joins the rules, the shipped weights."""

from __future__ import annotations

import datetime as dt
import hashlib
import math
from pathlib import Path

import pytest

from nlp import analyze as analyze_mod
from nlp.analyze import Utterance, analyze
from nlp.commitments import Commitment
from nlp.learned import (LinearModel, in_clause_kinds, load, need_features, normalise, objection_features, save,
                         text_features)
from nlp.money import Money
from nlp.needs import NeedStatement
from nlp.objections import Objection
from nlp.text import clauses

REPO = Path(__file__).resolve().parents[2]


def test_normalise_drops_spaces_and_fillers_and_folds_digits() -> None:
    assert normalise("嗯 交期 能 保证 吗？ 上次 晚了 15 天") == "交期能保证吗?上次晚了0天"
    assert normalise("价格，还行。") == "价格|还行|"


def test_a_homophone_shares_the_pinyin_features_of_the_word() -> None:
    said, meant = set(text_features("交其太长")), set(text_features("交期太长"))
    assert "交期" in meant and "交期" not in said
    assert "p:jiao_qi" in said and "p:jiao_qi" in meant
    assert "p:qi_tai" in said & meant


def _toy(labels=("price", "delivery", "service", "other"), keep=0.3, add=0.8) -> LinearModel:
    # 贵 pushes price to ~0.95; 晚 pushes delivery to ~0.95; everything starts at ~0.05.
    w = {"贵": (6.0, 0.0, 0.0, 0.0), "晚": (0.0, 6.0, 0.0, 0.0)}
    return LinearModel("toy", labels, w, (-3.0, -3.0, -3.0, -3.0), keep, add)


def test_probabilities_are_the_logistic_of_the_summed_weights() -> None:
    p = _toy().probabilities(objection_features("太贵了"))
    assert p["price"] == pytest.approx(1 / (1 + math.exp(-3.0)))
    assert p["delivery"] == pytest.approx(1 / (1 + math.exp(3.0)))
    # A feature counts once however often it occurs.
    assert _toy().probabilities(["贵", "贵"])["price"] == pytest.approx(p["price"])


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    model = _toy()
    save(model, tmp_path / "toy.json.gz")
    back = load("toy", tmp_path)
    assert back == model and back.keep == 0.3 and back.add == 0.8
    assert load("absent", tmp_path) is None


def test_the_model_adds_an_objection_the_rules_missed_and_points_at_its_clause() -> None:
    text = "这个我们看了，上回到货晚了"
    out = analyze_mod._judge_objections(_toy(), text, "customer", "r1", clauses(text), [])
    assert [(o.type, o.text, o.phrase) for o in out] == [("delivery", "上回到货晚了", "")]


def test_a_label_may_need_more_certainty_than_the_others(tmp_path: Path) -> None:
    # delivery at ~0.95 is added under the shared 0.8, not under its own 0.99; the threshold survives a save.
    strict = LinearModel("toy", ("price", "delivery", "service", "other"), _toy().weights, _toy().bias, 0.3, 0.8,
                         adds={"delivery": 0.99})
    save(strict, tmp_path / "strict.json.gz")
    back = load("strict", tmp_path)
    assert back.add_for("delivery") == 0.99 and back.add_for("price") == 0.8
    text = "这个我们看了，上回到货晚了"
    assert analyze_mod._judge_objections(back, text, "customer", "r1", clauses(text), []) == []
    assert [o.type for o in analyze_mod._judge_objections(_toy(), text, "customer", "r1", clauses(text), [])] == \
        ["delivery"]


def test_the_model_drops_a_rule_objection_it_finds_unlikely_and_keeps_a_likely_one() -> None:
    text = "价格太贵了"
    found = [Objection("service", text, "customer"), Objection("price", text, "customer")]
    out = analyze_mod._judge_objections(_toy(), text, "customer", None, clauses(text), found)
    assert [o.type for o in out] == ["price"]


def test_reps_and_unknown_speakers_are_left_to_the_rules() -> None:
    text = "上回到货晚了"
    found = [Objection("service", text, "unknown")]
    assert analyze_mod._judge_objections(_toy(), text, "unknown", None, clauses(text), found) == found
    assert analyze_mod._judge_objections(_toy(), text, "rep", None, clauses(text), []) == []


def test_needs_judged_by_clause() -> None:
    model = LinearModel("needs", ("need",), {"得有": (6.0,), "天气": (-6.0,)}, (0.0,), keep=0.3, add=0.9)
    text = "今天天气好，关键是得有售后，我们要三台"
    found = [NeedStatement("今天天气好", "customer"), NeedStatement("我们要三台", "customer")]
    out = analyze_mod._judge_needs(model, "customer", None, clauses(text), found)
    # 天气 sinks the first; 我们要三台 stays (p 0.5 ≥ keep); 得有 adds its clause.
    assert [n.text for n in out] == ["我们要三台", "关键是得有售后"]
    assert out[1].cue == "model"


def test_a_need_clause_is_read_with_the_money_and_dates_the_rules_found_in_it() -> None:
    budget = Money("二三十万", "customer", "budget", None, None, None, 4, 8, 200000.0, 300000.0)
    date = Commitment("三月二十日前", "customer", "expected", dt.date(2026, 3, 20), None, None)
    assert in_clause_kinds("预算大概二三十万", [budget], [date]) == (("budget",), ())
    assert in_clause_kinds("希望三月二十日前交付", [budget], [date]) == ((), ("expected",))
    assert {"$:budget"} <= set(need_features("预算大概二三十万", money=("budget",)))
    assert {"D:expected"} <= set(need_features("希望三月二十日前交付", dates=("expected",)))
    # A budget clause the model has learned to doubt is dropped; the same words without the budget stay.
    model = LinearModel("needs", ("need",), {"$:budget": (-6.0,)}, (0.0,), keep=0.3, add=0.9)
    text = "预算大概二三十万"
    found = [NeedStatement(text, "customer")]
    assert analyze_mod._judge_needs(model, "customer", None, clauses(text), found, [budget]) == []
    assert analyze_mod._judge_needs(model, "customer", None, clauses(text), found) == found


def test_money_kind_changed_only_where_the_model_is_sure_and_ratios_kept() -> None:
    labels = ("price", "quote", "discount", "budget", "none")
    model = LinearModel("money", labels, {"L:预算": (0, 0, 0, 8.0, 0), "R:个档": (0, 0, 0, 0, 8.0)},
                        (-2.0, -2.0, -2.0, -2.0, -2.0), add=0.9)
    text = "预算三十万，我们那边一共开了十一个档口，九五折"
    at = {w: (text.index(w), text.index(w) + len(w)) for w in ("三十万", "十一", "九五折")}
    a = Money("三十万", "customer", "quote", 300000.0, None, start=at["三十万"][0], end=at["三十万"][1])
    b = Money("十", "customer", "price", 10.0, None, start=at["十一"][0], end=at["十一"][0] + 1)
    c = Money("九五折", "customer", "discount", None, 0.95, start=at["九五折"][0], end=at["九五折"][1])
    out = analyze_mod._judge_money(model, text, "customer", [a, b, c])
    assert [(m.phrase, m.kind) for m in out] == [("三十万", "budget"), ("九五折", "discount")]


def test_analyze_without_models_is_the_rules_alone() -> None:
    u = [Utterance("交期能保证吗？上次晚了半个月", "customer")]
    on = dt.date(2026, 6, 1)
    assert [o.type for o in analyze(u, on=on, models=False).objections] == ["delivery"]
    assert [o.type for o in analyze(u, on=on).objections] == ["delivery"]


@pytest.mark.parametrize("name,labels", [("objections", ("price", "delivery", "service", "other")),
                                         ("needs", ("need",)),
                                         ("money", ("price", "quote", "discount", "budget", "none"))])
def test_shipped_models_follow_from_the_current_training_data(name: str, labels: tuple[str, ...]) -> None:
    model = load(name)
    assert model is not None, f"nlp/models/{name}.json.gz missing: run python -m bench.train_nlp"
    assert model.labels == labels and len(model.weights) > 500
    assert 0.0 <= model.keep <= model.add <= 1.01
    data = REPO / "bench" / "data"
    digests = model.meta["trained_on"]
    from bench.nlp_eval import COMPLAINTS_HELD_OUT, HELD_OUT

    held_out = {p.name for p in HELD_OUT} | ({COMPLAINTS_HELD_OUT.name} if COMPLAINTS_HELD_OUT else set())
    assert held_out and not held_out & set(digests)  # the models never read a held-out set
    for file, digest in digests.items():
        now = hashlib.sha256((data / file).read_bytes()).hexdigest()[:16]
        assert now == digest, f"{file} changed since the models were trained: run python -m bench.train_nlp"


def test_a_batch_scored_from_hashes_matches_the_feature_strings() -> None:
    # score() reads many queries at once from polynomial hashes grown in numpy; probabilities() reads
    # the spelled-out strings one query at a time. Both must give every shipped model the same numbers.
    from nlp.learned import commitment_query, money_query, need_query, objection_query
    texts = ["交期能保证吗？上次晚了半个月", "预算大概二三十万，最好下个月能装好", "嗯 你们 15 号 之前 能 到 吗", "别家才卖八万",
             "我们 王总 说 价格 还得 再谈", "ABC型号的 3.5 折？", ""]
    cases = {
        "objections": [objection_query(t, ["price"], ["quote"]) for t in texts],
        "needs": [need_query(t, texts[i - 1], bool(i % 2), ["budget"], ["expected"]) for i, t in enumerate(texts)],
        "money": [money_query(t, 2, 5, "customer", "台", True, 2e5, "budget") for t in texts],
        "commitments": [commitment_query(t, 1, 4, "rep", False, "promised") for t in texts],
    }
    for name, queries in cases.items():
        model = load(name)
        assert model is not None, name
        batch = model.score(queries)
        assert batch.shape == (len(queries), len(model.labels))
        for row, q in zip(batch, queries):
            p = model.probabilities(q.features())
            assert row.tolist() == pytest.approx([p[label] for label in model.labels], abs=1e-12), (name, q)
        # a batch of one or two is scored from the strings: the same numbers
        assert model.score(queries[:1])[0].tolist() == pytest.approx(batch[0].tolist(), abs=1e-12)

    # all four models read together in one pass (salted hashes in one table): each model's own numbers
    import numpy as np
    from nlp.learned import score_together
    models = [load(name) for name in cases]
    together = score_together([(m, cases[m.name]) for m in models] + [(models[0], [])])
    assert len(together) == len(models) + 1 and together[-1].shape == (0, len(models[0].labels))
    for m, probs in zip(models, together):
        assert np.allclose(probs, m.score(cases[m.name]), rtol=0, atol=1e-12), m.name


def test_a_salted_hash_is_the_hash_of_the_salted_string() -> None:
    import numpy as np
    from nlp.learned import _salted, feature_hash
    features = ["交期", "K:price", "p:jiao_qi", "L:^上次", "x"]
    plain = np.array([feature_hash(f) for f in features], dtype=np.uint64)
    assert _salted(plain, [len(f) for f in features], "needs\x1f").tolist() == \
        [feature_hash("needs\x1f" + f) for f in features]


def test_the_hash_of_a_feature_is_the_hash_score_grows_for_it() -> None:
    from nlp.learned import Query, feature_hash, _hashes
    q, h = _hashes([Query((("交期", "L:", True, True),), ("S:customer",))])
    expected = {feature_hash(f) for f in Query((("交期", "L:", True, True),), ("S:customer",)).features()}
    assert set(h.tolist()) == expected and set(q.tolist()) == {0}


def test_two_features_with_one_hash_are_refused() -> None:
    from nlp.learned import Query, feature_hash
    m = LinearModel("dup", ("a",), {"x": (1.0,), "y": (1.0,)}, (0.0,))
    h = feature_hash("x")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("nlp.learned.feature_hash", lambda f: h)
        with pytest.raises(ValueError, match="share a hash"):
            m.score([Query((("x",  "", True, True),))] * 3)
