"""A plan's actions as flat, machine-readable rows — one per action — and the plan as
a JSON document (``junheng plan --format json``; schema in docs/plan.schema.json).

The same rows are the 措施 sheets of plan.xlsx (numbers as numbers), which a bureau
may edit and check again with ``junheng plan check``. Transfers are grouped by sending
and receiving school (the teachers named in ``teacher_ids``); costs are split into
one-off (建设、设备、改造、调配补贴) and yearly (新聘教师的工资等).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from junheng.core.facts import ROOM_TYPE_ZH, STAGE_ZH
from junheng.planner.forms import FIELD_ACTIONS
from junheng.planner.plan import Plan

SCHEMA_ID = "https://junheng.example/schemas/plan-1.json"

# The columns of an action row, in order, with their Chinese headers (the 措施 sheets).
ACTION_COLUMNS: tuple[tuple[str, str], ...] = (
    ("year", "年度"),
    ("school_code", "学校标识码"),
    ("school_name", "学校名称"),
    ("stage", "学段"),
    ("measure", "措施代码"),
    ("measure_name", "措施"),
    ("quantity", "数量"),
    ("unit", "单位"),
    ("one_off_cost", "一次性费用（元）"),
    ("annual_cost", "每年经常性费用（元）"),
    ("from_school", "调出学校标识码"),
    ("to_school", "调入学校标识码"),
    ("teacher_ids", "教师编号"),
    ("subject", "学科"),
)

MEASURE_ZH = {
    "transfer": "县管校聘调配教师",
    "exchange": "对口交流轮岗",
    **{f: label for f, (_k, label, _u, _y) in FIELD_ACTIONS.items()},
    **{f"room_refit:{t}": f"改造{zh}专用教室" for t, zh in ROOM_TYPE_ZH.items()},
    **{f"room_build:{t}": f"新建{zh}专用教室" for t, zh in ROOM_TYPE_ZH.items()},
}


def action_rows(plan: Plan, year: int = 1) -> list[dict[str, Any]]:
    """One dict per action (keys of ACTION_COLUMNS; teacher_ids a list)."""
    a = plan.actions
    names = plan.school_names
    rows: list[dict[str, Any]] = []

    sched = plan.schedule

    def row(key: tuple[str, int], code: str, stage: str | None, measure: str, name: str, quantity: float,
            unit: str, one_off: float = 0.0, annual: float = 0.0, **more: Any) -> None:
        rows.append({"year": year if sched is None else sched.year_of.get(key), "school_code": code, "school_name": names.get(code, code), "stage": stage,
                     "measure": measure, "measure_name": name, "quantity": quantity, "unit": unit,
                     "one_off_cost": one_off, "annual_cost": annual, "from_school": None, "to_school": None,
                     "teacher_ids": [], "subject": None, **more})

    groups: dict[tuple, list] = defaultdict(list)
    first: dict[tuple, int] = {}
    for i, t in enumerate(a.transfers):
        g = (t.from_code, t.to_code, str(t.stage), t.rotation_only)
        groups[g].append(t)
        first.setdefault(g, i)
    for (src, dst, stage, swap), moved in groups.items():
        measure = "exchange" if swap else "transfer"
        row(("transfers", first[src, dst, stage, swap]), dst, stage, measure, MEASURE_ZH[measure], len(moved), "名", sum(t.cost for t in moved),
            from_school=src, to_school=dst, teacher_ids=[t.teacher_id for t in moved],
            subject="、".join(dict.fromkeys(t.subject for t in moved if t.subject)) or None)
    for i, h in enumerate(a.hires):
        row(("hires", i), h.school_code, str(h.stage), f"hire:{h.kind}", plan.hire_names.get(h.kind, h.kind), h.count, "名",
            annual=h.cost, teacher_ids=list(h.teacher_ids), subject=h.subject or None)
    for i, f in enumerate(a.fields):
        _key, label, unit, _yuan = FIELD_ACTIONS[f.field]
        row(("fields", i), f.school_code, None, f.field, label, round(f.amount, 4), unit, f.cost)
    for i, w in enumerate(a.rooms):
        for verb, n in (("refit", w.refit), ("build", w.build)):
            if n:
                measure = f"room_{verb}:{w.room_type}"
                row(("rooms", i), w.school_code, None, measure, MEASURE_ZH[measure], n, "间", w.cost)
    return rows


def plan_document(plan: Plan, status_text: str) -> dict[str, Any]:
    """The plan as JSON (docs/plan.schema.json)."""
    a = plan.actions
    before, after = plan.before, plan.after
    claimed = {(g.kind, g.key) for g in plan.claimed}
    return {
        "$schema": SCHEMA_ID,
        "county_code": before.county_code,
        "county_name": before.county_name,
        "school_year": before.school_year,
        "standard": before.standard_id,
        "status": plan.status,
        "status_text": status_text,
        "source": plan.source,
        "budget": plan.budget,
        "budget_fits": plan.budget_fits,
        "needed": plan.needed,
        "cost": {"one_off": a.one_off, "annual": a.annual, "years": a.years, "total": a.cost,
                 "post_fill_annual": plan.post_fill_annual},
        "bound": plan.lower_bound,
        "gap": plan.gap,
        "proven_optimal": plan.status == "optimal",
        "topup_cost": plan.topup_cost,
        "solve_seconds": round(plan.solve_seconds, 3),
        "time_limit": plan.time_limit,
        "rules": list(plan.rules),
        "settings": plan.settings or {},
        "actions": action_rows(plan),
        "goals": [{"kind": g.kind, "key": list(g.key), "label": g.label, "claimed": (g.kind, g.key) in claimed}
                  for g in plan.goals],
        "after": {
            "resource_passed": plan.resource_passes,
            "recognised": bool(after.recognised),
            "failing_schools": sum(1 for r in after.schools if not r.passed),
        },
        "still_failing": list(plan.still_failing),
        **({} if plan.schedule is None else year_documents(plan)),
        "unreachable": list(plan.unreachable),
        "unfilled_posts": [{"school_code": f.school_code, "school_name": plan.school_names.get(f.school_code, f.school_code),
                            "staff_quota": f.staff_quota, "established": f.established, "contract": f.contract,
                            "vacant": f.vacant, "hires": f.hires, "annual_cost": f.cost,
                            "year": None if plan.schedule is None else plan.schedule.year_of.get(("post_fills", i))}
                           for i, f in enumerate(plan.post_fills)],
        "notes": list(plan.notes),
        "warnings": list(plan.warnings),
    }


def year_documents(plan: Plan) -> dict[str, Any]:
    """A multi-year plan's ``years`` (each year's spending and the engine's expected
    result) and ``schedule`` (target year, whether everything fits, the shortfall)."""
    s = plan.schedule
    assert s is not None
    return {
        "years": [{"year": r.year, "calendar_year": r.calendar_year, "budget": r.budget, "one_off": r.one_off,
                   "annual": r.annual, "post_fill": r.post_fill, "spent": r.spent, "schools": list(r.schools), "recognised": r.recognised,
                   "resource_passed": r.resource_passed, "failing_schools": r.failing_schools,
                   "still_failing": list(r.still_failing)} for r in s.results],
        "schedule": {"target_year": s.target, "fits": s.fits, "shortfall": s.shortfall,
                     "late_schools": list(s.late_schools)},
    }


def year_rows(plan: Plan) -> list[tuple[str, str]]:
    """「第N年」 rows (label, Chinese text) for the screen and the summary sheet."""
    s = plan.schedule
    if s is None:
        return []
    out = []
    for r in s.results:
        verdict = "预计认定" if r.recognised else "预计仍不能认定"
        rest = f"，仍未达标 {len(r.still_failing)} 项" if r.still_failing else ""
        out.append((f"第{r.year}年（{r.calendar_year}年）",
                    f"预算 {r.budget:,.0f} 元，支出 {r.spent:,.0f} 元（一次性 {r.one_off:,.0f} 元，"
                    f"经常性 {r.annual:,.0f} 元"
                    + (f"，含有编不补在编教师 {r.post_fill:,.0f} 元" if r.post_fill else "")
                    + f"），实施 {len(r.schools)} 所学校的措施；"
                    f"资源配置{'达标' if r.resource_passed else '未达标'}，{verdict}{rest}"))
    last = s.results[s.target - 1]
    if not s.fits:
        out.append(("预算缺口", f"按各年预算，到第{s.target}年（{last.calendar_year}年）无法完成全部措施："
                                f"{len(s.late_schools)} 所学校的部分或全部措施排不进预算，尚差 {s.shortfall:,.0f} 元"))
    return out


def stage_text(stage: str | None) -> str:
    return "" if stage is None else STAGE_ZH.get(stage, stage)  # type: ignore[call-overload]
