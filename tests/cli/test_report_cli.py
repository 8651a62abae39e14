"""`junheng report`: Word and PDF from workbooks, with Chinese errors and exit codes."""

from __future__ import annotations

import subprocess

from docx import Document as open_docx
from typer.testing import CliRunner

from junheng.cli import app
from junheng.samples import generate_county
from junheng.templates.writer import write_county_workbook

from ..reports.counties import hand_county

runner = CliRunner()


def test_self_evaluation_docx_from_a_workbook(tmp_path):
    book = write_county_workbook(hand_county(), tmp_path / "县.xlsx")
    out = tmp_path / "自评报告.docx"
    result = runner.invoke(app, ["report", str(book), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "自评报告已写入" in result.output
    word = open_docx(out)
    assert word.paragraphs[5].text == "测试县义务教育优质均衡发展自评报告"
    assert any(t.rows[-1].cells[1].text == "学校003" for t in word.tables)
    # Written whole: no temp file left beside it, and a second run refuses to overwrite.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["县.xlsx", "自评报告.docx"]
    again = runner.invoke(app, ["report", str(book), "--out", str(out)])
    assert again.exit_code == 2 and "--force" in again.output
    assert runner.invoke(app, ["report", str(book), "--out", str(out), "--force"]).exit_code == 0


def test_annual_pdf_from_two_years(tmp_path):
    now = write_county_workbook(generate_county(schools=8, seed=2, school_year=2025), tmp_path / "2025.xlsx")
    before = write_county_workbook(generate_county(schools=8, seed=2, school_year=2024), tmp_path / "2024.xlsx")
    out = tmp_path / "答卷.pdf"
    result = runner.invoke(app, ["report", str(now), "--kind", "annual", "--previous", str(before),
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "示例县2025学年义务教育发展年度答卷" in text.replace(" ", "")
    assert "2024—2025学年对比" in text


def test_usage_errors_exit_2_in_chinese(tmp_path):
    book = write_county_workbook(hand_county(), tmp_path / "县.xlsx")
    cases = [
        (["report", str(book), "--out", str(tmp_path / "r.txt")], "须以 .docx（Word）或 .pdf 结尾"),
        (["report", str(book), "--kind", "annual", "--out", str(tmp_path / "a.pdf")], "--previous"),
        (["report", str(book), "--kind", "annual", "--previous", str(book), "--out", str(tmp_path / "a.pdf")],
         "至少两个不同学年"),
        (["report", "350404", "--previous", str(book), "--out", str(tmp_path / "r.pdf")], "不需要 --previous"),
        (["report", str(book), "--year", "2024", "--out", str(tmp_path / "r.pdf")], "--year 只用于按县区代码"),
        (["report", "3504", "--out", str(tmp_path / "r.pdf")], "找不到工作簿：3504"),
        (["report", str(book), "--out", str(tmp_path / "无此文件夹" / "r.pdf")], "文件夹不存在"),
    ]
    for args, message in cases:
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert message in result.output, (args, result.output)


def test_a_broken_workbook_exits_1(tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"PK\x03\x04 broken")
    result = runner.invoke(app, ["report", str(bad), "--out", str(tmp_path / "r.docx")])
    assert result.exit_code == 1 and "junheng validate" in result.output
    assert not (tmp_path / "r.docx").exists()
