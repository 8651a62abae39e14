"""Making a plan: build the model, solve, check with the engine, cut, repeat.

Every solution is turned into concrete actions, applied to a copy of the county and
evaluated by :func:`junheng.core.engine.evaluate`. A CV the plan claims but the engine
finds above its limit gets a tangent cut at the engine's values and the MILP is solved
again (outer approximation; the cuts are valid for the cone, so the solver's bound
stays a lower bound). Without a budget the plan fixes everything it can at least cost;
when the budget (or an unreachable goal) prevents that, it fixes as many goals as
possible and, among those plans, the cheapest.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import highspy
import numpy as np

from junheng.core.engine import evaluate
from junheng.core.facts import STAGE_ZH, CountyData, Stage
from junheng.core.result import Evaluation, display_round
from junheng.core.standard import Standard
from junheng.planner.apply import apply_actions
from junheng.planner.extract import extract_actions
from junheng.planner.forms import FIELD_ACTIONS
from junheng.planner.model import PlanModel
from junheng.planner.plan import Actions, Goal, Plan
from junheng.planner.problem import Problem, build_problem
from junheng.planner.settings import PlanSettings

_LP_ROUNDS = 25
_NO_SOLUTION = {highspy.HighsModelStatus.kInfeasible, highspy.HighsModelStatus.kUnboundedOrInfeasible}


@dataclass
class Outcome:
    """One mode's best verified solution."""

    actions: Actions
    data: CountyData
    after: Evaluation
    claimed: list[tuple]
    lower_bound: float | None
    optimal: bool


class Planner:
    def __init__(self, data: CountyData, standard: Standard, settings: PlanSettings):
        self.data, self.standard, self.settings = data, standard, settings
        self.start = time.monotonic()
        self.rounds = 0
        self.timed_out = False
        self.warnings: list[str] = []
        self.before = evaluate(data, standard)
        self.problem = build_problem(data, standard, self.before, settings)
        self.active = self._initial_active()
        self.points: list[tuple[Stage, int, list[float]]] = []  # every cut so far, replayed on a rebuild

    def _initial_active(self) -> set[tuple[Stage, int]]:
        p = self.problem
        watch = p.settings.solver.cv_watch
        active = set()
        for stage, limit in p.cv_limits.items():
            for k, ind in enumerate(p.indicators):
                cv = p.before.dispersion.get(stage, {}).get(ind.id)
                if ind.plannable and cv is not None and cv.cv is not None and cv.cv > limit - watch:
                    active.add((stage, k))
        return active

    def remaining(self) -> float:
        return max(1.0, self.settings.solver.time_limit - (time.monotonic() - self.start))

    def model(self, budget: float | None) -> PlanModel:
        m = PlanModel(self.problem, self.active, budget)
        for stage, k, u in self.points:
            if (stage, k) in m.cv:
                m.cv[(stage, k)].add_point(u)
        return m

    # --- one mode ------------------------------------------------------------------

    def run(self, m: PlanModel, h: highspy.Highs) -> Outcome | None:
        """Solve and cut until the engine confirms every claimed CV; None if infeasible."""
        for _ in range(self.settings.solver.max_rounds):
            self._relaxation(m, h)
            h.setOptionValue("time_limit", self.remaining())
            h.run()
            self.rounds += 1
            status = h.getModelStatus()
            if status in _NO_SOLUTION:
                return None
            values = list(h.getSolution().col_value)
            if h.getInfo().primal_solution_status != 2:  # no feasible point within the time limit
                self.timed_out = True
                return None
            claimed = [key for key, j in m.goals.items() if values[j] > 0.5]
            actions = extract_actions(m, values)
            applied = apply_actions(self.data, actions, self.settings)
            after = evaluate(applied, self.standard)
            bad = self._violated_cvs(m, after, claimed)
            if not bad or time.monotonic() - self.start > self.settings.solver.time_limit:
                if bad:
                    self.warnings.append("求解时间已到，差异系数约束尚未完全满足")
                info = h.getInfo()
                bound = info.mip_dual_bound if status == highspy.HighsModelStatus.kOptimal or bound_ok(info) else None
                return Outcome(actions, applied, after, claimed, bound,
                               status == highspy.HighsModelStatus.kOptimal)
            for stage, k, u in bad:
                self.points.append((stage, k, u))
                block = m.cv[(stage, k)]
                rows = block.add_point(u)
                for row in rows:
                    m.push_row(h, row)
                if not rows:  # on the limit up to rounding: aim a hair lower
                    h.changeCoeff(*block.tighten())
        self.warnings.append(f"差异系数切割已达 {self.settings.solver.max_rounds} 轮上限")
        return None

    def _relaxation(self, m: PlanModel, h: highspy.Highs) -> None:
        """Kelley's loop on the LP relaxation: planes where the relaxed solution breaks
        a CV, until none does. Cheap, and it leaves HiGHS a warm basis: the MILP root
        then solves in a fraction of the time it takes from scratch."""
        n = len(m.cols)
        index = np.arange(n, dtype=np.int32)
        h.changeColsIntegrality(n, index, np.full(n, highspy.HighsVarType.kContinuous))
        values: list[float] | None = None
        try:
            for _ in range(_LP_ROUNDS):
                h.setOptionValue("time_limit", self.remaining())
                h.run()
                if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                    values = None
                    return
                values = list(h.getSolution().col_value)
                added = 0
                for block in m.cv.values():
                    u = block.violated(values)
                    if u is not None:
                        for row in block.add_point(u):
                            m.push_row(h, row)
                            added += 1
                if not added:
                    return
        finally:
            kinds = [highspy.HighsVarType.kInteger if c.integer else highspy.HighsVarType.kContinuous
                     for c in m.cols]
            h.changeColsIntegrality(n, index, np.array(kinds))
            if values is not None:
                self._start(m, h, values)

    @staticmethod
    def _start(m: PlanModel, h: highspy.Highs, values: list[float]) -> None:
        """A partial start for the MILP: the relaxation's additions and hires rounded up
        (more of them only helps a school pass, and they go to low schools, which lowers
        a CV). HiGHS completes it — transfers, rooms, the 6-of-7 choices — with a small
        sub-MIP; an incumbent within the gap lets it stop at the root instead of spending
        its time separating cuts."""
        picked = [(j, float(math.ceil(values[j] - 1e-6))) for j, c in enumerate(m.cols)
                  if c.kind in ("field", "hire")]
        if picked:
            idx, val = zip(*picked, strict=True)
            h.setSolution(len(idx), np.array(idx, dtype=np.int32), np.array(val, dtype=float))

    def _violated_cvs(self, m: PlanModel, after: Evaluation, claimed: list[tuple]) -> list[tuple[Stage, int, list[float]]]:
        p = self.problem
        want = set(claimed)
        out = []
        for stage in p.cv_limits:
            for k, ind in enumerate(p.indicators):
                key = ("cv", str(stage), ind.id)
                if (key in m.goals and key not in want) or (stage, k) not in m.cv:
                    continue
                d = after.dispersion.get(stage, {}).get(ind.id)
                if d is not None and d.passed is False:
                    by_part = {(s.school_code, s.stage): s.indicators[ind.id].numerator for s in after.schools}
                    out.append((stage, k, [by_part[(q.school.code, q.stage)] for q in p.stage_parts(stage)]))
        return out

    def _widen(self, m: PlanModel, out: Outcome | None) -> set[tuple[Stage, int]]:
        """CVs the plan brought near their limit (or that needed cuts) but that had no
        receivers of their own: cheaper plans may raise their low parts instead of
        avoiding them. Each is widened at most once, so this ends."""
        near = set(_cut_keys(self.points))
        if out is not None:
            watch = self.settings.solver.cv_watch
            for stage, k in m.cv:
                d = out.after.dispersion.get(stage, {}).get(self.problem.indicators[k].id)
                if d is not None and d.cv is not None and d.cv > self.problem.cv_limits[stage] - watch:
                    near.add((stage, k))
        return near - self.active

    # --- the modes -----------------------------------------------------------------

    def full(self) -> tuple[PlanModel, Outcome | None]:
        """The cheapest plan that reaches every goal. A CV that needed cuts although it
        was not watched may need receivers of its own: widen the model and solve again."""
        while True:
            m = self.model(None)
            h = m.highs()
            for j in m.goals.values():
                h.changeColBounds(j, 1.0, 1.0)
            out = self.run(m, h)
            widened = self._widen(m, out)
            if not widened:
                return m, out
            self.active |= widened

    def partial(self, budget: float | None) -> tuple[PlanModel, Outcome | None]:
        """As many goals as possible within the budget, then the cheapest such plan."""
        while True:
            m = self.model(budget)
            h = m.highs()
            costs = [c.cost for c in m.cols]
            goal_cols = list(m.goals.values())
            h.changeColsCost(len(costs), list(range(len(costs))), [0.0] * len(costs))
            h.changeColsCost(len(goal_cols), goal_cols, [-1.0] * len(goal_cols))
            first = self.run(m, h)
            if first is None:
                return m, None
            best = sum(1 for key in first.claimed if key in m.goals)
            h.changeColsCost(len(costs), list(range(len(costs))), costs)
            if goal_cols:
                h.addRow(float(best), highspy.kHighsInf, len(goal_cols), goal_cols, [1.0] * len(goal_cols))
            second = self.run(m, h)
            widened = self._widen(m, second or first)
            if not widened:
                return m, second or first
            self.active |= widened


def _cut_keys(points: list[tuple[Stage, int, list[float]]]) -> list[tuple[Stage, int]]:
    return [(stage, k) for stage, k, _ in points]


def bound_ok(info) -> bool:
    return info.mip_dual_bound > -highspy.kHighsInf and info.mip_dual_bound < highspy.kHighsInf


def make_plan(data: CountyData, standard: Standard, settings: PlanSettings) -> Plan:
    planner = Planner(data, standard, settings)
    p = planner.problem
    budget = settings.limits.budget
    m = planner.model(None)
    if not m.goals:  # everything the plan could address passes already
        out: Outcome | None = Outcome(Actions(), data, planner.before, [], 0.0, True)
    else:
        m, out = planner.full()
    goals = [Goal(key[0], tuple(str(k) for k in key[1:]), m.goal_labels[key]) for key in m.goals]
    status = "nothing_to_do" if not goals else "optimal"
    if out is not None and not out.optimal:
        status = "feasible"
    if out is None or (budget is not None and out.actions.cost > budget + 1e-6):
        status = "partial" if out is not None else "unreachable"
        _, partial_out = planner.partial(budget)
        if partial_out is None and budget is not None:
            _, partial_out = planner.partial(0.0)  # at least the do-nothing plan
        out = partial_out
        if out is not None and status == "unreachable" and budget is not None:
            status = "partial"
    if out is None:
        if planner.timed_out:
            status = "timeout"
        out = Outcome(Actions(), data, planner.before, [], None, False)
    claimed_keys = set(out.claimed)
    claimed = [g for g, key in zip(goals, m.goals, strict=True) if key in claimed_keys]
    blocked = [explain(m, key) for key in m.goals if key not in claimed_keys] if status == "unreachable" else []
    if status == "timeout":
        planner.warnings.append(f"求解时间（{settings.solver.time_limit:g} 秒）内未找到可行方案，请用 --time-limit 增加时间")
    if out.lower_bound is not None and status in ("partial", "unreachable"):
        out.lower_bound = None  # the bound of a partial plan is not a bound on passing
    return Plan(
        status=status, actions=out.actions, before=planner.before, after=out.after, goals=goals,
        claimed=claimed, still_failing=still_failing(p, out.after), unreachable=blocked,
        notes=p.notes + _outside(p, planner.before), warnings=planner.warnings + _check(claimed, out.after, p),
        budget=budget, lower_bound=out.lower_bound, solve_seconds=time.monotonic() - planner.start,
        rounds=planner.rounds, school_names={s.code: s.name for s in data.schools},
        hire_names={h.key: h.name for h in settings.hires},
        resource_dimension=standard.resource.dimension if standard.resource else "resource",
    )


def explain(m: PlanModel, key: tuple) -> str:
    """Why a goal cannot be reached whatever the budget (Chinese)."""
    p = m.problem
    label = m.goal_labels[key]
    if key[0] == "school":
        part = next(q for q in p.parts if q.school.code == key[1] and str(q.stage) == key[2])
        floor = p.pass_rule.floor_ratio if p.pass_rule and p.pass_rule.kind != "all_met" else 1.0
        reasons = []
        for k, ind in enumerate(p.indicators):
            if part.met[k]:
                continue
            expr = m.expr.get((part.index, k), {})
            best = part.u0[k] + sum(max(0.0, c) * m.cols[j].ub for j, c in expr.items())
            if not expr:
                reasons.append(f"{ind.id}{ind.name}无法提高（{ind.reason or _no_action(m, part, k)}）")
            elif best < part.required[k] * floor:
                reasons.append(f"{ind.id}{ind.name}最多只能达到标准的 {best / part.required[k]:.0%}")
        detail = "；".join(reasons) if reasons else "可用措施不足以满足“至少 6 项达标、其余不低于 85%”"
        return f"{label}：{detail}"
    if key[0] == "cv":
        return f"{label}：在现有措施和可新增上限内无法降到限值以内"
    if key[0] == "rooms":
        return f"{label}：新建和改造专用教室的费用均未设置（null），无法安排"
    return (f"{label}：在各校已达标指标和差异系数不受影响的前提下，可调配（公办学校、未填“可调配=否”、"
            f"本学年未交流过）的教师不足以达到交流轮岗比例")


def _no_action(m: PlanModel, part, k: int) -> str:
    """Why no action reaches indicator ``k`` of ``part`` (Chinese)."""
    p = m.problem
    form = p.indicators[k].forms[part.stage]
    why = []
    for fname in form.fields:
        key, label, unit, _ = FIELD_ACTIONS[fname]
        cap = m.field_cap(part.school, fname)
        if getattr(p.settings.costs, key) is None:
            why.append(f"{label}费用设为 null")
        elif cap is not None and cap < m.field_step(fname):
            why.append(f"{label}的可新增上限为 {cap:g} {unit}")
    if form.teachers:
        why.append("没有可新聘（费用为 null）或可调入的此类教师")
    return "；".join(why) or "没有可用措施"


def still_failing(p: Problem, after: Evaluation) -> list[str]:
    out = [f"{s.name}（{STAGE_ZH[s.stage]}）：{s.reason}" for s in after.schools if not s.passed]
    for stage, table in after.dispersion.items():
        for ind_id, d in table.items():
            if d.passed is False:
                out.append(f"{STAGE_ZH[stage]}「{_name(p, ind_id)}」差异系数 {display_round(d.cv, 3):.3f}，"
                           f"超过 {d.limit:.2f}")
    planned = {n.item_id for n in p.rooms} | ({p.rotation.item_id} if p.rotation else set())
    for item_id in sorted(planned):
        item = after.items.get(item_id)
        if item is not None and item.passed is False:
            out.append(f"{item_id} {item.name}：{item.message}")
    return out


def _name(p: Problem, ind_id: str) -> str:
    return next((i.name for i in p.indicators if i.id == ind_id), ind_id)


def _outside(p: Problem, before: Evaluation) -> list[str]:
    """Failing items no action of the plan can change (G4 school size, G14 ...)."""
    planned = {n.item_id for n in p.rooms} | ({p.rotation.item_id} if p.rotation else set())
    items = [i for i in before.items.values() if i.passed is False and i.item_id not in planned
             and p.standard.dimension(i.dimension).counts_for_verdict]
    if not items:
        return []
    return ["以下未达标项目不在本方案措施范围内，需另行整改：" + "；".join(f"{i.item_id} {i.name}" for i in items)]


def _check(claimed: list[Goal], after: Evaluation, p: Problem) -> list[str]:
    """Anything the plan claims that the engine does not confirm, and anything that
    passed before and fails after (a new teacher's training hours, say)."""
    out = []
    parts = {(s.school_code, str(s.stage)): s for s in after.schools}
    for g in claimed:
        if g.kind == "school" and not parts[(g.key[0], g.key[1])].passed:
            out.append(f"方案声称{g.label}达标，但复核未达标")
        elif g.kind == "cv":
            d = after.dispersion.get(Stage(g.key[0]), {}).get(g.key[1])
            if d is not None and d.passed is False:
                out.append(f"方案声称{g.label}达标，但复核未达标")
        elif g.kind == "rooms":
            item = after.items.get(next(n.item_id for n in p.rooms if n.school.code == g.key[0]))
            if item is not None and any(f.get("school_code") == g.key[0] and f.get(f"{g.key[1]}_ok", 0) < f["required"]
                                        for f in item.failures):
                out.append(f"方案声称{g.label}达标，但复核未达标")
        elif g.kind == "rotation" and after.items[g.key[0]].passed is not True:
            out.append(f"方案声称{g.label}达标，但复核未达标")
    for item_id, item in p.before.items.items():
        if item.passed is True and after.items[item_id].passed is False:
            out.append(f"{item_id} {item.name} 调整前达标，调整后未达标：{after.items[item_id].message}")
    return out
