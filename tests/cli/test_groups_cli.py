"""`junheng groups`: groups from workbooks, with the trend over the years."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from junheng.cli import app
from junheng.templates.writer import write_county_workbook

from ..analysis.test_groups import group_county

runner = CliRunner()


def test_groups_over_three_years(tmp_path):
    paths = [write_county_workbook(group_county(area, year), tmp_path / f"{year}.xlsx")
             for area, year in ((200.0, 2023), (250.0, 2024), (300.0, 2025))]
    out = runner.invoke(app, ["groups", str(paths[2]), "-p", str(paths[0]), "-p", str(paths[1])],
                        env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    assert "■ 城关教育集团：牵头学校 学校001，成员 3 所" in out.output
    assert "4（80%）" in out.output and "3（60%）" in out.output  # R4 of B and C against A's 5
    assert "集团内差距在缩小" in out.output
    doc = json.loads(runner.invoke(app, ["groups", str(paths[2]), "--json"]).output)
    assert doc["groups"][0]["lead_code"] == "3504040001"


def test_groups_need_a_standard_with_school_indicators(tmp_path):
    path = write_county_workbook(group_county(), tmp_path / "g.xlsx")
    out = runner.invoke(app, ["groups", str(path), "--standard", "xqpp-2020"])
    assert out.exit_code == 1 and "没有逐校指标" in out.output
