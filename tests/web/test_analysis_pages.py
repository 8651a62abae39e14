"""The analysis pages (学位与大班额, 集团化办学, 课后服务, 教师流动, 学前教育): what they show
is what the CLI computes from the same years (the stored years written back as
workbooks and run through the CLI's own service functions), their headline figures
are the fact sheet's, each has a download, and only the county dashboard's readers
see them."""

from __future__ import annotations

import dataclasses
import io
import re
from collections.abc import Iterator
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient

from junheng.analysis.afterschool import afterschool_report
from junheng.reports import numbers as fmt
from junheng.samples.years import generate_years
from junheng.services import accounts
from junheng.services.afterschool import afterschool_for_workbook
from junheng.services.groups import groups_for_workbook
from junheng.services.history import import_county_data
from junheng.services.places import places_for_workbook
from junheng.services.trends import county_flows
from junheng.settings import Settings
from junheng.templates.writer import write_county_workbook
from junheng.web.app import create_app

from ..reports.workbook_checks import workbook_problems
from .conftest import PASSWORD, USERS, sign_in

HOME, OTHER = "350404", "350502"
PAGES = ["places", "groups", "afterschool", "flows", "preschool"]
SHEETS = {
    "places": ["学位容量", "大班额", "大班额学校", "升级率", "预测", "新建学校项目", "说明"],
    "groups": None,  # the groups workbook's own sheets (not re-listed here)
    "afterschool": ["课后服务", "培训机构压减", "逐年变化", "说明"],
    "flows": ["交流轮岗比例", "调动名单", "调动矩阵", "各校交流轮岗", "填报与实际不一致", "说明"],
    "preschool": ["评估项目", "按办园性质", "幼儿园", "说明"],
}


class World:
    def __init__(self, tmp: Path):
        self.app = create_app(Settings(data_dir=tmp, web_login_max_failures=1000))
        self.engine = self.app.state.engine
        self.years = generate_years(2024, 2025, schools=30, seed=11, county_code=HOME)
        for data in self.years:
            import_county_data(self.engine, data, by="test")
        other = generate_years(2025, 2025, schools=8, seed=3, county_code=OTHER)[0]
        other.county = dataclasses.replace(other.county, name="别县")
        import_county_data(self.engine, other, by="test")
        for name, (role, region, school) in USERS.items():
            accounts.create_user(self.engine, None, username=name, password=PASSWORD, role=role,
                                 region_code=region, school_code=school)
        self.books = []
        for data in self.years:  # the stored years as the workbooks the CLI reads
            path = tmp / f"{data.county.school_year}.xlsx"
            write_county_workbook(data, path)
            self.books.append(path)


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Iterator[World]:
    w = World(tmp_path_factory.mktemp("analyses"))
    yield w
    w.engine.dispose()


@pytest.fixture(scope="module")
def clients(world) -> dict[str, TestClient]:
    out = {name: sign_in(world.app, name) for name in USERS}
    out["anonymous"] = TestClient(world.app, raise_server_exceptions=False)
    return out


def api(client: TestClient, page: str, year: int | None = 2025) -> dict:
    r = client.get(f"/api/counties/{HOME}/analyses/{page}", params={"year": year} if year else {})
    assert r.status_code == 200, r.text
    return r.json()


def cells(html: str, table_id: str) -> list[list[str]]:
    """The text of each row of a table of the page (tags stripped)."""
    body = html.split(f'id="{table_id}"', 1)[1].split("</table>", 1)[0].split("<tbody>", 1)[1]
    return [[re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def test_places_page_is_the_cli_report(world, clients):
    cli = places_for_workbook(world.books[1], [world.books[0]])
    v = api(clients["viewer"], "places")
    assert [(s["code"], s["capacity"], s["spare"], s["added"]) for s in v["schools"]] == [
        (c.school_code, c.capacity, c.spare, cli.added.get((c.school_code, c.stage))) for c in cli.capacities]
    assert v["added"] == sum(cli.added.values())
    assert [(x["code"], x["large"], x["super_large"]) for x in v["large_by_school"]] == sorted(
        ((k, a, b) for k, (a, b) in cli.large_by_school.items()), key=lambda x: (-(x[1] + x[2]), x[0]))
    assert [(f["code"], f["year"], f["students"]) for f in v["flagged"]] == [
        (x.school_code, x.year, x.students) for x in cli.flagged()]
    # the chart's county totals add up the CLI's forecast rows
    primary = v["chart"]["forecast"][0]
    assert primary["stage"] == "小学"
    assert primary["students"][1] == sum(x.students for x in cli.forecast if x.stage.value == "primary"
                                         and x.year == 2026)
    # headline figures: the fact sheet's, printed as every output prints them
    tiles = {t["id"]: t["value"] for t in v["tiles"]}
    assert tiles["capacity"] == str(sum(c.capacity for c in cli.capacities))
    big = cli.large[-1]
    assert tiles["large_class_share"] == fmt.percent((big.large + big.super_large) / big.classes)
    page = clients["viewer"].get(f"/counties/{HOME}/analyses/places", params={"year": 2025}).text
    assert f'较 2024 学年新增学位 <b id="places-added">{v["added"]}</b> 个' in page
    assert cells(page, "large")[-1][:4] == ["合计", str(big.classes), str(big.large), fmt.percent(big.large_share)]
    assert '<script type="application/json" id="analysis-data">' in page
    assert "<script>" not in page  # no inline script (the content security policy forbids it)


def test_groups_page_is_the_cli_report(world, clients):
    cli = groups_for_workbook(world.books[1], [world.books[0]])
    v = api(clients["viewer"], "groups")
    assert cli.groups, "the sample county has a school group"
    assert [g["name"] for g in v["groups"]] == [g.name for g in cli.groups]
    first, page_first = cli.groups[0], v["groups"][0]
    assert page_first["lead"] == first.lead_name
    assert [st["mean_cv"] for st in page_first["stages"]] == [fmt.cv(st.mean_cv) for st in first.stages]
    trend = next(t for t in cli.trends if t.name == first.name)
    assert page_first["trends"][0]["mean_cv"] == [fmt.cv(m) for m in trend.mean_cv]
    assert v["chart"]["years"] == ["2024", "2025"]
    tiles = {t["id"]: t["value"] for t in v["tiles"]}
    named = sum(len(g.schools) for g in cli.groups)
    assert tiles["group_schools"] == str(named)
    page = clients["viewer"].get(f"/counties/{HOME}/analyses/groups").text
    assert first.name in page and "集团内平均差异系数" in page


def test_afterschool_page_is_the_cli_report(world, clients):
    cli = afterschool_for_workbook(world.books[1], [world.books[0]])
    y = cli.current
    v = api(clients["viewer"], "afterschool")
    assert (v["offering"], v["known"], v["participants"], v["students"]) == (
        y.offering, len(y.known), y.participants, y.students)
    assert (v["coverage"], v["participation"]) == (fmt.percent(y.coverage), fmt.percent(y.participation))
    assert [t["coverage"] for t in v["trend"]] == [fmt.percent(x.coverage) for x in cli.years]
    assert sorted(s["code"] for s in v["schools"]) == sorted(s.school_code for s in y.schools)
    tiles = {t["id"]: t["value"] for t in v["tiles"]}
    assert tiles["afterschool_share"] == v["participation"]  # the fact sheet and the analysis agree
    assert tiles["afterschool_coverage"] == v["coverage"]
    assert tiles["afterschool_students"] == str(y.participants)
    # the page's years are the stored years up to the one asked: 2024 alone has no 2025
    assert [t["school_year"] for t in api(clients["viewer"], "afterschool", 2024)["trend"]] == [2024]
    assert afterschool_report([world.years[0]]).current.offering == api(
        clients["viewer"], "afterschool", 2024)["offering"]


def test_flows_page_is_the_cli_report(world, clients):
    cli = county_flows(world.engine, HOME, 2025).report
    v = api(clients["viewer"], "flows")
    assert v["problem"] is None
    assert len(v["moves"]) == len(cli.moves) > 0
    assert [(s["label"], s["rotated"], s["eligible"], s["share"]) for s in v["shares"]] == [
        ("名册实际调动", cli.real.rotated, cli.real.eligible, fmt.percent(cli.real.share)),
        ("填报的交流轮岗", cli.declared.rotated, cli.declared.eligible, fmt.percent(cli.declared.share))]
    assert sum(s["declared"] for s in v["schools"]) == cli.declared.rotated
    assert sum(s["moved_in"] for s in v["schools"]) == len(cli.moves)
    assert sum(link["value"] for link in v["chart"]["links"]) == len(cli.moves)
    names = {n["name"] for n in v["chart"]["nodes"]}
    assert all(link["source"] in names and link["target"] in names for link in v["chart"]["links"])
    tiles = {t["id"]: t["value"] for t in v["tiles"]}
    assert tiles["rotation_share"] == fmt.percent(cli.declared.share)  # the fact sheet: G11's teachers
    page = clients["viewer"].get(f"/counties/{HOME}/analyses/flows").text
    assert sum(int(r[-1]) for r in cells(page, "matrix")) == len(cli.moves)
    # the first stored year has no year before it: said on the page, the download is a 404
    first = clients["viewer"].get(f"/counties/{HOME}/analyses/flows", params={"year": 2024})
    assert first.status_code == 200 and "数据库中没有 2023 学年的数据，无法比较两年的教师名册" in first.text
    book = clients["viewer"].get(f"/api/counties/{HOME}/years/2024/flows.xlsx")
    assert book.status_code == 404 and "2023 学年" in book.json()["error"]["message"]


def test_preschool_page(world, clients):
    data = world.years[1]
    gardens = data.extra_tables["kindergartens"]
    v = api(clients["viewer"], "preschool")
    total = v["categories"][-1]
    assert (total["label"], total["kindergartens"], total["children"]) == (
        "合计", len(gardens), sum(k.children for k in gardens))
    public = v["categories"][0]
    assert public["kindergartens"] == sum(1 for k in gardens if k.category.value == "public")
    ids = [i["id"] for i in v["items"]]
    assert ids[:3] == ["X1", "X2", "X3"] and "X14" in ids
    children = sum(k.children for k in gardens)
    x1 = next(i for i in v["items"] if i["id"] == "X1")
    assert f"{children} / {data.facts['population_3_5']}" in x1["message"]
    tiles = {t["id"]: t["value"] for t in v["tiles"]}
    assert tiles["preschool.gross_enrolment"] == fmt.percent(children / data.facts["population_3_5"])
    page = clients["viewer"].get(f"/counties/{HOME}/analyses/preschool").text
    assert cells(page, "categories")[-1][:3] == ["合计", str(len(gardens)), str(children)]


def test_every_page_has_its_workbook(world, clients):
    for page in PAGES:
        r = clients["viewer"].get(f"/api/counties/{HOME}/years/2025/{page}.xlsx")
        assert r.status_code == 200, (page, r.text)
        assert "attachment" in r.headers["content-disposition"]
        book = openpyxl.load_workbook(io.BytesIO(r.content))
        if SHEETS[page] is not None:
            assert book.sheetnames == SHEETS[page], page
        assert workbook_problems(r.content) == [], page
        html = clients["viewer"].get(f"/counties/{HOME}/analyses/{page}").text
        assert f'href="/api/counties/{HOME}/years/2025/{page}.xlsx"' in html
    preschool = openpyxl.load_workbook(io.BytesIO(
        clients["viewer"].get(f"/api/counties/{HOME}/years/2025/preschool.xlsx").content))
    rows = list(preschool["按办园性质"].values)
    assert rows[-1][0] == "合计" and rows[-1][1] == len(world.years[1].extra_tables["kindergartens"])


def test_links_from_the_dashboard_and_the_nav(clients):
    dashboard = clients["viewer"].get(f"/counties/{HOME}").text
    for page in PAGES:
        assert f'href="/counties/{HOME}/analyses/{page}?year=2025"' in dashboard
    assert f'<a href="/counties/{HOME}/analyses" class="active">专项分析</a>' in clients["viewer"].get(
        f"/counties/{HOME}/analyses/places").text
    overview = clients["county_admin"].get(f"/counties/{HOME}/analyses")
    assert overview.status_code == 200
    for label in ("学位与大班额", "集团化办学", "课后服务", "教师流动", "学前教育"):
        assert label in overview.text


READERS = ["admin", "supervisor", "county_admin", "viewer"]
REFUSED = ["clerk", "clerk_b", "other_admin", "other_viewer"]


@pytest.mark.parametrize("page", PAGES)
def test_readers_are_the_dashboards(clients, page):
    urls = [f"/counties/{HOME}/analyses/{page}", f"/api/counties/{HOME}/analyses/{page}",
            f"/api/counties/{HOME}/years/2025/{page}.xlsx"]
    for name in READERS:
        for url in urls:
            assert clients[name].get(url).status_code == 200, (name, url)
    for name in REFUSED:  # a school clerk, and another county's or city's users
        for url in urls:
            r = clients[name].get(url)
            assert r.status_code == 403, (name, url, r.status_code)
            assert "测试" not in r.text and "示例县" not in r.text
    assert clients["anonymous"].get(urls[0], follow_redirects=False).status_code in (303, 401)
    assert clients["anonymous"].get(urls[1]).status_code == 401
    assert clients["anonymous"].get(urls[2]).status_code == 401
    # the other county's own users read theirs
    assert clients["other_viewer"].get(f"/counties/{OTHER}/analyses/{page}").status_code == 200
    assert clients["viewer"].get(f"/counties/{OTHER}/analyses/{page}").status_code == 403


def test_missing_years_and_pages(clients):
    r = clients["viewer"].get(f"/counties/{HOME}/analyses/places", params={"year": 2019})
    assert r.status_code == 404 and "没有县区 350404 2019 学年的数据；已有 2024、2025 学年的数据" in r.text
    assert clients["viewer"].get(f"/counties/{HOME}/analyses/budget").status_code == 422
    assert clients["admin"].get("/counties/350999/analyses/places").status_code == 404
