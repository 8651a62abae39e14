"""The optional sheet 学生健康: written as Excel/WPS would (openpyxl, number formats, a
rate in a %-formatted cell), read into SchoolHealth records with rates turned into
counts, and every inconsistency a located Chinese error with nothing imported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

from junheng.core.confirmations import Confirmations, parse_reference
from junheng.core.health import SchoolHealth, count_from_rate
from junheng.intake import read_county_workbook

from .books import book

HEADERS = ["学校标识码", "体质健康测试人数（人）", "体质健康达标人数（人）", "体质健康达标率（%）",
           "体质健康优良人数（人）", "体质健康优良率（%）", "小学视力筛查人数（人）", "小学近视人数（人）",
           "小学近视率（%）", "初中视力筛查人数（人）", "初中近视人数（人）", "初中近视率（%）",
           "专职心理健康教育教师数（人）", "兼职心理健康教育教师数（人）", "小学1—2年级每周体育与健康课（课时）",
           "小学3—6年级每周体育与健康课（课时）", "初中每周体育与健康课（课时）", "小学每周劳动课（课时）",
           "初中每周劳动课（课时）"]
COL = {h.split("（")[0]: openpyxl.utils.get_column_letter(i + 1) for i, h in enumerate(HEADERS)}
PCT = object()  # marks a value written as a fraction in a 0.0% cell


def rows() -> list[list[Any]]:
    """城关小学 (80 小学生) gives counts; 岩前学校 (40 小学 + 50 初中) gives 达标率 as a
    %-formatted cell (90.9 %), 优良率 typed as 45.5 and 小学近视率 as 35 %."""
    return [
        ["3504040001", 78, 72, None, 40, None, 80, 28, None, None, None, None, 0, 1, 4, 3, None, 1, None],
        ["3504040002", 88, None, (PCT, 0.909), None, 45.5, 40, None, (PCT, 0.35), 50, 36, None, 1, 0, 3, 3, 3,
         1, 1],
    ]


def health_book(tmp_path: Path, data: list[list[Any]] | None = None) -> Path:
    """The hand-written valid county (books.py) plus 学生健康, as Excel keeps it: counts
    in '0' cells, %-formatted rates, the school code a text cell."""
    path = book(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb.create_sheet("学生健康")
    ws.append(HEADERS)
    for r, row in enumerate(rows() if data is None else data, start=2):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(r, c)
            if isinstance(value, tuple) and value[0] is PCT:
                cell.value, cell.number_format = value[1], "0.0%"
            elif isinstance(value, str):
                cell.value, cell.number_format = value, "@"
            elif value is not None:
                cell.value = value
                cell.number_format = "0" if isinstance(value, int) else "0.0"
    wb.save(path)
    return path


def test_the_sheet_imports_into_records_with_rates_as_counts(tmp_path):
    result = read_county_workbook(health_book(tmp_path))
    assert [i for i in result.report if i.is_error] == []
    first, second = result.data.extra_tables["health"]
    assert first == SchoolHealth("3504040001", fitness_tested=78, fitness_passed=72, fitness_good=40,
                                 screened_primary=80, myopia_primary=28, psych_full_time=0, psych_part_time=1,
                                 pe_hours_lower=4, pe_hours_upper=3, labour_hours_primary=1, row=2)
    assert second.fitness_pass_pct == pytest.approx(90.9)  # the %-formatted 0.909 as Excel shows it
    assert second.myopia_primary_pct == pytest.approx(35)
    # counts the rates stand for: 88 × 90.9 % = 79.99 → 80; 88 × 45.5 % = 40.04 → 40; 40 × 35 % = 14
    assert (second.passed, second.good, second.count("myopia_primary")) == (80, 40, 14)
    assert second.myopia_junior == 36


@pytest.mark.parametrize(("base", "rate", "count"), [
    (88, 90.9, 80), (10, 45, 5), (10, 44.9, 4), (200, 92.5, 185), (0, 50, 0), (7, 100, 7), (3, 0, 0),
    (None, 50, None), (10, None, None),
])
def test_count_from_rate_rounds_half_up(base, rate, count):
    assert count_from_rate(base, rate) == count


def _errors(tmp_path, data) -> list[tuple[str | None, int | None, str | None, str]]:
    result = read_county_workbook(health_book(tmp_path, data))
    assert result.data is None  # nothing half-imported
    return [(i.sheet, i.row, i.column, i.code) for i in result.report if i.is_error]


def test_a_part_above_its_whole_and_a_rate_above_100_are_located_errors(tmp_path):
    data = rows()
    data[0][2] = 79  # 达标人数 79 > 测试人数 78
    data[0][7] = 81  # 小学近视人数 81 > 筛查 80 (and 筛查 80 is not above 80 students)
    data[1][5] = 120.0  # 优良率 120 %
    assert sorted(_errors(tmp_path, data)) == [
        ("学生健康", 2, COL["体质健康达标人数"], "value-exceeds-field"),
        ("学生健康", 2, COL["小学近视人数"], "value-exceeds-field"),
        ("学生健康", 3, COL["体质健康优良率"], "value-above-max"),
    ]


def test_counts_above_the_school_s_students(tmp_path):
    data = rows()
    data[0][1] = 81  # 测试 81 > 城关小学 80 students
    data[1][9] = 51  # 初中筛查 51 > 岩前学校 50 初中 students
    data[1][10] = 30
    result = read_county_workbook(health_book(tmp_path, data))
    issues = [i for i in result.report if i.code == "health-exceeds-students"]
    assert [(i.row, i.column) for i in issues] == [(2, COL["体质健康测试人数"]), (3, COL["初中视力筛查人数"])]
    assert issues[0].message == "学生健康 第2行 B列「体质健康测试人数（人）」的值 81 大于该校小学与初中在校生数之和 80（「学校」表）"
    assert issues[1].message.endswith("大于该校初中在校生数 50（「学校」表）")
    assert result.data is None


def test_a_rate_without_its_base_and_a_rate_that_disagrees_with_its_count(tmp_path):
    data = rows()
    data[1][1] = None  # 达标率 and 优良率 without 测试人数
    data[0][3] = (PCT, 0.95)  # 72 / 78 = 92.3 %, typed 95.0 %: more than 0.5 points apart
    data[0][8] = 35.2  # 28 / 80 = 35 %: within rounding, accepted
    result = read_county_workbook(health_book(tmp_path, data))
    errors = sorted((i.row, i.column, i.code) for i in result.report if i.is_error)
    assert errors == [(2, COL["体质健康达标率"], "health-rate-mismatch"),
                      (3, COL["体质健康达标率"], "health-rate-without-base"),
                      (3, COL["体质健康优良率"], "health-rate-without-base")]
    mismatch = next(i for i in result.report if i.code == "health-rate-mismatch")
    assert "72 人 ÷「体质健康测试人数（人）」78 人 = 92.3%" in mismatch.message
    assert result.data is None


def test_good_above_passed_when_one_is_a_rate(tmp_path):
    data = rows()
    data[1][4] = 81  # 优良 81 人 > 达标 88 × 90.9 % = 80 人
    data[1][5] = None
    assert _errors(tmp_path, data) == [("学生健康", 3, COL["体质健康优良人数"], "health-good-exceeds-passed")]


def test_an_unknown_school_code(tmp_path):
    data = rows()
    data[1][0] = "3504049999"
    assert ("学生健康", 3, "A", "unknown-school") in _errors(tmp_path, data)


def test_a_workbook_without_the_sheet_has_no_health_records(tmp_path):
    result = read_county_workbook(book(tmp_path))
    assert result.report.flattened() == []
    assert "health" not in result.data.extra_tables


def test_implausible_values_wait_for_a_confirmation(tmp_path):
    data = rows()
    data[1][3] = (PCT, 0.30)  # 达标率 30 %: below the template's plausible 40 %
    data[1][5] = 20.0  # 优良率 within 达标率
    data[0][14] = 8  # 8 PE lessons a week
    path = health_book(tmp_path, data)
    result = read_county_workbook(path)
    assert sorted((i.row, i.column, i.code) for i in result.report if i.is_error) == [
        (2, COL["小学1—2年级每周体育与健康课"], "value-implausible"),
        (3, COL["体质健康达标率"], "value-implausible")]
    confirmed = Confirmations(parse_reference(f"学生健康!{COL[h]}{r}")
                              for h, r in (("体质健康达标率", 3), ("小学1—2年级每周体育与健康课", 2)))
    result = read_county_workbook(path, confirmations=confirmed)
    assert {i.code for i in result.report} == {"value-confirmed"}
    assert result.data is not None

def test_the_older_headers_are_accepted(tmp_path):
    path = health_book(tmp_path)
    wb = openpyxl.load_workbook(path)
    ws = wb["学生健康"]
    ws[f"{COL['小学1—2年级每周体育与健康课']}1"] = "小学1—2年级体育与健康每周课时"
    ws[f"{COL['小学每周劳动课']}1"] = "小学劳动教育每周课时"
    wb.save(path)
    result = read_county_workbook(path)
    assert result.report.flattened() == []
    assert result.data.extra_tables["health"][0].pe_hours_lower == 4
