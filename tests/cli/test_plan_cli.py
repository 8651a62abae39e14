"""`junheng plan` and `junheng plan-settings`."""

from __future__ import annotations

import json

import openpyxl
import pytest
from typer.testing import CliRunner

from junheng.cli import app
from junheng.samples import generate_county
from junheng.templates.writer import write_county_workbook

runner = CliRunner()


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    return write_county_workbook(generate_county(schools=30, seed=3), tmp_path_factory.mktemp("p") / "县.xlsx")


def test_plan_prints_the_plan_and_writes_the_workbook(workbook, tmp_path):
    out = tmp_path / "方案.xlsx"
    shown = runner.invoke(app, ["plan", str(workbook)], env={"COLUMNS": "200"})
    assert shown.exit_code == 0, shown.output
    assert "已证明费用最低" in shown.output
    assert "调整后资源配置（评估引擎复核）" in shown.output and "达标（全部达标）" in shown.output
    assert "费用下界所依据的规则" in shown.output
    result = runner.invoke(app, ["plan", str(workbook), "--out", str(out)], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert result.stdout == ""  # --out writes the file only; the note goes to stderr
    assert f"方案已写入 {out}" in result.stderr
    assert openpyxl.load_workbook(out).sheetnames == ["方案汇总", "学校措施", "教师调配", "调整后指标", "措施（第1年）", "说明"]


def test_a_small_budget_gives_a_partial_plan_and_exit_1(workbook):
    result = runner.invoke(app, ["plan", str(workbook), "--budget", "1万"], env={"COLUMNS": "200"})
    assert result.exit_code == 1, result.output
    assert "预算不足" in result.output and "仍未达标（评估引擎复核）" in result.output


def test_usage_errors_exit_2(workbook, tmp_path):
    bad = runner.invoke(app, ["plan", str(workbook), "--budget", "不限"])
    assert bad.exit_code == 2 and "预算“不限”无法识别" in bad.output
    docx = runner.invoke(app, ["plan", str(workbook), "--out", str(tmp_path / "a.docx")])
    assert docx.exit_code == 2 and "输出文件应以" in docx.output
    settings = tmp_path / "s.yaml"
    settings.write_text("costs:\n  transfer: 很贵\n", encoding="utf-8")
    result = runner.invoke(app, ["plan", str(workbook), "--settings", str(settings)])
    assert result.exit_code == 2 and "costs.transfer 有误：应为数值" in result.output


def test_an_invalid_workbook_exits_1(tmp_path):
    path = tmp_path / "坏.xlsx"
    path.write_bytes(b"not a workbook")
    result = runner.invoke(app, ["plan", str(path)])
    assert result.exit_code == 1 and "junheng validate" in result.output


def test_plan_settings_writes_the_defaults_for_editing(tmp_path, workbook):
    path = tmp_path / "方案设置.yaml"
    result = runner.invoke(app, ["plan-settings", str(path)])
    assert result.exit_code == 0 and path.exists()
    again = runner.invoke(app, ["plan-settings", str(path)])
    assert again.exit_code == 2 and "文件已存在" in again.output
    text = path.read_text(encoding="utf-8").replace("transfer: 8000", "transfer: null")
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["plan", str(workbook), "--settings", str(path), "--json"])
    assert result.exit_code in (0, 1)
    doc = json.loads(result.stdout)
    assert not any(a["measure"] in ("transfer", "exchange") for a in doc["actions"])  # no transfers any more
    assert doc["settings"]["costs"]["transfer"] is None


def test_evaluate_with_plan_puts_the_plan_in_the_result_workbook(workbook, tmp_path):
    out = tmp_path / "结果.xlsx"
    result = runner.invoke(app, ["evaluate", str(workbook), "--plan", "--out", str(out)], env={"COLUMNS": "200"})
    assert result.exit_code == 1, result.output  # the county is not recognised (G5, G14 …)
    assert "整改方案：已证明费用最低（与费用下界相差不超过 0.01%）；方案总费用" in result.output
    assert "调整后资源配置 达标（全部达标）" in result.output
    assert "整改方案学校措施" in openpyxl.load_workbook(out).sheetnames
