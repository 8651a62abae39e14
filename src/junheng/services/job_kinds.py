"""What each kind of job does, who may ask for it, and what it is called in Chinese.

Run by a worker process (:mod:`junheng.services.job_worker`) as the user who asked:
the same service calls, with the same permission checks, as the request would have
made — checked once when the job is queued (an answer at once) and again when it runs
(an account changed meanwhile).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine

from junheng.core.errors import InvalidRequestError
from junheng.core.standard import Standard
from junheng.services import jobs
from junheng.services.accounts import Principal, require
from junheng.services.reporting import KIND_ZH, ReportFormat, ReportKind

FORMAT_ZH = {ReportFormat.DOCX: "Word", ReportFormat.PDF: "PDF"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True, slots=True)
class Context:
    """What a running job gets: the database, the standard and settings of the app, the
    user as it is now, and a way to say how far it got."""

    engine: Engine
    standard: Standard
    settings: Any
    user: Principal
    job: jobs.Claimed

    def progress(self, percent: int, stage: str) -> None:
        jobs.report_progress(self.engine, self.job.id, percent, stage)


@dataclass(frozen=True, slots=True)
class Kind:
    check: Callable[[Principal, str], None]  # may this user ask this of this county?
    title: Callable[[str, dict[str, Any]], str]
    run: Callable[[Context], dict[str, Any]]  # -> jobs.finish keywords


def _readable(user: Principal, county: str) -> None:
    require(user.can_read_county(county), "下载该县区的数据")


def _manageable(user: Principal, county: str) -> None:
    require(user.can_manage_county(county), "导入该县区的数据")


# ---------------------------------------------------------------- 自评报告 / 年度答卷


def _report_title(county: str, p: dict[str, Any]) -> str:
    return f"{county} {p['school_year']} 学年{KIND_ZH[ReportKind(p['report'])]}（{FORMAT_ZH[ReportFormat(p['format'])]}）"


def _report(ctx: Context) -> dict[str, Any]:
    from junheng.services import downloads

    p = ctx.job.params
    fmt = ReportFormat(p["format"])
    ctx.progress(20, "读取入库数据，生成" + ("并排版 PDF（约数秒）" if fmt is ReportFormat.PDF else " Word 文档"))
    done = downloads.report(ctx.engine, ctx.user, ctx.job.county_code or "", int(p["school_year"]),
                            ReportKind(p["report"]), fmt, standard=ctx.standard)
    return {"content": done.content, "filename": done.filename, "media_type": done.media_type}


# ---------------------------------------------------------------- 整改方案


def _plan_title(county: str, p: dict[str, Any]) -> str:
    what = {"view": "资源配置整改方案", "xlsx": "整改方案工作簿", "html": "整改方案及调整后评估报告（网页）"}[p["output"]]
    money = f"，预算 {p['budget_text']}" if p.get("budget_text") else ""
    if p.get("yearly_budget_text"):
        span = f" {p['years_text']}" if p.get("years_text") else ""
        money += f"，分年度{span}（各年预算 {p['yearly_budget_text']}）"
    return f"{county} {p['school_year']} 学年{what}{money}"


def _plan(ctx: Context) -> dict[str, Any]:
    from junheng.reports.documents.plan_section import plan_section, plan_view
    from junheng.services.planning import parse_budget, plan_bytes, stored_plan, web_year_settings

    p = ctx.job.params
    county, year = ctx.job.county_code or "", int(p["school_year"])
    budget = parse_budget(p["budget_text"]) if p.get("budget_text") else None
    years = web_year_settings(p.get("yearly_budget_text"), p.get("years_text"), p.get("target_year_text"), year)
    ctx.progress(20, "读取入库数据，求解最低费用整改方案" + ("并按各年预算分年度安排" if years else "") + "（可能需要十几秒）")
    plan = stored_plan(ctx.engine, ctx.user, county, year, budget=budget, standard=ctx.standard, years=years)
    ctx.progress(85, "整理方案和调整后的评估")
    if p["output"] == "view":
        return {"answer": {"view": _plain(plan_view(plan_section(plan)))}}
    suffix = "." + p["output"]
    name = f"{county}-{year}-整改方案{suffix}"
    return {"content": plan_bytes(plan, suffix), "filename": name,
            "media_type": XLSX if suffix == ".xlsx" else "text/html; charset=utf-8"}


def _plain(value: Any) -> Any:
    """The page's view as JSON keeps it (tuples become lists; the template unpacks both)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


# ---------------------------------------------------------------- 整县工作簿入库


def _import_title(county: str, p: dict[str, Any]) -> str:
    return f"{county} 整县数据工作簿入库（{p.get('file_name') or '上传.xlsx'}）"


def _import(ctx: Context) -> dict[str, Any]:
    from junheng.services import uploads

    if ctx.job.input is None:
        raise InvalidRequestError("上传的文件已不在任务中（任务已结束或被清理），请重新上传")
    ctx.progress(20, "检查并读取工作簿，校验、评估并入库（一个事务：全部成功或全部不写入）")
    done = uploads.import_county_upload(ctx.engine, ctx.user, ctx.job.county_code or "", ctx.job.input,
                                        ctx.job.input_name or "上传.xlsx", uploads.web_limits(ctx.settings),
                                        standard=ctx.standard)
    return {"answer": _plain(done)}


# ---------------------------------------------------------------- 多个县区工作簿批量入库


def _admin(user: Principal, county: str) -> None:
    require(user.is_admin, "批量导入多个县区的数据")


def _bulk_title(county: str, p: dict[str, Any]) -> str:
    return f"批量导入 {len(p.get('files') or [])} 个县区数据工作簿"


def _bulk(ctx: Context) -> dict[str, Any]:
    """The files saved by the upload (a folder in the data dir), imported by the same
    service as ``junheng import A.xlsx B.xlsx``: each file on its own transaction, a
    broken one reported and the others stored. Read one after another in this worker
    (a job's worker process may not start processes of its own); the folder is removed."""
    import shutil
    from pathlib import Path

    from junheng.services.audit import record
    from junheng.services.batch import STATUS_ZH, run_batch
    from junheng.services.ledger import sync_ledger
    from junheng.services.uploads import web_limits
    from junheng.storage.engine import write_transaction

    _admin(ctx.user, "")
    p = ctx.job.params
    folder = Path(p["folder"])
    paths = [folder / name for name in p["files"]]  # "0/甲县.xlsx": each in its own folder, its own name
    if not all(path.is_file() for path in paths):
        raise InvalidRequestError("上传的文件已不在服务器上（任务已结束或被清理），请重新上传")
    done = 0

    def on_file(outcome: Any) -> None:
        nonlocal done
        done += 1
        if outcome.status == "imported" or outcome.status == "unchanged":
            sync_ledger(ctx.engine, outcome.county_code)
            with write_transaction(ctx.engine) as conn:
                record(conn, ctx.user.actor, "import", "county_year", f"{outcome.county_code}/{outcome.school_year}",
                       None, {"file": outcome.file, "version": outcome.version,
                              "unchanged": outcome.status == "unchanged", "bulk_job": ctx.job.id},
                       county_code=outcome.county_code)
        ctx.progress(5 + 90 * done // len(paths), f"已处理 {done}/{len(paths)} 个工作簿（{outcome.file}：{outcome.status_zh}）")

    ctx.progress(5, f"逐个检查、校验、评估并入库 {len(paths)} 个工作簿（每个文件一个事务）")
    try:
        summary = run_batch("import", paths, jobs=1, standard=ctx.standard, engine=ctx.engine,
                            by=ctx.user.actor, on_file=on_file, limits=web_limits(ctx.settings))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    rows = [{k: v for k, v in o.as_dict().items() if k != "path"} for o in summary.outcomes]
    return {"answer": {"outcomes": rows, "counts": {STATUS_ZH[k]: n for k, n in summary.counts().items()}, "all_ok": summary.all_ok}}


KINDS: dict[str, Kind] = {
    "report": Kind(_readable, _report_title, _report),
    "plan": Kind(_readable, _plan_title, _plan),
    "county-import": Kind(_manageable, _import_title, _import),
    "bulk-import": Kind(_admin, _bulk_title, _bulk),
}


def submit(engine: Engine, user: Principal, kind: str, county_code: str, params: dict[str, Any],
           data: bytes | None = None, data_name: str | None = None) -> int:
    """Queue a job for ``user`` (refused at once when it may not ask for it); the same
    request still queued or running is not queued twice."""
    spec = KINDS[kind]
    spec.check(user, county_code)
    if data is None:
        found = jobs.find_active(engine, user, kind, params | {"county": county_code})
        if found is not None:
            return found
    return jobs.enqueue(engine, user, kind, spec.title(county_code, params), county_code,
                        params | {"county": county_code}, data, data_name)
