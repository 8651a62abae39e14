"""Trend and teacher-flow workbooks (XlsxWriter): what `junheng trend --out` and
`junheng flows --out` write for bureau staff to keep and print. Formats, widths,
frozen headers, filters, print setup and the 说明 sheet: :mod:`junheng.reports.renderers.sheet_style`."""

from __future__ import annotations

from pathlib import Path

from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from junheng.core.flows import FlowReport
from junheng.core.trend import TrendYear
from junheng.reports.documents.trend_section import EVENT_ZH, trend_rows
from junheng.reports.renderers import sheet_style as ss
from junheng.reports.renderers.progress_sheet import DEFINITIONS as PROGRESS_DEFINITIONS
from junheng.reports.renderers.progress_sheet import NOTES as PROGRESS_NOTES
from junheng.reports.renderers.progress_sheet import add_progress_sheet
from junheng.reports.renderers.sheet_style import Column, Styled, Styles

PREV_SOURCE_ZH = {"stored": "数据库中上一学年", "declared": "本年填报的上年数", None: "—"}


TREND_DEFINITIONS: list[tuple[str, str]] = [
    ("差异系数", "校际差异系数 = 各校指标值的标准差 ÷ 校际均值（按学生数加权），越小越均衡。"),
    ("大班额、超大班额占比", "56—65 人的班级、66 人及以上的班级占全部班级的比例。"),
    ("骨干教师占比、高于规定学历教师占比", "占义务教育专任教师的比例。"),
    ("学位数", "标准班数 × 标准班额（小学 45 人、初中 50 人）；新增学位为较上一学年的增加数。"),
    ("两个只增不减", "一般公共预算教育支出、按在校生人数平均的一般公共预算教育支出都不低于上一学年。"),
]


def write_trend_table(wb: Workbook, ws: Worksheet, row: int, years: list[TrendYear],
                      headers: list[str] | None = None, st: Styles | None = None,
                      names: dict[str, str] | None = None) -> int:
    """The rows of :func:`trend_rows` from ``row`` on (numbers as numbers, formatted),
    the header and the labels frozen; returns the next free row. Shared by the trend
    workbook and the result workbook."""
    st = st or Styles(wb)
    columns = [Column("指标", "wrap", 40 if names else 34),
               *(Column(h, "wrap", 22 if names else 16) for h in headers or [f"{y.school_year} 学年" for y in years])]
    rows = [[label, *(v if v is None or isinstance(v, str) else Styled(v, num_format=ss.FORMATS[kind])
                      for v in values)]
            for label, values, kind in trend_rows(years, names)]
    return ss.write_table(ws, st, row, columns, rows, freeze_cols=1)


def write_events_table(wb: Workbook, ws: Worksheet, row: int, events, st: Styles | None = None,
                       *, freeze: bool = True) -> int:
    """Schools opened, closed, merged and renamed, from ``row`` on; the next free row."""
    st = st or Styles(wb)
    columns = [Column("学年", "year", 8), Column("变动", "text", 10), Column("学校标识码", "id", 13),
               Column("学校名称"), Column("并入学校"), Column("说明", "wrap", 50)]
    rows = [[e.school_year, EVENT_ZH[e.kind], e.code, e.name, e.into_name or "", e.text] for e in events]
    return ss.write_table(ws, st, row, columns, rows, freeze=freeze, autofilter=freeze,
                          set_widths=freeze, freeze_cols=1)


def write_trend_xlsx(county: str, years: list[TrendYear], events, path: str | Path,
                     names: dict[str, str] | None = None, progress: object | None = None) -> None:
    title = f"{county} 历年指标"
    wb, st = ss.open_workbook(path, title=title, subject="历年趋势与两个只增不减")
    try:
        ws = wb.add_worksheet("趋势")
        ws.write_string(0, 0, title, st.title)
        write_trend_table(wb, ws, 1, years, st=st, names=names)
        _funding(wb.add_worksheet("两个只增不减"), years, st)
        write_events_table(wb, wb.add_worksheet("学校变动"), 0, events, st)
        if progress is not None:
            add_progress_sheet(wb, st, progress)
        ss.add_notes_sheet(wb, st, title, [
            ("趋势", "每个学年一列：认定结论、数据版本、纳入评估和达标的学校（学段）数、未达标项目、各学段各项差异系数"
                     "及是否全部达标、班级数、大班额和超大班额占比、专任教师数、骨干教师和高于规定学历教师占比、"
                     "学位数和新增学位、一般公共预算教育支出及生均支出、两个只增不减的结论。"),
            ("两个只增不减", "每个学年一行：本年和上年的一般公共预算教育支出（万元）、生均支出（元），上年数的来源，"
                            "两项是否只增不减及结论。"),
            ("学校变动", "新增、撤销、合并、更名的学校。"),
            *(PROGRESS_NOTES if progress is not None else []),
        ], TREND_DEFINITIONS + (PROGRESS_DEFINITIONS if progress is not None else []))
    finally:
        ss.close(wb)


def _funding(ws: Worksheet, years: list[TrendYear], st: Styles) -> None:
    columns = [Column("学年", "year", 8), Column("教育支出（万元）", "num"), Column("上年（万元）", "num"),
               Column("上年数据来源"), Column("生均（元）", "num"), Column("上年生均（元）", "num"),
               Column("支出只增不减", "text", 12), Column("生均只增不减", "text", 12), Column("结论", "wrap", 40),
               Column("说明", "wrap", 40)]
    rows = []
    for y in years:
        f = y.funding
        rows.append([y.school_year, f.spending, f.spending_prev, PREV_SOURCE_ZH[f.prev_source],
                     None if f.per_student is None else f.per_student * 10000,
                     None if f.per_student_prev is None else f.per_student_prev * 10000,
                     _ok(f.spending_ok), _ok(f.per_student_ok),
                     Styled(f.verdict, ss.TONE_OF[f.ok] if f.ok is not True else None), "；".join(f.notes)])
    ss.write_table(ws, st, 0, columns, rows, freeze_cols=1)


def _ok(value: bool | None) -> Styled:
    return Styled(ss.mark({True: "是", False: "否", None: "无法判断"}[value], value),
                  None if value else ss.TONE_OF[value])


def write_flows_xlsx(report: FlowReport, names: dict[str, str], path: str | Path) -> None:
    title = "教师交流轮岗与流动"
    wb, st = ss.open_workbook(path, title=title, subject="县管校聘：上一学年到本学年的教师流动")
    try:
        columns = [Column("口径", "text", 24), Column("交流轮岗人数", "int"), Column("符合交流条件人数", "int"),
                   Column("比例", "pct"), Column("其中骨干教师", "int"), Column("骨干占比", "pct"),
                   Column("结论", "text", 14)]
        rows = [[label, s.rotated, s.eligible, s.share, s.backbone_rotated, s.backbone_share,
                 Styled(ss.mark({True: "达到", False: "未达到", None: "无法判断"}[s.ok], s.ok),
                        None if s.ok else ss.TONE_OF[s.ok])]
                for label, s in (("名册实际调动", report.real), ("填报「本学年交流轮岗」", report.declared))]
        ss.write_table(wb.add_worksheet("交流轮岗比例"), st, 0, columns, rows, freeze_cols=1)
        moves = [[m.teacher_id, names.get(m.from_school, m.from_school), m.from_school,
                  names.get(m.to_school, m.to_school), m.to_school, "是" if m.backbone else "否",
                  "是" if m.declared else "否"] for m in report.moves]
        ss.write_table(wb.add_worksheet("调动名单"), st, 0, [
            Column("教师编号", "id"), Column("调出学校"), Column("调出学校标识码", "id"), Column("调入学校"),
            Column("调入学校标识码", "id"), Column("骨干教师", "text", 9), Column("已填报交流轮岗", "text", 10)],
            moves, freeze_cols=1)
        _matrix(wb.add_worksheet("调动矩阵"), report, names, st)
        rows = [[names.get(r.school_code, r.school_code), r.school_code, r.teachers, r.eligible, r.declared,
                 r.share, r.declared_backbone, r.moved_in, r.moved_out] for r in report.by_school]
        ss.write_table(wb.add_worksheet("各校交流轮岗"), st, 0, [
            Column("学校"), Column("学校标识码", "id"), Column("专任教师", "int"), Column("符合交流条件", "int"),
            Column("填报交流轮岗", "int"), Column("交流轮岗比例", "pct"), Column("其中骨干教师", "int"),
            Column("名册调入", "int"), Column("名册调出", "int")], rows, freeze_cols=1)
        rows = [[d.teacher_id, names.get(d.school_code, d.school_code),
                 names.get(d.previous_school, d.previous_school or ""), d.text] for d in report.disagreements]
        ss.write_table(wb.add_worksheet("填报与实际不一致"), st, 0, [
            Column("教师编号", "id"), Column("学校"), Column("上一学年学校"), Column("说明", "wrap", 60)],
            rows, freeze_cols=1)
        ss.add_notes_sheet(wb, st, title, [
            ("交流轮岗比例", "两种口径：按上一学年与本学年教师名册比对出的实际调动，以及按本学年填报的"
                           "「本学年交流轮岗」。比例 = 交流轮岗人数 ÷ 符合交流条件人数；骨干占比 = 其中骨干教师 ÷ "
                           "交流轮岗人数。"),
            ("调动名单", "每位调动的教师一行：调出、调入学校，是否骨干教师，是否已填报交流轮岗。"),
            ("调动矩阵", "行为调出学校、列为调入学校，格子中为调动人数。"),
            ("各校交流轮岗", "本学年每所学校一行：义务教育专任教师、符合交流条件和填报交流轮岗的人数、比例"
                           "（填报交流轮岗 ÷ 符合交流条件，与全县口径相同），以及按两年名册比对的调入、调出人数。"),
            ("填报与实际不一致", "名册显示调动但未填报交流轮岗，或填报了交流轮岗但名册中没有调动的教师。"),
        ])
    finally:
        ss.close(wb)


def _matrix(ws: Worksheet, report: FlowReport, names: dict[str, str], st: Styles) -> None:
    schools = sorted({s for a, row in report.matrix.items() for s in (a, *row)})
    columns = [Column("调出＼调入", "text", max([12.0] + [ss.text_width(names.get(s, s)) + 2 for s in schools]))]
    columns += [Column(names.get(s, s), "int", 12) for s in schools]
    rows = [[names.get(a, a), *(report.matrix.get(a, {}).get(b) or "" for b in schools)] for a in schools]
    ss.write_table(ws, st, 0, columns, rows, freeze_cols=1)
