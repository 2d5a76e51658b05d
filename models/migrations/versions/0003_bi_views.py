"""BI views (documented in docs/bi.md); plain SQL that PostgreSQL and SQLite both read.

Revision ID: 0003
Revises: 0002
"""
from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

VIEWS = {
    "v_cqi_weekly": """
        SELECT org_id, customer_id, period_label AS iso_week, period_start, period_end,
               depth, anchoring, rhythm, cqi, depth_healthy, anchoring_healthy, rhythm_healthy,
               open_expectations, computed_at
        FROM ap_cqi WHERE period_kind = 'iso_week'""",
    "v_cqi_current": """
        SELECT org_id, customer_id, period_start, period_end, depth, anchoring, rhythm, cqi,
               depth_healthy, anchoring_healthy, rhythm_healthy, open_expectations, computed_at
        FROM ap_cqi c WHERE period_kind = 'rolling' AND period_end = (
            SELECT MAX(period_end) FROM ap_cqi c2
            WHERE c2.customer_id = c.customer_id AND c2.period_kind = 'rolling')""",
    "v_verdicts": """
        SELECT v.org_id, v.action_id, a.type AS action_type, a.rep_id, a.customer_id, v.version,
               v.status, v.rules_version, v.risk_score, v.judged_at
        FROM ap_verdicts v JOIN crm_actions a ON a.id = v.action_id
        WHERE v.superseded_at IS NULL""",
    "v_failed_checks": """
        SELECT c.org_id, c.action_id, c.rule, c.subject, c.value_num, c.unit, c.threshold, c.reason
        FROM ap_checks c JOIN ap_verdicts v ON v.id = c.verdict_id
        WHERE v.superseded_at IS NULL AND c.passed = false""",
    "v_alerts": """
        SELECT org_id, id AS alert_id, action_id, rep_id, manager_id, status, created_at, due_at,
               overdue_at, resolved_at, resolution,
               CASE WHEN resolved_at IS NOT NULL AND resolved_at <= due_at THEN 1 ELSE 0 END AS resolved_in_time
        FROM ap_alerts""",
    "v_process_quality": """
        SELECT org_id, subject_kind, subject_id, week_label AS iso_week, score, computed_at
        FROM ap_process_quality""",
    "v_store_funnel": """
        SELECT org_id, store_id, day, entered, probed, recommended, objection_handled, closed
        FROM ap_funnels""",
    "v_radar_weekly": """
        SELECT org_id, customer_id, rep_id, week_label AS iso_week, chain_coverage, need_clarity,
               budget_match, computed_at
        FROM ap_radar""",
}


def upgrade() -> None:
    for name, sql in VIEWS.items():
        op.execute(f"CREATE VIEW {name} AS {sql}")


def downgrade() -> None:
    for name in reversed(list(VIEWS)):
        op.execute(f"DROP VIEW IF EXISTS {name}")
