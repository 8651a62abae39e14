"""A 三年行动计划: the plan's actions scheduled over years within each year's budget.

Actions are scheduled whole and together with the ones they depend on: the transfers
among schools linked by transfers form one *bundle* (an exchange's two moves, a chain
of moves); every other action is a bundle of its own, done in the same year as or
before the transfers away from its school (it may be what keeps the sending school
passing). A bundle's one-off costs fall in the year it is done; its yearly costs (new teachers'
pay) in that year and every later year of the plan. Each year's spending stays within
that year's budget (unspent money is not carried over). Among the schedules that do
everything by the target year, the one of least total cost over the plan's years is
chosen (a small MILP, HiGHS); when none exists, as many bundles as possible are done
by the target year and the shortfall is stated.

An action that costs more than any one year's budget (a 3,000 ㎡ teaching building in a
county that spends 500 万元 a year) is built in phases (分期实施): split into the fewest
parts of whole ㎡ / 间 / 设备 steps, each no smaller than one construction
(``steps.min_area_m2``) and each within the largest yearly budget, done in order. The
school passes when the last phase is done — the yearly re-evaluation shows it.

After each year the county is re-evaluated by the engine with that year's and the
earlier years' actions applied — every expected figure comes from that evaluation.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict

import highspy
import numpy as np

from junheng.core.engine import evaluate
from junheng.core.facts import ROOM_TYPE_ZH, STAGE_ZH, CountyData
from junheng.core.projects import with_projects
from junheng.core.standard import Standard
from junheng.planner.apply import apply_actions
from junheng.planner.forms import FIELD_ACTIONS, field_step
from junheng.planner.plan import Actions, FieldAddition, Plan, RoomWork, Schedule, YearResult
from junheng.planner.settings import PlanSettings

_GROUPS = ("fields", "hires", "transfers", "rooms")


Key = tuple[str, int]  # (group of Actions: fields | hires | transfers | rooms, index in it)


def bundles(actions: Actions) -> list[list[Key]]:
    """The actions that must be done together: the transfers among schools linked by
    transfers (union–find; an exchange's two moves, a chain of moves) form one bundle;
    any other action is a bundle of its own. Sorted by their first key."""
    root = _transfer_roots(actions)
    linked: dict[str, list[Key]] = defaultdict(list)
    for i, t in enumerate(actions.transfers):
        linked[root[t.to_code]].append(("transfers", i))
    single = [[(g, i)] for g in _GROUPS if g != "transfers" for i in range(len(getattr(actions, g)))]
    return sorted([*linked.values(), *single], key=lambda keys: keys[0])


def precedences(actions: Actions, groups: list[list[Key]]) -> list[tuple[int, int]]:
    """(a, b): bundle a is done no later than bundle b — every action at a school that
    sends a teacher away comes with or before that transfer (it may be what keeps the
    school passing)."""
    where = {k: n for n, g in enumerate(groups) for k in g}
    sends: dict[str, set[int]] = defaultdict(set)
    for i, t in enumerate(actions.transfers):
        sends[t.from_code].add(where["transfers", i])
    out = []
    for g in _GROUPS:
        if g == "transfers":
            continue
        for i, a in enumerate(getattr(actions, g)):
            out += [(where[g, i], b) for b in sorted(sends.get(a.school_code, ()))]
    return out


def _transfer_roots(actions: Actions) -> dict[str, str]:
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for t in actions.transfers:
        parent[find(t.from_code)] = find(t.to_code)
    return {code: find(code) for code in list(parent)}


def phases(actions: Actions, settings: PlanSettings, limit: float,
           names: dict[str, str] | None = None) -> tuple[Actions, list[tuple[Key, Key]], list[str]]:
    """``actions`` with every building, equipment or room action dearer than ``limit`` (the
    largest yearly budget) split into phases; the (earlier, later) phase pairs; a Chinese
    note per split action. An action whose smallest buildable part already exceeds the
    limit stays whole (the schedule then reports it as not fitting)."""
    names = names or {}
    steps = settings.steps
    out = Actions(hires=list(actions.hires), transfers=list(actions.transfers), years=actions.years)
    chains: list[tuple[Key, Key]] = []
    notes: list[str] = []
    for f in actions.fields:
        step = field_step(f.field, steps.area_m2, steps.equipment_yuan)
        units = round(f.amount / step)
        least = max(1, -(-steps.min_area_m2 // step)) if f.field in ("teaching_area", "sports_area") else 1
        parts = _parts(units, f.cost, limit, int(least)) if f.cost > limit and units > 0 else None
        if not parts:
            out.fields.append(f)
            continue
        first = len(out.fields)
        for n in parts:
            out.fields.append(FieldAddition(f.school_code, f.field, n * step, f.cost * n / units))
        chains += [(("fields", first + j), ("fields", first + j + 1)) for j in range(len(parts) - 1)]
        _k, label, unit, _y = FIELD_ACTIONS[f.field]
        notes.append(_phase_note(names.get(f.school_code, f.school_code), label, f.amount, unit, f.cost, limit,
                                 [n * step for n in parts]))
    for w in actions.rooms:
        rooms = w.refit + w.build
        parts = _parts(rooms, w.cost, limit, 1) if w.cost > limit and rooms > 1 else None
        if not parts:
            out.rooms.append(w)
            continue
        first = len(out.rooms)
        refit = w.refit
        for n in parts:  # the cheaper refits first
            r = min(refit, n)
            refit -= r
            out.rooms.append(RoomWork(w.school_code, w.room_type, r, n - r, w.area, w.cost * n / rooms))
        chains += [(("rooms", first + j), ("rooms", first + j + 1)) for j in range(len(parts) - 1)]
        notes.append(_phase_note(names.get(w.school_code, w.school_code), f"{ROOM_TYPE_ZH[w.room_type]}专用教室", rooms, "间",
                                 w.cost, limit, parts))
    return out, chains, notes


def _parts(units: int, cost: float, limit: float, least: int) -> list[int] | None:
    """``units`` split into the fewest near-equal whole parts each costing at most
    ``limit`` and holding at least ``least`` units; None when no such split exists."""
    per = cost / units
    most = int(limit // per) if per > 0 else units
    if most < max(least, 1):
        return None
    k = -(-units // most)
    base, extra = divmod(units, k)
    parts = [base + (1 if j < extra else 0) for j in range(k)]
    return parts if min(parts) >= least else None


def _phase_note(school: str, label: str, amount: float, unit: str, cost: float, limit: float,
                parts: list[float]) -> str:
    def q(x: float) -> str:
        return f"{x:,.0f}" if float(x).is_integer() or unit != "万元" else f"{x:,.2f}"
    return (f"{school}{label} {q(amount)} {unit}，约 {cost / 1e4:,.1f} 万元，超过单年最高预算 {limit / 1e4:,.1f} 万元，"
            f"分 {len(parts)} 期实施（各期 {'、'.join(q(p) for p in parts)} {unit}），最后一期完成后该校达标。")


def _costs(actions: Actions, keys: list[Key]) -> tuple[float, float]:
    one_off = sum(getattr(actions, g)[i].cost for g, i in keys if g != "hires")
    annual = sum(actions.hires[i].cost for g, i in keys if g == "hires")
    return one_off, annual


def subset(actions: Actions, keys: set[Key]) -> Actions:
    """The actions named by ``keys``."""
    return Actions(**{g: [a for i, a in enumerate(getattr(actions, g)) if (g, i) in keys] for g in _GROUPS},
                   years=actions.years)


def schools_of(actions: Actions, keys: list[Key], fills: list | None = None) -> set[str]:
    out = set()
    for g, i in keys:
        a = (fills or [])[i] if g == "post_fills" else getattr(actions, g)[i]
        out |= {a.from_code, a.to_code} if g == "transfers" else {a.school_code}
    return out


def _solve(one_off: list[float], annual: list[float], budgets: list[float], target: int,
           strict: bool, before: list[tuple[int, int]]) -> list[int | None] | None:
    """Year (1-based) of each bundle, or None when not done. ``strict``: every bundle
    by ``target`` (None when impossible); else as many as possible by the target."""
    nb, ny = len(one_off), len(budgets)
    if nb == 0:
        return []
    scale = max(1.0, max(budgets), max(o + a for o, a in zip(one_off, annual, strict=True)))
    horizon = ny if not strict else target
    col = {(b, y): b * horizon + y for b in range(nb) for y in range(horizon)}
    total = sum(o + a * ny for o, a in zip(one_off, annual, strict=True)) / scale + 1.0
    cost = np.zeros(len(col))
    for (b, y), j in col.items():
        # Ties (one-off costs only) go to the earliest year: a few 元 at most.
        cost[j] = (one_off[b] + annual[b] * (ny - y) + 1.0 * y) / scale
        if not strict:
            cost[j] -= (2.0 if y < target else 1.0) * total * (nb + 1)
    h = highspy.Highs()
    h.silent()
    h.addVars(len(col), np.zeros(len(col)), np.ones(len(col)))
    h.changeColsIntegrality(len(col), np.arange(len(col), dtype=np.int32),
                            np.full(len(col), highspy.HighsVarType.kInteger))
    h.changeColsCost(len(col), np.arange(len(col), dtype=np.int32), cost)
    for b in range(nb):
        idx = np.array([col[b, y] for y in range(horizon)], dtype=np.int32)
        h.addRow(1.0 if strict else 0.0, 1.0, len(idx), idx, np.ones(len(idx)))
    for a, b in before:  # by every year, b done ⇒ a done
        for t in range(horizon):
            idx = [col[a, y] for y in range(t + 1)] + [col[b, y] for y in range(t + 1)]
            val = [1.0] * (t + 1) + [-1.0] * (t + 1)
            h.addRow(0.0, highspy.kHighsInf, len(idx), np.array(idx, dtype=np.int32), np.array(val))
    for y in range(ny):
        idx, val = [], []
        for b in range(nb):
            for y2 in range(min(y + 1, horizon)):
                idx.append(col[b, y2])
                val.append((annual[b] + (one_off[b] if y2 == y else 0.0)) / scale)
        if idx:
            h.addRow(-highspy.kHighsInf, budgets[y] / scale + 1e-9, len(idx), np.array(idx, dtype=np.int32),
                     np.array(val))
    h.setOptionValue("mip_rel_gap", 0.0)
    h.setOptionValue("time_limit", 30.0)
    h.run()
    if h.getInfo().primal_solution_status != 2:
        return None
    x = h.getSolution().col_value
    years: list[int | None] = []
    for b in range(nb):
        done = [y for y in range(horizon) if x[col[b, y]] > 0.5]
        years.append(done[0] + 1 if done else None)
    return years


def schedule_plan(plan: Plan, data: CountyData, standard: Standard, settings: PlanSettings,
                  budgets: list[float], first_year: int, target: int | None = None,
                  base: CountyData | None = None) -> Plan:
    """``plan`` with its actions scheduled over ``len(budgets)`` years (calendar years
    from ``first_year``), to be done by year ``target`` (1-based; default the last).
    ``base``: the county without its committed projects (``data`` counts them all, as
    the plan did); each year's re-evaluation then counts a project only from its
    finish year on."""
    target = len(budgets) if target is None else target
    actions, chains, split_notes = phases(plan.actions, settings, max(budgets), plan.school_names)
    plan = dataclasses.replace(plan, actions=actions, notes=[*plan.notes, *split_notes])
    groups = bundles(plan.actions)
    costs = [_costs(plan.actions, g) for g in groups]
    # 有编不补: each school's 在编 recruits, a bundle of its own paid every year from its year on.
    fills = plan.post_fills
    groups += [[("post_fills", i)] for i in range(len(fills))]
    costs += [(0.0, f.cost or 0.0) for f in fills]
    one_off = [c[0] for c in costs]
    annual = [c[1] for c in costs]
    where = {k: n for n, g in enumerate(groups) for k in g}
    before = precedences(plan.actions, groups) + [(where[a], where[b]) for a, b in chains]
    years = _solve(one_off, annual, budgets, target, True, before)
    fits = years is not None
    if years is None:
        years = _solve(one_off, annual, budgets, target, False, before) or [None] * len(groups)
    year_of = {key: y for g, y in zip(groups, years, strict=True) if y is not None for key in g}
    results: list[YearResult] = []
    for n in range(1, len(budgets) + 1):
        done = subset(plan.actions, {k for k, y in year_of.items() if y <= n})
        county, projects_later = data, False
        if base is not None:  # the committed projects finished by this calendar year, and no later ones
            county = with_projects(base, first_year + n - 1)[0]
            projects_later = _areas(county) != _areas(data)
        if done.is_empty() and not projects_later:
            after = plan.before
        else:
            after = evaluate(apply_actions(county, done, settings), standard)
        now = [g for g, y in zip(groups, years, strict=True) if y == n]
        fill_pay = sum(a for g, a, y in zip(groups, annual, years, strict=True)
                       if g[0][0] == "post_fills" and y is not None and y <= n)
        results.append(YearResult(
            year=n, calendar_year=first_year + n - 1, budget=budgets[n - 1],
            one_off=sum(o for o, y in zip(one_off, years, strict=True) if y == n),
            annual=sum(a for a, y in zip(annual, years, strict=True) if y is not None and y <= n),
            post_fill=fill_pay,
            schools=sorted(set().union(*(schools_of(plan.actions, g, fills) for g in now))),
            recognised=bool(after.recognised), resource_passed=_passes(after, plan.resource_dimension),
            failing_schools=sum(1 for r in after.schools if not r.passed), still_failing=_failing(after)))
    late = [(g, c) for g, c, y in zip(groups, costs, years, strict=True) if y is None or y > target]
    if base is not None:
        later = [p for p in with_projects(base, first_year + len(budgets) - 1)[1].projects if p.finish_year > first_year]
        if later:
            plan = dataclasses.replace(plan, notes=[*plan.notes, "分年度逐年评估时，「项目台账」中的项目从竣工当年起计入："
                                                    + "、".join(f"{p.name}（{p.finish_year} 年竣工）" for p in later)
                                                    + "；此前各年的预计结果不含这些项目"])
    return dataclasses.replace(plan, schedule=Schedule(
        results=results, year_of=year_of, target=target, fits=fits,
        shortfall=sum(o + a for _g, (o, a) in late),
        late_schools=sorted(set().union(*(schools_of(plan.actions, g, fills) for g, _c in late)))))


def _areas(data: CountyData) -> list[tuple[float, float]]:
    return [(s.teaching_area, s.sports_area) for s in data.schools]


def _passes(after, dimension: str) -> bool:
    dim = after.dimensions.get(dimension)
    return dim is not None and dim.passed is True


def _failing(after) -> list[str]:
    out = [f"{s.name}（{STAGE_ZH[s.stage]}）：{s.reason}" for s in after.schools if not s.passed]
    for stage, table in after.dispersion.items():
        for ind_id, d in table.items():
            if d.passed is False:
                out.append(f"{STAGE_ZH[stage]} {ind_id} 差异系数 {d.cv:.3f}，超过 {d.limit:.2f}")
    return out
