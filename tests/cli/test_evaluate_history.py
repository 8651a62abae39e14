"""`junheng evaluate WORKBOOK --history`: the result files carry the county's 历年趋势 —
its stored earlier years, then this workbook's year (not stored) — with the same
figures as `junheng trend` once the year is imported; no earlier year is said in
Chinese."""

from __future__ import annotations

import dataclasses
import json

import openpyxl
import pytest
from typer.testing import CliRunner

from junheng.cli import app
from junheng.reports.documents.trend_section import trend_rows
from junheng.samples import generate_county
from junheng.services.history import open_history
from junheng.services.trends import county_trend
from junheng.templates.writer import write_county_workbook

runner = CliRunner()
CODE = "350404"


def run(*args):
    return runner.invoke(app, [str(a) for a in args])


@pytest.fixture
def books(tmp_path, monkeypatch):
    monkeypatch.delenv("JUNHENG_STANDARD", raising=False)
    monkeypatch.delenv("JUNHENG_DATABASE_URL", raising=False)
    out = {}
    for year, schools in ((2023, 8), (2024, 9), (2025, 10)):
        out[year] = tmp_path / f"{year}.xlsx"
        write_county_workbook(generate_county(schools=schools, seed=year, school_year=year), out[year])
    return tmp_path, out


def sheet_values(path, name: str, columns: int) -> dict[str, list]:
    ws = openpyxl.load_workbook(path)[name]
    return {row[0]: list(row[1:1 + columns]) for row in ws.iter_rows(values_only=True) if row[0]}


def test_history_adds_the_stored_years_and_this_one(books):
    tmp, book = books
    url = f"sqlite:///{tmp / 'h.db'}"
    for year in (2023, 2024):
        assert run("import", book[year], "--database-url", url).exit_code == 0
    outs = [tmp / "r.xlsx", tmp / "r.html", tmp / "r.json"]
    r = run("evaluate", book[2025], "--history", "--database-url", url, "--format", "json",
            *(x for o in outs for x in ("--out", o)))
    assert r.exit_code in (0, 1), r.output
    doc = json.loads(r.stdout)
    trend = doc["trend"]
    assert trend["county_code"] == CODE and trend["note"] is None
    assert [(y["school_year"], y["version"]) for y in trend["years"]] == [(2023, 1), (2024, 1), (2025, None)]
    assert json.loads((tmp / "r.json").read_text("utf-8"))["trend"] == trend
    # nothing was stored: the database still ends at 2024
    engine = open_history(url=url)
    try:
        assert [y.school_year for y in county_trend(engine, CODE).years] == [2023, 2024]
        # once 2025 is imported, `junheng trend` has the very figures the result files showed
        assert run("import", book[2025], "--database-url", url).exit_code == 0
        stored = county_trend(engine, CODE)
    finally:
        engine.dispose()
    expected = [dataclasses.asdict(y) | {"version": None if y.school_year == 2025 else y.version}
                for y in stored.years]
    assert trend["years"] == json.loads(json.dumps(expected))
    # the workbook's 历年趋势 sheet: trend_rows of the same years, one column per year
    rows = sheet_values(tmp / "r.xlsx", "历年趋势", 3)
    assert rows["指标"] == ["2023 学年", "2024 学年", "2025 学年（本工作簿，未入库）"]
    for label, values, _ in trend_rows(stored.years, stored.names):  # items and indicators named
        if label == "数据版本":
            assert rows[label] == [1, 1, "未入库"]
        else:
            # Excel keeps 15 significant digits
            assert rows[label] == [("—" if v is None else pytest.approx(v, rel=1e-12) if isinstance(v, float) else v)
                                   for v in values], label
    html = (tmp / "r.html").read_text("utf-8")
    assert '<section id="trend"' in html and "八、历年趋势" in html
    assert 'id="trend-cv-0"' in html and '"years": ["2023", "2024", "2025"]' in html


def test_history_without_an_earlier_year_says_so(books):
    tmp, book = books
    url = f"sqlite:///{tmp / 'empty.db'}"
    r = run("evaluate", book[2024], "--history", "--database-url", url, "--out", tmp / "one.html",
            "--format", "json")
    assert r.exit_code in (0, 1)
    message = "数据库中没有示例县（350404）2024 学年之前的数据，暂无历年趋势"
    assert message in r.stderr
    trend = json.loads(r.stdout)["trend"]
    assert message in trend["note"] and [y["school_year"] for y in trend["years"]] == [2024]
    html = (tmp / "one.html").read_text("utf-8")
    assert message in html and 'id="trend-cv-0"' not in html
    assert '<script type="application/json" id="trend-data">null</script>' in html
    # a later stored year does not count as history of this one
    assert run("import", book[2025], "--database-url", url).exit_code == 0
    r = run("evaluate", book[2024], "--history", "--database-url", url, "--format", "json")
    assert [y["school_year"] for y in json.loads(r.stdout)["trend"]["years"]] == [2024]


def test_without_history_there_is_no_trend(books):
    tmp, book = books
    r = run("evaluate", book[2024], "--format", "json", "--out", tmp / "plain.xlsx")
    assert "trend" not in json.loads(r.stdout)
    assert "历年趋势" not in openpyxl.load_workbook(tmp / "plain.xlsx").sheetnames
