"""One truth for every figure: over generated counties, a figure that appears in two
outputs is the same text in both — JSON, the result workbook, the 自评报告 (Word and
PDF) and the 年度答卷 of the same year — and every stated fraction 「a / b = c%」 or
「a 人，占 … b 人的 c%」 is arithmetically right to the places it shows."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import subprocess
from decimal import Decimal

import openpyxl
import pytest
from docx import Document as open_docx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from junheng.analysis.factsheet import build_factsheet
from junheng.reports import numbers as fmt
from junheng.reports.documents.figure_text import label
from junheng.reports.documents.self_evaluation import build_self_evaluation
from junheng.reports.documents.yearly import AnnualData, YearData
from junheng.reports.renderers.docx import render_docx
from junheng.reports.renderers.figures_sheet import TITLE as FIGURES_SHEET
from junheng.reports.renderers.html import render_html_report
from junheng.reports.renderers.json import evaluation_to_json
from junheng.reports.renderers.xlsx import write_result_workbook
from junheng.samples import generate_county
from junheng.services.evaluation import evaluate_data
from junheng.standards import load_standard

DATE = dt.date(2026, 3, 1)
YZJH = load_standard("yzjh-2017")
FRACTION = re.compile(r"(\d+) / (\d+) = (\d+(?:\.\d+)?)%")
SHARE_OF = re.compile(r"(\d+) 人[^。；（]*?占[^。；（\d]*?(\d+) 人的 (\d+(?:\.\d+)?)%")
NUMBER = re.compile(r"[−+-]?\d+(?:\.\d+)?")


def county_years(schools: int, seed: int):
    years = []
    for year in (2024, 2025):
        data = generate_county(schools=schools, seed=seed, school_year=year)
        years.append((data, evaluate_data(data, YZJH)))
    return years


def word_text(docx_bytes: bytes) -> tuple[str, list[list[list[str]]]]:
    word = open_docx(io.BytesIO(docx_bytes))
    text = "\n".join(p.text for p in word.paragraphs)
    tables = [[[c.text for c in r.cells] for r in t.rows] for t in word.tables]
    return text, tables


def table_by_header(tables, first: str, second: str | None = None):
    for t in tables:
        if t[0][0] == first and (second is None or t[0][1] == second):
            return t
    raise KeyError(first)


def check_fractions(text: str) -> int:
    """Every 「a / b = c%」 and 「a 人…占…b 人的 c%」 rounds (half-up, at c's places) right."""
    checked = 0
    for pattern in (FRACTION, SHARE_OF):
        for a, b, c in pattern.findall(text):
            places = len(c.split(".")[1]) if "." in c else 0
            if int(b) == 0:
                continue
            exact = Decimal(a) * 100 / Decimal(b)
            shown = Decimal(c)
            # the engine prints 8% for 8.00% (trailing zeros dropped): compare as numbers
            assert fmt.rounded(exact, max(places, 2)).normalize() == shown.normalize() or \
                fmt.rounded(exact, places) == shown, f"{a} / {b} ≠ {c}%"
            checked += 1
    return checked


def check_changes(rows: list[list[str]]) -> None:
    """The 变化 column is the difference of the two shown values beside it."""
    for name, old, new, change in rows[1:]:
        if fmt.MISSING in (old, new, change):
            continue
        a, b = Decimal(NUMBER.search(old).group()), Decimal(NUMBER.search(new).group())
        if change == "持平":
            assert a == b, (name, old, new, change)
            continue
        d = Decimal(NUMBER.search(change).group().replace("−", "-"))
        assert b - a == d, (name, old, new, change)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(schools=st.integers(min_value=6, max_value=18), seed=st.integers(min_value=0, max_value=10_000))
def test_every_figure_is_one_figure_everywhere(tmp_path, schools, seed):
    (old_data, old_ev), (data, ev) = county_years(schools, seed)
    facts = build_factsheet(data, ev)
    shown = {k: fmt.shown(f) for k, f in facts.figures.items()}

    # JSON: the same shown text and the unrounded value.
    doc = json.loads(evaluation_to_json(ev, facts=facts))
    assert {k: v["shown"] for k, v in doc["figures"].items()} == shown
    assert doc["figures"]["students"]["value"] == sum(s.compulsory_students for s in data.schools)

    # The result workbook: the 主要数据 sheet holds the shown values as numbers.
    path = tmp_path / f"r{seed}.xlsx"
    write_result_workbook(ev, path, facts=facts)
    ws = openpyxl.load_workbook(path)[FIGURES_SHEET]
    cells = {r[0]: r[1] for r in ws.iter_rows(min_row=4, values_only=True)}
    for f in facts.figures.values():
        value = cells[f.definition.name]
        if f.value is None:
            assert value == fmt.MISSING
        else:
            assert fmt.by_kind(value, f.definition.kind) == shown[f.id], f.id

    # The HTML page's 主要数据 line.
    page = render_html_report(ev, DATE, facts=facts)
    for fid in ("schools", "students", "teachers", "classes", "rotation_share"):
        unit = facts[fid].definition.unit
        assert f"{facts[fid].definition.name} {shown[fid]}{'' if unit == '%' else ' ' + unit}" in page, fid

    # The 自评报告 (Word): 基本情况 sentence and table from the same figures.
    text, tables = word_text(render_docx(build_self_evaluation(ev, data, YZJH, date=DATE)))
    assert f"义务教育阶段学校 {shown['schools']} 所" in text
    assert f"义务教育阶段在校生 {shown['students']} 人，其中小学 {shown['students.primary']} 人" in text
    assert f"义务教育阶段专任教师 {shown['teachers']} 人" in text
    stages = table_by_header(tables, "学段", "有该学段学生的学校（所）")
    for row, stage in zip(stages[1:], ("primary", "junior"), strict=True):
        assert row[1:] == [shown[f"{k}.{stage}"] for k in ("schools", "students", "teachers", "classes",
                                                              "class_size", "student_teacher_ratio")]
    assert check_fractions(text) > 0

    # The 年度答卷 of the same year: its current column is the same text, 变化 agrees.
    from junheng.reports.documents.annual import SUMMARY_IDS, build_annual

    annual = build_annual(AnnualData([YearData(old_ev, old_data), YearData(ev, data)]), DATE)
    a_text, a_tables = word_text(render_docx(annual))
    summary = table_by_header(a_tables, "指标")
    rows = {r[0]: r for r in summary[1:]}
    old_facts = build_factsheet(old_data, old_ev)
    for fid in SUMMARY_IDS:
        if fid in facts and (facts.has(fid) or old_facts.has(fid)):
            assert rows[label(facts, fid)][2] == shown[fid], fid
            assert rows[label(facts, fid)][1] == fmt.shown(old_facts[fid]), fid
    check_changes(summary)
    for t in a_tables:
        if t[0][-1] == "变化":
            check_changes(t)
    assert f"交流轮岗教师 {shown['rotated']} 人，占符合交流条件教师 {shown['rotation_eligible']} 人的 " \
           f"{shown['rotation_share']}" in a_text
    assert check_fractions(a_text) > 0


def test_the_pdf_says_what_the_word_file_says(tmp_path):
    """pdftotext of the 自评报告: the fact-sheet figures as the Word file prints them."""
    from junheng.reports.renderers.pdf import render_pdf

    data = generate_county(schools=12, seed=3)
    ev = evaluate_data(data, YZJH)
    facts = build_factsheet(data, ev)
    path = tmp_path / "r.pdf"
    render_pdf(build_self_evaluation(ev, data, YZJH, date=DATE), path)
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True,
                                             text=True, check=True).stdout)
    for fid in ("schools", "students", "teachers", "students.primary", "teachers.junior"):
        assert f"{fmt.shown(facts[fid])}{facts[fid].definition.unit}" in text, fid
    stages = re.sub(r"\s+", "", "".join(fmt.shown(facts[f"{k}.primary"]) for k in ("schools", "students")))
    assert stages in text


def test_rotation_in_the_self_evaluation_is_the_fact_sheets():
    data = generate_county(schools=40, seed=2025)
    ev = evaluate_data(data, YZJH)
    facts = build_factsheet(data, ev)
    assert f"{facts.count('rotated')} / {facts.count('rotation_eligible')} =" in ev.items["G11"].message


def test_the_fraction_check_can_fail():
    assert check_fractions("交流轮岗比例：56 / 700 = 8%") == 1
    with pytest.raises(AssertionError):
        check_fractions("交流轮岗比例：56 / 700 = 8.1%")
    with pytest.raises(AssertionError):
        check_changes([["指标", "上", "本", "变化"], ["x", "12.3%", "12.5%", "+0.1 个百分点"]])

