"""The plan as a report section: Chinese tables every renderer shows the same way.

``plan_section(plan)`` is the one presentation of a :class:`~junheng.planner.plan.Plan`:
the CLI, the plan workbook, the HTML page (and any report that includes a plan) render
its summary and tables; numbers stay numbers (Excel gets real cells) and the county
after the plan is always the engine's re-evaluation, ``plan.after``.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from junheng.core.facts import ROOM_TYPE_ZH, STAGE_ZH, Stage
from junheng.core.result import Evaluation, SchoolResult
from junheng.planner.forms import FIELD_ACTIONS
from junheng.planner.plan import Plan
from junheng.reports.documents.plan_actions import plan_document, year_rows
from junheng.reports.numbers import amount, cv, limit, percent

STATUS_ZH = {
    "optimal": "已证明费用最低",
    "feasible": "已找到整改方案",
    "partial": "预算不足：以下为预算内能解决最多问题的方案，仍有问题未解决",
    "unreachable": "部分问题无论投入多少都无法用现有措施解决：以下为能解决部分的最低费用方案",
    "nothing_to_do": "资源配置及相关项目均已达标，无需整改",
    "timeout": "求解时间内未找到方案",
}


def status_text(plan: Plan) -> str:
    """The plan's status as a bureau reads it: proven cheapest only at a proven optimum,
    otherwise how far above the proven bound the cost can be; with a budget, whether
    passing everything fits and, when not, the proven minimum."""
    if plan.status == "optimal":
        text = f"已证明费用最低（与费用下界相差不超过 {plan.optimal_gap:.2%}）"
    elif plan.status == "feasible":
        if plan.lower_bound is not None and plan.lower_bound > 0:
            text = (f"费用不超过下界的 {plan.cost / plan.lower_bound:.2%}"
                    f"（求解时间内未证明最低，最多可能再省 {plan.gap:.2%}）")
        else:
            text = "已找到整改方案（求解时间内未能证明费用下界）"
    elif plan.status == "partial" and plan.budget is not None:
        if plan.needed is not None:
            text = f"预算不足：至少需要 {plan.needed:,.0f} 元"
        elif plan.needed_above_budget:
            text = f"预算不足：已证明全部达标所需费用高于预算 {plan.budget:,.0f} 元"
        else:
            text = "预算不足：求解时间内未找到预算内能全部达标的方案"
        if plan.full_cost is not None:
            text += f"（已找到的全部达标方案需 {plan.full_cost:,.0f} 元）"
        text += "；以下为预算内能解决最多问题的方案，仍有问题未解决"
    elif plan.status == "unreachable" and plan.lower_bound is not None:
        text = "部分问题无论投入多少都无法用现有措施解决；以下为解决其余问题的方案，"
        if plan.gap is not None and plan.gap <= plan.optimal_gap:
            text += f"已证明费用最低（与费用下界相差不超过 {plan.optimal_gap:.2%}）"
        elif plan.lower_bound > 0:
            text += f"费用不超过下界的 {plan.cost / plan.lower_bound:.2%}（求解时间内未证明最低）"
        else:
            text += "求解时间内未能证明费用下界"
    else:
        text = STATUS_ZH[plan.status]
    if plan.source == "topup" and plan.status in ("optimal", "feasible"):
        text += "；采用逐校补足方案（求解时间内未找到更省的方案）"
    if plan.budget is not None and plan.budget_fits and plan.status in ("optimal", "feasible"):
        text = f"预算内可行：{text}"
    return text


@dataclass
class SectionTable:
    key: str
    title: str
    headers: list[str]
    rows: list[list[Any]]
    money: list[int] = field(default_factory=list)  # columns in 元
    # Other numeric columns by kind of figure ("cv", "limit"): printed with the places
    # of numbers.cv / numbers.limit, written to Excel as numbers in the same format.
    kinds: dict[int, str] = field(default_factory=dict)


@dataclass
class PlanSection:
    title: str
    status: str
    summary: list[tuple[str, Any]]
    costs: SectionTable
    tables: list[SectionTable]
    still_failing: list[str]
    unreachable: list[str]
    notes: list[str]
    warnings: list[str]
    rules: list[str] = field(default_factory=list)  # what the lower bound assumes
    post_fills: list[str] = field(default_factory=list)  # 有编不补: 在编 hires in place of 编外 teachers
    document: dict[str, Any] = field(default_factory=dict)  # the machine-readable plan (JSON)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def passes(self) -> bool:
        return not self.still_failing


CELL_KINDS = {"cv": cv, "limit": limit}


def cell_text(value: Any, money: bool = False, kind: str | None = None) -> str:
    """How a cell of a plan table reads on screen and on the page (the workbook keeps
    the number): 元 with thousands separators, CVs and limits with their places, other
    amounts without trailing zeros."""
    if value is None:
        return "" if kind is None else "—"
    if isinstance(value, int | float) and not isinstance(value, bool):
        if kind in CELL_KINDS:
            return CELL_KINDS[kind](value)
        return f"{value:,.0f}" if money else amount(value)
    return str(value)


def row_texts(table: SectionTable, row: list[Any]) -> list[str]:
    """A row of ``table`` as the terminal and the page print it."""
    return [cell_text(v, c in table.money, table.kinds.get(c)) for c, v in enumerate(row)]


def table_view(table: SectionTable) -> dict[str, Any]:
    """A table as texts with a ``num`` class for numbers (HTML templates)."""
    rows = [[(text, "num" if isinstance(v, int | float) and not isinstance(v, bool) else "")
             for text, v in zip(row_texts(table, row), row, strict=True)] for row in table.rows]
    numeric = sorted({c for row in rows for c, (_, cls) in enumerate(row) if cls})
    return {"key": table.key, "title": table.title, "headers": table.headers, "rows": rows,
            "num_columns": numeric}  # columns holding a number: right-aligned, headers too


def plan_view(section: PlanSection) -> dict[str, Any]:
    """What the HTML report's plan section shows."""
    return {
        "title": section.title, "status": section.status, "passes": section.passes,
        "summary": [(label, str(value)) for label, value in section.summary],
        "costs": table_view(section.costs), "tables": [table_view(t) for t in section.tables],
        "lists": [(title, lines, cls) for title, lines, cls in (
            ("仍未达标（评估引擎复核）", section.still_failing, "fail"),
            ("无法通过现有措施解决", section.unreachable, "fail"),
            (POST_FILLS_TITLE, section.post_fills, ""),
            ("说明", section.notes, ""), ("费用下界所依据的规则", section.rules, ""),
            ("注意", section.warnings, "fail")) if lines],
        "years": years_view(section),
    }


YEAR_HEADERS = ["年度", "预算（元）", "一次性费用（元）", "经常性费用（元）", "支出合计（元）", "实施措施的学校",
                "资源配置（评估引擎复核）", "认定结论（预计）", "仍未达标"]
YEAR_ACTION_HEADERS = ["学校", "措施", "数量", "一次性费用（元）", "每年经常性费用（元）"]
# the columns of YEAR_HEADERS and YEAR_ACTION_HEADERS that hold money or a count (right-aligned)
YEAR_NUM_COLUMNS = [1, 2, 3, 4, 5, 8]
YEAR_ACTION_NUM_COLUMNS = [2, 3, 4]


def years_view(section: PlanSection) -> dict[str, Any] | None:
    """A multi-year plan on the page: one row per year (the figures of the JSON
    document's ``years``), the 预算缺口 line of the summary, and each year's actions (the
    rows of the 措施（第N年） sheets; 未安排 last). None for a plan without years."""
    doc = section.document
    if "years" not in doc:
        return None
    rows, lists = [], []
    for y in doc["years"]:
        label = f"第{y['year']}年（{y['calendar_year']}年）"
        rows.append([label, cell_text(y["budget"], True), cell_text(y["one_off"], True), cell_text(y["annual"], True),
                     cell_text(y["spent"], True), f"{len(y['schools'])} 所",
                     "达标" if y["resource_passed"] else "未达标", "预计认定" if y["recognised"] else "预计仍不能认定",
                     f"{len(y['still_failing'])} 项" if y["still_failing"] else "无"])
        lists.append({"title": label, "year": y["year"], "actions": _year_actions(doc, y["year"]),
                      "still_failing": list(y["still_failing"])})
    late = _year_actions(doc, None)
    if late:
        lists.append({"title": "未安排（预算内排不进）", "year": None, "actions": late, "still_failing": []})
    gap = next((str(text) for label, text in section.summary if label == "预算缺口"), None)
    s = doc["schedule"]
    return {"headers": YEAR_HEADERS, "rows": rows, "action_headers": YEAR_ACTION_HEADERS, "lists": lists,
            "num_columns": YEAR_NUM_COLUMNS, "action_num_columns": YEAR_ACTION_NUM_COLUMNS,
            "gap": gap, "fits": s["fits"], "target_year": doc["years"][s["target_year"] - 1]["calendar_year"]}


def _year_actions(doc: dict[str, Any], year: int | None) -> list[list[str]]:
    out = []
    for a in doc["actions"]:
        if a["year"] != year:
            continue
        what = a["measure_name"]
        if a.get("from_school"):
            what += f"（自学校 {a['from_school']} 调入）"
        out.append([a["school_name"], what, f"{cell_text(a['quantity'])} {a['unit']}",
                    cell_text(a["one_off_cost"], True), cell_text(a["annual_cost"], True)])
    return out


POST_FILLS_TITLE = "有编不补：应补充的在编教师"


def post_fill_text(plan: Plan, f: Any, i: int = 0) -> str:
    pay = (f"人员经费每年 {yuan(f.cost)}（单列，不含在方案总费用中）" if f.cost is not None
           else "人员经费未计（costs.post_fill 为 null）")
    when = ""
    if plan.schedule is not None:
        year = plan.schedule.year_of.get(("post_fills", i))
        when = "；排不进各年预算，未安排" if year is None else f"；第{year}年补充，从该年起每年计入支出"
    return (f"{plan.school_names.get(f.school_code, f.school_code)}：核定编制 {f.staff_quota} 人，在编 {f.established} 人，"
            f"编外 {f.contract} 人，方案实施后仍空编 {f.vacant} 人——招聘在编教师 {f.hires} 人替代编外教师"
            f"（人数不变，不影响评估；{pay}{when}）")


def yuan(value: float | None) -> str:
    return "—" if value is None else f"{value:,.0f} 元"


def plan_section(plan: Plan) -> PlanSection:
    before, after = plan.before, plan.after
    a = plan.actions
    costs = plan.settings.get("costs", {}) if plan.settings else {}
    text = status_text(plan)
    summary: list[tuple[str, Any]] = [
        ("县区", f"{before.county_name}（{before.county_code}）"),
        ("学年", before.school_year),
        ("评估标准", before.standard_title),
        ("方案状态", text),
        ("整改预算", "不限" if plan.budget is None else yuan(plan.budget)),
        ("一次性费用（建设、设备、改造、调配补贴）", yuan(a.one_off)),
        ("每年经常性费用（新聘教师工资等）", yuan(a.annual)),
        ("方案总费用", f"{yuan(plan.cost)}（一次性费用 + {a.years} 年经常性费用）" if a.annual else yuan(plan.cost)),
        ("可证明的费用下界（在下列规则下）", yuan(plan.lower_bound)),
        ("与下界的差距（最优间隙）", percent(plan.gap, 2) if plan.gap is not None else "—"),
        ("逐校补足方案费用（对照）", yuan(plan.topup_cost)),
        ("单价来源", _price_source(costs)),
        ("求解用时", f"{plan.solve_seconds:.1f} 秒（求解 {plan.rounds} 次"
                 + (f"，时间上限 {plan.time_limit:g} 秒）" if plan.time_limit else "）")),
        ("调整前资源配置", _dimension(before, plan.resource_dimension)),
        ("调整后资源配置（评估引擎复核）", _dimension(after, plan.resource_dimension)),
        ("调整前认定结论", "认定" if before.recognised else "不予认定"),
        ("调整后认定结论（评估引擎复核）", "认定" if after.recognised else "不予认定"),
    ]
    planned = {g.key[0] for g in plan.goals if g.kind == "rotation"} | {_room_item(plan)} - {None}
    for item_id in (i for i in before.items if i in planned):
        b, a = before.items[item_id], after.items[item_id]
        summary.append((f"{item_id} 调整前 / 调整后", f"{_passed(b.passed)} / {_passed(a.passed)}"))
    if plan.post_fills:
        priced = any(f.cost is not None for f in plan.post_fills)
        pay = f"人员经费每年 {yuan(plan.post_fill_annual)}，单列，不含在方案总费用中" if priced else "人员经费未计"
        summary.append(("有编不补：补充在编教师（替代编外教师）",
                        f"{sum(f.hires for f in plan.post_fills)} 人（{len(plan.post_fills)} 所学校；{pay}）"))
    summary += year_rows(plan)  # a multi-year plan: 第N年 rows
    return PlanSection(
        title=f"{before.county_name}资源配置整改方案",
        status=text,
        summary=summary,
        costs=_costs(plan),
        tables=[_schools(plan), _transfers(plan), _indicators(plan)],
        still_failing=list(plan.still_failing),
        unreachable=list(plan.unreachable),
        notes=list(plan.notes),
        warnings=list(plan.warnings),
        rules=list(plan.rules),
        post_fills=[post_fill_text(plan, f, i) for i, f in enumerate(plan.post_fills)],
        document=plan_document(plan, text),
    )


def _price_source(costs: dict[str, Any]) -> str:
    source = costs.get("source") or "未注明"
    year = costs.get("source_year")
    text = f"{source}（{year} 年）" if year else source
    return text + "。默认单价仅为示例，请换成本地造价" if costs.get("examples") else text


def _room_item(plan: Plan) -> str | None:
    for item in plan.before.items.values():
        if (item.provenance is not None and item.provenance.formula == "rooms_per_classes"
                and any(g.kind == "rooms" for g in plan.goals)):
            return item.item_id
    return None


def _passed(value: bool | None) -> str:
    return {True: "达标", False: "未达标", None: "无法判断"}[value]


def _dimension(ev: Evaluation, dim_id: str) -> str:
    dim = ev.dimensions.get(dim_id)
    if dim is None:
        return "—"
    return f"{_passed(dim.passed)}（{dim.message}）" if dim.message else _passed(dim.passed)


def _costs(plan: Plan) -> SectionTable:
    a = plan.actions
    rows: list[list[Any]] = []
    moves = [t for t in a.transfers if not t.rotation_only]
    swaps = [t for t in a.transfers if t.rotation_only]
    if moves:
        rows.append(["教师调配（县管校聘）", len(moves), "名", sum(t.cost for t in moves)])
    if swaps:
        rows.append(["对口交流（交流轮岗）", len(swaps), "名", sum(t.cost for t in swaps)])
    by_kind: dict[str, list[Any]] = defaultdict(list)
    for h in a.hires:
        by_kind[h.kind].append(h)
    for kind, hires in by_kind.items():
        rows.append([f"{plan.hire_names.get(kind, kind)}（每年经常性费用）", sum(h.count for h in hires), "名",
                     sum(h.cost for h in hires)])
    for fname, (_key, label, unit, _yuan) in FIELD_ACTIONS.items():
        items = [f for f in a.fields if f.field == fname]
        if items:
            rows.append([label, _round(sum(f.amount for f in items)), unit, sum(f.cost for f in items)])
    for verb, attr in (("改造", "refit"), ("新建", "build")):
        for rtype in ("music", "art"):
            # Each RoomWork is either a refit or a build (one per decision of the model).
            works = [w for w in a.rooms if str(w.room_type) == rtype and getattr(w, attr)]
            if works:
                rows.append([f"{verb}{ROOM_TYPE_ZH[works[0].room_type]}专用教室",
                             sum(getattr(w, attr) for w in works), "间", sum(w.cost for w in works)])
    rows.append(["一次性费用合计", None, None, a.one_off])
    if a.annual:
        rows.append(["每年经常性费用合计", None, None, a.annual])
    rows.append([f"合计（一次性费用 + {a.years} 年经常性费用）" if a.annual else "合计", None, None, plan.cost])
    return SectionTable("costs", "费用构成", ["措施", "数量", "单位", "费用（元）"], rows, money=[3])


def _round(x: float) -> float:
    return round(x, 2)


def _part_status(results: list[SchoolResult]) -> str:
    out = []
    for r in results:
        state = "达标" if r.passed else "未达标"
        out.append(f"{STAGE_ZH[r.stage]}{state}（{r.met}/{len(r.indicators)} 项）")
    return "；".join(out) if out else "不在评估范围"


def _schools(plan: Plan) -> SectionTable:
    a = plan.actions
    text: dict[str, list[str]] = defaultdict(list)
    cost: dict[str, float] = defaultdict(float)
    ins: dict[str, list[Any]] = defaultdict(list)
    outs: dict[str, list[Any]] = defaultdict(list)
    for t in a.transfers:
        if t.rotation_only:
            continue
        ins[t.to_code].append(t)
        outs[t.from_code].append(t)
        cost[t.to_code] += t.cost  # the move is made for the receiving school
    for code, moved in ins.items():
        origins = "、".join(sorted({plan.school_names[t.from_code] for t in moved}))
        text[code].append(f"调入教师 {len(moved)} 名（{_kinds(moved)}；来自{origins}）")
    for code, moved in outs.items():
        text[code].append(f"调出教师 {len(moved)} 名（{_kinds(moved)}）")
    swaps: dict[str, int] = defaultdict(int)
    for t in a.transfers:
        if t.rotation_only:
            swaps[t.from_code] += 1
            cost[t.from_code] += t.cost
    for code, n in swaps.items():
        text[code].append(f"对口交流轮岗教师 {n} 名")
    for h in a.hires:
        subject = f"，{h.subject}" if h.subject else ""
        text[h.school_code].append(f"{plan.hire_names.get(h.kind, h.kind)} {h.count} 名（{STAGE_ZH[h.stage]}{subject}）")
        cost[h.school_code] += h.cost
    for f in a.fields:
        _key, label, unit, _yuan = FIELD_ACTIONS[f.field]
        text[f.school_code].append(f"{label} {amount(f.amount)} {unit}")
        cost[f.school_code] += f.cost
    for w in a.rooms:
        zh = ROOM_TYPE_ZH[w.room_type]
        if w.refit:
            text[w.school_code].append(f"改造{zh}专用教室 {w.refit} 间（扩至 {amount(w.area)} ㎡）")
        if w.build:
            text[w.school_code].append(f"新建{zh}专用教室 {w.build} 间（{amount(w.area)} ㎡）")
        cost[w.school_code] += w.cost
    before = _by_school(plan.before)
    after = _by_school(plan.after)
    failing = {code for code, rs in before.items() if any(not r.passed for r in rs)}
    rows = []
    for code, name in plan.school_names.items():
        if code not in text and code not in failing:
            continue
        rows.append([code, name, "、".join(STAGE_ZH[r.stage] for r in before.get(code, [])),
                     _part_status(before.get(code, [])), "；".join(text.get(code, ["（无措施）"])),
                     cost.get(code, 0.0), _part_status(after.get(code, []))])
    return SectionTable("schools", "学校措施",
                        ["学校标识码", "学校名称", "学段", "调整前", "措施", "费用（元）", "调整后（复核）"],
                        rows, money=[5])


def _kinds(moved: list[Any]) -> str:
    counts: dict[str, int] = defaultdict(int)
    for t in moved:
        counts["、".join(t.counts_for) or "其他"] += 1
    return "，".join(f"{k} {n} 名" for k, n in counts.items())


def _by_school(ev: Evaluation) -> dict[str, list[SchoolResult]]:
    out: dict[str, list[SchoolResult]] = defaultdict(list)
    for r in ev.schools:
        out[r.school_code].append(r)
    return out


def _transfers(plan: Plan) -> SectionTable:
    rows = [[t.teacher_id, STAGE_ZH[t.stage], plan.school_names[t.from_code], plan.school_names[t.to_code],
             "、".join(t.counts_for) or "—", "对口交流（交流轮岗）" if t.rotation_only else "县管校聘调配", t.cost]
            for t in plan.actions.transfers]
    return SectionTable("transfers", "教师调配",
                        ["教师编号", "任教学段", "调出学校", "调入学校", "计入指标", "方式", "费用（元）"],
                        rows, money=[6])


def _indicators(plan: Plan) -> SectionTable:
    rows = []
    meta = plan.before.indicator_meta
    for stage, table in plan.before.dispersion.items():
        for ind_id, d in table.items():
            a = plan.after.dispersion.get(stage, {}).get(ind_id)
            rows.append([STAGE_ZH[Stage(stage)], f"{ind_id} {meta.get(ind_id, {}).get('short_name', ind_id)}",
                         d.limit, d.cv, _passed(d.passed), a.cv if a else None,
                         _passed(a.passed if a else None)])
    for label, ev in (("调整前", plan.before), ("调整后", plan.after)):
        ok = sum(1 for r in ev.schools if r.passed)
        rows.append(["全部", f"{label}达标学校（学段）", None, None, f"{ok}/{len(ev.schools)}", None, None])
    return SectionTable("indicators", "调整后指标",
                        ["学段", "指标", "差异系数限值", "调整前差异系数", "调整前", "调整后差异系数（复核）",
                         "调整后"], rows, kinds={2: "limit", 3: "cv", 5: "cv"})
