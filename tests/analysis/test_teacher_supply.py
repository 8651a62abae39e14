"""Teacher supply by subject, 编制 and retirements, checked by hand."""

from __future__ import annotations

import pytest

from junheng.analysis.teacher_supply import (
    default_settings,
    load_supply_settings,
    retirement_age_months,
    retirement_year,
    teacher_supply,
)
from junheng.core.errors import SupplySettingsError
from junheng.core.facts import SchoolType, Stage

from ..core.builders import classes, county, school, teachers


def with_subjects(code, stage, subjects: dict[str, int], **extra):
    out = []
    for subject, n in subjects.items():
        for t in teachers(code, stage, n):
            t.subject = subject
            t.extra.update(extra)
            out.append(t)
    return out


def per_grade(code, stage, grades: dict[int, int]):
    out = []
    for g, n in grades.items():
        out += classes(code, stage, [40] * n, grade=g)
    for i, c in enumerate(out):
        c.class_name = f"{c.grade}-{i}"
    return out


def hand_county():
    """A (小学): two classes in each of grades 1–6. B (初中): three classes in each of 7–9."""
    a = school("3504040001", SchoolType.PRIMARY, primary=480)
    b = school("3504040002", SchoolType.JUNIOR, junior=360)
    data = county([a, b])
    data.classes = per_grade(a.code, Stage.PRIMARY, {g: 2 for g in range(1, 7)}) + \
        per_grade(b.code, Stage.JUNIOR, {g: 3 for g in (7, 8, 9)})
    data.teachers = with_subjects(a.code, Stage.PRIMARY, {"语文": 4, "数学": 6, "体育": 3, "心理健康": 1}) + \
        with_subjects(b.code, Stage.JUNIOR, {"数学": 4, "物理": 1, "化学": 1})
    return data


def row(report, code, subject):
    sch = next(s for s in report.schools if s.school_code == code)
    return next(x for x in sch.subjects if x.subject == subject)


def test_needs_by_subject_by_hand():
    r = teacher_supply(hand_county())
    # 语文 7,7,7,7,6,6 periods a week × 2 classes = 80; 80 / 14 = 5.71 → 6 teachers; 4 → short 2
    chinese = row(r, "3504040001", "语文")
    assert (chinese.periods, chinese.needed, chinese.have, chinese.shortage) == (80, 6, 4, 2)
    assert chinese.fte == pytest.approx(80 / 14)
    # 数学 4,4,4,4,5,5 × 2 = 52 → 3.71 → 4; 6 teachers → 2 surplus
    maths = row(r, "3504040001", "数学")
    assert (maths.periods, maths.needed, maths.surplus) == (52, 4, 2)
    # 体育与健康 4,4,3,3,3,3 × 2 = 40 → 2.86 → 3 = the 3 teachers of 「体育」
    pe = row(r, "3504040001", "体育与健康")
    assert (pe.periods, pe.needed, pe.have, pe.shortage, pe.surplus) == (40, 3, 3, 0, 0)
    # 音乐 2 × 6 grades × 2 = 24 → 1.71 → 2, nobody teaches it
    assert row(r, "3504040001", "音乐").shortage == 2
    # 初中 数学 5,5,5 × 3 = 45 / 12 = 3.75 → 4 = have; 物理 (2 + 3) × 3 = 15 → 1.25 → 2, has 1
    assert row(r, "3504040002", "数学").shortage == 0
    physics = row(r, "3504040002", "物理")
    assert (physics.periods, physics.needed, physics.shortage) == (15, 2, 1)
    # 化学 3 × 3 = 9 → 0.75 → 1 = have
    assert row(r, "3504040002", "化学").shortage == 0
    # 心理健康 is no curriculum subject: listed, not counted
    assert r.unmapped == {"心理健康": 1}
    assert "心理健康 1 人" in r.notes[0]
    # 劳动 and 综合实践活动 are taught by others (staffed: false)
    assert all(x.subject not in ("劳动", "综合实践活动") for s in r.schools for x in s.subjects)


def test_county_totals_are_sums_over_schools_not_netted():
    r = teacher_supply(hand_county())
    a = next(s for s in r.schools if s.school_code == "3504040001")
    assert r.shortage == sum(s.shortage for s in r.schools)
    assert r.surplus == sum(s.surplus for s in r.schools)
    assert a.surplus == 2  # 数学
    primary = {x.subject: x for x in r.county["primary"]}
    assert primary["数学"].needed == 4 and primary["数学"].have == 6
    short = dict(((st.value, s), n) for st, s, n in r.short_subjects())
    assert short[("primary", "语文")] == 2 and short[("junior", "物理")] == 1


def test_tolerance_and_workload_are_settings(tmp_path):
    own = tmp_path / "设置.yaml"
    own.write_text("tolerance: 0.3\nworkload: {by_subject: {语文: 20}}\n", encoding="utf-8")
    s = load_supply_settings(own)
    assert s.workload.junior == 12  # kept from the defaults
    r = teacher_supply(hand_county(), s)
    assert row(r, "3504040001", "语文").needed == 4  # 80 / 20 = 4.0
    assert row(r, "3504040002", "物理").needed == 1  # ceil(1.25 − 0.3) = 1


def test_a_wrong_setting_names_file_and_key(tmp_path):
    own = tmp_path / "设置.yaml"
    own.write_text("workload: {primary: 0}\n", encoding="utf-8")
    with pytest.raises(SupplySettingsError, match=r"设置.yaml 的 workload\.primary"):
        load_supply_settings(own)


@pytest.mark.parametrize(("born", "base", "months"), [
    (1964, 60, 720),  # before 1965: no delay
    (1965, 60, 722),  # July 1965: 6 months after Jan 1965 → 6 // 4 + 1 = 2 months
    (1977, 60, 756),  # capped at 36 months: 63
    (1970, 55, 662),  # women 55: from January 1970
    (1980, 55, 692),  # 126 months → 32 months: 57 years 8 months
])
def test_delayed_retirement_ages(born, base, months):
    assert retirement_age_months(born, base, True) == months


def test_retirement_years():
    r = default_settings().retirement
    assert retirement_year(1965, "male", r) == 2025  # July 1965 + 60 y 2 m = September 2025
    assert retirement_year(1980, "female", r) == 2038  # July 1980 + 57 y 8 m = March 2038
    assert retirement_year(1966, None, r.model_copy(update={"delayed_2025": False})) == 2026


def test_retirements_in_the_next_five_years_by_subject():
    data = hand_county()  # school year 2025: retiring in 2025–2029 counts
    ts = [t for t in data.teachers if t.school_code == "3504040001"]
    ts[0].extra.update(birth_year=1970, gender="female")  # 语文, 55 y 2 m → 2025
    ts[1].extra.update(birth_year=1975, gender="female")  # 语文, 5 y 6 m later → 56 y 5 m → 2031
    ts[4].extra.update(birth_year=1968, gender="male")  # 数学, 60 y 11 m → 2029
    ts[5].extra.update(birth_year=1958, gender="male")  # 数学, 60 → 2018: already past the age
    r = teacher_supply(data)
    assert r.retirements_known
    assert r.retiring_by_subject() == {"数学": 2, "语文": 1}
    assert r.overdue == 1
    assert row(r, "3504040001", "数学").retiring == 2


def test_posts_and_unfilled_posts_match_v6():
    data = hand_county()
    a, b = data.schools
    a.extra["staff_quota"] = 16  # 14 teachers: 12 在编 + 2 编外 → 4 vacant, 编外 employed: 有编不补
    b.extra["staff_quota"] = 5  # 6 teachers: 5 在编 + 1 编外, no vacancy
    for i, t in enumerate(x for x in data.teachers if x.school_code == a.code):
        t.extra["staffing"] = "contract" if i < 2 else "established"
    for i, t in enumerate(x for x in data.teachers if x.school_code == b.code):
        t.extra["staffing"] = "contract" if i < 1 else "established"
    r = teacher_supply(data)
    sa, sb = r.staffing
    assert (sa.quota, sa.established, sa.contract, sa.vacant, sa.unfilled) == (16, 12, 2, 4, True)
    assert (sb.vacant, sb.unfilled) == (0, False)
    assert (r.quota, r.vacant, r.unfilled, r.unfilled_schools) == (21, 4, 4, 1)
    from junheng.core.engine import evaluate
    from junheng.standards import load_standard

    data.facts["veto_unfilled_posts"] = True
    v6 = evaluate(data, load_standard("yzjh-2017")).items["V6"]
    assert v6.provenance.inputs["flagged_schools"] == [a.code]


def test_without_the_optional_columns_the_figures_are_unknown():
    data = hand_county()
    data.absent_columns = {"teachers": frozenset({"staffing", "birth_year", "gender"}),
                           "schools": frozenset({"staff_quota"})}
    r = teacher_supply(data)
    assert r.unfilled is None and r.vacant is None and not r.retirements_known


def test_the_fact_sheet_shows_the_same_figures():
    from junheng.analysis.factsheet import build_factsheet
    from junheng.services.evaluation import evaluate_data
    from junheng.standards import load_standard

    data = hand_county()
    fs = build_factsheet(data, evaluate_data(data, load_standard("yzjh-2017")))
    r = teacher_supply(data)
    # A (12 classes, 14 periods each): 道法 24 → 2, 语文 6 − 4, 外语 20 → 2, 科学 20 → 2, 信息科技 8 → 1,
    # 音乐 2, 美术 2 short: 13. B (9 classes, 12 periods): 道法 18 → 2, 语文 48 → 4, 外语 33 → 3,
    # 历史 21 → 2, 地理 12 → 1, 物理 2 − 1, 生物学 15 → 2, 信息科技 6 → 1, 体育 27 → 3, 音乐 9 → 1,
    # 美术 1 short: 21.
    assert fs.value("supply.shortage") == r.shortage == 13 + 21
    assert fs.value("supply.surplus") == r.surplus
    assert fs.value("supply.needed") == r.needed
    # no 编制 or birth-year columns in the data: unknown, not 0
    assert fs.value("staffing.unfilled") is None and fs.value("retirements.horizon") is None
