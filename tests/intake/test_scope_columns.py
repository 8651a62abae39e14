"""The inputs of the scope rules (issue 12 §2) in a real workbook written with
XlsxWriter as a bureau's Excel would hold it: 寄宿生数 on 学校, 乡镇或街道 / 保育员数 /
全日制 on 幼儿园, and the county facts 街道数, P2, 有编不补, 长期聘用编外教师."""

from __future__ import annotations

from junheng.core.engine import evaluate
from junheng.core.preschool import TownshipKind
from junheng.intake import read_county_workbook
from junheng.standards import load_standard

from .books import write_book
from .test_optional_sheets import KG_CLASS_HEADERS, KG_HEADERS, full_sheets


def scope_sheets():
    sheets = full_sheets()
    # 岩前学校 (乡村 九年一贯制, boarding) gets its boarders; 城关小学 is a day school
    sheets["学校"][0].append("寄宿生数（人）")
    sheets["学校"][1].append(0)
    sheets["学校"][2].append(36)
    sheets["县级指标"] += [["基本均衡认定后年度监测持续保持较高水平", "是"], ["有编不补", "否"],
                       ["长期聘用编外教师", "否"], ["乡镇数（个）", 1], ["街道数（个）", 1]]
    # the header 所在乡镇（街道） is an alias of 所在乡镇; 城关镇 is declared a 街道
    sheets["幼儿园"][0] = [("所在乡镇（街道）" if h == "所在乡镇" else h) for h in KG_HEADERS] + [
        "乡镇或街道", "保育员数（人）", "全日制"]
    sheets["幼儿园"][1] += ["乡镇", 2, "是"]
    sheets["幼儿园"][2] += ["街道", 1, "否"]
    assert sheets["幼儿园班级"][0] == KG_CLASS_HEADERS
    return sheets


def test_scope_columns_import_and_feed_the_rules(tmp_path):
    result = read_county_workbook(write_book(tmp_path / "county.xlsx", scope_sheets()))
    assert result.report.flattened() == []
    data = result.data
    assert [s.extra.get("boarders") for s in data.schools] == [0, 36]
    kgs = data.extra_tables["kindergartens"]
    assert [k.township_kind for k in kgs] == [TownshipKind.TOWNSHIP, TownshipKind.SUBDISTRICT]
    assert [(k.nursery_staff, k.full_day) for k in kgs] == [(2, True), (1, False)]
    assert data.facts["urban_subdistricts"] == 1 and data.facts["basic_balance_kept"] is True

    ev = evaluate(data, load_standard("yzjh-2017"))
    assert ev.items["P2"].passed is True
    assert ev.items["V6"].passed is True and ev.items["V7"].passed is True
    pre = evaluate(data, load_standard("xqpp-2020"))
    # 河口镇: public 中心园; 城关镇 declared a 街道, with a 普惠性民办园
    assert pre.items["X4"].passed is True and pre.items["X15"].passed is True
    # the full-day 河口镇中心幼儿园: 2 classes, 4 teachers, 2 保育员; 阳光 is half-day
    x16 = pre.items["X16"]
    assert x16.passed is True and x16.provenance.inputs["records"] == 1


def test_without_the_kind_column_the_name_decides(tmp_path):
    sheets = scope_sheets()
    for row in sheets["幼儿园"]:
        del row[-3]  # no 乡镇或街道 column: 城关镇 ends in 镇 → a second 乡镇
    data = read_county_workbook(write_book(tmp_path / "county.xlsx", sheets)).data
    pre = evaluate(data, load_standard("xqpp-2020"))
    assert pre.items["X4"].evaluable is False and "多于县级指标中的乡镇数 1 个" in pre.items["X4"].message
    assert pre.items["X15"].passed is False  # no kindergarten in a 街道 by name


def test_a_bad_kind_is_a_located_chinese_error(tmp_path):
    sheets = scope_sheets()
    sheets["幼儿园"][2][-3] = "社区"
    report = read_county_workbook(write_book(tmp_path / "county.xlsx", sheets)).report
    issues = [(i.sheet, i.row, i.column, i.message) for i in report.issues if i.severity == "error"]
    assert len(issues) == 1
    sheet, row, column, message = issues[0]
    assert (sheet, row) == ("幼儿园", 3) and column == "S" and "社区" in message and "乡镇或街道" in message


def test_missing_boarders_of_a_boarding_village_school_is_not_evaluable(tmp_path):
    sheets = scope_sheets()
    for row in sheets["学校"]:
        row.pop()  # drop 寄宿生数
    # 岩前学校 becomes a rural 小学 of 40 pupils, boarding, under 100: G6 applies
    sheets["学校"][2][2], sheets["学校"][2][8] = "小学", 0
    sheets["班级"] = [r for r in sheets["班级"] if r[1] != "初中"]
    sheets["教师"] = [r for r in sheets["教师"] if r[2] != "初中"]
    result = read_county_workbook(write_book(tmp_path / "county.xlsx", sheets))
    g6 = evaluate(result.data, load_standard("yzjh-2017")).items["G6"]
    assert g6.evaluable is False and g6.missing == ["schools.boarders"]
