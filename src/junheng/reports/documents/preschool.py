"""学前教育 in the self-evaluation report: what a 学前教育普及普惠 (xqpp-2020) report
tells in 基本情况 — kindergartens by 办园性质, children, classes and teachers — instead
of compulsory schools, and how its gaps (per kindergarten, per class) are worded.

Whether a standard is about kindergartens is read from the standard itself (its rules
read the 幼儿园 tables and it has no per-school resource block), so a province's copy
of xqpp-2020 is recognised as well as the shipped file.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from junheng.core.facts import CountyData
from junheng.core.preschool import KINDERGARTEN_CATEGORY_ZH, KindergartenCategory
from junheng.core.standard import Standard
from junheng.reports import numbers as fmt
from junheng.reports.documents.document import Cell, Paragraph, Section, Table, cells

KINDERGARTEN_TABLES = ("kindergartens", "kindergarten_classes")
# How a kindergarten's gap is usually remedied (整改措施 without a plan), by unit.
REMEDY_BY_UNIT = {
    "人": "通过增设班级、调整招生计划，逐步将超额班级调整到规定班额",
    "㎡": "通过新建、改扩建园舍和室外游戏场地补足",
    "名": "通过公开招聘、转岗培训和持证培训补足",
    "个": "通过新建、改扩建和认定普惠性民办园补足",
}


def reads(standard: Standard | None, name: str) -> bool:
    """True when any rule of ``standard`` reads the table or field ``name``."""
    if standard is None:
        return False
    return any(_mentions(item.params, name) for item in standard.items)


def _mentions(value: Any, name: str) -> bool:
    if isinstance(value, str):
        return value == name or value.startswith(f"{name}.")
    if isinstance(value, dict):
        return any(_mentions(v, name) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_mentions(v, name) for v in value)
    return False


def is_preschool(standard: Standard | None) -> bool:
    """A standard about kindergartens (学前教育普及普惠), not compulsory schools."""
    return (standard is not None and standard.resource is None
            and any(reads(standard, t) for t in KINDERGARTEN_TABLES))


def basic(section: Section, data: CountyData, county_sentence: str, school_year: int) -> None:
    """基本情况 of a 学前教育 report: kindergartens by 办园性质, children, classes, teachers."""
    kindergartens = data.extra_tables.get("kindergartens")
    if not kindergartens:
        missing = "未填写「幼儿园」表" if kindergartens is None else "「幼儿园」表没有数据"
        section.add(Paragraph(
            f"{county_sentence}{school_year}学年工作簿{missing}，学前教育基本情况和依赖幼儿园数据的评估项目缺少数据。"))
        return
    by_category = Counter(k.category for k in kindergartens)
    children = {c: sum(k.children for k in kindergartens if k.category is c) for c in KindergartenCategory}
    classes = _classes_by_category(data)
    teachers = sum(k.teachers for k in kindergartens)
    central = sum(1 for k in kindergartens if k.central and k.category is KindergartenCategory.PUBLIC)
    kinds = "、".join(f"{KINDERGARTEN_CATEGORY_ZH[c]}园 {by_category[c]} 所" for c in KindergartenCategory)
    kids = "、".join(f"{KINDERGARTEN_CATEGORY_ZH[c]}园 {children[c]} 人" for c in KindergartenCategory)
    text = (f"{county_sentence}{school_year}学年，全县共有幼儿园 {len(kindergartens)} 所，其中{kinds}"
            + (f"（公办乡镇中心园 {central} 所）" if central else "")
            + f"；在园幼儿 {sum(children.values())} 人，其中{kids}；")
    if classes is not None:
        text += f"共有班级 {sum(classes.values())} 个，"
    text += f"专任教师 {teachers} 人、园长 {sum(k.principals for k in kindergartens)} 人。"
    population = data.facts.get("population_3_5")
    if isinstance(population, (int, float)) and not isinstance(population, bool):
        text += f"全县 3—5 岁常住人口 {fmt.integer(population)} 人。"
    section.add(Paragraph(text))
    section.add(_table(kindergartens, children, classes))


def _classes_by_category(data: CountyData) -> dict[KindergartenCategory, int] | None:
    rows = data.extra_tables.get("kindergarten_classes")
    if rows is None:
        return None
    category = {k.code: k.category for k in data.extra_tables.get("kindergartens") or []}
    out = Counter(category.get(c.kindergarten_code) for c in rows)
    return {c: out.get(c, 0) for c in KindergartenCategory}


def _table(kindergartens: list, children: dict[KindergartenCategory, int],
           classes: dict[KindergartenCategory, int] | None) -> Table:
    def row(label: str, gardens: list, kids: int, n_classes: int | None) -> list[Cell]:
        teachers = sum(k.teachers for k in gardens)
        return [Cell(label), *(Cell(x, align="right") for x in (
            str(len(gardens)), str(kids), fmt.integer(n_classes), str(teachers),
            fmt.fixed(kids / n_classes if n_classes else None, 1),
            f"1:{fmt.fixed(kids / teachers, 1)}" if teachers else fmt.MISSING))]

    rows = [row(f"{KINDERGARTEN_CATEGORY_ZH[c]}园", [k for k in kindergartens if k.category is c], children[c],
                classes[c] if classes is not None else None)
            for c in KindergartenCategory]
    rows.append(row("合计", kindergartens, sum(children.values()),
                    sum(classes.values()) if classes is not None else None))
    rows[-1][0].bold = True
    return Table(
        caption="学前教育基本情况（按办园性质）",
        header=[cells("办园性质", "幼儿园（所）", "在园幼儿（人）", "班级（个）", "专任教师（人）",
                      "平均班额（人）", "专任教师与幼儿比")],
        rows=rows, widths=[3.5, 2.8, 3, 2.5, 3, 3, 3.5], key="basic-kindergartens",
        note=None if classes is not None else "注：工作簿没有「幼儿园班级」表，班级数和平均班额缺少数据。")
