"""The top-up baseline: every failing school raised to every threshold by hand."""

from __future__ import annotations

import pytest

from junheng.planner.baseline import top_up
from junheng.planner.solve import make_plan

from ..core.builders import county
from .test_cases import STD, primary, settings


def test_the_baseline_tops_up_and_the_plan_is_cheaper():
    # School A: no PE teacher (R3 at 0 %) and R5 at 80 %. B has PE teachers to spare.
    a = primary("3504040001", pe=0, sports=0.8 * 7.5)
    b = primary("3504040002", pe=3)
    data = county([a, b])
    base = top_up(data, STD, settings())
    (hire,) = base.actions.hires
    assert (hire.school_code, hire.kind, hire.count) == ("3504040001", "pe_art", 1)
    (area,) = base.actions.fields
    assert (area.field, area.amount) == ("sports_area", pytest.approx(150))  # 20 % of 7.5 ㎡ × 100
    assert base.cost == 120000 + 150 * 650
    assert base.after.dimensions["resource"].passed is True and base.failing_cvs() == []
    plan = make_plan(data, STD, settings())
    # the plan moves a PE teacher (8,000) and takes R5 only to 85 %: 38 ㎡ would do, but one
    # construction adds at least steps.min_area_m2 = 60 ㎡
    assert plan.cost == 8000 + 60 * 650
    assert plan.topup_cost == base.cost and plan.source == "solver"
    assert plan.cost < base.cost


def test_the_baseline_does_not_look_at_cvs():
    parts = [primary(f"350404000{i}", equipment=e) for i, e in ((1, 0.2), (2, 0.2), (3, 1.2))]
    base = top_up(county(parts), STD, settings())
    assert base.actions.is_empty() and base.failing_cvs() == ["primary:R6"]
    assert base.after.dimensions["resource"].passed is False
