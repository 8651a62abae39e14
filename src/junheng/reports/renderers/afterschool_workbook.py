"""`junheng afterschool --out 双减.xlsx`: 课后服务 by school, the reduction of
学科类校外培训机构 and the change year by year (课后服务, 培训机构压减, 逐年变化, 说明).
Look and feel: :mod:`junheng.reports.renderers.sheet_style`."""

from __future__ import annotations

from pathlib import Path

from junheng.analysis.afterschool import AfterschoolReport
from junheng.reports.renderers import sheet_style as ss
from junheng.reports.renderers.sheet_style import Column, Styled

NOTES = [
    ("课后服务", "每所义务教育学校一行：在校生、是否开展课后服务、参加课后服务学生数和参与率；最后一行为全县合计。"),
    ("培训机构压减", "学科类校外培训机构（线下、线上、合计）在“双减”前的数量、现有数量和压减率。"),
    ("逐年变化", "有往年数据时每个学年一行：课后服务覆盖率、参与率、线下和线上培训机构数。"),
]
DEFINITIONS = [
    ("课后服务覆盖率", "开展课后服务的学校数 ÷ 填写了是否开展的义务教育学校数；国家目标 100%。"),
    ("课后服务参与率", "参加课后服务的学生数 ÷ 在校生数。"),
    ("压减率", "（双减前机构数 − 现有机构数）÷ 双减前机构数。"),
]


def write_afterschool_xlsx(report: AfterschoolReport, path: str | Path) -> None:
    y = report.current
    title = f"{y.school_year} 学年“双减”情况"
    wb, st = ss.open_workbook(path, title=title, subject="课后服务与学科类校外培训机构压减")
    try:
        offers = {True: ss.mark("是", True), False: Styled(ss.mark("否", False), "fail"), None: "未填写"}
        rows = [[s.school_code, s.name, s.students, offers[s.offers], s.participants, s.participation]
                for s in y.schools]
        ws = wb.add_worksheet("课后服务")
        columns = [Column("学校标识码", "id"), Column("学校名称"), Column("在校生", "int"),
                   Column("开展课后服务", "text", 16), Column("参加课后服务学生数", "int", 12), Column("参与率", "pct")]
        r = ss.write_table(ws, st, 0, columns, rows, freeze_cols=2)
        # The county's total under the table, outside the filter (sorting leaves it last).
        total = ["", "全县合计", y.students, f"开展 {y.offering} 所，共 {len(y.known)} 所",
                 y.participants if y.columns_present else None, y.participation]
        for c, (col, value) in enumerate(zip(columns, total, strict=True)):
            ss.write_value(ws, st, r, c, value, col.kind, bold=True)
        ss.write_table(wb.add_worksheet("培训机构压减"), st, 0, [
            Column("类别", "text", 8), Column("双减前（个）", "int", 12), Column("现有（个）", "int", 12),
            Column("压减率", "pct")], [[x.channel, x.before, x.now, x.rate] for x in y.reductions], freeze_cols=1)
        rows = [[x.school_year, x.coverage, x.participation,
                 *(c.now for c in x.reductions[:2])] for x in report.years or [y]]
        ss.write_table(wb.add_worksheet("逐年变化"), st, 0, [
            Column("学年", "year", 8), Column("课后服务覆盖率", "pct", 12), Column("课后服务参与率", "pct", 12),
            Column("线下培训机构（个）", "int", 12), Column("线上培训机构（个）", "int", 12)], rows, freeze_cols=1)
        ss.add_notes_sheet(wb, st, title, NOTES, DEFINITIONS)
    finally:
        ss.close(wb)
