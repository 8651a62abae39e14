"""Every error, one shape: ``{"error": {"code", "message" (Chinese), "details"}}`` for
the API (``/api/...``), a Chinese page for the browser. No stack trace ever reaches a
user; unexpected errors are logged with an id the user can quote."""

from __future__ import annotations

import logging
import secrets
from typing import Any

import anyio
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, RedirectResponse, Response

from junheng.core.errors import (
    JunhengError,
    NotAuthenticatedError,
    PasswordChangeRequiredError,
    PermissionDeniedError,
    TooManyAttemptsError,
)
from junheng.services.audit import record_now

log = logging.getLogger("junheng.web")

HTTP_CODES = {
    400: ("bad-request", "请求无效"),
    401: ("unauthenticated", "请先登录"),
    403: ("forbidden", "您没有权限执行此操作"),
    404: ("not-found", "找不到您要访问的页面或数据"),
    405: ("method-not-allowed", "不支持该请求方式"),
    409: ("conflict", "数据已被他人修改，请刷新后重试"),
    413: ("too-large", "上传的内容太大"),
    415: ("unsupported-media-type", "不支持的内容类型"),
    422: ("invalid-request", "请求参数有误"),
    429: ("too-many-requests", "请求过于频繁，请稍后再试"),
    503: ("database-unavailable", "服务暂时不可用，请稍后再试"),
    500: ("internal-error", "服务器内部错误"),
}

_PYDANTIC_ZH = {
    "missing": "缺少此项",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文字",
    "string_too_long": "太长",
    "string_too_short": "太短",
    "json_invalid": "不是有效的 JSON",
    "model_attributes_type": "应为 JSON 对象",
    "dict_type": "应为 JSON 对象",
    "list_type": "应为列表",
    "enum": "不是允许的值",
    "literal_error": "不是允许的值",
    "greater_than_equal": "太小",
    "less_than_equal": "太大",
    "extra_forbidden": "不认识的字段",
}


def is_api(request: Request) -> bool:
    path = request.url.path
    return path.startswith("/api/") or path == "/api" or path == "/openapi.json"


def error_body(code: str, message: str, details: list | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "details": details or []}}


def respond(request: Request, status: int, code: str, message: str,
            details: list | None = None, headers: dict[str, str] | None = None) -> Response:
    if is_api(request):
        return JSONResponse(error_body(code, message, details), status_code=status, headers=headers)
    if status == 401:
        return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
    if code == PasswordChangeRequiredError.code:
        return RedirectResponse("/account", status_code=303)
    from junheng.web.deps import read_session
    from junheng.web.routes.pages import render

    try:  # an unmatched path never ran the route dependencies: the page still shows who is in
        read_session(request)
    except Exception:  # noqa: BLE001 - the database itself may be what failed
        request.state.principal, request.state.csrf_token = None, None
    return render(request, "error.html", status=status, headers=headers, message=message,
                  details=details or [])


def log_denial(request: Request, message: str) -> None:
    """A refused attempt (a role or region it may not use, a forged form) into the audit log."""
    user = getattr(request.state, "principal", None)
    county = user.region_code if user is not None and user.region_code and len(user.region_code) == 6 else None
    try:
        record_now(request.app.state.engine, user.actor if user else "（未登录）", "denied", "page",
                   f"{request.method} {request.url.path}"[:500], None,
                   {"path": f"{request.method} {request.url.path}"[:500], "reason": message},
                   county_code=county)
    except Exception:  # noqa: BLE001 - the refusal stands even if its log line cannot be written
        log.exception("could not write the audit line of a denial on %s", request.url.path)


def install(app: FastAPI) -> None:
    @app.exception_handler(JunhengError)
    async def junheng_error(request: Request, exc: JunhengError) -> Response:
        headers = None
        if isinstance(exc, TooManyAttemptsError):
            headers = {"Retry-After": str(exc.retry_after)}
        if isinstance(exc, NotAuthenticatedError) and is_api(request):
            headers = {"WWW-Authenticate": 'Cookie realm="junheng"'}
        status = exc.http_status if 400 <= exc.http_status < 600 else 400
        if status >= 500:
            log.error("junheng error %s: %s", exc.code, exc.message)
        if isinstance(exc, PermissionDeniedError):
            await anyio.to_thread.run_sync(log_denial, request, exc.message)
        return respond(request, status, exc.code, exc.message, getattr(exc, "details", None), headers)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        code, message = HTTP_CODES.get(exc.status_code, ("error", "请求失败"))
        return respond(request, exc.status_code, code, message,
                       headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        details = []
        for e in exc.errors():
            where = ".".join(str(p) for p in e.get("loc", ()))
            details.append({"location": where,
                            "message": _PYDANTIC_ZH.get(e.get("type", ""), "值无效"),
                            "type": e.get("type")})
        return respond(request, 422, "invalid-request", "请求参数有误，请检查后重试", details)

    @app.exception_handler(DBAPIError)
    async def database_error(request: Request, exc: DBAPIError) -> Response:
        ref = secrets.token_hex(4)
        log.error("database error %s on %s %s: %s", ref, request.method, request.url.path, exc.orig)
        return respond(request, 503, "database-unavailable",
                       f"数据库暂时无法完成操作（可能正忙），本次操作未保存，请稍后重试（错误编号 {ref}）",
                       headers={"Retry-After": "5"})

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        ref = secrets.token_hex(4)
        log.exception("unexpected error %s on %s %s", ref, request.method, request.url.path)
        return respond(request, 500, "internal-error", f"服务器内部错误，请联系管理员（错误编号 {ref}）")
