"""The worked example of docs/contract.md (CQI) through the real pipeline: rows in, analysis, CQI out."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from models import ApAnalysis, ApCommitment, ApCqi, ApJob, ApMention, ApNeed, ApSuggestion
from queues.broker import connect
from queues.publisher import Publisher
from queues.topology import Topology
from scoring.periods import custom
from workers.app import make_worker
from workers.handlers.score import cqi_config, store_cqi
from workers.scoring_data import customer_facts
from workers.worked_example import seed


@pytest.mark.timeout(240)
def test_worked_example_through_the_pipeline(backend, sessions):
    customer_id, jobs = seed(sessions, "zj-hardware")
    conn = connect(backend.broker_url)
    topology = Topology(backend.queue_prefix)
    pub = Publisher(conn, topology)
    events = topology.event_queue("test-cqi", "cqi.updated", "suggestion.updated")(conn.channel())
    events.declare()
    for job in jobs:
        pub.publish_job(job)
    stats = make_worker(backend, ["analyze", "score"]).run(until_idle=2, max_seconds=200)
    assert stats["failed"] == 0 and stats["rejected"] == 0
    assert stats["done"] >= len(jobs) + 1  # the analyses, then at least one customer.changed

    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(ApAnalysis)) == 8
        # Every analysis published customer.changed, and the score worker ran them.
        changed = s.scalars(select(ApJob).where(ApJob.schema == "customer.changed/1")).all()
        assert len(changed) == 8 and {j.status for j in changed} == {"done"}
        needs = s.scalars(select(ApNeed.text).order_by(ApNeed.id)).all()
        assert "我们需要兼容新国标的型号" in needs and not any("发票" in n for n in needs)
        promised = s.scalars(select(ApCommitment).where(ApCommitment.kind == "promised")).all()
        assert [(c.date.isoformat(), c.speaker) for c in promised] == [("2026-03-25", "rep")]
        facts = customer_facts(s, customer_id, "Asia/Shanghai")
        march = custom(dt.date(2026, 3, 1), dt.date(2026, 3, 31), "2026-03")
        row, result = store_cqi(s, facts, march, cqi_config(backend), dt.datetime.now(dt.timezone.utc))
        s.commit()
        why = "\n".join(result.explain())
        assert result.depth.value == pytest.approx(0.750), why
        assert result.anchoring.value == pytest.approx(0.625), why
        assert result.rhythm.value == pytest.approx(13 / 18, abs=1e-3), why
        assert row.cqi == pytest.approx(69.9), why
        assert (row.depth_healthy, row.anchoring_healthy, row.rhythm_healthy) == (False, False, False)
        assert row.open_expectations == 1
        assert row.details["open_expectations"][0]["expected_date"] == "2026-03-31"
        reached = {m.role for m in s.scalars(select(ApMention).where(ApMention.took_part.is_(True)))}
        assert "finance" not in reached
        # customer.changed also refreshed the rolling and weekly CQI and the suggestions.
        assert s.scalar(select(func.count()).select_from(ApCqi).where(ApCqi.period_kind == "rolling")) == 1
        suggestion = s.scalar(select(ApSuggestion).where(ApSuggestion.customer_id == customer_id,
                                                         ApSuggestion.action_type == "上门拜访"))
        assert suggestion is not None and suggestion.body["keywords"]
        # Need words come only from the customer's need statements (touch 8: 月底前一定要装好), never
        # from the rep's words or an errand (touch 7: 发票抬头改一下).
        words = {k["word"] for k in suggestion.body["keywords"]}
        assert "装好" in words and not words & {"发票", "抬头", "收到", "样品", "寄出"}
        assert suggestion.body["quote_range"]["min_yuan"] == 118000
        assert any(i["product"] == "节能电机" and i["quantity"] == 42 for i in suggestion.body["inventory"])
        assert s.scalar(select(func.count()).select_from(ApJob).where(ApJob.status != "done")) == 0

    got = []
    while (m := events.get(no_ack=True, accept=["application/json"])) is not None:
        got.append((m.delivery_info["routing_key"], json.loads(m.body)))
    conn.release()
    assert any(k == "cqi.updated" and b["customer_id"] == customer_id for k, b in got)
    assert any(k == "suggestion.updated" and b["action_type"] == "报价" for k, b in got)
