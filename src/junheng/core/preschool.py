"""Kindergartens (学前教育): the records of the optional sheets 幼儿园 and 幼儿园班级.

They live in ``CountyData.extra_tables`` under ``kindergartens`` and
``kindergarten_classes``; the 2020 standard (``xqpp-2020.yaml``) reads them through
the quantity language like any other table. Staff are counted per kindergarten
(专任教师, 园长, and how many of each hold a certificate), not one row per person.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from junheng.core.facts import UrbanRural


class KindergartenCategory(StrEnum):
    PUBLIC = "public"  # 公办园
    INCLUSIVE_PRIVATE = "inclusive_private"  # 普惠性民办园
    PRIVATE = "private"  # 非普惠性民办园


KINDERGARTEN_CATEGORY_ZH = {
    KindergartenCategory.PUBLIC: "公办",
    KindergartenCategory.INCLUSIVE_PRIVATE: "普惠性民办",
    KindergartenCategory.PRIVATE: "非普惠性民办",
}


class TownshipKind(StrEnum):
    """Whether a 所在乡镇（街道） is a 乡镇 or an urban 街道: the 2020 standard asks a public
    中心园 of every 乡镇 and a public or 普惠 kindergarten of every 街道."""

    TOWNSHIP = "township"  # 乡镇
    SUBDISTRICT = "subdistrict"  # 街道


TOWNSHIP_KIND_ZH = {TownshipKind.TOWNSHIP: "乡镇", TownshipKind.SUBDISTRICT: "街道"}


def township_kind_by_name(name: str | None) -> TownshipKind | None:
    """The documented default when the column 乡镇或街道 is blank: a name ending in 街道
    (or 街道办事处) is a 街道, any other name a 乡镇."""
    if not name or not name.strip():
        return None
    n = name.strip()
    return TownshipKind.SUBDISTRICT if n.endswith(("街道", "街道办事处", "街道办")) else TownshipKind.TOWNSHIP


class KindergartenClassType(StrEnum):
    SMALL = "small"  # 小班 (3–4 岁)
    MIDDLE = "middle"  # 中班 (4–5 岁)
    LARGE = "large"  # 大班 (5–6 岁)
    MIXED = "mixed"  # 混龄班


KINDERGARTEN_CLASS_TYPE_ZH = {
    KindergartenClassType.SMALL: "小班",
    KindergartenClassType.MIDDLE: "中班",
    KindergartenClassType.LARGE: "大班",
    KindergartenClassType.MIXED: "混龄班",
}


@dataclass(slots=True)
class Kindergarten:
    code: str  # 幼儿园标识码
    name: str
    category: KindergartenCategory
    urban_rural: UrbanRural
    children_small: int  # 小班在园幼儿
    children_middle: int
    children_large: int
    teachers: int  # 专任教师
    certified_teachers: int  # 其中持教师资格证
    principals: int  # 园长
    certified_principals: int  # 其中持园长任职资格证
    outdoor_play_area: float  # 室外游戏场地面积 ㎡
    activity_room_area: float  # 幼儿活动用房面积 ㎡
    building_area: float  # 园舍建筑面积 ㎡
    built_year: int  # 建成（设计）年份
    children_mixed: int = 0  # 混龄班在园幼儿
    township: str | None = None  # 所在乡镇（街道）
    central: bool = False  # 乡镇中心园
    township_kind: TownshipKind | None = None  # 乡镇或街道 (optional column)
    nursery_staff: int | None = None  # 保育员数 (optional column)
    full_day: bool | None = None  # 全日制 (optional column)
    row: int = 0

    @property
    def children(self) -> int:
        """在园幼儿 (学前三年), all class types."""
        return self.children_small + self.children_middle + self.children_large + self.children_mixed


@dataclass(slots=True)
class KindergartenClass:
    kindergarten_code: str
    class_type: KindergartenClassType
    class_name: str
    children: int
    row: int = 0
