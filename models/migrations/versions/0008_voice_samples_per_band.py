"""a rep's voice sample per band: one recording gives a full-band and a telephone-band sample, so
the sample's method joins the unique key

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 07:30:00
"""
from __future__ import annotations

from alembic import op

revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('ap_voice_samples', schema=None) as batch_op:
        batch_op.drop_constraint('uq_ap_voice_samples_rep_id_source_recording_id', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_ap_voice_samples_rep_id_source_recording_id_method'),
                                          ['rep_id', 'source', 'recording_id', 'method'])


def downgrade() -> None:
    # Two samples of one recording cannot share the old key: keep the full-band one.
    op.execute("DELETE FROM ap_voice_samples WHERE method LIKE '%@tel' AND recording_id IS NOT NULL")
    with op.batch_alter_table('ap_voice_samples', schema=None) as batch_op:
        batch_op.drop_constraint('uq_ap_voice_samples_rep_id_source_recording_id_method', type_='unique')
        batch_op.create_unique_constraint(batch_op.f('uq_ap_voice_samples_rep_id_source_recording_id'),
                                          ['rep_id', 'source', 'recording_id'])
