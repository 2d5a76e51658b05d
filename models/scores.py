"""What managers and BI read: CQI, auto-fill suggestions, health radar, store funnels,
process quality. Each row keeps the inputs it was computed from (`details`)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, Float, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base
from .types import BigId, OrgId, UTCDateTime



class ApCqi(Base):
    __tablename__ = "ap_cqi"
    __table_args__ = (UniqueConstraint("customer_id", "period_kind", "period_label"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    org_id: Mapped[str] = mapped_column(OrgId, index=True)
    customer_id: Mapped[int] = mapped_column(BigId, index=True)
    period_kind: Mapped[str] = mapped_column(String(16))  # rolling (30 days, label R30:<end>) / iso_week / custom
    period_label: Mapped[str] = mapped_column(String(32))
    period_start: Mapped[dt.date] = mapped_column(Date)
    period_end: Mapped[dt.date] = mapped_column(Date)
    depth: Mapped[float | None] = mapped_column(Float)
    anchoring: Mapped[float | None] = mapped_column(Float)
    rhythm: Mapped[float | None] = mapped_column(Float)
    cqi: Mapped[float | None] = mapped_column(Float)
    depth_healthy: Mapped[bool | None] = mapped_column(Boolean)
    anchoring_healthy: Mapped[bool | None] = mapped_column(Boolean)
    rhythm_healthy: Mapped[bool | None] = mapped_column(Boolean)
    open_expectations: Mapped[int] = mapped_column(Integer, default=0)
    details: Mapped[dict] = mapped_column()
    computed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ApSuggestion(Base):
    __tablename__ = "ap_suggestions"
    __table_args__ = (UniqueConstraint("customer_id", "action_type"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    org_id: Mapped[str] = mapped_column(OrgId, index=True)
    customer_id: Mapped[int] = mapped_column(BigId, index=True)
    action_type: Mapped[str] = mapped_column(String(32))
    next_touch_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    body: Mapped[dict] = mapped_column()
    computed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ApRadar(Base):
    __tablename__ = "ap_radar"
    __table_args__ = (UniqueConstraint("customer_id", "week_label"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    org_id: Mapped[str] = mapped_column(OrgId, index=True)
    customer_id: Mapped[int] = mapped_column(BigId, index=True)
    rep_id: Mapped[int | None] = mapped_column(BigId, index=True)
    week_label: Mapped[str] = mapped_column(String(16))
    chain_coverage: Mapped[float | None] = mapped_column(Float)
    need_clarity: Mapped[float | None] = mapped_column(Float)
    budget_match: Mapped[float | None] = mapped_column(Float)
    details: Mapped[dict] = mapped_column()
    computed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ApFunnel(Base):
    __tablename__ = "ap_funnels"
    __table_args__ = (UniqueConstraint("store_id", "day"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    org_id: Mapped[str] = mapped_column(OrgId, index=True)
    store_id: Mapped[int] = mapped_column(BigId, index=True)
    day: Mapped[dt.date] = mapped_column(Date)
    entered: Mapped[int] = mapped_column(Integer)
    probed: Mapped[int] = mapped_column(Integer)
    recommended: Mapped[int] = mapped_column(Integer)
    objection_handled: Mapped[int] = mapped_column(Integer)
    closed: Mapped[int] = mapped_column(Integer)
    details: Mapped[dict] = mapped_column()
    computed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ApProcessQuality(Base):
    """Per rep (or manager) per ISO week: evidence completeness, verified share, alerts."""

    __tablename__ = "ap_process_quality"
    __table_args__ = (UniqueConstraint("subject_kind", "subject_id", "week_label"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    org_id: Mapped[str] = mapped_column(OrgId, index=True)
    subject_kind: Mapped[str] = mapped_column(String(8))  # rep / manager
    subject_id: Mapped[int] = mapped_column(BigId, index=True)
    week_label: Mapped[str] = mapped_column(String(16))
    score: Mapped[float | None] = mapped_column(Float)
    details: Mapped[dict] = mapped_column()
    computed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
