"""Engines and transactions for SQLite (default) and PostgreSQL (psycopg 3).

SQLite gets WAL (readers never block the writer), foreign keys on, a busy timeout,
and transactions that we begin ourselves: pysqlite's implicit transactions start too
late for a read-then-write import to be safe, so a write transaction here is
``BEGIN IMMEDIATE`` and takes the write lock up front.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

from junheng.settings import Settings

_WRITE = "junheng_write"


def normalise_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` mean psycopg 3 here (not psycopg2)."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def make_engine(settings: Settings | None = None, url: str | None = None) -> Engine:
    settings = settings or Settings()
    raw = normalise_url(url or settings.resolved_database_url())
    parsed = make_url(raw)
    if parsed.get_backend_name() == "sqlite":
        return _sqlite_engine(raw, settings)
    return create_engine(raw, echo=settings.database_echo, pool_pre_ping=True)


def _sqlite_engine(url: str, settings: Settings) -> Engine:
    parsed = make_url(url)
    if parsed.database and parsed.database != ":memory:":
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url, echo=settings.database_echo, connect_args={"timeout": settings.sqlite_busy_timeout},
        # The web app serves from up to 40 threads: keep their connections instead of
        # opening (and re-running the PRAGMAs) for every request above the default 5.
        pool_size=settings.sqlite_pool_size, max_overflow=settings.sqlite_pool_size,
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        # Driver autocommit: the "begin" hook below issues BEGIN itself.
        dbapi_connection.isolation_level = None
        cur = dbapi_connection.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(_WRITE, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def is_sqlite(engine: Engine | Connection) -> bool:
    return engine.dialect.name == "sqlite"


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """One all-or-nothing write: commits on success, rolls back on any exception."""
    with engine.connect() as conn:
        conn = conn.execution_options(**{_WRITE: True})
        with conn.begin():
            yield conn


@contextmanager
def read_connection(engine: Engine) -> Iterator[Connection]:
    with engine.connect() as conn:
        with conn.begin():
            yield conn
