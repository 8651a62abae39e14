"""The security controls and the everyday-use points in real headless Chromium against
`junheng serve`: Back after sign-out shows nothing, the forced password change, the
account delay, a phone-sized screen (menu behind a button, nothing wider than the
screen), an oversized upload refused in the page, no banner from the query string,
the audit log in Chinese. Screenshots at 360 px and desktop go to artifacts/."""

from __future__ import annotations

import time

import pytest

from junheng.services import accounts, collection
from junheng.services.history import import_county_data
from junheng.settings import Settings
from junheng.storage.schema import open_database

from .conftest import HOME, PASSWORD, SCHOOL_A, county_data
from .test_browser import ARTIFACTS, need_browser, serve

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1360, "height": 900}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    need_browser()
    data_dir = tmp_path_factory.mktemp("serve-security")
    engine = open_database(Settings(data_dir=data_dir))
    for name, role, school, must in (("bureau", "county_admin", None, False), ("clerk", "clerk", SCHOOL_A, False),
                                     ("newbie", "viewer", None, True), ("admin", "admin", None, False),
                                     ("auditee", "viewer", None, False), ("officer", "auditor", None, False)):
        accounts.create_user(engine, None, username=name, password=PASSWORD, role=role,
                             region_code=None if role in ("admin", "auditor") else HOME, school_code=school,
                             display_name=f"{name}用户", must_change_password=must)
    import_county_data(engine, county_data(HOME, SCHOOL_A), by="seed")
    bureau = accounts.Principal(1, "bureau", "bureau", accounts.Role.COUNTY_ADMIN, HOME)
    round_id = collection.open_round(engine, bureau, HOME, 2025)
    engine.dispose()
    for base in serve(data_dir, JUNHENG_WEB_LOGIN_DELAY_AFTER="2"):
        yield base, round_id


def signed_in(browser, base, username, viewport=DESKTOP, password=PASSWORD):
    page = browser.new_context(viewport=viewport, locale="zh-CN").new_page()
    page.goto(base + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    return page


def test_back_after_sign_out_shows_nothing(server, browser):
    base, _ = server
    page = signed_in(browser, base, "bureau")
    page.goto(f"{base}/counties/{HOME}")
    assert page.locator("#verdict").count() == 1
    page.click("header .who button")  # 退出
    page.wait_for_url("**/login**")
    page.go_back()
    page.wait_for_load_state("networkidle")
    assert "/login" in page.url and page.locator("#verdict").count() == 0
    assert "bureau用户" not in page.content()


def test_a_new_account_must_choose_its_password_first(server, browser):
    base, _ = server
    page = signed_in(browser, base, "newbie")
    assert page.url.endswith("/account") and "请先设置新密码" in page.inner_text("main")
    assert page.locator("nav.main a").count() == 0  # nothing else to go to
    page.goto(f"{base}/counties/{HOME}")
    assert page.url.endswith("/account")
    page.fill("input[name=current_password]", PASSWORD)
    page.fill("input[name=new_password]", "password1")
    page.fill("input[name=confirm_password]", "password1")
    page.click("form[action='/account'] button[type=submit]")
    assert "密码不符合要求" in page.inner_text(".flash.bad")
    page.fill("input[name=current_password]", PASSWORD)
    page.fill("input[name=new_password]", "Bureau-Viewer-9")
    page.fill("input[name=confirm_password]", "Bureau-Viewer-9")
    page.click("form[action='/account'] button[type=submit]")
    page.wait_for_url(f"**/counties/{HOME}")
    assert "密码已设置" in page.inner_text(".flash.ok")


def test_repeated_failures_make_the_account_wait(server, browser):
    base, _ = server
    page = browser.new_context(viewport=DESKTOP, locale="zh-CN").new_page()
    for _ in range(2):
        page.goto(base + "/login")
        page.fill("input[name=username]", "clerk")
        page.fill("input[name=password]", "Wrong-pass-1")
        page.click("button[type=submit]")
        assert "用户名或密码不正确" in page.inner_text("main")
    page.fill("input[name=username]", "clerk")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    assert "秒后再试" in page.inner_text("main")
    time.sleep(1.2)  # the first delay is one second
    page.fill("input[name=username]", "clerk")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"**/schools/{SCHOOL_A}")


def test_a_phone_sized_screen(server, browser):
    base, round_id = server
    ARTIFACTS.mkdir(exist_ok=True)
    page = signed_in(browser, base, "bureau", viewport=PHONE)
    page.goto(f"{base}/counties/{HOME}")
    page.wait_for_selector("#cv-chart svg")
    assert page.locator("nav.main").is_hidden() and page.locator(".menu-button").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], width  # tables scroll inside their box, not the page
    page.screenshot(path=str(ARTIFACTS / "web-phone-360-dashboard.png"), full_page=False)
    page.click(".menu-button")
    assert page.locator("nav.main").is_visible()
    items = page.locator("nav.main a")
    heights = {round(items.nth(i).bounding_box()["height"]) for i in range(items.count())}
    assert max(heights) < 60  # one line each, not one character per line
    page.screenshot(path=str(ARTIFACTS / "web-phone-360-menu.png"))
    page.goto(f"{base}/rounds/{round_id}/schools/{SCHOOL_A}")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(ARTIFACTS / "web-phone-360-form.png"))


def test_an_oversized_upload_is_refused_in_the_page(server, browser):
    base, round_id = server
    page = signed_in(browser, base, "clerk")
    form = page.locator("form[enctype='multipart/form-data']").first
    form.locator("input[type=file]").set_input_files(
        {"name": "本校.xlsx", "mimeType": "application/octet-stream", "buffer": b"0" * (21 << 20)})
    form.locator("button[type=submit]").click()
    page.wait_for_selector(".upload-error")
    assert "文件超过 20 MB 上限" in page.inner_text(".upload-error")
    assert page.url.endswith(f"/schools/{SCHOOL_A}")  # still the form, nothing sent


def test_no_banner_from_the_query_string(server, browser):
    base, _ = server
    page = signed_in(browser, base, "bureau")
    page.goto(f"{base}/account?msg=%E7%B3%BB%E7%BB%9F%E5%8D%87%E7%BA%A7%EF%BC%8C%E8%AF%B7%E9%87%8D%E6%96%B0%E8%BE%93%E5%85%A5%E5%AF%86%E7%A0%81&kind=bad")
    assert page.locator(".flash").count() == 0 and "系统升级" not in page.content()


def test_the_audit_log_reads_in_chinese(server, browser):
    base, _ = server
    # a failed sign-in of its own (tests of this module may run in other workers)
    signed_in(browser, base, "auditee", password="Wrong-password-9")
    page = signed_in(browser, base, "officer")  # the 安全审计员
    page.goto(f"{base}/audit")
    text = page.inner_text("main")
    for words in ("登录失败", "登录", "127.0.0.1", "原因：密码错误"):
        assert words in text, words
    page.screenshot(path=str(ARTIFACTS / "web-audit-desktop.png"), full_page=False)
    phone = signed_in(browser, base, "officer", viewport=PHONE)
    phone.goto(f"{base}/audit")
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.screenshot(path=str(ARTIFACTS / "web-phone-360-audit.png"))


def test_a_long_form_keeps_its_feedback_in_sight_and_saves_itself(server, browser):
    base, round_id = server
    page = signed_in(browser, base, "clerk", viewport={"width": 1280, "height": 600})
    page.wait_for_url(f"**/schools/{SCHOOL_A}")
    area = page.locator('[data-table="schools"][data-index="0"][data-field="teaching_area"]')
    area.fill("一千")
    page.wait_for_selector("#message-near.ok")  # the draft saved itself
    assert "已自动保存草稿" in page.inner_text("#message-near")
    page.reload()
    page.wait_for_load_state("networkidle")
    assert area.input_value() == "一千"  # kept on the server
    page.evaluate("window.scrollTo(0, 0)")
    page.click("#submit")
    page.wait_for_selector("#message-near.bad")
    assert "错误" in page.inner_text("#message-near")
    # the first wrong cell is scrolled to and focused; the typed value is still there
    assert page.evaluate("document.activeElement.getAttribute('data-field')") == "teaching_area"
    box = area.bounding_box()
    assert 0 <= box["y"] <= 600
    assert area.input_value() == "一千"
    page.screenshot(path=str(ARTIFACTS / "web-form-error-desktop.png"))
    phone = signed_in(browser, base, "clerk", viewport=PHONE)
    phone.wait_for_url(f"**/schools/{SCHOOL_A}")
    phone.click("#submit")
    phone.wait_for_selector("#message-near.bad")
    phone.screenshot(path=str(ARTIFACTS / "web-phone-360-form-error.png"))


def test_each_fields_error_is_written_beside_it_and_in_the_summary(server, browser):
    """A wrong value in the school record and one in a table row: each message stands
    next to its own field (read by a screen reader through aria-describedby) and in the
    summary at the top; 「转到该处」 in the summary focuses the field; a corrected value's
    message goes away. On a phone too, without widening the page."""
    base, _ = server
    page = signed_in(browser, base, "clerk", viewport={"width": 1280, "height": 700})
    page.wait_for_url(f"**/schools/{SCHOOL_A}")
    page.wait_for_selector("#issues-summary")
    students = page.locator('[data-table="classes"][data-index="0"][data-field="students"]')
    room = page.locator('[data-table="rooms"][data-index="0"][data-field="area"]')
    students.fill("四十")
    room.fill("-12")
    beside_students = page.locator('[data-table="classes"][data-index="0"][data-field="students"] + .field-error')
    beside_room = page.locator('[data-table="rooms"][data-index="0"][data-field="area"] + .field-error')
    beside_students.wait_for()
    beside_room.wait_for()
    said_students, said_room = beside_students.inner_text(), beside_room.inner_text()
    assert "四十" in said_students and "-12" in said_room
    summary = page.inner_text("#issues")
    for said in (said_students, said_room):  # the same sentence in both places
        assert said.strip() in summary
    assert students.get_attribute("aria-invalid") == "true"
    assert students.get_attribute("aria-describedby") == beside_students.get_attribute("id")
    # the note sits beside its field: in the same table cell, just under it
    s_box, n_box = students.bounding_box(), beside_students.bounding_box()
    assert 0 <= n_box["y"] - (s_box["y"] + s_box["height"]) < 20 and abs(n_box["x"] - s_box["x"]) < 20
    page.screenshot(path=str(ARTIFACTS / "web-form-error-beside-desktop.png"), full_page=False)
    # from the summary to the field
    page.evaluate("window.scrollTo(0, 0)")
    page.locator("#issues li", has_text="四十").locator(".go-to").click()
    assert page.evaluate("document.activeElement.getAttribute('data-table')") == "classes"
    assert 0 <= students.bounding_box()["y"] <= 700
    # corrected: the note beside it goes, the other stays
    students.fill("40")
    page.wait_for_function("""() => !document.querySelector(
        '[data-table="classes"][data-index="0"][data-field="students"] + .field-error')""")
    assert students.get_attribute("aria-invalid") is None
    assert beside_room.count() == 1 and "四十" not in page.inner_text("#issues")
    room.fill("60")
    page.wait_for_function("""() => !document.querySelector(
        '[data-table="rooms"][data-index="0"][data-field="area"] + .field-error')""")
    # a phone: the record's note stands under its field and the page does not widen
    phone = signed_in(browser, base, "clerk", viewport=PHONE)
    phone.wait_for_url(f"**/schools/{SCHOOL_A}")
    phone.wait_for_selector("#issues-summary")
    field = phone.locator('[data-table="schools"][data-index="0"][data-field="primary_students"]')
    field.fill("-5")
    note = phone.locator('[data-table="schools"][data-index="0"][data-field="primary_students"] + .field-error')
    note.wait_for()
    assert "-5" in note.inner_text()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    note.scroll_into_view_if_needed()
    phone.screenshot(path=str(ARTIFACTS / "web-phone-360-error-beside.png"))
    field.fill("200")
    phone.wait_for_function("""() => !document.querySelector(
        '[data-table="schools"][data-index="0"][data-field="primary_students"] + .field-error')""")


def test_a_report_is_queued_shows_its_progress_and_is_downloaded(server, browser):
    """The county page's 「生成 Word」 queues a job; its page follows the worker's progress
    by itself (no reload by hand) and offers the file, which downloads as a Word file."""
    base, _ = server
    page = signed_in(browser, base, "bureau")
    page.goto(f"{base}/counties/{HOME}")
    page.click('button[data-report="self-evaluation.docx"]')
    page.wait_for_url("**/jobs/*")
    page.wait_for_selector("#job-download", timeout=240_000)  # the page turned to the result itself
    assert "已完成" in page.inner_text("#job")
    with page.expect_download() as done:
        page.click("#job-download")
    assert done.value.suggested_filename.endswith(".docx")
    page.screenshot(path=str(ARTIFACTS / "web-job-done.png"))
    page.goto(f"{base}/jobs")
    assert "自评报告（Word）" in page.inner_text("main") and "已完成" in page.inner_text("main")
