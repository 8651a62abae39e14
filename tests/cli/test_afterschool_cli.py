"""`junheng afterschool`: 双减 from workbooks, with the trend."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from junheng.cli import app
from junheng.templates.writer import write_county_workbook

from ..analysis.test_afterschool import afterschool_county
from ..intake.books import book

runner = CliRunner()


def test_afterschool_two_years(tmp_path):
    now = write_county_workbook(afterschool_county(2025, c_offers=True, c_students=70), tmp_path / "a.xlsx")
    before = write_county_workbook(afterschool_county(2023, offline_now=20), tmp_path / "b.xlsx")
    out = runner.invoke(app, ["afterschool", str(now), "-p", str(before)], env={"COLUMNS": "160"})
    assert out.exit_code == 0, out.output
    assert "3/3 所义务教育学校开展课后服务（100.0%）" in out.output
    assert "670/800 名学生参加（83.8%）" in out.output
    assert "95.0%" in out.output and "逐年变化" in out.output
    doc = json.loads(runner.invoke(app, ["afterschool", str(now), "--json"]).output)
    assert doc["years"][0]["coverage"] == 1.0 and doc["years"][0]["rates"]["线上"] == 0.9


def test_a_workbook_without_afterschool_columns(tmp_path):
    out = runner.invoke(app, ["afterschool", str(book(tmp_path))])
    assert out.exit_code == 0
    assert "没有「开展课后服务」「参加课后服务学生数」列" in out.output
    assert "没有学科类校外培训机构数" in out.output
