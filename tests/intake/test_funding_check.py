"""生均一般公共预算教育经费 typed and computed (issue 16): when a workbook gives both the
教育经费统计 number and the stage's 一般公共预算教育支出, intake warns if they differ
beyond the template's tolerance, naming both cells and values — by hand."""

from __future__ import annotations

from junheng.analysis.factsheet import build_factsheet
from junheng.core.engine import evaluate
from junheng.core.issues import Severity
from junheng.intake import read_county_workbook
from junheng.standards import load_standard
from junheng.templates.spec import load_template_spec

from .books import book, valid_sheets

TYPED, SPENT = "小学生均一般公共预算教育经费（元）", "小学一般公共预算教育支出（万元）"


def sheets(typed: float | None, spent: float | None):
    out = valid_sheets()  # 小学在校生 80 + 40 = 120 in 「学校」 column H
    out["县级指标"] += [[TYPED, typed], [SPENT, spent]]  # rows 9 and 10
    return out


def mismatches(result):
    return [i for i in result.report.issues if i.code == "per-student-spending-mismatch"]


def test_a_gap_beyond_the_tolerance_is_a_located_warning_with_both_values(tmp_path):
    # 180 万元 × 10000 ÷ 120 = 15,000 元 against a typed 14,000: 1,000 ÷ 14,000 = 7.1 % > 5 %
    result = read_county_workbook(book(tmp_path, sheets(14000, 180)))
    [issue] = mismatches(result)
    assert (issue.severity, issue.sheet, issue.row, issue.column, issue.value) == (Severity.WARNING, "县级指标", 9,
                                                                                   "B", 14000)
    assert issue.message.startswith(f"县级指标 第9行 B列「{TYPED}」的值 14000 元与按教育支出计算的小学生均 15000.00 元"
                                    "相差 7.1%（超过允许的 5%）")
    assert f"县级指标 第10行 B列「{SPENT}」 180 万元 × 10000 ÷ 学校 H列「小学在校生数（人）」合计 120 人" in issue.message
    assert result.ok  # a warning: the workbook still evaluates, on the typed number
    fs = build_factsheet(result.data, evaluate(result.data, load_standard("yzjh-2017")))
    assert fs.value("per_student_spending.primary") == 14000


def test_within_the_tolerance_or_one_of_the_two_blank_no_warning(tmp_path):
    assert mismatches(read_county_workbook(book(tmp_path, sheets(15500, 180)))) == []  # 500 ÷ 15,500 = 3.2 %
    assert mismatches(read_county_workbook(book(tmp_path, sheets(14000, None)))) == []
    assert mismatches(read_county_workbook(book(tmp_path, sheets(None, 180)))) == []


def test_the_tolerance_is_a_setting_of_the_template(tmp_path):
    spec = load_template_spec()
    assert spec.plausibility.per_student_spending_tolerance == 0.05
    wider = spec.model_copy(update={"plausibility": spec.plausibility.model_copy(
        update={"per_student_spending_tolerance": 0.08})})
    assert mismatches(read_county_workbook(book(tmp_path, sheets(14000, 180)), spec=wider)) == []
    off = spec.model_copy(update={"plausibility": spec.plausibility.model_copy(
        update={"per_student_spending_tolerance": None})})
    assert mismatches(read_county_workbook(book(tmp_path, sheets(10000, 180)), spec=off)) == []
