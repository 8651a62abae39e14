"""The 年度答卷's funding details and its 重点项目进展 table.

Funding: 教育支出占一般公共预算支出比例, per-student spending by stage (一般公共预算
教育经费 and 公用经费) against last year's fact sheet, and 编外 teacher pay. Projects:
the year's totals (竣工项目新增学位, 投资) from the fact sheet and one row per project
of the 项目台账 that finishes this school year or later (the ones still reported on).
Every number is a fact-sheet figure or a cell of the 项目台账, printed through numbers.py.
"""

from __future__ import annotations

from junheng.analysis.factsheet import FactSheet
from junheng.analysis.factsheet_funding import FUNDING_STAGES
from junheng.core.facts import CountyData
from junheng.core.projects import PROJECT_KIND_ZH, PROJECT_STATUS_ZH, projects_of
from junheng.reports import numbers as fmt
from junheng.reports.documents.document import Cell, Paragraph, Section, Table, cells
from junheng.reports.documents.figure_text import compared, said

SOURCE_ZH = {"central": "中央", "province": "省级", "city": "市级", "county": "县级", "other": "其他"}


def funding_details(section: Section, prev: FactSheet, cur: FactSheet) -> None:
    """Paragraphs and a table after the 教育支出 sentence (nothing for blank facts)."""
    if cur.has("edu_spending_share"):
        text = (f"一般公共预算支出 {said(cur, 'general_spending')}，其中教育支出占 {said(cur, 'edu_spending_share')}")
        more = compared(cur, prev, "edu_spending_share") if "edu_spending_share" in prev else ""
        section.add(Paragraph(text + (f"，{more}" if more else "") + "。"))
    rows = []
    for k in FUNDING_STAGES:
        for base in ("per_student_spending", "public_funds_per_student"):
            fid = f"{base}.{k}"
            if not cur.has(fid):
                continue
            old = prev[fid] if fid in prev and prev.has(fid) else None
            rows.append([Cell(cur[fid].definition.name),
                         Cell(fmt.shown(old) if old else fmt.MISSING), Cell(fmt.shown(cur[fid])),
                         Cell(fmt.delta(cur[fid], old) if old else fmt.MISSING,
                              tone="bad" if old and cur[fid].value < old.value else None)])
    if rows:
        section.add(Table(caption="分学段生均经费（元）", header=[cells("项目", "上学年", "本学年", "变化")], rows=rows,
                          widths=[7, 3.2, 3.2, 3.2], align=["left", "right", "right", "right"],
                          key="funding-stages"))
    if cur.has("contract_teacher_pay"):
        text = f"编外教师年平均工资收入 {said(cur, 'contract_teacher_pay')}"
        if cur.has("contract_teacher_pay_ratio"):
            text += f"，为教师年平均工资收入的 {said(cur, 'contract_teacher_pay_ratio')}"
        if cur.has("contract_teacher_pay_total"):
            text += f"；编外教师工资支出 {said(cur, 'contract_teacher_pay_total')}"
        section.add(Paragraph(text + "。"))


def has_projects(cur: FactSheet) -> bool:
    return cur.has("projects") and cur.count("projects") > 0


def projects_progress(section: Section, cur: FactSheet, data: CountyData) -> None:
    """重点项目进展: the year's totals, then the projects finishing this year or later."""
    year = cur.school_year
    text = (f"本学年竣工项目 {said(cur, 'projects.completed')}，新增学位 {said(cur, 'places_added')}"
            f"（小学 {said(cur, 'places_added.primary')}、初中 {said(cur, 'places_added.junior')}"
            + (f"、高中 {said(cur, 'places_added.senior')}" if cur.count("places_added.senior") else "") + "）")
    if cur.count("beds_added"):
        text += f"、宿位 {said(cur, 'beds_added')}"
    if cur.count("kg_places_added"):
        text += f"、幼儿园学位 {said(cur, 'kg_places_added')}"
    text += f"；在建和已立项项目 {said(cur, 'projects.ongoing')}"
    if cur.count("projects.ongoing"):
        text += f"，竣工后将新增学位 {said(cur, 'places_coming')}"
    text += f"。本学年竣工和在建项目总投资 {said(cur, 'projects.investment')}"
    sources = [f"{zh}资金 {said(cur, f'projects.investment.{k}')}" for k, zh in SOURCE_ZH.items()
               if cur.value(f"projects.investment.{k}")]
    text += (f"，其中{'、'.join(sources)}" if sources else "") + "。"
    section.add(Paragraph(text))
    listed = sorted((p for p in projects_of(data) or [] if p.finish_year >= year),
                    key=lambda p: (p.finish_year, p.start_year, p.row))
    if not listed:
        return
    schools = data.school_map()
    rows = []
    for p in listed:
        school = schools[p.school_code].name if p.school_code in schools else (p.school_name or "")
        places = "、".join(f"{zh} {fmt.integer(v)}" for zh, v in (
            ("小学", p.primary_places), ("初中", p.junior_places), ("高中", p.senior_places), ("宿位", p.beds),
            ("幼儿园", p.kg_places)) if v) or "—"
        rows.append([Cell(p.name), Cell(school), Cell(PROJECT_KIND_ZH[p.kind]),
                     Cell(f"{p.start_year}—{p.finish_year}"), Cell(places), Cell(fmt.amount(p.investment)),
                     Cell(PROJECT_STATUS_ZH[p.status]), Cell(p.progress or "")])
    section.add(Table(caption="重点项目进展", header=[cells("项目名称", "学校", "类型", "建设年限", "新增学位",
                                                       "总投资（万元）", "状态", "进展情况")],
                      rows=rows, widths=[3.6, 2.8, 1.8, 2.3, 2.6, 2.0, 1.8, 3.3],
                      align=["left", "left", "left", "left", "left", "right", "left", "left"], key="projects"))
