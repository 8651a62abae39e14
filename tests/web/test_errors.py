"""One JSON error shape for every API error; Chinese error pages without a stack trace."""

from __future__ import annotations

import re

import pytest
from fastapi import APIRouter

from junheng.settings import Settings
from junheng.web.app import create_app

from .conftest import HOME, SCHOOL_A, sign_in


def assert_error_shape(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    err = body["error"]
    assert set(err) == {"code", "message", "details"}
    assert isinstance(err["details"], list)
    assert re.search(r"[\u4e00-\u9fff]", err["message"]), err  # Chinese
    assert "Traceback" not in response.text
    if code:
        assert err["code"] == code
    return err


def test_every_api_error_has_one_shape(world, clients):
    admin, clerk = clients["admin"], clients["clerk"]
    rid = world.rounds[HOME]
    assert_error_shape(admin.get("/api/no-such-thing"), 404, "not-found")
    assert_error_shape(admin.get("/api/counties/999999/dashboard"), 404, "not-found")
    assert_error_shape(admin.delete("/api/rounds"), 405, "method-not-allowed")
    err = assert_error_shape(admin.post("/api/rounds", json={"county_code": HOME}), 422, "invalid-request")
    assert err["details"][0]["location"] == "body.school_year" and err["details"][0]["message"] == "缺少此项"
    assert_error_shape(admin.post("/api/rounds", content=b"{not json", headers={"content-type": "application/json"}),
                       422, "invalid-request")
    assert_error_shape(clerk.get(f"/api/counties/{HOME}/dashboard"), 403, "forbidden")
    assert_error_shape(clients["anonymous"].get("/api/me"), 401, "unauthenticated")
    assert_error_shape(admin.post("/api/rounds", json={"county_code": HOME, "school_year": 2025}), 409, "conflict")
    big = b"x" * (21 << 20)
    assert_error_shape(admin.post(f"/api/counties/{HOME}/workbook", files={"file": ("big.xlsx", big)}), 413,
                       "too-large")
    err = assert_error_shape(clerk.post(f"/api/rounds/{rid}/schools/{SCHOOL_A}/review",
                                        json={"decision": "approve"}), 403)
    assert "审核" in err["message"]


def test_a_server_error_is_the_same_shape_and_hides_the_trace(tmp_path):
    app = create_app(Settings(data_dir=tmp_path))
    boom = APIRouter()

    @boom.get("/api/boom")
    def explode():
        raise RuntimeError("secret internals /etc/passwd")

    @boom.get("/boom")
    def explode_page():
        raise RuntimeError("secret internals /etc/passwd")

    app.include_router(boom)
    from fastapi.testclient import TestClient

    client = TestClient(app, raise_server_exceptions=False)
    r = client.get("/api/boom")
    err = assert_error_shape(r, 500, "internal-error")
    assert "secret" not in r.text and "错误编号" in err["message"]
    page = client.get("/boom")
    assert page.status_code == 500 and "系统出错" in page.text
    assert "secret" not in page.text and "Traceback" not in page.text
    app.state.engine.dispose()


@pytest.mark.parametrize("url, status, words", [
    ("/no-such-page", 404, "找不到页面"),
    ("/counties/350502", 403, "没有权限"),
])
def test_pages_show_chinese_error_pages(clients, url, status, words):
    r = clients["county_admin"].get(url)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("text/html")
    assert words in r.text and "Traceback" not in r.text
    assert "退出" in r.text  # the signed-in header, even on a path no route matched


def test_security_headers_on_every_response(clients):
    for r in (clients["admin"].get("/"), clients["admin"].get("/api/me"), clients["anonymous"].get("/login")):
        assert r.headers["x-content-type-options"] == "nosniff"
        assert r.headers["x-frame-options"] == "DENY"
        assert "script-src 'self'" in r.headers["content-security-policy"]


def test_openapi_document_is_served_and_describes_the_api(clients):
    doc = clients["anonymous"].get("/openapi.json").json()
    assert "/api/rounds/{round_id}/schools/{school_code}/submit" in doc["paths"]
    assert not any(p.startswith("/rounds") or p == "/login" for p in doc["paths"])  # pages are not API


def test_no_page_loads_anything_from_another_host(world, clients):
    """Intranet: every script, style and image comes from this server."""
    admin = sign_in(world.app, "admin")
    for url in ("/", f"/counties/{HOME}", f"/rounds/{world.rounds[HOME]}/schools/{SCHOOL_A}", "/login"):
        html = admin.get(url).text
        for ref in re.findall(r'(?:src|href)="([^"]+)"', html):
            assert ref.startswith("/") or ref.startswith("#") or ref.startswith("?"), (url, ref)
    assert admin.get("/vendor/echarts.min.js").status_code == 200
