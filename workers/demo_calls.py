"""The demo's calls: real recordings through transcription and analysis, and what they changed.

Three recordings of one customer: a consented two-channel call built from real Mandarin clips
(rep on the left channel), a consented mono AMR-NB recording (a phone recorder's format), and a
recording without consent whose file is deliberately absent — it must fail `consent_missing`, not
`media_missing`, which shows the audio was never looked for.

The clips are the repository's field data (tests/data/speech, sources and licences in
tests/data/SOURCES.md); they are not sales talk, so the facts found are few, but every one shown
is what the worker extracted from what the model heard.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from models import (
    ApAnalysis, ApCommitment, ApJob, ApKeyword, ApMoney, ApNeed, ApObjection, ApSegment, ApTranscript, CrmAction,
    CrmRecording,
)
from nlp.speech.audio import decode_audio
from nlp.speech.mix import two_party_call, wav_bytes

# The repository's field data; absent in an installation without the repository.
SPEECH = Path(__file__).resolve().parents[1] / "tests" / "data" / "speech"
RATE = 16000
# Real clips, cast as a sales call: the rep talks money and a half-year, the customer hopes and weighs a market.
CALL_TURNS = (("rep", "stepaudioeditx_vad_prompt.wav"), ("customer", "cosyvoice_zero_shot_prompt.wav"),
              ("rep", "fireredasr_TEST_MEETING_T0000000001_S00000.wav"), ("customer", "fireredtts2_zh_S1.wav"))
MONO_CLIP = "paddle_zh_8k.amr"


@dataclass(frozen=True)
class DemoRecording:
    recording_id: int
    label: str
    path: str
    layout: str
    consent: bool


def available(speech: Path = SPEECH) -> bool:
    """Whether the field clips are here (a clone of the repository has them)."""
    return all((speech / name).is_file() for _, name in CALL_TURNS) and (speech / MONO_CLIP).is_file()


def build_call(speech: Path = SPEECH) -> tuple[bytes, float]:
    """The demo's two-channel call (rep left) as WAV bytes, and its length in seconds."""
    turns = [(who, name, decode_audio((speech / name).read_bytes(), sample_rate=RATE).mono) for who, name in CALL_TURNS]
    stereo, spans = two_party_call(turns, RATE, pause_s=0.6, stereo_order=("rep", "customer"))
    return wav_bytes(stereo, RATE), spans[-1].end_s


def seed_recordings(sessions, media: Path, org_id: str, customer_id: int, rep_id: int, now: dt.datetime,
                    speech: Path = SPEECH) -> list[DemoRecording]:
    """Write the call files under the media root and the CRM's crm_recordings rows (and a call action)."""
    call, seconds = build_call(speech)
    (media / "calls").mkdir(parents=True, exist_ok=True)
    (media / "calls" / "call-stereo.wav").write_bytes(call)
    (media / "calls" / "call-mono.amr").write_bytes((speech / MONO_CLIP).read_bytes())
    out = []
    with sessions() as s, s.begin():
        action = CrmAction(org_id=org_id, customer_id=customer_id, rep_id=rep_id, type="电话沟通",
                           submitted_at=now - dt.timedelta(minutes=30))
        s.add(action)
        s.flush()
        for label, path, layout, consent, action_id in (
                (f"two-channel call, {seconds:.0f} s, consent recorded", "calls/call-stereo.wav", "rep_left", True,
                 action.id),
                ("mono AMR-NB phone recording, consent recorded", "calls/call-mono.amr", "mono", True, None),
                ("recording WITHOUT consent (its file is absent on purpose)", "calls/no-consent.amr", "mono", False,
                 None)):
            rec = CrmRecording(customer_id=customer_id, rep_id=rep_id, action_id=action_id, path=path, layout=layout,
                               recorded_at=now - dt.timedelta(minutes=40), consent=consent,
                               consent_source="app" if consent else None)
            s.add(rec)
            s.flush()
            out.append(DemoRecording(rec.id, label, path, layout, consent))
    return out


def _clip(text: str, width: int = 60) -> str:
    return text if len(text) <= width else text[:width - 1] + "…"


def show_recordings(sessions, recordings: list[DemoRecording], jobs: dict[int, str]) -> dict[str, int]:
    """Print what was heard in each recording and the facts taken from it; return counts for the summary."""
    counts = {"transcribed": 0, "refused": 0, "facts": 0}
    with sessions() as s:
        for r in recordings:
            job = s.get(ApJob, jobs[r.recording_id])
            print(f"\nRecording {r.recording_id}: {r.label}")
            if job is None or job.status != "done":
                status = job.status if job else "missing"
                print(f"  job {status}" + (f" [{job.error_code}]: {job.error}" if job and job.error_code else ""))
                counts["refused"] += int(job is not None and job.error_code == "consent_missing")
                continue
            t = s.scalar(select(ApTranscript).where(ApTranscript.recording_id == r.recording_id))
            segs = s.scalars(select(ApSegment).where(ApSegment.transcript_id == t.id).order_by(ApSegment.seq)).all()
            counts["transcribed"] += 1
            print(f"  transcript {t.id}: {t.duration_s:.1f} s, {_who(t)}, {len(segs)} segments")
            for seg in segs:
                voice = f"voice {seg.voice}" if seg.voice is not None else ""
                print(f"    {seg.start_s:5.1f}–{seg.end_s:5.1f} s  {seg.speaker:<8} {voice:<7} {_clip(seg.text)}")
            src = (ApNeed.source_kind == "transcript", ApNeed.source_id == t.id)
            facts = [f"need ({n.speaker}): {n.text}" for n in s.scalars(select(ApNeed).where(*src))]
            facts += [f"money ({m.speaker}, {m.kind}): {m.phrase} = "
                      + (f"{m.yuan:g} yuan" if m.yuan is not None else f"{m.yuan_low:g}–{m.yuan_high:g} yuan")
                      + (f" per {m.unit}" if m.unit else "")
                      for m in s.scalars(select(ApMoney).where(ApMoney.source_kind == "transcript",
                                                               ApMoney.source_id == t.id)) if m.yuan or m.yuan_low]
            facts += [f"date ({c.speaker}, {c.kind}): {c.phrase} → {c.date}"
                      + (f" (window {c.window_start}…{c.window_end})" if c.window_start else "")
                      for c in s.scalars(select(ApCommitment).where(ApCommitment.source_kind == "transcript",
                                                                    ApCommitment.source_id == t.id))]
            facts += [f"objection ({o.speaker}, {o.type}): {o.text}" for o in s.scalars(
                select(ApObjection).where(ApObjection.source_kind == "transcript", ApObjection.source_id == t.id))]
            words = s.scalars(select(ApKeyword.word).where(ApKeyword.source_kind == "transcript",
                                                           ApKeyword.source_id == t.id)
                              .order_by(ApKeyword.weight.desc()).limit(6)).all()
            counts["facts"] += len(facts)
            for f in facts:
                print(f"  fact from recording {r.recording_id}: {f}")
            if not facts:
                print("  no need, money, date or objection in what was heard")
            if words:
                print(f"  keywords: {'、'.join(words)}")
            summary = s.scalar(select(ApAnalysis.summary).where(ApAnalysis.source_kind == "transcript",
                                                                ApAnalysis.source_id == t.id))
            if summary:
                print(f"  录音摘要: {summary}")
    return counts


def cqi_inputs(sessions, customer_id: int, tz_name: str, today: dt.date) -> dict[str, object]:
    """The customer's CQI inputs over the last 30 days, computed (not stored) from the database now."""
    from scoring.cqi import compute_cqi
    from scoring.periods import rolling_30_days

    from .scoring_data import customer_facts

    with sessions() as s:
        facts = customer_facts(s, customer_id, tz_name)
        result = compute_cqi(rolling_30_days(today), facts.touches, facts.target, facts.reaches, facts.commitments)
        analysed = s.scalar(select(ApAnalysis.id).where(ApAnalysis.customer_id == customer_id,
                                                        ApAnalysis.source_kind == "transcript").limit(1))
    return {"touches": len(result.touches),
            "with content": sum(1 for t in result.touches if t.has_content),
            "with a customer need": sum(1 for t in result.touches if t.has_need),
            "depth": _part(result.depth), "anchoring": _part(result.anchoring), "rhythm": _part(result.rhythm),
            "left out of anchoring": ", ".join(i["touch_key"] for i in result.ignored if i.get("part") == "anchoring")
                                     + " (no speech attributed to the customer)"
            if any(i.get("part") == "anchoring" for i in result.ignored) else "none",
            "CQI": "-" if result.composite is None else f"{result.composite:.1f}",
            "transcripts analysed": "yes" if analysed else "no"}


def _part(p) -> str:
    if p.value is None:
        return f"- ({p.missing_reason})" if p.missing_reason else "-"
    return f"{100 * p.value:.1f}% ({p.numerator:g}/{p.denominator:g})"


def show_cqi_change(before: dict[str, object], after: dict[str, object], customer_name: str) -> None:
    print(f"\nCQI inputs of {customer_name}, last 30 days: before → after the calls were analysed")
    width = max(len(k) for k in before)
    for key in before:
        mark = "" if before[key] == after[key] else "   (changed)"
        print(f"  {key:<{width}}  {before[key]}  →  {after[key]}{mark}")


def stage_times(sessions) -> dict[str, tuple[int, float, float]]:
    """Per queue: (jobs, summed seconds from first attempt to finish, longest), from ap_jobs."""
    out: dict[str, tuple[int, float, float]] = {}
    with sessions() as s:
        for job in s.scalars(select(ApJob)):
            if job.first_attempt_at is None or job.finished_at is None:
                continue
            took = (job.finished_at - job.first_attempt_at).total_seconds()
            n, total, longest = out.get(job.queue, (0, 0.0, 0.0))
            out[job.queue] = (n + 1, total + took, max(longest, took))
    return out


def _who(t: ApTranscript) -> str:
    """How the transcript's speakers were told apart, in words."""
    if t.speaker_mode == "channels":
        return "speakers from the two channels"
    how = {"voiceprint": "rep recognised by voiceprint", "words": "roles from the wording",
           "manager": "speakers set by a manager"}.get(t.speaker_method or "", "speakers unknown")
    share = f", {t.attributed_share:.0%} of speech attributed" if t.attributed_share is not None else ""
    note = f" ({t.speaker_note})" if t.speaker_note else ""
    return f"mono, {how}{share}{note}"
