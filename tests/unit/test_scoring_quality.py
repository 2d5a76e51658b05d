"""Process quality per rep-week and manager-week."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from scoring.quality import ActionRow, AlertRow, QualityConfig, manager_week_quality, rep_week_quality

UTC = dt.timezone.utc


def t(day: int, hour: int = 2) -> dt.datetime:
    return dt.datetime(2026, 3, day, hour, tzinfo=UTC)  # 10:00 in Shanghai


ACTIONS = [
    ActionRow(1, "r1", "上门拜访", t(16), frozenset({"checkin", "photo"}), "verified"),
    ActionRow(2, "r1", "上门拜访", t(17), frozenset({"checkin"}), "pending_verification"),
    ActionRow(3, "r1", "电话沟通", t(18), frozenset({"call_log"}), "verified"),
    ActionRow(4, "r1", "方案讲解", t(19), frozenset(), None),
    ActionRow(5, "r2", "电话沟通", t(23), frozenset(), "pending_verification"),
    # Sunday 22 Mar 23:30 in Shanghai is still week 12 though it is 15:30 UTC.
    ActionRow(6, "r2", "报价", dt.datetime(2026, 3, 22, 15, 30, tzinfo=UTC), frozenset(), "verified"),
]
ALERTS = [
    AlertRow(10, 2, "r1", "m1", "resolved", t(17), t(17, 4), resolved_at=t(17, 3), resolution="信号漂移"),
    AlertRow(11, 5, "r2", "m1", "overdue", t(23), t(23, 4), overdue_at=t(23, 5)),
    AlertRow(12, 7, "r1", "m1", "resolved", t(18), t(18, 4), overdue_at=t(18, 5), resolved_at=t(18, 8),
             resolution="客户临时改址"),
    AlertRow(13, 8, "r1", "m1", "superseded", t(18), t(18, 4)),
    AlertRow(14, 9, "r1", "m2", "open", t(19), t(19, 4)),
]


def test_rep_week():
    rows = {(r.rep_id, r.week.label): r for r in rep_week_quality(ACTIONS, ALERTS)}
    r1 = rows[("r1", "2026-W12")]
    assert (r1.actions, r1.complete, r1.evidence_completeness) == (4, 3, 0.75)
    assert r1.incomplete == ((2, ("photo",)),)
    assert (r1.judged, r1.verified, r1.verified_share, r1.pending, r1.pending_ids) == (3, 2, 2 / 3, 1, (2,))
    assert (r1.overdue_alerts, r1.overdue_alert_ids) == (1, (12,))
    assert r1.score == pytest.approx(100 * (0.5 * 0.75 + 0.5 * 2 / 3) - 10)
    r2_12 = rows[("r2", "2026-W12")]
    assert r2_12.actions == 1 and r2_12.verified_share == 1.0 and r2_12.overdue_alerts == 0
    r2_13 = rows[("r2", "2026-W13")]
    assert (r2_13.evidence_completeness, r2_13.pending, r2_13.overdue_alert_ids) == (0.0, 1, (11,))
    json.dumps([r.to_json() for r in rows.values()], ensure_ascii=False)


def test_rep_week_required_evidence_is_configurable():
    config = QualityConfig(required_evidence={"方案讲解": frozenset({"photo"})})
    rows = {(r.rep_id, r.week.label): r for r in rep_week_quality(ACTIONS, [], config)}
    assert rows[("r1", "2026-W12")].incomplete == ((4, ("photo",)),)


def test_manager_week():
    now = t(19, 3)  # alert 14 is not yet due: not decided
    rows = {(r.manager_id, r.week.label): r for r in manager_week_quality(ALERTS, now)}
    m1 = rows[("m1", "2026-W12")]
    assert (m1.alerts, m1.superseded, m1.resolved, m1.resolved_in_time, m1.decided) == (2, 1, 2, 1, 2)
    assert m1.resolved_in_time_share == 0.5
    assert m1.median_hours_to_resolve == pytest.approx((1 + 6) / 2)
    assert m1.categories["信号漂移"] == 1 and m1.categories["客户临时改址"] == 1 and m1.categories["确认虚假"] == 0
    assert m1.late_ids == (12,)
    m2 = rows[("m2", "2026-W12")]
    assert (m2.alerts, m2.decided, m2.resolved_in_time_share, m2.still_open) == (1, 0, None, 1)
    m1_13 = rows[("m1", "2026-W13")]
    assert (m1_13.decided, m1_13.resolved_in_time_share, m1_13.overdue, m1_13.median_hours_to_resolve) == (1, 0.0, 1, None)
    json.dumps([r.to_json() for r in rows.values()], ensure_ascii=False)
