"""年度答卷: the year's review of education development, this year against the last.

Places (学位), 大班额, the CVs, backbone teachers, rotation, spending per student, the
schools that meet the standard, and — where the workbook has them — 教育集团, 双减 and
preschool coverage; with charts. The figures come from :mod:`junheng.reports.yearly`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from junheng.core.facts import STAGE_ZH, Stage
from junheng.reports import charts
from junheng.reports import numbers as fmt
from junheng.reports.document import (
    Cell,
    Document,
    Figure,
    Paragraph,
    Placeholder,
    Section,
    Table,
    cells,
)
from junheng.reports.findings import DISPERSION_EXTRA_ZH, has_thresholds, report_title
from junheng.reports.wording import heading2, year_month
from junheng.reports.yearly import STAGES, AnnualData, YearFigures, year_figures

# CVs that are no single indicator (jbjh-2012 judges 综合差异系数, the mean of them).
COMPOSITE = {k: name for k, (name, _) in DISPERSION_EXTRA_ZH.items()}
Row = tuple[str, Callable[[YearFigures], float | None], Callable[[float | None], str], int]
# (label, value of a year, how to print it, decimals of the change; -1: no change column)
SUMMARY_ROWS: list[Row] = [
    ("义务教育学校（所）", lambda f: f.schools, fmt.integer, 0),
    ("小学在校生（人）", lambda f: f.students[Stage.PRIMARY], fmt.integer, 0),
    ("初中在校生（人）", lambda f: f.students[Stage.JUNIOR], fmt.integer, 0),
    ("专任教师（人）", lambda f: f.total_teachers, fmt.integer, 0),
    ("学位数（按标准班额核算，个）", lambda f: sum(f.places.values()), fmt.integer, 0),
    ("大班额（56—65人）班级占比", lambda f: f.share(f.large_classes, f.total_classes), fmt.percent, -1),
    ("超大班额（66人及以上）班级数", lambda f: f.huge_classes, fmt.integer, 0),
    ("超过标准班额（45/50人）班级占比", lambda f: f.share(f.over_standard, f.total_classes), fmt.percent, -1),
    ("县级以上骨干教师占比", lambda f: f.share(f.backbone, f.total_teachers), fmt.percent, -1),
    ("交流轮岗教师（人）", lambda f: f.rotated, fmt.integer, 0),
    ("交流轮岗比例", lambda f: f.share(f.rotated, f.rotation_eligible), fmt.percent, -1),
    ("一般公共预算教育支出（万元）", lambda f: f.spending, lambda v: fmt.fixed(v, 1), 1),
    ("生均一般公共预算教育支出（元）", lambda f: f.per_student_spending, lambda v: fmt.fixed(v, 0), 0),
    ("教育集团（个）", lambda f: f.groups, fmt.integer, 0),
    ("集团化办学覆盖学校（所）", lambda f: f.group_schools, fmt.integer, 0),
    ("开展课后服务的学校（所）", lambda f: f.afterschool_schools, fmt.integer, 0),
    ("参加课后服务学生占比", lambda f: f.share(f.afterschool_students, f.total_students), fmt.percent, -1),
    ("学科类校外培训机构（个）", lambda f: f.tutoring_now, fmt.integer, 0),
    ("学前三年毛入园率", lambda f: f.preschool.get("X1"), fmt.percent, -1),
    ("普惠性幼儿园覆盖率", lambda f: f.preschool.get("X2"), fmt.percent, -1),
    ("公办园在园幼儿占比", lambda f: f.preschool.get("X3"), fmt.percent, -1),
]


def _delta(new: float | None, old: float | None, digits: int, printer) -> str:
    if new is None or old is None:
        return fmt.MISSING
    if digits < 0:  # shares: the change in percentage points
        diff = (new - old) * 100
        return "持平" if round(diff, 1) == 0 else f"{'+' if diff > 0 else '−'}{fmt.fixed(abs(diff), 1)} 个百分点"
    diff = new - old
    return "持平" if round(diff, digits) == 0 else f"{'+' if diff > 0 else '−'}{printer(abs(diff))}"


def build_annual(annual: AnnualData, date: dt.date | None = None) -> Document:
    if len(annual.years) < 2:
        raise ValueError("the annual report needs two or more years")
    figures = [year_figures(y) for y in annual.years]
    prev, cur = figures[-2], figures[-1]
    ev = annual.current.evaluation
    names = (f"{prev.school_year}学年", f"{cur.school_year}学年")
    doc = Document(
        title=f"{ev.county_name}{cur.school_year}学年义务教育发展年度答卷",
        subtitle=f"{prev.school_year}—{cur.school_year}学年对比",
        author=f"{ev.county_name}教育局",
        date=year_month(date or dt.date.today()),
        kind="annual",
    )
    chapter = doc.chapter
    _overview(chapter("总体情况", "overview"), prev, cur, names, annual)
    if len(figures) > 2:
        _trend(doc.sections[-1], figures)
    _places(chapter("学位供给与大班额", "places"), prev, cur, names)
    _balance(chapter("资源配置均衡", "balance"), annual, prev, cur, names)
    _teachers(chapter("教师队伍", "teachers"), prev, cur)
    _funding(chapter("教育投入", "funding"), prev, cur)
    if any(v is not None for v in (cur.groups, cur.afterschool_schools, cur.tutoring_now)):
        _groups_and_double_reduction(chapter("集团化办学与“双减”", "groups"), prev, cur)
    if cur.preschool:
        _preschool(chapter("学前教育", "preschool"), prev, cur)
    _next_steps(chapter("存在问题与下一步工作", "next"), annual)
    return doc.number_captions()


def _number_table(caption: str, header: list[str], rows: list[list[Cell]],
                  widths: list[float], key: str) -> Table:
    return Table(caption=caption, header=[cells(*header)], rows=rows, widths=widths,
                 align=["left"] + ["right"] * (len(header) - 1), key=key)


def _figure(png: bytes, caption: str, key: str, width: float = 13.0) -> Figure:
    return Figure(caption, png, width, key=key)


def _overview(section: Section, prev: YearFigures, cur: YearFigures, names: tuple[str, str],
              annual: AnnualData) -> None:
    ev = annual.current.evaluation
    # The standard the years were evaluated with names the verdict (优质均衡, or 基本均衡
    # under jbjh-2012), never a fixed title.
    topic = report_title(ev).removeprefix(ev.county_name)
    section.add(Paragraph(
        f"{cur.school_year}学年，{ev.county_name}共有义务教育学校 {cur.schools} 所，在校生 {cur.total_students} 人"
        f"（比上学年{fmt.change(cur.total_students, prev.total_students, 0, ' 人')}），"
        f"专任教师 {cur.total_teachers} 人（{fmt.change(cur.total_teachers, prev.total_teachers, 0, ' 人')}）。"
        f"按《{ev.standard_title}》测算，{names[0]}{'达到' if prev.recognised else '未达到'}、"
        f"{names[1]}{'达到' if cur.recognised else '未达到'}{topic}认定要求。"))
    rows = []
    for label, value, printer, digits in SUMMARY_ROWS:
        old, new = value(prev), value(cur)
        if old is None and new is None:
            continue
        rows.append([Cell(label), Cell(printer(old)), Cell(printer(new)),
                     Cell(_delta(new, old, digits, printer))])
    section.add(_number_table("主要指标对比", ["指标", names[0], names[1], "变化"], rows,
                              [8, 3.2, 3.2, 3.6], "summary"))


def _trend(section: Section, figures: list[YearFigures]) -> None:
    header = ["指标"] + [f"{f.school_year}学年" for f in figures]
    rows = [[Cell(label)] + [Cell(printer(value(f))) for f in figures]
            for label, value, printer, _ in SUMMARY_ROWS[:13]]
    section.add(_number_table("历年主要指标", header, rows, [8] + [3] * len(figures), "trend"))


def _places(section: Section, prev: YearFigures, cur: YearFigures, names: tuple[str, str]) -> None:
    basis = "各校填报的标准班数" if cur.places_from_standard else "标准班数（未填报的按现有班数）"
    added = sum(cur.places.values()) - sum(prev.places.values())
    section.add(Paragraph(
        f"按{basis}乘以标准班额（小学 45 人、初中 50 人）核算，全县义务教育学位 {sum(cur.places.values())} 个，"
        f"其中小学 {cur.places[Stage.PRIMARY]} 个、初中 {cur.places[Stage.JUNIOR]} 个，"
        + (f"比上学年增加 {added} 个。" if added > 0 else
           f"比上学年减少 {-added} 个。" if added < 0 else "与上学年持平。")))
    section.add(Paragraph(
        f"全县共有义务教育班级 {cur.total_classes} 个，其中 56—65 人的大班额 {cur.large_classes} 个"
        f"（上学年 {prev.large_classes} 个），66 人及以上超大班额 {cur.huge_classes} 个"
        f"（上学年 {prev.huge_classes} 个），超过标准班额的班级 {cur.over_standard} 个"
        f"（上学年 {prev.over_standard} 个）。"))
    labels = ["大班额占比", "超大班额占比", "超标准班额占比"]

    def shares(f: YearFigures) -> list[float | None]:
        return [_pct(f.share(x, f.total_classes)) for x in (f.large_classes, f.huge_classes, f.over_standard)]

    png = charts.compare_bars(labels, shares(prev), shares(cur), names, "班额情况对比（%）", "%", digits=1)
    section.add(_figure(png, "班额情况对比", "chart-classes", 11.0))


def _pct(x: float | None) -> float | None:
    return None if x is None else x * 100


def _balance(section: Section, annual: AnnualData, prev: YearFigures, cur: YearFigures,
             names: tuple[str, str]) -> None:
    ev = annual.current.evaluation
    meta = ev.indicator_meta
    for k, st in enumerate(s for s in STAGES if s in cur.cvs):
        sub = section.sub(heading2(k + 1, f"{STAGE_ZH[st]}"), key=f"balance-{st}")
        passed, total = cur.passing.get(st, (0, 0))
        old_passed, old_total = prev.passing.get(st, (0, 0))
        if has_thresholds(ev):
            sub.add(Paragraph(
                f"{STAGE_ZH[st]}纳入评估学校 {total} 所，资源配置达标 {passed} 所"
                f"（上学年 {old_total} 所中达标 {old_passed} 所）。"))
        else:  # jbjh-2012 sets no per-school values: only the spread is judged
            sub.add(Paragraph(f"{STAGE_ZH[st]}纳入评估学校 {total} 所（上学年 {old_total} 所）。"))
        limit = next((d.limit for d in ev.dispersion[st].values() if d.limit is not None), None)
        # Rows judged against the limit: each indicator (优质均衡), or only the mean of
        # them, 综合差异系数 (jbjh-2012), which then closes the table.
        judged = {i for i, d in ev.dispersion[st].items() if d.limit is not None}
        ids = [i for i in meta if i in cur.cvs[st]] + [i for i in COMPOSITE if i in cur.cvs[st]]
        labels = {i: meta[i]["short_name"] if i in meta else COMPOSITE[i] for i in ids}
        rows = []
        for i in ids:
            old, new = prev.cvs.get(st, {}).get(i), cur.cvs[st].get(i)
            over = new is not None and limit is not None and i in judged and new > limit
            rows.append([Cell(f"{i} {labels[i]}" if i in meta else labels[i], bold=i in COMPOSITE),
                         Cell(fmt.cv(old)), Cell(fmt.cv(new), tone="bad" if over else None),
                         Cell(_delta(new, old, 3, fmt.cv))])
        title = f"{STAGE_ZH[st]}校际差异系数对比" + (f"（限值 {fmt.limit(limit)}）" if limit else "")
        sub.add(_number_table(title, ["指标", names[0], names[1], "变化"], rows, [6, 3, 3, 3],
                              f"cv-{st}"))
        png = charts.compare_bars([labels[i] for i in ids], [prev.cvs.get(st, {}).get(i) for i in ids],
                                  [cur.cvs[st].get(i) for i in ids], names, title, "差异系数", limit, digits=3)
        sub.add(_figure(png, title, f"chart-cv-{st}", 15.0))


def _teachers(section: Section, prev: YearFigures, cur: YearFigures) -> None:
    section.add(Paragraph(
        f"全县义务教育专任教师 {cur.total_teachers} 人，其中县级以上骨干教师 {cur.backbone} 人，"
        f"占 {fmt.percent(cur.share(cur.backbone, cur.total_teachers))}"
        f"（上学年 {fmt.percent(prev.share(prev.backbone, prev.total_teachers))}）。"
        f"本学年交流轮岗教师 {cur.rotated} 人，占符合交流条件教师 {cur.rotation_eligible} 人的 "
        f"{fmt.percent(cur.share(cur.rotated, cur.rotation_eligible))}，其中骨干教师 {cur.rotated_backbone} 人，"
        f"占交流教师的 {fmt.percent(cur.share(cur.rotated_backbone, cur.rotated))}"
        f"（上学年分别为 {fmt.percent(prev.share(prev.rotated, prev.rotation_eligible))} 和 "
        f"{fmt.percent(prev.share(prev.rotated_backbone, prev.rotated))}）。"))


def _funding(section: Section, prev: YearFigures, cur: YearFigures) -> None:
    if cur.spending is None:
        section.add(Paragraph("本学年工作簿未填报一般公共预算教育支出。", style="note"))
        section.add(Placeholder("教育投入", "请补充本年度一般公共预算教育支出及生均支出情况"))
        return
    text = f"本年度一般公共预算教育支出 {fmt.fixed(cur.spending, 1)} 万元"
    if prev.spending is not None:
        text += f"，比上年{fmt.change(cur.spending, prev.spending, 1, ' 万元')}"
    if cur.per_student_spending is not None:
        text += f"；按在校学生人数平均 {fmt.fixed(cur.per_student_spending, 0)} 元"
        if prev.per_student_spending is not None:
            text += f"，比上年{fmt.change(cur.per_student_spending, prev.per_student_spending, 0, ' 元')}"
    section.add(Paragraph(text + "。"))


def _groups_and_double_reduction(section: Section, prev: YearFigures, cur: YearFigures) -> None:
    if cur.groups is not None:
        section.add(Paragraph(f"全县组建教育集团 {cur.groups} 个，覆盖学校 {cur.group_schools} 所"
                              + (f"（上学年 {prev.groups} 个、{prev.group_schools} 所）。" if prev.groups is not None else "。")))
    if cur.afterschool_schools is not None:
        text = f"开展课后服务的学校 {cur.afterschool_schools} 所"
        if cur.afterschool_students is not None:
            text += f"，参加课后服务学生 {cur.afterschool_students} 人，占在校生的 " \
                    f"{fmt.percent(cur.share(cur.afterschool_students, cur.total_students))}"
        section.add(Paragraph(text + "。"))
    if cur.tutoring_now is not None:
        text = f"现有学科类校外培训机构 {cur.tutoring_now} 个"
        if cur.tutoring_before:
            text += f"，比“双减”前的 {cur.tutoring_before} 个压减 " \
                    f"{fmt.percent(1 - cur.tutoring_now / cur.tutoring_before)}"
        section.add(Paragraph(text + "。"))


def _preschool(section: Section, prev: YearFigures, cur: YearFigures) -> None:
    labels = {"X1": "学前三年毛入园率", "X2": "普惠性幼儿园覆盖率", "X3": "公办园在园幼儿占比"}
    parts = [f"{labels[k]} {fmt.percent(v)}" + (f"（上学年 {fmt.percent(prev.preschool[k])}）"
                                               if prev.preschool.get(k) is not None else "")
             for k, v in cur.preschool.items() if k in labels]
    section.add(Paragraph("本学年" + "，".join(parts) + "。"))


def _next_steps(section: Section, annual: AnnualData) -> None:
    ev = annual.current.evaluation
    failing = [d for d in ev.dimensions.values() if d.passed is False]
    if failing:
        for k, d in enumerate(failing, 1):
            section.add(Paragraph(f"{k}. {d.name}：{d.message}。"))
    else:
        section.add(Paragraph("各项评估内容均已达到要求，下一步重在巩固提升。"))
    section.add(Placeholder("下一步工作", "请补充下一年度的工作目标、主要举措和责任单位"))
