"""Plausibility warnings: jumps from last year and values far from the county's
median, with hand-checked figures."""

from __future__ import annotations

from junheng.services.plausibility import baseline, warnings
from tests.core.builders import county, good_primary

CODES = [f"350404000{i}" for i in range(1, 7)]


def six_schools(**overrides):
    data = county([good_primary(code, 200) for code in CODES], school_year=2024)
    for key, value in overrides.items():
        setattr(data.schools[0], key, value)
    return data


def test_no_warning_for_the_same_figures():
    base = baseline(six_schools())
    assert base["medians"]["sports_area_per_student"] == 8.0  # 1,600 ㎡ / 200 pupils everywhere
    assert warnings(six_schools(), CODES[0], base) == []


def test_a_jump_beyond_the_share_and_the_minimum_is_warned():
    base = baseline(six_schools())
    # 1,000 -> 1,200 ㎡: +20 %, under the 25 % of teaching_area: no warning
    assert warnings(six_schools(teaching_area=1200.0), CODES[0], base) == []
    (w,) = warnings(six_schools(teaching_area=1300.0), CODES[0], base)
    assert w["key"] == "jump:teaching_area"
    assert w["message"].startswith("教学及辅助用房面积由 2024 学年的 1000 ㎡变为 1300 ㎡（增加 30%）")


def test_a_small_absolute_change_is_not_a_jump():
    base = baseline(six_schools())
    # 6 -> 8 multimedia rooms is +33 %, but fewer than 3 rooms: no warning
    assert warnings(six_schools(multimedia_rooms=8), CODES[0], base) == []


def test_a_value_far_from_the_county_median_is_warned():
    base = baseline(six_schools())
    # sports ground 25 ㎡ per pupil against a median of 8: 3.1 times
    found = {w["key"]: w for w in warnings(six_schools(sports_area=5000.0), CODES[0], base)}
    assert set(found) == {"jump:sports_area", "outlier:sports_area_per_student"}
    assert "是全县学校上年中位数 8 ㎡的 3.1 倍" in found["outlier:sports_area_per_student"]["message"]


def test_no_median_with_too_few_schools():
    data = county([good_primary(code, 200) for code in CODES[:4]])
    assert baseline(data)["medians"] == {}
    assert baseline(None) == {"school_year": None, "schools": {}, "medians": {}}
