"""The bureau's manual practice, as a yardstick and as the plan of last resort: top
every failing school up to its thresholds.

For every school part that fails, every indicator below its threshold is raised to
it — teachers by hiring the cheapest kind that counts for the indicator (a hire can
count for several), areas, equipment and rooms by adding what is missing (a mixed
school gets what its neediest stage requires). Music and art rooms short of the
standard are refitted or built; when the rotation rule fails, eligible teachers of the
same kind exchange schools (no indicator moves) until it passes. No transfers for the
indicators, no use of the 85 % clause, no look at the CVs. The same caps as a plan's
apply (area caps, hires per school). It takes a second even for thousands of schools,
so ``make_plan`` always has a plan to return; the result is applied and re-evaluated
like a plan, so the bench and the planner can say whether it even passes.
"""

from __future__ import annotations

import heapq
import math
from collections import defaultdict
from dataclasses import dataclass

from junheng.core.engine import evaluate
from junheng.core.facts import CountyData, Stage, Teacher
from junheng.core.result import Evaluation
from junheng.core.standard import Standard
from junheng.planner.apply import apply_actions
from junheng.planner.forms import FIELD_ACTIONS, field_step
from junheng.planner.plan import Actions, FieldAddition, Hire, RoomWork, Transfer
from junheng.planner.problem import Problem, Signature, build_problem
from junheng.planner.settings import PlanSettings
from junheng.planner.subjects import hire_subjects


@dataclass
class Baseline:
    actions: Actions
    before: Evaluation
    after: Evaluation

    @property
    def cost(self) -> float:
        return self.actions.cost

    def failing_cvs(self) -> list[str]:
        return [f"{stage.value}:{ind}" for stage, table in self.after.dispersion.items()
                for ind, d in table.items() if d.passed is False]


def top_up(data: CountyData, standard: Standard, settings: PlanSettings) -> Baseline:
    before = evaluate(data, standard)
    actions = top_up_actions(build_problem(data, standard, before, settings))
    after = evaluate(apply_actions(data, actions, settings), standard)
    return Baseline(actions, before, after)


def top_up_actions(p: Problem) -> Actions:
    settings = p.settings
    actions = Actions(years=settings.costs.years)
    field_need: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    kinds = [h for h in settings.hires if h.cost is not None]
    hired: dict[str, int] = defaultdict(int)
    cap = settings.limits.max_hires_per_school
    seq = 0
    taken = {t.teacher_id for t in p.data.teachers}
    for part in p.failing():
        u = list(part.u0)
        for k, ind in enumerate(p.indicators):
            if not ind.plannable or u[k] >= part.required[k] * (1 - 1e-10):
                continue
            form = ind.forms[part.stage]
            for fname, coef in form.fields.items():
                per_unit = coef * (part.share if form.split[fname] else 1.0)
                if per_unit > 0:
                    need = (part.required[k] - u[k]) / per_unit
                    field_need[part.school.code][fname] = max(field_need[part.school.code][fname], need)
            if not form.teachers:
                continue
            useful = [h for h in kinds if p.hires[(part.stage, h.key)][0][k] > 0]
            if not useful:
                continue
            kind = min(useful, key=lambda h: h.cost / p.hires[(part.stage, h.key)][0][k])
            effect = p.hires[(part.stage, kind.key)][0]
            n = math.ceil((part.required[k] * (1 - 1e-10) - u[k]) / effect[k])
            if cap is not None:
                n = min(n, cap - hired[part.school.code])
            if part.school.code in p.quota_room:  # 核定编制数: no school ends above its quota
                n = min(n, p.quota_room[part.school.code] - hired[part.school.code])
            if n <= 0:
                continue
            hired[part.school.code] += n
            u = [x + n * e for x, e in zip(u, effect, strict=True)]
            ids = []
            while len(ids) < n:
                seq += 1
                if f"补足{seq:04d}" not in taken:
                    ids.append(f"补足{seq:04d}")
            actions.hires.append(Hire(part.school.code, part.stage, kind.key, n, n * (kind.cost or 0.0), tuple(ids)))
    schools = p.data.school_map()
    for code, needs in field_need.items():
        for fname, need in needs.items():
            key, _label, _unit, yuan_per_unit = FIELD_ACTIONS[fname]
            unit_cost = getattr(settings.costs, key)
            if unit_cost is None or need <= 0:
                continue
            step = field_step(fname, settings.steps.area_m2, settings.steps.equipment_yuan)
            steps = math.ceil(need / step - 1e-9)
            if fname in ("teaching_area", "sports_area"):
                steps = max(steps, math.ceil(settings.steps.min_area_m2 / step - 1e-9))
                limit = schools[code].extra.get(f"max_extra_{fname}")
                limit = float(limit) if limit is not None else getattr(settings.limits, f"max_extra_{fname}")
                if limit is not None:
                    steps = min(steps, math.floor(limit / step + 1e-9))
                    if steps * step < settings.steps.min_area_m2:
                        steps = 0
            if steps > 0:
                actions.fields.append(FieldAddition(code, fname, steps * step,
                                                    steps * step * unit_cost * yuan_per_unit))
    for need in p.rooms:
        refit_cost = settings.costs.room_refit.get(need.room_type)
        build_cost = settings.costs.room_build.get(need.room_type)
        refit = min(len(need.small), need.need) if refit_cost is not None and (
            build_cost is None or refit_cost <= build_cost) else 0
        build = need.need - refit if build_cost is not None else 0
        if refit:
            actions.rooms.append(RoomWork(need.school.code, need.room_type, refit, 0, need.min_area,
                                          refit * refit_cost))
        if build:
            actions.rooms.append(RoomWork(need.school.code, need.room_type, 0, build, need.min_area,
                                          build * (build_cost or 0.0)))
    actions.transfers += _rotation_exchanges(p, actions)
    actions.hires = hire_subjects(p, actions.hires, p.balance.copy())
    return actions


def _rotation_exchanges(p: Problem, actions: Actions) -> list[Transfer]:
    """Pairs of eligible teachers of one kind exchanging schools until every rotation
    ratio passes (or no pair is left). Two teachers of the same signature trade places,
    so no school's indicators change."""
    rot, cost = p.rotation, p.settings.costs.transfer
    if rot is None or cost is None:
        return []
    counts = [list(c) for c in rot.counts]
    for h in actions.hires:  # new teachers count in the denominators
        sig = p.hires[(h.stage, h.kind)]
        for i, (dn, dd) in enumerate(sig[1]):
            counts[i][0] += h.count * dn
            counts[i][1] += h.count * dd
    pools: dict[tuple[Stage, Signature], dict[str, list[Teacher]]] = defaultdict(lambda: defaultdict(list))
    for (idx, sig), teachers in p.movable.items():
        part = p.parts[idx]
        pools[(part.stage, sig)][part.school.code] += [t for t in teachers if t.rotation_eligible]
    # Per kind, the schools with teachers left, most first (then by code): a heap with
    # stale entries skipped, so that thousands of exchanges stay cheap.
    heaps: dict[tuple[Stage, Signature], list[tuple[int, str]]] = {}
    open_count: dict[tuple[Stage, Signature], int] = {}
    for key, by_school in pools.items():
        heaps[key] = [(-len(ts), c) for c, ts in by_school.items() if ts]
        heapq.heapify(heaps[key])
        open_count[key] = len(heaps[key])

    def largest(key: tuple[Stage, Signature]) -> str:
        heap, by_school = heaps[key], pools[key]
        while True:
            size, code = heapq.heappop(heap)
            if -size == len(by_school[code]):
                return code

    out: list[Transfer] = []
    while True:
        failing = [i for i, r in enumerate(rot.rules) if not r.passes(*counts[i])]
        if not failing:
            return out
        best = None
        for key in pools:
            if open_count[key] < 2:
                continue
            gain = sum(2 * (key[1][1][i][0] - rot.rules[i].threshold * key[1][1][i][1]) for i in failing)
            hurts = any(2 * (key[1][1][i][0] - rot.rules[i].threshold * key[1][1][i][1]) < 0 for i in failing)
            if gain > 0 and not hurts and (best is None or gain > best[0]):
                best = (gain, key)
        if best is None:
            return out
        key = best[1]
        by_school = pools[key]
        a = largest(key)
        b = largest(key)
        ta, tb = by_school[a].pop(0), by_school[b].pop(0)
        for code in (a, b):
            if by_school[code]:
                heapq.heappush(heaps[key], (-len(by_school[code]), code))
            else:
                open_count[key] -= 1
        out += [Transfer(ta.teacher_id, key[0], a, b, cost, rotation_only=True),
                Transfer(tb.teacher_id, key[0], b, a, cost, rotation_only=True)]
        for i, (dn, dd) in enumerate(key[1][1]):
            counts[i][0] += 2 * dn
            counts[i][1] += 2 * dd
