"""Committed building projects in the plan: what is being built is not bought again.

Before planning, the committed projects (已立项、在建、已竣工 in 项目台账) that finish
after the data's school year and by the plan's last year are counted as done: their
教学及辅助用房 and 体育运动场馆 areas are added to their schools
(:func:`junheng.core.projects.with_projects`), so the plan starts from the county as it
will be and buys only what is still missing. The plan says so in its notes, naming the
projects and the areas. A multi-year plan is made with every project due by its last
year counted; its yearly re-evaluation (:func:`junheng.planner.years.schedule_plan`,
given the county as it was) counts each project only from its finish year on, so a
year before a project finishes shows the gap it leaves, and the notes say so.
"""

from __future__ import annotations

from junheng.core.facts import CountyData
from junheng.core.projects import Applied, with_projects
from junheng.planner.settings import PlanSettings


def projects_through(data: CountyData, settings: PlanSettings) -> int:
    """The last year whose projects count: a multi-year plan's last year, else the
    next school year (the year the plan is meant to be carried out in)."""
    lim = settings.limits
    if lim.yearly_budget:
        first = lim.first_year if lim.first_year is not None else data.county.school_year + 1
        return first + len(lim.yearly_budget) - 1
    return data.county.school_year + 1


def with_committed_projects(data: CountyData, settings: PlanSettings) -> tuple[CountyData, list[str]]:
    """``data`` with the committed projects due by :func:`projects_through` done, and
    the plan notes (Chinese) that say what was counted."""
    through = projects_through(data, settings)
    projected, applied = with_projects(data, through)
    return projected, project_notes(applied, data.county.school_year, through)


def project_notes(applied: Applied, school_year: int, through: int) -> list[str]:
    notes = []
    if applied.projects:
        names = {s: n for p in applied.projects if (s := p.school_code) and (n := p.school_name)}
        parts = []
        for code, add in applied.areas.items():
            what = "、".join(f"{'教学及辅助用房' if k == 'teaching_area' else '体育运动场馆'} {v:,.0f} ㎡"
                            for k, v in add.items())
            parts.append(f"{names.get(code, code)} {what}")
        years = f"{through}" if through == school_year + 1 else f"{school_year + 1}—{through}"
        notes.append(f"已计入「项目台账」中 {years} 年竣工的已立项、在建项目 "
                     f"{len(applied.projects)} 个（{'、'.join(p.name for p in applied.projects)}），"
                     f"按竣工后的面积制定方案，不重复安排：{'；'.join(parts)}。方案的“整改前”指标已含这些项目")
    if applied.not_applied:
        notes.append(f"新建学校项目 {len(applied.not_applied)} 个（{'、'.join(p.name for p in applied.not_applied)}）"
                     "尚无学校标识码，不在评估范围内，方案未计入")
    return notes
