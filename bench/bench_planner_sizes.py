"""Benchmark of the planner at county sizes up to 5,000 schools (issue 14, §5).

For generated counties (`junheng.samples.generate_county`) of the given sizes it runs
the full plan (resources, music/art rooms, rotation) with the default settings (60 s
limit unless --time-limit) and prints: the top-up plan's cost (every failing school
raised to its thresholds — the plan of last resort, computed first), the plan's cost,
the proven lower bound, the gap, which plan was returned, the time and the time over
the limit. Target: a plan is always returned, the limit holds within 10 %, 2,000
schools in well under two minutes.

    PYTHONPATH=. .venv/bin/python bench/bench_planner_sizes.py [--schools 300 1000 2000 5000] [--seeds 1] [--check]

"CPU" is the CPU seconds of the plan alone (less sensitive than the wall time to what else
the machine runs). ``--check`` runs the test suite's rule checker
(tests/planner/test_machine_output.assert_rules: JSON schema, whole quantities, eligible
teachers moved once within their stage, spread caps, no school left without a subject's
teacher, the subject rule, costs adding up) on each plan and re-evaluates it with the engine.
"""

from __future__ import annotations

import argparse
import resource
import time

from junheng.planner.settings import default_settings
from junheng.planner.solve import make_plan
from junheng.samples import generate_county
from junheng.standards import load_standard


def wan(yuan: float | None) -> str:
    return "—" if yuan is None else f"{yuan / 1e4:,.1f}"


def cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def checked(data, plan, standard) -> str:
    """The test suite's rule checker on the plan, and the engine's re-evaluation."""
    from tests.planner.test_machine_output import assert_rules, document

    from junheng.core.engine import evaluate
    from junheng.planner.apply import apply_actions

    assert_rules(data, plan, document(plan))
    after = evaluate(apply_actions(data, plan.actions, default_settings()), standard)
    same = [(r.school_code, r.stage, r.passed) for r in after.schools] == \
        [(r.school_code, r.stage, r.passed) for r in plan.after.schools]
    assert same, "re-evaluation differs"
    for stage, table in after.dispersion.items():  # no CV the plan leaves above its limit that passed before
        for ind, d in table.items():
            b = plan.before.dispersion.get(stage, {}).get(ind)
            assert d.passed is not False or (b is not None and b.passed is False), (stage, ind, d.cv)
    assert plan.topup_cost is None or plan.cost <= plan.topup_cost + 1e-6
    return "  规则检查通过，复核一致，不高于逐校补足"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--schools", type=int, nargs="+", default=[300, 1000, 2000, 5000])
    ap.add_argument("--seeds", type=int, nargs="+", default=[1])
    ap.add_argument("--time-limit", type=float, default=None)
    ap.add_argument("--check", action="store_true", help="check every plan against the rules (slower)")
    args = ap.parse_args()
    standard = load_standard()
    settings = default_settings()
    if args.time_limit is not None:
        settings = settings.with_time_limit(args.time_limit)
    limit = settings.solver.time_limit
    print(f"完整方案（资源配置、专用教室、交流轮岗），国家标准，时间上限 {limit:g} 秒（金额：万元；时间：秒）")
    print(f"{'学校':>6}{'种子':>5}{'未达标':>7}{'补足费用':>11}{'方案费用':>11}{'下界':>11}{'间隙':>8}"
          f"{'方案来源':>8}{'用时':>8}{'CPU':>7}{'超时':>7}  状态")
    for n in args.schools:
        for seed in args.seeds:
            data = generate_county(schools=n, seed=seed)
            t0, c0 = time.perf_counter(), cpu()
            plan = make_plan(data, standard, settings)
            seconds, cpu_s = time.perf_counter() - t0, cpu() - c0
            failing = sum(1 for r in plan.before.schools if not r.passed)
            gap = "—" if plan.gap is None else f"{plan.gap:.3%}"
            over = max(0.0, seconds / limit - 1)
            source = "求解器" if plan.source == "solver" else "逐校补足"
            print(f"{n:>6}{seed:>5}{failing:>7}{wan(plan.topup_cost):>11}{wan(plan.cost):>11}"
                  f"{wan(plan.lower_bound):>11}{gap:>8}{source:>8}{seconds:>8.1f}{cpu_s:>7.1f}{over:>7.1%}  "
                  f"{plan.status}{'' if plan.resource_passes else '（未达标）'}"
                  f"（{len(plan.claimed)}/{len(plan.goals)} 个目标）{checked(data, plan, standard) if args.check else ''}",
                  flush=True)


if __name__ == "__main__":
    main()
