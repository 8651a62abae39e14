"""The 目标进展 page of a county (issue 15 §4): the bureau's targets against the stored
years, a chart per target, and — for the county's administrators — uploading a targets
workbook or editing one target, through the same import as `junheng targets import`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from junheng.core.errors import InvalidRequestError, JunhengError
from junheng.services import targets_web
from junheng.web.deps import CurrentUser, EngineDep, SettingsDep, YearQuery
from junheng.web.routes.api_collection import attachment, limits, read_file
from junheng.web.routes.pages import redirect, render

router = APIRouter()
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Text = Annotated[str, Form(max_length=500)]


def _back(county_code: str) -> str:
    return f"/counties/{county_code}/targets"


def _done(request: Request, county_code: str, run) -> Response:
    try:
        done = run()
    except InvalidRequestError as exc:
        if exc.details:
            return render(request, "error.html", status=422, message=exc.message, details=exc.details,
                          title="目标有误")
        return redirect(_back(county_code), exc.message, "bad")
    except JunhengError as exc:
        if exc.http_status in (403, 404):
            raise
        return redirect(_back(county_code), exc.message, "bad")
    filled = f"，{done['filled']} 个基线值按数据自动填写" if done["filled"] else ""
    return redirect(_back(county_code), f"已保存行动方案目标 {done['targets']} 个（第 {done['version']} 版）{filled}")


@router.get("/counties/{county_code}/targets", include_in_schema=False)
def targets_page(request: Request, county_code: str, engine: EngineDep, user: CurrentUser,
                 year: YearQuery = None) -> Response:
    page = targets_web.targets_page(engine, user, county_code, year)
    return render(request, "targets.html", t=page, title="目标进展")


@router.post("/counties/{county_code}/targets/upload", include_in_schema=False)
def targets_upload(request: Request, county_code: str, engine: EngineDep, user: CurrentUser,
                   settings: SettingsDep, file: UploadFile = File(...)) -> Response:
    return _done(request, county_code, lambda: targets_web.upload_targets(
        engine, user, county_code, read_file(file, settings), file.filename or "目标.xlsx", limits(settings)))


@router.post("/counties/{county_code}/targets/edit", include_in_schema=False)
def targets_edit(request: Request, county_code: str, engine: EngineDep, user: CurrentUser,
                 measure: Text, scope: Text = "全县", baseline_year: Text = "", baseline: Text = "",
                 target: Text = "", target_year: Text = "", milestones: Text = "", basis: Text = "",
                 department: Text = "", note: Text = "", index: Annotated[int | None, Form(ge=0, le=10000)] = None,
                 ) -> Response:
    form = {"measure": measure, "scope": scope, "baseline_year": baseline_year, "baseline": baseline,
            "target": target, "target_year": target_year, "milestones": milestones, "basis": basis,
            "department": department, "note": note}
    return _done(request, county_code, lambda: targets_web.edit_target(engine, user, county_code, form, index))


@router.post("/counties/{county_code}/targets/{index}/delete", include_in_schema=False)
def targets_delete(request: Request, county_code: str, index: int, engine: EngineDep, user: CurrentUser) -> Response:
    return _done(request, county_code, lambda: targets_web.delete_target(engine, user, county_code, index))


@router.get("/api/counties/{county_code}/targets/template.xlsx", tags=["行动方案目标"], summary="下载空白目标工作簿")
def template_download(county_code: str, engine: EngineDep, user: CurrentUser) -> Response:
    return attachment(targets_web.template_bytes(engine, user, county_code), f"{county_code}-目标.xlsx", XLSX)


@router.get("/api/counties/{county_code}/targets.xlsx", tags=["行动方案目标"], summary="下载当前的行动方案目标（可修改后上传）")
def targets_download(county_code: str, engine: EngineDep, user: CurrentUser) -> Response:
    return attachment(targets_web.export_bytes(engine, user, county_code), f"{county_code}-行动方案目标.xlsx", XLSX)


@router.get("/api/counties/{county_code}/progress.xlsx", tags=["行动方案目标"], summary="下载目标进展工作簿")
def progress_download(county_code: str, engine: EngineDep, user: CurrentUser, year: YearQuery = None) -> Response:
    return attachment(targets_web.progress_bytes(engine, user, county_code, year), f"{county_code}-目标进展.xlsx",
                      XLSX)


@router.get("/api/counties/{county_code}/progress", tags=["行动方案目标"], summary="目标进展（JSON，结构见 docs/progress.schema.json）")
def progress_api(county_code: str, engine: EngineDep, user: CurrentUser, year: YearQuery = None) -> dict:
    return targets_web.progress_json(engine, user, county_code, year)
