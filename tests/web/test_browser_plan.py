"""The plan page in real Chromium on a phone (375 px) and a desktop: the bureau asks for
a three-year plan within yearly budgets, waits for the worker, and reads each year's
figures and actions (money and counts right-aligned); nothing is wider than the screen.
Screenshots under artifacts/."""

from __future__ import annotations

import pytest

from .conftest import HOME, PASSWORD, YEAR
from .test_browser import ARTIFACTS, seeded_server

pytestmark = pytest.mark.browser
server = seeded_server("serve-plan")


def signed_in(browser, base: str, width: int, errors: list[str]):
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="zh-CN")
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" and "status of 422" not in m.text else None)
    page.goto(base + "/login")
    page.fill("input[name=username]", "bureau")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page


def overflow(page) -> int:
    """How many pixels the page is wider than the window (0: nothing to scroll sideways)."""
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize("width", [375, 1360])
def test_the_bureau_plans_over_three_years(server, browser, width):
    base, _round = server
    errors: list[str] = []
    page = signed_in(browser, base, width, errors)
    page.goto(f"{base}/counties/{HOME}/plan?year={YEAR}&budget=1万")  # a small page first: the form
    page.fill("input[name=budget]", "")
    page.fill("input[name=years]", "2025-2027")
    page.fill("input[name=yearly_budget]", "100万,100万,100万")
    page.click(".plan-form button[type=submit]")
    page.wait_for_selector("#year-table", timeout=240_000)  # the worker's progress, then the plan
    rows = page.locator("#year-table tbody tr")
    assert rows.count() == 3
    assert rows.nth(1).inner_text().split("\t")[:2] == ["第2年（2026年）", "1,000,000"]
    assert "预计认定" in rows.nth(1).inner_text()
    assert page.locator("#budget-fits").is_visible()
    assert overflow(page) <= 0, overflow(page)
    # money and counts right-aligned under right-aligned headers, text columns left
    aligned = page.evaluate("""() => [...document.querySelectorAll('#year-table tr')].map(tr =>
        [...tr.children].map(c => getComputedStyle(c).textAlign))""")
    assert aligned == [["left", "right", "right", "right", "right", "right", "left", "left", "right"]] * 4, aligned
    # the figures of a money column end on one vertical line, in figures of one width
    ends = page.evaluate("""() => [...document.querySelectorAll('#year-table tbody tr')].map(tr => {
        const c = tr.children[1], r = document.createRange(); r.selectNodeContents(c);
        return [r.getBoundingClientRect().right, c.getBoundingClientRect().right,
                getComputedStyle(c).fontVariantNumeric]; })""")
    assert max(e[0] for e in ends) - min(e[0] for e in ends) < 1, ends
    assert all(cell - text < 12 and style == "tabular-nums" for text, cell, style in ends), ends
    # every cell of the plan's tables on one line (a wide table scrolls), long texts aside
    lines = page.evaluate("""() => [...document.querySelectorAll('.plan-tables table.data :is(th, td):not(.wrap)')]
        .map(c => { const r = document.createRange(); r.selectNodeContents(c);
                    return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; })""")
    assert lines and max(lines) <= 1, lines
    actions = page.locator("table.year-actions").first
    assert actions.locator("th").nth(3).evaluate("e => getComputedStyle(e).textAlign") == "right"
    assert actions.locator("td").nth(3).evaluate("e => getComputedStyle(e).textAlign") == "right"
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"plan-years-{width}.png"), full_page=True)
    # a target that is not in the plan's years is refused on the page, in Chinese
    page.fill("input[name=target_year]", "2030")
    page.click(".plan-form button[type=submit]")
    page.wait_for_selector("p.bad[role=alert]")
    assert "要求认定的年份 2030 不在计划年度 2025—2027 之内" in page.inner_text("p.bad[role=alert]")
    assert errors == []


def test_the_county_admins_menu_keeps_to_one_line_on_a_desktop(server, browser):
    """At 1,360 px the county admin's eight menu items sat on two lines (用户管理 alone on
    the second), pushing every page down."""
    base, _round = server
    errors: list[str] = []
    page = signed_in(browser, base, 1360, errors)
    tops = page.evaluate("[...document.querySelectorAll('nav.main a')].map(a => Math.round(a.getBoundingClientRect().top))")
    assert len(tops) >= 8 and len(set(tops)) == 1, tops
    page.screenshot(path=str(ARTIFACTS / "menu-1360.png"))
    assert not errors, errors
    page.context.close()
