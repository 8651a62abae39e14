"""The optional parts of a sample county: 2012 fields (computers, books, teacher
titles), school groups' lead schools, standard class counts (学位), 双减 after-school
services, and the county facts that go with them and with the kindergartens.

Drawn from their own random stream, so adding them leaves every other value of a
sample exactly as it was.
"""

from __future__ import annotations

import math
import random
from collections import Counter

from junheng.core.facts import CountyData, SchoolType, Stage, TeacherTitle, UrbanRural
from junheng.core.preschool import TownshipKind
from junheng.samples.profiles import group_name

_TITLES = {
    Stage.PRIMARY: ((TeacherTitle.PROFESSOR, TeacherTitle.SENIOR, TeacherTitle.FIRST,
                     TeacherTitle.SECOND, TeacherTitle.THIRD, TeacherTitle.NONE), (1, 9, 40, 34, 5, 11)),
    Stage.JUNIOR: ((TeacherTitle.PROFESSOR, TeacherTitle.SENIOR, TeacherTitle.FIRST,
                    TeacherTitle.SECOND, TeacherTitle.THIRD, TeacherTitle.NONE), (1, 18, 40, 28, 3, 10)),
    Stage.SENIOR: ((TeacherTitle.PROFESSOR, TeacherTitle.SENIOR, TeacherTitle.FIRST,
                    TeacherTitle.SECOND, TeacherTitle.NONE), (2, 30, 38, 22, 8)),
}


def add_school_supplements(data: CountyData, rng: random.Random) -> None:
    """Fill the optional school and teacher columns of ``data`` in place."""
    classes = Counter((c.school_code, c.stage) for c in data.classes)
    county = data.county.name
    for s in data.schools:
        extra = s.extra
        n = s.compulsory_students + s.senior_students
        extra["computers"] = max(1, round(n * rng.uniform(0.10, 0.19)))
        extra["books"] = round(s.primary_students * rng.uniform(22, 36)
                               + (s.junior_students + s.senior_students) * rng.uniform(30, 46))
        for stage, key in ((Stage.PRIMARY, "primary_standard_classes"),
                           (Stage.JUNIOR, "junior_standard_classes")):
            have = classes.get((s.code, stage), 0)
            if have == 0:
                extra[key] = 0
                continue
            # Crowded urban schools are full or over their design; others have room.
            low, high = (0.9, 1.08) if s.urban_rural is UrbanRural.URBAN else (1.0, 1.35)
            extra[key] = max(1, math.ceil(have * rng.uniform(low, high)))
        offers = s.school_type is not SchoolType.SPECIAL and not (
            s.school_type is SchoolType.TEACHING_POINT and rng.random() < 0.35)
        compulsory = s.compulsory_students
        extra["afterschool"] = offers
        extra["afterschool_students"] = round(compulsory * rng.uniform(0.82, 0.97)) if offers else 0
        if s.group:
            extra["group_lead"] = group_name(county, s.name) == s.group
    for t in data.teachers:
        values, weights = _TITLES[t.stage]
        t.title = rng.choices(values, weights=weights)[0]


def supplementary_facts(data: CountyData, rng: random.Random) -> dict[str, object]:
    """County facts of 基本均衡, 学前教育 and 双减, consistent with the kindergartens."""
    kgs = data.extra_tables.get("kindergartens", [])
    children = sum(k.children for k in kgs)
    townships = {k.township for k in kgs if k.central}
    subdistricts = {k.township for k in kgs if k.township_kind is TownshipKind.SUBDISTRICT}
    offline_before = rng.randint(60, 140)
    online_before = rng.randint(6, 14)
    return {
        "basic_standard_ok": True,
        "gov_work_score": 92.5,
        "population_3_5": max(1, round(children / rng.uniform(0.9, 0.95))),
        "rural_townships": len(townships),
        "urban_subdistricts": len(subdistricts),
        "kg_public_funding_standard": 600.0,
        "kg_inclusive_subsidy_standard": 500.0,
        "kg_nonstaff_avg_pay": 52400.0,
        "kg_staff_avg_pay": 66800.0,
        "kg_estate_ok": True,
        "kg_scientific_care_ok": True,
        "kg_no_primary_style": True,
        "preschool_satisfaction_pct": 90.4,
        "tutoring_offline_before": offline_before,
        "tutoring_online_before": online_before,
        "tutoring_offline_now": max(1, round(offline_before * rng.uniform(0.03, 0.07))),
        "tutoring_online_now": max(0, round(online_before * rng.uniform(0.05, 0.15))),
    }
