"""The bureau edits its 项目台账 on the web (issue 16 §2): add, change, delete a project,
checked as the workbook's sheet is, stored as a new version of the county-year (the
fact sheet's project figures follow), audited; supervisors and viewers only read,
clerks and other counties are refused. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from junheng.services.history import versions
from junheng.storage.engine import read_connection

from .conftest import HOME, SCHOOL_A, SCHOOL_B, YEAR, build_world, sign_in

NEW = {"name": "城关小学改扩建", "school_code": SCHOOL_A, "kind": "改扩建", "start_year": "2023",
       "finish_year": str(YEAR), "status": "已竣工", "primary_places": "270", "teaching_area": "800",
       "invest_county": "650.5", "progress": "已交付使用"}


@pytest.fixture
def site(tmp_path, db_url):
    w = build_world(tmp_path, db_url, job_workers=0)
    clients = {name: sign_in(w.app, name) for name in ("county_admin", "admin", "supervisor", "viewer", "clerk",
                                                        "other_admin")}
    yield w, clients
    w.engine.dispose()


def _version(w) -> int:
    return versions(w.engine, HOME, YEAR)[-1].version


def stored_figures(w) -> dict:
    from junheng.storage import repository as repo

    with read_connection(w.engine) as conn:
        return repo.load_snapshot(conn, repo.find_version(conn, HOME, YEAR).id).summary["figures"]


def save(client, w, cells, original="", delete=""):
    return client.post(f"/counties/{HOME}/projects/save", follow_redirects=False, data={
        "csrf_token": client.headers["X-CSRF-Token"], "year": str(YEAR), "version": str(_version(w)),
        "original": original, "delete": delete, **cells})


def totals(client) -> str:
    page = client.get(f"/counties/{HOME}/projects", params={"year": YEAR})
    assert page.status_code == 200
    return page.text


def test_the_bureau_adds_changes_and_deletes_a_project(site):
    w, c = site
    bureau = c["county_admin"]
    assert 'id="no-ledger"' in totals(bureau) and 'id="add-project"' in totals(bureau)
    form = bureau.get(f"/counties/{HOME}/projects/edit", params={"year": YEAR})
    assert form.status_code == 200 and "新建学校，尚无标识码" in form.text and "改扩建" in form.text
    first = _version(w)
    r = save(bureau, w, NEW)
    assert r.status_code == 303, r.text[-1500:]
    html = totals(bureau)
    assert "城关小学改扩建" in html and "已交付使用" in html
    assert "竣工项目新增学位</th><td class=\"num\">270 个" in html  # the fact sheet's figure, refreshed
    assert _version(w) == first + 1
    assert stored_figures(w)["places_added"] == 270  # the stored summary (trends, targets) too
    places = bureau.get(f"/api/counties/{HOME}/analyses/places", params={"year": YEAR}).json()
    assert places["version"] == first + 1  # the places page reads the new version
    # change: a new school added next year, still being built
    r = save(bureau, w, {**NEW, "finish_year": str(YEAR + 2), "status": "在建", "primary_places": "540"},
             original=NEW["name"])
    assert r.status_code == 303, r.text[-1500:]
    html = totals(bureau)
    assert "竣工项目新增学位</th><td class=\"num\">0 个" in html
    assert "在建和已立项项目将新增学位</th><td class=\"num\">540 个" in html
    assert (stored_figures(w)["places_added"], stored_figures(w)["places_coming"]) == (0, 540)
    r = save(bureau, w, {}, original=NEW["name"], delete="1")
    assert r.status_code == 303
    html = totals(bureau)
    table = html.split('id="projects"', 1)[1]
    assert "城关小学改扩建" not in table and "「项目台账」工作表中没有项目" in table and "已删除项目“城关小学改扩建”" in html
    assert _version(w) == first + 3  # every change a version: the history is kept
    from sqlalchemy import select

    from junheng.storage.web_models import AuditEntry

    with read_connection(w.engine) as conn:
        lines = conn.execute(select(AuditEntry.action, AuditEntry.actor, AuditEntry.old, AuditEntry.new)
                             .where(AuditEntry.entity == "project").order_by(AuditEntry.id)).all()
    assert [(a, who) for a, who, *_ in lines] == [("create", "county_admin"), ("update", "county_admin"),
                                                 ("delete", "county_admin")]
    assert lines[1].old["finish_year"] == YEAR and lines[1].new["finish_year"] == str(YEAR + 2)


def test_bad_input_is_refused_with_the_workbooks_messages(site):
    w, c = site
    bureau = c["county_admin"]
    before = _version(w)
    r = save(bureau, w, {**NEW, "finish_year": "2020", "primary_places": "很多", "school_code": "3504049999",
                         "kind": ""})
    assert r.status_code == 422
    for text in ("项目台账有 4 处错误，未保存",
                 "项目台账 第2行 F列「竣工年份」的值 2020 早于开工年份 2023",
                 "项目台账 第2行 H列「新增小学学位（个）」的值 \"很多\" 不是整数",
                 "项目台账 第2行 B列「学校标识码」的值 \"3504049999\" 在「学校」工作表中不存在"):
        assert text.replace('"', "&#34;") in r.text or text in r.text, text
    assert "「项目类型」" in r.text and 'value="很多"' in r.text  # the form keeps what was typed
    new_school = save(bureau, w, {**NEW, "school_code": "", "kind": "新建"})
    assert new_school.status_code == 422 and "新建学校" in new_school.text and "学校名称" in new_school.text
    assert save(bureau, w, NEW).status_code == 303
    twice = save(bureau, w, {**NEW, "school_code": SCHOOL_B})  # the same name again
    assert twice.status_code == 422 and "城关小学改扩建" in twice.text
    assert _version(w) == before + 1  # only the good one stored
    stale = bureau.post(f"/counties/{HOME}/projects/save", data={
        "csrf_token": bureau.headers["X-CSRF-Token"], "year": str(YEAR), "version": str(before), **NEW})
    assert stale.status_code == 409 and "已被他人修改" in stale.text
    forged = bureau.post(f"/counties/{HOME}/projects/save", data={"year": str(YEAR), "version": "1", **NEW},
                         headers={"X-CSRF-Token": ""})
    assert forged.status_code == 403


def test_only_the_bureau_edits(site):
    w, c = site
    assert save(c["admin"], w, NEW).status_code == 303  # the system admin may
    for who in ("supervisor", "viewer", "clerk", "other_admin"):
        assert c[who].get(f"/counties/{HOME}/projects/edit", params={"year": YEAR}).status_code == 403, who
        r = save(c[who], w, {**NEW, "name": f"{who}的项目"})
        assert r.status_code == 403, who
    for who in ("supervisor", "viewer"):  # they read, without the edit buttons
        html = totals(c[who])
        assert "城关小学改扩建" in html and 'id="add-project"' not in html and "/projects/edit" not in html
    assert c["clerk"].get(f"/counties/{HOME}/projects").status_code == 403


def test_the_round_of_the_same_year_carries_the_edit(site):
    """The open round of 2025 publishes the ledger as edited on the web, not the one it
    carried in when it opened."""
    from junheng.services import collection
    from junheng.services import submission_forms as sf
    from junheng.services.history import import_county_data

    from .conftest import county_data

    w, c = site
    import_county_data(w.engine, county_data(HOME, SCHOOL_A, year=YEAR + 1), by="test")
    bureau = c["county_admin"]
    r = bureau.post(f"/counties/{HOME}/projects/save", follow_redirects=False, data={
        "csrf_token": bureau.headers["X-CSRF-Token"], "year": str(YEAR + 1),
        "version": str(versions(w.engine, HOME, YEAR + 1)[-1].version), **NEW, "finish_year": str(YEAR + 2),
        "status": "在建"})
    assert r.status_code == 303, r.text[-1500:]
    with read_connection(w.engine) as conn:
        facts = collection.load_round(conn, w.rounds[HOME]).facts
    assert [(p["name"], p["status"], p["primary_places"]) for p in facts[sf.PROJECTS_KEY]] == \
        [("城关小学改扩建", "在建", 270)]
