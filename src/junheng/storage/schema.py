"""Bring a database to the newest schema with Alembic, programmatically.

Every command that opens the database calls :func:`open_database`, so a new SQLite
file (or an empty PostgreSQL database) is created and migrated on first use and an
older one is upgraded. Two processes migrating at once serialise: SQLite through
``BEGIN IMMEDIATE``, PostgreSQL through an advisory lock.
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from junheng.settings import Settings
from junheng.storage.engine import is_sqlite, make_engine, read_connection, write_transaction

SCRIPT_LOCATION = "junheng.storage:migrations"
_MIGRATION_LOCK = 7_311_2017  # arbitrary constant: our advisory lock id


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", SCRIPT_LOCATION)
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine, revision: str = "head") -> None:
    if revision == "head":
        # The usual case, already at head, needs no write lock: a command that only
        # reads must not wait for (or block) an import in progress.
        with read_connection(engine) as conn:
            if current_revision(conn) == head_revision():
                return
    with write_transaction(engine) as conn:
        if not is_sqlite(conn):
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
        if revision == "head" and current_revision(conn) == head_revision():
            return
        command.upgrade(alembic_config(conn), revision)


def downgrade(engine: Engine, revision: str) -> None:
    with write_transaction(engine) as conn:
        command.downgrade(alembic_config(conn), revision)


def open_database(settings: Settings | None = None, url: str | None = None) -> Engine:
    """An engine on an up-to-date database (created and migrated when needed)."""
    engine = make_engine(settings, url)
    upgrade(engine)
    return engine
