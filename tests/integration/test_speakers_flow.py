"""Who said what, through real workers on both backends: a manager's correction makes the facts
follow, who may correct, voiceprint samples deleted on withdrawal / leaving / consent revocation /
purge, and an unattributed call left out of need anchoring.

Transcripts are seeded as the transcribe worker leaves them (the speech model is exercised in
test_transcribe_flow.py and test_speech_model.py); everything after that runs for real.
"""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import numpy as np
from sqlalchemy import func, select

from models import (
    ApAnalysis, ApAudit, ApCommitment, ApConversationMetrics, ApCqi, ApJob, ApNeed, ApSegment, ApTranscript,
    ApVoiceSample, CrmRecording, CrmUser,
)
from queues.broker import connect
from queues.publisher import Publisher, job_message
from queues.topology import Topology
from workers.app import make_worker
from workers.privacy import purge
from workers.voiceprints import add_sample
from tests.support import IDLE_S, seed_world

# A mono call whose speakers came out the wrong way round.
WRONG = [("customer", "王总您好我是恒力机电的小陈"), ("rep", "我们需要两台节能型号的"),
         ("customer", "我们希望下周三前把合同签了")]


def _run(settings, *types):
    return make_worker(settings, list(types)).run(until_idle=IDLE_S, max_seconds=120)


def _publish(settings, message) -> str:
    pub = Publisher(connect(settings.broker_url), Topology(settings.queue_prefix))
    try:
        return pub.publish_job(message)
    finally:
        pub.connection.release()


def _transcript(sessions, world, segments, *, method="words") -> int:
    now = dt.datetime.now(dt.timezone.utc)
    with sessions() as s, s.begin():
        rec = CrmRecording(customer_id=world.customer_id, rep_id=world.rep_id, path="calls/x.amr", layout="mono",
                           recorded_at=now, consent=True)
        s.add(rec)
        s.flush()
        tr = ApTranscript(org_id=world.org_id, recording_id=rec.id, customer_id=world.customer_id, rep_id=world.rep_id,
                          job_id="seed", language="zh", duration_s=3.0 * len(segments), speaker_mode="unknown",
                          speaker_method=method, text="".join(t for _, t in segments), model="seed",
                          recorded_at=now, created_at=now)
        s.add(tr)
        s.flush()
        s.add_all(ApSegment(org_id=world.org_id, transcript_id=tr.id, seq=i, start_s=3.0 * i, end_s=3.0 * i + 2.5,
                            speaker=who, text=text, speaker_confidence=0.7 if who != "unknown" else None, voice=i % 2)
                  for i, (who, text) in enumerate(segments))
        return tr.id


def _facts(sessions, tr_id):
    with sessions() as s:
        needs = s.scalars(select(ApNeed.speaker).where(ApNeed.source_id == tr_id)).all()
        kinds = s.scalars(select(ApCommitment.kind).where(ApCommitment.source_id == tr_id)).all()
        return needs, kinds


def test_a_managers_swap_makes_the_facts_follow(backend, sessions):
    world = seed_world(sessions, backend)
    tr_id = _transcript(sessions, world, WRONG)
    _publish(backend, job_message("transcript.ready/1", world.org_id, transcript_id=tr_id))
    _run(backend, "analyze")
    needs, kinds = _facts(sessions, tr_id)
    assert needs == [] and kinds == ["expected"]  # the rep's words taken for the customer's
    job = _publish(backend, job_message("speakers.corrected/1", world.org_id, transcript_id=tr_id,
                                        corrected_by=world.manager_id, swap=True))
    _run(backend, "analyze")
    with sessions() as s:
        assert s.get(ApJob, job).status == "done"
        tr = s.get(ApTranscript, tr_id)
        assert tr.speaker_method == "manager" and tr.attributed_share == 1.0
        speakers = s.scalars(select(ApSegment.speaker).where(ApSegment.transcript_id == tr_id)
                             .order_by(ApSegment.seq)).all()
        assert speakers == ["rep", "customer", "rep"]
        m = s.scalar(select(ApConversationMetrics).where(ApConversationMetrics.transcript_id == tr_id))
        assert m.rep_s == 5.0 and m.customer_s == 2.5 and m.switches == 2
        entry = s.scalar(select(ApAudit).where(ApAudit.action == "speakers_corrected"))
        assert entry.actor == f"user:{world.manager_id}" and entry.detail["changed"] == 3
    needs, kinds = _facts(sessions, tr_id)
    assert needs == ["customer"] and "expected" not in kinds


def test_only_the_reps_manager_chain_may_correct_and_segments_must_exist(backend, sessions):
    world = seed_world(sessions, backend)
    other = seed_world(sessions, backend)
    tr_id = _transcript(sessions, world, WRONG)
    by_rep = _publish(backend, job_message("speakers.corrected/1", world.org_id, transcript_id=tr_id,
                                           corrected_by=world.rep_id, swap=True))
    by_stranger = _publish(backend, job_message("speakers.corrected/1", world.org_id, transcript_id=tr_id,
                                                corrected_by=other.manager_id, swap=True))
    bad_seq = _publish(backend, job_message("speakers.corrected/1", world.org_id, transcript_id=tr_id,
                                            corrected_by=world.boss_id, segments=[{"seq": 7, "speaker": "rep"}]))
    by_boss = _publish(backend, job_message("speakers.corrected/1", world.org_id, transcript_id=tr_id,
                                            corrected_by=world.boss_id,
                                            segments=[{"seq": 0, "speaker": "rep"}, {"seq": 2, "speaker": "unknown"}]))
    _run(backend, "analyze")
    with sessions() as s:
        codes = {j: (s.get(ApJob, j).status, s.get(ApJob, j).error_code) for j in (by_rep, by_stranger, bad_seq, by_boss)}
        assert codes[by_rep] == ("failed", "forbidden") and codes[by_stranger] == ("failed", "forbidden")
        assert codes[bad_seq] == ("failed", "invalid_correction") and "seq 0…2" in s.get(ApJob, bad_seq).error
        assert codes[by_boss] == ("done", None)
        segs = s.scalars(select(ApSegment).where(ApSegment.transcript_id == tr_id).order_by(ApSegment.seq)).all()
        assert [g.speaker for g in segs] == ["rep", "rep", "unknown"]
        assert segs[0].speaker_confidence == 1.0 and segs[2].speaker_confidence is None
    _, kinds = _facts(sessions, tr_id)
    assert kinds == ["other"]  # the date's speaker is now unknown: never a customer's expectation


def _sample(sessions, world, recording_id=None, source="operator"):
    vec = np.ones(192, np.float32) / np.sqrt(192)
    with sessions() as s, s.begin():
        return add_sample(s, world.org_id, world.rep_id,
                          SimpleNamespace(vector=vec, seconds=12.0, sample_rate=16000, method="test/1"),
                          source=source, recording_id=recording_id, now=dt.datetime.now(dt.timezone.utc))


def test_voiceprint_samples_exist_only_with_the_reps_consent(backend, sessions):
    world = seed_world(sessions, backend)
    assert _sample(sessions, world) is None  # no consent recorded: nothing is stored
    with sessions() as s, s.begin():
        s.get(CrmUser, world.rep_id).voiceprint_consent = True
    assert _sample(sessions, world) is not None
    with sessions() as s, s.begin():
        s.get(CrmUser, world.rep_id).voiceprint_consent = False  # the rep withdrew it in the CRM
    job = _publish(backend, job_message("rep.changed/1", world.org_id, rep_id=world.rep_id))
    _run(backend, "analyze")
    with sessions() as s:
        assert s.get(ApJob, job).result["voiceprint"] == "deleted"
        assert s.scalar(select(func.count()).select_from(ApVoiceSample)) == 0
        entry = s.scalar(select(ApAudit).where(ApAudit.action == "voiceprint_deleted"))
        assert entry.object == f"rep:{world.rep_id}" and entry.detail == {"reason": "consent_withdrawn", "samples": 1}


def test_samples_go_with_the_recordings_consent_and_with_a_rep_who_left(backend, sessions):
    world = seed_world(sessions, backend)
    with sessions() as s, s.begin():
        s.get(CrmUser, world.rep_id).voiceprint_consent = True
        rec = CrmRecording(customer_id=world.customer_id, rep_id=world.rep_id, path="calls/s.wav", layout="rep_left",
                           recorded_at=dt.datetime.now(dt.timezone.utc), consent=False)
        s.add(rec)
        s.flush()
        rec_id = rec.id
    _sample(sessions, world, rec_id, "stereo_call")
    _sample(sessions, world)
    _publish(backend, job_message("recording.submitted/1", world.org_id, recording_id=rec_id))
    _run(backend, "transcribe")  # consent revoked: the recording is forgotten, its voice sample too
    with sessions() as s:
        assert s.scalars(select(ApVoiceSample.source)).all() == ["operator"]
    with sessions() as s, s.begin():
        s.get(CrmUser, world.rep_id).left_at = dt.datetime.now(dt.timezone.utc)
    out = purge(sessions, backend, older_than_days=365)
    assert out["voiceprint_samples"] == 1
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(ApVoiceSample)) == 0
        assert s.scalar(select(ApAudit.detail).where(ApAudit.action == "voiceprint_deleted"))["reason"] == "left"


def test_a_call_nobody_could_attribute_is_left_out_of_need_anchoring(backend, sessions):
    world = seed_world(sessions, backend)
    attributed = _transcript(sessions, world, [("rep", "王总您好"), ("customer", "我们需要两台节能型号的")])
    unknown = _transcript(sessions, world, [("unknown", "喂你好"), ("unknown", "好的那就这样")], method="none")
    for tr_id in (attributed, unknown):
        _publish(backend, job_message("transcript.ready/1", world.org_id, transcript_id=tr_id))
    _run(backend, "analyze", "score")
    with sessions() as s:
        flags = dict(s.execute(select(ApAnalysis.source_id, ApAnalysis.unattributed)).all())
        assert flags == {attributed: False, unknown: True}
        cqi = s.scalar(select(ApCqi).where(ApCqi.customer_id == world.customer_id, ApCqi.period_kind == "rolling"))
        assert cqi.anchoring == 1.0
        left = [i for i in cqi.details["ignored"] if i.get("part") == "anchoring"]
        assert len(left) == 1 and left[0]["reason"] == "no speech attributed to the customer"
