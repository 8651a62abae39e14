"""The fact sheet's funding figures beyond 教育支出 and 生均: 一般公共预算支出 and the
share of it spent on education, per-student spending by stage (一般公共预算教育经费
and 公用经费, as the 教育经费统计 reports them) and 编外 teacher pay; all from the
「县级指标」 sheet, ``None`` where the workbook leaves them blank."""

from __future__ import annotations

from junheng.core.facts import CountyData

# (figure id, value, source, numerator, denominator): put into the fact sheet as they are
Entry = tuple[str, float | None, str, float | None, float | None]

FUNDING_STAGES = ("primary", "junior", "senior", "preschool")
SRC = "「县级指标」表"


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def funding_figures(data: CountyData) -> list[Entry]:
    facts = data.facts
    out: list[Entry] = []

    def put(fid: str, value: float | None, source: str, numerator: float | None = None,
            denominator: float | None = None) -> None:
        out.append((fid, value, source, numerator, denominator))

    general = _number(facts.get("general_spending"))
    spending = _number(facts.get("edu_spending"))
    put("general_spending", general, SRC)
    put("edu_spending_share", spending / general if spending is not None and general else None,
        f"{SRC}：一般公共预算教育支出 ÷ 一般公共预算支出", spending, general)
    for k in FUNDING_STAGES:
        put(f"budget_per_student.{k}", _number(facts.get(f"budget_per_student_{k}")), SRC)
        put(f"public_funds_per_student.{k}", _number(facts.get(f"public_funds_per_student_{k}")), SRC)
    pay, teachers = _number(facts.get("contract_teacher_avg_pay")), _number(facts.get("teacher_avg_pay"))
    put("contract_teacher_pay", pay, SRC)
    put("contract_teacher_pay_ratio", pay / teachers if pay is not None and teachers else None,
        f"{SRC}：编外教师年平均工资收入 ÷ 教师年平均工资收入", pay, teachers)
    put("contract_teacher_pay_total", _number(facts.get("contract_teacher_pay_total")), SRC)
    return out
