"""学生健康: every formula checked by hand on a small county — pooled rates (not a mean
of school rates), rates turned into counts, 心理健康教师配备, the lesson norms of the
2022 programme per grade band — and the same numbers in the fact sheet."""

from __future__ import annotations

import pytest

from junheng.analysis.factsheet import build_factsheet
from junheng.analysis.health import health_report, health_year, load_health_norms
from junheng.core.facts import SchoolType, Stage
from junheng.core.health import SchoolHealth
from junheng.reports import numbers as fmt
from junheng.services.evaluation import evaluate_data
from junheng.standards import load_standard

from ..core.builders import county, good_primary, school


def hand(year: int = 2025, records: list[SchoolHealth] | None = None):
    """A 小学 of 80 (counts), a 九年一贯制 of 40 + 50 (rates), a 小学 of 400 with no row,
    and a 特殊教育学校 of 20 (a row, but no lesson check)."""
    data = county([good_primary("3504040001", 80), good_primary("3504040003", 400),
                   school("3504040002", SchoolType.NINE_YEAR, primary=40, junior=50),
                   school("3504040004", SchoolType.SPECIAL, primary=12, junior=8)], school_year=year)
    data.extra_tables["health"] = records if records is not None else [
        SchoolHealth("3504040001", fitness_tested=78, fitness_passed=72, fitness_good=40, screened_primary=80,
                     myopia_primary=28, psych_full_time=0, psych_part_time=1, pe_hours_lower=4, pe_hours_upper=3,
                     labour_hours_primary=1),
        SchoolHealth("3504040002", fitness_tested=88, fitness_pass_pct=90.9, fitness_good_pct=45.5,
                     screened_primary=40, myopia_primary_pct=35, screened_junior=50, myopia_junior=36,
                     psych_full_time=1, psych_part_time=0, pe_hours_lower=3, pe_hours_upper=3, pe_hours_junior=3,
                     labour_hours_primary=1, labour_hours_junior=1),
        SchoolHealth("3504040004", fitness_tested=10, fitness_passed=5, psych_full_time=2, pe_hours_lower=1),
    ]
    return data


def test_pooled_rates_by_hand():
    y = health_year(hand())
    # 达标 72 + round(88 × 90.9 %) = 72 + 80 + 5 = 157 of 78 + 88 + 10 = 176
    assert (y.fitness_passed.part, y.fitness_passed.whole) == (157, 176)
    assert y.fitness_passed.rate == pytest.approx(157 / 176)
    # 优良: the special school gave none, so 40 + 40 of 78 + 88
    assert (y.fitness_good.part, y.fitness_good.whole) == (80, 166)
    assert y.tested == 176
    # 近视 小学 (28 + 14) / (80 + 40), 初中 36 / 50, both 78 / 170
    assert (y.myopia(Stage.PRIMARY).part, y.myopia(Stage.PRIMARY).whole) == (42, 120)
    assert y.myopia(Stage.JUNIOR).rate == pytest.approx(0.72)
    assert (y.myopia().part, y.myopia().whole) == (78, 170)
    assert y.missing == [("3504040003", y.missing[0][1])]


def test_pooled_is_not_the_mean():
    records = [SchoolHealth("3504040001", fitness_tested=80, fitness_passed=80),  # 100 %
               SchoolHealth("3504040002", fitness_tested=20, fitness_passed=10)]  # 50 %
    y = health_year(hand(records=records))
    assert y.fitness_passed.rate == pytest.approx(0.9)  # 90 / 100, not (100 % + 50 %) / 2 = 75 %


def test_psychology_teachers_and_lessons_by_hand():
    y = health_year(hand())
    full, part, filled, staffed, either = y.psych()
    assert (full, part, filled, staffed, either) == (3, 1, 3, 2, 3)
    by_code = {s.code: s for s in y.schools}
    assert by_code["3504040001"].pe_ok is True  # 小学 only: 4 ≥ 4 and 3 ≥ 3
    short = by_code["3504040002"].pe_short  # 1—2 年级 3 < 4
    assert by_code["3504040002"].pe_ok is False and [(x.band, x.taught, x.norm) for x in short] == [
        ("小学1—2年级", 3.0, 4.0)]
    assert by_code["3504040004"].pe_ok is None  # 特殊教育学校: not judged
    assert y.lessons("pe") == (1, 2)
    assert y.lessons("labour") == (2, 2)


def test_a_stage_without_any_band_filled_is_unknown_not_failing():
    records = [SchoolHealth("3504040002", pe_hours_lower=4, pe_hours_upper=3)]  # 初中 band blank
    y = health_year(hand(records=records))
    assert y.schools[0].pe_ok is None and y.lessons("pe") == (0, 0)


def test_norms_are_data():
    norms = load_health_norms()
    assert (norms.pe_hours.lower, norms.pe_hours.upper, norms.pe_hours.junior) == (4, 3, 3)
    assert "2022" in norms.pe_hours.source


def test_the_fact_sheet_shows_the_same_numbers():
    data = hand()
    fs = build_factsheet(data, evaluate_data(data, load_standard("yzjh-2017")))
    assert fs.value("health.schools") == 3
    assert fmt.shown(fs["health.fitness_pass_rate"]) == "89.2%"  # 157 / 176 = 89.20 %
    assert (fs["health.fitness_pass_rate"].numerator, fs["health.fitness_pass_rate"].denominator) == (157, 176)
    assert fmt.shown(fs["health.fitness_good_rate"]) == "48.2%"  # 80 / 166 = 48.19 %
    assert fmt.shown(fs["health.myopia_rate.primary"]) == "35.0%"
    assert fmt.shown(fs["health.myopia_rate.junior"]) == "72.0%"
    assert fmt.shown(fs["health.myopia_rate"]) == "45.9%"  # 78 / 170 = 45.88 %
    assert fs.value("health.psych_schools") == 2
    assert fmt.shown(fs["health.psych_school_share"]) == "66.7%"
    assert fmt.shown(fs["health.pe_ok_share"]) == "50.0%"
    assert fmt.shown(fs["health.labour_ok_share"]) == "100.0%"


def test_without_the_sheet_every_health_figure_is_unknown():
    data = hand()
    del data.extra_tables["health"]
    fs = build_factsheet(data, evaluate_data(data, load_standard("yzjh-2017")))
    health = [f for fid, f in fs.figures.items() if fid.startswith("health.")]
    assert health and all(f.value is None for f in health)


def test_years_oldest_first():
    report = health_report([hand(2025), hand(2024)])
    assert [y.school_year for y in report.years] == [2024, 2025] and report.current.school_year == 2025
