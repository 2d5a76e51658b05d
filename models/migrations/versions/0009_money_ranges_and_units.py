"""money as people say it: ranges and approximate amounts keep their bounds, per-unit amounts their unit;
vague dates (年前, 节后, 这两天) are marked; each analysed source keeps its 录音摘要; BI view v_money

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 07:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None

MONEY_VIEW = """
    SELECT org_id, customer_id, source_kind, source_id, ref, speaker, occurred_at, kind, yuan, yuan_low, yuan_high,
           COALESCE(yuan, yuan_low) AS yuan_min, COALESCE(yuan, yuan_high) AS yuan_max, unit, ratio
    FROM ap_money"""


def upgrade() -> None:
    with op.batch_alter_table('ap_money', schema=None) as batch_op:
        batch_op.add_column(sa.Column('yuan_low', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('yuan_high', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('unit', sa.String(length=16), nullable=True))
    with op.batch_alter_table('ap_commitments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('vague', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('ap_analyses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('summary', sa.Text(), nullable=True))
    op.execute(f"CREATE VIEW v_money AS {MONEY_VIEW}")


def downgrade() -> None:
    op.execute("DROP VIEW v_money")
    with op.batch_alter_table('ap_analyses', schema=None) as batch_op:
        batch_op.drop_column('summary')
    with op.batch_alter_table('ap_commitments', schema=None) as batch_op:
        batch_op.drop_column('vague')
    # A range becomes its low end, as the point the older code would have read.
    op.execute("UPDATE ap_money SET yuan = yuan_low WHERE yuan IS NULL AND yuan_low IS NOT NULL")
    with op.batch_alter_table('ap_money', schema=None) as batch_op:
        batch_op.drop_column('unit')
        batch_op.drop_column('yuan_high')
        batch_op.drop_column('yuan_low')
