"""The plan page of a stored county-year (资源配置整改方案) and its downloads.

GET only: a plan is computed from the stored data (default plan settings, an optional
budget, optionally yearly budgets: a multi-year plan as `junheng plan --years
--yearly-budget --target-year`) by a worker process (a job, kept 7 days); the page shows
the same section as `junheng plan`, and for a multi-year plan each year's figures and
actions.
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from junheng.core.errors import JunhengError
from junheng.services import dashboard, jobs
from junheng.services.planning import parse_budget, web_year_settings
from junheng.web.deps import CurrentUser, EngineDep, YearPath, YearQuery
from junheng.web.routes.api_county import REPORT_CSP
from junheng.web.routes.jobs import job_file, submit
from junheng.web.routes.pages import render

router = APIRouter()
Budget = Annotated[str | None, Query(max_length=40)]


YearlyBudget = Annotated[str | None, Query(max_length=200)]
Years = Annotated[str | None, Query(max_length=40)]
TargetYear = Annotated[str | None, Query(max_length=20)]


def _budget(text: str | None) -> float | None:
    return parse_budget(text) if text and text.strip() else None


def _asked(school_year: int, budget: str | None, yearly_budget: str | None, years: str | None,
           target_year: str | None) -> dict[str, str]:
    """The plan's request as the job's parameters (texts as typed, blank ones left out),
    checked first: PlanRequestError (422) for anything the CLI would refuse."""
    _budget(budget)
    web_year_settings(yearly_budget, years, target_year, school_year)
    out = {"budget_text": (budget or "").strip()}
    for key, text in (("yearly_budget_text", yearly_budget), ("years_text", years),
                      ("target_year_text", target_year)):
        if text and text.strip():
            out[key] = text.strip()
    return out


def _query(asked: dict[str, Any]) -> str:
    """The download links' query string for the same plan."""
    names = {"budget_text": "budget", "yearly_budget_text": "yearly_budget", "years_text": "years",
             "target_year_text": "target_year"}
    return urlencode({names[k]: v for k, v in asked.items() if k in names and v})


@router.get("/counties/{county_code}/plan", include_in_schema=False)
def plan_page(request: Request, county_code: str, engine: EngineDep, user: CurrentUser,
              year: YearQuery = None, budget: Budget = None, yearly_budget: YearlyBudget = None,
              years: Years = None, target_year: TargetYear = None) -> Response:
    """The plan is solved by a worker (a job): the page shows its progress, then the plan.
    The same county-year version and request reuse the finished job."""
    found_years = dashboard.county_years(engine, user, county_code)
    if not found_years:
        return render(request, "county_empty.html", status=404, county_code=county_code,
                      message=f"数据库中还没有县区 {county_code} 的数据", title="尚无数据")
    school_year = year or found_years[-1].school_year
    form = {"budget": budget or "", "yearly_budget": yearly_budget or "", "years": years or "",
            "target_year": target_year or ""}
    context = dict(county_code=county_code, school_year=school_year, form=form, plan=None, job=None,
                   error=None, query="", title="整改方案")
    try:
        asked = _asked(school_year, budget, yearly_budget, years, target_year)
    except JunhengError as exc:
        return render(request, "plan.html", status=422, **context | {"error": exc.message})
    context["query"] = _query(asked)
    version = next((v.version for v in found_years if v.school_year == school_year), None)
    params = {"school_year": school_year, **asked, "output": "view", "version": version, "county": county_code}
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


@router.get("/api/counties/{county_code}/years/{school_year}/plan.xlsx", tags=["仪表盘"],
            summary="下载资源配置整改方案工作簿（可加 budget 预算上限；yearly_budget、years、target_year 分年度安排，"
                    "每年一张「措施（第N年）」工作表；由后台工作进程计算）")
async def plan_workbook(request: Request, county_code: str, school_year: YearPath, user: CurrentUser,
                        budget: Budget = None, yearly_budget: YearlyBudget = None, years: Years = None,
                        target_year: TargetYear = None) -> Response:
    asked = _asked(school_year, budget, yearly_budget, years, target_year)
    return await job_file(request, user, "plan", county_code, {"school_year": school_year, **asked, "output": "xlsx"})


@router.get("/api/counties/{county_code}/years/{school_year}/plan.html", tags=["仪表盘"], summary="整改方案及调整后评估报告（网页；由后台工作进程计算）")
async def plan_report(request: Request, county_code: str, school_year: YearPath, user: CurrentUser,
                      budget: Budget = None, yearly_budget: YearlyBudget = None, years: Years = None,
                      target_year: TargetYear = None) -> Response:
    asked = _asked(school_year, budget, yearly_budget, years, target_year)
    response = await job_file(request, user, "plan", county_code, {"school_year": school_year, **asked, "output": "html"})
    # Like the evaluation report, the page inlines its scripts: its own narrower policy,
    # shown in the browser rather than saved.
    return Response(response.body, media_type="text/html; charset=utf-8",
                    headers={"Content-Security-Policy": REPORT_CSP})
