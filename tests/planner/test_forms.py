"""What the planner reads from a standard: which teachers and fields each indicator
counts, the rotation ratios, and the shapes it declines (with a Chinese reason)."""

from __future__ import annotations

import pytest

from junheng.core.engine import evaluate
from junheng.core.facts import BackboneLevel, Degree, Stage, Teacher
from junheng.core.standard import Standard
from junheng.planner.forms import NotPlannable, linear_form, ratio_rules
from junheng.planner.problem import build_problem
from junheng.planner.settings import default_settings
from junheng.standards import load_standard

from ..core.builders import county, good_primary

STD = load_standard()


def teacher(degree=Degree.BACHELOR, backbone=BackboneLevel.NONE, subject="语文", rotated=False):
    return Teacher("T1", "S", Stage.PRIMARY, degree, backbone, subject, True, 400, True, rotated)


def form(ind_id: str, stage: Stage, **settings):
    return linear_form(STD.indicator(ind_id).numerator_for(stage), {"indoor_sports": "keep", **settings})


def test_teacher_indicators_use_the_standards_filters():
    college = teacher(Degree.COLLEGE)
    assert form("R1", Stage.PRIMARY).teacher_value(college) == 1  # 专科 is enough in primary
    assert form("R1", Stage.JUNIOR).teacher_value(college) == 0  # not in junior
    assert form("R2", Stage.PRIMARY).teacher_value(teacher(backbone=BackboneLevel.CITY)) == 1
    assert form("R2", Stage.PRIMARY).teacher_value(teacher()) == 0
    assert form("R3", Stage.PRIMARY).teacher_value(teacher(subject="音乐")) == 1
    assert form("R3", Stage.PRIMARY).teacher_value(teacher(subject="数学")) == 0


def test_field_indicators_split_and_the_indoor_setting():
    r4 = form("R4", Stage.PRIMARY)
    assert r4.fields == {"teaching_area": 1.0} and r4.split == {"teaching_area": True} and not r4.teachers
    moved = form("R4", Stage.PRIMARY, indoor_sports="move_to_sports")
    assert moved.fields == {"teaching_area": 1.0}  # the indoor area is not something a plan adds
    assert form("R5", Stage.JUNIOR, indoor_sports="move_to_sports").fields == {"sports_area": 1.0}
    assert form("R6", Stage.PRIMARY).fields == {"equipment_value": 1.0}
    assert form("R7", Stage.PRIMARY).fields == {"multimedia_rooms": 1.0}


def test_shapes_the_planner_declines():
    with pytest.raises(NotPlannable, match="含除法"):
        linear_form({"div": [{"count": "teachers"}, {"sum": "schools.teaching_area"}]}, {})
    with pytest.raises(NotPlannable, match="按教师字段求和"):
        linear_form({"sum": "teachers.training_hours_5y"}, {})
    assert linear_form({"div": [{"fact": "a"}, {"fact": "b"}]}, {}).empty  # nothing a plan changes


def test_the_rotation_ratios_of_g11():
    item = STD.item("G11")
    rate, backbone = ratio_rules(item.kind, item.params, {})
    assert (rate.threshold, backbone.threshold) == (0.10, 0.20)
    moved = teacher(backbone=BackboneLevel.COUNTY, rotated=True)
    assert rate.numerator.teacher_value(moved) == 1 and rate.denominator.teacher_value(moved) == 1
    assert backbone.numerator.teacher_value(moved) == 1 and backbone.denominator.teacher_value(moved) == 1
    assert backbone.numerator.teacher_value(teacher(rotated=True)) == 0


def test_a_custom_standard_with_a_division_makes_that_indicator_non_plannable():
    raw = STD.model_dump(mode="json")
    ind = raw["resource"]["indicators"][6]
    ind["numerator"] = {"div": [{"sum": "schools.multimedia_rooms", "split": True}, 2]}
    custom = Standard.model_validate(raw)
    data = county([good_primary("3504040001"), good_primary("3504040002")])
    problem = build_problem(data, custom, evaluate(data, custom), default_settings())
    r7 = problem.indicators[6]
    assert not r7.plannable and "含除法" in r7.reason
    assert any(note.startswith("R7") and "方案不调整该项" in note for note in problem.notes)
