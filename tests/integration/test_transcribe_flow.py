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
        # both channels heard (Whisper base hears the last clip's 语音识别 as 已经识别 or 语音时别 in
        # this mix, depending on greedy or beam decoding: docs/speech.md)
        assert "跑步" in tr.text and "推出的" in tr.text and "模型" in tr.text
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


def test_a_reps_stereo_call_enrols_their_voice_and_their_mono_call_is_attributed(production, asr_cache):
    """Stereo call (rep S0002 on the left) → voiceprint sample; then a mono call of the same rep with
    another customer is attributed by that voiceprint, stored per segment with metrics, and analysed.
    (RabbitMQ + PostgreSQL only: the speech part is the same on the embedded default, and the
    voiceprint rows are covered on both backends by test_speakers_flow.py.)"""
    from tests.support import prepared

    backend, sessions = production, prepared(production)
    from models import ApConversationMetrics, ApVoiceSample, CrmUser
    from nlp.speech.mix import concat_with_pauses, two_party_call, wav_bytes
    from nlp.speech.voices import METHOD, METHOD_NARROW
    from tests.fielddata import clip

    settings = dataclasses.replace(backend, asr_cache_dir=asr_cache)
    world = seed_world(sessions, settings)
    with sessions() as s, s.begin():
        s.get(CrmUser, world.rep_id).voiceprint_consent = True
    media = settings.media_root / "calls"
    media.mkdir(parents=True, exist_ok=True)
    stereo, _ = two_party_call([("rep", "W0123", clip("mindaudio_BAC009S0002W0123.wav")),
                                ("customer", "paddle", clip("paddle_zh.wav"))], 16000, pause_s=0.6,
                               stereo_order=("rep", "customer"))
    (media / "first.wav").write_bytes(wav_bytes(stereo, 16000))
    rep, customer = clip("mindaudio_BAC009S0002W0122.wav"), clip("kimiaudio_asr_example.wav")
    mono = concat_with_pauses([rep[: rep.size // 2], customer[: customer.size // 2], rep[rep.size // 2:],
                               customer[customer.size // 2:]], [0.7, 0.9, 0.6, 0.5], 16000)
    (media / "second.wav").write_bytes(wav_bytes(mono, 16000))
    first = _recording(sessions, world, "calls/first.wav", layout="rep_left")
    second = _recording(sessions, world, "calls/second.wav", layout="mono")
    pub = Publisher(connect(settings.broker_url), Topology(settings.queue_prefix))
    pub.publish_job(job_message("recording.submitted/1", world.org_id, recording_id=first))
    make_worker(settings, ["transcribe"]).run(until_idle=1, max_seconds=240)
    with sessions() as s:
        samples = s.scalars(select(ApVoiceSample).where(ApVoiceSample.rep_id == world.rep_id)).all()
        # A 16 kHz call: the rep heard in the full band and through the telephone band.
        assert sorted(x.method for x in samples) == sorted([METHOD, METHOD_NARROW])
        assert all(x.recording_id == first and x.source == "stereo_call" for x in samples)
        assert all(x.seconds >= 2.0 and len(x.vector) == 192 * 4 for x in samples)
    job = pub.publish_job(job_message("recording.submitted/1", world.org_id, recording_id=second))
    make_worker(settings, ["transcribe", "analyze"]).run(until_idle=2, max_seconds=240)
    with sessions() as s:
        row = s.get(ApJob, job)
        assert row.status == "done" and row.result["speaker_method"] == "voiceprint", row.result
        tr = s.scalar(select(ApTranscript).where(ApTranscript.recording_id == second))
        assert tr.speaker_mode == "unknown" and tr.speaker_method == "voiceprint" and tr.attributed_share >= 0.9
        segs = s.scalars(select(ApSegment).where(ApSegment.transcript_id == tr.id).order_by(ApSegment.seq)).all()
        assert [g.speaker for g in segs][0] == "rep" and {g.speaker for g in segs} == {"rep", "customer"}
        assert all(g.voice is not None and 0 < g.speaker_confidence <= 1 for g in segs)
        assert "告别" in "".join(g.text for g in segs if g.speaker == "customer")
        m = s.scalar(select(ApConversationMetrics).where(ApConversationMetrics.transcript_id == tr.id))
        assert m.switches >= 3 and m.questions_rep is not None and 0.2 < m.talk_ratio_rep < 0.6
        an = s.scalar(select(ApAnalysis).where(ApAnalysis.source_kind == "transcript", ApAnalysis.source_id == tr.id))
        assert an.attributed_share == tr.attributed_share and an.unattributed is False
