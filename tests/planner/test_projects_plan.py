"""Committed building projects in the plan (services.planning → planner.projects): the
area a 在建 project brings by the plan's year is not bought again, and the plan says so."""

from __future__ import annotations

from junheng.core.projects import Project, ProjectKind, ProjectStatus
from junheng.services.planning import plan_county

from ..core.builders import county
from .test_cases import primary, settings


def short_of_area():
    """A: 100 pupils on 300 ㎡ (3 ㎡ each, under 85 % of 4.5 = 3.825): fails R4 and so
    the school (its other six indicators pass). The cheapest fix is the least area that
    reaches 3.825 ㎡ each: 382.5 − 300 → 83 ㎡ (whole ㎡, at least 60)."""
    return county([primary("3504040001", area=3.0), primary("3504040002")])


def extension(finish: int, status=ProjectStatus.BUILDING, area: float = 120) -> Project:
    return Project(name="学校001教学楼加层", kind=ProjectKind.EXTRA_FLOOR, start_year=2025, finish_year=finish,
                   status=status, school_code="3504040001", school_name="学校001", teaching_area=area)


def area_bought(plan) -> float:
    return sum(b.amount for b in plan.actions.fields if b.school_code == "3504040001"
               and b.field == "teaching_area")


def test_without_projects_the_plan_builds_the_area():
    plan = plan_county(short_of_area(), settings=settings())
    assert area_bought(plan) == 83
    assert not any("项目台账" in n for n in plan.notes)


def test_a_project_finishing_next_year_is_counted_as_done():
    data = short_of_area()
    data.extra_tables["projects"] = [extension(2026)]
    plan = plan_county(data, settings=settings())
    assert plan.status == "nothing_to_do" and area_bought(plan) == 0
    assert plan.notes[0] == ("已计入「项目台账」中 2026 年竣工的已立项、在建项目 1 个（学校001教学楼加层），按竣工后的面积"
                             "制定方案，不重复安排：学校001 教学及辅助用房 120 ㎡。方案的“整改前”指标已含这些项目")
    assert plan.before.schools[0].passed  # 420 ㎡ for 100 pupils
    assert data.schools[0].teaching_area == 300  # the county data as it was


def test_a_small_project_leaves_the_rest_to_the_plan():
    data = short_of_area()
    data.extra_tables["projects"] = [extension(2026, area=20)]
    assert area_bought(plan_county(data, settings=settings())) == 63  # 382.5 − 320


def test_later_planned_or_suspended_projects_are_not_counted():
    for project in (extension(2027), extension(2026, ProjectStatus.PLANNED), extension(2026, ProjectStatus.SUSPENDED)):
        data = short_of_area()
        data.extra_tables["projects"] = [project]
        assert area_bought(plan_county(data, settings=settings())) == 83, project
