"""The county's kindergarten part of a collection round (学前教育): carried over from
last year, edited and uploaded by the bureau with the importer's located messages,
errors block publishing, and the published county-year holds the kindergartens so it
evaluates under xqpp-2020."""

from __future__ import annotations

import io
import random
import re

import openpyxl
import pytest

from junheng.core.engine import evaluate
from junheng.core.errors import NotFoundError
from junheng.intake import read_county_workbook
from junheng.samples.preschool import generate_kindergartens
from junheng.services import submission_forms as sf
from junheng.services.comparison import compare_data
from junheng.services.history import import_county_data, load
from junheng.standards import load_standard
from junheng.templates.writer import write_county_workbook

from .conftest import HOME, OTHER, OTHER_SCHOOL, SCHOOL_A, build_world, county_data, sign_in

SCHOOLS = (SCHOOL_A, SCHOOL_A[:-1] + "2", SCHOOL_A[:-1] + "3")
PRESCHOOL_FACTS = {
    "population_3_5": 1400, "rural_townships": 3, "kg_public_funding_standard": 600.0,
    "kg_inclusive_subsidy_standard": 500.0, "kg_nonstaff_avg_pay": 52400.0, "kg_staff_avg_pay": 66800.0,
    "kg_estate_ok": True, "kg_scientific_care_ok": True, "kg_no_primary_style": True,
    "preschool_satisfaction_pct": 90.4, "urban_subdistricts": 2,
}


def with_kindergartens(code: str, first_school: str, year: int):
    data = county_data(code, first_school, year=year, weak=False)
    kgs, classes = generate_kindergartens(code, data.county.name, 10, random.Random(7), year)
    data.extra_tables = {"kindergartens": kgs, "kindergarten_classes": classes}
    data.facts = {**data.facts, **PRESCHOOL_FACTS}
    return data


@pytest.fixture
def kg(tmp_path, db_url):
    """County 350404 with 2025 stored with kindergartens, and its 2026 round opened by
    the bureau through the API; on SQLite and on PostgreSQL."""
    w = build_world(tmp_path, None if db_url.startswith("sqlite") else db_url)
    last = with_kindergartens(HOME, SCHOOL_A, 2025)
    import_county_data(w.engine, last, by="test")
    c = {name: sign_in(w.app, name) for name in ("admin", "county_admin", "other_admin", "county_auditor")}
    r = c["county_admin"].post("/api/rounds", json={"county_code": HOME, "school_year": 2026})
    assert r.status_code == 201
    yield w, c, r.json()["id"], last
    w.engine.dispose()


def approve_every_school(bureau, rid: int):
    last = None
    for school in SCHOOLS:
        assert bureau.post(f"/api/rounds/{rid}/schools/{school}/submit").status_code == 200
    for school in SCHOOLS:
        last = bureau.post(f"/api/rounds/{rid}/schools/{school}/review", json={"decision": "approve"})
        assert last.status_code == 200
    return last.json()


def test_the_round_starts_from_last_years_kindergartens_and_publishing_stores_them(kg):
    w, c, rid, last = kg
    bureau = c["county_admin"]
    url = f"/api/rounds/{rid}/kindergartens"
    view = bureau.get(url).json()
    kgs, classes = last.extra_tables["kindergartens"], last.extra_tables["kindergarten_classes"]
    assert view["counts"] == {"kindergartens": len(kgs), "kindergarten_classes": len(classes)}
    assert view["issues"] == [] and view["revision"] == 1 and view["missing_facts"] == []
    first = view["data"]["kindergartens"][0]
    assert first["kindergarten_code"] == kgs[0].code and first["category"] == "公办"
    assert first["central"] == "是" and first["teachers"] == kgs[0].teachers

    # the bureau edits: one more teacher in the first, a new kindergarten with one class
    data = view["data"]
    data["kindergartens"][0]["teachers"] = kgs[0].teachers + 1
    data["kindergartens"][0]["certified_teachers"] = kgs[0].certified_teachers + 1
    data["kindergartens"].append({
        "kindergarten_code": HOME + "8001", "name": "新建实验幼儿园", "category": "普惠性民办",
        "urban_rural": "城区", "township": "城关街道", "township_kind": "街道", "central": "否",
        "children_small": 20, "children_middle": "0", "children_large": 0, "teachers": 2,
        "nursery_staff": 1, "full_day": "是", "certified_teachers": 2, "principals": 1,
        "certified_principals": 1, "outdoor_play_area": 100, "activity_room_area": "180",
        "building_area": 240.5, "built_year": 2025})
    data["kindergarten_classes"].append({"kindergarten_code": HOME + "8001", "class_type": "小班",
                                         "class_name": "小（1）班", "children": 20})
    saved = bureau.put(url, json={"data": data, "revision": view["revision"]})
    assert saved.status_code == 200 and saved.json()["errors"] == 0 and saved.json()["revision"] == 2
    # a save from the old revision is refused, not lost
    stale = bureau.put(url, json={"data": view["data"], "revision": view["revision"]})
    assert stale.status_code == 409 and "刷新" in stale.json()["error"]["message"]

    published = approve_every_school(bureau, rid)["published"]
    assert published["school_year"] == 2026 and published["version"] == 1

    stored = load(w.engine, HOME, 2026)
    by_code = {k.code: k for k in stored.extra_tables["kindergartens"]}
    assert len(by_code) == len(kgs) + 1
    assert by_code[kgs[0].code].teachers == kgs[0].teachers + 1
    new = by_code[HOME + "8001"]
    assert (new.name, new.category.value, new.children, new.activity_room_area) == \
        ("新建实验幼儿园", "inclusive_private", 20, 180)
    assert len(stored.extra_tables["kindergarten_classes"]) == len(classes) + 1

    # the stored year is evaluable under the 2020 preschool standard: nothing missing
    ev = evaluate(stored, load_standard("xqpp-2020"))
    assert all(item.evaluable for item in ev.items.values()), [i for i, r in ev.items.items() if not r.evaluable]
    children = sum(k.children for k in by_code.values())
    assert ev.items["X1"].value == pytest.approx(children / PRESCHOOL_FACTS["population_3_5"])
    (outcome,) = [o for o in compare_data(stored) if o.standard.id == "xqpp-2020"]
    assert outcome.complete

    # the audit log holds the change, old -> new, by path
    audit = c["county_auditor"].get(f"/api/counties/{HOME}/audit?limit=1000").json()
    (save,) = [a for a in audit if a["entity"] == "kindergartens"]
    assert save["entity_zh"] == "幼儿园填报" and save["actor"] == "county_admin"
    assert save["old"]["幼儿园[1].teachers"] == kgs[0].teachers
    assert save["new"]["幼儿园[1].teachers"] == kgs[0].teachers + 1
    assert save["old"][f"幼儿园[{len(kgs) + 1}]"] is None
    assert save["new"][f"幼儿园[{len(kgs) + 1}]"]["name"] == "新建实验幼儿园"
    opened = [a for a in audit if a["action"] == "open" and a["entity_key"] == f"{HOME}/2026"]
    assert opened[0]["new"]["kindergartens"] == len(kgs)

    # a change after publishing opens the round again; the next publish is version 2
    view = bureau.get(url).json()
    view["data"]["kindergartens"].pop()
    view["data"]["kindergarten_classes"].pop()
    bureau.put(url, json={"data": view["data"], "revision": view["revision"]})
    assert bureau.get(f"/api/rounds/{rid}").json()["status"] == "open"
    assert bureau.post(f"/api/rounds/{rid}/publish").json()["version"] == 2
    assert len(load(w.engine, HOME, 2026).extra_tables["kindergartens"]) == len(kgs)


def test_malformed_kindergartens_get_the_importers_located_chinese_messages(kg, tmp_path):
    w, c, rid, last = kg
    bureau = c["county_admin"]
    url = f"/api/rounds/{rid}/kindergartens"
    data = bureau.get(url).json()["data"]
    data["kindergartens"][1]["teachers"] = "五"
    data["kindergartens"][2]["category"] = "私立"
    data["kindergartens"][3]["certified_teachers"] = 999  # more than its teachers
    data["kindergarten_classes"][0]["kindergarten_code"] = HOME + "7777"
    data["kindergarten_classes"][1]["children"] = None
    r = bureau.post(url + "/validate", json={"data": data})
    assert r.status_code == 200
    errors = {(i["table"], i["index"], i["field"]): i["message"] for i in r.json()["issues"]
              if i["severity"] == "error"}
    assert set(errors) == {("kindergartens", 1, "teachers"), ("kindergartens", 2, "category"),
                           ("kindergartens", 3, "certified_teachers"),
                           ("kindergarten_classes", 0, "kindergarten_code"),
                           ("kindergarten_classes", 1, "children")}
    assert errors[("kindergartens", 1, "teachers")] == '幼儿园 第3行 K列「专任教师数（人）」的值 "五" 不是整数'
    assert errors[("kindergartens", 2, "category")].startswith('幼儿园 第4行 C列「办园性质」的值 "私立" 不是可选值')
    assert errors[("kindergarten_classes", 0, "kindergarten_code")].startswith(
        f'幼儿园班级 第2行 A列「幼儿园标识码」的值 "{HOME}7777" 在「幼儿园」工作表中不存在')
    assert "不能为空" in errors[("kindergarten_classes", 1, "children")]

    # the same cells in a workbook give the same sentences from `junheng validate`
    path = tmp_path / "same.xlsx"
    write_county_workbook(last, path)
    book = openpyxl.load_workbook(path)
    book["幼儿园"]["K3"] = "五"
    book["幼儿园"]["C4"] = "私立"
    book["幼儿园"]["L5"] = 999
    book["幼儿园班级"]["A2"] = HOME + "7777"
    book["幼儿园班级"]["D3"] = None
    book.save(path)
    cli = {i.message for i in read_county_workbook(path).report.errors}
    assert set(errors.values()) <= cli

    # saved as a draft, errors and all; they block publishing (and the last approval's publish)
    assert bureau.put(url, json={"data": data}).json()["errors"] == 5
    done = approve_every_school(bureau, rid)
    assert done["published"] is None and "幼儿园数据有 5 处错误" in done["publish_blocked"]
    r = bureau.post(f"/api/rounds/{rid}/publish")
    assert r.status_code == 422 and r.json()["error"]["code"] == "kindergartens-invalid"
    assert {d["message"] for d in r.json()["error"]["details"]} == set(errors.values())
    with pytest.raises(NotFoundError):
        load(w.engine, HOME, 2026)

    # malformed shapes are refused with a Chinese message, nothing saved
    for bad in ({"kindergartens": "全县"}, {"kindergartens": [["a"]]}, {"kindergartens": [{"name": {"x": 1}}]}):
        r = bureau.put(url, json={"data": bad})
        assert r.status_code == 422 and re.search(r"[\u4e00-\u9fff]", r.json()["error"]["message"])
    assert bureau.get(url).json()["errors"] == 5


def test_the_bureau_uploads_the_kindergarten_sheets(kg, tmp_path):
    w, c, rid, last = kg
    bureau = c["county_admin"]
    url = f"/api/rounds/{rid}/kindergartens"
    # the downloaded part holds 基本信息 and the two sheets; filled in Excel, it comes back
    part = bureau.get(url + "/workbook.xlsx")
    assert part.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(part.content))
    assert book["幼儿园"].max_row == len(last.extra_tables["kindergartens"]) + 1
    assert book["学校"].max_row == 1
    book["幼儿园"]["B2"] = "改名中心幼儿园"
    book["幼儿园"].delete_rows(3)
    buffer = io.BytesIO()
    book.save(buffer)
    classes_of_deleted = [k for k in last.extra_tables["kindergarten_classes"]
                          if k.kindergarten_code == last.extra_tables["kindergartens"][1].code]
    r = bureau.post(url + "/upload", files={"file": ("幼儿园.xlsx", buffer.getvalue())})
    # the deleted kindergarten's classes now point nowhere: located errors, nothing read
    assert r.status_code == 422 and r.json()["error"]["code"] == "workbook-invalid"
    details = [d for d in r.json()["error"]["details"] if d["severity"] == "error"]
    assert len(details) == len(classes_of_deleted)
    assert all(d["sheet"] == "幼儿园班级" and d["column"] == "A" and "不存在" in d["message"] for d in details)
    assert bureau.get(url).json()["revision"] == 1
    for row in range(book["幼儿园班级"].max_row, 1, -1):
        if book["幼儿园班级"].cell(row, 1).value == last.extra_tables["kindergartens"][1].code:
            book["幼儿园班级"].delete_rows(row)
    buffer = io.BytesIO()
    book.save(buffer)
    r = bureau.post(url + "/upload", files={"file": ("幼儿园.xlsx", buffer.getvalue())})
    assert r.status_code == 200, r.text
    view = r.json()
    assert view["counts"]["kindergartens"] == len(last.extra_tables["kindergartens"]) - 1
    assert view["data"]["kindergartens"][0]["name"] == "改名中心幼儿园" and view["errors"] == 0

    # the county's whole workbook works too (only its kindergarten sheets are read) ...
    whole = tmp_path / "whole.xlsx"
    write_county_workbook(last, whole)
    r = bureau.post(url + "/upload", files={"file": ("全县.xlsx", whole.read_bytes())})
    assert r.status_code == 200 and r.json()["counts"]["kindergartens"] == len(last.extra_tables["kindergartens"])
    # ... but not another county's, nor one without kindergartens
    other = tmp_path / "other.xlsx"
    write_county_workbook(with_kindergartens(OTHER, OTHER_SCHOOL, 2025), other)
    r = bureau.post(url + "/upload", files={"file": ("外县.xlsx", other.read_bytes())})
    assert r.status_code == 422 and f"县区代码 {OTHER} 与本轮填报的县区 {HOME} 不一致" in r.json()["error"]["message"]
    plain = tmp_path / "plain.xlsx"
    write_county_workbook(county_data(HOME, SCHOOL_A), plain)
    r = bureau.post(url + "/upload", files={"file": ("无幼儿园.xlsx", plain.read_bytes())})
    assert r.status_code == 422 and "没有「幼儿园」工作表" in r.json()["error"]["message"]
    # the upload limits hold here as for every workbook
    r = bureau.post(url + "/upload", files={"file": ("坏.xlsx", b"not a workbook")})
    assert r.status_code == 422 and "xlsx" in r.json()["error"]["details"][0]["message"]


def test_a_round_without_kindergartens_publishes_a_year_without_them(tmp_path):
    """No kindergartens last year, none filled: the year has no kindergarten sheets, and
    xqpp-2020 says which inputs are missing (as before)."""
    w = build_world(tmp_path)
    bureau = sign_in(w.app, "county_admin")
    rid = w.rounds[HOME]
    view = bureau.get(f"/api/rounds/{rid}/kindergartens").json()
    assert view["revision"] == 0 and view["counts"] == {"kindergartens": 0, "kindergarten_classes": 0}
    assert "3—5岁常住人口数（人）" in view["missing_facts"]
    page = bureau.get(f"/rounds/{rid}").text
    assert "本轮没有填报幼儿园" in page
    for school in SCHOOLS:
        bureau.post(f"/api/rounds/{rid}/schools/{school}/submit")
    for school in SCHOOLS:
        bureau.post(f"/api/rounds/{rid}/schools/{school}/review", json={"decision": "approve"})
    stored = load(w.engine, HOME, 2025)
    assert "kindergartens" not in stored.extra_tables
    (outcome,) = [o for o in compare_data(stored) if o.standard.id == "xqpp-2020"]
    assert "kindergartens" in {m.key for m in outcome.missing}
    w.engine.dispose()


def test_the_kindergarten_page_and_its_upload_form(kg, tmp_path):
    """The page draws its tables from the template's columns; the upload form, as a
    browser posts it, fills them."""
    w, c, rid, last = kg
    bureau = c["county_admin"]
    page = bureau.get(f"/rounds/{rid}/kindergartens")
    assert page.status_code == 200
    assert "幼儿园（学前教育）" in page.text and 'id="table-kindergartens"' in page.text
    assert 'id="table-kindergarten_classes"' in page.text and 'id="missing-facts"' not in page.text
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    whole = tmp_path / "whole.xlsx"
    last.extra_tables["kindergartens"][0].name = "上传的中心幼儿园"
    write_county_workbook(last, whole)
    r = bureau.post(f"/rounds/{rid}/kindergartens/upload", data={"csrf_token": token},
                    files={"file": ("全县.xlsx", whole.read_bytes())}, follow_redirects=False)
    assert r.status_code == 303
    assert 'class="flash ok"' in bureau.get(r.headers["location"]).text
    assert bureau.get(f"/api/rounds/{rid}/kindergartens").json()["data"]["kindergartens"][0]["name"] == \
        "上传的中心幼儿园"
    r = bureau.post(f"/rounds/{rid}/kindergartens/upload", data={"csrf_token": token},
                    files={"file": ("坏.xlsx", b"PK\x03\x04 broken")}, follow_redirects=False)
    assert r.status_code == 422 and "未读入" in r.text
    # the round page counts them next to the publish button
    assert f"幼儿园 {len(last.extra_tables['kindergartens'])} 所" in bureau.get(f"/rounds/{rid}").text


def test_every_sheet_of_the_template_is_collected_by_a_round():
    """Schools fill theirs; the bureau fills 基本信息, 县级指标, the kindergarten sheets
    and the 县级说明 (its text blocks on the round page, services/round_notes.py)."""
    tables = {*sf.SCHOOL_TABLES, "county", "facts", *sf.KINDERGARTEN_TABLES}
    # 项目台账: carried from the base year (test_projects_page), changed by importing the workbook
    assert {s.key for s in sf.spec().sheets} == tables | {sf.NOTES_KEY, sf.PROJECTS_KEY}
    assert set(sf.form_schema()) == tables
    assert sf.note_chapters() == list(sf.spec().enums["county_note_chapter"])
