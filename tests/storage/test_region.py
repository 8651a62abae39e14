"""City and province views aggregate their counties from the code prefixes."""

from __future__ import annotations

import pytest

from junheng.core.errors import NotFoundError
from junheng.services.history import import_county_data
from junheng.services.trends import region_view

from .counties import small_county


@pytest.fixture
def province(engine):
    ok = small_county("350404", schools=2, name="甲县")
    near = small_county("350405", schools=2, name="乙县")
    near.facts["layout_ok"] = False  # G1 fails: one thing to fix
    far = small_county("350502", schools=3, name="丙县")
    far.facts.update(layout_ok=False, four_unified=False, staffing_pooled=False)
    far.schools[0].teaching_area = 10  # R4 and R5 fail for one school: it fails,
    far.schools[0].sports_area = 10  # and the R4 and R5 CVs go over 0.50
    other = small_county("420102", schools=2, name="外省县")
    other.facts["layout_ok"] = False
    old = small_county("350404", year=2023, schools=2, name="甲县")
    old.facts["layout_ok"] = False
    for d in (ok, near, far, other, old):
        d.county.city = "泉州市" if d.county.code.startswith("3505") else "三明市"
        d.county.province = "福建省" if d.county.code.startswith("35") else "湖北省"
        import_county_data(engine, d, by="t")
    return engine


def test_city_view(province):
    v = region_view(province, "3504")
    assert (v.level, v.name, v.school_year) == ("city", "三明市", 2024)
    assert [c.county_code for c in v.counties] == ["350404", "350405"]
    assert [c.county_code for c in v.recognised] == ["350404"]
    assert [c.county_code for c in v.close] == ["350405"] and v.counties[1].distance == 1
    assert v.item_failures == [("G1", 1)]
    assert v.item_names["G1"].startswith("县域内义务教育学校规划布局合理") or v.item_names["G1"]


def test_province_view_and_most_failed(province):
    v = region_view(province, "350000")  # six digits work too
    assert (v.code, v.level, v.name) == ("35", "province", "福建省")
    assert [c.county_code for c in v.counties] == ["350404", "350405", "350502"]
    far = v.counties[-1]
    assert far.schools_total - far.schools_passed == 1
    assert far.failing_items == ["G1", "G10", "G2"]
    assert far.cv_failures == ["primary.R4", "primary.R5"]
    assert far.distance == 1 + 3 + 2
    assert far not in v.close  # 4 things to fix > 3
    assert v.item_failures[0] == ("G1", 2)
    assert dict(v.indicator_failures) == {"R4": 1, "R5": 1}


def test_a_year_and_errors(province):
    v = region_view(province, "3504", 2023)
    assert [(c.county_code, c.recognised) for c in v.counties] == [("350404", False)]
    with pytest.raises(NotFoundError, match="地区代码 35x 无效"):
        region_view(province, "35x")
    with pytest.raises(NotFoundError, match="没有地区 3506"):
        region_view(province, "3506")


def test_region_trend_has_every_county_and_year(province):
    from junheng.services.trends import region_trend

    t = region_trend(province, "35")
    assert {c: [y.school_year for y in ys] for c, ys in t.items()} == {
        "350404": [2023, 2024], "350405": [2024], "350502": [2024]}
    assert [y.recognised for y in t["350404"]] == [False, True]
    assert [y.school_year for y in region_trend(province, "3504", year_from=2024)["350404"]] == [2024]


@pytest.mark.parametrize("code", ["全国", "00", "000000"])
def test_the_whole_country(province, code):
    v = region_view(province, code)
    assert (v.code, v.level, v.name, v.school_year) == ("", "country", "全国", 2024)
    assert [c.county_code for c in v.counties] == ["350404", "350405", "420102", "350502"]
    assert [c.county_code for c in v.recognised] == ["350404"]
    assert v.item_failures[0] == ("G1", 3)
