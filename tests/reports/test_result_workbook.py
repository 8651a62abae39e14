"""The result workbook read back with openpyxl: sheets, numbers as numbers with
formats, red and amber cells, the 整改清单 equal to the evaluation's shortfalls."""

from __future__ import annotations

import math

import openpyxl
import pytest

from junheng.core.facts import STAGE_ZH
from junheng.reports.renderers.xlsx import write_result_workbook

from .results import generated_evaluation

RED, AMBER = "FFFFC7CE", "FFFFEB9C"


@pytest.fixture(scope="module")
def book(hand_ev, tmp_path_factory):
    path = write_result_workbook(hand_ev, tmp_path_factory.mktemp("xlsx") / "结果.xlsx")
    return openpyxl.load_workbook(path)


def fill(cell) -> str | None:
    return cell.fill.fgColor.rgb if cell.fill and cell.fill.fill_type == "solid" else None


def header_row(ws, first: str) -> int:
    return next(r for r in range(1, 20) if ws.cell(r, 1).value == first)


def rows(ws, head: int) -> list[dict]:
    names = [c.value for c in ws[head]]
    out = []
    for r in range(head + 1, ws.max_row + 1):
        if ws.cell(r, 1).value is None:
            break
        out.append({n: ws.cell(r, c + 1) for c, n in enumerate(names) if n})
    return out


def test_sheets(book):
    assert book.sheetnames == ["汇总", "学校指标", "差异系数", "申报条件", "政府保障程度", "教育质量",
                               "社会认可度", "一票否决", "两个只增不减", "整改清单", "未纳入范围学校", "说明"]


def test_summary_sheet(book, hand_ev):
    ws = book["汇总"]
    values = {ws.cell(r, 1).value: ws.cell(r, 2).value for r in range(1, ws.max_row + 1)}
    assert values["评估结论"] == "× 不予认定"  # the symbol reads in black and white too
    assert values["行政区划代码"] == "350404"
    assert "资源配置未通过" in values["不予认定的原因"]
    assert values["资源配置"] == "× 未通过" and values["政府保障程度"] == "√ 通过"
    assert values["差异系数计算方法"] == "按学生数加权（评估办法公式）"
    assert values["整改缺口（处）"] == len(hand_ev.shortfalls) == 3


def test_school_matrix_marks_failing_and_85_percent_cells(book):
    ws = book["学校指标"]
    head = header_row(ws, "学校标识码")
    assert ws.freeze_panes == f"C{head + 1}"
    assert ws.auto_filter.ref.startswith(f"A{head}:")
    # The standard's values above the header: 小学达标值 R4 4.5, 基本值 3.825.
    assert [ws.cell(r, 1).value for r in range(2, head)] == ["小学达标值", "小学基本值（达标值的85%）"]
    assert ws.cell(2, 9).value == 4.5 and math.isclose(ws.cell(3, 9).value, 3.825)
    table = {r["学校名称"].value: r for r in rows(ws, head)}
    s1, s2, s3 = table["学校001"], table["学校002"], table["学校003"]
    r4, r5, r6 = "R4 教学用房（㎡/生）", "R5 体育场馆（㎡/生）", "R6 仪器设备（元/生）"
    # amber and 「△」: under 4.5, not under 3.825; red and 「×」: under the floor
    assert s2[r4].value == 4.0 and fill(s2[r4]) == AMBER and s2[r4].number_format == '0.00" △"'
    assert s3[r5].value == 5.0 and fill(s3[r5]) == RED and s3[r5].number_format == '0.00" ×"'
    assert s3[r6].value == 1500.0 and fill(s3[r6]) == RED and s3[r6].number_format == '#,##0" ×"'
    assert fill(s1[r4]) is None and s1[r4].number_format == "0.00" and s1[r6].number_format == "#,##0"
    assert (s2["达标项数"].value, s2["是否达标"].value) == (6, "√ 达标")
    assert (s3["达标项数"].value, s3["是否达标"].value) == (5, "× 未达标") and fill(s3["是否达标"]) == RED
    assert s3["学段"].value == "小学" and s3["学生数"].value == 100
    assert isinstance(s3["「学校」表行号"].value, int)


def test_dispersion_sheet(book, hand_ev):
    ws = book["差异系数"]
    table = {(r["学段"].value, r["指标编号"].value): r for r in rows(ws, 1)}
    for stage, per in hand_ev.dispersion.items():
        for ind, d in per.items():
            row = table[(STAGE_ZH[stage], ind)]
            # Unrounded (to the 16 significant digits XlsxWriter writes; Excel keeps 15).
            assert math.isclose(row["差异系数"].value, d.cv, rel_tol=1e-15, abs_tol=1e-300)
            assert row["差异系数"].number_format == "0.000"
            assert row["限值"].value == d.limit and row["学校数"].value == 3
            assert row["是否达标"].value == "√ 达标"
    assert math.isclose(table[("小学", "R4")]["校际均值"].value, 4.5)


def test_items_have_values_standards_and_sources(book):
    ws = book["社会认可度"]
    [s1] = rows(ws, 1)
    assert s1["编号"].value == "S1" and s1["值"].value == 90 and s1["是否达标"].value == "√ 达标"
    # the standard is a number too, shown with its comparison and unit
    assert s1["标准"].value == 85 and s1["标准"].number_format == '"≥ "0"%"'
    assert s1["值"].number_format == '0"%"'
    assert s1["数据来源"].value.startswith("县级指标 B") and "「社会认可度（%）」" in s1["数据来源"].value
    quality = {r["编号"].value: r for r in rows(book["教育质量"], 1)}
    q1 = quality["Q1"]  # 990 / (1000 + 30 − 20 − 1)
    assert math.isclose(q1["值"].value, 990 / 1009) and q1["值"].number_format == "0.00%"
    assert len(rows(book["政府保障程度"], 1)) == 15 and len(quality) == 9


def test_shortfall_rows_equal_the_evaluation(book, hand_ev):
    listed = rows(book["整改清单"], 1)
    assert [(r["学校标识码"].value, r["学段"].value, r["项目编号"].value, r["整改内容"].value,
             r["缺口数量"].value, r["单位"].value, r["是否影响达标"].value.startswith("是"))
            for r in listed] == [
        (s.school_code, STAGE_ZH[s.stage], s.item_id, s.text, s.quantity, s.unit, s.blocking)
        for s in hand_ev.shortfalls]
    assert listed[0]["整改内容"].value == "缺教学及辅助用房 100 ㎡（该校已按 85% 条款达标，建议补足）"
    assert fill(listed[0]["是否影响达标"]) == AMBER and fill(listed[1]["是否影响达标"]) == RED


def test_excluded_schools_and_a_large_county(tmp_path):
    ev = generated_evaluation(schools=300, seed=2)
    path = write_result_workbook(ev, tmp_path / "r.xlsx")
    wb = openpyxl.load_workbook(path, read_only=True)
    assert [r[0] for r in wb["未纳入范围学校"].iter_rows(min_row=2, values_only=True)] == [
        x.school_code for x in ev.excluded]
    assert wb["整改清单"].max_row == len(ev.shortfalls) + 1
    ws = wb["学校指标"]
    codes = [r[0] for r in ws.iter_rows(min_row=7, values_only=True) if r[0] and r[0].isdigit()]
    assert codes == [s.school_code for s in ev.schools]
