"""`junheng compare`: one county under every shipped standard, missing inputs named."""

from __future__ import annotations

from typer.testing import CliRunner

from junheng.cli import app
from junheng.samples import generate_county
from junheng.services.comparison import compare_data, compare_workbook, input_label
from junheng.templates.writer import write_county_workbook

from ..intake.books import book

runner = CliRunner()


def test_input_labels_say_where_to_fill_in():
    assert input_label("schools.books") == "「学校」表「图书册数（册）」列"
    assert input_label("teachers.title") == "「教师」表「专业技术职务」列"
    assert input_label("kindergartens") == "「幼儿园」工作表"
    assert input_label("population_3_5") == "县级指标「3—5岁常住人口数（人）」"
    assert input_label("basic_balance_year") == "基本信息「基本均衡认定年份」"


def test_a_workbook_without_the_2012_and_preschool_data(tmp_path):
    outcomes, report = compare_workbook(book(tmp_path))
    assert not report.has_errors
    by_id = {o.standard.id: o for o in outcomes}
    assert list(by_id) == ["yzjh-2017", "jbjh-2012", "xqpp-2020"]
    j = {m.key: m for m in by_id["jbjh-2012"].missing}
    assert {"schools.books", "schools.computers", "teachers.title"} <= set(j)
    assert j["schools.books"].used_by == ["J5 生均图书册数"]
    x = {m.key: m for m in by_id["xqpp-2020"].missing}
    assert "X1 学前三年毛入园率达到85%" in x["kindergartens"].used_by
    assert x["kindergarten_classes"].label == "「幼儿园班级」工作表"


def test_the_sample_has_everything_every_standard_needs():
    outcomes = compare_data(generate_county(schools=30, seed=5))
    assert [o.complete for o in outcomes] == [True, True, True]
    by_id = {o.standard.id: o.evaluation for o in outcomes}
    assert by_id["jbjh-2012"].recognised and not by_id["yzjh-2017"].recognised


def test_cli_prints_each_standard_and_what_is_missing(tmp_path):
    out = runner.invoke(app, ["compare", str(book(tmp_path)), "-s", "jbjh-2012", "-s", "yzjh-2017"])
    assert out.exit_code == 0, out.output
    assert out.output.index("jbjh-2012") < out.output.index("yzjh-2017")
    assert "「学校」表「计算机台数（台）」列：J4 每百名学生拥有计算机台数" in out.output
    assert "缺少数据，暂无法判定" in out.output
    path = write_county_workbook(generate_county(schools=12, seed=2), tmp_path / "s.xlsx")
    out = runner.invoke(app, ["compare", str(path)])
    assert out.exit_code == 0 and out.output.count("所需数据齐全") == 3
    assert "综合差异系数" in out.output


def test_cli_bad_standard_and_bad_workbook(tmp_path):
    out = runner.invoke(app, ["compare", str(book(tmp_path)), "-s", "nope.yaml"])
    assert out.exit_code == 1 and "找不到该标准文件" in out.output
    bad = tmp_path / "bad.xlsx"
    bad.write_text("not a workbook", "utf-8")
    out = runner.invoke(app, ["compare", str(bad)])
    assert out.exit_code == 1 and "junheng validate" in out.output
