"""Use case: the 项目台账 of a stored county-year (the web's projects page).

Same permission as the county dashboard (its readers). The totals are the fact sheet's
project figures (:func:`junheng.analysis.factsheet_projects.project_figures`, the same
function the fact sheet calls), so the page and the reports show the same numbers.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine

from junheng.analysis.factsheet_projects import project_figures
from junheng.analysis.figure_catalogue import BY_ID
from junheng.core.errors import NotFoundError
from junheng.core.projects import (
    PROJECT_KIND_ZH,
    PROJECT_STATUS_ZH,
    SOURCE_ZH,
    SOURCES,
    projects_of,
)
from junheng.services import history
from junheng.services.accounts import Principal, require
from junheng.services.dashboard import county_years

TOTALS = ("projects", "projects.committed", "projects.completed", "projects.ongoing", "places_added",
          "places_coming", "beds_added", "kg_places_added", "projects.investment")


def county_projects(engine: Engine, actor: Principal, county_code: str, school_year: int | None = None) -> dict[str, Any]:
    """The ledger of the county-year (default: the latest stored), for the page."""
    require(actor.can_read_county(county_code), "查看该县区的项目台账")
    years = county_years(engine, actor, county_code)
    if not years:
        raise NotFoundError(f"数据库中还没有县区 {county_code} 的数据")
    year = school_year if school_year is not None else years[-1].school_year
    if year not in {y.school_year for y in years}:
        raise NotFoundError(f"数据库中没有县区 {county_code} {year} 学年的数据")
    data = history.load(engine, county_code, year)
    projects = projects_of(data)
    names = {s.code: s.name for s in data.schools}
    figures = {fid: value for fid, value, *_ in project_figures(data)}
    rows = [{
        "name": p.name, "school_code": p.school_code, "school": names.get(p.school_code or "", p.school_name or ""),
        "kind": PROJECT_KIND_ZH[p.kind], "status": PROJECT_STATUS_ZH[p.status], "committed": p.committed,
        "years": f"{p.start_year}—{p.finish_year}", "finish_year": p.finish_year,
        "primary": p.primary_places, "junior": p.junior_places, "senior": p.senior_places, "beds": p.beds,
        "kg": p.kg_places, "area": p.teaching_area + p.sports_area + p.dorm_area + p.other_area,
        "investment": p.investment, "sources": {SOURCE_ZH[k]: getattr(p, k) for k in SOURCES if getattr(p, k)},
        "progress": p.progress or "", "row": p.row,
    } for p in sorted(projects or [], key=lambda p: (p.finish_year, p.row))]
    return {
        "county_code": county_code, "county_name": data.county.name, "school_year": year,
        "years": [y.school_year for y in years], "has_sheet": projects is not None, "projects": rows,
        "totals": [{"id": fid, "name": BY_ID[fid].name, "unit": BY_ID[fid].unit, "kind": BY_ID[fid].kind,
                    "value": figures[fid]} for fid in TOTALS],
    }
