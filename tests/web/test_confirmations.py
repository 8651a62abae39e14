"""The web's 确认 of an implausible value: only the county's bureau may confirm, the
confirmation is a line of the audit log (who, when, value, reason), and it holds for
a re-upload of the same workbook while the cell keeps the same value."""

from __future__ import annotations

import pytest

from junheng.services.accounts import Principal, Role
from junheng.services.audit_view import audit_lines
from junheng.templates.writer import write_county_workbook

from .conftest import HOME, SCHOOL_A, build_world, county_data, job_page, sign_in


@pytest.fixture(scope="module")
def bureau(tmp_path_factory):
    w = build_world(tmp_path_factory.mktemp("confirm"))
    yield w, {name: sign_in(w.app, name) for name in ("county_admin", "clerk", "viewer", "other_admin")}
    w.engine.dispose()


def workbook(tmp_path, equipment: float) -> bytes:
    """The county with its first school (200 pupils) holding ``equipment`` 万元."""
    data = county_data(HOME, SCHOOL_A, year=2026, weak=False)
    data.schools[0].equipment_value = equipment
    path = write_county_workbook(data, tmp_path / f"county-{equipment}.xlsx")
    return path.read_bytes()


def upload(client, content: bytes):
    return client.post(f"/api/counties/{HOME}/workbook", files={"file": ("县.xlsx", content)})


def implausible(response) -> dict:
    assert response.status_code == 422, response.text
    [issue] = [d for d in response.json()["error"]["details"] if d["code"] == "value-implausible"]
    return issue


def test_confirm_then_reupload_the_same_workbook(bureau, tmp_path):
    w, clients = bureau
    admin = clients["county_admin"]
    content = workbook(tmp_path, 3000)  # 150,000 元 per pupil
    issue = implausible(upload(admin, content))
    assert issue["sheet"] == "学校" and issue["value"] == "3000"
    assert "生均教学仪器设备值 150000 元" in issue["message"]
    body = {"sheet": issue["sheet"], "cell": issue["cell"], "value": issue["value"],
            "reason": "新建实验楼，设备一次性购置"}
    r = admin.post(f"/api/counties/{HOME}/confirmations", json=body)
    assert r.status_code == 200, r.text
    assert r.json()["by"] == "county_admin"
    stored = upload(admin, content)
    assert stored.status_code == 200, stored.text
    assert any(i["code"] == "value-confirmed" and "新建实验楼" in i["message"]
               for i in stored.json()["warnings"])
    # the audit log says who, when, which cell, what value and why
    reader = Principal(w.users["auditor"], "auditor", "auditor", Role.AUDITOR)
    [line] = [a for a in audit_lines(w.engine, reader, county_code=HOME) if a.action == "confirm"]
    assert line.actor == "county_admin" and line.entity == "confirmation"
    assert line.new == {"sheet": "学校", "cell": issue["cell"], "value": "3000",
                        "reason": "新建实验楼，设备一次性购置"}
    assert line.at is not None
    listed = admin.get(f"/api/counties/{HOME}/confirmations").json()
    assert listed[0]["value"] == "3000" and listed[0]["by"] == "county_admin"
    # another value in the same cell is not confirmed
    again = implausible(upload(admin, workbook(tmp_path, 3100)))
    assert again["cell"] == issue["cell"] and again["value"] == "3100"


@pytest.mark.parametrize("who", ["clerk", "viewer", "other_admin"])
def test_only_the_county_bureau_may_confirm(bureau, who):
    w, clients = bureau
    r = clients[who].post(f"/api/counties/{HOME}/confirmations",
                          json={"sheet": "学校", "cell": "N2", "value": "3000", "reason": "x"})
    assert r.status_code == 403, r.text
    reader = Principal(w.users["auditor"], "auditor", "auditor", Role.AUDITOR)
    assert not [a for a in audit_lines(w.engine, reader, county_code=HOME)
                if a.action == "confirm" and a.actor == who]


def test_a_bad_cell_reference_is_refused(bureau):
    _, clients = bureau
    r = clients["county_admin"].post(f"/api/counties/{HOME}/confirmations",
                                     json={"sheet": "学校", "cell": "2N", "value": "1"})
    assert r.status_code == 422


def test_the_upload_page_has_a_confirm_button_per_value(bureau, tmp_path):
    w, clients = bureau
    admin = clients["county_admin"]
    page = job_page(admin, admin.post(f"/counties/{HOME}/upload",
                                      files={"file": ("县.xlsx", workbook(tmp_path, 4000))}, follow_redirects=False))
    html = page.text
    assert "未完成" in html
    assert f'action="/counties/{HOME}/confirmations"' in html
    assert 'name="value" value="4000"' in html and "无误</button>" in html
    cell = html.split('name="cell" value="')[1].split('"')[0]
    done = admin.post(f"/counties/{HOME}/confirmations",
                      data={"sheet": "学校", "cell": cell, "value": "4000", "reason": "核实无误"},
                      follow_redirects=False)
    assert done.status_code == 303
    stored = job_page(admin, admin.post(f"/counties/{HOME}/upload",
                                        files={"file": ("县.xlsx", workbook(tmp_path, 4000))}, follow_redirects=False))
    assert "已入库" in stored.text, stored.text
