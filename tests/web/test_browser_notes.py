"""The bureau types its 县级说明 on the round page in real Chromium: the text is kept as
typed after the save, the 待填写 list shrinks, and a supervisor's round page (read-only progress) has no notes."""

from __future__ import annotations

import pytest

from junheng.services import accounts
from junheng.settings import Settings
from junheng.storage.schema import open_database

from .conftest import HOME, PASSWORD
from .test_browser import ARTIFACTS, chromium, open_page, seed, serve


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("serve-notes")
    round_id = seed(data_dir)
    engine = open_database(Settings(data_dir=data_dir))
    accounts.create_user(engine, None, username="inspector", password=PASSWORD, role="supervisor",
                         region_code=HOME[:4], display_name="督导")
    engine.dispose()
    for base in serve(data_dir):
        for browser in chromium():
            yield base, round_id, browser


def test_the_bureau_writes_its_chapters_on_the_round_page(site):
    base, round_id, browser = site
    errors: list[str] = []
    bureau = open_page(browser, base, "bureau", errors)
    bureau.goto(f"{base}/rounds/{round_id}")
    assert bureau.locator("#notes textarea").count() == 6
    assert "主要做法与成效" in bureau.inner_text("#notes-missing")
    bureau.fill('textarea[name="note.主要做法与成效"]', "一是新建学校两所。\n二是交流教师 132 人次。")
    bureau.fill('textarea[name="note.整改完成时限"]', "2026 年 12 月底前")
    bureau.click("#notes button[type=submit]")
    bureau.wait_for_load_state("networkidle")
    assert "已保存县级说明：主要做法与成效、整改完成时限" in bureau.inner_text(".flash")
    assert bureau.input_value('textarea[name="note.主要做法与成效"]') == "一是新建学校两所。\n二是交流教师 132 人次。"
    missing = bureau.inner_text("#notes-missing")
    assert "主要做法与成效" not in missing and "整改责任单位" in missing
    ARTIFACTS.mkdir(exist_ok=True)
    bureau.locator("#notes").screenshot(path=str(ARTIFACTS / "web-county-notes.png"))

    supervisor = open_page(browser, base, "inspector", errors)
    supervisor.goto(f"{base}/rounds/{round_id}")
    assert "填报" in supervisor.title()
    assert supervisor.locator("#notes").count() == 0 and "一是新建学校两所" not in supervisor.content()
    assert errors == []
