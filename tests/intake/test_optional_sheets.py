"""The optional sheets (幼儿园, 幼儿园班级) and columns (2012, 集团, 学位, 双减):
a workbook without them imports cleanly and says nothing about them; with them they
import into typed records; malformed cells give located Chinese issues."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from junheng.core.facts import TeacherTitle
from junheng.core.preschool import (
    Kindergarten,
    KindergartenCategory,
    KindergartenClass,
    KindergartenClassType,
)
from junheng.intake import read_county_workbook
from junheng.samples import generate_county
from junheng.templates.writer import write_county_workbook

from .books import book, valid_sheets
from .test_malformed import Sheets, cell

KG_HEADERS = [
    "幼儿园标识码", "幼儿园名称", "办园性质", "城乡分类", "所在乡镇", "乡镇中心园",
    "小班幼儿数（人）", "中班幼儿数（人）", "大班幼儿数（人）", "混龄班幼儿数（人）",
    "专任教师数（人）", "其中：持教师资格证专任教师数（人）", "园长数（人）", "其中：持证园长数（人）",
    "室外游戏场地面积（㎡）", "幼儿活动用房面积（㎡）", "园舍建筑面积（㎡）", "建成年份",
]
KG_CLASS_HEADERS = ["幼儿园标识码", "班级类型", "班级名称", "幼儿数（人）"]


def full_sheets() -> dict[str, list[list[Any]]]:
    """The hand-written valid county plus kindergartens, 2012 columns and 双减 facts."""
    sheets = valid_sheets()
    sheets["学校"][0] += ["计算机台数（台）", "图书册数（册）", "开展课后服务", "参加课后服务学生数（人）"]
    sheets["学校"][1] += [12, 2400, "是", 70]
    sheets["学校"][2] += [9, 2900.0, "否", 0]
    sheets["教师"][0].append("专业技术职务")
    for row, title in zip(sheets["教师"][1:], ["一级", "小学高级", "二级", None, "高级"], strict=True):
        row.append(title)
    sheets["县级指标"] += [["3—5岁常住人口数（人）", 520], ["双减前线下学科类校外培训机构数（个）", 80],
                       ["现有线下学科类校外培训机构数（个）", 4]]
    sheets["幼儿园"] = [
        KG_HEADERS,
        ["3504049901", "河口镇中心幼儿园", "公办", "乡村", "河口镇", "是", 25, 30, 0, None,
         4, 4, 1, 1, 240, 480, 600, 2018],
        ["3504049902", "阳光幼儿园", "普惠性民办", "城区", "城关镇", "否", 20, 0, 0, 12,
         3, 2, 1, 0, 100.5, 300, 380, 2009],
    ]
    sheets["幼儿园班级"] = [
        KG_CLASS_HEADERS,
        ["3504049901", "小班", "小（1）班", 25],
        ["3504049901", "中班", "中（1）班", 30],
        ["3504049902", "小班", "小（1）班", 20],
        ["3504049902", "混龄班", "混龄班", 12],
    ]
    return sheets


def test_a_workbook_without_them_says_nothing_about_them(tmp_path):
    result = read_county_workbook(book(tmp_path))
    assert result.report.flattened() == []
    assert "kindergartens" not in result.data.extra_tables  # unknown, not empty
    assert result.data.absent_columns["teachers"] == frozenset({"title", "movable", "staffing", "birth_year", "gender"})


def test_they_import_into_typed_records(tmp_path):
    result = read_county_workbook(book(tmp_path, full_sheets()))
    assert result.report.flattened() == []
    data = result.data
    assert data.extra_tables["kindergartens"][1] == Kindergarten(
        code="3504049902", name="阳光幼儿园", category=KindergartenCategory.INCLUSIVE_PRIVATE,
        urban_rural=data.schools[0].urban_rural, children_small=20, children_middle=0, children_large=0,
        teachers=3, certified_teachers=2, principals=1, certified_principals=0, outdoor_play_area=100.5,
        activity_room_area=300.0, building_area=380.0, built_year=2009, children_mixed=12,
        township="城关镇", central=False, row=3)
    assert data.extra_tables["kindergartens"][0].children_mixed == 0  # blank → 0
    assert data.extra_tables["kindergarten_classes"][3] == KindergartenClass(
        "3504049902", KindergartenClassType.MIXED, "混龄班", 12, row=5)
    assert [t.title for t in data.teachers] == [TeacherTitle.FIRST, TeacherTitle.FIRST, TeacherTitle.SECOND,
                                                 None, TeacherTitle.SENIOR]
    assert data.schools[0].extra == {"computers": 12, "books": 2400, "afterschool": True, "afterschool_students": 70}
    assert data.facts["population_3_5"] == 520
    assert data.absent_columns["schools"] == frozenset({
        "group_lead", "primary_standard_classes", "junior_standard_classes",
        "max_extra_teaching_area", "max_extra_sports_area", "township", "staff_quota", "boarders"})
    assert data.absent_columns["teachers"] == frozenset({"movable", "staffing", "birth_year", "gender"})


def test_sample_county_round_trips(tmp_path):
    data = generate_county(schools=15, seed=4)
    result = read_county_workbook(write_county_workbook(data, tmp_path / "sample.xlsx"))
    assert not result.report.has_errors, result.report.flattened()
    back = result.data
    assert back.extra_tables["kindergartens"] == [
        _with_row(k, i + 2) for i, k in enumerate(data.extra_tables["kindergartens"])]
    assert back.extra_tables["kindergarten_classes"] == [
        _with_row(c, i + 2) for i, c in enumerate(data.extra_tables["kindergarten_classes"])]
    assert [t.title for t in back.teachers] == [t.title for t in data.teachers]
    assert [s.extra for s in back.schools] == [s.extra for s in data.schools]
    assert back.absent_columns == {}
    assert {k: back.facts[k] for k in data.facts} == data.facts


def _with_row(record, row):
    import dataclasses

    return dataclasses.replace(record, row=row)


E, W = "error", "warning"


CASES: dict[str, tuple[list[Callable[[Sheets], None]], list[tuple], str]] = {
    "kindergarten-unknown-category": (
        [cell("幼儿园", 2, "C", "公立")],
        [("幼儿园", 2, "C", "enum-unknown", E)],
        "幼儿园 第2行 C列「办园性质」的值 \"公立\" 不是可选值，请从下列选项中选择：公办、普惠性民办、非普惠性民办",
    ),
    "kindergarten-certified-above-teachers": (
        [cell("幼儿园", 3, "L", 5)],
        [("幼儿园", 3, "L", "value-exceeds-field", E)],
        "幼儿园 第3行 L列「其中：持教师资格证专任教师数（人）」的值 5 不能大于「专任教师数（人）」的值 3",
    ),
    "kindergarten-negative-children": (
        [cell("幼儿园", 2, "G", -5)],
        [("幼儿园", 2, "G", "value-below-min", E)],  # the bad cell is not compared with the classes
        "幼儿园 第2行 G列「小班幼儿数（人）」的值 \"-5\" 不能小于 0",
    ),
    "kindergarten-blank-year": (
        [cell("幼儿园", 3, "R", None)],
        [("幼儿园", 3, "R", "value-required", E)],
        "幼儿园 第3行 R列「建成年份」不能为空",
    ),
    "kindergarten-duplicate-code": (
        [cell("幼儿园", 3, "A", "3504049901")],
        [("幼儿园", 3, "A", "duplicate-key", E), ("幼儿园班级", 4, "A", "unknown-school", E),
         ("幼儿园班级", 5, "A", "unknown-school", E)],
        "幼儿园 第3行 A列「幼儿园标识码」的值 \"3504049901\" 重复，与第2行相同",
    ),
    "kindergarten-children-disagree-with-classes": (
        [cell("幼儿园", 2, "H", 31)],
        [("幼儿园", 2, "H", "kindergarten-children-mismatch", W)],
        "幼儿园 第2行 H列「中班幼儿数（人）」的值 31 与「幼儿园班级」工作表中该园中班各班幼儿数之和 30 不一致",
    ),
    "class-of-an-unknown-kindergarten": (
        [cell("幼儿园班级", 3, "A", "3504049999")],
        [("幼儿园", 2, "H", "kindergarten-children-mismatch", W),
         ("幼儿园班级", 3, "A", "unknown-school", E)],
        "幼儿园班级 第3行 A列「幼儿园标识码」的值 \"3504049999\" 在「幼儿园」工作表中不存在，"
        "请先在「幼儿园」工作表中登记该编码",
    ),
    "class-unknown-type": (
        [cell("幼儿园班级", 2, "B", "托班")],
        [("幼儿园", 2, "G", "kindergarten-children-mismatch", W), ("幼儿园班级", 2, "B", "enum-unknown", E)],
        "幼儿园班级 第2行 B列「班级类型」的值 \"托班\" 不是可选值，请从下列选项中选择：小班、中班、大班、混龄班",
    ),
    "class-duplicate-name": (
        [cell("幼儿园班级", 3, "C", "小（1）班")],
        [("幼儿园班级", 3, "C", "duplicate-key", E)],
        "幼儿园班级 第3行 C列「班级名称」的值 \"小（1）班\" 在学校 3504049901 内重复，与第2行相同",
    ),
    "class-zero-children": (
        [cell("幼儿园班级", 5, "D", 0)],
        [("幼儿园", 3, "J", "kindergarten-children-mismatch", W), ("幼儿园班级", 5, "D", "value-below-min", E)],
        "幼儿园班级 第5行 D列「幼儿数（人）」的值 \"0\" 不能小于 1",
    ),
    "computers-as-words": (
        [cell("学校", 2, "S", "十二台")],
        [("学校", 2, "S", "type-int", E)],
        "学校 第2行 S列「计算机台数（台）」的值 \"十二台\" 不是整数",
    ),
    "afterschool-above-students": (
        [cell("学校", 2, "V", 81)],
        [("学校", 2, "V", "afterschool-exceeds-students", W)],
        "学校 第2行 V列「参加课后服务学生数（人）」的值 81 大于该校小学与初中在校生数之和 80",
    ),
    "afterschool-participants-without-service": (
        [cell("学校", 3, "V", 20)],
        [("学校", 3, "V", "afterschool-not-offered", W)],
        "学校 第3行 V列「参加课后服务学生数（人）」填了 20 人，但「开展课后服务」为 否",
    ),
    "unknown-title": (
        [cell("教师", 3, "K", "特级")],
        [("教师", 3, "K", "enum-unknown", E)],
        "教师 第3行 K列「专业技术职务」的值 \"特级\" 不是可选值",
    ),
    "population-as-text": (
        [cell("县级指标", 9, "B", "五百二十")],
        [("县级指标", 9, "B", "type-int", E)],
        "县级指标 第9行 B列「3—5岁常住人口数（人）」的值 \"五百二十\" 不是整数",
    ),
}


@pytest.mark.parametrize("name", CASES)
def test_malformed_optional_sheets(tmp_path, name):
    changes, expected, message = CASES[name]
    sheets = full_sheets()
    for change in changes:
        change(sheets)
    result = read_county_workbook(book(tmp_path, sheets))
    flat = [(i.sheet, i.row, i.column, i.code, str(i.severity)) for i in result.report.issues]
    assert flat == expected
    assert any(i.message.startswith(message) for i in result.report.issues), [
        i.message for i in result.report.issues]
    assert (result.data is None) is any(sev == E for *_, sev in expected)


def test_a_kindergarten_may_not_carry_a_schools_code(tmp_path):
    sheets = full_sheets()
    sheets["幼儿园"][2][0] = "3504040001"  # the code of 城关小学 (学校 row 2)
    sheets["幼儿园班级"][3][0] = sheets["幼儿园班级"][4][0] = "3504040001"
    result = read_county_workbook(book(tmp_path, sheets))
    assert not result.ok
    errors = [(i.sheet, i.row, i.column, i.code) for i in result.report if i.is_error]
    assert errors == [("幼儿园", 3, "A", "duplicate-key")]
    (issue,) = [i for i in result.report if i.is_error]
    assert issue.message == ('幼儿园 第3行 A列「幼儿园标识码」的值 "3504040001" 与「学校」工作表第2行的标识码相同；'
                             "学校、幼儿园的标识码全国唯一，不能重复")


def test_distinct_codes_across_sheets_pass(tmp_path):
    assert read_county_workbook(book(tmp_path, full_sheets())).ok
