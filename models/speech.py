"""Transcripts of call recordings (`ap_transcripts`, `ap_segments`)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Float, ForeignKey, Integer, String, Text, UniqueConstraint
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
    text: Mapped[str] = mapped_column(Text)
    avg_logprob: Mapped[float | None] = mapped_column(Float)
    no_speech_prob: Mapped[float | None] = mapped_column(Float)
