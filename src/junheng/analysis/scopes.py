"""Scopes of a target (issue 15 §1 范围): 全县, 小学, 初中, 学前, a school group, a township.

A group's or a township's figures come from the same fact sheet function run on that
part of the county (its schools, and their teachers, classes and rooms; the county-level
facts and items do not belong to a part), so a scoped 大班额比例 and the county one are
the same definition over fewer rows. 小学 / 初中 select the stage figure of the fact
sheet (``backbone_share`` → none; ``class_size`` → ``class_size.primary``); 学前 the
preschool figures.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from junheng.core.facts import CountyData
from junheng.core.result import Evaluation

COUNTY = "全县"
STAGE_SCOPES = {"小学": "primary", "初中": "junior"}
PRESCHOOL = "学前"
GROUP_PREFIX = "集团："
TOWNSHIP_PREFIX = "乡镇："


def group_scope(name: str) -> str:
    return f"{GROUP_PREFIX}{name}"


def township_scope(name: str) -> str:
    return f"{TOWNSHIP_PREFIX}{name}"


def parts_of(data: CountyData) -> dict[str, set[str]]:
    """Every group and township of the county-year: scope name → its school codes."""
    out: dict[str, set[str]] = {}
    for s in data.schools:
        if s.group:
            out.setdefault(group_scope(s.group), set()).add(s.code)
        town = s.extra.get("township")
        if isinstance(town, str) and town.strip():
            out.setdefault(township_scope(town.strip()), set()).add(s.code)
    return out


def part_of(data: CountyData, ev: Evaluation, codes: set[str],
            rows: dict[str, tuple[list, list, list]] | None = None) -> tuple[CountyData, Evaluation]:
    """The county-year restricted to the schools ``codes``: rows of those schools only,
    no county-level facts, and the evaluation's school results of those schools.
    ``rows``: the county's (teachers, classes, rooms) by school, when already grouped."""
    rows = rows if rows is not None else rows_by_school(data)
    empty: tuple[list, list, list] = ([], [], [])
    mine = [rows.get(code, empty) for code in codes]
    part = dataclasses.replace(
        data,
        schools=[s for s in data.schools if s.code in codes],
        teachers=[t for r in mine for t in r[0]],
        classes=[c for r in mine for c in r[1]],
        rooms=[x for r in mine for x in r[2]],
        facts={}, fact_refs={}, extra_tables={},
    )
    pev = dataclasses.replace(ev, schools=[s for s in ev.schools if s.school_code in codes],
                              excluded=[e for e in ev.excluded if e.school_code in codes],
                              dispersion={}, items={}, shortfalls=[])
    return part, pev


def rows_by_school(data: CountyData) -> dict[str, tuple[list, list, list]]:
    """(teachers, classes, rooms) of each school, in the workbook's order: one pass each."""
    out: dict[str, tuple[list, list, list]] = {}
    for k, table in enumerate((data.teachers, data.classes, data.rooms)):
        for r in table:
            out.setdefault(r.school_code, ([], [], []))[k].append(r)
    return out


def scoped_figures(data: CountyData, ev: Evaluation,
                   build: Callable[[CountyData, Evaluation], Any]) -> dict[str, dict[str, float | None]]:
    """``{scope: {figure id: value}}`` for every group and township; ``build`` is the fact
    sheet function (passed in: this module sits below analysis.factsheet)."""
    out: dict[str, dict[str, float | None]] = {}
    parts = parts_of(data)
    if not parts:
        return out
    rows = rows_by_school(data)
    for scope, codes in sorted(parts.items()):
        sheet = build(*part_of(data, ev, codes, rows))
        out[scope] = {fid: f.value for fid, f in sheet.figures.items()
                      if not fid.startswith(("item.", "cv.")) and fid not in COUNTY_ONLY}
    return out


# Figures of county-level facts (「县级指标」表): a group or a township has none.
COUNTY_ONLY = frozenset({
    "spending", "students_declared", "per_student_spending", "spending_prev", "spending_growth",
    "per_student_spending_prev", "per_student_spending_growth", "spending.primary", "spending.junior",
    "per_student_spending.primary", "per_student_spending.junior", "per_student_spending.senior",
    "per_student_spending.preschool", "tutoring_now", "tutoring_before",
    "tutoring_reduction", "preschool.gross_enrolment", "preschool.inclusive_coverage", "preschool.public_share",
})
