"""Transcription through the real broker and database with the real Whisper weights."""
from __future__ import annotations

import dataclasses
import os
import shutil

import pytest
from sqlalchemy import func, select

from models import ApAnalysis, ApJob, ApSegment, ApTranscript, CrmRecording
from queues.broker import connect
from queues.publisher import Publisher, job_message
from queues.topology import Topology
from workers.app import make_worker
from tests.fielddata import SPEECH, speech_path
from tests.support import seed_world

pytestmark = pytest.mark.timeout(300)


@pytest.fixture(scope="module")
def asr_cache(tmp_path_factory):
    return tmp_path_factory.mktemp("asr-cache")


def _recording(sessions, world, path: str, *, layout: str = "mono", consent: bool = True) -> int:
    with sessions() as s, s.begin():
        rec = CrmRecording(customer_id=world.customer_id, rep_id=world.rep_id, path=path, layout=layout,
                           consent=consent, consent_source="app")
        s.add(rec)
        s.flush()
        return rec.id


def test_stereo_call_to_transcript_rows_and_analysis(backend, sessions, asr_cache):
    settings = dataclasses.replace(backend, asr_cache_dir=asr_cache)
    world = seed_world(sessions, settings)
    media = settings.media_root / "calls"
    media.mkdir(parents=True, exist_ok=True)
    shutil.copy(speech_path("stereo_call_rep_left.wav"), media / "stereo.wav")
    (media / "empty.wav").write_bytes(b"")
    (media / "noise.m4a").write_bytes(os.urandom(20_000))
    good = _recording(sessions, world, "calls/stereo.wav", layout="rep_left")
    bad = [_recording(sessions, world, p) for p in ("calls/empty.wav", "calls/noise.m4a", "../../etc/passwd")]
    pub = Publisher(connect(settings.broker_url), Topology(settings.queue_prefix))
    # Bad files first: the worker must keep serving and then transcribe the good one.
    bad_jobs = [pub.publish_job(job_message("recording.submitted/1", world.org_id, recording_id=r)) for r in bad]
    job = pub.publish_job(job_message("recording.submitted/1", world.org_id, recording_id=good))
    stats = make_worker(settings, ["transcribe", "analyze"]).run(until_idle=2, max_seconds=240)
    assert stats["failed"] == 3 and stats["done"] >= 2
    with sessions() as s:
        codes = [s.get(ApJob, j).error_code for j in bad_jobs]
        assert codes == ["media_unreadable", "media_unreadable", "media_outside_root"]
        assert s.get(ApJob, job).status == "done"
        tr = s.scalar(select(ApTranscript).where(ApTranscript.recording_id == good))
        assert tr.speaker_mode == "channels" and tr.language == "zh" and 36 < tr.duration_s < 38
        assert "sha256:905e5bf8336bcc62" in tr.model
        segs = s.scalars(select(ApSegment).where(ApSegment.transcript_id == tr.id).order_by(ApSegment.seq)).all()
        speakers = [g.speaker for g in segs]
        assert speakers[0] == "rep" and "customer" in speakers and set(speakers) == {"rep", "customer"}
        assert all(g.avg_logprob is not None and g.no_speech_prob is not None for g in segs)
        # both channels heard (Whisper base hears the last clip's 语音识别 as 已经识别 in this mix)
        assert "跑步" in tr.text and "识别模型" in tr.text
        # transcript.ready/1 was published and analysed.
        ready = s.scalars(select(ApJob).where(ApJob.schema == "transcript.ready/1")).all()
        assert [j.status for j in ready] == ["done"]
        assert s.scalar(select(func.count()).select_from(ApAnalysis).where(ApAnalysis.source_id == tr.id)) == 1


def test_no_consent_means_the_file_is_never_opened(embedded, asr_cache):
    from tests.support import prepared

    settings = dataclasses.replace(embedded, asr_cache_dir=asr_cache)
    sessions = prepared(settings)
    world = seed_world(sessions, settings)
    audio = settings.media_root / "calls" / "secret.wav"
    audio.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(SPEECH / "paddle_zh.wav", audio)
    os.chmod(audio, 0)  # opening it would fail loudly with a different error code
    rec = _recording(sessions, world, "calls/secret.wav", consent=False)
    pub = Publisher(connect(settings.broker_url), Topology())
    job = pub.publish_job(job_message("recording.submitted/1", world.org_id, recording_id=rec))
    before = audio.stat().st_atime
    assert make_worker(settings, ["transcribe"]).run(until_idle=1, max_seconds=60)["failed"] == 1
    with sessions() as s:
        assert s.get(ApJob, job).error_code == "consent_missing"
    assert audio.stat().st_atime == before
