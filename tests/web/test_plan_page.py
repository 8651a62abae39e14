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


# ---------------------------------------------------------------- 分年度行动计划 (issue 14 §4)
# The weak school needs 165 ㎡ of teaching rooms (577,500 元) and 900 ㎡ of sports ground
# (585,000 元): with 100万 a year each fits in a year of its own; with 50万 a year the
# teaching rooms are built in two phases and the sports ground does not fit by 2026.

YEARLY = {"year": YEAR, "years": "2025-2027", "yearly_budget": "100万,100万,100万"}
SHORT = {"year": YEAR, "yearly_budget": "50万，50万"}


def _year_rows(html: str) -> list[list[str]]:
    import re

    table = html.split('id="year-table"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody>", 1)[1]
    return [re.findall(r"<t[hd][^>]*>([^<]*)</t[hd]>", row) for row in body.split("</tr>") if "<t" in row]


def test_a_yearly_plan_shows_each_years_figures_and_actions(clients):
    page = computed_page(clients["viewer"], f"/counties/{HOME}/plan", params=YEARLY)
    assert page.status_code == 200, page.text
    rows = _year_rows(page.text)
    assert [r[0] for r in rows] == ["第1年（2025年）", "第2年（2026年）", "第3年（2027年）"]
    # each year: budget, one-off, yearly, spent, schools, resources, verdict, still failing
    assert rows[0][1:] == ["1,000,000", "585,000", "0", "585,000", "1 所", "未达标", "预计仍不能认定", "1 项"]
    assert rows[1][1:] == ["1,000,000", "577,500", "0", "577,500", "1 所", "达标", "预计认定", "无"]
    assert rows[2][4:] == ["0", "0 所", "达标", "预计认定", "无"]
    assert 'id="budget-fits"' in page.text and "预算缺口" not in page.text
    first = page.text.split('id="year-1"', 1)[1].split('id="year-2"', 1)[0]
    assert "新增体育运动场馆" in first and "900 ㎡" in first and "新增教学及辅助用房" not in first
    second = page.text.split('id="year-2"', 1)[1].split('id="year-3"', 1)[0]
    assert "新增教学及辅助用房" in second and "165 ㎡" in second
    assert "本年无新增措施" in page.text.split('id="year-3"', 1)[1]
    # the form keeps what was typed; the downloads ask for the same plan
    assert 'value="100万,100万,100万"' in page.text and 'value="2025-2027"' in page.text
    from urllib.parse import urlencode

    query = urlencode({"yearly_budget": YEARLY["yearly_budget"], "years": YEARLY["years"]}).replace("&", "&amp;")
    assert f"plan.xlsx?{query}" in page.text and f"plan.html?{query}" in page.text


def test_a_yearly_plan_that_cannot_finish_states_the_gap(clients):
    page = computed_page(clients["viewer"], f"/counties/{HOME}/plan", params=SHORT)
    assert page.status_code == 200, page.text
    gap = page.text.split('id="budget-gap"', 1)[1].split("</p>", 1)[0]
    assert "到第2年（2026年）无法完成全部措施" in gap and "尚差 585,000 元" in gap
    assert [r[0] for r in _year_rows(page.text)] == ["第1年（2025年）", "第2年（2026年）"]
    late = page.text.split('id="year-late"', 1)[1].split("</section>", 1)[0]
    assert late.count("新增体育运动场馆") == 2 and "450 ㎡" in late  # the sports ground, in two phases


def test_the_yearly_workbook_has_a_sheet_per_year(clients):
    book = clients["viewer"].get(f"/api/counties/{HOME}/years/{YEAR}/plan.xlsx",
                                 params={k: v for k, v in SHORT.items() if k != "year"})
    assert book.status_code == 200, book.text
    wb = openpyxl.load_workbook(io.BytesIO(book.content))
    assert [n for n in wb.sheetnames if n.startswith("措施")] == ["措施（第1年）", "措施（第2年）", "措施（未安排）"]
    summary = {r[0]: r[1] for r in wb["方案汇总"].iter_rows(values_only=True) if r and r[0]}
    assert "尚差 585,000 元" in summary["预算缺口"]
    assert workbook_problems(book.content) == []


def test_bad_yearly_input_is_refused_in_chinese(clients):
    viewer = clients["viewer"]
    cases = [
        ({"yearly_budget": "500万,很多"}, "分年度预算“500万,很多”中的“很多”无法识别"),
        ({"yearly_budget": "500万", "years": "2026-2028"}, "起止年份“2026-2028”共 3 年，但填写了 1 个年度的预算"),
        ({"yearly_budget": "500万,500万", "target_year": "2030"}, "要求认定的年份 2030 不在计划年度 2025—2026 之内"),
        ({"yearly_budget": "500万", "target_year": "明年"}, "要求认定的年份“明年”无法识别"),
        ({"years": "2026-2028"}, "分年度行动计划需要各年预算"),
        ({"yearly_budget": "500万", "years": "二〇二六"}, "年度“二〇二六”无法识别"),
    ]
    for params, message in cases:
        page = viewer.get(f"/counties/{HOME}/plan", params={"year": YEAR, **params})
        assert page.status_code == 422 and message in page.text, (params, page.text[-2000:])
        api = viewer.get(f"/api/counties/{HOME}/years/{YEAR}/plan.xlsx", params=params)
        assert api.status_code == 422 and message in api.json()["error"]["message"], params


def test_the_web_shows_the_clis_figures(clients, tmp_path):
    """The same county: its stored workbook planned by `junheng plan --format json` and
    by the web page give the same years, budgets, spending, schools and verdicts."""
    import json

    from typer.testing import CliRunner

    from junheng.cli import app

    book = clients["county_admin"].get(f"/api/counties/{HOME}/years/{YEAR}/workbook.xlsx")
    assert book.status_code == 200
    path = tmp_path / "县.xlsx"
    path.write_bytes(book.content)
    for params, exit_code in ((YEARLY, 0), (SHORT, 1)):
        args = ["plan", str(path), "--yearly-budget", params["yearly_budget"], "--format", "json"]
        if "years" in params:
            args += ["--years", params["years"]]
        r = CliRunner().invoke(app, args)
        assert r.exit_code == exit_code, r.output
        doc = json.loads(r.stdout)
        page = computed_page(clients["viewer"], f"/counties/{HOME}/plan", params=params)
        web = _year_rows(page.text)
        cli = [[f"第{y['year']}年（{y['calendar_year']}年）", f"{y['budget']:,.0f}", f"{y['one_off']:,.0f}",
                f"{y['annual']:,.0f}", f"{y['spent']:,.0f}", f"{len(y['schools'])} 所",
                "达标" if y["resource_passed"] else "未达标", "预计认定" if y["recognised"] else "预计仍不能认定",
                f"{len(y['still_failing'])} 项" if y["still_failing"] else "无"] for y in doc["years"]]
        assert web == cli
        assert ('id="budget-gap"' in page.text) is (not doc["schedule"]["fits"])
        if not doc["schedule"]["fits"]:
            assert f"尚差 {doc['schedule']['shortfall']:,.0f} 元" in page.text


def test_clerks_and_other_counties_cannot_plan(clients):
    for who in ("clerk", "other_viewer", "other_admin"):
        assert clients[who].get(f"/counties/{HOME}/plan", params=YEARLY).status_code == 403, who
        assert clients[who].get(f"/api/counties/{HOME}/years/{YEAR}/plan.xlsx",
                                params={"yearly_budget": "100万"}).status_code == 403, who
    assert clients["supervisor"].get(f"/counties/{HOME}/plan", params={"year": YEAR, "budget": "2万"}).status_code == 200
