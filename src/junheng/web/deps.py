"""Typed dependencies of the routes: the database engine, the settings, the standard,
the signed-in user."""

from __future__ import annotations

from contextvars import ContextVar
from typing import Annotated

from fastapi import Depends, Path, Query, Request
from sqlalchemy import Engine

from junheng.core.errors import NotAuthenticatedError, PasswordChangeRequiredError
from junheng.core.standard import Standard
from junheng.services.accounts import Principal
from junheng.services.sessions import session_principal
from junheng.settings import Settings
from junheng.web.auth import SESSION_COOKIE

# (engine, session cookie) of the request being served: where a redirect leaves the
# message its next page shows (pages.redirect).
CURRENT_SESSION: ContextVar[tuple[Engine, str] | None] = ContextVar("junheng_session", default=None)

# What a user who must change its password may still reach.
PASSWORD_CHANGE_PATHS = frozenset({"/account", "/logout", "/logout-all", "/api/me", "/api/me/password",
                                   "/api/auth/logout", "/api/auth/logout-all", "/login", "/api/auth/login"})


def get_engine(request: Request) -> Engine:
    return request.app.state.engine


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


def get_standard(request: Request) -> Standard:
    """The standard the app evaluates against (Settings.standard, loaded at start)."""
    return request.app.state.standard


async def load_session(request: Request) -> None:
    """Attach the signed-in user (if any), its CSRF token and its pending message to
    ``request.state``.

    Run on the event loop, not in the thread pool: it is one indexed read of a few
    hundred microseconds, and a thread hop for it costs more than it does (measured
    with bench/bench_web.py)."""
    read_session(request)


def read_session(request: Request) -> None:
    if hasattr(request.state, "principal"):
        return
    request.state.principal = None
    request.state.csrf_token = None
    request.state.flash = None
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        found = session_principal(request.app.state.engine, token, request.app.state.policy)
        if found is not None:
            request.state.principal, request.state.csrf_token = found.principal, found.csrf_token
            request.state.flash = found.flash
            request.state.session_token = token
            CURRENT_SESSION.set((request.app.state.engine, token))


async def check_password_fresh(request: Request) -> None:
    """A new or reset account, or an expired password: only the password page (and
    sign-out) until a new password is chosen."""
    user = request.state.principal
    if user is not None and user.must_change_password and request.url.path not in PASSWORD_CHANGE_PATHS:
        raise PasswordChangeRequiredError()


def optional_user(request: Request) -> Principal | None:
    return request.state.principal


def current_user(request: Request) -> Principal:
    if request.state.principal is None:
        raise NotAuthenticatedError()
    return request.state.principal


EngineDep = Annotated[Engine, Depends(get_engine)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
StandardDep = Annotated[Standard, Depends(get_standard)]
CurrentUser = Annotated[Principal, Depends(current_user)]
OptionalUser = Annotated[Principal | None, Depends(optional_user)]

# Path and query numbers within what the database holds (a fuzzer sends 10**30).
Id = Annotated[int, Path(ge=1, le=2_147_483_647)]
YearPath = Annotated[int, Path(ge=1900, le=2100)]
YearQuery = Annotated[int | None, Query(ge=1900, le=2100)]
Limit = Annotated[int, Query(ge=1, le=1000)]
