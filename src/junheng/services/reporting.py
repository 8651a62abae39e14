"""Use case: the documents a bureau hands in — 自评报告 and 年度答卷 — as Word or PDF.

Shared by ``junheng report`` and the web app's download: build the document from
county data (a workbook or, later, the database), then render it to bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from junheng.core.errors import JunhengError
from junheng.core.facts import CountyData
from junheng.core.standard import Standard
from junheng.reports.document import Document
from junheng.services.counties import load_county
from junheng.services.evaluation import evaluate_data, resolve_standard
from junheng.services.outputs import check_writable

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


@dataclass(slots=True)
class RenderedReport:
    content: bytes
    filename: str  # e.g. 示例县义务教育优质均衡发展自评报告.docx
    media_type: str
    document: Document


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
    from junheng.reports.self_evaluation import build_self_evaluation

    std = resolve_standard(standard)
    return build_self_evaluation(evaluate_data(data, std), data, std, measures, date)


def annual_document(
    years: Sequence[CountyData], standard: Standard | str | Path | None = None, date: dt.date | None = None,
) -> Document:
    """年度答卷 from two or more county-years of one county (any order)."""
    from junheng.reports.annual import build_annual
    from junheng.reports.yearly import AnnualData, YearData

    distinct = {d.county.school_year for d in years}
    if len(distinct) < 2:
        raise ReportRequestError("年度答卷需要同一个县至少两个不同学年的数据（例如 --previous 指定上一学年的工作簿）")
    if len(distinct) < len(years):
        raise ReportRequestError("有两份数据属于同一学年，请每个学年只提供一个工作簿")
    codes = {d.county.code for d in years}
    if len(codes) > 1:
        raise ReportRequestError(f"这些数据属于不同的县（县区代码 {'、'.join(sorted(codes))}），不能做年度对比")
    std = resolve_standard(standard)
    # Preschool coverage (毛入园率, 普惠率) comes from the 2020 standard where kindergartens are filled.
    has_kg = any(d.extra_tables.get("kindergartens") for d in years)
    pre = resolve_standard(PRESCHOOL_STANDARD) if has_kg else None
    return build_annual(AnnualData([
        YearData(evaluate_data(d, std), d,
                 evaluate_data(d, pre) if pre and d.extra_tables.get("kindergartens") else None)
        for d in years
    ]), date)


def document_from_workbooks(
    kind: ReportKind, workbook: str | Path, previous: Sequence[str | Path] = (),
    standard: Standard | str | Path | None = None, date: dt.date | None = None,
) -> Document:
    std = resolve_standard(standard)  # a broken standard fails before any reading
    data = load_county(workbook)
    if kind is ReportKind.SELF_EVALUATION:
        return self_evaluation_document(data, std, date=date)
    if not previous:
        raise ReportRequestError("年度答卷需要上一学年的数据：请用 --previous 指定上一学年的工作簿")
    return annual_document([*(load_county(p) for p in previous), data], std, date)


# --- rendering -------------------------------------------------------------------------


def render(document: Document, fmt: ReportFormat) -> RenderedReport:
    if fmt is ReportFormat.DOCX:
        from junheng.reports.docx import render_docx

        content = render_docx(document)
    else:
        from junheng.reports.pdf import render_pdf

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
