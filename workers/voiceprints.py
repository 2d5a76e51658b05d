"""Reps' voiceprints (`ap_voice_samples`): enrol, read, forget — only with the rep's own consent.

A voiceprint is biometric personal information (PIPL). It exists only while `crm_users.
voiceprint_consent` is true and `left_at` is unset; otherwise every sample of the rep is deleted
(at the next job that touches the rep, on `rep.changed/1`, and by `purge`), with an audit row.
Samples are embeddings, never audio; they are never logged and appear in no BI view.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from models import ApVoiceSample, CrmUser

from .privacy import audit

MAX_SAMPLES = 10  # per rep, source kind and method (band); the oldest automatic samples give way


def may_enrol(user: CrmUser | None) -> bool:
    """The rep agreed to a voiceprint and still works here."""
    return bool(user is not None and user.role == "rep" and user.voiceprint_consent and user.left_at is None)


def _vector(sample: ApVoiceSample) -> np.ndarray:
    return np.frombuffer(sample.vector, dtype="<f4").astype(np.float32)


def rep_voiceprints(s: Session, rep_id: int | None) -> list[Any]:
    """The rep's voiceprint per method (seconds-weighted mean of the samples), or [] without consent."""
    from nlp.speech.voices import Voiceprint

    if rep_id is None or not may_enrol(s.get(CrmUser, rep_id)):
        return []
    samples = s.scalars(select(ApVoiceSample).where(ApVoiceSample.rep_id == rep_id)).all()
    by_kind: dict[tuple[str, int], list[ApVoiceSample]] = {}
    for x in samples:
        by_kind.setdefault((x.method, x.sample_rate), []).append(x)
    out = []
    for (method, rate), xs in by_kind.items():
        weights = np.array([max(x.seconds, 0.1) for x in xs], dtype=np.float32)
        mean = (np.stack([_vector(x) for x in xs]) * weights[:, None]).sum(axis=0)
        norm = float(np.linalg.norm(mean))
        if norm > 0:
            out.append(Voiceprint(vector=mean / norm, seconds=float(weights.sum()), sample_rate=rate, method=method))
    return out


def add_sample(s: Session, org_id: str, rep_id: int, print_: Any, *, source: str, recording_id: int | None,
               now: dt.datetime) -> ApVoiceSample | None:
    """Store one enrolment sample (replacing an earlier one of its method from the same recording); None without consent."""
    if not may_enrol(s.get(CrmUser, rep_id)):
        return None
    if recording_id is not None:
        s.execute(delete(ApVoiceSample).where(ApVoiceSample.rep_id == rep_id, ApVoiceSample.source == source,
                                              ApVoiceSample.recording_id == recording_id,
                                              ApVoiceSample.method == print_.method))
    row = ApVoiceSample(org_id=org_id, rep_id=rep_id, recording_id=recording_id, source=source,
                        method=print_.method, sample_rate=print_.sample_rate, seconds=round(float(print_.seconds), 2),
                        vector=np.asarray(print_.vector, dtype="<f4").tobytes(), created_at=now)
    s.add(row)
    s.flush()
    extra = s.scalars(select(ApVoiceSample.id).where(ApVoiceSample.rep_id == rep_id, ApVoiceSample.source == source,
                                                     ApVoiceSample.method == print_.method)
                      .order_by(ApVoiceSample.created_at.desc(), ApVoiceSample.id.desc()).offset(MAX_SAMPLES)).all()
    if extra:
        s.execute(delete(ApVoiceSample).where(ApVoiceSample.id.in_(extra)))
    return row


def forget_rep(s: Session, rep_id: int, *, actor: str, reason: str) -> int:
    """Delete every voice sample of a rep (consent withdrawn, left, operator); audited when something went."""
    org = s.scalar(select(ApVoiceSample.org_id).where(ApVoiceSample.rep_id == rep_id).limit(1))
    n = s.execute(delete(ApVoiceSample).where(ApVoiceSample.rep_id == rep_id)).rowcount
    if n:
        audit(s, org, actor, "voiceprint_deleted", f"rep:{rep_id}", {"reason": reason, "samples": n})
    return n


def forget_recording_samples(s: Session, recording_id: int, *, actor: str, reason: str) -> int:
    """Delete the samples taken from one recording (its consent was revoked or it is past retention)."""
    rows = s.execute(select(ApVoiceSample.org_id, ApVoiceSample.rep_id)
                     .where(ApVoiceSample.recording_id == recording_id)).all()
    n = s.execute(delete(ApVoiceSample).where(ApVoiceSample.recording_id == recording_id)).rowcount
    for org, rep in {tuple(r) for r in rows}:
        audit(s, org, actor, "voiceprint_sample_deleted", f"rep:{rep}",
              {"reason": reason, "recording_id": recording_id})
    return n


def forget_without_consent(s: Session, *, actor: str) -> int:
    """Delete the samples of every rep who withdrew consent or left (purge, the clock)."""
    reps = s.scalars(select(ApVoiceSample.rep_id).distinct()).all()
    n = 0
    for rep_id in reps:
        user = s.get(CrmUser, rep_id)
        if not may_enrol(user):
            why = "left" if user is not None and user.left_at is not None else "consent_withdrawn"
            n += forget_rep(s, rep_id, actor=actor, reason=why)
    return n


def sample_counts(s: Session, rep_id: int) -> dict[str, Any]:
    """What is stored for a rep, without the vectors: samples, seconds, sources and recording ids."""
    rows = s.execute(select(ApVoiceSample.source, ApVoiceSample.recording_id, ApVoiceSample.seconds,
                            ApVoiceSample.method).where(ApVoiceSample.rep_id == rep_id)).all()
    return {"rep_id": rep_id, "samples": len(rows), "seconds": round(sum(r.seconds for r in rows), 1),
            "methods": sorted({r.method for r in rows}),
            "recording_ids": sorted(r.recording_id for r in rows if r.recording_id is not None),
            "sources": dict(s.execute(select(ApVoiceSample.source, func.count()).where(ApVoiceSample.rep_id == rep_id)
                                      .group_by(ApVoiceSample.source)).all())}
