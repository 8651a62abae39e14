"""`junheng places --out 学位.xlsx`: school places, 大班额, the survival ratios and the
forecast as a workbook a bureau can filter by school and year (学位容量, 大班额,
大班额学校, 升级率, 预测, 说明). Look and feel: :mod:`junheng.reports.renderers.sheet_style`."""

from __future__ import annotations

from pathlib import Path

from junheng.analysis.places import ForecastRow, PlacesReport
from junheng.core.facts import STAGE_ZH
from junheng.reports.renderers import sheet_style as ss
from junheng.reports.renderers.sheet_style import Column, Styled

NOTES = [
    ("学位容量", "每所学校每个学段一行：在校生、现有班数、标准班数、学位数和剩余学位（学位数 − 在校生，负数为学位不足）；"
                "有上一学年数据时另列较上年新增学位。"),
    ("大班额", "各学段和合计的班级数、大班额（56—65 人）和超大班额（66 人及以上）班数及占比。"),
    ("大班额学校", "有大班额或超大班额的学校及班数。"),
    ("升级率", "预测用的年级升级率：有上一学年数据时按实际计算，否则年级之间按 100%，小升初按本年初一与六年级人数之比。"),
    ("预测", "今后各学年每所学校每个学段的预测在校生（按年级逐年升级）、按标准班额需要的班数、标准班数、学位数，"
            "以及是否学位不足、班额将超标。学位数含「项目台账」中已立项、在建项目竣工后新增的学位（另列一列）。"),
    ("新建学校项目", "「项目台账」中尚无学校标识码的新建学校（已立项、在建）：竣工年份和各学段学位；不参与逐校预测。"),
]
DEFINITIONS = [
    ("学位数", "标准班数 × 标准班额（小学 45 人、初中 50 人）。工作簿未填「标准班数」时暂按现有班数计算，"
              "「标准班数来源」一列写明。"),
    ("剩余学位", "学位数 − 在校生。"),
    ("需要班数", "各年级预测人数按标准班额分班后的班数之和。"),
    ("项目新增学位", "该校已立项、在建项目在该学年及以前竣工新增的学位；标准班数相应增加（学位 ÷ 标准班额，取整）。"),
]


def write_places_xlsx(report: PlacesReport, path: str | Path) -> None:
    title = f"{report.school_year} 学年学位与大班额"
    wb, st = ss.open_workbook(path, title=title, subject="学位容量、大班额和在校生预测")
    try:
        added = bool(report.added)
        columns = [Column("学校标识码", "id"), Column("学校名称"), Column("学段", "text", 7), Column("在校生", "int"),
                   Column("现有班数", "int"), Column("标准班数", "int"), Column("标准班数来源", "text", 14),
                   Column("学位数", "int"), Column("剩余学位", "int")]
        if added:
            columns.append(Column("较上年新增学位", "int"))
        rows = []
        for c in report.capacities:
            row = [c.school_code, c.school_name, STAGE_ZH[c.stage], c.students, c.classes, c.standard_classes,
                   "工作簿" if c.standard_from_workbook else "按现有班数", c.capacity,
                   Styled(c.spare, "fail" if c.spare < 0 else None)]
            if added:
                row.append(report.added.get((c.school_code, c.stage)))
            rows.append(row)
        ss.write_table(wb.add_worksheet("学位容量"), st, 0, columns, rows, freeze_cols=2)

        large = [["合计" if s.stage is None else STAGE_ZH[s.stage], s.classes, s.large, s.large_share,
                  s.super_large, s.super_large_share] for s in report.large]
        ss.write_table(wb.add_worksheet("大班额"), st, 0, [
            Column("学段", "text", 8), Column("班级数", "int"), Column("大班额（56—65人）", "int", 12),
            Column("大班额占比", "pct"), Column("超大班额（≥66人）", "int", 12), Column("超大班额占比", "pct")],
            large, freeze_cols=1)
        names = {c.school_code: c.school_name for c in report.capacities}
        by_school = [[code, names.get(code, code), a, b] for code, (a, b) in report.large_by_school.items()]
        ss.write_table(wb.add_worksheet("大班额学校"), st, 0, [
            Column("学校标识码", "id"), Column("学校名称"), Column("大班额班数", "int"), Column("超大班额班数", "int")],
            by_school, freeze_cols=2)

        survival = [[f"{g} 年级 → {g + 1} 年级", v] for g, v in report.survival.items()]
        ss.write_table(wb.add_worksheet("升级率"), st, 0, [Column("年级"), Column("升级率", "pct")], survival)

        ss.write_table(wb.add_worksheet("预测"), st, 0, [
            Column("学校标识码", "id"), Column("学校名称"), Column("学段", "text", 7), Column("学年", "year", 8),
            Column("预测在校生", "int"), Column("需要班数", "int"), Column("标准班数", "int"), Column("学位数", "int"),
            Column("学位缺口", "int"), Column("结论", "text", 24), Column("其中：项目新增学位", "int", 12)],
            [_forecast(x) for x in report.forecast], freeze_cols=2)
        if report.new_schools:
            ss.write_table(wb.add_worksheet("新建学校项目"), st, 0, [
                Column("项目名称", "text", 30), Column("学校名称", "text", 20), Column("竣工年份", "year", 8),
                Column("小学学位", "int"), Column("初中学位", "int"), Column("高中学位", "int")],
                [[p.name, p.school_name, p.finish_year, p.primary_places, p.junior_places, p.senior_places]
                 for p in report.new_schools])
        ss.add_notes_sheet(wb, st, title, NOTES, DEFINITIONS)
    finally:
        ss.close(wb)


def _forecast(x: ForecastRow) -> list:
    problems = []
    if x.over_capacity:
        problems.append("学位不足")
    if x.too_few_classrooms:
        problems.append("班额将超标")
    verdict = Styled(ss.mark("、".join(problems), False), "fail") if problems else ss.mark("够用", True)
    gap = x.students - x.capacity if x.over_capacity else ""  # blank: nothing missing
    return [x.school_code, x.school_name, STAGE_ZH[x.stage], x.year, x.students, x.classes_needed,
            x.standard_classes, x.capacity, gap, verdict, x.project_places or None]
