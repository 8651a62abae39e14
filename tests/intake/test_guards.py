"""Plausibility guards: at each limit nothing is said, just past it the value is an
error until it is confirmed; a confirmation is keyed by sheet, cell and value."""

from __future__ import annotations

import pytest

from junheng.core.confirmations import (
    Confirmation,
    Confirmations,
    ConfirmationSyntaxError,
    parse_confirmation_list,
    parse_reference,
)
from junheng.intake import read_county_workbook
from junheng.templates.spec import load_template_spec

from .books import SCHOOL_HEADERS, book, valid_sheets

# School 1 (学校 row 2) has 80 pupils, 2 teachers.
COL = {h.split("（")[0]: i for i, h in enumerate(SCHOOL_HEADERS)}


def letter(name: str) -> str:
    return chr(65 + COL[name])


def with_school_value(name: str, value):
    sheets = valid_sheets()
    sheets["学校"][1][COL[name]] = value
    return sheets


def guard_issues(result):
    return [(i.sheet, i.row, i.column, i.code) for i in result.report
            if i.code in ("value-implausible", "value-confirmed")]


# (学校 column, value at the limit, value just past it): per-student limits for 80
# pupils, and per-field limits.
SCHOOL_CASES = {
    "equipment per student 100000 元": ("教学仪器设备资产值", 800, 800.01),
    "teaching area per student 100 ㎡": ("教学及辅助用房面积", 8000, 8000.5),
    "sports area per student 300 ㎡": ("体育运动场（馆）面积", 24000, 24000.1),
    "public funds per student 50000 元": ("公用经费预算", 400, 400.01),
    "multimedia rooms per 100 students 25": ("网络多媒体教室数", 20, 21),
    "public funds allocated 5000 万元": ("公用经费实际拨付", 5000, 5000.5),
}


@pytest.mark.parametrize("case", list(SCHOOL_CASES))
def test_school_limits(tmp_path, case):
    name, ok, bad = SCHOOL_CASES[case]
    name = name.split("（")[0] if name not in COL else name
    at_limit = read_county_workbook(book(tmp_path, with_school_value(name, ok), "ok.xlsx"))
    assert guard_issues(at_limit) == []
    assert at_limit.data is not None
    past = read_county_workbook(book(tmp_path, with_school_value(name, bad), "bad.xlsx"))
    assert guard_issues(past) == [("学校", 2, letter(name), "value-implausible")]
    assert past.data is None
    message = past.report.errors[0].message
    assert f"学校!{letter(name)}2" in message and "超出合理范围" in message


def test_the_per_student_message_shows_the_figure(tmp_path):
    result = read_county_workbook(book(tmp_path, with_school_value("教学仪器设备资产值", 1202500)))
    # 1,202,500 万元 typed for 1,202,500 元: 150,312,500 元 per pupil, and over 20000 万元
    assert [i.message for i in result.report.errors] == [
        "学校 第2行 N列「教学仪器设备资产值（万元）」的值 1202500 超出合理范围（上限 20000 万元），"
        "多半是单位或小数点有误；请核实改正，若确实无误，请确认该值（学校!N2）后再评估",
        "学校 第2行 N列「教学仪器设备资产值（万元）」：生均教学仪器设备值 150312500 元"
        "（1202500 ÷ 在校生 80 人）超出合理范围（上限 100000 元），"
        "多半是单位或小数点有误；请核实改正，若确实无误，请确认该值（学校!N2）后再评估",
    ]


def test_the_same_value_in_yuan_under_a_yuan_header_is_plausible(tmp_path):
    sheets = with_school_value("教学仪器设备资产值", 1202500)
    sheets["学校"][0][COL["教学仪器设备资产值"]] = "教学仪器设备资产值（元）"
    result = read_county_workbook(book(tmp_path, sheets))
    assert guard_issues(result) == []
    assert result.data.schools[0].equipment_value == 120.25


def teachers_for(sheets, n: int) -> None:
    for k in range(n):
        sheets["教师"].append([f"X{k:03d}", "3504040001", "小学", "本科", "无", "语文", "是", 360,
                              "否", "否"])


@pytest.mark.parametrize(("extra", "flagged"), [(22, False), (23, True)])
def test_teachers_per_100_students(tmp_path, extra, flagged):
    sheets = valid_sheets()  # 2 teachers for 80 pupils; 24 is 30 per 100
    teachers_for(sheets, extra)
    result = read_county_workbook(book(tmp_path, sheets))
    expected = [("学校", 2, "A", "value-implausible")] if flagged else []
    assert guard_issues(result) == expected
    if flagged:
        assert "每百名学生专任教师数 31.25 人（25 ÷ 在校生 80 人）" in result.report.errors[0].message


def test_special_schools_and_small_schools_have_no_teacher_ratio(tmp_path):
    sheets = valid_sheets()
    teachers_for(sheets, 40)
    sheets["学校"][1][2] = "特殊教育学校"
    assert guard_issues(read_county_workbook(book(tmp_path, sheets, "special.xlsx"))) == []
    sheets = valid_sheets()
    teachers_for(sheets, 40)
    sheets["学校"][1][COL["小学在校生数"]] = 19
    result = read_county_workbook(book(tmp_path, sheets, "small.xlsx"))
    assert [g for g in guard_issues(result) if g[2] == "A"] == []


@pytest.mark.parametrize(("item", "ok", "bad"), [
    ("小学生均公用经费基准定额（元）", 100, 99.9),
    ("教师年平均工资收入", 10000, 9.8),
    ("公务员年平均工资收入", 1000000, 1000001),
])
def test_county_item_limits(tmp_path, item, ok, bad):
    for value, flagged in ((ok, False), (bad, True)):
        sheets = valid_sheets()
        rows = sheets["县级指标"]
        found = [r for r in rows if r[0] == item]
        if found:
            found[0][1] = value
        else:
            rows.append([item, value])
        row = next(i for i, r in enumerate(rows, start=1) if r[0] == item)
        result = read_county_workbook(book(tmp_path, sheets, f"{flagged}.xlsx"))
        assert guard_issues(result) == ([("县级指标", row, "B", "value-implausible")] if flagged else [])


def test_training_hours_limit(tmp_path):
    sheets = valid_sheets()
    sheets["教师"][1][7] = 1500
    assert guard_issues(read_county_workbook(book(tmp_path, sheets, "a.xlsx"))) == []
    sheets["教师"][1][7] = 1500.5
    assert guard_issues(read_county_workbook(book(tmp_path, sheets, "b.xlsx"))) == [
        ("教师", 2, "H", "value-implausible")]


# --- confirmations ----------------------------------------------------------------------


def test_a_confirmed_value_is_a_warning_naming_who_and_why(tmp_path):
    path = book(tmp_path, with_school_value("教学及辅助用房面积", 9000))
    confirmed = Confirmations([Confirmation("学校", "K2", None, "含新建综合楼", "王老师")])
    result = read_county_workbook(path, confirmations=confirmed)
    assert guard_issues(result) == [("学校", 2, "K", "value-confirmed")]
    assert result.data is not None
    assert "已由 王老师 确认无误（学校!K2），说明：含新建综合楼" in result.report.issues[-1].message


def test_a_confirmation_of_another_value_lapses(tmp_path):
    path = book(tmp_path, with_school_value("教学及辅助用房面积", 9000))
    for value, ok in (("9000", True), ("9000.0", True), ("8500", False)):
        result = read_county_workbook(path, confirmations=Confirmations(
            [Confirmation("学校", "K2", parse_reference(f"学校!K2 = {value}").value)]))
        assert (result.data is not None) is ok, value


def test_a_confirmation_of_another_cell_does_not_count(tmp_path):
    path = book(tmp_path, with_school_value("教学及辅助用房面积", 9000))
    result = read_county_workbook(path, confirmations=Confirmations([parse_reference("学校!K3")]))
    assert result.data is None


def test_confirmation_references():
    assert parse_reference("学校!N12") == Confirmation("学校", "N12")
    assert parse_reference(" 学校 ! $n$12 ") == Confirmation("学校", "N12")
    assert parse_reference("学校！N12") == Confirmation("学校", "N12")  # full-width !
    assert parse_reference("学校!K7 = 12000.0 合并办学后的面积") == Confirmation(
        "学校", "K7", "12000", "合并办学后的面积")
    assert parse_reference("县级指标!B9 工资含绩效") == Confirmation("县级指标", "B9", None, "工资含绩效")
    for bad in ("学校N12", "!N12", "学校!12", "学校!N0"):
        with pytest.raises(ConfirmationSyntaxError):
            parse_reference(bad)


def test_confirmation_list_file_syntax():
    text = "\ufeff# 已核实\n\n学校!N12   新建实验楼\n学校!K7 = 12000\n"
    assert parse_confirmation_list(text) == [Confirmation("学校", "N12", None, "新建实验楼"),
                                             Confirmation("学校", "K7", "12000")]
    with pytest.raises(ConfirmationSyntaxError, match="清单.txt 第2行"):
        parse_confirmation_list("学校!N12\nN13\n", "清单.txt")


def test_guards_are_data_of_the_template():
    guards = load_template_spec().plausibility
    assert {g.key for g in guards.per_student} >= {
        "equipment_per_student", "teaching_area_per_student", "teachers_per_100"}
    by_key = {g.key: g for g in guards.per_student}
    assert by_key["equipment_per_student"].max == 100000
    assert by_key["teaching_area_per_student"].max == 100
    assert by_key["teachers_per_100"].max == 30


def test_every_guard_is_documented():
    from pathlib import Path

    doc = (Path(__file__).parents[2] / "docs" / "validation.md").read_text(encoding="utf-8")
    section = doc[doc.index("## 合理性核查"):doc.index("## 问题代码")]
    spec = load_template_spec()
    for g in spec.plausibility.per_student:
        assert g.label in section, g.key
        assert f"{g.max:.15g} {g.unit}" in section, g.key
    for g in spec.plausibility.ranges:
        field = spec.sheet(g.sheet).field(g.field)
        assert field.header.replace("其中：", "")[:6] in section, g.field
        for bound in (g.min, g.max):
            if bound is not None:
                assert f"{bound:.15g} {field.unit}" in section, (g.field, bound)


def test_a_template_cut_to_some_sheets_runs_the_guards_it_can(tmp_path):
    spec = load_template_spec()
    cut = spec.model_copy(update={"sheets": tuple(s for s in spec.sheets if s.key in ("county", "facts"))})
    sheets = valid_sheets()
    result = read_county_workbook(book(tmp_path, {k: sheets[k] for k in ("基本信息", "县级指标")}), spec=cut)
    assert result.report.errors == []
