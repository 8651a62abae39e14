"""学前教育 by 办园性质: kindergartens, children, classes and teachers per category
(公办 / 普惠性民办 / 非普惠性民办) and for the county — the table of the 学前教育
基本情况 in the 自评报告 and of the web's 学前教育 page, counted once here.

Pure: county data in, plain rows out. Classes come from the optional 幼儿园班级 table;
without it they are unknown (None), never 0.
"""

from __future__ import annotations

from dataclasses import dataclass

from junheng.core.facts import CountyData
from junheng.core.preschool import KINDERGARTEN_CATEGORY_ZH, KindergartenCategory


@dataclass(frozen=True, slots=True)
class CategoryRow:
    category: KindergartenCategory | None  # None: the county's total
    label: str  # 公办园 … 合计
    kindergartens: int
    children: int
    classes: int | None  # None: no 幼儿园班级 table
    teachers: int
    principals: int

    @property
    def class_size(self) -> float | None:
        return self.children / self.classes if self.classes else None

    @property
    def children_per_teacher(self) -> float | None:
        """The x of 师幼比 1:x."""
        return self.children / self.teachers if self.teachers else None


def by_category(data: CountyData) -> list[CategoryRow] | None:
    """One row per 办园性质 (in the order of :class:`KindergartenCategory`), then 合计;
    None when the workbook has no kindergarten (no 幼儿园 table, or an empty one)."""
    gardens = data.extra_tables.get("kindergartens")
    if not gardens:
        return None
    class_rows = data.extra_tables.get("kindergarten_classes")
    category = {k.code: k.category for k in gardens}
    classes: dict[KindergartenCategory | None, int] | None = None
    if class_rows is not None:
        classes = {}
        for c in class_rows:
            key = category.get(c.kindergarten_code)
            classes[key] = classes.get(key, 0) + 1

    def row(cat: KindergartenCategory | None, mine: list) -> CategoryRow:
        if classes is None:
            n_classes = None
        elif cat is None:
            n_classes = sum(n for k, n in classes.items() if k is not None)  # the categories' sum
        else:
            n_classes = classes.get(cat, 0)
        return CategoryRow(cat, "合计" if cat is None else f"{KINDERGARTEN_CATEGORY_ZH[cat]}园", len(mine),
                           sum(k.children for k in mine), n_classes, sum(k.teachers for k in mine),
                           sum(k.principals for k in mine))

    rows = [row(c, [k for k in gardens if k.category is c]) for c in KindergartenCategory]
    rows.append(row(None, list(gardens)))
    return rows
