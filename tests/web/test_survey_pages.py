"""The questionnaire pages over HTTP: no account, CSRF-safe, one answer per code,
wrong codes rate-limited; and in real Chromium at 360 px, a respondent answers."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from junheng.services import survey
from junheng.services.history import import_county_data
from junheng.settings import Settings
from junheng.storage.schema import open_database
from junheng.web.app import create_app

from .conftest import HOME, SCHOOL_A, county_data
from .test_browser import ARTIFACTS, chromium, serve


def _seed(engine) -> list[survey.IssuedCode]:
    import_county_data(engine, county_data(HOME, SCHOOL_A), by="test")
    survey.design_for(engine, HOME, 2024, by="test")
    return survey.issue_codes(engine, HOME, 2024, group="parents")


@pytest.fixture
def site(tmp_path):
    settings = Settings(data_dir=tmp_path)
    engine = open_database(settings)
    codes = _seed(engine)
    app = create_app(settings, engine)
    yield TestClient(app), codes, engine
    engine.dispose()


def _token(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_answer_once_with_a_code(site):
    client, codes, engine = site
    code = codes[0].code
    page = client.get(f"/s/{code}")
    assert page.status_code == 200 and "调查对象：家长" in page.text and page.text.count('type="radio"') == 50
    answers = {i.id: "4" for i in survey.load_questionnaire().items}
    # without the form's token (a forged cross-site post): refused, nothing stored
    assert client.post(f"/s/{code}", data=answers).status_code == 403
    token = _token(page.text)
    missing = client.post(f"/s/{code}", data={**dict(list(answers.items())[:8]), "csrf_token": token})
    assert missing.status_code == 422 and "第 9、10 题还没有选择答案" in missing.text
    done = client.post(f"/s/{code}", data={**answers, "csrf_token": token})
    assert done.status_code == 200 and "提交成功" in done.text
    again = client.post(f"/s/{code}", data={**answers, "csrf_token": token})
    assert again.status_code == 409 and "只能提交一次" in again.text
    assert "已经提交过答卷" in client.get(f"/s/{code}").text
    r = survey.survey_report(engine, HOME, 2024).result.group("parents")
    assert (r.received, r.valid, r.share) == (1, 1, 1.0)


def test_typed_code_and_wrong_codes_are_limited(site):
    client, codes, _ = site
    typed = client.get("/s", params={"code": survey.shown_code(codes[1].code).lower()}, follow_redirects=False)
    assert typed.status_code == 303 and typed.headers["location"] == f"/s/{codes[1].code}"
    statuses = [client.get(f"/s/WRONGCODE{n:03d}").status_code for n in range(12)]
    assert statuses[:10] == [404] * 10 and statuses[10:] == [429, 429]


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("serve-survey")
    engine = open_database(Settings(data_dir=data_dir))
    codes = _seed(engine)
    engine.dispose()
    for base in serve(data_dir):
        for browser in chromium():
            yield base, codes, browser


@pytest.mark.browser
def test_a_parent_answers_on_a_phone(live):
    base, codes, browser = live
    context = browser.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2,
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{base}/s")
    page.fill("#code", survey.shown_code(codes[2].code))
    page.click("button[type=submit]")
    assert "调查对象：家长" in page.inner_text("main")
    # nothing wider than the phone: no sideways scrolling
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    first = page.locator("fieldset").first.locator("label").first.bounding_box()
    assert first["height"] >= 44 and first["width"] >= 300  # a thumb-sized choice across the screen
    labels = ["满意", "非常满意"]
    for n, fieldset in enumerate(page.locator("fieldset").all()):
        fieldset.get_by_text(labels[n % 2], exact=True).tap()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "survey-phone.png"), full_page=True)
    page.click("button[type=submit]")
    assert "提交成功" in page.inner_text("main")
    page.goto(f"{base}/s/{codes[2].code}")
    assert "已经提交过答卷" in page.inner_text("main")
    assert errors == []
    context.close()


def test_the_bureau_sees_result_and_progress(site):
    client, codes, engine = site
    from junheng.services import accounts

    from .conftest import OTHER, PASSWORD, sign_in

    for name, region in (("bureau", HOME), ("other", OTHER)):
        accounts.create_user(engine, None, username=name, password=PASSWORD, role="county_admin",
                             region_code=region, display_name=name)
    survey.submit_answers(engine, codes[0].code, {i.id: "2" for i in survey.load_questionnaire().items})
    bureau = sign_in(client.app, "bureau")
    page = bureau.get(f"/counties/{HOME}/survey")
    assert page.status_code == 200
    assert "进行中：S1 暂取县级指标表的填报值" in page.text
    assert "总体认可度 <b>0.0%</b>" in page.text and "未达到 85%" in page.text
    assert "△ 样本不足" in page.text and "各校收集进度" in page.text
    assert sign_in(client.app, "other").get(f"/counties/{HOME}/survey").status_code == 403
    assert bureau.get(f"/counties/{HOME}/survey", params={"year": 2019}).text.count("还没有社会认可度调查") == 1
