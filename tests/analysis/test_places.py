"""学位 and 大班额: capacity, class-size shares and the cohort forecast, by hand."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from junheng.analysis.places import PlacesSettings, places_report, survival_ratios
from junheng.core.facts import SchoolType, Stage

from ..core.builders import classes, county, school


def grade_classes(code, stage, per_grade):
    """``per_grade``: {grade: [class sizes]}."""
    out = []
    for g, sizes in per_grade.items():
        out += classes(code, stage, sizes, grade=g)
    for i, c in enumerate(out):
        c.class_name = f"{c.grade}-{i}"
    return out


def hand_county(school_year=2025):
    """A: 6 grades × 2 classes of 45 (540 pupils), 12 standard classes → 540 places.
    B: grades of 100, 80, 80, 80, 80, 80 (500 pupils), 12 standard classes → 540.
    C (初中): grade 7 of 170 in 4 classes, grades 8–9 of 150 in 3 classes of 50
    (470 pupils, 10 classes), 9 standard classes → 450. The county's 初一 (170) equals
    its 六年级 (90 + 80), so 小升初 keeps every pupil."""
    a = school("3504040001", SchoolType.PRIMARY, primary=540, primary_standard_classes=12)
    b = school("3504040002", SchoolType.PRIMARY, primary=500, primary_standard_classes=12)
    c = school("3504040003", SchoolType.JUNIOR, junior=470, junior_standard_classes=9)
    data = county([a, b, c], school_year=school_year)
    data.classes = (grade_classes(a.code, Stage.PRIMARY, {g: [45, 45] for g in range(1, 7)})
                    + grade_classes(b.code, Stage.PRIMARY, {1: [50, 50], **{g: [40, 40] for g in range(2, 7)}})
                    + grade_classes(c.code, Stage.JUNIOR, {7: [43, 43, 42, 42], 8: [50, 50, 50], 9: [50, 50, 50]}))
    return data


def row(report, code, stage, year):
    return next(r for r in report.forecast if (r.school_code, r.stage, r.year) == (code, stage, year))


def test_capacity_from_standard_classes():
    report = places_report(hand_county())
    caps = {(c.school_code, c.stage): c for c in report.capacities}
    assert caps[("3504040001", Stage.PRIMARY)].capacity == 12 * 45
    assert caps[("3504040002", Stage.PRIMARY)].spare == 540 - 500
    assert caps[("3504040003", Stage.JUNIOR)].capacity == 9 * 50
    assert all(c.standard_from_workbook for c in report.capacities)


def test_current_classes_stand_in_for_a_blank_standard_count():
    data = hand_county()
    del data.schools[0].extra["primary_standard_classes"]
    cap = places_report(data).capacities[0]
    assert (cap.standard_classes, cap.standard_from_workbook, cap.capacity) == (12, False, 540)


def test_forecast_by_cohort_progression():
    report = places_report(hand_county())
    # A keeps 90 a grade: 540, 12 classes — full, never over
    a1 = row(report, "3504040001", Stage.PRIMARY, 2026)
    assert (a1.students, a1.classes_needed, a1.over_capacity, a1.too_few_classrooms) == (540, 12, False, False)
    # B: the cohort of 100 moves up each year; grade 1 takes 100 again
    b = [row(report, "3504040002", Stage.PRIMARY, y) for y in (2026, 2027, 2028)]
    assert [r.students for r in b] == [520, 540, 560]
    assert b[0].by_grade == {1: 100, 2: 100, 3: 80, 4: 80, 5: 80, 6: 80}
    assert [r.over_capacity for r in b] == [False, False, True]  # 560 > 540 in 2028
    # 100 pupils need ceil(100 / 45) = 3 classes: 3 + 3 + 4 × 2 = 14 > 12 already in 2026
    assert b[0].classes_needed == 14 and b[0].too_few_classrooms
    # C: grade 7 takes both primaries' grade 6 (90 + 80 = 170), × 170 / 170
    c = [row(report, "3504040003", Stage.JUNIOR, y) for y in (2026, 2027, 2028)]
    assert c[0].by_grade == {7: 170, 8: 170, 9: 150}
    assert [r.students for r in c] == [490, 510, 510]
    assert c[0].over_capacity and c[0].classes_needed == 4 + 4 + 3
    assert {(r.school_code, r.year) for r in report.flagged()} == {
        ("3504040002", 2026), ("3504040002", 2027), ("3504040002", 2028),
        ("3504040003", 2026), ("3504040003", 2027), ("3504040003", 2028)}


def test_pupils_of_a_teaching_point_move_on_to_schools_with_the_next_grade():
    data = hand_county()
    tp = school("3504040004", SchoolType.TEACHING_POINT, primary=60)
    data.schools.append(tp)
    data.classes += grade_classes(tp.code, Stage.PRIMARY, {1: [20], 2: [20], 3: [20]})
    report = places_report(data, settings=PlacesSettings(years=1))
    # the 20 third-graders go to grade 4 of A and B in proportion to their grade 4 now (90 : 80)
    assert row(report, "3504040001", Stage.PRIMARY, 2026).by_grade[4] == round(90 + 20 * 90 / 170)
    assert row(report, "3504040002", Stage.PRIMARY, 2026).by_grade[4] == round(80 + 20 * 80 / 170)
    assert row(report, "3504040004", Stage.PRIMARY, 2026).by_grade == {1: 20, 2: 20, 3: 20}


def test_large_and_super_large_classes():
    data = hand_county()
    for c, n in zip(data.classes[:4], (55, 56, 65, 66), strict=True):
        c.students = n
    report = places_report(data)
    primary, junior, total = report.large
    assert (primary.classes, primary.large, primary.super_large) == (24, 2, 1)
    assert primary.large_share == pytest.approx(2 / 24) and total.super_large_share == pytest.approx(1 / 34)
    assert (junior.classes, junior.large, junior.super_large) == (10, 0, 0)
    assert report.large_by_school == {"3504040001": (2, 1)}


def test_survival_and_places_added_from_last_year():
    before = hand_county(2024)
    now = hand_county()
    # last year's grade 1 of A was 100 pupils; this year's grade 2 of A+B is 170 → 170 / (100 + 100)
    for c in before.classes:
        if c.grade == 1:
            c.students = 50
    now.schools[1].extra["primary_standard_classes"] = 14
    report = places_report(now, previous=before)
    assert survival_ratios(now, before)[1] == pytest.approx((90 + 80) / (100 + 100))
    assert report.survival[2] == pytest.approx(1.0)
    assert report.added[("3504040002", Stage.PRIMARY)] == 2 * 45
    assert report.added[("3504040001", Stage.PRIMARY)] == 0


def test_fewer_first_years_than_leavers_without_last_year():
    """初一 of 85 against 170 六年级: next year's 初一 is 170 × 85 / 170 = 85."""
    data = hand_county()
    data.classes = [c for c in data.classes if c.grade != 7]
    data.classes += grade_classes("3504040003", Stage.JUNIOR, {7: [43, 42]})
    report = places_report(data, settings=PlacesSettings(years=1))
    assert report.survival[6] == pytest.approx(0.5)
    assert row(report, "3504040003", Stage.JUNIOR, 2026).by_grade == {7: 85, 8: 85, 9: 150}


def test_special_schools_are_left_out():
    data = hand_county()
    sp = school("3504040009", SchoolType.SPECIAL, primary=30)
    data.schools.append(sp)
    data.classes += grade_classes(sp.code, Stage.PRIMARY, {1: [10], 2: [10], 3: [10]})
    report = places_report(data)
    assert "3504040009" not in {c.school_code for c in report.capacities}
    assert "3504040009" not in {r.school_code for r in report.forecast}


# --- property: the forecast neither creates nor loses pupils ------------------------------


@settings(max_examples=40, deadline=None)
@given(primaries=st.lists(st.lists(st.integers(0, 120), min_size=6, max_size=6), min_size=1, max_size=4),
       points=st.lists(st.lists(st.integers(1, 20), min_size=3, max_size=3), max_size=2),
       juniors=st.lists(st.lists(st.integers(1, 200), min_size=3, max_size=3), min_size=1, max_size=3))
def test_pupils_are_conserved(primaries, points, juniors):
    """With survival 1 everywhere (六年级 = 初一 county-wide), next year's county total is
    this year's minus the leaving 初三 plus the same grade-1 intake (up to rounding of
    each school's grades)."""
    schools, cls = [], []
    code = iter(range(1, 100))
    for grades in primaries:
        c = f"35040400{next(code):02d}"
        schools.append(school(c, SchoolType.PRIMARY, primary=sum(grades)))
        cls += grade_classes(c, Stage.PRIMARY, {g + 1: [n] for g, n in enumerate(grades) if n})
    for grades in points:
        c = f"35040400{next(code):02d}"
        schools.append(school(c, SchoolType.TEACHING_POINT, primary=sum(grades)))
        cls += grade_classes(c, Stage.PRIMARY, {g + 1: [n] for g, n in enumerate(grades)})
    sixth = sum(g[5] for g in primaries)
    for i, grades in enumerate(juniors):
        c = f"35040400{next(code):02d}"
        g7 = [sixth // len(juniors) + (1 if i < sixth % len(juniors) else 0)] if sixth else [grades[0]]
        g7 = g7 if g7[0] else [grades[0]]
        schools.append(school(c, SchoolType.JUNIOR, junior=g7[0] + grades[1] + grades[2]))
        cls += grade_classes(c, Stage.JUNIOR, {7: g7, 8: [grades[1]], 9: [grades[2]]})
    data = county(schools)
    data.classes = cls
    report = places_report(data, settings=PlacesSettings(years=1))
    now = {g: sum(c.students for c in cls if c.grade == g) for g in range(1, 10)}
    if now[7] != now[6] or any(now[g] == 0 for g in range(1, 10)):
        return  # the county has a grade nobody teaches, or 小升初 ≠ 1: not this property
    expected = sum(now.values()) - now[9] + now[1]
    got = sum(r.students for r in report.forecast)
    assert abs(got - expected) <= len(report.forecast) * 9
