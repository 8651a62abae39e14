"""基本均衡 (2012, ``jbjh-2012``): hand-computed golden county, the published district
tables through the whole engine, the composite limits at their boundary, and what a
county is told when an input the 2012 method needs is missing."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from junheng.core.engine import evaluate
from junheng.core.facts import SchoolType, Stage
from junheng.core.result import display_round
from junheng.standards import load_standard

from .builders import PASSING_FACTS, county, school, teachers

GOLDEN = json.loads((Path(__file__).resolve().parents[1] / "data" / "golden.json").read_text("utf-8"))
FACTS_2012 = dict(PASSING_FACTS, basic_standard_ok=True, gov_work_score=90)


@pytest.fixture(scope="module")
def std():
    return load_standard("jbjh-2012")


def _primary(code, students, *, area, sports, equipment, computers, books, staff, above, titled):
    s = school(code, SchoolType.PRIMARY, primary=students, teaching_area=area, sports_area=sports,
               equipment=equipment, computers=computers, books=books)
    return s, teachers(code, Stage.PRIMARY, staff, above=above, titled=titled), [], []


def hand_county():
    """Three primary schools of 100, 200 and 100 students (weights 1/4, 1/2, 1/4).

    per student          A        B        C      county mean (ratio of totals)
    J1 用房 ㎡          4        5        6      2000/400 = 5
    J2 场馆 ㎡          6        5       14      3000/400 = 7.5
    J3 仪器 元       1500     2000     2500      800000/400 = 2000
    J4 计算机/百生     10       15       20      60/400·100 = 15
    J5 图书 册         20       15       30      8000/400 = 20
    J6 师生比        0.06     0.05     0.08      24/400 = 0.06
    J7 高学历        0.05     0.05     0.06      21/400 = 0.0525
    J8 中级职称      0.02     0.02     0.04      10/400 = 0.025
    """
    return county([
        _primary("3504040001", 100, area=400, sports=600, equipment=15, computers=10, books=2000,
                 staff=6, above=5, titled=2),
        _primary("3504040002", 200, area=1000, sports=1000, equipment=40, computers=30, books=3000,
                 staff=10, above=10, titled=4),
        _primary("3504040003", 100, area=600, sports=1400, equipment=25, computers=20, books=3000,
                 staff=8, above=6, titled=4),
    ], FACTS_2012)


# Weighted variance Σ P_i (X_i − X̄)² / P worked by hand from the table above.
HAND_CV = {
    "J1": math.sqrt((100 * 1 + 200 * 0 + 100 * 1) / 400) / 5,
    "J2": math.sqrt((100 * 1.5**2 + 200 * 2.5**2 + 100 * 6.5**2) / 400) / 7.5,
    "J3": math.sqrt((100 * 500**2 + 0 + 100 * 500**2) / 400) / 2000,
    "J4": math.sqrt((100 * 25 + 0 + 100 * 25) / 400) / 15,
    "J5": math.sqrt((0 + 200 * 25 + 100 * 100) / 400) / 20,
    "J6": math.sqrt((0 + 200 * 0.01**2 + 100 * 0.02**2) / 400) / 0.06,
    "J7": math.sqrt((100 * 0.0025**2 + 200 * 0.0025**2 + 100 * 0.0075**2) / 400) / 0.0525,
    "J8": math.sqrt((100 * 0.005**2 + 200 * 0.005**2 + 100 * 0.015**2) / 400) / 0.025,
}


def test_hand_computed_county(std):
    ev = evaluate(hand_county(), std)
    table = ev.dispersion[Stage.PRIMARY]
    for ind, expected in HAND_CV.items():
        assert table[ind].cv == pytest.approx(expected, rel=1e-12), ind
        assert table[ind].limit is None and table[ind].passed is None  # singles carry no limit in 2012
    assert table["J6"].county_mean == pytest.approx(0.06)  # per student, not per 100
    assert table["J4"].county_mean == pytest.approx(15)  # per 100 students
    composite = sum(HAND_CV.values()) / 8
    assert table["composite"].cv == pytest.approx(composite, rel=1e-12)
    assert composite == pytest.approx(0.249553, abs=1e-6)  # (0.1414 + 0.5033 + … + 0.3464) / 8
    assert display_round(composite, 3) == 0.25
    assert table["composite"].limit == 0.65 and table["composite"].passed is True
    assert ev.dimensions["balance"].passed is True
    assert ev.recognised, {k: d.message for k, d in ev.dimensions.items()}
    # no per-school thresholds in 2012: every school part is listed, none fails
    assert all(s.passed and "不设学校达标要求" in s.reason for s in ev.schools)
    assert ev.shortfalls == []


def test_the_other_2012_items(std):
    facts = dict(FACTS_2012, gov_work_score=84.9, satisfaction_pct=85)
    ev = evaluate(_with_facts(facts), std)
    assert ev.items["W1"].passed is False  # 84.9 < 85
    assert ev.items["S1"].passed is True  # 85 % exactly is enough
    assert ev.items["B1"].passed is True
    assert not ev.recognised
    facts["gov_work_score"] = 85
    assert evaluate(_with_facts(facts), std).recognised


def _with_facts(facts):
    data = hand_county()
    data.facts = dict(facts)
    return data


# --- the published district tables through the engine ---------------------------------

K = math.sqrt(0.75 * 0.25)  # two schools weighted 3:1


def _ratio_for(cv: float) -> float:
    """School A (3000 students) holds t × school B's per-student value (1000 students):
    CV = K (1 − t) / (0.75 t + 0.25)  ⇒  t = (K − 0.25 CV) / (0.75 CV + K)."""
    return (K - 0.25 * cv) / (0.75 * cv + K)


def _cv_of(t: float) -> float:
    return K * abs(1 - t) / (0.75 * t + 0.25)


def published_county(case):
    """Two schools (3000 and 1000 students) whose 8 single CVs are the published ones.
    Teachers are whole people, so J6–J8 land within rounding of the target; the
    test compares with the exact CV of the counts actually used."""
    stage = Stage.PRIMARY if case["stage"] == "小学" else Stage.JUNIOR
    kind = SchoolType.PRIMARY if stage is Stage.PRIMARY else SchoolType.JUNIOR
    t = [_ratio_for(c) for c in case["cvs"]]
    parts, counts = [], []
    for code, n, f in (("3504040001", 3000, t), ("3504040002", 1000, [1.0] * 8)):
        kw = {"primary": n} if stage is Stage.PRIMARY else {"junior": n}
        s = school(code, kind, **kw, teaching_area=5 * n * f[0], sports_area=8 * n * f[1],
                   equipment=0.2 * n * f[2], computers=0.12 * n * f[3], books=20 * n * f[4])
        staff = (round(0.5 * n * f[5]), round(0.2 * n * f[6]), round(0.2 * n * f[7]))
        counts.append([c / n for c in staff])
        parts.append((s, teachers(code, stage, staff[0], above=staff[1], titled=staff[2]), [], []))
    exact = list(case["cvs"][:5]) + [_cv_of(a / b) for a, b in zip(counts[0], counts[1], strict=True)]
    return county(parts, FACTS_2012), stage, exact


@pytest.mark.parametrize("case", GOLDEN["composite_2012"], ids=lambda c: f"{c['district']}-{c['stage']}")
def test_published_tables_through_the_engine(std, case):
    data, stage, exact = published_county(case)
    table = evaluate(data, std).dispersion[stage]
    singles = [table[f"J{k}"].cv for k in range(1, 9)]
    for got, want, published in zip(singles, exact, case["cvs"], strict=True):
        assert got == pytest.approx(want, abs=1e-9)
        assert got == pytest.approx(published, abs=0.0015)  # whole teachers move J6–J8 a little
    comp = table["composite"]
    assert comp.cv == pytest.approx(sum(singles) / 8, rel=1e-12)  # the mean of the 8, nothing else
    assert abs(comp.cv - case["published_composite"]) <= 0.0015
    assert comp.limit == case["limit"] and comp.passed is case["passed"]


# --- boundaries ------------------------------------------------------------------------


def equal_pair(stage: Stage, low: float, high: float, *, j8_low: float | None = None):
    """Two schools of 100 students; school A holds ``low``, B ``high`` (per student,
    relative), so every single CV is (high − low) / (high + low); J8 may differ."""
    kind = SchoolType.PRIMARY if stage is Stage.PRIMARY else SchoolType.JUNIOR
    parts = []
    for code, f, f8 in (("3504040001", low, low if j8_low is None else j8_low), ("3504040002", high, high)):
        kw = {"primary": 100} if stage is Stage.PRIMARY else {"junior": 100}
        s = school(code, kind, **kw, teaching_area=100 * f, sports_area=100 * f, equipment=f,
                   computers=100 * f, books=1000 * f)
        parts.append((s, teachers(code, stage, round(100 * f), above=round(100 * f),
                                  titled=round(100 * f8)), [], []))
    return county(parts, FACTS_2012)


@pytest.mark.parametrize(("stage", "low", "high", "limit"), [
    (Stage.PRIMARY, 0.35, 1.65, 0.65),  # CV = 1.30 / 2.00 = 0.65 exactly
    (Stage.JUNIOR, 0.45, 1.55, 0.55),  # CV = 1.10 / 2.00 = 0.55 exactly
])
def test_composite_at_the_limit_passes_and_just_above_fails(std, stage, low, high, limit):
    at = evaluate(equal_pair(stage, low, high), std).dispersion[stage]["composite"]
    assert at.cv == pytest.approx(limit, abs=1e-12) and at.passed is True
    # one more 中级 teacher's worth of spread in J8 only: J8 CV = 1.31/1.99 → composite > limit
    above = evaluate(equal_pair(stage, low, high, j8_low=low - 0.01), std).dispersion[stage]["composite"]
    assert above.cv > limit and above.passed is False
    shortfalls = evaluate(equal_pair(stage, low, high, j8_low=low - 0.01), std).shortfalls
    assert [s.item_id for s in shortfalls] == ["composite"]


# --- missing inputs ----------------------------------------------------------------------


def test_missing_books_column_is_named_never_passed(std):
    data = hand_county()
    for s in data.schools:
        del s.extra["books"]
    ev = evaluate(data, std)
    table = ev.dispersion[Stage.PRIMARY]
    assert table["J5"].cv is None and table["composite"].cv is None and table["composite"].passed is None
    assert table["J1"].cv == pytest.approx(HAND_CV["J1"])  # the others are still computed
    assert ev.dimensions["balance"].passed is None
    assert "schools.books" in ev.dimensions["balance"].message
    assert not ev.recognised
    # the same data still evaluate under 2017, which needs no books
    ev2017 = evaluate(data, load_standard("yzjh-2017"))
    assert ev2017.dimensions["resource"].evaluable


def test_absent_title_column_is_missing_not_zero(std):
    data = hand_county()
    data.absent_columns = {"teachers": frozenset({"title"})}
    ev = evaluate(data, std)
    assert ev.dispersion[Stage.PRIMARY]["J8"].cv is None
    part = ev.schools[0]
    assert part.indicators["J8"].value is None
    assert part.indicators["J8"].provenance.inputs["missing"] == ["teachers.title"]
    assert "teachers.title" in ev.dimensions["balance"].message


def test_private_schools_are_left_out_in_2012(std):
    from junheng.core.facts import Ownership

    data = hand_county()
    data.schools[2].ownership = Ownership.PRIVATE
    ev = evaluate(data, std)
    assert [s.school_code for s in ev.schools] == ["3504040001", "3504040002"]
    assert "民办" in ev.excluded[0].reason
