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
from junheng.core.facts import CountyData, Stage
from junheng.core.result import Evaluation
from junheng.core.standard import Standard
from junheng.planner.apply import apply_actions
from junheng.planner.baseline import top_up_actions
from junheng.planner.extract import extract_actions
from junheng.planner.model import PlanModel
from junheng.planner.plan import Actions, Goal, Plan
from junheng.planner.problem import build_problem
from junheng.planner.reach import unreachable
from junheng.planner.review import check, confirmed, explain, outside, still_failing
from junheng.planner.settings import PlanSettings
from junheng.planner.subjects import post_fills

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
    values: list[float] | None = None  # the model's solution (a start for the next solve of that model)


class Planner:
    def __init__(self, data: CountyData, standard: Standard, settings: PlanSettings):
        self.data, self.standard, self.settings = data, standard, settings
        self.start = time.monotonic()
        self.deadline = self.start + settings.solver.time_limit
        self.rounds = 0
        self.stop = self.deadline  # when the running solve is interrupted (see highs)
        self.timed_out = False
        self.last_bound: float | None = None  # the solver's bound when time ran out before a plan
        self.warnings: list[str] = []
        self.topup_checked: tuple[Outcome, bool] | None = None  # see _reevaluated
        self.blocked: set[tuple] = set()  # goals proven unreachable on their own (reach.unreachable)
        self.before = evaluate(data, standard)
        # Checking a solution costs about one evaluation; keep that (and the final
        # bookkeeping) out of the solver's time so that the limit holds.
        self.check_seconds = time.monotonic() - self.start
        self.problem = build_problem(data, standard, self.before, settings)
        self.active = self._initial_active()
        self.cv_modelled = self._modelled_cvs()  # grows when a plan breaks a CV left out
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

    def _modelled_cvs(self) -> set[tuple[Stage, int]] | None:
        """The CVs the model carries: all of them in a county of up to ``solver.large_county``
        parts; in a larger one those within ``solver.cv_lazy`` of their limit (or failing,
        or not defined yet) — the planes of a CV cost a column and several rows per part
        it touches (at 5,000 schools three quarters of the model), and a CV far below its
        limit is not moved there by a plan. When the engine finds a plan above a limit it
        left out, that CV is added and the model built again (:class:`_Rebuild`)."""
        p, solver = self.problem, self.settings.solver
        if solver.cv_lazy is None or len(p.parts) <= solver.large_county:
            return None
        keep = set()
        for stage, limit in p.cv_limits.items():
            for k, ind in enumerate(p.indicators):
                cv = p.before.dispersion.get(stage, {}).get(ind.id)
                if cv is None or cv.cv is None or cv.cv > limit - solver.cv_lazy:
                    keep.add((stage, k))
        return keep

    def remaining(self) -> float:
        """Seconds the solver may still use: the deadline less what checking the last
        solution, or re-evaluating the top-up plan, takes."""
        # (An evaluation after the plan's changes was measured at up to 3× the first one.)
        reserve = 3 * self.check_seconds + 0.02 * self.settings.solver.time_limit
        return self.deadline - time.monotonic() - reserve

    def out_of_time(self) -> bool:
        if self.remaining() < 0.05:
            self.timed_out = True
            return True
        return False

    def highs(self, m: PlanModel) -> highspy.Highs:
        """The model in HiGHS, with an interrupt callback that stops the simplex, the
        interior point and the MIP at the planner's own deadline: HiGHS checks its time
        limit only between stages (a root LP after cuts ran 14 s past it at 5,000 schools)."""
        h = m.highs()

        def guard(e) -> None:
            if time.monotonic() > self.stop:
                e.interrupt()

        h.cbSimplexInterrupt += guard
        h.cbIpmInterrupt += guard
        h.cbMipInterrupt += guard
        return h

    def solve(self, h: highspy.Highs) -> None:
        """h.run() within the time left (HiGHS's limit, and the interrupt at the same moment)."""
        left = self.remaining()
        self.stop = time.monotonic() + left
        h.setOptionValue("time_limit", max(left, 0.01))
        h.run()
        if h.getModelStatus() == highspy.HighsModelStatus.kInterrupt:
            self.timed_out = True

    def model(self, budget: float | None) -> PlanModel:
        modelled = None if self.cv_modelled is None else self.cv_modelled | self.active
        m = PlanModel(self.problem, self.active, budget, modelled)
        for stage, k, u in self.points:
            if (stage, k) in m.cv:
                m.cv[(stage, k)].add_point(u)
        return m

    # --- one mode ------------------------------------------------------------------

    def run(self, m: PlanModel, h: highspy.Highs, start: list[float] | None = None) -> Outcome | None:
        """Solve and cut until the engine confirms every claimed CV; None if infeasible.
        ``start``: a complete solution of the model known to be feasible (the first
        phase's plan in :meth:`partial`): HiGHS starts from it as its incumbent, so that
        when time runs out its best plan is at worst that one."""
        for _ in range(self.settings.solver.max_rounds):
            if self.out_of_time():
                return None
            # The relaxation loop places planes where the LP breaks a watched CV: with no
            # CV near its limit it finds none, and the MILP's presolve discards its basis,
            # so it is skipped (at 5,000 schools that LP alone takes a quarter of the time).
            if (self.active or start is not None) and self._relaxation(m, h, start):
                return None  # the LP relaxation is infeasible, so the MILP is too
            if self.out_of_time():
                return None
            self.solve(h)
            self.rounds += 1
            status = h.getModelStatus()
            if status in _NO_SOLUTION:
                return None
            values = list(h.getSolution().col_value)
            if h.getInfo().primal_solution_status != 2:  # no feasible point within the time limit
                self.timed_out = True
                if bound_ok(h.getInfo()):
                    self.last_bound = h.getInfo().mip_dual_bound
                return None
            claimed = [key for key, j in m.goals.items() if values[j] > 0.5]
            actions = extract_actions(m, values)
            applied = apply_actions(self.data, actions, self.settings)
            after = evaluate(applied, self.standard)
            left_out = self._broken_left_out(m, after)
            if left_out:
                self.cv_modelled |= left_out
                raise _Rebuild
            bad = self._violated_cvs(m, after, claimed)
            if bad and self.out_of_time():
                return None  # a plan whose claims the engine does not confirm is no plan
            if not bad:
                info = h.getInfo()
                bound = info.mip_dual_bound if status == highspy.HighsModelStatus.kOptimal or bound_ok(info) else None
                return Outcome(actions, applied, after, claimed, bound,
                               status == highspy.HighsModelStatus.kOptimal, values)
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

    def _relaxation(self, m: PlanModel, h: highspy.Highs, start: list[float] | None = None) -> bool:
        """Kelley's loop on the LP relaxation: planes where the relaxed solution breaks
        a CV, until none does. Cheap, and it leaves HiGHS a warm basis: the MILP root
        then solves in a fraction of the time it takes from scratch. True when the
        relaxation is infeasible: then the MILP is too, and need not be run."""
        n = len(m.cols)
        index = np.arange(n, dtype=np.int32)
        h.changeColsIntegrality(n, index, np.full(n, highspy.HighsVarType.kContinuous))
        values: list[float] | None = None
        # The loop only warms the MILP up: it may take at most 40 % of the time left.
        stop = time.monotonic() + 0.4 * max(self.remaining(), 0.0)
        try:
            for _ in range(_LP_ROUNDS):
                if self.out_of_time():
                    values = None
                    return False
                if values is not None and time.monotonic() > stop:
                    return False  # the planes so far; the MILP starts from this relaxation
                self.solve(h)
                if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
                    values = None
                    return h.getModelStatus() == highspy.HighsModelStatus.kInfeasible
                values = list(h.getSolution().col_value)
                added = 0
                for block in m.cv.values():
                    u = block.violated(values)
                    if u is not None:
                        for row in block.add_point(u):
                            m.push_row(h, row)
                            added += 1
                if not added:
                    return False
            return False
        finally:
            kinds = [highspy.HighsVarType.kInteger if c.integer else highspy.HighsVarType.kContinuous
                     for c in m.cols]
            h.changeColsIntegrality(n, index, np.array(kinds))
            if start is not None:
                exact = [float(round(v)) if c.integer else v for v, c in zip(start, m.cols, strict=False)]
                h.setSolution(n, index, np.array(exact, dtype=float))
            elif values is not None:
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
        picked = [(j, max(v, float(m.least_steps(m.cols[j].key[1]))) if v > 0 and m.cols[j].kind == "field" else v)
                  for j, v in picked]
        if picked:
            idx, val = zip(*picked, strict=True)
            h.setSolution(len(idx), np.array(idx, dtype=np.int32), np.array(val, dtype=float))

    def _broken_left_out(self, m: PlanModel, after: Evaluation) -> set[tuple[Stage, int]]:
        """CVs the model left out (see _modelled_cvs) that the plan pushed above their limit."""
        if self.cv_modelled is None:
            return set()
        p = self.problem
        out = set()
        for stage in p.cv_limits:
            for k, ind in enumerate(p.indicators):
                d = after.dispersion.get(stage, {}).get(ind.id)
                if (stage, k) not in m.cv and (stage, k) not in self.cv_modelled and d is not None \
                        and d.passed is False:
                    out.add((stage, k))
        return out

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

    def full(self, budget: float | None = None, first: PlanModel | None = None) -> tuple[PlanModel, Outcome | None]:
        """The cheapest plan that reaches every goal (within ``budget`` when given). A CV
        that needed cuts although it was not watched may need receivers of its own:
        widen the model and solve again — unless time is up, then the last plan stands.
        ``first``: a model already built for this budget and the current CVs (unused so far)."""
        best: tuple[PlanModel, Outcome | None] | None = None
        while True:
            m, first = (first, None) if first is not None else (self.model(budget), None)
            h = self.highs(m)
            for key, j in m.goals.items():
                fixed = 0.0 if key in self.blocked else 1.0
                h.changeColBounds(j, fixed, fixed)
            try:
                out = self.run(m, h)
            except _Rebuild:
                continue  # a CV left out was broken: now modelled
            if out is None and best is not None and self.timed_out:
                return best
            widened = self._widen(m, out)
            if not widened or self.timed_out or self.out_of_time():
                return m, out
            best = (m, out) if out is not None else best
            self.active |= widened

    def partial(self, budget: float | None, exact: bool = True) -> tuple[PlanModel | None, Outcome | None]:
        """As many goals as possible within the budget, then the cheapest such plan:
        ``exact``, the cheapest plan reaching that many goals (which ones may change —
        with a budget that is the point); otherwise the cheapest plan reaching the goals
        the first plan reached (the others fixed at 0: the model of a full plan, which
        HiGHS solves far faster than one with a goal-count row — at 5,000 schools its
        root cut separation ran half a minute past every time limit)."""
        while True:
            if self.out_of_time():
                return None, None
            m = self.model(budget)
            h = self.highs(m)
            costs = [c.cost for c in m.cols]
            for key in self.blocked & m.goals.keys():
                h.changeColBounds(m.goals[key], 0.0, 0.0)
            goal_cols = [j for key, j in m.goals.items() if key not in self.blocked]
            h.changeColsCost(len(costs), list(range(len(costs))), [0.0] * len(costs))
            h.changeColsCost(len(goal_cols), goal_cols, [-1.0] * len(goal_cols))
            # Goals are counted: a relative gap would stop 2 schools short of 565 at 0.5 %;
            # only a gap below one goal proves the most.
            h.setOptionValue("mip_rel_gap", 0.0)
            h.setOptionValue("mip_abs_gap", 0.999)
            try:
                first = self.run(m, h)
            except _Rebuild:
                continue
            if first is None:
                return m, None
            first.lower_bound = None  # a bound on the number of goals, not on cost
            h.setOptionValue("mip_rel_gap", self.settings.solver.mip_gap)
            h.setOptionValue("mip_abs_gap", 1e-6)
            reached = set(first.claimed) & m.goals.keys()
            h.changeColsCost(len(costs), list(range(len(costs))), costs)
            if exact and goal_cols:
                h.addRow(float(len(reached)), highspy.kHighsInf, len(goal_cols), goal_cols, [1.0] * len(goal_cols))
            elif goal_cols:
                for key, j in m.goals.items():
                    fixed = 1.0 if key in reached else 0.0
                    h.changeColBounds(j, fixed, fixed)
            try:
                second = self.run(m, h, first.values)
            except _Rebuild:
                continue
            widened = self._widen(m, second or first)
            if not widened or self.timed_out or self.out_of_time():
                return m, second or first
            self.active |= widened


class _Rebuild(Exception):
    """A plan broke a CV the model had left out: build the model again with it."""


def _cut_keys(points: list[tuple[Stage, int, list[float]]]) -> list[tuple[Stage, int]]:
    return [(stage, k) for stage, k, _ in points]


def bound_ok(info) -> bool:
    return info.mip_dual_bound > -highspy.kHighsInf and info.mip_dual_bound < highspy.kHighsInf


# --- the plan ------------------------------------------------------------------------


def make_plan(data: CountyData, standard: Standard, settings: PlanSettings) -> Plan:
    """Always a plan: the solver's within the time limit, or else the top-up plan
    (every failing school raised to its thresholds) when that passes and is cheaper or
    the solver found nothing in time. With a budget: whether passing everything fits,
    the proven minimum when it does not, and the best plan within the budget."""
    planner = Planner(data, standard, settings)
    p = planner.problem
    budget = settings.limits.budget
    m = planner.model(None)
    goals = [Goal(key[0], tuple(str(k) for k in key[1:]), m.goal_labels[key]) for key in m.goals]
    topup = top_up_actions(p) if goals else None  # seconds; re-evaluated only when it is used
    # (within the solver's time: with no time left the big solve finds out instead)
    planner.blocked = unreachable(m, time.monotonic() + max(planner.remaining(), 0.0)) if goals else set()
    extra: dict = {}
    if not goals:  # everything the plan could address passes already
        out: Outcome | None = Outcome(Actions(years=settings.costs.years), data, planner.before, [], 0.0, True)
        status, source = "nothing_to_do", "solver"
    else:
        m, out = planner.full(first=m)  # the model just built: thousands of schools take seconds
        out, source = _better(out, topup, planner, goals)
        status = "unreachable" if out is None or planner.blocked else _cost_status(out, settings)
        if out is None and planner.timed_out:
            status = "timeout"
    if budget is not None and goals:
        extra["budget_fits"] = out is not None and out.actions.cost <= budget + 1e-6
        if not extra["budget_fits"] and status != "unreachable":
            bound = out.lower_bound if out is not None else planner.last_bound
            full_cost = out.actions.cost if out is not None else None
            within = None
            if (bound is None or bound <= budget) and not planner.out_of_time():
                _, within = planner.full(budget)  # inside the bound–plan interval: look again
            if within is not None and within.actions.cost <= budget + 1e-6:
                within.lower_bound = bound if bound is not None else within.lower_bound
                out, source, status = within, "solver", _cost_status(within, settings)
                extra["budget_fits"] = True
            else:
                if bound is not None and bound > budget:
                    extra["needed"] = bound
                elif within is None and not planner.timed_out:
                    extra["needed_above_budget"] = True  # proven: no plan passing everything fits
                extra["full_cost"] = full_cost
                status = "partial"
        if not extra["budget_fits"]:
            _, out = planner.partial(budget) if not planner.out_of_time() else (m, None)
            source = "solver"
            status = "partial"
    elif status == "unreachable" and out is None:  # reachable goals that cannot all be reached together
        _, out = planner.partial(None, exact=False) if not planner.out_of_time() else (m, None)
    if out is None and status in ("partial", "unreachable", "timeout") and topup is not None:
        out = _topup_partial(planner, goals, topup, budget)  # the solver ran out of time
        source = "topup" if out is not None else source
    if out is None:
        out = Outcome(Actions(years=settings.costs.years), data, planner.before, [], None, False)
    claimed_keys = set(out.claimed)
    claimed = [g for g, key in zip(goals, m.goals, strict=True) if key in claimed_keys]
    blocked = [explain(m, key) for key in m.goals if key not in claimed_keys] if status == "unreachable" else []
    if status == "timeout":
        planner.warnings.append(f"求解时间（{settings.solver.time_limit:g} 秒）内未找到可行方案，逐校补足也不能使全部达标；"
                                f"请用 --time-limit 增加时间")
    if status == "partial" or (status == "unreachable" and source != "solver"):
        out.lower_bound = None  # the bound of a partial plan is not a bound on passing
    # (An unreachable goal's plan from the solver keeps its bound: the least cost of any
    # plan that reaches as many goals — what its status text states.)
    return Plan(
        status=status, actions=out.actions, before=planner.before, after=out.after, goals=goals,
        claimed=claimed, still_failing=still_failing(p, out.after), unreachable=blocked,
        notes=p.notes + outside(p, planner.before), warnings=planner.warnings + check(claimed, out.after, p),
        budget=budget, lower_bound=out.lower_bound, solve_seconds=time.monotonic() - planner.start,
        rounds=planner.rounds, school_names={s.code: s.name for s in data.schools},
        hire_names={h.key: h.name for h in settings.hires},
        resource_dimension=standard.resource.dimension if standard.resource else "resource",
        source=source, topup_cost=topup.cost if topup is not None else None,
        optimal_gap=settings.solver.optimal_gap, time_limit=settings.solver.time_limit,
        rules=bound_rules(settings, m.pruned_senders), settings=settings.model_dump(mode="json"),
        post_fills=post_fills(data, out.actions, settings.costs.post_fill), **extra,
    )


def _reevaluated(planner: Planner, goals: list[Goal], actions: Actions) -> tuple[Outcome, bool]:
    """The top-up plan applied and re-evaluated by the engine, once per plan: the outcome
    with the goals it reaches, and whether it breaks anything that passed before."""
    if planner.topup_checked is None:
        applied = apply_actions(planner.data, actions, planner.settings)
        after = evaluate(applied, planner.standard)
        reached = [(g.kind, *g.key) for g in confirmed(planner.problem, goals, after)]
        planner.topup_checked = (Outcome(actions, applied, after, reached, None, False),
                                 _new_failures(planner.before, after))
    return planner.topup_checked


def _topup(planner: Planner, goals: list[Goal], actions: Actions) -> Outcome | None:
    """The top-up plan, re-evaluated; None unless it reaches every goal and breaks nothing."""
    out, broke = _reevaluated(planner, goals, actions)
    return None if broke or len(out.claimed) < len(goals) else out


def _topup_partial(planner: Planner, goals: list[Goal], actions: Actions,
                   budget: float | None) -> Outcome | None:
    """When the solver found no partial plan in time: the top-up plan as the best partial
    plan, if it fits the budget, reaches at least one goal and breaks nothing that passed."""
    if budget is not None and actions.cost > budget + 1e-6:
        return None
    out, broke = _reevaluated(planner, goals, actions)
    if broke or not out.claimed:
        return None
    planner.warnings.append(f"求解时间（{planner.settings.solver.time_limit:g} 秒）内未找到更好的部分方案，"
                            "以下为逐校补足方案；可用 --time-limit 增加时间")
    return out


def _new_failures(before: Evaluation, after: Evaluation) -> bool:
    """Whether anything that passed before fails after (a CV the top-up pushed up, say)."""
    was = {(r.school_code, r.stage): r.passed for r in before.schools}
    if any(was.get((r.school_code, r.stage)) and not r.passed for r in after.schools):
        return True
    for stage, table in after.dispersion.items():
        for ind_id, d in table.items():
            b = before.dispersion.get(stage, {}).get(ind_id)
            if d.passed is False and (b is None or b.passed is not False):
                return True
    return any(item.passed is True and after.items[i].passed is False for i, item in before.items.items())


def _better(out: Outcome | None, topup: Actions | None, planner: Planner,
            goals: list[Goal]) -> tuple[Outcome | None, str]:
    """The solver's plan unless the top-up plan passes too and costs less (or the
    solver found nothing in time); the solver's bound stays the bound either way."""
    if topup is None or (out is not None and out.actions.cost <= topup.cost + 1e-6):
        return out, "solver"
    if out is None and not planner.timed_out:
        return out, "solver"  # proven unreachable (the top-up cannot pass then either)
    checked = _topup(planner, goals, topup)
    if checked is None:
        return out, "solver"
    checked.lower_bound = out.lower_bound if out is not None else planner.last_bound
    return checked, "topup"


def _cost_status(out: Outcome, settings: PlanSettings) -> str:
    cost, bound = out.actions.cost, out.lower_bound
    if bound is not None and (cost <= 0 or (cost - bound) / cost <= settings.solver.optimal_gap):
        return "optimal"
    return "feasible"


def bound_rules(settings: PlanSettings, pruned_senders: int = 0) -> list[str]:
    """The rules the lower bound is proven under (Chinese): the bound is the least cost
    of a plan that follows them, not of every conceivable action. ``pruned_senders``:
    how many (school, kind of teacher) candidates the sender pool left out."""
    lim, steps = settings.limits, settings.steps
    rules = [
        "调出教师的学校：原已达标的指标仍须达标，未达标的指标不降低（规则，不可关闭）",
        "调出教师的学校：每个学段每门任教学科至少留一名教师（教学点也不例外）",
        *(["调入的教师须为调入学校紧缺学科的教师（按义务教育课程方案课时测算的学科缺口，同一方案中先调入的计入；"
           "缺少班级数据无法测算的学校，以没有该学科教师为紧缺）；对口交流的两名教师学科相同"]
          if lim.match_subjects == "required" else []),
        "教师只在同一学段内调动，每名教师只调动一次",
        "县管校聘调配只在公办学校之间进行" if lim.transfer_public_only else "公办、民办学校之间均可调配教师",
        "只在未达标学校，以及低于均值、提高后能降低差异系数的学校安排措施",
        f"新增面积按 {steps.area_m2:g} ㎡ 的整数倍，每项建设至少 {steps.min_area_m2:g} ㎡；"
        f"设备按 {steps.equipment_yuan:g} 元的整数倍；专用教室、多媒体教室、教师按整间、整人",
        f"新聘教师的工资等经常性费用按 {settings.costs.years} 年计入总费用",
    ]
    for label, value, unit in (("每校新聘教师上限", lim.max_hires_per_school, "名"),
                               ("每校调入教师上限", lim.max_transfers_in_per_school, "名"),
                               ("每校调出教师上限", lim.max_transfers_out_per_school, "名"),
                               ("每校可新增教学及辅助用房默认上限", lim.max_extra_teaching_area, "㎡"),
                               ("每校可新增体育运动场馆默认上限", lim.max_extra_sports_area, "㎡")):
        if value is not None:
            rules.append(f"{label} {value:g} {unit}")
    if pruned_senders and settings.solver.sender_min is not None:
        rules.append(f"某类教师可调出的学校超过 {settings.solver.sender_min} 所时，只从富余该类教师最多的学校中调出"
                     f"（候选学校的可调教师至少为调入需求的 {settings.solver.sender_pool:g} 倍，另加每所调入学校"
                     f"所在乡镇富余最多的学校；本方案因此少考虑 {pruned_senders:,} 个“学校—教师类别”组合；"
                     f"设置 solver.sender_min 为 null 则考虑全部）")
    if settings.solver.cv_margin:
        rules.append(f"差异系数须比限值低 {settings.solver.cv_margin:g}")
    off = [name for name, cost in (("教师调配", settings.costs.transfer), ("新增教学及辅助用房", settings.costs.teaching_area),
                                   ("新增体育运动场馆", settings.costs.sports_area), ("新增仪器设备", settings.costs.equipment),
                                   ("配齐多媒体教室", settings.costs.multimedia_room)) if cost is None]
    off += [h.name for h in settings.hires if h.cost is None]
    if off:
        rules.append("不采用的措施（费用为 null）：" + "、".join(off))
    return rules
