"""`junheng template` and `junheng sample` end to end (real files)."""

from __future__ import annotations

import openpyxl
from typer.testing import CliRunner

from junheng.cli import app

runner = CliRunner()


def test_template_writes_a_blank_workbook(tmp_path):
    out = tmp_path / "模板.xlsx"
    result = runner.invoke(app, ["template", str(out)])
    assert result.exit_code == 0, result.output
    assert "已生成空白模板" in result.output
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames[0] == "填表说明"
    assert wb["学校"].max_row <= 2


def test_existing_file_is_not_overwritten_without_force(tmp_path):
    out = tmp_path / "a.xlsx"
    out.write_bytes(b"keep me")
    result = runner.invoke(app, ["template", str(out)])
    assert result.exit_code == 2
    assert "文件已存在" in result.output
    assert out.read_bytes() == b"keep me"
    assert runner.invoke(app, ["template", str(out), "--force"]).exit_code == 0
    assert out.read_bytes() != b"keep me"


def test_bad_output_paths_get_chinese_messages(tmp_path):
    result = runner.invoke(app, ["template", str(tmp_path / "a.xls")])
    assert result.exit_code == 2 and ".xlsx" in result.output
    result = runner.invoke(app, ["sample", str(tmp_path / "无此目录" / "a.xlsx")])
    assert result.exit_code == 2 and "文件夹不存在" in result.output
    result = runner.invoke(app, ["sample", str(tmp_path / "b.xlsx"), "--county-code", "35040"])
    assert result.exit_code == 2 and "6 位数字" in result.output
    result = runner.invoke(app, ["sample", str(tmp_path / "b.xlsx"), "--schools", "0"])
    assert result.exit_code == 2 and "学校数应在 1—20000 之间：0" in result.output
    folder = tmp_path / "目录.xlsx"
    folder.mkdir()
    result = runner.invoke(app, ["template", str(folder), "--force"])
    assert result.exit_code == 2 and "文件夹" in result.output
    assert not (tmp_path / "b.xlsx").exists()


def test_a_failed_write_is_a_chinese_error_without_a_partial_file(tmp_path):
    not_a_folder = tmp_path / "普通文件"
    not_a_folder.write_text("x")
    result = runner.invoke(app, ["template", str(not_a_folder / "a.xlsx")])
    assert result.exit_code == 1
    assert "无法写入文件" in result.output and "a.xlsx" in result.output
    assert "Traceback" not in result.output


def test_sample_writes_a_filled_workbook_and_confirms_counts(tmp_path):
    out = tmp_path / "示例.xlsx"
    result = runner.invoke(app, ["sample", str(out), "--schools", "12", "--seed", "5"])
    assert result.exit_code == 0, result.output
    assert "已生成示例工作簿" in result.output and "12 所学校" in result.output
    wb = openpyxl.load_workbook(out, read_only=True)
    assert wb["学校"].max_row == 13
    teachers = wb["教师"].max_row - 1
    assert f"{teachers:,} 名教师" in result.output
