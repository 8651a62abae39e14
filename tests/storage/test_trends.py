"""Trends over hand-checked years: 大班额 shares, new places, teachers, 两个只增不减."""

from __future__ import annotations

import pytest

from junheng.core.facts import Degree, SchoolClass, Stage
from junheng.services.history import import_county_data
from junheng.services.trends import county_trend

from .counties import small_county


def _year(year: int, sizes1: list[int], sizes2: list[int], spending: tuple, **extra):
    data = small_county(year=year, schools=2)
    s1, s2 = data.schools
    data.classes = (
        [SchoolClass(s1.code, Stage.PRIMARY, 1, f"1-{i}", n) for i, n in enumerate(sizes1)]
        + [SchoolClass(s2.code, Stage.PRIMARY, 1, f"1-{i}", n) for i, n in enumerate(sizes2)]
    )
    e, n, e0, n0 = spending
    data.facts.update(edu_spending=e, students_total=n, edu_spending_prev=e0, students_total_prev=n0)
    s1.extra.update(extra)
    return data


@pytest.fixture
def three_years(engine):
    y22 = _year(2022, [40, 56, 60, 66], [45, 45], (50000, 40000, 48000, 39000))
    y23 = _year(2023, [40, 50, 55, 65], [45, 45, 45], (52000, 41000, 50000, 40000))
    y24 = _year(2024, [40, 50, 55, 45], [45, 45, 45], (53000, 43000, 51000, 41000),
                primary_standard_classes=10)
    for t in y24.teachers[:4]:
        t.degree = Degree.HIGH_SCHOOL_OR_BELOW
    for data in (y22, y23, y24):
        import_county_data(engine, data, by="t")
    # a corrected 2023 re-import: the trend uses the current version
    y23b = _year(2023, [40, 50, 55, 65], [45, 45, 45], (52000, 41000, 50000, 40000))
    import_county_data(engine, y23b, by="t")
    return engine


def test_class_sizes_places_and_teachers(three_years):
    t = county_trend(three_years, "350404")
    assert [y.school_year for y in t.years] == [2022, 2023, 2024]
    y22, y23, y24 = t.years
    assert y23.version == 2
    assert (y22.classes, y22.large_share, y22.super_large_share) == (6, 2 / 6, 1 / 6)
    assert (y23.classes, y23.large_share, y23.super_large_share) == (7, 1 / 7, 0.0)
    # capacity: classes × 45 (2022: 6 classes, 2023: 7); 2024 school 1 declares 10 standard classes
    assert (y22.capacity, y22.new_places) == (270, None)
    assert (y23.capacity, y23.new_places) == (315, 45)
    assert (y24.capacity, y24.new_places) == (10 * 45 + 3 * 45, 585 - 315)
    # 12 teachers per school, 3 of them backbone; in 2024 four lack the required degree
    assert (y22.teachers, y22.backbone_share, y22.above_degree_share) == (24, 6 / 24, 1.0)
    assert y24.above_degree_share == 20 / 24
    assert y22.recognised is False and "G5" in y22.failing_items  # classes over 45
    assert y22.schools_passed == y22.schools_total == 2
    assert y22.cv["primary"]["R1"] == pytest.approx(0.0)


def test_two_never_decrease_verdicts_per_year(three_years):
    y22, y23, y24 = county_trend(three_years, "350404").years
    # 2022: no stored 2021, so this year's declared 上年 figures are used
    assert y22.funding.prev_source == "declared"
    assert (y22.funding.spending_ok, y22.funding.per_student_ok) == (True, True)
    assert y22.funding.verdict == "达到"
    # 2023 against stored 2022: 52000 ≥ 50000; 52000/41000 ≥ 50000/40000
    assert y23.funding.prev_source == "stored" and y23.funding.spending_prev == 50000
    assert y23.funding.verdict == "达到" and y23.funding.notes == []
    # 2024: spending rises, per student falls (53000/43000 < 52000/41000)
    f = y24.funding
    assert (f.spending_ok, f.per_student_ok, f.ok) == (True, False, False)
    assert f.per_student == pytest.approx(53000 / 43000)
    assert f.verdict.startswith("未达到：生均一般公共预算教育支出减少 ")
    assert f"{(52000 / 41000 - 53000 / 43000) * 10000:.2f} 元" in f.verdict
    # 2024 declared last year's spending as 51000, the stored 2023 says 52000
    assert f.notes == ["本年填报的上年教育支出 51000 万元与数据库中上一学年的 52000 万元不一致"]


def test_a_year_range_still_compares_with_the_year_before(three_years):
    t = county_trend(three_years, "350404", year_from=2023, year_to=2023)
    assert [y.school_year for y in t.years] == [2023]
    assert t.years[0].new_places == 45 and t.years[0].funding.prev_source == "stored"


def test_spending_falls_and_missing_data(engine):
    a = _year(2022, [40], [40], (50000, 40000, 48000, 39000))
    b = _year(2023, [40], [40], (49000, 38000, None, None))
    del b.facts["edu_spending_prev"]
    c = _year(2025, [40], [40], (None, None, None, None))
    for k in ("edu_spending", "students_total", "edu_spending_prev", "students_total_prev"):
        del c.facts[k]
    for d in (a, b, c):
        import_county_data(engine, d, by="t")
    _, yb, yc = county_trend(engine, "350404").years
    assert (yb.funding.spending_ok, yb.funding.per_student_ok) == (False, True)
    assert yb.funding.verdict == "未达到：一般公共预算教育支出减少 1000 万元"
    assert yc.funding.verdict == "缺少数据" and yc.funding.ok is None and yc.new_places is None
