"""学前教育普及普惠 (2020, ``xqpp-2020``): a hand-computed county, every threshold at
its boundary, and a county without kindergarten sheets."""

from __future__ import annotations

import pytest

from junheng.core.engine import evaluate
from junheng.core.facts import County, CountyData, UrbanRural
from junheng.core.preschool import (
    Kindergarten,
    KindergartenCategory,
    KindergartenClass,
    KindergartenClassType,
)
from junheng.standards import load_standard

PUBLIC, INCLUSIVE, PRIVATE = (KindergartenCategory.PUBLIC, KindergartenCategory.INCLUSIVE_PRIVATE,
                              KindergartenCategory.PRIVATE)
SMALL, MIDDLE, LARGE, MIXED = (KindergartenClassType.SMALL, KindergartenClassType.MIDDLE,
                               KindergartenClassType.LARGE, KindergartenClassType.MIXED)

FACTS = {
    "population_3_5": 560, "rural_townships": 1, "kg_public_funding_standard": 500,
    "kg_inclusive_subsidy_standard": 500, "kg_nonstaff_avg_pay": 75000, "kg_staff_avg_pay": 100000,
    "kg_estate_ok": True, "kg_scientific_care_ok": True, "kg_no_primary_style": True,
    "preschool_satisfaction_pct": 85, "urban_subdistricts": 0,
}


def kg(code: str, category=PUBLIC, small=0, middle=0, large=0, *, mixed=0, teachers=1, certified=None,
       principals=1, cert_principals=None, per_child=(4.0, 8.17, 10.44), built=2018,
       township=None, central=False, ur=UrbanRural.URBAN, township_kind=None, nursery=None,
       full_day=None) -> Kindergarten:
    n = small + middle + large + mixed
    return Kindergarten(
        code=code, name=f"幼儿园{code[-2:]}", category=category, urban_rural=ur,
        children_small=small, children_middle=middle, children_large=large, children_mixed=mixed,
        teachers=teachers, certified_teachers=teachers if certified is None else certified,
        principals=principals, certified_principals=principals if cert_principals is None else cert_principals,
        outdoor_play_area=n * per_child[0], activity_room_area=n * per_child[1],
        building_area=n * per_child[2], built_year=built, township=township, central=central,
        township_kind=township_kind, nursery_staff=nursery, full_day=full_day,
    )


def kclasses(code: str, kind: KindergartenClassType, *sizes: int) -> list[KindergartenClass]:
    return [KindergartenClass(code, kind, f"{kind.value}{i + 1}", n) for i, n in enumerate(sizes)]


def kcounty(kgs, classes=None, **facts) -> CountyData:
    data = CountyData(County("350404", "测试县", 2025), schools=[], facts={**FACTS, **facts})
    data.extra_tables["kindergartens"] = list(kgs)
    if classes is not None:
        data.extra_tables["kindergarten_classes"] = list(classes)
    return data


@pytest.fixture(scope="module")
def std():
    return load_standard("xqpp-2020")


def hand_county() -> CountyData:
    """Four kindergartens, 480 children, 32 teachers.

    K1 公办 乡镇中心园  25+30+35 =  90 children, 6 teachers, built 2018, areas exactly at the norms
    K2 公办           50+60+70 = 180 children, 12 teachers, built 2010
    K3 普惠性民办       40+40+40 = 120 children, 8 teachers (6 classes: a 半日制 kindergarten,
                                    so 两教一保 does not apply)
    K4 非普惠民办       20+30+40 =  90 children, 6 teachers; its 大班 has 40 (limit 35)
    Full-day K1, K2, K4 have 2 teachers and 1 保育员 per class exactly.
    """
    kgs = [
        kg("3504049901", PUBLIC, 25, 30, 35, teachers=6, township="河口镇", central=True, ur=UrbanRural.RURAL,
           nursery=3, full_day=True),
        kg("3504049902", PUBLIC, 50, 60, 70, teachers=12, built=2010, per_child=(5, 9, 12), nursery=6,
           full_day=True),
        kg("3504049903", INCLUSIVE, 40, 40, 40, teachers=8, built=2015, per_child=(3, 8, 10), nursery=3,
           full_day=False),
        kg("3504049904", PRIVATE, 20, 30, 40, teachers=6, built=2021, per_child=(4.5, 9, 11), nursery=3,
           full_day=True),
    ]
    classes = (
        kclasses("3504049901", SMALL, 25) + kclasses("3504049901", MIDDLE, 30) + kclasses("3504049901", LARGE, 35)
        + kclasses("3504049902", SMALL, 25, 25) + kclasses("3504049902", MIDDLE, 30, 30)
        + kclasses("3504049902", LARGE, 35, 35)
        + kclasses("3504049903", SMALL, 20, 20) + kclasses("3504049903", MIDDLE, 20, 20)
        + kclasses("3504049903", LARGE, 20, 20)
        + kclasses("3504049904", SMALL, 20) + kclasses("3504049904", MIDDLE, 30) + kclasses("3504049904", LARGE, 40)
    )
    return kcounty(kgs, classes)


def test_hand_computed_county(std):
    ev = evaluate(hand_county(), std)
    items = ev.items
    assert items["X1"].value == pytest.approx(480 / 560)  # 85.71 %
    assert items["X2"].value == pytest.approx(390 / 480)  # (90 + 180 + 120) / 480 = 81.25 %
    assert items["X3"].value == pytest.approx(270 / 480)  # 56.25 %
    assert items["X4"].value == 1.0  # 1 township of 1 has a public central kindergarten
    assert items["X15"].passed is True and "不适用" in items["X15"].message  # no 街道
    assert items["X16"].value == 1.0 and items["X16"].provenance.inputs["records"] == 3  # K3 is 半日制
    assert items["X6"].value == 0.75  # exactly 75 %
    assert items["X8"].value == 15.0 and "1:15" in items["X8"].message  # 480 / 32, exactly the limit
    assert items["X10"].value == pytest.approx(17 / 18)  # 18 classes; K4's 大班 of 40 is over 35
    assert items["X10"].failures == [{"code": "3504049904", "name": "幼儿园04 large1", "check": "班额", "value": 40.0,
                                      "threshold": 35.0, "op": "<=", "row": 0}]
    # X11: K1 (2018) at the norms exactly, K4 (2021) above → all pass
    assert items["X11"].value == 1.0 and items["X11"].provenance.inputs["records"] == 2
    # X12: K2 (2010) meets, K3 (2015) has 3 ㎡ outdoor and 8 ㎡ activity per child → 1 of 2 = 50 %
    assert items["X12"].value == 0.5 and items["X12"].passed is True
    assert all(i.passed is True for i in items.values()), {k: i.message for k, i in items.items() if not i.passed}
    assert ev.recognised
    # findings that do not block: K4's class, K3's areas (120 × 4 − 360 = 120 ㎡;
    # 120 × 8.17 − 960 = 20.4 → 21 ㎡; 120 × 10.44 − 1200 = 52.8 → 53 ㎡)
    texts = sorted((s.item_id, s.text, s.blocking) for s in ev.shortfalls)
    assert texts == sorted([
        ("X10", "幼儿园04 large1：超出班额 5 人", False),
        ("X12", "幼儿园03：室外游戏场地缺 120 ㎡", False),
        ("X12", "幼儿园03：幼儿活动用房缺 21 ㎡", False),
        ("X12", "幼儿园03：园舍建筑面积缺 53 ㎡", False),
    ])


def _one(ratio_items, std, data):
    ev = evaluate(data, std)
    return {k: ev.items[k] for k in ratio_items}


@pytest.mark.parametrize(("children", "population", "passed"), [(850, 1000, True), (849, 1000, False),
                                                                (85, 100, True), (85, 101, False)])
def test_gross_enrolment_at_85(std, children, population, passed):
    data = kcounty([kg("3504049901", PUBLIC, children)], population_3_5=population)
    assert evaluate(data, std).items["X1"].passed is passed


@pytest.mark.parametrize(("inclusive", "private", "passed"), [(80, 20, True), (79, 21, False)])
def test_inclusive_coverage_at_80(std, inclusive, private, passed):
    data = kcounty([kg("3504049901", INCLUSIVE, inclusive), kg("3504049902", PRIVATE, private)])
    assert evaluate(data, std).items["X2"].passed is passed


@pytest.mark.parametrize(("public", "other", "passed"), [(50, 50, True), (49, 51, False)])
def test_public_share_at_50(std, public, other, passed):
    data = kcounty([kg("3504049901", PUBLIC, public), kg("3504049902", INCLUSIVE, other)])
    item = evaluate(data, std).items["X3"]
    assert item.passed is passed
    # 49 / 100 → one place moved from private to public makes 50 / 100
    assert item.passed or "需将 1 个民办学位转为公办学位（在园幼儿总数不变）" in [
        s.text for s in evaluate(data, std).shortfalls]


@pytest.mark.parametrize(("townships", "passed"), [(2, False), (3, False), (1, None)])
def test_every_township_has_a_public_central_kindergarten(std, townships, passed):
    kgs = [kg("3504049901", PUBLIC, 30, township="河口镇", central=True),
           kg("3504049902", PUBLIC, 30, township="石桥镇"),  # public but not a central one
           kg("3504049903", INCLUSIVE, 30, township="石桥镇", central=True)]  # central but not public
    item = evaluate(kcounty(kgs, rural_townships=townships), std).items["X4"]
    assert item.passed is passed
    if townships == 1:  # two 乡镇 names but the county says it has one: check, do not judge
        assert item.evaluable is False and "多于县级指标中的乡镇数 1 个" in item.message
    else:
        assert item.value == pytest.approx(1 / townships) and "石桥镇 尚未达到" in item.message


@pytest.mark.parametrize(("public_std", "inclusive_std", "passed"), [(500, 500, True), (499.99, 500, False),
                                                                    (500, 499, False)])
def test_funding_standards_at_500(std, public_std, inclusive_std, passed):
    data = kcounty([kg("3504049901", PUBLIC, 30)], kg_public_funding_standard=public_std,
                   kg_inclusive_subsidy_standard=inclusive_std)
    assert evaluate(data, std).items["X5"].passed is passed


@pytest.mark.parametrize(("pay", "passed"), [(75000, True), (74999, False)])
def test_non_staff_pay_at_75_percent(std, pay, passed):
    data = kcounty([kg("3504049901", PUBLIC, 30)], kg_nonstaff_avg_pay=pay)
    assert evaluate(data, std).items["X6"].passed is passed


@pytest.mark.parametrize(("children", "teachers", "passed", "short"), [
    (150, 10, True, None),  # 1:15 exactly
    (151, 10, False, 1),  # 1:15.1 → ceil(151 / 15 − 10) = 1 more teacher
    (300, 10, False, 10),  # 1:30 → 10 more teachers
])
def test_teacher_ratio_at_1_to_15(std, children, teachers, passed, short):
    ev = evaluate(kcounty([kg("3504049901", PUBLIC, children, teachers=teachers)]), std)
    assert ev.items["X8"].passed is passed
    found = [s.quantity for s in ev.shortfalls if s.item_id == "X8"]
    assert found == ([] if short is None else [short])


@pytest.mark.parametrize(("certified", "cert_principals", "passed"), [(10, 1, True), (9, 1, False), (10, 0, False)])
def test_certificates_at_100_percent(std, certified, cert_principals, passed):
    data = kcounty([kg("3504049901", PUBLIC, 100, teachers=10, certified=certified,
                       cert_principals=cert_principals)])
    assert evaluate(data, std).items["X9"].passed is passed


@pytest.mark.parametrize(("kind", "limit"), [(SMALL, 25), (MIDDLE, 30), (LARGE, 35), (MIXED, 30)])
def test_class_size_limits_per_class_type(std, kind, limit):
    """One class at the limit passes, one above it is listed; with 5 classes of which
    one is over, 80 % < 85 % fails, with 7 classes 6/7 = 85.7 % passes."""
    base = kg("3504049901", PUBLIC, 200)
    at = kclasses(base.code, kind, *[limit] * 5)
    item = evaluate(kcounty([base], at), std).items["X10"]
    assert item.passed is True and item.value == 1.0
    over = kclasses(base.code, kind, limit + 1, *[limit] * 4)
    item = evaluate(kcounty([base], over), std).items["X10"]
    assert item.passed is False and item.value == pytest.approx(0.8)
    assert [f["value"] for f in item.failures] == [limit + 1]
    item = evaluate(kcounty([base], over + kclasses(base.code, kind, limit, limit)), std).items["X10"]
    assert item.passed is True and item.value == pytest.approx(6 / 7)


def test_class_share_exactly_85_percent(std):
    base = kg("3504049901", PUBLIC, 200)
    classes = kclasses(base.code, SMALL, *([25] * 17 + [26] * 3))  # 17 / 20 = 85 %
    assert evaluate(kcounty([base], classes), std).items["X10"].passed is True
    classes = kclasses(base.code, SMALL, *([25] * 16 + [26] * 4))  # 80 %
    assert evaluate(kcounty([base], classes), std).items["X10"].passed is False


@pytest.mark.parametrize(("per_child", "passed"), [((4, 8.17, 10.44), True), ((3.99, 8.17, 10.44), False),
                                                   ((4, 8.16, 10.44), False), ((4, 8.17, 10.43), False)])
def test_area_norms_for_new_kindergartens(std, per_child, passed):
    data = kcounty([kg("3504049901", PUBLIC, 100, per_child=per_child, built=2017)])
    ev = evaluate(data, std)
    assert ev.items["X11"].passed is passed
    assert ev.items["X12"].passed is True and "不适用" in ev.items["X12"].message  # no old ones


def test_area_share_for_old_kindergartens(std):
    good, bad = (4, 8.17, 10.44), (3, 8, 10)
    two = [kg("3504049901", PUBLIC, 100, per_child=good, built=2016),
           kg("3504049902", PUBLIC, 100, per_child=bad, built=2000)]
    assert evaluate(kcounty(two), std).items["X12"].passed is True  # 1 / 2 = 50 %
    three = [*two, kg("3504049903", PUBLIC, 100, per_child=bad, built=2005)]
    item = evaluate(kcounty(three), std).items["X12"]
    assert item.passed is False and "还需 1 个幼儿园达到要求" in item.message


@pytest.mark.parametrize(("pct", "passed"), [(85, True), (84.9, False)])
def test_satisfaction_at_85(std, pct, passed):
    data = kcounty([kg("3504049901", PUBLIC, 30)], preschool_satisfaction_pct=pct)
    assert evaluate(data, std).items["X14"].passed is passed


def test_county_without_kindergarten_sheets_is_told_what_is_missing(std):
    data = CountyData(County("350404", "测试县", 2025), schools=[], facts=dict(FACTS))
    ev = evaluate(data, std)
    for item_id in ("X1", "X2", "X3", "X8", "X9"):
        assert ev.items[item_id].evaluable is False and "kindergartens" in ev.items[item_id].missing
    assert ev.items["X10"].missing == ["kindergarten_classes"]
    assert ev.items["X5"].passed is True  # county facts alone are still judged
    assert ev.dimensions["coverage"].passed is None and not ev.recognised


def test_missing_population_is_not_evaluable(std):
    facts = dict(FACTS)
    del facts["population_3_5"]
    data = hand_county()
    data.facts = facts
    item = evaluate(data, std).items["X1"]
    assert item.evaluable is False and item.missing == ["population_3_5"]


# ---- 乡镇 and 街道 are different rules (issue 12 §2) ---------------------------------

def _towns_and_streets():
    """Two 乡镇 with a public 中心园 each, and two 街道: 城东街道 with a 普惠性民办园 only,
    城西街道 with a fee-paying private one only. Before the split, X4 counted any
    name and no cap: the public 中心园 of a 街道 filled in for a 乡镇 without one."""
    return [
        kg("3504049901", PUBLIC, 30, township="河口镇", central=True, ur=UrbanRural.RURAL),
        kg("3504049902", PUBLIC, 30, township="石桥乡", central=True, ur=UrbanRural.RURAL),
        kg("3504049903", INCLUSIVE, 30, township="城东街道"),
        kg("3504049904", PRIVATE, 30, township="城西街道"),
        kg("3504049905", PUBLIC, 30, township="城西街道", central=True),  # a 街道's 中心园: not a 乡镇's
    ]


def test_a_street_does_not_fill_in_for_a_township(std):
    # three 乡镇, two with a 中心园; the 中心园 in 城西街道 must not count for the third
    ev = evaluate(kcounty(_towns_and_streets(), rural_townships=3, urban_subdistricts=2), std)
    x4, x15 = ev.items["X4"], ev.items["X15"]
    assert x4.passed is False and x4.value == pytest.approx(2 / 3)
    assert "另有 1 个乡镇在工作簿中没有幼儿园" in x4.message
    assert "尚有 1 个乡镇没有公办中心园" in [s.text for s in ev.shortfalls]
    # both 街道 have a public or 普惠 kindergarten (城西: the public one)
    assert x15.passed is True and x15.value == 1.0


def test_each_street_needs_a_public_or_inclusive_kindergarten(std):
    kgs = [k for k in _towns_and_streets() if k.code != "3504049905"]
    ev = evaluate(kcounty(kgs, rural_townships=2, urban_subdistricts=2), std)
    assert ev.items["X4"].passed is True
    x15 = ev.items["X15"]
    assert x15.passed is False and x15.value == 0.5 and "城西街道 尚未达到" in x15.message


def test_the_explicit_column_beats_the_name(std):
    # 城关镇 is the county town's urban area, declared a 街道 in the column 乡镇或街道
    from junheng.core.preschool import TownshipKind
    kgs = [kg("3504049901", PUBLIC, 30, township="河口镇", central=True, ur=UrbanRural.RURAL),
           kg("3504049902", INCLUSIVE, 30, township="城关镇", township_kind=TownshipKind.SUBDISTRICT)]
    ev = evaluate(kcounty(kgs, rural_townships=1, urban_subdistricts=1), std)
    assert ev.items["X4"].passed is True and ev.items["X15"].passed is True
    # by name alone 城关镇 would be a second 乡镇: more names than the county's one 乡镇
    kgs[1].township_kind = None
    assert evaluate(kcounty(kgs, rural_townships=1, urban_subdistricts=1), std).items["X4"].evaluable is False


def test_missing_street_count_is_not_evaluable(std):
    facts = {k: v for k, v in FACTS.items() if k != "urban_subdistricts"}
    data = kcounty(_towns_and_streets())
    data.facts = {**facts, "rural_townships": 2}
    x15 = evaluate(data, std).items["X15"]
    assert x15.evaluable is False and x15.missing == ["urban_subdistricts"]


# ---- 两教一保 per full-day class --------------------------------------------------

@pytest.mark.parametrize(("teachers", "nursery", "passed"), [(4, 2, True), (3, 2, False), (4, 1, False)])
def test_two_teachers_and_one_nurse_per_full_day_class(std, teachers, passed, nursery):
    kgs = [kg("3504049901", PUBLIC, 25, 30, teachers=teachers, nursery=nursery, full_day=True)]
    classes = kclasses("3504049901", SMALL, 25) + kclasses("3504049901", MIDDLE, 30)
    item = evaluate(kcounty(kgs, classes), std).items["X16"]
    assert item.passed is passed
    if not passed:
        (f,) = item.failures
        assert f["classes"] == 2 and f["threshold"] == (4 if f["check"] == "专任教师" else 2)


def test_half_day_kindergartens_are_not_checked_and_blanks_are_missing(std):
    classes = kclasses("3504049901", SMALL, 25)
    half = [kg("3504049901", PUBLIC, 25, teachers=1, nursery=0, full_day=False)]
    assert "不适用" in evaluate(kcounty(half, classes), std).items["X16"].message
    unknown = [kg("3504049901", PUBLIC, 25, teachers=2, nursery=1, full_day=None)]
    item = evaluate(kcounty(unknown, classes), std).items["X16"]
    assert item.evaluable is False and item.passed is None
    absent = kcounty([kg("3504049901", PUBLIC, 25, teachers=2, full_day=True)], classes)
    absent.absent_columns = {"kindergartens": frozenset({"nursery_staff"})}
    assert evaluate(absent, std).items["X16"].missing == ["kindergartens.nursery_staff"]
