"""生均一般公共预算教育经费 typed and computed: one figure per stage (issue 16).

The fact sheet's ``per_student_spending.<stage>`` is the 教育经费统计 number typed in
「县级指标」 (小学生均一般公共预算教育经费 …) when given, else the stage's 一般公共预算
教育支出 × 10000 ÷ its students in 「学校」 (``analysis.factsheet_funding``). When the
workbook gives both and they differ by more than the template's tolerance
(``plausibility.per_student_spending_tolerance``, relative to the typed number), a
warning names the cells and both values: one of them is probably mistyped, or the two
were taken from different 口径 (决算 and 预算, 在校生 of different dates)."""

from __future__ import annotations

from junheng.intake.recorder import IssueRecorder, location, show
from junheng.intake.sheets import KeyValues, Table
from junheng.templates.spec import TemplateSpec

STAGES = {"primary": ("小学", "primary_students"), "junior": ("初中", "junior_students")}


def check_per_student_spending(tables: dict[str, Table], items: dict[str, KeyValues], spec: TemplateSpec,
                               recorder: IssueRecorder) -> None:
    county, schools = items.get("facts"), tables.get("schools")  # facts: the 「县级指标」 sheet
    tolerance = spec.plausibility.per_student_spending_tolerance
    if county is None or schools is None or tolerance is None:
        return
    for stage, (zh, column) in STAGES.items():
        typed, spent = county.values.get(f"budget_per_student_{stage}"), county.values.get(f"edu_spending_{stage}")
        if typed is None or spent is None or column not in schools.values:
            continue
        students = sum(n for n in schools.values[column] if n is not None)
        if not students:
            continue
        computed = spent * 10000 / students
        if abs(computed - typed) <= tolerance * typed:
            continue
        ref, spent_ref = county.refs[f"budget_per_student_{stage}"], county.refs[f"edu_spending_{stage}"]
        letter, header = schools.locate(column)
        recorder.add("per-student-spending-mismatch", sheet=ref.sheet, row=ref.row, column=ref.column,
                     header=ref.header, value=typed, stage=zh,
                     spent_at=location(spent_ref.sheet, spent_ref.row, spent_ref.column, spent_ref.header),
                     spent=show(spent), students_at=f"{schools.sheet} {letter}列「{header}」",
                     students=show(students), computed=f"{computed:.2f}",
                     gap=f"{abs(computed - typed) / typed * 100:.1f}", tolerance=f"{tolerance * 100:g}")
