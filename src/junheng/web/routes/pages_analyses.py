"""The analysis pages of a stored county-year — 学位与大班额, 集团化办学, 课后服务,
教师流动, 学前教育 — their JSON and the workbook of each page's tables.

Thin: each calls :mod:`junheng.services.analysis_views` (the CLI's computations,
figures from the fact sheet) and renders. Readers are the county dashboard's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response

from junheng.core.errors import NotFoundError
from junheng.services import analysis_views as views
from junheng.services.accounts import Principal
from junheng.web.deps import CurrentUser, EngineDep, StandardDep, YearPath, YearQuery
from junheng.web.routes.api_collection import attachment
from junheng.web.routes.pages import render

router = APIRouter()
Page = Literal["places", "groups", "afterschool", "flows", "preschool"]
VIEWS: dict[str, Callable[..., dict[str, Any]]] = {
    "places": views.places_view, "groups": views.groups_view, "afterschool": views.afterschool_view,
    "flows": views.flows_view, "preschool": views.preschool_view,
}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _view(page: str, engine, user: Principal, county_code: str, year: int | None, standard) -> dict[str, Any]:
    return VIEWS[page](engine, user, county_code, year, standard)


def _no_data(request: Request, user: Principal, county_code: str, exc: NotFoundError) -> Response:
    return render(request, "county_empty.html", status=404, county_code=county_code, message=exc.message,
                  title="尚无数据")


@router.get("/counties/{county_code}/analyses", include_in_schema=False)
def analyses_page(request: Request, county_code: str, engine: EngineDep, user: CurrentUser,
                  standard: StandardDep, year: YearQuery = None) -> Response:
    """Every analysis's headline figures on one page, each linking to its page."""
    try:
        found = {page: _view(page, engine, user, county_code, year, standard) for page in VIEWS}
    except NotFoundError as exc:
        return _no_data(request, user, county_code, exc)
    v = found["places"]
    return render(request, "analyses.html", v=v, found=found, pages=views.PAGES, page=None,
                  title=f"{v['county_name']} 专项分析")


@router.get("/counties/{county_code}/analyses/{page}", include_in_schema=False)
def analysis_page(request: Request, county_code: str, page: Page, engine: EngineDep, user: CurrentUser,
                  standard: StandardDep, year: YearQuery = None) -> Response:
    try:
        v = _view(page, engine, user, county_code, year, standard)
    except NotFoundError as exc:
        return _no_data(request, user, county_code, exc)
    return render(request, f"analysis_{page}.html", v=v, pages=views.PAGES, page=page,
                  title=f"{v['county_name']} {views.PAGES[page]}")


@router.get("/api/counties/{county_code}/analyses/{page}", tags=["仪表盘"],
            summary="专项分析（学位与大班额、集团化办学、课后服务、教师流动、学前教育）：页面上的全部数字和图表数据")
def analysis_json(county_code: str, page: Page, engine: EngineDep, user: CurrentUser, standard: StandardDep,
                  year: YearQuery = None) -> dict[str, Any]:
    return _view(page, engine, user, county_code, year, standard)


def _workbook_route(page: str, make: Callable[..., bytes], needs_standard: bool):
    def download(county_code: str, school_year: YearPath, engine: EngineDep, user: CurrentUser,
                 standard: StandardDep) -> Response:
        extra = {"standard": standard} if needs_standard else {}
        content = make(engine, user, county_code, school_year, **extra)
        return attachment(content, f"{county_code}-{school_year}-{views.PAGES[page]}.xlsx", XLSX)

    download.__name__ = f"{page}_workbook"
    return download


for _page, _make, _std in (("places", views.places_workbook, False), ("groups", views.groups_workbook, True),
                           ("afterschool", views.afterschool_workbook, False),
                           ("flows", views.flows_workbook, False), ("preschool", views.preschool_workbook, False)):
    router.add_api_route(f"/api/counties/{{county_code}}/years/{{school_year}}/{_page}.xlsx",
                         _workbook_route(_page, _make, _std), methods=["GET"], response_class=Response,
                         tags=["仪表盘"], summary=f"下载{views.PAGES[_page]}工作簿（.xlsx）")
