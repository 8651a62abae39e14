"""The fact sheet's teacher-supply figures (issue 16 §3): 按课程方案需配教师, 紧缺学科教师数,
编制 and 有编不补数, 今后五年退休教师 — computed by ``analysis.teacher_supply`` once per
county-year, so that ``junheng teachers``, the web page, the reports and the targets
show one number. A figure whose columns the workbook lacks is None (not 0)."""

from __future__ import annotations

from typing import Protocol

from junheng.analysis.teacher_supply import TeacherSupplyReport, teacher_supply
from junheng.core.facts import CountyData


class FactSheet(Protocol):  # analysis.factsheet.FactSheet (which calls this module)
    def put(self, figure_id: str, value: float | None, source: str = "") -> None: ...


def put_supply(sheet: FactSheet, data: CountyData, report: TeacherSupplyReport | None = None) -> TeacherSupplyReport:
    r = report or teacher_supply(data)
    by_subject = "「班级」表、「教师」表任教学科，课程方案课时" if r.classes_known else ""
    known = r.classes_known
    sheet.put("supply.needed", r.needed if known else None, by_subject)
    sheet.put("supply.have", r.have if known else None, "「教师」表任教学科")
    sheet.put("supply.shortage", r.shortage if known else None, by_subject)
    sheet.put("supply.surplus", r.surplus if known else None, by_subject)
    sheet.put("supply.shortage_schools", r.shortage_schools if known else None, by_subject)
    sheet.put("staffing.quota", r.quota, "「学校」表核定编制数")
    est = sum(s.established for s in r.staffing) if r.staffing_known else None
    con = sum(s.contract for s in r.staffing) if r.staffing_known else None
    sheet.put("staffing.established", est, "「教师」表编制类型")
    sheet.put("staffing.contract", con, "「教师」表编制类型")
    sheet.put("staffing.vacant", r.vacant if r.quota_known else None, "核定编制数 − 在编教师")
    sheet.put("staffing.unfilled", r.unfilled, "核定编制数、编制类型（与 V6 同一口径）")
    sheet.put("staffing.unfilled_schools", r.unfilled_schools, "核定编制数、编制类型（与 V6 同一口径）")
    sheet.put("retirements.horizon", len(r.retirees) if r.retirements_known else None, "「教师」表出生年份、性别")
    return r
