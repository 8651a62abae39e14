"""Sign-in: argon2 hashes, session cookies, CSRF on every form and API write, the
sign-in rate limit, sign-out and deactivation, the audit of changes."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import insert, select

from junheng.services import accounts
from junheng.settings import Settings
from junheng.storage.web_models import SignInFailure, User, WebSession
from junheng.web.app import create_app

from .conftest import HOME, PASSWORD, SCHOOL_A, sign_in


def fresh_app(tmp_path, **settings):
    app = create_app(Settings(data_dir=tmp_path, **settings))
    accounts.create_user(app.state.engine, None, username="bureau", password=PASSWORD,
                         role="county_admin", region_code=HOME)
    return app


def test_passwords_are_argon2_hashes_and_tokens_are_not_stored(tmp_path):
    app = fresh_app(tmp_path)
    client = sign_in(app, "bureau")
    with app.state.engine.connect() as conn:
        stored = conn.execute(select(User.password_hash)).scalar_one()
        token_hashes = conn.execute(select(WebSession.token_hash)).scalars().all()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    cookie = client.cookies.get("junheng_session")
    assert cookie and cookie not in token_hashes and len(token_hashes) == 1
    app.state.engine.dispose()


def test_session_cookie_flags(tmp_path):
    app = fresh_app(tmp_path)
    client = TestClient(app)
    r = client.post("/api/auth/login", json={"username": "bureau", "password": PASSWORD})
    header = r.headers["set-cookie"].lower()
    assert "httponly" in header and "samesite=lax" in header and "secure" not in header
    https = TestClient(app, base_url="https://testserver")
    r = https.post("/api/auth/login", json={"username": "bureau", "password": PASSWORD})
    assert "secure" in r.headers["set-cookie"].lower()
    forced = TestClient(fresh_app(tmp_path / "b", web_cookie_secure=True))
    r = forced.post("/api/auth/login", json={"username": "bureau", "password": PASSWORD})
    assert "secure" in r.headers["set-cookie"].lower()
    app.state.engine.dispose()


def test_csrf_is_required_on_api_writes_and_forms(world, clients):
    client = sign_in(world.app, "county_admin")
    token = client.headers.pop("X-CSRF-Token")
    rid = world.rounds[HOME]
    url = f"/api/rounds/{rid}/schools/{SCHOOL_A}/validate"
    body = {"data": {"schools": {}}}
    assert client.post(url, json=body).status_code == 403
    assert client.post(url, json=body, headers={"X-CSRF-Token": "forged"}).status_code == 403
    assert client.post(url, json=body, headers={"X-CSRF-Token": token}).status_code == 200
    # an HTML form: the hidden field, taken from the page
    page = client.get(f"/rounds/{rid}")
    field = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    assert field == token
    form = {"school_code": "3504049999", "name": "新建学校"}
    assert client.post(f"/rounds/{rid}/schools", data=form, follow_redirects=False).status_code == 403
    r = client.post(f"/rounds/{rid}/schools", data=form | {"csrf_token": field}, follow_redirects=False)
    assert r.status_code == 303 and "msg=" not in r.headers["location"]
    # the message comes from the session, once
    assert "已添加学校 新建学校" in client.get(r.headers["location"]).text
    assert "已添加学校 新建学校" not in client.get(r.headers["location"]).text


def test_the_sign_in_form_needs_its_own_cookie(tmp_path):
    app = fresh_app(tmp_path)
    client = TestClient(app)
    form = {"username": "bureau", "password": PASSWORD, "next": "/"}
    assert client.post("/login", data=form | {"csrf_token": "guess"}, follow_redirects=False).status_code == 403
    page = client.get("/login")
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    r = client.post("/login", data=form | {"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303 and client.cookies.get("junheng_session")
    # an outside "next" is not followed
    r = client.post("/login", data=form | {"csrf_token": token, "next": "//evil.example/"},
                    follow_redirects=False)
    assert r.headers["location"] == "/"
    app.state.engine.dispose()


def test_sign_in_attempts_are_rate_limited(tmp_path):
    app = fresh_app(tmp_path, web_login_max_failures=3)
    client = TestClient(app)
    for _ in range(3):
        r = client.post("/api/auth/login", json={"username": "bureau", "password": "wrong-password"})
        assert r.status_code == 401 and r.json()["error"]["message"] == "用户名或密码不正确"
    r = client.post("/api/auth/login", json={"username": "bureau", "password": PASSWORD})
    assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
    assert "分钟后再试" in r.json()["error"]["message"]
    # an unknown user name fails the same way as a wrong password
    r = client.post("/api/auth/login", json={"username": "nobody", "password": "whatever-1"})
    assert r.status_code == 401 and r.json()["error"]["message"] == "用户名或密码不正确"
    app.state.engine.dispose()


def test_sign_out_and_deactivation_end_sessions(tmp_path):
    app = fresh_app(tmp_path)
    engine = app.state.engine
    a = sign_in(app, "bureau")
    assert a.post("/api/auth/logout").status_code == 204
    assert a.get("/api/me").status_code == 401
    admin_user = accounts.create_user(engine, None, username="root", password=PASSWORD, role="admin")
    b = sign_in(app, "bureau")
    root = sign_in(app, "root")
    bureau_id = next(u["id"] for u in root.get("/api/users").json() if u["username"] == "bureau")
    assert root.patch(f"/api/users/{bureau_id}", json={"active": False}).status_code == 200
    assert b.get("/api/me").status_code == 401
    r = TestClient(app).post("/api/auth/login", json={"username": "bureau", "password": PASSWORD})
    assert r.status_code == 401
    r = root.patch(f"/api/users/{admin_user.id}", json={"active": False})
    assert r.status_code == 422 and "不能停用自己" in r.json()["error"]["message"]
    accounts.create_user(engine, None, username="officer", password=PASSWORD, role="auditor")
    audit = sign_in(app, "officer").get("/api/audit").json()  # the 安全审计员 reads the log
    change = next(a for a in audit if a["entity"] == "user" and a["action"] == "update")
    assert change["actor"] == "root" and change["old"] == {"active": True} and change["new"] == {"active": False}
    engine.dispose()


def test_weak_passwords_and_bad_scopes_are_refused_in_chinese(tmp_path):
    app = fresh_app(tmp_path)
    engine = app.state.engine
    cases = [
        (dict(username="x1", password="short", role="viewer", region_code=HOME), "至少 8 位"),
        (dict(username="x2", password=PASSWORD, role="clerk", region_code=HOME), "学校标识码"),
        (dict(username="x3", password=PASSWORD, role="county_admin", region_code="3504"), "6 位县区代码"),
        (dict(username="x 4", password=PASSWORD, role="viewer", region_code=HOME), "用户名"),
        (dict(username="x5", password=PASSWORD, role="boss", region_code=HOME), "角色 boss 无效"),
    ]
    for kwargs, words in cases:
        try:
            accounts.create_user(engine, None, **kwargs)
        except Exception as exc:  # noqa: BLE001
            assert words in exc.message, (kwargs, exc.message)
        else:
            raise AssertionError(kwargs)
    engine.dispose()


def test_a_user_changes_its_own_password(tmp_path):
    app = fresh_app(tmp_path)
    first, second = sign_in(app, "bureau"), sign_in(app, "bureau")
    wrong = first.post("/api/me/password", json={"current_password": "nope-nope", "new_password": "New-password-1"})
    assert wrong.status_code == 422 and wrong.json()["error"]["message"] == "当前密码不正确"
    r = first.post("/api/me/password", json={"current_password": PASSWORD, "new_password": "New-password-1"})
    assert r.status_code == 204
    assert first.get("/api/me").status_code == 200  # this browser stays signed in
    assert second.get("/api/me").status_code == 401  # the others are signed out
    assert sign_in(app, "bureau", "New-password-1").get("/api/me").status_code == 200
    app.state.engine.dispose()


def _wrong(client, username="bureau"):
    return client.post("/api/auth/login", json={"username": username, "password": "wrong-password"})


def test_the_sign_in_limit_holds_across_app_instances(tmp_path, db_url):
    """Two app instances (two `junheng serve` workers) on one database share the limit."""
    settings = Settings(data_dir=tmp_path, database_url=db_url, web_login_max_failures=4,
                        web_login_delay_after=0)  # the account's own delay: test_security
    first, second = create_app(settings), create_app(settings)
    accounts.create_user(first.state.engine, None, username="bureau", password=PASSWORD,
                         role="county_admin", region_code=HOME)
    a, b = TestClient(first), TestClient(second)
    assert [_wrong(c).status_code for c in (a, b, a, b)] == [401] * 4
    for c in (a, b):  # four failures in all: both workers refuse the fifth, even the right password
        r = c.post("/api/auth/login", json={"username": "bureau", "password": PASSWORD})
        assert r.status_code == 429 and int(r.headers["retry-after"]) > 0
    assert first.state.limiter.kept() == 4  # refused attempts are not counted again
    for app in (first, second):
        app.state.engine.dispose()


def test_a_success_clears_the_name_but_not_the_address(tmp_path, db_url):
    settings = Settings(data_dir=tmp_path, database_url=db_url, web_login_max_failures=2)
    app = create_app(settings)
    for name in ("bureau", "other"):
        accounts.create_user(app.state.engine, None, username=name, password=PASSWORD,
                             role="county_admin", region_code=HOME)
    client = TestClient(app)
    assert _wrong(client).status_code == 401
    assert client.post("/api/auth/login", json={"username": "bureau", "password": PASSWORD}).status_code == 200
    client = TestClient(app)  # signed out again (same address)
    assert [_wrong(client).status_code for _ in range(3)] == [401, 401, 429]  # two again after a success
    assert app.state.limiter.kept() == 3
    # per address: ten times the per-name allowance across all names, then every name is refused
    limiter = app.state.limiter
    for i in range(20 - 3):
        assert _wrong(client, f"name{i}").status_code == 401
    assert _wrong(client, "other").status_code == 429
    assert limiter.kept() == 20
    app.state.engine.dispose()


def test_parallel_attempts_cannot_pass_the_limit(tmp_path, db_url):
    """Each attempt is counted before its password is checked, so a burst of parallel
    requests gets exactly the allowance."""
    settings = Settings(data_dir=tmp_path, database_url=db_url, web_login_max_failures=3)
    apps = [create_app(settings), create_app(settings)]
    accounts.create_user(apps[0].state.engine, None, username="bureau", password=PASSWORD,
                         role="county_admin", region_code=HOME)
    clients = [TestClient(app) for app in apps]
    with ThreadPoolExecutor(8) as pool:
        codes = sorted(pool.map(lambda i: _wrong(clients[i % 2]).status_code, range(10)))
    assert codes == [401] * 3 + [429] * 7
    for app in apps:
        app.state.engine.dispose()


def test_old_failures_are_pruned(tmp_path):
    app = fresh_app(tmp_path, web_login_max_failures=2, web_login_window_seconds=300)
    long_ago = accounts.utcnow() - timedelta(seconds=301)
    with app.state.engine.begin() as conn:
        conn.execute(insert(SignInFailure), [
            {"username": "bureau", "address": "testclient", "at": long_ago, "cleared": False}] * 30)
    client = TestClient(app)
    assert _wrong(client).status_code == 401  # the old failures no longer count ...
    assert app.state.limiter.kept() == 1  # ... and are gone
    app.state.engine.dispose()
