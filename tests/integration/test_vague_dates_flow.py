"""Vague dates through the analyze worker on both backends: stored as vague, left out of rhythm
match (no rep is held to 年前), shown in the suggestion without moving the next touch."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from models import ApCommitment
from scoring.suggest import build_suggestion
from tests.integration.test_money_flow import analysed
from tests.support import seed_world
from workers.scoring_data import customer_facts, suggestion_inputs


def test_a_vague_promise_is_stored_shown_and_never_scored(backend, sessions):
    world = seed_world(sessions, backend)
    tr, _ = analysed(backend, sessions, world, [("customer", "下周五前要到货"), ("rep", "好的这两天就给您送过去")])
    with sessions() as s:
        rows = {c.kind: c for c in s.scalars(select(ApCommitment).where(ApCommitment.source_id == tr))}
        assert rows["expected"].vague is False and rows["promised"].vague is True
        facts = customer_facts(s, world.customer_id, "Asia/Shanghai")
        assert [c.kind for c in facts.commitments] == ["expected"]  # the vague promise is no pair for rhythm match
        now = dt.datetime.now(dt.timezone.utc)
        inputs = suggestion_inputs(s, world.customer_id, facts.tz, now.date())
    hint = build_suggestion("上门拜访", now=now, **inputs).to_json()["open_commitments"]
    assert [(h["text"], h["vague"]) for h in hint] == [("这两天", True)]


def test_the_recording_summary_is_stored_and_shown_with_the_job(backend, sessions):
    from models import ApAnalysis, ApJob
    from workers.ops import job_detail

    world = seed_world(sessions, backend)
    tr, job = analysed(backend, sessions, world, [("customer", "我们需要二十台节能电机，月底前一定要装好")])
    with sessions() as s:
        summary = s.scalar(select(ApAnalysis.summary).where(ApAnalysis.source_id == tr))
        assert summary.startswith("需求：我们需要二十台节能电机") and "客户期望" in summary
        assert s.get(ApJob, job).result["summary"] == summary
        # The transcribe job of the recording shows it too (its result names the transcript).
        s.add(ApJob(job_id="transcribe-x", org_id=world.org_id, schema="recording.submitted/1", queue="transcribe",
                    status="done", attempts=1, payload={}, result={"transcript_id": tr},
                    received_at=dt.datetime.now(dt.timezone.utc), updated_at=dt.datetime.now(dt.timezone.utc)))
        s.commit()
    assert job_detail(sessions, "transcribe-x")["summary"] == summary
