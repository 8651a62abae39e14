"""The bureau's own chapters of the 自评报告 (县级说明) in a collection round: carried
over from last year's stored year, edited per chapter on the round page (and by the
API), audited, kept apart from clerks, and published with the year so the 自评报告
downloads place them verbatim (an empty chapter is 「待填写」 in the draft)."""

from __future__ import annotations

import io
import re

import pytest
from docx import Document as open_docx

from junheng.services.history import import_county_data, load

from .conftest import HOME, SCHOOL_A, build_world, county_data, sign_in

SCHOOLS = (SCHOOL_A, SCHOOL_A[:-1] + "2", SCHOOL_A[:-1] + "3")
LAST_YEAR = [
    {"chapter": "practices", "content": "2025 年新建学校两所，撤并教学点三个。"},
    {"chapter": "practices", "content": "实施县管校聘，交流教师 120 人次。"},
    {"chapter": "survey_method", "content": "委托第三方机构随机抽样问卷调查。"},
    {"chapter": "next_steps", "content": "继续推进城区学校扩容。"},
]


@pytest.fixture
def notes(tmp_path, db_url):
    """County 350404 with 2025 stored with its 县级说明, and its 2026 round opened by the
    bureau; on SQLite and on PostgreSQL."""
    w = build_world(tmp_path, None if db_url.startswith("sqlite") else db_url)
    last = county_data(HOME, SCHOOL_A, year=2025, weak=False)
    last.extra_tables = {"county_notes": [dict(r) for r in LAST_YEAR]}
    import_county_data(w.engine, last, by="test")
    c = {name: sign_in(w.app, name) for name in ("admin", "county_admin", "clerk", "supervisor", "viewer",
                                                 "county_auditor")}
    r = c["county_admin"].post("/api/rounds", json={"county_code": HOME, "school_year": 2026})
    assert r.status_code == 201
    yield w, c, r.json()["id"]
    w.engine.dispose()


def textareas(html: str) -> dict[str, str]:
    return {m.group(1): m.group(2) for m in re.finditer(
        r'<textarea name="note\.([^"]+)"[^>]*>(.*?)</textarea>', html, re.S)}


def test_notes_are_carried_over_edited_audited_and_published_into_the_report(notes):
    w, c, rid = notes
    bureau = c["county_admin"]
    view = bureau.get(f"/api/rounds/{rid}/notes").json()
    texts = {ch["chapter"]: ch["text"] for ch in view["chapters"]}
    assert list(texts) == ["主要做法与成效", "社会认可度调查方法", "社会认可度调查样本", "下一步工作打算",
                           "整改完成时限", "整改责任单位"]
    assert texts["主要做法与成效"] == "2025 年新建学校两所，撤并教学点三个。\n实施县管校聘，交流教师 120 人次。"
    assert texts["社会认可度调查样本"] == "" and view["missing"] == ["社会认可度调查样本", "整改完成时限", "整改责任单位"]

    # the round page has one textarea per chapter, filled with last year's text
    page = bureau.get(f"/rounds/{rid}").text
    areas = textareas(page)
    assert list(areas) == list(texts) and areas["下一步工作打算"] == "继续推进城区学校扩容。"
    assert "未填写：社会认可度调查样本、整改完成时限、整改责任单位" in page

    # the bureau rewrites 主要做法 (blank lines dropped, each line a paragraph), fills the
    # sample and clears 下一步 (it must show 待填写 in the draft)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    practices = "一、推进学校标准化建设，新建学校两所。\r\n\r\n  二、教师交流轮岗 132 人次。  "
    form = {f"note.{k}": v for k, v in areas.items()} | {
        "csrf_token": token, "note.主要做法与成效": practices,
        "note.社会认可度调查样本": "发放问卷 3,200 份，回收有效问卷 3,041 份。", "note.下一步工作打算": ""}
    r = bureau.post(f"/rounds/{rid}/notes", data=form, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/rounds/{rid}#notes"
    shown = bureau.get(r.headers["location"]).text
    assert "已保存县级说明：主要做法与成效、社会认可度调查样本、下一步工作打算" in shown
    assert textareas(shown)["主要做法与成效"] == "一、推进学校标准化建设，新建学校两所。\n二、教师交流轮岗 132 人次。"
    # saving again unchanged writes nothing
    r = bureau.post(f"/rounds/{rid}/notes", data={**form, "note.主要做法与成效": textareas(shown)["主要做法与成效"]})
    assert "县级说明没有改动" in r.text

    # audited: old -> new per chapter, once
    audit = c["county_auditor"].get(f"/api/counties/{HOME}/audit?limit=1000").json()
    (save,) = [a for a in audit if a["entity"] == "county_notes"]
    assert save["entity_zh"] == "县级说明" and save["actor"] == "county_admin"
    assert save["old"]["下一步工作打算"] == "继续推进城区学校扩容。" and save["new"]["下一步工作打算"] == ""
    assert set(save["new"]) == {"主要做法与成效", "社会认可度调查样本", "下一步工作打算"}

    # saving the county's 县级指标 keeps the notes
    r = bureau.post(f"/rounds/{rid}/county", data={"csrf_token": token, "county.county_name": "测试县04"},
                    follow_redirects=False)
    assert r.status_code == 303
    assert bureau.get(f"/api/rounds/{rid}/notes").json()["chapters"][0]["text"].startswith("一、推进学校")

    # published with the year: the 县级说明 rows as typed
    for school in SCHOOLS:
        assert bureau.post(f"/api/rounds/{rid}/schools/{school}/submit").status_code == 200
    for school in SCHOOLS:
        r = bureau.post(f"/api/rounds/{rid}/schools/{school}/review", json={"decision": "approve"})
        assert r.status_code == 200
    assert r.json()["published"]["school_year"] == 2026
    stored = load(w.engine, HOME, 2026)
    assert [(n["chapter"], n["content"]) for n in stored.extra_tables["county_notes"]] == [
        ("practices", "一、推进学校标准化建设，新建学校两所。"), ("practices", "二、教师交流轮岗 132 人次。"),
        ("survey_method", "委托第三方机构随机抽样问卷调查。"),
        ("survey_sample", "发放问卷 3,200 份，回收有效问卷 3,041 份。")]

    # the web's 自评报告 places them verbatim; the cleared chapter is 待填写 in the draft
    r = bureau.get(f"/api/counties/{HOME}/years/2026/self-evaluation.docx")
    assert r.status_code == 200, r.text[:300]
    paragraphs = [p.text for p in open_docx(io.BytesIO(r.content)).paragraphs]
    assert "一、推进学校标准化建设，新建学校两所。" in paragraphs and "二、教师交流轮岗 132 人次。" in paragraphs
    assert "发放问卷 3,200 份，回收有效问卷 3,041 份。" in paragraphs
    assert any("下一步工作打算（待填写）" in p for p in paragraphs)
    assert not any("继续推进城区学校扩容" in p for p in paragraphs)

    # a change after publishing opens the round again
    r = bureau.put(f"/api/rounds/{rid}/notes", json={"notes": {"下一步工作打算": "新建城区初中一所。"}})
    assert r.status_code == 200 and r.json()["changed"] == ["下一步工作打算"]
    assert bureau.get(f"/api/rounds/{rid}").json()["status"] == "open"


def test_only_the_bureau_sees_or_changes_the_notes(notes):
    w, c, rid = notes
    secret = "实施县管校聘"
    for role in ("clerk", "supervisor", "viewer"):
        client = c[role]
        for method, url, body in (("GET", f"/api/rounds/{rid}/notes", None),
                                  ("PUT", f"/api/rounds/{rid}/notes", {"notes": {"主要做法与成效": "改"}}),
                                  ("POST", f"/rounds/{rid}/notes", None)):
            r = client.request(method, url, json=body, follow_redirects=False)
            assert r.status_code == 403, (role, method, url, r.status_code)
        for url in (f"/api/rounds/{rid}", f"/rounds/{rid}", f"/rounds/{rid}/county"):
            r = client.get(url)
            assert secret not in r.text and 'name="note.' not in r.text, (role, url)
    assert c["admin"].get(f"/api/rounds/{rid}/notes").status_code == 200
    assert secret in c["county_admin"].get(f"/api/rounds/{rid}/notes").text


def test_bad_notes_are_refused_with_a_chinese_message_and_nothing_saved(notes):
    w, c, rid = notes
    bureau = c["county_admin"]
    before = bureau.get(f"/api/rounds/{rid}/notes").json()
    r = bureau.put(f"/api/rounds/{rid}/notes", json={"notes": {"主要成绩": "x", "主要做法与成效": "新"}})
    assert r.status_code == 422 and "县级说明没有章节「主要成绩」" in r.json()["error"]["message"]
    r = bureau.put(f"/api/rounds/{rid}/notes", json={"notes": {"主要做法与成效": "长" * 20_001}})
    assert r.status_code == 422 and "超过 20000 字" in r.json()["error"]["message"]
    assert bureau.get(f"/api/rounds/{rid}/notes").json() == before
