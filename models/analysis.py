"""What the analysis found in a transcript or a message, per source and per touch.

Every row names its source (`source_kind` transcript/message + `source_id`) and the touch it
belongs to (`touch_key`: `action:<id>`, or `chat:<customer>:<rep>:<day>` for one day's
messages), so re-analysing a source replaces exactly its rows.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, Float, Index, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base
from .types import BigId, OrgId, UTCDateTime



class _FromSource:
    org_id: Mapped[str] = mapped_column(OrgId, index=True)
    customer_id: Mapped[int] = mapped_column(BigId, index=True)
    source_kind: Mapped[str] = mapped_column(String(16))
    source_id: Mapped[int] = mapped_column(BigId)
    touch_key: Mapped[str] = mapped_column(String(96), index=True)
    ref: Mapped[str | None] = mapped_column(String(64))  # segment:<id> / message:<id>
    speaker: Mapped[str | None] = mapped_column(String(16))
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ApAnalysis(Base):
    """One row per analysed source: the touch it belongs to and whether a need was stated."""

    __tablename__ = "ap_analyses"
    __table_args__ = (UniqueConstraint("source_kind", "source_id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    org_id: Mapped[str] = mapped_column(OrgId, index=True)
    customer_id: Mapped[int] = mapped_column(BigId, index=True)
    rep_id: Mapped[int | None] = mapped_column(BigId)
    source_kind: Mapped[str] = mapped_column(String(16))
    source_id: Mapped[int] = mapped_column(BigId)
    touch_key: Mapped[str] = mapped_column(String(96), index=True)
    occurred_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    local_date: Mapped[dt.date] = mapped_column(Date)
    industry: Mapped[str | None] = mapped_column(String(64))
    has_need: Mapped[bool] = mapped_column(Boolean)
    has_content: Mapped[bool] = mapped_column(Boolean)
    # Share of a call's speech attributed to rep or customer (None for messages); a call with
    # content but no speech attributed to the customer is `unattributed`: left out of need anchoring.
    attributed_share: Mapped[float | None] = mapped_column(Float)
    unattributed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    summary: Mapped[str | None] = mapped_column(Text)  # 录音摘要 of the source (nlp/summary.py)
    job_id: Mapped[str] = mapped_column(String(128))
    analyzed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ApMention(_FromSource, Base):
    __tablename__ = "ap_mentions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    mention: Mapped[str] = mapped_column(String(64))
    role: Mapped[str] = mapped_column(String(32))
    took_part: Mapped[bool] = mapped_column(Boolean)
    contact_id: Mapped[int | None] = mapped_column(BigId)
    evidence: Mapped[str | None] = mapped_column(Text)


class ApNeed(_FromSource, Base):
    __tablename__ = "ap_needs"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    text: Mapped[str] = mapped_column(Text)


class ApCommitment(_FromSource, Base):
    __tablename__ = "ap_commitments"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    phrase: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))  # expected / promised / other
    date: Mapped[dt.date | None] = mapped_column(Date)
    window_start: Mapped[dt.date | None] = mapped_column(Date)
    window_end: Mapped[dt.date | None] = mapped_column(Date)
    stated_on: Mapped[dt.date] = mapped_column(Date)
    # 年前, 节后, 这两天: resolved by convention, not named; never in rhythm match, shown in the suggestion.
    vague: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class ApMoney(_FromSource, Base):
    __tablename__ = "ap_money"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    phrase: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(16))  # budget / quote / price / discount
    yuan: Mapped[float | None] = mapped_column(Float)  # a point amount
    ratio: Mapped[float | None] = mapped_column(Float)
    # A range or an approximate amount (二三十万, 十来万, 二十万上下): its bounds; yuan is then empty.
    yuan_low: Mapped[float | None] = mapped_column(Float)
    yuan_high: Mapped[float | None] = mapped_column(Float)
    unit: Mapped[str | None] = mapped_column(String(16))  # per-unit amounts: 台 / 吨 / 平米 / 箱 …


class ApObjection(_FromSource, Base):
    __tablename__ = "ap_objections"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    type: Mapped[str] = mapped_column(String(16))  # price / delivery / service / other
    text: Mapped[str] = mapped_column(Text)


class ApKeyword(_FromSource, Base):
    __tablename__ = "ap_keywords"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    word: Mapped[str] = mapped_column(String(64))
    weight: Mapped[float] = mapped_column(Float)
    start_s: Mapped[float | None] = mapped_column(Float)


for _t in (ApMention, ApNeed, ApCommitment, ApMoney, ApObjection, ApKeyword):
    Index(f"ix_{_t.__tablename__}_source", _t.source_kind, _t.source_id)
