"""A sample county over several years: each year valid, derived from the one before, so
that imported together they give plausible flows, school events and trends."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from junheng.cli import app
from junheng.intake import read_county_workbook
from junheng.samples import generate_county
from junheng.samples.years import generate_years
from junheng.services.history import import_workbook, open_history
from junheng.services.trends import county_flows, county_trend
from junheng.services.workbook import sample_year_path, write_sample_years

YEARS = (2023, 2024, 2025)
runner = CliRunner()


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    out = tmp_path_factory.mktemp("years")
    summaries = write_sample_years(out, "2023-2025")
    return [s.path for s in summaries]


@pytest.fixture(scope="module")
def read(files):
    return [read_county_workbook(p) for p in files]


@pytest.fixture(scope="module")
def engine(files, tmp_path_factory):
    db = tmp_path_factory.mktemp("db") / "junheng.db"
    eng = open_history(url=f"sqlite:///{db}")
    for path in files:
        outcome = import_workbook(eng, path, by="test")
        assert outcome.stored is not None, outcome.report
    yield eng
    eng.dispose()


def test_one_workbook_per_year_each_valid_without_warnings(files, read):
    assert [p.name for p in files] == [f"示例县-{y}.xlsx" for y in YEARS]
    for path, result in zip(files, read, strict=True):
        assert not result.report.has_errors, (path, result.report.errors[:3])
        assert result.report.warnings == [], (path, result.report.warnings[:3])
    assert [r.data.county.school_year for r in read] == list(YEARS)


def test_the_first_year_is_the_single_year_sample():
    first = generate_years(2023, 2025)[0]
    single = generate_county(school_year=2023)
    first.source = single.source
    assert first == single


def test_same_seed_same_years_other_seed_other_years(tmp_path):
    assert generate_years(2023, 2024, schools=15, seed=3) == generate_years(2023, 2024, schools=15, seed=3)
    assert generate_years(2023, 2024, schools=15, seed=3)[1] != generate_years(2023, 2024, schools=15, seed=4)[1]
    # the files' data, too
    a = write_sample_years(tmp_path / "a", "2024-2025", schools=15, seed=3)
    b = write_sample_years(tmp_path / "b", "2024-2025", schools=15, seed=3)
    for x, y in zip(a, b, strict=True):
        dx, dy = read_county_workbook(x.path).data, read_county_workbook(y.path).data
        dx.source = dy.source = None
        assert dx == dy


def test_schools_and_teachers_persist_across_years(read):
    d0, d1, d2 = (r.data for r in read)
    codes = [{s.code for s in d.schools} for d in (d0, d1, d2)]
    assert len(codes[0] - codes[1]) == 1 and codes[1] <= codes[0]  # one closed (merged)
    assert len(codes[2] - codes[1]) == 1 and codes[1] <= codes[2]  # one opened
    names = [{s.code: s.name for s in d.schools} for d in (d0, d1, d2)]
    assert all(names[0][c] == names[1][c] for c in codes[1])
    for a, b in ((d0, d1), (d1, d2)):
        ids_a, ids_b = {t.teacher_id for t in a.teachers}, {t.teacher_id for t in b.teachers}
        kept = len(ids_a & ids_b) / len(ids_a)
        assert 0.95 <= kept < 1  # a few retire
        assert ids_b - ids_a  # new hires
        students = [sum(s.compulsory_students for s in d.schools) for d in (a, b)]
        assert abs(students[1] / students[0] - 1) < 0.05


def test_flows_show_about_a_tenth_to_a_seventh_rotated_mostly_declared(engine):
    for year in YEARS[1:]:
        report = county_flows(engine, "350404", year).report
        assert 0.10 <= report.real.share <= 0.15, (year, report.real.share)
        assert report.real.backbone_share >= 0.2 and report.real.ok
        declared = sum(m.declared for m in report.moves)
        assert declared / len(report.moves) >= 0.9
        assert 1 <= len(report.disagreements) <= 10
        kinds = {d.kind for d in report.disagreements}
        assert {"moved_not_declared", "declared_not_moved"} <= kinds
        assert abs(report.declared.share - report.real.share) < 0.02


def test_school_events_show_the_merged_and_the_opened_school(engine, read):
    events = county_trend(engine, "350404").events
    assert [(e.school_year, e.kind) for e in events] == [(2024, "merged"), (2025, "opened")]
    merged, opened = events
    assert merged.code not in {s.code for s in read[1].data.schools}
    assert merged.into in {s.code for s in read[1].data.schools}
    assert opened.code in {s.code for s in read[2].data.schools} - {s.code for s in read[1].data.schools}


def test_trend_numbers_move_plausibly(engine):
    years = county_trend(engine, "350404").years
    assert [y.school_year for y in years] == list(YEARS)
    first, second, last = years
    assert first.schools_passed < last.schools_passed  # failing schools fixed
    assert first.super_large_share > 0 and second.super_large_share == 0 == last.super_large_share
    assert last.large_share < first.large_share  # 大班额 reduced
    assert "G11" in first.failing_items and "G11" not in last.failing_items  # rotation now 10 %+
    assert last.new_places > 0  # the new school's places
    for a, b in zip(years, years[1:], strict=False):
        assert abs(b.teachers / a.teachers - 1) < 0.05
        assert abs(b.students / a.students - 1) < 0.05
    # 两个只增不减: spending falls behind enrolment once, then grows again
    assert second.funding.per_student_ok is False and "未达到" in second.funding.verdict
    assert second.funding.prev_source == "stored" and not second.funding.notes  # 上年 figures agree
    assert last.funding.ok is True and last.funding.spending > first.funding.spending


def test_cli_writes_the_years_into_a_folder(tmp_path):
    out = tmp_path / "示例"
    result = runner.invoke(app, ["sample", str(out), "--years", "2024-2025", "--schools", "12"])
    assert result.exit_code == 0, result.output
    assert "已生成2024 学年示例工作簿" in result.output and "已生成2025 学年示例工作簿" in result.output
    assert sample_year_path(out, 2024).exists() and sample_year_path(out, 2025).exists()
    # existing files are kept without --force, and nothing else is written
    sample_year_path(out, 2025).unlink()
    before = sample_year_path(out, 2024).read_bytes()
    result = runner.invoke(app, ["sample", str(out), "--years", "2024-2025", "--schools", "12"])
    assert result.exit_code == 2 and "文件已存在" in result.output and "--force" in result.output
    assert not sample_year_path(out, 2025).exists() and sample_year_path(out, 2024).read_bytes() == before


@pytest.mark.parametrize(("args", "message"), [
    (["--years", "2025-2023"], "结束学年不能早于起始学年"),
    (["--years", "二〇二三"], "学年范围应写作"),
    (["--years", "2000-2030"], "最多生成"),
    (["--years", "2023-2025", "--school-year", "2024"], "只能选一个"),
])
def test_cli_refuses_bad_year_ranges_in_chinese(tmp_path, args, message):
    result = runner.invoke(app, ["sample", str(tmp_path / "out"), *args])
    assert result.exit_code == 2 and message in result.output, result.output
    assert not (tmp_path / "out").exists()


def test_a_year_range_needs_a_folder_not_a_workbook(tmp_path):
    result = runner.invoke(app, ["sample", str(tmp_path / "a.xlsx"), "--years", "2024-2025"])
    assert result.exit_code == 2 and "文件夹" in result.output
