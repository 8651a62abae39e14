"""The 项目台账 page in real Chromium: the bureau follows the dashboard's link, reads its
projects and the year's totals, and switches to a year whose workbook had no ledger.
A screenshot is kept under artifacts/."""

from __future__ import annotations

import pytest

from junheng.services import accounts
from junheng.services.history import import_county_data
from junheng.settings import Settings
from junheng.storage.schema import open_database

from .conftest import HOME, PASSWORD, SCHOOL_A, county_data
from .test_browser import ARTIFACTS, chromium, open_page, serve
from .test_projects_page import NEXT, ledger


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("serve-projects")
    engine = open_database(Settings(data_dir=data_dir))
    accounts.create_user(engine, None, username="bureau", password=PASSWORD, role="county_admin",
                         region_code=HOME, display_name="教育局")
    import_county_data(engine, county_data(HOME, SCHOOL_A), by="seed")  # 2024: no 项目台账
    data = county_data(HOME, SCHOOL_A, year=NEXT)
    data.extra_tables["projects"] = ledger()
    import_county_data(engine, data, by="seed")
    engine.dispose()
    for base in serve(data_dir):
        for browser in chromium():
            yield base, browser


def test_the_bureau_reads_its_ledger(site):
    base, browser = site
    errors: list[str] = []
    page = open_page(browser, base, "bureau", errors)
    page.goto(f"{base}/counties/{HOME}")
    page.click(f'a[href="/counties/{HOME}/projects?year={NEXT}"]')
    page.wait_for_load_state("networkidle")
    rows = page.locator("#projects tbody tr")
    assert rows.count() == 3
    first = rows.nth(0).inner_text()
    assert "城关小学改扩建" in first and "已竣工" in first and "已交付使用" in first
    assert "城东学校（新建）" in rows.nth(1).inner_text()
    totals = page.inner_text("#project-totals")
    assert "竣工项目新增学位\t270 个" in totals and "在建和已立项项目将新增学位\t2,520 个" in totals
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "projects-page.png"), full_page=True)
    # another year, picked from the list: its workbook had no 项目台账
    page.select_option("select[name=year]", str(NEXT - 1))
    page.wait_for_selector("#no-ledger")
    assert page.url.endswith(f"/projects?year={NEXT - 1}")
    assert errors == []


def test_the_bureau_adds_a_project_on_a_phone(site):
    """At 375 px: the form, a mistake said in the workbook's words, then the project in
    the list and in the year's totals; nothing wider than the screen."""
    from .test_browser_plan import overflow, signed_in

    base, browser = site
    errors: list[str] = []
    page = signed_in(browser, base, 375, errors)
    page.goto(f"{base}/counties/{HOME}/projects?year={NEXT}")
    assert overflow(page) <= 0
    page.click("#add-project")
    page.wait_for_selector("#project-form")
    assert overflow(page) <= 0
    page.fill("input[name=name]", "实验小学宿舍楼")
    page.select_option("select[name=school_code]", SCHOOL_A)
    page.select_option("select[name=kind]", "宿舍")
    page.fill("input[name=start_year]", str(NEXT))
    page.fill("input[name=finish_year]", str(NEXT - 1))  # before it starts: refused
    page.select_option("select[name=status]", "在建")
    page.fill("input[name=beds]", "300")
    page.fill("input[name=dorm_area]", "2400")
    page.fill("input[name=invest_county]", "900")
    page.click("#project-form button[type=submit]")
    page.wait_for_selector("#project-issues")
    assert "「竣工年份」的值 2024 早于开工年份 2025" in page.inner_text("#project-issues")
    assert "has-error" in page.get_attribute("input[name=finish_year]", "class")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "project-form-375.png"), full_page=True)
    page.fill("input[name=finish_year]", str(NEXT + 1))
    page.click("#project-form button[type=submit]")
    page.wait_for_selector("#projects")
    assert "已新增项目“实验小学宿舍楼”" in page.inner_text("body")
    assert page.locator("#projects tbody tr").count() == 4
    assert "实验小学宿舍楼" in page.inner_text("#projects")
    totals = page.inner_text("#project-totals")  # the fact sheet's, refreshed: 9,950.5 + 900 万元
    assert "建设项目\t4 个" in totals and "本学年竣工和在建项目总投资\t10,850.5 万元" in totals
    assert overflow(page) <= 0
    page.screenshot(path=str(ARTIFACTS / "projects-edited-375.png"), full_page=True)
    assert errors == []
