"""CQI (docs/contract.md, analysis semantics): the worked example, the part semantics, and properties."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from scoring.cqi import (
    Commitment, CqiConfig, Reach, Touch, compute_cqi, pair_commitments, rhythm_match,
)
from scoring.periods import custom, iso_week, parse_iso_week, rolling_30_days

MARCH = custom(dt.date(2026, 3, 1), dt.date(2026, 3, 31), "2026-03")
TARGET = {"decision_maker", "procurement", "technical", "finance"}


def d(day: int) -> dt.date:
    return dt.date(2026, 3, day)


def worked_example():
    """The Zhejiang hardware-parts distributor, March 2026 (the worked example of docs/contract.md)."""
    touches = [
        Touch("action:1", d(2), has_content=True, source_ids=("action:1", "transcript:1"), need_ids=("need:1",)),
        Touch("action:2", d(4), has_content=True, source_ids=("action:2", "transcript:2"), need_ids=("need:2",)),
        Touch("messages:2026-03-05", d(5), has_content=True, source_ids=("message:3",), need_ids=("need:3",)),
        Touch("action:4", d(9), has_content=True, source_ids=("action:4", "transcript:4")),
        Touch("action:5", d(11), has_content=True, source_ids=("action:5", "transcript:5"), need_ids=("need:5",)),
        Touch("action:6", d(16), has_content=True, source_ids=("action:6", "transcript:6")),
        Touch("messages:2026-03-18", d(18), has_content=True, source_ids=("message:7",)),
        Touch("action:8", d(20), has_content=True, source_ids=("action:8", "transcript:8"), need_ids=("need:8",)),
    ]
    reaches = [
        Reach("procurement", "action:1", "call_log:1", "李经理"),
        Reach("decision_maker", "action:2", "mention:21", "王总"),
        Reach("technical", "messages:2026-03-05", "message:3", "张工"),
        Reach("procurement", "action:4", "call_log:4", "李经理"),
        Reach("technical", "action:5", "mention:51", "张工"),
        Reach("procurement", "action:6", "call_log:6", "李经理"),
        Reach("procurement", "messages:2026-03-18", "message:7", "李经理"),
        Reach("procurement", "action:8", "call_log:8", "李经理"),
    ]
    commitments = [
        Commitment("expected", d(20), d(2), "commitment:1"),   # 我们希望三月二十日前交付第一批货
        Commitment("promised", d(25), d(2), "commitment:2"),   # 我们预计三月二十五号能到
        Commitment("expected", d(31), d(20), "commitment:3"),  # 月底前一定要装好
    ]
    return touches, reaches, commitments


def test_contract_worked_example():
    touches, reaches, commitments = worked_example()
    r = compute_cqi(MARCH, touches, TARGET, reaches, commitments)
    assert round(r.depth.value, 3) == 0.750
    assert round(r.anchoring.value, 3) == 0.625
    assert round(r.rhythm.value, 3) == 0.722
    assert r.composite_display == 69.9
    assert r.healthy == {"depth": False, "anchoring": False, "rhythm": False}
    assert r.missing == ()
    assert [e.ref for e in r.open_expectations] == ["commitment:3"]
    (pair,) = r.pairs
    assert (pair.expected_ref, pair.promise_ref, pair.cycle_days, pair.gap_days) == ("commitment:1", "commitment:2", 18, 5)
    # Why is it 69.9? Every figure names its inputs.
    assert sorted(r.reached) == ["decision_maker", "procurement", "technical"]
    assert r.depth.numerator == 3 and r.depth.denominator == 4
    assert r.anchoring.ids == ("action:1", "action:2", "messages:2026-03-05", "action:5", "action:8")
    doc = r.to_json()
    json.dumps(doc, ensure_ascii=False)  # JSON-safe as it is
    assert doc["cqi"] == 69.9 and doc["parts"]["rhythm"]["ids"] == ["commitment:1", "commitment:2"]
    assert doc["open_expectations"][0]["expected_date"] == "2026-03-31"
    text = "\n".join(r.explain())
    assert "finance" in text and "69.9" in text and "commitment:3" in text and "call_log:1" in text


def test_absolute_mode_and_weights():
    touches, reaches, commitments = worked_example()
    late = [Commitment("expected", d(20), d(2), "e"), Commitment("promised", d(15), d(3), "p")]
    assert compute_cqi(MARCH, touches, TARGET, reaches, late).rhythm.value == 1.0
    r = compute_cqi(MARCH, touches, TARGET, reaches, late, CqiConfig(rhythm_mode="absolute"))
    assert r.rhythm.value == pytest.approx(1 - 5 / 18)
    r = compute_cqi(MARCH, touches, TARGET, reaches, commitments, CqiConfig(weights={"depth": 2, "rhythm": 0}))
    assert r.composite == pytest.approx(100 * (2 * 0.75 + 0.625) / 3)
    with pytest.raises(ValueError):
        CqiConfig(rhythm_mode="literal")
    with pytest.raises(ValueError):
        CqiConfig(weights={"speed": 1})


def test_missing_parts_are_left_out_and_flagged():
    touches = [Touch("a", d(3), has_content=False)]
    r = compute_cqi(MARCH, touches, set(), [], [])
    assert r.missing == ("depth", "anchoring", "rhythm") and r.composite is None
    assert r.healthy == {"depth": None, "anchoring": None, "rhythm": None}
    r = compute_cqi(MARCH, [Touch("a", d(3), has_content=True, has_need=True)], {"procurement"},
                    [Reach("procurement", "a")], [Commitment("expected", d(20), d(3), "e")])
    assert r.missing == ("rhythm",) and r.composite == 100.0
    assert r.rhythm.missing_reason == "no expectation paired with a promise"
    assert "left out: rhythm" in r.explain()[-1] or any("left out: rhythm" in line for line in r.explain())


def test_reaches_outside_period_or_target_are_ignored_with_reason():
    touches = [Touch("in", d(3), True), Touch("old", dt.date(2026, 2, 27), True)]
    reaches = [Reach("finance", "old", 1), Reach("user", "in", 2), Reach("finance", "ghost", 3), Reach("finance", "in", 4)]
    r = compute_cqi(MARCH, touches, {"finance", "procurement"}, reaches, [])
    assert r.depth.value == 0.5 and [t.key for t in r.touches] == ["in"]
    assert sorted(i["reason"] for i in r.ignored) == ["role not in the target chain", "touch outside the period",
                                                      "unknown touch"]


def test_pairing_rules():
    e = Commitment("expected", d(20), d(5), "e")
    before = Commitment("promised", d(18), d(4), "before")  # made before S: not about it
    p1 = Commitment("promised", d(25), d(6), "p1")
    p2 = Commitment("promised", d(22), d(9), "p2")  # latest made wins
    after_end = Commitment("promised", d(20), dt.date(2026, 4, 2), "after")
    pairs, open_ = pair_commitments(MARCH, [e, before, p1, p2, after_end])
    assert [(a.ref, b.ref) for a, b in pairs] == [("e", "p2")] and open_ == []
    # Topics: a promise about something else does not pair.
    e_t = Commitment("expected", d(20), d(5), "e", topic="安装")
    pairs, open_ = pair_commitments(MARCH, [e_t, Commitment("promised", d(21), d(6), "p", topic="交付")])
    assert pairs == [] and [x.ref for x in open_] == ["e"]
    # Same day: with seq, a promise said before the expectation does not pair with it.
    e_s = Commitment("expected", d(20), d(5), "e", seq=200)
    pairs, _ = pair_commitments(MARCH, [Commitment("promised", d(21), d(5), "early", seq=100), e_s])
    assert pairs == []
    # Expectations stated outside the period are not this period's.
    assert pair_commitments(MARCH, [Commitment("expected", d(2), dt.date(2026, 2, 20), "feb")]) == ([], [])


def test_rhythm_cycle_has_a_floor_of_one_day():
    assert rhythm_match(d(5), d(5), d(5)) == (1.0, 0, 1)
    assert rhythm_match(d(5), d(5), d(6)) == (0.0, 1, 1)
    assert rhythm_match(d(5), d(9), d(5))[2] == 1  # E before S


def test_periods():
    p = rolling_30_days(dt.date(2026, 3, 31))
    assert (p.start, p.end, p.days, p.label) == (d(2), d(31), 30, "R30:2026-03-31")
    w = iso_week(d(18))
    assert (w.start, w.end, w.label) == (d(16), d(22), "2026-W12")
    assert parse_iso_week("2026-W12") == w
    assert iso_week(dt.date(2027, 1, 1)).label == "2026-W53"
    with pytest.raises(ValueError):
        parse_iso_week("2026-12")


# ---- properties --------------------------------------------------------------------------------
ROLES = ["decision_maker", "procurement", "technical", "finance", "user", "approver", "other"]
days = st.integers(min_value=0, max_value=30).map(lambda i: d(1) + dt.timedelta(days=i))


@st.composite
def scenarios(draw):
    n = draw(st.integers(0, 8))
    touches = [Touch(f"t{i}", draw(days), draw(st.booleans()), draw(st.booleans())) for i in range(n)]
    target = set(draw(st.lists(st.sampled_from(ROLES), max_size=5)))
    reaches = [Reach(draw(st.sampled_from(ROLES)), f"t{draw(st.integers(0, max(0, n - 1)))}", i)
               for i in range(draw(st.integers(0, 6)))] if n else []
    commitments = []
    for i in range(draw(st.integers(0, 6))):
        stated = draw(days)
        commitments.append(Commitment(draw(st.sampled_from(["expected", "promised", "other"])),
                                      stated + dt.timedelta(days=draw(st.integers(-3, 40))), stated, f"c{i}"))
    mode = draw(st.sampled_from(["late_only", "absolute"]))
    return touches, target, reaches, commitments, CqiConfig(rhythm_mode=mode)


FAST = settings(max_examples=150, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(scenarios())
def test_every_part_within_0_and_1(s):
    touches, target, reaches, commitments, config = s
    r = compute_cqi(MARCH, touches, target, reaches, commitments, config)
    for part in r.parts:
        assert part.value is None or 0.0 <= part.value <= 1.0
    assert r.composite is None or 0.0 <= r.composite <= 100.0
    for pair in r.pairs:
        assert 0.0 <= pair.match <= 1.0


@FAST
@given(scenarios(), st.sampled_from(ROLES))
def test_reaching_one_more_person_never_lowers_depth(s, role):
    touches, target, reaches, commitments, config = s
    if not touches:
        touches = [Touch("t0", d(1), True)]
    before = compute_cqi(MARCH, touches, target, reaches, commitments, config).depth.value
    after = compute_cqi(MARCH, touches, target, reaches + [Reach(role, touches[0].key, "new")], commitments,
                        config).depth.value
    assert (before is None and after is None) or after >= before


@FAST
@given(scenarios(), st.integers(1, 30), st.data())
def test_a_later_promise_never_raises_rhythm(s, shift, data):
    touches, target, reaches, commitments, _ = s
    config = CqiConfig()  # late_only, the default
    promises = [i for i, c in enumerate(commitments) if c.kind == "promised"]
    if not promises:
        return
    i = data.draw(st.sampled_from(promises))
    later = list(commitments)
    later[i] = Commitment("promised", commitments[i].date + dt.timedelta(days=shift), commitments[i].stated_on,
                          commitments[i].ref)
    before = compute_cqi(MARCH, touches, target, reaches, commitments, config).rhythm.value
    after = compute_cqi(MARCH, touches, target, reaches, later, config).rhythm.value
    assert (before is None) == (after is None)
    assert before is None or after <= before + 1e-12


def test_a_call_with_no_speech_attributed_to_the_customer_is_left_out_of_need_anchoring_and_said_so() -> None:
    week = MARCH
    day = d(3)
    touches = [Touch("action:1", day, has_content=True, has_need=True, attributed_share=1.0),
               Touch("action:2", day, has_content=True, attributed_share=0.9),  # customer heard, no need
               Touch("call:3", day, has_content=True, unattributed=True, attributed_share=0.0)]
    r = compute_cqi(week, touches, ["decision_maker"], [], [])
    assert (r.anchoring.numerator, r.anchoring.denominator) == (1, 2)
    left = [i for i in r.ignored if i.get("part") == "anchoring"]
    assert [i["touch_key"] for i in left] == ["call:3"] and left[0]["reason"] == "no speech attributed to the customer"
    assert any("leaves out call:3" in line for line in r.explain())
    assert r.to_json()["touches"][2]["unattributed"] is True
    # a need heard in it after all (e.g. typed in a message the same day) puts it back
    back = compute_cqi(week, [Touch("call:3", day, has_content=True, has_need=True, unattributed=True)],
                       ["decision_maker"], [], [])
    assert (back.anchoring.numerator, back.anchoring.denominator) == (1, 1)
