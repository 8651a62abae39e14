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


def test_when_the_solver_runs_out_of_time_the_top_up_plan_is_returned_within_every_quota():
    """A time limit too short for the solver (issue 14 §5: a plan is always returned):
    the top-up plan comes back as the best partial plan. It keeps every school within
    its 核定编制数, breaks nothing that passed, and the goals it claims are the ones the
    engine finds met when it re-evaluates the county with the plan applied."""
    from collections import Counter

    data = generate_county(schools=300, seed=1)
    standard = load_standard()
    settings = default_settings().with_time_limit(0.5)
    plan = make_plan(data, standard, settings)

    assert plan.source == "topup" and plan.actions.hires and plan.cost > 0
    assert any("逐校补足方案" in w for w in plan.warnings)
    after = evaluate(apply_actions(data, plan.actions, settings), standard)
    was = {(r.school_code, r.stage): r.passed for r in plan.before.schools}
    now = {(r.school_code, r.stage): r.passed for r in after.schools}
    assert not any(was[k] and not now[k] for k in was)
    claimed_schools = {g.key for g in plan.claimed if g.kind == "school"}
    assert claimed_schools and all(now[(code, stage)] for code, stage in claimed_schools)
    # 核定编制数: hires plus teachers received never exceed the vacant posts
    established = Counter(t.school_code for t in data.teachers
                          if str(t.extra.get("staffing") or "established") not in ("contract", "编外"))
    added = Counter()
    for h in plan.actions.hires:
        added[h.school_code] += h.count
    for t in plan.actions.transfers:
        if not t.rotation_only:
            added[t.to_code] += 1
    for s in data.schools:
        if s.extra.get("staff_quota") is not None and added[s.code]:
            assert established[s.code] + added[s.code] <= max(int(s.extra["staff_quota"]), established[s.code])
