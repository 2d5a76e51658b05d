"""Process quality per rep per ISO week and per manager per ISO week (plain rows in).

Rep week: evidence completeness (actions with all required evidence ÷ all actions), verified
share (verified ÷ judged), 待核实 count, overdue alerts, and a 0…100 score.
Manager week: alerts resolved within the deadline, median time to resolve, resolution
categories. Weeks are ISO weeks of the org's local days. Decisions: docs/scoring.md.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

import numpy as np

from .periods import DEFAULT_TIMEZONE, Period, iso_week, local_day

Ref = str | int

# docs/contract.md, "Verification rules": required evidence per action type (configurable); other types need none.
REQUIRED_EVIDENCE: dict[str, frozenset[str]] = {
    "上门拜访": frozenset({"checkin", "photo"}),
    "现场勘测": frozenset({"checkin", "photo"}),
    "电话沟通": frozenset({"call_log"}),
}
RESOLUTION_CATEGORIES = ("客户临时改址", "信号漂移", "确认虚假", "其他")


@dataclass(frozen=True)
class ActionRow:
    """One `crm_actions` row with the evidence kinds it carries and its current verdict.

    evidence_kinds: subset of {"checkin", "photo", "call_log"} that is present.
    verdict: "verified", "pending_verification" (待核实) or None (not judged yet).
    """

    action_id: Ref
    rep_id: Ref
    action_type: str
    submitted_at: dt.datetime
    evidence_kinds: frozenset[str] = frozenset()
    verdict: str | None = None


@dataclass(frozen=True)
class AlertRow:
    """One `ap_alerts` row (status open / overdue / resolved / superseded)."""

    alert_id: Ref
    action_id: Ref
    rep_id: Ref
    manager_id: Ref | None
    status: str
    created_at: dt.datetime
    due_at: dt.datetime
    overdue_at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    resolution: str | None = None


def _default_weights() -> dict[str, float]:
    return {"evidence_completeness": 0.5, "verified_share": 0.5}


@dataclass(frozen=True)
class QualityConfig:
    required_evidence: Mapping[str, frozenset[str]] = field(default_factory=lambda: dict(REQUIRED_EVIDENCE))
    weights: Mapping[str, float] = field(default_factory=_default_weights)
    overdue_penalty: float = 10.0  # score points per overdue alert in the week
    timezone: str = DEFAULT_TIMEZONE


@dataclass(frozen=True)
class RepWeekQuality:
    rep_id: Ref
    week: Period
    actions: int
    complete: int
    evidence_completeness: float | None
    incomplete: tuple[tuple[Ref, tuple[str, ...]], ...]  # (action id, missing kinds)
    judged: int
    verified: int
    verified_share: float | None
    pending: int  # 待核实
    pending_ids: tuple[Ref, ...]
    overdue_alerts: int
    overdue_alert_ids: tuple[Ref, ...]
    score: float | None

    def to_json(self) -> dict[str, Any]:
        return {"rep_id": self.rep_id, "week": self.week.label, "actions": self.actions, "complete": self.complete,
                "evidence_completeness": self.evidence_completeness,
                "incomplete": [{"action_id": a, "missing": list(m)} for a, m in self.incomplete],
                "judged": self.judged, "verified": self.verified, "verified_share": self.verified_share,
                "pending_verification": self.pending, "pending_ids": list(self.pending_ids),
                "overdue_alerts": self.overdue_alerts, "overdue_alert_ids": list(self.overdue_alert_ids),
                "score": self.score}


@dataclass(frozen=True)
class ManagerWeekQuality:
    manager_id: Ref | None
    week: Period
    alerts: int  # raised in the week (superseded ones excluded)
    decided: int  # resolved, or past the deadline: the denominator of the in-time share
    resolved: int
    resolved_in_time: int
    resolved_in_time_share: float | None
    median_hours_to_resolve: float | None
    categories: Mapping[str, int]
    still_open: int
    overdue: int
    superseded: int
    alert_ids: tuple[Ref, ...]
    late_ids: tuple[Ref, ...]  # resolved late or still unresolved past the deadline

    def to_json(self) -> dict[str, Any]:
        return {"manager_id": self.manager_id, "week": self.week.label, "alerts": self.alerts,
                "decided": self.decided, "resolved": self.resolved, "resolved_in_time": self.resolved_in_time,
                "resolved_in_time_share": self.resolved_in_time_share,
                "median_hours_to_resolve": self.median_hours_to_resolve, "categories": dict(self.categories),
                "still_open": self.still_open, "overdue": self.overdue, "superseded": self.superseded,
                "alert_ids": list(self.alert_ids), "late_ids": list(self.late_ids)}


def missing_evidence(action: ActionRow, required: Mapping[str, frozenset[str]]) -> tuple[str, ...]:
    return tuple(sorted(set(required.get(action.action_type, frozenset())) - set(action.evidence_kinds)))


def _score(completeness: float | None, verified: float | None, overdue: int, config: QualityConfig) -> float | None:
    parts = [(config.weights.get("evidence_completeness", 0.0), completeness),
             (config.weights.get("verified_share", 0.0), verified)]
    parts = [(w, v) for w, v in parts if v is not None and w > 0]
    if not parts and not overdue:
        return None
    base = 100.0 * sum(w * v for w, v in parts) / sum(w for w, _ in parts) if parts else 100.0
    return float(np.clip(base - config.overdue_penalty * overdue, 0.0, 100.0))


def rep_week_quality(actions: Iterable[ActionRow], alerts: Iterable[AlertRow],
                     config: QualityConfig | None = None) -> list[RepWeekQuality]:
    """One row per rep per ISO week that had an action or an alert turning overdue."""
    config = config or QualityConfig()
    tz = config.timezone
    acts: dict[tuple[Ref, str], list[ActionRow]] = {}
    weeks: dict[str, Period] = {}
    for a in actions:
        w = iso_week(local_day(a.submitted_at, tz))
        weeks[w.label] = w
        acts.setdefault((a.rep_id, w.label), []).append(a)
    overdue: dict[tuple[Ref, str], list[AlertRow]] = {}
    for al in alerts:
        when = al.overdue_at or (al.due_at if al.status == "overdue" else None)
        if when is None:
            continue
        w = iso_week(local_day(when, tz))
        weeks[w.label] = w
        overdue.setdefault((al.rep_id, w.label), []).append(al)
    out = []
    for key in sorted(set(acts) | set(overdue), key=lambda k: (str(k[0]), k[1])):
        rep, label = key
        rows = sorted(acts.get(key, []), key=lambda a: str(a.action_id))
        incomplete = tuple((a.action_id, m) for a in rows if (m := missing_evidence(a, config.required_evidence)))
        judged = [a for a in rows if a.verdict is not None]
        verified = [a for a in judged if a.verdict == "verified"]
        pending = tuple(a.action_id for a in judged if a.verdict == "pending_verification")
        late = tuple(sorted((al.alert_id for al in overdue.get(key, [])), key=str))
        completeness = (len(rows) - len(incomplete)) / len(rows) if rows else None
        share = len(verified) / len(judged) if judged else None
        out.append(RepWeekQuality(rep, weeks[label], len(rows), len(rows) - len(incomplete), completeness, incomplete,
                                  len(judged), len(verified), share, len(pending), pending, len(late), late,
                                  _score(completeness, share, len(late), config)))
    return out


def manager_week_quality(alerts: Iterable[AlertRow], now: dt.datetime,
                         config: QualityConfig | None = None) -> list[ManagerWeekQuality]:
    """One row per manager per ISO week of the alerts raised in it.

    In-time share = alerts resolved by their deadline ÷ alerts already decided (resolved, or
    still unresolved past the deadline at `now` or marked overdue); an open alert not yet due is
    not counted. Superseded alerts are left out (counted in `superseded`).
    """
    config = config or QualityConfig()
    tz = config.timezone
    now = now if now.tzinfo else now.replace(tzinfo=dt.timezone.utc)
    groups: dict[tuple[Any, str], list[AlertRow]] = {}
    weeks: dict[str, Period] = {}
    for al in alerts:
        w = iso_week(local_day(al.created_at, tz))
        weeks[w.label] = w
        groups.setdefault((al.manager_id, w.label), []).append(al)
    out = []
    for key in sorted(groups, key=lambda k: (str(k[0]), k[1])):
        manager, label = key
        rows = sorted(groups[key], key=lambda a: str(a.alert_id))
        live = [a for a in rows if a.status != "superseded"]
        resolved = [a for a in live if a.resolved_at is not None]
        in_time = [a for a in resolved if _utc(a.resolved_at) <= _utc(a.due_at)]
        unresolved_late = [a for a in live if a.resolved_at is None and (a.status == "overdue" or _utc(a.due_at) < now)]
        decided = len(resolved) + len(unresolved_late)
        hours = np.array([(_utc(a.resolved_at) - _utc(a.created_at)).total_seconds() / 3600 for a in resolved])
        categories: dict[str, int] = {c: 0 for c in RESOLUTION_CATEGORIES}
        for a in resolved:
            cat = a.resolution or "其他"
            categories[cat] = categories.get(cat, 0) + 1
        on_time = {a.alert_id for a in in_time}
        late_ids = tuple(a.alert_id for a in resolved + unresolved_late if a.alert_id not in on_time)
        out.append(ManagerWeekQuality(
            manager, weeks[label], len(live), decided, len(resolved), len(in_time),
            len(in_time) / decided if decided else None,
            float(np.median(hours)) if len(hours) else None, categories,
            sum(1 for a in live if a.resolved_at is None), sum(1 for a in live if a.status == "overdue"),
            len(rows) - len(live), tuple(a.alert_id for a in live), late_ids))
    return out


def _utc(t: dt.datetime) -> dt.datetime:
    return t if t.tzinfo else t.replace(tzinfo=dt.timezone.utc)
