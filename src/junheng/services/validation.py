"""Use case: check a county workbook and report every problem (``junheng validate``,
the web upload page)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from junheng.core.issues import IssueReport
from junheng.intake import IntakeResult, read_county_workbook
from junheng.reports.issue_workbook import write_issue_workbook
from junheng.templates.spec import TemplateSpec


def validate_workbook(
    path: str | Path, *, spec: TemplateSpec | None = None, file_name: str | None = None
) -> IntakeResult:
    """Read and check the workbook; ``result.data`` is None when there is any error.
    ``file_name``: the name to show in messages (an upload saved under a temp name)."""
    return read_county_workbook(path, spec=spec, file_name=file_name)


def issue_counts(report: IssueReport) -> dict[str, int]:
    errors = sum(1 for i in report if i.is_error)
    return {"errors": errors, "warnings": len(report) - errors}


def issues_document(result: IntakeResult, path: str | Path) -> dict[str, Any]:
    """The JSON shape of ``junheng validate --format json``."""
    counts = issue_counts(result.report)
    return {
        "file": Path(path).name,
        "valid": counts["errors"] == 0,
        **counts,
        "issues": [issue.to_dict() for issue in result.report.sorted()],
    }


def write_issues_xlsx(result: IntakeResult, path: str | Path, out: str | Path) -> Path:
    return write_issue_workbook(result.report, out, source=Path(path).name)
