"""Downloads: the blank template, a stored year's workbook, its result workbook, HTML
report, 自评报告 and 年度答卷 — real files that open, for the county's readers only."""

from __future__ import annotations

import io
import re
import subprocess
import threading
import time
from urllib.parse import unquote

import openpyxl
import pytest
from docx import Document as open_docx
from fastapi.testclient import TestClient

from junheng.core.facts import Stage
from junheng.intake import read_county_workbook
from junheng.reports import numbers as fmt
from junheng.services.evaluation import evaluate_data
from junheng.services.history import import_county_data, load

from .conftest import HOME, OTHER, PASSWORD, SCHOOL_A, YEAR, build_world, county_data, sign_in


def test_blank_template_and_county_workbook_read_back(clients, tmp_path):
    viewer = clients["viewer"]
    blank = viewer.get("/api/template.xlsx")
    assert blank.status_code == 200 and "attachment" in blank.headers["content-disposition"]
    assert "学校" in openpyxl.load_workbook(io.BytesIO(blank.content)).sheetnames
    book = viewer.get(f"/api/counties/{HOME}/years/{YEAR}/workbook.xlsx")
    path = tmp_path / "county.xlsx"
    path.write_bytes(book.content)
    result = read_county_workbook(path)
    assert result.ok and result.data.county.code == HOME and len(result.data.schools) == 3


def test_result_workbook_and_html_report(clients):
    viewer = clients["viewer"]
    result = viewer.get(f"/api/counties/{HOME}/years/{YEAR}/result.xlsx")
    assert result.status_code == 200
    assert len(openpyxl.load_workbook(io.BytesIO(result.content)).sheetnames) >= 3
    report = viewer.get(f"/api/counties/{HOME}/years/{YEAR}/report.html")
    assert report.status_code == 200 and "测试县04" in report.text and "echarts" in report.text.lower()
    # the report inlines its scripts: it carries its own policy, and only that one
    policies = report.headers.get_list("content-security-policy")
    assert len(policies) == 1 and "script-src 'unsafe-inline'" in policies[0] and "connect-src" not in policies[0]
    assert viewer.get(f"/api/counties/{HOME}/years/1999/report.html").status_code == 404


# --- 自评报告 and 年度答卷 (Word, PDF) of a stored county-year ----------------------------

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture(scope="module")
def two_years(world):
    """HOME gets an earlier year (recognised then; 2024 is not); OTHER keeps one year."""
    import_county_data(world.engine, county_data(HOME, SCHOOL_A, year=YEAR - 1, weak=False), by="test")
    return world


def disposition_name(response) -> str:
    """The file name of an RFC 5987 ``filename*=UTF-8''…`` Content-Disposition."""
    header = response.headers["content-disposition"]
    assert header.startswith("attachment; filename*=UTF-8''"), header
    return unquote(header.split("''", 1)[1])


def cell_texts(word) -> set[str]:
    return {c.text for t in word.tables for r in t.rows for c in r.cells}


def test_self_evaluation_word_file_matches_the_stored_evaluation(two_years, clients):
    r = clients["viewer"].get(f"/api/counties/{HOME}/years/{YEAR}/self-evaluation.docx")
    assert r.status_code == 200 and r.headers["content-type"] == DOCX
    assert disposition_name(r) == f"测试县04义务教育优质均衡发展自评报告（{YEAR}学年）.docx"
    word = open_docx(io.BytesIO(r.content))
    assert [p.text for p in word.paragraphs if p.style.name == "Heading 1"] == [
        "草稿：待补充的内容", "一、基本情况", "二、主要做法与成效", "三、资源配置", "四、政府保障程度", "五、教育质量", "六、社会认可度",
        "七、存在的问题", "八、下一步工作打算", "附表"]
    ev = evaluate_data(load(two_years.engine, HOME, YEAR))
    found = cell_texts(word)
    for d in ev.dispersion[Stage.PRIMARY].values():  # every CV of the stored year, as printed
        assert fmt.cv(d.cv) in found
    weak = next(s for s in ev.schools if s.school_code == SCHOOL_A)
    assert not weak.passed and fmt.indicator(weak.indicators["R4"].value, "㎡/生") in found


def test_annual_word_file_compares_with_the_earlier_stored_year(two_years, clients):
    r = clients["county_admin"].get(f"/api/counties/{HOME}/years/{YEAR}/annual.docx")
    assert r.status_code == 200 and r.headers["content-type"] == DOCX
    assert disposition_name(r) == f"测试县04{YEAR}学年义务教育发展年度答卷.docx"
    word = open_docx(io.BytesIO(r.content))
    summary = next(t for t in word.tables if t.rows[0].cells[0].text == "指标")
    assert [c.text for c in summary.rows[0].cells] == ["指标", f"{YEAR - 1}学年", f"{YEAR}学年", "变化"]
    text = "\n".join(p.text for p in word.paragraphs)
    assert f"{YEAR - 1}学年达到、{YEAR}学年未达到义务教育优质均衡发展认定要求" in text


def test_self_evaluation_pdf_has_the_countys_figures(two_years, clients, tmp_path):
    r = clients["supervisor"].get(f"/api/counties/{HOME}/years/{YEAR}/self-evaluation.pdf")
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert disposition_name(r).endswith("自评报告（2024学年）.pdf") and r.content.startswith(b"%PDF")
    path = tmp_path / "r.pdf"
    path.write_bytes(r.content)
    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                             check=True).stdout)
    ev = evaluate_data(load(two_years.engine, HOME, YEAR))
    assert "测试县04义务教育优质均衡发展自评报告" in text
    assert all(fmt.cv(d.cv) in text for d in ev.dispersion[Stage.PRIMARY].values())


def test_annual_without_an_earlier_year_or_for_an_unknown_year_is_a_json_error(two_years, clients):
    r = clients["other_admin"].get(f"/api/counties/{OTHER}/years/{YEAR}/annual.pdf")
    assert r.status_code == 409
    error = r.json()["error"]
    assert error["code"] == "not-enough-years" and f"已有 {YEAR} 学年" not in error["message"]
    assert f"数据库中有 {YEAR} 学年的数据" in error["message"] and f"请先导入 {YEAR - 1} 学年" in error["message"]
    r = clients["viewer"].get(f"/api/counties/{HOME}/years/1999/self-evaluation.docx")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not-found"
    assert f"已有 {YEAR - 1}、{YEAR} 学年的数据" in r.json()["error"]["message"]


def test_report_downloads_follow_the_county_download_rules(two_years, clients):
    url = f"/api/counties/{HOME}/years/{YEAR}/annual.docx"
    assert clients["clerk"].get(url).status_code == 403  # a school's clerk reads no county reports
    assert clients["other_admin"].get(url).status_code == 403  # nor another county's admin
    assert clients["anonymous"].get(url).status_code == 401


def test_the_county_page_offers_the_annual_report_only_with_an_earlier_year(two_years, clients):
    home = clients["viewer"].get(f"/counties/{HOME}").text
    assert f"/years/{YEAR}/self-evaluation.pdf" in home and f"/years/{YEAR}/annual.docx" in home
    other = clients["other_viewer"].get(f"/counties/{OTHER}").text
    assert f"/years/{YEAR}/self-evaluation.docx" in other and "annual.docx" not in other
    assert f"年度答卷：需要 {YEAR} 学年以前至少一个学年的数据" in other


def test_a_pdf_being_rendered_does_not_hold_up_other_requests(tmp_path):
    """The PDF is made by a worker process (a job): while the download waits for it, the
    event loop answers another request of the same client. The app here has no worker
    processes of its own, so the job stays queued until this test runs it (as
    ``junheng worker`` would): no race between the PDF and the other request."""
    from junheng.services import jobs
    from junheng.services.job_worker import serve

    w = build_world(tmp_path, job_workers=0)
    import_county_data(w.engine, county_data(HOME, SCHOOL_A, year=YEAR - 1, weak=False), by="test")
    try:
        with TestClient(w.app) as client:
            client.post("/api/auth/login", json={"username": "viewer", "password": PASSWORD})
            results: dict[str, object] = {}

            def fetch_pdf() -> None:
                results["pdf"] = client.get(f"/api/counties/{HOME}/years/{YEAR}/annual.pdf")

            pdf = threading.Thread(target=fetch_pdf)
            pdf.start()
            try:
                deadline = time.monotonic() + 60
                while not jobs.counts(w.engine).get("queued", 0) and time.monotonic() < deadline:
                    time.sleep(0.05)
                assert jobs.counts(w.engine).get("queued", 0) == 1  # the download waits for its job
                me = client.get("/api/me")  # answered while the download still waits
                assert me.status_code == 200 and me.json()["user"]["username"] == "viewer"
                assert pdf.is_alive() and "pdf" not in results
            finally:  # a worker takes the job (also when an assertion failed: nothing hangs)
                ran = serve(w.app.state.settings, once=True)
                pdf.join(timeout=300)
            assert ran == 1
        assert results["pdf"].status_code == 200 and results["pdf"].content.startswith(b"%PDF")
    finally:
        w.engine.dispose()


def test_report_downloads_follow_the_apps_configured_standard(tmp_path):
    w = build_world(tmp_path, standard="jbjh-2012")
    try:
        r = sign_in(w.app, "viewer").get(f"/api/counties/{HOME}/years/{YEAR}/self-evaluation.docx")
        assert r.status_code == 200
        assert disposition_name(r) == f"测试县04义务教育均衡发展自评报告（{YEAR}学年）.docx"
        word = open_docx(io.BytesIO(r.content))
        assert "四、校际均衡" in [p.text for p in word.paragraphs if p.style.name == "Heading 1"]
        assert "达标值" not in cell_texts(word)  # jbjh-2012 sets no per-school values
    finally:
        w.engine.dispose()
