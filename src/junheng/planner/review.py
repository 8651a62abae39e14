"""What the engine's re-evaluation says about a plan: which goals it confirms, what
still fails, what the plan claims but does not do, and why an unreachable goal cannot
be reached (all Chinese, for the plan's lists)."""

from __future__ import annotations

from junheng.core.facts import STAGE_ZH, Stage
from junheng.core.result import Evaluation, display_round
from junheng.planner.forms import FIELD_ACTIONS
from junheng.planner.model import PlanModel
from junheng.planner.plan import Goal
from junheng.planner.problem import Problem


def confirmed(p: Problem, goals: list[Goal], after: Evaluation) -> list[Goal]:
    """The goals the engine finds met after the plan."""
    parts = {(s.school_code, str(s.stage)): s for s in after.schools}
    out = []
    for g in goals:
        if g.kind == "school":
            ok = parts[(g.key[0], g.key[1])].passed
        elif g.kind == "cv":
            d = after.dispersion.get(Stage(g.key[0]), {}).get(g.key[1])
            ok = d is None or d.passed is not False
        elif g.kind == "rooms":
            item = after.items.get(next(n.item_id for n in p.rooms if n.school.code == g.key[0]))
            ok = item is None or not any(f.get("school_code") == g.key[0]
                                         and f.get(f"{g.key[1]}_ok", 0) < f["required"] for f in item.failures)
        else:
            ok = after.items[g.key[0]].passed is True
        if ok:
            out.append(g)
    return out


def explain(m: PlanModel, key: tuple) -> str:
    """Why a goal cannot be reached whatever the budget (Chinese)."""
    p = m.problem
    label = m.goal_labels[key]
    if key[0] == "school":
        part = next(q for q in p.parts if q.school.code == key[1] and str(q.stage) == key[2])
        floor = p.pass_rule.floor_ratio if p.pass_rule and p.pass_rule.kind != "all_met" else 1.0
        reasons = []
        room = p.quota_room.get(part.school.code)
        spread = p.transfer_caps.get(part.school.code)
        for k, ind in enumerate(p.indicators):
            if part.met[k]:
                continue
            expr = m.expr.get((part.index, k), {})
            best, capped = _best(m, part, k, expr, room, spread)
            if not expr:
                reasons.append(f"{ind.id}{ind.name}无法提高（{ind.reason or _no_action(m, part, k)}）")
            elif best < part.required[k] * floor:
                why = f"（核定编制数只余 {room} 名，新聘和调入教师不能超过）" if capped else ""
                reasons.append(f"{ind.id}{ind.name}最多只能达到标准的 {best / part.required[k]:.0%}{why}")
        detail = "；".join(reasons) if reasons else "可用措施不足以满足“至少 6 项达标、其余不低于 85%”"
        return f"{label}：{detail}"
    if key[0] == "cv":
        return f"{label}：在现有措施和可新增上限内无法降到限值以内"
    if key[0] == "rooms":
        return f"{label}：新建和改造专用教室的费用均未设置（null），无法安排"
    subjects = ("，且调入的须为调入学校紧缺学科的教师、对口交流的两名教师学科相同"
                if p.settings.limits.match_subjects == "required" else "")
    return (f"{label}：在各校已达标指标和差异系数不受影响的前提下{subjects}，可调配（公办学校、未填“可调配=否”、"
            f"本学年未交流过）的教师不足以达到交流轮岗比例")


def _best(m: PlanModel, part, k: int, expr: dict[int, float], room: int | None,
          spread: int | None) -> tuple[float, bool]:
    """The most an indicator's numerator can reach by the part's own decisions at their
    bounds, teachers received capped by the spread rule and new plus received teachers
    by the school's remaining 核定编制; and whether that quota is what stops it."""
    field = sum(max(0.0, c) * m.cols[j].ub for j, c in expr.items() if m.cols[j].kind not in ("hire", "in"))
    per = max((c for j, c in expr.items() if m.cols[j].kind in ("hire", "in")), default=0.0)
    hired = sum(max(0.0, c) * m.cols[j].ub for j, c in expr.items() if m.cols[j].kind == "hire")
    received = sum(max(0.0, c) * m.cols[j].ub for j, c in expr.items() if m.cols[j].kind == "in")
    if spread is not None:
        received = min(received, spread * per)
    teachers = hired + received
    capped = room is not None and room * per < teachers
    if capped:
        teachers = room * per
    return part.u0[k] + field + teachers, capped


def _no_action(m: PlanModel, part, k: int) -> str:
    """Why no action reaches indicator ``k`` of ``part`` (Chinese)."""
    p = m.problem
    form = p.indicators[k].forms[part.stage]
    why = []
    for fname in form.fields:
        key, label, unit, _ = FIELD_ACTIONS[fname]
        cap = m.field_cap(part.school, fname)
        if getattr(p.settings.costs, key) is None:
            why.append(f"{label}费用设为 null")
        elif cap is not None and cap < m.field_step(fname) * m.least_steps(fname):
            least = m.field_step(fname) * m.least_steps(fname)
            why.append(f"{label}的可新增上限为 {cap:g} {unit}" + (f"，不足一次建设的最小规模 {least:g} {unit}"
                                                               if cap > 0 else ""))
    if form.teachers:
        why.append("没有可新聘（费用为 null）或可调入的此类教师")
    return "；".join(why) or "没有可用措施"


def still_failing(p: Problem, after: Evaluation) -> list[str]:
    out = [f"{s.name}（{STAGE_ZH[s.stage]}）：{s.reason}" for s in after.schools if not s.passed]
    for stage, table in after.dispersion.items():
        for ind_id, d in table.items():
            if d.passed is False:
                out.append(f"{STAGE_ZH[stage]}「{_name(p, ind_id)}」差异系数 {display_round(d.cv, 3):.3f}，"
                           f"超过 {d.limit:.2f}")
    planned = {n.item_id for n in p.rooms} | ({p.rotation.item_id} if p.rotation else set())
    for item_id in sorted(planned):
        item = after.items.get(item_id)
        if item is not None and item.passed is False:
            out.append(f"{item_id} {item.name}：{item.message}")
    return out


def _name(p: Problem, ind_id: str) -> str:
    return next((i.name for i in p.indicators if i.id == ind_id), ind_id)


def outside(p: Problem, before: Evaluation) -> list[str]:
    """Failing items no action of the plan can change (G4 school size, G14 ...)."""
    planned = {n.item_id for n in p.rooms} | ({p.rotation.item_id} if p.rotation else set())
    items = [i for i in before.items.values() if i.passed is False and i.item_id not in planned
             and p.standard.dimension(i.dimension).counts_for_verdict]
    if not items:
        return []
    return ["以下未达标项目不在本方案措施范围内，需另行整改：" + "；".join(f"{i.item_id} {i.name}" for i in items)]


def check(claimed: list[Goal], after: Evaluation, p: Problem) -> list[str]:
    """Anything the plan claims that the engine does not confirm, and anything that
    passed before and fails after (a new teacher's training hours, say)."""
    out = []
    parts = {(s.school_code, str(s.stage)): s for s in after.schools}
    for g in claimed:
        if g.kind == "school" and not parts[(g.key[0], g.key[1])].passed:
            out.append(f"方案声称{g.label}达标，但复核未达标")
        elif g.kind == "cv":
            d = after.dispersion.get(Stage(g.key[0]), {}).get(g.key[1])
            if d is not None and d.passed is False:
                out.append(f"方案声称{g.label}达标，但复核未达标")
        elif g.kind == "rooms":
            item = after.items.get(next(n.item_id for n in p.rooms if n.school.code == g.key[0]))
            if item is not None and any(f.get("school_code") == g.key[0] and f.get(f"{g.key[1]}_ok", 0) < f["required"]
                                        for f in item.failures):
                out.append(f"方案声称{g.label}达标，但复核未达标")
        elif g.kind == "rotation" and after.items[g.key[0]].passed is not True:
            out.append(f"方案声称{g.label}达标，但复核未达标")
    for item_id, item in p.before.items.items():
        if item.passed is True and after.items[item_id].passed is False:
            out.append(f"{item_id} {item.name} 调整前达标，调整后未达标：{after.items[item_id].message}")
    return out
