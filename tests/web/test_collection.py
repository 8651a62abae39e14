"""The collection workflow through the JSON API: the importer's messages on the form,
errors block, warnings need a 说明, return with a comment, approve, publish to a
county-year, the ledger follows the data; evidence judgements set county facts."""

from __future__ import annotations

import pytest

from junheng.intake import read_county_workbook
from junheng.templates.writer import write_county_workbook

from .conftest import HOME, PDF, SCHOOL_A, SCHOOL_B, build_world, county_data, job_page, sign_in


@pytest.fixture
def fresh(tmp_path, db_url):
    """Each test on SQLite and on PostgreSQL (tests/storage/conftest.py's databases)."""
    w = build_world(tmp_path, None if db_url.startswith("sqlite") else db_url)
    yield w, {name: sign_in(w.app, name) for name in ("admin", "county_admin", "clerk", "clerk_b",
                                                              "county_auditor")}
    w.engine.dispose()


def school_url(w, school=SCHOOL_A) -> str:
    return f"/api/rounds/{w.rounds[HOME]}/schools/{school}"


def test_the_form_starts_from_last_year_and_gets_the_importers_messages(fresh, tmp_path):
    w, c = fresh
    view = c["clerk"].get(school_url(w)).json()
    assert view["status"] == "draft" and view["data"]["schools"]["teaching_area"] == 600
    assert len(view["data"]["teachers"]) == 12 and view["data"]["classes"][0]["stage"] == "小学"
    form = view["data"]
    form["schools"]["teaching_area"] = "一千"
    form["teachers"][2]["degree"] = "博士"
    issues = c["clerk"].post(school_url(w) + "/validate", json={"data": form}).json()["issues"]
    by_field = {(i["table"], i["index"], i["field"]): i for i in issues if i["severity"] == "error"}
    assert set(by_field) == {("schools", 0, "teaching_area"), ("teachers", 2, "degree")}
    # the same cells in a workbook give the same sentences from `junheng validate`
    data = county_data(HOME, SCHOOL_A)
    data.schools = data.schools[:1]
    data.teachers = [t for t in data.teachers if t.school_code == SCHOOL_A]
    data.classes = [k for k in data.classes if k.school_code == SCHOOL_A]
    data.rooms = [r for r in data.rooms if r.school_code == SCHOOL_A]
    path = tmp_path / "a.xlsx"
    write_county_workbook(data, path)
    import openpyxl

    book = openpyxl.load_workbook(path)
    book["学校"]["K2"] = "一千"
    book["教师"]["D4"] = "博士"
    book.save(path)
    cli = {i.message for i in read_county_workbook(path).report.errors}
    assert by_field[("schools", 0, "teaching_area")]["message"] in cli
    assert by_field[("teachers", 2, "degree")]["message"] in cli


def test_errors_block_warnings_need_an_explanation_then_the_bureau_reviews(fresh):
    w, c = fresh
    clerk, bureau = c["clerk"], c["county_admin"]
    view = clerk.get(school_url(w)).json()
    form = view["data"]
    form["classes"][0]["students"] = None
    r = clerk.put(school_url(w), json={"data": form, "revision": view["revision"]})
    assert r.status_code == 200 and r.json()["errors"] >= 1
    r = clerk.post(school_url(w) + "/submit")
    assert r.status_code == 422 and r.json()["error"]["code"] == "submission-invalid"
    assert "不能为空" in r.json()["error"]["details"][0]["message"]
    # fixed, but the sports ground tripled since last year: a warning that needs a 说明
    view = clerk.get(school_url(w)).json()
    form = view["data"]
    form["classes"][0]["students"] = 40
    form["schools"]["sports_area"] = 1800
    clerk.put(school_url(w), json={"data": form, "revision": view["revision"]})
    r = clerk.post(school_url(w) + "/submit")
    assert r.status_code == 422 and r.json()["error"]["code"] == "explanation-required"
    (warning,) = r.json()["error"]["details"]
    assert warning["key"] == "jump:sports_area" and "600" in warning["message"] and "1800" in warning["message"]
    view = clerk.get(school_url(w)).json()
    clerk.put(school_url(w), json={"data": view["data"], "revision": view["revision"],
                                   "explanations": {"jump:sports_area": "新建了标准运动场"}})
    r = clerk.post(school_url(w) + "/submit")
    assert r.status_code == 200 and r.json()["status"] == "submitted"
    # submitted: the clerk cannot change it any more
    r = clerk.put(school_url(w), json={"data": form})
    assert r.status_code == 409 and "等待审核" in r.json()["error"]["message"]
    # a return needs a comment, which the clerk then sees
    assert bureau.post(school_url(w) + "/review", json={"decision": "return"}).status_code == 422
    r = bureau.post(school_url(w) + "/review", json={"decision": "return", "comment": "教学用房面积请核实"})
    assert r.json()["status"] == "returned"
    view = clerk.get(school_url(w)).json()
    assert view["comment"] == "教学用房面积请核实" and view["can_edit"]
    assert [e["action"] for e in view["events"]] == ["submit", "return"]


def test_a_stale_revision_is_refused_not_lost(fresh):
    w, c = fresh
    clerk, bureau = c["clerk"], c["county_admin"]
    view = clerk.get(school_url(w)).json()
    first = bureau.put(school_url(w), json={"data": view["data"], "revision": view["revision"]})
    assert first.status_code == 200
    r = clerk.put(school_url(w), json={"data": view["data"], "revision": view["revision"]})
    assert r.status_code == 409 and "刷新" in r.json()["error"]["message"]


def approve_all(w, c, fix=True):
    clerk, bureau = c["clerk"], c["county_admin"]
    for school in (SCHOOL_A, SCHOOL_B, SCHOOL_A[:-1] + "3"):
        who = clerk if school == SCHOOL_A else bureau
        view = who.get(school_url(w, school)).json()
        notes = {}
        if school == SCHOOL_A and fix:
            view["data"]["schools"]["teaching_area"] = 1000
            view["data"]["schools"]["sports_area"] = 1600
            notes = {"jump:teaching_area": "新建教学楼", "jump:sports_area": "新建运动场"}
        who.put(school_url(w, school), json={"data": view["data"], "explanations": notes})
        assert who.post(school_url(w, school) + "/submit").status_code == 200
    last = None
    for school in (SCHOOL_A, SCHOOL_B, SCHOOL_A[:-1] + "3"):
        last = bureau.post(school_url(w, school) + "/review", json={"decision": "approve"})
        assert last.status_code == 200
    return last.json()["published"]


def test_the_last_approval_publishes_the_county_year_and_the_ledger_follows(fresh):
    w, c = fresh
    bureau = c["county_admin"]
    before = bureau.get(f"/api/counties/{HOME}/dashboard").json()
    assert before["school_year"] == 2024 and before["recognised"] is False
    ledger = bureau.get(f"/api/counties/{HOME}/ledger").json()
    mine = [e for e in ledger if e["school_code"] == SCHOOL_A]
    assert {e["item_id"] for e in mine} == {"R4", "R5"} and all(e["status"] == "open" for e in mine)
    # the bureau may set owner, deadline, in progress — but not close it by hand
    entry = mine[0]
    r = bureau.patch(f"/api/ledger/{entry['id']}", json={"owner": "张校长", "status": "in_progress"})
    assert r.json()["owner"] == "张校长" and r.json()["status"] == "in_progress"
    assert bureau.patch(f"/api/ledger/{entry['id']}", json={"status": "closed"}).status_code == 422
    published = approve_all(w, c)
    assert published == {"county_code": HOME, "school_year": 2025, "version": 1, "recognised": True}
    after = bureau.get(f"/api/counties/{HOME}/dashboard").json()
    assert after["school_year"] == 2025 and after["recognised"] is True and after["years"] == [2024, 2025]
    ledger = {e["id"]: e for e in bureau.get(f"/api/counties/{HOME}/ledger").json()}
    assert ledger[entry["id"]]["status"] == "closed" and ledger[entry["id"]]["closed_year"] == 2025
    assert bureau.patch(f"/api/ledger/{entry['id']}", json={"note": "x"}).status_code == 409
    # the audit log holds the whole story, with old -> new values
    audit = c["county_auditor"].get(f"/api/counties/{HOME}/audit?limit=1000").json()
    saves = [a for a in audit if a["action"] == "save" and a["entity_key"].endswith(SCHOOL_A)]
    assert any(a["old"].get("学校.teaching_area") == 600 and a["new"].get("学校.teaching_area") == 1000
               for a in saves)
    assert {"publish", "approve", "submit", "open"} <= {a["action"] for a in audit}


def test_publishing_needs_every_school_approved(fresh):
    w, c = fresh
    r = c["county_admin"].post(f"/api/rounds/{w.rounds[HOME]}/publish")
    assert r.status_code == 409 and "还有 3 所学校未通过审核" in r.json()["error"]["message"]


def test_evidence_judgements_set_the_county_facts(fresh):
    w, c = fresh
    bureau = c["county_admin"]
    rid = w.rounds[HOME]
    ev = bureau.get(f"/api/rounds/{rid}/evidence").json()
    assert [i["id"] for i in ev["items"]] == ["P2", "G1", "G2", "G10", "Q3", "Q5", "Q6", "Q7", "Q8"]
    assert bureau.put(f"/api/rounds/{rid}/evidence/G2/judgement", json={"met": True}).status_code == 422
    r = bureau.post(f"/api/rounds/{rid}/evidence/G2/files", files={"file": ("城乡统一.pdf", PDF)})
    assert r.status_code == 201
    exe = bureau.post(f"/api/rounds/{rid}/evidence/G2/files", files={"file": ("报告.pdf", b"MZ\x90\x00")})
    assert exe.status_code == 422 and "只接受" in exe.json()["error"]["message"]
    r = bureau.put(f"/api/rounds/{rid}/evidence/G2/judgement", json={"met": False, "comment": "教师编制标准不统一"})
    g2 = next(i for i in r.json()["items"] if i["id"] == "G2")
    assert g2["judgement"]["met"] is False and g2["value"] == "否"
    assert bureau.get(f"/api/rounds/{rid}").json()["facts"]["four_unified"] == "否"
    published = approve_all(w, c)
    assert published["recognised"] is False  # G2 judged not met
    dash = bureau.get(f"/api/counties/{HOME}/dashboard").json()
    assert [i["id"] for i in dash["failing_items"]] == ["G2"]
    content = bureau.get(f"/api/evidence/{w.files[HOME]}")
    assert content.status_code == 200 and content.content == PDF
    assert "attachment" in content.headers["content-disposition"]


def test_a_school_uploads_its_own_part_of_the_workbook(fresh, tmp_path):
    w, c = fresh
    clerk = c["clerk"]
    part = clerk.get(school_url(w) + "/workbook.xlsx")
    assert part.status_code == 200
    path = tmp_path / "mine.xlsx"
    path.write_bytes(part.content)
    import openpyxl

    book = openpyxl.load_workbook(path)
    assert book["学校"].max_row == 2  # its own row only
    book["学校"]["K2"] = 999
    book.save(path)
    r = clerk.post(school_url(w) + "/upload", files={"file": ("本校.xlsx", path.read_bytes())})
    assert r.status_code == 200 and r.json()["data"]["schools"]["teaching_area"] == 999
    # a workbook with another school's rows is refused
    whole = tmp_path / "whole.xlsx"
    write_county_workbook(county_data(HOME, SCHOOL_A), whole)
    r = clerk.post(school_url(w) + "/upload", files={"file": ("全县.xlsx", whole.read_bytes())})
    assert r.status_code == 422 and SCHOOL_B in r.json()["error"]["message"]


def test_returning_after_publishing_reopens_the_round_and_the_next_publish_is_a_new_version(fresh):
    w, c = fresh
    bureau, clerk = c["county_admin"], c["clerk"]
    assert approve_all(w, c)["version"] == 1
    rid = w.rounds[HOME]
    r = bureau.post(school_url(w) + "/review", json={"decision": "return", "comment": "班额数据需更正"})
    assert r.json()["status"] == "returned"
    assert bureau.get(f"/api/rounds/{rid}").json()["status"] == "open"
    assert clerk.post(school_url(w) + "/submit").status_code == 200
    r = bureau.post(school_url(w) + "/review", json={"decision": "approve"})
    assert r.json()["published"]["version"] == 2
    detail = bureau.get(f"/api/rounds/{rid}").json()
    assert detail["status"] == "published" and detail["published_version"] == 2


def test_the_bureau_works_through_html_forms_too(fresh, tmp_path):
    """The county facts form and the whole-workbook upload, as a browser posts them."""
    import re

    w, c = fresh
    bureau = c["county_admin"]
    rid = w.rounds[HOME]
    token = re.search(r'name="csrf_token" value="([^"]+)"', bureau.get(f"/rounds/{rid}/county").text).group(1)
    r = bureau.post(f"/rounds/{rid}/county", data={"csrf_token": token, "county.county_name": "新名县",
                                                     "facts.satisfaction_pct": "120"}, follow_redirects=False)
    assert r.status_code == 422 and "社会认可度" in r.text and "120" in r.text  # the importer's range check
    r = bureau.post(f"/rounds/{rid}/county", data={"csrf_token": token, "county.county_name": "新名县",
                                                     "facts.satisfaction_pct": "93.5"}, follow_redirects=False)
    assert r.status_code == 303
    detail = bureau.get(f"/api/rounds/{rid}").json()
    assert detail["county"]["county_name"] == "新名县" and detail["facts"]["satisfaction_pct"] == "93.5"  # cells as typed
    path = tmp_path / "whole.xlsx"
    write_county_workbook(county_data(HOME, SCHOOL_A, year=2027, weak=False), path)
    r = bureau.post(f"/counties/{HOME}/upload", data={"csrf_token": token},
                    files={"file": ("全县2027.xlsx", path.read_bytes())}, follow_redirects=False)
    done = job_page(bureau, r)  # imported by a worker process; its page links to the year
    assert "已入库" in done.text and f"/counties/{HOME}?year=2027" in done.text
    assert bureau.get(f"/api/counties/{HOME}/dashboard").json()["school_year"] == 2027


def test_two_saves_from_the_same_revision_one_wins_the_other_is_refused(fresh):
    """At the service level, as two racing requests would be after both read revision r."""
    import threading

    from junheng.services import accounts, collection

    w, c = fresh
    view = c["clerk"].get(school_url(w)).json()
    admin = accounts.Principal(w.users["county_admin"], "county_admin", "x", accounts.Role.COUNTY_ADMIN, HOME)
    results: list[str] = []
    barrier = threading.Barrier(2)

    def save(area):
        data = {**view["data"], "schools": {**view["data"]["schools"], "teaching_area": area}}
        barrier.wait()
        try:
            collection.save_form(w.engine, admin, w.rounds[HOME], SCHOOL_A, data, revision=view["revision"])
            results.append(f"saved {area}")
        except Exception as exc:  # noqa: BLE001
            results.append(type(exc).__name__)

    threads = [threading.Thread(target=save, args=(a,)) for a in (700, 800)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(r.split()[0] for r in results) == ["ConflictError", "saved"]
    stored = c["clerk"].get(school_url(w)).json()
    assert stored["revision"] == view["revision"] + 1
    assert f"saved {stored['data']['schools']['teaching_area']}" in results
