"""The fact-sheet figures a bureau's 行动方案 names as targets (issue 15 §2), added to
the one fact sheet by :func:`add_measure_figures` after the basic counts are in.

Every figure here is derived from counts already on the sheet or from the evaluation
(never counted a second time): 资源配置达标学校比例 = ``parts.passed ÷ parts``,
高学历教师占比 = ``above_degree_teachers ÷ teachers``, and so on. Each indicator of
the loaded standard gets ``indicator.<id>`` (the share of school parts meeting it) and
each numeric item ``item.<id>`` (the value it was judged on).
"""

from __future__ import annotations

from typing import Any

from junheng.analysis.afterschool import afterschool_year
from junheng.analysis.figure_catalogue import indicator_definition, item_definition
from junheng.core.facts import CountyData, SchoolType, Stage
from junheng.core.result import Evaluation

# The sheet is analysis.factsheet.FactSheet, which calls this module: typed loosely so the
# two modules do not import each other (DESIGN.md).
FactSheet = Any

STAGES = (Stage.PRIMARY, Stage.JUNIOR)


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def add_measure_figures(sheet: FactSheet, data: CountyData, evaluation: Evaluation) -> None:
    sheet.share("parts.passed_share", "parts.passed", "parts")
    for st in STAGES:
        sheet.share(f"parts.passed_share.{st.value}", f"parts.passed.{st.value}", f"parts.{st.value}")
    sheet.share("above_degree_share", "above_degree_teachers", "teachers")
    _groups(sheet, data)
    _afterschool(sheet, data)
    _money(sheet, data)
    _indicators(sheet, evaluation)
    _items(sheet, evaluation)


def _groups(sheet: FactSheet, data: CountyData) -> None:
    named = [s for s in data.schools if s.group and (s.compulsory_students > 0 or s.school_type is SchoolType.SPECIAL)]
    sheet.put("group_students", sum(s.compulsory_students for s in named) if named else None,
              "「学校」表「教育集团」列")
    sheet.share("group_student_coverage", "group_students", "students")


def _afterschool(sheet: FactSheet, data: CountyData) -> None:
    # 开展课后服务 blank is unknown (analysis.afterschool): the coverage counts filled schools only.
    year = afterschool_year(data)
    known = len(year.known) if year.columns_present and year.known else None
    sheet.put("afterschool_known_schools", known, "「学校」表课后服务列")
    sheet.share("afterschool_coverage", "afterschool_schools", "afterschool_known_schools")


def _money(sheet: FactSheet, data: CountyData) -> None:
    facts = data.facts
    prev = _number(facts.get("edu_spending_prev"))
    prev_students = _number(facts.get("students_total_prev"))
    src = "「县级指标」表"
    sheet.put("spending_prev", prev, src)
    now = sheet.value("spending")
    sheet.put("spending_growth", now - prev if now is not None and prev is not None else None,
              "本年 − 上年（「县级指标」表）")
    per_prev = prev * 10000 / prev_students if prev is not None and prev_students else None
    sheet.put("per_student_spending_prev", per_prev, "「县级指标」表：上年教育支出 × 10000 ÷ 上年在校学生数",
              numerator=None if prev is None else prev * 10000, denominator=prev_students)
    per = sheet.value("per_student_spending")
    sheet.put("per_student_spending_growth", per - per_prev if per is not None and per_prev is not None else None,
              "本年生均 − 上年生均")
    for st in STAGES:  # per_student_spending.<stage>: analysis.factsheet_funding (one figure per stage)
        sheet.put(f"spending.{st.value}", _number(facts.get(f"edu_spending_{st.value}")), src)


def _indicators(sheet: FactSheet, ev: Evaluation) -> None:
    ids: list[str] = []
    for s in ev.schools:
        ids += [i for i in s.indicators if i not in ids]
    for i in ids:
        judged = [s.indicators[i] for s in ev.schools if i in s.indicators]
        met = sum(1 for r in judged if r.met)
        meta = ev.indicator_meta.get(i, {})
        name = meta.get("short_name") or meta.get("name") or i
        sheet.put(f"indicator.{i}", met / len(judged) if judged else None, "评估结果", numerator=met,
                  denominator=len(judged), definition=indicator_definition(i, name))


def _items(sheet: FactSheet, ev: Evaluation) -> None:
    for i, r in ev.items.items():
        value = _number(r.value)
        if value is None:
            continue  # a yes/no item (fact_true …) or not evaluable: no number to track
        sheet.put(f"item.{i}", value, "评估结果", definition=item_definition(i, r.name))
