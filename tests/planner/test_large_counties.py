"""What makes large counties solvable in time (issue 14 §5), checked on small ones where
the whole model can be solved exactly:

- goals proven unreachable on their own (``reach.unreachable``) are never goals some
  plan reaches, and fixing them at 0 gives the same plan as "as many goals as possible,
  then the cheapest" (``Planner.partial``);
- the sender pool (``solver.sender_min``) only ever moves teachers out of its candidates,
  is listed as a rule of the bound when it leaves schools out, and the plan still passes
  the engine's re-evaluation.
"""

from __future__ import annotations

import random

import pytest

from junheng.core.engine import evaluate
from junheng.planner.apply import apply_actions
from junheng.planner.reach import unreachable
from junheng.planner.solve import Planner, make_plan
from junheng.samples import generate_county
from junheng.standards import load_standard

from .counties import tiny_county, tiny_settings

NATIONAL = load_standard()


def quota_county(seed: int):
    """A tiny county where some schools have no or few vacant posts (核定编制数) and some
    cannot build: goals that no plan can reach, alone or through the quota."""
    rng = random.Random(seed)
    data = tiny_county(rng, rng.randint(3, 5))
    staff: dict[str, int] = {}
    for t in data.teachers:
        staff[t.school_code] = staff.get(t.school_code, 0) + 1
    for s in data.schools:
        vacant = rng.choice([None, None, 0, 1, 2])
        if vacant is not None:
            s.extra["staff_quota"] = staff[s.code] + vacant
        if rng.random() < 0.3:
            s.extra["max_extra_teaching_area"] = 0
    return data


# Seeds whose county has goals; 2, 5, 6, 8, … have goals proven unreachable, 29, 41, 42,
# 45 and 48 two each, 1 and 9 none; in 13, 19, 41, 42, 46, 48 and 124 some goals are
# reachable alone but not together (the whole model is infeasible even without the proven
# ones: the first plan's goals are then fixed, Planner.partial(exact=False)).
SEEDS = [1, 2, 5, 6, 8, 9, 10, 13, 19, 26, 28, 29, 41, 42, 45, 46, 48, 124]


@pytest.mark.parametrize("seed", SEEDS)
def test_goals_proven_unreachable_are_the_ones_no_plan_reaches_and_the_plan_is_unchanged(seed):
    data = quota_county(seed)
    settings = tiny_settings(gap=0.0)
    planner = Planner(data, NATIONAL, settings)
    m = planner.model(None)
    assert m.goals
    blocked = unreachable(m)
    _, most = Planner(data, NATIONAL, settings).partial(None)  # as many goals as possible, then cheapest
    assert most is not None
    reached = set(most.claimed)
    assert not blocked & reached  # sound: a goal some plan reaches is never called unreachable

    plan = make_plan(data, NATIONAL, settings)
    assert len(plan.claimed) == len(reached)  # as many goals as the two-phase search
    assert plan.cost == pytest.approx(most.actions.cost, rel=1e-9, abs=1e-6)
    if blocked:
        assert plan.status == "unreachable" and len(plan.unreachable) >= len(blocked)
    after = evaluate(apply_actions(data, plan.actions, settings), NATIONAL)
    passed = {(r.school_code, str(r.stage)) for r in after.schools if r.passed}
    assert {(g.key[0], g.key[1]) for g in plan.claimed if g.kind == "school"} <= passed


def test_the_sender_pool_moves_teachers_only_out_of_its_candidates_and_says_so():
    data = generate_county(schools=300, seed=2)
    base = tiny_settings()
    narrow = base.model_copy(update={"solver": base.solver.model_copy(update={"sender_min": 3, "sender_pool": 1.0,
                                                                               "large_county": 0, "time_limit": 60})})
    planner = Planner(data, NATIONAL, narrow)
    m = planner.model(None)
    pools = m.senders()
    assert m.pruned_senders > 0 and pools
    plan = make_plan(data, NATIONAL, narrow)
    assert plan.source == "solver" and plan.actions.transfers
    assert any("只从富余该类教师最多的学校中调出" in rule for rule in plan.rules)
    kind_of = {t.teacher_id: (planner.problem.parts[idx].stage, sig, idx)
               for (idx, sig), teachers in planner.problem.movable.items() for t in teachers}
    pooled = 0
    for tr in plan.actions.transfers:
        if tr.rotation_only:
            continue  # exchanges draw on every eligible teacher: the pool is for one-way moves
        stage, sig, idx = kind_of[tr.teacher_id]
        if (stage, sig) in pools:
            pooled += 1
            assert idx in pools[(stage, sig)], f"{tr.teacher_id} left {tr.from_code}, not a candidate sender"
    assert pooled > 0  # the check above ran on real moves
    after = evaluate(apply_actions(data, plan.actions, narrow), NATIONAL)
    assert [(r.school_code, r.stage, r.passed) for r in after.schools] == \
        [(r.school_code, r.stage, r.passed) for r in plan.after.schools]

    everyone = base.model_copy(update={"solver": base.solver.model_copy(update={"sender_min": None,
                                                                                 "time_limit": 60})})
    assert Planner(data, NATIONAL, everyone).model(None).pruned_senders == 0
    # a county of up to solver.large_county parts always considers every sender (under a
    # tight CV limit the pool left out the senders a 150-school county needed)
    assert Planner(data, NATIONAL, base).model(None).pruned_senders == 0
    full = make_plan(data, NATIONAL, everyone)
    assert not any("只从富余该类教师最多的学校中调出" in rule for rule in full.rules)
    assert len(full.claimed) >= len(plan.claimed)


@pytest.mark.parametrize(("limit", "seed"), [(0.12, 36), (0.12, 20), (0.15, 39), (0.2, 4), (0.2, 18)])
def test_a_cv_left_out_of_the_model_is_added_when_a_plan_breaks_it(limit, seed):
    """Large counties model only the CVs near their limit (solver.cv_lazy); here every
    passing CV is left out (cv_lazy 0, large_county 0) under a tight primary limit: the
    first plan breaks one, the model is built again with it, and the plan is the one
    the whole model gives."""
    from .test_bruteforce import strict

    standard = strict(limit)
    data = tiny_county(random.Random(seed), 5)
    whole = tiny_settings(gap=0.0)
    lazy = whole.model_copy(update={"solver": whole.solver.model_copy(update={"large_county": 0, "cv_lazy": 0.0})})
    planner = Planner(data, standard, lazy)
    left_out = set(planner.cv_modelled)
    m = planner.model(None)
    planner.blocked = unreachable(m)
    planner.full(first=m)
    assert planner.cv_modelled > left_out  # a CV was broken, then modelled

    plan, reference = make_plan(data, standard, lazy), make_plan(data, standard, whole)
    assert (plan.status, plan.cost) == (reference.status, reference.cost)
    before = evaluate(data, standard)
    after = evaluate(apply_actions(data, plan.actions, lazy), standard)
    for stage, table in after.dispersion.items():
        for ind, d in table.items():
            assert d.passed is not False or before.dispersion[stage][ind].passed is False, (stage, ind, d.cv)


def test_exchanges_are_placed_within_the_spread_caps_left_by_transfers():
    """Tight spread caps (5 %, at least 1): the rotation exchanges must fit in what the
    transfers leave under each school's cap (the model counted a school's eligible
    teachers as free for exchanges although its transfers had used its cap: a school of
    cap 4 received 4 transfers and 2 exchanges)."""
    from collections import Counter

    from junheng.planner.problem import transfer_caps
    from junheng.planner.settings import default_settings

    base = default_settings()
    settings = base.model_copy(update={"limits": base.limits.model_copy(update={"transfer_share": 0.05,
                                                                               "transfer_floor": 1})})
    data = generate_county(schools=200, seed=3)
    plan = make_plan(data, NATIONAL, settings.with_time_limit(60))
    assert any(t.rotation_only for t in plan.actions.transfers) and any(not t.rotation_only
                                                                         for t in plan.actions.transfers)
    caps = transfer_caps(data, settings)
    sent = Counter(t.from_code for t in plan.actions.transfers)
    received = Counter(t.to_code for t in plan.actions.transfers)
    assert all(n <= caps[c] for c, n in sent.items()), [(c, n, caps[c]) for c, n in sent.items() if n > caps[c]]
    assert all(n <= caps[c] for c, n in received.items()), \
        [(c, n, caps[c]) for c, n in received.items() if n > caps[c]]
