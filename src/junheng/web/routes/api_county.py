"""JSON API: dashboards (county, school, region) and a county-year's downloads."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from fastapi import APIRouter, File, Request, UploadFile
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from junheng.services import confirmations, dashboard, downloads, ledger
from junheng.services.accounts import require
from junheng.services.reporting import KIND_ZH, ReportFormat, ReportKind
from junheng.web.deps import (
    CurrentUser,
    EngineDep,
    Id,
    SettingsDep,
    StandardDep,
    YearPath,
    YearQuery,
)
from junheng.web.routes.api_collection import attachment, limits
from junheng.web.routes.jobs import job_file, submit, wait_for

REPORT_CSP = ("default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
              "img-src data:; font-src data:; frame-ancestors 'none'")

router = APIRouter(prefix="/api", tags=["仪表盘"])


@router.get("/counties", summary="可查看的县区及其最新学年的认定情况")
def counties(engine: EngineDep, user: CurrentUser) -> list[dict[str, Any]]:
    return dashboard.all_counties(engine, user)


@router.get("/counties/{county_code}/years", summary="县区已入库的学年")
def county_years(county_code: str, engine: EngineDep, user: CurrentUser) -> list[dict[str, Any]]:
    return [{"school_year": v.school_year, "version": v.version, "recognised": v.recognised,
             "imported_at": v.imported_at.isoformat(), "imported_by": v.imported_by}
            for v in dashboard.county_years(engine, user, county_code)]


@router.get("/counties/{county_code}/dashboard", summary="县区仪表盘：认定结论、差异系数、学校指标矩阵、趋势")
def county_dashboard(county_code: str, engine: EngineDep, user: CurrentUser,
                     year: YearQuery = None) -> dict[str, Any]:
    return dashboard.county_dashboard(engine, user, county_code, year)


@router.get("/counties/{county_code}/schools/{school_code}", summary="学校页：指标、差距与历年情况")
def school_page(county_code: str, school_code: str, engine: EngineDep, user: CurrentUser,
                year: YearQuery = None) -> dict[str, Any]:
    return dashboard.school_page(engine, user, county_code, school_code, year)


@router.get("/regions/{region_code}", summary="市/省概览：各县区认定情况与差距")
def region(region_code: str, engine: EngineDep, user: CurrentUser,
           year: YearQuery = None) -> dict[str, Any]:
    return dashboard.region_overview(engine, user, region_code, year)


class LedgerUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")
    owner: str | None = Field(default=None, max_length=100)
    deadline: date | None = None
    status: Literal["open", "in_progress"] | None = None
    note: str | None = Field(default=None, max_length=1000)


class ValueConfirmation(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sheet: str = Field(min_length=1, max_length=100)
    cell: str = Field(min_length=2, max_length=10, pattern=r"^\$?[A-Za-z]{1,3}\$?[1-9]\d{0,6}$")
    value: str | float = Field(description="确认的数值（与问题清单中的值相同）")
    reason: str = Field(default="", max_length=500)


@router.post("/counties/{county_code}/confirmations",
             summary="确认超出合理范围的数值（记入操作日志；同一单元格同一数值重新上传时仍有效）")
def confirm_value(county_code: str, body: ValueConfirmation, engine: EngineDep,
                  user: CurrentUser) -> dict[str, Any]:
    return confirmations.confirm_value(engine, user, county_code, **body.model_dump())


@router.get("/counties/{county_code}/confirmations", summary="本县区已确认的数值")
def confirmed_values(county_code: str, engine: EngineDep, user: CurrentUser) -> list[dict[str, Any]]:
    return confirmations.confirmed_values(engine, user, county_code)


@router.get("/template.xlsx", summary="下载空白填报模板")
def template(user: CurrentUser) -> Response:
    return attachment(downloads.blank_template(), "县域优质均衡填报模板.xlsx", downloads.XLSX)


@router.get("/counties/{county_code}/years/{school_year}/workbook.xlsx", summary="下载县区数据工作簿")
def county_workbook(county_code: str, school_year: YearPath, engine: EngineDep, user: CurrentUser) -> Response:
    content = downloads.county_workbook(engine, user, county_code, school_year)
    return attachment(content, f"{county_code}-{school_year}-数据.xlsx", downloads.XLSX)


@router.get("/counties/{county_code}/years/{school_year}/result.xlsx", summary="下载评估结果工作簿")
def result_workbook(county_code: str, school_year: YearPath, engine: EngineDep, user: CurrentUser,
                    standard: StandardDep) -> Response:
    content = downloads.result_workbook(engine, user, county_code, school_year, standard=standard)
    return attachment(content, f"{county_code}-{school_year}-评估结果.xlsx", downloads.XLSX)


@router.get("/counties/{county_code}/years/{school_year}/report.html", summary="评估报告（网页）")
def html_report(county_code: str, school_year: YearPath, engine: EngineDep, user: CurrentUser,
                standard: StandardDep) -> Response:
    html = downloads.html_report(engine, user, county_code, school_year, standard=standard)
    # The report inlines its scripts (it is made to be opened as a file): it gets its
    # own, narrower policy instead of the app's.
    return HTMLResponse(html, headers={"Content-Security-Policy": REPORT_CSP})


# --- 自评报告 and 年度答卷 (Word, PDF) ------------------------------------------------------

FORMAT_ZH = {ReportFormat.DOCX: "Word", ReportFormat.PDF: "PDF"}


def _report_route(kind: ReportKind, fmt: ReportFormat):
    async def download(request: Request, county_code: str, school_year: YearPath, user: CurrentUser) -> Response:
        """Made by a worker process (a job): a PDF's seconds of Python no longer slow
        the pages other users are reading."""
        return await job_file(request, user, "report", county_code,
                              {"report": kind.value, "format": fmt.value, "school_year": school_year})

    download.__name__ = f"{kind.value.replace('-', '_')}_{fmt.value}"
    return download


for _kind in ReportKind:
    for _fmt in ReportFormat:
        router.add_api_route(
            f"/counties/{{county_code}}/years/{{school_year}}/{_kind.value}.{_fmt.value}",
            _report_route(_kind, _fmt), methods=["GET"], response_class=Response,
            summary=f"下载{KIND_ZH[_kind]}（{FORMAT_ZH[_fmt]}）"
                    + ("：与数据库中以前各学年比较，需要至少一个更早的学年" if _kind is ReportKind.ANNUAL else ""))


@router.post("/counties/{county_code}/workbook", summary="上传整县数据工作簿（入库为新版本；由后台工作进程处理）")
async def upload_workbook(request: Request, county_code: str, user: CurrentUser, settings: SettingsDep,
                          file: UploadFile = File(...)) -> dict[str, Any]:
    require(user.can_manage_county(county_code), "导入该县区的数据")
    content = await file.read(limits(settings).max_bytes + 1)
    name = file.filename or "上传.xlsx"
    job_id = submit(request, user, "county-import", county_code, {"file_name": name}, content, name)
    row = await wait_for(request, user, job_id)
    return row.answer


@router.get("/counties/{county_code}/ledger", summary="整改台账")
def ledger_list(county_code: str, engine: EngineDep, user: CurrentUser,
                status: Literal["open", "in_progress", "closed"] | None = None) -> list[dict[str, Any]]:
    return ledger.ledger_entries(engine, user, county_code, status)


@router.patch("/ledger/{entry_id}", summary="修改台账条目（责任人、期限、状态、备注）")
def ledger_update(entry_id: Id, body: LedgerUpdate, engine: EngineDep, user: CurrentUser) -> dict[str, Any]:
    return ledger.update_entry(engine, user, entry_id, **body.model_dump())
