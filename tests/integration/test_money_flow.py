"""Money as people say it, through the real analyze worker on both backends, into the radar's
预算匹配度 inputs: a budget range stays a range, and a per-unit budget is compared only with a
quote of the same unit (never with the deal's total in crm_quotes).
"""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import select

from models import ApMoney, CrmQuote
from queues.publisher import job_message
from scoring.periods import iso_week
from scoring.radar import radar_axes
from tests.integration.test_speakers_flow import _publish, _run, _transcript
from tests.support import seed_world
from workers.scoring_data import customer_facts, radar_inputs


def analysed(backend, sessions, world, segments) -> tuple[int, str]:
    """A mono call's transcript seeded as the transcribe worker leaves it, then analysed for real: (id, job)."""
    tr = _transcript(sessions, world, segments)
    job = _publish(backend, job_message("transcript.ready/1", world.org_id, transcript_id=tr))
    _run(backend, "analyze")
    return tr, job


def _radar(sessions, backend, customer_id):
    # The week is the customer's local one: from 16:00 UTC on a Sunday, Shanghai is already in the next week.
    today = dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()
    with sessions() as s:
        facts = customer_facts(s, customer_id, "Asia/Shanghai")
        return radar_inputs(s, facts, iso_week(today), chain_reached=1)


def test_a_budget_range_against_the_latest_quote(backend, sessions):
    world = seed_world(sessions, backend)
    tr, _ = analysed(backend, sessions, world, [("customer", "我们今年这块预算大概二三十万"), ("rep", "整套报价二十六万，含安装")])
    with sessions() as s:
        rows = {m.kind: m for m in s.scalars(select(ApMoney).where(ApMoney.source_id == tr))}
        assert (rows["budget"].yuan, rows["budget"].yuan_low, rows["budget"].yuan_high) == (None, 200_000, 300_000)
        assert rows["quote"].yuan == 260_000 and rows["quote"].unit is None
    inputs = _radar(sessions, backend, world.customer_id)
    assert (inputs.budget_low_yuan, inputs.budget_high_yuan, inputs.unit) == (200_000, 300_000, None)
    # The spoken quote is the latest total (seed_world's crm_quotes rows, if any, are older).
    assert inputs.quote_yuan == 260_000 and inputs.source_ids["quote"] == (f"money:{rows['quote'].id}",)
    fit = next(c for c in radar_axes(inputs).components["budget_match"] if c.name == "price_fit")
    assert fit.value == 1.0


def test_a_per_unit_budget_is_never_compared_with_a_total(backend, sessions):
    world = seed_world(sessions, backend)
    with sessions() as s, s.begin():
        s.add(CrmQuote(customer_id=world.customer_id, product="钢材", amount_yuan=380_000,
                       quoted_at=dt.datetime.now(dt.timezone.utc)))
    tr, _ = analysed(backend, sessions, world, [("customer", "我们的预算每吨不超过四千")])
    inputs = _radar(sessions, backend, world.customer_id)
    assert (inputs.budget_low_yuan, inputs.unit) == (4_000, "吨")
    assert inputs.quote_yuan is None  # the 380 000 total is not a price per ton
    assert "budget_match.price_fit" in radar_axes(inputs).missing
    later, _ = analysed(backend, sessions, world, [("rep", "这批货一吨四千四")])
    inputs = _radar(sessions, backend, world.customer_id)
    assert inputs.quote_yuan == 4_400
    fit = next(c for c in radar_axes(inputs).components["budget_match"] if c.name == "price_fit")
    assert abs(fit.value - 4_000 / 4_400) < 1e-9


def test_the_bi_view_shows_ranges_and_units(backend, sessions):
    from sqlalchemy import text

    world = seed_world(sessions, backend)
    tr, _ = analysed(backend, sessions, world, [("customer", "预算大概二三十万"), ("rep", "一吨三万二")])
    with sessions() as s:
        rows = s.execute(text("SELECT kind, yuan, yuan_min, yuan_max, unit FROM v_money WHERE source_id = :t ORDER BY kind"),
                         {"t": tr}).all()
    assert [tuple(r) for r in rows] == [("budget", None, 200_000, 300_000, None), ("price", 32_000, 32_000, 32_000, "吨")]
