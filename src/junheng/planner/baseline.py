"""The bureau's manual practice, as a yardstick: top every failing school up to its
thresholds.

For every school part that fails, every indicator below its threshold is raised to
it — teachers by hiring the cheapest kind that counts for the indicator (a hire can
count for several), areas, equipment and rooms by adding what is missing (a mixed
school gets what its neediest stage requires). No transfers, no use of the 85 %
clause, no look at the CVs. The result is applied and re-evaluated like a plan, so the
bench can say whether the baseline even passes.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from junheng.core.engine import evaluate
from junheng.core.facts import CountyData
from junheng.core.result import Evaluation
from junheng.core.standard import Standard
from junheng.planner.apply import apply_actions
from junheng.planner.forms import FIELD_ACTIONS, field_step
from junheng.planner.plan import Actions, FieldAddition, Hire
from junheng.planner.problem import build_problem
from junheng.planner.settings import PlanSettings


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
    p = build_problem(data, standard, before, settings)
    actions = Actions()
    field_need: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    kinds = [h for h in settings.hires if h.cost is not None]
    seq = 0
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
            u = [x + n * e for x, e in zip(u, effect, strict=True)]
            ids = tuple(f"补足{seq + i + 1:04d}" for i in range(n))
            seq += n
            actions.hires.append(Hire(part.school.code, part.stage, kind.key, n, n * (kind.cost or 0.0), ids))
    for code, needs in field_need.items():
        for fname, need in needs.items():
            key, _label, _unit, yuan_per_unit = FIELD_ACTIONS[fname]
            unit_cost = getattr(settings.costs, key)
            if unit_cost is None or need <= 0:
                continue
            step = field_step(fname, settings.steps.area_m2, settings.steps.equipment_yuan)
            steps = math.ceil(need / step - 1e-9)
            actions.fields.append(FieldAddition(code, fname, steps * step, steps * step * unit_cost * yuan_per_unit))
    after = evaluate(apply_actions(data, actions, settings), standard)
    return Baseline(actions, before, after)

