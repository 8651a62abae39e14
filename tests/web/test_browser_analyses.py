"""The analysis pages in real headless Chromium at a phone's 360 px and a desktop's
1366 px: no horizontal page overflow (wide tables scroll inside their box), every
chart drawn (ECharts, served locally), no script error, charts follow a resize.
Screenshots are kept under artifacts/.

Under CI (CI=true) a missing browser fails instead of skipping.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from junheng.samples.years import generate_years
from junheng.services import accounts
from junheng.services.history import import_county_data
from junheng.settings import Settings
from junheng.storage.schema import open_database

from .conftest import PASSWORD
from .test_browser import ARTIFACTS, need_browser, serve

pytestmark = pytest.mark.browser
COUNTY = "350404"
# page -> the charts it draws
CHARTS = {"places": ["forecast-chart", "large-chart"], "groups": ["groups-chart"],
          "afterschool": ["afterschool-chart"], "flows": ["flows-chart"], "preschool": ["preschool-chart"]}


def seed(data_dir: Path) -> None:
    engine = open_database(Settings(data_dir=data_dir))
    for data in generate_years(2024, 2025, schools=30, seed=11, county_code=COUNTY):
        import_county_data(engine, data, by="seed")
    accounts.create_user(engine, None, username="bureau", password=PASSWORD, role="viewer",
                         region_code=COUNTY, display_name="局长")
    engine.dispose()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    need_browser()
    data_dir = tmp_path_factory.mktemp("serve-analyses")
    seed(data_dir)
    yield from serve(data_dir)


def signed_in(browser, base: str, width: int, errors: list[str], user: str = "bureau"):
    """A page at ``width`` px signed in as ``user``; page errors and console errors go to ``errors``."""
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="zh-CN")
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(base + "/login")
    page.fill("input[name=username]", user)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return context, page


def overflow(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")


def drawn(page, chart_id: str) -> dict:
    return page.evaluate("""id => { const el = document.getElementById(id); const svg = el && el.querySelector('svg');
        return {rendered: !!el && el.dataset.rendered === 'true', shapes: svg ? svg.querySelectorAll('path').length : 0,
                width: svg ? svg.getBoundingClientRect().width : 0, box: el ? el.clientWidth : 0}; }""", chart_id)


@pytest.mark.parametrize("width", [360, 1366])
def test_every_analysis_page_fits_and_draws_its_charts(server, browser, width):
    errors: list[str] = []
    context, page = signed_in(browser, server, width, errors)
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        for name, charts in CHARTS.items():
            page.goto(f"{server}/counties/{COUNTY}/analyses/{name}?year=2025")
            page.wait_for_load_state("networkidle")
            assert overflow(page) <= 0, (name, width, overflow(page))
            for chart in charts:
                d = drawn(page, chart)
                assert d["rendered"] and d["shapes"] > 3, (name, chart, d)
                assert 0 < d["width"] <= d["box"] + 1, (name, chart, d)  # inside its box
            page.screenshot(path=str(ARTIFACTS / f"analysis-{name}-{width}.png"), full_page=True)
        if width == 360:  # the schools' capacity table is wider than a phone: it scrolls in its box
            page.goto(f"{server}/counties/{COUNTY}/analyses/places")
            wide = page.evaluate("""() => { const t = document.getElementById('capacity').parentElement;
                return [t.scrollWidth, t.clientWidth, getComputedStyle(t).overflowX]; }""")
            assert wide[0] > wide[1] and wide[2] == "auto", wide
        assert errors == []
    finally:
        context.close()


def test_charts_follow_the_window_and_the_year_picker_works(server, browser):
    errors: list[str] = []
    context, page = signed_in(browser, server, 1366, errors)
    try:
        page.goto(f"{server}/counties/{COUNTY}/analyses/flows")
        wide = drawn(page, "flows-chart")["width"]
        page.set_viewport_size({"width": 360, "height": 800})
        page.wait_for_timeout(300)
        narrow = drawn(page, "flows-chart")
        assert narrow["width"] < wide / 2 and narrow["width"] <= narrow["box"] + 1
        assert overflow(page) <= 0
        # the first stored year has no roster before it: said, no chart, nothing broken
        page.select_option("select[name=year]", "2024")
        page.wait_for_load_state("networkidle")
        assert "year=2024" in page.url
        assert "无法比较两年的教师名册" in page.inner_text("#flows-problem")
        # the tabs lead to the other pages of the same year
        page.click("nav.tabs >> text=学位与大班额")
        page.wait_for_load_state("networkidle")
        assert page.url.endswith("/analyses/places?year=2024")
        assert drawn(page, "forecast-chart")["rendered"]
        assert errors == []
    finally:
        context.close()
