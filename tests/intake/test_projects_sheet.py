"""The optional sheet 项目台账: a valid ledger imports into typed Project records (blank
numbers as 0, Chinese enums as codes); bad rows give located Chinese issues and import
nothing; a workbook written by openpyxl with Excel number formats and a 万元 unit in
the header reads the same."""

from __future__ import annotations

from typing import Any

import openpyxl
import pytest

from junheng.core.projects import Project, ProjectKind, ProjectStatus
from junheng.intake import read_county_workbook

from .books import book, valid_sheets

HEADERS = ["项目名称", "学校标识码", "学校名称", "项目类型", "开工年份", "竣工年份", "项目状态",
           "新增小学学位（个）", "新增初中学位（个）", "新增宿位（个）", "新增教学及辅助用房面积（㎡）",
           "新增体育运动场馆面积（㎡）", "县级资金（万元）", "省级资金（万元）", "进展情况"]
E, W = "error", "warning"


def ledger(*rows: list[Any]) -> dict[str, list[list[Any]]]:
    sheets = valid_sheets()  # 学年 2025; schools 3504040001 (小学), 3504040002 (九年一贯制)
    sheets["项目台账"] = [HEADERS, *rows]
    return sheets


GOOD = [
    ["城关小学改扩建", "3504040001", None, "改扩建", 2024, 2026, "在建", 270, None, None, 1800.5, None,
     650, 300, "主体封顶"],
    ["岩前学校运动场", "3504040002", None, "运动场", 2024, 2025, "已竣工", None, None, None, None, 4200,
     180.25, None, None],
    ["城东实验学校", None, "城东实验学校", "新建", 2025, 2027, "已立项", 1620, 900, None, 21600, 14500,
     7800, 2000, None],
]


def test_a_valid_ledger_imports_as_project_records(tmp_path):
    result = read_county_workbook(book(tmp_path, ledger(*GOOD)))
    assert result.report.flattened() == []
    projects = result.data.extra_tables["projects"]
    assert [type(p) for p in projects] == [Project] * 3
    a, b, c = projects
    assert (a.kind, a.status, a.school_code, a.primary_places, a.junior_places, a.teaching_area, a.row) == \
        (ProjectKind.EXPANSION, ProjectStatus.BUILDING, "3504040001", 270, 0, 1800.5, 2)
    assert a.investment == 950 and a.progress == "主体封顶"
    assert (b.kind, b.status, b.sports_area, b.investment) == (ProjectKind.SPORTS_GROUND, ProjectStatus.COMPLETED,
                                                               4200, 180.25)
    assert (c.kind, c.school_code, c.school_name, c.places, c.committed) == \
        (ProjectKind.NEW_SCHOOL, None, "城东实验学校", 2520, True)


CASES = {
    "finish before start": (
        [["城关小学改扩建", "3504040001", None, "改扩建", 2026, 2025, "在建"]],
        [("项目台账", 2, "F", "project-finish-before-start", E)]),
    "school project without a school": (
        [["某校加层", None, None, "加层", 2025, 2026, "在建"]],
        [("项目台账", 2, "B", "project-school-missing", E)]),
    "new school without a name": (
        [["城东新校", None, None, "新建", 2025, 2027, "已立项"]],
        [("项目台账", 2, "C", "project-new-school-unnamed", E)]),
    "unknown school": (
        [["城关小学改扩建", "3504049999", None, "改扩建", 2025, 2026, "在建"]],
        [("项目台账", 2, "B", "unknown-school", E)]),
    "unknown type": (
        [["城关小学改扩建", "3504040001", None, "装修", 2025, 2026, "在建"]],
        [("项目台账", 2, "D", "enum-unknown", E)]),
    "duplicate name": (
        [["城关小学改扩建", "3504040001", None, "改扩建", 2025, 2026, "在建"],
         ["城关小学改扩建", "3504040002", None, "改扩建", 2025, 2026, "在建"]],
        [("项目台账", 3, "A", "duplicate-key", E)]),
    "completed in a later year": (
        [["城关小学改扩建", "3504040001", None, "改扩建", 2025, 2027, "已竣工"]],
        [("项目台账", 2, "G", "project-status-years", W)]),
    "building past its finish year": (
        [["城关小学改扩建", "3504040001", None, "改扩建", 2023, 2025, "在建"]],
        [("项目台账", 2, "G", "project-status-years", W)]),
    "negative places": (
        [["城关小学改扩建", "3504040001", None, "改扩建", 2025, 2026, "在建", -45]],
        [("项目台账", 2, "H", "value-below-min", E)]),
}


@pytest.mark.parametrize("name", list(CASES))
def test_bad_rows_are_located(tmp_path, name):
    rows, expected = CASES[name]
    result = read_county_workbook(book(tmp_path, ledger(*rows), "county.xlsx"))
    report = result.report
    assert [(*f, str(i.severity)) for f, i in zip(report.flattened(), report, strict=True)] == expected
    assert (result.data is None) == any(e[-1] == E for e in expected)  # nothing half-imported
    for issue in report:
        assert issue.message.startswith(f"项目台账 第{issue.row}行 {issue.column}列「"), issue.message


def test_messages_name_the_years_and_the_type(tmp_path):
    rows = [["城关小学改扩建", "3504040001", None, "改扩建", 2026, 2025, "在建"],
            ["某校加层", None, None, "加层", 2025, 2026, "在建"],
            ["城关运动场", "3504040001", None, "运动场", 2023, 2025, "在建"]]
    messages = {i.code: i.message for i in read_county_workbook(book(tmp_path, ledger(*rows))).report}
    assert messages["project-finish-before-start"] == \
        "项目台账 第2行 F列「竣工年份」的值 2025 早于开工年份 2026：竣工年份不能早于开工年份"
    assert messages["project-school-missing"] == \
        "项目台账 第3行 B列「学校标识码」为空：加层项目须填写所在学校的学校标识码（只有新建学校可以不填）"
    assert messages["project-status-years"].startswith(
        "项目台账 第4行 G列「项目状态」为「在建」，但计划竣工年份 2025 不晚于本学年 2025")


def test_a_workbook_saved_by_openpyxl_with_formats_and_yuan(tmp_path):
    """Excel-style: 万元 cells with a #,##0.00 format, years as numbers, and the
    investment given in 元 (the header says so) — read in 万元 with a notice."""
    path = book(tmp_path, ledger(*GOOD))
    wb = openpyxl.load_workbook(path)
    ws = wb["项目台账"]
    ws["M1"] = "县级资金（元）"
    for r, v in ((2, 6500000), (3, 1802500), (4, 78000000)):
        ws.cell(r, 13, v).number_format = "#,##0"
    for r in (2, 3, 4):
        ws.cell(r, 14).number_format = "#,##0.00"
        ws.cell(r, 5).number_format = "0"
    wb.save(path)
    result = read_county_workbook(path)
    assert [i.code for i in result.report if i.severity.value == "error"] == []
    county = [p.invest_county for p in result.data.extra_tables["projects"]]
    assert county == [650, 180.25, 7800]
