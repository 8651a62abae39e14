"""The fact sheet's 学生健康 figures (``health.*``): computed once here from
:mod:`junheng.analysis.health`, read by the 年度答卷, `junheng health`, JSON, the
workbooks and the targets. A county whose workbook has no 学生健康 sheet gets every
figure as unknown (None), never 0."""

from __future__ import annotations

from typing import Any

from junheng.analysis.health import health_year
from junheng.core.facts import CountyData, Stage

SRC = "「学生健康」表"
# The health figures kept in each stored year's summary for the trends (历年趋势), in order.
TREND_IDS = ("health.fitness_pass_rate", "health.fitness_good_rate", "health.myopia_rate.primary",
             "health.myopia_rate.junior", "health.psych_school_share", "health.pe_ok_share")


def add_health_figures(sheet: Any, data: CountyData) -> None:
    """``sheet``: the :class:`~junheng.analysis.factsheet.FactSheet` being built (its ``put``)."""
    year = health_year(data)
    known = year.present and bool(year.schools)

    def put(fid: str, value: float | None, source: str = SRC, **kw) -> None:
        sheet.put(fid, value if known else None, source,
                  **{k: (v if known else None) for k, v in kw.items()})

    put("health.schools", len(year.schools))
    put("health.fitness_tested", year.tested)
    for fid, pooled in (("fitness_pass", year.fitness_passed), ("fitness_good", year.fitness_good)):
        count_id = "health.fitness_passed" if fid == "fitness_pass" else "health.fitness_good"
        put(count_id, pooled.part if pooled.schools else None)
        put(f"health.{fid}_rate", pooled.rate if pooled.schools else None,
            f"{SRC}：{'达标' if fid == 'fitness_pass' else '优良'}人数之和 ÷ 测试人数之和（{pooled.schools} 所学校）",
            numerator=pooled.part if pooled.schools else None, denominator=pooled.whole if pooled.schools else None)
    for stage, suffix in ((None, ""), (Stage.PRIMARY, ".primary"), (Stage.JUNIOR, ".junior")):
        pooled = year.myopia(stage)
        has = pooled.whole > 0
        put(f"health.screened{suffix}", pooled.whole if has else None)
        put(f"health.myopic{suffix}", pooled.part if has else None)
        put(f"health.myopia_rate{suffix}", pooled.rate, f"{SRC}：近视人数之和 ÷ 视力筛查人数之和",
            numerator=pooled.part if has else None, denominator=pooled.whole if has else None)
    full, part, filled, staffed, either = year.psych()
    put("health.psych_full_time", full)
    put("health.psych_part_time", part)
    put("health.psych_schools", staffed if filled else None)
    put("health.psych_school_share", staffed / filled if filled else None,
        f"{SRC}：配备专职心理健康教育教师的学校 ÷ 填报的学校（{filled} 所）",
        numerator=staffed if filled else None, denominator=filled or None)
    put("health.psych_staffed_share", either / filled if filled else None,
        f"{SRC}：配备专职或兼职心理健康教育教师的学校 ÷ 填报的学校（{filled} 所）",
        numerator=either if filled else None, denominator=filled or None)
    for kind in ("pe", "labour"):
        ok, judged = year.lessons(kind)
        put(f"health.{kind}_ok_schools", ok if judged else None)
        put(f"health.{kind}_ok_share", ok / judged if judged else None,
            f"{SRC}：课时达标的学校 ÷ 能判断的学校（{judged} 所，不含特殊教育学校）",
            numerator=ok if judged else None, denominator=judged or None)
