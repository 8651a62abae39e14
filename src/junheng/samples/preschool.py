"""Kindergartens of a sample county (the sheets 幼儿园 and 幼儿园班级).

Every rural township (乡镇) has one public central kindergarten; the county town's two
街道 have public, inclusive private and a few fee-paying private ones. Every
kindergarten is full-day with two teachers and one 保育员 per class (两教一保). The county meets the 2020
coverage targets comfortably, two classes are over their size limit (still within
the 85 % 班额达标率), one old kindergarten lacks play area, and a private
kindergarten employs two teachers without a certificate — so the sample's preschool
verdict fails on 持证上岗率, for a reason a user can see.
"""

from __future__ import annotations

import math
import random

from junheng.core.facts import UrbanRural
from junheng.core.preschool import (
    Kindergarten,
    KindergartenCategory,
    KindergartenClass,
    KindergartenClassType,
    TownshipKind,
)
from junheng.samples.codes import kindergarten_code, kindergarten_count
from junheng.samples.profiles import _TOWNS

PUBLIC, INCLUSIVE, PRIVATE = (KindergartenCategory.PUBLIC, KindergartenCategory.INCLUSIVE_PRIVATE,
                              KindergartenCategory.PRIVATE)
SMALL, MIDDLE, LARGE, MIXED = (KindergartenClassType.SMALL, KindergartenClassType.MIDDLE,
                               KindergartenClassType.LARGE, KindergartenClassType.MIXED)
_SIZE = {SMALL: (20, 25), MIDDLE: (24, 30), LARGE: (28, 35), MIXED: (14, 28)}
_CLASS_ZH = {SMALL: "小", MIDDLE: "中", LARGE: "大", MIXED: "混龄"}
# The county town is two urban 街道 (the 2020 standard asks a public or 普惠 kindergarten of each).
SUBDISTRICTS = (f"{_TOWNS[0]}街道", "城东街道")
_BRANDS = "阳光 蓝天 童心 小太阳 启航 贝贝 春苗 育才 博雅 金色童年 七彩 彩虹 智慧树 小白鸽".split()


def generate_kindergartens(
    county_code: str, county_name: str, schools: int, rng: random.Random, year: int
) -> tuple[list[Kindergarten], list[KindergartenClass]]:
    count = kindergarten_count(schools)
    towns = max(1, min(len(_TOWNS) - 1, count // 3))
    short = county_name.removesuffix("（示例）")
    plan: list[tuple[KindergartenCategory, UrbanRural, str, bool]] = []
    for town in _TOWNS[1:towns + 1]:
        plan.append((PUBLIC, UrbanRural.RURAL, f"{town}镇", True))
    # County-town kindergartens cycle through a mix that keeps 公办 near half and
    # 普惠 (公办 + 普惠性民办) near nine tenths of the children.
    mix = (PUBLIC, INCLUSIVE, PUBLIC, PRIVATE, PUBLIC, INCLUSIVE, PUBLIC, INCLUSIVE)
    for j in range(count - len(plan)):
        plan.append((mix[j % len(mix)], UrbanRural.URBAN, SUBDISTRICTS[j % len(SUBDISTRICTS)], False))
    kgs: list[Kindergarten] = []
    classes: list[KindergartenClass] = []
    public_n, brands = 0, iter(_BRANDS * (1 + count // len(_BRANDS)))
    for k, (category, ur, town, central) in enumerate(plan):
        code = kindergarten_code(county_code, k, schools)
        if central:
            name = f"{town}中心幼儿园"
        elif category is PUBLIC:
            public_n += 1
            name = f"{short}第{public_n}幼儿园"
        else:
            name = f"{short}{next(brands)}幼儿园" + ("" if k < len(_BRANDS) + towns else f"（{k}）")
        own = _class_list(code, ur, rng, small=category is PRIVATE)
        classes += own
        by_type = {t: sum(c.children for c in own if c.class_type is t) for t in KindergartenClassType}
        children = sum(by_type.values())
        # 两教一保: at least two teachers per class, one 保育员 per class
        teachers = max(2 * len(own), math.ceil(children / rng.uniform(9.0, 13.5)))
        built = rng.randint(1998, year)
        norms = (rng.uniform(4.2, 7.5), rng.uniform(8.3, 11.0), rng.uniform(10.6, 14.0))
        kgs.append(Kindergarten(
            code=code, name=name, category=category, urban_rural=ur,
            children_small=by_type[SMALL], children_middle=by_type[MIDDLE],
            children_large=by_type[LARGE], children_mixed=by_type[MIXED],
            teachers=teachers, certified_teachers=teachers, principals=1, certified_principals=1,
            outdoor_play_area=round(children * norms[0], 1),
            activity_room_area=round(children * norms[1], 1),
            building_area=round(children * norms[2], 1),
            built_year=built, township=town, central=central,
            township_kind=TownshipKind.TOWNSHIP if central else TownshipKind.SUBDISTRICT,
            nursery_staff=len(own), full_day=True,
        ))
    _plant_findings(kgs, classes, rng)
    return kgs, classes


def _class_list(code: str, ur: UrbanRural, rng: random.Random, *, small: bool) -> list[KindergartenClass]:
    if ur is UrbanRural.RURAL and rng.random() < 0.4:
        types = [MIXED, MIXED] if rng.random() < 0.5 else [MIXED]
    else:
        per = 1 if ur is UrbanRural.RURAL or small else rng.randint(2, 4)
        types = [t for t in (SMALL, MIDDLE, LARGE) for _ in range(per)]
    out, seen = [], {}
    for t in types:
        seen[t] = seen.get(t, 0) + 1
        out.append(KindergartenClass(code, t, f"{_CLASS_ZH[t]}（{seen[t]}）班", rng.randint(*_SIZE[t])))
    return out


def _plant_findings(kgs: list[Kindergarten], classes: list[KindergartenClass], rng: random.Random) -> None:
    by_code = {k.code: k for k in kgs}
    large = [c for c in classes if c.class_type is LARGE]
    small = [c for c in classes if c.class_type is SMALL]
    for c, size in ((rng.choice(large), 38), (rng.choice(small), 28)) if large and small else ():
        k = by_code[c.kindergarten_code]
        field = "children_large" if c.class_type is LARGE else "children_small"
        setattr(k, field, getattr(k, field) + size - c.children)
        c.children = size
    old = [k for k in kgs if k.built_year < 2017]
    if old:
        k = rng.choice(old)
        k.outdoor_play_area = round(k.children * 3.1, 1)  # under 4 ㎡ per child
    private = [k for k in kgs if k.category is PRIVATE and k.teachers >= 3] or kgs
    rng.choice(private).certified_teachers -= 2
