"""年度答卷: figures against hand-made counties, three years, and the Word file."""

from __future__ import annotations

import io

import pytest
from docx import Document as open_docx
from docx.oxml.ns import qn

from junheng.reports.renderers.docx import render_docx
from junheng.services.reporting import ReportRequestError, annual_document

from ..analysis.test_places import hand_county
from .counties import DATE


def years():
    """2025: places 540 + 540 + 450 = 1530 (hand_county); 2024: 学校002 had 10 standard
    classes (450 places) → 1440; 2023 as 2024 with one class of 58 (大班额)."""
    now = hand_county(2025)
    before = hand_county(2024)
    before.schools[1].extra["primary_standard_classes"] = 10
    older = hand_county(2023)
    older.schools[1].extra["primary_standard_classes"] = 10
    older.classes[0].students = 58
    return older, before, now


def rows_of(doc, key):
    table = doc.table(key)
    return {r[0].text: [c.text for c in r[1:]] for r in table.rows}


def test_summary_against_hand_numbers():
    older, before, now = years()
    doc = annual_document([now, before], date=DATE)
    rows = rows_of(doc, "summary")
    assert rows["义务教育学位数（个）"] == ["1440", "1530", "+90"]
    assert rows["义务教育学校（所）"] == ["3", "3", "持平"]
    assert rows["小学在校生（人）"] == ["1040", "1040", "持平"]
    assert rows["大班额比例"] == ["0.0%", "0.0%", "持平"]
    text = "".join(p.text for s in doc.walk() for p in s.blocks if hasattr(p, "text"))
    assert "全县义务教育学位 1530 个，其中小学 1080 个、初中 450 个，比上学年增加 90 个。" in text


def test_three_years_add_a_trend_table_and_compare_the_last_two():
    older, before, now = years()
    doc = annual_document([before, now, older], date=DATE)  # any order
    trend = rows_of(doc, "trend")
    assert [c.text for c in doc.table("trend").header[0]] == ["指标", "2023学年", "2024学年", "2025学年"]
    assert trend["义务教育学位数（个）"] == ["1440", "1440", "1530"]
    # 2023: one class of 58 among 12 + 12 + 10 = 34 classes
    assert trend["大班额比例"][0] == "2.9%"
    assert doc.subtitle == "2024—2025学年对比"


def test_annual_word_file_has_numbered_tables_and_charts():
    _, before, now = years()
    doc = annual_document([before, now], date=DATE)
    word = open_docx(io.BytesIO(render_docx(doc)))
    h1 = [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
    assert h1[:6] == ["草稿：待补充的内容", "一、总体情况", "二、学位供给与大班额", "三、资源配置均衡", "四、教师队伍", "五、教育投入"]
    captions = [p.text for p in word.paragraphs if p.style.name == "图表标题"]
    assert captions[0] == "表1  主要指标对比" and "图1  班额情况对比" in captions
    assert len(word.inline_shapes) == len(doc.figures())
    assert word.element.body.find(f".//{qn('w:sdt')}") is not None  # 下一步工作 to fill in


def test_annual_needs_two_years_of_one_county():
    _, before, now = years()
    with pytest.raises(ReportRequestError, match="至少两个不同学年"):
        annual_document([now, hand_county(2025)])
    other = hand_county(2024)
    other.county.code = "110101"
    with pytest.raises(ReportRequestError, match="不同的县"):
        annual_document([now, other])


def test_three_years_trend_has_the_stage_funding_and_its_verdict_per_year():
    """hand_county carries the builders' 13,500 / 19,800 (小学 / 初中 教育经费) and 2,900 /
    4,100 (公用经费); 2024's 初中 公用经费 falls to 4,000 against 2023's 4,100."""
    older, before, now = years()
    for data, public_junior in ((older, 4100), (before, 4000), (now, 4200)):
        data.facts.update(public_funds_per_student_junior=public_junior,
                          public_funds_per_student_junior_prev=3950)
    doc = annual_document([older, before, now], date=DATE)
    trend = rows_of(doc, "trend")
    assert trend["小学生均一般公共预算教育经费（元）"] == ["13500.00", "13500.00", "13500.00"]
    assert trend["初中生均一般公共预算公用经费（元）"] == ["4100.00", "4000.00", "4200.00"]
    text = "".join(p.text for s in doc.walk() for p in s.blocks if hasattr(p, "text"))
    # The sentence prints the amounts as the table above it does (no thousands separator).
    assert ("分学段生均一般公共预算教育经费和公用经费逐年只增不减：2023学年达到；2024学年未达到（初中生均一般公共预算"
            "公用经费 4000.00 元，低于上年 4100.00 元）；2025学年达到。") in text
