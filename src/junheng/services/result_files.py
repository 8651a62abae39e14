"""Use case: write an evaluation's result files — the result workbook (.xlsx), the
HTML report (.html) and the JSON document (.json) — for ``junheng evaluate --out``
and the web app's downloads.

The output paths are checked before anything is evaluated, so a typo in ``--out``
costs nothing; each file is written whole or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from enum import StrEnum
from pathlib import Path

from junheng.analysis.factsheet import FactSheet
from junheng.core.errors import JunhengError
from junheng.core.result import Evaluation
from junheng.reports.documents.plan_section import PlanSection
from junheng.reports.documents.trend_section import TrendSection
from junheng.reports.renderers.html import write_html_report
from junheng.reports.renderers.json import evaluation_to_json
from junheng.reports.renderers.xlsx import write_result_workbook
from junheng.services.outputs import check_writable, write_atomically


class ResultFormat(StrEnum):
    XLSX = "xlsx"
    HTML = "html"
    JSON = "json"


FORMAT_ZH = {ResultFormat.XLSX: "评估结果工作簿", ResultFormat.HTML: "评估结果报告（网页）",
             ResultFormat.JSON: "评估结果 JSON"}


class ResultOutputError(JunhengError):
    """An output path cannot be used (wrong type, exists, no folder) — a usage error."""

    code = "result-output"
    exit_code = 2


class ResultWriteError(JunhengError):
    """A result file could not be written (disk full, no permission, open in Excel)."""

    code = "result-write"
    exit_code = 2


def result_format(path: str | Path) -> ResultFormat:
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix == "htm":
        return ResultFormat.HTML
    try:
        return ResultFormat(suffix)
    except ValueError:
        raise ResultOutputError(
            f"无法识别输出文件的类型：{path}。请以 .xlsx（评估结果工作簿）、.html（网页报告）"
            "或 .json 结尾") from None


def check_result_paths(paths: Iterable[str | Path], *, overwrite: bool = False) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        path = Path(p)
        result_format(path)
        check_writable(path, overwrite=overwrite, error=ResultOutputError)
        if any(path.resolve() == o.resolve() for o in out):
            raise ResultOutputError(f"同一个输出文件指定了两次：{path}")
        out.append(path)
    return out


Sections = tuple[PlanSection | None, TrendSection | None, FactSheet | None]
WRITERS: dict[ResultFormat, Callable[[Evaluation, Path, Sections], object]] = {
    ResultFormat.XLSX: lambda ev, path, s: write_result_workbook(ev, path, plan=s[0], trend=s[1], facts=s[2]),
    ResultFormat.HTML: lambda ev, path, s: write_html_report(ev, path, plan=s[0], trend=s[1], facts=s[2]),
    ResultFormat.JSON: lambda ev, path, s: path.write_text(
        evaluation_to_json(ev, plan=s[0].as_dict() if s[0] else None,
                           trend=s[1].as_dict() if s[1] else None, facts=s[2]) + "\n", encoding="utf-8"),
}


def write_result(ev: Evaluation, path: str | Path, *, overwrite: bool = False,
                 plan: PlanSection | None = None, trend: TrendSection | None = None,
                 facts: FactSheet | None = None) -> Path:
    """Write one result file; with ``plan`` (``junheng evaluate --plan``) it carries the
    整改方案 section too, with ``trend`` (``--history``) the 历年趋势 section."""
    path = Path(path)
    kind = result_format(path)
    check_writable(path, overwrite=overwrite, error=ResultOutputError)
    return write_atomically(path, lambda tmp: WRITERS[kind](ev, tmp, (plan, trend, facts)), error=ResultWriteError)
