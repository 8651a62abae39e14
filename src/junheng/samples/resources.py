"""Buildings, equipment, rooms and budgets of a synthetic school, from its plan's targets."""

from __future__ import annotations

import math
import random

from junheng.core.facts import Ownership, School, SchoolType
from junheng.samples.profiles import (
    JUNIOR,
    PRIMARY,
    RURAL,
    SENIOR,
    TOWN,
    URBAN,
    SchoolPlan,
    ceil_to,
    split_weights,
)

# Sample-generation targets around the national thresholds of yzjh-2017 for the
# shared resources: R4, R5 in ㎡ per student, R6 in 元 per student, R7 per 100
# students. The evaluation never reads these.
RESOURCE_THRESHOLDS = {
    "R4": {PRIMARY: 4.5, JUNIOR: 5.8},
    "R5": {PRIMARY: 7.5, JUNIOR: 10.2},
    "R6": {PRIMARY: 2000.0, JUNIOR: 2500.0},
    "R7": {PRIMARY: 2.3, JUNIOR: 2.4},
}

# 生均公用经费基准定额 (元) used for budgets; the county facts carry the same values.
FUNDING_QUOTA = {PRIMARY: 720.0, JUNIOR: 940.0, SENIOR: 1100.0}
SPECIAL_FUNDING = 6000.0
BOARDING_EXTRA = 300.0


def _base_value(plan: SchoolPlan, indicator: str) -> float:
    """The resource as if every indicator were exactly at its threshold.

    Shared resources are split by weighted students (1 : 1.1 : 1.32, or 1 : 1.2 for a
    完全中学), so the weighted per-student value must meet the strictest stage."""
    weights = split_weights(plan.school_type)
    thresholds = RESOURCE_THRESHOLDS[indicator]
    present = [s for s in (PRIMARY, JUNIOR) if plan.students.get(s, 0) > 0]
    if not present:  # a senior-only school does not exist here, but stay total
        present = [PRIMARY]
    per_unit = max(thresholds[s] / weights[s] for s in present)
    weighted = sum(weights[s] * n for s, n in plan.students.items() if n > 0)
    return per_unit * weighted


def build_school(plan: SchoolPlan, rng: random.Random) -> School:
    t = plan.targets

    def amount(indicator: str, scale: float, digits: int) -> float:
        value = t[indicator] * _base_value(plan, indicator) / scale
        # A school meant to pass must not drop below its threshold through rounding.
        return ceil_to(value, digits) if t[indicator] >= 1 else round(value, digits)

    teaching_area = amount("R4", 1, 1)
    sports_area = amount("R5", 1, 1)
    equipment = amount("R6", 10000, 2)
    rooms_exact = t["R7"] * _base_value(plan, "R7") / 100
    rooms = math.ceil(rooms_exact - 1e-9) if t["R7"] >= 1 else math.floor(rooms_exact)

    total = plan.total()
    indoor = None
    if plan.urban_rural in (URBAN, TOWN) and total >= 800 and rng.random() < 0.7:
        indoor = round(min(rng.uniform(450, 1400), 0.15 * teaching_area), 1)

    budget = _public_funds(plan, rng)
    training = ceil_to(budget * rng.uniform(0.055, 0.09), 2)
    allocated = ceil_to(budget * rng.uniform(1.0, 1.04), 2)
    return School(
        code=plan.code,
        name=plan.name,
        school_type=plan.school_type,
        urban_rural=plan.urban_rural,
        ownership=plan.ownership,
        boarding=plan.boarding,
        primary_students=plan.students.get(PRIMARY, 0),
        junior_students=plan.students.get(JUNIOR, 0),
        senior_students=plan.students.get(SENIOR, 0),
        teaching_area=teaching_area,
        indoor_sports_area=indoor,
        sports_area=sports_area,
        equipment_value=equipment,
        multimedia_rooms=rooms,
        public_funds_budget=budget,
        training_budget=min(training, budget),
        public_funds_allocated=allocated,
        group=plan.group,
        # 寄宿生数: about three in five of a boarding school's compulsory students (the
        # budget above funds 0.6 × students boarders); 0 where nobody boards.
        extra={"boarders": round(0.6 * (plan.students.get(PRIMARY, 0) + plan.students.get(JUNIOR, 0)))
               if plan.boarding else 0},
    )


def _public_funds(plan: SchoolPlan, rng: random.Random) -> float:
    """公用经费预算 (万元): the quota per student, small schools funded as 100 students,
    boarders and special schools funded higher."""
    if plan.school_type is SchoolType.SPECIAL:
        yuan = plan.total() * SPECIAL_FUNDING * rng.uniform(1.05, 1.3)
    else:
        yuan = sum(FUNDING_QUOTA[s] * n for s, n in plan.students.items())
        compulsory = plan.students.get(PRIMARY, 0) + plan.students.get(JUNIOR, 0)
        if 0 < compulsory < 100:
            stage = PRIMARY if plan.students.get(PRIMARY, 0) else JUNIOR
            yuan += FUNDING_QUOTA[stage] * (100 - compulsory)
        if plan.boarding:
            yuan += BOARDING_EXTRA * plan.total() * 0.6
        if plan.ownership is Ownership.PRIVATE:
            yuan *= rng.uniform(1.0, 1.1)
        yuan *= rng.uniform(1.0, 1.08)
    return ceil_to(yuan / 10000, 2)


def boarding_for(plan: SchoolPlan, rng: random.Random) -> bool:
    st, ur = plan.school_type, plan.urban_rural
    if st is SchoolType.TEACHING_POINT or ur is URBAN and st is not SchoolType.SPECIAL:
        return False
    if st is SchoolType.SPECIAL:
        return True
    if st in (SchoolType.JUNIOR, SchoolType.NINE_YEAR, SchoolType.COMPLETE_SECONDARY):
        return rng.random() < (0.7 if ur is RURAL else 0.45)
    return rng.random() < 0.1
