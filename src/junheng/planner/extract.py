"""From a MILP solution to concrete actions: which teachers move where, what is built.

The model counts teachers by signature; here real teachers are picked (those eligible
for rotation first, then by id), senders matched to receivers, exchange pairs formed
across two different schools, and new teachers given fresh ids and named by the
subjects their schools lack once the transfers are placed. Costs are priced from
the actions themselves, so the plan's total is what the actions cost.
"""

from __future__ import annotations

from collections import defaultdict

from junheng.core.facts import Stage, Teacher
from junheng.planner.model import PlanModel
from junheng.planner.plan import Actions, FieldAddition, Hire, RoomWork, Transfer
from junheng.planner.problem import Signature
from junheng.planner.subjects import hire_subjects


def extract_actions(model: PlanModel, values: list[float]) -> Actions:
    p = model.problem
    x = [max(0, round(v)) for v in values]
    actions = Actions(years=p.settings.costs.years)
    transfer_cost = p.settings.costs.transfer or 0.0
    nets: dict[tuple[Stage, Signature], dict[int, list[int]]] = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    swaps: dict[tuple[Stage, Signature], int] = {}
    ids = _ids({t.teacher_id for t in p.data.teachers})
    for j, col in enumerate(model.cols):
        n = x[j]
        if not n:
            continue
        if col.kind == "field":
            code, fname = col.key
            actions.fields.append(FieldAddition(code, fname, n * model.field_step(fname), n * col.cost))
        elif col.kind == "hire":
            part = p.parts[col.key[0]]
            new = tuple(next(ids) for _ in range(n))
            yearly = p.hire_kinds[col.key[1]].cost or 0.0
            actions.hires.append(Hire(part.school.code, part.stage, col.key[1], n, n * yearly, new))
        elif col.kind in ("in", "out"):
            idx, sig = col.key
            nets[(p.parts[idx].stage, sig)][idx][0 if col.kind == "in" else 1] += n
        elif col.kind == "swap":
            swaps[col.key] = n
        elif col.kind in ("refit", "build"):
            need = p.rooms[col.key[0]]
            refit = n if col.kind == "refit" else 0
            actions.rooms.append(RoomWork(need.school.code, need.room_type, refit, n - refit, need.min_area,
                                          n * col.cost))
    moved: set[str] = set()
    balance = p.balance.copy()  # updated as teachers are placed; the problem's stays as the data are
    code_of = {part.index: part.school.code for part in p.parts}
    for (stage, sig), flows in nets.items():
        pools = {idx: list(p.movable.get((idx, sig), ())) for idx in flows}
        for src, dst in _match(flows, lambda i: balance.area_of.get(code_of[i])):
            teacher = _pick(pools[src], code_of[src], code_of[dst], balance, p.settings.limits.match_subjects != "off")
            balance.moved(teacher, code_of[src], code_of[dst])
            actions.transfers.append(Transfer(teacher.teacher_id, stage, code_of[src], code_of[dst], transfer_cost,
                                              counts_for=_counts_for(model, sig),
                                              subject=balance.subject(teacher)))
            moved.add(teacher.teacher_id)
    used: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # teachers each school sends, receives
    for t in actions.transfers:
        used[t.from_code][0] += 1
        used[t.to_code][1] += 1
    for (stage, sig), pairs in swaps.items():
        actions.transfers += _exchanges(model, stage, sig, pairs, moved, transfer_cost, used)
    actions.hires = hire_subjects(p, actions.hires, balance)  # after the transfers: they fill shortages first
    return actions


def _match(flows: dict[int, list[int]], area=lambda i: None) -> list[tuple[int, int]]:
    """Pair each teacher sent with a receiving part of another school, a receiver in the
    sender's ``area`` (same 乡镇 or 教育集团) first. The model keeps in + out ≤ total for
    every part (Hall's condition); a part whose in + out equals what is left (a "tight"
    part) must be in the next pair — with the other tight part if there are two — which
    keeps it true to the end whatever else is chosen."""
    ins = {i: f[0] for i, f in flows.items()}
    outs = {i: f[1] for i, f in flows.items()}
    pairs = []
    left = sum(outs.values())

    def size(i: int) -> tuple[int, int]:
        return (ins[i] + outs[i], -i)

    by_area: dict[object, list[int]] = defaultdict(list)  # receivers of each area, largest first
    for i in sorted(flows, key=size, reverse=True):
        if ins[i] and area(i) is not None:
            by_area[area(i)].append(i)

    def near(a: int, b: int) -> bool:
        return area(a) is not None and area(a) == area(b)

    while left:
        tight = [i for i in flows if ins[i] + outs[i] >= left]
        senders = sorted((i for i in flows if outs[i]), key=size, reverse=True)
        receivers = sorted((i for i in flows if ins[i]), key=size, reverse=True)
        pair = None
        if tight:  # the pair must hold the tight part (and the other one, if two are tight)
            t, other = tight[0], (tight[1] if len(tight) > 1 else None)
            options = [(t, b) for b in receivers if b != t and other in (None, b)] if outs[t] else []
            if ins[t]:
                options += [(a, t) for a in senders if a != t and other in (None, a)]
            pair = next((o for o in options if near(*o)), options[0])
        else:
            for a in senders:  # a receiver in the sender's area, if any sender has one
                b = next((b for b in by_area.get(area(a), ()) if ins[b] and b != a), None) \
                    if area(a) is not None else None
                if b is not None:
                    pair = (a, b)
                    break
            if pair is None:
                a = senders[0]
                pair = (a, next(b for b in receivers if b != a))
        assert pair is not None  # Hall's condition guarantees a pair
        src, dst = pair
        pairs.append((src, dst))
        outs[src] -= 1
        ins[dst] -= 1
        left -= 1
    return pairs


def _pick(pool: list[Teacher], src: str, dst: str, balance, by_subject: bool = True) -> Teacher:
    """The teacher of a kind to move from ``src`` to ``dst``: one of a subject the receiver
    lacks, from a subject the sender has more of than it needs, first (the rest in the
    planner's order: eligible for rotation first, then by id). Every teacher of a kind
    counts alike for the standard, so this choice changes no indicator."""
    if not by_subject:
        return pool.pop(0)
    best = max(range(len(pool)), key=lambda i: (*balance.score(pool[i], src, dst), -i))
    return pool.pop(best)


def _counts_for(model: PlanModel, sig: Signature) -> tuple[str, ...]:
    return tuple(ind.name for ind, e in zip(model.problem.indicators, sig[0], strict=True) if e > 0)


def _ids(taken: set[str]):
    seq = 0
    while True:
        seq += 1
        tid = f"新聘{seq:04d}"
        if tid not in taken:
            yield tid


def _exchanges(model: PlanModel, stage: Stage, sig: Signature, pairs: int, moved: set[str],
               cost: float, used: dict[str, list[int]]) -> list[Transfer]:
    """``pairs`` exchanges of two eligible teachers of signature ``sig`` between two
    different schools (the model left enough teachers outside the largest school)."""
    p = model.problem
    pool: dict[str, list[Teacher]] = defaultdict(list)
    for (idx, s), teachers in p.movable.items():
        part = p.parts[idx]
        if part.stage is stage and s == sig:
            pool[part.school.code] += [t for t in teachers if t.rotation_eligible and t.teacher_id not in moved]
    taken: dict[str, int] = defaultdict(int)
    chosen: list[tuple[str, Teacher]] = []
    caps = p.transfer_caps
    for _ in range(2 * pairs):
        open_ = [c for c in pool if taken[c] < len(pool[c]) and taken[c] < pairs]
        # the spread rule: prefer schools that still have room under their cap
        room = [c for c in open_ if max(used[c]) + taken[c] + 1 <= caps.get(c, 10**9)]
        code = max(room or open_, key=lambda c: (len(pool[c]) - taken[c], c))
        chosen.append((code, pool[code][taken[code]]))
        taken[code] += 1
    chosen.sort(key=lambda ct: ct[0])
    out: list[Transfer] = []
    for (a, ta), (b, tb) in zip(chosen[:pairs], chosen[pairs:], strict=True):
        counts = _counts_for(model, sig)
        out.append(Transfer(ta.teacher_id, stage, a, b, cost, rotation_only=True, counts_for=counts))
        out.append(Transfer(tb.teacher_id, stage, b, a, cost, rotation_only=True, counts_for=counts))
        moved |= {ta.teacher_id, tb.teacher_id}
        for code in (a, b):  # each sends one and receives one
            used[code][0] += 1
            used[code][1] += 1
    return out
