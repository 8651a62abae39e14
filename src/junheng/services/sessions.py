"""Sign-in and sessions: the account's own throttle (an exponential delay after a few
consecutive failures, a lock after more that only an admin lifts), the session's
absolute lifetime and idle timeout, sign-out (here or everywhere), the one-shot
message a page shows after a redirect, and the forced password change (new or reset
accounts; expired passwords when a maximum age is set).

The per-name and per-address sliding window in front of all this is
services.sign_in_limit; every failure, lock and refusal is in the audit log.
"""

from __future__ import annotations

import functools
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, insert, select, update

from junheng.core.errors import AccountLockedError, TooManyAttemptsError
from junheng.services.accounts import (
    LoginFailedError,
    Principal,
    Role,
    aware,
    check_password,
    hash_password,
    needs_rehash,
    token_hash,
    utcnow,
)
from junheng.services.audit import record
from junheng.storage.engine import read_connection, write_transaction
from junheng.storage.web_models import User, WebSession

MAX_DELAY_SECONDS = 15 * 60
TOUCH_EVERY = timedelta(seconds=60)  # last_seen_at is written at most this often


@dataclass(frozen=True, slots=True)
class Policy:
    """The settings sign-in and sessions follow (from Settings, see web.app)."""

    session_hours: float = 12.0
    idle_minutes: float = 30.0
    delay_after: int = 3
    lock_after: int = 10
    password_max_age_days: int = 0


@dataclass(frozen=True, slots=True)
class SignIn:
    principal: Principal
    token: str  # the cookie value (never stored)
    csrf_token: str


@dataclass(frozen=True, slots=True)
class LiveSession:
    principal: Principal
    csrf_token: str
    flash: dict[str, str] | None


def _county_of(region_code: str | None) -> str | None:
    return region_code if region_code and len(region_code) == 6 else None


def account_delay(failures: int, delay_after: int) -> int:
    """Seconds an account waits after ``failures`` consecutive failures: none up to
    ``delay_after``, then 1, 2, 4, 8 ... capped at 15 minutes."""
    if failures < delay_after or delay_after <= 0:
        return 0
    return min(2 ** (failures - delay_after), MAX_DELAY_SECONDS)


def _expired(row: Any, policy: Policy, now: datetime) -> bool:
    if policy.password_max_age_days <= 0:
        return False
    changed = aware(row.password_changed_at) or aware(row.created_at)
    return changed + timedelta(days=policy.password_max_age_days) <= now


# A hash of a random password: verifying against it when the user does not exist
# costs the same as a real check, so timing does not tell which usernames exist.
@functools.cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))  # made on first use, not at import


def sign_in(engine: Engine, username: str, password: str, *, policy: Policy | None = None,
            address: str | None = None, hours: float | None = None) -> SignIn:
    """Check the password and open a session; the same message for every failure
    (a locked account is named only to whoever knows its password)."""
    policy = policy or Policy()
    if hours is not None:
        policy = Policy(hours, policy.idle_minutes, policy.delay_after, policy.lock_after,
                        policy.password_max_age_days)
    now = utcnow()
    with read_connection(engine) as conn:
        row = conn.execute(select(User.__table__).where(User.username == username)).first()
    if row is None:
        check_password(_dummy_hash(), password)
        _failed(engine, None, username, address)
        raise LoginFailedError()
    wait = account_delay(row.failed_sign_ins or 0, policy.delay_after)
    if row.locked_at is None and wait and aware(row.last_failed_at) is not None:
        left = (aware(row.last_failed_at) + timedelta(seconds=wait) - now).total_seconds()
        if left > 0:  # not even checked: a guess must wait its turn
            raise TooManyAttemptsError(int(left) + 1)
    good = check_password(row.password_hash, password)
    if row.locked_at is not None:
        if good:
            raise AccountLockedError()
        _failed(engine, row, username, address)
        raise LoginFailedError()
    if not good or not row.active:
        _failed(engine, row, username, address, policy.lock_after if not good else 0)
        raise LoginFailedError()
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    with write_transaction(engine) as conn:
        conn.execute(delete(WebSession).where(WebSession.expires_at < now))
        conn.execute(insert(WebSession).values(
            token_hash=token_hash(token), user_id=row.id, csrf_token=csrf, created_at=now,
            expires_at=now + timedelta(hours=policy.session_hours), last_seen_at=now,
            address=(address or "")[:64] or None))
        values: dict[str, Any] = {"failed_sign_ins": 0, "last_failed_at": None}
        if needs_rehash(row.password_hash):
            values["password_hash"] = hash_password(password)
        conn.execute(update(User).where(User.id == row.id).values(**values))
        record(conn, row.username, "login", "session", row.username, None,
               {"failed_sign_ins": row.failed_sign_ins} if row.failed_sign_ins else None,
               county_code=_county_of(row.region_code), address=address)
    return SignIn(_principal(row, policy, now), token, csrf)


def _failed(engine: Engine, row: Any, username: str, address: str | None, lock_after: int = 0) -> None:
    """Count a failure on the account (atomically) and lock it at ``lock_after``."""
    now = utcnow()
    with write_transaction(engine) as conn:
        if row is None:
            record(conn, "（未知用户）", "login_failed", "session", username[:64], None,
                   {"reason": "用户名不存在"}, address=address)
            return
        conn.execute(update(User).where(User.id == row.id).values(
            failed_sign_ins=User.failed_sign_ins + 1, last_failed_at=now))
        count = conn.execute(select(User.failed_sign_ins).where(User.id == row.id)).scalar_one()
        reason = "密码错误" if row.active else "账号已停用"
        record(conn, row.username, "login_failed", "session", row.username, None,
               {"reason": reason, "failed_sign_ins": count},
               county_code=_county_of(row.region_code), address=address)
        if lock_after > 0 and count >= lock_after:
            conn.execute(update(User).where(User.id == row.id, User.locked_at.is_(None))
                         .values(locked_at=now))
            conn.execute(delete(WebSession).where(WebSession.user_id == row.id))
            record(conn, "系统（登录保护）", "lock", "user", row.username, {"locked": False},
                   {"locked": True, "failed_sign_ins": count},
                   county_code=_county_of(row.region_code), address=address)


def _principal(row: Any, policy: Policy, now: datetime) -> Principal:
    return Principal(row.id, row.username, row.display_name, Role(row.role), row.region_code,
                     row.school_code, bool(row.must_change_password) or _expired(row, policy, now))


def session_principal(engine: Engine, token: str, policy: Policy | None = None) -> LiveSession | None:
    """The user, CSRF token and pending message of a live session cookie, else None.
    A session idle longer than the policy allows ends here (and is deleted)."""
    if not token or len(token) > 100:
        return None
    policy = policy or Policy()
    u, s = User.__table__, WebSession.__table__
    digest = token_hash(token)
    with read_connection(engine) as conn:
        row = conn.execute(
            select(u, s.c.csrf_token, s.c.expires_at, s.c.last_seen_at, s.c.created_at.label("since"),
                   s.c.flash).join(s, s.c.user_id == u.c.id).where(s.c.token_hash == digest)
        ).first()
    now = utcnow()
    if row is None or not row.active or aware(row.expires_at) <= now or row.locked_at is not None:
        return None
    seen = aware(row.last_seen_at) or aware(row.since)
    idle = timedelta(minutes=policy.idle_minutes)
    if policy.idle_minutes > 0 and seen + idle <= now:
        with write_transaction(engine) as conn:
            conn.execute(delete(WebSession).where(WebSession.token_hash == digest))
            record(conn, row.username, "expire", "session", row.username, None,
                   {"reason": f"超过 {policy.idle_minutes:g} 分钟无操作"},
                   county_code=_county_of(row.region_code))
        return None
    if now - seen >= min(TOUCH_EVERY, idle / 2):
        with write_transaction(engine) as conn:
            conn.execute(update(WebSession).where(WebSession.token_hash == digest).values(last_seen_at=now))
    return LiveSession(_principal(row, policy, now), row.csrf_token, row.flash or None)


def set_flash(engine: Engine, token: str, text: str, kind: str = "ok") -> None:
    """The message the next page of this session shows once (post/redirect/get)."""
    with write_transaction(engine) as conn:
        conn.execute(update(WebSession).where(WebSession.token_hash == token_hash(token))
                     .values(flash={"text": text[:2000], "kind": kind if kind in ("ok", "bad", "warn") else "ok"}))


def clear_flash(engine: Engine, token: str) -> None:
    with write_transaction(engine) as conn:
        conn.execute(update(WebSession).where(WebSession.token_hash == token_hash(token)).values(flash=None))


def sign_out(engine: Engine, token: str) -> None:
    with write_transaction(engine) as conn:
        row = conn.execute(select(User.username, User.region_code)
                           .join(WebSession, WebSession.user_id == User.id)
                           .where(WebSession.token_hash == token_hash(token))).first()
        conn.execute(delete(WebSession).where(WebSession.token_hash == token_hash(token)))
        if row is not None:
            record(conn, row.username, "logout", "session", row.username, None, None,
                   county_code=_county_of(row.region_code))


def sign_out_everywhere(engine: Engine, actor: Principal) -> int:
    """End every session of the user (this browser's too); the number ended."""
    with write_transaction(engine) as conn:
        ended = conn.execute(delete(WebSession).where(WebSession.user_id == actor.id)).rowcount or 0
        record(conn, actor.actor, "logout_all", "session", actor.username, None, {"sessions": ended},
               county_code=_county_of(actor.region_code))
    return ended
