"""A larger generated county (issue 14 §5): the solver improves on the top-up plan, and
its plan passes when the engine re-evaluates it from scratch."""

from __future__ import annotations

from junheng.core.engine import evaluate
from junheng.planner.apply import apply_actions
from junheng.planner.settings import default_settings
from junheng.planner.solve import make_plan
from junheng.samples import generate_county
from junheng.standards import load_standard


def test_a_county_of_500_schools_gets_a_solver_plan_cheaper_than_the_top_up():
    data = generate_county(schools=500, seed=1)
    standard = load_standard()
    settings = default_settings().with_time_limit(30)  # short: the default is 60 s
    plan = make_plan(data, standard, settings)

    assert plan.source == "solver" and plan.status in ("optimal", "feasible")
    assert plan.topup_cost is not None and plan.cost < plan.topup_cost
    assert len(plan.claimed) == len(plan.goals) and plan.still_failing == []
    # honest status: 已证明费用最低 only within solver.optimal_gap of the bound
    assert plan.lower_bound is not None and plan.lower_bound <= plan.cost + 1e-6
    assert (plan.status == "optimal") == (plan.gap <= settings.solver.optimal_gap)
    # re-evaluated by the engine from the county and the actions alone
    after = evaluate(apply_actions(data, plan.actions, settings), standard)
    assert after.dimensions["resource"].passed is True
    assert all(r.passed for r in after.schools)
    assert all(d.passed is not False for table in after.dispersion.values() for d in table.values())
    assert [(r.school_code, r.stage, r.passed) for r in after.schools] == \
        [(r.school_code, r.stage, r.passed) for r in plan.after.schools]
    assert plan.cost == sum(a.cost for a in (*plan.actions.fields, *plan.actions.hires,
                                             *plan.actions.transfers, *plan.actions.rooms))
