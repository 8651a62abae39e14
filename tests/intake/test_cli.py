"""`junheng validate`: output formats and exit codes (0 ok, 1 invalid input, 2 usage)."""

from __future__ import annotations

import json

from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

from junheng.cli import app

from .books import book, valid_sheets

runner = CliRunner(env={"COLUMNS": "300"})  # no wrapping inside asserted text


def broken_book(tmp_path):
    sheets = valid_sheets()
    sheets["学校"][1][7] = -12  # error
    sheets["县级指标"].append(["不存在的项目", 1])  # warning
    return book(tmp_path, sheets, "broken.xlsx")


def test_valid_workbook_exits_0(tmp_path):
    result = runner.invoke(app, ["validate", str(book(tmp_path))])
    assert result.exit_code == 0, result.output
    assert "错误 0 条，警告 0 条" in result.output


def test_errors_exit_1_with_a_chinese_table(tmp_path):
    result = runner.invoke(app, ["validate", str(broken_book(tmp_path))])
    assert result.exit_code == 1
    assert "严重程度" in result.output and "说明" in result.output
    assert "不能小于 0" in result.output
    assert "broken.xlsx：错误 1 条，警告 1 条" in result.output


def test_warnings_alone_exit_0(tmp_path):
    sheets = valid_sheets()
    sheets["学校"][1][7] = " 80 "
    result = runner.invoke(app, ["validate", str(book(tmp_path, sheets))])
    assert result.exit_code == 0
    assert "错误 0 条，警告 1 条" in result.output


def test_json_lists_issue_dicts_and_counts(tmp_path):
    out = tmp_path / "issues.json"
    result = runner.invoke(app, ["validate", str(broken_book(tmp_path)), "--format", "json",
                                 "--out", str(out)])
    assert result.exit_code == 1
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert (doc["file"], doc["valid"], doc["errors"], doc["warnings"]) == ("broken.xlsx", False, 1, 1)
    first = doc["issues"][0]
    assert (first["code"], first["severity"], first["sheet"], first["row"], first["column"],
            first["value"]) == ("value-below-min", "error", "学校", 2, "H", -12)
    assert first["header"] == "小学在校生数（人）"


def test_json_to_stdout(tmp_path):
    result = runner.invoke(app, ["validate", str(book(tmp_path)), "-f", "json"])
    assert result.exit_code == 0
    assert json.loads(result.output)["issues"] == []


def test_xlsx_issue_list(tmp_path):
    out = tmp_path / "问题清单.xlsx"
    result = runner.invoke(app, ["validate", str(broken_book(tmp_path)), "--format", "xlsx",
                                 "--out", str(out)])
    assert result.exit_code == 1
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("问题清单").to_python()
    assert rows[0][:7] == ["严重程度", "工作表", "行", "列", "列名", "值", "说明"]
    assert rows[1][:6] == ["错误", "学校", 2.0, "H", "小学在校生数（人）", -12.0]
    assert rows[1][6].endswith('的值 "-12" 不能小于 0')
    assert rows[2][0] == "警告" and rows[2][1] == "县级指标"


def test_xlsx_default_output_next_to_the_workbook(tmp_path):
    result = runner.invoke(app, ["validate", str(broken_book(tmp_path)), "-f", "xlsx"])
    assert result.exit_code == 1
    assert (tmp_path / "broken-问题清单.xlsx").is_file()


def test_missing_file_is_invalid_input_exit_1(tmp_path):
    result = runner.invoke(app, ["validate", str(tmp_path / "nope.xlsx")])
    assert result.exit_code == 1
    assert "找不到文件「nope.xlsx」" in result.output
    assert "Traceback" not in result.output


def test_not_a_workbook_exit_1(tmp_path):
    path = tmp_path / "a.xlsx"
    path.write_text("hello", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1
    assert "不是 Excel 工作簿" in result.output


def test_usage_errors_exit_2(tmp_path):
    assert runner.invoke(app, ["validate"]).exit_code == 2
    assert runner.invoke(app, ["validate", str(book(tmp_path)), "--format", "pdf"]).exit_code == 2
    unwritable = tmp_path / "no-such-dir" / "out.json"
    result = runner.invoke(app, ["validate", str(book(tmp_path)), "-f", "json", "--out",
                                 str(unwritable)])
    assert result.exit_code == 2
    assert "无法写入输出文件" in result.output


def test_limit_caps_the_table(tmp_path):
    sheets = valid_sheets()
    for row in sheets["教师"][1:]:
        row[7] = "不详"
    path = book(tmp_path, sheets)
    result = runner.invoke(app, ["validate", str(path), "--limit", "2"])
    assert result.exit_code == 1
    assert "仅显示前 2 条，共 5 条" in result.output


def test_values_that_look_like_markup_print_as_typed(tmp_path):
    sheets = valid_sheets()
    sheets["教师"][2][6] = "[bold]是[/bold]"
    sheets["教师"][3][6] = "[/]"
    result = runner.invoke(app, ["validate", str(book(tmp_path, sheets, "[x].xlsx"))])
    assert result.exit_code == 1
    assert '"[bold]是[/bold]"' in result.output and '"[/]"' in result.output
    assert "[x].xlsx：错误 2 条" in result.output
