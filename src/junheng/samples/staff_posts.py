"""Teacher posts and ages for a sample county (issue 16 §3): each school's 所在乡镇（街道）
and 核定编制数, each teacher's 编制类型, 出生年份 and 性别.

Consistent with a county that is recognised: a school that employs 编外 teachers has
no vacant post (no 有编不补, which would contradict the county's 否 for V6); others
have a vacancy or two. Ages run from 23 to a year short of the retirement age, so
some teachers retire in each of the next years. Drawn from their own random stream,
so adding them leaves every other value of a sample as it was.
"""

from __future__ import annotations

import math
import random
import re
from collections import defaultdict

from junheng.core.facts import CountyData, SchoolType, Teacher, UrbanRural

_TOWNSHIP = re.compile(r"^(.{1,6}?(?:镇|乡|街道))")
_CONTRACT_SHARE = {UrbanRural.URBAN: (0.0, 0.04), UrbanRural.TOWN: (0.0, 0.07), UrbanRural.RURAL: (0.02, 0.12)}


def township_of(name: str) -> str:
    """西山镇枫林小学 → 西山镇; a school named after the county (示例县第二小学) is in 城关镇."""
    m = _TOWNSHIP.match(name)
    return m.group(1) if m else "城关镇"


def _birth_year(rng: random.Random, school_year: int, gender: str) -> int:
    oldest = 59 if gender == "male" else 55  # a year or so short of the base retirement age
    age = min(oldest, max(23, round(rng.triangular(23, oldest + 1, 46))))
    return school_year - age


def add_staff_posts(data: CountyData, rng: random.Random, short: frozenset[str] = frozenset()) -> None:
    """Fill the optional 编制, township, birth-year and gender columns of ``data`` in place.
    ``short``: schools meant to fall short of the standard — they employ no 编外 teacher
    and keep enough vacant posts for a plan to add the teachers they need."""
    by_school: dict[str, list[Teacher]] = defaultdict(list)
    for t in data.teachers:
        by_school[t.school_code].append(t)
    year = data.county.school_year
    for s in data.schools:
        s.extra["township"] = township_of(s.name)
        mine = by_school.get(s.code, [])
        low, high = _CONTRACT_SHARE[s.urban_rural]
        if s.school_type is SchoolType.TEACHING_POINT:
            low, high = 0.1, 0.3  # 代课教师 at the smallest schools
        contract = min(len(mine) - 1, round(len(mine) * rng.uniform(low, high))) if mine else 0
        if s.code in short:
            contract = 0
        for i, t in enumerate(sorted(mine, key=lambda t: rng.random())):
            t.extra["staffing"] = "contract" if i < contract else "established"
        established = len(mine) - max(contract, 0)
        if contract > 0:
            s.extra["staff_quota"] = established
        elif s.code in short:
            s.extra["staff_quota"] = established + max(3, math.ceil(0.25 * len(mine))) + rng.randint(0, 2)
        else:
            s.extra["staff_quota"] = established + rng.choice((0, 1, 1, 2, 3))
    for t in data.teachers:
        gender = "female" if rng.random() < 0.68 else "male"  # most 义务教育 teachers are women
        t.extra["gender"] = gender
        t.extra["birth_year"] = _birth_year(rng, year, gender)
