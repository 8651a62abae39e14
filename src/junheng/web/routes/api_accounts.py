"""JSON API: sign-in, the current user, accounts and the audit log."""

from __future__ import annotations

import time
from typing import Any

from fastapi import APIRouter, Request, Response
from pydantic import BaseModel, ConfigDict, Field

from junheng.services import accounts, sessions
from junheng.services.audit import prune
from junheng.services.audit_view import audit_lines
from junheng.web.auth import SESSION_COOKIE, clear_session_cookie, set_session_cookie
from junheng.web.deps import CurrentUser, EngineDep, Id, Limit, SettingsDep

router = APIRouter(prefix="/api", tags=["账号"])


class LoginIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(max_length=64)
    password: str = Field(max_length=256)


class UserOut(BaseModel):
    id: int
    username: str
    display_name: str
    role: str
    role_zh: str
    region_code: str | None
    school_code: str | None
    active: bool
    locked: bool = False
    must_change_password: bool = False


class LoginOut(BaseModel):
    user: UserOut
    csrf_token: str


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    username: str = Field(max_length=64)
    password: str = Field(max_length=256)
    role: accounts.Role
    display_name: str | None = Field(default=None, max_length=100)
    region_code: str | None = Field(default=None, max_length=6)
    school_code: str | None = Field(default=None, max_length=10)


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    display_name: str | None = Field(default=None, max_length=100)
    active: bool | None = None
    password: str | None = Field(default=None, max_length=256)
    unlock: bool | None = None


def principal_out(p: accounts.Principal) -> UserOut:
    return UserOut(id=p.id, username=p.username, display_name=p.display_name, role=str(p.role),
                   role_zh=accounts.ROLE_ZH[p.role], region_code=p.region_code,
                   school_code=p.school_code, active=True,
                   must_change_password=p.must_change_password)


def client_address(request: Request) -> str:
    """The client's address as the app's middleware found it (JUNHENG_TRUSTED_PROXIES)."""
    found = getattr(request.state, "client_address", None)
    return found or (request.client.host if request.client else "unknown")


def do_login(request: Request, response: Response, engine, settings, username: str,
             password: str) -> sessions.SignIn:
    """Shared by the API and the sign-in page: rate limit, check, set the cookie."""
    limiter = request.app.state.limiter
    address = client_address(request)
    attempt = limiter.begin(username, address)  # counted as a failure until it succeeds
    signed = sessions.sign_in(engine, username, password, policy=request.app.state.policy, address=address)
    limiter.succeeded(attempt)
    set_session_cookie(response, request, settings, signed.token)
    _daily_prune(request)
    return signed


def _daily_prune(request: Request) -> None:
    """Audit lines past the retention setting go once a day (and at start)."""
    state = request.app.state
    if time.monotonic() - getattr(state, "pruned_at", 0.0) > 86_400:
        state.pruned_at = time.monotonic()
        prune(state.engine, state.settings.web_audit_retention_days)


@router.post("/auth/login", response_model=LoginOut, summary="登录")
def login(body: LoginIn, request: Request, response: Response, engine: EngineDep,
          settings: SettingsDep) -> LoginOut:
    signed = do_login(request, response, engine, settings, body.username, body.password)
    return LoginOut(user=principal_out(signed.principal), csrf_token=signed.csrf_token)


@router.post("/auth/logout", status_code=204, summary="退出登录")
def logout(request: Request, response: Response, engine: EngineDep, user: CurrentUser) -> Response:
    sessions.sign_out(engine, request.cookies.get(SESSION_COOKIE, ""))
    response = Response(status_code=204)
    clear_session_cookie(response)
    return response


@router.post("/auth/logout-all", status_code=204, summary="在所有设备上退出登录")
def logout_all(request: Request, engine: EngineDep, user: CurrentUser) -> Response:
    sessions.sign_out_everywhere(engine, user)
    response = Response(status_code=204)
    clear_session_cookie(response)
    return response


@router.get("/me", response_model=LoginOut, summary="当前用户")
def me(request: Request, user: CurrentUser) -> LoginOut:
    return LoginOut(user=principal_out(user), csrf_token=request.state.csrf_token)


class PasswordChange(BaseModel):
    model_config = ConfigDict(extra="forbid")
    current_password: str = Field(max_length=256)
    new_password: str = Field(max_length=256)


@router.post("/me/password", status_code=204, summary="修改本人密码")
def change_password(body: PasswordChange, request: Request, engine: EngineDep, user: CurrentUser) -> Response:
    accounts.change_own_password(engine, user, body.current_password, body.new_password,
                                 keep_token=request.cookies.get(SESSION_COOKIE))
    return Response(status_code=204)


@router.get("/users", response_model=list[UserOut], summary="用户列表")
def list_users(engine: EngineDep, user: CurrentUser) -> list[dict[str, Any]]:
    return [u.public() for u in accounts.list_users(engine, user)]


@router.post("/users", response_model=UserOut, status_code=201, summary="新建用户")
def create_user(body: UserCreate, engine: EngineDep, user: CurrentUser) -> dict[str, Any]:
    return accounts.create_user(engine, user, **body.model_dump()).public()


@router.get("/users/{user_id}", response_model=UserOut, summary="查看用户")
def get_user(user_id: Id, engine: EngineDep, user: CurrentUser) -> dict[str, Any]:
    return accounts.get_user(engine, user, user_id).public()


@router.patch("/users/{user_id}", response_model=UserOut, summary="修改用户（改名、停用、重置密码）")
def update_user(user_id: Id, body: UserUpdate, engine: EngineDep, user: CurrentUser) -> dict[str, Any]:
    return accounts.update_user(engine, user, user_id, **body.model_dump()).public()


class AuditOut(BaseModel):
    id: int
    at: str
    actor: str
    action: str
    action_zh: str
    entity: str
    entity_zh: str
    entity_key: str
    county_code: str | None
    address: str | None = None
    old: Any = None
    new: Any = None
    changes: list[dict[str, str]] = []


@router.get("/audit", response_model=list[AuditOut], summary="审计日志（安全审计员：全部或本地区）")
def audit_all(engine: EngineDep, user: CurrentUser, limit: Limit = 200) -> list[dict[str, Any]]:
    return [a.public() for a in audit_lines(engine, user, limit=limit)]


@router.get("/counties/{county_code}/audit", response_model=list[AuditOut], summary="某县区的审计日志（安全审计员）")
def audit_county(county_code: str, engine: EngineDep, user: CurrentUser,
                 limit: Limit = 200) -> list[dict[str, Any]]:
    return [a.public() for a in audit_lines(engine, user, county_code=county_code, limit=limit)]
