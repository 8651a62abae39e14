"""Every storage test runs on SQLite and on PostgreSQL, each on a fresh database.

PostgreSQL comes from JUNHENG_TEST_POSTGRES_URL or the role and database that
scripts/setup-system.d/10-postgres.sh creates. Each test gets its own schema. When the
server is unreachable the PostgreSQL half is skipped locally, and fails under CI=true.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from junheng.storage.schema import open_database

PG_DEFAULT = "postgresql+psycopg://junheng:junheng@127.0.0.1:5432/junheng_test"


def postgres_url() -> str:
    return os.environ.get("JUNHENG_TEST_POSTGRES_URL") or PG_DEFAULT


_pg_error: list[str] = []


def _pg_reachable() -> str | None:
    if not _pg_error:
        try:
            eng = create_engine(postgres_url())
            with eng.connect() as conn:
                conn.execute(text("SELECT 1"))
            eng.dispose()
            _pg_error.append("")
        except Exception as exc:  # noqa: BLE001 - any failure means "unreachable"
            _pg_error.append(f"{type(exc).__name__}: {exc}")
    return _pg_error[0] or None


@contextmanager
def postgres_schema() -> Iterator[str]:
    """The URL of a fresh, empty PostgreSQL schema, dropped afterwards."""
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = make_url(postgres_url()).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'junheng.db'}"
        return
    error = _pg_reachable()
    if error:
        message = f"PostgreSQL unreachable at {postgres_url()}: {error}"
        if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
            pytest.fail(message)
        pytest.skip(message)
    with postgres_schema() as url:
        yield url


@pytest.fixture
def engine(db_url):
    eng = open_database(url=db_url)
    yield eng
    eng.dispose()
