"""Database reads that turn stored rows into the plain inputs of `scoring/`."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from evidence.phones import normalize_phone
from models import (
    ApAnalysis, ApCommitment, ApKeyword, ApMention, ApMoney, ApNeed, CrmAction, CrmCallLog, CrmContact,
    CrmCustomer, CrmDocView, CrmInventory, CrmOrg, CrmProposalRevision, CrmQuote, CrmRebateQuery,
)
from scoring.cqi import Commitment, Reach, Touch
from scoring.periods import Period
from scoring.radar import RadarInputs
from scoring.suggest import Communication, OpenCommitment, PricePoint


def org_timezone(s: Session, org_id: str, default: str) -> ZoneInfo:
    org = s.get(CrmOrg, org_id)
    return ZoneInfo(org.timezone if org and org.timezone else default)


@dataclass(frozen=True)
class CustomerFacts:
    """Everything CQI needs about one customer, over all time (periods filter it)."""

    customer: CrmCustomer
    tz: ZoneInfo
    target: frozenset[str]
    touches: tuple[Touch, ...]
    reaches: tuple[Reach, ...]
    commitments: tuple[Commitment, ...]


def customer_facts(s: Session, customer_id: int, default_tz: str) -> CustomerFacts | None:
    from nlp.analyze import required_roles

    customer = s.get(CrmCustomer, customer_id)
    if customer is None:
        return None
    tz = org_timezone(s, customer.org_id, default_tz)
    contacts = s.scalars(select(CrmContact).where(CrmContact.customer_id == customer_id)).all()
    target = frozenset(c.role_tag for c in contacts if c.role_tag) | required_roles(customer.industry, customer.segment)

    touches: dict[str, dict] = {}

    def touch(key: str, day: dt.date) -> dict:
        return touches.setdefault(key, {"day": day, "content": False, "need": False, "sources": [], "needs": [],
                                        "unattributed": None, "shares": []})

    actions = s.scalars(select(CrmAction).where(CrmAction.customer_id == customer_id)).all()
    for a in actions:
        touch(f"action:{a.id}", a.submitted_at.astimezone(tz).date())["sources"].append(f"action:{a.id}")
    for an in s.scalars(select(ApAnalysis).where(ApAnalysis.customer_id == customer_id)):
        t = touch(an.touch_key, an.local_date)
        t["content"] = t["content"] or an.has_content
        t["need"] = t["need"] or an.has_need
        if an.has_content:
            # unattributed only while every source with content is a call nobody could attribute
            t["unattributed"] = bool(an.unattributed) and t["unattributed"] is not False
        if an.attributed_share is not None:
            t["shares"].append(an.attributed_share)
        t["sources"].append(f"{an.source_kind}:{an.source_id}")
    for n in s.scalars(select(ApNeed).where(ApNeed.customer_id == customer_id)):
        if n.touch_key in touches:
            touches[n.touch_key]["needs"].append(f"need:{n.id}")

    reaches = [Reach(category=m.role, touch_key=m.touch_key, evidence_id=f"mention:{m.id}", person=m.mention)
               for m in s.scalars(select(ApMention).where(ApMention.customer_id == customer_id,
                                                         ApMention.took_part.is_(True)))]
    # A contact whose number is the call log's counterpart took part in that call.
    by_number = {normalize_phone(c.phone): c for c in contacts if c.phone and normalize_phone(c.phone)}
    if by_number and actions:
        for call in s.scalars(select(CrmCallLog).where(CrmCallLog.action_id.in_([a.id for a in actions]))):
            contact = by_number.get(normalize_phone(call.counterpart_number))
            if contact is not None and contact.role_tag:
                reaches.append(Reach(category=contact.role_tag, touch_key=f"action:{call.action_id}",
                                     evidence_id=f"call:{call.id}", person=contact.name))
    commitments = [
        Commitment(kind=c.kind, date=c.date or c.window_end, stated_on=c.stated_on, ref=f"commitment:{c.id}")
        for c in s.scalars(select(ApCommitment).where(ApCommitment.customer_id == customer_id,
                                                      ApCommitment.kind.in_(("expected", "promised")),
                                                      ApCommitment.vague.is_(False)))  # 年前 is no date to hold a rep to
        if (c.date or c.window_end) is not None]
    return CustomerFacts(
        customer=customer, tz=tz, target=target,
        touches=tuple(Touch(key=k, day=v["day"], has_content=v["content"], has_need=v["need"],
                            source_ids=tuple(v["sources"]), need_ids=tuple(v["needs"]),
                            unattributed=bool(v["unattributed"]),
                            attributed_share=round(sum(v["shares"]) / len(v["shares"]), 3) if v["shares"] else None)
                      for k, v in touches.items()),
        reaches=tuple(reaches), commitments=tuple(commitments))


def suggestion_inputs(s: Session, customer_id: int, tz: ZoneInfo, today: dt.date) -> dict:
    """Keyword sources, prices, inventory, promises and the last touch for `build_suggestion`."""
    latest = s.scalars(select(ApAnalysis).where(ApAnalysis.customer_id == customer_id)
                       .order_by(ApAnalysis.occurred_at.desc(), ApAnalysis.id.desc()).limit(3)).all()
    communications = []
    texts = []
    for an in latest:
        kws = s.execute(select(ApKeyword.word, ApKeyword.weight).where(
            ApKeyword.source_kind == an.source_kind, ApKeyword.source_id == an.source_id)
            .order_by(ApKeyword.weight.desc())).all()
        needs = list(s.scalars(select(ApNeed.text).where(ApNeed.source_kind == an.source_kind,
                                                         ApNeed.source_id == an.source_id, ApNeed.speaker == "customer")))
        # Need words: the communication's keywords the customer used in a need statement — not the
        # rep's 装好 / 发票 / 寄出, nor words of an errand.
        need_words = tuple((w, float(x)) for w, x in kws if any(w in n for n in needs))
        communications.append(Communication(source=f"{an.source_kind}:{an.source_id}", at=an.occurred_at,
                                            keywords=need_words, attributed_share=an.attributed_share,
                                            summary=an.summary))
        texts += [w for w, _ in kws]
        texts += needs
    quotes = s.scalars(select(CrmQuote).where(CrmQuote.customer_id == customer_id)).all()
    spoken = s.scalars(select(ApMoney).where(ApMoney.customer_id == customer_id,
                                             ApMoney.kind.in_(("quote", "price")),
                                             (ApMoney.yuan.is_not(None)) | (ApMoney.yuan_low.is_not(None)))).all()
    inventory = {i.product: i.quantity for i in s.scalars(select(CrmInventory))}
    blob = " ".join(texts)
    mentioned = sorted({p for p in inventory if p and p in blob} | {q.product for q in quotes})
    promises = s.scalars(select(ApCommitment).where(ApCommitment.customer_id == customer_id,
                                                    ApCommitment.kind == "promised")).all()
    last_action = s.scalar(select(func.max(CrmAction.submitted_at)).where(CrmAction.customer_id == customer_id))
    last_comm = latest[0].occurred_at if latest else None
    last_touch = max((t for t in (last_action, last_comm) if t is not None), default=None)
    return dict(
        communications=communications,
        quotes=[PricePoint(q.product, q.amount_yuan, q.quoted_at, f"quote:{q.id}") for q in quotes],
        spoken_prices=[PricePoint(None, m.yuan if m.yuan is not None else m.yuan_low, m.occurred_at, f"money:{m.id}",
                                  spoken=True, amount_high_yuan=m.yuan_high, unit=m.unit) for m in spoken],
        inventory=inventory, products_mentioned=mentioned,
        open_commitments=[OpenCommitment(ref=f"commitment:{c.id}", date=c.date or c.window_end, stated_on=c.stated_on,
                                         text=c.phrase, vague=c.vague) for c in promises if (c.date or c.window_end)],
        last_touch_at=last_touch)


def radar_inputs(s: Session, facts: CustomerFacts, period: Period, chain_reached: int) -> RadarInputs:
    """The seven behavioural inputs of one customer's week."""
    cid = facts.customer.id
    start = dt.datetime.combine(period.start, dt.time(0), facts.tz)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(0), facts.tz)
    in_week = [t for t in facts.touches if period.start <= t.day <= period.end]
    views = s.execute(select(func.count(), func.coalesce(func.sum(CrmDocView.seconds), 0)).where(
        CrmDocView.customer_id == cid, CrmDocView.at >= start, CrmDocView.at < end)).one()
    revisions = s.scalar(select(func.count()).select_from(CrmProposalRevision).where(
        CrmProposalRevision.customer_id == cid, CrmProposalRevision.at >= start, CrmProposalRevision.at < end))
    rebates = s.scalar(select(func.count()).select_from(CrmRebateQuery).where(
        CrmRebateQuery.customer_id == cid, CrmRebateQuery.at >= start, CrmRebateQuery.at < end))
    needs = sum(len(t.need_ids) for t in in_week)
    budgets = s.scalars(select(ApMoney).where(ApMoney.customer_id == cid, ApMoney.kind == "budget",
                                              ApMoney.occurred_at < end).order_by(ApMoney.occurred_at.desc())).all()
    week_budgets = [b for b in budgets if b.occurred_at >= start]
    budget = budgets[0] if budgets else None
    unit = budget.unit if budget is not None else None
    # The latest quote in the budget's terms: totals (crm_quotes, spoken quotes without a unit) for a
    # total budget, spoken amounts of the same unit for a per-unit one.
    candidates: list[tuple[dt.datetime, float, str]] = []
    if unit is None:
        candidates += [(q.quoted_at, q.amount_yuan, f"quote:{q.id}") for q in s.scalars(
            select(CrmQuote).where(CrmQuote.customer_id == cid, CrmQuote.quoted_at < end)) if q.amount_yuan]
    spoken = s.scalars(select(ApMoney).where(
        ApMoney.customer_id == cid, ApMoney.occurred_at < end,
        ApMoney.kind.in_(("quote",) if unit is None else ("quote", "price")),
        ApMoney.unit.is_(None) if unit is None else ApMoney.unit == unit)).all()
    for m in spoken:
        value = m.yuan if m.yuan is not None else _middle(m.yuan_low, m.yuan_high)
        if value:
            candidates.append((m.occurred_at, value, f"money:{m.id}"))
    quote = max(candidates, key=lambda c: (c[0], c[2])) if candidates else None  # UTCDateTime: always aware
    return RadarInputs(
        touches=len(in_week), doc_view_seconds=float(views[1] or 0), proposal_revisions=int(revisions or 0),
        rebate_queries=int(rebates or 0), chain_reached=chain_reached, chain_target=len(facts.target),
        need_statements=needs, budget_mentions=len(week_budgets),
        budget_low_yuan=_bound(budget, "low"), budget_high_yuan=_bound(budget, "high"),
        quote_yuan=quote[1] if quote else None, unit=unit,
        source_ids={"touches": tuple(t.key for t in in_week), "budget": tuple(f"money:{b.id}" for b in budgets[:1]),
                    "quote": (quote[2],) if quote else ()})


def _middle(low: float | None, high: float | None) -> float | None:
    return (low + high) / 2 if low is not None and high is not None else low


def _bound(money: ApMoney | None, end: str) -> float | None:
    """A budget's low or high end (a point is both)."""
    if money is None:
        return None
    if money.yuan is not None:
        return money.yuan
    return money.yuan_low if end == "low" else money.yuan_high

