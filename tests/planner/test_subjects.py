"""Which teacher moves where (issue 14 §1): a subject the receiver lacks, from the
sender's surplus; senders and receivers in the same 乡镇 first; 有编不补 as 在编 hires.
Small hand-built counties where the right answer is obvious."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from junheng.core.facts import SchoolClass, SchoolType, Stage
from junheng.planner.extract import _match
from junheng.planner.solve import make_plan
from junheng.reports.documents.plan_section import plan_section
from junheng.standards import load_standard

from ..core.builders import county, rooms, school, teachers
from .test_cases import settings

STD = load_standard()


def primary(code, students=100, *, subjects: dict[str, int], township=None):
    """A primary school with one class in each of grades 1–6 and teachers by subject (all
    with the required degree, two of them county backbone teachers)."""
    s = school(code, SchoolType.PRIMARY, primary=students, teaching_area=5.0 * students,
               sports_area=8.0 * students, equipment=0.25 * students, multimedia=math.ceil(0.03 * students))
    if township:
        s.extra["township"] = township
    staff = []
    for subject, n in subjects.items():
        for t in teachers(code, Stage.PRIMARY, n, above=n):
            t.subject = subject
            staff.append(t)
    for t in staff[:2]:
        t.backbone_level = staff[0].backbone_level.__class__("county")
    per = students // 6
    cls = [SchoolClass(code, Stage.PRIMARY, g, f"{g}年级1班", per) for g in range(1, 7)]
    return s, staff, cls, rooms(code)


def moved_subjects(plan, data):
    subject = {t.teacher_id: t.subject for t in data.teachers}
    return [(m.from_code, m.to_code, subject[m.teacher_id], m.subject) for m in plan.actions.transfers]


def test_the_teacher_moved_is_of_a_subject_the_receiver_lacks_and_the_sender_has_too_many_of():
    # A has no PE/art teacher (R3 fails). B's four count alike for R3: 体育 ×2 (it needs 2: 20 periods
    # a week / 14) and 美术 ×2 (it needs 1: 12 / 14). A needs 体育 2 and 美术 1. Moving a 美术
    # teacher fills A's 美术 and takes B's surplus; a 体育 teacher would leave B short of 体育.
    a = primary("3504040001", subjects={"语文": 6})
    b = primary("3504040002", subjects={"语文": 4, "体育": 2, "美术": 2})
    data = county([a, b])
    plan = make_plan(data, STD, settings())
    assert plan.status == "optimal" and plan.cost == 8000
    assert moved_subjects(plan, data) == [("3504040002", "3504040001", "美术", "美术")]


def test_with_subject_matching_off_the_planner_order_decides():
    a = primary("3504040001", subjects={"语文": 6})
    b = primary("3504040002", subjects={"语文": 4, "体育": 2, "美术": 2})
    data = county([a, b])
    s = settings()
    s = s.model_copy(update={"limits": s.limits.model_copy(update={"match_subjects": "off"})})
    plan = make_plan(data, STD, s)
    # the first movable teacher by id: the second 体育 teacher (one of each subject stays)
    assert [x[2] for x in moved_subjects(plan, data)] == ["体育"]


def lacking_and_spare(prefer: str):
    # A (东乡) and D (西乡) lack a PE teacher; B (西乡) and C (东乡) each have one to spare.
    a = primary("3504040001", subjects={"语文": 6}, township="东乡")
    b = primary("3504040002", subjects={"语文": 4, "体育": 2}, township="西乡")
    c = primary("3504040003", subjects={"语文": 4, "体育": 2}, township="东乡")
    d = primary("3504040004", subjects={"语文": 6}, township="西乡")
    s = settings()
    s = s.model_copy(update={"limits": s.limits.model_copy(update={"prefer_nearby": prefer})})
    return make_plan(county([a, b, c, d]), STD, s)


def test_moves_stay_within_a_township_when_they_can():
    plan = lacking_and_spare("township")
    assert plan.status == "optimal" and plan.cost == 2 * 8000
    assert sorted((m.from_code, m.to_code) for m in plan.actions.transfers) == [
        ("3504040002", "3504040004"), ("3504040003", "3504040001")]


def test_without_the_preference_the_same_plan_crosses_townships():
    plan = lacking_and_spare("none")
    assert plan.cost == 2 * 8000
    assert sorted((m.from_code, m.to_code) for m in plan.actions.transfers) == [
        ("3504040002", "3504040001"), ("3504040003", "3504040004")]


def vacant_posts_county():
    """A: quota 8, 5 在编 + 1 编外, only 语文 (体育 lacking); B: quota 8, all 在编, with
    PE and art teachers to spare."""
    a = primary("3504040001", subjects={"语文": 6})
    b = primary("3504040002", subjects={"语文": 4, "体育": 2, "美术": 2})
    for i, t in enumerate(a[1]):
        t.extra["staffing"] = "contract" if i == 5 else "established"
    for t in b[1]:
        t.extra["staffing"] = "established"
    a[0].extra["staff_quota"] = 8
    b[0].extra["staff_quota"] = 8
    return county([a, b])

def test_unfilled_posts_are_shown_as_hires_of_established_teachers():
    # A: quota 8, 5 在编 + 1 编外 (体育 lacking); one PE teacher moves in → 2 posts stay vacant
    # while a 编外 teacher works there: recruit 1 在编 teacher in the 编外 teacher's place.
    plan = make_plan(vacant_posts_county(), STD, settings())
    (fill,) = plan.post_fills
    assert (fill.school_code, fill.staff_quota, fill.established, fill.contract, fill.vacant, fill.hires) == (
        "3504040001", 8, 5, 1, 2, 1)
    section = plan_section(plan)
    assert ("有编不补：补充在编教师（替代编外教师）",
            "1 人（1 所学校；人员经费每年 120,000 元，单列，不含在方案总费用中）") in section.summary
    assert section.document["unfilled_posts"][0]["hires"] == 1
    assert section.document["unfilled_posts"][0]["annual_cost"] == 120000  # costs.post_fill × 1
    assert section.document["cost"]["post_fill_annual"] == 120000
    assert "招聘在编教师 1 人" in section.post_fills[0] and "人员经费每年 120,000 元" in section.post_fills[0]
    assert plan.cost == 8000  # apart from the plan's cost: it fixes no indicator


@given(st.lists(st.sampled_from(["东", "西", None]), min_size=2, max_size=8).flatmap(
    lambda areas: st.tuples(st.just(areas), st.lists(
        st.tuples(st.integers(0, len(areas) - 1), st.integers(0, len(areas) - 1)).filter(lambda p: p[0] != p[1]),
        max_size=20))))
@hsettings(max_examples=300, deadline=None)
def test_matching_pairs_every_move_across_two_schools_whatever_the_areas(case):
    areas, moves = case  # any moves between different schools: the flows they give can always be paired
    flows = {k: [sum(1 for _a, b in moves if b == k), sum(1 for a, _b in moves if a == k)]
             for k in range(len(areas))}
    pairs = _match(flows, lambda k: areas[k])
    assert len(pairs) == len(moves) and all(a != b for a, b in pairs)
    assert [sum(1 for _a, b in pairs if b == k) for k in flows] == [f[0] for f in flows.values()]
    assert [sum(1 for a, _b in pairs if a == k) for k in flows] == [f[1] for f in flows.values()]
