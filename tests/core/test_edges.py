"""Edge cases named in the evaluation-core issue, each with a hand-checked expectation."""

from __future__ import annotations

import pytest

from junheng.core.engine import evaluate
from junheng.core.facts import SchoolType, Stage
from junheng.standards import load_standard

from .builders import classes, county, good_primary, rooms, school, teachers


@pytest.fixture(scope="module")
def std():
    return load_standard()


def one(std, *parts, facts=None):
    return evaluate(county(list(parts), facts), std)


def test_school_exactly_at_every_threshold_passes(std):
    # 100 students: R1 4.2 needs 4.2 teachers per 100 → use 500 students for whole numbers
    s = school("3504040001", primary=500, teaching_area=2250, sports_area=3750, equipment=100,
               multimedia=0)
    # R7 2.3 per 100 → 11.5 rooms for 500 students: use 1000 students instead for R7
    s = school("3504040001", primary=1000, teaching_area=4500, sports_area=7500, equipment=200, multimedia=23)
    t = teachers("3504040001", Stage.PRIMARY, 42, above=42, backbone=10, pe_art=9)
    ev = one(std, (s, t, classes(s.code, Stage.PRIMARY, [40] * 25), rooms(s.code, [96, 96], [90, 90])))
    (p,) = ev.schools
    assert {k: r.value for k, r in p.indicators.items()} == pytest.approx(
        {"R1": 4.2, "R2": 1.0, "R3": 0.9, "R4": 4.5, "R5": 7.5, "R6": 2000.0, "R7": 2.3})
    assert all(r.met for r in p.indicators.values()), {k: r.value for k, r in p.indicators.items()}
    assert p.met == 7 and p.passed


def _six_plus(std, area: float):
    # 1000 students, everything met except R4 whose area is given
    s = school("3504040001", primary=1000, teaching_area=area, sports_area=7500, equipment=200, multimedia=23)
    t = teachers("3504040001", Stage.PRIMARY, 42, above=42, backbone=10, pe_art=9)
    return one(std, (s, t, classes(s.code, Stage.PRIMARY, [40] * 25), rooms(s.code))).schools[0]


def test_six_of_seven_with_the_seventh_at_84_9_percent_fails(std):
    p = _six_plus(std, 0.849 * 4500)
    assert p.met == 6 and not p.passed
    assert "低于标准的 85%" in p.reason


def test_six_of_seven_with_the_seventh_at_85_percent_passes(std):
    p = _six_plus(std, 0.85 * 4500)
    assert p.met == 6 and p.passed


def test_five_of_seven_fails_even_when_close(std):
    s = school("3504040001", primary=1000, teaching_area=4400, sports_area=7400, equipment=200, multimedia=23)
    t = teachers("3504040001", Stage.PRIMARY, 42, above=42, backbone=10, pe_art=9)
    p = one(std, (s, t, [], [])).schools[0]
    assert p.met == 5 and not p.passed


@pytest.mark.parametrize("students,included", [(49, False), (50, True)])
def test_teaching_point_scope_at_50(std, students, included):
    tp = school("3504040009", SchoolType.TEACHING_POINT, primary=students, teaching_area=300,
                sports_area=400, equipment=10, multimedia=2)
    ev = one(std, good_primary("3504040001"), tp)
    codes = {s.school_code for s in ev.schools}
    assert ("3504040009" in codes) is included
    assert ("3504040009" in {e.school_code for e in ev.excluded}) is not included


def test_special_school_is_out_of_resource_scope(std):
    sp = school("3504040008", SchoolType.SPECIAL, primary=60, junior=30, allocated=60)
    ev = one(std, good_primary("3504040001"), sp)
    assert "3504040008" not in {s.school_code for s in ev.schools}
    assert any(e.school_code == "3504040008" and "特殊教育学校" in e.reason for e in ev.excluded)
    # G7: 60 万元 / 90 students = 6667 元 ≥ 6000
    assert ev.items["G7"].passed is True


@pytest.mark.parametrize("stage,size,ok", [
    (Stage.PRIMARY, 45, True), (Stage.PRIMARY, 46, False), (Stage.JUNIOR, 50, True), (Stage.JUNIOR, 51, False),
])
def test_class_size_limits(std, stage, size, ok):
    s, t, c, r = good_primary("3504040001", 100)
    extra = classes("3504040002", stage, [size])
    other = school("3504040002", SchoolType.JUNIOR if stage is Stage.JUNIOR else SchoolType.PRIMARY,
                   **{"primary" if stage is Stage.PRIMARY else "junior": size})
    ev = one(std, (s, t, c + extra, r), other)
    assert ev.items["G5"].passed is ok
    if not ok:
        (sf,) = [x for x in ev.shortfalls if x.item_id == "G5"]
        assert sf.quantity == 1 and sf.school_code == "3504040002"


@pytest.mark.parametrize("area,ok", [(95.9, False), (96.0, True)])
def test_music_room_area(std, area, ok):
    s, t, c, _ = good_primary("3504040001", 100)
    ev = one(std, (s, t, c, rooms(s.code, [area], [90])))
    assert ev.items["G3"].passed is ok
    if not ok:
        texts = [x.text for x in ev.shortfalls if x.item_id == "G3"]
        assert texts == ["需增音乐专用教室 1 间（现有 1 间面积不足 96 ㎡）"]


def test_rooms_required_per_12_classes(std):
    s, t, _, _ = good_primary("3504040001", 500)
    c = classes(s.code, Stage.PRIMARY, [38] * 13)  # 13 classes → 2 rooms of each type
    ev = one(std, (s, t, c, rooms(s.code, [100], [90, 95])))
    g3 = ev.items["G3"]
    assert g3.passed is False
    assert g3.failures[0]["required"] == 2 and g3.failures[0]["art_ok"] == 2
    assert [x.text for x in ev.shortfalls if x.item_id == "G3"] == ["需增音乐专用教室 1 间"]


def test_school_with_zero_students_in_a_stage_gives_one_part(std):
    s = school("3504040001", SchoolType.NINE_YEAR, primary=300, junior=0, teaching_area=1500)
    ev = one(std, s)
    assert [(p.stage, p.share) for p in ev.schools] == [(Stage.PRIMARY, 1.0)]
    assert Stage.JUNIOR not in ev.dispersion


def test_county_with_one_school_in_a_stage_has_cv_zero(std):
    j = school("3504040002", SchoolType.JUNIOR, junior=400, teaching_area=2000, sports_area=3000,
               equipment=80, multimedia=10)
    ev = one(std, good_primary("3504040001"), good_primary("3504040003", 300), j)
    jd = ev.dispersion[Stage.JUNIOR]
    assert all(d.cv == 0.0 and d.passed for k, d in jd.items() if k in ("R4", "R5", "R6", "R7"))
    # no junior teachers at all: the mean is 0 and the CV undefined, never "passed"
    assert all(jd[k].cv is None and jd[k].passed is None for k in ("R1", "R2", "R3"))
    assert ev.dimensions["resource"].passed is False


def test_shortfalls_in_real_units(std):
    # 200 students: R3 needs 1.8 → 2 PE/art teachers, has 0 → "缺体育艺术专任教师 2 名"
    s = school("3504040001", primary=200, teaching_area=900 - 320, sports_area=1500, equipment=40, multimedia=5)
    t = teachers(s.code, Stage.PRIMARY, 9, above=9, backbone=2, pe_art=0)
    ev = one(std, (s, t, classes(s.code, Stage.PRIMARY, [40] * 5), rooms(s.code)))
    texts = {x.item_id: x.text for x in ev.shortfalls if x.school_code == s.code}
    assert texts["R3"] == "缺体育艺术专任教师 2 名"
    assert texts["R4"] == "缺教学及辅助用房 320 ㎡"
    assert not ev.schools[0].passed


def test_indoor_sports_setting_moves_area(std):
    from importlib import resources

    import yaml

    from junheng.standards import parse_standard
    raw = yaml.safe_load(resources.files("junheng.standards").joinpath("yzjh-2017.yaml").read_text("utf-8"))
    raw["settings"]["indoor_sports"] = "move_to_sports"
    moved = parse_standard(yaml.safe_dump(raw, allow_unicode=True), "moved.yaml")
    s = school("3504040001", primary=100, teaching_area=500, sports_area=700, indoor=60)
    keep = evaluate(county([s]), std).schools[0].indicators
    move = evaluate(county([s]), moved).schools[0].indicators
    assert keep["R4"].value == 5.0 and keep["R5"].value == 7.0
    assert move["R4"].value == pytest.approx(4.4) and move["R5"].value == pytest.approx(7.6)
    assert evaluate(county([s]), moved).settings["indoor_sports"] == "move_to_sports"
