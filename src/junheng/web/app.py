"""``create_app(settings)``: the FastAPI app on one database. Nothing is built at import.

Pages (server-rendered, Simplified Chinese) and the JSON API (``/api/...``, described
by ``/openapi.json``) call the same services. Every asset is served from the package:
no CDN, the app works on an intranet without internet.
"""

from __future__ import annotations

import logging
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from pathlib import Path

import anyio
from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from junheng.services import audit
from junheng.services.evaluation import resolve_standard
from junheng.services.history import open_history
from junheng.services.sessions import Policy
from junheng.services.sign_in_limit import SignInLimit
from junheng.settings import Settings
from junheng.web import errors
from junheng.web.auth import check_csrf
from junheng.web.client_address import client_address, parse_trusted
from junheng.web.deps import check_password_fresh, load_session
from junheng.web.presentation import install_filters

log = logging.getLogger("junheng.web")

PACKAGE = Path(str(resources.files("junheng.web")))
ECHARTS = Path(str(resources.files("junheng.reports.renderers"))) / "vendor" / "echarts.min.js"

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"content-security-policy",
     b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
     b"img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
     b"frame-ancestors 'none'"),
]


NO_STORE = [(b"cache-control", b"no-store"), (b"pragma", b"no-cache")]
_STATIC = ("/static/", "/vendor/")
_DOWNLOAD = re.compile(r"\.(xlsx|docx|pdf|html|csv)$")
_COUNTY = re.compile(r"/counties/(\d{6})(?:/|$)")


BULK_PATH = "/imports/bulk"


class BodyLimit:
    """Refuse a request body over the limit before reading it all (413, one JSON
    shape), whether or not it declares its length; add the security headers and
    ``Cache-Control: no-store`` (every page but the static files: Back after sign-out
    shows nothing); find the client's address (JUNHENG_TRUSTED_PROXIES) for the sign-in
    limit and the audit log; write every file download into the audit log."""

    def __init__(self, app: ASGIApp, max_bytes: int, trusted_proxies: str = "", engine: Engine | None = None,
                 limit_mb: float = 20.0, bulk_files: int = 1):
        self.app = app
        self.max_bytes = max_bytes
        self.bulk_files = bulk_files  # the bulk upload (/imports/bulk) carries up to this many files
        self.limit_mb = limit_mb
        self.trusted = parse_trusted(trusted_proxies)
        self.engine = engine

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        peer = scope.get("client")
        address = client_address(peer[0] if peer else None, scope.get("headers") or [], self.trusted)
        scope.setdefault("state", {})["client_address"] = address
        audit.CLIENT_ADDRESS.set(address)
        static = scope.get("path", "").startswith(_STATIC)
        download: list[int] = []
        bulk = scope.get("path") == BULK_PATH and scope.get("method") == "POST"
        max_bytes = self.max_bytes * self.bulk_files if bulk else self.max_bytes
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > max_bytes:
            await self._refuse(scope, send, bulk)
            return
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > max_bytes:
                    raise _TooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                # a response with its own policy (the self-contained HTML report) keeps it
                extra = [(k, v) for k, v in SECURITY_HEADERS if k not in present]
                if not static:
                    headers = [(k, v) for k, v in headers if k.lower() not in (b"cache-control", b"pragma")]
                    extra += NO_STORE
                    if message["status"] == 200 and scope.get("method") == "GET" and (
                            b"content-disposition" in present or _DOWNLOAD.search(scope.get("path", ""))):
                        download.append(1)
                message["headers"] = headers + extra
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._refuse(scope, send, bulk)
        if download and self.engine is not None and not scope["state"].get("audited"):
            await anyio.to_thread.run_sync(self._log_download, scope, address)

    def _log_download(self, scope: Scope, address: str) -> None:
        user = scope["state"].get("principal")
        path = scope.get("path", "")
        county = _COUNTY.search(path)
        try:
            audit.record_now(self.engine, user.actor if user else "（未登录）", "download", "file", path[:500],
                             None, {"path": path[:500]}, county_code=county.group(1) if county else None,
                             address=address)
        except Exception:  # noqa: BLE001 - the file went out; a failed log line is logged, not raised
            log.exception("could not write the audit line of download %s", path)

    async def _refuse(self, scope: Scope, send: Send, bulk: bool = False) -> None:
        import json
        from html import escape

        message = f"文件超过 {self.limit_mb:g} MB 上限"
        if bulk:
            message = f"上传的文件合计超过 {self.limit_mb * self.bulk_files:g} MB 上限（{self.bulk_files} 个文件 × 每个 {self.limit_mb:g} MB）"
        if scope.get("path", "").startswith("/api/"):
            body = json.dumps(errors.error_body("too-large", message), ensure_ascii=False).encode()
            kind = b"application/json; charset=utf-8"
        else:  # a page's form: a page, in Chinese, with the way back
            body = TOO_LARGE_PAGE.format(message=escape(message)).encode()
            kind = b"text/html; charset=utf-8"
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", kind),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close"), *SECURITY_HEADERS, *NO_STORE]})
        await send({"type": "http.response.body", "body": body})


TOO_LARGE_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>文件太大</title>
<link rel="stylesheet" href="/static/app.css"></head><body><main>
<div class="flash bad" role="alert">{message}，未上传。请压缩或拆分后再上传。</div>
<p>请用浏览器的“后退”返回，或 <a href="/">回到首页</a>。</p></main></body></html>"""


class _TooLarge(Exception):
    pass


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    """The worker processes start with the server (jobs left by the last run are taken
    up again) and stop with it."""
    pool = app.state.job_pool
    if pool is not None:
        pool.start()
    try:
        yield
    finally:
        if pool is not None:
            await anyio.to_thread.run_sync(pool.stop)


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    from junheng.services.job_worker import WorkerPool
    from junheng.web.routes import (
        api_accounts,
        api_collection,
        api_county,
        jobs,
        pages,
        pages_analyses,
        pages_audit,
        pages_collection,
        pages_plan,
        pages_projects,
        pages_survey,
        pages_targets,
        pages_teachers,
    )

    settings = settings or Settings()
    parse_trusted(settings.trusted_proxies)  # a bad entry stops the start, naming it
    from junheng.services.outputs import configure_places  # JUNHENG_PLACES for every output

    configure_places(settings.places)
    app = FastAPI(
        title="均衡 junheng",
        summary="县域义务教育优质均衡发展督导评估：学校填报、教育局审核、仪表盘",
        version="1",
        docs_url=None, redoc_url=None,  # their pages load scripts from a CDN
        dependencies=[Depends(load_session), Depends(check_csrf), Depends(check_password_fresh)],
        lifespan=lifespan,
    )
    app.state.settings = settings
    # The county's standard (JUNHENG_STANDARD), read once: a broken file stops the start,
    # naming its line and key; every evaluation of the app uses it.
    app.state.standard = resolve_standard(settings.standard)
    # The teacher-supply settings (JUNHENG_TEACHER_SUPPLY): a broken file stops the start.
    from junheng.services.teacher_supply import check_supply_settings

    check_supply_settings(settings.teacher_supply)
    app.state.engine = engine or open_history(settings)
    app.state.limiter = SignInLimit(app.state.engine, settings.web_login_max_failures,
                                    settings.web_login_window_seconds)
    app.state.policy = Policy(settings.web_session_hours, settings.web_session_idle_minutes,
                              settings.web_login_delay_after, settings.web_login_lock_after,
                              settings.web_password_max_age_days)
    audit.prune(app.state.engine, settings.web_audit_retention_days)
    templates = Jinja2Templates(directory=str(PACKAGE / "templates"))
    install_filters(templates.env)
    app.state.templates = templates
    app.state.page_cache = {}
    # Reports, plans and imports run in these processes (JUNHENG_WEB_JOB_WORKERS; 0: `junheng worker`)
    app.state.job_pool = WorkerPool(settings, settings.web_job_workers) if settings.web_job_workers else None
    errors.install(app)
    for module in (api_accounts, api_county, api_collection, pages, pages_audit, pages_collection, pages_plan,
                   pages_targets,
                   pages_analyses,
                   pages_teachers,
                   pages_projects,
                   pages_survey,
                   jobs):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=str(PACKAGE / "static")), name="static")
    if ECHARTS.exists():
        app.mount("/vendor", StaticFiles(directory=str(ECHARTS.parent)), name="vendor")
    # Multipart forms carry a little more than the file itself.
    app.add_middleware(BodyLimit, max_bytes=int(settings.web_max_upload_mb * (1 << 20)) + 64 * 1024,
                       trusted_proxies=settings.trusted_proxies, engine=app.state.engine,
                       limit_mb=settings.web_max_upload_mb, bulk_files=jobs.BULK_MAX_FILES)
    return app


def app_from_environment() -> FastAPI:
    """For ``uvicorn --factory`` (each worker process builds its own app from JUNHENG_*)."""
    return create_app(Settings())
