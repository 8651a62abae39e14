"""The teacher-supply page of a stored county, its JSON and workbook, for the county's
readers only; the figures are the fact sheet's."""

from __future__ import annotations

import io

import openpyxl

from junheng.analysis.factsheet import build_factsheet
from junheng.services import history
from junheng.services.evaluation import evaluate_data
from junheng.standards import load_standard

from ..reports.workbook_checks import workbook_problems
from .conftest import HOME, OTHER, YEAR


def test_the_page_shows_the_fact_sheet_figures(clients, world):
    viewer = clients["viewer"]
    page = viewer.get(f"/counties/{HOME}/teachers", params={"year": YEAR})
    assert page.status_code == 200, page.text
    doc = viewer.get(f"/api/counties/{HOME}/years/{YEAR}/teachers").json()
    data = history.load(world.engine, HOME, YEAR)
    fs = build_factsheet(data, evaluate_data(data, load_standard("yzjh-2017")))
    assert doc["totals"]["shortage"] == fs.value("supply.shortage") > 0
    assert doc["totals"]["needed"] == fs.value("supply.needed")
    html = page.text
    assert "紧缺学科教师数（各校之和）" in html and f"{doc['totals']['shortage']} 人" in html
    assert "未填「教师」表出生年份" in html  # the stored county has no birth years: said, not 0
    dashboard = viewer.get(f"/counties/{HOME}").text
    assert f'href="/counties/{HOME}/teachers?year={YEAR}"' in dashboard


def test_the_workbook(clients):
    book = clients["viewer"].get(f"/api/counties/{HOME}/years/{YEAR}/teachers.xlsx")
    assert book.status_code == 200 and "attachment" in book.headers["content-disposition"]
    sheets = openpyxl.load_workbook(io.BytesIO(book.content)).sheetnames
    assert sheets == ["汇总", "各校学科", "全县学科", "编制", "退休", "课时表", "说明"]
    assert workbook_problems(book.content) == []


def test_other_counties_cannot_see_it(clients):
    assert clients["other_viewer"].get(f"/counties/{HOME}/teachers").status_code == 403
    assert clients["other_viewer"].get(f"/api/counties/{HOME}/years/{YEAR}/teachers.xlsx").status_code == 403
    assert clients["viewer"].get(f"/counties/{OTHER}/teachers").status_code == 403
    assert clients["anonymous"].get(f"/counties/{HOME}/teachers", follow_redirects=False).status_code in (303, 401)
