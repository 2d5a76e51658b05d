"""`transcript.ready/1` and `message.submitted/1`: what the customer needs, who took part,
dates expected and promised, money and objections — stored per source and touch."""
from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select

from models import (
    ApAnalysis, ApCommitment, ApKeyword, ApMention, ApMoney, ApNeed, ApObjection, ApSegment, ApTranscript,
    CrmContact, CrmCustomer, CrmMessage, CrmOrg,
)
from queues.publisher import job_message
from queues.schemas import MessageSubmitted, TranscriptReady

from ..consumer import JobContext, utcnow
from ..errors import not_found
from ..outbox import derived_job_id

RESULT_TABLES = (ApMention, ApNeed, ApCommitment, ApMoney, ApObjection, ApKeyword)


def _tz(ctx: JobContext, org_id: str) -> ZoneInfo:
    org = ctx.session.get(CrmOrg, org_id)
    return ZoneInfo(org.timezone if org and org.timezone else ctx.settings.default_timezone)


def _contacts(ctx: JobContext, customer_id: int):
    from nlp.analyze import ContactRef

    return [ContactRef(id=c.id, name=c.name, title=c.title, role_tag=c.role_tag)
            for c in ctx.session.scalars(select(CrmContact).where(CrmContact.customer_id == customer_id))]


def handle_transcript_ready(ctx: JobContext, msg: TranscriptReady) -> dict[str, Any]:
    from nlp.analyze import Utterance

    s = ctx.session
    tr = s.get(ApTranscript, msg.transcript_id)
    if tr is None or tr.org_id != msg.org_id:
        raise not_found(f"transcript {msg.transcript_id} of org {msg.org_id}", ctx.settings.not_found_window_s)
    segments = s.scalars(select(ApSegment).where(ApSegment.transcript_id == tr.id).order_by(ApSegment.seq)).all()
    utterances = [Utterance(text=g.text, speaker=g.speaker, start_s=g.start_s, end_s=g.end_s, ref=f"segment:{g.id}")
                  for g in segments]
    occurred = tr.recorded_at or tr.created_at
    touch = f"action:{tr.action_id}" if tr.action_id else f"call:{tr.recording_id}"
    share = tr.attributed_share if tr.speaker_mode != "channels" else 1.0
    return _store(ctx, msg.org_id, tr.customer_id, tr.rep_id, "transcript", tr.id, touch, occurred, utterances,
                  attributed_share=share)


def handle_message_submitted(ctx: JobContext, msg: MessageSubmitted) -> dict[str, Any]:
    from nlp.analyze import Utterance

    s = ctx.session
    m = s.get(CrmMessage, msg.message_id)
    customer = s.get(CrmCustomer, m.customer_id) if m is not None else None
    if m is None or customer is None or customer.org_id != msg.org_id:
        raise not_found(f"message {msg.message_id} of org {msg.org_id}", ctx.settings.not_found_window_s)
    day = m.sent_at.astimezone(_tz(ctx, msg.org_id)).date()
    # docs/contract.md, "Touch": all messages between a customer and the rep on one calendar day are one touch.
    touch = f"chat:{m.customer_id}:{m.rep_id}:{day.isoformat()}"
    utterance = Utterance(text=m.text or "", speaker=m.sender if m.sender in ("rep", "customer") else "unknown",
                          ref=f"message:{m.id}")
    sender = s.get(CrmContact, m.contact_id) if m.sender == "customer" and m.contact_id else None
    return _store(ctx, msg.org_id, m.customer_id, m.rep_id, "message", m.id, touch, m.sent_at, [utterance],
                  sender=sender)


def _store(ctx: JobContext, org_id: str, customer_id: int, rep_id: int | None, kind: str, source_id: int,
           touch: str, occurred: dt.datetime, utterances, sender: CrmContact | None = None,
           attributed_share: float | None = None) -> dict[str, Any]:
    from nlp.analyze import analyze

    s = ctx.session
    customer = s.get(CrmCustomer, customer_id)
    local_date = occurred.astimezone(_tz(ctx, org_id)).date()
    result = analyze(utterances, on=local_date, industry=customer.industry if customer else None,
                     segment=customer.segment if customer else None, contacts=_contacts(ctx, customer_id))
    # Re-analysing a source replaces exactly its rows (idempotent per source).
    for table in RESULT_TABLES:
        s.execute(delete(table).where(table.source_kind == kind, table.source_id == source_id))
    s.execute(delete(ApAnalysis).where(ApAnalysis.source_kind == kind, ApAnalysis.source_id == source_id))
    common = dict(org_id=org_id, customer_id=customer_id, source_kind=kind, source_id=source_id, touch_key=touch,
                  occurred_at=occurred)
    rows: list = []
    for r in result.mentions or result.roles:  # every occurrence, with its segment
        rows.append(ApMention(**common, ref=r.ref, speaker=r.speaker, mention=r.mention, role=r.role,
                              took_part=r.took_part, contact_id=r.contact_id, evidence=r.evidence))
    if sender is not None:
        # The person who sent the message took part (docs/contract.md, "Analysis semantics"), named or not in the text.
        rows.append(ApMention(**common, ref=f"message:{source_id}", speaker="customer", mention=sender.name,
                              role=sender.role_tag or "other", took_part=True, contact_id=sender.id,
                              evidence="sent the message"))
    rows += [ApNeed(**common, ref=n.ref, speaker=n.speaker, text=n.text) for n in result.needs]
    rows += [ApCommitment(**common, ref=c.ref, speaker=c.speaker, phrase=c.phrase, kind=c.kind, date=c.date,
                          window_start=c.window_start, window_end=c.window_end, stated_on=local_date, vague=c.vague)
             for c in result.commitments]
    rows += [ApMoney(**common, ref=m.ref, speaker=m.speaker, phrase=m.phrase, kind=m.kind, yuan=m.yuan, ratio=m.ratio,
                     yuan_low=m.yuan_low, yuan_high=m.yuan_high, unit=m.unit)
             for m in result.money]
    rows += [ApObjection(**common, ref=o.ref, speaker=o.speaker, type=o.type, text=o.text) for o in result.objections]
    rows += [ApKeyword(**common, ref=k.ref, speaker=k.speaker, word=k.word, weight=k.weight, start_s=k.start_s)
             for k in result.keywords]
    s.add_all(rows)
    has_content = any(u.text.strip() for u in utterances)
    # A call where nobody could be told to be the customer: whether a need was stated is unknown.
    unattributed = (kind == "transcript" and has_content and not result.has_need
                    and not any(u.speaker == "customer" and u.text.strip() for u in utterances)
                    and any(u.speaker == "unknown" and u.text.strip() for u in utterances))
    s.add(ApAnalysis(org_id=org_id, customer_id=customer_id, rep_id=rep_id, source_kind=kind, source_id=source_id,
                     touch_key=touch, occurred_at=occurred, local_date=local_date,
                     industry=customer.industry if customer else None, has_need=result.has_need,
                     has_content=has_content, attributed_share=attributed_share, unattributed=unattributed,
                     summary=result.summary or None, job_id=ctx.job_id, analyzed_at=utcnow()))
    ctx.follow_up(org_id, job_message("customer.changed/1", org_id, job_id=derived_job_id(ctx.job_id, "changed"),
                                      customer_id=customer_id, reason=f"{kind}_analyzed"))
    return {"source": f"{kind}:{source_id}", "touch": touch, "needs": len(result.needs),
            "mentions": len(result.mentions or result.roles) + (sender is not None), "commitments": len(result.commitments),
            "money": len(result.money), "objections": len(result.objections), "has_need": result.has_need,
            "attributed_share": attributed_share, "unattributed": unattributed, "summary": result.summary}
