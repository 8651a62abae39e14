"""Teacher rosters for synthetic schools, sized so that R1–R3 land where the plan says."""

from __future__ import annotations

import math
import random

from junheng.core.facts import BackboneLevel, Degree, Ownership, SchoolType, Teacher
from junheng.samples.profiles import JUNIOR, PRIMARY, RURAL, SENIOR, TOWN, URBAN, SchoolPlan

# Sample-generation targets around the national thresholds of yzjh-2017 (per 100
# students). The evaluation never reads these; they only shape the synthetic data.
TEACHER_THRESHOLDS = {
    "R1": {PRIMARY: 4.2, JUNIOR: 5.3},
    "R2": {PRIMARY: 1.0, JUNIOR: 1.0},
    "R3": {PRIMARY: 0.9, JUNIOR: 0.9},
}

# Pupils per full-time teacher.
_PUPILS_PER_TEACHER = {
    (PRIMARY, URBAN): 17.5, (PRIMARY, TOWN): 15.0, (PRIMARY, RURAL): 11.0,
    (JUNIOR, URBAN): 12.5, (JUNIOR, TOWN): 11.5, (JUNIOR, RURAL): 9.5,
    (SENIOR, URBAN): 12.5, (SENIOR, TOWN): 13.0, (SENIOR, RURAL): 13.0,
}

_ABOVE_DEGREES = {
    PRIMARY: ((Degree.POSTGRADUATE, Degree.BACHELOR, Degree.COLLEGE), (4, 68, 28)),
    JUNIOR: ((Degree.POSTGRADUATE, Degree.BACHELOR), (9, 91)),
    SENIOR: ((Degree.POSTGRADUATE, Degree.BACHELOR), (16, 84)),
}
_BELOW_DEGREES = {
    PRIMARY: ((Degree.HIGH_SCHOOL_OR_BELOW,), (1,)),
    JUNIOR: ((Degree.COLLEGE, Degree.HIGH_SCHOOL_OR_BELOW), (95, 5)),
    SENIOR: ((Degree.COLLEGE, Degree.HIGH_SCHOOL_OR_BELOW), (95, 5)),
}
_BACKBONE_LEVELS = (
    (BackboneLevel.COUNTY, BackboneLevel.CITY, BackboneLevel.PROVINCE, BackboneLevel.NATIONAL),
    (58, 30, 10, 2),
)
_PE_ART = (("体育", "音乐", "美术", "艺术"), (45, 27, 25, 3))
_CORE_SUBJECTS = {
    PRIMARY: (
        ("语文", "数学", "英语", "科学", "道德与法治", "信息科技", "综合实践活动", "心理健康"),
        (35, 29, 12, 8, 6, 4, 4, 2),
    ),
    JUNIOR: (
        ("语文", "数学", "英语", "物理", "化学", "生物", "地理", "历史", "道德与法治", "信息科技", "心理健康"),
        (16, 16, 15, 9, 7, 7, 7, 8, 8, 4, 3),
    ),
    SENIOR: (
        ("语文", "数学", "英语", "物理", "化学", "生物", "地理", "历史", "思想政治", "信息技术", "通用技术"),
        (15, 15, 15, 10, 9, 8, 7, 8, 7, 3, 3),
    ),
}


def _needed(target: float, threshold: float, students: int) -> int:
    """Teachers needed so that 100 × count / students is ``target`` × threshold: rounded up
    when the school is meant to pass, down when it is meant to fail."""
    exact = target * threshold * students / 100
    return math.ceil(exact - 1e-9) if target >= 1 else math.floor(exact)


def _choices(rng: random.Random, table: tuple[tuple, tuple], k: int) -> list:
    values, weights = table
    return rng.choices(values, weights=weights, k=k)


def roster(plan: SchoolPlan, rng: random.Random, county_code: str, first_seq: int) -> list[Teacher]:
    """All full-time teachers of one school, numbered from ``first_seq``."""
    teachers: list[Teacher] = []
    seq = first_seq
    public = plan.ownership is Ownership.PUBLIC
    for stage, students in plan.students.items():
        if students <= 0:
            continue
        if plan.school_type is SchoolType.SPECIAL:
            ratio = 3.5  # special education: small classes, many teachers
        elif plan.school_type is SchoolType.TEACHING_POINT:
            ratio = 8.5
        else:
            ratio = _PUPILS_PER_TEACHER[(stage, plan.urban_rural)]
        total = max(1, round(students / (ratio * rng.uniform(0.92, 1.08))))
        if stage is SENIOR:
            above = round(total * 0.98)
            backbone = round(total * rng.uniform(0.04, 0.09))
            pe_art = max(1, round(total * rng.uniform(0.07, 0.1)))
        else:
            t = plan.targets
            above = _needed(t.get("R1", 1.2), TEACHER_THRESHOLDS["R1"][stage], students)
            backbone = _needed(t.get("R2", 1.4), TEACHER_THRESHOLDS["R2"][stage], students)
            pe_art = _needed(t.get("R3", 1.3), TEACHER_THRESHOLDS["R3"][stage], students)
            if t.get("R1", 1.2) < 1:
                # A school short of qualified teachers is short of teachers overall.
                total = max(above + rng.randint(0, 2), backbone, pe_art, 1)
            else:
                # Nearly every teacher holds the required degree nowadays; the target
                # is a floor that matters in large, crowded schools.
                total = max(total, above, backbone, pe_art)
                share = rng.uniform(0.96, 1.0) if stage is PRIMARY else rng.uniform(0.9, 0.99)
                above = max(above, round(total * share))
        above = min(above, total)
        degrees = _choices(rng, _ABOVE_DEGREES[stage], above) + _choices(
            rng, _BELOW_DEGREES[stage], total - above
        )
        rng.shuffle(degrees)
        is_backbone = set(rng.sample(range(total), min(backbone, total)))
        is_pe_art = set(rng.sample(range(total), min(pe_art, total)))
        levels = iter(_choices(rng, _BACKBONE_LEVELS, len(is_backbone)))
        arts = iter(_choices(rng, _PE_ART, len(is_pe_art)))
        cores = iter(_choices(rng, _CORE_SUBJECTS[stage], total - len(is_pe_art)))
        eligible_share = 0.32 if public else 0.0
        for i in range(total):
            teachers.append(
                Teacher(
                    teacher_id=f"T{county_code}{seq:06d}",
                    school_code=plan.code,
                    stage=stage,
                    degree=degrees[i],
                    backbone_level=next(levels) if i in is_backbone else BackboneLevel.NONE,
                    subject=next(arts) if i in is_pe_art else next(cores),
                    certified=True,
                    training_hours_5y=float(rng.randint(360, 640)),
                    rotation_eligible=rng.random() < eligible_share,
                    rotated=False,
                )
            )
            seq += 1
    return teachers


def rotate(teachers: list[Teacher], rng: random.Random, share: float, backbone_share: float) -> int:
    """Mark ``share`` of the eligible teachers as rotated this year, ``backbone_share`` of
    them backbone teachers where possible. Returns how many were rotated."""
    eligible = [t for t in teachers if t.rotation_eligible]
    count = math.floor(len(eligible) * share)
    backbone = [t for t in eligible if t.backbone_level is not BackboneLevel.NONE]
    others = [t for t in eligible if t.backbone_level is BackboneLevel.NONE]
    n_backbone = min(len(backbone), math.ceil(count * backbone_share))
    chosen = rng.sample(backbone, n_backbone) + rng.sample(others, min(len(others), count - n_backbone))
    for t in chosen:
        t.rotated = True
    return len(chosen)
