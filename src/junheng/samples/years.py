"""A sample county over several school years (`junheng sample DIR --years 2023-2025`).

The first year is exactly the single-year sample of that year; each later year is
derived from the one before, so the years describe one county:

- the same schools (codes, names, types), except that one small 教学点 is merged into
  a school of its town in the first later year and a new 城区 primary school opens
  the year after (relieving the crowded ones), so the school events have something
  to show;
- students move up a grade, the top grade leaves, a new intake arrives (rural intake
  shrinking, urban intake growing a little); classes are regrouped every year and
  fewer oversized classes remain (大班额 reduced, 超大班额 gone);
- teacher ids stay; a few teachers retire and new ones are hired (where a school
  would fall short of its planned ratios, or to replace most retirements); about
  12 % of the teachers eligible for rotation move between schools (县管校聘 swaps,
  a third of them backbone teachers), declared in 本学年交流轮岗 — except two moves
  left undeclared and two declarations without a move, so the flows report has a
  few disagreements; the merged school's teachers move with it;
- resources grow with enrolment (schools meant to pass keep passing), equipment is
  bought every year, one or two failing schools are fixed each year and the small
  music room is rebuilt;
- county spending grows, except in the first later year, when it falls behind
  enrolment, so 两个只增不减 fails that year; the 优质高中 quota share rises;
- after-school coverage rises; kindergarten cohorts move up (the planted oversized
  classes leave), the uncertified kindergarten teachers obtain their certificates.

Every step draws from its own random stream (seed, county, year), so the same
arguments give the same years.
"""

from __future__ import annotations

import copy
import itertools
import math
import random
from collections import Counter, defaultdict

from junheng.core.facts import (
    CountyData,
    Ownership,
    Room,
    RoomType,
    SchoolClass,
    SchoolType,
    Stage,
    TeacherTitle,
)
from junheng.core.preschool import KindergartenClass
from junheng.samples.classes import (
    ROOM_MIN_AREA,
    grade_classes,
    plant_oversized,
    room_list,
    rooms_needed,
)
from junheng.samples.codes import next_code
from junheng.samples.county import (
    _NORMAL_RANGES,
    INDICATORS,
    QUOTA_ALLOCATION_PCT,
    build_county,
    county_facts,
    stage_spending,
)
from junheng.samples.health import generate_health
from junheng.samples.preschool import _CLASS_ZH, LARGE, MIDDLE, MIXED, SMALL
from junheng.samples.profiles import (
    JUNIOR,
    PRIMARY,
    RURAL,
    SENIOR,
    URBAN,
    SchoolPlan,
    _ordinal,
    ceil_to,
)
from junheng.samples.projects import advance_projects, funding_facts
from junheng.samples.resources import _base_value, _public_funds, build_school
from junheng.samples.supplements import add_school_supplements, supplementary_facts
from junheng.samples.year_teachers import TeacherYear

MAX_YEARS = 10
QUOTA_STEP = 1.5  # the 优质高中 quota share rises by this many points a year

# Oversized classes planted in later years (per 40 schools): fewer each year.
_OVERSIZED = {
    1: [(PRIMARY, 47), (JUNIOR, 53), (PRIMARY, 58), (JUNIOR, 61)],
    2: [(PRIMARY, 47), (JUNIOR, 53), (PRIMARY, 58)],
}
_OVERSIZED_LATER = [(PRIMARY, 47), (JUNIOR, 53)]


def generate_years(
    first_year: int,
    last_year: int,
    schools: int = 40,
    seed: int = 2025,
    county_code: str = "350404",
) -> list[CountyData]:
    """One CountyData per school year from ``first_year`` to ``last_year``, each derived
    from the one before; the first is ``generate_county(schools, seed, county_code,
    first_year)``."""
    if last_year < first_year:
        raise ValueError("the last year comes before the first")
    if last_year - first_year + 1 > MAX_YEARS:
        raise ValueError(f"at most {MAX_YEARS} years")
    data, plans = build_county(schools, seed, county_code, first_year)
    data.source = _source(schools, seed, first_year, last_year)
    years = [data]
    by_code = {p.code: p for p in plans}
    for step, year in enumerate(range(first_year + 1, last_year + 1), start=1):
        rng = random.Random(f"junheng-sample-years:{seed}:{county_code}:{schools}:{first_year}:{year}")
        nxt = _Step(years[-1], by_code, step, rng).run()
        nxt.source = data.source
        years.append(nxt)
    return years


def _copy(data: CountyData) -> CountyData:
    """A copy whose records can be changed without touching ``data`` (faster than deepcopy)."""
    def each(rows: list) -> list:
        out = [copy.copy(r) for r in rows]
        for r in out:
            if isinstance(getattr(r, "extra", None), dict):
                r.extra = dict(r.extra)
        return out

    # Class lists are only read before they are rebuilt: shared, not copied.
    rebuilt = ("kindergarten_classes",)
    return CountyData(
        county=copy.copy(data.county), schools=each(data.schools), teachers=each(data.teachers),
        classes=list(data.classes), rooms=each(data.rooms), facts=dict(data.facts),
        extra_tables={k: list(v) if k in rebuilt else each(v) for k, v in data.extra_tables.items()},
        source=data.source)


def _required(plan: SchoolPlan):
    """The amount of a resource that meets ``plan``'s target for it (in units of ``scale``)."""
    def required(k: str, scale: float) -> float:
        return plan.targets[k] * _base_value(plan, k) / scale
    return required


def _source(schools: int, seed: int, first: int, last: int) -> str:
    return f"junheng sample --years {first}-{last} --schools {schools} --seed {seed}"


class _Step(TeacherYear):
    """One year on: ``prev`` is left as it was; ``plans`` (by school code) are updated."""

    def __init__(self, prev: CountyData, plans: dict[str, SchoolPlan], step: int, rng: random.Random):
        self.prev = prev
        self.data = _copy(prev)
        self.plans = plans
        self.step = step
        self.rng = rng
        self.code = prev.county.code
        self.moved: set[str] = set()  # teacher ids moved between schools this year
        self.next_seq = 1 + max(int(t.teacher_id[-6:]) for t in prev.teachers)
        self.first_new_seq = self.next_seq  # ids from here on are this year's hires

    def run(self) -> CountyData:
        d = self.data
        d.county.school_year = self.prev.county.school_year + 1
        grades = self._grade_counts()
        if self.step % 3 == 1:
            self._merge_a_teaching_point(grades)
        grades = self._move_up(grades)
        opened = self._open_a_school(grades) if self.step % 3 == 2 else None
        self._regroup_classes(grades)
        self._fix_failing_schools()
        self._resources()
        self._teachers(opened)
        self._rooms()
        self._supplements(opened)
        self._kindergartens()
        self._facts()
        self._projects()
        d.extra_tables["health"] = generate_health(d)  # its own random streams
        return d

    # ------------------------------------------------------------------ schools

    def _grade_counts(self) -> dict[str, dict[tuple[Stage, int], int]]:
        counts: dict[str, dict[tuple[Stage, int], int]] = defaultdict(dict)
        for c in self.data.classes:
            key = (c.stage, c.grade)
            counts[c.school_code][key] = counts[c.school_code].get(key, 0) + c.students
        return counts

    def _merge_a_teaching_point(self, grades: dict[str, dict[tuple[Stage, int], int]]) -> None:
        """The smallest public 教学点 joins a primary school of its town (or any rural one)."""
        d, rng = self.data, self.rng
        points = sorted((s for s in d.schools if s.school_type is SchoolType.TEACHING_POINT
                         and s.ownership is Ownership.PUBLIC and not s.group),
                        key=lambda s: (s.primary_students, s.code))
        hosts = [s for s in d.schools if s.school_type in (SchoolType.PRIMARY, SchoolType.NINE_YEAR)
                 and s.ownership is Ownership.PUBLIC and s.urban_rural is not URBAN]
        if not points or not hosts:
            return
        closed = points[0]
        town = closed.name.split("镇")[0] + "镇" if "镇" in closed.name else None
        same_town = [s for s in hosts if town and s.name.startswith(town)]
        host = min(same_town, key=lambda s: s.code) if same_town else rng.choice(hosts)
        for key, n in grades.pop(closed.code, {}).items():
            grades[host.code][key] = grades[host.code].get(key, 0) + n
        for t in d.teachers:
            if t.school_code == closed.code:
                t.school_code = host.code
                self.moved.add(t.teacher_id)
        d.schools = [s for s in d.schools if s.code != closed.code]
        d.rooms = [r for r in d.rooms if r.school_code != closed.code]
        for key in ("primary_standard_classes", "junior_standard_classes"):
            host.extra[key] = host.extra.get(key, 0) + closed.extra.get(key, 0)
        del self.plans[closed.code]

    def _move_up(self, grades: dict[str, dict[tuple[Stage, int], int]]) -> dict[str, dict[tuple[Stage, int], int]]:
        """Every cohort a grade up (a few pupils come and go), the top grade leaves,
        a new intake arrives in each stage's first grade."""
        rng = self.rng
        out: dict[str, dict[tuple[Stage, int], int]] = {}
        for s in self.data.schools:
            now = grades.get(s.code, {})
            new: dict[tuple[Stage, int], int] = {}
            for stage in (PRIMARY, JUNIOR):
                have = sorted(g for st, g in now if st is stage)
                if not have:
                    continue
                for g in have[1:]:
                    new[(stage, g)] = max(1, round(now[(stage, g - 1)] * rng.uniform(0.98, 1.01)))
                if s.urban_rural is URBAN:
                    trend = rng.uniform(0.99, 1.04)
                elif s.urban_rural is RURAL:
                    trend = rng.uniform(0.9, 0.98)
                else:
                    trend = rng.uniform(0.95, 1.01)
                first = have[0]
                new[(stage, first)] = max(1, round(now[(stage, first)] * trend))
            out[s.code] = new
            if s.senior_students:
                s.senior_students = max(1, round(s.senior_students * rng.uniform(0.98, 1.03)))
        return out

    def _open_a_school(self, grades: dict[str, dict[tuple[Stage, int], int]]) -> SchoolPlan | None:
        """A new 城区 primary school takes 6–10 % of each grade of the urban primary schools."""
        d, rng = self.data, self.rng
        donors = [s for s in d.schools if s.urban_rural is URBAN and s.ownership is Ownership.PUBLIC
                  and s.school_type in (SchoolType.PRIMARY, SchoolType.NINE_YEAR, SchoolType.TWELVE_YEAR)]
        if not donors:
            return None
        taken: Counter[tuple[Stage, int]] = Counter()
        for s in donors:
            for (stage, g), n in grades[s.code].items():
                if stage is PRIMARY:
                    k = round(n * rng.uniform(0.06, 0.1))
                    grades[s.code][(stage, g)] = n - k
                    taken[(stage, g)] += k
        if sum(taken.values()) == 0:
            return None
        used = {s.name for s in d.schools}
        county = d.county.name.removesuffix("（示例）")
        name = next(n for n in (f"{county}第{_ordinal(i)}小学" for i in itertools.count(1)) if n not in used)
        plan = SchoolPlan(code=next_code([s.code for s in d.schools]), name=name, school_type=SchoolType.PRIMARY,
                          urban_rural=URBAN, ownership=Ownership.PUBLIC, boarding=False,
                          students={PRIMARY: sum(taken.values())})
        # A new school is built to standard, comfortably.
        plan.targets = {k: max(rng.uniform(*_NORMAL_RANGES[k][URBAN]), rng.uniform(1.15, 1.4))
                        for k in INDICATORS}
        self.plans[plan.code] = plan
        grades[plan.code] = dict(taken)
        d.schools.append(build_school(plan, rng))
        return plan

    def _regroup_classes(self, grades: dict[str, dict[tuple[Stage, int], int]]) -> None:
        d = self.data
        by_school: dict[str, list[SchoolClass]] = {}
        for s in d.schools:
            plan = self.plans[s.code]
            counts = grades.get(s.code, {})
            plan.students = {stage: sum(n for (st, _), n in counts.items() if st is stage)
                             for stage in (PRIMARY, JUNIOR)}
            plan.students = {st: n for st, n in plan.students.items() if n > 0}
            if s.senior_students:
                plan.students[SENIOR] = s.senior_students
            s.primary_students = plan.students.get(PRIMARY, 0)
            s.junior_students = plan.students.get(JUNIOR, 0)
            by_school[s.code] = [c for (stage, g), n in sorted(counts.items())
                                 for c in grade_classes(plan, stage, g, n)]
        in_scope = [s.code for s in d.schools if self.plans[s.code].role != "excluded"]
        if len(d.schools) >= 10:
            reps = max(1, len(d.schools) // 40)
            wanted = _OVERSIZED.get(self.step, _OVERSIZED_LATER) * reps
            plant_oversized(by_school, in_scope, wanted, self.rng)
        d.classes = [c for s in d.schools for c in by_school[s.code]]

    def _fix_failing_schools(self) -> None:
        """One or two failing schools are brought up to standard each year."""
        failing = sorted((p for p in self.plans.values() if p.role == "fail"), key=lambda p: p.code)
        if not failing:
            return
        for p in self.rng.sample(failing, min(len(failing), max(1, len(failing) // 3))):
            p.role = "normal"
            for k, v in p.targets.items():
                if v < 1:
                    p.targets[k] = self.rng.uniform(1.03, 1.15)

    def _resources(self) -> None:
        """Areas and rooms grow where enrolment needs them (for the shares a school is
        planned to meet); equipment is bought every year; budgets follow enrolment."""
        rng = self.rng
        for s in self.data.schools:
            plan = self.plans[s.code]
            t = plan.targets
            required = _required(plan)
            if t["R4"] >= 1:
                s.teaching_area = max(s.teaching_area, ceil_to(required("R4", 1), 1))
            if t["R5"] >= 1:
                s.sports_area = max(s.sports_area, ceil_to(required("R5", 1), 1))
            bought = s.equipment_value * rng.uniform(1.02, 1.05)
            s.equipment_value = ceil_to(max(bought, required("R6", 10000)) if t["R6"] >= 1 else bought, 2)
            if t["R7"] >= 1:
                s.multimedia_rooms = max(s.multimedia_rooms, math.ceil(required("R7", 100) - 1e-9))
            budget = _public_funds(plan, rng)
            s.public_funds_budget = budget
            s.training_budget = min(ceil_to(budget * rng.uniform(0.055, 0.09), 2), budget)
            s.public_funds_allocated = ceil_to(budget * rng.uniform(1.0, 1.04), 2)

    # -------------------------------------------------------------------- rooms

    def _rooms(self) -> None:
        """The small music room is rebuilt in the first later year; a school whose
        classes now need another music or art room gets one."""
        d, rng = self.data, self.rng
        if self.step == 1:
            for r in d.rooms:
                if r.room_type is RoomType.MUSIC and r.area < ROOM_MIN_AREA[RoomType.MUSIC]:
                    r.area = ceil_to(rng.uniform(98.0, 120.0), 1)
        classes = Counter(c.school_code for c in d.classes)
        have = Counter((r.school_code, r.room_type) for r in d.rooms)
        with_rooms = {r.school_code for r in d.rooms}
        for s in d.schools:
            if s.code not in with_rooms:
                d.rooms += room_list(self.plans[s.code], classes[s.code], rng)  # a new school
                continue
            for room_type, low, high in ((RoomType.MUSIC, 96.0, 132.0), (RoomType.ART, 90.0, 124.0)):
                for _ in range(rooms_needed(classes[s.code]) - have[(s.code, room_type)]):
                    d.rooms.append(Room(s.code, room_type, ceil_to(rng.uniform(low, high), 1)))
        order = {s.code: i for i, s in enumerate(d.schools)}
        d.rooms.sort(key=lambda r: order[r.school_code])

    # -------------------------------------------------------------- supplements

    def _supplements(self, opened: SchoolPlan | None) -> None:
        d, rng = self.data, self.rng
        if opened is not None:
            school = next(s for s in d.schools if s.code == opened.code)
            part = CountyData(county=d.county, schools=[school],
                              teachers=[t for t in d.teachers if t.school_code == opened.code],
                              classes=[c for c in d.classes if c.school_code == opened.code])
            add_school_supplements(part, rng)
        classes = Counter((c.school_code, c.stage) for c in d.classes)
        last_year = self.prev.school_map()
        for s in d.schools:
            if opened is not None and s.code == opened.code:
                continue
            e = s.extra
            e["computers"] = max(e.get("computers", 1), round(e.get("computers", 1) * rng.uniform(1.02, 1.06)))
            e["books"] = max(e.get("books", 0), round(e.get("books", 0) * rng.uniform(1.01, 1.04)))
            for stage, key in ((PRIMARY, "primary_standard_classes"), (JUNIOR, "junior_standard_classes")):
                have = classes.get((s.code, stage), 0)
                e[key] = 0 if have == 0 else max(1, e.get(key, 0) or have)
            compulsory = s.compulsory_students
            if not e.get("afterschool") and s.school_type is SchoolType.TEACHING_POINT and rng.random() < 0.5:
                e["afterschool"] = True  # a 教学点 starts offering after-school services
                e["afterschool_students"] = 0
            if e.get("afterschool"):
                before = last_year.get(s.code)
                share = (before.extra.get("afterschool_students", 0) / before.compulsory_students
                         if before and before.compulsory_students else rng.uniform(0.7, 0.85))
                share = min(0.99, max(share, 0.6) + rng.uniform(0.01, 0.03))
                e["afterschool_students"] = min(compulsory, round(compulsory * share))
        for t in d.teachers:
            if t.title is None:
                t.title = TeacherTitle.NONE

    # ----------------------------------------------------------- kindergartens

    def _kindergartens(self) -> None:
        """Cohorts move up (小 → 中 → 大, the 大班 leave), a smaller intake arrives;
        uncertified teachers obtain their certificates."""
        d, rng = self.data, self.rng
        kgs = d.extra_tables.get("kindergartens")
        if not kgs:
            return
        by_kg: dict[str, list[KindergartenClass]] = defaultdict(list)
        for c in d.extra_tables.get("kindergarten_classes", []):
            by_kg[c.kindergarten_code].append(c)
        classes: list[KindergartenClass] = []
        for k in kgs:
            old = by_kg.get(k.code, [])
            sizes = {t: [c.children for c in old if c.class_type is t] for t in (SMALL, MIDDLE, LARGE, MIXED)}
            new = {
                SMALL: [max(12, min(25, round(rng.uniform(20, 25) * rng.uniform(0.88, 1.0))))
                        for _ in sizes[SMALL]],
                MIDDLE: [max(12, min(30, n + rng.randint(-1, 1))) for n in sizes[SMALL]],
                LARGE: [max(12, min(35, n + rng.randint(-1, 1))) for n in sizes[MIDDLE]],
                MIXED: [max(8, min(28, round(n * rng.uniform(0.92, 1.03)))) for n in sizes[MIXED]],
            }
            own = [KindergartenClass(k.code, t, f"{_CLASS_ZH[t]}（{i}）班", n)
                   for t in (SMALL, MIDDLE, LARGE, MIXED) for i, n in enumerate(new[t], start=1)]
            classes += own
            k.children_small, k.children_middle = sum(new[SMALL]), sum(new[MIDDLE])
            k.children_large, k.children_mixed = sum(new[LARGE]), sum(new[MIXED])
            if self.step == 1:
                k.certified_teachers = k.teachers
        d.extra_tables["kindergarten_classes"] = classes

    # -------------------------------------------------------------------- facts

    def _projects(self) -> None:
        """The ledger a year on, and this year's funding facts against last year's."""
        d = self.data
        if d.extra_tables.get("projects") is not None:
            d.extra_tables["projects"] = advance_projects(d.extra_tables["projects"], d.county.school_year)
        d.facts.update(funding_facts(d, self.prev.facts, falls=self.step == 1))

    def _facts(self) -> None:
        d, rng = self.data, self.rng
        prev = self.prev.facts
        facts = county_facts(d, rng)
        facts.update(supplementary_facts(d, rng))
        n0, n1 = prev["students_total"], facts["students_total"]
        e0 = prev["edu_spending"]
        if self.step == 1:  # spending falls behind enrolment: 两个只增不减 fails this year
            e1 = e0 * (n1 / n0) * rng.uniform(0.975, 0.99)
        else:
            e1 = e0 * max(1.0, n1 / n0) * rng.uniform(1.04, 1.08)
        facts.update({
            "edu_spending_prev": e0,
            "edu_spending": round(e1, 1),
            **stage_spending(round(e1, 1)),
            "students_total_prev": n0,
            "quota_allocation_pct": min(100.0, round(prev.get("quota_allocation_pct", QUOTA_ALLOCATION_PCT)
                                                     + QUOTA_STEP, 1)),
            "satisfaction_pct": min(98.0, round(prev["satisfaction_pct"] + rng.uniform(0.1, 0.8), 1)),
            "tutoring_offline_before": prev["tutoring_offline_before"],
            "tutoring_online_before": prev["tutoring_online_before"],
            "tutoring_offline_now": max(1, min(prev["tutoring_offline_now"],
                                               round(prev["tutoring_offline_now"] * rng.uniform(0.7, 0.95)))),
            "tutoring_online_now": max(0, min(prev["tutoring_online_now"],
                                              round(prev["tutoring_online_now"] * rng.uniform(0.6, 0.95)))),
        })
        d.facts = facts
