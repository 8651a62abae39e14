"""整改任务: for every failed or at-risk item a remedy — what, where (schools), how much,
by when, and an estimated cost — in words a bureau would write.

Costs are estimated with the planner's unit costs (``junheng plan-settings``: a teacher
hired for a year, a ㎡ of teaching rooms, …); a plan that was run replaces these lines
with its own measures and costs. What only the bureau knows (完成时限, 责任单位) comes from
the workbook's 「县级说明」 sheet or is left 「待填写」.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from junheng.core.facts import STAGE_ZH
from junheng.core.result import Evaluation, ItemResult, Shortfall
from junheng.reports import numbers as fmt
from junheng.reports.documents import preschool

TO_FILL = "待填写"

# (keyword of the indicator's or item's name, the measure); first match wins.
SCHOOL_MEASURES: list[tuple[str, str]] = [
    ("高于规定学历", "通过公开招聘和县域内交流调配补充高学历教师，支持在职教师提升学历"),
    ("高学历", "通过公开招聘和县域内交流调配补充高学历教师，支持在职教师提升学历"),
    ("骨干", "加大县级以上骨干教师培养认定力度，并从骨干教师富余的学校交流调入"),
    ("体育、艺术", "按课程计划补充体育、音乐、美术专任教师，可采取县域内走教、交流调配"),
    ("体艺", "按课程计划补充体育、音乐、美术专任教师，可采取县域内走教、交流调配"),
    ("师生比", "按编制标准补充专任教师"),
    ("教学及辅助用房", "新建或改扩建教学及辅助用房"),
    ("体育运动场馆", "新建或改扩建运动场地、风雨操场"),
    ("仪器设备", "按配备标准购置教学仪器设备"),
    ("多媒体", "配齐网络多媒体教室"),
    ("专用教室", "新建或改扩建音乐、美术专用教室，达到规定面积"),
    ("班级学生数", "统筹学位和招生计划，分流超额学生，逐步消除超标准班额"),
    ("班额", "统筹学位和招生计划，分流超额学生，逐步消除超标准班额"),
    ("规模", "新建学校或调整招生范围，分流超规模学校的学生"),
    ("公用经费", "按标准足额核定并拨付公用经费"),
    ("培训经费", "按不低于公用经费预算总额 5% 的比例安排教师培训经费"),
]
COUNTY_MEASURES: list[tuple[str, str]] = [
    ("交流轮岗", "制定年度教师交流轮岗计划，优先安排骨干教师到乡村学校和薄弱学校交流"),
    ("招生名额分配", "提高优质普通高中招生名额分配到初中的比例，并向农村初中倾斜"),
    ("360学时", "组织未完成学时的教师参加县级以上培训，限期补足培训学时"),
    ("培训", "组织未完成学时的教师参加县级以上培训，限期补足培训学时"),
    ("教师资格", "督促未取得教师资格证的专任教师限期取得，暂不能取得的调整岗位"),
    ("持证", "督促未取得资格证书的园长、专任教师限期取得，暂不能取得的调整岗位"),
    ("工资", "将教师工资足额纳入财政预算，确保教师平均工资收入不低于当地公务员"),
    ("就近", "完善学区划分，全面落实免试就近入学"),
    ("随迁子女", "扩大公办学校学位供给，保障符合条件的随迁子女在公办学校就读"),
    ("留守儿童", "健全留守儿童关爱服务体系，建立台账、落实结对帮扶"),
    ("巩固率", "落实控辍保学责任，建立辍学学生台账，逐一劝返复学"),
    ("残疾儿童", "通过特殊教育学校、随班就读和送教上门，提高残疾儿童少年入学率"),
    ("社会认可度", "加强宣传解读和家校沟通，针对调查中满意度较低的方面逐项改进"),
    ("公用经费逐年只增不减", "在下一年度预算中提高低于上年学段的生均公用经费拨款，确保各学段生均公用经费不低于上年"),
    ("分学段生均", "在下一年度预算中优先保障低于上年的学段，确保各学段生均一般公共预算教育经费不低于上年"),
    ("只增不减", "在下一年度预算中确保一般公共预算教育支出和按在校生人均支出只增不减"),
    ("编制", "在核定的编制总额内统筹调配各校教职工编制和岗位"),
    ("规划布局", "修订义务教育学校布局规划，按规划推进学校建设"),
    ("毛入园率", "新建、改扩建幼儿园，扩大学前教育资源供给"),
    ("普惠", "扶持普惠性民办幼儿园，提高普惠性幼儿园覆盖率"),
    ("公办园", "新建、改扩建公办幼儿园，提高公办园在园幼儿占比"),
]
# Planner unit costs (元) per unit of a gap, by keyword of the indicator's name.
COST_KEYS: list[tuple[str, str]] = [
    ("交流轮岗", "transfer"), ("高于规定学历", "hire:qualified"), ("高学历", "hire:qualified"), ("骨干", "hire:backbone"),
    ("体育、艺术", "hire:pe_art"), ("体艺", "hire:pe_art"), ("教学及辅助用房", "teaching_area"),
    ("体育运动场馆", "sports_area"), ("仪器设备", "equipment"), ("多媒体", "multimedia_room"),
    ("专用教室", "room"),
]


@dataclass(slots=True)
class Remedy:
    item: str  # the item's name as printed (never its code)
    measure: str  # what is done
    schools: list[str] = field(default_factory=list)  # where
    amount: str = ""  # how much: 新增 2141 ㎡ / 增加交流轮岗教师 14 名 / 把比例提高到 50% 以上
    cost: float | None = None  # estimated, 万元
    cost_basis: str = ""  # 按每平方米 3500 元估算
    blocking: bool = True  # False: advice (the item passes)
    noun: str = "所学校"  # 所幼儿园 for kindergartens
    classes: int = 0  # kindergartens: how many classes the gaps are in (0: not by class)


def item_label(ev: Evaluation, item_id: str) -> str:
    """An item's or indicator's name for tables and sentences: the indicator's short
    name (高学历教师), else the item's name up to its first comma."""
    meta = ev.indicator_meta.get(item_id, {})
    if meta.get("name"):
        return meta["name"]
    item = ev.items.get(item_id)
    return item.name.split("，")[0] if item is not None else item_id


def _first(pairs: list[tuple[str, str]], name: str, default: str = "") -> str:
    return next((v for k, v in pairs if k in name), default)


def _unit_costs() -> dict[str, float]:
    """元 per unit from the planner's default settings (None where a measure is off)."""
    try:
        from junheng.planner.settings import default_settings
    except ImportError:  # the planner is optional for the report
        return {}
    s = default_settings()
    c = s.costs
    out: dict[str, float] = {}
    for key in ("transfer", "teaching_area", "sports_area", "equipment", "multimedia_room"):
        v = getattr(c, key, None)
        if isinstance(v, (int, float)):
            out[key] = float(v)
    build = getattr(c, "room_build", None)
    if isinstance(build, dict) and build:
        out["room"] = max(float(v) for v in build.values() if v is not None)
        for rtype, v in build.items():
            if v is not None:
                out[f"room_build:{rtype}"] = float(v)
    for rtype, v in (getattr(c, "room_refit", None) or {}).items():
        if v is not None:
            out[f"room_refit:{rtype}"] = float(v)
    for h in getattr(s, "hires", []) or []:
        if getattr(h, "cost", None) is not None:
            out[f"hire:{h.key}"] = float(h.cost)
    return out


BASIS = {"hire:qualified": "每名 {c} 万元（1 年人员经费）", "hire:backbone": "每名 {c} 万元（1 年人员经费）",
         "hire:pe_art": "每名 {c} 万元（1 年人员经费）", "teaching_area": "每平方米 {y} 元",
         "sports_area": "每平方米 {y} 元", "equipment": "缺口金额", "multimedia_room": "每间 {c} 万元",
         "room": "每间 {c} 万元", "transfer": "每人交流补贴 {y} 元"}


def _cost(name: str, unit: str, quantity: float, costs: dict[str, float]) -> tuple[float | None, str]:
    key = _first(COST_KEYS, name)
    if not key or key not in costs or quantity <= 0:
        return None, ""
    per = costs[key]
    yuan = quantity * (10000 if unit == "万元" else 1) * per
    if key == "equipment":  # the gap is already money
        return yuan / 10000, ""
    basis = BASIS[key].format(c=fmt.amount(per / 10000), y=fmt.amount(per, 0))
    return yuan / 10000, f"按{basis}估算"


def _room_cost(item: ItemResult | None, costs: dict[str, float]) -> tuple[float | None, str]:
    """Music and art rooms priced as the planner's top-up does: a room of the type that is
    too small is refitted first (改造, its lower price), the rest built (新建)."""
    if item is None or not item.failures:
        return None, ""
    yuan, refits, builds = 0.0, 0, 0
    for f in item.failures:
        required = int(f.get("required", 0))
        for rtype in ("music", "art"):
            if f"{rtype}_ok" not in f:
                continue
            gap = max(0, required - int(f[f"{rtype}_ok"]))
            refit_price, build_price = costs.get(f"room_refit:{rtype}"), costs.get(f"room_build:{rtype}")
            refit = min(gap, int(f.get(f"{rtype}_small", 0))) if refit_price is not None else 0
            if gap - refit and build_price is None:
                return None, ""
            yuan += refit * (refit_price or 0.0) + (gap - refit) * (build_price or 0.0)
            refits, builds = refits + refit, builds + gap - refit
    if not refits + builds:
        return None, ""
    parts = []
    if refits:
        per = {costs[k] for k in costs if k.startswith("room_refit:")}
        parts.append(f"改造面积不足的教室 {refits} 间（每间 {fmt.amount(max(per) / 10000)} 万元）")
    if builds:
        per = {costs[k] for k in costs if k.startswith("room_build:")}
        parts.append(f"新建 {builds} 间（每间 {fmt.amount(max(per) / 10000)} 万元）")
    return yuan / 10000, f"按{'、'.join(parts)}估算"


def _amount(unit: str, total: float, name: str, kindergartens: bool = False) -> str:
    if unit == "人" and ("班" in name):
        return f"超出班额上限的{'幼儿' if kindergartens else '学生'}合计 {fmt.amount(total)} 人"
    verb = {"名": "补充", "㎡": "新增", "万元": "新增", "间": "新建或改造"}.get(unit, "补足")
    return f"需{verb} {fmt.amount(total)} {unit}"


def remedies(ev: Evaluation, monitoring: set[str], kindergartens: bool = False) -> list[Remedy]:
    """One remedy per failed (or at-risk) item, what the verdict needs first, advice last."""
    costs = _unit_costs()
    groups: dict[tuple[str, str], list[Shortfall]] = defaultdict(list)
    county_gaps: dict[str, list[Shortfall]] = defaultdict(list)
    for s in ev.shortfalls:
        if s.school_code and s.unit:
            groups[(s.item_id, s.unit)].append(s)
        elif s.unit:
            county_gaps[s.item_id].append(s)
    out: list[Remedy] = []
    for (item_id, unit), group in groups.items():
        name = item_label(ev, item_id)
        total = sum(s.quantity for s in group)
        first: dict[str, str] = {}
        for s in group:  # a class gap is labelled "园名 班名": name the kindergarten once
            first.setdefault(s.school_code or "", (s.school_name or s.school_code or "").split(" ")[0])
        schools = list(first.values())
        labels = len({s.school_name for s in group})
        if kindergartens:
            measure = preschool.REMEDY_BY_UNIT.get(unit, "制定计划逐步补足")
        else:
            measure = _first(SCHOOL_MEASURES, name, "制定计划逐步补足")
        cost, basis = _cost(name, unit, total, costs)
        if unit == "间" and "专用教室" in name and not kindergartens:
            cost, basis = _room_cost(ev.items.get(item_id), costs)
        blocking = any(s.blocking for s in group)
        out.append(Remedy(name, measure, schools, _amount(unit, total, name, kindergartens), cost, basis, blocking,
                          "所幼儿园" if kindergartens else "所学校",
                          labels if kindergartens and labels > len(schools) else 0))
    for dim_stage, per in ev.dispersion.items():
        for i, d in per.items():
            if d.passed is False:
                out.append(Remedy(
                    f"{STAGE_ZH[dim_stage]}{item_label(ev, i)}校际差异系数",
                    "优先补足低于全县均值的薄弱学校，缩小校际差距",
                    amount=f"差异系数由 {fmt.cv(d.cv)} 降至 {fmt.limit(d.limit)} 以内"))
    done = {r for (r, _) in groups}
    for item in ev.items.values():
        if item.passed is not False or item.item_id in done:
            continue
        out.append(_county_remedy(ev, item, county_gaps.get(item.item_id, []), costs,
                                  advice=item.dimension in monitoring))
    out.sort(key=lambda r: not r.blocking)
    return out


def _county_remedy(ev: Evaluation, item: ItemResult, gaps: list[Shortfall], costs: dict[str, float],
                   advice: bool) -> Remedy:
    name = item_label(ev, item.item_id)
    measure = _first(COUNTY_MEASURES, item.name, "") or _first(SCHOOL_MEASURES, item.name,
                                                                 f"制定专项整改方案，逐项落实“{name}”的要求")
    if gaps:
        amount = "；".join(g.text for g in gaps)
        cost, basis = _cost(item.name, gaps[0].unit, sum(g.quantity for g in gaps), costs)
    else:
        amount = f"目前为{item.message}" if item.message else ""
        cost, basis = None, ""
    return Remedy(name, measure, [], amount, cost, basis, blocking=not advice)
