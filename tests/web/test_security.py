"""The 等保 level-2 controls (docs/security-checklist.md names each test here):
password policy and forced change, the account delay and the lock an admin lifts,
client addresses behind trusted proxies, idle timeout, sign-out everywhere, no-store,
session-borne messages, separation of duties, and the audit log in Chinese."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from junheng.services import accounts, collection
from junheng.services.audit import prune, record_now
from junheng.services.history import import_county_data
from junheng.services.passwords import common_passwords, policy_problems
from junheng.services.sessions import account_delay
from junheng.settings import Settings
from junheng.storage.web_models import AuditEntry, User, WebSession
from junheng.web.app import create_app
from junheng.web.client_address import client_address, parse_trusted

from .conftest import HOME, PASSWORD, SCHOOL_A, county_data, sign_in

ADMIN_PW = "Chief-pass-2026"


def app_with(tmp_path, **settings):
    app = create_app(Settings(data_dir=tmp_path, **settings))
    engine = app.state.engine
    accounts.create_user(engine, None, username="root", password=ADMIN_PW, role="admin")
    accounts.create_user(engine, None, username="bureau", password=PASSWORD, role="county_admin",
                         region_code=HOME)
    accounts.create_user(engine, None, username="officer", password=PASSWORD, role="auditor")
    accounts.create_user(engine, None, username="county_officer", password=PASSWORD, role="auditor",
                         region_code=HOME)
    return app


def audit(engine, action: str) -> list:
    with engine.connect() as conn:
        return conn.execute(select(AuditEntry.__table__).where(AuditEntry.action == action)
                            .order_by(AuditEntry.id)).all()


# ---------------------------------------------------------------- passwords


@pytest.mark.parametrize(("password", "username", "says"), [
    ("Ab1-xyz", "li", "至少 8 位"),
    ("abcdefgh", "li", "至少 3 种"),
    ("abcdefg1", "li", "至少 3 种"),
    ("Zhangsan-2026", "zhangsan", "不能包含用户名"),
    ("P@ssw0rd", "li", "常用密码"),
    ("pASSw0RD!", "li", None),  # not in the list: acceptable
    ("Admin@2026", "li", "常用密码"),
    ("Qq123456", "li", "常用密码"),
    ("Jiaoyu-ju-7", "li", None),
])
def test_password_policy(password, username, says):
    problems = "；".join(policy_problems(password, username))
    if says is None:
        assert problems == ""
    else:
        assert says in problems


def test_the_common_list_is_shipped_and_every_web_form_applies_the_policy(tmp_path):
    assert len(common_passwords()) > 1000 and "p@ssw0rd" in common_passwords()
    app = app_with(tmp_path)
    root = sign_in(app, "root", ADMIN_PW)
    r = root.post("/api/users", json={"username": "wang", "password": "wang12345", "role": "viewer",
                                      "region_code": HOME})
    assert r.status_code == 422 and r.json()["error"]["code"] == "weak-password"
    assert "至少 3 种" in r.json()["error"]["message"] and "不能包含用户名" in r.json()["error"]["message"]
    # the users page: the same sentence, from the session, once
    token = re.search(r'name="csrf_token" value="([^"]+)"', root.get("/users").text).group(1)
    r = root.post("/users", data={"csrf_token": token, "username": "wang", "password": "Password1",
                                  "role": "viewer", "region_code": HOME})
    assert r.status_code == 200 and "密码不符合要求：是常用密码" in r.text  # followed to /users
    assert "密码不符合要求" not in root.get("/users").text
    # one's own password: the account page and the API
    r = root.post("/api/me/password", json={"current_password": ADMIN_PW, "new_password": "abcdefgh"})
    assert r.status_code == 422 and "至少 3 种" in r.json()["error"]["message"]
    app.state.engine.dispose()


def test_an_account_an_admin_creates_or_resets_must_change_its_password_first(tmp_path):
    app = app_with(tmp_path)
    root = sign_in(app, "root", ADMIN_PW)
    r = root.post("/api/users", json={"username": "zhou", "password": "Temp-pass-11", "role": "viewer",
                                      "region_code": HOME})
    assert r.status_code == 201 and r.json()["must_change_password"] is True
    zhou = sign_in(app, "zhou", "Temp-pass-11")
    assert zhou.get("/api/me").json()["user"]["must_change_password"] is True
    r = zhou.get(f"/api/counties/{HOME}/years")
    assert r.status_code == 403 and r.json()["error"]["code"] == "password-change-required"
    r = zhou.get(f"/counties/{HOME}", follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == "/account"
    assert "请先设置新密码" in zhou.get("/account").text
    r = zhou.post("/api/me/password", json={"current_password": "Temp-pass-11", "new_password": "Mine-own-77"})
    assert r.status_code == 204
    assert zhou.get(f"/api/counties/{HOME}/years").status_code == 200
    # a reset by the admin asks again
    uid = r = next(u["id"] for u in root.get("/api/users").json() if u["username"] == "zhou")
    assert root.patch(f"/api/users/{uid}", json={"password": "Reset-pass-22"}).status_code == 200
    assert zhou.get("/api/me").status_code == 401  # its sessions ended
    again = sign_in(app, "zhou", "Reset-pass-22")
    assert again.get(f"/api/counties/{HOME}/years").status_code == 403
    app.state.engine.dispose()


def test_passwords_expire_only_when_a_maximum_age_is_set(tmp_path):
    app = app_with(tmp_path, web_password_max_age_days=90)
    engine = app.state.engine
    assert sign_in(app, "bureau").get(f"/api/counties/{HOME}/years").status_code == 200
    with engine.begin() as conn:
        conn.execute(update(User).where(User.username == "bureau").values(
            password_changed_at=accounts.utcnow() - timedelta(days=91)))
    old = sign_in(app, "bureau")
    assert old.get(f"/api/counties/{HOME}/years").json()["error"]["code"] == "password-change-required"
    off = create_app(Settings(data_dir=tmp_path))  # default: no expiry
    assert sign_in(off, "bureau").get(f"/api/counties/{HOME}/years").status_code == 200
    engine.dispose()


# ---------------------------------------------------------------- account throttle and lock


def test_account_delay_doubles():
    assert [account_delay(n, 3) for n in range(8)] == [0, 0, 0, 1, 2, 4, 8, 16]
    assert account_delay(40, 3) == 15 * 60


def test_an_account_is_delayed_then_locked_until_an_admin_lifts_it(tmp_path):
    app = app_with(tmp_path, web_login_max_failures=1000, web_login_delay_after=2, web_login_lock_after=4)
    engine = app.state.engine

    def attempt(password, address):
        c = TestClient(app, client=(address, 4000))
        return c.post("/api/auth/login", json={"username": "bureau", "password": password})

    def age_failure():  # as if the delay had passed
        with engine.begin() as conn:
            conn.execute(update(User).where(User.username == "bureau").values(
                last_failed_at=accounts.utcnow() - timedelta(hours=1)))

    assert attempt("wrong-1", "10.1.1.1").status_code == 401
    assert attempt("wrong-2", "10.1.1.2").status_code == 401
    # two failures: the next attempt, from anywhere, waits (not even checked)
    r = attempt(PASSWORD, "10.1.1.3")
    assert r.status_code == 429 and "秒后再试" in r.json()["error"]["message"]
    age_failure()
    assert attempt("wrong-3", "10.1.1.4").status_code == 401
    age_failure()
    assert attempt("wrong-4", "10.1.1.5").status_code == 401  # the fourth: locked
    age_failure()
    r = attempt(PASSWORD, "10.1.1.6")
    assert r.status_code == 423 and r.json()["error"]["code"] == "account-locked"
    assert attempt("wrong-5", "10.1.1.7").json()["error"]["code"] == "login-failed"  # no hint without the password
    root = sign_in(app, "root", ADMIN_PW)
    users = {u["username"]: u for u in root.get("/api/users").json()}
    assert users["bureau"]["locked"] is True
    assert "已锁定" in root.get("/users").text and ">解锁</button>" in root.get("/users").text
    assert root.patch(f"/api/users/{users['bureau']['id']}", json={"unlock": True}).status_code == 200
    assert attempt(PASSWORD, "10.1.1.8").status_code == 200
    fails = audit(engine, "login_failed")
    assert len(fails) == 5 and fails[0].address == "10.1.1.1" and fails[0].new["reason"] == "密码错误"
    lock, unlock = audit(engine, "lock"), audit(engine, "unlock")
    assert len(lock) == 1 and lock[0].entity_key == "bureau" and lock[0].new["failed_sign_ins"] == 4
    assert len(unlock) == 1 and unlock[0].actor == "root"
    engine.dispose()


# ---------------------------------------------------------------- client address


def test_client_address_is_taken_from_the_proxy_header_only_for_trusted_proxies():
    trusted = parse_trusted("127.0.0.1, 10.0.0.0/8")
    xff = [(b"x-forwarded-for", b"203.0.113.9, 10.0.0.5")]
    assert client_address("10.0.0.2", xff, trusted) == "203.0.113.9"
    assert client_address("198.51.100.7", xff, trusted) == "198.51.100.7"  # not a proxy of ours
    assert client_address("10.0.0.2", xff, ()) == "10.0.0.2"  # none trusted
    # a client's own forged entry left of the real one is not believed
    forged = [(b"x-forwarded-for", b"1.2.3.4, 203.0.113.9")]
    assert client_address("127.0.0.1", forged, trusted) == "203.0.113.9"
    fwd = [(b"forwarded", b'for=192.0.2.60;proto=https, for="[2001:db8::17]:4711"')]
    assert client_address("127.0.0.1", fwd, trusted) == "2001:db8::17"
    assert client_address("127.0.0.1", [], trusted) == "127.0.0.1"
    with pytest.raises(Exception, match="不是 IP 地址或网段"):
        parse_trusted("10.0.0.0/8, nginx")


def test_behind_a_trusted_proxy_one_client_cannot_lock_out_the_others(tmp_path):
    app = app_with(tmp_path, web_login_max_failures=2, web_login_delay_after=0, web_login_lock_after=0,
                   trusted_proxies="10.9.9.9")
    proxy = TestClient(app, client=("10.9.9.9", 443))

    def login(forwarded_for, username, password):
        return proxy.post("/api/auth/login", json={"username": username, "password": password},
                          headers={"X-Forwarded-For": forwarded_for})

    for i in range(25):  # one machine tries many names: its address runs out (2 × 10)
        login("203.0.113.5", f"guess{i}", "wrong-pass-1")
    assert login("203.0.113.5", "bureau", PASSWORD).status_code == 429
    assert login("203.0.113.6", "bureau", PASSWORD).status_code == 200  # a colleague behind the same proxy
    # an untrusted peer cannot pick its address with the header
    direct = TestClient(app, client=("198.51.100.1", 5000))
    for _ in range(2):
        direct.post("/api/auth/login", json={"username": "root", "password": "nope-Nope-1"},
                    headers={"X-Forwarded-For": "203.0.113.77"})
    r = direct.post("/api/auth/login", json={"username": "root", "password": ADMIN_PW},
                    headers={"X-Forwarded-For": "203.0.113.78"})
    assert r.status_code == 429
    addresses = {a.address for a in audit(app.state.engine, "login")}
    assert addresses == {"203.0.113.6"}
    app.state.engine.dispose()


# ---------------------------------------------------------------- sessions


def test_idle_sessions_end(tmp_path):
    app = app_with(tmp_path, web_session_idle_minutes=30)
    engine = app.state.engine
    client = sign_in(app, "bureau")
    assert client.get("/api/me").status_code == 200
    with engine.begin() as conn:
        conn.execute(update(WebSession).values(last_seen_at=accounts.utcnow() - timedelta(minutes=29)))
    assert client.get("/api/me").status_code == 200  # activity keeps it alive ...
    with engine.begin() as conn:
        seen = conn.execute(select(WebSession.last_seen_at)).scalar_one()
    assert accounts.aware(seen) > accounts.utcnow() - timedelta(minutes=1)  # ... and was recorded
    with engine.begin() as conn:
        conn.execute(update(WebSession).values(last_seen_at=accounts.utcnow() - timedelta(minutes=31)))
    assert client.get("/api/me").status_code == 401
    assert client.get("/counties/" + HOME, follow_redirects=False).headers["location"].startswith("/login")
    assert audit(engine, "expire")[0].entity_key == "bureau"
    engine.dispose()


def test_sign_out_everywhere(tmp_path):
    app = app_with(tmp_path)
    office, phone = sign_in(app, "bureau"), sign_in(app, "bureau")
    other = sign_in(app, "root", ADMIN_PW)
    assert office.post("/api/auth/logout-all").status_code == 204
    assert office.get("/api/me").status_code == 401 and phone.get("/api/me").status_code == 401
    assert other.get("/api/me").status_code == 200
    # the page's button
    a, b = sign_in(app, "bureau"), sign_in(app, "bureau")
    token = re.search(r'name="csrf_token" value="([^"]+)"', a.get("/account").text).group(1)
    r = a.post("/logout-all", data={"csrf_token": token}, follow_redirects=False)
    assert r.status_code == 303 and b.get("/api/me").status_code == 401
    assert audit(app.state.engine, "logout_all")[-1].new == {"sessions": 2}
    app.state.engine.dispose()


def test_signed_in_responses_are_not_stored(tmp_path):
    app = app_with(tmp_path)
    client = sign_in(app, "bureau")
    for url in ("/account", "/api/me", f"/counties/{HOME}", "/login", "/api/template.xlsx"):
        r = client.get(url)
        assert r.headers["cache-control"] == "no-store", url
    assert "no-store" not in client.get("/static/app.css").headers.get("cache-control", "")
    app.state.engine.dispose()


def test_no_banner_from_the_query_string(tmp_path):
    app = app_with(tmp_path)
    client = sign_in(app, "bureau")
    page = client.get("/account?msg=%E8%AF%B7%E8%BD%AC%E8%B4%A6&kind=bad")
    assert "请转账" not in page.text and 'class="flash' not in page.text
    login = TestClient(app).get("/login?msg=x&kind=bad")
    assert 'class="flash' not in login.text
    app.state.engine.dispose()


def test_an_oversized_upload_says_so_in_the_page(tmp_path):
    app = app_with(tmp_path, web_max_upload_mb=1)
    client = sign_in(app, "bureau")
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/account").text).group(1)
    r = client.post(f"/counties/{HOME}/upload", data={"csrf_token": token},
                    files={"file": ("big.xlsx", b"0" * (2 << 20))})
    assert r.status_code == 413 and r.headers["content-type"].startswith("text/html")
    assert "文件超过 1 MB 上限" in r.text and "{" not in r.text.split("<main>")[1]
    api = client.post(f"/api/counties/{HOME}/workbook", files={"file": ("big.xlsx", b"0" * (2 << 20))})
    assert api.status_code == 413 and api.json()["error"]["message"] == "文件超过 1 MB 上限"
    app.state.engine.dispose()


# ---------------------------------------------------------------- separation of duties


@pytest.fixture
def round_world(tmp_path):
    app = app_with(tmp_path)
    engine = app.state.engine
    accounts.create_user(engine, None, username="bureau2", password=PASSWORD, role="county_admin",
                         region_code=HOME)
    accounts.create_user(engine, None, username="clerk", password=PASSWORD, role="clerk",
                         region_code=HOME, school_code=SCHOOL_A)
    import_county_data(engine, county_data(HOME, SCHOOL_A), by="test")
    admin = accounts.Principal(1, "root", "root", accounts.Role.ADMIN)
    rid = collection.open_round(engine, admin, HOME, 2025)
    yield app, rid
    engine.dispose()


def test_who_changed_a_submission_may_not_approve_it(round_world):
    app, rid = round_world
    bureau, bureau2 = sign_in(app, "bureau"), sign_in(app, "bureau2")
    url = f"/api/rounds/{rid}/schools/{SCHOOL_A}"
    view = bureau.get(url).json()
    data = view["data"]
    data["schools"]["teaching_area"] = float(data["schools"]["teaching_area"]) + 1  # the bureau fills in a figure
    r = bureau.put(url, json={"data": data, "revision": view["revision"]})
    assert r.status_code == 200, r.text
    assert bureau.post(url + "/submit").status_code == 200, bureau.post(url + "/submit").text
    r = bureau.post(url + "/review", json={"decision": "approve"})
    assert r.status_code == 403 and "职责分离" in r.json()["error"]["message"]
    page = bureau.get(f"/rounds/{rid}/schools/{SCHOOL_A}").text
    assert 'id="duty-note"' in page and re.search(r'id="approve"[^>]* disabled', page)
    denied = audit(app.state.engine, "denied")
    assert denied and denied[-1].actor == "bureau" and "review" in denied[-1].entity_key
    r = bureau2.post(url + "/review", json={"decision": "approve"})
    assert r.status_code == 200 and r.json()["status"] == "approved"


def test_a_clerks_change_of_master_data_waits_for_the_review(round_world):
    app, rid = round_world
    clerk, bureau = sign_in(app, "clerk"), sign_in(app, "bureau")
    url = f"/api/rounds/{rid}/schools/{SCHOOL_A}"
    view = clerk.get(url).json()
    old_name = view["school_name"]
    data = view["data"]
    data["schools"]["name"] = "改名后的实验小学"
    assert clerk.put(url, json={"data": data, "revision": view["revision"]}).status_code == 200
    assert clerk.post(url + "/submit").status_code == 200
    # the school list keeps the approved name; the reviewer sees the change as such
    schools = {s["school_code"]: s for s in bureau.get(f"/api/rounds/{rid}").json()["submissions"]}
    assert schools[SCHOOL_A]["school_name"] == old_name
    review = bureau.get(url).json()
    assert review["master_changes"] == [{"field": "name", "header": "学校名称", "old": old_name,
                                         "new": "改名后的实验小学"}]
    page = bureau.get(f"/rounds/{rid}/schools/{SCHOOL_A}").text
    assert "学校基本信息有变更" in page and f"{old_name} → 改名后的实验小学" in page
    assert bureau.post(url + "/review", json={"decision": "approve"}).status_code == 200  # the clerk filled it
    schools = {s["school_code"]: s for s in bureau.get(f"/api/rounds/{rid}").json()["submissions"]}
    assert schools[SCHOOL_A]["school_name"] == "改名后的实验小学"


# ---------------------------------------------------------------- the audit log


def test_the_audit_log_reads_in_chinese_with_filters_and_exports(round_world):
    app, rid = round_world
    engine = app.state.engine
    clerk = TestClient(app, client=("192.168.7.21", 3000))
    r = clerk.post("/api/auth/login", json={"username": "clerk", "password": PASSWORD})
    clerk.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    url = f"/api/rounds/{rid}/schools/{SCHOOL_A}"
    view = clerk.get(url).json()
    data = view["data"]
    before = data["schools"]["teaching_area"]
    data["schools"]["teaching_area"] = after = float(before) + 7
    assert clerk.put(url, json={"data": data, "revision": view["revision"]}).status_code == 200
    assert clerk.get(f"/api/counties/{HOME}/dashboard").status_code == 403  # a denial
    bureau = sign_in(app, "bureau")
    assert bureau.get(f"/api/counties/{HOME}/years/2024/workbook.xlsx").status_code == 200  # a download
    TestClient(app).post("/api/auth/login", json={"username": "clerk", "password": "Wrong-pass-1"})
    admin = sign_in(app, "root", ADMIN_PW)  # signs in (a line of no county), may not read the log
    assert admin.get("/audit").status_code == 403 and bureau.get("/audit").status_code == 403
    root = sign_in(app, "officer")  # the 安全审计员 reads the log
    page = root.get("/audit?actor=clerk&action=save").text
    assert "学校.教学及辅助用房面积（㎡）" in page and f"{before} → {after:g}" in page and "192.168.7.21" in page
    assert "teaching_area" not in page
    everything = root.get("/audit").text
    for words in ("越权访问被拒绝", "登录失败", "下载", "登录"):
        assert words in everything, words
    api = root.get("/api/audit").json()
    assert {"download", "denied", "login_failed", "login", "save"} <= {a["action"] for a in api}
    dl = next(a for a in api if a["action"] == "download")
    assert dl["actor"] == "bureau" and dl["county_code"] == HOME and dl["entity_key"].endswith("workbook.xlsx")
    # exports: CSV opens in Excel (BOM), .xlsx is a real workbook; the export is logged
    r = root.get("/audit/export?format=csv&actor=clerk")
    assert r.status_code == 200 and r.content.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["编号", "时间（北京时间）", "操作人"] and all(row[2] == "clerk" for row in rows[1:])
    assert any("学校.教学及辅助用房面积（㎡）：" in row[-1] for row in rows[1:])
    r = root.get("/audit/export?format=xlsx&since=2000-01-01")
    sheet = openpyxl.load_workbook(io.BytesIO(r.content)).active
    assert sheet.title == "审计日志" and sheet.cell(1, 4).value == "来源地址" and sheet.max_row > 5
    exports = audit(engine, "export")
    assert [e.new["format"] for e in exports] == ["csv", "xlsx"]
    assert not [a for a in audit(engine, "download") if "audit" in a.entity_key]  # logged once, as an export
    assert "不是日期" in root.get("/audit?since=yesterday").text
    # a county's security officer sees its county only (the admin's sign-in is nobody's county)
    county_officer = sign_in(app, "county_officer")
    assert county_officer.get("/audit").status_code == 200
    assert "bureau" in county_officer.get("/audit?action=login").text
    assert "<td>root</td>" not in county_officer.get("/audit?action=login").text
    assert "<td>root</td>" in root.get("/audit?action=login").text
    assert {a["county_code"] for a in county_officer.get("/api/audit").json()} == {HOME}


def test_audit_retention(tmp_path):
    app = app_with(tmp_path)
    engine = app.state.engine
    record_now(engine, "someone", "login", "session", "someone")
    with engine.begin() as conn:
        conn.execute(update(AuditEntry).where(AuditEntry.actor == "someone")
                     .values(at=accounts.utcnow() - timedelta(days=400)))
    assert prune(engine, 0) == 0
    assert prune(engine, 365) == 1
    create_app(Settings(data_dir=tmp_path, web_audit_retention_days=180))  # also at start
    engine.dispose()


# ---------------------------------------------------------------- the security officer (安全审计员)


def test_the_audit_log_is_the_security_officers_alone(tmp_path):
    """Admins and bureaus act; the 安全审计员 reads what they did, and nothing else."""
    app = app_with(tmp_path)
    import_county_data(app.state.engine, county_data(HOME, SCHOOL_A), by="test")
    admin, bureau, officer = sign_in(app, "root", ADMIN_PW), sign_in(app, "bureau"), sign_in(app, "officer")
    for who in (admin, bureau):
        for url in ("/audit", "/audit/export?format=csv", "/audit/export?format=xlsx", "/api/audit",
                    f"/api/counties/{HOME}/audit"):
            r = who.get(url, follow_redirects=False)
            assert r.status_code == 403, (url, r.status_code)
    # the officer: the log, its filters and exports; its page's menu has nothing else
    assert officer.get("/audit?action=login").status_code == 200
    assert officer.get("/audit/export?format=csv").status_code == 200
    assert officer.get("/", follow_redirects=False).headers["location"] == "/audit"
    page = officer.get("/audit").text
    nav = page[page.index("<nav"):page.index("</nav>")]
    assert "审计日志" in nav and not any(w in nav for w in ("用户管理", "仪表盘", "数据填报", "整改台账", "总览"))
    # ... and nothing else: dashboards, downloads, users, collection, ledger, uploads
    for method, url in (("GET", f"/counties/{HOME}"), ("GET", f"/api/counties/{HOME}/dashboard"),
                        ("GET", "/api/counties"), ("GET", "/regions/35"), ("GET", "/users"),
                        ("GET", "/api/users"), ("GET", "/collection"), ("GET", "/api/rounds"),
                        ("GET", f"/counties/{HOME}/ledger"), ("GET", "/ledger"),
                        ("GET", f"/api/counties/{HOME}/years/2024/workbook.xlsx"),
                        ("GET", f"/api/counties/{HOME}/years/2024/self-evaluation.docx"),
                        ("POST", "/api/users"), ("POST", "/api/rounds")):
        body = {"/api/users": {"username": "x1", "password": "Long-enough-1", "role": "viewer",
                               "region_code": HOME},
                "/api/rounds": {"county_code": HOME, "school_year": 2031}}.get(url)
        r = officer.request(method, url, follow_redirects=False, json=body)
        assert r.status_code == 403, (method, url, r.status_code)
    # the refusals themselves are in the log the officer reads
    denied = officer.get("/api/audit?limit=1000").json()
    assert {("root", "denied"), ("bureau", "denied"), ("officer", "denied")} <= {
        (a["actor"], a["action"]) for a in denied}


def test_only_a_system_admin_creates_a_security_officer(tmp_path):
    app = app_with(tmp_path)
    admin, bureau = sign_in(app, "root", ADMIN_PW), sign_in(app, "bureau")
    body = {"username": "audit2", "password": "Long-enough-1", "role": "auditor"}
    r = bureau.post("/api/users", json=body | {"region_code": HOME})
    assert r.status_code == 403
    r = admin.post("/api/users", json=body | {"school_code": SCHOOL_A, "region_code": HOME})
    assert r.status_code == 422 and "安全审计员不属于某所学校" in r.json()["error"]["message"]
    r = admin.post("/api/users", json=body)
    assert r.status_code == 201, r.text
    assert r.json()["role_zh"] == "安全审计员" and r.json()["region_code"] is None
    # the 用户管理 page offers the role to the admin only
    assert '<option value="auditor">安全审计员</option>' in admin.get("/users").text
    assert 'value="auditor"' not in bureau.get("/users").text
