"""The sample county's 项目台账 and its funding facts (分学段生均经费, 一般公共预算支出,
编外教师工资).

Drawn from their own random streams (seeded by county and year), so adding them leaves
every other value of a sample exactly as it was. Projects are laid out around the first
school year S: two finished (S−1, S), two 在建 (S+1, S+2), one 已立项 (S+2), a 新建
school (S+2) and one 规划 (S+3); a later year of a series moves them on
(:func:`advance_projects`).
"""

from __future__ import annotations

import dataclasses
import random

from junheng.core.facts import CountyData, SchoolType, Stage, UrbanRural
from junheng.core.projects import Project, ProjectKind, ProjectStatus

_STAGE_KEYS = ("primary", "junior", "senior", "preschool")
# 生均一般公共预算教育经费 and 公用经费 (元), ranges of a county in eastern/central China
_BUDGET = {"primary": (12500, 15500), "junior": (17000, 21000), "senior": (18500, 23000),
           "preschool": (9000, 12000)}
_PUBLIC = {"primary": (2600, 3300), "junior": (3600, 4500), "senior": (3900, 4900), "preschool": (1500, 2100)}


def _status(start: int, finish: int, year: int, planned: bool = False) -> ProjectStatus:
    if planned:
        return ProjectStatus.PLANNED
    if finish <= year:
        return ProjectStatus.COMPLETED
    return ProjectStatus.BUILDING if start <= year else ProjectStatus.APPROVED


def _money(rng: random.Random, total: float, central: bool = False) -> dict[str, float]:
    """总投资 (万元) split over the sources: mostly 县级, some 省级 and 中央."""
    c = round(total * rng.uniform(0.15, 0.3), 1) if central else 0.0
    p = round(total * rng.uniform(0.15, 0.3), 1)
    city = round(total * rng.uniform(0.0, 0.1), 1)
    return {"invest_central": c, "invest_province": p, "invest_city": city,
            "invest_county": round(total - c - p - city, 1), "invest_other": 0.0}


def sample_projects(data: CountyData, seed: object = 0) -> list[Project]:
    """A realistic ledger for ``data`` (its schools and school year)."""
    rng = random.Random(f"junheng-sample-projects:{seed}:{data.county.code}:{data.county.school_year}")
    year = data.county.school_year
    county = data.county.name
    urban = [s for s in data.schools if s.urban_rural is UrbanRural.URBAN and s.ownership.value == "public"
             and s.school_type in (SchoolType.PRIMARY, SchoolType.JUNIOR, SchoolType.NINE_YEAR)]
    urban.sort(key=lambda s: -s.compulsory_students)  # the most crowded first
    rural = [s for s in data.schools if s.urban_rural is not UrbanRural.URBAN and s.ownership.value == "public"
             and s.school_type in (SchoolType.PRIMARY, SchoolType.JUNIOR, SchoolType.NINE_YEAR)]
    boarding = [s for s in data.schools if s.boarding and s.school_type is not SchoolType.SPECIAL] or rural
    out: list[Project] = []

    def school_project(s, kind: ProjectKind, title: str, start: int, finish: int, *, planned: bool = False,
                       classes: int = 0, teaching: float = 0, sports: float = 0, beds: int = 0, dorm: float = 0,
                       kg: int = 0, other: float = 0, progress: str | None = None) -> None:
        stage = Stage.PRIMARY if s.primary_students >= s.junior_students else Stage.JUNIOR
        size = 45 if stage is Stage.PRIMARY else 50
        places = {"primary_places": classes * size if stage is Stage.PRIMARY else 0,
                  "junior_places": classes * size if stage is Stage.JUNIOR else 0}
        total = round(teaching * 0.35 + sports * 0.065 + dorm * 0.3 + other * 0.3 + kg * 2.2
                      + rng.uniform(20, 80), 1)  # about 3,500 元/㎡ for buildings, 650 元/㎡ for grounds
        status = _status(start, finish, year, planned)
        out.append(Project(
            name=f"{s.name}{title}", kind=kind, start_year=start, finish_year=finish, status=status,
            school_code=s.code, school_name=s.name, **places, beds=beds, kg_places=kg,
            teaching_area=teaching, sports_area=sports, dorm_area=dorm, other_area=other,
            **_money(rng, total, central=s.urban_rural is not UrbanRural.URBAN),
            progress=progress or _progress(status)))

    if urban:
        s = urban[0]
        school_project(s, ProjectKind.EXPANSION, "改扩建工程", year - 2, year, classes=12, teaching=4800,
                       other=600, progress="已竣工并交付使用")
    if len(urban) > 1:
        s = urban[1]
        school_project(s, ProjectKind.EXTRA_FLOOR, "教学楼加层工程", year, year + 1, classes=6, teaching=1620)
    if len(urban) > 2:
        s = urban[2]
        school_project(s, ProjectKind.EXPANSION, "扩建工程", year, year + 2, classes=12, teaching=5400,
                       sports=3200, progress="主体结构施工中")
    if rural:
        s = rural[0]
        school_project(s, ProjectKind.SPORTS_GROUND, "运动场改造工程", year - 1, year - 1, sports=6200,
                       progress="已竣工，塑胶跑道和篮球场投入使用")
    if boarding:
        s = boarding[0]
        school_project(s, ProjectKind.DORMITORY, "学生宿舍楼建设工程", year + 1, year + 2, beds=400, dorm=3600,
                       other=400)
    if len(rural) > 1:
        s = rural[1]
        school_project(s, ProjectKind.KINDERGARTEN, "附属幼儿园建设工程", year, year + 1, kg=270, other=1900)
    if len(rural) > 2:
        s = rural[2]
        school_project(s, ProjectKind.EXPANSION, "综合楼建设工程", year + 2, year + 3, planned=True, classes=6,
                       teaching=2400, progress="已列入项目库，正在开展前期工作")
    # a new school in the growing town centre, with no 标识码 yet
    total = round(9800 + rng.uniform(-600, 600), 1)
    out.append(Project(
        name=f"{county}城东实验学校新建工程", kind=ProjectKind.NEW_SCHOOL, start_year=year, finish_year=year + 2,
        status=_status(year, year + 2, year), school_name=f"{county}城东实验学校",
        primary_places=36 * 45, junior_places=18 * 50, teaching_area=21600, sports_area=14500, other_area=5200,
        **_money(rng, total), progress=None))
    out[-1].progress = _progress(out[-1].status)
    return out


def _progress(status: ProjectStatus) -> str:
    return {ProjectStatus.COMPLETED: "已竣工并交付使用", ProjectStatus.BUILDING: "按计划施工中",
            ProjectStatus.APPROVED: "已立项，正在招标", ProjectStatus.PLANNED: "规划中",
            ProjectStatus.SUSPENDED: "停建"}[status]


def advance_projects(projects: list[Project], year: int) -> list[Project]:
    """The same ledger a year on: statuses follow the years (规划 stays 规划)."""
    out = []
    for p in projects:
        q = dataclasses.replace(p)
        if q.status is not ProjectStatus.PLANNED and q.status is not ProjectStatus.SUSPENDED:
            new = _status(q.start_year, q.finish_year, year)
            if new is not q.status:
                q.status = new
                q.progress = _progress(new)
        out.append(q)
    return out


def funding_facts(data: CountyData, prev: dict[str, object] | None = None, seed: object = 0,
                  falls: bool = False) -> dict[str, object]:
    """县级指标 of funding: 一般公共预算支出 (so 教育支出 is about 18–22 % of it), per-student
    spending by stage this year and last, and 编外教师 pay. ``prev``: last year's facts of
    a series (this year's 上年 values are then last year's values); ``falls``: one stage's
    公用经费 falls (the year a series fails 只增不减)."""
    rng = random.Random(f"junheng-sample-funding:{seed}:{data.county.code}:{data.county.school_year}")
    spending = float(data.facts.get("edu_spending") or 0.0)
    out: dict[str, object] = {}
    if spending:
        out["general_spending"] = round(spending / rng.uniform(0.18, 0.22), 1)
        out["general_spending_prev"] = (prev or {}).get("general_spending") or round(
            float(out["general_spending"]) / rng.uniform(1.02, 1.06), 1)
    has_senior = any(s.senior_students for s in data.schools)
    for k in _STAGE_KEYS:
        if k == "senior" and not has_senior:
            continue
        for name, ranges in (("budget_per_student", _BUDGET), ("public_funds_per_student", _PUBLIC)):
            key = f"{name}_{k}"
            before = (prev or {}).get(key)
            if before is None:
                before = round(rng.uniform(*ranges[k]), 0)
            grow = rng.uniform(0.97, 0.99) if falls and name == "public_funds_per_student" and k == "junior" \
                else rng.uniform(1.02, 1.06)
            out[f"{key}_prev"] = before
            out[key] = round(float(before) * grow, 0)
    # 小学、初中 一般公共预算教育支出 as the 教育经费统计 生均 implies (支出 1.5 % below 经费),
    # so the typed and the computed 生均 agree within intake's tolerance (intake.funding).
    for k, stage in (("primary", Stage.PRIMARY), ("junior", Stage.JUNIOR)):
        students = sum(s.students(stage) for s in data.schools)
        typed = out.get(f"budget_per_student_{k}")
        if spending and students and isinstance(typed, float):
            out[f"edu_spending_{k}"] = round(typed * students / 10000 * 0.985, 1)
    out["contract_teacher_avg_pay"] = round(rng.uniform(52000, 62000), -2)
    out["contract_teacher_pay_total"] = round(rng.uniform(300, 900), 1)
    return out
