"""The shared workbook styling: number formats show the places the reports print,
widths count a CJK character as two, figures stated as text in the plan summary
come back as numbers shown the same way."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from junheng.reports import numbers as fmt
from junheng.reports.renderers import sheet_style as ss
from junheng.reports.renderers.plan_workbook import summary_value
from junheng.reports.renderers.sheet_style import Styled

finite = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)


def places(fmt_: str) -> int:
    return len(fmt_.split('"')[0].rstrip("%").partition(".")[2])


@given(finite)
def test_formats_have_the_places_of_the_printed_figures(v):
    assert places(ss.FORMATS["cv"]) == len(fmt.cv(v).partition(".")[2])
    assert places(ss.FORMATS["limit"]) == len(fmt.limit(v).partition(".")[2])
    assert places(ss.FORMATS["pct"]) == len(fmt.percent(v).rstrip("%").partition(".")[2])
    for unit in ("人/百生", "㎡/生", "元/生", "人/生", None):
        assert places(ss.indicator_format(unit)) == len(fmt.indicator(v, unit).partition(".")[2])


@pytest.mark.parametrize(("text", "width"), [("学校", 4), ("R1 高学历教师", 13), ("3504040001", 10),
                                             ("第一行\n第二行较长", 10)])
def test_text_width_counts_cjk_as_two(text, width):
    assert ss.text_width(text) == width


@pytest.mark.parametrize(("text", "value", "number_format"), [
    ("1,099,050 元", 1099050, '#,##0" 元"'),
    ("0.00%", 0.0, "0.00%"),
    ("12.5%", 0.125, "0.0%"),
    ("2025", 2025, "0"),
])
def test_plan_summary_figures_become_numbers(text, value, number_format):
    got = summary_value(text)
    assert isinstance(got, Styled) and got.value == pytest.approx(value) and got.num_format == number_format


@pytest.mark.parametrize("text", ["不限", "已找到费用最低的整改方案", "0.4 秒（求解 1 次）", "示例县（350404）"])
def test_plan_summary_text_stays_text(text):
    assert summary_value(text) == text


def test_marks_and_sheet_names():
    assert ss.mark("达标", True) == "√ 达标" and ss.mark("未通过", False) == "× 未通过"
    used: set[str] = set()
    assert ss.sheet_name("幼儿园保教质量保障情况/附[表]", used) == "幼儿园保教质量保障情况_附_表_"
    assert ss.sheet_name("幼儿园保教质量保障情况/附[表]", used).endswith("2")
