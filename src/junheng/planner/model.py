"""The rectification MILP, built with highspy.

Decisions (all integer): per school, steps of each field action (㎡, 100 元 of
equipment, rooms); per school part, new teachers of each hire kind and teachers
received of each signature; per donor part, teachers sent of each signature; per
stage and signature, pairs of teachers exchanged only for rotation; per room need,
rooms refitted and built. Binary: per failing part, whether it passes (``goal``) and
which of its unmet indicators it meets (``meet``, the 6-of-7 + 85 % rule); one goal per
failing CV, room need and the rotation rule.

Constraints: every goal met (``full`` mode: goals fixed at 1) or as many as the
budget allows (``partial``); donors keep every indicator they meet; balance of
teachers sent and received per signature; the rotation ratios over the moves; CV ≤
limit by tangent cuts of the second-order cone ‖√P·X‖ ≤ √((1+c²)/P)·ΣP·X, added at the
county's current values and then wherever the engine finds a claimed CV above its
limit (:mod:`junheng.planner.solve`). Rows of counts keep integer coefficients and
right-hand sides rounded in the engine's favour, so an integer solution passes the
engine's comparison exactly, not within a solver tolerance.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

import highspy
import numpy as np

from junheng.core.facts import STAGE_ZH, Stage
from junheng.planner.dispersion import CvBlock
from junheng.planner.forms import FIELD_ACTIONS, field_step
from junheng.planner.problem import Part, Problem, Signature, sig_subject

INF = highspy.kHighsInf
_REL = 1e-10  # how far below a threshold a value may sit (the engine allows 1e-9)


@dataclass(frozen=True, slots=True)
class Col:
    kind: str  # field | build_on | hire | in | out | moved | swap | refit | build | meet | goal | cv (continuous)
    key: tuple
    cost: float
    ub: float
    integer: bool = True


def _ceil(x: float) -> float:
    return float(math.ceil(x - 1e-9 * max(1.0, abs(x))))


class PlanModel:
    def __init__(self, problem: Problem, cv_active: set[tuple[Stage, int]], budget: float | None,
                 cv_modelled: set[tuple[Stage, int]] | None = None):
        self.problem = problem
        self.budget = budget
        self.cols: list[Col] = []
        self.rows: list[tuple[float, float, dict[int, float]]] = []
        self.expr: dict[tuple[int, int], dict[int, float]] = defaultdict(dict)
        self.goals: dict[tuple, int] = {}
        self.goal_labels: dict[tuple, str] = {}
        self.cv: dict[tuple[Stage, int], CvBlock] = {}
        self.cv_active = set(cv_active)
        # CVs far below their limit are left out until a plan breaks one (None: all
        # modelled): see Planner._modelled_cvs. The model's bound stays a lower bound.
        self.cv_modelled = cv_modelled
        self.pruned_senders = 0  # candidates the sender pool left out (see senders)
        self.receive = self._receivers()
        self._targets()
        self._field_vars()
        self._teacher_vars()
        self._room_vars()
        self._school_rows()
        self._keep_rows()
        self._limit_rows()
        self._rotation_rows()
        self._cv_rows()
        if budget is not None:
            self.rows.append((-INF, budget, {j: c.cost for j, c in enumerate(self.cols) if c.cost}))

    # --- columns -------------------------------------------------------------------

    def _col(self, kind: str, key: tuple, cost: float = 0.0, ub: float = INF, integer: bool = True) -> int:
        if self.budget is not None and cost > 0:
            ub = min(ub, math.floor(self.budget / cost + 1e-9))
        self.cols.append(Col(kind, key, cost, ub, integer))
        return len(self.cols) - 1

    def row(self, lo: float, hi: float, coefs: dict[int, float]) -> int:
        self.rows.append((lo, hi, coefs))
        return len(self.rows) - 1

    def _goal(self, key: tuple, label: str) -> int:
        j = self._col("goal", key, ub=1)
        self.goals[key] = j
        self.goal_labels[key] = label
        return j

    def _receivers(self) -> dict[int, set[int]]:
        """Which indicators of which parts the plan may raise: the unmet ones of a
        failing part, and, for a CV near or over its limit, every part whose raise lowers it."""
        p = self.problem
        rec: dict[int, set[int]] = defaultdict(set)
        for part in p.failing():
            rec[part.index] |= {k for k, ind in enumerate(p.indicators) if ind.plannable and not part.met[k]}
        for stage, k in sorted(self.cv_active):
            parts = p.stage_parts(stage)
            values = [self.value(q, k) for q in parts]
            total = sum(q.students for q in parts)
            mean = sum(v * q.students for v, q in zip(values, parts, strict=True)) / total
            if mean <= 0:
                continue
            # Raising X_j lowers the CV while X_j < E[X²]/X̄ = X̄(1 + CV²); a margin for
            # the mean moving as the plan acts.
            pivot = 1.05 * sum(v * v * q.students for v, q in zip(values, parts, strict=True)) / total / mean
            for v, q in zip(values, parts, strict=True):
                if v < pivot:
                    rec[q.index].add(k)
        return rec

    def value(self, part: Part, k: int) -> float:
        ind = self.problem.indicators[k]
        return ind.per * ind.scale * part.u0[k] / part.students

    def _targets(self) -> None:
        """Beyond max(threshold, the stage's highest value) more of anything helps no
        goal (raising the top value never lowers a CV), so that bounds every action."""
        p = self.problem
        self.target: dict[tuple[int, int], float] = {}
        for stage in {q.stage for q in p.parts}:
            parts = p.stage_parts(stage)
            for k, ind in enumerate(p.indicators):
                top = max(self.value(q, k) for q in parts)
                for q in parts:
                    self.target[(q.index, k)] = max(q.required[k], top * q.students / (ind.per * ind.scale))

    def _natural_ub(self, effects: list[tuple[int, int, float]]) -> float:
        ub = 0.0
        for part, k, coef in effects:
            if coef > 0:
                gap = self.target[(part, k)] - self.problem.parts[part].u0[k]
                ub = max(ub, _ceil(gap / coef))
        return ub

    def _add_effects(self, j: int, effects: list[tuple[int, int, float]]) -> None:
        for part, k, coef in effects:
            if coef:
                self.expr[(part, k)][j] = self.expr[(part, k)].get(j, 0.0) + coef

    def _field_vars(self) -> None:
        p, s = self.problem, self.problem.settings
        by_school: dict[str, list[Part]] = defaultdict(list)
        for part in p.parts:
            by_school[part.school.code].append(part)
        for code, parts in by_school.items():
            if not any(self.receive.get(q.index) for q in parts):
                continue
            school = parts[0].school
            for fname, (key, _label, _unit, yuan_per_unit) in FIELD_ACTIONS.items():
                unit_cost = getattr(s.costs, key)
                if unit_cost is None:
                    continue
                step = self.field_step(fname)
                effects = []
                wanted = False
                for q in parts:
                    for k, ind in enumerate(p.indicators):
                        form = ind.forms[q.stage]
                        if not ind.plannable or fname not in form.fields:
                            continue
                        coef = form.fields[fname] * (q.share if form.split[fname] else 1.0) * step
                        effects.append((q.index, k, coef))
                        wanted |= k in self.receive.get(q.index, ()) and coef > 0
                if not wanted:
                    continue
                ub = self._natural_ub(effects)
                cap = self.field_cap(school, fname)
                if cap is not None:
                    ub = min(ub, math.floor(cap / step + 1e-9))
                least = self.least_steps(fname)
                if ub <= 0 or (cap is not None and ub < least):
                    continue
                ub = max(ub, least)
                j = self._col("field", (code, fname), unit_cost * yuan_per_unit * step, ub)
                self._add_effects(j, effects)
                if least > 1:
                    # One construction adds at least ``least`` steps: x = 0 or least ≤ x ≤ ub.
                    z = self._col("build_on", (code, fname), ub=1)
                    self.rows.append((0.0, INF, {j: 1.0, z: -least}))
                    self.rows.append((-INF, 0.0, {j: 1.0, z: -ub}))

    def least_steps(self, fname: str) -> int:
        """The fewest steps one construction of ``fname`` adds (``steps.min_area_m2``)."""
        if fname not in ("teaching_area", "sports_area"):
            return 1
        return max(1, math.ceil(self.problem.settings.steps.min_area_m2 / self.field_step(fname) - 1e-9))

    def field_step(self, fname: str) -> float:
        steps = self.problem.settings.steps
        return field_step(fname, steps.area_m2, steps.equipment_yuan)

    def field_cap(self, school, fname: str) -> float | None:
        limits = self.problem.settings.limits
        column = {"teaching_area": "max_extra_teaching_area", "sports_area": "max_extra_sports_area"}.get(fname)
        if column is None:
            return None
        own = school.extra.get(column)
        return float(own) if own is not None else getattr(limits, column)

    def _effects(self, part: Part, sig: Signature, sign: float) -> list[tuple[int, int, float]]:
        return [(part.index, k, sign * e) for k, e in enumerate(sig[0]) if e]

    def _teacher_vars(self) -> None:
        p, s = self.problem, self.problem.settings
        transfer_ok = s.costs.transfer is not None
        public_only = s.limits.transfer_public_only
        available: dict[Stage, dict[Signature, int]] = defaultdict(lambda: defaultdict(int))
        for (idx, sig), teachers in p.movable.items():
            available[p.parts[idx].stage][sig] += len(teachers)
        self.ins: dict[tuple[Stage, Signature], list[int]] = defaultdict(list)
        self.outs: dict[tuple[Stage, Signature], list[int]] = defaultdict(list)
        receiving: dict[tuple[int, Signature], int] = {}
        sending: dict[tuple[int, Signature], int] = {}
        for part in p.parts:
            wanted = self.receive.get(part.index, set())
            if not wanted:
                continue
            for kind in s.hires:
                if kind.cost is None:
                    continue
                sig = p.hires[(part.stage, kind.key)]
                if not any(sig[0][k] > 0 for k in wanted):
                    continue
                effects = self._effects(part, sig, 1.0)
                j = self._col("hire", (part.index, kind.key), kind.cost * s.costs.years, self._natural_ub(effects))
                self._add_effects(j, effects)
            if not transfer_ok or (public_only and not part.public):
                continue
            for sig, count in available[part.stage].items():
                own = len(p.movable.get((part.index, sig), ()))
                lack = self.lack(part, sig)
                if count - own <= 0 or not lack or not any(sig[0][k] > 0 for k in wanted):
                    continue
                effects = self._effects(part, sig, 1.0)
                j = self._col("in", (part.index, sig), 0.0, min(count - own, self._natural_ub(effects), lack))
                self._add_effects(j, effects)
                self.ins[(part.stage, sig)].append(j)
                receiving[(part.index, sig)] = j
        if transfer_ok:
            self._rotation_ins(available, receiving)
            self._subject_rows()
        senders = self.senders()
        for (idx, sig), teachers in p.movable.items():
            part = p.parts[idx]
            if (part.stage, sig) not in self.ins:
                continue
            pool = senders.get((part.stage, sig))
            if pool is not None and idx not in pool:
                continue
            j = self._col("out", (idx, sig), s.costs.transfer or 0.0, len(teachers))
            self._add_effects(j, self._effects(part, sig, -1.0))
            self.outs[(part.stage, sig)].append(j)
            sending[(idx, sig)] = j
        total: dict[tuple[Stage, Signature], int] = {}
        for key in dict.fromkeys([*self.ins, *self.outs]):  # insertion order: reproducible
            row = {j: 1.0 for j in self.ins[key]} | {j: -1.0 for j in self.outs[key]}
            self.rows.append((0.0, 0.0, row))
            total[key] = self._col("moved", key, ub=float(sum(self.cols[j].ub for j in self.outs[key])))
            self.rows.append((0.0, 0.0, {total[key]: 1.0} | {j: -1.0 for j in self.outs[key]}))
        # A part that both sends and receives a kind of teacher must not be matched
        # with itself: in + out ≤ all moves of that kind (Hall's condition), so every
        # move goes to another school and counts once for rotation.
        for (idx, sig), j_in in receiving.items():
            j_out = sending.get((idx, sig))
            if j_out is not None:
                self.rows.append((-INF, 0.0, {j_in: 1.0, j_out: 1.0, total[(p.parts[idx].stage, sig)]: -1.0}))
        self._swap_vars()

    def senders(self) -> dict[tuple[Stage, Signature], set[int]]:
        """Candidate senders per stage and kind of teacher in a large county (more than
        ``solver.large_county`` parts; ``solver.sender_min`` / ``sender_pool``); a kind
        missing from the result may come from any school. Beyond
        ``sender_min`` schools: the richest in that kind — alternately the most such
        teachers and the most per student — until they hold ``sender_pool`` × what the
        receivers could take, and the richest school of each receiver's own area (乡镇 or
        集团, ``limits.prefer_nearby``). Large counties' models shrink by an order of
        magnitude; the bound then holds under this rule too (:func:`bound_rules`)."""
        p, solver = self.problem, self.problem.settings.solver
        self.pruned_senders = 0
        if solver.sender_min is None or len(p.parts) <= solver.large_county:
            return {}
        by_key: dict[tuple[Stage, Signature], list[tuple[int, int]]] = defaultdict(list)
        for (idx, sig), teachers in p.movable.items():
            key = (p.parts[idx].stage, sig)
            if key in self.ins:
                by_key[key].append((idx, len(teachers)))
        area = p.balance.area_of
        out: dict[tuple[Stage, Signature], set[int]] = {}
        for key, cands in by_key.items():
            if len(cands) <= solver.sender_min:
                continue
            demand = sum(self.cols[j].ub for j in self.ins[key])
            code = {idx: p.parts[idx].school.code for idx, _ in cands}
            most = sorted(cands, key=lambda c: (-c[1], code[c[0]]))
            dense = sorted(cands, key=lambda c: (-c[1] / max(p.parts[c[0]].students, 1), code[c[0]]))
            chosen: set[int] = set()
            supply = 0
            for a, b in zip(most, dense, strict=True):
                if len(chosen) >= solver.sender_min and supply >= solver.sender_pool * demand:
                    break
                for idx, n in (a, b):
                    if idx not in chosen:
                        chosen.add(idx)
                        supply += n
            best_of_area: dict[str, int] = {}
            for idx, _ in most:  # richest first: the first one seen per area
                best_of_area.setdefault(area.get(code[idx], ""), idx)
            for j in self.ins[key]:
                near = best_of_area.get(area.get(p.parts[self.cols[j].key[0]].school.code, ""))
                if near is not None and area.get(code[near]):
                    chosen.add(near)
            out[key] = chosen
            self.pruned_senders += len(cands) - len(chosen)
        return out

    def swap_pools(self) -> dict[tuple[Stage, Signature], dict[str, int]]:
        """Per stage and signature, each school's eligible teachers exchanges may use:
        at most its spread cap."""
        p = self.problem
        pools: dict[tuple[Stage, Signature], dict[str, int]] = defaultdict(lambda: defaultdict(int))
        caps = p.transfer_caps
        for (idx, sig), teachers in p.movable.items():
            part = p.parts[idx]
            pools[(part.stage, sig)][part.school.code] += sum(1 for t in teachers if t.rotation_eligible)
        for by in pools.values():  # the spread rule: a school exchanges at most its cap
            for code in by:
                by[code] = min(by[code], caps.get(code, by[code]))
        return pools

    def swap_capacity(self) -> dict[tuple[Stage, Signature], int]:
        """Per stage and signature, how many eligible teachers exchanges can use: all but
        the largest school's, so that whatever transfers take, the rest can always be
        paired across two different schools."""
        return {key: sum(by.values()) - max(by.values()) for key, by in self.swap_pools().items()}

    def _helps_rotation(self, sig: Signature) -> bool:
        rot = self.problem.rotation
        if rot is None or rot.passes_now():
            return False
        return any(dn - r.threshold * dd > 0 and not r.passes(n, d)
                   for r, (dn, dd), (n, d) in zip(rot.rules, sig[1], rot.counts, strict=True))

    def _rotation_ins(self, available: dict[Stage, dict[Signature, int]],
                      receiving: dict[tuple[int, Signature], int]) -> None:
        """One-way moves that serve only the rotation rule, for the kinds of teacher no
        exchange can use (too few eligible ones in other schools): any school may take
        one, as long as the sender keeps what it meets."""
        p = self.problem
        capacity = self.swap_capacity()
        public_only = p.settings.limits.transfer_public_only
        for stage, sigs in available.items():
            for sig, count in sigs.items():
                if capacity.get((stage, sig), 0) >= 2 or not self._helps_rotation(sig):
                    continue
                for part in p.stage_parts(stage):
                    own = len(p.movable.get((part.index, sig), ()))
                    lack = self.lack(part, sig)
                    if ((part.index, sig) in receiving or count - own <= 0 or not lack
                            or (public_only and not part.public)):
                        continue
                    j = self._col("in", (part.index, sig), 0.0, float(min(count - own, lack)))
                    self._add_effects(j, self._effects(part, sig, 1.0))
                    self.ins[(stage, sig)].append(j)
                    receiving[(part.index, sig)] = j

    def lack(self, part: Part, sig: Signature) -> float:
        """How many teachers of ``sig`` the part may receive under the subject rule: its
        shortage of their subject (``limits.match_subjects: required``), else no cap."""
        subject = sig_subject(sig)
        if subject is None:
            return INF
        return float(self.problem.balance.lack(part.school.code, part.stage, subject))

    def _subject_rows(self) -> None:
        """The subject rule: what a part receives of a subject, over every kind of teacher
        of that subject, stays within its shortage of it."""
        by: dict[tuple[int, str], dict[int, float]] = defaultdict(dict)
        for j, c in enumerate(self.cols):
            if c.kind == "in" and (subject := sig_subject(c.key[1])) is not None:
                by[(c.key[0], subject)][j] = 1.0
        for (idx, subject), row in by.items():
            if len(row) > 1:
                self.rows.append((-INF, self.lack(self.problem.parts[idx], ((), (), subject)), row))

    def _swap_vars(self) -> None:
        """Pairs of teachers of one signature exchanging schools: no indicator moves,
        the rotation count does. Only when the rotation rule fails now."""
        p, s = self.problem, self.problem.settings
        rot = p.rotation
        if rot is None or rot.passes_now() or s.costs.transfer is None:
            return
        # A school's transfers take room under its spread cap that its exchanges then lack:
        # every teacher a school of the pool sends or receives counts against the pool (at
        # most one place each), so that the exchanges can always be placed within the caps.
        moves_at: dict[str, list[int]] = defaultdict(list)
        for j, c in enumerate(self.cols):
            if c.kind in ("in", "out"):
                moves_at[p.parts[c.key[0]].school.code].append(j)
        pools = self.swap_pools()
        for key, cap in self.swap_capacity().items():
            helps = any(dn - r.threshold * dd > 0 for r, (dn, dd) in zip(rot.rules, key[1][1], strict=True))
            if cap < 2 or not helps:
                continue
            j = self._col("swap", key, 2 * (s.costs.transfer or 0.0), cap // 2)
            row = {j: 2.0} | {o: 1.0 for o in self.outs.get(key, [])}
            for code, n in pools[key].items():
                if n:
                    row |= {o: 1.0 for o in moves_at.get(code, ())}
            self.rows.append((-INF, float(cap), row))

    def _room_vars(self) -> None:
        costs = self.problem.settings.costs
        for i, need in enumerate(self.problem.rooms):
            key = ("rooms", need.school.code, str(need.room_type))
            label = f"{need.school.name}{'音乐' if need.room_type == 'music' else '美术'}专用教室"
            row: dict[int, float] = {}
            refit_cost = costs.room_refit.get(need.room_type)
            build_cost = costs.room_build.get(need.room_type)
            if refit_cost is not None and need.small:
                row[self._col("refit", (i,), refit_cost,
                              min(len(need.small), need.need))] = 1.0
            if build_cost is not None:
                row[self._col("build", (i,), build_cost,
                              need.need)] = 1.0
            y = self._goal(key, label)
            row[y] = -float(need.need)
            self.rows.append((0.0, INF, row))

    # --- rows ----------------------------------------------------------------------

    def need_row(self, part: Part, k: int, ratio: float) -> tuple[dict[int, float], float]:
        """Σ coef·x ≥ need so that the numerator reaches ``ratio`` × required, with the
        row kept integral where the decisions allow it."""
        expr = dict(self.expr.get((part.index, k), {}))
        amount = ratio * part.required[k] * (1 - _REL) - part.u0[k]
        if len(expr) == 1:
            (j, c), = expr.items()
            return {j: math.copysign(1.0, c)}, _ceil(amount / abs(c))
        if all(float(c).is_integer() for c in expr.values()):
            return expr, _ceil(amount)
        return expr, amount + 1e-9 * abs(part.required[k])

    def _school_rows(self) -> None:
        p = self.problem
        rule = p.pass_rule
        for part in p.failing():
            y = self._goal(("school", part.school.code, str(part.stage)), part.label())
            unmet = [k for k in range(len(p.indicators)) if not part.met[k]]
            if rule is None or rule.kind == "all_met":
                for k in unmet:
                    expr, need = self.need_row(part, k, 1.0)
                    self.rows.append((0.0, INF, expr | {y: -max(need, 0.0)}))
                continue
            must = rule.min_met - (len(p.indicators) - len(unmet))
            meets = []
            for k in unmet:
                expr, floor_need = self.need_row(part, k, rule.floor_ratio)
                floor_need = max(floor_need, 0.0)
                row = expr | {y: -floor_need}
                if must > 0:
                    _, full_need = self.need_row(part, k, 1.0)
                    m = self._col("meet", (part.index, k), ub=1)
                    meets.append(m)
                    row[m] = -(max(full_need, 0.0) - floor_need)
                    self.rows.append((-INF, 0.0, {m: 1.0, y: -1.0}))
                self.rows.append((0.0, INF, row))
            if must > 0:
                self.rows.append((0.0, INF, {m: 1.0 for m in meets} | {y: -float(must)}))

    def _keep_rows(self) -> None:
        """A part that sends teachers keeps every indicator it meets and lets none it
        misses fall further (a failing part may send what it has in surplus)."""
        for (idx, k), expr in self.expr.items():
            part = self.problem.parts[idx]
            if all(c >= 0 for c in expr.values()):
                continue
            if part.met[k]:
                row, need = self.need_row(part, k, 1.0)
                self.rows.append((need, INF, row))
            else:
                self.rows.append((0.0, INF, dict(expr)))

    def _limit_rows(self) -> None:
        limits = self.problem.settings.limits
        caps = {"hire": limits.max_hires_per_school, "in": limits.max_transfers_in_per_school,
                "out": limits.max_transfers_out_per_school}
        for kind, cap in caps.items():
            if cap is None:
                continue
            by_school: dict[str, dict[int, float]] = defaultdict(dict)
            for j, c in enumerate(self.cols):
                if c.kind == kind:
                    by_school[self.problem.parts[c.key[0]].school.code][j] = 1.0
            for row in by_school.values():
                self.rows.append((-INF, float(cap), row))
        # 核定编制数: a school with a quota ends no higher — new teachers and teachers
        # received take posts (counted in full: a received teacher may be 在编), teachers
        # sent are not counted as freeing one (they may be 编外).
        room = self.problem.quota_room
        by_school = defaultdict(dict)
        for j, c in enumerate(self.cols):
            if c.kind in ("hire", "in"):
                by_school[self.problem.parts[c.key[0]].school.code][j] = 1.0
        for code, row in by_school.items():
            if code in room:
                self.rows.append((-INF, float(room[code]), row))
        # The spread rule: no school sends or receives more than max(2, 15 %) of its
        # compulsory-stage teachers in one year (limits.transfer_share / transfer_floor).
        spread = self.problem.transfer_caps
        for kind in ("in", "out"):
            by_school = defaultdict(dict)
            for j, c in enumerate(self.cols):
                if c.kind == kind:
                    by_school[self.problem.parts[c.key[0]].school.code][j] = 1.0
            for code, row in by_school.items():
                if code in spread:
                    self.rows.append((-INF, float(spread[code]), row))

    def _rotation_rows(self) -> None:
        rot = self.problem.rotation
        if rot is None:
            return
        failing = not rot.passes_now()
        y = self._goal(("rotation", rot.item_id), f"{rot.item_id} 教师交流轮岗") if failing else None
        for i, (rule, (num, den)) in enumerate(zip(rot.rules, rot.counts, strict=True)):
            row: dict[int, float] = {}
            for j, c in enumerate(self.cols):
                if c.kind in ("out", "swap"):
                    dn, dd = c.key[1][1][i]
                    times = 2.0 if c.kind == "swap" else 1.0
                elif c.kind == "hire":
                    part = self.problem.parts[c.key[0]]
                    dn, dd = self.problem.hires[(part.stage, c.key[1])][1][i]
                    times = 1.0
                else:
                    continue
                if dn - rule.threshold * dd:
                    row[j] = times * (dn - rule.threshold * dd)
            rhs = rule.threshold * den - num
            # Scale by 1/θ when that makes the row integral (θ = 0.2: 4·backbone − others).
            for scale in (1.0, 1.0 / rule.threshold if rule.threshold > 0 else 1.0):
                if all(abs(v * scale - round(v * scale)) < 1e-9 for v in row.values()):
                    row = {j: float(round(v * scale)) for j, v in row.items()}
                    rhs = _ceil(rhs * scale)
                    break
            if y is None or rhs <= 0:
                self.rows.append((rhs, INF, row))
                continue
            lo = sum(min(0.0, v) * self.cols[j].ub for j, v in row.items())
            self.rows.append((lo, INF, row | {y: -(rhs - lo)}))

    def _cv_rows(self) -> None:
        p = self.problem
        for stage in p.cv_limits:
            parts = p.stage_parts(stage)
            for k, ind in enumerate(p.indicators):
                block = None
                cv = p.before.dispersion.get(stage, {}).get(ind.id)
                if (self.cv_modelled is not None and (stage, k) not in self.cv_modelled
                        and not (cv is not None and cv.passed is False)):
                    continue
                if ind.plannable and any(self.expr.get((q.index, k)) for q in parts):
                    block = CvBlock.build(self, stage, k)
                if block is not None:
                    self.cv[(stage, k)] = block
                    continue
                if cv is not None and cv.passed is False:
                    # Nothing in the model moves this CV: a goal that can only be 0.
                    y = self._goal(("cv", str(stage), ind.id), f"{STAGE_ZH[stage]}「{ind.name}」差异系数")
                    self.rows.append((-INF, 0.0, {y: 1.0}))

    # --- HiGHS ---------------------------------------------------------------------

    def highs(self) -> highspy.Highs:
        lp = highs_lp(self.cols, self.rows)
        h = highspy.Highs()
        h.silent()
        h.passModel(lp)
        solver = self.problem.settings.solver
        h.setOptionValue("mip_rel_gap", solver.mip_gap)
        # Count rows are integral, so the default integrality tolerance loses nothing
        # (values are rounded and re-checked by the engine); a tighter one makes HiGHS
        # spend its root in conflict analysis. The LP tolerance stays tight for the planes.
        h.setOptionValue("primal_feasibility_tolerance", 1e-9)
        return h

    def push_row(self, h: highspy.Highs, index: int) -> None:
        lo, hi, row = self.rows[index]
        h.addRow(lo, hi, len(row), np.array(list(row), dtype=np.int32), np.array(list(row.values()), dtype=float))


def highs_lp(cols: list[Col], rows: list[tuple[float, float, dict[int, float]]],
             cost: list[float] | None = None) -> highspy.HighsLp:
    """Columns (0 ≤ x ≤ ub, integral where marked) and rows (lo ≤ Σ c·x ≤ hi, by column
    index) as a HiGHS model; ``cost``: the objective, else each column's own cost."""
    lp = highspy.HighsLp()
    n = len(cols)
    lp.num_col_ = n
    lp.num_row_ = len(rows)
    lp.col_cost_ = np.array([c.cost for c in cols] if cost is None else cost, dtype=float)
    lp.col_lower_ = np.zeros(n)
    lp.col_upper_ = np.array([c.ub for c in cols], dtype=float)
    lp.row_lower_ = np.array([r[0] for r in rows], dtype=float)
    lp.row_upper_ = np.array([r[1] for r in rows], dtype=float)
    starts, index, values = [0], [], []
    for _, _, row in rows:
        index += list(row.keys())
        values += list(row.values())
        starts.append(len(index))
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(index, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(values, dtype=float)
    lp.integrality_ = [highspy.HighsVarType.kInteger if c.integer else highspy.HighsVarType.kContinuous
                       for c in cols]
    return lp
