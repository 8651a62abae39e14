"""The 2017 rules issue 12 §2 added, each with a hand-checked (golden) case: the second
precondition (P2), the vetoes 有编不补 (V6) and 长期聘用编外教师 (V7), G6 for 村小学和
教学点 only, and +200 元 per boarder in G6."""

from __future__ import annotations

import dataclasses

import pytest

from junheng.core.engine import evaluate
from junheng.core.facts import SchoolType, Stage, UrbanRural
from junheng.standards import load_standard, parse_standard, standard_text

from .builders import PASSING_FACTS, county, good_primary, school, teachers


@pytest.fixture(scope="module")
def std():
    return load_standard("yzjh-2017")


def base(*extra_parts, facts=None):
    return county([good_primary("3504040001", 300), *extra_parts], facts)


# ---- P2: 基本均衡认定后年度监测持续保持较高水平 ------------------------------------------

@pytest.mark.parametrize(("kept", "passed"), [(True, True), (False, False)])
def test_p2_second_precondition(std, kept, passed):
    ev = evaluate(base(facts={**PASSING_FACTS, "basic_balance_kept": kept}), std)
    assert ev.items["P2"].passed is passed
    assert ev.dimensions["precondition"].passed is passed
    assert ev.recognised is passed


def test_p2_missing_is_not_evaluable_never_a_pass(std):
    facts = {k: v for k, v in PASSING_FACTS.items() if k != "basic_balance_kept"}
    ev = evaluate(base(facts=facts), std)
    assert ev.items["P2"].evaluable is False and ev.items["P2"].missing == ["basic_balance_kept"]
    assert ev.dimensions["precondition"].passed is None and not ev.recognised


# ---- V6 有编不补, V7 长期聘用编外教师 ------------------------------------------------------

def staffed(quota: int | None, established: int, contract: int):
    """A primary school of 100 students: ``established`` 在编 and ``contract`` 编外 teachers."""
    code = "3504040002"
    s = school(code, SchoolType.PRIMARY, primary=100, teaching_area=500, sports_area=800, equipment=25,
               multimedia=3, **({} if quota is None else {"staff_quota": quota}))
    ts = teachers(code, Stage.PRIMARY, established + contract, above=established + contract, backbone=2, pe_art=1)
    for i, t in enumerate(ts):
        t.extra["staffing"] = "established" if i < established else "contract"
    return s, ts, [], []


def with_staffing(data):
    for t in data.teachers:
        t.extra.setdefault("staffing", "established")
    return data


@pytest.mark.parametrize(("declared", "passed"), [(False, True), (True, False)])
def test_v6_v7_follow_the_county_fact(std, declared, passed):
    facts = {**PASSING_FACTS, "veto_unfilled_posts": declared, "veto_contract_teachers": declared}
    ev = evaluate(base(facts=facts), std)
    assert ev.items["V6"].passed is passed and ev.items["V7"].passed is passed
    assert ev.dimensions["veto"].passed is passed and ev.recognised is passed


def test_v6_data_contradicting_the_fact_blocks_the_verdict(std):
    # quota 8, 5 在编 + 2 编外: 3 posts vacant while 编外 teachers are hired → 有编不补
    ev = evaluate(with_staffing(base(staffed(8, 5, 2))), std)
    v6 = ev.items["V6"]
    assert v6.evaluable is False and v6.passed is None
    assert "核定编制 8 人、在编教师 5 人、编外教师 2 名" in v6.message
    assert v6.failures[0]["vacant"] == 3
    assert ev.dimensions["veto"].passed is None and not ev.recognised
    # V7 only notes the 编外 teachers (no tenure in the workbook: "长期" cannot be seen)
    assert ev.items["V7"].passed is True and "编外教师 2 名" in ev.items["V7"].message


@pytest.mark.parametrize(("quota", "established", "contract", "evaluable"), [
    (7, 5, 2, False),  # 2 vacant, 2 编外
    (5, 5, 2, True),   # every post filled: 编外 teachers on top are not 有编不补
    (8, 5, 0, True),   # vacant posts but no 编外 teacher: nothing contradicts 否
    (None, 5, 2, True),  # no quota for the school: nothing to compare
])
def test_v6_data_boundaries(std, quota, established, contract, evaluable):
    ev = evaluate(with_staffing(base(staffed(quota, established, contract))), std)
    assert ev.items["V6"].evaluable is evaluable
    if evaluable:
        assert ev.items["V6"].passed is True


def test_v6_on_conflict_fail_is_a_setting_of_the_file(std):
    text, _ = standard_text("yzjh-2017")
    strict = parse_standard(text.replace("on_conflict: not_evaluable", "on_conflict: fail"), "strict.yaml")
    ev = evaluate(with_staffing(base(staffed(8, 5, 2))), strict)
    assert ev.items["V6"].passed is False and "一票否决" in ev.items["V6"].message


def test_v6_without_the_staffing_columns_uses_the_fact_alone(std):
    data = base(staffed(8, 5, 2))
    for t in data.teachers:
        t.extra.pop("staffing", None)
    data.absent_columns = {"teachers": frozenset({"staffing"})}
    v6 = evaluate(data, std).items["V6"]
    assert v6.passed is True and v6.message == "无"


# ---- G6: 村小学和教学点, +200 元 per boarder ---------------------------------------------

FACTS_G6 = {**PASSING_FACTS, "primary_funding_quota": 650}


def small(code, ur, allocated, *, boarding=False, boarders=None, school_type=SchoolType.PRIMARY):
    extra = {} if boarders is None else {"boarders": boarders}
    s = school(code, school_type, primary=60, teaching_area=300, sports_area=480, equipment=15, multimedia=2,
               urban_rural=ur, allocated=allocated, **extra)
    return dataclasses.replace(s, boarding=boarding)


@pytest.mark.parametrize(("ur", "applies"), [(UrbanRural.RURAL, True), (UrbanRural.TOWN, False),
                                             (UrbanRural.URBAN, False)])
def test_g6_covers_village_schools_not_urban_small_ones(std, ur, applies):
    # 60 students, funded for 60 × 650 = 3.9 万元 instead of 100 × 650 = 6.5 万元
    ev = evaluate(base(small("3504040003", ur, 3.9), facts=FACTS_G6), std)
    g6 = ev.items["G6"]
    assert g6.passed is (not applies)
    if applies:
        assert g6.failures[0]["required"] == 65000 and g6.failures[0]["allocated"] == 39000
    else:
        assert "按标准文字（村小学和教学点）不适用本项" in g6.message


def test_g6_teaching_points_count_wherever_they_are(std):
    tp = small("3504040004", UrbanRural.TOWN, 3.9, school_type=SchoolType.TEACHING_POINT)
    assert evaluate(base(tp, facts=FACTS_G6), std).items["G6"].passed is False


def test_g6_reading_is_a_setting_of_the_file(std):
    text, _ = standard_text("yzjh-2017")
    wide = parse_standard(text.replace("      urban_rural: {primary: [rural]}\n", ""), "wide.yaml")
    ev = evaluate(base(small("3504040003", UrbanRural.URBAN, 3.9), facts=FACTS_G6), wide)
    assert ev.items["G6"].passed is False


@pytest.mark.parametrize(("allocated", "passed"), [(7.5, True), (7.49, False), (6.5, False)])
def test_g6_adds_200_yuan_per_boarder(std, allocated, passed):
    # 100 × 650 + 50 boarders × 200 = 75 000 元 = 7.5 万元
    s = small("3504040003", UrbanRural.RURAL, allocated, boarding=True, boarders=50)
    g6 = evaluate(base(s, facts=FACTS_G6), std).items["G6"]
    assert g6.passed is passed
    if not passed:
        assert g6.failures[0]["required"] == 75000 and g6.failures[0]["boarders"] == 50


def test_g6_boarding_school_without_boarders_is_not_evaluable(std):
    s = small("3504040003", UrbanRural.RURAL, 9.0, boarding=True)
    g6 = evaluate(base(s, facts=FACTS_G6), std).items["G6"]
    assert g6.evaluable is False and g6.missing == ["schools.boarders"]
    # a day school needs no 寄宿生数: 100 × 650 = 6.5 万元 is enough
    day = small("3504040003", UrbanRural.RURAL, 6.5)
    assert evaluate(base(day, facts=FACTS_G6), std).items["G6"].passed is True
