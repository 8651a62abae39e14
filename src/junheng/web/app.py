"""``create_app(settings)``: the FastAPI app on one database. Nothing is built at import.

Pages (server-rendered, Simplified Chinese) and the JSON API (``/api/...``, described
by ``/openapi.json``) call the same services. Every asset is served from the package:
no CDN, the app works on an intranet without internet.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from junheng.services.evaluation import resolve_standard
from junheng.services.history import open_history
from junheng.services.sign_in_limit import SignInLimit
from junheng.settings import Settings
from junheng.web import errors
from junheng.web.auth import check_csrf
from junheng.web.deps import load_session
from junheng.web.presentation import install_filters

PACKAGE = Path(str(resources.files("junheng.web")))
ECHARTS = Path(str(resources.files("junheng.reports"))) / "vendor" / "echarts.min.js"

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"content-security-policy",
     b"default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
     b"img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
     b"frame-ancestors 'none'"),
]


class BodyLimit:
    """Refuse a request body over the limit before reading it all (413, one JSON
    shape), whether or not it declares its length; add the security headers."""

    def __init__(self, app: ASGIApp, max_bytes: int):
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await self._refuse(scope, send)
            return
        seen = 0
        started = False

        async def limited_receive() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise _TooLarge()
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                # a response with its own policy (the self-contained HTML report) keeps it
                message["headers"] = headers + [(k, v) for k, v in SECURITY_HEADERS if k not in present]
            await send(message)

        try:
            await self.app(scope, limited_receive, tracking_send)
        except _TooLarge:
            if not started:
                await self._refuse(scope, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        import json

        limit_mb = self.max_bytes / (1 << 20)
        body = json.dumps(errors.error_body("too-large", f"上传的内容太大：不能超过 {limit_mb:g} MB"),
                          ensure_ascii=False).encode()
        await send({"type": "http.response.start", "status": 413,
                    "headers": [(b"content-type", b"application/json; charset=utf-8"),
                                (b"content-length", str(len(body)).encode()),
                                (b"connection", b"close"), *SECURITY_HEADERS]})
        await send({"type": "http.response.body", "body": body})


class _TooLarge(Exception):
    pass


def create_app(settings: Settings | None = None, engine: Engine | None = None) -> FastAPI:
    from junheng.web.routes import (
        api_accounts,
        api_collection,
        api_county,
        pages,
        pages_collection,
        pages_plan,
    )

    settings = settings or Settings()
    from junheng.services.outputs import configure_places  # JUNHENG_PLACES for every output

    configure_places(settings.places)
    app = FastAPI(
        title="均衡 junheng",
        summary="县域义务教育优质均衡发展督导评估：学校填报、教育局审核、仪表盘",
        version="1",
        docs_url=None, redoc_url=None,  # their pages load scripts from a CDN
        dependencies=[Depends(load_session), Depends(check_csrf)],
    )
    app.state.settings = settings
    # The county's standard (JUNHENG_STANDARD), read once: a broken file stops the start,
    # naming its line and key; every evaluation of the app uses it.
    app.state.standard = resolve_standard(settings.standard)
    app.state.engine = engine or open_history(settings)
    app.state.limiter = SignInLimit(app.state.engine, settings.web_login_max_failures,
                                    settings.web_login_window_seconds)
    templates = Jinja2Templates(directory=str(PACKAGE / "templates"))
    install_filters(templates.env)
    app.state.templates = templates
    app.state.page_cache = {}
    errors.install(app)
    for module in (api_accounts, api_county, api_collection, pages, pages_collection, pages_plan):
        app.include_router(module.router)
    app.mount("/static", StaticFiles(directory=str(PACKAGE / "static")), name="static")
    if ECHARTS.exists():
        app.mount("/vendor", StaticFiles(directory=str(ECHARTS.parent)), name="vendor")
    # Multipart forms carry a little more than the file itself.
    app.add_middleware(BodyLimit, max_bytes=int(settings.web_max_upload_mb * (1 << 20)) + 64 * 1024)
    return app


def app_from_environment() -> FastAPI:
    """For ``uvicorn --factory`` (each worker process builds its own app from JUNHENG_*)."""
    return create_app(Settings())
