"""The 年度答卷's chapter 学生健康: 体质健康, 近视, 心理健康教育教师 and the 体育与健康 and
劳动 lessons, this year against the last. Every number is a fact-sheet figure
(``health.*``) printed through numbers.py; the lesson norms named in the text are those
the figures were judged against (``analysis/health.yaml``)."""

from __future__ import annotations

from junheng.analysis.factsheet import FactSheet
from junheng.analysis.health import load_health_norms
from junheng.reports import numbers as fmt
from junheng.reports.documents.document import Cell, Paragraph, Section, Table, cells
from junheng.reports.documents.figure_text import compared, label, said

# The chapter's table: figures compared with last year, in this order.
TABLE_IDS = ("health.fitness_pass_rate", "health.fitness_good_rate", "health.myopia_rate.primary",
             "health.myopia_rate.junior", "health.psych_full_time", "health.psych_school_share",
             "health.pe_ok_share", "health.labour_ok_share")


def has_health(cur: FactSheet) -> bool:
    return cur.has("health.schools")


def _then(cur: FactSheet, prev: FactSheet, fid: str) -> str:
    """「（比上学年提高 0.6 个百分点）」 or nothing when last year is unknown."""
    more = compared(cur, prev, fid) if fid in prev else ""
    if cur[fid].definition.kind == "percent":  # a rate 提高/下降, a count 增加/减少
        more = more.replace("增加", "提高").replace("减少", "下降")
    return f"（{more}）" if more else ""


def health_chapter(section: Section, prev: FactSheet, cur: FactSheet) -> None:
    if cur.has("health.fitness_pass_rate"):
        text = (f"本学年全县 {said(cur, 'health.schools')}学校按《国家学生体质健康标准》组织测试，测试学生 "
                f"{said(cur, 'health.fitness_tested')}，达标率 {said(cur, 'health.fitness_pass_rate')}"
                f"{_then(cur, prev, 'health.fitness_pass_rate')}")
        if cur.has("health.fitness_good_rate"):
            text += (f"，优良率 {said(cur, 'health.fitness_good_rate')}"
                     f"{_then(cur, prev, 'health.fitness_good_rate')}")
        section.add(Paragraph(text + "。"))
    if cur.has("health.myopia_rate"):
        parts = [f"{zh} {said(cur, f'health.myopia_rate.{st}')}{_then(cur, prev, f'health.myopia_rate.{st}')}"
                 for st, zh in (("primary", "小学"), ("junior", "初中")) if cur.has(f"health.myopia_rate.{st}")]
        section.add(Paragraph(
            f"视力筛查学生 {said(cur, 'health.screened')}，检出近视 {said(cur, 'health.myopic')}，总体近视率 "
            f"{said(cur, 'health.myopia_rate')}{_then(cur, prev, 'health.myopia_rate')}；其中" + "，".join(parts) + "。"))
    if cur.has("health.psych_school_share"):
        share = cur["health.psych_school_share"]
        section.add(Paragraph(
            f"全县有专职心理健康教育教师 {said(cur, 'health.psych_full_time')}、兼职 "
            f"{said(cur, 'health.psych_part_time') if cur.has('health.psych_part_time') else fmt.MISSING}；"
            f"{fmt.integer(share.denominator)} 所填报学校中配备专职心理健康教育教师的 "
            f"{said(cur, 'health.psych_schools')}，占 {said(cur, 'health.psych_school_share')}"
            f"{_then(cur, prev, 'health.psych_school_share')}。"))
    norms = load_health_norms()
    pe, labour = norms.pe_hours, norms.labour_hours
    lessons = []
    if cur.has("health.pe_ok_share"):
        lessons.append(f"体育与健康课（小学1—2年级每周 {pe.lower:g} 课时、3—6年级 {pe.upper:g} 课时、初中 "
                       f"{pe.junior:g} 课时）开足的学校 {said(cur, 'health.pe_ok_schools')}，占 "
                       f"{said(cur, 'health.pe_ok_share')}{_then(cur, prev, 'health.pe_ok_share')}")
    if cur.has("health.labour_ok_share"):
        low = min(labour.primary, labour.junior)
        lessons.append(f"劳动课每周不少于 {low:g} 课时的学校 {said(cur, 'health.labour_ok_schools')}，占 "
                       f"{said(cur, 'health.labour_ok_share')}{_then(cur, prev, 'health.labour_ok_share')}")
    if lessons:
        section.add(Paragraph("按《义务教育课程方案（2022年版）》，" + "；".join(lessons) + "。"))
    rows = []
    for fid in TABLE_IDS:
        if not cur.has(fid):
            continue
        old = prev[fid] if fid in prev and prev.has(fid) else None
        rows.append([Cell(label(cur, fid)), Cell(fmt.shown(old) if old else fmt.MISSING), Cell(fmt.shown(cur[fid])),
                     Cell(fmt.delta(cur[fid], old) if old else fmt.MISSING)])
    if rows:
        section.add(Table(caption="学生健康主要指标", header=[cells("指标", f"{prev.school_year}学年",
                                                            f"{cur.school_year}学年", "变化")],
                          rows=rows, widths=[8, 3.2, 3.2, 3.6], align=["left", "right", "right", "right"],
                          key="health", note="注：体质健康达标率、优良率和近视率按各校人数汇总计算（不是各校比率的平均）。"))
