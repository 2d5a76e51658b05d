"""`recording.submitted/1`: a call recording → a speaker-labelled Simplified-Chinese transcript.

Mono calls are split into voices and attributed (the rep's voiceprint, else the wording, else
unknown); a consented rep's stereo calls add to their voiceprint; a recording the CRM marks as
the rep's own voice sample only enrols the voiceprint (no transcript).
"""
from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from models import ApConversationMetrics, ApSegment, ApTranscript, CrmCustomer, CrmRecording, CrmUser
from queues.publisher import job_message
from queues.schemas import RecordingSubmitted

from ..consumer import JobContext, utcnow
from ..errors import Failed, Retry, not_found
from ..media import read_media
from ..outbox import derived_job_id
from ..privacy import forget_recording
from ..voiceprints import add_sample, forget_recording_samples, forget_rep, may_enrol, rep_voiceprints


def handle_recording_submitted(ctx: JobContext, msg: RecordingSubmitted) -> dict[str, Any]:
    from nlp.speech.audio import AudioError

    from ..asr_model import ModelError, transcribe_recording

    settings = ctx.settings
    # Read what we need in a short session: no connection is held during the transcription.
    with ctx.sessions() as s:
        rec = s.get(CrmRecording, msg.recording_id)
        customer = s.get(CrmCustomer, rec.customer_id) if rec is not None else None
        if rec is None or customer is None or customer.org_id != msg.org_id:
            raise not_found(f"recording {msg.recording_id} of org {msg.org_id}", settings.not_found_window_s)
        rec_info = {c: getattr(rec, c) for c in ("id", "customer_id", "rep_id", "action_id", "path", "layout",
                                                 "recorded_at", "consent", "rep_voice_sample")}
        rep_user = s.get(CrmUser, rec.rep_id) if rec.rep_id is not None else None
        enrol_ok = may_enrol(rep_user)
        prints = rep_voiceprints(s, rec.rep_id) if enrol_ok and rec.consent and not rec.rep_voice_sample else []
    if rec_info["rep_voice_sample"]:
        return _enrol_sample(ctx, msg, rec_info, enrol_ok)
    if not rec_info["consent"]:
        # 录音需授权: without recorded consent the audio is not even opened; a transcript made
        # while consent was given is deleted with the audio once it is revoked.
        with ctx.sessions() as s, s.begin():
            rec = s.get(CrmRecording, msg.recording_id)
            had = s.scalar(select(ApTranscript.id).where(ApTranscript.recording_id == rec.id)) is not None
            if had:
                forget_recording(s, settings, rec, actor=f"job:{ctx.job_id}", reason="consent_revoked")
            else:  # a voice sample of the rep taken from it while consent was given goes too
                forget_recording_samples(s, rec.id, actor=f"job:{ctx.job_id}", reason="consent_revoked")
        raise Failed("consent_missing", f"recording {msg.recording_id} has no recorded consent; it was not read"
                     + ("; its earlier transcript and audio were deleted" if had else ""))
    data = read_media(settings.media_root, rec_info["path"], settings.max_audio_bytes)
    try:
        # The same path as `actionproof transcribe`: decode, load the model once, transcribe.
        layout = rec_info["layout"] or "mono"
        run = transcribe_recording(data, layout, settings, rep_prints=prints, rep_sample=enrol_ok and layout != "mono")
        result, info = run.transcript, run.info
    except AudioError as e:
        raise Failed(e.code, f"recording {msg.recording_id} ({rec_info['path']}): {e}") from None
    except ModelError as e:
        # The worker's model is misconfigured, not the recording: retry, then dead-letter for replay.
        raise Retry(e.code, f"speech model unavailable on this worker: {e}") from None
    del data

    s = ctx.session
    now = utcnow()
    row = s.scalar(select(ApTranscript).where(ApTranscript.recording_id == rec_info["id"]).with_for_update())
    if row is None:
        row = ApTranscript(org_id=msg.org_id, recording_id=rec_info["id"], customer_id=rec_info["customer_id"],
                           created_at=now, job_id=ctx.job_id, language="zh", duration_s=0, speaker_mode="unknown",
                           text="", model="")
        s.add(row)
        s.flush()
    else:
        s.execute(delete(ApSegment).where(ApSegment.transcript_id == row.id))
    row.rep_id, row.action_id, row.recorded_at = rec_info["rep_id"], rec_info["action_id"], rec_info["recorded_at"]
    row.job_id, row.language, row.duration_s = ctx.job_id, result.language, result.duration_s
    row.speaker_mode, row.text, row.model, row.created_at = result.speaker_mode, result.text, info.describe(), now
    row.speaker_method, row.attributed_share, row.speaker_note = (result.speaker_method, result.attributed_share,
                                                                  result.speaker_note)
    s.add_all(ApSegment(org_id=msg.org_id, transcript_id=row.id, seq=i, start_s=seg.start_s, end_s=seg.end_s,
                        speaker=seg.speaker, text=seg.text, avg_logprob=seg.avg_logprob,
                        no_speech_prob=seg.no_speech_prob, speaker_confidence=seg.speaker_confidence,
                        voice=seg.voice) for i, seg in enumerate(result.segments))
    s.flush()
    store_metrics(s, row, result.metrics, now)
    enrolled = False
    if run.rep_samples and rec_info["rep_id"] is not None:
        enrolled = all([add_sample(s, msg.org_id, rec_info["rep_id"], sample, source="stereo_call",
                                   recording_id=rec_info["id"], now=now) is not None for sample in run.rep_samples])
    elif not enrol_ok and rec_info["rep_id"] is not None:
        forget_rep(s, rec_info["rep_id"], actor=f"job:{ctx.job_id}", reason="consent_withdrawn_or_left")
    ctx.follow_up(msg.org_id, job_message("transcript.ready/1", msg.org_id, job_id=derived_job_id(ctx.job_id, "transcript"),
                                          transcript_id=row.id))
    return {"transcript_id": row.id, "segments": len(result.segments), "duration_s": round(result.duration_s, 2),
            "speaker_mode": result.speaker_mode, "speaker_method": result.speaker_method,
            "attributed_share": result.attributed_share, "speaker_note": result.speaker_note,
            "voiceprint_sample": enrolled, "model": info.describe()}


def store_metrics(s: Any, transcript: ApTranscript, metrics: Any, now: Any) -> None:
    """Upsert the transcript's conversation metrics (nlp/speech/conversation.py)."""
    row = s.scalar(select(ApConversationMetrics).where(ApConversationMetrics.transcript_id == transcript.id))
    if metrics is None:
        if row is not None:
            s.delete(row)
        return
    if row is None:
        row = ApConversationMetrics(org_id=transcript.org_id, transcript_id=transcript.id)
        s.add(row)
    row.customer_id, row.rep_id, row.recorded_at = transcript.customer_id, transcript.rep_id, transcript.recorded_at
    for f in ("duration_s", "rep_s", "customer_s", "unknown_s", "attributed_share", "talk_ratio_rep",
              "longest_rep_monologue_s", "longest_customer_story_s", "questions_rep", "questions_customer",
              "switches", "interactivity_per_min", "patience_s"):
        v = getattr(metrics, f)
        setattr(row, f, round(v, 3) if isinstance(v, float) else v)
    row.computed_at = now


def _enrol_sample(ctx: JobContext, msg: RecordingSubmitted, rec_info: dict[str, Any], enrol_ok: bool) -> dict[str, Any]:
    """A recording of the rep alone: it enrols the rep's voiceprint (with the rep's consent) and is not transcribed."""
    from nlp.speech.audio import AudioError, decode_audio
    from nlp.speech.voices import voiceprints

    from ..asr_model import ModelError, SpeechSettings, default_ffmpeg_exe, load_speaker_model

    if not enrol_ok:
        raise Failed("voiceprint_consent_missing", f"recording {msg.recording_id} is a voice sample of rep "
                     f"{rec_info['rep_id']}, who has not agreed to a voiceprint (or has left); it was not read")
    speech = SpeechSettings.of(ctx.settings)
    data = read_media(ctx.settings.media_root, rec_info["path"], speech.max_bytes)
    try:
        audio = decode_audio(data, sample_rate=16000, max_duration_s=speech.max_duration_s,
                             ffmpeg_exe=default_ffmpeg_exe())
        samples = voiceprints([audio.mono], 16000, load_speaker_model())
    except AudioError as e:
        raise Failed(e.code, f"recording {msg.recording_id} ({rec_info['path']}): {e}") from None
    except ModelError as e:
        raise Retry(e.code, f"speaker model unavailable on this worker: {e}") from None
    seconds = samples[0].seconds
    if seconds < 2.0:
        raise Failed("voice_sample_too_short", f"recording {msg.recording_id} holds {seconds:.1f} s of "
                     "speech; a voiceprint needs at least 2 s")
    now = utcnow()
    rows = [add_sample(ctx.session, msg.org_id, rec_info["rep_id"], sample, source="rep_sample",
                       recording_id=rec_info["id"], now=now) for sample in samples]
    return {"voiceprint_sample": all(r is not None for r in rows), "rep_id": rec_info["rep_id"],
            "seconds": round(seconds, 1)}
