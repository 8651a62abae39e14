"""`junheng report`: Word and PDF from workbooks or from the database (by county code),
with Chinese errors and exit codes."""

from __future__ import annotations

import re
import subprocess

import pytest
from docx import Document as open_docx
from typer.testing import CliRunner

from junheng.cli import app
from junheng.core.facts import Stage
from junheng.reports import numbers as fmt
from junheng.reports.renderers.pdf import DRAFT_LABEL
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


# --- by county code, from the database ---------------------------------------------------


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """Two school years of a 12-school sample county imported with `junheng import`."""
    folder = tmp_path_factory.mktemp("db")
    url = f"sqlite:///{folder / 'junheng.db'}"
    for year in (2024, 2025):
        book = folder / f"{year}.xlsx"
        made = runner.invoke(app, ["sample", str(book), "--schools", "12", "--seed", "2", "--school-year", str(year)])
        assert made.exit_code == 0, made.output
        stored = runner.invoke(app, ["import", str(book), "--by", "测试", "--database-url", url])
        assert stored.exit_code == 0, stored.output
    return url, folder


def stored(url: str, year: int):
    from junheng.services.evaluation import evaluate_data
    from junheng.services.history import load, open_history

    engine = open_history(None, url)
    try:
        data = load(engine, "350404", year)
    finally:
        engine.dispose()
    return data, evaluate_data(data)


def cells_of(word) -> set[str]:
    return {c.text for t in word.tables for r in t.rows for c in r.cells}


def test_self_evaluation_of_the_latest_stored_year(database, tmp_path):
    url, _ = database
    out = tmp_path / "自评报告.docx"
    result = runner.invoke(app, ["report", "350404", "--out", str(out), "--database-url", url])
    assert result.exit_code == 0, result.output
    assert "数据库中 2025 学年第 1 版" in result.output
    word = open_docx(out)
    assert [p.text for p in word.paragraphs if p.style.name == "Heading 1"] == [
        "草稿：待补充的内容", "一、基本情况", "二、主要做法与成效", "三、资源配置", "四、政府保障程度", "五、教育质量", "六、社会认可度",
        "七、存在的问题", "八、下一步工作打算", "附表"]
    data, ev = stored(url, 2025)
    basic = next(p.text for p in word.paragraphs if p.text.startswith("示例县隶属"))
    primary = sum(s.primary_students for s in data.schools)
    assert "2025学年" in basic and f"其中小学 {primary} 人" in basic
    found = cells_of(word)
    assert all(fmt.cv(d.cv) in found for per in ev.dispersion.values() for d in per.values())
    names = {s.name for s in ev.schools}
    assert names <= found  # every evaluated school has its row


def test_annual_report_compares_the_stored_years(database, tmp_path):
    url, _ = database
    out = tmp_path / "年度答卷.docx"
    result = runner.invoke(app, ["report", "350404", "--kind", "annual", "--out", str(out), "--database-url", url])
    assert result.exit_code == 0, result.output
    assert "对比 2024 学年" in result.output
    word = open_docx(out)
    assert word.paragraphs[5].text == "示例县2025学年义务教育发展年度答卷"
    summary = next(t for t in word.tables if t.rows[0].cells[0].text == "指标")
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in summary.rows}
    assert rows["指标"] == ["2024学年", "2025学年", "变化"]
    (old, _), (new, _) = stored(url, 2024), stored(url, 2025)
    assert rows["小学在校生（人）"][:2] == [str(sum(s.primary_students for s in d.schools)) for d in (old, new)]
    assert rows["义务教育专任教师（人）"][:2] == [str(sum(1 for t in d.teachers if t.stage in (Stage.PRIMARY, Stage.JUNIOR)))
                                         for d in (old, new)]


def test_pdf_of_an_earlier_year_has_its_figures(database, tmp_path):
    url, _ = database
    out = tmp_path / "2024.pdf"
    result = runner.invoke(app, ["report", "350404", "--year", "2024", "--out", str(out), "--database-url", url])
    assert result.exit_code == 0, result.output
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True,
                                             check=True).stdout)
    data, ev = stored(url, 2024)
    assert "示例县义务教育优质均衡发展自评报告" in text and "2024学年" in text
    # (the draft watermark's letters, 征求意见稿, may fall between the words in pdftotext's order)
    assert re.search(f"义务教育阶段[{DRAFT_LABEL}]*在校生{sum(s.compulsory_students for s in data.schools)}人", text)
    assert all(fmt.cv(d.cv) in text for per in ev.dispersion.values() for d in per.values())


def test_what_the_database_lacks_is_said_in_chinese_with_the_years_it_has(database, tmp_path):
    url, _ = database
    out = str(tmp_path / "r.docx")
    cases = [
        (["report", "350404", "--year", "2023", "--out", out], "没有县区 350404 2023 学年的数据；已有 2024、2025 学年"),
        (["report", "350499", "--out", out], "数据库中没有县区 350499 的数据"),
        (["report", "350404", "--kind", "annual", "--year", "2024", "--out", out],
         "2024 学年以前没有，请先导入 2023 学年的数据"),
    ]
    for args, message in cases:
        result = runner.invoke(app, [*args, "--database-url", url])
        assert result.exit_code == 1, (args, result.output)
        assert message in result.output, (args, result.output)
    # a kindergarten standard cannot measure the compulsory-school annual report (usage: 2)
    result = runner.invoke(app, ["report", "350404", "--kind", "annual", "--standard", "xqpp-2020",
                                 "--out", out, "--database-url", url])
    assert result.exit_code == 2 and "义务教育的标准" in result.output
    assert not (tmp_path / "r.docx").exists()
