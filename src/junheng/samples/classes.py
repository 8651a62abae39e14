"""Class lists and music/art rooms of synthetic schools.

Class sizes always sum exactly to the school's students per stage, so a sample never
raises the students-mismatch warning; oversized classes are planted on purpose.
"""

from __future__ import annotations

import math
import random

from junheng.core.facts import Room, RoomType, SchoolClass, SchoolType, Stage
from junheng.samples.profiles import JUNIOR, PRIMARY, RURAL, TOWN, URBAN, SchoolPlan, ceil_to

GRADE_ZH = "一二三四五六七八九"

# Class-size limits of G5 (小学 45, 初中 50) and the room areas of G3; the generator
# stays under / above them except where it plants a failure.
CLASS_LIMIT = {PRIMARY: 45, JUNIOR: 50}
ROOM_MIN_AREA = {RoomType.MUSIC: 96.0, RoomType.ART: 90.0}

# Students a new class is opened for, per stage and urban/rural class.
_CLASS_TARGET = {
    (PRIMARY, URBAN): 44, (PRIMARY, TOWN): 42, (PRIMARY, RURAL): 36,
    (JUNIOR, URBAN): 49, (JUNIOR, TOWN): 47, (JUNIOR, RURAL): 42,
}


def _grades(plan: SchoolPlan, stage: Stage) -> list[int]:
    if stage is JUNIOR:
        return [7, 8, 9]
    if plan.school_type is SchoolType.TEACHING_POINT:
        # Teaching points keep the lower grades only; the older pupils go to the centre school.
        return [1, 2, 3] if plan.students[PRIMARY] < 50 else [1, 2, 3, 4]
    return [1, 2, 3, 4, 5, 6]


def _apportion(total: int, parts: int, rng: random.Random, spread: float = 0.12) -> list[int]:
    """Split ``total`` into ``parts`` non-negative integers around equal shares, exactly."""
    weights = [rng.uniform(1 - spread, 1 + spread) for _ in range(parts)]
    scale = total / sum(weights)
    shares = [w * scale for w in weights]
    counts = [math.floor(s) for s in shares]
    by_remainder = sorted(range(parts), key=lambda i: shares[i] - counts[i], reverse=True)
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


def _even(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + 1 if i < extra else base for i in range(parts)]


def class_list(plan: SchoolPlan, rng: random.Random) -> list[SchoolClass]:
    classes: list[SchoolClass] = []
    for stage in (PRIMARY, JUNIOR):
        students = plan.students.get(stage, 0)
        if students <= 0:
            continue
        grades = _grades(plan, stage)
        if students < len(grades):
            grades = grades[:students]
        per_grade = _apportion(students, len(grades), rng)
        for grade, in_grade in zip(grades, per_grade, strict=True):
            classes += grade_classes(plan, stage, grade, in_grade)
    return classes


def grade_classes(plan: SchoolPlan, stage: Stage, grade: int, students: int) -> list[SchoolClass]:
    """The classes of one grade: as few as the school's usual class size allows, even sizes."""
    if students <= 0:
        return []
    if plan.school_type is SchoolType.SPECIAL:
        target = 10
    elif plan.school_type is SchoolType.TEACHING_POINT:
        target = CLASS_LIMIT[stage]
    else:
        target = _CLASS_TARGET[(stage, plan.urban_rural)]
    n = max(1, math.ceil(students / target))
    return [SchoolClass(plan.code, stage, grade, f"{GRADE_ZH[grade - 1]}年级{i}班", size)
            for i, size in enumerate(_even(students, n), start=1)]


def plant_oversized(
    classes_by_school: dict[str, list[SchoolClass]],
    candidates: list[str],
    wanted: list[tuple[Stage, int]],
    rng: random.Random,
) -> list[tuple[str, int]]:
    """Make one class of size ``size`` in a school per wanted (stage, size), keeping the
    grade's total; returns (school code, size) of the classes made."""
    planted = []
    order = rng.sample(candidates, len(candidates))  # scan in random order, stop at the first fit
    used: set[str] = set()
    for stage, size in wanted:
        found = None
        for code in order:
            if code in used:
                continue
            found = _fitting_grade(classes_by_school[code], stage, size)
            if found is not None:
                break
        if found is None:
            continue
        total = sum(c.students for c in found)
        sizes = [size] + _even(total - size, len(found) - 1)
        for c, n in zip(found, sizes, strict=True):
            c.students = n
        used.add(code)
        planted.append((code, size))
    return planted


def _fitting_grade(classes: list[SchoolClass], stage: Stage, size: int) -> list[SchoolClass] | None:
    """A grade whose students allow one class of ``size`` with the others within limits."""
    grades: dict[int, list[SchoolClass]] = {}
    for c in classes:
        if c.stage is stage:
            grades.setdefault(c.grade, []).append(c)
    for grade_classes in grades.values():
        n = len(grade_classes)
        rest = sum(c.students for c in grade_classes) - size
        if n >= 2 and rest >= n - 1 and math.ceil(rest / (n - 1)) <= CLASS_LIMIT[stage]:
            return grade_classes
    return None


def room_list(plan: SchoolPlan, class_count: int, rng: random.Random) -> list[Room]:
    """Music and art rooms: one of each per 12 classes (at least one), all large enough."""
    needed = rooms_needed(class_count)
    rooms = []
    for room_type, low, high in ((RoomType.MUSIC, 96.0, 132.0), (RoomType.ART, 90.0, 124.0)):
        count = needed + (1 if plan.urban_rural is URBAN and rng.random() < 0.2 else 0)
        for _ in range(count):
            rooms.append(Room(plan.code, room_type, ceil_to(rng.uniform(low, high), 1)))
    return rooms


def rooms_needed(class_count: int) -> int:
    return max(1, math.ceil(class_count / 12))


def plant_small_room(
    rooms_by_school: dict[str, list[Room]],
    needed: dict[str, int],
    candidates: list[str],
    room_type: RoomType,
    rng: random.Random,
) -> str | None:
    """Shrink one room of ``room_type`` below the minimum area in a school that has no
    spare room of that type, so that the school falls short of the G3 requirement."""
    code = None
    for candidate in rng.sample(candidates, len(candidates)):
        rooms = rooms_by_school[candidate]
        if all(r.area >= ROOM_MIN_AREA[r.room_type] for r in rooms) and (
            sum(r.room_type is room_type for r in rooms) == needed[candidate]
        ):
            code = candidate
            break
    if code is None:
        return None
    room = next(r for r in rooms_by_school[code] if r.room_type is room_type)
    room.area = round(rng.uniform(0.72, 0.95) * ROOM_MIN_AREA[room_type], 1)
    return code
