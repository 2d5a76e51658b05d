"""CRM contract tables (`crm_*`): written by the CRM, only read by actionproof.

A CRM that keeps its own tables replaces these with views of the same names and columns.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base
from .types import BigId, OrgId, UTCDateTime



class CrmOrg(Base):
    __tablename__ = "crm_orgs"
    id: Mapped[str] = mapped_column(OrgId, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")


class CrmUser(Base):
    __tablename__ = "crm_users"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("crm_orgs.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))  # rep / manager
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("crm_users.id"))
    phone: Mapped[str | None] = mapped_column(String(64))
    # The rep's own consent to a voiceprint (PIPL: biometric information; the recording consent on
    # crm_recordings is the customer's). Withdrawn (false) or left_at set: the voiceprint is deleted.
    voiceprint_consent: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    voiceprint_consent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    left_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class CrmCustomer(Base):
    __tablename__ = "crm_customers"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("crm_orgs.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    industry: Mapped[str | None] = mapped_column(String(64))
    segment: Mapped[str | None] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(Text)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    datum: Mapped[str | None] = mapped_column(String(8))
    radius_m: Mapped[float | None] = mapped_column(Float)
    owner_rep_id: Mapped[int | None] = mapped_column(ForeignKey("crm_users.id"))
    # The customer's current sales stage (a stage id of its pack's stage list); empty = the first stage.
    stage: Mapped[str | None] = mapped_column(String(64))


class CrmCustomerPhone(Base):
    __tablename__ = "crm_customer_phones"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("crm_customers.id"), index=True)
    phone: Mapped[str] = mapped_column(String(64))


class CrmContact(Base):
    __tablename__ = "crm_contacts"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("crm_customers.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    title: Mapped[str | None] = mapped_column(String(200))
    role_tag: Mapped[str | None] = mapped_column(String(32))
    phone: Mapped[str | None] = mapped_column(String(64))


class CrmAction(Base):
    __tablename__ = "crm_actions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("crm_orgs.id"), index=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("crm_customers.id"), index=True)
    rep_id: Mapped[int] = mapped_column(ForeignKey("crm_users.id"), index=True)
    type: Mapped[str] = mapped_column(String(32))
    submitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    next_touch_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    checkin_lat: Mapped[float | None] = mapped_column(Float)
    checkin_lon: Mapped[float | None] = mapped_column(Float)
    checkin_datum: Mapped[str | None] = mapped_column(String(8))
    checkin_accuracy_m: Mapped[float | None] = mapped_column(Float)
    # The phone (or badge) the evidence came from, when the CRM knows it: GPS drift is kept per device too.
    device_id: Mapped[str | None] = mapped_column(String(128))


class CrmCallLog(Base):
    __tablename__ = "crm_call_logs"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("crm_actions.id"), index=True)
    counterpart_number: Mapped[str] = mapped_column(String(64))
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    duration_s: Mapped[int | None] = mapped_column(Integer)
    direction: Mapped[str | None] = mapped_column(String(8))


class CrmPhoto(Base):
    __tablename__ = "crm_photos"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    action_id: Mapped[int] = mapped_column(ForeignKey("crm_actions.id"), index=True)
    path: Mapped[str] = mapped_column(Text)
    uploaded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class CrmRecording(Base):
    __tablename__ = "crm_recordings"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("crm_customers.id"), index=True)
    rep_id: Mapped[int] = mapped_column(ForeignKey("crm_users.id"))
    action_id: Mapped[int | None] = mapped_column(ForeignKey("crm_actions.id"))
    path: Mapped[str] = mapped_column(Text)
    layout: Mapped[str] = mapped_column(String(16), default="mono")
    recorded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_source: Mapped[str | None] = mapped_column(String(64))
    # The CRM marks a recording of the rep alone (a voice sample) so it can enrol the rep's voiceprint.
    rep_voice_sample: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class CrmMessage(Base):
    __tablename__ = "crm_messages"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("crm_customers.id"), index=True)
    rep_id: Mapped[int] = mapped_column(ForeignKey("crm_users.id"))
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("crm_contacts.id"))
    sender: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str | None] = mapped_column(String(32))
    sent_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    text: Mapped[str] = mapped_column(Text)


class CrmQuote(Base):
    __tablename__ = "crm_quotes"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("crm_customers.id"), index=True)
    product: Mapped[str] = mapped_column(String(200))
    amount_yuan: Mapped[float] = mapped_column(Float)
    quoted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class CrmInventory(Base):
    __tablename__ = "crm_inventory"
    product: Mapped[str] = mapped_column(String(200), primary_key=True)
    quantity: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)


class CrmStore(Base):
    __tablename__ = "crm_stores"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("crm_orgs.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    industry: Mapped[str | None] = mapped_column(String(64))
    # Stores of one chain share their won cases for in-store prompts; empty = the store alone.
    chain_id: Mapped[str | None] = mapped_column(String(64), index=True)


class CrmStoreNode(Base):
    __tablename__ = "crm_store_nodes"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("crm_stores.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(64))
    script_lines: Mapped[list] = mapped_column(default=list)  # the first is the reference line of prompts
    # The funnel stage the node counts for (entered / probed / recommended / objection_handled / closed,
    # or 进店 / 探询 / 推荐 / 异议处理 / 成交); empty = none, unless the node's name is a stage's.
    stage: Mapped[str | None] = mapped_column(String(32))


class CrmStoreEvent(Base):
    __tablename__ = "crm_store_events"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    store_id: Mapped[int] = mapped_column(ForeignKey("crm_stores.id"), index=True)
    visitor_id: Mapped[str] = mapped_column(String(64))
    node_seq: Mapped[int] = mapped_column(Integer)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    # What the guide noted at the node (both optional): the similar-case lookup of prompts matches on them.
    product: Mapped[str | None] = mapped_column(String(200))
    objection: Mapped[str | None] = mapped_column(String(64))


class CrmDocView(Base):
    __tablename__ = "crm_doc_views"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("crm_customers.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)
    seconds: Mapped[float] = mapped_column(Float, default=0.0)


class CrmProposalRevision(Base):
    __tablename__ = "crm_proposal_revisions"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("crm_customers.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class CrmRebateQuery(Base):
    __tablename__ = "crm_rebate_queries"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("crm_customers.id"), index=True)
    at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


class CrmDailyPlan(Base):
    """One of a rep's must-do actions for a local day (今日3件必做), written before the morning meeting."""

    __tablename__ = "crm_daily_plans"
    __table_args__ = (UniqueConstraint("rep_id", "plan_date", "seq"),)
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    org_id: Mapped[str] = mapped_column(ForeignKey("crm_orgs.id"), index=True)
    rep_id: Mapped[int] = mapped_column(ForeignKey("crm_users.id"))
    plan_date: Mapped[dt.date] = mapped_column(Date, index=True)
    seq: Mapped[int] = mapped_column(Integer)
    customer_id: Mapped[int] = mapped_column(ForeignKey("crm_customers.id"))
    action_type: Mapped[str] = mapped_column(String(32))
    target: Mapped[str | None] = mapped_column(Text)  # what the action should achieve, as the rep wrote it


class CrmAttachment(Base):
    """A file the CRM stored for a customer (signed forms, e-mails, contracts), optionally of one action."""

    __tablename__ = "crm_attachments"
    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    customer_id: Mapped[int] = mapped_column(ForeignKey("crm_customers.id"), index=True)
    action_id: Mapped[int | None] = mapped_column(ForeignKey("crm_actions.id"))
    kind: Mapped[str] = mapped_column(String(32))  # tech_spec_signed / payment_terms_email / quote / contract …
    path: Mapped[str] = mapped_column(Text)  # relative to the media root
    uploaded_at: Mapped[dt.datetime] = mapped_column(UTCDateTime)


Index("ix_crm_actions_rep_submitted", CrmAction.rep_id, CrmAction.submitted_at)
Index("ix_crm_store_events_store_visitor", CrmStoreEvent.store_id, CrmStoreEvent.visitor_id)
