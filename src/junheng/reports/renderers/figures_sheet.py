"""The 主要数据 sheet of the result workbook: every fact-sheet figure as a number (the
value as the reports print it, through numbers.py), its unit, definition and source."""

from __future__ import annotations

from typing import Any

from junheng.analysis.factsheet import FactSheet
from junheng.reports import numbers as fmt
from junheng.reports.renderers.sheet_style import print_setup

TITLE = "主要数据"


def number_format(kind: str) -> str:
    n = fmt.places(kind)
    if kind == "percent":
        return "0" + ("." + "0" * n if n else "") + "%"
    if kind == "count":
        return "#,##0"
    return "0" + ("." + "0" * n if n else "")


def add_figures_sheet(wb: Any, facts: FactSheet, name: str = TITLE) -> None:
    ws = wb.add_worksheet(name)
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                          "valign": "vcenter", "align": "center"})
    text = wb.add_format({"valign": "top", "text_wrap": True})
    formats: dict[str, Any] = {}
    ws.write_string(0, 0, f"{facts.county_name}{facts.school_year}学年主要数据（与自评报告、年度答卷中的数字一致）",
                    wb.add_format({"bold": True, "font_size": 14}))
    columns = [("指标", 30), ("数值", 14), ("单位", 8), ("口径", 60), ("来源", 34)]
    for c, (title, width) in enumerate(columns):
        ws.set_column(c, c, width)
        ws.write_string(2, c, title, head)
    r = 3
    for f in facts.figures.values():
        d = f.definition
        ws.write_string(r, 0, d.name, text)
        value = fmt.shown_value(f)
        if value is None:
            ws.write_string(r, 1, fmt.MISSING, text)
        else:
            if d.kind not in formats:
                formats[d.kind] = wb.add_format({"num_format": number_format(d.kind), "valign": "top"})
            ws.write_number(r, 1, value, formats[d.kind])
        ws.write_string(r, 2, d.unit, text)
        ws.write_string(r, 3, d.definition, text)
        ws.write_string(r, 4, f.source, text)
        r += 1
    ws.freeze_panes(3, 1)
    ws.autofilter(2, 0, max(r - 1, 3), len(columns) - 1)
    print_setup(ws, sum(w for _, w in columns), repeat=(2, 2))
