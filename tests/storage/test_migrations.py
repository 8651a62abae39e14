"""The migrations build exactly the tables the models describe, on both databases."""

from __future__ import annotations

import shutil
from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from junheng.services.history import load
from junheng.storage.engine import make_engine
from junheng.storage.models import metadata
from junheng.storage.schema import current_revision, downgrade, head_revision, upgrade

DATA = Path(__file__).resolve().parents[1] / "data" / "storage"


def _diff(engine) -> list:
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True})
        return compare_metadata(ctx, metadata)


def test_models_and_migrations_agree(db_url):
    engine = make_engine(url=db_url)
    upgrade(engine)
    assert _diff(engine) == []
    with engine.connect() as conn:
        assert current_revision(conn) == head_revision()
    engine.dispose()


def test_an_empty_database_upgrades_and_downgrades(db_url):
    engine = make_engine(url=db_url)
    upgrade(engine)
    assert {"regions", "county_years", "schools", "teachers", "classes", "rooms",
            "county_facts", "evaluations"} <= set(inspect(engine).get_table_names())
    downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(engine)
    upgrade(engine)  # a second run at head is a no-op
    assert _diff(engine) == []
    engine.dispose()


def test_the_previous_release_database_upgrades(tmp_path):
    """A database written by release 0.1.0 (tests/data/storage/v0.1.0.sqlite, one
    county-year) opens with today's code: migrated to head, its data intact."""
    db = tmp_path / "old.db"
    shutil.copy(DATA / "v0.1.0.sqlite", db)
    engine = make_engine(url=f"sqlite:///{db}")
    upgrade(engine)
    assert _diff(engine) == []
    data = load(engine, "350404", 2024)
    assert data.county.name == "测试县" and len(data.schools) == 3
    engine.dispose()
