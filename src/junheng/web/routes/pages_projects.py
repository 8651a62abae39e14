"""The 项目台账 page of a stored county-year: every project with its places, area,
investment and status, and the year's totals from the fact sheet. The county's bureau
(and the system admin) add, change and delete projects here (services/project_edits.py:
the workbook's checks, a new version of the county-year, audited); supervisors and
viewers read; school clerks do not see it."""

from __future__ import annotations

from typing import Annotated

import anyio
from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from junheng.core.errors import InvalidRequestError, NotFoundError
from junheng.services import project_edits
from junheng.services.accounts import require
from junheng.services.projects import county_projects
from junheng.web.deps import CurrentUser, EngineDep, StandardDep, YearQuery
from junheng.web.routes.pages import redirect, render

router = APIRouter()
MAX_CELL = 500
Name = Annotated[str | None, Query(max_length=MAX_CELL)]


@router.get("/counties/{county_code}/projects", include_in_schema=False)
def projects_page(request: Request, county_code: str, engine: EngineDep, user: CurrentUser,
                  year: YearQuery = None) -> Response:
    try:
        p = county_projects(engine, user, county_code, year)
    except NotFoundError as exc:
        return render(request, "county_empty.html", status=404, county_code=county_code, message=exc.message,
                      title="尚无数据")
    return render(request, "projects.html", p=p, can_edit=user.can_manage_county(county_code),
                  title=f"{p['county_name']} 项目台账")


def _back(county_code: str, year: int) -> str:
    return f"/counties/{county_code}/projects?year={year}"


@router.get("/counties/{county_code}/projects/edit", include_in_schema=False)
def project_form(request: Request, county_code: str, engine: EngineDep, user: CurrentUser, year: YearQuery = None,
                 name: Name = None) -> Response:
    """The form of one project (``name``) or of a new one."""
    school_year = year if year is not None else county_projects(engine, user, county_code)["school_year"]
    view = project_edits.form_view(engine, user, county_code, school_year, name)
    return render(request, "project_form.html", f=view, issues=[], title="修改项目" if name else "新增项目")


@router.post("/counties/{county_code}/projects/save", include_in_schema=False)
async def project_save(request: Request, county_code: str, engine: EngineDep, user: CurrentUser,
                       standard: StandardDep, year: Annotated[int | None, Form(ge=1900, le=2100)] = None,
                       version: Annotated[int | None, Form(ge=0)] = None,
                       original: Annotated[str, Form(max_length=MAX_CELL)] = "",
                       delete: Annotated[str, Form(max_length=10)] = "") -> Response:
    require(user.can_manage_county(county_code), "修改该县区的项目台账")  # before anything about the form
    if year is None or version is None:
        raise InvalidRequestError("表单缺少学年或数据版本，请从项目台账页重新打开表单")
    form = await request.form()
    cells = {f.key: str(form.get(f.key) or "")[:MAX_CELL] for f in project_edits.fields()}
    gone = delete == "1"

    def run():
        return project_edits.save_project(engine, user, county_code, year, cells, original=original or None,
                                          version=version, delete=gone, standard=standard)

    try:
        done = await anyio.to_thread.run_sync(run)
    except InvalidRequestError as exc:
        view = await anyio.to_thread.run_sync(
            lambda: project_edits.form_view(engine, user, county_code, year, original or None))
        view["cells"] = {k: v for k, v in cells.items() if v}
        return render(request, "project_form.html", status=422, f=view, error=exc.message,
                      issues=exc.details or [], title="修改项目" if original else "新增项目")
    verb = {"create": "已新增", "update": "已修改", "delete": "已删除"}[done["action"]]
    note = f"；提醒：{'；'.join(w['message'] for w in done['warnings'])}" if done["warnings"] else ""
    return redirect(_back(county_code, year), f"{verb}项目“{done['name']}”，{year} 学年数据已重新评估入库"
                                              f"（第 {done['version']} 版）{note}")
