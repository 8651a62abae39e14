"""The fact sheet's funding figures beyond 教育支出 and 生均: 一般公共预算支出 and the
share of it spent on education, per-student spending by stage (一般公共预算教育经费
and 公用经费, as the 教育经费统计 reports them) and 编外 teacher pay; all from the
「县级指标」 sheet, ``None`` where the workbook leaves them blank.

生均一般公共预算教育经费 by stage is one figure, ``per_student_spending.<stage>``
(issue 16): the 教育经费统计 number typed in 县级指标 — the one 两个只增不减 (F3) and the
inspectors use — or, when it is blank, 小学/初中 一般公共预算教育支出 × 10000 ÷ the
stage's students of 「学校」. Its source says which; when both are given and differ
beyond the template's tolerance, intake warns (``intake.funding``)."""

from __future__ import annotations

from junheng.core.facts import CountyData

# (figure id, value, source, numerator, denominator): put into the fact sheet as they are
Entry = tuple[str, float | None, str, float | None, float | None]

FUNDING_STAGES = ("primary", "junior", "senior", "preschool")
SRC = "「县级指标」表"
STAGE_ZH = {"primary": "小学", "junior": "初中", "senior": "高中", "preschool": "学前"}
COMPUTABLE = ("primary", "junior")  # stages with an optional 一般公共预算教育支出 and counted students


# The per-stage figures of 分学段只增不减 (F3 教育经费, F4 公用经费), in the order the trends
# (历年趋势) list them; each with the 「县级指标」 fact of its 上年 number.
STAGE_FUNDING_IDS = tuple(f"{base}.{k}" for base in ("per_student_spending", "public_funds_per_student")
                          for k in FUNDING_STAGES)
_PREV_FACT = {f"{base}.{k}": f"{fact}_{k}_prev" for base, fact in (("per_student_spending", "budget_per_student"),
                                                                   ("public_funds_per_student", "public_funds_per_student"))
              for k in FUNDING_STAGES}


def declared_prev(data: CountyData) -> dict[str, float | None]:
    """This year's 上年 numbers of :data:`STAGE_FUNDING_IDS` as 「县级指标」 gives them."""
    return {fid: _number(data.facts.get(fact)) for fid, fact in _PREV_FACT.items()}


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def per_student_entry(data: CountyData, stage: str, students: float | None) -> Entry:
    """``per_student_spending.<stage>``: typed (教育经费统计口径) when given, else computed
    from the stage's 一般公共预算教育支出 (小学、初中) and ``students`` (「学校」表)."""
    zh = STAGE_ZH[stage]
    typed = _number(data.facts.get(f"budget_per_student_{stage}"))
    if typed is not None:
        return (f"per_student_spending.{stage}", typed,
                f"{SRC}填报（教育经费统计口径）「{zh}生均一般公共预算教育经费」", None, None)
    spent = _number(data.facts.get(f"edu_spending_{stage}")) if stage in COMPUTABLE else None
    if spent is None or not students:
        return f"per_student_spending.{stage}", None, "", None, None
    return (f"per_student_spending.{stage}", spent * 10000 / students,
            f"计算值：{SRC}{zh}一般公共预算教育支出 × 10000 ÷ 「学校」表{zh}在校生（{SRC}未填报{zh}生均一般公共预算教育经费）",
            spent * 10000, students)


def funding_figures(data: CountyData, students: dict[str, float | None] | None = None) -> list[Entry]:
    """``students``: 小学、初中 在校生 by stage, as the fact sheet counted them."""
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
        out.append(per_student_entry(data, k, (students or {}).get(k)))
        put(f"public_funds_per_student.{k}", _number(facts.get(f"public_funds_per_student_{k}")), SRC)
    pay, teachers = _number(facts.get("contract_teacher_avg_pay")), _number(facts.get("teacher_avg_pay"))
    put("contract_teacher_pay", pay, SRC)
    put("contract_teacher_pay_ratio", pay / teachers if pay is not None and teachers else None,
        f"{SRC}：编外教师年平均工资收入 ÷ 教师年平均工资收入", pay, teachers)
    put("contract_teacher_pay_total", _number(facts.get("contract_teacher_pay_total")), SRC)
    return out
