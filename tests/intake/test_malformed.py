"""Malformed workbooks: each breaks one thing and must give exactly the located,
coded issues listed, with a Chinese message quoting the offending value."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from junheng.intake import read_county_workbook
from junheng.intake.recorder import show

from .books import book, valid_sheets

Sheets = dict[str, list[list[Any]]]
E = "error"
W = "warning"


def cell(sheet: str, row: int, col: str, value: Any) -> Callable[[Sheets], None]:
    """Set the cell at Excel ``row`` and column letter ``col``."""

    def change(sheets: Sheets) -> None:
        line = sheets[sheet][row - 1]
        j = ord(col) - 65
        line.extend([None] * (j + 1 - len(line)))
        line[j] = value

    return change


def drop_column(sheet: str, col: str) -> Callable[[Sheets], None]:
    def change(sheets: Sheets) -> None:
        for line in sheets[sheet]:
            del line[ord(col) - 65]

    return change


def drop_sheet(name: str) -> Callable[[Sheets], None]:
    return lambda sheets: sheets.pop(name)


def add_row(sheet: str, row: list[Any]) -> Callable[[Sheets], None]:
    return lambda sheets: sheets[sheet].append(row)


def drop_row(sheet: str, excel_row: int) -> Callable[[Sheets], None]:
    return lambda sheets: sheets[sheet].pop(excel_row - 1)


CASES: dict[str, tuple[list[Callable[[Sheets], None]], list[tuple]]] = {
    "negative-students": (
        [cell("学校", 2, "H", -12)],
        [("学校", 2, "H", "value-below-min", E)],
    ),
    "missing-sheet": (
        [drop_sheet("教师")],
        [("教师", None, None, "sheet-missing", E)],
    ),
    "missing-required-header": (
        [drop_column("学校", "B")],
        [("学校", 1, None, "header-missing", E)],
    ),
    "duplicate-header": (
        [cell("学校", 1, "S", "小学学生数"), cell("学校", 2, "S", 80)],
        [("学校", 1, "S", "header-duplicate", E)],
    ),
    "blank-required-cell": (
        [cell("教师", 3, "F", None)],
        [("教师", 3, "F", "value-required", E)],
    ),
    "fractional-int": (
        [cell("班级", 2, "E", 40.5)],
        [("学校", 2, "H", "students-mismatch", W), ("班级", 2, "E", "type-int", E)],
    ),
    "text-in-number": (
        [cell("学校", 3, "K", "约2500")],
        [("学校", 3, "K", "type-number", E)],
    ),
    "bad-bool": (
        [cell("教师", 2, "G", "有")],
        [("教师", 2, "G", "type-bool", E)],
    ),
    "unknown-enum": (
        [cell("学校", 2, "D", "城镇")],
        [("学校", 2, "D", "enum-unknown", E)],
    ),
    "short-code": (
        [cell("教师", 2, "B", "350404000")],
        [("教师", 2, "B", "code-digits", E)],
    ),
    "code-as-fraction": (
        [cell("基本信息", 2, "B", 3504.5)],
        [("基本信息", 2, "B", "type-code", E)],
    ),
    "duplicate-teacher-and-class": (
        [cell("教师", 4, "A", "T001"), cell("班级", 3, "D", "一年级1班"),
         cell("班级", 4, "D", "一年级1班")],  # same name in another school is fine
        [("教师", 4, "A", "duplicate-key", E), ("班级", 3, "D", "duplicate-key", E)],
    ),
    "unknown-school": (
        [cell("教师", 6, "B", "3504049999"), cell("专用教室", 4, "A", "3504049998")],
        [("教师", 6, "B", "unknown-school", E), ("专用教室", 4, "A", "unknown-school", E)],
    ),
    "primary-school-with-junior-students": (
        [cell("学校", 2, "I", 10)],
        [("学校", 2, "I", "stage-impossible", E), ("学校", 2, "I", "students-mismatch", W)],
    ),
    "nine-year-school-without-junior": (
        [cell("学校", 3, "I", 0)],
        [("学校", 3, "I", "stage-impossible", E), ("学校", 3, "I", "students-mismatch", W)],
    ),
    "senior-students-in-a-nine-year-school": (
        [cell("学校", 3, "J", 30)],
        [("学校", 3, "J", "stage-impossible", E)],
    ),
    "teaching-point-with-junior-students": (
        [cell("学校", 2, "C", "教学点"), cell("学校", 2, "I", 10)],
        [("学校", 2, "I", "stage-impossible", E), ("学校", 2, "I", "students-mismatch", W)],
    ),
    "junior-school-with-primary-pupils-teachers-and-classes": (
        [cell("学校", 2, "C", "初中")],
        [("学校", 2, "H", "stage-impossible", E), ("教师", 2, "C", "stage-impossible", E),
         ("教师", 3, "C", "stage-impossible", E), ("班级", 2, "B", "stage-impossible", E),
         ("班级", 3, "B", "stage-impossible", E)],
    ),
    "teacher-stage-the-school-lacks": (
        [cell("教师", 2, "C", "初中")],
        [("教师", 2, "C", "stage-impossible", E)],
    ),
    "class-grade-outside-its-stage": (
        [cell("班级", 2, "C", 8)],
        [("班级", 2, "C", "stage-impossible", E)],
    ),
    "class-stage-the-school-lacks": (
        [cell("班级", 3, "B", "初中"), cell("班级", 3, "C", 7)],
        [("学校", 2, "H", "students-mismatch", W), ("学校", 2, "I", "students-mismatch", W),
         ("班级", 3, "B", "stage-impossible", E)],
    ),
    "part-exceeds-whole": (
        [cell("学校", 2, "L", 4000), cell("学校", 3, "Q", 31), cell("县级指标", 6, "B", 1300)],
        [("学校", 2, "L", "value-exceeds-field", E), ("学校", 3, "Q", "value-exceeds-field", E),
         ("县级指标", 6, "B", "value-exceeds-field", E)],
    ),
    "room-area-out-of-range": (
        [cell("专用教室", 2, "C", 2500), cell("专用教室", 3, "C", 0)],
        [("专用教室", 2, "C", "value-above-max", E), ("专用教室", 3, "C", "value-below-min", E)],
    ),
    "students-do-not-add-up": (
        [cell("班级", 5, "E", 45)],
        [("学校", 3, "I", "students-mismatch", W)],
    ),
    "unknown-and-duplicate-items": (
        [add_row("县级指标", ["不存在的项目", 1]), add_row("县级指标", ["规划布局合理", "否"])],
        [("县级指标", 9, "A", "item-unknown", W), ("县级指标", 10, "A", "item-duplicate", E)],
    ),
    "missing-school-year": (
        [drop_row("基本信息", 6)],
        [("基本信息", None, None, "item-missing", E)],
    ),
    "school-year-out-of-range": (
        [cell("基本信息", 6, "B", "25")],
        [("基本信息", 6, "B", "number-as-text", W), ("基本信息", 6, "B", "value-below-min", E)],
    ),
    "percent-as-fraction": (
        [cell("县级指标", 4, "B", 0.985)],
        [("县级指标", 4, "B", "percent-fraction", W)],
    ),
    "wrong-unit-in-header": (
        [cell("学校", 1, "N", "教学仪器设备资产值（元）"),
         add_row("县级指标", ["教师年平均工资收入（万元）", 9.8])],
        [("学校", 1, "N", "header-unit", W), ("县级指标", 9, "A", "header-unit", W)],
    ),
    "no-schools": (
        [lambda s: s.update({"学校": s["学校"][:1], "教师": s["教师"][:1], "班级": s["班级"][:1],
                             "专用教室": s["专用教室"][:1]})],
        [("学校", None, None, "sheet-no-rows", E), ("教师", None, None, "sheet-no-rows", W),
         ("班级", None, None, "sheet-no-rows", W), ("专用教室", None, None, "sheet-no-rows", W)],
    ),
    "many-problems-at-once": (
        [cell("学校", 2, "H", -1), cell("学校", 3, "C", "中学"), cell("教师", 2, "H", "很多"),
         cell("教师", 5, "I", "x"), cell("班级", 2, "E", 0), drop_column("专用教室", "B")],
        [("学校", 2, "H", "value-below-min", E), ("学校", 3, "C", "enum-unknown", E),
         ("教师", 2, "H", "type-number", E), ("教师", 5, "I", "type-bool", E),
         ("班级", 2, "E", "value-below-min", E), ("专用教室", 1, None, "header-missing", E)],
    ),
}


@pytest.mark.parametrize("name", list(CASES))
def test_malformed_workbook(tmp_path, name):
    changes, expected = CASES[name]
    sheets = valid_sheets()
    for change in changes:
        change(sheets)
    result = read_county_workbook(book(tmp_path, sheets, f"{name}.xlsx"))
    report = result.report
    assert [(*flat, str(i.severity)) for flat, i in zip(report.flattened(), report, strict=True)] \
        == expected
    assert (result.data is None) == any(e[-1] == E for e in expected)
    for issue in report:
        assert issue.file == f"{name}.xlsx"
        assert re.search(r"[\u4e00-\u9fff]", issue.message), issue.message
        if issue.value not in (None, ""):
            assert show(issue.value) in issue.message, issue.message
        if issue.row and issue.column and issue.header:
            assert issue.message.startswith(
                f"{issue.sheet} 第{issue.row}行 {issue.column}列「{issue.header}」"
            ), issue.message


def test_message_wording_matches_the_design_example(tmp_path):
    sheets = valid_sheets()
    sheets["学校"][0][7] = "小学在校生数"
    sheets["学校"][1][7] = -12
    issue = read_county_workbook(book(tmp_path, sheets)).report.issues[0]
    assert issue.message == '学校 第2行 H列「小学在校生数」的值 "-12" 不能小于 0'
    assert (issue.code, issue.category, issue.value) == ("value-below-min", "range", -12)


def test_messages_name_both_numbers_and_the_allowed_values(tmp_path):
    sheets = valid_sheets()
    sheets["班级"][4][4] = 45
    sheets["学校"][1][3] = "城镇"
    sheets["班级"][2][3] = "一年级1班"
    messages = {i.code: i.message for i in read_county_workbook(book(tmp_path, sheets)).report}
    assert messages["students-mismatch"] == (
        "学校 第3行 I列「初中在校生数（人）」的值 50 与「班级」工作表中该校初中各班学生数之和 45 不一致"
    )
    assert messages["enum-unknown"] == (
        '学校 第2行 D列「城乡分类」的值 "城镇" 不是可选值，请从下列选项中选择：城区、镇区、乡村'
    )
    assert messages["duplicate-key"] == (
        '班级 第3行 D列「班级名称」的值 "一年级1班" 在学校 3504040001 内重复，与第2行相同'
    )


def test_unit_notice_names_both_units_and_the_factor(tmp_path):
    sheets = valid_sheets()
    sheets["学校"][0][13] = "教学仪器设备资产值(元)"
    issue = read_county_workbook(book(tmp_path, sheets)).report.issues[0]
    assert issue.message == (
        "学校 第1行 N列「教学仪器设备资产值(元)」的单位是「元」，模板要求「万元」；"
        "该列数值已按「元」读取并换算为「万元」（÷10000）"
    )


def test_every_bad_cell_is_reported_not_just_the_first(tmp_path):
    sheets = valid_sheets()
    for row in sheets["教师"][1:]:
        row[7] = "不详"
    report = read_county_workbook(book(tmp_path, sheets)).report
    assert report.flattened() == [("教师", r, "H", "type-number") for r in range(2, 7)]


def test_merged_header_cells(tmp_path):
    import xlsxwriter

    path = tmp_path / "merged-header.xlsx"
    sheets = valid_sheets()
    wb = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, v in enumerate(row):
                if v is not None and not (name == "专用教室" and r == 0 and c > 0):
                    ws.write(r, c, v)
        if name == "专用教室":
            ws.merge_range(0, 1, 0, 2, "类型")  # 类型 spans B1:C1, so 面积 has no header
    wb.close()
    result = read_county_workbook(path)
    assert result.report.flattened() == [
        ("专用教室", 1, None, "header-missing"),
        ("专用教室", 1, "B", "header-merged"),
    ]
    assert "B1:C1" in result.report.issues[1].message


WHOSE = {"county_code": "350404", "county_name": "三元区", "school_year": 2025}


@pytest.mark.parametrize(("changes", "known"), [
    ([cell("学校", 2, "H", "很多")], WHOSE),  # a number cell elsewhere holds text
    ([cell("学校", 2, "H", "很多"), cell("基本信息", 6, "B", "二〇二五")],  # and the year is unreadable
     {"county_code": "350404", "county_name": "三元区"}),
    ([cell("基本信息", 2, "B", "35040")], {"county_name": "三元区", "school_year": 2025}),  # 5 digits
    ([drop_sheet("基本信息")], {}),
])
def test_a_broken_workbook_still_says_whose_it_is(tmp_path, changes, known):
    """The 基本信息 items read without an error are kept though the data is refused;
    an item with an error of its own is left out, not guessed."""
    sheets = valid_sheets()
    for change in changes:
        change(sheets)
    result = read_county_workbook(book(tmp_path, sheets, "有错误.xlsx"))
    assert result.data is None
    assert {k: v for k, v in result.basics.items() if k in WHOSE} == known


def test_a_file_that_cannot_be_opened_says_nothing_of_whose_it_is(tmp_path):
    path = tmp_path / "坏.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    result = read_county_workbook(path)
    assert result.data is None and result.basics == {} and any(i.is_error for i in result.report)
