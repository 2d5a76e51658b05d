"""What a stage gate reads: the customer's processed evidence, as plain values for scoring/gate.py.

Only what the checklists to judge ask for is read (a gate with no photo item reads no photos),
so a decision is a handful of indexed queries.
"""
from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import (
    ApCheck, ApMention, ApMoney, ApNeed, ApTranscript, ApVerdict, CrmAction, CrmAttachment, CrmMessage, CrmPhoto,
    CrmQuote,
)
from scoring.gate import AttachmentFact, Evidence, Fact, PhotoFact, TextFact
from scoring.stages import Stage

from .errors import Failed
from .media import resolve_media

PHOTO_RULES = ("photo_gps_time", "photo_distance")


def _needs(stages: tuple[Stage, ...]) -> set[str]:
    out: set[str] = set()
    for st in stages:
        for item in st.checklist:
            for rule in item.rules:
                out.add(f"fact:{rule.fact}" if rule.kind == "fact" else rule.kind)
    return out


def _check_text(c: ApCheck) -> str:
    value = f"={c.value_num:.0f}" if c.value_num is not None else ""
    return f"{c.rule}{'_' + c.unit if c.unit and value else ''}{value}" + (f" ({c.reason})" if c.reason else "")


def _photos(s: Session, customer_id: int, since: dt.datetime) -> tuple[PhotoFact, ...]:
    rows = s.execute(select(CrmPhoto.id, CrmPhoto.action_id, CrmPhoto.uploaded_at, CrmAction.type,
                            CrmAction.submitted_at)
                     .join(CrmAction, CrmAction.id == CrmPhoto.action_id)
                     .where(CrmAction.customer_id == customer_id, CrmAction.submitted_at >= since)).all()
    if not rows:
        return ()
    verdicts = dict(s.execute(select(ApVerdict.action_id, ApVerdict.id).where(
        ApVerdict.action_id.in_(sorted({r.action_id for r in rows})), ApVerdict.superseded_at.is_(None))).all())
    checks: dict[str, list[ApCheck]] = {}
    if verdicts:
        for c in s.scalars(select(ApCheck).where(ApCheck.verdict_id.in_(list(verdicts.values())),
                                                 ApCheck.rule.in_(PHOTO_RULES))):
            checks.setdefault(c.subject or "", []).append(c)
    out = []
    for r in rows:
        mine = {c.rule: c for c in checks.get(f"photo:{r.id}", [])} if r.action_id in verdicts else {}
        t, d = mine.get("photo_gps_time"), mine.get("photo_distance")
        out.append(PhotoFact(r.id, r.action_id, r.type, r.uploaded_at or r.submitted_at,
                             t.passed if t else None, d.passed if d else None,
                             tuple(_check_text(c) for c in (t, d) if c is not None and not c.passed)))
    return tuple(out)


def _attachments(s: Session, settings, customer_id: int, since: dt.datetime) -> tuple[AttachmentFact, ...]:
    out = []
    for a in s.scalars(select(CrmAttachment).where(CrmAttachment.customer_id == customer_id,
                                                   CrmAttachment.uploaded_at >= since)):
        problem = None
        try:
            path = resolve_media(settings.media_root, a.path)
            # The file must be there and not empty; its content is the CRM's classification (kind).
            if not path.is_file() or path.stat().st_size == 0:
                problem = "media_missing: the file is not there or empty"
        except Failed as e:
            problem = f"{e.code}: {e}"
        except OSError as e:
            problem = f"media_unreadable: {e.strerror}"
        out.append(AttachmentFact(a.id, a.kind, a.uploaded_at, problem))
    return tuple(out)


def gather(s: Session, settings, customer_id: int, stages: tuple[Stage, ...], now: dt.datetime) -> Evidence:
    """The customer's evidence of the last `gate_evidence_days` days that the stages' checklists use."""
    needs = _needs(stages)
    since = now - dt.timedelta(days=settings.gate_evidence_days)
    photos = _photos(s, customer_id, since) if "photo" in needs else ()
    attachments = _attachments(s, settings, customer_id, since) if "attachment" in needs else ()
    texts: list[TextFact] = []
    if "message" in needs:
        texts += [TextFact(f"message:{m.id}", "message", m.sender, m.text, m.sent_at) for m in s.execute(
            select(CrmMessage.id, CrmMessage.sender, CrmMessage.text, CrmMessage.sent_at)
            .where(CrmMessage.customer_id == customer_id, CrmMessage.sent_at >= since))]
    if "voice" in needs:
        texts += [TextFact(f"transcript:{t.id}", "voice", None, t.text, t.created_at) for t in s.execute(
            select(ApTranscript.id, ApTranscript.text, ApTranscript.created_at)
            .where(ApTranscript.customer_id == customer_id, ApTranscript.created_at >= since))]
    facts: list[Fact] = []
    if "fact:took_part" in needs:
        facts += [Fact(f"mention:{m.id}", "took_part", m.occurred_at, m.role) for m in s.execute(
            select(ApMention.id, ApMention.occurred_at, ApMention.role)
            .where(ApMention.customer_id == customer_id, ApMention.took_part.is_(True),
                   ApMention.occurred_at >= since))]
    if "fact:budget" in needs or "fact:quote" in needs:
        for m in s.execute(select(ApMoney.id, ApMoney.kind, ApMoney.occurred_at)
                           .where(ApMoney.customer_id == customer_id, ApMoney.kind.in_(("budget", "quote")),
                                  ApMoney.occurred_at >= since)):
            facts.append(Fact(f"money:{m.id}", m.kind, m.occurred_at))
    if "fact:quote" in needs:
        facts += [Fact(f"quote:{q.id}", "quote", q.quoted_at) for q in s.execute(
            select(CrmQuote.id, CrmQuote.quoted_at).where(CrmQuote.customer_id == customer_id,
                                                          CrmQuote.quoted_at >= since))]
    if "fact:need" in needs:
        facts += [Fact(f"need:{n.id}", "need", n.occurred_at) for n in s.execute(
            select(ApNeed.id, ApNeed.occurred_at).where(ApNeed.customer_id == customer_id,
                                                        ApNeed.occurred_at >= since))]
    return Evidence(photos, attachments, tuple(texts), tuple(facts))
