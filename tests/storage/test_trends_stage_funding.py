"""分学段只增不减 (F3 生均一般公共预算教育经费, F4 公用经费) in the 历年趋势, over years
stored in the database: the fact sheet's per-stage figures, the 上年 number from the
previous stored year (else the declared one), a verdict per year — by hand."""

from __future__ import annotations

import pytest

from junheng.analysis.county_year import with_stage_funding
from junheng.reports.documents.trend_section import TrendSection, trend_rows, trend_view
from junheng.services.history import import_county_data
from junheng.services.trends import county_trend

from .counties import small_county

FUNDING_KEYS = ("budget_per_student", "public_funds_per_student")


def _year(year: int, **funding: float):
    data = small_county(year=year, schools=2)
    for k in [k for k in data.facts if k.startswith(FUNDING_KEYS)]:
        del data.facts[k]
    data.facts.update(funding)
    return data


@pytest.fixture
def stored(engine):
    years = [
        # 2022: no stored 2021 → the declared 上年 numbers: 13,000 ≥ 12,800; 3,000 ≥ 2,900; 初中 19,000 ≥ 18,500
        _year(2022, budget_per_student_primary=13000, budget_per_student_primary_prev=12800,
              public_funds_per_student_primary=3000, public_funds_per_student_primary_prev=2900,
              budget_per_student_junior=19000, budget_per_student_junior_prev=18500),
        # 2023 against the stored 2022: all rise
        _year(2023, budget_per_student_primary=13500, budget_per_student_primary_prev=13000,
              public_funds_per_student_primary=3100, public_funds_per_student_primary_prev=3000,
              budget_per_student_junior=19500, budget_per_student_junior_prev=19000),
        # 2024: 小学 13,400 < the stored 13,500 (its declared 上年 says 13,600); 初中 left blank
        _year(2024, budget_per_student_primary=13400, budget_per_student_primary_prev=13600,
              public_funds_per_student_primary=3200, public_funds_per_student_primary_prev=3100),
    ]
    for data in years:
        import_county_data(engine, data, by="t")
    return engine


def test_a_verdict_per_year_against_the_stored_year_before(stored):
    y22, y23, y24 = county_trend(stored, "350404").years
    a = y22.stage_funding
    assert a.values["per_student_spending.primary"] == 13000 and a.prev["per_student_spending.primary"] == 12800
    assert set(a.prev_source.values()) == {"declared"}
    assert (a.ok, a.verdict) == (True, "达到")
    b = y23.stage_funding
    assert b.prev_source["per_student_spending.junior"] == "stored" and b.prev["per_student_spending.junior"] == 19000
    assert (b.ok, b.verdict, b.notes) == (True, "达到", [])
    c = y24.stage_funding
    assert c.prev["per_student_spending.primary"] == 13500  # the stored 2023, not the declared 13,600
    assert c.ok is False
    # 初中 has last year's 19,500 but nothing this year: 缺少数据 too, yet a fall decides
    assert c.verdict == "未达到：小学生均一般公共预算教育经费 13,400.00 元，低于上年 13,500.00 元"
    assert c.notes == ["本年填报的上年小学生均一般公共预算教育经费 13,600.00 元与数据库中上一学年的 13,500.00 元不一致"]


def test_the_trend_rows_show_the_figures_and_the_verdicts(stored):
    t = county_trend(stored, "350404")
    rows = {label: values for label, values, _ in trend_rows(t.years)}
    assert rows["小学生均一般公共预算教育经费（元）"] == [13000, 13500, 13400]
    assert rows["初中生均一般公共预算教育经费（元）"] == [19000, 19500, None]
    assert rows["小学生均一般公共预算公用经费（元）"] == [3000, 3100, 3200]
    assert "高中生均一般公共预算教育经费（元）" not in rows  # no year has it
    assert rows["分学段生均经费只增不减"][:2] == ["达到", "达到"]
    assert rows["分学段生均经费只增不减"][2].startswith("未达到：小学")
    # the HTML report's section prints the same rows, money with two decimals
    view = trend_view(TrendSection("350404", "测试县", t.years))
    row = next(r for r in view["rows"] if r["label"] == "小学生均一般公共预算教育经费（元）")
    assert row["cells"] == ["13000.00", "13500.00", "13400.00"]


def test_one_missing_stage_number_is_missing_data(engine):
    for data in (_year(2022, budget_per_student_primary=13000),  # no 上年, none stored
                 _year(2023, budget_per_student_primary=13500, budget_per_student_primary_prev=13000)):
        import_county_data(engine, data, by="t")
    y22, y23 = county_trend(engine, "350404").years
    assert (y22.stage_funding.ok, y22.stage_funding.verdict) == (None, "缺少数据：小学生均一般公共预算教育经费")
    assert y23.stage_funding.verdict == "达到"


def test_no_stage_funding_at_all_adds_no_rows(engine):
    for year in (2022, 2023):
        import_county_data(engine, _year(year), by="t")
    t = county_trend(engine, "350404")
    assert [y.stage_funding.verdict for y in t.years] == ["未填报", "未填报"]
    assert not [label for label, _, _ in trend_rows(t.years) if "生均经费只增不减" in label]


def test_a_summary_stored_before_reads_its_figures_under_todays_ids():
    old = {"figures": {"budget_per_student.primary": 13000.0, "per_student_spending.primary": 20000.0,
                       "public_funds_per_student.primary": 3000.0}}
    funding = with_stage_funding(old)["stage_funding"]
    assert funding["per_student_spending.primary"] == 13000.0  # the typed figure, as the fact sheet takes it
    assert funding["public_funds_per_student.primary"] == 3000.0 and funding["per_student_spending.senior"] is None
