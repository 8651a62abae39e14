"""CV ≤ c as linear cuts: a separable outer approximation of the second-order cone.

With student numbers fixed, the student-weighted CV of values X_i = a·u_i/P_i (u_i the
numerator of part i) is at most c exactly when

    Σ P_i X_i² ≤ (1 + c²)(Σ P_i X_i)² / P   ⇔   Σ_i v_i² / (w_i V) ≤ (1 + c²) V

with v_i = u_i / U⁰ (U⁰ the stage's current total), V = Σ v_i and w_i = P_i / P. Each
term v²/(w V) is a perspective of a parabola, convex and 1-homogeneous, so it is the
supremum of its tangent planes τ_i ≥ 2ρ v_i − ρ² w_i V, one per relative value
ρ = X_i / X̄ (1 is the county mean). We add, per part with decisions, the planes at a
grid of ρ and at the part's current value; the parts without decisions are one term
C / V with its own planes. When the engine finds a claimed CV above its limit, planes
at the solution's values are added and the MILP solved again. Every plane is valid, so
the solver's bound stays a lower bound; the approximation is exact where it matters
after a few rounds (far faster than one aggregated gradient cut per round).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Protocol

from junheng.core.facts import STAGE_ZH, Stage
from junheng.planner.problem import Problem

INF = math.inf
RHO_GRID = (0.5, 0.8, 1.0, 1.25, 1.6, 2.5)
V_GRID = (1.0, 1.02, 1.05, 1.1, 1.25, 1.5, 2.0)
_SAME = 1e-7  # a new plane this close to an existing one adds nothing (error ~ distance²)


class ModelView(Protocol):
    """What a CvBlock reads and adds of the plan model (:class:`junheng.planner.model.PlanModel`,
    which imports this module: the model uses the blocks, the blocks only see this view)."""

    problem: Problem
    cols: list[Any]
    rows: list[tuple[float, float, dict[int, float]]]
    expr: dict[tuple[int, int], dict[int, float]]

    def _col(self, kind: str, key: tuple, cost: float = 0.0, ub: float = INF, integer: bool = True) -> int: ...

    def row(self, lo: float, hi: float, coefs: dict[int, float]) -> int: ...

    def _goal(self, key: tuple, label: str) -> int: ...


@dataclass
class CvBlock:
    model: ModelView
    stage: Stage
    k: int
    total: float  # U⁰
    weights: dict[int, float]  # part index -> w_i
    tau: dict[int, int]  # part index -> column of τ_i (parts with decisions)
    v_col: int
    const: float  # C = Σ v_i² / w_i over the parts without decisions
    tau_const: int | None
    goal: int | None
    main_row: int
    limit: float  # the CV the planes aim at (the standard's limit less the settings' margin)
    planes: dict[int, list[float]] = field(default_factory=dict)  # part (or -1 for C) -> ρ (or V)

    @classmethod
    def build(cls, m: ModelView, stage: Stage, k: int) -> CvBlock | None:
        p = m.problem
        parts = p.stage_parts(stage)
        now = sum(q.u0[k] for q in parts)
        # U⁰ only scales the columns; a stage where nobody counts yet (no backbone
        # teacher, say: the CV is undefined now) still needs its CV bounded once the plan
        # adds some, so scale by what the parts require instead.
        total = now if now > 0 else sum(q.required[k] for q in parts)
        if total <= 0:
            return None
        v_now = now / total  # V before any action: 1, or 0 in that case
        students = sum(q.students for q in parts)
        limit = p.cv_limits[stage] - p.settings.solver.cv_margin
        weights = {q.index: q.students / students for q in parts}
        # V = 1 + Σ_j dV_j x_j, a column of its own so each plane stays sparse.
        dv: dict[int, float] = {}
        for q in parts:
            for j, c in m.expr.get((q.index, k), {}).items():
                dv[j] = dv.get(j, 0.0) + c / total
        dv = {j: c for j, c in dv.items() if abs(c) > 1e-15}
        # Transfers only move numerators between parts (Σ in = Σ out), so V ≥ 1 minus
        # whatever other decision could lower it.
        v_low = v_now + sum(min(0.0, c) * m.cols[j].ub for j, c in dv.items() if m.cols[j].kind not in ("in", "out"))
        v_high = v_now + sum(max(0.0, c) * m.cols[j].ub for j, c in dv.items())
        v_low = max(v_low, 1e-3)
        v_col = m._col("cv", (str(stage), k, "V"), ub=v_high, integer=False)
        m.row(v_now, v_now, {v_col: 1.0} | {j: -c for j, c in dv.items()})
        tau: dict[int, int] = {}
        const = 0.0
        for q in parts:
            if m.expr.get((q.index, k)):
                tau[q.index] = m._col("cv", (str(stage), k, q.index), integer=False)
            else:
                const += (q.u0[k] / total) ** 2 / weights[q.index]
        tau_const = m._col("cv", (str(stage), k, "C"), integer=False) if const > 0 else None
        # τ columns hold y²/V with y = X_i / X̄ (order 1), so τ_i = w_i·τ'_i in the sum.
        main = {j: weights[idx] for idx, j in tau.items()} | {v_col: -(1 + limit * limit)}
        if tau_const is not None:
            main[tau_const] = 1.0
        ind = p.indicators[k]
        before = p.before.dispersion.get(stage, {}).get(ind.id)
        goal = None
        if before is not None and before.passed is False:
            goal = m._goal(("cv", str(stage), ind.id), f"{STAGE_ZH[stage]}「{ind.name}」差异系数")
            # With the goal off, the row must hold at any point: bound Σ τ by its planes'
            # largest value, v_max² / (w V_low) per part.
            big = const / v_low - (1 + limit * limit) * v_low
            for idx in tau:
                up = m.problem.parts[idx].u0[k] + sum(max(0.0, c) * m.cols[j].ub
                                                      for j, c in m.expr[(idx, k)].items())
                big += (up / total) ** 2 / (weights[idx] * v_low)  # = w_i · (y_max² / V_low)
            main[goal] = max(big, 0.0)
            main_row = m.row(-INF, max(big, 0.0), main)
        else:
            main_row = m.row(-INF, 0.0, main)
        block = cls(m, stage, k, total, weights, tau, v_col, const, tau_const, goal, main_row, limit)
        block.add_point([q.u0[k] for q in parts], grid=True)
        return block

    def add_point(self, numerators: list[float], grid: bool = False) -> list[int]:
        """Planes at the values ``numerators`` (one per part of the stage, in order);
        with ``grid`` also at the fixed grid. Returns the new row indices."""
        p = self.model.problem
        parts = p.stage_parts(self.stage)
        v = [u / self.total for u in numerators]
        big_v = sum(v)
        rows: list[int] = []
        if big_v <= 0:
            return rows
        for q, vi in zip(parts, v, strict=True):
            if q.index not in self.tau:
                continue
            rho = vi / (self.weights[q.index] * big_v)
            wanted = [rho] + (list(RHO_GRID) if grid else [])
            for r in wanted:
                if r >= 0 and self._new(q.index, r):
                    rows.append(self._plane(q.index, r))
        if self.tau_const is not None:
            for value in [big_v] + ([big_v * g for g in V_GRID] if grid else []):
                if self._new(-1, value):
                    rows.append(self._const_plane(value))
        return rows

    def tighten(self) -> tuple[int, int, float]:
        """Aim a little lower when a solution sits on the limit up to rounding (the
        planes there are already exact): 1e-7 of the limit, then ten times more each
        time. Returns (row, column, new coefficient) for HiGHS."""
        self.limit -= max(self.limit * 1e-7, (self.model.problem.cv_limits[self.stage] - self.limit) * 10)
        coef = -(1 + self.limit * self.limit)
        lo, hi, row = self.model.rows[self.main_row]
        row[self.v_col] = coef
        return self.main_row, self.v_col, coef

    def numerators(self, values: list[float]) -> list[float]:
        """Each part's numerator at a solution of the model (the model's own numbers:
        used only to place planes, never to report)."""
        parts = self.model.problem.stage_parts(self.stage)
        return [q.u0[self.k] + sum(c * values[j] for j, c in self.model.expr.get((q.index, self.k), {}).items())
                for q in parts]

    def violated(self, values: list[float]) -> list[float] | None:
        """The numerators when the model's solution breaks this CV's limit, else None."""
        u = self.numerators(values)
        parts = self.model.problem.stage_parts(self.stage)
        total = sum(u)
        if total <= 0:
            return None
        students = sum(q.students for q in parts)
        square = sum(x * x / q.students for x, q in zip(u, parts, strict=True))
        limit = self.limit
        # Σ u²/P_i ≤ (1 + c²) U² / P, with a little slack for the LP's tolerances.
        return u if square * students > (1 + limit * limit) * total * total * (1 + 1e-6) else None

    def _new(self, key: int, value: float) -> bool:
        seen = self.planes.setdefault(key, [])
        if any(abs(value - s) <= _SAME * max(1.0, abs(s)) for s in seen):
            return False
        seen.append(value)
        return True

    def _plane(self, idx: int, rho: float) -> int:
        """τ'_i − 2ρ·y_i + ρ²·V ≥ 0 with y_i = v_i / w_i = (u⁰_i + Σ c_ij x_j) / (w_i U⁰): the
        plane of the text divided by w_i, so that its coefficients are of order 1 (the
        solver's tolerances are absolute)."""
        part = self.model.problem.parts[idx]
        scale = self.weights[idx] * self.total
        row = {self.tau[idx]: 1.0, self.v_col: rho * rho}
        for j, c in self.model.expr[(idx, self.k)].items():
            row[j] = row.get(j, 0.0) - 2 * rho * c / scale
        return self.model.row(2 * rho * part.u0[self.k] / scale, INF, row)

    def _const_plane(self, at: float) -> int:
        """τ_C ≥ C/V tangent at V = ``at``: τ_C + (C/at²)·V ≥ 2C/at."""
        assert self.tau_const is not None
        return self.model.row(2 * self.const / at, INF,
                              {self.tau_const: 1.0, self.v_col: self.const / (at * at)})
