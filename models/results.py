"""Result tables (`ap_*`): written only by actionproof, read by the CRM and BI."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean, CheckConstraint, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text,
)
from sqlalchemy.orm import Mapped, mapped_column, validates

from .base import Base
from .functions import hash_chunks16, hash_chunks_check, hex64_check
from .types import BigId, OrgId, UTCDateTime


# Job states of docs/contract.md, "Job life".
JOB_STATES = ("received", "running", "retrying", "done", "failed", "rejected", "dead_lettered")
FINAL_JOB_STATES = ("done", "failed", "rejected", "dead_lettered")
ALERT_STATES = ("open", "overdue", "resolved", "superseded")
OPEN_ALERT_STATES = ("open", "overdue")


class ApJob(Base):
    """One row per job_id: the idempotency key and the job's life."""

    __tablename__ = "ap_jobs"
    job_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    org_id: Mapped[str | None] = mapped_column(OrgId, index=True)
    schema: Mapped[str | None] = mapped_column(String(64))
    queue: Mapped[str] = mapped_column(String(64))
    status: Mapped[str] = mapped_column(String(16), index=True)
    error_code: Mapped[str | None] = mapped_column(String(32))
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    payload: Mapped[dict | None] = mapped_column()
    result: Mapped[dict | None] = mapped_column()
    received_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    first_attempt_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    updated_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class ApVerdict(Base):
    """A credibility verdict on one action; a re-submission makes a new version."""

    __tablename__ = "ap_verdicts"
    __table_args__ = (UniqueConstraint("action_id", "version"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    org_id: Mapped[str] = mapped_column(OrgId, index=True)
    action_id: Mapped[int] = mapped_column(BigId, index=True)
    version: Mapped[int] = mapped_column(Integer)
    job_id: Mapped[str] = mapped_column(String(128), unique=True)
    status: Mapped[str] = mapped_column(String(24))  # verified / pending_verification
    failed_rules: Mapped[list] = mapped_column(default=list)
    rules_version: Mapped[str] = mapped_column(String(32))
    risk_score: Mapped[float | None] = mapped_column(Float)  # soft anti-cheat flags, 0–100
    judged_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    superseded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class ApCheck(Base):
    """One rule judged on one action or photo, with its measured value."""

    __tablename__ = "ap_checks"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    org_id: Mapped[str] = mapped_column(OrgId, index=True)
    verdict_id: Mapped[int] = mapped_column(ForeignKey("ap_verdicts.id", ondelete="CASCADE"), index=True)
    action_id: Mapped[int] = mapped_column(BigId, index=True)
    rule: Mapped[str] = mapped_column(String(32))
    subject: Mapped[str | None] = mapped_column(String(64))
    passed: Mapped[bool] = mapped_column(Boolean)
    value_num: Mapped[float | None] = mapped_column(Float)
    value_text: Mapped[str | None] = mapped_column(String(200))
    unit: Mapped[str | None] = mapped_column(String(16))
    threshold: Mapped[float | None] = mapped_column(Float)
    reason: Mapped[str | None] = mapped_column(String(64))
    detail: Mapped[str | None] = mapped_column(Text)
    severity: Mapped[str | None] = mapped_column(String(8))  # anti-cheat flags: hard / soft
    ref: Mapped[str | None] = mapped_column(String(64))  # e.g. the earlier action a reused photo came from


class ApAlert(Base):
    """A verification alert to the rep's manager, due a fixed time after it is raised."""

    __tablename__ = "ap_alerts"
    __table_args__ = (
        # One open alert per action (docs/contract.md, "Alerts"), enforced by the database itself.
        Index(
            "uq_ap_alerts_open_action",
            "action_id",
            unique=True,
            postgresql_where=text("status IN ('open', 'overdue')"),
            sqlite_where=text("status IN ('open', 'overdue')"),
        ),
    )
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    org_id: Mapped[str] = mapped_column(OrgId, index=True)
    action_id: Mapped[int] = mapped_column(BigId, index=True)
    verdict_id: Mapped[int] = mapped_column(ForeignKey("ap_verdicts.id"), index=True)
    rep_id: Mapped[int] = mapped_column(BigId, index=True)
    manager_id: Mapped[int | None] = mapped_column(BigId, index=True)
    status: Mapped[str] = mapped_column(String(16), index=True)
    reasons: Mapped[list] = mapped_column(default=list)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    overdue_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    escalated_to_id: Mapped[int | None] = mapped_column(BigId)
    resolved_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    resolution: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    resolved_by: Mapped[int | None] = mapped_column(BigId)
    resolved_job_id: Mapped[str | None] = mapped_column(String(128))
    # The organisation's local month the alert was raised in (YYYY-MM): the anomaly baseline's month.
    local_month: Mapped[str | None] = mapped_column(String(7))


class ApQualityEvent(Base):
    """Something that counts against (or for) a rep's process quality, e.g. an overdue alert."""

    __tablename__ = "ap_quality_events"
    __table_args__ = (UniqueConstraint("kind", "alert_id"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    org_id: Mapped[str] = mapped_column(OrgId, index=True)
    rep_id: Mapped[int] = mapped_column(BigId, index=True)
    kind: Mapped[str] = mapped_column(String(32))
    alert_id: Mapped[int | None] = mapped_column(ForeignKey("ap_alerts.id"))
    action_id: Mapped[int | None] = mapped_column(BigId)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    detail: Mapped[dict | None] = mapped_column()


class ApOutbox(Base):
    """Events and follow-up jobs written in the job's transaction, published after commit.

    A crash between commit and publish therefore loses nothing: the next flush sends them.
    """

    __tablename__ = "ap_outbox"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    org_id: Mapped[str | None] = mapped_column(OrgId)
    kind: Mapped[str] = mapped_column(String(8))  # event / job
    target: Mapped[str] = mapped_column(String(128))  # routing key (event) or schema (job)
    body: Mapped[dict] = mapped_column()
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    published_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime, index=True)


PHASH_CHUNKS = ("phash_c0", "phash_c1", "phash_c2", "phash_c3")


def _chunk_of(context, i: int) -> int | None:
    return hash_chunks16(context.get_current_parameters().get("phash"))[i]


class ApPhoto(Base):
    """What was read from one visit photo: kept so later actions can be compared with it
    (perceptual hash for reuse, position and time for impossible travel)."""

    __tablename__ = "ap_photos"
    # Hashes are compared in SQL (models.functions.hamming64); the database keeps them well formed.
    # The reuse lookup probes each 16-bit chunk of the pHash in its own index (models.photo_lookup);
    # the hash is in the index too, so the candidates are read from the index alone. The database
    # keeps the chunks equal to the hash (the lookup would miss a row whose chunks were wrong).
    __table_args__ = (CheckConstraint(hex64_check("phash"), name="ck_ap_photos_phash_hex"),
                      CheckConstraint(hex64_check("dhash"), name="ck_ap_photos_dhash_hex"),
                      CheckConstraint(hash_chunks_check("phash", PHASH_CHUNKS), name="phash_chunks"),
                      *(Index(f"ix_ap_photos_org_{c}", "org_id", c, "phash") for c in PHASH_CHUNKS))
    photo_id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    org_id: Mapped[str] = mapped_column(OrgId, index=True)
    action_id: Mapped[int] = mapped_column(BigId, index=True)
    rep_id: Mapped[int] = mapped_column(BigId, index=True)
    customer_id: Mapped[int | None] = mapped_column(BigId)
    phash: Mapped[str | None] = mapped_column(String(16))
    dhash: Mapped[str | None] = mapped_column(String(16))
    hash_algorithm: Mapped[str | None] = mapped_column(String(32))  # compare only equal algorithms
    phash_reason: Mapped[str | None] = mapped_column(String(32))
    # The pHash's four 16-bit chunks (c0 = its first four hex digits); NULL when phash is. Set with
    # phash on an ORM object, by the defaults on a bulk INSERT that leaves them out.
    phash_c0: Mapped[int | None] = mapped_column(Integer, default=lambda ctx: _chunk_of(ctx, 0))
    phash_c1: Mapped[int | None] = mapped_column(Integer, default=lambda ctx: _chunk_of(ctx, 1))
    phash_c2: Mapped[int | None] = mapped_column(Integer, default=lambda ctx: _chunk_of(ctx, 2))
    phash_c3: Mapped[int | None] = mapped_column(Integer, default=lambda ctx: _chunk_of(ctx, 3))
    gps_lat: Mapped[float | None] = mapped_column(Float)
    gps_lon: Mapped[float | None] = mapped_column(Float)
    gps_time_utc: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    make: Mapped[str | None] = mapped_column(String(100))
    model: Mapped[str | None] = mapped_column(String(100))
    software: Mapped[str | None] = mapped_column(String(200))
    width: Mapped[int | None] = mapped_column(Integer)
    height: Mapped[int | None] = mapped_column(Integer)
    read_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)

    @validates("phash")
    def _phash_chunks(self, _key: str, value: str | None) -> str | None:
        self.phash_c0, self.phash_c1, self.phash_c2, self.phash_c3 = hash_chunks16(value)
        return value


class ApAudit(Base):
    """Who did what to which record: alert resolutions, purges, deletions after consent was revoked."""

    __tablename__ = "ap_audit"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    org_id: Mapped[str | None] = mapped_column(OrgId, index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(64))  # user:<id> / system:purge / job:<job_id>
    action: Mapped[str] = mapped_column(String(32))  # alert_resolved / purged / consent_revoked
    object: Mapped[str] = mapped_column(String(64))  # alert:12 / recording:7 / photo:3
    detail: Mapped[dict | None] = mapped_column()
