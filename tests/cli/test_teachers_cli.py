"""`junheng teachers`: from a workbook and from the database; text, JSON and the workbook."""

from __future__ import annotations

import json

import openpyxl
from typer.testing import CliRunner

from junheng.cli import app
from junheng.templates.writer import write_county_workbook

from ..analysis.test_teacher_supply import hand_county
from ..reports.workbook_checks import workbook_problems

runner = CliRunner()


def birth_years_typed_in_excel(path):
    """As a clerk would: 出生年份 typed as numbers with a number format, 性别 as text."""
    wb = openpyxl.load_workbook(path)
    ws = wb["教师"]
    head = {c.value.split("（")[0]: c.column for c in ws[1] if c.value}
    for row in range(2, ws.max_row + 1):
        ws.cell(row, head["出生年份"], 1968 if row == 2 else 1990).number_format = "0"
        ws.cell(row, head["性别"], "男")
    wb.save(path)


def test_text_json_and_workbook(tmp_path):
    path = write_county_workbook(hand_county(), tmp_path / "县.xlsx")
    birth_years_typed_in_excel(path)
    out = runner.invoke(app, ["teachers", str(path)], env={"COLUMNS": "200"})
    assert out.exit_code == 0, out.output
    assert "紧缺学科教师 34 人（2 所学校）" in out.output  # hand-checked in tests/analysis
    assert "2025—2029 年退休教师 1 人：语文 1 人" in out.output  # born 1968, a man: 60 y 11 m → 2029
    doc = json.loads(runner.invoke(app, ["teachers", str(path), "--format", "json"]).output)
    assert doc["totals"]["shortage"] == 34 and doc["totals"]["retiring_by_subject"] == {"语文": 1}
    chinese = next(x for s in doc["schools"] if s["school_code"] == "3504040001" for x in s["subjects"]
                   if x["subject"] == "语文")
    assert (chinese["periods"], chinese["needed"], chinese["have"], chinese["shortage"]) == (80, 6, 4, 2)
    book = tmp_path / "师资.xlsx"
    written = runner.invoke(app, ["teachers", str(path), "--out", str(book), "--format", "json"])
    assert written.exit_code == 0 and json.loads(written.stdout)["totals"]["shortage"] == 34
    assert workbook_problems(book) == []
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["汇总", "各校学科", "全县学科", "编制", "退休", "课时表", "说明"]
    summary = {r[0]: r[1] for r in wb["汇总"].iter_rows(min_row=3, values_only=True) if r[0]}
    assert summary["紧缺学科教师数（人）"] == 34 and summary["有编不补数（人）"] == "—"
    again = runner.invoke(app, ["teachers", str(path), "--out", str(book)])
    assert again.exit_code == 2 and "--force" in again.output


def test_from_the_database(tmp_path):
    path = write_county_workbook(hand_county(), tmp_path / "县.xlsx")
    url = f"sqlite:///{tmp_path / 'junheng.db'}"
    assert runner.invoke(app, ["import", str(path), "--database-url", url]).exit_code == 0
    out = runner.invoke(app, ["teachers", "350404", "--database-url", url, "--format", "json"])
    assert out.exit_code == 0, out.output
    assert json.loads(out.output)["totals"]["shortage"] == 34
    none = runner.invoke(app, ["teachers", "350404", "--year", "2019", "--database-url", url])
    assert none.exit_code == 1 and "没有县区 350404 2019 学年" in none.output


def test_usage_errors(tmp_path):
    missing = runner.invoke(app, ["teachers", "不存在.xlsx"])
    assert missing.exit_code == 1  # a workbook that is not there
    code = runner.invoke(app, ["teachers", "12345"])
    assert code.exit_code == 2 and "6 位县区代码" in code.output
    path = write_county_workbook(hand_county(), tmp_path / "县.xlsx")
    bad = tmp_path / "设置.yaml"
    bad.write_text("workload: {junior: -1}\n", encoding="utf-8")
    out = runner.invoke(app, ["teachers", str(path)], env={"JUNHENG_TEACHER_SUPPLY": str(bad)})
    assert out.exit_code == 2 and "设置.yaml 的 workload.junior" in out.output
