"""One touch's analysis: what a sales manager needs to know from a transcript or messages.

Plain values in (utterances, the conversation day, the customer's industry, segment and
contacts), frozen dataclasses out. The analyze worker and `actionproof analyze` both call
`analyze()`; `analysis_to_json()` is the CLI's stable JSON contract.

Speakers: "rep", "customer" or "unknown" (a mono call nobody could attribute, text without a
sender). Needs are the customer's: neither a rep's nor an unknown speaker's words make one.
Commitments take their kind from the speaker; an unknown speaker's dates are `other` (never an
expectation or a promise). Objections are the customer's and an unknown speaker's, except
probes (您是不是觉得贵？); money, roles and keywords count for every speaker, each fact
keeping the speaker it came from. docs/nlp.md has the rules.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from itertools import accumulate

import numpy as np

from nlp.commitments import Commitment, commitments_in
from nlp.keywords import Keyword, KeywordSource, rank_keywords
from nlp.learned import (LinearModel, Query, best_clause, commitment_query, in_clause_kinds, load as load_model,
                         money_query, need_query, objection_query, score_together)
from nlp.money import HEARD_MONEY_WORDS, Money, money_in
from nlp.needs import NEED_CUE_WORDS, NeedStatement, needs_in
from nlp.objections import Objection, objection_clauses, objections_in
from nlp.packs import Pack, PackError, load_pack
from nlp.packs import required_roles as _required_roles
from nlp.roles import ContactRef, RoleMention, contact_role, roles_in
from nlp.pinyin import VocabularyMatcher
from nlp.script import readable
from nlp.segment import segmenter
from nlp.summary import summarize
from nlp.text import Span, clauses, strip_punct, word_spaced

SPEAKERS = ("rep", "customer", "unknown")

__all__ = [
    "Analysis", "Commitment", "ContactRef", "Keyword", "Money", "NeedStatement", "Objection", "RoleMention",
    "Utterance", "analysis_to_json", "analyze", "required_roles",
]


@dataclass(frozen=True)
class Utterance:
    """One transcript segment or chat/email message."""

    text: str
    speaker: str = "unknown"          # rep | customer | unknown
    start_s: float | None = None
    end_s: float | None = None
    ref: str | None = None            # segment or message id
    # The CRM contact known to be speaking (the message's sender, the call's counterpart):
    # that person took part whatever the words say.
    contact_id: int | None = None


@dataclass(frozen=True)
class Analysis:
    """Everything found in one touch."""

    roles: tuple[RoleMention, ...]        # one per person: took_part if any mention took part
    needs: tuple[NeedStatement, ...]
    commitments: tuple[Commitment, ...]
    money: tuple[Money, ...]
    objections: tuple[Objection, ...]
    keywords: tuple[Keyword, ...]
    has_need: bool                        # ≥ 1 customer need statement (CQI need anchoring)
    mentions: tuple[RoleMention, ...] = ()  # every mention, per utterance (ap_mentions)
    industry: str = "base"                # the pack used
    notes: tuple[str, ...] = ()           # e.g. an unknown industry replaced by the base pack
    summary: str = ""                     # 录音摘要 (nlp/summary.py)


def required_roles(industry: str | None, segment: str | None = None) -> frozenset[str]:
    """Role categories the industry pack requires for a customer segment (CQI target chain).

    An industry without a pack gets the base pack's roles, as analyze() uses the base pack.
    """
    try:
        return _required_roles(industry, segment)
    except PackError:
        return _required_roles(None, segment)


def _person_key(r: RoleMention) -> tuple:
    if r.contact_id is not None:
        return ("contact", r.contact_id)
    return ("mention", r.mention.replace("的", ""), r.role)


def _merge_roles(mentions: Sequence[RoleMention]) -> tuple[RoleMention, ...]:
    """One entry per person, keeping the first occurrence that took part (else the first)."""
    chosen: dict[tuple, RoleMention] = {}
    for r in mentions:
        key = _person_key(r)
        if key not in chosen or (r.took_part and not chosen[key].took_part):
            chosen[key] = r
    return tuple(chosen.values())


@lru_cache(maxsize=64)
def _vocabulary(pack: Pack) -> VocabularyMatcher:
    """The pack's words (titles, departments, vocabulary, need words, objection phrases) for homophone matching."""
    words = set(pack.dictionary_words())
    # Objection phrases' parts only from three characters: 晚了 / 先不 are everyday words as said.
    words |= {part for phrases in pack.objections.values() for p in phrases for part in p.split("…") if len(part) >= 3}
    words |= set(HEARD_MONEY_WORDS)
    seg = segmenter(pack.id if pack.id != "base" else None)
    return VocabularyMatcher(words, known=seg.known, trusted=NEED_CUE_WORDS)


def analyze(
    utterances: Sequence[Utterance],
    *,
    on: dt.date,
    industry: str | None = None,
    segment: str | None = None,
    contacts: Sequence[ContactRef] = (),
    models: bool = True,
) -> Analysis:
    """Analyse one touch (a transcript, or one day's messages) held on day `on`.

    With `models` (the default) the learned classifiers of nlp/learned.py judge the rules'
    objections, needs and money kinds and add what the rules missed; without, the rules alone.

    `industry` names a pack (nlp/packs/<industry>.json); an industry without a pack is
    analysed with the base pack and says so in `notes`. `segment` is accepted for symmetry
    with required_roles(); extraction does not depend on it.
    """
    notes: list[str] = []
    try:
        pack = load_pack(industry)
    except PackError:
        pack = load_pack(None)
        notes.append(f"no pack for industry {industry!r}: base pack used")
    seg = segmenter(pack.id if pack.id != "base" else None)
    by_id = {c.id: c for c in contacts}

    mentions: list[RoleMention] = []
    needs: list[NeedStatement] = []
    commitments: list[Commitment] = []
    money = _MoneySoFar(load_model("money") if models else None)
    objections: list[Objection] = []
    sources: list[KeywordSource] = []
    last: dict[str, tuple[str, ...]] = {}  # speaker → the money kinds of their latest turn
    turns: list[_Turn] = []
    traditional = False
    for u in utterances:
        previous = next((v for k, v in reversed(last.items()) if k != u.speaker), ())
        if u.speaker not in SPEAKERS:
            raise ValueError(f"speaker must be one of {', '.join(SPEAKERS)}, got {u.speaker!r}")
        # Typed or heard in Traditional characters (秦總, 價錢): read, and quoted, in Simplified.
        text = readable(u.text or "")
        if text != (u.text or "") and not traditional:
            traditional = True
            notes.append("Traditional characters read as Simplified")
        if u.contact_id is not None and u.contact_id in by_id and u.speaker != "rep":
            c = by_id[u.contact_id]
            mentions.append(RoleMention(c.name, contact_role(c, pack) or "other", True, c.id, u.speaker, u.ref,
                                        "speaker"))
        if not text.strip():
            continue
        persons = seg.persons(text)
        tokens = seg.tokens(text, persons)
        # Whisper writes the pack's words as homophones (才够总监, 交其): read them as the words —
        # only whole tokens, so 我们店 never becomes 我门店.
        # Inside a token jieba's HMM glued from unknown characters (说交其) any position is an edge.
        edges = {t.start for t in tokens} | {len(text)}
        named = [(p.name_start, p.end) for p in persons]  # 张科长 is a person, not a glued word
        edges |= {k for t in tokens if t.end - t.start > 1 and not seg.known(t.word)
                  and not any(a <= t.start and t.end <= b for a, b in named) for k in range(t.start, t.end)}
        said = text
        # 伏总 is Mr Fu, the boss: a surname and its title stay as said, not read as a title (副总).
        edges -= {p.name_start for p in persons}
        fixed_text, fixed = _vocabulary(pack).correct(text, edges)
        if fixed:
            notes.append("homophones read as: " + ", ".join(f"{c.said}→{c.word}" for c in fixed))
            text = fixed_text
            persons = seg.persons(text)
            tokens = seg.tokens(text, persons)
        spans = clauses(text)
        found_roles = roles_in(text, u.speaker, pack, contacts, u.ref, seg, persons)
        found_dates = commitments_in(text, u.speaker, on, u.ref, spans)
        found_money = money_in(text, u.speaker, u.ref, spans, money)  # earlier amounts settle bare numbers
        objecting = objection_clauses(text, pack, spans) if u.speaker != "rep" else []
        found_needs = needs_in(text, u.speaker, pack, u.ref, spans, objecting)
        found_objections = objections_in(text, u.speaker, pack, u.ref, spans, objecting)
        money_kinds = tuple(m.kind for m in found_money)  # the rules' kinds, as the models were trained
        turn = _Turn(u, text, said, bool(fixed), spans, persons, tokens, found_roles, found_dates, found_money,
                     found_needs, found_objections, previous)
        money.add(turn)
        turns.append(turn)
        last.pop(u.speaker, None)  # re-inserted last: the dict's order is who spoke most recently
        last[u.speaker] = money_kinds

    if models:
        _judge_turns(turns, on, money)
    all_money = tuple(money.judged())
    for t in turns:
        u, text, said = t.utterance, t.text, t.said
        found_needs = _joined_needs(text, t.needs)
        found_objections, found_dates, found_money = t.objections, t.dates, t.judged_money
        if t.fixed:
            # Read with the corrected words, reported in the words as said (a correction keeps every offset).
            found_needs = [replace(n, text=_as_said(n.text, text, said)) for n in found_needs]
            found_objections = [replace(o, text=_as_said(o.text, text, said)) for o in found_objections]
            found_dates = [replace(c, phrase=_as_said(c.phrase, text, said)) for c in found_dates]
        mentions.extend(t.roles)
        needs.extend(found_needs)
        commitments.extend(found_dates)
        objections.extend(found_objections)
        excluded = [(p.name_start, p.end) for p in t.persons] + [(r.start, r.end) for r in t.roles]
        excluded += [(m.start, m.end) for m in found_money]
        excluded += [(i, i + len(c.phrase)) for c in found_dates for i in [text.find(c.phrase)] if i >= 0]
        sources.append(KeywordSource(t.tokens, u.speaker, u.ref, u.start_s, tuple(excluded)))

    result = Analysis(
        roles=_merge_roles(mentions),
        needs=tuple(needs),
        commitments=tuple(commitments),
        money=all_money,
        objections=tuple(objections),
        keywords=tuple(rank_keywords(sources, pack, known=seg.known)),
        has_need=bool(needs),
        mentions=tuple(mentions),
        industry=pack.id,
        notes=tuple(notes),
    )
    return replace(result, summary=summarize(result, on))


class _MoneySoFar(Sequence[Money]):
    """The touch's money so far, as the money rules of a later turn read it (`earlier`), judged by
    the money model in batches: a turn's amounts wait until a later turn's rules read them — most
    never do — or the touch ends. Each amount's judgement reads only its own turn, so the batches
    change no result."""

    def __init__(self, model: LinearModel | None) -> None:
        self._model = model
        self._judged: list[Money] = []
        self._waiting: list[_Turn] = []

    def add(self, turn: _Turn) -> None:
        self._waiting.append(turn)

    @property
    def model(self) -> LinearModel | None:
        return self._model

    def waiting(self) -> list[_Turn]:
        """The turns whose amounts are not judged yet; the caller judges them through `settle`."""
        turns, self._waiting = self._waiting, []
        return turns

    def judged(self) -> list[Money]:
        """Every turn's amounts judged (the waiting ones now), in the order said."""
        turns = self.waiting()
        model = self._model
        # Most reads find no amount waiting: nothing to score.
        if model is not None and any(t.money for t in turns):
            self.settle(_scored(model, turns, _money_queries_of))
        else:
            self.settle([(t, None) for t in turns])
        return self._judged

    def settle(self, scored: Sequence[tuple[_Turn, np.ndarray | None]]) -> None:
        """Each turn's amounts judged by the money model's scores of its `_money_queries_of`."""
        model = self._model
        for t, p in scored:
            found = t.money
            if p is not None and len(p):
                found = _judge_money(model, t.text, t.utterance.speaker, found, p)
            if t.fixed:  # reported in the words as said (a correction keeps every offset)
                found = [replace(m, phrase=t.said[m.start:m.end]) for m in found]
            t.judged_money = found
            self._judged.extend(found)

    def __getitem__(self, i):  # type: ignore[override]
        return self.judged()[i]

    def __len__(self) -> int:
        return len(self.judged())

    def __iter__(self):
        return iter(self.judged())


@dataclass
class _Turn:
    """One utterance between the rules and the models: what the rules found, read again once the
    models have judged every turn of the touch together (one model pass, not one per clause)."""

    utterance: Utterance
    text: str                    # as read: the pack's words where Whisper wrote homophones
    said: str
    fixed: bool
    spans: list[Span]
    persons: Sequence
    tokens: Sequence
    roles: list[RoleMention]
    dates: list[Commitment]
    money: list[Money]           # the rules' amounts (the need model reads their kinds)
    needs: list[NeedStatement]
    objections: list[Objection]
    previous: tuple[str, ...]    # the money kinds of the other side's turn just before
    judged_money: list[Money] = field(default_factory=list)


def _scored(model: LinearModel, turns: Sequence[_Turn],
            queries_of: Callable[[_Turn], list[Query]]) -> list[tuple[_Turn, np.ndarray]]:
    """Each turn with the model's scores of its queries, all turns scored in one pass."""
    asked = [queries_of(t) for t in turns]
    return _split(turns, asked, model.score([q for qs in asked for q in qs]))


def _split(turns: Sequence[_Turn], asked: list[list[Query]], probs: np.ndarray) -> list[tuple[_Turn, np.ndarray]]:
    """Each turn with the scores of its own queries, `probs` scoring all of them in turn order."""
    ends = list(accumulate(map(len, asked)))
    return [(t, probs[end - len(qs):end]) for t, qs, end in zip(turns, asked, ends)]


def _judge_turns(turns: list[_Turn], on: dt.date, money: _MoneySoFar) -> None:
    """The money, objection, need and date models over every turn of a touch, all four read in one
    scoring pass (the money of turns a later turn's rules already read is judged)."""
    waiting = money.waiting()
    asked: list[tuple[str, LinearModel | None, Sequence[_Turn], list[list[Query]]]] = [
        ("money", money.model, waiting, [_money_queries_of(t) for t in waiting])]
    for name, queries_of in (("objections", _objection_queries_of), ("needs", _need_queries_of),
                             ("commitments", lambda t: _commitment_queries(t.text, t.utterance.speaker, on, t.dates))):
        asked.append((name, load_model(name), turns, [queries_of(t) for t in turns]))
    present = [(name, m, ts, a) for name, m, ts, a in asked if m is not None]
    probs = score_together([(m, [q for qs in a for q in qs]) for _, m, _, a in present])
    scored = {name: _split(ts, a, p) for (name, _, ts, a), p in zip(present, probs)}
    if "money" in scored:
        money.settle(scored["money"])
    else:
        money.settle([(t, None) for t in waiting])
    model = load_model("objections")
    for t, p in scored.get("objections", ()):
        t.objections = _judge_objections(model, t.text, t.utterance.speaker, t.utterance.ref, t.spans,
                                         t.objections, t.previous, p)
    model = load_model("needs")
    for t, p in scored.get("needs", ()):
        t.needs = _judge_needs(model, t.utterance.speaker, t.utterance.ref, t.spans, t.needs, t.money, t.dates, p)
    model = load_model("commitments")
    for t, p in scored.get("commitments", ()):
        t.dates = _judge_commitments(model, t.text, t.utterance.speaker, on, t.dates, p)


def _money_queries_of(t: _Turn) -> list[Query]:
    return _money_queries(t.text, t.utterance.speaker, t.money)


def _objection_queries_of(t: _Turn) -> list[Query]:
    return _objection_queries(t.text, t.utterance.speaker, t.objections, t.previous)


def _need_queries_of(t: _Turn) -> list[Query]:
    return _need_queries(t.utterance.speaker, t.spans, t.needs, t.money, t.dates)


def _objection_queries(text: str, speaker: str, found: Sequence[Objection],
                       previous: tuple[str, ...] = ()) -> list[Query]:
    return [objection_query(text, (o.type for o in found), previous)] if speaker == "customer" else []


def _judge_objections(model: LinearModel | None, text: str, speaker: str, ref: str | None,
                      spans: Sequence[Span], found: list[Objection],
                      previous: tuple[str, ...] = (), probs: np.ndarray | None = None) -> list[Objection]:
    """A customer's objections: the rules' where the model agrees enough, and the types the
    model is sure of that the rules missed, pointed at the clause that says it most. `previous`:
    the kinds of money in the other side's turn just before; `probs`: the model's scores of
    `_objection_queries`, when already taken."""
    if model is None or speaker != "customer":
        return found
    if probs is None:
        probs = model.score(_objection_queries(text, speaker, found, previous))
    p = dict(zip(model.labels, probs[0].tolist()))
    kept = [o for o in found if p.get(o.type, 1.0) >= model.keep]
    parts = [t for t in (strip_punct(c.text) for c in spans) if t]
    said = {o.type for o in found}
    for label in model.labels:
        if label not in said and p[label] >= model.add_for(label) and parts:
            kept.append(Objection(label, parts[best_clause(model, label, parts)], speaker, ref, ""))
    return kept


def _need_queries(speaker: str, spans: Sequence[Span], found: Sequence[NeedStatement],
                  money: Sequence[Money] = (), dates: Sequence[Commitment] = ()) -> list[Query]:
    if speaker != "customer":
        return []
    parts = [strip_punct(c.text) for c in spans]
    return [need_query(c, parts[i - 1] if i else "", any(_overlap(c, n.text) for n in found),
                       *in_clause_kinds(c, money, dates)) for i, c in enumerate(parts)]


def _judge_needs(model: LinearModel | None, speaker: str, ref: str | None, spans: Sequence[Span],
                 found: list[NeedStatement], money: Sequence[Money] = (),
                 dates: Sequence[Commitment] = (), probs: np.ndarray | None = None) -> list[NeedStatement]:
    """A customer's needs: the rules' where the model finds the clause a need, and clauses the
    model is sure of that hold none of the rules' needs. `money` and `dates`: what the rules found
    in the same turn; `probs`: the model's scores of `_need_queries`, when already taken."""
    if model is None or speaker != "customer" or not spans:
        return found
    parts = [strip_punct(c.text) for c in spans]
    if probs is None:
        probs = model.score(_need_queries(speaker, spans, found, money, dates))
    p_need: list[float] = probs[:, model.labels.index("need")].tolist()

    def clause_p(need: str) -> float:
        return max((p for c, p in zip(parts, p_need) if c and (need in c or c in need)), default=1.0)

    kept = [n for n in found if clause_p(n.text) >= model.keep]
    for c, p in zip(parts, p_need):
        if c and p >= model.add and not any(n.text in c or c in n.text for n in found):
            kept.append(NeedStatement(_LEADING.sub("", c) or c, speaker, ref, "model"))
    return kept


def _joined_needs(text: str, found: list[NeedStatement]) -> list[NeedStatement]:
    """Needs that follow each other with only spaces between them, as one statement.

    A transcript spaced at pauses (这次要四十 六号 康磨 夜压油) is cut into clauses at each
    space; a need said across several of them is one thing the customer wants, and a manager
    reads it as one statement, not as a list of fragments (六号 / 康磨 / 吨)."""
    if len(found) < 2 or word_spaced(text):
        return found  # a space after every word: the rules cut such a clause where each need begins
    placed: list[tuple[int, int, NeedStatement]] = []
    for n in found:  # the rules' needs come first, the model's after them: place each where it was said
        at = [i for i in _occurrences(text, n.text) if not any(a <= i < b for a, b, _ in placed)]
        if not at:
            return found  # not found as said: leave all as they are
        # a clause of its own (要 between spaces, not the 要 inside 这次要四十) before any other place
        i = next((i for i in at if _alone(text, i, i + len(n.text))), at[0])
        placed.append((i, i + len(n.text), n))
    placed.sort(key=lambda x: x[0])
    out: list[NeedStatement] = []
    start, end, first = placed[0]
    for a, b, n in placed[1:]:
        if a > end and not text[end:a].strip() and not (_TYPED_ITEM_END.search(text, start, end) and _TYPED_COUNT.search(n.text)) \
                and not _ANOTHER_WANT.match(n.text):
            end = b  # only spaces between: the same statement goes on (not one typed item after another)
            continue
        out.append(_spanning(first, text[start:end]))
        start, end, first = a, b, n
    out.append(_spanning(first, text[start:end]))
    return out


def _alone(text: str, a: int, b: int) -> bool:
    """text[a:b] is a clause of its own: an edge (space or mark) or the text's end on both sides."""
    return (a == 0 or bool(_CLAUSE_EDGE.match(text, a - 1))) and (b == len(text) or bool(_CLAUSE_EDGE.match(text, b)))


def _spanning(n: NeedStatement, said: str) -> NeedStatement:
    return n if said == n.text else replace(n, text=said)


# 烘干器30台 吸奶器20台: a chat types its order items one after another, each with its own count
_TYPED_ITEM_END = re.compile(r"\d+[\u4e00-\u9fff]{1,3}$")
_TYPED_COUNT = re.compile(r"\d")
# 六一之前要到 还要一台样机摆起: a piece opening on 还要 / 再要 adds a want of its own
_ANOTHER_WANT = re.compile(r"(?:还|再|也|另外)(?:要|得)")
_CLAUSE_EDGE = re.compile(r"[\s，,。！!？?；;：:、…~～]")


def _occurrences(text: str, piece: str) -> list[int]:
    out, i = [], text.find(piece) if piece else -1
    while i >= 0:
        out.append(i)
        i = text.find(piece, i + 1)
    return out


def _overlap(a: str, b: str) -> bool:
    """One text inside the other, spaces aside (a rule's need and the clause holding it)."""
    a, b = "".join(a.split()), "".join(b.split())
    return bool(a) and bool(b) and (a in b or b in a)


_LEADING = re.compile(r"^(?:嗯|呃|啊|哦|那个|还有|另外|就是|然后|对了|\s)+")


def _money_query(text: str, speaker: str, m: Money) -> Query:
    ranged = m.yuan_low is not None and m.yuan_high is not None and m.yuan_low != m.yuan_high
    return money_query(text, m.start, m.end, speaker, m.unit, ranged, m.yuan if m.yuan is not None else m.yuan_low,
                       m.kind)


def _money_queries(text: str, speaker: str, found: Sequence[Money]) -> list[Query]:
    """One query an amount in yuan (a ratio is a discount, never judged)."""
    return [_money_query(text, speaker, m) for m in found if m.ratio is None]


def _judge_money(model: LinearModel | None, text: str, speaker: str, found: list[Money],
                 probs: np.ndarray | None = None) -> list[Money]:
    """The kind of each amount in yuan as the model reads its context, where it is sure; an amount
    the model is sure is no money at all (十一个档口) is dropped. Ratios stay discounts. `probs`: the
    model's scores of `_money_queries`, when already taken."""
    if model is None or not found:
        return found
    if probs is None:
        probs = model.score(_money_queries(text, speaker, found))
    rows = iter(probs.tolist())
    out = []
    for m in found:
        if m.ratio is not None:
            out.append(m)
            continue
        p = dict(zip(model.labels, next(rows)))
        best = max(p, key=p.__getitem__)
        if best != m.kind and p[best] >= model.add:
            if best == "none":
                continue
            m = replace(m, kind=best)
        out.append(m)
    return out


# The contract: only a customer expects, only a rep promises, an unknown speaker's date stays as the
# rules read it.
_KINDS_BY_SPEAKER = {"customer": ("expected", "other", "none"), "rep": ("promised", "other", "none")}


def _commitment_queries(text: str, speaker: str, on: dt.date, found: Sequence[Commitment]) -> list[Query]:
    """One query a judged date: not a vague window, nor one not found as said."""
    out = []
    for c in found:
        start = text.find(c.phrase)
        if start >= 0 and not c.vague:
            out.append(commitment_query(text, start, start + len(c.phrase), speaker, c.date < on, c.kind))
    return out


def _judge_commitments(model: LinearModel | None, text: str, speaker: str, on: dt.date,
                       found: list[Commitment], probs: np.ndarray | None = None) -> list[Commitment]:
    """Whose each date is (promised, expected or just said) as the model reads its context, where
    it is sure; the dates themselves stay the rules'. A date the model is sure is none is dropped.
    `probs`: the model's scores of `_commitment_queries`, when already taken."""
    if model is None or not found:
        return found
    if probs is None:
        probs = model.score(_commitment_queries(text, speaker, on, found))
    rows = iter(probs.tolist())
    out = []
    for c in found:
        start = text.find(c.phrase)
        if start < 0 or c.vague:  # 这两天 / 年前: the labels leave most vague windows out, the product keeps them
            out.append(c)
            continue
        p = dict(zip(model.labels, next(rows)))
        best = max(_KINDS_BY_SPEAKER.get(speaker, ()), key=p.__getitem__, default=c.kind)
        if best != c.kind and p[best] >= model.add:
            if best == "none":
                continue
            c = replace(c, kind=best)
        out.append(c)
    return out


def _as_said(piece: str, read: str, said: str) -> str:
    """`piece` of the corrected text, as it was said (same offsets)."""
    at = read.find(piece)
    return said[at:at + len(piece)] if at >= 0 else piece


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d is not None else None


def analysis_to_json(a: Analysis) -> dict:
    """The CLI's JSON contract: roles, needs, commitments, money, objections, keywords."""
    return {
        "industry": a.industry,
        "has_need": a.has_need,
        "summary": a.summary,
        "roles": [{"mention": r.mention, "role": r.role, "took_part": r.took_part, "contact_id": r.contact_id,
                   "evidence": r.evidence, "speaker": r.speaker, "ref": r.ref} for r in a.roles],
        "needs": [{"text": n.text, "speaker": n.speaker, "ref": n.ref} for n in a.needs],
        "commitments": [{"phrase": c.phrase, "speaker": c.speaker, "kind": c.kind, "date": _iso(c.date),
                         "window_start": _iso(c.window_start), "window_end": _iso(c.window_end), "vague": c.vague,
                         "ref": c.ref}
                        for c in a.commitments],
        "money": [{"phrase": m.phrase, "speaker": m.speaker, "kind": m.kind, "yuan": m.yuan, "yuan_low": m.yuan_low,
                   "yuan_high": m.yuan_high, "unit": m.unit, "ratio": m.ratio, "ref": m.ref} for m in a.money],
        "objections": [{"type": o.type, "text": o.text, "speaker": o.speaker, "ref": o.ref} for o in a.objections],
        "keywords": [{"word": k.word, "weight": k.weight, "ref": k.ref, "speaker": k.speaker, "start_s": k.start_s}
                     for k in a.keywords],
        "notes": list(a.notes),
    }
