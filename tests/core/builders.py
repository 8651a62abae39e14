"""Build small hand-checked counties in Python (no Excel), for engine tests."""

from __future__ import annotations

from itertools import count

from junheng.core.facts import (
    BackboneLevel,
    County,
    CountyData,
    Degree,
    Ownership,
    Room,
    RoomType,
    School,
    SchoolClass,
    SchoolType,
    Stage,
    Teacher,
    TeacherTitle,
    UrbanRural,
)

_ids = count(1)

PASSING_FACTS = {
    "layout_ok": True, "four_unified": True, "primary_funding_quota": 650, "junior_funding_quota": 850,
    "teacher_avg_pay": 98000, "civil_servant_avg_pay": 96000, "performance_pay_ok": True,
    "staffing_pooled": True, "catchment_primary_pct": 100, "catchment_junior_pct": 97,
    "quota_allocation_pct": 55, "left_behind_care_ok": True, "migrant_eligible": 1000,
    "migrant_in_public": 900, "cohort_start": 1000, "cohort_in": 30, "cohort_out": 20,
    "cohort_deaths": 1, "cohort_graduating": 990, "disabled_children": 100, "disabled_enrolled": 97,
    "charter_and_ict_ok": True, "ict_teaching_ok": True, "moral_culture_ok": True,
    "curriculum_ok": True, "no_overload": True, "monitoring_level_ok": True,
    "monitoring_gap_rate": 0.1, "satisfaction_pct": 90, "veto_exam_admission": False,
    "veto_illegal_choice": False, "veto_key_school": False, "veto_safety": False,
    "veto_violation": False, "basic_balance_kept": True, "veto_unfilled_posts": False,
    "veto_contract_teachers": False, "edu_spending": 52000, "edu_spending_prev": 50000,
    "students_total": 40000, "students_total_prev": 39500,
    # 分学段生均经费 (F3, F4): a county with 小学 and 初中 only
    "budget_per_student_primary": 13500, "budget_per_student_primary_prev": 13100,
    "budget_per_student_junior": 19800, "budget_per_student_junior_prev": 19200,
    "public_funds_per_student_primary": 2900, "public_funds_per_student_primary_prev": 2800,
    "public_funds_per_student_junior": 4100, "public_funds_per_student_junior_prev": 3950,
}


def school(code: str, school_type: SchoolType = SchoolType.PRIMARY, primary: int = 0, junior: int = 0,
           *, senior: int = 0, teaching_area: float = 0, sports_area: float = 0, equipment: float = 0,
           multimedia: int = 0, name: str | None = None, ownership: Ownership = Ownership.PUBLIC,
           urban_rural: UrbanRural = UrbanRural.URBAN, budget: float = 100, training: float = 6,
           allocated: float = 100, indoor: float | None = None, row: int = 0, **extra) -> School:
    return School(code=code, name=name or f"学校{code[-3:]}", school_type=school_type,
                  urban_rural=urban_rural, ownership=ownership, boarding=False,
                  primary_students=primary, junior_students=junior, senior_students=senior,
                  teaching_area=teaching_area, sports_area=sports_area, equipment_value=equipment,
                  multimedia_rooms=multimedia, public_funds_budget=budget, training_budget=training,
                  public_funds_allocated=allocated, indoor_sports_area=indoor, row=row, extra=extra)


def teachers(code: str, stage: Stage, total: int, *, above: int = 0, backbone: int = 0, pe_art: int = 0,
             certified: int | None = None, trained: int | None = None, eligible: int = 0,
             rotated: int = 0, titled: int | None = None) -> list[Teacher]:
    """``total`` teachers: the first ``above`` have the required degree, the first
    ``backbone`` are county backbone teachers, the first ``rotated`` rotated this year
    (so rotated teachers are backbone first), the last ``pe_art`` teach 体育; with
    ``titled``, the first ``titled`` hold a 一级 (中级) title and the rest 二级."""
    high = Degree.BACHELOR
    low = Degree.HIGH_SCHOOL_OR_BELOW
    out = []
    for i in range(total):
        is_rotated = i < rotated
        is_backbone = i < backbone
        out.append(Teacher(
            teacher_id=f"T{next(_ids):07d}", school_code=code, stage=stage,
            degree=high if i < above else low,
            backbone_level=BackboneLevel.COUNTY if is_backbone else BackboneLevel.NONE,
            subject="体育" if total - i <= pe_art else "语文",
            certified=i < (total if certified is None else certified),
            training_hours_5y=400 if i < (total if trained is None else trained) else 100,
            rotation_eligible=i < max(eligible, rotated), rotated=is_rotated,
            title=None if titled is None else (TeacherTitle.FIRST if i < titled else TeacherTitle.SECOND),
        ))
    return out


def classes(code: str, stage: Stage, sizes: list[int], grade: int | None = None) -> list[SchoolClass]:
    g = grade or (1 if stage is Stage.PRIMARY else 7)
    return [SchoolClass(code, stage, g, f"{g}年级{i + 1}班", n) for i, n in enumerate(sizes)]


def rooms(code: str, music: list[float] = (96,), art: list[float] = (90,)) -> list[Room]:
    return [Room(code, RoomType.MUSIC, a) for a in music] + [Room(code, RoomType.ART, a) for a in art]


def good_primary(code: str, students: int = 100, **overrides) -> tuple[School, list[Teacher], list[SchoolClass], list[Room]]:
    """A primary school meeting every R threshold with a little room to spare."""
    kw = dict(teaching_area=5 * students, sports_area=8 * students, equipment=0.25 * students,
              multimedia=max(1, round(0.03 * students)))
    kw.update(overrides)
    s = school(code, SchoolType.PRIMARY, primary=students, **kw)
    n = max(1, round(0.06 * students))
    t = teachers(code, Stage.PRIMARY, n, above=n, backbone=max(1, round(0.015 * students)),
                 pe_art=max(1, round(0.012 * students)), eligible=n, rotated=max(1, n // 4))
    k = -(-students // 40)  # classes of at most 40
    sizes = [students // k + (1 if i < students % k else 0) for i in range(k)]
    return s, t, classes(code, Stage.PRIMARY, sizes), rooms(code)


def county(parts, facts: dict | None = None, *, basic_balance_year: int | None = 2018,
           school_year: int = 2025) -> CountyData:
    schools, ts, cs, rs = [], [], [], []
    for p in parts:
        if isinstance(p, School):
            schools.append(p)
            continue
        s, t, c, r = p
        schools.append(s)
        ts += t
        cs += c
        rs += r
    return CountyData(
        county=County("350404", "测试县", school_year, basic_balance_year=basic_balance_year),
        schools=schools, teachers=ts, classes=cs, rooms=rs,
        facts=dict(PASSING_FACTS if facts is None else facts),
    )
