"""JSON API: dashboards (county, school, region)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from junheng.services import dashboard
from junheng.web.deps import CurrentUser, EngineDep

router = APIRouter(prefix="/api", tags=["仪表盘"])


@router.get("/counties/{county_code}/years", summary="县区已入库的学年")
def county_years(county_code: str, engine: EngineDep, user: CurrentUser) -> list[dict[str, Any]]:
    return [{"school_year": v.school_year, "version": v.version, "recognised": v.recognised,
             "imported_at": v.imported_at.isoformat(), "imported_by": v.imported_by}
            for v in dashboard.county_years(engine, user, county_code)]


@router.get("/counties/{county_code}/dashboard", summary="县区仪表盘：认定结论、差异系数、学校指标矩阵、趋势")
def county_dashboard(county_code: str, engine: EngineDep, user: CurrentUser,
                     year: int | None = None) -> dict[str, Any]:
    return dashboard.county_dashboard(engine, user, county_code, year)


@router.get("/counties/{county_code}/schools/{school_code}", summary="学校页：指标、差距与历年情况")
def school_page(county_code: str, school_code: str, engine: EngineDep, user: CurrentUser,
                year: int | None = None) -> dict[str, Any]:
    return dashboard.school_page(engine, user, county_code, school_code, year)


@router.get("/regions/{region_code}", summary="市/省概览：各县区认定情况与差距")
def region(region_code: str, engine: EngineDep, user: CurrentUser,
           year: int | None = None) -> dict[str, Any]:
    return dashboard.region_overview(engine, user, region_code, year)
