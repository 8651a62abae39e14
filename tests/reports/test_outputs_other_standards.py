"""The outputs follow the standard they are given: jbjh-2012 judges the mean of the CVs
(综合差异系数) and sets no per-school values; xqpp-2020 evaluates kindergartens, with no
school table at all. Nothing is judged that the standard does not judge."""

from __future__ import annotations

import functools
import json

import openpyxl
from rich.console import Console

from junheng.reports.html import render_html_report
from junheng.reports.json import evaluation_to_json
from junheng.reports.terminal import print_evaluation
from junheng.reports.xlsx import write_result_workbook
from junheng.samples import generate_county
from junheng.services.evaluation import evaluate_data


@functools.cache
def evaluation(standard: str):
    return evaluate_data(generate_county(schools=30, seed=3), standard)


def terminal(ev) -> str:
    console = Console(record=True, width=140, file=open("/dev/null", "w"))  # noqa: SIM115
    print_evaluation(ev, console)
    return console.export_text()


def test_composite_cv_of_jbjh_2012(tmp_path):
    ev = evaluation("jbjh-2012")
    assert all(per["composite"].limit is not None for per in ev.dispersion.values())
    assert "综合差异系数" in terminal(ev)
    ws = openpyxl.load_workbook(write_result_workbook(ev, tmp_path / "r.xlsx"))["差异系数"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    per_indicator = [r for r in rows if r[1] != "综合差异系数"]
    assert {r[8] for r in per_indicator} == {"不单独判定"}  # no limit of their own
    expected = ["达标" if per["composite"].passed else "未达标" for per in ev.dispersion.values()]
    assert [r[8] for r in rows if r[1] == "综合差异系数"] == expected
    html = render_html_report(ev)
    assert "综合差异系数" in html and "不单独判定" in html
    assert "指标达成热力图" not in html  # no per-school values to divide by
    json.loads(evaluation_to_json(ev))


def test_kindergarten_standard_has_no_school_table(tmp_path):
    ev = evaluation("xqpp-2020")
    assert ev.schools == [] and not ev.dispersion
    text = terminal(ev)
    assert "评估结论" in text and "校际差异系数" not in text
    html = render_html_report(ev)
    assert "本标准不逐校评估资源配置指标" in html and "本标准不计算校际差异系数" in html
    wb = openpyxl.load_workbook(write_result_workbook(ev, tmp_path / "r.xlsx"))
    names = [r[1] for r in wb["学校指标"].iter_rows(values_only=True) if r[1]]
    assert names == ["学校名称"]  # the header, no school rows
    assert wb["整改清单"].max_row == len(ev.shortfalls) + 1
    doc = json.loads(evaluation_to_json(ev))
    assert doc["schools"] == [] and doc["difference_coefficients"] == {}
