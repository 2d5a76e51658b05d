"""speakers on mono calls: segment speaker confidence and voice, how a transcript's speakers were
told apart, conversation metrics (+ BI view), reps' voice samples, the rep's voiceprint consent

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 01:59:05.632999
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import models.types


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None

CONVERSATION_VIEW = """
    SELECT m.org_id, m.transcript_id, t.recording_id, m.customer_id, m.rep_id, m.recorded_at, m.duration_s,
           t.speaker_method, m.attributed_share, m.rep_s, m.customer_s, m.unknown_s, m.talk_ratio_rep,
           m.longest_rep_monologue_s, m.longest_customer_story_s, m.questions_rep, m.questions_customer,
           m.switches, m.interactivity_per_min, m.patience_s, m.computed_at
    FROM ap_conversation_metrics m JOIN ap_transcripts t ON t.id = m.transcript_id"""


def upgrade() -> None:
    op.create_table('ap_voice_samples',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('org_id', sa.String(length=64), nullable=False),
    sa.Column('rep_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('recording_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('source', sa.String(length=16), nullable=False),
    sa.Column('method', sa.String(length=40), nullable=False),
    sa.Column('sample_rate', sa.Integer(), nullable=False),
    sa.Column('seconds', sa.Float(), nullable=False),
    sa.Column('vector', sa.LargeBinary(), nullable=False),
    sa.Column('created_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ap_voice_samples')),
    sa.UniqueConstraint('rep_id', 'source', 'recording_id', name=op.f('uq_ap_voice_samples_rep_id_source_recording_id'))
    )
    with op.batch_alter_table('ap_voice_samples', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ap_voice_samples_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ap_voice_samples_recording_id'), ['recording_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ap_voice_samples_rep_id'), ['rep_id'], unique=False)

    op.create_table('ap_conversation_metrics',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('org_id', sa.String(length=64), nullable=False),
    sa.Column('transcript_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('customer_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('rep_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
    sa.Column('recorded_at', models.types.UTCDateTime(timezone=True), nullable=True),
    sa.Column('duration_s', sa.Float(), nullable=False),
    sa.Column('rep_s', sa.Float(), nullable=False),
    sa.Column('customer_s', sa.Float(), nullable=False),
    sa.Column('unknown_s', sa.Float(), nullable=False),
    sa.Column('attributed_share', sa.Float(), nullable=True),
    sa.Column('talk_ratio_rep', sa.Float(), nullable=True),
    sa.Column('longest_rep_monologue_s', sa.Float(), nullable=True),
    sa.Column('longest_customer_story_s', sa.Float(), nullable=True),
    sa.Column('questions_rep', sa.Integer(), nullable=True),
    sa.Column('questions_customer', sa.Integer(), nullable=True),
    sa.Column('switches', sa.Integer(), nullable=True),
    sa.Column('interactivity_per_min', sa.Float(), nullable=True),
    sa.Column('patience_s', sa.Float(), nullable=True),
    sa.Column('computed_at', models.types.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['transcript_id'], ['ap_transcripts.id'], name=op.f('fk_ap_conversation_metrics_transcript_id_ap_transcripts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ap_conversation_metrics')),
    sa.UniqueConstraint('transcript_id', name=op.f('uq_ap_conversation_metrics_transcript_id'))
    )
    with op.batch_alter_table('ap_conversation_metrics', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ap_conversation_metrics_customer_id'), ['customer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ap_conversation_metrics_org_id'), ['org_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_ap_conversation_metrics_rep_id'), ['rep_id'], unique=False)

    with op.batch_alter_table('ap_analyses', schema=None) as batch_op:
        batch_op.add_column(sa.Column('attributed_share', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('unattributed', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('ap_segments', schema=None) as batch_op:
        batch_op.add_column(sa.Column('speaker_confidence', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('voice', sa.Integer(), nullable=True))

    with op.batch_alter_table('ap_transcripts', schema=None) as batch_op:
        batch_op.add_column(sa.Column('speaker_method', sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column('attributed_share', sa.Float(), nullable=True))
        batch_op.add_column(sa.Column('speaker_note', sa.String(length=64), nullable=True))

    with op.batch_alter_table('crm_recordings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('rep_voice_sample', sa.Boolean(), server_default=sa.false(), nullable=False))

    with op.batch_alter_table('crm_users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('voiceprint_consent', sa.Boolean(), server_default=sa.false(), nullable=False))
        batch_op.add_column(sa.Column('voiceprint_consent_at', models.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('left_at', models.types.UTCDateTime(timezone=True), nullable=True))

    # BI: ids and figures only; no names, no phone numbers, never the voice samples.
    op.execute(f"CREATE VIEW v_conversation_metrics AS {CONVERSATION_VIEW}")


def downgrade() -> None:
    op.execute("DROP VIEW v_conversation_metrics")
    with op.batch_alter_table('crm_users', schema=None) as batch_op:
        batch_op.drop_column('left_at')
        batch_op.drop_column('voiceprint_consent_at')
        batch_op.drop_column('voiceprint_consent')

    with op.batch_alter_table('crm_recordings', schema=None) as batch_op:
        batch_op.drop_column('rep_voice_sample')

    with op.batch_alter_table('ap_transcripts', schema=None) as batch_op:
        batch_op.drop_column('speaker_note')
        batch_op.drop_column('attributed_share')
        batch_op.drop_column('speaker_method')

    with op.batch_alter_table('ap_segments', schema=None) as batch_op:
        batch_op.drop_column('voice')
        batch_op.drop_column('speaker_confidence')

    with op.batch_alter_table('ap_analyses', schema=None) as batch_op:
        batch_op.drop_column('unattributed')
        batch_op.drop_column('attributed_share')

    with op.batch_alter_table('ap_conversation_metrics', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ap_conversation_metrics_rep_id'))
        batch_op.drop_index(batch_op.f('ix_ap_conversation_metrics_org_id'))
        batch_op.drop_index(batch_op.f('ix_ap_conversation_metrics_customer_id'))

    op.drop_table('ap_conversation_metrics')
    with op.batch_alter_table('ap_voice_samples', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ap_voice_samples_rep_id'))
        batch_op.drop_index(batch_op.f('ix_ap_voice_samples_recording_id'))
        batch_op.drop_index(batch_op.f('ix_ap_voice_samples_org_id'))

    op.drop_table('ap_voice_samples')
