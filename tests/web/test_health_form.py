"""A school clerk fills the 学生健康 part of the school form (the sheet comes from the
template like the others): the importer's located messages on the form, and the
published county-year keeps the school's health row."""

from __future__ import annotations

import pytest

from junheng.services.submission_forms import form_schema
from junheng.storage import repository as repo
from junheng.storage.engine import read_connection

from .conftest import HOME, SCHOOL_A, build_world, sign_in
from .test_collection import approve_all, school_url


@pytest.fixture
def fresh(tmp_path, db_url):
    """Each test on SQLite and on PostgreSQL, as tests/web/test_collection.py."""
    w = build_world(tmp_path, None if db_url.startswith("sqlite") else db_url)
    yield w, {name: sign_in(w.app, name) for name in ("admin", "county_admin", "clerk", "clerk_b")}
    w.engine.dispose()


def test_the_schema_has_the_health_table_without_the_school_code(fresh):
    w, c = fresh
    schema = form_schema()["health"]
    keys = [f["key"] for f in schema["fields"]]
    assert schema["sheet"] == "学生健康" and "school_code" not in keys
    assert keys[:3] == ["fitness_tested", "fitness_passed", "fitness_pass_pct"]
    page = c["clerk"].get(f"/rounds/{w.rounds[HOME]}/schools/{SCHOOL_A}")
    assert page.status_code == 200 and 'id="table-health"' in page.text and "学生健康" in page.text


def test_the_clerk_fills_the_health_row_and_it_is_published(fresh):
    w, c = fresh
    clerk = c["clerk"]
    view = clerk.get(school_url(w)).json()
    assert view["data"]["health"] == []  # last year's data have no 学生健康 sheet
    form = view["data"]
    # SCHOOL_A has 200 小学 pupils: 201 tested is more than it has; 95 % does not match 180 / 195
    form["health"] = [{"fitness_tested": 201, "fitness_passed": 180, "fitness_pass_pct": 95,
                       "screened_primary": 200, "myopia_primary": 70, "psych_full_time": 0,
                       "psych_part_time": 1, "pe_hours_lower": 4, "pe_hours_upper": 3, "labour_hours_primary": 1}]
    issues = clerk.post(school_url(w) + "/validate", json={"data": form}).json()["issues"]
    errors = {(i["table"], i["index"], i["field"], i["code"]) for i in issues if i["severity"] == "error"}
    assert errors == {("health", 0, "fitness_tested", "health-exceeds-students"),
                      ("health", 0, "fitness_pass_pct", "health-rate-mismatch")}
    message = next(i["message"] for i in issues if i["code"] == "health-exceeds-students")
    assert message.startswith("学生健康 第2行 B列「体质健康测试人数（人）」的值 201")
    form["health"][0].update(fitness_tested=195, fitness_pass_pct=None)
    r = clerk.put(school_url(w), json={"data": form, "revision": view["revision"]})
    assert r.status_code == 200 and r.json()["errors"] == 0
    assert clerk.get(school_url(w)).json()["data"]["health"][0]["fitness_tested"] == 195
    published = approve_all(w, c)
    with read_connection(w.engine) as conn:
        data = repo.load_county_data(conn, HOME, published["school_year"])
    (row,) = data.extra_tables["health"]
    assert (row.school_code, row.fitness_tested, row.fitness_passed, row.myopia_primary) == (SCHOOL_A, 195, 180, 70)
