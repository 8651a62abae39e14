"""The plan page of a stored county-year (资源配置整改方案) and its downloads.

GET only: a plan is computed from the stored data (default plan settings, an optional
budget) by a worker process (a job, kept 7 days); the page shows the same section as
`junheng plan`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from junheng.core.errors import JunhengError
from junheng.services import dashboard, jobs
from junheng.services.planning import parse_budget
from junheng.web.deps import CurrentUser, EngineDep, YearPath, YearQuery
from junheng.web.routes.api_county import REPORT_CSP
from junheng.web.routes.jobs import job_file, submit
from junheng.web.routes.pages import render

router = APIRouter()
Budget = Annotated[str | None, Query(max_length=40)]


def _budget(text: str | None) -> float | None:
    return parse_budget(text) if text and text.strip() else None


@router.get("/counties/{county_code}/plan", include_in_schema=False)
def plan_page(request: Request, county_code: str, engine: EngineDep, user: CurrentUser,
              year: YearQuery = None, budget: Budget = None) -> Response:
    """The plan is solved by a worker (a job): the page shows its progress, then the plan.
    The same county-year version and budget reuse the finished job."""
    years = dashboard.county_years(engine, user, county_code)
    if not years:
        return render(request, "county_empty.html", status=404, county_code=county_code,
                      message=f"数据库中还没有县区 {county_code} 的数据", title="尚无数据")
    school_year = year or years[-1].school_year
    context = dict(county_code=county_code, school_year=school_year, budget=budget or "", plan=None,
                   job=None, error=None, title="整改方案")
    try:
        _budget(budget)
    except JunhengError as exc:
        return render(request, "plan.html", status=422, **context | {"error": exc.message})
    version = next((v.version for v in years if v.school_year == school_year), None)
    params = {"school_year": school_year, "budget_text": (budget or "").strip(), "output": "view",
              "version": version, "county": county_code}
    found = jobs.latest_with(engine, user, "plan", params)
    if found is None or found["status"] == jobs.FAILED and request.query_params.get("retry"):
        job_id = submit(request, user, "plan", county_code, {k: v for k, v in params.items() if k != "county"})
        found = jobs.job_view(engine, user, job_id)
    if found["status"] == jobs.DONE:
        jobs.job_view(engine, user, found["id"], mark_seen=True)
        return render(request, "plan.html", **context | {"plan": found["answer"]["view"]})
    if found["status"] == jobs.FAILED:
        jobs.job_view(engine, user, found["id"], mark_seen=True)
        return render(request, "plan.html", **context | {"error": found["error"]["message"], "failed": found})
    return render(request, "plan.html", **context | {"job": found})


@router.get("/api/counties/{county_code}/years/{school_year}/plan.xlsx", tags=["仪表盘"], summary="下载资源配置整改方案工作簿（可加 budget 预算上限；由后台工作进程计算）")
async def plan_workbook(request: Request, county_code: str, school_year: YearPath, user: CurrentUser,
                        budget: Budget = None) -> Response:
    _budget(budget)
    return await job_file(request, user, "plan", county_code,
                          {"school_year": school_year, "budget_text": (budget or "").strip(), "output": "xlsx"})


@router.get("/api/counties/{county_code}/years/{school_year}/plan.html", tags=["仪表盘"], summary="整改方案及调整后评估报告（网页；由后台工作进程计算）")
async def plan_report(request: Request, county_code: str, school_year: YearPath, user: CurrentUser,
                      budget: Budget = None) -> Response:
    _budget(budget)
    response = await job_file(request, user, "plan", county_code,
                              {"school_year": school_year, "budget_text": (budget or "").strip(), "output": "html"})
    # Like the evaluation report, the page inlines its scripts: its own narrower policy,
    # shown in the browser rather than saved.
    return Response(response.body, media_type="text/html; charset=utf-8",
                    headers={"Content-Security-Policy": REPORT_CSP})
