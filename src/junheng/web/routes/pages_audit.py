"""The audit log page of the security officer (安全审计员: every county, or those of its
region): filters, Chinese lines, CSV and .xlsx export (itself logged)."""

from __future__ import annotations

from datetime import date
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from junheng.core.errors import InvalidRequestError
from junheng.services import accounts
from junheng.services.audit import ACTION_ZH, ENTITY_ZH, record_now
from junheng.services.audit_view import (
    MAX_EXPORT,
    AuditFilter,
    audit_lines,
    export_csv,
    export_xlsx,
)
from junheng.web.deps import CurrentUser, EngineDep
from junheng.web.routes.pages import render

router = APIRouter(include_in_schema=False)
Text = Annotated[str, Query(max_length=64)]


def _date(text: str, name: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidRequestError(f"{name}「{text}」不是日期（例如 2026-12-01）") from None


def audit_filter(actor: str = "", action: str = "", entity: str = "", key: str = "", address: str = "",
                 since: str = "", until: str = "") -> AuditFilter:
    return AuditFilter(actor.strip() or None, action.strip() or None, entity.strip() or None,
                       key.strip() or None, address.strip() or None,
                       _date(since.strip(), "开始日期"), _date(until.strip(), "结束日期"))


def _scope(user: accounts.Principal) -> str | None:
    """The lines the officer reads: all (None) or its region's (the prefix)."""
    accounts.require(user.can_read_audit(), "查看审计日志")
    return user.region_code or None


@router.get("/audit")
def audit_page(request: Request, engine: EngineDep, user: CurrentUser, actor: Text = "", action: Text = "",
               entity: Text = "", key: Text = "", address: Text = "", since: Text = "",
               until: Text = "") -> Response:
    _scope(user)  # refuses whoever may not read the log
    error = None
    try:
        where = audit_filter(actor, action, entity, key, address, since, until)
    except InvalidRequestError as exc:
        where, error = AuditFilter(), exc.message
    lines = audit_lines(engine, user, limit=300, where=where)
    return render(request, "audit.html", lines=lines, title="审计日志", where=where, error=error,
                  actions=ACTION_ZH, entities=ENTITY_ZH, query=where.query_string())


@router.get("/audit/export")
def audit_export(request: Request, engine: EngineDep, user: CurrentUser, format: Text = "xlsx",
                 actor: Text = "", action: Text = "", entity: Text = "", key: Text = "", address: Text = "",
                 since: Text = "", until: Text = "") -> Response:
    """Every line the filters select (up to 100,000), newest first."""
    county = _scope(user)
    where = audit_filter(actor, action, entity, key, address, since, until)
    lines = audit_lines(engine, user, limit=MAX_EXPORT, where=where)
    if format == "csv":
        content, media, ext = export_csv(lines), "text/csv; charset=utf-8", "csv"
    elif format == "xlsx":
        content = export_xlsx(lines)
        media, ext = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"
    else:
        raise InvalidRequestError("导出格式应为 csv 或 xlsx")
    record_now(engine, user.actor, "export", "audit", county or "全部", None,
               {"format": ext, "rows": len(lines), "filters": where.query_string() or "（无）"},
               county_code=county if county and len(county) == 6 else None)
    request.state.audited = True  # not a second line as a download
    name = f"审计日志-{county or '全部'}.{ext}"
    return Response(content, media_type=media,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"})
