"""`junheng health --out 学生健康.xlsx`: each school's health figures ranked by 体质健康达标率
with the county's line, the schools short of lessons or of a 专职 心理健康教育教师, and
the change year by year (各校情况, 课时与心理教师, 逐年变化, 说明). The county figures are
those of ``HealthYear``, the same
pooled counts as the fact sheet's ``health.*``. Look and feel: :mod:`sheet_style`."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from junheng.analysis.health import STAGES, HealthReport, HealthYear
from junheng.reports import numbers as fmt
from junheng.reports.renderers import sheet_style as ss
from junheng.reports.renderers.sheet_style import Column, Styled

NOTES = [
    ("各校情况", "每所填报学校一行，按体质健康达标率从高到低排名；“与全县比”为该校达标率减全县达标率（百分点），"
                 "低于全县的标为红色；最后一行为全县（按人数汇总）。"),
    ("课时与心理教师", "每所学校实际开设的体育与健康、劳动每周课时，与《义务教育课程方案（2022年版）》比较；"
                       "专职、兼职心理健康教育教师数。"),
    ("逐年变化", "有往年数据时每个学年一行：达标率、优良率、近视率、专职心理教师配备率、体育课时达标学校比例。"),
]
DEFINITIONS = [
    ("体质健康达标率", "各校达标人数（测试总分 60 分及以上）之和 ÷ 测试人数之和；只填达标率的学校按 测试人数 × 达标率 "
                       "折算为人数。按人数汇总，不是各校比率的平均。"),
    ("体质健康优良率", "各校优良人数（80 分及以上）之和 ÷ 测试人数之和。"),
    ("近视率", "近视人数之和 ÷ 视力筛查人数之和，小学、初中分别计算。"),
    ("专职心理健康教育教师配备率", "配备 1 名及以上专职心理健康教育教师的学校 ÷ 填报的学校。"),
    ("体育课时达标", "所开各年级段体育与健康每周课时都不少于：小学1—2年级 4、3—6年级 3、初中 3 课时"
                     "（特殊教育学校不判断）。"),
    ("劳动课时达标", "所开学段劳动课每周课时都不少于 1 课时。"),
]


def points_gap(rate: float | None, average: float | None) -> float | None:
    """A school's rate against the county's in percentage points, from the SHOWN values
    (92.5 % − 89.2 % = +3.3), so the gap never contradicts the two rates beside it."""
    if rate is None or average is None:
        return None
    n = fmt.places("percent")
    return float(fmt.rounded(Decimal(repr(rate)) * 100, n) - fmt.rounded(Decimal(repr(average)) * 100, n))


def _rates(y: HealthYear) -> list:
    full, _, filled, staffed, _ = y.psych()
    pe_ok, pe_judged = y.lessons("pe")
    return [y.fitness_passed.rate, y.fitness_good.rate, y.myopia(STAGES[0]).rate, y.myopia(STAGES[1]).rate,
            staffed / filled if filled else None, pe_ok / pe_judged if pe_judged else None]


def write_health_xlsx(report: HealthReport, path: str | Path) -> None:
    y = report.current
    title = f"{y.school_year} 学年学生健康情况"
    wb, st = ss.open_workbook(path, title=title, subject="体质健康、近视、心理健康教育教师、体育与劳动课时")
    try:
        avg = y.fitness_passed.rate
        rows = []
        for i, s in enumerate(y.ranking(), start=1):
            gap = points_gap(s.pass_rate, avg)
            rows.append([i if s.pass_rate is not None else None, s.code, s.name, s.tested, s.record.passed,
                         s.pass_rate, Styled(gap, "fail") if gap is not None and gap < 0 else gap,
                         s.record.good, s.good_rate, s.myopia_rate(STAGES[0]), s.myopia_rate(STAGES[1])])
        columns = [Column("排名", "int", 6), Column("学校标识码", "id"), Column("学校名称"),
                   Column("测试人数", "int", 10), Column("达标人数", "int", 10), Column("达标率", "pct", 10),
                   Column("与全县比（百分点）", "0.0", 12), Column("优良人数", "int", 10), Column("优良率", "pct", 10),
                   Column("小学近视率", "pct", 10), Column("初中近视率", "pct", 10)]
        ws = wb.add_worksheet("各校情况")
        r = ss.write_table(ws, st, 0, columns, rows, freeze_cols=3)
        rates = _rates(y)
        total = [None, "", "全县", y.tested, y.fitness_passed.part, rates[0], None, y.fitness_good.part,
                 rates[1], rates[2], rates[3]]
        for c, (col, value) in enumerate(zip(columns, total, strict=True)):
            ss.write_value(ws, st, r, c, value, col.kind, bold=True)
        pe, labour = y.norms.pe_hours, y.norms.labour_hours
        verdict = {True: ss.mark("达标", True), False: Styled(ss.mark("不足", False), "fail"), None: "—"}
        lesson_rows = [[s.code, s.name, s.record.pe_hours_lower, s.record.pe_hours_upper, s.record.pe_hours_junior,
                        verdict[s.pe_ok], s.record.labour_hours_primary, s.record.labour_hours_junior,
                        verdict[s.labour_ok], s.record.psych_full_time, s.record.psych_part_time]
                       for s in y.schools]
        ss.write_table(wb.add_worksheet("课时与心理教师"), st, 0, [
            Column("学校标识码", "id"), Column("学校名称"),
            Column(f"体育 1—2年级（应 {pe.lower:g}）", "0.0", 12), Column(f"体育 3—6年级（应 {pe.upper:g}）", "0.0", 12),
            Column(f"体育 初中（应 {pe.junior:g}）", "0.0", 12), Column("体育课时", "text", 10),
            Column(f"劳动 小学（应 {labour.primary:g}）", "0.0", 12), Column(f"劳动 初中（应 {labour.junior:g}）", "0.0", 12),
            Column("劳动课时", "text", 10), Column("专职心理教师", "int", 10), Column("兼职心理教师", "int", 10)],
            lesson_rows, freeze_cols=2)
        trend = [[x.school_year, *_rates(x)] for x in report.years or [y]]
        ss.write_table(wb.add_worksheet("逐年变化"), st, 0, [
            Column("学年", "year", 8), Column("体质健康达标率", "pct", 12), Column("优良率", "pct", 10),
            Column("小学近视率", "pct", 10), Column("初中近视率", "pct", 10), Column("专职心理教师配备率", "pct", 14),
            Column("体育课时达标学校比例", "pct", 14)], trend, freeze_cols=1)
        ss.add_notes_sheet(wb, st, title, NOTES, DEFINITIONS)
    finally:
        ss.close(wb)
