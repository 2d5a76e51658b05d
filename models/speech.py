"""Transcripts of call recordings (`ap_transcripts`, `ap_segments`), their conversation metrics
(`ap_conversation_metrics`) and the reps' voice samples (`ap_voice_samples`)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Float, ForeignKey, Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base
from .types import BigId, OrgId, UTCDateTime



class ApTranscript(Base):
    """One transcript per recording; a re-run (new model, reprocess) replaces it in place."""

    __tablename__ = "ap_transcripts"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    org_id: Mapped[str] = mapped_column(OrgId, index=True)
    recording_id: Mapped[int] = mapped_column(BigId, unique=True)
    customer_id: Mapped[int] = mapped_column(BigId, index=True)
    rep_id: Mapped[int | None] = mapped_column(BigId)
    action_id: Mapped[int | None] = mapped_column(BigId)
    job_id: Mapped[str] = mapped_column(String(128))
    language: Mapped[str] = mapped_column(String(8))
    duration_s: Mapped[float] = mapped_column(Float)
    speaker_mode: Mapped[str] = mapped_column(String(16))  # channels / unknown
    # How the speakers were told apart: channels / voiceprint / words / manager / none.
    speaker_method: Mapped[str | None] = mapped_column(String(16))
    attributed_share: Mapped[float | None] = mapped_column(Float)  # of speech time: rep or customer
    speaker_note: Mapped[str | None] = mapped_column(String(64))  # why some or all speech is unknown
    text: Mapped[str] = mapped_column(Text)
    model: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ApSegment(Base):
    __tablename__ = "ap_segments"
    __table_args__ = (UniqueConstraint("transcript_id", "seq"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    org_id: Mapped[str] = mapped_column(OrgId, index=True)
    transcript_id: Mapped[int] = mapped_column(ForeignKey("ap_transcripts.id", ondelete="CASCADE"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    start_s: Mapped[float] = mapped_column(Float)
    end_s: Mapped[float] = mapped_column(Float)
    speaker: Mapped[str] = mapped_column(String(16))  # rep / customer / unknown
    speaker_confidence: Mapped[float | None] = mapped_column(Float)  # 0…1; 1 from the channels
    voice: Mapped[int | None] = mapped_column(Integer)  # the voice within this recording (mono), 0, 1, …
    text: Mapped[str] = mapped_column(Text)
    avg_logprob: Mapped[float | None] = mapped_column(Float)
    no_speech_prob: Mapped[float | None] = mapped_column(Float)


class ApConversationMetrics(Base):
    """Gong's conversation set per transcript (nlp/speech/conversation.py); replaced with the transcript."""

    __tablename__ = "ap_conversation_metrics"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    org_id: Mapped[str] = mapped_column(OrgId, index=True)
    transcript_id: Mapped[int] = mapped_column(ForeignKey("ap_transcripts.id", ondelete="CASCADE"), unique=True)
    customer_id: Mapped[int] = mapped_column(BigId, index=True)
    rep_id: Mapped[int | None] = mapped_column(BigId, index=True)
    recorded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    duration_s: Mapped[float] = mapped_column(Float)
    rep_s: Mapped[float] = mapped_column(Float)
    customer_s: Mapped[float] = mapped_column(Float)
    unknown_s: Mapped[float] = mapped_column(Float)
    attributed_share: Mapped[float | None] = mapped_column(Float)
    talk_ratio_rep: Mapped[float | None] = mapped_column(Float)  # rep ÷ (rep + customer) speaking time
    # Per-party figures are None when no speech was attributed (not zeros that look like facts).
    longest_rep_monologue_s: Mapped[float | None] = mapped_column(Float)
    longest_customer_story_s: Mapped[float | None] = mapped_column(Float)
    questions_rep: Mapped[int | None] = mapped_column(Integer)
    questions_customer: Mapped[int | None] = mapped_column(Integer)
    switches: Mapped[int | None] = mapped_column(Integer)
    interactivity_per_min: Mapped[float | None] = mapped_column(Float)
    patience_s: Mapped[float | None] = mapped_column(Float)  # rep's mean pause before answering
    computed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ApVoiceSample(Base):
    """One enrolment sample of a rep's voice: a speaker embedding, never audio.

    A rep's voiceprint is the seconds-weighted mean of their samples of one method. Biometric
    personal information (PIPL): deleted when the rep withdraws consent or leaves, with the source
    recording's consent, and by `purge`; never logged, in no BI view.
    """

    __tablename__ = "ap_voice_samples"
    __table_args__ = (UniqueConstraint("rep_id", "source", "recording_id", "method"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    org_id: Mapped[str] = mapped_column(OrgId, index=True)
    rep_id: Mapped[int] = mapped_column(BigId, index=True)
    recording_id: Mapped[int | None] = mapped_column(BigId, index=True)  # None: enrolled by an operator from a file
    source: Mapped[str] = mapped_column(String(16))  # stereo_call / rep_sample / operator
    method: Mapped[str] = mapped_column(String(40))
    sample_rate: Mapped[int] = mapped_column(Integer)
    seconds: Mapped[float] = mapped_column(Float)
    vector: Mapped[bytes] = mapped_column(LargeBinary)  # float32 little-endian, L2-normalised
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
