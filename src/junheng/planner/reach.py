"""Goals no plan can reach, proven before the big solve (issue 14 §5).

Each school or room goal gets a small MILP of its own: the goal's decisions (the columns
of its rows) and every row touching them, with the other columns of a row replaced by the
range their bounds allow — a relaxation of the whole model (its projection onto those
columns), so a goal this cannot reach the whole model cannot either. Known before the big
solve, such goals are fixed at 0: the county's plan is then one cheapest-plan solve
instead of the two solves of "as many goals as possible" (a model with one unreachable
school is infeasible, and proving that alone takes the LP longest).
"""

from __future__ import annotations

import math
import time
from collections import defaultdict

import highspy

from junheng.planner.model import INF, Col, PlanModel, highs_lp


def unreachable(m: PlanModel, until: float | None = None) -> set[tuple]:
    """The keys of the school and room goals of ``m`` that no plan can reach. ``until``: a
    ``time.monotonic()`` after which no further goal is examined (those found stand)."""
    by_col: dict[int, list[int]] = defaultdict(list)
    ranges = []  # per row: the finite low and high sums of c·x over the bounds, and how many terms are infinite
    for i, (_, _, row) in enumerate(m.rows):
        span = [0.0, 0.0, 0, 0]
        for j, c in row.items():
            by_col[j].append(i)
            _add_range(span, c, m.cols[j].ub, 1)
        ranges.append(span)
    out: set[tuple] = set()
    for key, y in m.goals.items():
        if key[0] not in ("school", "rooms"):
            continue
        if until is not None and time.monotonic() > until:
            break
        cols = {y}
        for i in by_col[y]:
            cols |= m.rows[i][2].keys()
        inside: dict[int, dict[int, float]] = defaultdict(dict)
        for j in cols:
            for i in by_col[j]:
                inside[i][j] = m.rows[i][2][j]
        rows = []
        for i, coefs in sorted(inside.items()):
            lo, hi, _ = m.rows[i]
            span = list(ranges[i])  # the row's other columns: all less the inside ones
            for j, c in coefs.items():
                _add_range(span, c, m.cols[j].ub, -1)
            low = -INF if span[2] else span[0]
            high = INF if span[3] else span[1]
            lo, hi = lo - high, hi - low  # never inf − inf: a row bound is infinite only on its open side
            if lo > -INF or hi < INF:  # loosened by a hair: the sums above are rounded
                rows.append((lo - 1e-7 * max(1.0, abs(lo)), hi + 1e-7 * max(1.0, abs(hi)), coefs))
        if not _can_reach(y, sorted(cols), m.cols, rows):
            out.add(key)
    return out


def _add_range(span: list, c: float, ub: float, sign: int) -> None:
    """Add (sign 1) or take away (−1) the range of c·x for 0 ≤ x ≤ ub to ``span`` =
    [finite low, finite high, infinite lows, infinite highs]."""
    for end, k in ((min(0.0, c * ub), 0), (max(0.0, c * ub), 1)):
        if math.isinf(end):
            span[k + 2] += sign
        else:
            span[k] += sign * end


def _can_reach(y: int, cols: list[int], all_cols: list[Col],
               rows: list[tuple[float, float, dict[int, float]]]) -> bool:
    """Whether goal column ``y`` can be 1 in the small model of ``cols`` and ``rows``
    (rows by the whole model's column index); True when that is not proven either way."""
    where = {j: n for n, j in enumerate(cols)}
    local = [{where[j]: c for j, c in row.items()} for _, _, row in rows]
    lp = highs_lp([all_cols[j] for j in cols], [(lo, hi, row) for (lo, hi, _), row in zip(rows, local, strict=True)],
                  cost=[-1.0 if j == y else 0.0 for j in cols])
    h = highspy.Highs()
    h.silent()
    h.passModel(lp)
    h.setOptionValue("time_limit", 5.0)
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return True  # not proven either way: left to the whole model
    return h.getSolution().col_value[where[y]] > 0.5
