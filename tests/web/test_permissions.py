"""Every route × every role. The route list comes from the app itself, so a new route
without a line in ACCESS fails here until someone decides who may use it.

* Inside its own scope, a role listed for a route gets it (reads: 2xx/3xx), any other
  role is refused (403; not signed in: 401 or the sign-in page).
* Outside its scope — a county admin or viewer on the other county, a supervisor on
  another city, a clerk on school B of its own county or on the other county — every
  route, reads and writes, is refused, with a body that would otherwise be valid.
"""

from __future__ import annotations

import io
import re

import pytest

from junheng.analysis.progress import Target
from junheng.services.history import import_county_data
from junheng.storage.engine import write_transaction
from junheng.storage.targets import save_targets

from .conftest import HOME, OTHER, OTHER_SCHOOL, PDF, SCHOOL_A, SCHOOL_B, YEAR, county_data

ALL = frozenset({"admin", "supervisor", "county_admin", "clerk", "viewer", "auditor"})
AUDITORS = frozenset({"auditor"})  # the audit log is the 安全审计员's alone
READERS = frozenset({"admin", "supervisor", "county_admin", "viewer"})  # a county's dashboards
BUREAU = frozenset({"admin", "supervisor", "county_admin"})  # rounds, ledger, evidence (read)
MANAGERS = frozenset({"admin", "county_admin"})
SCHOOL = BUREAU | {"clerk"}  # a school's own submission
PUBLIC = "public"
OWNER = "owner"  # a job's own user only, whatever the role: tested in test_jobs.py

# (method, path) -> roles allowed inside their scope; writes are only checked for refusal.
ACCESS: dict[tuple[str, str], frozenset[str] | str] = {
    ("POST", "/api/auth/login"): PUBLIC,
    ("POST", "/api/auth/logout"): ALL,
    ("POST", "/api/auth/logout-all"): ALL,
    ("GET", "/api/me"): ALL,
    ("POST", "/api/me/password"): ALL,
    ("GET", "/account"): ALL,
    ("POST", "/account"): ALL,
    ("GET", "/api/users"): MANAGERS,
    ("POST", "/api/users"): MANAGERS,
    ("GET", "/api/users/{user_id}"): MANAGERS,
    ("PATCH", "/api/users/{user_id}"): MANAGERS,
    ("GET", "/api/audit"): AUDITORS,
    ("GET", "/api/counties/{county_code}/audit"): AUDITORS,
    ("GET", "/api/counties"): READERS,
    ("GET", "/api/counties/{county_code}/years"): READERS,
    ("GET", "/api/counties/{county_code}/dashboard"): READERS,
    ("GET", "/api/counties/{county_code}/schools/{school_code}"): READERS | {"clerk"},
    ("GET", "/api/regions/{region_code}"): frozenset({"admin", "supervisor"}),
    ("GET", "/api/template.xlsx"): ALL,
    ("GET", "/api/counties/{county_code}/years/{school_year}/workbook.xlsx"): READERS,
    ("GET", "/api/counties/{county_code}/years/{school_year}/result.xlsx"): READERS,
    ("GET", "/api/counties/{county_code}/years/{school_year}/report.html"): READERS,
    ("GET", "/api/counties/{county_code}/years/{school_year}/self-evaluation.docx"): READERS,
    ("GET", "/api/counties/{county_code}/years/{school_year}/self-evaluation.pdf"): READERS,
    ("GET", "/api/counties/{county_code}/years/{school_year}/annual.docx"): READERS,
    ("GET", "/api/counties/{county_code}/years/{school_year}/annual.pdf"): READERS,
    ("GET", "/api/counties/{county_code}/years/{school_year}/plan.xlsx"): READERS,
    ("GET", "/api/counties/{county_code}/years/{school_year}/plan.html"): READERS,
    ("GET", "/api/counties/{county_code}/years/{school_year}/teachers.xlsx"): READERS,
    ("GET", "/api/counties/{county_code}/years/{school_year}/teachers"): READERS,
    ("POST", "/api/counties/{county_code}/workbook"): MANAGERS,
    ("GET", "/api/counties/{county_code}/ledger"): BUREAU,
    ("PATCH", "/api/ledger/{entry_id}"): MANAGERS,
    ("GET", "/api/form-schema"): ALL,
    ("GET", "/api/rounds"): ALL - {"viewer", "auditor"},
    ("POST", "/api/rounds"): MANAGERS,
    ("GET", "/api/rounds/{round_id}"): BUREAU,
    ("PUT", "/api/rounds/{round_id}/county"): MANAGERS,
    ("POST", "/api/rounds/{round_id}/schools"): MANAGERS,
    ("POST", "/api/rounds/{round_id}/publish"): MANAGERS,
    ("GET", "/api/rounds/{round_id}/schools/{school_code}"): SCHOOL,
    ("PUT", "/api/rounds/{round_id}/schools/{school_code}"): MANAGERS | {"clerk"},
    ("POST", "/api/rounds/{round_id}/schools/{school_code}/validate"): MANAGERS | {"clerk"},
    ("POST", "/api/rounds/{round_id}/schools/{school_code}/submit"): MANAGERS | {"clerk"},
    ("POST", "/api/rounds/{round_id}/schools/{school_code}/review"): MANAGERS,
    ("POST", "/api/rounds/{round_id}/schools/{school_code}/upload"): MANAGERS | {"clerk"},
    ("GET", "/api/rounds/{round_id}/schools/{school_code}/workbook.xlsx"): SCHOOL,
    ("GET", "/api/rounds/{round_id}/kindergartens"): MANAGERS,  # the county's bureau only
    ("PUT", "/api/rounds/{round_id}/kindergartens"): MANAGERS,
    ("POST", "/api/rounds/{round_id}/kindergartens/validate"): MANAGERS,
    ("POST", "/api/rounds/{round_id}/kindergartens/upload"): MANAGERS,
    ("GET", "/api/rounds/{round_id}/kindergartens/workbook.xlsx"): MANAGERS,
    ("GET", "/api/rounds/{round_id}/notes"): MANAGERS,  # the bureau's own chapters (县级说明)
    ("PUT", "/api/rounds/{round_id}/notes"): MANAGERS,
    ("GET", "/api/rounds/{round_id}/evidence"): BUREAU,
    ("POST", "/api/rounds/{round_id}/evidence/{item_id}/files"): MANAGERS,
    ("PUT", "/api/rounds/{round_id}/evidence/{item_id}/judgement"): MANAGERS,
    ("GET", "/api/evidence/{file_id}"): BUREAU,
    ("DELETE", "/api/evidence/{file_id}"): MANAGERS,
    ("GET", "/login"): PUBLIC,
    ("POST", "/login"): PUBLIC,
    # the 社会认可度 questionnaire: anonymous respondents with a one-time code (tests/web/test_survey_pages.py)
    ("GET", "/s"): PUBLIC,
    ("GET", "/s/{code}"): PUBLIC,
    ("POST", "/s/{code}"): PUBLIC,
    ("POST", "/logout"): ALL,
    ("POST", "/logout-all"): ALL,
    ("GET", "/"): ALL,
    ("GET", "/counties/{county_code}"): READERS,
    ("GET", "/counties/{county_code}/survey"): READERS,
    ("GET", "/counties/{county_code}/plan"): READERS,
    ("GET", "/counties/{county_code}/teachers"): READERS,
    ("GET", "/counties/{county_code}/projects"): READERS,
    ("GET", "/counties/{county_code}/projects/edit"): MANAGERS,  # the ledger is the bureau's
    ("POST", "/counties/{county_code}/projects/save"): MANAGERS,
    ("GET", "/counties/{county_code}/schools/{school_code}"): READERS | {"clerk"},
    ("GET", "/regions/{region_code}"): frozenset({"admin", "supervisor"}),
    ("GET", "/users"): MANAGERS,
    ("POST", "/users"): MANAGERS,
    ("POST", "/users/{user_id}"): MANAGERS,
    ("GET", "/audit"): AUDITORS,
    ("GET", "/audit/export"): AUDITORS,
    ("GET", "/collection"): ALL - {"viewer", "auditor"},
    ("POST", "/collection/rounds"): MANAGERS,
    ("GET", "/rounds/{round_id}"): BUREAU,
    ("POST", "/rounds/{round_id}/schools"): MANAGERS,
    ("POST", "/rounds/{round_id}/publish"): MANAGERS,
    ("GET", "/rounds/{round_id}/schools/{school_code}"): SCHOOL,
    ("POST", "/rounds/{round_id}/schools/{school_code}/review"): MANAGERS,
    ("POST", "/rounds/{round_id}/schools/{school_code}/upload"): MANAGERS | {"clerk"},
    ("GET", "/rounds/{round_id}/county"): BUREAU,
    ("POST", "/rounds/{round_id}/county"): MANAGERS,
    ("GET", "/rounds/{round_id}/kindergartens"): MANAGERS,
    ("POST", "/rounds/{round_id}/kindergartens/upload"): MANAGERS,
    ("POST", "/rounds/{round_id}/notes"): MANAGERS,
    ("GET", "/rounds/{round_id}/evidence"): BUREAU,
    ("POST", "/rounds/{round_id}/evidence/{item_id}/files"): MANAGERS,
    ("POST", "/rounds/{round_id}/evidence/{item_id}/judgement"): MANAGERS,
    ("GET", "/ledger"): BUREAU,
    ("GET", "/counties/{county_code}/ledger"): BUREAU,
    ("POST", "/ledger/{entry_id}"): MANAGERS,
    ("POST", "/counties/{county_code}/upload"): MANAGERS,
    ("GET", "/imports/bulk"): frozenset({"admin"}),  # several counties' workbooks at once
    ("POST", "/imports/bulk"): frozenset({"admin"}),
    # confirming an implausible value: the county's bureau only (docs/validation.md)
    ("POST", "/api/counties/{county_code}/confirmations"): MANAGERS,
    ("GET", "/api/counties/{county_code}/confirmations"): BUREAU,
    ("POST", "/counties/{county_code}/confirmations"): MANAGERS,
    # 行动方案目标 (issue 15): the county's readers see them, its bureau changes them
    ("GET", "/counties/{county_code}/targets"): READERS,
    ("POST", "/counties/{county_code}/targets/upload"): MANAGERS,
    ("POST", "/counties/{county_code}/targets/edit"): MANAGERS,
    ("POST", "/counties/{county_code}/targets/{index}/delete"): MANAGERS,
    ("GET", "/api/counties/{county_code}/targets/template.xlsx"): READERS,
    ("GET", "/api/counties/{county_code}/targets.xlsx"): READERS,
    ("GET", "/api/counties/{county_code}/progress.xlsx"): READERS,
    ("GET", "/api/counties/{county_code}/progress"): READERS,
    # the analysis pages (学位与大班额 … 学前教育): the dashboard's readers
    ("GET", "/counties/{county_code}/analyses"): READERS,
    ("GET", "/counties/{county_code}/analyses/{page}"): READERS,
    ("GET", "/api/counties/{county_code}/analyses/{page}"): READERS,
    **{("GET", f"/api/counties/{{county_code}}/years/{{school_year}}/{page}.xlsx"): READERS
       for page in ("places", "groups", "afterschool", "flows", "preschool")},
    # jobs: anyone signed in lists its own; a job's page, progress and file are its owner's
    # alone (tests/web/test_jobs.py), queuing a report is for the county's readers
    ("GET", "/api/jobs"): ALL,
    ("GET", "/jobs"): ALL,
    ("GET", "/api/jobs/{job_id}"): OWNER,
    ("GET", "/api/jobs/{job_id}/result"): OWNER,
    ("GET", "/jobs/{job_id}"): OWNER,
    ("POST", "/counties/{county_code}/reports"): READERS,
}

# Allowed reads of data this world's county has not got (no kindergartens): 404, not 403.
NO_DATA_HERE = {"/api/counties/{county_code}/years/{school_year}/preschool.xlsx"}

# Routes whose target is the user's own scope whatever the form says (tested below).
SCOPED_BY_USER = {("POST", "/collection/rounds"), ("POST", "/users")}
UNSCOPED = {("GET", "/"), ("GET", "/collection"), ("GET", "/ledger"), ("GET", "/api/rounds"),
            ("GET", "/api/me"), ("POST", "/api/me/password"), ("GET", "/account"), ("POST", "/account"),
            ("GET", "/api/form-schema"), ("GET", "/api/template.xlsx"),
            ("POST", "/api/auth/logout"), ("POST", "/logout"), ("GET", "/api/users"), ("GET", "/users"),
            ("GET", "/audit"), ("GET", "/api/audit"), ("GET", "/api/counties"),
            ("POST", "/api/auth/logout-all"), ("POST", "/logout-all"), ("GET", "/audit/export"),
            ("GET", "/api/jobs"), ("GET", "/jobs"), ("GET", "/imports/bulk"), ("POST", "/imports/bulk")}


@pytest.fixture(scope="module", autouse=True)
def earlier_year(world):
    """The 年度答卷 compares a year with the years before it: both counties get one."""
    for code, first in ((HOME, SCHOOL_A), (OTHER, OTHER_SCHOOL)):
        import_county_data(world.engine, county_data(code, first, year=YEAR - 1), by="test")
        # a target each, so that its progress and downloads exist to be read (or refused)
        with write_transaction(world.engine) as conn:
            save_targets(conn, code, [Target("backbone_share", "全县", 0.3, 2030, YEAR - 1, 0.1)], by="test",
                         file_name=None, file_hash=None)


def app_routes(app) -> list[tuple[str, str]]:
    """(method, path) of every route, through FastAPI's included routers."""
    found = []

    def walk(routes):
        for r in routes:
            if hasattr(r, "effective_route_contexts"):
                walk(r.effective_route_contexts())
            elif getattr(r, "methods", None) and getattr(r, "path", None):
                found.extend((m, r.path) for m in r.methods if m != "HEAD")
    walk(app.routes)
    return sorted(set(found))


def test_every_route_is_classified(world):
    routes = app_routes(world.app)
    assert len(routes) > 60
    missing = [r for r in routes if r not in ACCESS and r[1] != "/openapi.json"]
    assert missing == []
    assert [r for r in ACCESS if r not in routes] == []


def targets(world, county: str, school: str) -> dict[str, str]:
    return {"county_code": county, "school_code": school, "round_id": str(world.rounds[county]),
            "region_code": county[:4], "school_year": str(YEAR), "item_id": "G1",
            "file_id": str(world.files[county]), "entry_id": str(world.ledger[county]),
            "user_id": str(world.users["viewer" if county == HOME else "other_viewer"]), "index": "0", "page": "flows", "job_id": "1"}


def fill(path: str, values: dict[str, str]) -> str:
    return re.sub(r"\{(\w+)\}", lambda m: values[m.group(1)], path)


def body_for(method: str, path: str, county: str, school: str) -> dict:
    """A request body that passes the app's own validation, so only permissions decide."""
    form = {"schools": {"name": "改名"}, "teachers": [], "classes": [], "rooms": []}
    kindergartens = {"kindergartens": [{"kindergarten_code": county + "9001", "name": "冒名幼儿园"}],
                     "kindergarten_classes": []}
    files = {"file": ("a.xlsx", io.BytesIO(b"PK\x03\x04 not really"), "application/octet-stream")}
    pdf = {"file": ("a.pdf", io.BytesIO(PDF), "application/pdf")}
    api = {
        "/api/users": {"json": {"username": "newbie", "password": "Long-enough-1", "role": "viewer",
                                "region_code": county}},
        "/api/users/{user_id}": {"json": {"display_name": "改名"}},
        "/api/ledger/{entry_id}": {"json": {"note": "试图修改"}},
        "/api/rounds": {"json": {"county_code": county, "school_year": 2031}},
        "/api/rounds/{round_id}/county": {"json": {"county": {}, "facts": {}}},
        "/api/rounds/{round_id}/schools": {"json": {"school_code": "9999999999", "name": "新学校"}},
        "/api/rounds/{round_id}/schools/{school_code}": {"json": {"data": form}},
        "/api/rounds/{round_id}/schools/{school_code}/validate": {"json": {"data": form}},
        "/api/rounds/{round_id}/schools/{school_code}/review": {"json": {"decision": "approve"}},
        "/api/rounds/{round_id}/kindergartens": {"json": {"data": kindergartens}},
        "/api/rounds/{round_id}/kindergartens/validate": {"json": {"data": kindergartens}},
        "/api/rounds/{round_id}/notes": {"json": {"notes": {"主要做法与成效": "冒名写的做法"}}},
        "/api/rounds/{round_id}/evidence/{item_id}/judgement": {"json": {"met": False}},
        "/users": {"data": {"username": "newbie", "password": "Long-enough-1", "role": "viewer"}},
        "/users/{user_id}": {"data": {"action": "disable"}},
        "/collection/rounds": {"data": {"school_year": "2031", "county_code": county}},
        "/rounds/{round_id}/schools": {"data": {"school_code": "9999999999", "name": "新学校"}},
        "/rounds/{round_id}/schools/{school_code}/review": {"data": {"decision": "approve"}},
        "/rounds/{round_id}/county": {"data": {"county.county_name": "改名县"}},
        "/rounds/{round_id}/notes": {"data": {"note.主要做法与成效": "冒名写的做法"}},
        "/rounds/{round_id}/evidence/{item_id}/judgement": {"data": {"met": "no"}},
        "/counties/{county_code}/reports": {"data": {"report": "self-evaluation", "format": "docx",
                                                    "school_year": str(YEAR)}},
        "/ledger/{entry_id}": {"data": {"owner": "某人", "deadline": "2030-01-01", "status": "open"}},
        "/api/counties/{county_code}/confirmations": {"json": {"sheet": "学校", "cell": "N2", "value": "1"}},
        "/counties/{county_code}/confirmations": {"data": {"sheet": "学校", "cell": "N2", "value": "1"}},
        "/counties/{county_code}/targets/edit": {"data": {"measure": "backbone_share", "target": "30",
                                                           "target_year": "2030"}},
    }
    if path == "/imports/bulk" and method == "POST":
        return {"files": [("files", f) for f in files.values()]}
    if path.endswith("/upload") or path.endswith("/workbook") and method == "POST":
        return {"files": files}
    if path.endswith("/files"):
        return {"files": pdf}
    return api.get(path, {}) if method != "GET" else {}


def request(client, method: str, url: str, path: str, county: str, school: str):
    return client.request(method, url, follow_redirects=False, **body_for(method, path, county, school))


OUTSIDE = {
    "supervisor": [(OTHER, OTHER_SCHOOL)],
    "county_admin": [(OTHER, OTHER_SCHOOL)],
    "viewer": [(OTHER, OTHER_SCHOOL)],
    "clerk": [(HOME, SCHOOL_B), (OTHER, OTHER_SCHOOL)],
    "county_auditor": [(OTHER, OTHER_SCHOOL)],
}


@pytest.mark.parametrize("role", sorted(OUTSIDE))
def test_nothing_outside_ones_scope(world, clients, role):
    """Reads and writes on the other county (or, for a clerk, school B): all refused."""
    wrong = []
    for method, path in app_routes(world.app):
        key = (method, path)
        if ACCESS.get(key) in (PUBLIC, OWNER) or key in UNSCOPED or key in SCOPED_BY_USER or path == "/openapi.json":
            continue
        for county, school in OUTSIDE[role]:
            if "{school_code}" not in path and "{county_code}" not in path and county == HOME:
                continue  # school B's clerk case only concerns routes naming a school or county
            url = fill(path, targets(world, county, school))
            r = request(clients[role], method, url, path, county, school)
            if r.status_code != 403:
                wrong.append((role, method, url, r.status_code, r.text[:120]))
    assert wrong == []


@pytest.mark.parametrize("role", sorted(ALL))
def test_reads_inside_ones_scope_follow_the_table(world, clients, role):
    """GET routes on the user's own county and school: allowed roles get them, others 403."""
    wrong = []
    for method, path in app_routes(world.app):
        allowed = ACCESS.get((method, path))
        if method != "GET" or allowed in (PUBLIC, OWNER) or path == "/openapi.json":
            continue
        url = fill(path, targets(world, HOME, SCHOOL_A))
        r = clients[role].get(url, follow_redirects=False)
        ok = r.status_code < 400 or (path in NO_DATA_HERE and r.status_code == 404)
        if (role in allowed) != ok or (not ok and r.status_code != 403):
            wrong.append((role, url, r.status_code, r.text[:160]))
    assert wrong == []


def test_not_signed_in_gets_401_from_the_api_and_the_sign_in_page_otherwise(world, clients):
    wrong = []
    for method, path in app_routes(world.app):
        if ACCESS.get((method, path)) == PUBLIC or path == "/openapi.json":
            continue
        url = fill(path, targets(world, HOME, SCHOOL_A))
        r = request(clients["anonymous"], method, url, path, HOME, SCHOOL_A)
        if path.startswith("/api/"):
            good = r.status_code == 401 and r.json()["error"]["code"] == "unauthenticated"
        elif method == "GET":
            good = r.status_code == 303 and r.headers["location"].startswith("/login")
        else:  # a form post without the sign-in form's cookie fails the CSRF check first
            good = r.status_code in (303, 403)
        if not good:
            wrong.append((method, url, r.status_code))
    assert wrong == []


def test_a_clerk_cannot_write_school_b_through_the_form(world, clients):
    """Changing the school code inside the posted form does not move the data: the
    submission is the one in the URL, and its code stays the URL's."""
    clerk = clients["clerk"]
    rid = world.rounds[HOME]
    before_b = clients["county_admin"].get(f"/api/rounds/{rid}/schools/{SCHOOL_B}").json()
    mine = clerk.get(f"/api/rounds/{rid}/schools/{SCHOOL_A}").json()
    form = mine["data"] | {"schools": {**mine["data"]["schools"], "school_code": SCHOOL_B,
                                       "name": "冒名学校"}}
    form["teachers"] = [{**t, "school_code": SCHOOL_B} for t in form["teachers"]]
    r = clerk.put(f"/api/rounds/{rid}/schools/{SCHOOL_A}", json={"data": form})
    assert r.status_code == 200
    after_b = clients["county_admin"].get(f"/api/rounds/{rid}/schools/{SCHOOL_B}").json()
    assert after_b["data"] == before_b["data"] and after_b["revision"] == before_b["revision"]
    checked = clients["county_admin"].get(f"/api/rounds/{rid}/schools/{SCHOOL_A}").json()
    assert not [i for i in checked["issues"] if i["severity"] == "error"]
    # and the data assembled from the form carries the URL's school code
    from junheng.services import submission_forms as sf

    lay = sf.layout({}, {}, [(SCHOOL_A, form)])
    assert {row[0] for row in lay.sheets["学校"][1:]} == {SCHOOL_A}
    assert {row[1] for row in lay.sheets["教师"][1:]} == {SCHOOL_A}


def test_a_county_admin_cannot_create_users_or_rounds_elsewhere_through_the_form(world, clients):
    admin = clients["county_admin"]
    r = admin.post("/users", data={"username": "intruder", "password": "Long-enough-1", "role": "viewer",
                                   "region_code": OTHER}, follow_redirects=False)
    assert r.status_code == 303
    users = {u["username"]: u for u in clients["admin"].get("/api/users").json()}
    assert users["intruder"]["region_code"] == HOME  # the form's county was ignored
    r = admin.post("/users", data={"username": "boss", "password": "Long-enough-1", "role": "admin"},
                   follow_redirects=False)
    assert r.status_code == 403 and "boss" not in {u["username"] for u in clients["admin"].get("/api/users").json()}
    r = admin.post("/collection/rounds", data={"school_year": "2033", "county_code": OTHER},
                   follow_redirects=False)
    assert r.status_code == 303
    rounds = clients["admin"].get("/api/rounds").json()
    assert {(x["county_code"], x["school_year"]) for x in rounds if x["school_year"] == 2033} == {(HOME, 2033)}


def test_the_county_list_is_cut_to_the_region(clients):
    listed = {role: {c["county_code"] for c in clients[role].get("/api/counties").json()}
              for role in ("admin", "supervisor", "county_admin", "viewer", "other_viewer")}
    assert listed == {"admin": {HOME, OTHER}, "supervisor": {HOME}, "county_admin": {HOME},
                      "viewer": {HOME}, "other_viewer": {OTHER}}


def test_a_county_admin_cannot_import_another_countys_workbook_into_its_own(world, clients, tmp_path):
    from junheng.templates.writer import write_county_workbook

    from .conftest import county_data

    path = tmp_path / "other.xlsx"
    write_county_workbook(county_data(OTHER, OTHER_SCHOOL, year=2026), path)
    r = clients["county_admin"].post(f"/api/counties/{HOME}/workbook",
                                     files={"file": ("other.xlsx", path.read_bytes())})
    assert r.status_code == 422
    assert f"县区代码 {OTHER} 与当前县区 {HOME} 不一致" in r.json()["error"]["message"]


@pytest.mark.parametrize("role", sorted(ALL - {"admin"}))
def test_writes_inside_ones_scope_are_refused_to_roles_not_in_the_table(world, clients, role):
    """Non-GET routes on the user's own county and school: a role the table does not
    list is refused (403) — e.g. a clerk, supervisor or viewer of the county writing
    its kindergartens. (Allowed writes change the shared world; their tests are elsewhere.)"""
    wrong = []
    for method, path in app_routes(world.app):
        allowed = ACCESS.get((method, path))
        if method == "GET" or allowed in (PUBLIC, OWNER) or role in allowed:
            continue
        url = fill(path, targets(world, HOME, SCHOOL_A))
        r = request(clients[role], method, url, path, HOME, SCHOOL_A)
        if r.status_code != 403:
            wrong.append((role, method, url, r.status_code, r.text[:160]))
    assert wrong == []


def test_the_kindergarten_part_is_the_county_bureaus_alone(world, clients):
    """Kindergartens are not shown to a supervisor, viewer or clerk of the county,
    and stay as they were after every refused write."""
    rid = world.rounds[HOME]
    before = clients["county_admin"].get(f"/api/rounds/{rid}/kindergartens").json()
    for role in ("supervisor", "viewer", "clerk", "clerk_b", "other_admin", "other_viewer"):
        for method, url in (("GET", f"/api/rounds/{rid}/kindergartens"),
                            ("PUT", f"/api/rounds/{rid}/kindergartens"),
                            ("POST", f"/api/rounds/{rid}/kindergartens/validate"),
                            ("GET", f"/rounds/{rid}/kindergartens")):
            r = clients[role].request(method, url, json={"data": {"kindergartens": []}} if method != "GET" else None)
            assert r.status_code == 403, (role, method, url, r.status_code)
            assert "冒名" not in r.text
    # the round page links to the part for the bureau only
    assert 'id="kg-link"' in clients["county_admin"].get(f"/rounds/{rid}").text
    assert 'id="kg-link"' not in clients["supervisor"].get(f"/rounds/{rid}").text
    after = clients["county_admin"].get(f"/api/rounds/{rid}/kindergartens").json()
    assert after["data"] == before["data"] and after["revision"] == before["revision"]
