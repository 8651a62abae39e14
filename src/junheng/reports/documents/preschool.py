"""学前教育 in the self-evaluation report: what a 学前教育普及普惠 (xqpp-2020) report
tells in 基本情况 — kindergartens by 办园性质, children, classes and teachers — instead
of compulsory schools, and how its gaps (per kindergarten, per class) are worded.

Whether a standard is about kindergartens is read from the standard itself (its rules
read the 幼儿园 tables and it has no per-school resource block), so a province's copy
of xqpp-2020 is recognised as well as the shipped file.
"""

from __future__ import annotations

from typing import Any

from junheng.analysis.kindergartens import CategoryRow, by_category
from junheng.core.facts import CountyData
from junheng.core.preschool import KindergartenCategory
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
    rows = by_category(data) or []
    per, total = rows[:-1], rows[-1]
    central = sum(1 for k in kindergartens if k.central and k.category is KindergartenCategory.PUBLIC)
    kinds = "、".join(f"{r.label} {r.kindergartens} 所" for r in per)
    kids = "、".join(f"{r.label} {r.children} 人" for r in per)
    text = (f"{county_sentence}{school_year}学年，全县共有幼儿园 {total.kindergartens} 所，其中{kinds}"
            + (f"（公办乡镇中心园 {central} 所）" if central else "")
            + f"；在园幼儿 {total.children} 人，其中{kids}；")
    if total.classes is not None:
        text += f"共有班级 {total.classes} 个，"
    text += f"专任教师 {total.teachers} 人、园长 {total.principals} 人。"
    population = data.facts.get("population_3_5")
    if isinstance(population, (int, float)) and not isinstance(population, bool):
        text += f"全县 3—5 岁常住人口 {fmt.integer(population)} 人。"
    section.add(Paragraph(text))
    section.add(_table(rows))


def _table(rows: list[CategoryRow]) -> Table:
    def row(r: CategoryRow) -> list[Cell]:
        ratio = r.children_per_teacher
        return [Cell(r.label), *(Cell(x, align="right") for x in (
            str(r.kindergartens), str(r.children), fmt.integer(r.classes), str(r.teachers),
            fmt.fixed(r.class_size, 1), f"1:{fmt.fixed(ratio, 1)}" if ratio is not None else fmt.MISSING))]

    cells_ = [row(r) for r in rows]
    cells_[-1][0].bold = True
    classes = rows[-1].classes
    return Table(
        caption="学前教育基本情况（按办园性质）",
        header=[cells("办园性质", "幼儿园（所）", "在园幼儿（人）", "班级（个）", "专任教师（人）",
                      "平均班额（人）", "专任教师与幼儿比")],
        rows=cells_, widths=[3.5, 2.8, 3, 2.5, 3, 3, 3.5], key="basic-kindergartens",
        note=None if classes is not None else "注：工作簿没有「幼儿园班级」表，班级数和平均班额缺少数据。")
