"""The plan page of a stored county and its downloads, for the county's readers only."""

from __future__ import annotations

import io

import openpyxl

from ..reports.workbook_checks import workbook_problems
from .conftest import HOME, OTHER, YEAR, computed_page


def test_the_plan_page_shows_the_cheapest_plan(clients):
    viewer = clients["viewer"]
    page = computed_page(viewer, f"/counties/{HOME}/plan", params={"year": YEAR})
    assert page.status_code == 200, page.text
    html = page.text
    assert "资源配置整改方案" in html and "已证明费用最低" in html
    assert "新增教学及辅助用房" in html and "新增体育运动场馆" in html  # the weak school's R4 and R5
    assert "调整后资源配置（评估引擎复核）" in html and "达标（全部达标）" in html
    assert "<script" not in html.split("</header>", 1)[-1].split("<footer", 1)[0]  # no inline script
    dashboard = viewer.get(f"/counties/{HOME}").text
    assert f'href="/counties/{HOME}/plan?year={YEAR}"' in dashboard


def test_a_budget_gives_a_partial_plan_and_a_bad_budget_is_said(clients):
    viewer = clients["viewer"]
    small = computed_page(viewer, f"/counties/{HOME}/plan", params={"year": YEAR, "budget": "1万"})
    assert small.status_code == 200 and "预算不足" in small.text and "仍未达标（评估引擎复核）" in small.text
    bad = viewer.get(f"/counties/{HOME}/plan", params={"budget": "很多"})
    assert bad.status_code == 422 and "预算“很多”无法识别" in bad.text


def test_downloads(clients):
    viewer = clients["viewer"]
    book = viewer.get(f"/api/counties/{HOME}/years/{YEAR}/plan.xlsx")
    assert book.status_code == 200 and "attachment" in book.headers["content-disposition"]
    sheets = openpyxl.load_workbook(io.BytesIO(book.content)).sheetnames
    assert sheets == ["方案汇总", "学校措施", "教师调配", "调整后指标", "措施（第1年）", "说明"]
    assert workbook_problems(book.content) == []
    page = viewer.get(f"/api/counties/{HOME}/years/{YEAR}/plan.html")
    assert page.status_code == 200 and "整改方案" in page.text and "echarts" in page.text.lower()
    policies = page.headers.get_list("content-security-policy")
    assert len(policies) == 1 and "script-src 'unsafe-inline'" in policies[0]


def test_other_counties_cannot_see_it(clients):
    assert clients["other_viewer"].get(f"/counties/{HOME}/plan").status_code == 403
    assert clients["other_viewer"].get(f"/api/counties/{HOME}/years/{YEAR}/plan.xlsx").status_code == 403
    assert clients["viewer"].get(f"/counties/{OTHER}/plan").status_code == 403
    assert clients["anonymous"].get(f"/counties/{HOME}/plan", follow_redirects=False).status_code in (303, 401)
