"""Which schools enter the resource indicators, and how mixed schools are split.

A 九年一贯制 school becomes a primary part and a junior part; shared physical resources
(areas, equipment, rooms) are split by weighted student shares (STANDARDS.md §2.4,
test vector 2): primary share = A / (A + 1.1·B). Teachers are never split: they count
for the stage they teach.
"""

from __future__ import annotations

from dataclasses import dataclass

from junheng.core.facts import SCHOOL_TYPE_ZH, Ownership, School, SchoolType, Stage
from junheng.core.standard import ScopeSettings


@dataclass(frozen=True, slots=True)
class SchoolPart:
    school: School
    stage: Stage
    students: int
    share: float  # of shared resources


def stage_shares(school: School, weights: dict[SchoolType, dict[Stage, float]]) -> dict[Stage, float]:
    """Share of each stage in the school's shared resources (sums to 1 over all stages)."""
    counts = {st: school.students(st) for st in Stage}
    present = {st: n for st, n in counts.items() if n > 0}
    if not present:
        return {}
    w = weights.get(school.school_type, {})
    weighted = {st: n * w.get(st, 1.0) for st, n in present.items()}
    total = sum(weighted.values())
    return {st: v / total for st, v in weighted.items()}


def exclusion_reason(school: School, scope: ScopeSettings) -> str | None:
    """Why a school is outside the resource-allocation scope, in Chinese, or None."""
    if school.school_type in scope.exclude_school_types:
        return f"{SCHOOL_TYPE_ZH[school.school_type]}不纳入资源配置评估"
    if (
        school.school_type is SchoolType.TEACHING_POINT
        and school.compulsory_students < scope.teaching_point_min_students
    ):
        return (
            f"教学点学生 {school.compulsory_students} 人，不足 "
            f"{scope.teaching_point_min_students} 人，不纳入资源配置评估"
        )
    if school.ownership is Ownership.PRIVATE and not scope.include_private:
        return "民办学校不纳入资源配置评估（按本标准设置）"
    if school.compulsory_students == 0:
        return "无义务教育阶段在校生"
    return None


def school_parts(
    school: School, stages: tuple[Stage, ...], weights: dict[SchoolType, dict[Stage, float]]
) -> list[SchoolPart]:
    shares = stage_shares(school, weights)
    return [
        SchoolPart(school, st, school.students(st), shares[st])
        for st in stages
        if school.students(st) > 0
    ]
