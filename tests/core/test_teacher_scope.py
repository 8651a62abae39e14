"""Teachers of 义务教育 only: every teacher-based figure of the 2017 standard counts
the teachers of 小学 and 初中; the 高中 teachers of a 完全中学 are out (issue 12 §2).

A hand-checked county: one good primary school and one 完全中学 with 200 初中 and
300 高中 students. Its 12 初中 teachers meet every rule; its 高中 teachers fail them
all, so any figure that counted them would flip.
"""

from __future__ import annotations

import dataclasses

import pytest

from junheng.analysis.county_year import summarise
from junheng.analysis.monitoring import load_monitoring_rules
from junheng.core.engine import evaluate
from junheng.core.facts import SchoolType, Stage
from junheng.core.flows import teacher_flows
from junheng.core.scope import scope_from, teachers_in_scope
from junheng.reports.documents.yearly import YearData, year_facts
from junheng.standards import load_standard, parse_standard, standard_text

from .builders import classes, county, good_primary, rooms, school, teachers

CODE = "3504040099"


@pytest.fixture(scope="module")
def std():
    return load_standard("yzjh-2017")


def complete_secondary(senior_teachers):
    s = school(CODE, SchoolType.COMPLETE_SECONDARY, junior=200, senior=300, teaching_area=6.5 * 500,
               sports_area=11 * 500, equipment=0.3 * 500, multimedia=13)
    junior = teachers(CODE, Stage.JUNIOR, 12, above=12, backbone=3, pe_art=2, eligible=12, rotated=2)
    return s, junior + senior_teachers, classes(CODE, Stage.JUNIOR, [40] * 5), rooms(CODE)


def seniors(n=20, *, eligible=20, rotated=0):
    """高中 teachers failing G9 (100 学时), G12 (no certificate), R1 (no degree), never backbone."""
    return teachers(CODE, Stage.SENIOR, n, above=0, backbone=0, certified=0, trained=0,
                    eligible=eligible, rotated=rotated)


def data_with(senior_teachers):
    return county([good_primary("3504040001", 200), complete_secondary(senior_teachers)])


def test_g9_counts_compulsory_teachers_only(std):
    item = evaluate(data_with(seniors()), std).items["G9"]
    assert item.passed is True
    # 12 primary (good_primary: 6 per 100 students) + 12 junior; the 20 高中 teachers are out
    assert item.provenance.inputs["numerator"] == 24 and item.provenance.inputs["denominator"] == 24


def test_g12_counts_compulsory_teachers_only(std):
    item = evaluate(data_with(seniors()), std).items["G12"]
    assert item.passed is True and item.value == 1.0


def test_g11_share_counts_compulsory_teachers_only(std):
    # 12 + 12 eligible, 3 + 2 rotated = 5/24 = 20.8 %; with 40 eligible 高中 teachers,
    # none rotated, it would be 5/64 = 7.8 % < 10 %.
    item = evaluate(data_with(seniors(40, eligible=40)), std).items["G11"]
    assert item.passed is True
    assert item.value["交流轮岗比例"] == pytest.approx(5 / 24)
    assert item.provenance.note == "按本标准口径只计小学、初中教师，另有 40 名其他学段（高中）教师未计入"


def test_g11_backbone_share_counts_compulsory_teachers_only(std):
    # 30 高中 teachers rotated, none a backbone teacher: counted, the backbone share
    # would be 5 / 35 = 14 % < 20 %; of 小学/初中 alone it is 5 / 5 (backbone rotate first).
    item = evaluate(data_with(seniors(30, eligible=30, rotated=30)), std).items["G11"]
    assert item.passed is True
    assert item.value["骨干教师占交流轮岗教师比例"] == pytest.approx(5 / 5)


def test_r1_to_r3_of_the_junior_part_ignore_senior_teachers(std):
    # 高中 teachers with degrees, backbone status and PE subjects must not raise R1–R3.
    rich = teachers(CODE, Stage.SENIOR, 50, above=50, backbone=50, pe_art=50)
    ev = evaluate(data_with(rich), std)
    (junior,) = [s for s in ev.schools if s.school_code == CODE]
    assert junior.stage is Stage.JUNIOR and junior.students == 200
    assert junior.indicators["R1"].value == pytest.approx(100 * 12 / 200)
    assert junior.indicators["R2"].value == pytest.approx(100 * 3 / 200)
    assert junior.indicators["R3"].value == pytest.approx(100 * 2 / 200)


def test_the_standard_file_decides_the_scope(std):
    """One setting decides: a copy counting 高中 teachers too makes G9 and G12 fail."""
    text, _ = standard_text("yzjh-2017")
    wide = parse_standard(text.replace("teacher_stages: [primary, junior]",
                                       "teacher_stages: [primary, junior, senior]"), "wide.yaml")
    ev = evaluate(data_with(seniors()), wide)
    assert ev.items["G9"].passed is False and ev.items["G12"].passed is False
    assert ev.settings["scope"]["teacher_stages"] == ["primary", "junior", "senior"]
    assert evaluate(data_with(seniors()), std).settings["scope"]["teacher_stages"] == ["primary", "junior"]


def test_yearly_figures_flows_and_g11_agree(std):
    """The 年度答卷, the stored yearly figures, `junheng flows` and G11 give one share."""
    data = data_with(seniors(40, eligible=40, rotated=4))
    ev = evaluate(data, std)
    g11 = ev.items["G11"].value["交流轮岗比例"]
    assert g11 == pytest.approx(5 / 24)
    summary = summarise(data, ev, load_monitoring_rules())["rotation"]
    assert summary["rotated"] / summary["eligible"] == pytest.approx(g11)
    facts = year_facts(YearData(ev, data))
    assert facts.value("rotation_share") == pytest.approx(g11)
    assert facts.count("teachers.primary") == 12 and facts.count("teachers.junior") == 12
    # flows: last year every teacher sat at another school, so all the rotated moved
    before = [dataclasses.replace(t, school_code="3504040098") if t.rotated else t for t in data.teachers]
    report = teacher_flows(before, data.teachers, load_monitoring_rules().rotation, std.settings.scope)
    assert report.declared.share == pytest.approx(g11)
    assert report.real.share == pytest.approx(g11)
    assert report.left == []  # 高中 teachers still on the roster have not left


def test_scope_from_evaluation_json():
    scope = scope_from({"teacher_stages": ["primary", "junior"]})
    ts = teachers("1", Stage.SENIOR, 2) + teachers("1", Stage.JUNIOR, 3)
    assert len(teachers_in_scope(ts, scope)) == 3
    assert scope_from(None) == scope
