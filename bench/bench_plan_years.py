"""Time to schedule a plan over three years (`junheng plan --yearly-budget`) on generated
counties: the single-year plan, then the schedule (MILP) and the three re-evaluations.

    PYTHONPATH=src python bench/bench_plan_years.py [300 1000]
"""

from __future__ import annotations

import sys
import time

from junheng.planner.settings import default_settings
from junheng.planner.solve import make_plan
from junheng.planner.years import bundles, schedule_plan
from junheng.samples import generate_county
from junheng.standards import load_standard


def main(sizes: list[int]) -> None:
    std = load_standard()
    conf = default_settings()
    print("学校数 | 措施组 | 方案费用（万元） | 各年预算（万元） | 能否完成 | 缺口（万元） | 方案用时 | 分年安排用时（秒）")
    for n in sizes:
        data = generate_county(schools=n, seed=7)
        start = time.monotonic()
        plan = make_plan(data, std, conf)
        planned = time.monotonic() - start
        share = plan.actions.one_off / 3 + plan.actions.annual
        for factor in (0.6, 1.2):
            budgets = [round(factor * share)] * 3
            start = time.monotonic()
            s = schedule_plan(plan, data, std, conf, budgets, 2026).schedule
            took = time.monotonic() - start
            print(f"{n} | {len(bundles(plan.actions))} | {plan.cost / 1e4:,.1f} | {budgets[0] / 1e4:,.1f}×3 | "
                  f"{'是' if s.fits else '否'} | {s.shortfall / 1e4:,.1f} | {planned:.1f} | {took:.2f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [300, 1000])
