"""The evidence fuzz corpus (tests/unit/test_evidence_fuzz_corpus.py: 181 broken, truncated,
bit-flipped and huge-header photos) re-run through a real verify worker: every action gets a
verdict, a damaged photo is named in a failed check, no job fails and the worker never dies."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from models import ApCheck, ApJob, ApVerdict
from queues.broker import connect
from queues.publisher import Publisher, job_message
from queues.topology import Topology
from tests.support import IDLE_S, seed_world
from tests.unit.test_evidence_fuzz_corpus import CORPUS
from workers.app import make_worker


@pytest.mark.timeout(600)
def test_every_corpus_photo_is_judged_by_the_worker(backend, sessions):
    world = seed_world(sessions, backend)
    actions: dict[int, tuple[str, bool]] = {}
    for i, (name, data, needs_reason) in enumerate(CORPUS):
        rel = f"photos/corpus/{i:03d}.img"
        path = backend.media_root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        actions[world.visit(sessions, photo_path=rel)] = (name, needs_reason)
    pub = Publisher(connect(backend.broker_url), Topology(backend.queue_prefix))
    try:
        jobs = {pub.publish_job(job_message("action.submitted/1", world.org_id, action_id=a)): a for a in actions}
    finally:
        pub.connection.release()
    stats = make_worker(backend, ["verify"]).run(until_idle=IDLE_S, max_seconds=540)
    assert stats.get("done") == len(CORPUS), stats
    with sessions() as s:
        rows = {j.job_id: j for j in s.scalars(select(ApJob).where(ApJob.job_id.in_(list(jobs))))}
        assert {j.status for j in rows.values()} == {"done"}
        for job_id, action in jobs.items():
            name, needs_reason = actions[action]
            v = s.scalar(select(ApVerdict).where(ApVerdict.action_id == action, ApVerdict.superseded_at.is_(None)))
            assert v is not None, name
            checks = list(s.scalars(select(ApCheck).where(ApCheck.verdict_id == v.id)))
            assert checks, name
            if needs_reason:
                # The photo cannot be read or hashed: a failed check or flag says so, and the action
                # is not passed as verified on the strength of that photo.
                failed = [c for c in checks if not c.passed and (c.subject or "").startswith("photo:")]
                assert failed and all(c.reason for c in failed), (name, [(c.rule, c.reason) for c in checks])
                assert v.status == "pending_verification", (name, v.status)
