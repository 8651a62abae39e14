"""Trend and teacher-flow workbooks (XlsxWriter): what `junheng trend --out` and
`junheng flows --out` write for bureau staff to keep and print."""

from __future__ import annotations

from pathlib import Path

import xlsxwriter
from xlsxwriter.workbook import Workbook
from xlsxwriter.worksheet import Worksheet

from junheng.core.facts import STAGE_ZH, Stage
from junheng.core.flows import FlowReport
from junheng.core.trend import TrendYear

EVENT_ZH = {"opened": "新增", "closed": "撤销/停办", "merged": "合并", "renamed": "更名"}


def trend_rows(years: list[TrendYear]) -> list[tuple[str, list[object], str]]:
    """(label, value per year, number format) — shared by the terminal and the workbook."""
    rows: list[tuple[str, list[object], str]] = [
        ("认定结论", ["认定" if y.recognised else "不予认定" for y in years], "text"),
        ("数据版本", [y.version if y.version is not None else "未入库" for y in years], "int"),
        ("达标学校（校·学段）", [f"{y.schools_passed}/{y.schools_total}" for y in years], "text"),
        ("未达标项目", ["、".join(y.failing_items) or "无" for y in years], "text"),
    ]
    stages = sorted({s for y in years for s in y.cv}, key=lambda s: list(Stage).index(Stage(s)))
    for stage in stages:
        ids = sorted({i for y in years for i in y.cv.get(stage, {})})
        for i in ids:
            rows.append((f"{STAGE_ZH[Stage(stage)]}差异系数 {i}", [y.cv.get(stage, {}).get(i) for y in years], "cv"))
        rows.append((f"{STAGE_ZH[Stage(stage)]}差异系数全部达标",
                     [{True: "是", False: "否", None: "—"}[y.cv_passed.get(stage)] for y in years], "text"))
    rows += [
        ("班级数", [y.classes for y in years], "int"),
        ("大班额占比（56—65人）", [y.large_share for y in years], "pct"),
        ("超大班额占比（≥66人）", [y.super_large_share for y in years], "pct"),
        ("专任教师数（义务教育）", [y.teachers for y in years], "int"),
        ("骨干教师占比", [y.backbone_share for y in years], "pct"),
        ("高于规定学历教师占比", [y.above_degree_share for y in years], "pct"),
        ("学位数（标准班数×标准班额）", [y.capacity for y in years], "int"),
        ("新增学位", [y.new_places for y in years], "int"),
        ("一般公共预算教育支出（万元）", [y.funding.spending for y in years], "num"),
        ("生均一般公共预算教育支出（元）",
         [None if y.funding.per_student is None else y.funding.per_student * 10000 for y in years], "num"),
        ("两个只增不减", [y.funding.verdict for y in years], "text"),
    ]
    return rows


def write_trend_table(wb: Workbook, ws: Worksheet, row: int, years: list[TrendYear],
                      headers: list[str] | None = None) -> int:
    """The rows of :func:`trend_rows` from ``row`` on (numbers as numbers, formatted);
    returns the next free row. Shared by the trend workbook and the result workbook."""
    fmt = {"pct": wb.add_format({"num_format": "0.0%"}), "cv": wb.add_format({"num_format": "0.000"}),
           "num": wb.add_format({"num_format": "#,##0.00"}), "int": None, "text": None}
    bold = wb.add_format({"bold": True})
    ws.write_row(row, 0, ["指标", *(headers or [f"{y.school_year} 学年" for y in years])], bold)
    r = row
    for r, (label, values, kind) in enumerate(trend_rows(years), start=row + 1):
        ws.write(r, 0, label)
        for c, v in enumerate(values, start=1):
            if v is None:
                ws.write(r, c, "—")
            else:
                ws.write(r, c, v, fmt[kind])
    ws.set_column(0, 0, 30)
    ws.set_column(1, len(years), 16)
    return r + 1


def write_events_table(wb: Workbook, ws: Worksheet, row: int, events) -> int:
    """Schools opened, closed, merged and renamed, from ``row`` on; the next free row."""
    ws.write_row(row, 0, ["学年", "变动", "学校标识码", "学校名称", "并入学校", "说明"], wb.add_format({"bold": True}))
    for r, e in enumerate(events, start=row + 1):
        ws.write_row(r, 0, [e.school_year, EVENT_ZH[e.kind], e.code, e.name, e.into_name or "", e.text])
    return row + 1 + len(events)


def write_trend_xlsx(county: str, years: list[TrendYear], events, path: str | Path) -> None:
    wb = xlsxwriter.Workbook(str(path))
    try:
        bold = wb.add_format({"bold": True})
        ws = wb.add_worksheet("趋势")
        ws.write(0, 0, f"{county} 历年指标", bold)
        write_trend_table(wb, ws, 1, years)
        fs = wb.add_worksheet("两个只增不减")
        fs.write_row(0, 0, ["学年", "教育支出（万元）", "上年（万元）", "上年数据来源", "生均（元）", "上年生均（元）",
                            "支出只增不减", "生均只增不减", "结论", "说明"], bold)
        for r, y in enumerate(years, start=1):
            f = y.funding
            fs.write_row(r, 0, [
                y.school_year, f.spending, f.spending_prev,
                {"stored": "数据库中上一学年", "declared": "本年填报的上年数", None: "—"}[f.prev_source],
                None if f.per_student is None else f.per_student * 10000,
                None if f.per_student_prev is None else f.per_student_prev * 10000,
                {True: "是", False: "否", None: "—"}[f.spending_ok],
                {True: "是", False: "否", None: "—"}[f.per_student_ok], f.verdict, "；".join(f.notes)])
        fs.set_column(0, 9, 16)
        es = wb.add_worksheet("学校变动")
        write_events_table(wb, es, 0, events)
        es.set_column(0, 5, 18)
    finally:
        wb.close()


def write_flows_xlsx(report: FlowReport, names: dict[str, str], path: str | Path) -> None:
    wb = xlsxwriter.Workbook(str(path))
    try:
        bold = wb.add_format({"bold": True})
        pct = wb.add_format({"num_format": "0.0%"})
        ws = wb.add_worksheet("交流轮岗比例")
        ws.write_row(0, 0, ["口径", "交流轮岗人数", "符合交流条件人数", "比例", "其中骨干教师", "骨干占比", "结论"], bold)
        for r, (label, s) in enumerate((("名册实际调动", report.real), ("填报「本学年交流轮岗」", report.declared)), 1):
            ws.write_row(r, 0, [label, s.rotated, s.eligible])
            ws.write(r, 3, s.share if s.share is not None else "—", pct)
            ws.write(r, 4, s.backbone_rotated)
            ws.write(r, 5, s.backbone_share if s.backbone_share is not None else "—", pct)
            ws.write(r, 6, {True: "达到", False: "未达到", None: "无法判断"}[s.ok])
        ws.set_column(0, 6, 18)
        ms = wb.add_worksheet("调动名单")
        ms.write_row(0, 0, ["教师编号", "调出学校", "调入学校", "骨干教师", "已填报交流轮岗"], bold)
        for r, m in enumerate(report.moves, start=1):
            ms.write_row(r, 0, [m.teacher_id, names.get(m.from_school, m.from_school),
                                names.get(m.to_school, m.to_school), "是" if m.backbone else "否",
                                "是" if m.declared else "否"])
        ms.set_column(0, 4, 22)
        xs = wb.add_worksheet("调动矩阵")
        schools = sorted({s for a, row in report.matrix.items() for s in (a, *row)})
        xs.write(0, 0, "调出＼调入", bold)
        for c, s in enumerate(schools, start=1):
            xs.write(0, c, names.get(s, s), bold)
        for r, a in enumerate(schools, start=1):
            xs.write(r, 0, names.get(a, a), bold)
            for c, b in enumerate(schools, start=1):
                n = report.matrix.get(a, {}).get(b)
                if n:
                    xs.write(r, c, n)
        xs.set_column(0, len(schools), 16)
        ds = wb.add_worksheet("填报与实际不一致")
        ds.write_row(0, 0, ["教师编号", "学校", "上一学年学校", "说明"], bold)
        for r, d in enumerate(report.disagreements, start=1):
            ds.write_row(r, 0, [d.teacher_id, names.get(d.school_code, d.school_code),
                                names.get(d.previous_school, d.previous_school or ""), d.text])
        ds.set_column(0, 3, 24)
    finally:
        wb.close()
