"""Issue 15 §2: every measure, hand-checked on a small county; scopes and missing reasons."""

from __future__ import annotations

import pytest

from junheng.analysis.county_year import summarise, year_scoped_figures
from junheng.analysis.factsheet import build_factsheet
from junheng.analysis.figure_catalogue import BY_ID, DEFINITIONS
from junheng.analysis.measures import (
    PLACES_ADDED,
    canonical,
    measure_value,
    missing_reason,
    registry,
    upgrade_figures,
)
from junheng.analysis.monitoring import load_monitoring_rules
from junheng.core.facts import SchoolType, Stage
from junheng.services.evaluation import evaluate_data
from junheng.standards import load_standard

from ..core.builders import PASSING_FACTS, classes, county, good_primary, school, teachers

STD = load_standard("yzjh-2017")


def hand():
    """A (100 students, 集团 一中集团, 城关镇, offers 课后服务, 80 take part; 6 teachers, all 本科),
    B (200 students, 城关镇, 课后服务 blank; 12 本科 teachers + 10 高中-degree ones, 2 of them backbone),
    C (60 students, teaching area 1 ㎡ so it fails R4; no 课后服务; 4 teachers).
    Classes: A 40+30+30 (none large), B 56, 66, 60, 18 (56–65: 2; ≥66: 1), C 60 (large)."""
    a = good_primary("3504040001", 100)
    a[0].group = "一中集团"
    a[0].extra.update(township="城关镇", afterschool=True, afterschool_students=80)
    b = good_primary("3504040002", 200)
    b[0].extra.update(township="城关镇", afterschool=None)
    c = good_primary("3504040003", 60, teaching_area=1)
    c[0].extra.update(afterschool=False)
    data = county([(a[0], a[1], classes("3504040001", Stage.PRIMARY, [40, 30, 30]), a[3]),
                   (b[0], b[1], classes("3504040002", Stage.PRIMARY, [56, 66, 60, 18]), b[3]),
                   (c[0], c[1], classes("3504040003", Stage.PRIMARY, [60]), c[3])],
                  dict(PASSING_FACTS, edu_spending_primary=720))
    data.teachers += teachers("3504040002", Stage.PRIMARY, 10, backbone=2)
    return data


@pytest.fixture(scope="module")
def year():
    data = hand()
    ev = evaluate_data(data, STD)
    return data, ev, build_factsheet(data, ev)


def test_the_counts_the_hand_county_is_built_from(year):
    data, _, fs = year
    assert fs.value("students") == 360
    assert (fs.value("teachers"), fs.value("above_degree_teachers")) == (6 + 12 + 4 + 10, 6 + 12 + 4)


def test_teacher_measures(year):
    _, _, fs = year
    assert fs.value("above_degree_share") == pytest.approx(22 / 32)
    backbone = fs.value("backbone_teachers")
    assert fs.value("backbone_share") == pytest.approx(backbone / 32)


def test_class_measures_56_and_66(year):
    _, _, fs = year
    # 56, 60 (B) and 60 (C) are 56–65; 66 is ≥ 66; 3 + 4 + 1 classes
    assert fs.value("classes") == 8
    assert (fs.value("large_classes"), fs.value("super_large_classes")) == (3, 1)
    assert fs.value("large_class_share") == pytest.approx(4 / 8)
    assert fs.value("super_large_class_share") == pytest.approx(1 / 8)


def test_resource_pass_share_and_indicator_shares(year):
    _, ev, fs = year
    assert fs.value("parts") == 3
    assert not next(s for s in ev.schools if s.school_code == "3504040003").indicators["R4"].met
    assert fs.value("indicator.R4") == pytest.approx(2 / 3)
    assert fs.value("indicator.R6") == pytest.approx(1.0)
    assert fs.value("parts.passed_share") == pytest.approx(fs.value("parts.passed") / 3)
    assert fs.value("parts.passed_share.primary") == fs.value("parts.passed_share")
    assert fs.value("parts.passed_share.junior") is None  # no junior school: nothing to divide


def test_group_coverage_by_schools_and_students(year):
    _, _, fs = year
    assert fs.value("group_coverage") == pytest.approx(1 / 3)
    assert fs.value("group_students") == 100
    assert fs.value("group_student_coverage") == pytest.approx(100 / 360)


def test_afterschool_coverage_leaves_blank_schools_out(year):
    _, _, fs = year
    assert (fs.value("afterschool_schools"), fs.value("afterschool_known_schools")) == (1, 2)
    assert fs.value("afterschool_coverage") == pytest.approx(0.5)
    assert fs.value("afterschool_share") == pytest.approx(80 / 360)  # 参与率: A 80 of all 360 students


def test_spending_growth_and_per_student_by_stage(year):
    _, _, fs = year
    assert fs.value("spending_growth") == pytest.approx(52000 - 50000)
    assert fs.value("per_student_spending") == pytest.approx(52000 * 10000 / 40000)  # 13,000 元
    assert fs.value("per_student_spending_prev") == pytest.approx(50000 * 10000 / 39500)  # 12,658.23 元
    assert fs.value("per_student_spending_growth") == pytest.approx(13000 - 50000 * 10000 / 39500)
    # 小学: the typed 教育经费统计 number (13,500 元) wins over 720 万元 × 10000 ÷ 360 = 20,000 元
    primary = fs["per_student_spending.primary"]
    assert (primary.value, primary.numerator, primary.denominator) == (13500, None, None)
    assert "填报" in primary.source and "教育经费统计口径" in primary.source
    assert fs.value("per_student_spending.junior") == 19800  # typed; no 初中 students, no 初中 支出


def test_per_student_spending_by_stage_is_computed_only_without_the_typed_number():
    data = hand()
    del data.facts["budget_per_student_primary"]
    fs = build_factsheet(data, evaluate_data(data, STD))
    primary = fs["per_student_spending.primary"]
    assert primary.value == pytest.approx(720 * 10000 / 360)  # 20,000 元
    assert (primary.numerator, primary.denominator) == (7_200_000, 360)
    assert primary.source.startswith("计算值") and "未填报小学生均一般公共预算教育经费" in primary.source
    del data.facts["edu_spending_primary"]
    fs = build_factsheet(data, evaluate_data(data, STD))
    assert fs.value("per_student_spending.primary") is None
    assert "生均一般公共预算教育经费" in missing_reason("per_student_spending.primary")


def test_one_per_student_figure_per_stage_and_the_old_ids_read_the_new_one():
    assert not [d.id for d in DEFINITIONS if d.id.startswith("budget_per_student")]
    assert BY_ID["per_student_spending.senior"].name == "高中生均一般公共预算教育经费"
    m = registry(STD)["per_student_spending"]
    assert m.stage_scopes == ("小学", "初中")
    assert canonical("budget_per_student.junior") == "per_student_spending.junior"
    assert canonical("backbone_share") == "backbone_share"
    # a summary stored before: the typed figure (13,500) replaces the computed one (20,000)
    old = {"per_student_spending.primary": 20000.0, "budget_per_student.primary": 13500.0,
           "per_student_spending.junior": 16000.0, "budget_per_student.junior": None, "students": 360}
    assert upgrade_figures(old) == {"per_student_spending.primary": 13500.0, "per_student_spending.junior": 16000.0,
                                    "students": 360}
    assert measure_value(registry(STD)["per_student_spending"], "小学", upgrade_figures(old), {}) == (13500.0, "")
    # a targets workbook naming the old id, bare or as the export writes it
    from junheng.intake.targets_workbook import find_measure

    assert find_measure("budget_per_student.primary", registry(STD)).id == "per_student_spending.primary"
    assert find_measure("小学生均（budget_per_student.senior）", registry(STD)).id == "per_student_spending.senior"


def test_numeric_items_are_figures(year):
    _, ev, fs = year
    assert fs.value("item.F1") == pytest.approx(52000)
    assert "item.G1" not in fs.figures  # 规划布局合理: yes / no, no number to track


def test_every_catalogue_figure_and_every_indicator_is_a_measure():
    reg = registry(STD)
    assert {d.id for d in DEFINITIONS} <= set(reg)
    assert {f"indicator.{i.id}" for i in STD.resource.indicators} <= set(reg)
    assert {f"cv.{st}.R1" for st in ("primary", "junior")} <= set(reg)
    assert "item.F1" in reg and "item.G1" not in reg
    assert reg["large_class_share"].direction == "lower" and reg["backbone_share"].direction == "higher"
    assert reg["cv.primary.R1"].direction == "lower"
    assert reg["class_size"].supports("小学") and not reg["backbone_share"].supports("小学")
    assert reg["preschool.gross_enrolment"].supports("学前")
    assert not reg["spending"].supports("集团：一中集团") and reg["large_class_share"].supports("乡镇：城关镇")
    assert len({m.name for m in reg.values()}) == len(reg), "two measures share a Chinese name"


def test_scoped_values_come_from_the_same_counts():
    data = hand()
    ev, rules = evaluate_data(data, STD), load_monitoring_rules()
    summary = summarise(data, ev, rules)
    assert "scoped_figures" not in summary  # made when asked for (services.targets), not at every import
    scoped = year_scoped_figures(data, ev, rules)
    assert summarise(data, ev, rules, keep_scoped=True)["scoped_figures"] == scoped
    assert set(scoped) == {"集团：一中集团", "乡镇：城关镇"}
    town = scoped["乡镇：城关镇"]  # A and B
    assert (town["students"], town["classes"], town["large_classes"], town["super_large_classes"]) == (300, 7, 2, 1)
    assert town["large_class_share"] == pytest.approx(3 / 7)
    reg = registry(STD)
    assert measure_value(reg["large_class_share"], "乡镇：城关镇", summary["figures"], scoped) == (
        pytest.approx(3 / 7), "")
    value, why = measure_value(reg["large_class_share"], "乡镇：东山镇", summary["figures"], scoped)
    assert value is None and "东山镇" in why
    assert measure_value(reg["class_size"], "小学", summary["figures"], scoped)[0] == pytest.approx(
        summary["figures"]["class_size.primary"])


def test_places_added_against_the_previous_year_and_missing_reasons():
    reg = registry(STD)
    now = {"capacity": 1200.0, "capacity.primary": 900.0, "spending": None}
    before = {"capacity": 1000.0, "capacity.primary": 800.0}
    assert measure_value(reg[PLACES_ADDED], "全县", now, {}, (before, {})) == (200.0, "")
    assert measure_value(reg[PLACES_ADDED], "小学", now, {}, (before, {})) == (100.0, "")
    value, why = measure_value(reg[PLACES_ADDED], "全县", now, {}, None)
    assert value is None and "上一学年" in why
    value, why = measure_value(reg["spending"], "全县", now, {})
    assert value is None and "「县级指标」表" in why and "本年一般公共预算教育支出" in why
    value, why = measure_value(reg["preschool.gross_enrolment"], "全县", now, {})
    assert value is None and "幼儿园" in why


def test_a_special_school_is_not_a_group_member_by_students():
    data = hand()
    data.schools.append(school("3504040009", SchoolType.SPECIAL, primary=0, name="特教学校", ))
    data.schools[-1].group = "一中集团"
    fs = build_factsheet(data, evaluate_data(data, STD))
    assert fs.value("group_students") == 100  # a special school with no 小学/初中 students adds none


def test_docs_measures_page_is_generated_from_the_registry():
    from pathlib import Path

    from junheng.analysis.measures import markdown

    docs = Path(__file__).resolve().parents[2] / "docs" / "measures.md"
    assert docs.read_text(encoding="utf-8") == markdown(STD), (
        "docs/measures.md is out of date: python -m junheng.analysis.measures > docs/measures.md")
