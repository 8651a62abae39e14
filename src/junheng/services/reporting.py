"""Use case: the documents a bureau hands in — 自评报告 and 年度答卷 — as Word or PDF.

Shared by ``junheng report`` and the web app's download: build the document from
county data (workbooks, or the county-years stored in the database), then render it
to bytes.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

from junheng.core.confirmations import Confirmations
from junheng.core.errors import ConflictError, JunhengError, NotFoundError
from junheng.core.facts import CountyData
from junheng.core.standard import Standard
from junheng.reports.documents.document import Document
from junheng.services.counties import load_county
from junheng.services.evaluation import evaluate_data, resolve_standard, standard_digest
from junheng.services.outputs import check_writable

if TYPE_CHECKING:  # the database stack loads only for reports from the database
    from sqlalchemy import Engine

    from junheng.storage.repository import VersionInfo

PRESCHOOL_STANDARD = "xqpp-2020"


class ReportKind(StrEnum):
    SELF_EVALUATION = "self-evaluation"
    ANNUAL = "annual"


KIND_ZH = {ReportKind.SELF_EVALUATION: "自评报告", ReportKind.ANNUAL: "年度答卷"}


class ReportFormat(StrEnum):
    DOCX = "docx"
    PDF = "pdf"


MEDIA_TYPES = {
    ReportFormat.DOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ReportFormat.PDF: "application/pdf",
}


class ReportRequestError(JunhengError):
    """The request cannot be served as asked (wrong file type, one year for an annual report)."""

    code = "report-request"
    exit_code = 2


class DraftIncompleteError(JunhengError):
    """``--final`` asked while content the bureau writes is still missing."""

    code = "report-incomplete"
    exit_code = 1


def finalise(document: Document) -> Document:
    """The final (signed) version: refused, listing what is missing, until nothing is."""
    if document.missing:
        lines = "\n".join(f"  {n}. {m}" for n, m in enumerate(document.missing, 1))
        raise DraftIncompleteError(
            f"错误：{document.title}还有 {len(document.missing)} 项内容未填写，不能生成正式文稿：\n{lines}\n"
            "请补齐（多数在工作簿「县级说明」表中填写）后重新生成；不加 --final 时生成草稿。")
    return document.finalise()


class NotEnoughYearsError(ConflictError):
    """An annual report of a stored county-year without an earlier stored year."""

    code = "not-enough-years"


@dataclass(slots=True)
class RenderedReport:
    content: bytes
    filename: str  # e.g. 示例县义务教育优质均衡发展自评报告.docx
    media_type: str
    document: Document | None = None  # None once cached (the bytes are what is served)


def report_format(path: str | Path) -> ReportFormat:
    suffix = Path(path).suffix.lower().lstrip(".")
    try:
        return ReportFormat(suffix)
    except ValueError:
        raise ReportRequestError(f"报告文件须以 .docx（Word）或 .pdf 结尾：{path}") from None


def check_output_path(path: str | Path, *, overwrite: bool = False) -> Path:
    path = Path(path)
    report_format(path)
    return check_writable(path, overwrite=overwrite, error=ReportRequestError)


# --- building --------------------------------------------------------------------------


def self_evaluation_document(
    data: CountyData, standard: Standard | str | Path | None = None,
    measures: Sequence[str] | None = None, date: dt.date | None = None,
) -> Document:
    from junheng.reports.documents.self_evaluation import build_self_evaluation

    std = resolve_standard(standard)
    return build_self_evaluation(evaluate_data(data, std), data, std, measures, date)


def annual_document(
    years: Sequence[CountyData], standard: Standard | str | Path | None = None, date: dt.date | None = None,
    progress: object | None = None,
) -> Document:
    """年度答卷 from two or more county-years of one county (any order)."""
    from junheng.reports.documents.annual import build_annual
    from junheng.reports.documents.yearly import AnnualData, YearData

    std = resolve_standard(standard)
    _check_annual_standard(std)
    distinct = {d.county.school_year for d in years}
    if len(distinct) < 2:
        raise ReportRequestError("年度答卷需要同一个县至少两个不同学年的数据（例如 --previous 指定上一学年的工作簿）")
    if len(distinct) < len(years):
        raise ReportRequestError("有两份数据属于同一学年，请每个学年只提供一个工作簿")
    codes = {d.county.code for d in years}
    if len(codes) > 1:
        raise ReportRequestError(f"这些数据属于不同的县（县区代码 {'、'.join(sorted(codes))}），不能做年度对比")
    # Preschool coverage (毛入园率, 普惠率) comes from the 2020 standard where kindergartens are filled.
    has_kg = any(d.extra_tables.get("kindergartens") for d in years)
    pre = resolve_standard(PRESCHOOL_STANDARD) if has_kg else None
    return build_annual(AnnualData([
        YearData(evaluate_data(d, std), d,
                 evaluate_data(d, pre) if pre and d.extra_tables.get("kindergartens") else None)
        for d in years
    ], progress), date)


def _check_annual_standard(std: Standard) -> None:
    """The 年度答卷 reviews compulsory education (its 学前教育 chapter always follows
    xqpp-2020); a kindergarten standard cannot be the one it is measured against."""
    from junheng.reports.documents.preschool import is_preschool

    if is_preschool(std):
        raise ReportRequestError(
            f"年度答卷按义务教育的评估标准测算（学前教育一章自动按 {PRESCHOOL_STANDARD} 计算），"
            f"不能按学前教育标准 {std.id} 生成；请改用义务教育的标准（如 yzjh-2017、jbjh-2012）")


def document_from_workbooks(
    kind: ReportKind, workbook: str | Path, previous: Sequence[str | Path] = (),
    standard: Standard | str | Path | None = None, date: dt.date | None = None,
    confirmations: Confirmations | None = None,
) -> Document:
    std = resolve_standard(standard)  # a broken standard fails before any reading
    if kind is ReportKind.ANNUAL:
        _check_annual_standard(std)
    data = load_county(workbook, confirmations)
    if kind is ReportKind.SELF_EVALUATION:
        return self_evaluation_document(data, std, date=date)
    if not previous:
        raise ReportRequestError("年度答卷需要上一学年的数据：请用 --previous 指定上一学年的工作簿")
    return annual_document([*(load_county(p, confirmations) for p in previous), data], std, date)


# --- from the database -----------------------------------------------------------------


def _years_text(versions: Sequence[VersionInfo]) -> str:
    return "、".join(str(v.school_year) for v in versions) + " 学年"


def stored_versions(engine: Engine, kind: ReportKind, county_code: str,
                    school_year: int | None = None) -> list[VersionInfo]:
    """The current stored versions a report is built from, oldest first: the year itself
    (the latest stored one when ``school_year`` is None) and, for the 年度答卷, every
    earlier stored year of the county. Chinese NotFoundError / NotEnoughYearsError
    naming the years the database has."""
    from junheng.storage import repository as repo
    from junheng.storage.engine import read_connection

    with read_connection(engine) as conn:
        stored = repo.county_years(conn, county_code)
    if not stored:
        raise NotFoundError(f"数据库中没有县区 {county_code} 的数据（请先导入该县区的工作簿）")
    if school_year is None:
        school_year = stored[-1].school_year
    if school_year not in {v.school_year for v in stored}:
        raise NotFoundError(f"数据库中没有县区 {county_code} {school_year} 学年的数据；"
                            f"已有 {_years_text(stored)}的数据")
    if kind is ReportKind.SELF_EVALUATION:
        return [v for v in stored if v.school_year == school_year]
    chosen = [v for v in stored if v.school_year <= school_year]
    if len(chosen) < 2:
        raise NotEnoughYearsError(
            f"年度答卷把 {school_year} 学年与以前的学年比较，需要县区 {county_code} {school_year} 学年及以前"
            f"至少两个学年的数据；数据库中有 {_years_text(stored)}的数据，{school_year} 学年以前没有，"
            f"请先导入 {school_year - 1} 学年的数据")
    return chosen


def stored_document(engine: Engine, kind: ReportKind, county_code: str, school_year: int | None = None,
                    standard: Standard | str | Path | None = None, date: dt.date | None = None) -> Document:
    """自评报告 or 年度答卷 of a county-year stored in the database (its current version;
    the latest stored year when ``school_year`` is None)."""
    std = resolve_standard(standard)  # a broken standard fails before any reading
    if kind is ReportKind.ANNUAL:
        _check_annual_standard(std)
    return _stored_document(engine, kind, stored_versions(engine, kind, county_code, school_year), std, date)


def _stored_document(engine: Engine, kind: ReportKind, versions: Sequence[VersionInfo],
                     std: Standard, date: dt.date | None) -> Document:
    from junheng.services.survey import apply_survey
    from junheng.storage import repository as repo
    from junheng.storage.engine import read_connection

    with read_connection(engine) as conn:
        # By id: a version imported meanwhile does not mix into this report.
        years = [repo.load_version(conn, v.id) for v in versions]
    years = [apply_survey(engine, d) for d in years]  # S1 from a closed 社会认可度 survey
    if kind is ReportKind.SELF_EVALUATION:
        return self_evaluation_document(years[-1], std, date=date)
    return annual_document(years, std, date, _targets_progress(engine, versions[-1]))


def _targets_version(engine: Engine, county_code: str) -> int | None:
    """The county's current targets version: a re-import of its targets is a new 年度答卷."""
    from junheng.storage.engine import read_connection
    from junheng.storage.targets import current_set

    with read_connection(engine) as conn:
        info = current_set(conn, county_code)
    return None if info is None else info.id


def _targets_progress(engine: Engine, current: VersionInfo) -> object | None:
    """The county's targets in the report's year (「行动方案目标完成情况」), when it has any."""
    from junheng.services.progress import county_progress

    try:
        return county_progress(engine, current.county_code, current.school_year)
    except NotFoundError:
        return None


class ReportCache:
    """Rendered reports of stored county-years, least recently used dropped first.

    A 300-school PDF takes seconds; a bureau downloads the same report more than once
    (and several people of one county do). The key holds the stored versions (a new
    import is a new version), the standard's content and the month on the cover."""

    def __init__(self, max_items: int = 16, max_bytes: int = 64 << 20):
        self.max_items, self.max_bytes = max_items, max_bytes
        self._items: OrderedDict[Hashable, RenderedReport] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> RenderedReport | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: Hashable, report: RenderedReport) -> None:
        with self._lock:
            self._items[key] = report
            self._items.move_to_end(key)
            while len(self._items) > self.max_items or (
                    len(self._items) > 1 and sum(len(r.content) for r in self._items.values()) > self.max_bytes):
                self._items.popitem(last=False)


def stored_report(engine: Engine, kind: ReportKind, fmt: ReportFormat, county_code: str,
                  school_year: int | None = None, standard: Standard | str | Path | None = None,
                  date: dt.date | None = None, cache: ReportCache | None = None) -> RenderedReport:
    """The stored county-year's report rendered to bytes (the web app's download)."""
    from junheng.reports.documents.wording import year_month

    std = resolve_standard(standard)
    if kind is ReportKind.ANNUAL:
        _check_annual_standard(std)
    versions = stored_versions(engine, kind, county_code, school_year)
    date = date or dt.date.today()
    key = (tuple((v.id, v.version, v.imported_at) for v in versions), kind, fmt, standard_digest(std),
           year_month(date), _targets_version(engine, county_code) if kind is ReportKind.ANNUAL else None)
    found = cache.get(key) if cache is not None else None
    if found is not None:
        return found
    rendered = render(_stored_document(engine, kind, versions, std, date), fmt)
    year = versions[-1].school_year
    # 自评报告's title has no year; the file name needs one when a county keeps several.
    stem = rendered.document.title if kind is ReportKind.ANNUAL else f"{rendered.document.title}（{year}学年）"
    rendered.filename = f"{stem}.{fmt.value}"
    if cache is not None:
        cache.put(key, RenderedReport(rendered.content, rendered.filename, rendered.media_type))
    return rendered


# --- rendering -------------------------------------------------------------------------


def render(document: Document, fmt: ReportFormat) -> RenderedReport:
    if fmt is ReportFormat.DOCX:
        from junheng.reports.renderers.docx import render_docx

        content = render_docx(document)
    else:
        from junheng.reports.renderers.pdf import render_pdf

        content = render_pdf(document)
    return RenderedReport(content, f"{document.title}.{fmt.value}", MEDIA_TYPES[fmt], document)


def write_report(document: Document, path: str | Path, *, overwrite: bool = False) -> Path:
    """Render to ``path``; written whole or not at all (temp file, then rename)."""
    path = check_output_path(path, overwrite=overwrite)
    rendered = render(document, report_format(path))
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        tmp.write_bytes(rendered.content)
        tmp.replace(path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ReportRequestError(f"无法写入报告文件 {path}：{exc.strerror or exc}") from None
    return path
