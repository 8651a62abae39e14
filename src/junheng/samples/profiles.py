"""What a synthetic county looks like: its mix of schools, their sizes, names and groups.

The numbers are plausible for a Chinese county (rural schools small, urban ones
large) but invented; nothing here describes a real county or school.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from junheng.core.facts import Ownership, SchoolType, Stage, UrbanRural

PRIMARY, JUNIOR, SENIOR = Stage.PRIMARY, Stage.JUNIOR, Stage.SENIOR
URBAN, TOWN, RURAL = UrbanRural.URBAN, UrbanRural.TOWN, UrbanRural.RURAL


@dataclass
class SchoolPlan:
    """One school before its rows are generated: identity, size and how it should score."""

    code: str
    name: str
    school_type: SchoolType
    urban_rural: UrbanRural
    ownership: Ownership
    boarding: bool
    students: dict[Stage, int]
    group: str | None = None
    # Indicator id (R1..R7) -> value as a multiple of its threshold (1.0 = just met).
    targets: dict[str, float] = field(default_factory=dict)
    role: str = "normal"  # normal | near (6/7, seventh ≥ 85 %) | fail | excluded

    def total(self) -> int:
        return sum(self.students.values())


# Share of each school type in a county's school list (the rest are 小学).
_TYPE_SHARES = (
    (SchoolType.TEACHING_POINT, 0.18),
    (SchoolType.JUNIOR, 0.15),
    (SchoolType.NINE_YEAR, 0.10),
    (SchoolType.COMPLETE_SECONDARY, 0.04),
)


def school_types(n: int) -> list[SchoolType]:
    """The type of each of ``n`` schools, most common first; deterministic in ``n``."""
    if n <= 0:
        return []
    types: list[SchoolType] = []
    if n >= 20:
        types.append(SchoolType.SPECIAL)
    if n >= 30:
        types += [SchoolType.TWELVE_YEAR] * (1 + n // 400)
    for school_type, share in _TYPE_SHARES:
        count = round(n * share)
        if n >= 5:
            count = max(count, 1)
        types += [school_type] * count
    types = types[: max(n - 1, 0)] if n > 1 else []
    return [SchoolType.PRIMARY] * (n - len(types)) + types


def urban_rural_for(school_type: SchoolType, rng: random.Random) -> UrbanRural:
    weights = {
        SchoolType.PRIMARY: (0.28, 0.27, 0.45),
        SchoolType.JUNIOR: (0.30, 0.45, 0.25),
        SchoolType.NINE_YEAR: (0.15, 0.40, 0.45),
        SchoolType.COMPLETE_SECONDARY: (0.6, 0.4, 0.0),
        SchoolType.TWELVE_YEAR: (1.0, 0.0, 0.0),
        SchoolType.TEACHING_POINT: (0.0, 0.0, 1.0),
        SchoolType.SPECIAL: (1.0, 0.0, 0.0),
    }[school_type]
    return rng.choices((URBAN, TOWN, RURAL), weights=weights)[0]


# Students per stage: (low, high) by type and urban/rural class.
_SIZES = {
    (SchoolType.PRIMARY, URBAN): {PRIMARY: (900, 1900)},
    (SchoolType.PRIMARY, TOWN): {PRIMARY: (450, 1200)},
    (SchoolType.PRIMARY, RURAL): {PRIMARY: (110, 520)},
    (SchoolType.JUNIOR, URBAN): {JUNIOR: (900, 1800)},
    (SchoolType.JUNIOR, TOWN): {JUNIOR: (550, 1300)},
    (SchoolType.JUNIOR, RURAL): {JUNIOR: (240, 680)},
    (SchoolType.NINE_YEAR, URBAN): {PRIMARY: (700, 1300), JUNIOR: (450, 900)},
    (SchoolType.NINE_YEAR, TOWN): {PRIMARY: (350, 900), JUNIOR: (220, 600)},
    (SchoolType.NINE_YEAR, RURAL): {PRIMARY: (150, 450), JUNIOR: (100, 300)},
    (SchoolType.COMPLETE_SECONDARY, URBAN): {JUNIOR: (700, 1300), SENIOR: (900, 1600)},
    (SchoolType.COMPLETE_SECONDARY, TOWN): {JUNIOR: (450, 900), SENIOR: (500, 1100)},
    (SchoolType.TWELVE_YEAR, URBAN): {PRIMARY: (800, 1200), JUNIOR: (500, 800), SENIOR: (400, 800)},
    (SchoolType.SPECIAL, URBAN): {PRIMARY: (60, 120), JUNIOR: (30, 70)},
}


def students_for(
    school_type: SchoolType, urban_rural: UrbanRural, rng: random.Random, *, small_point: bool
) -> dict[Stage, int]:
    if school_type is SchoolType.TEACHING_POINT:
        return {PRIMARY: rng.randint(12, 45) if small_point else rng.randint(52, 96)}
    sizes = _SIZES.get((school_type, urban_rural))
    if sizes is None:  # e.g. a rural 完全中学 drawn from an unusual mix: size it as a town one
        sizes = _SIZES[(school_type, TOWN if (school_type, TOWN) in _SIZES else URBAN)]
    return {stage: rng.randint(low, high) for stage, (low, high) in sizes.items()}


# ----------------------------------------------------------------------- names

_TOWNS = (
    "城关 莲花 青山 白沙 龙潭 石门 桃源 梅林 杨柳 双溪 长坪 高峰 新桥 岩前 大田 洋口 "
    "中村 东坑 西山 南岭 北溪 上坪 下洋 清水 黄坑 官庄 竹林 松溪 凤岗 金沙"
).split()
_VILLAGES = (
    "坪头 溪口 后垅 岭下 塘边 田心 山背 洋坑 社前 湖头 坑口 水尾 林后 厝边 岐山 "
    "石桥 上洋 下坪 东山 西坑 南坑 北坑 前村 后村 新村 老屋 高坪 低洋 枫林 柿树"
).split()
_ORDINALS = "一 二 三 四 五 六 七 八 九 十".split()


def _ordinal(i: int) -> str:
    if i <= 10:
        return _ORDINALS[i - 1]
    if i < 20:
        return "十" + _ORDINALS[i - 11]
    tens, ones = divmod(i, 10)
    if tens < 10:
        return _ORDINALS[tens - 1] + "十" + (_ORDINALS[ones - 1] if ones else "")
    return str(i)


class Namer:
    """Hands out unique, plausible school names (县城, 乡镇 and 村 schools)."""

    def __init__(self, county_name: str, rng: random.Random) -> None:
        self.county = county_name.removesuffix("（示例）")
        self.rng = rng
        self.used: set[str] = set()
        self.counters: dict[str, int] = {}

    def _next(self, key: str) -> int:
        self.counters[key] = self.counters.get(key, 0) + 1
        return self.counters[key]

    def _unique(self, name: str, fallback_key: str, fallback: str) -> str:
        while name in self.used:
            name = fallback.format(n=_ordinal(self._next(fallback_key)))
        self.used.add(name)
        return name

    def _place(self, pool: tuple[str, ...] | list[str]) -> str:
        return self.rng.choice(pool)

    def name(self, school_type: SchoolType, ur: UrbanRural, ownership: Ownership) -> str:
        c = self.county
        if ownership is Ownership.PRIVATE:
            base = self.rng.choice(("育才", "博雅", "启航", "英才", "明德", "崇文"))
            kind = "小学" if school_type is SchoolType.PRIMARY else "学校"
            return self._unique(f"{c}{base}{kind}", "private", c + "民办第{n}" + kind)
        if school_type is SchoolType.SPECIAL:
            return self._unique(f"{c}特殊教育学校", "special", c + "第{n}特殊教育学校")
        if school_type is SchoolType.TWELVE_YEAR:
            return self._unique(f"{c}实验学校", "twelve", c + "第{n}实验学校")
        if school_type is SchoolType.COMPLETE_SECONDARY:
            return self._unique(f"{c}第{_ordinal(self._next('complete'))}中学", "complete", c + "第{n}中学")
        if school_type is SchoolType.TEACHING_POINT:
            town, village = self._place(_TOWNS), self._place(_VILLAGES)
            return self._unique(f"{town}镇{village}教学点", "point", town + "镇第{n}教学点")
        if ur is URBAN:
            kind = {SchoolType.PRIMARY: "小学", SchoolType.JUNIOR: "初级中学",
                    SchoolType.NINE_YEAR: "九年一贯制学校"}[school_type]
            if school_type is SchoolType.PRIMARY and "urban_primary" not in self.counters:
                self.counters["urban_primary"] = 0
                return self._unique(f"{c}实验小学", "urban_primary", c + "第{n}小学")
            return self._unique(f"{c}第{_ordinal(self._next('urban' + kind))}{kind}",
                                "urban" + kind, c + "第{n}" + kind)
        town = self._place(_TOWNS)
        if ur is TOWN:
            kind = {SchoolType.PRIMARY: "中心小学", SchoolType.JUNIOR: "中学",
                    SchoolType.NINE_YEAR: "九年一贯制学校"}[school_type]
            return self._unique(f"{town}镇{kind}", "town" + kind, town + "镇第{n}" + kind)
        village = self._place(_VILLAGES)
        kind = {SchoolType.PRIMARY: "小学", SchoolType.JUNIOR: "初级中学",
                SchoolType.NINE_YEAR: "学校"}[school_type]
        return self._unique(f"{town}镇{village}{kind}", "rural" + town + kind,
                            town + "镇第{n}" + ("小学" if kind == "小学" else "学校"))


def group_name(county_name: str, leader: str) -> str:
    short = leader.removeprefix(county_name.removesuffix("（示例）"))
    return f"{county_name.removesuffix('（示例）')}{short}教育集团"


def split_weights(school_type: SchoolType) -> dict[Stage, float]:
    """How shared resources are split between stages (the standard's default 1 : 1.1 : 1.32)."""
    if school_type is SchoolType.COMPLETE_SECONDARY:
        return {JUNIOR: 1.0, SENIOR: 1.2}
    return {PRIMARY: 1.0, JUNIOR: 1.1, SENIOR: 1.32}


def ceil_to(value: float, digits: int) -> float:
    """Round up to ``digits`` decimals, so that a value meant to pass never rounds below."""
    factor = 10**digits
    return math.ceil(value * factor - 1e-9) / factor
