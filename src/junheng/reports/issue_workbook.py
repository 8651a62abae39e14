"""The validation issues as an Excel list (问题清单) a bureau can filter and hand out."""

from __future__ import annotations

from pathlib import Path

import xlsxwriter

from junheng.core.issues import SEVERITY_ZH, IssueReport

COLUMNS = [
    ("严重程度", 10),
    ("工作表", 12),
    ("行", 8),
    ("列", 6),
    ("列名", 28),
    ("值", 20),
    ("说明", 80),
    ("问题代码", 20),
]


def write_issue_workbook(report: IssueReport, path: str | Path, *, source: str | None = None) -> Path:
    """One row per issue, errors first; a filter on the header row."""
    path = Path(path)
    workbook = xlsxwriter.Workbook(
        str(path), {"constant_memory": True, "strings_to_numbers": False, "strings_to_urls": False}
    )
    workbook.set_properties({"title": f"数据校验问题清单 {source or ''}".strip(), "author": "junheng"})
    head = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
    error = workbook.add_format({"font_color": "#C00000", "bold": True})
    warning = workbook.add_format({"font_color": "#9C5700"})
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    ws = workbook.add_worksheet("问题清单")
    for c, (title, width) in enumerate(COLUMNS):
        ws.set_column(c, c, width, wrap if title == "说明" else None)
        ws.write_string(0, c, title, head)
    ws.freeze_panes(1, 0)
    # Errors first, each group in workbook order (the report's own order).
    issues = sorted(report, key=lambda issue: not issue.is_error)
    for r, issue in enumerate(issues, start=1):
        ws.write_string(r, 0, SEVERITY_ZH[issue.severity], error if issue.is_error else warning)
        ws.write_string(r, 1, issue.sheet or "")
        if issue.row:
            ws.write_number(r, 2, issue.row)
        ws.write_string(r, 3, issue.column or "")
        ws.write_string(r, 4, issue.header or "")
        value = issue.value
        if isinstance(value, bool) or value is None:
            ws.write_string(r, 5, "" if value is None else str(value))
        elif isinstance(value, int | float):
            ws.write_number(r, 5, value)
        else:
            ws.write_string(r, 5, str(value))
        ws.write_string(r, 6, issue.message, wrap)
        ws.write_string(r, 7, issue.code)
    ws.autofilter(0, 0, max(len(issues), 1), len(COLUMNS) - 1)
    workbook.close()
    return path
