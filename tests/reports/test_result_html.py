"""The HTML report as text: self-contained (no URL to load), ECharts inlined, the
county, every CV as printed elsewhere, the chart data equal to the evaluation."""

from __future__ import annotations

import dataclasses
import json
import re
from importlib import resources

import pytest

from junheng.reports import numbers as fmt
from junheng.reports.renderers.html import ECHARTS_VERSION, render_html_report, write_html_report

from .results import generated_evaluation

VENDOR = resources.files("junheng.reports.renderers").joinpath("vendor")


@pytest.fixture(scope="module")
def page(hand_ev) -> str:
    return render_html_report(hand_ev)


def chart_data(html: str) -> dict:
    m = re.search(r'<script type="application/json" id="chart-data">(.*?)</script>', html, re.S)
    assert m
    return json.loads(m.group(1))


def test_nothing_is_loaded_from_anywhere(page):
    assert not re.search(r"<script[^>]*\bsrc\s*=", page, re.I)
    assert not re.search(r"<link\b", page, re.I)
    assert not re.search(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", page, re.I)
    assert not re.search(r"""url\(\s*["']?(?:https?:)?//""", page, re.I)
    assert "@import" not in page


def test_echarts_is_inlined_whole(page):
    source = VENDOR.joinpath("echarts.min.js").read_text("utf-8")
    assert len(source) > 500_000 and source in page
    assert f"Apache ECharts {ECHARTS_VERSION}" in page
    readme = VENDOR.joinpath("README.md").read_text("utf-8")
    assert f"echarts@{ECHARTS_VERSION}" in readme
    assert "Apache License" in VENDOR.joinpath("echarts-LICENSE.txt").read_text("utf-8")


def test_county_verdict_and_every_cv(page, hand_ev):
    assert "<title>测试县义务教育优质均衡发展督导评估结果（2025学年）</title>" in page
    assert "测试县（行政区划代码 350404）" in page and "不予认定" in page
    for per in hand_ev.dispersion.values():
        for d in per.values():
            assert f'">{fmt.cv(d.cv)}</td>' in page
    # Half-up by hand: R4 1/9 → 0.111, R5 0.17918 → 0.179, R6 0.19245 → 0.192.
    assert {"0.111", "0.179", "0.192"} <= set(re.findall(r">(0\.\d{3})</td>", page))


def test_chart_data_is_the_evaluation(page, hand_ev):
    data = chart_data(page)
    [cv] = data["cv"]
    per = hand_ev.dispersion[next(iter(hand_ev.dispersion))]
    assert cv["values"] == [per[f"R{i}"].cv for i in range(1, 8)]
    assert cv["labels"][3] == "0.111" and cv["limit"] == 0.5 and not any(cv["failing"])
    [heat] = data["heat"]
    # Weakest first: 学校003 (R5 at 67 %), then 学校002 (R4 at 89 %), then 学校001.
    assert heat["schools"] == ["学校003", "学校002", "学校001"]
    cells = {(heat["schools"][y], heat["indicators"][x]): (band, pct) for x, y, band, pct, *_ in heat["cells"]}
    assert cells[("学校003", "体育场馆")] == (0, "67%")  # 5.00 / 7.5, red
    assert cells[("学校002", "教学用房")][0] == 1  # amber: between 85 % and 100 %
    assert cells[("学校001", "教学用房")][0] >= 2
    assert data["floor"] == 0.85


def test_school_cells_are_marked(page):
    row = page[page.index(">学校003<"):]
    row = row[:row.index("</tr>")]
    assert '<td class="num fail" title="未达标：达标值 7.5">5.00</td>' in row
    assert '<td class="num fail" title="未达标：达标值 2000">1500</td>' in row
    row2 = page[page.index(">学校002<"):]
    assert '<td class="num floor" title="未达标（不低于基本值）：达标值 4.5">4.00</td>' in row2[:row2.index("</tr>")]


def test_names_are_escaped_everywhere(hand_ev, tmp_path):
    name = '</script><script>alert("x")</script>&'
    schools = [dataclasses.replace(hand_ev.schools[0], name=name), *hand_ev.schools[1:]]
    html = write_html_report(dataclasses.replace(hand_ev, schools=schools), tmp_path / "r.html").read_text("utf-8")
    assert 'alert("x")' not in html
    assert "&lt;/script&gt;&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&amp;" in html
    assert name in chart_data(html)["heat"][0]["schools"]  # intact as data (tojson escapes "<")
    assert "\\u003c/script\\u003e" in html


def test_large_county_lists_everything():
    ev = generated_evaluation(schools=300, seed=2)
    html = render_html_report(ev)
    # One code cell per school part, shortfall and excluded school: nothing cut.
    assert html.count('<td class="code">') == len(ev.schools) + len(ev.shortfalls) + len(ev.excluded)
    assert sum(len(h["schools"]) for h in chart_data(html)["heat"]) == len(ev.schools)
