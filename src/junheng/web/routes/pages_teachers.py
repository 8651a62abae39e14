"""The teacher-supply page of a stored county-year (教师配备：按学科和编制) and its workbook.

GET only, for the readers of the county (the dashboard's permission): computed on
request from the stored data with the same settings as the fact sheet, so the page,
the workbook, `junheng teachers` and the reports show one set of figures.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from junheng.services import dashboard
from junheng.services.teacher_supply import stored_supply, supply_view, supply_workbook_bytes
from junheng.web.deps import CurrentUser, EngineDep, YearPath, YearQuery
from junheng.web.routes.api_collection import attachment
from junheng.web.routes.pages import render

router = APIRouter()


@router.get("/counties/{county_code}/teachers", include_in_schema=False)
def teachers_page(request: Request, county_code: str, engine: EngineDep, user: CurrentUser,
                  year: YearQuery = None) -> Response:
    years = dashboard.county_years(engine, user, county_code)
    if not years:
        return render(request, "county_empty.html", status=404, county_code=county_code,
                      message=f"数据库中还没有县区 {county_code} 的数据", title="尚无数据")
    school_year = year or years[-1].school_year
    view = supply_view(stored_supply(engine, user, county_code, school_year))
    return render(request, "teachers.html", v=view, county_code=county_code, school_year=school_year,
                  title="教师配备")


@router.get("/api/counties/{county_code}/years/{school_year}/teachers.xlsx", tags=["仪表盘"],
            summary="下载教师配备工作簿（按学科测算的需配教师、紧缺学科、编制、退休）")
def teachers_workbook(county_code: str, school_year: YearPath, engine: EngineDep, user: CurrentUser) -> Response:
    report = stored_supply(engine, user, county_code, school_year)
    return attachment(supply_workbook_bytes(report), f"{county_code}-{school_year}-教师配备.xlsx",
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


@router.get("/api/counties/{county_code}/years/{school_year}/teachers", tags=["仪表盘"],
            summary="教师配备（JSON，与 junheng teachers --format json 相同）")
def teachers_json(county_code: str, school_year: YearPath, engine: EngineDep, user: CurrentUser) -> dict:
    return stored_supply(engine, user, county_code, school_year).to_dict()
