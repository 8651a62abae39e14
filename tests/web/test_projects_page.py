"""The 项目台账 page of a stored county-year: its readers see every project and the
fact sheet's totals; other counties' users do not; a year without the sheet says so."""

from __future__ import annotations

from junheng.analysis.factsheet import build_factsheet
from junheng.core.engine import evaluate
from junheng.core.projects import Project, ProjectKind, ProjectStatus
from junheng.services.history import import_county_data
from junheng.standards import load_standard

from .conftest import HOME, OTHER, SCHOOL_A, YEAR, county_data

NEXT = YEAR + 1


def ledger() -> list[Project]:
    return [
        Project("城关小学改扩建", ProjectKind.EXPANSION, YEAR, NEXT, ProjectStatus.COMPLETED, SCHOOL_A,
                primary_places=270, teaching_area=1800, invest_county=650.5, invest_province=300,
                progress="已交付使用", row=2),
        Project("城东学校新建", ProjectKind.NEW_SCHOOL, NEXT, NEXT + 2, ProjectStatus.BUILDING, None, "城东学校",
                primary_places=1620, junior_places=900, invest_central=2000, invest_county=7000, row=3),
        Project("岩前运动场", ProjectKind.SPORTS_GROUND, NEXT + 1, NEXT + 2, ProjectStatus.PLANNED, SCHOOL_A,
                sports_area=5000, invest_county=320, row=4),
    ]


def test_the_readers_of_the_county_see_its_ledger(world, clients):
    data = county_data(HOME, SCHOOL_A, year=NEXT)
    data.extra_tables["projects"] = ledger()
    import_county_data(world.engine, data, by="test")
    page = clients["viewer"].get(f"/counties/{HOME}/projects", params={"year": NEXT})
    assert page.status_code == 200, page.text
    html = page.text
    for text in ("城关小学改扩建", "改扩建", "已竣工", "已交付使用", "城东学校（新建）", "规划", "中央 2,000、县级 7,000",
                 f'href="/counties/{HOME}/schools/{SCHOOL_A}?year={NEXT}"'):
        assert text in html, text
    # the totals are the fact sheet's: 270 places finished in 2025, 2520 to come, 950.5 + 9000 万元
    fs = build_factsheet(data, evaluate(data, load_standard("yzjh-2017")))
    assert (fs.value("places_added"), fs.value("places_coming"), fs.value("projects.investment")) == \
        (270, 2520, 9950.5)
    totals = html.split('id="project-totals"', 1)[1].split("</table>", 1)[0]
    assert "竣工项目新增学位</th><td class=\"num\">270 个" in totals
    assert "在建和已立项项目将新增学位</th><td class=\"num\">2,520 个" in totals
    assert "9,950.5 万元" in totals
    assert f'href="/counties/{HOME}/projects?year={NEXT}"' in clients["viewer"].get(f"/counties/{HOME}").text


def test_other_counties_and_strangers_are_kept_out(clients):
    assert clients["other_viewer"].get(f"/counties/{HOME}/projects").status_code == 403
    assert clients["anonymous"].get(f"/counties/{HOME}/projects", follow_redirects=False).status_code == 303
    assert clients["supervisor"].get(f"/counties/{HOME}/projects").status_code == 200  # the city's supervisor


def test_a_year_without_the_sheet_says_so(clients):
    page = clients["viewer"].get(f"/counties/{OTHER}/projects")
    assert page.status_code == 403
    page = clients["other_viewer"].get(f"/counties/{OTHER}/projects", params={"year": YEAR})
    assert page.status_code == 200 and 'id="no-ledger"' in page.text
    missing = clients["other_viewer"].get(f"/counties/{OTHER}/projects", params={"year": 2030})
    assert missing.status_code == 404 and "2030" in missing.text


def test_a_round_carries_the_ledger_of_its_base_year_into_the_new_year(world):
    from junheng.services import accounts, collection
    from junheng.services import submission_forms as sf
    from junheng.storage.engine import read_connection

    data = county_data(HOME, SCHOOL_A, year=2030)
    data.extra_tables["projects"] = ledger()
    import_county_data(world.engine, data, by="test")
    admin = accounts.Principal(world.users["admin"], "admin", "admin", accounts.Role.ADMIN)
    round_id = collection.open_round(world.engine, admin, HOME, 2031)
    with read_connection(world.engine) as conn:
        facts = collection.load_round(conn, round_id).facts
    rows = facts[sf.PROJECTS_KEY]
    assert [r["name"] for r in rows] == ["城关小学改扩建", "城东学校新建", "岩前运动场"]
    assert (rows[0]["kind"], rows[0]["status"], rows[0]["invest_county"]) == ("改扩建", "已竣工", 650.5)
    sheet = sf.layout({"county_code": HOME, "school_year": 2031}, facts, []).sheets["项目台账"]
    assert sheet[0][:2] == ["项目名称", "学校标识码"] and len(sheet) == 4
    assert "projects" not in collection.round_detail(world.engine, admin, round_id)["facts"]
