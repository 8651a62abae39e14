"""The teachers' side of a sample county's next school year (`samples.years`):
retirements and hires, who becomes eligible for rotation, the 县管校聘 swaps between
schools (declared, with a few planned disagreements), and hires or promotions where a
school would fall below the teacher ratios it is planned to meet.

``TeacherYear`` is mixed into the year step; it works on the step's ``data`` (the new
year, being built), ``prev`` (last year), ``plans``, ``rng``, ``code`` (the county),
``moved`` (teacher ids moved this year), ``next_seq`` and ``first_new_seq``.
"""

from __future__ import annotations

import math
import random
from collections import defaultdict

from junheng.core.facts import (
    BackboneLevel,
    CountyData,
    Ownership,
    SchoolType,
    Stage,
    Teacher,
    TeacherTitle,
    UrbanRural,
)
from junheng.samples.profiles import JUNIOR, PRIMARY, SchoolPlan
from junheng.samples.staff import (
    _ABOVE_DEGREES,
    _CORE_SUBJECTS,
    _PE_ART,
    TEACHER_THRESHOLDS,
    _needed,
    roster,
)

ROTATION_SHARE = (0.11, 0.14)  # of the teachers eligible for rotation, moving each year
ROTATION_BACKBONE_SHARE = 0.3
RETIREMENT_SHARE = 0.02
ELIGIBLE_SHARE = 0.32  # of public-school teachers (as in the first year)
PE_ART = frozenset(_PE_ART[0])


class TeacherYear:
    data: CountyData
    prev: CountyData
    plans: dict[str, SchoolPlan]
    rng: random.Random
    code: str
    moved: set[str]
    next_seq: int
    first_new_seq: int

    def _new_id(self) -> str:
        tid = f"T{self.code}{self.next_seq:06d}"
        self.next_seq += 1
        return tid

    def _hire(self, school: str, stage: Stage, *, pe_art: bool) -> Teacher:
        rng = self.rng
        values, weights = _ABOVE_DEGREES[stage]
        subjects = _PE_ART if pe_art else _CORE_SUBJECTS[stage]
        t = Teacher(
            teacher_id=self._new_id(), school_code=school, stage=stage,
            degree=rng.choices(values, weights=weights)[0], backbone_level=BackboneLevel.NONE,
            subject=rng.choices(subjects[0], weights=subjects[1])[0], certified=True,
            training_hours_5y=float(rng.randint(360, 480)), rotation_eligible=False, rotated=False,
            title=rng.choice((TeacherTitle.SECOND, TeacherTitle.NONE)),
        )
        self.data.teachers.append(t)
        return t

    def _teachers(self, opened: SchoolPlan | None) -> None:
        d, rng = self.data, self.rng
        schools = {s.code for s in d.schools}
        last_declared = {t.teacher_id for t in self.prev.teachers if t.rotated}
        for t in d.teachers:
            t.rotated = False
            if t.teacher_id in last_declared:
                t.rotation_eligible = False  # rotated last year: not eligible again so soon
            t.training_hours_5y = float(min(640, t.training_hours_5y + rng.choice((0, 24, 48, 72))))
        # Retirements, most of them replaced at the same school.
        retiring = [t for t in d.teachers if t.teacher_id not in self.moved
                    and rng.random() < RETIREMENT_SHARE]
        gone = {t.teacher_id for t in retiring}
        d.teachers = [t for t in d.teachers if t.teacher_id not in gone]
        for t in retiring:
            if rng.random() < 0.7 and t.school_code in schools:
                self._hire(t.school_code, t.stage, pe_art=t.subject in PE_ART)
        if opened is not None:
            staff = roster(opened, rng, self.code, self.next_seq)
            self.next_seq += len(staff)
            for t in staff:
                t.rotation_eligible = False  # new to the county's schools
            d.teachers += staff
        self._refresh_eligibility()
        self._rotate()
        self._fill_gaps()

    def _refresh_eligibility(self) -> None:
        """Teachers who have now served long enough at one school become eligible, so
        that about a third of the public-school teachers are."""
        d, rng = self.data, self.rng
        public = {s.code for s in d.schools if s.ownership is Ownership.PUBLIC}
        staff = [t for t in d.teachers if t.school_code in public]
        missing = round(len(staff) * ELIGIBLE_SHARE) - sum(t.rotation_eligible for t in staff)
        pool = [t for t in staff if not t.rotation_eligible and t.teacher_id not in self.moved
                and int(t.teacher_id[-6:]) < self.first_new_seq]
        for t in rng.sample(pool, max(0, min(missing, len(pool)))):
            t.rotation_eligible = True

    def _rotate(self) -> None:
        """县管校聘: swaps between public schools of the same stage, urban ↔ rural
        preferred, a third of the movers backbone teachers; declared, with two moves
        undeclared and two declarations without a move."""
        d, rng = self.data, self.rng
        schools = {s.code: s for s in d.schools}
        movable = {s.code for s in d.schools if s.ownership is Ownership.PUBLIC
                   and s.school_type is not SchoolType.SPECIAL}
        eligible = [t for t in d.teachers if t.rotation_eligible and t.school_code in schools
                    and schools[t.school_code].ownership is Ownership.PUBLIC]
        target = round(len(eligible) * rng.uniform(*ROTATION_SHARE))
        candidates = [t for t in eligible if t.school_code in movable and t.teacher_id not in self.moved]
        backbone = [t for t in candidates if t.backbone_level is not BackboneLevel.NONE]
        others = [t for t in candidates if t.backbone_level is BackboneLevel.NONE]
        n_backbone = min(len(backbone), math.ceil(target * ROTATION_BACKBONE_SHARE / 2))
        order = rng.sample(backbone, n_backbone) + rng.sample(others, len(others))
        by_school_stage: dict[tuple[str, Stage], list[Teacher]] = defaultdict(list)
        for t in candidates:
            by_school_stage[(t.school_code, t.stage)].append(t)
        destinations: dict[tuple[Stage, UrbanRural], list[str]] = defaultdict(list)
        for c in sorted(movable):
            for stage, n in self.plans[c].students.items():
                if n > 0:
                    destinations[(stage, schools[c].urban_rural)].append(c)
        above = {stage: set(_ABOVE_DEGREES[stage][0]) for stage in _ABOVE_DEGREES}
        moves: list[Teacher] = []
        for mover in order:
            if len(moves) >= target:
                break
            if mover.teacher_id in self.moved:
                continue
            home = schools[mover.school_code]
            dest = self._destination(destinations, mover.stage, home.code, home.urban_rural)
            if dest is None:
                continue
            partners = [p for p in by_school_stage[(dest, mover.stage)] if p.teacher_id not in self.moved
                        and (p.subject in PE_ART) == (mover.subject in PE_ART)
                        and (p.degree in above[p.stage]) == (mover.degree in above[mover.stage])]
            for t, to in ((mover, dest), *(((rng.choice(partners), home.code),) if partners else ())):
                t.school_code = to
                self.moved.add(t.teacher_id)
                moves.append(t)
        for t in moves:
            t.rotated = True
        for t in rng.sample(moves, min(2, len(moves))):
            t.rotated = False  # moved, not declared
        stayed = [t for t in eligible if t.teacher_id not in self.moved]
        for t in rng.sample(stayed, min(2, len(stayed))):
            t.rotated = True  # declared, did not move

    def _destination(self, destinations: dict[tuple[Stage, UrbanRural], list[str]], stage: Stage,
                     home: str, ur: UrbanRural) -> str | None:
        """A school of ``stage`` other than ``home``: mostly across the urban/rural divide
        (the policy's point), sometimes not."""
        rng = self.rng
        kinds = sorted({u for st, u in destinations if st is stage})
        across = [u for u in kinds if u != ur]
        pools = [destinations[(stage, u)] for u in (across if across and rng.random() < 0.8 else kinds)]
        total = sum(len(p) for p in pools)
        for _ in range(10):
            if total == 0:
                return None
            i = rng.randrange(total)
            for pool in pools:
                if i < len(pool):
                    if pool[i] != home:
                        return pool[i]
                    break
                i -= len(pool)
        return None

    def _fill_gaps(self) -> None:
        """Hire or promote where a school has fallen below the ratios it is planned to meet
        (R1 teachers above the required degree, R2 backbone, R3 PE/art, per 100 students)."""
        d, rng = self.data, self.rng
        staff: dict[tuple[str, Stage], list[Teacher]] = defaultdict(list)
        for t in d.teachers:
            staff[(t.school_code, t.stage)].append(t)
        for s in d.schools:
            plan = self.plans[s.code]
            for stage in (PRIMARY, JUNIOR):
                students = plan.students.get(stage, 0)
                if students <= 0:
                    continue
                here = staff[(s.code, stage)]
                above = set(_ABOVE_DEGREES[stage][0])
                t = plan.targets
                if t["R3"] >= 1:
                    need = _needed(t["R3"], TEACHER_THRESHOLDS["R3"][stage], students)
                    for _ in range(need - sum(x.subject in PE_ART for x in here)):
                        here.append(self._hire(s.code, stage, pe_art=True))
                if t["R1"] >= 1:
                    need = _needed(t["R1"], TEACHER_THRESHOLDS["R1"][stage], students)
                    for _ in range(need - sum(x.degree in above for x in here)):
                        here.append(self._hire(s.code, stage, pe_art=False))
                if t["R2"] >= 1:
                    need = _needed(t["R2"], TEACHER_THRESHOLDS["R2"][stage], students)
                    plain = [x for x in here if x.backbone_level is BackboneLevel.NONE]
                    short = need - (len(here) - len(plain))
                    for x in rng.sample(plain, max(0, min(short, len(plain)))):
                        x.backbone_level = BackboneLevel.COUNTY  # 县级骨干教师 named this year
