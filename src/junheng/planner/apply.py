"""Apply a plan's actions to a county: a new CountyData, the original left untouched.

Records that change are replaced (``dataclasses.replace``), the rest shared, so a
300-school county is copied in milliseconds. Moved teachers keep their ids and are
marked as rotated this year when they are eligible under 交流条件 (only those count
as 交流轮岗); new teachers get the ids
the plan gave them; refitted rooms grow to the minimum area, new rooms are added.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict

from junheng.core.facts import CountyData, Room
from junheng.planner.plan import Actions
from junheng.planner.problem import new_teacher
from junheng.planner.settings import PlanSettings


def apply_actions(data: CountyData, actions: Actions, settings: PlanSettings) -> CountyData:
    added: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for a in actions.fields:
        added[a.school_code][a.field] += a.amount
    schools = []
    for s in data.schools:
        more = added.get(s.code)
        if not more:
            schools.append(s)
            continue
        changes = {}
        for name, amount in more.items():
            current = getattr(s, name)
            changes[name] = current + (round(amount) if isinstance(current, int) else amount)
        schools.append(dataclasses.replace(s, **changes))

    moves = {t.teacher_id: t.to_code for t in actions.transfers}
    teachers = [
        dataclasses.replace(t, school_code=moves[t.teacher_id], rotated=t.rotated or t.rotation_eligible)
        if t.teacher_id in moves else t
        for t in data.teachers
    ]
    kinds = {h.key: h for h in settings.hires}
    for h in actions.hires:
        teachers += [new_teacher(kinds[h.kind], h.school_code, h.stage, tid, settings, h.subject)
                     for tid in h.teacher_ids]

    rooms = list(data.rooms)
    for work in actions.rooms:
        if work.refit:
            small = sorted((i for i, r in enumerate(rooms) if r.school_code == work.school_code
                            and r.room_type == work.room_type and r.area < work.area - 1e-9),
                           key=lambda i: (-rooms[i].area, i))
            for i in small[:work.refit]:
                rooms[i] = dataclasses.replace(rooms[i], area=work.area)
        rooms += [Room(work.school_code, work.room_type, work.area) for _ in range(work.build)]

    return dataclasses.replace(data, schools=schools, teachers=teachers, rooms=rooms)
