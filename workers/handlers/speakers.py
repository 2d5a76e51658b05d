"""`speakers.corrected/1` (a manager swaps or corrects who said what in a call; the facts follow)
and `rep.changed/1` (a rep's voiceprint consent or employment changed; the voiceprint goes)."""
from __future__ import annotations

from typing import Any

from sqlalchemy import select

from models import ApSegment, ApTranscript, CrmUser
from queues.publisher import job_message
from queues.schemas import RepChanged, SpeakersCorrected

from ..consumer import JobContext, utcnow
from ..errors import Failed, not_found
from ..outbox import derived_job_id
from ..privacy import audit
from ..voiceprints import forget_rep, may_enrol
from .transcribe import store_metrics

SWAP = {"rep": "customer", "customer": "rep"}


def _manager_chain(s: Any, rep_id: int | None) -> list[int]:
    """The rep's manager, that manager's manager, … (each once; a loop in the CRM's data ends it)."""
    chain: list[int] = []
    user = s.get(CrmUser, rep_id) if rep_id is not None else None
    while user is not None and user.manager_id is not None and user.manager_id not in chain \
            and user.manager_id != rep_id:
        chain.append(user.manager_id)
        user = s.get(CrmUser, user.manager_id)
    return chain


def handle_speakers_corrected(ctx: JobContext, msg: SpeakersCorrected) -> dict[str, Any]:
    from nlp.speech.conversation import conversation_metrics

    s = ctx.session
    tr = s.get(ApTranscript, msg.transcript_id, with_for_update=True)
    if tr is None or tr.org_id != msg.org_id:
        raise not_found(f"transcript {msg.transcript_id} of org {msg.org_id}", ctx.settings.not_found_window_s)
    who = s.get(CrmUser, msg.corrected_by)
    if who is None or who.org_id != tr.org_id:
        raise Failed("forbidden", f"user {msg.corrected_by} is not a user of org {tr.org_id}")
    if who.id == tr.rep_id or who.id not in _manager_chain(s, tr.rep_id):
        raise Failed("forbidden", f"{who.name} (user {who.id}) may not correct the speakers of transcript {tr.id}: "
                                  "only the rep's manager or a manager above them can")
    segments = {g.seq: g for g in s.scalars(select(ApSegment).where(ApSegment.transcript_id == tr.id))}
    unknown = sorted({c.seq for c in msg.segments} - set(segments))
    if unknown:
        raise Failed("invalid_correction", f"transcript {tr.id} has no segment {', '.join(map(str, unknown[:10]))} "
                                           f"(it has {len(segments)} segments, seq 0…{max(segments, default=-1)})")
    changed = 0
    if msg.swap:
        for g in segments.values():
            if g.speaker in SWAP:
                g.speaker = SWAP[g.speaker]
                changed += 1
    for c in msg.segments:
        g = segments[c.seq]
        changed += int(g.speaker != c.speaker)
        g.speaker = c.speaker
        g.speaker_confidence = 1.0 if c.speaker != "unknown" else None
    timed = sorted(segments.values(), key=lambda g: g.seq)
    total = sum(max(0.0, g.end_s - g.start_s) for g in timed)
    tr.speaker_method = "manager"
    tr.attributed_share = round(sum(max(0.0, g.end_s - g.start_s) for g in timed
                                    if g.speaker in SWAP) / total, 3) if total > 0 else None
    tr.speaker_note = None
    s.flush()
    store_metrics(s, tr, conversation_metrics(timed, tr.duration_s), utcnow())
    audit(s, tr.org_id, f"user:{who.id}", "speakers_corrected", f"transcript:{tr.id}",
          {"swap": msg.swap, "segments": len(msg.segments), "changed": changed, "job_id": ctx.job_id})
    # The facts are derived again from the corrected speakers (needs, dates, objections…), then CQI.
    ctx.follow_up(msg.org_id, job_message("transcript.ready/1", msg.org_id,
                                          job_id=derived_job_id(ctx.job_id, "transcript"), transcript_id=tr.id))
    return {"transcript_id": tr.id, "changed": changed, "attributed_share": tr.attributed_share}


def handle_rep_changed(ctx: JobContext, msg: RepChanged) -> dict[str, Any]:
    s = ctx.session
    user = s.get(CrmUser, msg.rep_id)
    if user is None or user.org_id != msg.org_id:
        raise not_found(f"user {msg.rep_id} of org {msg.org_id}", ctx.settings.not_found_window_s)
    if may_enrol(user):
        return {"rep_id": user.id, "voiceprint": "kept"}
    why = "left" if user.left_at is not None else "consent_withdrawn"
    deleted = forget_rep(s, user.id, actor=f"job:{ctx.job_id}", reason=why)
    return {"rep_id": user.id, "voiceprint": "deleted", "samples_deleted": deleted, "reason": why}
