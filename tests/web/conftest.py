"""A web app on a fresh SQLite database with two counties in two cities, an open
round in each, users of every role, and clients signed in as each of them."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from junheng.services import accounts, collection, evidence
from junheng.services.history import import_county_data
from junheng.settings import Settings
from junheng.web.app import create_app
from tests.core.builders import county, good_primary
from tests.storage.conftest import db_url  # noqa: F401 - SQLite and PostgreSQL, for tests that take it

PASSWORD = "correct-horse-1"
HOME, OTHER = "350404", "350502"  # two counties in two cities (3504, 3505)
SCHOOL_A, SCHOOL_B = "3504040001", "3504040002"
OTHER_SCHOOL = "3505020001"
YEAR = 2024

# role name -> (role, region, school)
USERS = {
    "admin": (accounts.Role.ADMIN, None, None),
    "supervisor": (accounts.Role.SUPERVISOR, "3504", None),
    "county_admin": (accounts.Role.COUNTY_ADMIN, HOME, None),
    "clerk": (accounts.Role.CLERK, HOME, SCHOOL_A),
    "viewer": (accounts.Role.VIEWER, HOME, None),
    "other_admin": (accounts.Role.COUNTY_ADMIN, OTHER, None),
    "other_viewer": (accounts.Role.VIEWER, OTHER, None),
    "clerk_b": (accounts.Role.CLERK, HOME, SCHOOL_B),
    "auditor": (accounts.Role.AUDITOR, None, None),  # 安全审计员 of the whole system
    "county_auditor": (accounts.Role.AUDITOR, HOME, None),  # 安全审计员 of one county
}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def county_data(code: str, first_school: str, year: int = YEAR, weak: bool = True):
    prefix = first_school[:-1]
    data = county([good_primary(f"{prefix}1", 200), good_primary(f"{prefix}2", 220),
                   good_primary(f"{prefix}3", 180)], school_year=year)
    data.county = dataclasses.replace(data.county, code=code, name=f"测试县{code[-2:]}",
                                      city="测试市", province="测试省")
    if weak:  # one school well short of R4 and R5: the county is not recognised
        data.schools[0].teaching_area, data.schools[0].sports_area = 600, 600
    return data


@dataclasses.dataclass
class World:
    app: object
    engine: object
    rounds: dict[str, int]  # county -> open round id
    users: dict[str, int]  # name -> user id
    files: dict[str, int]  # county -> evidence file id
    ledger: dict[str, int]  # county -> a ledger entry id


def build_world(tmp_path, url: str | None = None, standard: str | None = None, job_workers: int = 2) -> World:
    settings = Settings(data_dir=tmp_path, web_login_max_failures=1000, database_url=url, standard=standard,
                        web_job_workers=job_workers)
    app = create_app(settings)
    engine = app.state.engine
    users = {}
    for name, (role, region, school) in USERS.items():
        users[name] = accounts.create_user(engine, None, username=name, password=PASSWORD, role=role,
                                           region_code=region, school_code=school).id
    admin = accounts.Principal(users["admin"], "admin", "admin", accounts.Role.ADMIN)
    rounds, files, ledger_ids = {}, {}, {}
    from junheng.services.ledger import ledger_entries

    for code, first in ((HOME, SCHOOL_A), (OTHER, OTHER_SCHOOL)):
        import_county_data(engine, county_data(code, first), by="test")
        rounds[code] = collection.open_round(engine, admin, code, YEAR + 1)
        files[code] = evidence.add_file(engine, admin, rounds[code], "G1", "布局规划.pdf", PDF, 1 << 20)
        ledger_ids[code] = ledger_entries(engine, admin, code)[0]["id"]
    return World(app, engine, rounds, users, files, ledger_ids)


@pytest.fixture(scope="module")
def world(tmp_path_factory) -> Iterator[World]:
    w = build_world(tmp_path_factory.mktemp("web"))
    yield w
    w.engine.dispose()


def sign_in(app, username: str, password: str = PASSWORD) -> TestClient:
    client = TestClient(app, raise_server_exceptions=False)
    r = client.post("/api/auth/login", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    client.headers["X-CSRF-Token"] = r.json()["csrf_token"]
    return client


@pytest.fixture(scope="module")
def clients(world) -> dict[str, TestClient]:
    out = {name: sign_in(world.app, name) for name in USERS}
    out["anonymous"] = TestClient(world.app, raise_server_exceptions=False)
    return out


def job_page(client: TestClient, response, seconds: float = 240):
    """A form answered with a job (an upload, a report): wait for it, then its page."""
    import time

    assert response.status_code == 303 and response.headers["location"].startswith("/jobs/"), response.text[:300]
    url = response.headers["location"]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if client.get("/api" + url).json()["status"] in ("done", "failed"):
            return client.get(url)
        time.sleep(0.3)
    raise AssertionError(f"{url} did not end")


def computed_page(client: TestClient, url: str, seconds: float = 240, **kw):
    """A page computed by a job (the plan): shown with its progress until the job ends."""
    import time

    deadline = time.monotonic() + seconds
    while True:
        page = client.get(url, **kw)
        if 'id="job-progress"' not in page.text or time.monotonic() > deadline:
            return page
        time.sleep(0.5)


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module (the browser tests: tests/web/test_browser*.py)."""
    from tests.web.test_browser import chromium

    yield from chromium()
