"""Property: a plan, applied to the data and re-evaluated by the engine, passes every
goal it claims — on random small counties with primary, junior and nine-year schools,
public and private, teachers that may not move or already rotated, small rooms and a
CV limit that is sometimes tight."""

from __future__ import annotations

import math
import os
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from junheng.core.facts import (
    BackboneLevel,
    Degree,
    Ownership,
    Room,
    RoomType,
    SchoolType,
    Stage,
    Teacher,
)
from junheng.planner.settings import default_settings
from junheng.planner.solve import make_plan

from ..core.builders import classes, county, school
from .test_bruteforce import NATIONAL, strict

_STAGES = {SchoolType.PRIMARY: (Stage.PRIMARY,), SchoolType.JUNIOR: (Stage.JUNIOR,),
           SchoolType.NINE_YEAR: (Stage.PRIMARY, Stage.JUNIOR)}


SUBJECTS = ["语文", "语文", "数学", "数学", "英语", "科学", "道德与法治", "体育", "音乐", "美术", "信息技术", "书法"]


def random_county(rng: random.Random, subjects: bool = False):
    """With ``subjects``: teachers of many subjects (one outside the curriculum, 书法)."""
    parts = []
    seq = 0
    for i in range(rng.randint(2, 6)):
        code = f"35040480{i:02d}"
        stype = rng.choice([SchoolType.PRIMARY] * 3 + [SchoolType.JUNIOR, SchoolType.NINE_YEAR])
        counts = {st: rng.randint(40, 400) for st in _STAGES[stype]}
        total = sum(counts.values())
        f = {k: rng.uniform(0.6, 1.6) for k in ("R4", "R5", "R6", "R7")}
        s = school(code, stype, primary=counts.get(Stage.PRIMARY, 0), junior=counts.get(Stage.JUNIOR, 0),
                   teaching_area=round(f["R4"] * 5.8 * total, 1), sports_area=round(f["R5"] * 10.2 * total, 1),
                   equipment=round(f["R6"] * 0.25 * total, 2), multimedia=math.floor(f["R7"] * 0.024 * total),
                   ownership=Ownership.PRIVATE if rng.random() < 0.15 else Ownership.PUBLIC)
        if rng.random() < 0.3:
            s.extra["max_extra_sports_area"] = float(rng.choice([0, 200, 1000]))
        teachers, cls = [], []
        for stage, n in counts.items():
            for _ in range(max(1, round(n / rng.uniform(9, 16)))):
                seq += 1
                t = Teacher(
                    teacher_id=f"R{seq:06d}", school_code=code, stage=stage,
                    degree=Degree.BACHELOR if rng.random() < rng.uniform(0.6, 1.0) else Degree.COLLEGE,
                    backbone_level=BackboneLevel.CITY if rng.random() < 0.12 else BackboneLevel.NONE,
                    subject=(rng.choice(SUBJECTS) if subjects else "音乐" if rng.random() < 0.08 else "数学"),
                    certified=True, training_hours_5y=400,
                    rotation_eligible=rng.random() < 0.4, rotated=rng.random() < 0.03)
                if rng.random() < 0.1:
                    t.extra["movable"] = False
                teachers.append(t)
            k = -(-n // 42)
            cls += classes(code, stage, [n // k + (1 if j < n % k else 0) for j in range(k)])
        rooms = [Room(code, RoomType.MUSIC, rng.choice([70.0, 96.0, 120.0])) for _ in range(rng.randint(0, 2))]
        rooms += [Room(code, RoomType.ART, rng.choice([60.0, 90.0])) for _ in range(rng.randint(0, 2))]
        parts.append((s, teachers, cls, rooms))
    return county(parts)


@settings(max_examples=int(os.environ.get("JUNHENG_PLAN_EXAMPLES", "14")), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 2**32 - 1), tight=st.booleans())
def test_a_plan_passes_what_it_claims(seed, tight):
    data = random_county(random.Random(seed))
    standard = strict(0.3) if tight else NATIONAL
    plan_settings = default_settings().with_time_limit(30)
    teachers_before = [(t.teacher_id, t.school_code, t.rotated) for t in data.teachers]
    plan = make_plan(data, standard, plan_settings)
    after = plan.after

    assert [(t.teacher_id, t.school_code, t.rotated) for t in data.teachers] == teachers_before  # input untouched
    assert plan.warnings == []
    parts = {(r.school_code, str(r.stage)): r for r in after.schools}
    for goal in plan.claimed:
        if goal.kind == "school":
            assert parts[goal.key].passed, goal
        elif goal.kind == "cv":
            assert after.dispersion[Stage(goal.key[0])][goal.key[1]].passed is True, goal
        elif goal.kind == "rooms":
            g3 = after.items["G3"]
            assert not any(f["school_code"] == goal.key[0] and f[f"{goal.key[1]}_ok"] < f["required"]
                           for f in g3.failures), goal
        else:
            assert after.items[goal.key[0]].passed is True, goal
    if plan.status in ("optimal", "feasible", "nothing_to_do"):
        assert len(plan.claimed) == len(plan.goals)
        assert after.dimensions["resource"].passed is True
        assert plan.still_failing == []
    else:
        assert plan.unreachable  # said why, in Chinese
        assert all(any("\u4e00" <= ch <= "\u9fff" for ch in line) for line in plan.unreachable)
    if plan.lower_bound is not None:
        assert plan.lower_bound <= plan.cost + 1e-6
    assert plan.cost == sum(a.cost for a in (*plan.actions.fields, *plan.actions.hires,
                                             *plan.actions.transfers, *plan.actions.rooms))
    # every moved teacher keeps its id and now works where the plan sent it
    placed = {t.teacher_id: t.school_code for t in data.teachers}
    for move in plan.actions.transfers:
        assert placed[move.teacher_id] == move.from_code != move.to_code
