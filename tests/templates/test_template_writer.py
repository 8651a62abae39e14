"""The county workbook writer: real files written with XlsxWriter, read back with openpyxl
and python-calamine."""

from __future__ import annotations

import openpyxl
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl.utils import get_column_letter
from python_calamine import CalamineWorkbook

from junheng.core.facts import (
    BackboneLevel,
    County,
    CountyData,
    Degree,
    Ownership,
    Room,
    RoomType,
    School,
    SchoolClass,
    SchoolType,
    Stage,
    Teacher,
    UrbanRural,
)
from junheng.templates.guide import GUIDE_SHEET
from junheng.templates.spec import load_template_spec
from junheng.templates.writer import DEFAULT_VALIDATION_ROWS, VALIDATION_ROWS, write_county_workbook

SPEC = load_template_spec()


@pytest.fixture(scope="module")
def blank(tmp_path_factory):
    path = tmp_path_factory.mktemp("blank") / "template.xlsx"
    write_county_workbook(None, path)
    return openpyxl.load_workbook(path)


def _validations(ws):
    """column letter -> list of DataValidation covering it (first data row on)."""
    found = {}
    for dv in ws.data_validations.dataValidation:
        for cell_range in dv.sqref.ranges:
            found.setdefault(get_column_letter(cell_range.min_col), []).append((dv, cell_range))
    return found


def test_sheets_in_spec_order_after_the_guide(blank):
    assert blank.sheetnames == [GUIDE_SHEET] + [s.name for s in SPEC.sheets]
    assert blank.sheetnames[1:] == ["基本信息", "学校", "教师", "班级", "专用教室", "县级指标",
                                    "幼儿园", "幼儿园班级", "县级说明", "项目台账", "学生健康"]


def test_table_headers_bold_frozen_with_units(blank):
    for sheet in SPEC.sheets:
        if sheet.layout != "table":
            continue
        ws = blank[sheet.name]
        headers = [c.value for c in ws[1]]
        assert headers == [f.display_header for f in sheet.fields], sheet.name
        assert ws.freeze_panes == "A2"
        assert all(c.font.bold for c in ws[1])
        assert all(c.comment is not None and c.comment.text.startswith(c.value) for c in ws[1])
    schools = [c.value for c in blank["学校"][1]]
    assert "教学及辅助用房面积（㎡）" in schools
    assert "教学仪器设备资产值（万元）" in schools
    assert "体育运动场（馆）面积（㎡）" in schools


def test_dropdowns_for_every_enum_and_bool_column(blank):
    for sheet in SPEC.sheets:
        if sheet.layout != "table":
            continue
        ws = blank[sheet.name]
        validations = _validations(ws)
        for col, field in enumerate(sheet.fields, start=1):
            letter = get_column_letter(col)
            if field.type not in ("enum", "bool"):
                continue
            (dv, cells), = validations[letter]
            assert dv.type == "list", (sheet.name, field.key)
            expected = SPEC.enum_labels(field.enum) if field.type == "enum" else ["是", "否"]
            assert dv.formula1 == '"' + ",".join(expected) + '"'
            assert cells.min_row == 2
            assert cells.max_row >= VALIDATION_ROWS.get(sheet.key, DEFAULT_VALIDATION_ROWS)


def test_dropdowns_cover_large_sheets(blank):
    (dv, cells), = _validations(blank["教师"])["C"]
    assert cells.max_row >= 300000
    (dv, cells), = _validations(blank["学校"])["C"]
    assert cells.max_row >= 5000


def test_numeric_columns_have_range_checks(blank):
    ws = blank["学校"]
    validations = _validations(ws)
    sheet = SPEC.sheet("schools")
    letters = {f.key: get_column_letter(i) for i, f in enumerate(sheet.fields, start=1)}
    (dv, _), = validations[letters["primary_students"]]
    assert (dv.type, dv.operator, dv.formula1) == ("whole", "greaterThanOrEqual", "0")
    (dv, _), = validations[letters["teaching_area"]]
    assert dv.type == "decimal"
    # 其中：教师培训经费预算 may not exceed 公用经费预算: a formula over the row.
    (dv, _), = validations[letters["training_budget"]]
    assert dv.type == "custom"
    assert f"{letters['training_budget']}2<={letters['public_funds_budget']}2" in dv.formula1
    # 面积 must be > 0 and ≤ 2000
    (dv, _), = _validations(blank["专用教室"])["C"]
    assert dv.type == "custom" and "C2>0" in dv.formula1 and "C2<=2000" in dv.formula1
    (dv, _), = _validations(blank["班级"])["C"]  # 年级 1–9
    assert (dv.type, dv.formula1, dv.formula2) == ("whole", "1", "9")
    assert dv.operator in (None, "between")  # between is the default and left out
    # key-value sheets: 已入学残疾儿童 ≤ 适龄残疾儿童, in the same 值 column
    facts = SPEC.sheet("facts")
    row = next(i for i, f in enumerate(facts.fields, start=2) if f.key == "disabled_enrolled")
    other = next(i for i, f in enumerate(facts.fields, start=2) if f.key == "disabled_children")
    dv = next(d for d in blank["县级指标"].data_validations.dataValidation if f"B{row}" in d.sqref)
    assert f"B{row}<=B{other}" in dv.formula1


def test_code_columns_are_text(blank):
    for sheet in SPEC.sheets:
        if sheet.layout != "table":
            continue
        ws = blank[sheet.name]
        for col, field in enumerate(sheet.fields, start=1):
            fmt = ws.column_dimensions[get_column_letter(col)].number_format
            assert (fmt == "@") == (field.type == "code"), (sheet.name, field.key)
    assert blank["基本信息"]["B2"].number_format == "@"  # 县区代码


def test_key_value_sheets_list_every_item_with_explanation(blank):
    for key in ("county", "facts"):
        sheet = SPEC.sheet(key)
        ws = blank[sheet.name]
        rows = list(ws.iter_rows(values_only=True))
        assert rows[0] == ("项目", "值", "说明")
        assert [r[0] for r in rows[1:]] == [f.display_header for f in sheet.fields]
        assert all(r[1] is None for r in rows[1:])
        assert all(r[2] for r in rows[1:])
    facts = {r[0]: r[2] for r in blank["县级指标"].iter_rows(min_row=2, values_only=True)}
    assert "G13" in facts["城区镇区公办小学就近划片入学比例（%）"]
    assert "%" in facts["城区镇区公办小学就近划片入学比例（%）"]
    assert "0—100" in facts["城区镇区公办小学就近划片入学比例（%）"]
    # bool items get a 是/否 dropdown in their own value cell
    dv = next(d for d in blank["县级指标"].data_validations.dataValidation if "B2" in d.sqref)
    assert dv.type == "list" and dv.formula1 == '"是,否"'


def test_guide_explains_sheets_units_bools_and_every_field(blank):
    ws = blank[GUIDE_SHEET]
    text = "\n".join(
        str(v) for row in ws.iter_rows(values_only=True) for v in row if v is not None
    )
    for sheet in SPEC.sheets:
        assert f"「{sheet.name}」：" in text
        for field in sheet.fields:
            assert field.display_header in text
    for spelling in SPEC.bool_true + SPEC.bool_false:
        assert spelling in text
    assert "万元" in text and "㎡" in text
    assert "须分别等于「班级」表中该校小学、初中各班学生数之和" in text
    # every field's note appears in the field table
    for sheet in SPEC.sheets:
        for field in sheet.fields:
            if field.note:
                assert field.note in text


def _tiny_county() -> CountyData:
    county = County(code="010101", name="测试县", school_year=2025, city="测试市", basic_balance_year=2019)
    school = School(
        code="0012345678", name="  A&B <实验> 小学 ", school_type=SchoolType.NINE_YEAR,
        urban_rural=UrbanRural.TOWN, ownership=Ownership.PRIVATE, boarding=True,
        primary_students=80, junior_students=45, teaching_area=1234.5, sports_area=2000.0,
        equipment_value=31.25, multimedia_rooms=5, public_funds_budget=12.0,
        training_budget=0.8, public_funds_allocated=12.3, indoor_sports_area=None, group="=SUM(A1)",
    )
    teacher = Teacher("007", "0012345678", Stage.JUNIOR, Degree.COLLEGE, BackboneLevel.CITY,
                      "体育", False, 360.0, True, False)
    classes = [SchoolClass("0012345678", Stage.PRIMARY, 1, "一年级1班", 80),
               SchoolClass("0012345678", Stage.JUNIOR, 7, "七年级1班", 45)]
    rooms = [Room("0012345678", RoomType.ART, 90.5)]
    facts = {"layout_ok": True, "veto_safety": False, "catchment_primary_pct": 100.0, "migrant_eligible": 12}
    return CountyData(county, [school], [teacher], classes, rooms, facts)


def test_values_are_written_as_in_the_workbook_units(tmp_path):
    path = write_county_workbook(_tiny_county(), tmp_path / "tiny.xlsx")
    wb = openpyxl.load_workbook(path)
    school = [c.value for c in wb["学校"][2]]
    assert school[:7] == ["0012345678", "  A&B <实验> 小学 ", "九年一贯制学校", "镇区", "民办", "是", "=SUM(A1)"]
    assert school[7:11] == [80, 45, 0, 1234.5]
    assert school[11] is None  # no indoor sports area
    assert school[12:18] == [2000, 31.25, 5, 12, 0.8, 12.3]
    assert school[18:] == [None] * 12  # the optional columns of later standards and the planner, left blank
    assert wb["学校"]["A2"].data_type == "s"
    assert wb["学校"]["G2"].data_type == "s"  # a formula-looking name stays text
    assert [c.value for c in wb["教师"][2]] == ["007", "0012345678", "初中", "专科", "市级", "体育", "否", 360, "是", "否", None, None, None, None, None]
    assert [c.value for c in wb["班级"][3]] == ["0012345678", "初中", 7, "七年级1班", 45]
    assert [c.value for c in wb["专用教室"][2]] == ["0012345678", "美术", 90.5]
    county = {r[0]: r[1] for r in wb["基本信息"].iter_rows(min_row=2, values_only=True)}
    assert county["县区代码"] == "010101"
    assert county["学年"] == 2025 and county["所属省份"] is None
    facts = {r[0]: r[1] for r in wb["县级指标"].iter_rows(min_row=2, values_only=True)}
    assert facts["规划布局合理"] == "是" and facts["发生重大安全责任事故"] == "否"
    assert facts["城区镇区公办小学就近划片入学比例（%）"] == 100
    assert facts["符合条件随迁子女数（人）"] == 12
    assert facts["城乡学校四统一"] is None  # missing facts stay blank


def test_calamine_reads_codes_as_text(tmp_path):
    path = write_county_workbook(_tiny_county(), tmp_path / "tiny.xlsx")
    book = CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_name("学校").to_python()
    assert rows[1][0] == "0012345678"
    assert book.get_sheet_by_name("教师").to_python()[1][:2] == ["007", "0012345678"]


_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\ufffe\uffff"),
    min_size=1, max_size=40,
).filter(lambda s: s.strip() != "")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=_text, group=_text)
@example(name="_x0041_", group=" 前后有空格 ")
@example(name="a&b<c>d\"e'", group="\u3000全角空格\u3000")
@example(name="𝄞 音乐\r\n\t", group="a\x01b")
def test_any_text_survives_the_streaming_writer(tmp_path, name, group):
    """What the importer (python-calamine) reads is exactly what was written, including
    XML specials, control characters (as _xHHHH_) and literal _xHHHH_ text."""
    data = _tiny_county()
    data.schools[0].name = name
    data.schools[0].group = group
    path = write_county_workbook(data, tmp_path / "text.xlsx")
    row = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("学校").to_python()[1]
    assert row[1] == name
    assert row[6] == group


def test_a_sample_county_is_written_completely(tmp_path):
    """Every row of every table, with every required cell filled (the writer must find
    each field on the fact records, e.g. 学校标识码 on School.code)."""
    from junheng.samples import generate_county

    data = generate_county(schools=15, seed=3)
    path = write_county_workbook(data, tmp_path / "sample.xlsx")
    book = CalamineWorkbook.from_path(str(path))
    for key, records in (("schools", data.schools), ("teachers", data.teachers),
                         ("classes", data.classes), ("rooms", data.rooms)):
        sheet = SPEC.sheet(key)
        rows = book.get_sheet_by_name(sheet.name).to_python()
        assert len(rows) == len(records) + 1, key
        for col, field in enumerate(sheet.fields):
            if field.required:
                assert all(row[col] != "" for row in rows[1:]), (key, field.key)
    schools = book.get_sheet_by_name("学校").to_python()
    assert [r[0] for r in schools[1:]] == [s.code for s in data.schools]
    assert [r[7] for r in schools[1:]] == [s.primary_students for s in data.schools]
    facts = book.get_sheet_by_name("县级指标").to_python()
    assert all(r[1] != "" for r in facts[1:])


def _sheet_data(path, sheet_file: str) -> str:
    import re
    import zipfile

    xml = zipfile.ZipFile(path).read(f"xl/worksheets/{sheet_file}").decode("utf-8")
    data = xml[xml.index("<sheetData"): xml.index("</sheetData>")]
    return re.sub(r' s="\d+"', "", data)  # style numbers depend on the order formats are used


def test_streamed_rows_are_the_xml_xlsxwriter_itself_writes(tmp_path):
    """The fast path writes, cell for cell, what XlsxWriter's public API would write."""
    import xlsxwriter

    from junheng.samples import generate_county

    data = generate_county(schools=6, seed=11)
    data.teachers[0].subject = " A&B<c>_x0041_\x01 "  # escaping and whitespace
    fast = write_county_workbook(data, tmp_path / "fast.xlsx")
    slow = tmp_path / "slow.xlsx"
    wb = xlsxwriter.Workbook(str(slow), {"constant_memory": True, "tmpdir": str(tmp_path)})
    wb.add_worksheet(GUIDE_SHEET)
    wb.add_worksheet("基本信息")
    wb.add_worksheet("学校")
    ws = wb.add_worksheet("教师")
    sheet = SPEC.sheet("teachers")
    ws.set_row(0, 36)
    for col, field in enumerate(sheet.fields):
        ws.write_string(0, col, field.display_header)
    yes_no = {True: "是", False: "否"}
    for row, t in enumerate(data.teachers, start=1):
        ws.write_string(row, 0, t.teacher_id)
        ws.write_string(row, 1, t.school_code)
        ws.write_string(row, 2, SPEC.enum_label("stage", t.stage.value))
        ws.write_string(row, 3, SPEC.enum_label("degree", t.degree.value))
        ws.write_string(row, 4, SPEC.enum_label("backbone_level", t.backbone_level.value))
        ws.write_string(row, 5, t.subject)
        ws.write_string(row, 6, yes_no[t.certified])
        ws.write_number(row, 7, t.training_hours_5y)
        ws.write_string(row, 8, yes_no[t.rotation_eligible])
        ws.write_string(row, 9, yes_no[t.rotated])
        ws.write_string(row, 10, SPEC.enum_label("teacher_title", t.title.value))
        # 可调配 (11) left blank; the sample's 编制类型, 出生年份, 性别
        ws.write_string(row, 12, SPEC.enum_label("staffing", t.extra["staffing"]))
        ws.write_number(row, 13, t.extra["birth_year"])
        ws.write_string(row, 14, SPEC.enum_label("gender", t.extra["gender"]))
    wb.close()
    assert _sheet_data(fast, "sheet4.xml") == _sheet_data(slow, "sheet4.xml")


def test_a_failed_write_keeps_the_old_file_and_leaves_nothing_behind(tmp_path):
    from junheng.samples import generate_county

    target = tmp_path / "county.xlsx"
    target.write_bytes(b"the county's real data")

    def interrupt(name, rows):
        if name == "教师":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        write_county_workbook(generate_county(schools=5), target, on_sheet=interrupt)
    assert target.read_bytes() == b"the county's real data"
    assert [p.name for p in tmp_path.iterdir()] == ["county.xlsx"]
    write_county_workbook(generate_county(schools=5), target)
    assert openpyxl.load_workbook(target).sheetnames[0] == GUIDE_SHEET
    assert [p.name for p in tmp_path.iterdir()] == ["county.xlsx"]
