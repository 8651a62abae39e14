"""The registry of item formula kinds: small pure rules a standard file refers to by name.

Each kind is a factory ``(params, path) -> Rule`` that validates and compiles its
parameters when the standard is loaded (errors name the key path), and a ``Rule`` is
called with an :class:`Env` to give an :class:`Outcome`. Adding a standard adds data
and, at most, new kinds here — never standard-specific branches in the engine.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from junheng.core.facts import (
    STAGE_ZH,
    SchoolType,
    Stage,
)
from junheng.core.formulas_base import (
    KINDS,
    OP_ZH,
    Env,
    Outcome,
    Rule,
    _fmt,
    _missing,
    _Params,
    _per_school_outcome,
    _prov,
    _school_shortfall,
    _schools_in,
    _shortfall_text,
    build_rule,
    compare,
    kind,
)
from junheng.core.quantity import QuantityError, compile_quantity
from junheng.core.result import Provenance, Shortfall, display_round

# The registry and the types the engine uses, from the shared module.
__all__ = ["KINDS", "Env", "Outcome", "Rule", "build_rule", "compare", "kind", "stage_label"]


# --- county facts ---------------------------------------------------------------


@kind("fact_true")
def _fact_true(params: dict[str, Any], path: str) -> Rule:
    p = _Params(params, path, {"fact"})
    key = str(p.get("fact"))

    def run(env: Env) -> Outcome:
        value = env.data.facts.get(key)
        ref = env.data.fact_refs.get(key)
        prov = Provenance("fact_true", {key: value}, [ref] if ref else [])
        if value is None:
            return Outcome(False, None, message=f"缺少数据：{key}", missing=[key], provenance=prov)
        ok = bool(value)
        return Outcome(True, ok, value=ok, threshold=True, comparison="==",
                       message="是" if ok else "否（未达到要求）", provenance=prov)

    return run


@kind("fact_false")
def _fact_false(params: dict[str, Any], path: str) -> Rule:
    """A veto: passes when the fact is 否 (nothing happened)."""
    p = _Params(params, path, {"fact"})
    key = str(p.get("fact"))

    def run(env: Env) -> Outcome:
        value = env.data.facts.get(key)
        ref = env.data.fact_refs.get(key)
        prov = Provenance("fact_false", {key: value}, [ref] if ref else [])
        if value is None:
            return Outcome(False, None, message=f"缺少数据：{key}", missing=[key], provenance=prov)
        hit = bool(value)
        return Outcome(True, not hit, value=hit, threshold=False, comparison="==",
                       message="存在该情形，一票否决" if hit else "无", provenance=prov)

    return run


@kind("compare")
def _compare(params: dict[str, Any], path: str) -> Rule:
    p = _Params(params, path, {"value", "op", "threshold", "shortfall", "unit"})
    value_q = p.quantity("value")
    op = p.op()
    th_raw = p.get("threshold")
    th_q = compile_quantity(th_raw, f"{path}.threshold")
    shortfall, unit = p.get("shortfall", None), p.get("unit", "")

    def run(env: Env) -> Outcome:
        ctx = env.ctx()
        v, t = value_q(ctx), th_q(ctx)
        if v.value is None or t.value is None:
            return _missing("compare", v, t)
        ok = env.compare(v.value, op, t.value)
        shown = _share(env, v.value, op, t.value, ok) if unit == "%" else _fmt(v.value, 3)
        out = Outcome(True, ok, value=v.value, threshold=t.value, comparison=op,
                      message=f"{shown}{unit}，要求{OP_ZH[op]} {_fmt(t.value)}{unit}",
                      provenance=_prov("compare", v, t, inputs={"value": v.value, "threshold": t.value}))
        if not ok and op in (">=", ">"):
            s = _shortfall_text(shortfall, t.value - v.value)
            if s:
                out.shortfalls.append(Shortfall("", s[0], s[1], s[2]))
        return out

    return run


def _share(env: Env, value: float, op: str, threshold: float, ok: bool, scale: float = 1.0) -> str:
    """A share as the fact sheet and the reports print it — ``value`` × ``scale`` half-up to
    1 fixed place (89.8, 91.0) — with more places only where fewer would read as the other
    verdict (84.96, never 85.0 beside a 否)."""
    digits = next((k for k in (1, 2, 3, 4)
                   if env.compare(display_round(value * scale, k) / scale, op, threshold) == ok), 4)
    return f"{display_round(value * scale, digits):.{digits}f}"


@kind("ratio")
def _ratio(params: dict[str, Any], path: str) -> Rule:
    """numerator / denominator against a threshold. ``display``: ``percent`` (default,
    0.85 → 85%), ``one_to`` (children per teacher 14.2 → 1:14.2) or ``value``. Below a
    ``>=`` threshold the shortfall is what the numerator lacks; above a ``<=`` one it is
    what the denominator lacks (teachers to add for a 1:15 ratio)."""
    p = _Params(params, path, {"numerator", "denominator", "op", "threshold", "shortfall", "on_empty",
                               "display", "unit"})
    num_q, den_q = p.quantity("numerator"), p.quantity("denominator")
    op, threshold = p.op(), p.number("threshold")
    shortfall = p.get("shortfall", None)
    on_empty = p.get("on_empty", "not_evaluable")
    display = p.get("display", "percent")
    if display not in _RATIO_DISPLAY:
        raise QuantityError(f"{path}.display", f"应为 {list(_RATIO_DISPLAY)} 之一，实际为 {display!r}")
    show = _RATIO_DISPLAY[display]
    unit = str(p.get("unit", ""))

    def run(env: Env) -> Outcome:
        ctx = env.ctx()
        n, d = num_q(ctx), den_q(ctx)
        if n.value is None or d.value is None:
            return _missing("ratio", n, d)
        inputs = {"numerator": n.value, "denominator": d.value}
        if d.value == 0:
            if on_empty == "pass":
                return Outcome(True, True, value=None, threshold=threshold, comparison=op,
                               message="分母为 0，本项不适用", provenance=_prov("ratio", n, d, inputs=inputs))
            return Outcome(False, None, message="分母为 0，无法计算", provenance=_prov("ratio", n, d, inputs=inputs))
        value = n.value / d.value
        ok = env.compare(value, op, threshold)
        shown = f"{_share(env, value, op, threshold, ok, scale=100)}%" if display == "percent" else show(value)
        out = Outcome(True, ok, value=value, threshold=threshold, comparison=op,
                      message=f"{_fmt(n.value, 2)} / {_fmt(d.value, 2)} = {shown}{unit}，"
                              f"要求{OP_ZH[op]} {show(threshold)}{unit}",
                      provenance=_prov("ratio", n, d, inputs=inputs))
        if not ok:
            if op in (">=", ">"):
                amount = threshold * d.value - n.value
            else:
                amount = n.value / threshold - d.value if threshold > 0 else 0.0
            s = _shortfall_text(shortfall, amount)
            if s:
                out.shortfalls.append(Shortfall("", s[0], s[1], s[2]))
        return out

    return run


_RATIO_DISPLAY: dict[str, Callable[[float], str]] = {
    "percent": lambda v: f"{_fmt(v * 100, 2)}%",
    "one_to": lambda v: f"1:{_fmt(v, 2)}",
    "value": lambda v: _fmt(v, 3),
}


@kind("all_of")
def _all_of(params: dict[str, Any], path: str) -> Rule:
    p = _Params(params, path, {"rules"})
    specs = p.get("rules")
    if not isinstance(specs, list) or not specs:
        raise QuantityError(f"{path}.rules", "应为非空的规则列表")
    rules: list[tuple[str, Rule]] = []
    for i, spec in enumerate(specs):
        if not isinstance(spec, dict) or "kind" not in spec:
            raise QuantityError(f"{path}.rules[{i}]", "每条规则需要 kind")
        label = str(spec.get("name", f"第{i + 1}条"))
        rules.append((label, build_rule(str(spec["kind"]), spec.get("params", {}), f"{path}.rules[{i}]")))

    def run(env: Env) -> Outcome:
        outs = [(label, rule(env)) for label, rule in rules]
        prov = Provenance("all_of", {label: o.value for label, o in outs})
        for _, o in outs:
            if o.provenance:
                prov.refs.extend(o.provenance.refs)
        missing = sorted({m for _, o in outs for m in o.missing})
        failed = [label for label, o in outs if o.passed is False]
        message = "；".join(f"{label}：{o.message}" for label, o in outs)
        shortfalls = [s for _, o in outs for s in o.shortfalls]
        failures = [f for _, o in outs for f in o.failures]
        value = {label: o.value for label, o in outs}
        if failed:
            return Outcome(True, False, value=value, message=message, provenance=prov,
                           missing=missing, shortfalls=shortfalls, failures=failures)
        if missing or any(not o.evaluable for _, o in outs):
            return Outcome(False, None, value=value, message=message, provenance=prov, missing=missing)
        return Outcome(True, True, value=value, message=message, provenance=prov)

    return run


@kind("years_since")
def _years_since(params: dict[str, Any], path: str) -> Rule:
    p = _Params(params, path, {"field", "min_years"})
    fname, min_years = str(p.get("field")), p.number("min_years")

    def run(env: Env) -> Outcome:
        since = getattr(env.data.county, fname, None)
        ref = env.data.fact_refs.get(fname)
        prov = Provenance("years_since", {fname: since, "school_year": env.data.county.school_year},
                          [ref] if ref else [])
        if since is None:
            return Outcome(False, None, message=f"缺少数据：{fname}", missing=[fname], provenance=prov)
        years = env.data.county.school_year - since
        ok = years >= min_years
        return Outcome(True, ok, value=years, threshold=min_years, comparison=">=",
                       message=f"{since} 年通过认定，至 {env.data.county.school_year} 学年满 {years} 年，"
                               f"要求不少于 {int(min_years)} 年", provenance=prov)

    return run


@kind("rooms_per_classes")
def _rooms_per_classes(params: dict[str, Any], path: str) -> Rule:
    """G3: per school, rooms of each type ≥ max(min_rooms, ceil(classes / per_classes)),
    counting only rooms whose area meets the minimum."""
    p = _Params(params, path, {"per_classes", "min_rooms", "rooms", "school_types", "stages"})
    per, min_rooms = p.number("per_classes"), int(p.number("min_rooms", 1))
    rooms = p.get("rooms")
    if not isinstance(rooms, dict) or not rooms:
        raise QuantityError(f"{path}.rooms", "应为“教室类型: 最小面积”的映射")
    room_min = {str(k): float(v) for k, v in rooms.items()}
    types = p.school_types()
    stages = frozenset(Stage(s) for s in p.get("stages", ["primary", "junior"]))
    zh = {"music": "音乐", "art": "美术"}

    def run(env: Env) -> Outcome:
        if not env.data.classes:
            return Outcome(False, None, message="缺少数据：班级表为空，无法核定所需专用教室数", missing=["classes"])
        failures, shortfalls, rows = [], [], []
        schools = _schools_in(env, types)
        for s in schools:
            classes = [c for c in env.index.rows("classes", s, None) if c.stage in stages]
            required = max(min_rooms, math.ceil(len(classes) / per))
            have = env.index.rows("rooms", s, None)
            rows.extend(r.row for r in have)
            detail = {"school_code": s.code, "school_name": s.name, "classes": len(classes), "required": required}
            lacking = False
            for rtype, min_area in room_min.items():
                of_type = [r for r in have if r.room_type == rtype]
                good = sum(1 for r in of_type if r.area >= min_area - 1e-9)
                small = len(of_type) - good
                detail[f"{rtype}_ok"], detail[f"{rtype}_small"] = good, small
                if good < required:
                    lacking = True
                    gap = required - good
                    note = f"（现有 {small} 间面积不足 {min_area:g} ㎡）" if small else ""
                    shortfalls.append(_school_shortfall(
                        "", s, f"需增{zh.get(rtype, rtype)}专用教室 {gap} 间{note}", gap, "间"))
            if lacking:
                failures.append(detail)
        prov = Provenance("rooms_per_classes", {"per_classes": per, "min_rooms": min_rooms, "rooms": room_min,
                                                "rows": {"专用教室": rows}})
        return _per_school_outcome("rooms_per_classes", failures, len(schools), room_min, prov, shortfalls,
                                   "{n} 所学校音乐、美术专用教室均达到要求")

    return run


@kind("school_size")
def _school_size(params: dict[str, Any], path: str) -> Rule:
    """G4: compulsory-stage students of each school ≤ its limit."""
    p = _Params(params, path, {"limits", "school_types"})
    limits = p.get("limits")
    if not isinstance(limits, dict) or "default" not in limits:
        raise QuantityError(f"{path}.limits", "应为映射，且包含 default")
    default = float(limits["default"])
    by_type = {SchoolType(k): float(v) for k, v in limits.items() if k != "default"}
    types = p.school_types()

    def run(env: Env) -> Outcome:
        failures, shortfalls = [], []
        schools = _schools_in(env, types)
        for s in schools:
            limit = by_type.get(s.school_type, default)
            n = s.compulsory_students
            if not env.compare(n, "<=", limit):
                over = n - limit
                failures.append({"school_code": s.code, "school_name": s.name, "students": n, "limit": limit})
                shortfalls.append(_school_shortfall("", s, f"义务教育阶段学生 {n} 人，超出规模上限 {limit:g} 人 {over:g} 人",
                                                    over, "人"))
        prov = Provenance("school_size", {"limits": limits, "rows": {"学校": [s.row for s in schools]}})
        return _per_school_outcome("school_size", failures, len(schools), limits, prov, shortfalls,
                                   "{n} 所学校规模均未超过上限")

    return run


@kind("class_size")
def _class_size(params: dict[str, Any], path: str) -> Rule:
    """G5: every class within the limit of its stage (per class, not the average)."""
    p = _Params(params, path, {"limits"})
    limits = {Stage(k): float(v) for k, v in p.get("limits").items()}

    def run(env: Env) -> Outcome:
        if not env.data.classes:
            return Outcome(False, None, message="缺少数据：班级表为空", missing=["classes"])
        over_by_school: dict[str, list[Any]] = {}
        checked = 0
        for c in env.data.classes:
            limit = limits.get(c.stage)
            if limit is None:
                continue
            checked += 1
            if not env.compare(c.students, "<=", limit):
                over_by_school.setdefault(c.school_code, []).append(c)
        schools = env.data.school_map()
        failures, shortfalls = [], []
        for code, classes in over_by_school.items():
            s = schools.get(code)
            name = s.name if s else code
            excess = sum(c.students - limits[c.stage] for c in classes)
            listed = "、".join(f"{c.class_name} {c.students} 人" for c in classes[:4])
            more = f" 等 {len(classes)} 个班" if len(classes) > 4 else ""
            for c in classes:
                failures.append({"school_code": code, "school_name": name, "class_name": c.class_name,
                                 "stage": str(c.stage), "students": c.students, "limit": limits[c.stage], "row": c.row})
            text = f"{len(classes)} 个班级超过班额上限（{listed}{more}），共超出 {excess:g} 人"
            sf = Shortfall("", text, excess, "人", school_code=code, school_name=name)
            shortfalls.append(sf)
        prov = Provenance("class_size", {"limits": {str(k): v for k, v in limits.items()},
                                         "rows": {"班级": [f["row"] for f in failures]}})
        if failures:
            return Outcome(True, False, value=len(failures), threshold={str(k): v for k, v in limits.items()},
                           message=f"{len(over_by_school)} 所学校共 {len(failures)} 个班级超过班额上限",
                           failures=failures, provenance=prov, shortfalls=shortfalls)
        return Outcome(True, True, value=0, threshold={str(k): v for k, v in limits.items()},
                       message=f"{checked} 个班级均未超过班额上限", provenance=prov)

    return run


@kind("each_school_ratio")
def _each_school_ratio(params: dict[str, Any], path: str) -> Rule:
    """Q4 and the like: for every school, field_a / field_b compared with a threshold."""
    p = _Params(params, path, {"numerator", "denominator", "op", "threshold", "school_types", "shortfall"})
    num_f, den_f = str(p.get("numerator")), str(p.get("denominator"))
    op, threshold = p.op(), p.number("threshold")
    types = p.school_types()
    shortfall = p.get("shortfall", None)

    def run(env: Env) -> Outcome:
        schools = _schools_in(env, types)
        failures, shortfalls, skipped = [], [], []
        for s in schools:
            num, den = float(getattr(s, num_f)), float(getattr(s, den_f))
            if den <= 0:
                skipped.append(s.name)
                continue
            value = num / den
            if not env.compare(value, op, threshold):
                failures.append({"school_code": s.code, "school_name": s.name, "value": value, "threshold": threshold})
                st = _shortfall_text(shortfall, threshold * den - num)
                if st:
                    shortfalls.append(_school_shortfall("", s, st[0], st[1], st[2]))
        prov = Provenance("each_school_ratio", {"numerator": num_f, "denominator": den_f, "threshold": threshold,
                                                "rows": {"学校": [s.row for s in schools]}},
                          note=f"分母为 0 未计入：{'、'.join(skipped)}" if skipped else None)
        return _per_school_outcome("each_school_ratio", failures, len(schools) - len(skipped), threshold, prov,
                                   shortfalls, "{n} 所学校均达到要求")

    return run


def stage_label(stage: Stage) -> str:
    return STAGE_ZH[stage]


# Sibling modules register more kinds with @kind; import them so the registry is whole.
from junheng.core import (  # noqa: E402, F401
    formulas_funding,
    formulas_preschool,
    formulas_records,
    formulas_staffing,
)
