"""The web's result workbook and HTML report of a stored county-year carry the
county's 历年趋势 up to that year — the figures of `junheng trend` — and say so in
Chinese when there is no earlier year."""

from __future__ import annotations

import io
import json
import re

import openpyxl
import pytest

from junheng.reports.documents.trend_section import trend_rows
from junheng.services.history import import_county_data
from junheng.services.trends import county_trend

from ..reports.workbook_checks import workbook_problems
from .conftest import HOME, OTHER, SCHOOL_A, YEAR, build_world, county_data, sign_in


@pytest.fixture(scope="module")
def three_years(tmp_path_factory):
    """HOME stored for 2022, 2023 and (by the fixture) 2024; OTHER for 2024 only."""
    w = build_world(tmp_path_factory.mktemp("trend"))
    for year, spending in ((YEAR - 2, 50000), (YEAR - 1, 52000)):
        data = county_data(HOME, SCHOOL_A, year=year, weak=year == YEAR - 2)
        data.facts.update(edu_spending=spending, students_total=600)
        import_county_data(w.engine, data, by="test")
    yield w, sign_in(w.app, "viewer"), sign_in(w.app, "other_viewer")
    w.engine.dispose()


def trend_sheet(content: bytes) -> tuple[list, dict[str, list]]:
    ws = openpyxl.load_workbook(io.BytesIO(content))["历年趋势"]
    rows = list(ws.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r[0] == "指标")
    n = sum(1 for v in rows[head][1:] if v)
    return rows[:head], {r[0]: list(r[1:1 + n]) for r in rows[head:] if r[0]}


def as_cells(values: list) -> list:
    return ["—" if v is None else pytest.approx(v, rel=1e-12) if isinstance(v, float) else v for v in values]


def test_the_result_workbook_has_the_trend_up_to_that_year(three_years):
    w, viewer, _ = three_years
    for year, expected_years in ((YEAR, [YEAR - 2, YEAR - 1, YEAR]), (YEAR - 1, [YEAR - 2, YEAR - 1])):
        r = viewer.get(f"/api/counties/{HOME}/years/{year}/result.xlsx")
        assert r.status_code == 200
        assert workbook_problems(r.content) == []  # formats, frozen panes, filters, 说明
        top, rows = trend_sheet(r.content)
        assert rows["指标"] == [f"{y} 学年" for y in expected_years]
        trend = county_trend(w.engine, HOME, year_to=year)
        stored = trend.years
        assert [y.school_year for y in stored] == expected_years
        for label, values, _ in trend_rows(stored, trend.names):
            assert rows[label] == as_cells(values), label
    # the figures themselves: 2023 against 2022 spent more, per student too
    assert rows["两个只增不减"][-1] == "达到"
    assert rows["一般公共预算教育支出（万元）"] == [50000, 52000]
    assert rows["认定结论"] == ["不予认定", "认定"]


def test_the_html_report_has_the_trend_section_and_chart(three_years):
    _, viewer, _ = three_years
    html = viewer.get(f"/api/counties/{HOME}/years/{YEAR}/report.html").text
    assert '<section id="trend"' in html and "八、历年趋势" in html and 'href="#trend"' in html
    data = json.loads(re.search(r'<script type="application/json" id="trend-data">(.*?)</script>', html).group(1))
    assert data["years"] == [str(YEAR - 2), str(YEAR - 1), str(YEAR)]
    assert {s["name"] for s in data["shares"]} >= {"达标学校占比", "大班额占比", "超大班额占比", "骨干教师占比"}
    assert data["cv"][0]["stage"] == "小学" and data["cv"][0]["limit"] == 0.5
    assert 'id="trend-cv-0"' in html and "cdn" not in html.lower()


def test_a_county_with_one_stored_year_is_told_there_is_no_trend_yet(three_years):
    _, _, other = three_years
    note = f"数据库中没有测试县02（{OTHER}）{YEAR} 学年之前的数据，暂无历年趋势"
    top, rows = trend_sheet(other.get(f"/api/counties/{OTHER}/years/{YEAR}/result.xlsx").content)
    assert any(r[0] and note in r[0] for r in top)
    assert rows["指标"] == [f"{YEAR} 学年"]
    html = other.get(f"/api/counties/{OTHER}/years/{YEAR}/report.html").text
    assert note in html and 'id="trend-cv-0"' not in html
    # and a reader of another county sees neither
    assert other.get(f"/api/counties/{HOME}/years/{YEAR}/result.xlsx").status_code == 403
