"""`recording.submitted/1`: a call recording → a speaker-labelled Simplified-Chinese transcript."""
from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select

from models import ApSegment, ApTranscript, CrmCustomer, CrmRecording
from queues.publisher import job_message
from queues.schemas import RecordingSubmitted

from ..consumer import JobContext, utcnow
from ..errors import Failed, Retry, not_found
from ..media import read_media
from ..outbox import derived_job_id
from ..privacy import forget_recording


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
                                                 "recorded_at", "consent")}
    if not rec_info["consent"]:
        # 录音需授权: without recorded consent the audio is not even opened; a transcript made
        # while consent was given is deleted with the audio once it is revoked.
        with ctx.sessions() as s, s.begin():
            rec = s.get(CrmRecording, msg.recording_id)
            had = s.scalar(select(ApTranscript.id).where(ApTranscript.recording_id == rec.id)) is not None
            if had:
                forget_recording(s, settings, rec, actor=f"job:{ctx.job_id}", reason="consent_revoked")
        raise Failed("consent_missing", f"recording {msg.recording_id} has no recorded consent; it was not read"
                     + ("; its earlier transcript and audio were deleted" if had else ""))
    data = read_media(settings.media_root, rec_info["path"], settings.max_audio_bytes)
    try:
        # The same path as `actionproof transcribe`: decode, load the model once, transcribe.
        result, info = transcribe_recording(data, rec_info["layout"] or "mono", settings)
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
    s.add_all(ApSegment(org_id=msg.org_id, transcript_id=row.id, seq=i, start_s=seg.start_s, end_s=seg.end_s,
                        speaker=seg.speaker, text=seg.text, avg_logprob=seg.avg_logprob,
                        no_speech_prob=seg.no_speech_prob) for i, seg in enumerate(result.segments))
    s.flush()
    ctx.follow_up(msg.org_id, job_message("transcript.ready/1", msg.org_id, job_id=derived_job_id(ctx.job_id, "transcript"),
                                          transcript_id=row.id))
    return {"transcript_id": row.id, "segments": len(result.segments), "duration_s": round(result.duration_s, 2),
            "speaker_mode": result.speaker_mode, "model": info.describe()}
