"""The sample county's 学生健康 sheet: every school with pupils (but the special
school) has a consistent row, a few give rates only, the county figures sit near the
national ones and improve from year to year."""

from __future__ import annotations

from junheng.analysis.health import health_year
from junheng.core.facts import SchoolType, Stage
from junheng.intake import read_county_workbook
from junheng.samples import generate_county
from junheng.samples.years import generate_years
from junheng.templates.writer import write_county_workbook


def test_rows_are_consistent_with_the_schools():
    data = generate_county(schools=60, seed=3)
    rows = {r.school_code: r for r in data.extra_tables["health"]}
    for s in data.schools:
        if s.school_type is SchoolType.SPECIAL:
            assert s.code not in rows
            continue
        r = rows[s.code]
        assert r.fitness_tested <= s.compulsory_students
        assert r.good <= r.passed <= r.fitness_tested
        for stage in (Stage.PRIMARY, Stage.JUNIOR):
            if r.screened(stage) is not None:
                assert r.myopic(stage) <= r.screened(stage) <= s.students(stage)
    assert any(r.fitness_passed is None and r.fitness_pass_pct is not None for r in rows.values())


def test_the_written_sample_reads_back_without_issues(tmp_path):
    data = generate_county(schools=40, seed=2025)
    result = read_county_workbook(write_county_workbook(data, tmp_path / "s.xlsx"))
    assert [i for i in result.report if i.is_error] == []
    assert len(result.data.extra_tables["health"]) == len(data.extra_tables["health"])


def test_years_improve_near_national_levels():
    years = [health_year(d) for d in generate_years(2023, 2025, 40)]
    passes = [y.fitness_passed.rate for y in years]
    assert all(0.85 < p < 0.97 for p in passes) and passes == sorted(passes)
    assert all(0.25 < y.myopia(Stage.PRIMARY).rate < 0.45 and 0.6 < y.myopia(Stage.JUNIOR).rate < 0.8 for y in years)
    assert any(s.pe_ok is False for s in years[0].schools)  # a few schools short of the PE lessons
