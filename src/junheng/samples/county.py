"""A realistic, deterministic, filled county: the data behind `junheng sample`.

The county is built to exercise every part of a verdict: most schools pass the seven
resource indicators comfortably, a few pass only through the 85 % clause, a few fail;
a few classes are oversized (some 大班额, one 超大班额), a couple of music/art rooms
are too small, teacher rotation falls short of 10 % and the 优质高中 quota share of
50 %. So the default county is not recognised, for reasons a user can see.
"""

from __future__ import annotations

import math
import random

from junheng.core.facts import (
    County,
    CountyData,
    Ownership,
    RoomType,
    SchoolClass,
    SchoolType,
    Teacher,
)
from junheng.samples.classes import (
    class_list,
    plant_oversized,
    plant_small_room,
    room_list,
    rooms_needed,
)
from junheng.samples.codes import school_code
from junheng.samples.health import generate_health
from junheng.samples.preschool import generate_kindergartens
from junheng.samples.profiles import (
    JUNIOR,
    PRIMARY,
    RURAL,
    TOWN,
    URBAN,
    Namer,
    SchoolPlan,
    group_name,
    school_types,
    students_for,
    urban_rural_for,
)
from junheng.samples.projects import funding_facts, sample_projects
from junheng.samples.resources import FUNDING_QUOTA, boarding_for, build_school
from junheng.samples.staff import roster, rotate
from junheng.samples.staff_posts import add_staff_posts
from junheng.samples.supplements import add_school_supplements, supplementary_facts

INDICATORS = ("R1", "R2", "R3", "R4", "R5", "R6", "R7")

# Normal schools: each indicator as a multiple of its threshold, by urban/rural class.
# Urban schools are crowded (less area per student) but richer in backbone teachers
# and equipment; rural schools the other way round.
_NORMAL_RANGES = {
    "R1": {URBAN: (1.05, 1.3), TOWN: (1.05, 1.35), RURAL: (1.08, 1.45)},
    "R2": {URBAN: (1.3, 2.3), TOWN: (1.1, 1.8), RURAL: (1.05, 1.5)},
    "R3": {URBAN: (1.05, 1.5), TOWN: (1.05, 1.5), RURAL: (1.1, 1.7)},
    "R4": {URBAN: (1.02, 1.3), TOWN: (1.05, 1.5), RURAL: (1.1, 1.8)},
    "R5": {URBAN: (1.02, 1.3), TOWN: (1.1, 1.7), RURAL: (1.2, 2.1)},
    "R6": {URBAN: (1.2, 1.8), TOWN: (1.05, 1.5), RURAL: (1.02, 1.4)},
    "R7": {URBAN: (1.05, 1.4), TOWN: (1.05, 1.35), RURAL: (1.05, 1.45)},
}

# Indicators that are continuous enough to land in the 85–100 % window at any size.
_NEAR_INDICATORS = ("R4", "R5", "R6")

ROTATION_SHARE = 0.08  # below the 10 % of G11, on purpose
ROTATION_BACKBONE_SHARE = 0.3
QUOTA_ALLOCATION_PCT = 46.0  # below the 50 % of G14, on purpose


def generate_county(
    schools: int = 40,
    seed: int = 2025,
    county_code: str = "350404",
    school_year: int = 2025,
) -> CountyData:
    """A filled county of ``schools`` schools; the same arguments give the same data."""
    return build_county(schools, seed, county_code, school_year)[0]


def build_county(
    schools: int, seed: int, county_code: str, school_year: int
) -> tuple[CountyData, list[SchoolPlan]]:
    """The county and the plans it was built from (the plans carry each school's
    targets, which later years of a series keep: see samples.years)."""
    if schools < 1:
        raise ValueError("a county needs at least one school")
    rng = random.Random(f"junheng-sample:{seed}:{county_code}:{school_year}:{schools}")
    county = County(
        code=county_code,
        name="示例县",
        school_year=school_year,
        city="示例市",
        province="示例省",
        basic_balance_year=school_year - 7,
    )
    plans = _plan_schools(schools, county, rng)
    _assign_groups(plans, county.name, rng)
    _assign_targets(plans, rng)

    school_rows = [build_school(p, rng) for p in plans]

    teachers: list[Teacher] = []
    for plan in plans:
        teachers += roster(plan, rng, county_code, len(teachers) + 1)
    rotate(teachers, rng, ROTATION_SHARE, ROTATION_BACKBONE_SHARE)

    classes_by_school = {p.code: class_list(p, rng) for p in plans}
    in_scope = [p.code for p in plans if p.role != "excluded"]
    if schools >= 10:
        reps = max(1, schools // 40)
        wanted = [(PRIMARY, 47), (JUNIOR, 53), (PRIMARY, 58), (JUNIOR, 61)] * reps
        wanted += [(PRIMARY, 68)] * reps
        plant_oversized(classes_by_school, in_scope, wanted, rng)
    classes: list[SchoolClass] = [c for p in plans for c in classes_by_school[p.code]]

    needed = {code: rooms_needed(len(cs)) for code, cs in classes_by_school.items()}
    rooms_by_school = {p.code: room_list(p, len(classes_by_school[p.code]), rng) for p in plans}
    if schools >= 10:
        # G3 covers 小学 and 初中 (incl. 一贯制 and 完全中学), not 教学点.
        room_scope = [p.code for p in plans if p.role != "excluded"
                      and p.school_type is not SchoolType.TEACHING_POINT]
        for _ in range(max(1, schools // 40)):
            plant_small_room(rooms_by_school, needed, room_scope, RoomType.MUSIC, rng)
            plant_small_room(rooms_by_school, needed, room_scope, RoomType.ART, rng)
    rooms = [r for p in plans for r in rooms_by_school[p.code]]

    data = CountyData(
        county=county,
        schools=school_rows,
        teachers=teachers,
        classes=classes,
        rooms=rooms,
        source=f"junheng sample --schools {schools} --seed {seed}",
    )
    data.facts = county_facts(data, rng)
    # The optional parts draw from their own stream, so the rest stays as it was.
    more = random.Random(f"junheng-sample-more:{seed}:{county_code}:{school_year}:{schools}")
    add_school_supplements(data, more)
    kgs, kg_classes = generate_kindergartens(county_code, county.name, schools, more, school_year)
    data.extra_tables["kindergartens"] = kgs
    data.extra_tables["kindergarten_classes"] = kg_classes
    data.facts.update(supplementary_facts(data, more))
    # 编制, 乡镇, 出生年份, 性别 (teacher supply): their own stream too.
    add_staff_posts(data, random.Random(f"junheng-sample-posts:{seed}:{county_code}:{school_year}:{schools}"),
                    frozenset(p.code for p in plans if p.role != "normal"))
    data.extra_tables["projects"] = sample_projects(data, seed)
    data.facts.update(funding_facts(data, seed=seed))
    data.extra_tables["health"] = generate_health(data)  # its own random streams
    return data, plans


def _plan_schools(n: int, county: County, rng: random.Random) -> list[SchoolPlan]:
    namer = Namer(county.name, rng)
    plans: list[SchoolPlan] = []
    points = 0
    for i, school_type in enumerate(school_types(n), start=1):
        ur = urban_rural_for(school_type, rng)
        private = (
            school_type in (SchoolType.PRIMARY, SchoolType.JUNIOR, SchoolType.NINE_YEAR)
            and ur is not RURAL
            and rng.random() < 0.08
        )
        ownership = Ownership.PRIVATE if private else Ownership.PUBLIC
        small_point = False
        if school_type is SchoolType.TEACHING_POINT:
            small_point = points % 2 == 0  # alternate: half under 50 students, half over
            points += 1
        plan = SchoolPlan(
            code=school_code(county.code, i, n),
            name=namer.name(school_type, ur, ownership),
            school_type=school_type,
            urban_rural=ur,
            ownership=ownership,
            boarding=False,
            students=students_for(school_type, ur, rng, small_point=small_point),
        )
        plan.boarding = boarding_for(plan, rng)
        if school_type is SchoolType.SPECIAL or small_point:
            plan.role = "excluded"
        plans.append(plan)
    return plans


def _assign_groups(plans: list[SchoolPlan], county_name: str, rng: random.Random) -> None:
    """Some urban public schools lead an 教育集团 with town and rural members."""
    n_groups = len(plans) // 25
    leaders = [p for p in plans if p.urban_rural is URBAN and p.ownership is Ownership.PUBLIC
               and p.school_type in (SchoolType.PRIMARY, SchoolType.JUNIOR, SchoolType.NINE_YEAR)]
    members = [p for p in plans if p.urban_rural is not URBAN and p.ownership is Ownership.PUBLIC
               and p.school_type in (SchoolType.PRIMARY, SchoolType.JUNIOR, SchoolType.NINE_YEAR)]
    rng.shuffle(members)
    for leader in leaders[:n_groups]:
        name = group_name(county_name, leader.name)
        leader.group = name
        for _ in range(rng.randint(1, 3)):
            if members:
                members.pop().group = name


def _assign_targets(plans: list[SchoolPlan], rng: random.Random) -> None:
    for p in plans:
        p.targets = {k: rng.uniform(*_NORMAL_RANGES[k][p.urban_rural]) for k in INDICATORS}
    n = len(plans)
    if n < 10:
        return
    count = math.ceil(n * 0.06)
    single_stage = [p for p in plans if p.role == "normal" and p.total() >= 300
                    and p.school_type in (SchoolType.PRIMARY, SchoolType.JUNIOR)]
    for p in rng.sample(single_stage, min(count, len(single_stage))):
        p.role = "near"  # 6 of 7, the seventh at 88–97 % of its threshold
        p.targets[rng.choice(_NEAR_INDICATORS)] = rng.uniform(0.88, 0.97)
    failing = [p for p in plans if p.role == "normal"
               and p.school_type is not SchoolType.TEACHING_POINT]
    for p in rng.sample(failing, min(count, len(failing))):
        p.role = "fail"
        pattern = rng.random()
        if pattern < 0.4:  # one indicator far below (crowded urban playgrounds, few backbones)
            k = "R5" if p.urban_rural is URBAN else rng.choice(("R2", "R6", "R7"))
            p.targets[k] = rng.uniform(0.55, 0.8)
        elif pattern < 0.7:  # two indicators just short: 5 of 7 is a fail however close
            for k in rng.sample(_NEAR_INDICATORS, 2):
                p.targets[k] = rng.uniform(0.9, 0.97)
        else:  # a poorly equipped school
            for k in rng.sample(INDICATORS, 3):
                p.targets[k] = rng.uniform(0.6, 0.84)


def county_facts(data: CountyData, rng: random.Random) -> dict[str, object]:
    """Every 县级指标, consistent with the schools; G14 fails on purpose."""
    schools = data.schools
    total = sum(s.primary_students + s.junior_students + s.senior_students for s in schools)
    compulsory = sum(s.compulsory_students for s in schools)
    graduating = sum(c.students for c in data.classes if c.grade == 9)
    cohort_in = round(graduating * rng.uniform(0.015, 0.03))
    cohort_out = round(graduating * rng.uniform(0.02, 0.04))
    deaths = graduating // 2500
    retention = rng.uniform(0.962, 0.985)
    cohort_start = max(0, round(graduating / retention - cohort_in + cohort_out + deaths))
    disabled = max(5, round(compulsory * 0.0025))
    migrants = round(compulsory * rng.uniform(0.04, 0.08))
    spending_prev = round(total * rng.uniform(1.45, 1.65), 1)  # 万元: about 15 000 元 per student
    students_prev = round(total * rng.uniform(0.97, 1.0))
    return {
        "layout_ok": True,
        "four_unified": True,
        "primary_funding_quota": FUNDING_QUOTA[PRIMARY],
        "junior_funding_quota": FUNDING_QUOTA[JUNIOR],
        "teacher_avg_pay": 98600.0,
        "civil_servant_avg_pay": 97150.0,
        "performance_pay_ok": True,
        "staffing_pooled": True,
        "catchment_primary_pct": 100.0,
        "catchment_junior_pct": 97.5,
        "quota_allocation_pct": QUOTA_ALLOCATION_PCT,
        "left_behind_care_ok": True,
        "migrant_eligible": migrants,
        "migrant_in_public": math.ceil(migrants * 0.91),
        "cohort_start": cohort_start,
        "cohort_in": cohort_in,
        "cohort_out": cohort_out,
        "cohort_deaths": deaths,
        "cohort_graduating": graduating,
        "disabled_children": disabled,
        "disabled_enrolled": math.ceil(disabled * 0.97),
        "charter_and_ict_ok": True,
        "ict_teaching_ok": True,
        "moral_culture_ok": True,
        "curriculum_ok": True,
        "no_overload": True,
        "monitoring_level_ok": True,
        "monitoring_gap_rate": 0.12,
        "satisfaction_pct": 91.6,
        "veto_exam_admission": False,
        "veto_illegal_choice": False,
        "veto_key_school": False,
        "veto_safety": False,
        "veto_violation": False,
        "veto_unfilled_posts": False,
        "veto_contract_teachers": False,
        "basic_balance_kept": True,
        "edu_spending": round(spending_prev * 1.06, 1),
        "edu_spending_prev": spending_prev,
        "students_total": total,
        "students_total_prev": students_prev,
        **stage_spending(round(spending_prev * 1.06, 1)),
    }


# Shares of the year's 一般公共预算教育支出 spent on 小学 and 初中 (the rest: 高中, 学前,
# 职业教育 …), fixed so that drawing them takes no random numbers from the sample's stream.
PRIMARY_SPENDING_SHARE, JUNIOR_SPENDING_SHARE = 0.42, 0.24


def stage_spending(spending: float) -> dict[str, float]:
    return {"edu_spending_primary": round(spending * PRIMARY_SPENDING_SHARE, 1),
            "edu_spending_junior": round(spending * JUNIOR_SPENDING_SHARE, 1)}

