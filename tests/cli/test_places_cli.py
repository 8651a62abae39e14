"""`junheng places`: capacity, 大班额 and the forecast from workbooks."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from junheng.cli import app
from junheng.templates.writer import write_county_workbook

from ..analysis.test_places import hand_county

runner = CliRunner()


def test_places_from_this_and_last_years_workbooks(tmp_path):
    now = write_county_workbook(hand_county(), tmp_path / "2025.xlsx")
    before_data = hand_county(2024)
    before_data.schools[1].extra["primary_standard_classes"] = 10
    before = write_county_workbook(before_data, tmp_path / "2024.xlsx")
    out = runner.invoke(app, ["places", str(now), "--previous", str(before)], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    # last year's 初一 of 170 is this year's 初二 of 150: 7 → 8 at 150 / 170 is learnt, so
    # C holds 170 + 150 + 150 = 470 in 2026 against 450 places
    assert "7→8 年级 88.2%" in out.output
    assert "学校003 │ 初中 │ 2026 学年 │        470 │    450 │ 学位缺 20 个" in out.output
    assert "+90" in out.output  # B: 10 → 12 standard classes
    assert "按上年工作簿" in out.output
    doc = json.loads(runner.invoke(app, ["places", str(now), "--json", "--years", "1"]).output)
    assert [r["students"] for r in doc["forecast"] if r["school_code"] == "3504040003"] == [490]


def test_places_on_a_broken_workbook(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 broken")
    out = runner.invoke(app, ["places", str(bad)])
    assert out.exit_code == 1 and "junheng validate" in out.output
