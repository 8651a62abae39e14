"""What the plan's actions do to a standard's numbers, read from the standard itself.

An indicator's numerator (a quantity of :mod:`junheng.core.quantity`) is turned into a
*linear form*: which teachers it counts (a where-filter, with a sign) and which school
fields it sums (with the mixed-school split or not). The actions of a plan change
exactly those: a teacher moved or hired adds or removes rows the filter counts; an
area, equipment value or room count adds to a field. Everything else in a numerator
(facts, indoor sports area, counts of other tables) is unchanged by the plan and stays
in the current value the engine computed.

Only the shapes the shipped standards use are understood; anything else that involves
teachers or the actionable fields (a division, say) makes the indicator non-plannable,
with a Chinese reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from junheng.core.facts import Teacher
from junheng.core.quantity import compile_where

# School fields a plan can add to: field -> (action key, Chinese label, unit, 元 per field unit).
FIELD_ACTIONS: dict[str, tuple[str, str, str, float]] = {
    "teaching_area": ("teaching_area", "新增教学及辅助用房", "㎡", 1.0),
    "sports_area": ("sports_area", "新增体育运动场馆", "㎡", 1.0),
    "equipment_value": ("equipment", "新增教学仪器设备", "万元", 10000.0),
    "multimedia_rooms": ("multimedia_room", "配齐网络多媒体教室", "间", 1.0),
}

Predicate = Callable[[Any], bool]


def field_step(fname: str, area_m2: float, equipment_yuan: float) -> float:
    """How much of a field one unit of its action adds, in the workbook's unit."""
    if fname in ("teaching_area", "sports_area"):
        return area_m2
    if fname == "equipment_value":
        return equipment_yuan / FIELD_ACTIONS[fname][3]
    return 1.0


class NotPlannable(Exception):
    """A numerator shape the planner cannot reason about; the message is Chinese."""


@dataclass
class LinearForm:
    """numerator = (unchanged part) + Σ coef·[teacher matches] + Σ coef·field·(share)."""

    teachers: list[tuple[float, Predicate]] = field(default_factory=list)
    fields: dict[str, float] = field(default_factory=dict)  # field -> coefficient
    split: dict[str, bool] = field(default_factory=dict)  # field -> multiplied by the share

    def scaled(self, factor: float) -> LinearForm:
        return LinearForm([(c * factor, p) for c, p in self.teachers],
                          {f: c * factor for f, c in self.fields.items()}, dict(self.split))

    def plus(self, other: LinearForm) -> LinearForm:
        out = LinearForm(self.teachers + other.teachers, dict(self.fields), dict(self.split))
        for f, c in other.fields.items():
            out.fields[f] = out.fields.get(f, 0.0) + c
            out.split[f] = out.split.get(f, other.split[f]) or other.split[f]
        return out

    @property
    def empty(self) -> bool:
        return not self.teachers and not self.fields

    def teacher_value(self, teacher: Teacher) -> float:
        return sum(c for c, pred in self.teachers if pred(teacher))


def linear_form(spec: Any, settings: dict[str, Any]) -> LinearForm:
    """The actionable part of a quantity spec (raises NotPlannable)."""
    if isinstance(spec, (int, float)) and not isinstance(spec, bool):
        return LinearForm()
    if not isinstance(spec, dict):
        raise NotPlannable(f"无法识别的数量定义 {spec!r}")
    keys = set(spec)
    if keys == {"const"} or keys & {"fact", "county", "distinct"}:
        return LinearForm()
    if "count" in spec:
        if spec["count"] != "teachers":
            return LinearForm()  # rows of other tables are not touched by the plan
        return LinearForm([(1.0, compile_where(spec.get("where"), "where"))])
    if "sum" in spec:
        table, _, name = str(spec["sum"]).partition(".")
        if table == "teachers":
            raise NotPlannable(f"按教师字段求和（{spec['sum']}）的指标无法规划")
        if table != "schools" or name not in FIELD_ACTIONS:
            return LinearForm()
        if spec.get("where"):
            raise NotPlannable(f"带筛选条件的学校字段求和（{spec['sum']}）无法规划")
        return LinearForm(fields={name: 1.0}, split={name: bool(spec.get("split", False))})
    if keys == {"add"}:
        out = LinearForm()
        for term in spec["add"]:
            out = out.plus(linear_form(term, settings))
        return out
    if keys == {"sub"}:
        first, second = spec["sub"]
        return linear_form(first, settings).plus(linear_form(second, settings).scaled(-1.0))
    if keys == {"div"}:
        top, bottom = (linear_form(t, settings) for t in spec["div"])
        if top.empty and bottom.empty:
            return LinearForm()
        raise NotPlannable("含除法且涉及教师或可增加的学校字段，无法规划")
    if "if_setting" in spec:
        branch = "then" if settings.get(spec["if_setting"]) == spec.get("equals") else "else"
        return linear_form(spec.get(branch, 0), settings)
    raise NotPlannable(f"无法识别的数量定义 {spec!r}")


@dataclass(frozen=True)
class RatioRule:
    """A county-wide ratio of teacher counts (G11): num / den ≥ threshold."""

    name: str
    numerator: LinearForm
    denominator: LinearForm
    threshold: float

    def counts(self, teachers: list[Teacher]) -> tuple[float, float]:
        num = sum(self.numerator.teacher_value(t) for t in teachers)
        den = sum(self.denominator.teacher_value(t) for t in teachers)
        return num, den

    def passes(self, num: float, den: float) -> bool:
        return den > 0 and num >= self.threshold * den * (1 - 1e-12)


def ratio_rules(kind: str, params: dict[str, Any], settings: dict[str, Any], name: str = "") -> list[RatioRule]:
    """The teacher-count ratios of an item (a ``ratio`` or an ``all_of`` of them);
    raises NotPlannable for anything else."""
    if kind == "all_of":
        out: list[RatioRule] = []
        for rule in params.get("rules", []):
            out += ratio_rules(str(rule.get("kind")), rule.get("params", {}), settings,
                               str(rule.get("name", "")))
        return out
    if kind != "ratio" or params.get("op", ">=") not in (">=", ">"):
        raise NotPlannable("不是“不低于”形式的比例")
    num = linear_form(params["numerator"], settings)
    den = linear_form(params["denominator"], settings)
    if num.fields or den.fields or not num.teachers or not den.teachers:
        raise NotPlannable("不是教师人数之比")
    return [RatioRule(name, num, den, float(params["threshold"]))]


def mentions(spec: Any, word: str) -> bool:
    """Whether a where-clause anywhere in ``spec`` reads field ``word``."""
    if isinstance(spec, dict):
        where = spec.get("where")
        if isinstance(where, dict) and word in where:
            return True
        return any(mentions(v, word) for v in spec.values())
    if isinstance(spec, list):
        return any(mentions(v, word) for v in spec)
    return False
