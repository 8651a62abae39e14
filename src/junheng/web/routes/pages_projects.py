"""The 项目台账 page of a stored county-year: every project with its places, area,
investment and status, and the year's totals from the fact sheet. Read only (the
ledger is part of the county workbook and is changed by importing it again)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from junheng.core.errors import NotFoundError
from junheng.services.projects import county_projects
from junheng.web.deps import CurrentUser, EngineDep, YearQuery
from junheng.web.routes.pages import render

router = APIRouter()


@router.get("/counties/{county_code}/projects", include_in_schema=False)
def projects_page(request: Request, county_code: str, engine: EngineDep, user: CurrentUser,
                  year: YearQuery = None) -> Response:
    try:
        p = county_projects(engine, user, county_code, year)
    except NotFoundError as exc:
        return render(request, "county_empty.html", status=404, county_code=county_code, message=exc.message,
                      title="尚无数据")
    return render(request, "projects.html", p=p, title=f"{p['county_name']} 项目台账")
