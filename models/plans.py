"""Results of the two rigid loops: daily plan items as checked, and stage-gate decisions."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base
from .types import BigId, OrgId, UTCDateTime

PLAN_STATES = ("done", "unverified", "red", "invalid")
PLAN_REASONS = ("客户临时变更", "资料未齐", "权限不足", "其他")
GATE_STATES = ("passed", "blocked", "overridden")


class ApPlanItem(Base):
    """One `crm_daily_plans` item as the check time found it, and the manager's reason when red."""

    __tablename__ = "ap_plan_items"
    plan_id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    org_id: Mapped[str] = mapped_column(OrgId, index=True)
    rep_id: Mapped[int] = mapped_column(BigId, index=True)
    manager_id: Mapped[int | None] = mapped_column(BigId, index=True)
    plan_date: Mapped[dt.date] = mapped_column(Date, index=True)
    iso_week: Mapped[str] = mapped_column(String(8))  # 2026-W10, for weekly completion
    seq: Mapped[int] = mapped_column(Integer)
    customer_id: Mapped[int] = mapped_column(BigId)
    action_type: Mapped[str] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(16))  # done / unverified / red / invalid
    action_id: Mapped[int | None] = mapped_column(BigId)  # the action that met it
    detail: Mapped[str | None] = mapped_column(Text)
    checked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    reason_due_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, index=True)
    reason: Mapped[str | None] = mapped_column(String(16))  # 客户临时变更 / 资料未齐 / 权限不足 / 其他
    note: Mapped[str | None] = mapped_column(Text)
    reason_by: Mapped[int | None] = mapped_column(BigId)
    reason_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)  # the first reason's time
    reason_job_id: Mapped[str | None] = mapped_column(String(128))
    # Set by the sweep when a red item had no reason at its deadline (counted against the manager).
    reason_missed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class ApGateDecision(Base):
    """The answer to one `stage.requested/1`: passed or blocked, every checklist item with its evidence."""

    __tablename__ = "ap_gate_decisions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    org_id: Mapped[str] = mapped_column(OrgId, index=True)
    job_id: Mapped[str] = mapped_column(String(128), unique=True)
    customer_id: Mapped[int] = mapped_column(BigId, index=True)
    pack: Mapped[str] = mapped_column(String(64))
    from_stage: Mapped[str | None] = mapped_column(String(64))
    target_stage: Mapped[str] = mapped_column(String(64))
    requested_by: Mapped[int] = mapped_column(BigId)
    status: Mapped[str] = mapped_column(String(16))  # passed / blocked / overridden
    items: Mapped[list] = mapped_column(default=list)  # [{stage, id, name, state, reason, evidence}]
    missing: Mapped[int] = mapped_column(Integer)
    decided_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    overridden_by: Mapped[int | None] = mapped_column(BigId)
    override_reason: Mapped[str | None] = mapped_column(Text)
    overridden_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    override_job_id: Mapped[str | None] = mapped_column(String(128))
