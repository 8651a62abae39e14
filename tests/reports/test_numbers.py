"""How numbers and section numbers print: tables of input → expected."""

from __future__ import annotations

import pytest

from junheng.reports import numbers as fmt
from junheng.reports.documents.wording import chinese_number, join_names


@pytest.mark.parametrize(("value", "unit", "expected"), [
    (4.2049, "人/百生", "4.20"), (4.205, "人/百生", "4.21"), (0.0049, "㎡/生", "0.00"),
    (2163.5, "元/生", "2164"), (None, "㎡/生", "—"), (float("nan"), "间/百生", "—"),
])
def test_indicator_values(value, unit, expected):
    assert fmt.indicator(value, unit) == expected


@pytest.mark.parametrize(("call", "expected"), [
    (lambda: fmt.cv(0.4995), "0.500"), (lambda: fmt.cv(0.12345), "0.123"), (lambda: fmt.limit(0.5), "0.50"),
    (lambda: fmt.percent(0.12345), "12.3%"), (lambda: fmt.percent(None), "—"),
    (lambda: fmt.amount(12.5), "12.5"), (lambda: fmt.amount(3.0), "3"), (lambda: fmt.amount(34.94), "34.94"),
    (lambda: fmt.threshold(4.2), "4.2"), (lambda: fmt.threshold(2000.0), "2000"),
    (lambda: fmt.change(10, 7, 0, " 人"), "增加 3 人"), (lambda: fmt.change(7, 10, 0, " 人"), "减少 3 人"),
    (lambda: fmt.change(1.0, 1.001, 2), "持平"), (lambda: fmt.fixed(-0.0001, 2), "0.00"),
])
def test_formats(call, expected):
    assert call() == expected


@pytest.mark.parametrize(("n", "expected"), [(1, "一"), (9, "九"), (10, "十"), (12, "十二"), (20, "二十"), (21, "二十一")])
def test_chinese_numbers(n, expected):
    assert chinese_number(n) == expected


def test_long_name_lists_are_cut():
    assert join_names(["甲", "乙"]) == "甲、乙"
    assert join_names([f"校{i}" for i in range(12)], 3) == "校0、校1、校2等 12 所"


@pytest.mark.parametrize(("value", "digits", "expected"), [
    (3.825, 2, "3.83"), (2.675, 2, "2.68"), (1.005, 2, "1.01"), (0.0005, 3, "0.001"), (0.12345, 4, "0.1235"),
    (2.5, 0, "3"), (-2.5, 0, "-3"), (-0.004, 2, "0.00"), (1e-7, 3, "0.000"), (123456.785, 2, "123456.79"),
])
def test_one_rounding_rule_is_excel_round(value, digits, expected):
    """Excel: =ROUND(3.825,2) → 3.83, =ROUND(2.675,2) → 2.68, =ROUND(-2.5,0) → -3."""
    assert fmt.fixed(value, digits) == expected


def test_percent_rounds_the_decimal_share():
    assert fmt.percent(0.12345) == "12.3%"
    assert fmt.percent(0.1235) == "12.4%"  # 12.35 on the decimal value, not 12.349999
    assert fmt.percent(0.01005, 2) == "1.01%"


def test_places_are_a_setting_per_kind():
    try:
        fmt.configure({"cv": 4})
        assert fmt.cv(0.12345) == "0.1235"
        assert fmt.percent(0.5) == "50.0%"
        with pytest.raises(ValueError, match="未知的数字种类"):
            fmt.configure({"speed": 2})
    finally:
        fmt.configure(None)
    assert fmt.cv(0.12345) == "0.123"
