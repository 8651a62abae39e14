"""The validation issues as an Excel list (问题清单) a bureau can filter and hand out.
Formats, widths, frozen header, filter and print setup: :mod:`junheng.reports.renderers.sheet_style`."""

from __future__ import annotations

from pathlib import Path

from junheng.core.issues import SEVERITY_ZH, IssueReport
from junheng.reports.renderers import sheet_style as ss
from junheng.reports.renderers.sheet_style import Column, Styled

COLUMNS = [
    Column("严重程度", "text", 10),
    Column("工作表", "text", 12),
    Column("行", "row", 8),
    Column("列", "text", 6),
    Column("列名", "text", 28),
    Column("值", "text", 20),
    Column("说明", "wrap", 80),
    Column("问题代码", "text", 24),
]
NOTES = [
    ("问题清单", "校验发现的每个问题一行，错误在前、警告在后，各自按工作簿中的顺序：严重程度、工作表、行号、列字母、"
                 "列名、单元格的值、说明和问题代码。用筛选按钮可只看某张表或某类问题，分发给相应学校或科室改正。"),
    ("严重程度", "「错误」必须改正后才能评估和导入；「警告」请核实，数据确实如此可以保留。"),
    ("值", "单元格中原样的值：数字仍为数字，文字为文字。"),
]


def write_issue_workbook(report: IssueReport, path: str | Path, *, source: str | None = None) -> Path:
    """One row per issue, errors first; a filter on the header row."""
    path = Path(path)
    title = f"数据校验问题清单 {source or ''}".strip()
    wb, st = ss.open_workbook(path, title=title)
    try:
        ws = wb.add_worksheet("问题清单")
        # Errors first, each group in workbook order (the report's own order).
        issues = sorted(report, key=lambda issue: not issue.is_error)
        rows = []
        for issue in issues:
            value = issue.value
            if isinstance(value, bool) or value is None:
                value = "" if value is None else str(value)
            elif not isinstance(value, int | float):
                value = str(value)
            rows.append([Styled(SEVERITY_ZH[issue.severity], "fail" if issue.is_error else "floor"),
                         issue.sheet or "", issue.row or "", issue.column or "", issue.header or "",
                         value, issue.message, issue.code])
        ss.write_table(ws, st, 0, COLUMNS, rows, freeze_cols=1)
        ss.add_notes_sheet(wb, st, title, NOTES)
    finally:
        ss.close(wb)
    return path
