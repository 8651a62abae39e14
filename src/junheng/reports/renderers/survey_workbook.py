"""`junheng survey design --out 抽样名单.xlsx`: each group's sample size, the sampling
list per school (population, valid questionnaires wanted, codes to hand out), and an
empty response sheet for answers collected with another tool (the import format).
Look and feel: :mod:`junheng.reports.renderers.sheet_style`."""

from __future__ import annotations

from pathlib import Path

from junheng.analysis.survey_design import (
    COUNTY_LEVEL_ZH,
    GROUPS,
    SCHOOL_GROUPS,
    Questionnaire,
    SurveyDesign,
)
from junheng.reports.renderers import sheet_style as ss
from junheng.reports.renderers.sheet_style import Column

NOTES = [
    ("样本量", "每个调查群体的总体人数、所需有效问卷数（样本量）和应发放的调查码数。"),
    ("抽样名单", "每所学校每个群体一行：总体人数、应收回的有效问卷数、应发放的调查码数。人大代表、政协委员、"
               "其他群众不按学校抽样，列为「全县」。学校在名单人数内随机选取受访者（如按学号、工号随机抽取）。"),
    ("答卷录入", "用其他工具（纸质问卷、问卷星等）收集答卷时，按本表格式每名受访者一行录入，"
               "再用 junheng survey import 导入。群体从下拉框选择；学生、家长、教师、校长须填学校代码。"),
]


def write_design_xlsx(design: SurveyDesign, questionnaire: Questionnaire, path: str | Path) -> None:
    s = design.settings
    title = f"{design.county_name} {design.school_year} 学年社会认可度调查抽样"
    wb, st = ss.open_workbook(path, title=title, subject="社会认可度调查的样本量与抽样名单")
    try:
        columns = [Column("调查对象"), Column("总体人数", "int"), Column("所需有效问卷", "int"),
                   Column("发放调查码", "int"), Column("抽样方式", "text", 40)]
        rows = [[GROUPS[g.group], g.population, g.sample, g.codes,
                 "按学校人数比例分配" if g.group in SCHOOL_GROUPS else "全县抽样"] for g in design.groups]
        ws = wb.add_worksheet("样本量")
        ss.write_table(ws, st, 0, columns, rows)
        ss.label_rows(ws, st, len(rows) + 3, [
            ("置信水平", f"{s.confidence:.0%}"), ("允许误差", f"±{s.margin:.0%}"),
            ("预计认可比例", f"{s.expected_share:.0%}"), ("预计回收率", f"{s.response_rate:.0%}")])
        columns = [Column("学校标识码", "id"), Column("学校名称"), Column("调查对象", "text", 10),
                   Column("总体人数", "int"), Column("应收回有效问卷", "int"), Column("应发放调查码", "int")]
        rows = [[r.school_code or "全县", r.school_name if r.school_code else COUNTY_LEVEL_ZH, GROUPS[r.group],
                 r.population, r.sample, r.codes] for r in design.rows]
        ss.write_table(wb.add_worksheet("抽样名单"), st, 0, columns, rows, freeze_cols=2)
        _response_sheet(wb, st, questionnaire, design)
        ss.add_notes_sheet(wb, st, title, NOTES, [
            ("样本量", "n₀ = z²·p(1−p)/e²（z 为置信水平对应的正态分位数，p 为预计认可比例，e 为允许误差）；"
                      "总体人数为 N 时 n = n₀ ÷ (1 + (n₀ − 1)/N)，向上取整，不超过 N。"),
            ("发放调查码", "每校分到的有效问卷 ÷ 预计回收率，向上取整，不超过该校人数；群体的发放数为各校之和。"),
            ("分配到学校", "按各校该群体人数比例分配（最大余数法），每校不超过其人数。"),
        ])
    finally:
        ss.close(wb)


def _response_sheet(wb, st, q: Questionnaire, design: SurveyDesign) -> None:
    ws = wb.add_worksheet("答卷录入")
    head = ["群体", "学校代码"] + [f"第{n}题" for n in range(1, len(q.items) + 1)]
    for c, h in enumerate(head):
        ws.write_string(0, c, h, st.head)
    ws.set_column(0, 1, 12)
    ws.set_column(2, len(head) - 1, 8)
    groups = [GROUPS[g] for g in design.settings.groups]
    ws.data_validation(1, 0, 5000, 0, {"validate": "list", "source": groups,
                                      "error_message": "请从下拉框选择群体"})
    ws.data_validation(1, 2, 5000, len(head) - 1, {
        "validate": "list", "source": [a.label for a in q.scale],
        "error_message": "请从下拉框选择答案（或留空表示未答）"})
    ws.freeze_panes(1, 2)
    items = wb.add_worksheet("题目")
    for c, h in enumerate(("题号", "编号", "方面", "题目", "哪些群体回答")):
        items.write_string(0, c, h, st.head)
    for n, i in enumerate(q.items, start=1):
        who = "全部" if i.groups is None else "、".join(GROUPS[g] for g in i.groups)
        for c, v in enumerate((f"第{n}题", i.id, i.dimension, i.text, who)):
            items.write_string(n, c, v, st.wrap)
    items.set_column(0, 2, 12)
    items.set_column(3, 3, 70)
    items.set_column(4, 4, 30)
