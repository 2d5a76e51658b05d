"""money as people say it: ranges and approximate amounts keep their bounds, per-unit amounts their unit;
vague dates (年前, 节后, 这两天) are marked; each analysed source keeps its 录音摘要

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


def upgrade() -> None:
    with op.batch_alter_table('ap_money', schema=None) as batch_op:
        batch_op.add_column(sa.Column('yuan_low', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('yuan_high', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('unit', sa.String(length=16), nullable=True))
    with op.batch_alter_table('ap_commitments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('vague', sa.Boolean(), server_default=sa.false(), nullable=False))
    with op.batch_alter_table('ap_analyses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('summary', sa.Text(), nullable=True))


def downgrade() -> None:
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
