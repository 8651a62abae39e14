"""Sign-in cookies and CSRF tokens (the sign-in limit is services.sign_in_limit).

The session cookie holds a random token (the database keeps only its hash); it is
HttpOnly, SameSite=Lax, and Secure over HTTPS. Every state-changing request made
with a session must carry that session's CSRF token, in the ``X-CSRF-Token`` header
(JSON API, page scripts) or the ``csrf_token`` form field (HTML forms). Before
sign-in, the sign-in form is protected by a double-submit cookie.
"""

from __future__ import annotations

import hmac
import secrets

from fastapi import Request
from starlette.responses import Response

from junheng.core.errors import PermissionDeniedError
from junheng.settings import Settings

SESSION_COOKIE = "junheng_session"
PRE_CSRF_COOKIE = "junheng_csrf"
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf_token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def cookie_secure(request: Request, settings: Settings) -> bool:
    if settings.web_cookie_secure is not None:
        return settings.web_cookie_secure
    return request.url.scheme == "https"


def set_session_cookie(response: Response, request: Request, settings: Settings, token: str) -> None:
    response.set_cookie(SESSION_COOKIE, token, max_age=int(settings.web_session_hours * 3600),
                        httponly=True, samesite="lax", secure=cookie_secure(request, settings),
                        path="/")


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")


def pre_session_token(request: Request) -> str:
    """The sign-in form's token: the cookie's value, or a new one (set by the caller)."""
    return request.cookies.get(PRE_CSRF_COOKIE) or secrets.token_urlsafe(32)


def set_pre_session_cookie(response: Response, request: Request, settings: Settings, token: str) -> None:
    if request.cookies.get(PRE_CSRF_COOKIE) != token:
        response.set_cookie(PRE_CSRF_COOKIE, token, httponly=True, samesite="strict",
                            secure=cookie_secure(request, settings), path="/")


async def check_csrf(request: Request) -> None:
    """Refuse a state-changing request without the right token (403)."""
    if request.method in SAFE_METHODS:
        return
    expected = getattr(request.state, "csrf_token", None)
    if request.url.path == "/login":
        expected = None  # the sign-in form always carries the double-submit token
    if expected is None:
        # No session: nothing a forged request could do as someone. The API answers 401;
        # the sign-in form needs its double-submit cookie (against login CSRF).
        if _is_form(request) and not request.url.path.startswith("/api/"):
            expected = request.cookies.get(PRE_CSRF_COOKIE)
        else:
            return
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and _is_form(request):
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not expected or not sent or not hmac.compare_digest(sent.encode(), expected.encode()):
        raise PermissionDeniedError("页面已过期或请求来源不可信（CSRF 校验失败），请刷新页面后重试")


def _is_form(request: Request) -> bool:
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return kind in ("application/x-www-form-urlencoded", "multipart/form-data")
