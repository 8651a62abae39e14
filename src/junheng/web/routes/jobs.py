"""Jobs on the web: reports, plans and county imports run by worker processes.

Pages: a form on the county page queues a 自评报告/年度答卷, the upload form queues an
import; each lands on the job's page (``/jobs/{id}``), which shows its progress (the
page polls ``/api/jobs/{id}``; without script it refreshes itself) and, when it ends,
the download, the import's outcome, or the failure in Chinese. Every page shows a
notice when a job of the user ended while it was elsewhere.

The API's download and upload routes keep their answers: they queue the job and wait
for it without holding a thread, so a PDF no longer slows every other request.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import Response

from junheng.core.errors import InvalidRequestError, JunhengError
from junheng.services import job_kinds, jobs
from junheng.services.accounts import Principal, require
from junheng.services.reporting import ReportFormat, ReportKind
from junheng.web.deps import CurrentUser, EngineDep, Id, SettingsDep
from junheng.web.routes.api_collection import attachment, read_file
from junheng.web.routes.pages import redirect, render

router = APIRouter()
WAIT_SECONDS = 600.0  # an API request waits this long for its job, then gets the job's address
POLL = 0.1


def ensure_workers(request: Request) -> None:
    """The app's worker processes, started on first use (and again if one died)."""
    pool = getattr(request.app.state, "job_pool", None)
    if pool is not None:
        pool.start()


def submit(request: Request, user: Principal, kind: str, county: str, params: dict[str, Any],
           data: bytes | None = None, data_name: str | None = None) -> int:
    job_id = job_kinds.submit(request.app.state.engine, user, kind, county, params, data, data_name)
    ensure_workers(request)
    return job_id


async def wait_for(request: Request, user: Principal, job_id: int) -> Any:
    """Wait (on the event loop, no thread held) until the job ends; its row, or its
    failure raised as the error the work itself would have raised."""
    engine = request.app.state.engine
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        row = jobs.job_row(engine, user, job_id)
        if row.status in (jobs.DONE, jobs.FAILED):
            jobs.job_view(engine, user, job_id, mark_seen=True)
            if row.status == jobs.FAILED:
                raise jobs.JobFailedError(row.error or {})
            return row
        if time.monotonic() > deadline:
            raise InvalidRequestError(f"任务仍在进行（任务编号 {job_id}），请稍后在 /api/jobs/{job_id} 查看结果",
                                      code="job-pending")
        await asyncio.sleep(POLL)


async def job_file(request: Request, user: Principal, kind: str, county: str, params: dict[str, Any]) -> Response:
    """An API download made by a worker: queue (or join the same request in progress), wait, send."""
    job_id = submit(request, user, kind, county, params)
    await wait_for(request, user, job_id)
    content, name, media = jobs.result(request.app.state.engine, user, job_id)
    return attachment(content, name, media)


def _check_county(user: Principal, row: Any) -> None:
    """A job's result goes only to a user who may still ask for it (a moved or narrowed account loses it)."""
    if row.county_code:
        job_kinds.KINDS[row.kind].check(user, row.county_code)


# ---------------------------------------------------------------- JSON


@router.get("/api/jobs", tags=["任务"], summary="本人的任务（报告、方案、入库），最新的在前")
def api_jobs(engine: EngineDep, user: CurrentUser) -> list[dict[str, Any]]:
    return jobs.list_jobs(engine, user)


@router.get("/api/jobs/{job_id}", tags=["任务"], summary="任务的进度和结果（页面每秒查询一次）")
def api_job(job_id: Id, engine: EngineDep, user: CurrentUser) -> dict[str, Any]:
    row = jobs.job_row(engine, user, job_id)
    _check_county(user, row)
    return jobs.job_view(engine, user, job_id, mark_seen=True)


@router.get("/api/jobs/{job_id}/result", tags=["任务"], summary="下载任务生成的文件（仅提交任务的本人，且仍有权查看该县区）")
def api_job_result(request: Request, job_id: Id, engine: EngineDep, user: CurrentUser) -> Response:
    _check_county(user, jobs.job_row(engine, user, job_id))
    content, name, media = jobs.result(engine, user, job_id)
    return attachment(content, name, media)


# ---------------------------------------------------------------- pages


@router.post("/counties/{county_code}/reports", include_in_schema=False)
def queue_report(request: Request, county_code: str, user: CurrentUser, report: str = Form(max_length=20),
                 format: str = Form(max_length=5), school_year: int = Form(ge=1900, le=2100)) -> Response:
    try:
        params = {"report": ReportKind(report).value, "format": ReportFormat(format).value,
                  "school_year": school_year}
    except ValueError:
        raise InvalidRequestError("报告种类或格式无效") from None
    job_id = submit(request, user, "report", county_code, params)
    return redirect(f"/jobs/{job_id}")


@router.post("/counties/{county_code}/upload", include_in_schema=False)
def county_upload(request: Request, county_code: str, user: CurrentUser, settings: SettingsDep,
                  file: UploadFile = File(...)) -> Response:
    """The county's workbook: checked for size here (an answer at once), imported by a worker."""
    content = read_file(file, settings)
    require(user.can_manage_county(county_code), "导入该县区的数据")
    try:
        from junheng.services.uploads import web_limits

        if len(content) > web_limits(settings).max_bytes:
            raise InvalidRequestError(f"文件超过 {settings.web_max_upload_mb:g} MB 上限")
        if not content:
            raise InvalidRequestError("没有选择文件，或文件是空的")
    except JunhengError as exc:
        return redirect("/collection", exc.message, "bad")
    name = file.filename or "上传.xlsx"
    job_id = submit(request, user, "county-import", county_code, {"file_name": name}, content, name)
    return redirect(f"/jobs/{job_id}")


BULK_MAX_FILES = 100  # workbooks in one bulk upload (a city's counties; a province uploads in parts)


@router.get("/imports/bulk", include_in_schema=False)
def bulk_page(request: Request, user: CurrentUser, settings: SettingsDep) -> Response:
    require(user.is_admin, "批量导入多个县区的数据")
    return render(request, "bulk_import.html", max_files=BULK_MAX_FILES, max_mb=settings.web_max_upload_mb,
                  title="批量导入工作簿")


@router.post("/imports/bulk", include_in_schema=False)
def bulk_upload(request: Request, user: CurrentUser, settings: SettingsDep,
                files: list[UploadFile] = File(...)) -> Response:
    """Several counties' workbooks: each checked for size here (an answer at once), saved
    to a folder in the data dir, imported by one job through ``run_batch`` (as the CLI)."""
    import shutil
    import uuid

    from junheng.services.evidence import safe_name
    from junheng.services.uploads import web_limits

    require(user.is_admin, "批量导入多个县区的数据")
    chosen = [f for f in files if f.filename]
    try:
        if not chosen:
            raise InvalidRequestError("没有选择文件，或文件是空的")
        if len(chosen) > BULK_MAX_FILES:
            raise InvalidRequestError(f"一次最多上传 {BULK_MAX_FILES} 个工作簿，本次选择了 {len(chosen)} 个，请分批上传")
        for f in chosen:
            size = f.size if f.size is not None else len(read_file(f, settings))
            if size > web_limits(settings).max_bytes:
                raise InvalidRequestError(f"{safe_name(f.filename or '')}：文件超过 {settings.web_max_upload_mb:g} MB 上限")
            if size == 0:
                raise InvalidRequestError(f"{safe_name(f.filename or '')}：文件是空的")
    except JunhengError as exc:
        return redirect("/imports/bulk", exc.message, "bad")
    folder = settings.data_dir / "bulk-uploads" / uuid.uuid4().hex
    names = []
    try:
        for i, f in enumerate(chosen):
            name = f"{i}/{safe_name(f.filename or '上传.xlsx')}"
            (folder / name).parent.mkdir(parents=True)
            f.file.seek(0)
            with open(folder / name, "wb") as out:
                shutil.copyfileobj(f.file, out)
            names.append(name)
        job_id = submit(request, user, "bulk-import", "", {"folder": str(folder), "files": names})
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return redirect(f"/jobs/{job_id}")


@router.get("/jobs", include_in_schema=False)
def jobs_page(request: Request, engine: EngineDep, user: CurrentUser) -> Response:
    return render(request, "jobs.html", jobs=jobs.list_jobs(engine, user), title="我的任务")


@router.get("/jobs/{job_id}", include_in_schema=False)
def job_page(request: Request, job_id: Id, engine: EngineDep, user: CurrentUser) -> Response:
    row = jobs.job_row(engine, user, job_id)
    _check_county(user, row)
    job = jobs.job_view(engine, user, job_id, mark_seen=True)
    confirm = row.county_code if row.kind == "county-import" and user.can_manage_county(row.county_code or "") else None
    return render(request, "job.html", job=job, confirm_county=confirm,
                  details=(job["error"] or {}).get("details") or [], title=job["title"])
