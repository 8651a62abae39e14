"""`--confirm SHEET!CELL` and `--confirmations FILE` on every command that reads a
county workbook: an implausible value stops validate/evaluate/import/report/plan
until it is confirmed."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from junheng.cli import app
from junheng.templates.writer import write_county_workbook

from ..core.builders import county, good_primary

runner = CliRunner(env={"COLUMNS": "300"})


@pytest.fixture
def book(tmp_path):
    """A county whose first school has 2,000 万元 of equipment for 100 pupils:
    200,000 元 per pupil, twice the plausible upper limit (and R6 fails once read)."""
    data = county([good_primary("3504040001", 100, equipment=2000),
                   good_primary("3504040002", 200)])
    return write_county_workbook(data, tmp_path / "设备县.xlsx")


def ref_of(book) -> str:
    out = runner.invoke(app, ["validate", str(book), "--format", "json"])
    assert out.exit_code == 1, out.output
    doc = json.loads(out.output)
    [issue] = [i for i in doc["issues"] if i["code"] == "value-implausible"]
    assert doc["errors"] == 1
    return f"{issue['sheet']}!{issue['column']}{issue['row']}"


def test_validate_and_evaluate_stop_until_confirmed(book):
    ref = ref_of(book)
    assert ref.startswith("学校!")
    stopped = runner.invoke(app, ["evaluate", str(book)])
    assert stopped.exit_code == 1
    assert "生均教学仪器设备值 200000 元" in stopped.output and ref in stopped.output
    assert "--confirm" in stopped.output
    assert "评估结论" not in stopped.output
    ok = runner.invoke(app, ["validate", str(book), "--confirm", ref])
    assert ok.exit_code == 0, ok.output
    assert "确认无误" in ok.output
    done = runner.invoke(app, ["evaluate", str(book), "--confirm", ref])
    assert done.exit_code == 1, done.output  # evaluated: not recognised (R6)
    assert "评估结论：不予认定" in done.output and "R6 仪器设备" in done.output


def test_a_confirmation_list_file_with_value_and_reason(book, tmp_path):
    ref = ref_of(book)
    good = tmp_path / "已核实.txt"
    good.write_text(f"# 已核实的数值\n{ref} = 2000  新建实验楼，设备一次性购置\n", encoding="utf-8")
    out = runner.invoke(app, ["evaluate", str(book), "--confirmations", str(good), "--format", "json"])
    assert json.loads(out.output)["recognised"] is False  # evaluated
    stale = tmp_path / "旧清单.txt"
    stale.write_text(f"{ref} = 1800\n", encoding="utf-8")  # confirmed another value: lapsed
    out = runner.invoke(app, ["evaluate", str(book), "--confirmations", str(stale), "--format", "json"])
    assert json.loads(out.output)["valid"] is False


def test_import_report_and_plan_take_the_confirmation(book, tmp_path):
    ref = ref_of(book)
    url = f"sqlite:///{tmp_path / 'j.db'}"
    assert runner.invoke(app, ["import", str(book), "--database-url", url]).exit_code == 1
    stored = runner.invoke(app, ["import", str(book), "--database-url", url, "--confirm", ref])
    assert stored.exit_code == 0, stored.output
    docx = tmp_path / "自评报告.docx"
    assert runner.invoke(app, ["report", str(book), "-o", str(docx)]).exit_code == 1
    assert not docx.exists()
    made = runner.invoke(app, ["report", str(book), "-o", str(docx), "--confirm", ref])
    assert made.exit_code == 0, made.output
    assert docx.stat().st_size > 0
    assert runner.invoke(app, ["plan", str(book)]).exit_code == 1
    planned = runner.invoke(app, ["plan", str(book), "--confirm", ref, "--json"])
    assert planned.exit_code == 0, planned.output
    assert "status" in json.loads(planned.output)


@pytest.mark.parametrize("args", [["--confirm", "学校N12"], ["--confirmations", "没有这个文件.txt"]])
def test_bad_confirmations_are_usage_errors(book, args):
    out = runner.invoke(app, ["validate", str(book), *args])
    assert out.exit_code == 2
    assert "错误：" in out.output
