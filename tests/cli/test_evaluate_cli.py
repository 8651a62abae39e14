"""`junheng evaluate`: exit codes, JSON on stdout, result files, Chinese errors."""

from __future__ import annotations

import json

import openpyxl
from typer.testing import CliRunner

from junheng.cli import app
from junheng.templates.writer import write_county_workbook

from ..core.builders import county, good_primary
from ..reports.counties import hand_county

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, ["evaluate", *args])


def passing_book(folder):
    data = county([good_primary("3504040001", 100), good_primary("3504040002", 200)])
    return write_county_workbook(data, folder / "达标县.xlsx")


def test_recognised_county_exits_0(tmp_path):
    result = run(str(passing_book(tmp_path)))
    assert result.exit_code == 0, result.output
    assert "评估结论：认定" in result.output and "认定依据" in result.output


def test_not_recognised_exits_1_and_writes_every_output(tmp_path):
    book = write_county_workbook(hand_county(), tmp_path / "测试县.xlsx")
    outs = [tmp_path / "结果.xlsx", tmp_path / "报告.html", tmp_path / "结果.json"]
    result = run(str(book), *[a for o in outs for a in ("--out", str(o))])
    assert result.exit_code == 1, result.output
    assert "不予认定" in result.output and "学校003" in result.output
    for o in outs:
        assert f"：{o}" in result.output
    assert openpyxl.load_workbook(outs[0]).sheetnames[0] == "汇总"
    assert "测试县义务教育优质均衡发展督导评估结果" in outs[1].read_text("utf-8")
    doc = json.loads(outs[2].read_text("utf-8"))
    assert doc["recognised"] is False and doc["county_code"] == "350404"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["报告.html", "测试县.xlsx", "结果.json", "结果.xlsx"]


def test_json_format_prints_only_json(tmp_path):
    book = write_county_workbook(hand_county(), tmp_path / "测试县.xlsx")
    result = runner.invoke(app, ["evaluate", str(book), "--format", "json", "--out", str(tmp_path / "r.html")])
    assert result.exit_code == 1
    doc = json.loads(result.stdout)  # the file note went to stderr
    assert doc["standard"] == "yzjh-2017" and "测试县" in result.stdout
    assert "已写入评估结果报告" in result.stderr


def test_workbook_with_errors_lists_them_and_writes_nothing(tmp_path):
    data = hand_county()
    book = write_county_workbook(data, tmp_path / "坏.xlsx")
    wb = openpyxl.load_workbook(book)
    ws = wb["学校"]
    header = [c.value for c in ws[1]]
    col = next(i for i, h in enumerate(header, 1) if h and "小学在校生数" in str(h))
    ws.cell(2, col).value = -12
    wb.save(book)
    out = tmp_path / "结果.xlsx"
    result = run(str(book), "--out", str(out))
    assert result.exit_code == 1
    assert "-12" in result.output and "错误" in result.output and "未进行评估" in result.output
    assert not out.exists()
    as_json = runner.invoke(app, ["evaluate", str(book), "--format", "json"])
    doc = json.loads(as_json.stdout)
    assert as_json.exit_code == 1 and doc["valid"] is False and doc["errors"] >= 1


def test_bad_input_never_a_traceback(tmp_path):
    missing = run(str(tmp_path / "没有.xlsx"))
    assert missing.exit_code == 1 and "找不到文件" in missing.output
    not_excel = tmp_path / "x.xlsx"
    not_excel.write_text("不是工作簿", encoding="utf-8")
    broken = run(str(not_excel))
    assert broken.exit_code == 1 and isinstance(broken.exception, SystemExit)  # a clean exit
    book = passing_book(tmp_path)
    unknown = run(str(book), "--standard", "没有这个标准")
    assert unknown.exit_code == 1 and "找不到该标准文件" in unknown.output
    for result in (missing, broken, unknown):
        assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)


def test_unusable_outputs_are_usage_errors_before_any_work(tmp_path):
    book = passing_book(tmp_path)
    wrong = run(str(book), "--out", str(tmp_path / "结果.docx"))
    assert wrong.exit_code == 2 and ".xlsx" in wrong.output
    (tmp_path / "已有.json").write_text("{}", encoding="utf-8")
    exists = run(str(book), "--out", str(tmp_path / "已有.json"))
    assert exists.exit_code == 2 and "--force" in exists.output
    assert (tmp_path / "已有.json").read_text(encoding="utf-8") == "{}"
    forced = run(str(book), "--out", str(tmp_path / "已有.json"), "--force")
    assert forced.exit_code == 0 and json.loads((tmp_path / "已有.json").read_text("utf-8"))["recognised"]
    twice = run(str(book), "--out", str(tmp_path / "a.json"), "--out", str(tmp_path / "a.json"))
    assert twice.exit_code == 2 and "两次" in twice.output
    no_folder = run(str(book), "--out", str(tmp_path / "没有" / "a.html"))
    assert no_folder.exit_code == 2 and "文件夹不存在" in no_folder.output
