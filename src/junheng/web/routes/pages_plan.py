"""The plan page of a stored county-year (资源配置整改方案) and its downloads.

GET only: a plan is computed on request from the stored data (default plan settings,
an optional budget), never stored. The page shows the same section as `junheng plan`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from junheng.core.errors import JunhengError
from junheng.services import dashboard
from junheng.services.planning import parse_budget, plan_bytes, stored_plan, stored_plan_view
from junheng.web.deps import CurrentUser, EngineDep, StandardDep, YearPath, YearQuery
from junheng.web.routes.api_collection import attachment
from junheng.web.routes.api_county import REPORT_CSP
from junheng.web.routes.pages import render

router = APIRouter()
Budget = Annotated[str | None, Query(max_length=40)]


def _budget(text: str | None) -> float | None:
    return parse_budget(text) if text and text.strip() else None


@router.get("/counties/{county_code}/plan", include_in_schema=False)
def plan_page(request: Request, county_code: str, engine: EngineDep, user: CurrentUser,
              standard: StandardDep, year: YearQuery = None, budget: Budget = None) -> Response:
    years = dashboard.county_years(engine, user, county_code)
    if not years:
        return render(request, "county_empty.html", status=404, county_code=county_code,
                      message=f"数据库中还没有县区 {county_code} 的数据", title="尚无数据")
    school_year = year or years[-1].school_year
    try:
        amount = _budget(budget)
    except JunhengError as exc:
        return render(request, "plan.html", status=422, error=exc.message, county_code=county_code,
                      school_year=school_year, budget=budget or "", plan=None, title="整改方案")
    view = stored_plan_view(engine, user, county_code, school_year, budget=amount, standard=standard)
    return render(request, "plan.html", plan=view, county_code=county_code,
                  school_year=school_year, budget=budget or "", error=None, title="整改方案")


@router.get("/api/counties/{county_code}/years/{school_year}/plan.xlsx", tags=["仪表盘"], summary="下载资源配置整改方案工作簿（可加 budget 预算上限）")
def plan_workbook(county_code: str, school_year: YearPath, engine: EngineDep, user: CurrentUser,
                  standard: StandardDep, budget: Budget = None) -> Response:
    plan = stored_plan(engine, user, county_code, school_year, budget=_budget(budget), standard=standard)
    return attachment(plan_bytes(plan, ".xlsx"), f"{county_code}-{school_year}-整改方案.xlsx",
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@router.get("/api/counties/{county_code}/years/{school_year}/plan.html", tags=["仪表盘"], summary="整改方案及调整后评估报告（网页）")
def plan_report(county_code: str, school_year: YearPath, engine: EngineDep, user: CurrentUser,
                standard: StandardDep, budget: Budget = None) -> Response:
    plan = stored_plan(engine, user, county_code, school_year, budget=_budget(budget), standard=standard)
    # Like the evaluation report, the page inlines its scripts: its own narrower policy.
    return Response(plan_bytes(plan, ".html"), media_type="text/html; charset=utf-8",
                    headers={"Content-Security-Policy": REPORT_CSP})
