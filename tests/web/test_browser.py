"""End to end in real headless Chromium (Debian's, driven by playwright) against
`junheng serve` on loopback: a clerk signs in, fills and submits; the bureau returns it
with a comment; the clerk fixes and resubmits; the bureau edits a kindergarten (a typo
shown live, then the real figure saved) and approves; the dashboard shows the new
verdict and the stored year holds the kindergarten as edited. A screenshot of the dashboard is kept under artifacts/.

Under CI (CI=true) a missing browser fails instead of skipping.
"""

from __future__ import annotations

import io
import os
import random
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from junheng.samples.preschool import generate_kindergartens
from junheng.services import accounts, collection
from junheng.services.history import import_county_data
from junheng.settings import Settings
from junheng.storage.schema import open_database

from .conftest import HOME, PASSWORD, SCHOOL_A, county_data

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
ROOT = Path(__file__).resolve().parents[2]
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run"]

pytestmark = pytest.mark.browser


def need_browser() -> None:
    if CHROMIUM.exists():
        return
    message = "needs Debian chromium (scripts/setup-system.d/20-chromium-fonts.sh)"
    if os.environ.get("CI", "").lower() in ("true", "1", "yes"):
        pytest.fail(message)
    pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def seed(data_dir: Path) -> int:
    """County 350404: 2024 stored (school A short of R4/R5, not recognised; with
    kindergartens); round 2025 open with schools B and C already approved."""
    engine = open_database(Settings(data_dir=data_dir))
    for name, role, school in (("bureau", "county_admin", None), ("clerk", "clerk", SCHOOL_A)):
        accounts.create_user(engine, None, username=name, password=PASSWORD, role=role,
                             region_code=HOME, school_code=school, display_name=f"{name}用户")
    data = county_data(HOME, SCHOOL_A)
    kgs, classes = generate_kindergartens(HOME, data.county.name, 3, random.Random(7), 2024)
    data.extra_tables = {"kindergartens": kgs, "kindergarten_classes": classes}
    import_county_data(engine, data, by="seed")
    bureau = accounts.Principal(1, "bureau", "bureau", accounts.Role.COUNTY_ADMIN, HOME)
    round_id = collection.open_round(engine, bureau, HOME, 2025)
    for school in (SCHOOL_A[:-1] + "2", SCHOOL_A[:-1] + "3"):
        collection.submit(engine, bureau, round_id, school)
        collection.review(engine, bureau, round_id, school, "approve")
    engine.dispose()
    return round_id


def serve(data_dir: Path, **env_extra: str):
    """`junheng serve` on a free loopback port over ``data_dir``; yields its base URL."""
    port = free_port()
    env = {**os.environ, "JUNHENG_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT / "src"), **env_extra}
    env.pop("JUNHENG_DATABASE_URL", None)
    proc = subprocess.Popen([sys.executable, "-m", "junheng", "serve", "--host", "127.0.0.1", "--port", str(port)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            if httpx.get(base + "/login", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            pytest.fail("junheng serve did not start:\n" + (proc.stdout.read() if proc.stdout else ""))
        time.sleep(0.2)
    yield base
    proc.terminate()
    proc.wait(timeout=20)


def chromium():
    """Headless Debian Chromium through Playwright; yields the browser."""
    need_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=BROWSER_ARGS)
        yield b
        b.close()


def seeded_server(folder: str):
    """A module's ``server`` fixture: the seeded county served from a fresh data folder
    ``folder``; it yields (base URL, the open round's id)."""
    @pytest.fixture(scope="module")
    def server(tmp_path_factory):
        need_browser()
        data_dir = tmp_path_factory.mktemp(folder)
        round_id = seed(data_dir)
        for base in serve(data_dir):
            yield base, round_id
    return server


server = seeded_server("serve")


def open_page(browser, base: str, username: str, errors: list[str]):
    context = browser.new_context(viewport={"width": 1360, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(f"{username}: {exc}"))
    # A refused submit (422) is logged by the browser as a failed resource: expected.
    page.on("console", lambda m: errors.append(f"{username}: {m.text}")
            if m.type == "error" and "status of 422" not in m.text else None)
    page.goto(base + "/")
    assert "/login" in page.url
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page


def field(page, name: str):
    return page.locator(f'[data-table="schools"][data-index="0"][data-field="{name}"]')


def test_clerk_submits_bureau_returns_clerk_fixes_bureau_approves_dashboard_changes(server, browser):
    base, round_id = server
    errors: list[str] = []
    clerk = open_page(browser, base, "clerk", errors)
    assert clerk.url.endswith(f"/rounds/{round_id}/schools/{SCHOOL_A}")
    assert clerk.locator("#status").get_attribute("data-status") == "draft"

    # a typo shows the importer's message live, on the cell
    field(clerk, "teaching_area").fill("一千")
    clerk.wait_for_selector("#issues li.error")
    assert "不是数字" in clerk.inner_text("#issues")
    assert "has-error" in field(clerk, "teaching_area").get_attribute("class")
    # the real figure: more teaching space than last year, a warning that needs a 说明
    field(clerk, "teaching_area").fill("1000")
    clerk.wait_for_selector('textarea[data-key="jump:teaching_area"]')
    assert clerk.locator("#issues li.error").count() == 0
    clerk.click("#submit")
    clerk.wait_for_selector("#message.bad")
    assert "说明" in clerk.inner_text("#message")
    clerk.fill('textarea[data-key="jump:teaching_area"]', "新教学楼本学年投入使用")
    clerk.click("#submit")
    clerk.wait_for_selector('#status[data-status="submitted"]')

    # the bureau returns it with a comment
    bureau = open_page(browser, base, "bureau", errors)
    bureau.goto(f"{base}/rounds/{round_id}")
    bureau.click(f'tr[data-school="{SCHOOL_A}"] a')
    bureau.fill("#review-comment", "体育运动场馆面积与实际不符，请核实后修改")
    bureau.click("#return")
    bureau.wait_for_load_state("networkidle")
    assert "已退回" in bureau.inner_text(f'tr[data-school="{SCHOOL_A}"]')

    # the clerk sees the comment, fixes the sports ground, explains, resubmits
    clerk.reload()
    assert "体育运动场馆面积与实际不符" in clerk.inner_text("#return-comment")
    field(clerk, "sports_area").fill("1600")
    clerk.wait_for_selector('textarea[data-key="jump:sports_area"]')
    clerk.fill('textarea[data-key="jump:sports_area"]', "新建 300 米运动场已验收")
    clerk.click("#submit")
    clerk.wait_for_selector('#status[data-status="submitted"]')

    # the bureau fills the county's kindergartens: a typo shows the importer's message
    # on the cell, the real figure is saved
    bureau.goto(f"{base}/rounds/{round_id}/kindergartens")
    teachers = bureau.locator('[data-table="kindergartens"][data-index="0"][data-field="teachers"]')
    before = int(teachers.input_value())
    teachers.fill("五")
    bureau.wait_for_selector("#issues li.error")
    assert '幼儿园 第2行 K列「专任教师数（人）」的值 "五" 不是整数' in bureau.inner_text("#issues")
    assert "has-error" in teachers.get_attribute("class")
    teachers.fill(str(before + 2))
    bureau.fill('[data-table="kindergartens"][data-index="0"][data-field="certified_teachers"]', str(before + 2))
    bureau.wait_for_selector("#issues li.error", state="detached")
    bureau.click("#save")
    bureau.wait_for_selector("#message.ok")
    assert "已保存" in bureau.inner_text("#message")
    ARTIFACTS.mkdir(exist_ok=True)
    bureau.screenshot(path=str(ARTIFACTS / "web-kindergartens.png"), full_page=True)

    # the bureau approves: the last approval stores 2025 and the dashboard shows it
    bureau.goto(f"{base}/rounds/{round_id}/schools/{SCHOOL_A}")
    bureau.click("#approve")
    bureau.wait_for_url(f"**/counties/{HOME}?year=2025**")
    bureau.wait_for_selector("#cv-chart svg")
    bureau.wait_for_selector("#trend-chart svg")
    assert bureau.locator("#verdict").get_attribute("data-recognised") == "true"
    assert "达到优质均衡" in bureau.inner_text("#verdict")
    assert "已汇总入库" in bureau.inner_text(".flash")
    assert bureau.locator("#matrix td.fail").count() == 0
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "web-dashboard.png"
    bureau.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 20_000

    # 2024 is still there, not recognised, with school A's failing cells marked
    bureau.goto(f"{base}/counties/{HOME}?year=2024")
    assert bureau.locator("#verdict").get_attribute("data-recognised") == "false"
    assert bureau.locator("#matrix td.fail").count() == 2
    # the stored 2025 holds the kindergartens, the first one as the bureau edited it
    import openpyxl

    stored = bureau.request.get(f"{base}/api/counties/{HOME}/years/2025/workbook.xlsx")
    assert stored.ok
    sheet = openpyxl.load_workbook(io.BytesIO(stored.body()))["幼儿园"]
    assert sheet.max_row == 4 and sheet["K2"].value == before + 2
    assert errors == []
