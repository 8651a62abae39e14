"""Use case: check a county workbook and report every problem (``junheng validate``,
the web upload page)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from junheng.core.confirmations import Confirmations
from junheng.core.issues import Issue, IssueReport
from junheng.intake import IntakeResult, read_county_workbook
from junheng.reports.renderers.issue_workbook import write_issue_workbook
from junheng.templates.spec import TemplateSpec


def validate_workbook(
    path: str | Path, *, spec: TemplateSpec | None = None, file_name: str | None = None,
    confirmations: Confirmations | None = None,
) -> IntakeResult:
    """Read and check the workbook; ``result.data`` is None when there is any error.
    ``file_name``: the name to show in messages (an upload saved under a temp name)."""
    return read_county_workbook(path, spec=spec, file_name=file_name, confirmations=confirmations)


def ordered_issues(report: IssueReport) -> list[Issue]:
    """Errors first, then warnings, each in workbook order (the importer's order:
    file, sheets in template order, row by row, column by column)."""
    return sorted(report, key=lambda issue: not issue.is_error)


def cell_reference(issue: Issue) -> str:
    """A short place for a table column: 学校 H12, 学校 第1行, 教师, or the file name."""
    if issue.sheet is None:
        return issue.file or ""
    if issue.row and issue.column:
        return f"{issue.sheet} {issue.column}{issue.row}"
    if issue.row:
        return f"{issue.sheet} 第{issue.row}行"
    return issue.sheet


def issue_counts(report: IssueReport) -> dict[str, int]:
    errors = sum(1 for i in report if i.is_error)
    return {"errors": errors, "warnings": len(report) - errors}


def issues_document(result: IntakeResult | IssueReport, path: str | Path) -> dict[str, Any]:
    """The JSON shape of ``junheng validate --format json`` (also printed by
    ``junheng evaluate --format json`` for a workbook with errors)."""
    report = result.report if isinstance(result, IntakeResult) else result
    counts = issue_counts(report)
    return {
        "file": Path(path).name,
        "valid": counts["errors"] == 0,
        **counts,
        "issues": [issue.to_dict() for issue in ordered_issues(report)],
    }


def write_issues_xlsx(result: IntakeResult, path: str | Path, out: str | Path) -> Path:
    return write_issue_workbook(result.report, out, source=Path(path).name)
