"""Personal data lifecycle (PIPL): retention purge and forgetting a recording whose consent was
revoked. Every deletion is written to `ap_audit`."""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from models import (
    ApAnalysis, ApAudit, ApCommitment, ApKeyword, ApMention, ApMoney, ApNeed, ApObjection, ApPhoto, ApSegment,
    ApTranscript, CrmCustomer, CrmPhoto, CrmRecording,
)

from .config import Settings
from .errors import Failed
from .media import resolve_media

log = logging.getLogger("actionproof.privacy")
ANALYSIS_TABLES = (ApMention, ApNeed, ApCommitment, ApMoney, ApObjection, ApKeyword)


def _unlink(settings: Settings, relative: str) -> bool:
    """Delete a media file (never following a path out of the media root)."""
    try:
        path = resolve_media(settings.media_root, relative)
    except Failed:
        return False
    try:
        path.unlink()
        return True
    except FileNotFoundError:
        return False


def audit(s: Session, org_id: str | None, actor: str, action: str, obj: str, detail: dict | None = None) -> None:
    s.add(ApAudit(org_id=org_id, at=dt.datetime.now(dt.timezone.utc), actor=actor, action=action, object=obj,
                  detail=detail))


def forget_transcript(s: Session, transcript: ApTranscript) -> int:
    """Delete a transcript, its segments and everything analysed from it; returns rows deleted."""
    n = 0
    for table in ANALYSIS_TABLES:
        n += s.execute(delete(table).where(table.source_kind == "transcript", table.source_id == transcript.id)).rowcount
    n += s.execute(delete(ApAnalysis).where(ApAnalysis.source_kind == "transcript",
                                            ApAnalysis.source_id == transcript.id)).rowcount
    n += s.execute(delete(ApSegment).where(ApSegment.transcript_id == transcript.id)).rowcount
    s.delete(transcript)
    return n + 1


def forget_recording(s: Session, settings: Settings, recording: CrmRecording, *, actor: str,
                     reason: str) -> dict[str, Any]:
    """Delete a recording's audio file and its transcript (consent revoked, or retention over)."""
    customer = s.get(CrmCustomer, recording.customer_id)
    rows = 0
    transcript = s.scalar(select(ApTranscript).where(ApTranscript.recording_id == recording.id))
    if transcript is not None:
        rows = forget_transcript(s, transcript)
    removed = _unlink(settings, recording.path)
    from .voiceprints import forget_recording_samples

    samples = forget_recording_samples(s, recording.id, actor=actor, reason=reason)
    detail = {"reason": reason, "audio_deleted": removed, "transcript_rows_deleted": rows,
              "voice_samples_deleted": samples}
    audit(s, customer.org_id if customer else None, actor, reason, f"recording:{recording.id}", detail)
    return detail


def purge(sessions: sessionmaker[Session], settings: Settings, *, older_than_days: float,
          now: dt.datetime | None = None, dry_run: bool = False) -> dict[str, int]:
    """Delete recordings' audio and transcripts, photos and their stored facts past retention,
    and whatever is left of recordings whose consent was revoked."""
    now = now or dt.datetime.now(dt.timezone.utc)
    cutoff = now - dt.timedelta(days=older_than_days)
    out = {"recordings": 0, "consent_revoked": 0, "photos": 0, "voiceprint_samples": 0}
    with sessions() as s, s.begin():
        old = s.scalars(select(CrmRecording).where(CrmRecording.recorded_at < cutoff)).all()
        revoked = s.scalars(select(CrmRecording).join(ApTranscript, ApTranscript.recording_id == CrmRecording.id)
                            .where(CrmRecording.consent.is_(False))).all()
        photos = s.scalars(select(CrmPhoto).where(CrmPhoto.uploaded_at < cutoff)).all()
        out.update(recordings=len(old), consent_revoked=len(revoked), photos=len(photos))
        if dry_run:
            s.rollback()
            return out
        for rec in old:
            forget_recording(s, settings, rec, actor="system:purge", reason="retention")
        for rec in revoked:
            forget_recording(s, settings, rec, actor="system:purge", reason="consent_revoked")
        from .voiceprints import forget_without_consent

        out["voiceprint_samples"] = forget_without_consent(s, actor="system:purge")
        for photo in photos:
            removed = _unlink(settings, photo.path)
            stored = s.get(ApPhoto, photo.id)
            org = stored.org_id if stored else None
            if stored is not None:
                s.delete(stored)  # its position, time and hash are personal data too
            audit(s, org, "system:purge", "retention", f"photo:{photo.id}", {"file_deleted": removed})
    log.info("purge done", extra=out)
    return out
