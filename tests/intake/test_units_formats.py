"""Units named in headers, cells formatted as %, text numbers and formulas without a
calculated value — in real .xlsx files written as Excel/WPS (or a program) would."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
import xlsxwriter

from junheng.intake import read_county_workbook
from junheng.intake.sheetxml import is_percent_format
from tests.intake.books import SCHOOL_COL, book, valid_sheets, write_book

W, E = "warning", "error"


def flat(result):
    return [(*f, str(i.severity)) for f, i in zip(result.report.flattened(), result.report,
                                                   strict=True)]


def school(result, code="3504040001"):
    return next(s for s in result.data.schools if s.code == code)


def write_openpyxl(path: Path, sheets, formats=None, formulas=None) -> Path:
    """The same sheets written with openpyxl: ``formats`` {(sheet, 'B4'): '0.0%'},
    ``formulas`` {(sheet, 'B4'): '=A1*2'} (openpyxl stores no calculated value)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    for (name, ref), fmt in (formats or {}).items():
        wb[name][ref].number_format = fmt
    for (name, ref), formula in (formulas or {}).items():
        wb[name][ref] = formula
    wb.save(path)
    return path


# --- units named in the header ---------------------------------------------------------


@pytest.mark.parametrize(("header", "value", "expected", "factor"), [
    ("教学仪器设备资产值（元）", 1202500, 120.25, "÷10000"),
    ("教学仪器设备资产值(千元)", 1202.5, 120.25, "÷10"),
    ("教学仪器设备资产值（亿元）", 0.012025, 120.25, "×10000"),
    ("教学仪器设备资产值（万元）", 120.25, 120.25, None),
])
def test_money_in_a_named_unit_is_converted_to_wan_yuan(tmp_path, header, value, expected, factor):
    sheets = valid_sheets()
    col = ord(SCHOOL_COL["教学仪器设备资产值"]) - 65
    sheets["学校"][0][col] = header
    sheets["学校"][1][col] = value
    sheets["学校"][2][col] = value
    result = read_county_workbook(book(tmp_path, sheets))
    assert school(result).equipment_value == expected
    assert school(result, "3504040002").equipment_value == expected
    notices = [i for i in result.report if i.code == "header-unit"]
    if factor is None:
        assert notices == []
    else:  # once per column, not once per cell
        assert [(i.sheet, i.row, i.column, i.header) for i in notices] == [("学校", 1, "N", header)]
        assert factor in notices[0].message


def test_area_in_square_metres_spelled_out_is_the_same_unit(tmp_path):
    sheets = valid_sheets()
    sheets["学校"][0][10] = "教学及辅助用房面积（平方米）"
    result = read_county_workbook(book(tmp_path, sheets))
    assert result.report.flattened() == []
    assert school(result).teaching_area == 3000.5


def test_area_in_wan_square_metres_and_mu(tmp_path):
    sheets = valid_sheets()
    sheets["学校"][0][10] = "教学及辅助用房面积（万平方米）"
    sheets["学校"][1][10] = 0.30005
    sheets["学校"][2][10] = 0.25
    sheets["学校"][0][12] = "体育运动场（馆）面积（亩）"
    sheets["学校"][1][12] = 7.5
    sheets["学校"][2][12] = 6
    result = read_county_workbook(book(tmp_path, sheets))
    assert [i.code for i in result.report] == ["header-unit", "header-unit"]
    assert school(result).teaching_area == 3000.5
    assert school(result).sports_area == 5000  # 7.5 亩 × 2000/3


def test_a_unit_that_cannot_be_converted_is_an_error_naming_it(tmp_path):
    sheets = valid_sheets()
    sheets["学校"][0][10] = "教学及辅助用房面积（台）"
    sheets["学校"][0][7] = "小学在校生数（万人）"  # 80 万人 = 800,000 students: converted
    result = read_county_workbook(book(tmp_path, sheets))
    assert [f for f in flat(result) if f[3] not in ("students-mismatch", "value-implausible")] == [
        ("学校", 1, "H", "header-unit", W), ("学校", 1, "K", "header-unit-unknown", E)]
    assert "「台」" in result.report.issues[1].message
    assert result.data is None


def test_a_count_cannot_be_split_by_a_unit(tmp_path):
    sheets = valid_sheets()
    sheets["学校"][0][7] = "小学在校生数（万人）"
    sheets["学校"][1][7] = 0.00805  # 80.5 pupils
    result = read_county_workbook(book(tmp_path, sheets))
    assert ("学校", 2, "H", "type-int") in result.report.flattened()


def test_county_item_in_wan_yuan_is_converted_to_yuan(tmp_path):
    sheets = valid_sheets()
    sheets["县级指标"].append(["教师年平均工资收入（万元）", 9.8])
    result = read_county_workbook(book(tmp_path, sheets))
    assert [i.code for i in result.report] == ["header-unit"]
    assert result.data.facts["teacher_avg_pay"] == 98000


def test_units_and_factors_are_data_of_the_template():
    from junheng.templates.spec import load_template_spec

    spec = load_template_spec()
    assert spec.unit_factor("元", "万元") == pytest.approx(1 / 10000)
    assert spec.unit_factor("万元", "亿元") == pytest.approx(1 / 10000)
    assert spec.unit_factor("台", "㎡") is None


# --- cells formatted as a percentage ---------------------------------------------------


@pytest.mark.parametrize("fmt", ["0.0%", "0%", "0.00%", "[Red]0.0%"])
def test_a_percent_formatted_cell_is_read_as_excel_shows_it(tmp_path, fmt):
    sheets = valid_sheets()
    sheets["县级指标"][3][1] = 0.965  # B4 城区镇区公办小学就近划片入学比例
    path = write_openpyxl(tmp_path / "pct.xlsx", sheets, formats={("县级指标", "B4"): fmt})
    result = read_county_workbook(path)
    assert result.data.facts["catchment_primary_pct"] == 96.5
    assert result.report.flattened() == []


def test_percent_format_with_xlsxwriter_and_one_hundred_percent(tmp_path):
    path = tmp_path / "pct.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    pct = wb.add_format({"num_format": "0.0%"})
    for name, rows in valid_sheets().items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    ws.write(r, c, value)
        if name == "县级指标":
            ws.write_number(3, 1, 1, pct)  # 100.0%
            ws.write_string(9, 0, "社会认可度（%）")
            ws.write_number(9, 1, 0.923, pct)
    wb.close()
    result = read_county_workbook(path)
    assert result.report.flattened() == []
    assert result.data.facts["catchment_primary_pct"] == 100
    assert result.data.facts["satisfaction_pct"] == 92.3


def test_a_plain_fraction_in_a_percent_field_stays_a_warning(tmp_path):
    sheets = valid_sheets()
    sheets["县级指标"][3][1] = 0.965
    path = write_openpyxl(tmp_path / "plain.xlsx", sheets,
                          formats={("县级指标", "B3"): "0.0%"})  # another cell is formatted
    result = read_county_workbook(path)
    assert result.report.flattened() == [("县级指标", 4, "B", "percent-fraction")]
    assert result.data.facts["catchment_primary_pct"] == 0.965


def test_percent_format_codes():
    assert is_percent_format("0.0%")
    assert is_percent_format("#,##0.00%;[Red]-0.00%")
    assert not is_percent_format('0.0"%"')  # a literal % after the number, not ×100
    assert not is_percent_format("0.0\\%")
    assert not is_percent_format("0.00")


@pytest.mark.parametrize(("text", "expected"), [
    ("96.5%", 96.5), (" 96.5 % ", 96.5), ("９６．５", 96.5), ("９６.５％", 96.5),
])
def test_percent_typed_as_text(tmp_path, text, expected):
    sheets = valid_sheets()
    sheets["县级指标"][3][1] = text
    result = read_county_workbook(book(tmp_path, sheets))
    assert result.data.facts["catchment_primary_pct"] == expected
    assert [i.code for i in result.report] == ["number-as-text"]


@pytest.mark.parametrize(("text", "expected"), [("1,234", 1234), ("１２３", 123), (" 45 ", 45)])
def test_numbers_typed_as_text_read_as_shown(tmp_path, text, expected):
    sheets = valid_sheets()
    sheets["学校"][1][7] = text  # 小学在校生数 (int)
    sheets["学校"][1][10] = text  # 教学及辅助用房面积 (number)
    sheets["学校"][1][11] = None  # 其中：室内体育用房面积 (not above the teaching area)
    sheets["学校"][1][14] = 2
    result = read_county_workbook(book(tmp_path, sheets))
    assert school(result).primary_students == expected
    assert school(result).teaching_area == expected


# --- formulas ---------------------------------------------------------------------------


def test_formula_without_cached_value_openpyxl(tmp_path):
    sheets = valid_sheets()
    path = write_openpyxl(tmp_path / "f.xlsx", sheets, formulas={
        ("学校", "H2"): "=40+40", ("学校", "K3"): "=2000+500", ("县级指标", "B3"): "=600+50"})
    result = read_county_workbook(path)
    got = [(i.sheet, i.row, i.column, i.code) for i in result.report
           if i.code != "students-mismatch"]
    assert got == [("学校", 2, "H", "formula-uncalculated"), ("学校", 3, "K", "formula-uncalculated"),
                   ("县级指标", 3, "B", "formula-uncalculated")]
    assert result.report.issues[0].message == (
        "学校 第2行 H列「小学在校生数（人）」（H2）是公式，公式未计算：请在 Excel 中打开并保存后再导入")
    assert all("不能为空" not in i.message for i in result.report)
    assert result.data is None


def test_formula_with_a_program_written_zero_xlsxwriter(tmp_path):
    path = tmp_path / "f0.xlsx"
    wb = xlsxwriter.Workbook(str(path))
    for name, rows in valid_sheets().items():
        ws = wb.add_worksheet(name)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    ws.write(r, c, value)
        if name == "学校":
            ws.write_formula("M2", "=2500*2")  # cached value 0 unless told
    wb.close()
    result = read_county_workbook(path)
    assert result.report.flattened() == [("学校", 2, "M", "formula-uncalculated")]
    assert result.data is None


def test_formula_with_a_value_calculated_by_excel_is_read(tmp_path):
    """A workbook saved by Excel keeps each formula's result and has no request to
    recalculate on opening: the result is the value."""
    path = write_openpyxl(tmp_path / "x.xlsx", valid_sheets())
    import re
    import shutil
    import zipfile

    # Put a formula with its calculated value into the sheet XML as Excel saves it.
    out = tmp_path / "excel.xlsx"
    with zipfile.ZipFile(path) as src, zipfile.ZipFile(out, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "xl/workbook.xml":
                data = re.sub(rb'<calcPr[^>]*/>', b'<calcPr calcId="191029"/>', data)
            if item.filename == "xl/worksheets/sheet2.xml":  # 学校
                data = re.sub(rb'<c r="M2"([^>]*)><v>5000</v></c>',
                              rb'<c r="M2"\1><f>2500*2</f><v>5000</v></c>', data)
                assert b"<f>" in data
            dst.writestr(item, data)
    shutil.move(out, path)
    result = read_county_workbook(path)
    assert result.report.flattened() == []
    assert school(result).sports_area == 5000


def test_a_formula_outside_the_data_is_ignored(tmp_path):
    sheets = valid_sheets()
    path = write_openpyxl(tmp_path / "f.xlsx", sheets, formulas={("学校", "Z2"): "=1+1"})
    result = read_county_workbook(path)
    assert [i.code for i in result.report] == []
    assert result.data is not None


def test_bench_workbook_unchanged(tmp_path):
    """The books of the other tests: no format or formula, nothing new reported."""
    assert read_county_workbook(write_book(tmp_path / "v.xlsx", valid_sheets())).report.flattened() == []
