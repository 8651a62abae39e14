"""The plan as an Excel workbook (方案汇总, 学校措施, 教师调配, 调整后指标), or as four
more sheets of the result workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from junheng.reports.plan_actions import ACTION_COLUMNS, stage_text
from junheng.reports.plan_section import PlanSection, SectionTable

ACTION_SHEET_PREFIX = "措施"

_WIDTHS = {"措施": 70, "学校名称": 28, "调出学校": 28, "调入学校": 28, "调整前": 30, "调整后（复核）": 30,
           "计入指标": 22, "方式": 20, "指标": 18}


PLAN_SHEETS = ("方案汇总", "学校措施", "教师调配", "调整后指标")
# In the result workbook the same sheets sit after the evaluation's, named apart.
RESULT_SHEETS = ("整改方案", "整改方案学校措施", "整改方案教师调配", "整改方案调整后指标")


def write_plan_workbook(section: PlanSection, path: str | Path) -> Path:
    path = Path(path)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_urls": False,
                                         "strings_to_formulas": False})
    wb.set_properties({"title": section.title, "author": "junheng"})
    add_plan_sheets(wb, section, PLAN_SHEETS)
    add_action_sheets(wb, section.document.get("actions", []))
    wb.close()
    return path


def action_sheet_name(year: int) -> str:
    return f"{ACTION_SHEET_PREFIX}（第{year}年）"


def add_action_sheets(wb: Workbook, actions: list[dict[str, Any]]) -> None:
    """The plan's actions, one row each and one sheet per year, numbers as numbers:
    what a bureau edits and checks again with `junheng plan check`."""
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    money = wb.add_format({"num_format": "#,##0"})
    qty = wb.add_format({"num_format": "0.####"})
    years = sorted({int(a["year"]) for a in actions}) or [1]
    for year in years:
        ws = wb.add_worksheet(action_sheet_name(year))
        for c, (key, title) in enumerate(ACTION_COLUMNS):
            ws.write_string(0, c, title, head)
            ws.set_column(c, c, {"school_name": 26, "measure_name": 22, "teacher_ids": 40}.get(key, 14))
        r = 0
        for a in (a for a in actions if int(a["year"]) == year):
            r += 1
            for c, (key, _title) in enumerate(ACTION_COLUMNS):
                value = a.get(key)
                if key == "teacher_ids":
                    value = "、".join(value or [])
                if key == "stage" and value:
                    value = stage_text(value)
                style = money if key.endswith("_cost") else qty if key == "quantity" else None
                _cell(ws, r, c, value, style)
        ws.freeze_panes(1, 0)
        ws.autofilter(0, 0, max(r, 1), len(ACTION_COLUMNS) - 1)


def add_plan_sheets(wb: Workbook, section: PlanSection, names: tuple[str, str, str, str]) -> None:
    """The plan's summary, school actions, teacher moves and CVs as four sheets."""
    fmt = {
        "title": wb.add_format({"bold": True, "font_size": 14}),
        "head": wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True}),
        "label": wb.add_format({"bold": True, "valign": "top"}),
        "wrap": wb.add_format({"text_wrap": True, "valign": "top"}),
        "money": wb.add_format({"num_format": "#,##0", "valign": "top"}),
        "bad": wb.add_format({"font_color": "#C00000", "text_wrap": True, "valign": "top"}),
    }
    _summary(wb.add_worksheet(names[0]), section, fmt)
    for name, table in zip(names[1:], section.tables, strict=True):
        _table(wb.add_worksheet(name), table, fmt)


def _summary(ws: Worksheet, section: PlanSection, fmt: dict[str, Any]) -> None:
    ws.set_column(0, 0, 30)
    ws.set_column(1, 1, 70)
    ws.set_column(2, 3, 14)
    ws.write_string(0, 0, section.title, fmt["title"])
    r = 2
    for label, value in section.summary:
        ws.write_string(r, 0, label, fmt["label"])
        _cell(ws, r, 1, value, fmt["wrap"])
        r += 1
    r += 1
    ws.write_string(r, 0, section.costs.title, fmt["title"])
    r += 1
    r = _rows(ws, r, section.costs, fmt)
    for title, lines, style in (("仍未达标（评估引擎复核）", section.still_failing, "bad"),
                                ("无法通过现有措施解决", section.unreachable, "bad"),
                                ("说明", section.notes, "wrap"), ("注意", section.warnings, "bad")):
        if not lines:
            continue
        r += 1
        ws.write_string(r, 0, title, fmt["title"])
        r += 1
        for line in lines:
            ws.write_string(r, 0, line, fmt[style])
            r += 1


def _table(ws: Worksheet, table: SectionTable, fmt: dict[str, Any]) -> None:
    for c, head in enumerate(table.headers):
        ws.set_column(c, c, _WIDTHS.get(head, 14))
    last = _rows(ws, 0, table, fmt)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(last - 1, 1), len(table.headers) - 1)


def _rows(ws: Worksheet, r: int, table: SectionTable, fmt: dict[str, Any]) -> int:
    for c, head in enumerate(table.headers):
        ws.write_string(r, c, head, fmt["head"])
    for row in table.rows:
        r += 1
        for c, value in enumerate(row):
            _cell(ws, r, c, value, fmt["money"] if c in table.money else fmt["wrap"])
    return r + 1


def _cell(ws: Worksheet, r: int, c: int, value: Any, style: Any) -> None:
    if value is None or value == "":
        ws.write_blank(r, c, None, style)
    elif isinstance(value, bool):
        ws.write_string(r, c, "是" if value else "否", style)
    elif isinstance(value, int | float):
        ws.write_number(r, c, value, style)
    else:
        ws.write_string(r, c, str(value), style)
