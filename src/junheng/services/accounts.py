"""Accounts, roles and what each role may see or change; sign-in sessions.

Six roles (decision 007): a system admin; a city or province supervisor who reads
every county under its region code; a county bureau admin who manages its county's
schools, users and reviews; a school clerk who sees and edits only its own school; a
viewer who reads the dashboards of its region; a security officer (安全审计员) who
reads the audit log (of the whole system, or of its region) and nothing else — the
admins who act are not the ones who read what they did (等保 separation of duties). Every service that reads or changes
something asks a :class:`Principal` first, so pages and the JSON API share one set
of rules.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from junheng.core.errors import (
    ConflictError,
    InvalidRequestError,
    JunhengError,
    NotFoundError,
    PermissionDeniedError,
)
from junheng.services.audit import record
from junheng.services.passwords import check_password_policy
from junheng.storage.engine import read_connection, write_transaction
from junheng.storage.web_models import User, WebSession


class Role(StrEnum):
    ADMIN = "admin"
    SUPERVISOR = "supervisor"
    COUNTY_ADMIN = "county_admin"
    CLERK = "clerk"
    VIEWER = "viewer"
    AUDITOR = "auditor"


ROLE_ZH = {
    Role.ADMIN: "系统管理员",
    Role.SUPERVISOR: "市/省级督导",
    Role.COUNTY_ADMIN: "县教育局管理员",
    Role.CLERK: "学校填报员",
    Role.VIEWER: "查看人员",
    Role.AUDITOR: "安全审计员",
}

_USERNAME = re.compile(r"[A-Za-z0-9_.@-]{2,64}")
_hasher = PasswordHasher()


class LoginFailedError(JunhengError):
    code = "login-failed"
    http_status = 401

    def __init__(self) -> None:
        super().__init__("用户名或密码不正确")


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(at: datetime | None) -> datetime | None:
    """SQLite drops the zone; everything is stored in UTC."""
    if at is not None and at.tzinfo is None:
        return at.replace(tzinfo=UTC)
    return at


@dataclass(frozen=True, slots=True)
class Principal:
    """The signed-in user and what it may do."""

    id: int
    username: str
    display_name: str
    role: Role
    region_code: str | None = None
    school_code: str | None = None
    # A new or reset account, or an expired password: nothing but the password page.
    must_change_password: bool = False

    @property
    def actor(self) -> str:
        return self.username

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    def _in_region(self, code: str) -> bool:
        return bool(self.region_code) and code.startswith(self.region_code or "")

    def can_read_region(self, prefix: str) -> bool:
        if self.is_admin:
            return True
        return self.role in (Role.SUPERVISOR, Role.VIEWER, Role.COUNTY_ADMIN) and self._in_region(prefix)

    def can_read_county(self, county: str) -> bool:
        return self.can_read_region(county)

    def can_manage_county(self, county: str) -> bool:
        return self.is_admin or (self.role is Role.COUNTY_ADMIN and self.region_code == county)

    def can_read_collection(self, county: str) -> bool:
        """Rounds, progress, ledger and audit: not for viewers."""
        return self.can_manage_county(county) or (self.role is Role.SUPERVISOR and self._in_region(county))

    def is_clerk_of(self, county: str, school: str) -> bool:
        return (self.role is Role.CLERK and self.region_code == county
                and self.school_code == school)

    def can_read_school(self, county: str, school: str) -> bool:
        return self.can_read_county(county) or self.is_clerk_of(county, school)

    def can_edit_school(self, county: str, school: str) -> bool:
        return self.can_manage_county(county) or self.is_clerk_of(county, school)

    def can_manage_users(self) -> bool:
        return self.role in (Role.ADMIN, Role.COUNTY_ADMIN)

    @property
    def is_auditor(self) -> bool:
        return self.role is Role.AUDITOR

    def can_read_audit(self, county: str | None = None) -> bool:
        """The audit log is the security officer's alone: of the whole system (no
        region) or of its region's counties (``county`` None: the lines of its scope)."""
        if not self.is_auditor:
            return False
        return county is None or not self.region_code or county.startswith(self.region_code)


def require(allowed: bool, what: str) -> None:
    if not allowed:
        raise PermissionDeniedError(f"您没有权限{what}")


# ---------------------------------------------------------------- passwords


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password(stored: str, password: str) -> bool:
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return _hasher.check_needs_rehash(stored)


# ---------------------------------------------------------------- users


@dataclass(frozen=True, slots=True)
class UserInfo:
    id: int
    username: str
    display_name: str
    role: Role
    region_code: str | None
    school_code: str | None
    active: bool
    created_at: datetime
    locked: bool = False
    failed_sign_ins: int = 0
    must_change_password: bool = False

    @property
    def role_zh(self) -> str:
        return ROLE_ZH[self.role]

    def public(self) -> dict[str, Any]:
        return {"id": self.id, "username": self.username, "display_name": self.display_name,
                "role": str(self.role), "role_zh": self.role_zh, "region_code": self.region_code,
                "school_code": self.school_code, "active": self.active, "locked": self.locked,
                "must_change_password": self.must_change_password}


def _info(row: Any) -> UserInfo:
    return UserInfo(row.id, row.username, row.display_name, Role(row.role), row.region_code,
                    row.school_code, row.active, aware(row.created_at), row.locked_at is not None,
                    row.failed_sign_ins or 0, bool(row.must_change_password))


def check_user_fields(role: Role, region_code: str | None, school_code: str | None) -> None:
    """The scope a role needs: admins none, clerks a county and a school, others a region."""
    digits = re.compile(r"\d+")
    if role is Role.ADMIN:
        if region_code or school_code:
            raise InvalidRequestError("系统管理员不属于某个地区或学校，请不要填写地区代码或学校代码")
        return
    if role is Role.AUDITOR:  # the whole system (no region) or a province, city or county
        if school_code:
            raise InvalidRequestError("安全审计员不属于某所学校，请不要填写学校代码")
        if region_code and not (digits.fullmatch(region_code) and len(region_code) in (2, 4, 6)):
            raise InvalidRequestError("安全审计员的地区代码可留空（全部），或填省 2 位、市 4 位、县区 6 位数字")
        return
    if not region_code or not digits.fullmatch(region_code) or len(region_code) not in (2, 4, 6):
        raise InvalidRequestError("请填写地区代码：省 2 位、市 4 位或县区 6 位数字")
    if role in (Role.COUNTY_ADMIN, Role.CLERK) and len(region_code) != 6:
        raise InvalidRequestError(f"{ROLE_ZH[role]}须属于一个县区（6 位县区代码）")
    if role is Role.SUPERVISOR and len(region_code) == 6:
        raise InvalidRequestError("市/省级督导的地区代码应为市 4 位或省 2 位")
    if role is Role.CLERK:
        if not school_code or not (digits.fullmatch(school_code) and len(school_code) == 10):
            raise InvalidRequestError("学校填报员须填写本校 10 位学校标识码")
    elif school_code:
        raise InvalidRequestError("只有学校填报员需要填写学校代码")


def create_user(engine: Engine, actor: Principal | None, *, username: str, password: str, role: Role | str,
                display_name: str | None = None, region_code: str | None = None,
                school_code: str | None = None, must_change_password: bool | None = None) -> UserInfo:
    """Create an account. ``actor`` None: the command line (``junheng user add``).
    An account an admin creates on the web must choose its own password at its first
    sign-in (``must_change_password``: the command line can ask for that too)."""
    role = _role(role)
    region_code = region_code or None
    school_code = school_code or None
    if actor is not None:
        require(actor.can_manage_users(), "管理用户")
        if not actor.is_admin:
            require(role in (Role.CLERK, Role.VIEWER) and region_code == actor.region_code,
                    "在其他县区创建用户或创建管理员")
    if not _USERNAME.fullmatch(username or ""):
        raise InvalidRequestError("用户名须为 2—64 位字母、数字或 _ . @ -")
    check_user_fields(role, region_code, school_code)
    check_password_policy(password, username)
    if must_change_password is None:
        must_change_password = actor is not None
    now = utcnow()
    values = dict(username=username, display_name=display_name or username,
                  password_hash=hash_password(password), role=str(role), region_code=region_code,
                  school_code=school_code, active=True, created_at=now,
                  must_change_password=must_change_password, password_changed_at=now,
                  failed_sign_ins=0)
    try:
        with write_transaction(engine) as conn:
            user_id = conn.execute(insert(User).values(**values).returning(User.id)).scalar_one()
            public = {k: v for k, v in values.items()
                      if k not in ("password_hash", "created_at", "password_changed_at", "failed_sign_ins")}
            record(conn, actor.actor if actor else "命令行", "create", "user", username,
                   None, public, county_code=_county_of(region_code))
    except IntegrityError:
        raise ConflictError(f"用户名 {username} 已存在") from None
    return UserInfo(user_id, username, values["display_name"], role, region_code, school_code, True,
                    now, must_change_password=must_change_password)


def _role(role: Role | str) -> Role:
    try:
        return Role(role)
    except ValueError:
        allowed = "、".join(f"{r.value}（{ROLE_ZH[r]}）" for r in Role)
        raise InvalidRequestError(f"角色 {role} 无效，可选：{allowed}") from None


def _county_of(region_code: str | None) -> str | None:
    return region_code if region_code and len(region_code) == 6 else None


def list_users(engine: Engine, actor: Principal) -> list[UserInfo]:
    require(actor.can_manage_users(), "查看用户")
    q = select(User.__table__).order_by(User.username)
    if not actor.is_admin:
        q = q.where(User.region_code == actor.region_code)
    with read_connection(engine) as conn:
        return [_info(r) for r in conn.execute(q)]


def get_user(engine: Engine, actor: Principal, user_id: int) -> UserInfo:
    with read_connection(engine) as conn:
        row = conn.execute(select(User.__table__).where(User.id == user_id)).first()
    if row is None:
        raise NotFoundError(f"没有编号为 {user_id} 的用户")
    _require_manages(actor, _info(row))
    return _info(row)


def _require_manages(actor: Principal, user: UserInfo) -> None:
    require(actor.can_manage_users(), "管理用户")
    if not actor.is_admin:
        require(user.role in (Role.CLERK, Role.VIEWER) and user.region_code == actor.region_code,
                "管理其他县区的用户或管理员")


def update_user(engine: Engine, actor: Principal, user_id: int, *, display_name: str | None = None,
                active: bool | None = None, password: str | None = None,
                unlock: bool | None = None) -> UserInfo:
    """Rename, (de)activate, unlock or reset the password of an account. Deactivating
    or a reset signs it out everywhere; after a reset the user must choose a new password
    at its next sign-in."""
    with write_transaction(engine) as conn:
        row = conn.execute(select(User.__table__).where(User.id == user_id)).first()
        if row is None:
            raise NotFoundError(f"没有编号为 {user_id} 的用户")
        user = _info(row)
        _require_manages(actor, user)
        if active is False and user.id == actor.id:
            raise InvalidRequestError("不能停用自己的账号")
        changes: dict[str, Any] = {}
        old: dict[str, Any] = {}
        if display_name is not None and display_name != user.display_name:
            changes["display_name"], old["display_name"] = display_name, user.display_name
        if active is not None and active != user.active:
            changes["active"], old["active"] = active, user.active
        shown = dict(changes)
        if unlock and (user.locked or user.failed_sign_ins):
            changes.update(locked_at=None, failed_sign_ins=0, last_failed_at=None)
            shown["locked"], old["locked"] = False, user.locked
        if password is not None:
            check_password_policy(password, user.username)
            changes.update(password_hash=hash_password(password), must_change_password=True,
                           password_changed_at=utcnow(), locked_at=None, failed_sign_ins=0)
            shown["password"], old["password"] = "（已重置）", "（原密码）"
        if changes:
            conn.execute(update(User).where(User.id == user_id).values(**changes))
            if "password_hash" in changes or changes.get("active") is False:
                conn.execute(delete(WebSession).where(WebSession.user_id == user_id))
            action = "unlock" if set(shown) == {"locked"} else "update"
            record(conn, actor.actor, action, "user", user.username, old, shown,
                   county_code=_county_of(user.region_code))
        row = conn.execute(select(User.__table__).where(User.id == user_id)).one()
    return _info(row)


def change_own_password(engine: Engine, actor: Principal, current: str, new: str,
                        keep_token: str | None = None) -> None:
    """A user changes its own password (the current one first); its other sessions end."""
    check_password_policy(new, actor.username)
    with read_connection(engine) as conn:
        stored = conn.execute(select(User.password_hash).where(User.id == actor.id)).scalar_one()
    if not check_password(stored, current):
        raise InvalidRequestError("当前密码不正确")
    if new == current:
        raise InvalidRequestError("新密码不能与当前密码相同")
    with write_transaction(engine) as conn:
        conn.execute(update(User).where(User.id == actor.id).values(
            password_hash=hash_password(new), must_change_password=False, password_changed_at=utcnow()))
        q = delete(WebSession).where(WebSession.user_id == actor.id)
        if keep_token:
            q = q.where(WebSession.token_hash != token_hash(keep_token))
        conn.execute(q)
        record(conn, actor.actor, "update", "user", actor.username, {"password": "（原密码）"},
               {"password": "（本人已修改）"}, county_code=_county_of(actor.region_code))


def token_hash(token: str) -> str:
    """What the database keeps of a session cookie (a stolen database gives no cookies)."""
    return hashlib.sha256(token.encode()).hexdigest()
