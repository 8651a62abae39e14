"""`junheng health`: from workbooks (the template writer's 学生健康 sheet) and from a
county code in the database; text, JSON and the --out workbook agree."""

from __future__ import annotations

import json

import openpyxl
from typer.testing import CliRunner

from junheng.cli import app
from junheng.templates.writer import write_county_workbook

from ..analysis.test_health import hand
from ..intake.books import book

runner = CliRunner()
ENV = {"COLUMNS": "200"}


def _books(tmp_path):
    now = write_county_workbook(hand(2025), tmp_path / "2025.xlsx")
    before = hand(2024)
    before.extra_tables["health"][0].fitness_passed = 60  # 60 / 78 last year
    return now, write_county_workbook(before, tmp_path / "2024.xlsx")


def test_health_two_years_text_json_and_workbook(tmp_path):
    now, before = _books(tmp_path)
    out = runner.invoke(app, ["health", str(now), "-p", str(before), "--out", str(tmp_path / "学生健康.xlsx")], env=ENV)
    assert out.exit_code == 0, out.output
    assert "测试 176 人，达标率 89.2%，优良率 48.2%" in out.output
    assert "近视率：合计 45.9%，小学 35.0%，初中 72.0%" in out.output
    assert "配备专职的学校 2/3 所（66.7%）" in out.output
    assert "体育与健康课时达标学校：1/2 所（50.0%）" in out.output
    assert "（小学1—2年级 3 课时，应 4）" in out.output
    assert "逐年变化" in out.output and "82.4%" in out.output  # 2024: (60 + 80 + 5) / 176
    doc = json.loads(runner.invoke(app, ["health", str(now), "--format", "json"]).output)
    assert doc["county"]["fitness_pass_rate"] == 157 / 176
    ranking = [s["school_code"] for s in doc["ranking"]]
    assert ranking == ["3504040001", "3504040002", "3504040004"]  # 92.3 %, 90.9 %, 50 %
    assert doc["missing"][0]["school_code"] == "3504040003"
    wb = openpyxl.load_workbook(tmp_path / "学生健康.xlsx")
    assert wb.sheetnames[:3] == ["各校情况", "课时与心理教师", "逐年变化"]
    ws = wb["各校情况"]
    assert [c.value for c in ws[2]][:6] == [1, "3504040001", ws["C2"].value, 78, 72, 72 / 78]
    total = [c.value for c in ws[5]]
    assert total[2] == "全县" and total[3] == 176 and total[5] == 157 / 176
    years = [[c.value for c in row] for row in wb["逐年变化"].iter_rows(min_row=2)]
    assert [y[0] for y in years] == [2024, 2025] and years[0][1] == 145 / 176


def test_by_county_code_from_the_database(tmp_path):
    now, before = _books(tmp_path)
    url = f"sqlite:///{tmp_path / 'j.db'}"
    imported = runner.invoke(app, ["import", str(before), str(now), "--database-url", url])
    assert imported.exit_code == 0, imported.output
    code = hand().county.code
    out = runner.invoke(app, ["health", code, "--database-url", url], env=ENV)
    assert out.exit_code == 0, out.output
    assert "2025 学年学生健康情况（3 所学校填报）" in out.output and "逐年变化" in out.output
    earlier = runner.invoke(app, ["health", code, "--school-year", "2024", "--database-url", url, "--json"])
    assert json.loads(earlier.output)["county"]["fitness_pass_rate"] == 145 / 176
    # the stored years' 历年趋势 shows the same rates as the fact sheet
    trend = runner.invoke(app, ["trend", code, "--database-url", url], env=ENV)
    line = next(x for x in trend.output.splitlines() if "体质健康达标率" in x)
    assert "82.4%" in line and "89.2%" in line
    missing = runner.invoke(app, ["health", "999999", "--database-url", url])
    assert missing.exit_code == 1 and "数据库中没有县区 999999" in missing.output


def test_a_workbook_without_the_sheet(tmp_path):
    out = runner.invoke(app, ["health", str(book(tmp_path))])
    assert out.exit_code == 0 and "没有「学生健康」表" in out.output


def test_the_gap_to_the_county_is_taken_from_the_shown_rates():
    from junheng.reports.renderers.health_workbook import points_gap

    # 97.04 % and 92.55 % are shown 97.0 % and 92.6 % (half up): the gap is 4.4, not 4.49 → 4.5
    assert points_gap(0.9704, 0.9255) == 4.4
    assert points_gap(None, 0.9) is None
