"""The fact sheet's 社会认可度 figures: the survey's result when S1 took its value
from a closed survey (``extra_tables["survey"]``), else the typed 县级指标 value."""

from __future__ import annotations

from typing import Any

from junheng.core.facts import CountyData


def survey_figures(sheet: Any, data: CountyData) -> None:
    """``sheet``: the FactSheet being built (not imported: factsheet imports this module)."""
    typed = data.facts.get("satisfaction_pct")
    rows = data.extra_tables.get("survey") or []
    if not rows:
        value = float(typed) / 100 if isinstance(typed, (int, float)) and not isinstance(typed, bool) else None
        sheet.put("satisfaction", value, "「县级指标」表填报值" if value is not None else "")
        return
    s = rows[0]
    r = s.result
    src = f"社会认可度调查（{s.school_year}学年，有效问卷 {r.valid} 份）"
    sheet.put("satisfaction", r.share, src)
    sheet.put("satisfaction.low", r.low, src)
    sheet.put("satisfaction.high", r.high, src)
    sheet.put("survey.valid", r.valid, src)
    sheet.put("survey.response_rate", r.response_rate, "凭调查码收回的问卷 ÷ 发放的调查码",
              numerator=r.coded if r.issued else None, denominator=r.issued)
