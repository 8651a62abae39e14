"""The sign-in limit: failed sign-ins per (user name, address) and per address in a
sliding window, kept in the database so that every worker of ``junheng serve
--workers N`` counts the same attempts (a limit per process would allow N times as many).

An attempt is counted *before* its password is checked, in the same write transaction
as the count it is checked against (serialised per address: SQLite's write lock, a
PostgreSQL advisory lock), so parallel requests cannot slip past the limit either. A
successful sign-in removes its own row and clears that name's earlier failures from
that address; they still count for the address (one machine trying many names).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, delete, func, insert, select, update

from junheng.core.errors import TooManyAttemptsError
from junheng.services.accounts import aware, utcnow
from junheng.storage.engine import is_sqlite, read_connection, write_transaction
from junheng.storage.web_models import SignInFailure

# Failures one address may make across all names, as a multiple of the per-name limit.
ADDRESS_FACTOR = 10

_T = SignInFailure.__table__
_LOCK_BASE = 7_311_2018  # our advisory lock ids: this base plus a hash of the address


def _lock_id(address: str) -> int:
    digest = hashlib.sha256(address.encode()).digest()
    return _LOCK_BASE ^ int.from_bytes(digest[:7], "big")


@dataclass(frozen=True, slots=True)
class Attempt:
    """A sign-in attempt that has been counted; pass it back on success."""

    id: int
    username: str
    address: str


class SignInLimit:
    def __init__(self, engine: Engine, max_failures: int, window_seconds: float):
        self.engine = engine
        self.max_failures = max_failures
        self.window = timedelta(seconds=window_seconds)

    @staticmethod
    def _name(username: str) -> str:
        return username.strip().lower()[:64]

    def begin(self, username: str, address: str) -> Attempt:
        """Count an attempt, or raise TooManyAttemptsError (nothing counted) when the
        name or the address has used up its failures in the window."""
        name, address = self._name(username), address[:64]
        now = utcnow()
        cutoff = now - self.window
        with write_transaction(self.engine) as conn:
            if not is_sqlite(conn):
                conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_lock_id(address)})")
            conn.execute(delete(_T).where(_T.c.at <= cutoff))  # old entries pruned
            recent = (_T.c.address == address) & (_T.c.at > cutoff)
            per_name = recent & (_T.c.username == name) & ~_T.c.cleared
            for where, allowed in ((per_name, self.max_failures),
                                   (recent, self.max_failures * ADDRESS_FACTOR)):
                count, oldest = conn.execute(select(func.count(), func.min(_T.c.at)).where(where)).one()
                if count >= allowed:
                    raise TooManyAttemptsError(_retry_after(aware(oldest), self.window, now))
            row_id = conn.execute(insert(_T).values(
                username=name, address=address, at=now, cleared=False).returning(_T.c.id)).scalar_one()
        return Attempt(row_id, name, address)

    def succeeded(self, attempt: Attempt) -> None:
        with write_transaction(self.engine) as conn:
            conn.execute(delete(_T).where(_T.c.id == attempt.id))
            conn.execute(update(_T).where((_T.c.address == attempt.address)
                                          & (_T.c.username == attempt.username)).values(cleared=True))

    def kept(self) -> int:
        """Rows kept (attempts within the window, until pruned)."""
        with read_connection(self.engine) as conn:
            return conn.execute(select(func.count()).select_from(_T)).scalar_one()


def _retry_after(oldest: datetime | None, window: timedelta, now: datetime) -> int:
    if oldest is None:
        return 1
    return int((oldest + window - now).total_seconds()) + 1
