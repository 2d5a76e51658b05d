"""The Alembic migrations build exactly the schema the ORM models describe."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from models import Base
from models.db import make_engine, upgrade


def test_migrations_match_the_models(tmp_path):
    url = f"sqlite:///{tmp_path / 'schema.db'}"
    upgrade(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    engine.dispose()
    assert diff == []


def test_hash_check_migration_keeps_good_hashes_and_drops_malformed_ones(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0005")
    engine = make_engine(url)
    rows = {1: "0123456789abcdef", 2: "0123456789ABCDEF", 3: "not-a-hash", 4: None}
    with engine.begin() as conn:
        for pid, h in rows.items():
            conn.execute(text("INSERT INTO ap_photos (photo_id, org_id, action_id, rep_id, phash, dhash, "
                              "hash_algorithm, read_at) VALUES (:p, 'o', 1, 1, :h, :h, 'a', '2026-01-01')"),
                         {"p": pid, "h": h})
    engine.dispose()
    upgrade(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        got = dict(conn.execute(text("SELECT photo_id, phash FROM ap_photos")).all())
        reason = conn.execute(text("SELECT phash_reason FROM ap_photos WHERE photo_id = 3")).scalar()
    engine.dispose()
    assert got == {1: "0123456789abcdef", 2: "0123456789abcdef", 3: None, 4: None}
    assert reason == "malformed_hash"
