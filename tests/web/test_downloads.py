"""Downloads: the blank template, a stored year's workbook, its result workbook and
HTML report — real files that open, for the county's readers only."""

from __future__ import annotations

import io

import openpyxl

from junheng.intake import read_county_workbook

from .conftest import HOME, YEAR


def test_blank_template_and_county_workbook_read_back(clients, tmp_path):
    viewer = clients["viewer"]
    blank = viewer.get("/api/template.xlsx")
    assert blank.status_code == 200 and "attachment" in blank.headers["content-disposition"]
    assert "学校" in openpyxl.load_workbook(io.BytesIO(blank.content)).sheetnames
    book = viewer.get(f"/api/counties/{HOME}/years/{YEAR}/workbook.xlsx")
    path = tmp_path / "county.xlsx"
    path.write_bytes(book.content)
    result = read_county_workbook(path)
    assert result.ok and result.data.county.code == HOME and len(result.data.schools) == 3


def test_result_workbook_and_html_report(clients):
    viewer = clients["viewer"]
    result = viewer.get(f"/api/counties/{HOME}/years/{YEAR}/result.xlsx")
    assert result.status_code == 200
    assert len(openpyxl.load_workbook(io.BytesIO(result.content)).sheetnames) >= 3
    report = viewer.get(f"/api/counties/{HOME}/years/{YEAR}/report.html")
    assert report.status_code == 200 and "测试县04" in report.text and "echarts" in report.text.lower()
    # the report inlines its scripts: it carries its own policy, and only that one
    policies = report.headers.get_list("content-security-policy")
    assert len(policies) == 1 and "script-src 'unsafe-inline'" in policies[0] and "connect-src" not in policies[0]
    assert viewer.get(f"/api/counties/{HOME}/years/1999/report.html").status_code == 404
