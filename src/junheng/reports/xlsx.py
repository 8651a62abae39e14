"""The result workbook (评估结果.xlsx) a bureau hands around: 汇总, 学校指标, 差异系数,
one sheet per dimension with items (政府保障程度, 教育质量, 社会认可度 …), 整改清单 and
未纳入范围学校.

Numbers are written as numbers with number formats (a reader can sum and sort them);
only what is displayed is rounded. Failing cells are red, cells under the standard's
value but not under the 85 % floor (基本值) amber — the same judgement as the terminal
and HTML report (``findings.mark``). Every table has a frozen header and a filter.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import xlsxwriter
import xlsxwriter.exceptions
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from junheng.analysis.factsheet import FactSheet
from junheng.core.facts import STAGE_ZH, Stage
from junheng.core.result import Evaluation, ItemResult
from junheng.reports import findings as f
from junheng.reports import numbers as fmt
from junheng.reports.figures_sheet import TITLE as FIGURES_TITLE
from junheng.reports.figures_sheet import add_figures_sheet
from junheng.reports.plan_section import PlanSection
from junheng.reports.plan_workbook import RESULT_SHEETS, add_plan_sheets
from junheng.reports.trend_section import TITLE as TREND_TITLE
from junheng.reports.trend_section import TrendSection, add_trend_sheet

RED = {"bg_color": "#FFC7CE", "font_color": "#9C0006"}
AMBER = {"bg_color": "#FFEB9C", "font_color": "#9C5700"}
GREEN = {"font_color": "#006100"}
TONES = {"fail": RED, "floor": AMBER, "ok": GREEN, None: {}}
MARK_TONE = {f.Mark.MET: None, f.Mark.FLOOR: "floor", f.Mark.FAIL: "fail", f.Mark.MISSING: "floor"}
PASS_TONE = {True: "ok", False: "fail", None: "floor"}
CV_FORMAT, LIMIT_FORMAT, PERCENT_FORMAT = "0.000", "0.00", "0.00%"
SHEET_NAME_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})


class _Styles:
    """XlsxWriter formats, one per (number format, tone, extra) combination, made on use."""

    def __init__(self, wb: Workbook):
        self.wb = wb
        self._cache: dict[tuple, Any] = {}
        self.title = wb.add_format({"bold": True, "font_size": 14})
        self.head = wb.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True,
                                   "valign": "vcenter", "align": "center"})
        self.label = wb.add_format({"bold": True, "bg_color": "#F2F2F2", "border": 1})
        self.note = wb.add_format({"italic": True, "font_color": "#595959"})

    def cell(self, num_format: str | None = None, tone: str | None = None, **extra: Any):
        key = (num_format, tone, tuple(sorted(extra.items())))
        if key not in self._cache:
            props = {**TONES[tone], **extra}
            if num_format:
                props["num_format"] = num_format
            props.setdefault("valign", "top")
            self._cache[key] = self.wb.add_format(props)
        return self._cache[key]


def write_result_workbook(ev: Evaluation, path: str | Path, *, plan: PlanSection | None = None,
                          trend: TrendSection | None = None, facts: FactSheet | None = None) -> Path:
    """The result workbook; with ``trend``, a 历年趋势 sheet after the evaluation's; with
    ``plan``, the 整改方案 sheets after the others."""
    path = Path(path)
    wb = xlsxwriter.Workbook(str(path), {"strings_to_numbers": False, "strings_to_urls": False,
                                         "strings_to_formulas": False})
    wb.set_properties({"title": f"{f.report_title(ev)}督导评估结果", "author": "junheng",
                       "subject": f"{ev.standard_title} {ev.school_year}学年"})
    st = _Styles(wb)
    try:
        _summary(wb.add_worksheet("汇总"), ev, st)
        _schools(wb.add_worksheet("学校指标"), ev, st)
        _dispersion(wb.add_worksheet("差异系数"), ev, st)
        used = {"汇总", "学校指标", "差异系数", "整改清单", "未纳入范围学校"}
        for dim, items in f.items_by_dimension(ev):
            name = _sheet_name(dim.name, used)
            _items(wb.add_worksheet(name), dim.name, items, st)
        _shortfalls(wb.add_worksheet("整改清单"), ev, st)
        _excluded(wb.add_worksheet("未纳入范围学校"), ev, st)
        if facts is not None:  # counts, shares and spending: the fact sheet's figures
            add_figures_sheet(wb, facts, _sheet_name(FIGURES_TITLE, used))
        if trend is not None:
            add_trend_sheet(wb, trend, _sheet_name(TREND_TITLE, used))
        if plan is not None:
            add_plan_sheets(wb, plan, RESULT_SHEETS)
    finally:
        _close(wb)
    return path


def _close(wb: Workbook) -> None:
    """XlsxWriter wraps the OSError of a failed write; callers map OSError to a message."""
    try:
        wb.close()
    except xlsxwriter.exceptions.FileCreateError as exc:
        cause = exc.args[0] if exc.args else None
        raise cause if isinstance(cause, OSError) else OSError(str(exc)) from None


def _sheet_name(name: str, used: set[str]) -> str:
    base = name.translate(SHEET_NAME_FORBIDDEN)[:28] or "项目"
    out, n = base, 2
    while out in used:
        out, n = f"{base}{n}", n + 1
    used.add(out)
    return out


def _table_head(ws: Worksheet, row: int, columns: list[tuple[str, float]], st: _Styles) -> None:
    for c, (title, width) in enumerate(columns):
        ws.set_column(c, c, width)
        ws.write_string(row, c, title, st.head)


def _finish_table(ws: Worksheet, head_row: int, rows: int, columns: int, freeze_cols: int = 0) -> None:
    ws.freeze_panes(head_row + 1, freeze_cols)
    ws.autofilter(head_row, 0, head_row + max(rows, 1), columns - 1)


def _number(ws: Worksheet, r: int, c: int, value: float | None, fmt_: Any) -> None:
    if value is None:
        ws.write_string(r, c, fmt.MISSING, fmt_)
    else:
        ws.write_number(r, c, value, fmt_)


def _indicator_format(ev: Evaluation, indicator_id: str) -> str:
    unit = ev.indicator_meta.get(indicator_id, {}).get("unit")
    digits = fmt.indicator_digits(unit)
    return "0" if digits == 0 else "0." + "0" * digits


# --- 汇总 -------------------------------------------------------------------------------


def _summary(ws: Worksheet, ev: Evaluation, st: _Styles) -> None:
    ws.set_column(0, 0, 26)
    ws.set_column(1, 1, 14)
    ws.set_column(2, 2, 16)
    ws.set_column(3, 3, 70)
    wrap = st.cell(text_wrap=True)
    ws.write_string(0, 0, f"{f.report_title(ev)}督导评估结果", st.title)
    place = "".join(p for p in (ev.province, ev.city) if p)
    facts = [
        ("县（市、区）", f"{place}{ev.county_name}"),
        ("行政区划代码", ev.county_code),
        ("学年", f"{ev.school_year}学年"),
        ("评估依据", f"《{ev.standard_title}》" + (f"（{ev.standard_document}）" if ev.standard_document else "")),
        ("标准编号与版本", f"{ev.standard_id}（版本 {ev.standard_version}）"),
        ("数据来源", ev.source or "—"),
    ]
    r = 2
    for label, value in facts:
        ws.write_string(r, 0, label, st.label)
        ws.merge_range(r, 1, r, 3, value, wrap)
        r += 1
    ws.write_string(r, 0, "评估结论", st.label)
    ws.merge_range(r, 1, r, 3, f.verdict_word(ev),
                   st.cell(tone="ok" if ev.recognised else "fail", bold=True, font_size=12))
    r += 1
    ws.write_string(r, 0, "认定依据" if ev.recognised else "不予认定的原因", st.label)
    ws.merge_range(r, 1, r, 3, "\n".join(f.verdict_reasons(ev)), wrap)
    ws.set_row(r, 15 * max(1, len(f.verdict_reasons(ev))))
    r += 2
    _table_head(ws, r, [("评估内容", 26), ("结果", 14), ("是否计入认定", 16), ("说明", 70)], st)
    for dim in ev.dimensions.values():
        r += 1
        ws.write_string(r, 0, dim.name)
        ws.write_string(r, 1, f.dimension_word(dim.passed), st.cell(tone=PASS_TONE[dim.passed]))
        ws.write_string(r, 2, "是" if dim.counts_for_verdict else "否（监测项）")
        ws.write_string(r, 3, dim.message or "—", wrap)
    r += 2
    counts = f.summary_counts(ev)
    _table_head(ws, r, [("统计", 26), ("数量", 14)], st)
    for label, n in counts:
        r += 1
        ws.write_string(r, 0, label)
        ws.write_number(r, 1, n)
    r += 2
    ws.write_string(r, 0, "口径设置", st.head)
    ws.merge_range(r, 1, r, 3, "取值", st.head)
    for label, value in f.settings_rows(ev):
        r += 1
        ws.write_string(r, 0, label)
        ws.merge_range(r, 1, r, 3, value, wrap)
    r += 2
    ws.write_string(r, 0, "各项数值均未四舍五入，表中按显示格式保留小数；达标判定使用未舍入的值。", st.note)


# --- 学校指标 -----------------------------------------------------------------------------


def _schools(ws: Worksheet, ev: Evaluation, st: _Styles) -> None:
    ids = list(ev.indicator_meta)
    first = 5  # column of R1
    columns = [("学校标识码", 13), ("学校名称", 24), ("办学类型", 13), ("学段", 7), ("学生数", 9)]
    columns += [(f"{i} {f.indicator_label(ev, i)}", 13) for i in ids]
    columns += [("达标项数", 9), ("是否达标", 9), ("说明", 44), ("「学校」表行号", 10)]
    ws.write_string(0, 0, "学校资源配置七项指标（一贯制学校、完全中学按学段分列）", st.title)
    floor = f.floor_ratio(ev)
    r = 1
    for stage in f.stages(ev) if f.has_thresholds(ev) else ():
        rows = [("达标值", 1.0)] + ([(f"基本值（达标值的{fmt.fixed(floor * 100, 0)}%）", floor)] if floor else [])
        for label, factor in rows:
            ws.merge_range(r, 0, r, first - 1, f"{STAGE_ZH[stage]}{label}", st.label)
            for k, i in enumerate(ids):
                t = f.threshold_of(ev, i, stage)
                _number(ws, r, first + k, None if t is None else t * factor,
                        st.cell(_indicator_format(ev, i) if factor != 1.0 else None, bold=True,
                                bg_color="#F2F2F2", border=1))
            r += 1
    head = r
    _table_head(ws, head, columns, st)
    ws.set_row(head, 45)
    for n, s in enumerate(ev.schools, start=1):
        row = head + n
        ws.write_string(row, 0, s.school_code)
        ws.write_string(row, 1, s.name)
        ws.write_string(row, 2, f.school_type_zh(s.school_type))
        ws.write_string(row, 3, STAGE_ZH[s.stage])
        ws.write_number(row, 4, s.students)
        for k, i in enumerate(ids):
            result = s.indicators.get(i)
            if result is None:
                ws.write_string(row, first + k, fmt.MISSING)
                continue
            tone = MARK_TONE[f.mark(ev, result)]
            _number(ws, row, first + k, result.value, st.cell(_indicator_format(ev, i), tone))
        c = first + len(ids)
        ws.write_number(row, c, s.met)
        ws.write_string(row, c + 1, "是" if s.passed else "否", st.cell(tone=None if s.passed else "fail"))
        ws.write_string(row, c + 2, s.reason)
        if s.row:
            ws.write_number(row, c + 3, s.row)
    _finish_table(ws, head, len(ev.schools), len(columns), freeze_cols=2)
    note_row = head + len(ev.schools) + 2
    note = "红色：未达到达标值。"
    if floor:
        note = (f"红色：低于基本值；橙色：未达到达标值但不低于基本值；学校至少 {(ev.school_pass or {}).get('min_met')} "
                "项达到达标值、其余不低于基本值即为达标。")
    ws.write_string(note_row, 0, note, st.note)


# --- 差异系数 -----------------------------------------------------------------------------


def _dispersion(ws: Worksheet, ev: Evaluation, st: _Styles) -> None:
    columns = [("学段", 7), ("指标编号", 9), ("指标名称", 36), ("单位", 9), ("校际均值", 11), ("标准差", 11),
               ("差异系数", 10), ("限值", 8), ("是否达标", 9), ("学校数", 8), ("学生数", 10), ("计算方法", 26)]
    _table_head(ws, 0, columns, st)
    method = dict(f.SETTING_ZH["cv_weighting"][1])
    rows = list(f.dispersion_rows(ev))
    for r, (stage, d) in enumerate(rows, start=1):
        meta = ev.indicator_meta.get(d.indicator_id, {})
        num = _indicator_format(ev, d.indicator_id)
        ws.write_string(r, 0, STAGE_ZH[stage])
        ws.write_string(r, 1, d.indicator_id if meta else f.dispersion_label(ev, d.indicator_id))
        ws.write_string(r, 2, f.dispersion_name(ev, d.indicator_id))
        ws.write_string(r, 3, meta.get("unit", ""))
        _number(ws, r, 4, d.county_mean, st.cell(num))
        _number(ws, r, 5, d.std, st.cell(num))
        word, passed, judged = f.cv_verdict(d)
        tone = PASS_TONE[passed] if judged and passed is not True else None
        _number(ws, r, 6, d.cv, st.cell(CV_FORMAT, tone))
        _number(ws, r, 7, d.limit, st.cell(LIMIT_FORMAT))
        ws.write_string(r, 8, word, st.cell(tone=PASS_TONE[passed] if judged else None))
        ws.write_number(r, 9, d.schools)
        ws.write_number(r, 10, d.students)
        ws.write_string(r, 11, method.get(d.method, d.method))
    _finish_table(ws, 0, len(rows), len(columns))


# --- 评估项目 -----------------------------------------------------------------------------


def _items(ws: Worksheet, title: str, items: list[ItemResult], st: _Styles) -> None:
    columns = [("编号", 7), ("名称", 44), ("值", 22), ("标准", 22), ("是否达标", 10), ("说明", 56),
               ("缺少的数据", 16), ("数据来源", 44)]
    _table_head(ws, 0, columns, st)
    wrap = st.cell(text_wrap=True)
    for r, item in enumerate(items, start=1):
        ws.write_string(r, 0, item.item_id)
        ws.write_string(r, 1, item.name, wrap)
        number, kind, unit = f.item_number(item)
        if number is not None:
            num = PERCENT_FORMAT if kind == "ratio" else (f'General"{unit}"' if unit else "General")
            ws.write_number(r, 2, number, st.cell(num, align="left"))
        else:
            ws.write_string(r, 2, f.item_value_text(item), wrap)
        ws.write_string(r, 3, f.item_threshold_text(item), wrap)
        ws.write_string(r, 4, f.pass_word(item.passed), st.cell(tone=PASS_TONE[item.passed]))
        ws.write_string(r, 5, item.message or "—", wrap)
        ws.write_string(r, 6, "、".join(item.missing), wrap)
        ws.write_string(r, 7, f.source_text(item.provenance), wrap)
    _finish_table(ws, 0, len(items), len(columns), freeze_cols=1)
    ws.write_string(len(items) + 2, 0, f"{title}：共 {len(items)} 项", st.note)


# --- 整改清单 与 未纳入范围学校 ---------------------------------------------------------------


def _shortfalls(ws: Worksheet, ev: Evaluation, st: _Styles) -> None:
    columns = [("序号", 6), ("学校标识码", 13), ("学校名称", 24), ("学段", 7), ("项目编号", 9),
               ("项目名称", 30), ("整改内容", 52), ("缺口数量", 11), ("单位", 7), ("是否影响达标", 12)]
    _table_head(ws, 0, columns, st)
    wrap = st.cell(text_wrap=True)
    for r, s in enumerate(ev.shortfalls, start=1):
        ws.write_number(r, 0, r)
        ws.write_string(r, 1, s.school_code or "")
        ws.write_string(r, 2, s.school_name or ("全县" if s.school_code is None else ""))
        ws.write_string(r, 3, STAGE_ZH[Stage(s.stage)] if s.stage else "")
        ws.write_string(r, 4, s.item_id)
        ws.write_string(r, 5, _item_name(ev, s.item_id), wrap)
        ws.write_string(r, 6, s.text, wrap)
        ws.write_number(r, 7, s.quantity, st.cell("#,##0" if float(s.quantity).is_integer() else "#,##0.00"))
        ws.write_string(r, 8, s.unit)
        ws.write_string(r, 9, "是" if s.blocking else "否（建议补足）",
                        st.cell(tone="fail" if s.blocking else "floor"))
    _finish_table(ws, 0, len(ev.shortfalls), len(columns), freeze_cols=3)


def _item_name(ev: Evaluation, item_id: str) -> str:
    if item_id in ev.indicator_meta:
        return ev.indicator_meta[item_id].get("name", item_id)
    item = ev.items.get(item_id)
    return item.name if item else item_id


def _excluded(ws: Worksheet, ev: Evaluation, st: _Styles) -> None:
    _table_head(ws, 0, [("学校标识码", 13), ("学校名称", 28), ("原因", 60)], st)
    for r, x in enumerate(ev.excluded, start=1):
        ws.write_string(r, 0, x.school_code)
        ws.write_string(r, 1, x.name)
        ws.write_string(r, 2, x.reason)
    _finish_table(ws, 0, len(ev.excluded), 3)
