"""年度答卷: the year's review of education development, this year against the last.

Places (学位), 大班额, the CVs, backbone teachers, rotation, spending per student, the
schools that meet the standard, and — where the workbook has them — 教育集团, 双减 and
preschool coverage; with charts. The figures come from :mod:`junheng.reports.documents.yearly`.
"""

from __future__ import annotations

import datetime as dt

from junheng.analysis.factsheet import FactSheet
from junheng.analysis.factsheet_funding import STAGE_FUNDING_IDS, declared_prev
from junheng.analysis.figure_catalogue import BY_ID
from junheng.core.facts import STAGE_ZH
from junheng.core.trend import StageFundingCheck, stage_funding_check, stage_funding_name
from junheng.reports import charts
from junheng.reports import numbers as fmt
from junheng.reports.documents.document import (
    Cell,
    Document,
    Figure,
    Paragraph,
    Placeholder,
    Section,
    Table,
    cells,
)
from junheng.reports.documents.figure_text import compared, label, said
from junheng.reports.documents.findings import DISPERSION_EXTRA_ZH, has_thresholds, report_title
from junheng.reports.documents.health_section import has_health, health_chapter
from junheng.reports.documents.investment_section import (
    funding_details,
    has_projects,
    projects_progress,
)
from junheng.reports.documents.problems_section import county_notes
from junheng.reports.documents.remedies import item_label, remedies
from junheng.reports.documents.targets_chapter import targets_chapter
from junheng.reports.documents.wording import heading2, year_month
from junheng.reports.documents.yearly import STAGES, AnnualData, year_facts

# CVs that are no single indicator (jbjh-2012 judges 综合差异系数, the mean of them).
COMPOSITE = {k: name for k, (name, _) in DISPERSION_EXTRA_ZH.items()}
# The 主要指标对比 rows: fact-sheet figures, printed and compared through numbers.py.
SUMMARY_IDS = [
    "schools", "students.primary", "students.junior", "teachers", "capacity", "large_class_share",
    "super_large_classes", "over_standard_share", "backbone_share", "rotated", "rotation_share", "spending",
    "per_student_spending", "groups", "group_schools", "group_coverage", "afterschool_schools",
    "afterschool_share", "tutoring_now", "preschool.gross_enrolment", "preschool.inclusive_coverage",
    "preschool.public_share", "health.fitness_pass_rate", "health.fitness_good_rate", "health.myopia_rate",
]
TREND_IDS = SUMMARY_IDS[:13]


def build_annual(annual: AnnualData, date: dt.date | None = None) -> Document:
    if len(annual.years) < 2:
        raise ValueError("the annual report needs two or more years")
    figures = [year_facts(y) for y in annual.years]
    prev, cur = figures[-2], figures[-1]
    ev = annual.current.evaluation
    names = (f"{prev.school_year}学年", f"{cur.school_year}学年")
    date = date or dt.date.today()
    doc = Document(
        title=f"{ev.county_name}{cur.school_year}学年义务教育发展年度答卷",
        subtitle=f"{prev.school_year}—{cur.school_year}学年对比",
        author=f"{ev.county_name}教育局",
        date=year_month(date),
        kind="annual",
    )
    chapter = doc.chapter
    _overview(chapter("总体情况", "overview"), prev, cur, names, annual)
    if len(figures) > 2:
        _trend(doc.sections[-1], figures, annual)
    _places(chapter("学位供给与大班额", "places"), prev, cur, names)
    if has_projects(cur):
        projects_progress(chapter("重点项目进展", "projects"), cur, annual.current.data)
    _balance(chapter("资源配置均衡", "balance"), annual, prev, cur, names)
    _teachers(chapter("教师队伍", "teachers"), prev, cur)
    _funding(chapter("教育投入", "funding"), prev, cur, doc)
    if any(cur.has(i) for i in ("groups", "afterschool_schools", "tutoring_now")):
        _groups_and_double_reduction(chapter("集团化办学与“双减”", "groups"), prev, cur)
    if any(cur.has(i) for i in PRESCHOOL_IDS):
        _preschool(chapter("学前教育", "preschool"), prev, cur)
    if has_health(cur):
        health_chapter(chapter("学生健康", "health"), prev, cur)
    if annual.progress is not None and annual.progress.rows:
        targets_chapter(chapter("行动方案目标完成情况", "targets"), annual.progress)
    _next_steps(chapter("存在问题与下一步工作", "next"), annual, doc)
    return doc.sign(date).number_captions().list_missing()


PRESCHOOL_IDS = ("preschool.gross_enrolment", "preschool.inclusive_coverage", "preschool.public_share")


def _number_table(caption: str, header: list[str], rows: list[list[Cell]],
                  widths: list[float], key: str) -> Table:
    return Table(caption=caption, header=[cells(*header)], rows=rows, widths=widths,
                 align=["left"] + ["right"] * (len(header) - 1), key=key)


def _figure(png: bytes, caption: str, key: str, width: float = 13.0) -> Figure:
    return Figure(caption, png, width, key=key)


def _overview(section: Section, prev: FactSheet, cur: FactSheet, names: tuple[str, str],
              annual: AnnualData) -> None:
    ev = annual.current.evaluation
    # The standard the years were evaluated with names the verdict (优质均衡, or 基本均衡
    # under jbjh-2012), never a fixed title.
    topic = report_title(ev).removeprefix(ev.county_name)
    section.add(Paragraph(
        f"{cur.school_year}学年，{ev.county_name}共有义务教育学校 {said(cur, 'schools')}，"
        f"在校生 {said(cur, 'students')}（{compared(cur, prev, 'students')}），"
        f"专任教师 {said(cur, 'teachers')}（{compared(cur, prev, 'teachers')}）。"
        f"按《{ev.standard_title}》测算，{_verdicts(names, prev.recognised, cur.recognised)}{topic}认定要求。"))
    rows = []
    for fid in SUMMARY_IDS:
        if fid not in cur or (not cur.has(fid) and not (fid in prev and prev.has(fid))):
            continue
        old = prev[fid] if fid in prev else None
        rows.append([Cell(label(cur, fid)), Cell(fmt.shown(old) if old else fmt.MISSING),
                     Cell(fmt.shown(cur[fid])), Cell(fmt.delta(cur[fid], old) if old else fmt.MISSING)])
    section.add(_number_table("主要指标对比", ["指标", names[0], names[1], "变化"], rows,
                              [8, 3.2, 3.2, 3.6], "summary"))


def _verdicts(names: tuple[str, str], before: bool, now: bool) -> str:
    if before == now:
        return f"{names[0]}和{names[1]}均{'达到' if now else '未达到'}"
    return f"{names[0]}{'达到' if before else '未达到'}、{names[1]}{'达到' if now else '未达到'}"


def _trend(section: Section, figures: list[FactSheet], annual: AnnualData) -> None:
    header = ["指标"] + [f"{f.school_year}学年" for f in figures]
    # 分学段生均经费 (F3、F4) of the stages some year has, after the county's 生均
    stages = [k for k in STAGE_FUNDING_IDS if any(f.has(k) for f in figures)]
    rows = [[Cell(label(figures[-1], fid))] + [Cell(fmt.shown(f[fid]) if fid in f else fmt.MISSING) for f in figures]
            for fid in [*TREND_IDS, *stages]]
    section.add(_number_table("历年主要指标", header, rows, [8] + [3] * len(figures), "trend"))
    if stages:
        verdicts = [f"{f.school_year}学年{_stage_verdict(c)}" for f, c in
                    zip(figures, stage_funding_checks(figures, annual), strict=True)]
        section.add(Paragraph("分学段生均一般公共预算教育经费和公用经费逐年只增不减：" + "；".join(verdicts) + "。"))


def stage_funding_checks(figures: list[FactSheet], annual: AnnualData) -> list[StageFundingCheck]:
    """分学段只增不减 of each year as the 历年趋势 judges it (core.trend): against the
    previous school year's figures when it is among ``figures``, else the declared 上年."""
    out = []
    for i, (f, year) in enumerate(zip(figures, annual.years, strict=True)):
        before = figures[i - 1] if i and figures[i - 1].school_year == f.school_year - 1 else None
        out.append(stage_funding_check({k: f.value(k) for k in STAGE_FUNDING_IDS}, declared_prev(year.data),
                                       None if before is None else {k: before.value(k) for k in STAGE_FUNDING_IDS}))
    return out


def _stage_verdict(check: StageFundingCheck) -> str:
    """"未达到（初中…公用经费 4392.00 元，低于上年 4446.00 元）", for a sentence: the amounts
    printed as the table above prints them (the rounding rule, no thousands separators),
    not core.trend's own text (4,392.00)."""
    fell = [k for k, now in check.values.items()
            if now is not None and check.prev.get(k) is not None and now < check.prev[k]]  # type: ignore[operator]
    if check.ok is not False or not fell:
        head, _, rest = check.verdict.partition("：")
        return f"{head}（{rest}）" if rest else head
    return "未达到（" + "；".join(
        f"{stage_funding_name(k)} {fmt.by_kind(check.values[k], BY_ID[k].kind)} 元，"
        f"低于上年 {fmt.by_kind(check.prev[k], BY_ID[k].kind)} 元" for k in fell) + "）"


def _places(section: Section, prev: FactSheet, cur: FactSheet, names: tuple[str, str]) -> None:
    basis = "各校填报的标准班数" if cur.places_from_standard else "标准班数（未填报的按现有班数）"
    section.add(Paragraph(
        f"按{basis}乘以标准班额（小学 45 人、初中 50 人）核算，全县义务教育学位 {said(cur, 'capacity')}，"
        f"其中小学 {said(cur, 'capacity.primary')}、初中 {said(cur, 'capacity.junior')}，"
        f"{compared(cur, prev, 'capacity')}。"))
    section.add(Paragraph(
        f"全县共有义务教育班级 {said(cur, 'classes')}，其中 56—65 人的大班额 {said(cur, 'large_classes')}"
        f"（上学年 {said(prev, 'large_classes')}），66 人及以上超大班额 {said(cur, 'super_large_classes')}"
        f"（上学年 {said(prev, 'super_large_classes')}），大班额比例（56 人及以上）为 "
        f"{said(cur, 'large_class_share')}；超过标准班额的班级 {said(cur, 'over_standard_classes')}"
        f"（上学年 {said(prev, 'over_standard_classes')}）。"))
    labels = ["大班额比例", "超大班额比例", "超标准班额比例"]
    ids = ("large_class_share", "super_large_class_share", "over_standard_share")

    def shares(f: FactSheet) -> list[float | None]:
        return [_pct(fmt.shown_value(f[i])) for i in ids]

    png = charts.compare_bars(labels, shares(prev), shares(cur), names, "班额情况对比（%）", "%", digits=1)
    section.add(_figure(png, "班额情况对比", "chart-classes", 11.0))


def _pct(x: float | None) -> float | None:
    return None if x is None else x * 100


def _balance(section: Section, annual: AnnualData, prev: FactSheet, cur: FactSheet,
             names: tuple[str, str]) -> None:
    ev = annual.current.evaluation
    meta = ev.indicator_meta
    for k, st in enumerate(s for s in STAGES if str(s) in cur.cv_ids):
        sub = section.sub(heading2(k + 1, f"{STAGE_ZH[st]}"), key=f"balance-{st}")
        total, passed = said(cur, f"parts.{st}"), said(cur, f"parts.passed.{st}")
        old_total, old_passed = said(prev, f"parts.{st}"), said(prev, f"parts.passed.{st}")
        if has_thresholds(ev):
            sub.add(Paragraph(
                f"{STAGE_ZH[st]}纳入评估学校 {total}，资源配置达标 {passed}"
                f"（上学年 {old_total}中达标 {old_passed}）。"))
        else:  # jbjh-2012 sets no per-school values: only the spread is judged
            sub.add(Paragraph(f"{STAGE_ZH[st]}纳入评估学校 {total}（上学年 {old_total}）。"))
        limit = next((d.limit for d in ev.dispersion[st].values() if d.limit is not None), None)
        # Rows judged against the limit: each indicator (优质均衡), or only the mean of
        # them, 综合差异系数 (jbjh-2012), which then closes the table.
        judged = {i for i, d in ev.dispersion[st].items() if d.limit is not None}
        here = cur.cv_ids[str(st)]
        ids = [i for i in meta if i in here] + [i for i in COMPOSITE if i in here]
        labels = {i: meta[i]["short_name"] if i in meta else COMPOSITE[i] for i in ids}
        rows = []
        for i in ids:
            fid = f"cv.{st}.{i}"
            new = cur[fid]
            old = prev[fid] if fid in prev else None
            over = new.value is not None and limit is not None and i in judged and new.value > limit
            rows.append([Cell(labels[i], bold=i in COMPOSITE),
                         Cell(fmt.shown(old) if old else fmt.MISSING), Cell(fmt.shown(new), tone="bad" if over else None),
                         Cell(fmt.delta(new, old) if old else fmt.MISSING)])
        title = f"{STAGE_ZH[st]}校际差异系数对比" + (f"（限值 {fmt.limit(limit)}）" if limit else "")
        sub.add(_number_table(title, ["指标", names[0], names[1], "变化"], rows, [6, 3, 3, 3],
                              f"cv-{st}"))
        png = charts.compare_bars([labels[i] for i in ids],
                                  [prev.value(f"cv.{st}.{i}") for i in ids],
                                  [cur.value(f"cv.{st}.{i}") for i in ids], names, title, "差异系数", limit,
                                  digits=fmt.places("cv"))
        sub.add(_figure(png, title, f"chart-cv-{st}", 15.0))


def _teachers(section: Section, prev: FactSheet, cur: FactSheet) -> None:
    section.add(Paragraph(
        f"全县义务教育（小学、初中）专任教师 {said(cur, 'teachers')}，其中县级以上骨干教师 "
        f"{said(cur, 'backbone_teachers')}，占 {said(cur, 'backbone_share')}"
        f"（上学年 {said(prev, 'backbone_share')}）。"))
    if not cur.has("rotation_eligible") or not cur.count("rotation_eligible"):
        section.add(Paragraph("本学年「教师」表中没有符合交流轮岗条件的教师。", style="note"))
        return
    text = (f"本学年交流轮岗教师 {said(cur, 'rotated')}，占符合交流条件教师 {said(cur, 'rotation_eligible')}的 "
            f"{said(cur, 'rotation_share')}（上学年 {said(prev, 'rotation_share')}）")
    if cur.count("rotated"):
        text += (f"；交流教师中骨干教师 {said(cur, 'rotated_backbone')}，占交流教师 {said(cur, 'rotated')}的 "
                 f"{said(cur, 'rotated_backbone_share')}")
    section.add(Paragraph(text + "。交流轮岗只计小学、初中专任教师。"))


def _funding(section: Section, prev: FactSheet, cur: FactSheet, doc: Document) -> None:
    if not cur.has("spending"):
        section.add(Paragraph("本学年工作簿未填报一般公共预算教育支出。", style="note"))
        section.add(Placeholder("教育投入", "请补充本年度一般公共预算教育支出及生均支出情况"))
        doc.missing.append("教育投入：本年度一般公共预算教育支出（「县级指标」表）")
        return
    text = f"本年度一般公共预算教育支出 {said(cur, 'spending')}"
    more = compared(cur, prev, "spending")
    text += f"，{more}" if more else ""
    if cur.has("per_student_spending"):
        text += (f"；按「县级指标」表填报的在校学生 {said(cur, 'students_declared')}计，生均 "
                 f"{said(cur, 'per_student_spending')}")
        more = compared(cur, prev, "per_student_spending")
        text += f"，{more}" if more else ""
    section.add(Paragraph(text + "。"))
    funding_details(section, prev, cur)


def _groups_and_double_reduction(section: Section, prev: FactSheet, cur: FactSheet) -> None:
    if cur.has("groups"):
        text = (f"全县组建教育集团 {said(cur, 'groups')}，覆盖学校 {said(cur, 'group_schools')}，"
                f"占义务教育学校 {said(cur, 'schools')}的 {said(cur, 'group_coverage')}")
        if prev.has("groups"):
            text += f"（上学年 {said(prev, 'groups')}、{said(prev, 'group_schools')}）"
        section.add(Paragraph(text + "。"))
    if cur.has("afterschool_schools"):
        text = f"开展课后服务的学校 {said(cur, 'afterschool_schools')}"
        if cur.has("afterschool_share"):
            f = cur["afterschool_share"]
            text += (f"，参加课后服务学生 {said(cur, 'afterschool_students')}，占这些学校在校生 "
                     f"{fmt.integer(f.denominator)} 人的 {said(cur, 'afterschool_share')}")
        section.add(Paragraph(text + "。"))
    if cur.has("tutoring_now"):
        text = f"现有学科类校外培训机构 {said(cur, 'tutoring_now')}"
        if cur.has("tutoring_reduction"):
            text += f"，比“双减”前的 {said(cur, 'tutoring_before')}压减 {said(cur, 'tutoring_reduction')}"
        section.add(Paragraph(text + "。"))


def _preschool(section: Section, prev: FactSheet, cur: FactSheet) -> None:
    parts = [f"{cur[k].definition.name} {said(cur, k)}" + (f"（上学年 {said(prev, k)}）" if prev.has(k) else "")
             for k in PRESCHOOL_IDS if cur.has(k)]
    section.add(Paragraph("本学年" + "，".join(parts) + "。"))


def _next_steps(section: Section, annual: AnnualData, doc: Document) -> None:
    """本学年 problems by item name (never a code) with their measures, then the bureau's plans."""
    ev = annual.current.evaluation
    lines: list[str] = []
    failing = ev.failing_schools()
    if failing:
        lines.append(f"资源配置：{len(failing)} 所学校（学段）未达到学校达标要求。")
    monitoring = {d.dimension_id for d in ev.dimensions.values() if not d.counts_for_verdict}
    measures = {r.item: r.measure for r in remedies(ev, monitoring)}
    for item in ev.items.values():
        if item.passed is False:
            name = item_label(ev, item.item_id)
            lines.append(f"“{name}”尚未达到要求（{item.message}）" + (f"，下一步将{measures[name]}。"
                                                                   if name in measures else "。"))
    if lines:
        section.add(*(Paragraph(f"{k}. {line}") for k, line in enumerate(lines, 1)))
    else:
        section.add(Paragraph("各项评估内容均已达到要求，下一步重在巩固提升。"))
    notes = county_notes(annual.current.data)
    if notes.get("next_steps"):
        section.add(*(Paragraph(t) for t in notes["next_steps"]))
    else:
        section.add(Placeholder("下一步工作（待填写）", "请在工作簿「县级说明」表「下一步工作打算」中填写下一年度的"
                                "工作目标、主要举措和责任单位，或在此处补充"))
        doc.missing.append("下一步工作：下一年度的工作目标、主要举措和责任单位（工作簿「县级说明」表「下一步工作打算」）")
