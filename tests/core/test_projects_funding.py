"""Building projects and funding, by hand: what a committed project adds and when
(core.projects), and F3/F4 分学段生均经费只增不减 (formulas_funding.stage_nondecreasing)."""

from __future__ import annotations

import pytest

from junheng.core.engine import evaluate
from junheng.core.facts import Stage
from junheng.core.projects import (
    Project,
    ProjectKind,
    ProjectStatus,
    future_places,
    new_schools,
    places_by_then,
    with_projects,
)
from junheng.standards import load_standard

from .builders import PASSING_FACTS, county, good_primary

K, S = ProjectKind, ProjectStatus


def project(name, code, kind=K.EXPANSION, status=S.BUILDING, start=2024, finish=2026, **kw) -> Project:
    return Project(name=name, kind=kind, start_year=start, finish_year=finish, status=status, school_code=code,
                   **kw)


def two_schools(*projects: Project):
    data = county([good_primary("3504040001", 100), good_primary("3504040002", 200)])  # 学年 2025
    data.extra_tables["projects"] = list(projects)
    return data


def test_committed_projects_add_places_by_finish_year():
    ps = [project("a", "3504040001", primary_places=90, finish=2026),
          project("b", "3504040001", primary_places=45, junior_places=50, finish=2028, status=S.APPROVED),
          project("c", "3504040002", primary_places=270, finish=2027, status=S.PLANNED),  # not committed
          project("d", "3504040002", primary_places=135, finish=2025, status=S.COMPLETED),  # already in the data
          project("e", None, K.NEW_SCHOOL, S.APPROVED, finish=2027, school_name="城东学校", primary_places=1620)]
    coming = future_places(ps, 2025)
    assert coming == {("3504040001", Stage.PRIMARY): {2026: 90, 2028: 45},
                      ("3504040001", Stage.JUNIOR): {2028: 50}}
    by = coming[("3504040001", Stage.PRIMARY)]
    assert [places_by_then(by, y) for y in (2025, 2026, 2027, 2028)] == [0, 90, 90, 135]
    assert [p.name for p in new_schools(ps, 2025)] == ["e"]
    assert ps[1].places == 95 and ps[1].committed and not ps[2].committed


def test_with_projects_adds_areas_of_the_projects_due_and_leaves_the_data_alone():
    data = two_schools(
        project("a", "3504040001", teaching_area=120.5, sports_area=300, finish=2026),
        project("b", "3504040001", teaching_area=1000, finish=2027),  # after the horizon
        project("c", "3504040002", sports_area=800, finish=2026, status=S.SUSPENDED),  # not committed
        project("d", "3504040002", K.DORMITORY, dorm_area=900, finish=2026),  # no 学校 column for dorms
        project("e", None, K.NEW_SCHOOL, S.APPROVED, finish=2026, school_name="城东学校", teaching_area=20000))
    out, applied = with_projects(data, 2026)
    a, b = out.schools
    assert (a.teaching_area, a.sports_area) == (500 + 120.5, 800 + 300)
    assert (b.teaching_area, b.sports_area) == (1000, 1600)
    assert b is data.schools[1]  # untouched schools are shared
    assert (data.schools[0].teaching_area, data.schools[0].sports_area) == (500, 800)  # the input as it was
    assert [p.name for p in applied.projects] == ["a"]
    assert applied.areas == {"3504040001": {"teaching_area": 120.5, "sports_area": 300}}
    assert [p.name for p in applied.not_applied] == ["e"]
    same, nothing = with_projects(data, 2025)
    assert same is data and nothing.projects == []


# ---- F3 / F4 -------------------------------------------------------------------------

@pytest.fixture(scope="module")
def std():
    return load_standard("yzjh-2017")


def funding_county(**facts):
    data = county([good_primary("3504040001", 100)], dict(PASSING_FACTS))
    for k, v in facts.items():
        if v is None:
            data.facts.pop(k, None)
        else:
            data.facts[k] = v
    return data


def test_stages_that_did_not_fall_pass(std):
    item = evaluate(funding_county(), std).items["F3"]
    assert (item.evaluable, item.passed) == (True, True)
    assert item.value == {"小学": 13500, "初中": 19800}  # 高中, 学前 left blank: not checked
    assert item.threshold == {"小学": 13100, "初中": 19200}
    assert item.message == "小学 13,500元（上年 13,100元）；初中 19,800元（上年 19,200元），均不低于上年"
    assert evaluate(funding_county(), std).items["F4"].passed is True


def test_a_stage_that_fell_fails_and_is_named(std):
    ev = evaluate(funding_county(public_funds_per_student_junior=3949.5), std)
    item = ev.items["F4"]
    assert (item.evaluable, item.passed) == (True, False)
    assert item.message == "初中 3,949.50元，低于上年 3,950元；小学 2,900元（上年 2,800元）"
    assert item.failures == [{"stage": "初中", "value": 3949.5, "previous": 3950.0, "passed": False}]
    assert ev.recognised  # F is monitoring only: the verdict does not change
    equal = evaluate(funding_county(public_funds_per_student_junior=3950), std).items["F4"]
    assert equal.passed is True  # 只增不减: the same as last year is not a fall


def test_half_a_stage_is_missing_data_and_no_stage_at_all_too(std):
    item = evaluate(funding_county(budget_per_student_primary_prev=None), std).items["F3"]
    assert (item.evaluable, item.missing) == (False, ["budget_per_student_primary_prev"])
    blank = {k: None for k in PASSING_FACTS if k.startswith("budget_per_student")}
    item = evaluate(funding_county(**blank), std).items["F3"]
    assert not item.evaluable and item.message == "缺少数据：未填报小学、初中、高中、学前任何学段的本年和上年数"
    assert len(item.missing) == 8


def test_a_new_stage_only_this_year_is_missing_its_last_year(std):
    item = evaluate(funding_county(budget_per_student_senior=21000), std).items["F3"]
    assert item.missing == ["budget_per_student_senior_prev"]
