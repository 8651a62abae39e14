"""批量导入 in real Chromium on a phone (375 px) and a desktop (1360 px): the admin
uploads a good workbook, a broken one (a text in a number cell, its 基本信息 fine) and a
truncated one together, waits for the worker and reads the result table: the good one
imported and linked, the broken one with its county, year and the importer's message,
the truncated one with 「—」; nothing is wider than the screen, the table scrolls in
its own box, and on the phone each workbook is a card whose messages are read without
scrolling sideways. Screenshots under artifacts/."""

from __future__ import annotations

import pytest

from junheng.services import accounts
from junheng.settings import Settings
from junheng.storage.schema import open_database

from .conftest import HOME, PASSWORD, YEAR
from .test_browser import ARTIFACTS, need_browser, seed, serve
from .test_browser_analyses import signed_in
from .test_browser_plan import overflow
from .test_bulk_import import bulk_workbooks

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The seeded county (2024 stored) served with an admin besides its bureau."""
    need_browser()
    data_dir = tmp_path_factory.mktemp("serve-bulk")
    seed(data_dir)
    engine = open_database(Settings(data_dir=data_dir))
    accounts.create_user(engine, None, username="root", password=PASSWORD, role=accounts.Role.ADMIN,
                         display_name="系统管理员")
    engine.dispose()
    yield from serve(data_dir)


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory):
    new, home, bad, cut = bulk_workbooks(tmp_path_factory.mktemp("bulk") / "books")
    return [home, bad, cut]


@pytest.mark.parametrize("width", [375, 1360])
def test_the_admin_uploads_a_good_and_a_broken_workbook_and_reads_the_result(server, browser, workbooks, width):
    base = server
    errors: list[str] = []
    context, page = signed_in(browser, base, width, errors, user="root")

    page.goto(base + "/imports/bulk")
    assert overflow(page) <= 0, overflow(page)
    page.set_input_files("input[name=files]", [str(p) for p in workbooks])
    page.click("button.primary[type=submit]")
    page.wait_for_url("**/jobs/*")
    page.wait_for_selector("#bulk-result", timeout=240_000)  # the worker's progress, then the table

    rows = page.locator("#bulk-result tbody tr")
    assert rows.count() == 3
    home, bad, cut = (rows.nth(i).locator("td") for i in range(3))
    assert home.nth(0).inner_text() == f"{HOME}-{YEAR + 3}.xlsx"
    assert home.nth(3).inner_text() in ("已导入（第 1 版）", "未变化（第 1 版）")  # the second width: the same file
    assert home.nth(1).locator("a").get_attribute("href") == f"/counties/{HOME}?year={YEAR + 3}"
    assert (home.nth(1).inner_text(), home.nth(2).inner_text()) == ("测试县04", str(YEAR + 3))
    # the broken one: nothing stored, but whose it is and which year, and where it is wrong
    assert (bad.nth(0).inner_text(), bad.nth(3).inner_text()) == ("有错误.xlsx", "有错误")
    assert (bad.nth(1).inner_text(), bad.nth(2).inner_text()) == ("三元区", "2025")
    assert bad.nth(1).locator("a").count() == 0
    assert "很多" in bad.nth(4).inner_text()
    assert (cut.nth(1).inner_text(), cut.nth(2).inner_text()) == ("—", "—")
    assert cut.nth(3).inner_text() in ("有错误", "已拒绝")

    # nothing wider than the window; a table wider than its box scrolls inside the box
    assert overflow(page) <= 0, overflow(page)
    box = page.evaluate("""() => { const t = document.getElementById('bulk-result');
        let b = t.parentElement;
        while (b && getComputedStyle(b).overflowX !== 'auto') b = b.parentElement;
        return b && {inner: b.clientWidth, table: t.offsetWidth, scrolls: b.scrollWidth > b.clientWidth}; }""")
    assert box is not None
    assert box["table"] <= box["inner"] or box["scrolls"], box
    # the broken file's message is read where it is, without scrolling sideways
    message = bad.nth(4).locator("li").first.bounding_box()
    assert message["x"] >= 0 and message["x"] + message["width"] <= width, message
    # names and years stay on one line (not a character a line in a squeezed column)
    for text in (home.nth(1).locator("a"), bad.nth(1), bad.nth(2), bad.nth(3)):
        lines = text.evaluate("e => { const r = document.createRange(); r.selectNodeContents(e);"
                              " return new Set([...r.getClientRects()].map(x => Math.round(x.top))).size; }")
        assert lines == 1, (text.inner_text(), lines)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"bulk-import-{width}.png"), full_page=True)
    assert errors == []
    context.close()
