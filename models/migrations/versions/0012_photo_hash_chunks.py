"""issue #16: a reuse lookup that does not grow with history — ap_photos.phash_c0 … phash_c3 (the
pHash's 16-bit chunks, backfilled, kept equal to phash by a CHECK constraint) and one index per chunk
on (org_id, phash_cN, phash) for multi-index hashing (models.photo_lookup)

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 10:00:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from models.functions import hash_chunk16, hash_chunks_check

revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None

CHUNKS = ('phash_c0', 'phash_c1', 'phash_c2', 'phash_c3')


def upgrade() -> None:
    with op.batch_alter_table('ap_photos', schema=None) as batch_op:
        for name in CHUNKS:
            batch_op.add_column(sa.Column(name, sa.Integer(), nullable=True))
    # Backfill in SQL on both backends (rows whose hash is malformed do not exist: CHECK of 0006).
    photos = sa.table('ap_photos', sa.column('phash'), *(sa.column(name) for name in CHUNKS))
    op.execute(photos.update().where(photos.c.phash.is_not(None))
               .values({name: hash_chunk16(photos.c.phash, i) for i, name in enumerate(CHUNKS)}))
    with op.batch_alter_table('ap_photos', schema=None) as batch_op:
        batch_op.create_check_constraint('phash_chunks', hash_chunks_check('phash', CHUNKS))
        for name in CHUNKS:
            batch_op.create_index(f'ix_ap_photos_org_{name}', ['org_id', name, 'phash'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('ap_photos', schema=None) as batch_op:
        for name in reversed(CHUNKS):
            batch_op.drop_index(f'ix_ap_photos_org_{name}')
        batch_op.drop_constraint('phash_chunks', type_='check')
        for name in reversed(CHUNKS):
            batch_op.drop_column(name)
