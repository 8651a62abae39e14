"""The targets workbook (目标.xlsx: template and export) and the progress workbook
(进展.xlsx), in the look of :mod:`junheng.reports.renderers.sheet_style`.

The 「目标」 sheet is what :mod:`junheng.intake.targets_workbook` reads back: an export
imports again unchanged. 指标 has a dropdown of every measure (listed with its unit,
direction, scopes and definition in 「指标一览」), 范围 a dropdown of 全县 / 小学 / 初中 /
学前 and the county's groups and townships (other text is allowed, with a warning).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from xlsxwriter.utility import xl_rowcol_to_cell

from junheng.analysis.measures import DIRECTION_ZH, Measure
from junheng.analysis.progress import Target
from junheng.reports.renderers import sheet_style as ss
from junheng.reports.renderers.sheet_style import Column

SHEET = "目标"
LIST_SHEET = "指标一览"
OPTIONS_SHEET = "选项"
HEAD = ["指标", "范围", "基线学年", "基线值", "目标值", "目标年份", "分年度目标", "依据", "责任科室", "说明", "单位（自动）"]
WIDTHS = [34, 16, 10, 12, 12, 10, 26, 40, 14, 30, 12]
ROWS = 200  # rows with dropdowns and validation in the template

GUIDE = [
    ("用途", "填写本县（区）教育行动方案（如「××区教育高质量发展三年行动计划（2023—2025 年）」）中的量化目标，"
           "每个目标一行。填好后用 junheng targets import 目标.xlsx --county 县区代码 导入，"
           "再用 junheng progress 县区代码 查看每个目标的进展。"),
    ("指标", "从下拉列表中选择；全部可选指标及其口径、单位见「指标一览」表。指标的数值与评估结果、年度答卷中的同名数字"
           "出自同一张县域年度数据表，口径完全一致。"),
    ("范围", "默认全县；也可选 小学、初中（有分学段数字的指标）、学前（学前教育指标），或某个教育集团、某个乡镇："
           "写作「集团：集团名称」「乡镇：乡镇名称」，名称与县域数据工作簿「学校」表中填写的一致。"),
    ("基线学年、基线值", "基线学年写四位数，如 2023（2023 学年）。基线值可以空着：导入时按数据库中该学年的数据自动填上；"
                    "基线学年也空着时，取数据库中最早的学年。"),
    ("目标值、目标年份", "目标值的单位见“单位（自动）”列。百分比指标写 25 或 25% 都表示 25%。目标年份写四位数，如 2025。"),
    ("分年度目标", "可选。写作“2024:20；2025:25”（学年:目标值，用分号隔开）；不填时按基线到目标的直线推算每年应达到的数值。"),
    ("依据、责任科室、说明", "依据写目标出处的文件名称和条款；责任科室写牵头科室；说明写其他需要说明的情况。"),
    ("进展状态", "已达成：达到目标值；按期推进：达到按路径本年应达到的数值；滞后：低于本年应达到的数值；"
               "未达成：目标年份已到仍未达到；无数据：该学年缺少计算所需的数据（会写明缺什么）。"
               "比较时按显示的数值（与报告中印出的数字相同）。"),
    ("导入规则", "整个工作簿全部通过检查才导入，有任何错误都不导入，并列出错误所在的工作表、行、列和填写的值。"
               "再次导入会替换原有目标，原有目标作为历史版本保留（谁、何时导入）。"),
]


def value_cell(measure: Measure | None, value: float | None) -> Any:
    """A target value as the sheet shows it: a share as a percent-formatted fraction."""
    if value is None:
        return None
    if measure is not None and measure.unit == "%":
        return ss.Styled(value, num_format="0.0##%")
    return value


def milestones_text(measure: Measure | None, milestones: dict[int, float]) -> str:
    pct = measure is not None and measure.unit == "%"
    return "；".join(f"{y}:{_plain(v * 100 if pct else v)}" for y, v in sorted(milestones.items()))


def _plain(v: float) -> str:
    return f"{v:.6f}".rstrip("0").rstrip(".")


def write_targets_workbook(path: str | Path, measures: dict[str, Measure], scopes: Sequence[str],
                           targets: Sequence[Target] = (), *, title: str = "行动方案目标") -> None:
    wb, st = ss.open_workbook(path, title=title, subject="教育行动方案目标（junheng targets）")
    try:
        ws = wb.add_worksheet(SHEET)
        listed = list(measures.values())
        for c, (h, w) in enumerate(zip(HEAD, WIDTHS, strict=True)):
            ws.set_column(c, c, w)
            ws.write_string(0, c, h, st.head)
        for r, t in enumerate(targets, start=1):
            m = measures.get(t.measure)
            cells = [m.name if m else t.measure, t.scope, t.baseline_year, value_cell(m, t.baseline),
                     value_cell(m, t.target), t.target_year, milestones_text(m, t.milestones), t.basis or "",
                     t.department or "", t.note or ""]
            for c, v in enumerate(cells):
                if v is None or v == "":
                    ws.write_blank(r, c, None)
                else:
                    ss.write_value(ws, st, r, c, v, "year" if c in (2, 5) else "text")
        last = max(ROWS, len(targets) + 50)
        n = len(listed)
        ws.data_validation(1, 0, last, 0, {
            "validate": "list", "source": f"='{LIST_SHEET}'!$A$2:$A${n + 1}",
            "input_title": "指标", "input_message": "从下拉列表中选择；口径见「指标一览」表",
            "error_title": "指标", "error_message": "请从下拉列表中选择指标"})
        ws.data_validation(1, 1, last, 1, {
            "validate": "list", "source": f"='{OPTIONS_SHEET}'!$A$1:$A${len(scopes)}", "error_type": "warning",
            "input_title": "范围", "input_message": "默认全县；教育集团写「集团：名称」，乡镇写「乡镇：名称」",
            "error_title": "范围", "error_message": "范围不在列表中：确认是「集团：名称」或「乡镇：名称」的写法"})
        for c in (2, 5):
            ws.data_validation(1, c, last, c, {
                "validate": "integer", "criteria": "between", "minimum": 2000, "maximum": 2100,
                "error_title": HEAD[c], "error_message": "请填写四位数的学年，如 2025"})
        for c in (3, 4):
            ws.data_validation(1, c, last, c, {
                "validate": "decimal", "criteria": "between", "minimum": -1e12, "maximum": 1e12,
                "error_type": "warning", "error_title": HEAD[c], "error_message": "请填写数字；百分比写 25 或 25%"})
        for r in range(1, last + 1):
            a = xl_rowcol_to_cell(r, 0)
            ws.write_formula(r, 10, f'=IF({a}="","",IFERROR(VLOOKUP({a},\'{LIST_SHEET}\'!$A:$C,3,FALSE),""))',
                             st.cell(None, None, font_color="#595959"), "")
        ws.freeze_panes(1, 1)
        ws.autofilter(0, 0, last, len(HEAD) - 1)
        ss.print_setup(ws, sum(WIDTHS), repeat=(0, 0))

        rows = [[m.name, m.id, m.unit or "—", DIRECTION_ZH[m.direction], m.scope_text(), m.definition]
                for m in listed]
        ss.write_table(wb.add_worksheet(LIST_SHEET), st, 0, [
            Column("指标"), Column("编号"), Column("单位", "text", 8), Column("方向", "text", 10),
            Column("可用范围"), Column("口径", "wrap", 70)], rows)

        guide = wb.add_worksheet("填表说明")
        guide.set_column(0, 0, 20)
        guide.set_column(1, 1, 100, st.wrap)
        guide.write_string(0, 0, f"{title}：填表说明", st.title)
        for r, (k, v) in enumerate(GUIDE, start=2):
            guide.write_string(r, 0, k, st.label)
            guide.write_string(r, 1, v, st.wrap)
            guide.set_row(r, 15 * max(1, int(ss.text_width(v) / 98) + 1))
        guide.freeze_panes(1, 0)
        ss.print_setup(guide, 122)
        opts = wb.add_worksheet(OPTIONS_SHEET)
        for r, s in enumerate(scopes):
            opts.write_string(r, 0, s)
        opts.freeze_panes(0, 0)
        ss.print_setup(opts, 20)
        opts.hide()
        ws.activate()
    finally:
        ss.close(wb)
