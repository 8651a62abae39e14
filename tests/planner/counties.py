"""Small counties for the planner's tests, built on tests/core/builders.py.

``tiny_county`` makes a few primary schools whose R1, R3 (teachers) and R4 (teaching
area) sit around their thresholds while R2, R5–R7 are comfortable, with three kinds of
teacher: A qualified PE teachers (count for R1 and R3), B qualified teachers of other
subjects (R1) and C teachers below the required degree (nothing). Only A teachers may
be moved, which keeps a brute force over all transfers small.
"""

from __future__ import annotations

import math
import random

from junheng.core.facts import BackboneLevel, Degree, SchoolType, Stage, Teacher
from junheng.planner.settings import default_settings
from tests.core.builders import classes, county, rooms, school

_seq = iter(range(1, 10**9))


def teacher(code: str, kind: str, *, eligible: bool = True, movable: bool | None = None,
            stage: Stage = Stage.PRIMARY) -> Teacher:
    qualified = kind in "ABD"
    t = Teacher(
        teacher_id=f"P{next(_seq):07d}", school_code=code, stage=stage,
        degree=Degree.BACHELOR if qualified else Degree.HIGH_SCHOOL_OR_BELOW,
        backbone_level=BackboneLevel.COUNTY if kind == "D" else BackboneLevel.NONE,
        subject="体育" if kind == "A" else "语文", certified=True, training_hours_5y=400,
        rotation_eligible=eligible, rotated=False,
    )
    if movable is not None:
        t.extra["movable"] = movable
    return t


def tiny_school(code: str, students: int, a: int, b: int, c: int, area_factor: float):
    """A primary school: ``a`` A, ``b`` B and ``c`` C teachers, enough backbone
    teachers (not movable), teaching area = area_factor × 4.5 ㎡ per student."""
    s = school(code, SchoolType.PRIMARY, primary=students, teaching_area=round(area_factor * 4.5 * students, 1),
               sports_area=10 * students, equipment=0.3 * students, multimedia=math.ceil(0.03 * students) + 1)
    backbone = math.ceil(students / 100) + 1
    staff = ([teacher(code, "A") for _ in range(a)] + [teacher(code, "B", movable=False) for _ in range(b)]
             + [teacher(code, "C", movable=False) for _ in range(c)]
             + [teacher(code, "D", movable=False) for _ in range(backbone)])
    k = -(-students // 40)
    sizes = [students // k + (1 if i < students % k else 0) for i in range(k)]
    return s, staff, classes(code, Stage.PRIMARY, sizes), rooms(code)


def tiny_county(rng: random.Random, schools: int):
    parts = []
    for i in range(schools):
        students = rng.randint(60, 160)
        need_r1 = 4.2 * students / 100  # qualified teachers for R1
        need_r3 = 0.9 * students / 100  # PE/art teachers for R3
        a = max(0, round(need_r3 * rng.uniform(0.0, 2.6)))
        b = max(0, round((need_r1 - a) * rng.uniform(0.6, 1.3)))
        parts.append(tiny_school(f"35040490{i:02d}", students, a, b, rng.randint(0, 3),
                                 rng.uniform(0.7, 1.4)))
    return county(parts)


def tiny_settings(*, area_step: float = 50, gap: float = 0.0, rooms: bool = False, rotation: bool = False):
    """Only what the brute force enumerates: transfers, two hire kinds, teaching area."""
    s = default_settings()
    costs = s.costs.model_copy(update={"sports_area": None, "equipment": None, "multimedia_room": None})
    hires = tuple(h for h in s.hires if h.key in ("qualified", "pe_art"))
    hires = tuple(h.model_copy(update={"cost": 100000.0}) if h.key == "qualified" else h for h in hires)
    return s.model_copy(update={
        "costs": costs, "hires": hires,
        "steps": s.steps.model_copy(update={"area_m2": area_step, "min_area_m2": 0}),
        "goals": s.goals.model_copy(update={"rooms": rooms, "rotation": rotation}),
        "solver": s.solver.model_copy(update={"mip_gap": gap}),
    })
