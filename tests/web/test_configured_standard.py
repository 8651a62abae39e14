"""The web app evaluates with the county's own standard (Settings.standard /
JUNHENG_STANDARD): an uploaded workbook, an approved round, the downloads and the
plan page; the dashboard says which standard a year was evaluated with; a broken
standard file stops the app before it starts."""

from __future__ import annotations

import io

import openpyxl
import pytest
from typer.testing import CliRunner

from junheng.cli import app as cli
from junheng.core.errors import StandardError
from junheng.services.standards import new_standard
from junheng.settings import Settings
from junheng.templates.writer import write_county_workbook
from junheng.web.app import create_app
from tests.standard_files import BROKEN_KEY, broken_r1, edited_copy, raised_r1

from .conftest import HOME, SCHOOL_A, YEAR, build_world, county_data, sign_in
from .test_collection import approve_all


@pytest.fixture
def raised(tmp_path):
    w = build_world(tmp_path, standard=str(raised_r1(tmp_path / "raised-2017.yaml")))
    clients = {name: sign_in(w.app, name) for name in ("admin", "county_admin", "clerk", "viewer")}
    yield w, clients
    w.engine.dispose()


def good_workbook(folder, year: int) -> bytes:
    path = folder / f"good-{year}.xlsx"
    write_county_workbook(county_data(HOME, SCHOOL_A, year=year, weak=False), path)
    return path.read_bytes()


def test_an_uploaded_workbook_is_evaluated_with_the_configured_standard(raised, tmp_path):
    w, c = raised
    assert w.app.state.standard.id == "raised-2017"
    r = c["county_admin"].post(f"/api/counties/{HOME}/workbook",
                               files={"file": ("县.xlsx", good_workbook(tmp_path, 2026))})
    assert r.status_code == 200, r.text
    # the same workbook is recognised under yzjh-2017 (tests/web/test_uploads.py)
    assert r.json()["recognised"] is False
    d = c["viewer"].get(f"/api/counties/{HOME}/dashboard?year=2026").json()
    assert d["recognised"] is False and d["standard"] == "raised-2017"
    assert d["standard_custom"] is True and d["standard_based_on"] == "yzjh-2017"
    r1 = next(i for i in d["indicators"] if i["id"] == "R1")
    assert r1["thresholds"]["primary"] == 400  # shown from the stored evaluation
    assert SCHOOL_A in {s["code"] for s in d["furthest"]}
    page = c["viewer"].get(f"/counties/{HOME}?year=2026")
    assert page.status_code == 200
    assert 'data-standard="raised-2017" data-custom="true"' in page.text and "自定义标准文件</strong>，基于 yzjh-2017" in page.text
    # the year imported by the fixture with the shipped standard says so
    old = c["viewer"].get(f"/counties/{HOME}?year={YEAR}").text
    assert 'data-standard="yzjh-2017" data-custom="false"' in old and "内置标准" in old


def test_an_approved_round_is_evaluated_with_the_configured_standard(raised):
    w, c = raised
    published = approve_all(w, c)
    # recognised under yzjh-2017 (test_collection.py); R1 at 400 fails every school
    assert published["school_year"] == YEAR + 1 and published["recognised"] is False
    d = c["county_admin"].get(f"/api/counties/{HOME}/dashboard?year={YEAR + 1}").json()
    assert d["standard"] == "raised-2017" and d["schools_passed"] == 0


def test_downloads_and_the_plan_use_the_configured_standard(raised):
    _, c = raised
    viewer = c["viewer"]
    book = openpyxl.load_workbook(io.BytesIO(viewer.get(f"/api/counties/{HOME}/years/{YEAR}/result.xlsx").content))
    summary = {row[0]: row[1] for row in book["汇总"].iter_rows(values_only=True) if row and row[0]}
    assert summary["标准编号与版本"].startswith("raised-2017")
    html = viewer.get(f"/api/counties/{HOME}/years/{YEAR}/report.html").text
    assert "raised-2017" in html
    plan = viewer.get(f"/api/counties/{HOME}/years/{YEAR}/plan.xlsx")
    assert plan.status_code == 200
    sheets = openpyxl.load_workbook(io.BytesIO(plan.content))
    before = [row for ws in sheets for row in ws.iter_rows(values_only=True) if "调整前达标学校（学段）" in row]
    assert before and "0/3" in before[0]  # under yzjh-2017 two of the three schools pass


def test_evidence_items_come_from_the_configured_standard(tmp_path):
    path = tmp_path / "no-g2.yaml"
    new_standard("yzjh-2017", path)
    text = path.read_text("utf-8")
    start = text.index("  - id: G2\n")
    block = text[start:text.index("  - id: ", start + 1)]
    edited_copy(path, block, block.replace("evidence: true", "evidence: false"))
    w = build_world(tmp_path, standard=str(path))
    try:
        bureau = sign_in(w.app, "county_admin")
        items = [i["id"] for i in bureau.get(f"/api/rounds/{w.rounds[HOME]}/evidence").json()["items"]]
        assert "G1" in items and "G2" not in items
    finally:
        w.engine.dispose()


def test_a_broken_standard_file_stops_the_app_with_file_line_and_key(tmp_path, monkeypatch):
    path, line = broken_r1(tmp_path / "broken.yaml")
    with pytest.raises(StandardError) as caught:
        create_app(Settings(data_dir=tmp_path, standard=str(path)))
    message = caught.value.message
    assert "broken.yaml" in message and f"第 {line} 行" in message
    assert BROKEN_KEY in message
    # `junheng serve` refuses it before anything starts (no port is bound, no database made)
    out = CliRunner().invoke(cli, ["serve", "--standard", str(path), "--port", "1",
                                   "--database-url", f"sqlite:///{tmp_path / 'never.db'}"])
    assert out.exit_code != 0
    assert "broken.yaml" in out.output and f"第 {line} 行" in out.output
    assert BROKEN_KEY in out.output
    assert not (tmp_path / "never.db").exists()
    # the same through the environment, as worker processes read it
    monkeypatch.setenv("JUNHENG_STANDARD", str(path))
    out = CliRunner().invoke(cli, ["serve", "--port", "1", "--database-url", f"sqlite:///{tmp_path / 'never.db'}"])
    assert out.exit_code != 0 and f"第 {line} 行" in out.output
