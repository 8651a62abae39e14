"""`junheng groups --out 集团.xlsx`: each education group's member schools against the
lead school, the CV inside each group against the county's, and whether the gap
narrows year by year (成员学校, 集团内差异系数, 逐年变化, 说明). Look and feel:
:mod:`junheng.reports.renderers.sheet_style`."""

from __future__ import annotations

from pathlib import Path

from junheng.analysis.groups import GroupsReport
from junheng.core.facts import STAGE_ZH
from junheng.reports.renderers import sheet_style as ss
from junheng.reports.renderers.sheet_style import Column, Styled

NOTES = [
    ("成员学校", "每个集团每个学段的每所成员学校一行：是否牵头学校、在校生、各项指标的值，"
                "以及相当于牵头学校的百分比（100% 表示与牵头学校一样）。"),
    ("集团内差异系数", "每个集团每个学段：集团内各项指标的差异系数、平均差异系数，以及全县的平均差异系数。"),
    ("逐年变化", "有往年数据时，每个集团每个学段逐年的集团内平均差异系数和是否逐年缩小。"),
]
DEFINITIONS = [
    ("相当于牵头学校", "成员学校的指标值 ÷ 牵头学校的指标值。"),
    ("集团内差异系数", "集团内各校指标值的标准差 ÷ 均值（按学生数加权，与全县的算法相同）；"
                      "平均差异系数为各项指标差异系数的平均数，越小说明集团内越均衡。"),
]
VALUE = "#,##0.00"


def write_groups_xlsx(report: GroupsReport, path: str | Path) -> None:
    title = f"{report.school_year} 学年集团化办学"
    wb, st = ss.open_workbook(path, title=title, subject="教育集团内学校与牵头学校的比较")
    try:
        ids, names = report.indicators, report.names
        columns = [Column("教育集团"), Column("学段", "text", 7), Column("学校标识码", "id"), Column("学校名称"),
                   Column("牵头学校", "text", 9), Column("在校生", "int")]
        columns += [Column(f"{i} {names.get(i, i)}", VALUE, 13) for i in ids]
        columns += [Column(f"{i} 相当于牵头学校", "pct", 13) for i in ids]
        rows = []
        for g in report.groups:
            for stage in g.stages:
                for m in stage.members:
                    rows.append([g.name, STAGE_ZH[stage.stage], m.school_code, m.name, "是" if m.is_lead else "否",
                                 m.students, *(m.values.get(i) for i in ids),
                                 *(m.to_lead.get(i) for i in ids)])
        ss.write_table(wb.add_worksheet("成员学校"), st, 0, columns, rows, freeze_cols=4)

        columns = [Column("教育集团"), Column("学段", "text", 7), Column("牵头学校")]
        columns += [Column(f"{i} {names.get(i, i)}", "cv", 12) for i in ids]
        columns += [Column("集团内平均差异系数", "cv", 12), Column("全县平均差异系数", "cv", 12),
                    Column("与全县比较", "text", 16)]
        rows = []
        for g in report.groups:
            for stage in g.stages:
                better = (None if stage.mean_cv is None or stage.county_mean_cv is None
                          else stage.mean_cv <= stage.county_mean_cv)
                rows.append([g.name, STAGE_ZH[stage.stage], g.lead_name or "（无）",
                             *(stage.cvs.get(i) for i in ids), stage.mean_cv, stage.county_mean_cv,
                             {True: "√ 不高于全县", False: "× 高于全县", None: "—"}[better]])
        ss.write_table(wb.add_worksheet("集团内差异系数"), st, 0, columns, rows, freeze_cols=2)

        years = sorted({y for t in report.trends for y in t.years})
        columns = [Column("教育集团"), Column("学段", "text", 7)]
        columns += [Column(f"{y} 学年", "cv", 11) for y in years]
        columns += [Column("是否逐年缩小", "text", 16)]
        rows = []
        for t in report.trends:
            by_year = dict(zip(t.years, t.mean_cv, strict=True))
            word = {True: "√ 逐年缩小", False: "× 未逐年缩小", None: "？ 年份不足"}[t.narrowing]
            rows.append([t.name, STAGE_ZH[t.stage], *(by_year.get(y) for y in years),
                         Styled(word, None if t.narrowing is not False else "fail")])
        ss.write_table(wb.add_worksheet("逐年变化"), st, 0, columns, rows, freeze_cols=2)
        ss.add_notes_sheet(wb, st, title, NOTES,
                           [*DEFINITIONS, ("未加入集团的学校", f"本学年 {report.ungrouped} 所学校未加入教育集团。")])
    finally:
        ss.close(wb)
