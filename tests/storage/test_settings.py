"""Settings are built from JUNHENG_* variables; the default database is a SQLite file
under the data directory, created (with its folder) on first use."""

from __future__ import annotations

from sqlalchemy import inspect

from junheng.settings import Settings
from junheng.storage.engine import make_engine, normalise_url
from junheng.storage.schema import open_database


def test_default_is_sqlite_under_the_data_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("JUNHENG_DATABASE_URL", raising=False)
    monkeypatch.setenv("JUNHENG_DATA_DIR", str(tmp_path / "新目录" / "junheng"))
    s = Settings()
    assert s.resolved_database_url() == f"sqlite:///{tmp_path / '新目录' / 'junheng' / 'junheng.db'}"
    engine = open_database(s)
    assert (tmp_path / "新目录" / "junheng" / "junheng.db").exists()
    assert "county_years" in inspect(engine).get_table_names()
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    engine.dispose()


def test_database_url_from_the_environment(monkeypatch):
    monkeypatch.setenv("JUNHENG_DATABASE_URL", "postgresql://u:p@db.example:5432/jh")
    s = Settings()
    assert s.resolved_database_url() == "postgresql://u:p@db.example:5432/jh"
    engine = make_engine(s)  # no connection is made until used
    assert engine.dialect.name == "postgresql" and engine.dialect.driver == "psycopg"
    assert normalise_url("postgres://x@h/d") == "postgresql+psycopg://x@h/d"
    assert normalise_url("sqlite:///a.db") == "sqlite:///a.db"


def test_every_setting_is_documented():
    from pathlib import Path

    docs = "\n".join(p.read_text(encoding="utf-8")
                     for p in (Path(__file__).resolve().parents[2] / "docs").rglob("*.md"))
    missing = [f"JUNHENG_{name.upper()}" for name in Settings.model_fields
               if f"JUNHENG_{name.upper()}" not in docs]
    assert missing == []
