"""The plan as an Excel workbook (方案汇总, 学校措施, 教师调配, 调整后指标, 说明), or as
four more sheets of the result workbook. Formats, widths, frozen headers, filters and
print setup: :mod:`junheng.reports.renderers.sheet_style`."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from junheng.reports.documents.plan_actions import ACTION_COLUMNS, stage_text
from junheng.reports.documents.plan_section import PlanSection, SectionTable
from junheng.reports.renderers import sheet_style as ss
from junheng.reports.renderers.sheet_style import Column, Styled, Styles

ACTION_SHEET_PREFIX = "措施"
ACTION_NOTE = "整改方案的全部措施，每项一行（数字为数值，可修改后用 junheng plan check 复核）"

_WIDTHS = {"措施": 60, "学校名称": 26, "调出学校": 26, "调入学校": 26, "调整前": 26, "调整后（复核）": 26,
           "计入指标": 22, "方式": 20, "指标": 18}
_KINDS = {"学校标识码": "id", "教师编号": "id"}

PLAN_SHEETS = ("方案汇总", "学校措施", "教师调配", "调整后指标")
# In the result workbook the same sheets sit after the evaluation's, named apart.
RESULT_SHEETS = ("整改方案", "整改方案学校措施", "整改方案教师调配", "整改方案调整后指标")
PLAN_NOTES = (
    "方案状态、预算、总费用和可证明的费用下界、调整前后资源配置和认定结论（调整后均由评估引擎按方案复核）；"
    "费用构成；仍未达标或无法解决的问题。",
    "每所有措施或未达标的学校一行：调整前后的达标情况、措施（调入调出教师、招聘、新建改建）和费用（元）。",
    "每名调配的教师一行：任教学段、调出和调入学校、计入哪些指标、方式（县管校聘调配或对口交流）和费用（元）。",
    "各学段各项指标调整前后的差异系数与限值，以及调整前后达标的学校（学段）数。",
)
# A figure the summary states as text — "1,099,050 元", "0.00%" — kept as a number.
_FIGURE = re.compile(r"^(-?\d{1,3}(?:,\d{3})*(?:\.(\d+))?|-?\d+(?:\.(\d+))?)\s*(元|%)?$")


def write_plan_workbook(section: PlanSection, path: str | Path) -> Path:
    path = Path(path)
    wb, st = ss.open_workbook(path, title=section.title, subject="资源配置整改方案")
    try:
        add_plan_sheets(wb, section, PLAN_SHEETS, st)
        names = add_action_sheets(wb, section.document.get("actions", []))
        notes = list(zip(PLAN_SHEETS, PLAN_NOTES, strict=True))
        notes += [(n, ACTION_NOTE) for n in names]
        ss.add_notes_sheet(wb, st, section.title, notes)
    finally:
        ss.close(wb)
    return path


def action_sheet_name(year: int | None) -> str:
    return f"{ACTION_SHEET_PREFIX}（{'未安排' if year is None else f'第{year}年'}）"


def add_action_sheets(wb: Workbook, actions: list[dict[str, Any]]) -> list[str]:
    """The plan's actions, one row each and one sheet per year, numbers as numbers:
    what a bureau edits and checks again with `junheng plan check`."""
    head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    money = wb.add_format({"num_format": "#,##0"})
    qty = wb.add_format({"num_format": "0.####"})
    known = sorted({int(a["year"]) for a in actions if a["year"] is not None}) or [1]
    years: list[int | None] = [*known, *([None] if any(a["year"] is None for a in actions) else [])]
    names = []
    for year in years:
        names.append(action_sheet_name(year))
        ws = wb.add_worksheet(names[-1])
        for c, (key, title) in enumerate(ACTION_COLUMNS):
            ws.write_string(0, c, title, head)
            ws.set_column(c, c, {"school_name": 26, "measure_name": 22, "teacher_ids": 40}.get(key, 14))
        r = 0
        for a in (a for a in actions if a["year"] == year):
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
        ss.print_setup(ws, 120, repeat=(0, 0))
    return names


def add_plan_sheets(wb: Workbook, section: PlanSection, names: tuple[str, str, str, str],
                    st: Styles | None = None) -> None:
    """The plan's summary, school actions, teacher moves and CVs as four sheets."""
    st = st or Styles(wb)
    _summary(wb.add_worksheet(names[0]), section, st)
    for name, table in zip(names[1:], section.tables, strict=True):
        _table(wb.add_worksheet(name), 0, table, st)


def summary_value(value: Any) -> Any:
    """A summary value: a number stays a number; "1,099,050 元" and "0.00%" become
    numbers shown the same way; other text stays text."""
    if not isinstance(value, str) or not (m := _FIGURE.match(value.strip())):
        return value
    number = float(m.group(1).replace(",", ""))
    places = len(m.group(2) or m.group(3) or "")
    if m.group(4) == "%":
        return Styled(number / 100, num_format=ss.decimals(places, percent=True))
    body = ss.decimals(places, grouping="," in m.group(1) or abs(number) >= 10000)
    return Styled(number, num_format=f'{body}" 元"' if m.group(4) else body)


def _summary(ws: Worksheet, section: PlanSection, st: Styles) -> None:
    ws.set_column(0, 0, 32)
    ws.set_column(1, 1, 16)
    ws.set_column(2, 3, 16)
    ws.set_column(4, 4, 30)
    ws.write_string(0, 0, section.title, st.title)
    r = 2
    for label, value in section.summary:
        ws.write_string(r, 0, label, st.label)
        ws.merge_range(r, 1, r, 4, "", st.wrap)
        v = summary_value(value)
        ss.write_value(ws, st, r, 1, v, "year" if label == "学年" else "wrap",
                       num_format=None if isinstance(v, Styled) else ("0" if label == "学年" else None))
        r += 1
    r += 1
    ws.write_string(r, 0, section.costs.title, st.subtitle)
    r = _table(ws, r + 1, section.costs, st, frozen=False, set_widths=False)
    for title, lines, style in (("仍未达标（评估引擎复核）", section.still_failing, "warn"),
                                ("无法通过现有措施解决", section.unreachable, "warn"),
                                ("有编不补：应补充的在编教师", section.post_fills, "wrap"),
                                ("说明", section.notes, "wrap"), ("注意", section.warnings, "warn")):
        if not lines:
            continue
        r += 1
        ws.write_string(r, 0, title, st.subtitle)
        r += 1
        for line in lines:
            ws.merge_range(r, 0, r, 4, line, getattr(st, style))
            ws.set_row(r, 15 * (int(ss.text_width(line) / 110) + 1))
            r += 1
    ws.freeze_panes(1, 0)
    ss.print_setup(ws, 110)


def _table(ws: Worksheet, top: int, table: SectionTable, st: Styles, *, frozen: bool = True,
           set_widths: bool = True) -> int:
    columns = []
    for c, head in enumerate(table.headers):
        if c in table.money:
            kind = "yuan"
        elif c in table.kinds:
            kind = table.kinds[c]
        else:
            kind = _KINDS.get(head, "wrap" if head in _WIDTHS else "text")
        columns.append(Column(head, kind, _WIDTHS.get(head)))
    return ss.write_table(ws, st, top, columns, table.rows, freeze=frozen, autofilter=frozen,
                          set_widths=set_widths, freeze_cols=2 if frozen and len(table.headers) > 4 else 0)


def _cell(ws: Worksheet, r: int, c: int, value: Any, style: Any) -> None:
    if value is None or value == "":
        ws.write_blank(r, c, None, style)
    elif isinstance(value, bool):
        ws.write_string(r, c, "是" if value else "否", style)
    elif isinstance(value, int | float):
        ws.write_number(r, c, value, style)
    else:
        ws.write_string(r, c, str(value), style)
