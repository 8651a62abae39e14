"""Several counties' workbooks uploaded at once (/imports/bulk): one job runs the same
service as ``junheng import A.xlsx B.xlsx`` — the good workbooks are stored, each on its
own; a broken one is listed with its Chinese message and nothing of it is stored; the
database ends as the command leaves it. Admins only."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from junheng.cli import app as cli_app
from junheng.samples import generate_county
from junheng.services.job_worker import serve
from junheng.storage.engine import make_engine
from junheng.storage.models import CountyYear
from junheng.storage.web_models import AuditEntry
from junheng.templates.writer import write_county_workbook
from tests.intake.books import book, valid_sheets

from .conftest import HOME, SCHOOL_A, YEAR, build_world, county_data, sign_in


@pytest.fixture
def world(tmp_path, db_url):
    w = build_world(tmp_path, None if db_url.startswith("sqlite") else db_url, job_workers=0)
    yield w
    w.engine.dispose()


@pytest.fixture
def workbooks(tmp_path) -> list[Path]:
    return bulk_workbooks(tmp_path / "books")


def bulk_workbooks(folder: Path) -> list[Path]:
    """Two good counties (a new county; a new year of HOME), a text in a number cell
    (its 基本信息 fine: HOME, 三元区, 2025), and a truncated file."""
    folder.mkdir()
    new = folder / "350403-新县.xlsx"
    write_county_workbook(generate_county(schools=4, seed=7, county_code="350403"), new)
    home = folder / f"{HOME}-{YEAR + 3}.xlsx"
    write_county_workbook(county_data(HOME, SCHOOL_A, year=YEAR + 3), home)
    sheets = valid_sheets()  # HOME, 2025
    sheets["学校"][1][7] = "很多"  # 小学在校生数
    bad = book(folder, sheets, name="有错误.xlsx")
    cut = folder / "截断.xlsx"
    cut.write_bytes(new.read_bytes()[:4000])
    return [new, home, bad, cut]


def stored(engine) -> set[tuple[str, int, int, bool]]:
    with engine.connect() as conn:
        return set(conn.execute(select(CountyYear.county_code, CountyYear.school_year, CountyYear.version,
                                       CountyYear.is_current)).all())


def upload(client, paths: list[Path]):
    return client.post("/imports/bulk", data={"csrf_token": client.headers["X-CSRF-Token"]},
                       files=[("files", (p.name, p.read_bytes())) for p in paths], follow_redirects=False)


def test_good_workbooks_go_in_and_a_broken_one_is_reported_as_the_command_does(world, workbooks, tmp_path):
    admin = sign_in(world.app, "admin")
    assert "/imports/bulk" in admin.get("/").text  # in the admin's navigation
    assert 'multiple' in admin.get("/imports/bulk").text
    before = stored(world.engine)
    r = upload(admin, workbooks)
    assert r.status_code == 303 and r.headers["location"].startswith("/jobs/"), r.text
    job_id = int(r.headers["location"].rsplit("/", 1)[1])
    assert admin.get(f"/api/jobs/{job_id}").json()["status"] == "queued"
    assert serve(world.app.state.settings, once=True) == 1
    job = admin.get(f"/api/jobs/{job_id}").json()
    assert job["status"] == "done", job
    rows = {o["file"]: o for o in job["answer"]["outcomes"]}
    assert [o["file"] for o in job["answer"]["outcomes"]] == [p.name for p in workbooks]
    assert (rows["350403-新县.xlsx"]["status"], rows["350403-新县.xlsx"]["county_code"]) == ("imported", "350403")
    assert (rows[f"{HOME}-{YEAR + 3}.xlsx"]["status"], rows[f"{HOME}-{YEAR + 3}.xlsx"]["school_year"]) == (
        "imported", YEAR + 3)
    bad = rows["有错误.xlsx"]
    assert bad["status"] == "invalid" and bad["errors"] >= 1
    # its 基本信息 is fine: whose workbook and which year it is are shown though nothing is stored
    assert (bad["county_code"], bad["county_name"], bad["school_year"]) == (HOME, "三元区", 2025)
    assert any("很多" in m and "学校" in m for m in bad["problems"]), bad["problems"]
    cut = rows["截断.xlsx"]
    assert cut["status"] in ("invalid", "refused") and cut["problems"]
    assert (cut["county_code"], cut["county_name"], cut["school_year"]) == (None, None, None)
    # stored: the two good ones only, nothing of the broken ones
    added = stored(world.engine) - before
    new_year = rows["350403-新县.xlsx"]["school_year"]
    assert added == {("350403", new_year, 1, True), (HOME, YEAR + 3, 1, True)}
    assert not any(c == HOME and y == 2025 for c, y, _, _ in stored(world.engine))
    # the result page: the summary table in Chinese
    page = admin.get(f"/jobs/{job_id}").text
    for head in ("<th>文件</th>", "<th>县区</th>", "<th>学年</th>", "<th>结果</th>", "<th>问题</th>"):
        assert head in page
    assert "已导入" in page and "有错误" in page and "很多" in page
    assert '<td class="county" data-label="县区">三元区</td>' in page and '<td class="year" data-label="学年">2025</td>' in page  # not a link
    assert '<td class="county" data-label="县区">—</td>' in page and '<td class="year" data-label="学年">—</td>' in page  # the truncated file
    # each imported county audited like the single upload
    with world.engine.connect() as conn:
        imported = set(conn.execute(select(AuditEntry.entity_key, AuditEntry.actor, AuditEntry.county_code)
                                    .where(AuditEntry.action == "import")).all())
    assert imported == {(f"350403/{new_year}", "admin", "350403"), (f"{HOME}/{YEAR + 3}", "admin", HOME)}
    # the uploaded files are gone from the data dir
    assert not any((world.app.state.settings.data_dir / "bulk-uploads").rglob("*.xlsx"))
    # the command on the same files leaves the same county-years
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    out = CliRunner().invoke(cli_app, ["import", *map(str, workbooks), "--database-url", url, "--jobs", "1"])
    assert out.exit_code == 1, out.output
    cli = make_engine(url=url)
    try:
        assert stored(cli) == added
    finally:
        cli.dispose()


def test_only_an_admin_may_bulk_import_and_limits_answer_at_once(world, workbooks):
    for role in ("supervisor", "county_admin", "viewer", "clerk", "auditor"):
        client = sign_in(world.app, role)
        assert client.get("/imports/bulk").status_code == 403
        r = upload(client, workbooks[:2])
        assert r.status_code == 403, role
        assert "/imports/bulk" not in client.get("/jobs").text
    admin = sign_in(world.app, "admin")
    limit = int(world.app.state.settings.web_max_upload_mb * (1 << 20))
    big = workbooks[0].parent / "大.xlsx"
    big.write_bytes(b"PK" + b"0" * (limit + 10))
    r = upload(admin, [workbooks[0], big])
    assert r.status_code == 303 and r.headers["location"] == "/imports/bulk"
    assert "大.xlsx：文件超过 20 MB 上限" in admin.get("/imports/bulk").text
    assert serve(world.app.state.settings, once=True) == 0  # nothing queued
    # files each within the limit pass together although their sum is over it
    halves = [workbooks[0].parent / f"{i}.xlsx" for i in range(2)]
    for h in halves:
        h.write_bytes(b"PK" + b"0" * (limit * 3 // 4))
    r = upload(admin, halves)
    assert r.status_code == 303 and r.headers["location"].startswith("/jobs/")


def test_the_web_apps_archive_limits_apply_to_each_file(world, workbooks):
    admin = sign_in(world.app, "admin")
    r = upload(admin, workbooks[1:2])
    job_id = int(r.headers["location"].rsplit("/", 1)[1])
    narrow = world.app.state.settings.model_copy(update={"web_max_rows": 3})  # JUNHENG_WEB_MAX_ROWS=3
    assert serve(narrow, once=True) == 1
    (outcome,) = admin.get(f"/api/jobs/{job_id}").json()["answer"]["outcomes"]
    assert outcome["status"] == "refused" and outcome["problems"], outcome
    assert not any(y == YEAR + 3 for _, y, _, _ in stored(world.engine))
