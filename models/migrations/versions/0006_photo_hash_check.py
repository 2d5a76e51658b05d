"""photo hashes kept well formed (compared in SQL)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-27 10:10:00
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from models.functions import hex64_check

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A malformed hash cannot be compared: drop it (the photo is then treated as unhashed) rather
    # than refuse the migration.
    for column in ("phash", "dhash"):
        op.execute(sa.text(f"UPDATE ap_photos SET {column} = lower({column}) WHERE {column} IS NOT NULL"))
    op.execute(sa.text(f"UPDATE ap_photos SET phash = NULL, phash_reason = 'malformed_hash' "
                       f"WHERE NOT ({hex64_check('phash')})"))
    op.execute(sa.text(f"UPDATE ap_photos SET dhash = NULL WHERE NOT ({hex64_check('dhash')})"))
    with op.batch_alter_table('ap_photos') as batch:
        batch.create_check_constraint('ck_ap_photos_phash_hex', hex64_check('phash'))
        batch.create_check_constraint('ck_ap_photos_dhash_hex', hex64_check('dhash'))


def downgrade() -> None:
    with op.batch_alter_table('ap_photos') as batch:
        batch.drop_constraint('ck_ap_photos_dhash_hex', type_='check')
        batch.drop_constraint('ck_ap_photos_phash_hex', type_='check')
