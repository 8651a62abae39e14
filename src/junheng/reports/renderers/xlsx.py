"""The result workbook (评估结果.xlsx) a bureau hands around: 汇总, 学校指标, 差异系数,
one sheet per dimension with items (政府保障程度, 教育质量, 社会认可度 …), 整改清单,
未纳入范围学校 and 说明.

Numbers are written as numbers with number formats (a reader can sum and sort them);
only what is displayed is rounded. Failing cells are red and end in 「×」, cells under
the standard's value but not under the 85 % floor (基本值) amber with 「△」 — the same
judgement as the terminal and HTML report (``findings.mark``); verdicts read
「√ 达标」「× 未达标」. How the sheets look (formats, widths, frozen headers, filters,
print setup, the 说明 sheet) is :mod:`junheng.reports.renderers.sheet_style`, shared by every
workbook junheng writes.
"""

from __future__ import annotations

from pathlib import Path

from xlsxwriter.worksheet import Worksheet

from junheng.analysis.factsheet import FactSheet
from junheng.core.facts import STAGE_ZH, Stage
from junheng.core.result import Evaluation, ItemResult
from junheng.reports import numbers as fmt
from junheng.reports.documents import findings as f
from junheng.reports.documents.plan_section import PlanSection
from junheng.reports.documents.trend_section import TITLE as TREND_TITLE
from junheng.reports.documents.trend_section import TREND_NOTES, TrendSection
from junheng.reports.renderers import sheet_style as ss
from junheng.reports.renderers.figures_sheet import TITLE as FIGURES_TITLE
from junheng.reports.renderers.figures_sheet import add_figures_sheet
from junheng.reports.renderers.plan_workbook import PLAN_NOTES, RESULT_SHEETS, add_plan_sheets
from junheng.reports.renderers.sheet_style import Column, Styled, Styles
from junheng.reports.renderers.trend_sheet import add_trend_sheet

MARK_TONE = {f.Mark.MET: None, f.Mark.FLOOR: "floor", f.Mark.FAIL: "fail", f.Mark.MISSING: "floor"}
PASS_TONE = ss.TONE_OF
CV_FORMAT, LIMIT_FORMAT = ss.FORMATS["cv"], ss.FORMATS["limit"]
PERCENT_FORMAT = ss.FORMATS["pct2"]  # an item's share, printed with two places (94.36%)


def write_result_workbook(ev: Evaluation, path: str | Path, *, plan: PlanSection | None = None,
                          trend: TrendSection | None = None, facts: FactSheet | None = None) -> Path:
    """The result workbook; with ``trend``, a 历年趋势 sheet after the evaluation's; with
    ``plan``, the 整改方案 sheets after the others; 说明 last."""
    path = Path(path)
    title = f"{f.report_title(ev)}督导评估结果"
    wb, st = ss.open_workbook(path, title=title, subject=f"{ev.standard_title} {ev.school_year}学年",
                              author=f"{ev.county_name}教育局" if ev.county_name else "")
    try:
        sheets: list[tuple[str, str]] = [("汇总", SUMMARY_NOTE)]
        _summary(wb.add_worksheet("汇总"), ev, st)
        used = {"汇总", "整改清单", "未纳入范围学校", ss.NOTES_SHEET}
        if ev.schools or ev.indicator_meta:
            _schools(wb.add_worksheet("学校指标"), ev, st)
            sheets.append(("学校指标", SCHOOLS_NOTE))
            used.add("学校指标")
        if ev.dispersion:
            _dispersion(wb.add_worksheet("差异系数"), ev, st)
            sheets.append(("差异系数", DISPERSION_NOTE))
            used.add("差异系数")
        for dim, items in f.items_by_dimension(ev):
            name = ss.sheet_name(dim.name, used)
            _items(wb.add_worksheet(name), dim.name, items, st)
            sheets.append((name, f"「{dim.name}」的 {len(items)} 个评估项目：" + ITEMS_NOTE))
        _shortfalls(wb.add_worksheet("整改清单"), ev, st)
        _excluded(wb.add_worksheet("未纳入范围学校"), ev, st)
        sheets += [("整改清单", SHORTFALLS_NOTE), ("未纳入范围学校", EXCLUDED_NOTE)]
        extra: list[tuple[str, str]] = []
        if facts is not None:  # counts, shares and spending: the fact sheet's figures
            name = ss.sheet_name(FIGURES_TITLE, used)
            add_figures_sheet(wb, facts, name)
            sheets.append((name, "本县本学年的主要数据（学校、班级、学生、教师、比例、经费），与报告、JSON 中的同一数字一致"))
        if trend is not None:
            name = ss.sheet_name(TREND_TITLE, used)
            add_trend_sheet(wb, trend, name, st)
            sheets.append((name, TREND_NOTES))
        if plan is not None:
            add_plan_sheets(wb, plan, RESULT_SHEETS, st)
            sheets += list(zip(RESULT_SHEETS, PLAN_NOTES, strict=True))
        extra += _definitions(ev)
        ss.add_notes_sheet(wb, st, title, sheets, extra)
    finally:
        ss.close(wb)
    return path


SUMMARY_NOTE = ("县区、学年、评估依据、数据来源；评估结论及原因；各评估内容的结果；统计数字；本次评估采用的口径设置。")
SCHOOLS_NOTE = ("每个学校（学段）一行：学校标识码、名称、办学类型、学段、学生数、各项指标的实际值、达标项数、是否达标、"
                "说明和在「学校」表中的行号。表头上方是各学段的达标值和基本值。一贯制学校、完全中学按学段分列，"
                "共享的校舍、设备按学生数拆分。")
DISPERSION_NOTE = ("学段 × 指标：校际均值、标准差、差异系数、限值、是否达标、学校数、学生数和计算方法。"
                   "差异系数 = 标准差 ÷ 校际均值（按学生数加权时均值和标准差都以学生数为权重）。")
ITEMS_NOTE = "编号、名称、值、标准、是否达标、说明（计算过程）、缺少的数据和数据来源（工作簿中的表、单元格或行）。"
SHORTFALLS_NOTE = ("每处缺口一行：学校、学段、项目、整改内容、缺口数量和单位；「是否影响达标」为「否（建议补足）」"
                   "表示该校已按基本值（85%）条款达标，建议补足。")
EXCLUDED_NOTE = "不纳入资源配置评估的学校（特殊教育学校、规模过小的教学点等）及原因。"


def _definitions(ev: Evaluation) -> list[tuple[str, str]]:
    """The indicators' names and units (学校指标 column heads use their short names)."""
    out = []
    for i, meta in ev.indicator_meta.items():
        name = meta.get("name", i)
        unit = meta.get("unit")
        out.append((f"{i} {f.indicator_label(ev, i)}", f"{name}" + (f"（单位：{unit}）" if unit else "")))
    floor = f.floor_ratio(ev)
    if floor:
        out.append(("基本值", f"达标值的 {fmt.fixed(floor * 100, 0)}%：低于达标值但不低于基本值的格子为橙色并标「△」，"
                           "低于基本值的为红色并标「×」。"))
    return out


def _number(ws: Worksheet, r: int, c: int, value: float | None, fmt_) -> None:
    if value is None:
        ws.write_string(r, c, fmt.MISSING, fmt_)
    else:
        ws.write_number(r, c, value, fmt_)


def _indicator_format(ev: Evaluation, indicator_id: str) -> str:
    return ss.indicator_format(ev.indicator_meta.get(indicator_id, {}).get("unit"))


# --- 汇总 -------------------------------------------------------------------------------


def _summary(ws: Worksheet, ev: Evaluation, st: Styles) -> None:
    ws.set_column(0, 0, 30)
    ws.set_column(1, 1, 16)
    ws.set_column(2, 2, 16)
    ws.set_column(3, 3, 70)
    ws.write_string(0, 0, f"{f.report_title(ev)}督导评估结果", st.title)
    place = "".join(p for p in (ev.province, ev.city) if p)
    facts = [
        ("县（市、区）", f"{place}{ev.county_name}"),
        ("学年", f"{ev.school_year}学年"),
        ("评估依据", f"《{ev.standard_title}》" + (f"（{ev.standard_document}）" if ev.standard_document else "")),
        ("标准编号与版本", f"{ev.standard_id}（版本 {ev.standard_version}）"),
        ("数据来源", ev.source or "—"),
    ]
    r = 2
    for label, value in facts:
        ws.write_string(r, 0, label, st.label)
        ws.merge_range(r, 1, r, 3, value, st.wrap)
        r += 1
        if label == "县（市、区）":  # the code as text, as the county writes it
            ws.write_string(r, 0, "行政区划代码", st.label)
            ws.merge_range(r, 1, r, 3, "", st.wrap)
            ss.write_value(ws, st, r, 1, ev.county_code, "id")
            ws.ignore_errors({"number_stored_as_text": f"B{r + 1}"})
            r += 1
    ws.write_string(r, 0, "评估结论", st.label)
    ws.merge_range(r, 1, r, 3, ss.mark(f.verdict_word(ev), ev.recognised),
                   st.cell(tone="ok" if ev.recognised else "fail", bold=True, font_size=12))
    r += 1
    reasons = f.verdict_reasons(ev)
    ws.write_string(r, 0, "认定依据" if ev.recognised else "不予认定的原因", st.label)
    ws.merge_range(r, 1, r, 3, "\n".join(reasons), st.wrap)
    ws.set_row(r, 15 * max(1, sum(int(ss.text_width(x) / 100) + 1 for x in reasons)))
    r += 2
    dims = [[dim.name, Styled(ss.mark(f.dimension_word(dim.passed), dim.passed), PASS_TONE[dim.passed]),
             "是" if dim.counts_for_verdict else "否（监测项）", dim.message or "—"]
            for dim in ev.dimensions.values()]
    r = ss.write_table(ws, st, r, [Column("评估内容"), Column("结果"), Column("是否计入认定"),
                                   Column("说明", "wrap")], dims, freeze=False, set_widths=False, autofilter=False)
    ws.freeze_panes(1, 0)
    r += 1
    ws.write_string(r, 0, "统计", st.head)
    ws.write_string(r, 1, "数量", st.head)
    for label, n in f.summary_counts(ev):
        r += 1
        ws.write_string(r, 0, label)
        ws.write_number(r, 1, n, st.kind("int"))
    r += 2
    ws.write_string(r, 0, "口径设置", st.head)
    ws.merge_range(r, 1, r, 3, "取值", st.head)
    for label, value in f.settings_rows(ev):
        r += 1
        ws.write_string(r, 0, label)
        ws.merge_range(r, 1, r, 3, "", st.wrap)
        ss.write_value(ws, st, r, 1, int(value) if value.isdigit() else value, "wrap")
    r += 2
    ws.write_string(r, 0, "各项数值均未四舍五入，表中按显示格式保留小数；达标判定使用未舍入的值。说明见「说明」表。", st.note)
    ss.print_setup(ws, 132)


# --- 学校指标 -----------------------------------------------------------------------------


def _schools(ws: Worksheet, ev: Evaluation, st: Styles) -> None:
    ids = list(ev.indicator_meta)
    first = 5  # column of R1
    ws.write_string(0, 0, "学校资源配置指标（一贯制学校、完全中学按学段分列）", st.title)
    floor = f.floor_ratio(ev)
    r = 1
    for stage in f.stages(ev) if f.has_thresholds(ev) else ():
        rows = [("达标值", 1.0)] + ([(f"基本值（达标值的{fmt.fixed(floor * 100, 0)}%）", floor)] if floor else [])
        for label, factor in rows:
            ws.merge_range(r, 0, r, first - 1, f"{STAGE_ZH[stage]}{label}", st.label)
            for k, i in enumerate(ids):
                t = f.threshold_of(ev, i, stage)
                _number(ws, r, first + k, None if t is None else t * factor,
                        st.cell(_indicator_format(ev, i), bold=True, bg_color="#F2F2F2", border=1))
            r += 1
    columns = [Column("学校标识码", "id"), Column("学校名称"), Column("办学类型"), Column("学段"),
               Column("学生数", "int")]
    columns += [Column(f"{i} {f.indicator_label(ev, i)}", _indicator_format(ev, i), 13) for i in ids]
    columns += [Column("达标项数", "int", 9), Column("是否达标", "text", 11), Column("说明", "wrap", 44),
                Column("「学校」表行号", "row", 10)]
    rows = []
    for s in ev.schools:
        row: list = [s.school_code, s.name, f.school_type_zh(s.school_type), STAGE_ZH[s.stage], s.students]
        for i in ids:
            result = s.indicators.get(i)
            if result is None or result.value is None:
                row.append(None)
            else:
                row.append(Styled(result.value, MARK_TONE[f.mark(ev, result)]))
        row += [s.met, Styled(ss.PASS_MARK[s.passed], None if s.passed else "fail"), s.reason, s.row or None]
        rows.append(row)
    head = r
    ss.write_table(ws, st, head, columns, rows, freeze_cols=2)
    ws.set_row(head, 45)
    note_row = head + len(ev.schools) + 2
    note = "红色并标「×」：未达到达标值。"
    if floor:
        note = (f"红色并标「×」：低于基本值；橙色并标「△」：未达到达标值但不低于基本值；学校至少 "
                f"{(ev.school_pass or {}).get('min_met')} 项达到达标值、其余不低于基本值即为达标。")
    ws.write_string(note_row, 0, note, st.note)


# --- 差异系数 -----------------------------------------------------------------------------


def _dispersion(ws: Worksheet, ev: Evaluation, st: Styles) -> None:
    columns = [Column("学段"), Column("指标编号"), Column("指标名称"), Column("单位"), Column("校际均值", "num"),
               Column("标准差", "num"), Column("差异系数", CV_FORMAT), Column("限值", LIMIT_FORMAT),
               Column("是否达标", "text", 13), Column("学校数", "int"), Column("学生数", "int"), Column("计算方法")]
    method = dict(f.SETTING_ZH["cv_weighting"][1])
    rows = []
    for stage, d in f.dispersion_rows(ev):
        meta = ev.indicator_meta.get(d.indicator_id, {})
        num = _indicator_format(ev, d.indicator_id)
        word, passed, judged = f.cv_verdict(d)
        tone = PASS_TONE[passed] if judged and passed is not True else None
        rows.append([STAGE_ZH[stage], d.indicator_id if meta else f.dispersion_label(ev, d.indicator_id),
                     f.dispersion_name(ev, d.indicator_id), meta.get("unit", ""),
                     Styled(d.county_mean, num_format=num), Styled(d.std, num_format=num), Styled(d.cv, tone),
                     d.limit, Styled(ss.mark(word, passed) if judged else word, PASS_TONE[passed] if judged else None),
                     d.schools, d.students, method.get(d.method, d.method)])
    ss.write_table(ws, st, 0, columns, rows, freeze_cols=3)


# --- 评估项目 -----------------------------------------------------------------------------


def _item_value(item: ItemResult):
    """The item's value as a number in its format (94.36%, 1:8.56, 90.4%), else its text."""
    number, kind, unit = f.item_number(item)
    if number is None:
        return f.item_value_text(item)
    if kind == "percent":
        return Styled(number, num_format=PERCENT_FORMAT)
    if kind == "one_to":
        return Styled(number, num_format=ss.FORMATS["one_to"])
    places = 0 if float(number).is_integer() else min(4, max(1, len(fmt.amount(number, 4).partition(".")[2])))
    body = ss.number_format_of(number, places)
    return Styled(number, num_format=f'{body}"{unit}"' if unit else body)


def _item_threshold(item: ItemResult):
    """The standard as a number shown with its comparison ("≥ 85%", "≤ 1:15", "≥ 6000元"),
    or the text of :func:`findings.item_threshold_text` when it is not one number."""
    t = item.threshold
    if isinstance(t, bool) or not isinstance(t, (int, float)):
        return f.item_threshold_text(item)
    kind, unit = f.threshold_display(item), f.item_unit(item)
    op = f.OP_ZH.get(item.comparison or "", "")
    prefix = f'"{op} "' if op else ""
    if kind == "percent":
        return Styled(t, num_format=prefix + ss.decimals(_places(t * 100), percent=True))
    if kind == "one_to":
        return Styled(t, num_format=prefix + '"1:"' + ss.decimals(_places(t)))
    return Styled(t, num_format=prefix + ss.decimals(_places(t), grouping=abs(t) >= 10000)
                  + (f'"{unit}"' if unit else ""))


def _places(x: float) -> int:
    """Decimals of a standard's value as written (85 -> 0, 4.2 -> 1, 0.054 -> 3)."""
    return min(4, len(fmt.threshold(round(x, 10)).partition(".")[2]))


def _items(ws: Worksheet, title: str, items: list[ItemResult], st: Styles) -> None:
    columns = [Column("编号", "text", 7), Column("名称", "wrap", 44), Column("值", "wrap", 22),
               Column("标准", "wrap", 22), Column("是否达标", "text", 13), Column("说明", "wrap", 56),
               Column("缺少的数据", "wrap", 16), Column("数据来源", "wrap", 44)]
    rows = [[item.item_id, item.name, _item_value(item), _item_threshold(item),
             Styled(ss.mark(f.pass_word(item.passed), item.passed), PASS_TONE[item.passed]),
             item.message or "—", "、".join(item.missing), f.source_text(item.provenance)] for item in items]
    ss.write_table(ws, st, 0, columns, rows, freeze_cols=2)
    ws.write_string(len(items) + 2, 0, f"{title}：共 {len(items)} 项", st.note)


# --- 整改清单 与 未纳入范围学校 ---------------------------------------------------------------


def _shortfalls(ws: Worksheet, ev: Evaluation, st: Styles) -> None:
    columns = [Column("序号", "int", 6), Column("学校标识码", "id"), Column("学校名称"), Column("学段"),
               Column("项目编号", "text", 9), Column("项目名称", "wrap", 30), Column("整改内容", "wrap", 52),
               Column("缺口数量", "num", 11), Column("单位", "text", 7), Column("是否影响达标", "text", 14)]
    rows = []
    for n, s in enumerate(ev.shortfalls, start=1):
        quantity = Styled(s.quantity, num_format="#,##0" if float(s.quantity).is_integer() else "#,##0.00")
        rows.append([n, s.school_code or "", s.school_name or ("全县" if s.school_code is None else ""),
                     STAGE_ZH[Stage(s.stage)] if s.stage else "", s.item_id, _item_name(ev, s.item_id), s.text,
                     quantity, s.unit, Styled("是" if s.blocking else "否（建议补足）",
                                              "fail" if s.blocking else "floor")])
    ss.write_table(ws, st, 0, columns, rows, freeze_cols=3)


def _item_name(ev: Evaluation, item_id: str) -> str:
    if item_id in ev.indicator_meta:
        return ev.indicator_meta[item_id].get("name", item_id)
    item = ev.items.get(item_id)
    return item.name if item else item_id


def _excluded(ws: Worksheet, ev: Evaluation, st: Styles) -> None:
    ss.write_table(ws, st, 0, [Column("学校标识码", "id"), Column("学校名称"), Column("原因", "wrap", 60)],
                   [[x.school_code, x.name, x.reason] for x in ev.excluded], freeze_cols=2)
