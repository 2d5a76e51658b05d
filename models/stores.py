"""Results of issue #15: in-store prompts and the funnel per stage and per node, weekly radar digests,
and what resolved anomalies teach (alternative sites, GPS drift samples)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Float, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base
from .types import BigId, OrgId, UTCDateTime

PROMPT_STATES = ("next", "last_node", "stale")


class ApStorePrompt(Base):
    """The answer to one node completion (`crm_store_events` row): the next line and similar won cases."""

    __tablename__ = "ap_store_prompts"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    org_id: Mapped[str] = mapped_column(OrgId, index=True)
    job_id: Mapped[str] = mapped_column(String(128))
    store_id: Mapped[int] = mapped_column(BigId, index=True)
    # One prompt per completion: a second message about the same row changes nothing.
    store_event_id: Mapped[int] = mapped_column(BigId, unique=True)
    visitor_id: Mapped[str] = mapped_column(String(64))
    node_seq: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(16))  # next / last_node / stale
    next_node_seq: Mapped[int | None] = mapped_column(Integer)
    line: Mapped[str | None] = mapped_column(Text)
    body: Mapped[dict] = mapped_column()  # the whole prompt: lines, skipped nodes, cases, note
    completed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ApFunnelStep(Base):
    """One store × local day × funnel stage or node: visitors who reached it and who were recorded there."""

    __tablename__ = "ap_funnel_steps"
    __table_args__ = (UniqueConstraint("store_id", "day", "kind", "seq"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    org_id: Mapped[str] = mapped_column(OrgId, index=True)
    store_id: Mapped[int] = mapped_column(BigId, index=True)
    day: Mapped[dt.date] = mapped_column(Date)
    iso_week: Mapped[str] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(8))  # stage / node
    seq: Mapped[int] = mapped_column(Integer)  # stage: 1…5 in funnel order; node: crm_store_nodes.seq
    step: Mapped[str] = mapped_column(String(64))  # stage key, or the node's name
    label: Mapped[str] = mapped_column(String(64))  # 进店 … 成交, or the node's name
    stage: Mapped[str | None] = mapped_column(String(32))  # a node's declared stage key
    reached: Mapped[int] = mapped_column(Integer)
    recorded: Mapped[int] = mapped_column(Integer)
    computed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ApRadarDigest(Base):
    """The weekly radar digest of one manager: emitted once per ISO week, delivered by the notifier."""

    __tablename__ = "ap_radar_digests"
    __table_args__ = (UniqueConstraint("manager_id", "week_label"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    org_id: Mapped[str] = mapped_column(OrgId, index=True)
    manager_id: Mapped[int] = mapped_column(BigId)
    week_label: Mapped[str] = mapped_column(String(16))
    customers: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ApAltSite(Base):
    """Where a customer temporarily receives visits (a 客户临时改址 resolution with the new position):
    check-ins and photos there pass the distance rules until `valid_until`."""

    __tablename__ = "ap_alt_sites"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    org_id: Mapped[str] = mapped_column(OrgId, index=True)
    customer_id: Mapped[int] = mapped_column(BigId, index=True)
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    datum: Mapped[str] = mapped_column(String(8))
    alert_id: Mapped[int] = mapped_column(BigId, unique=True)  # one site per resolved alert
    action_id: Mapped[int] = mapped_column(BigId)
    resolved_by: Mapped[int] = mapped_column(BigId)
    valid_from: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    valid_until: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ApDriftSample(Base):
    """A distance a manager called GPS drift (信号漂移): the rep's (and device's) drift baseline, shown, never
    used to loosen a rule."""

    __tablename__ = "ap_drift_samples"
    __table_args__ = (UniqueConstraint("alert_id", "rule", "subject"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    org_id: Mapped[str] = mapped_column(OrgId, index=True)
    rep_id: Mapped[int] = mapped_column(BigId, index=True)
    device_id: Mapped[str | None] = mapped_column(String(128))
    alert_id: Mapped[int] = mapped_column(BigId)
    action_id: Mapped[int] = mapped_column(BigId)
    rule: Mapped[str] = mapped_column(String(32))  # checkin_distance / photo_distance
    subject: Mapped[str] = mapped_column(String(64))  # checkin / photo:<id>
    distance_m: Mapped[float] = mapped_column(Float)
    limit_m: Mapped[float] = mapped_column(Float)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)  # the action's submission
