"""Heavy work as jobs: reports, plans and county imports run by worker processes from
the job table, on SQLite and PostgreSQL. The page shows progress and then the result;
only the user who asked gets it (and only while it may still read the county); a
failure reads in Chinese; a job cut off by a restart is run again once, then failed
with a sentence saying so."""

from __future__ import annotations

import os
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from junheng.services import jobs
from junheng.services.job_worker import serve as serve_jobs
from junheng.settings import Settings
from junheng.storage.job_models import Job
from junheng.templates.writer import write_county_workbook
from junheng.web.app import create_app

from .conftest import HOME, OTHER, OTHER_SCHOOL, SCHOOL_A, YEAR, build_world, county_data, sign_in


@pytest.fixture
def world(tmp_path, db_url):
    w = build_world(tmp_path, None if db_url.startswith("sqlite") else db_url)
    yield w
    if w.app.state.job_pool is not None:
        w.app.state.job_pool.stop()
    w.engine.dispose()


def wait_done(client, job_id: int, seconds: float = 240) -> dict:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        j = client.get(f"/api/jobs/{job_id}").json()
        if j["status"] in ("done", "failed"):
            return j
        assert 0 <= j["progress"] <= 100 and j["stage"]
        time.sleep(0.3)
    raise AssertionError(f"job {job_id} did not end")


def queue_report(client, report="self-evaluation", fmt="pdf", county=HOME, year=YEAR):
    r = client.post(f"/counties/{county}/reports", follow_redirects=False,
                    data={"csrf_token": client.headers["X-CSRF-Token"], "report": report, "format": fmt,
                          "school_year": str(year)})
    assert r.status_code == 303, r.text
    return int(r.headers["location"].rsplit("/", 1)[1])


def test_a_report_is_made_by_a_worker_process_and_goes_to_its_owner_only(world):
    viewer = sign_in(world.app, "viewer")
    job_id = queue_report(viewer)
    page = viewer.get(f"/jobs/{job_id}").text
    assert "由后台工作进程处理" in page or "已完成" in page
    done = wait_done(viewer, job_id)
    assert done["status"] == "done" and done["progress"] == 100 and done["download"] == f"/api/jobs/{job_id}/result"
    with world.engine.connect() as conn:
        worker = conn.execute(select(Job.worker).where(Job.id == job_id)).scalar_one()
    assert not worker.endswith(f":{os.getpid()}")  # made in another process, not in the web app's
    r = viewer.get(done["download"])
    assert r.status_code == 200 and r.content.startswith(b"%PDF") and r.headers["content-type"] == "application/pdf"
    assert "attachment" in r.headers["content-disposition"]
    page = viewer.get(f"/jobs/{job_id}").text
    assert "已完成" in page and f'href="/api/jobs/{job_id}/result"' in page
    # nobody else: not the county's admin, not a reader of another county, not its supervisor
    for who in ("county_admin", "supervisor", "other_viewer", "admin", "auditor", "clerk"):
        c = sign_in(world.app, who)
        for url in (f"/api/jobs/{job_id}", f"/api/jobs/{job_id}/result", f"/jobs/{job_id}"):
            assert c.get(url, follow_redirects=False).status_code == 403, (who, url)
        assert all(j["id"] != job_id for j in c.get("/api/jobs").json())
    assert [j["id"] for j in viewer.get("/api/jobs").json()] == [job_id]
    # a reader moved to another county loses the file too
    with world.engine.begin() as conn:
        conn.execute(update(Job).where(Job.id == job_id).values(county_code=OTHER))
    assert viewer.get(f"/api/jobs/{job_id}/result").status_code == 403


def test_a_reader_of_another_county_cannot_queue_its_report(world):
    r = sign_in(world.app, "viewer").post(f"/counties/{OTHER}/reports", follow_redirects=False, data={
        "report": "self-evaluation", "format": "pdf", "school_year": str(YEAR),
        "csrf_token": sign_in(world.app, "viewer").headers["X-CSRF-Token"]})
    assert r.status_code == 403
    with world.engine.connect() as conn:
        assert conn.execute(select(Job.id)).all() == []


def test_a_failure_reads_in_chinese_and_the_next_page_says_the_job_ended(world):
    viewer = sign_in(world.app, "viewer")
    job_id = queue_report(viewer, report="annual", fmt="docx")  # no earlier year: refused
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:  # not through /api/jobs: that marks the job as seen
        with world.engine.connect() as conn:
            status = conn.execute(select(Job.status).where(Job.id == job_id)).scalar_one()
        if status in ("done", "failed"):
            break
        time.sleep(0.3)
    home = viewer.get(f"/counties/{HOME}").text
    assert "job-notice" in home and f'href="/jobs/{job_id}"' in home and "未完成" in home
    assert "job-notice" not in viewer.get(f"/counties/{HOME}").text  # told once
    done = viewer.get(f"/api/jobs/{job_id}").json()
    assert done["status"] == "failed" and "学年" in done["error"]["message"]
    assert "Traceback" not in done["error"]["message"]
    page = viewer.get(f"/jobs/{job_id}").text
    assert "未完成：" in page and done["error"]["message"] in page


def test_the_api_download_keeps_its_answer_but_is_made_by_a_worker(world):
    viewer = sign_in(world.app, "viewer")
    r = viewer.get(f"/api/counties/{HOME}/years/{YEAR}/self-evaluation.docx")
    assert r.status_code == 200 and r.content.startswith(b"PK")
    with world.engine.connect() as conn:
        rows = conn.execute(select(Job.kind, Job.status, Job.worker)).all()
    assert [(k, s) for k, s, _ in rows] == [("report", "done")]
    r = viewer.get(f"/api/counties/{HOME}/years/{YEAR}/annual.docx")  # the failure, as before
    assert r.status_code == 409 and "学年" in r.json()["error"]["message"]  # the code and status of the work


def test_a_county_import_is_a_job_with_its_outcome_or_its_issues(world, tmp_path):
    bureau = sign_in(world.app, "county_admin")
    good = tmp_path / "good.xlsx"
    write_county_workbook(county_data(HOME, SCHOOL_A, year=YEAR + 3), good)
    token = bureau.headers["X-CSRF-Token"]
    r = bureau.post(f"/counties/{HOME}/upload", data={"csrf_token": token}, follow_redirects=False,
                    files={"file": ("good.xlsx", good.read_bytes())})
    assert r.status_code == 303 and r.headers["location"].startswith("/jobs/")
    job_id = int(r.headers["location"].rsplit("/", 1)[1])
    done = wait_done(bureau, job_id)
    assert done["status"] == "done" and done["answer"]["school_year"] == YEAR + 3
    page = bureau.get(f"/jobs/{job_id}").text
    assert "已入库（第 1 版）" in page and f"/counties/{HOME}?year={YEAR + 3}" in page
    assert bureau.get(f"/api/counties/{HOME}/dashboard?year={YEAR + 3}").status_code == 200
    with world.engine.connect() as conn:  # the uploaded bytes are not kept once the job ended
        assert conn.execute(select(Job.input).where(Job.id == job_id)).scalar_one() is None
    # another county's workbook: refused, in Chinese, nothing stored
    other = tmp_path / "other.xlsx"
    write_county_workbook(county_data(OTHER, OTHER_SCHOOL, year=YEAR + 4), other)
    r = bureau.post(f"/counties/{HOME}/upload", data={"csrf_token": token}, follow_redirects=False,
                    files={"file": ("other.xlsx", other.read_bytes())})
    failed = wait_done(bureau, int(r.headers["location"].rsplit("/", 1)[1]))
    assert failed["status"] == "failed" and f"县区代码 {OTHER} 与当前县区 {HOME} 不一致" in failed["error"]["message"]
    assert bureau.get(f"/api/counties/{HOME}/dashboard?year={YEAR + 4}").status_code == 404
    # a broken file: its issues are listed on the job's page
    r = bureau.post(f"/counties/{HOME}/upload", data={"csrf_token": token}, follow_redirects=False,
                    files={"file": ("broken.xlsx", b"PK\x03\x04 not a workbook")})
    failed = wait_done(bureau, int(r.headers["location"].rsplit("/", 1)[1]))
    assert failed["status"] == "failed" and failed["error"]["message"]
    # a viewer may not queue an import at all
    viewer = sign_in(world.app, "viewer")
    r = viewer.post(f"/counties/{HOME}/upload", data={"csrf_token": viewer.headers["X-CSRF-Token"]},
                    files={"file": ("good.xlsx", good.read_bytes())}, follow_redirects=False)
    assert r.status_code == 403


def test_the_plan_page_shows_progress_then_the_plan(world):
    viewer = sign_in(world.app, "viewer")
    first = viewer.get(f"/counties/{HOME}/plan?year={YEAR}").text
    assert 'id="job-progress"' in first
    job_id = viewer.get("/api/jobs").json()[0]["id"]
    assert wait_done(viewer, job_id)["status"] == "done"
    page = viewer.get(f"/counties/{HOME}/plan?year={YEAR}").text
    assert 'id="job-progress"' not in page and "plan-" in page  # the plan's tables
    assert len(viewer.get("/api/jobs").json()) == 1  # the finished plan is reused
    r = viewer.get(f"/api/counties/{HOME}/years/{YEAR}/plan.xlsx")
    assert r.status_code == 200 and r.content.startswith(b"PK")


def test_jobs_survive_a_restart(tmp_path, db_url):
    """A web app stopped while a job ran: the next start puts it back in the queue and a
    worker finishes it; a job cut off twice fails with a sentence saying why."""
    url = None if db_url.startswith("sqlite") else db_url
    w = build_world(tmp_path, url)
    try:
        viewer = sign_in(w.app, "viewer")
        cut = jobs.enqueue(w.engine, _principal(w, "viewer"), "report", "自评报告", HOME,
                           {"report": "self-evaluation", "format": "docx", "school_year": YEAR, "county": HOME})
        twice = jobs.enqueue(w.engine, _principal(w, "viewer"), "report", "自评报告（两次中断）", HOME,
                             {"report": "self-evaluation", "format": "pdf", "school_year": YEAR, "county": HOME})
        # what a dead server leaves: running rows whose heartbeat stopped
        old = jobs.utcnow() - timedelta(minutes=5)
        with w.engine.begin() as conn:
            conn.execute(update(Job).where(Job.id == cut).values(status="running", attempts=1, heartbeat_at=old,
                                                                   worker="old-host:1"))
            conn.execute(update(Job).where(Job.id == twice).values(status="running", attempts=2,
                                                                     heartbeat_at=old, worker="old-host:1"))
        # the restarted app's worker (run here in this process, to the end of the queue)
        settings = Settings(data_dir=tmp_path, database_url=url)
        assert serve_jobs(settings, once=True) == 1
        redone = viewer.get(f"/api/jobs/{cut}").json()
        assert redone["status"] == "done" and viewer.get(redone["download"]).content.startswith(b"PK")
        failed = viewer.get(f"/api/jobs/{twice}").json()
        assert failed["status"] == "failed" and "两次中断" in failed["error"]["message"]
        with w.engine.connect() as conn:
            assert conn.execute(select(Job.attempts).where(Job.id == cut)).scalar_one() == 2
        # and a fresh app on the same database starts its workers with the server
        app = create_app(settings)
        assert app.state.job_pool is not None and app.state.job_pool.size == 2
        app.state.engine.dispose()
    finally:
        w.engine.dispose()


def test_two_workers_never_take_the_same_job(world):
    """Four threads (each its own connection) race for 40 queued jobs: each job is taken once."""
    from concurrent.futures import ThreadPoolExecutor

    user = _principal(world, "viewer")
    ids = [jobs.enqueue(world.engine, user, "report", f"t{i}", HOME, {"i": i}) for i in range(40)]

    def drain(name: str) -> list[int]:
        got = []
        while (job := jobs.claim(world.engine, name)) is not None:
            got.append(job.id)
        return got

    with ThreadPoolExecutor(4) as pool:
        taken = [i for part in pool.map(drain, ["w1", "w2", "w3", "w4"]) for i in part]
    assert sorted(taken) == ids


def _principal(w, name):
    from junheng.services.accounts import Principal, Role

    from .conftest import USERS

    role, region, school = USERS[name]
    return Principal(w.users[name], name, name, Role(role), region, school)
