"""Formula kinds about operating funds (公用经费) of schools: G6 small schools funded
as 100 students (+ the boarder supplement) and G7 a minimum per student.

Registered in the same registry as :mod:`junheng.core.formulas`; nothing here knows a
particular standard: the school types, areas, quotas and amounts come from the file.
"""

from __future__ import annotations

from typing import Any

from junheng.core.facts import SCHOOL_TYPE_ZH, URBAN_RURAL_ZH, School, SchoolType, Stage, UrbanRural
from junheng.core.formulas_base import (
    Env,
    Outcome,
    Rule,
    _Params,
    _per_school_outcome,
    _school_shortfall,
    _schools_in,
    kind,
)
from junheng.core.quantity import QuantityError
from junheng.core.result import Provenance


@kind("small_school_funding")
def _small_school_funding(params: dict[str, Any], path: str) -> Rule:
    """G6: schools under N students get operating funds as if they had N students, plus
    ``boarder_supplement`` 元 per boarder (STANDARDS.md §4.3). ``urban_rural`` limits a
    school type to some areas: the 2017 text names 村小学和教学点, so a 城区 or 镇区 小学
    under 100 students is out (a reading the standard file states)."""
    p = _Params(params, path, {"below_students", "funded_as", "quota_facts", "school_types", "ownership", "scale",
                               "urban_rural", "boarder_supplement"})
    below, funded_as = p.number("below_students"), p.number("funded_as")
    quota_facts = {Stage(k): str(v) for k, v in p.get("quota_facts").items()}
    types = p.school_types()
    ownership = p.get("ownership", None)
    scale = p.number("scale", 10000)
    per_boarder = p.number("boarder_supplement", 0)
    areas_raw = p.get("urban_rural", None) or {}
    if not isinstance(areas_raw, dict):
        raise QuantityError(f"{path}.urban_rural", "应为“办学类型: [城乡分类, …]”的映射")
    try:
        areas = {SchoolType(k): frozenset(UrbanRural(x) for x in v) for k, v in areas_raw.items()}
    except (ValueError, TypeError) as exc:
        raise QuantityError(f"{path}.urban_rural", f"未知的办学类型或城乡分类：{exc}") from None

    def applies(s: School) -> bool:
        return s.school_type not in areas or s.urban_rural in areas[s.school_type]

    def run(env: Env) -> Outcome:
        under = [s for s in _schools_in(env, types, ownership) if 0 < s.compulsory_students < below]
        small = [s for s in under if applies(s)]
        out_of_text = [s for s in under if not applies(s)]
        note = None
        if out_of_text:
            note = (f"{'、'.join(s.name for s in out_of_text)} 不足 {below:g} 人，但位于"
                    f"{'、'.join(sorted({URBAN_RURAL_ZH[s.urban_rural] for s in out_of_text}))}，"
                    f"按标准文字（村小学和教学点）不适用本项")
        if not small:
            return Outcome(True, True, value=0,
                           message=f"无学生不足 {below:g} 人的村小学和教学点，本项不适用"
                                   + (f"（{note}）" if note else ""),
                           provenance=Provenance("small_school_funding", {"below_students": below}, note=note))
        needed = {quota_facts[Stage.PRIMARY] if s.primary_students >= s.junior_students else quota_facts[Stage.JUNIOR]
                  for s in small}
        missing = sorted(k for k in needed if env.data.facts.get(k) is None)
        boarders: dict[str, int] = {}
        if per_boarder:
            for s in small:
                n = s.extra.get("boarders")
                if n is None and s.boarding:
                    missing.append("schools.boarders")  # a boarding school must say how many board
                    break
                boarders[s.code] = int(n or 0)
        if missing:
            return Outcome(False, None, message=f"缺少数据：{'、'.join(sorted(set(missing)))}",
                           missing=sorted(set(missing)))
        failures, shortfalls = [], []
        for s in small:
            key = quota_facts[Stage.PRIMARY] if s.primary_students >= s.junior_students else quota_facts[Stage.JUNIOR]
            boarding_extra = per_boarder * boarders.get(s.code, 0)
            required = funded_as * float(env.data.facts[key]) + boarding_extra
            got = s.public_funds_allocated * scale
            if not env.compare(got, ">=", required):
                failures.append({"school_code": s.code, "school_name": s.name, "students": s.compulsory_students,
                                 "boarders": boarders.get(s.code, 0), "allocated": got, "required": required})
                gap = (required - got) / scale
                extra = f"、{boarders[s.code]} 名寄宿生每生另加 {per_boarder:g} 元" if boarding_extra else ""
                shortfalls.append(_school_shortfall("", s, f"公用经费需按 {funded_as:g} 人核定{extra}，"
                                                           f"少拨付 {gap:.2f} 万元", round(gap, 4), "万元"))
        refs = [env.data.fact_refs[k] for k in needed if k in env.data.fact_refs]
        prov = Provenance("small_school_funding", {"below_students": below, "funded_as": funded_as,
                                                   "boarder_supplement": per_boarder, "boarders": boarders,
                                                   "rows": {"学校": [s.row for s in small]}}, refs, note)
        return _per_school_outcome("small_school_funding", failures, len(small), funded_as, prov, shortfalls,
                                   "{n} 所小规模学校公用经费均按标准核定")

    return run


@kind("per_student_funding")
def _per_student_funding(params: dict[str, Any], path: str) -> Rule:
    """G7: operating funds per student of the listed school types ≥ a minimum (元)."""
    p = _Params(params, path, {"school_types", "min_per_student", "field", "scale"})
    types = p.school_types()
    minimum, fname, scale = p.number("min_per_student"), str(p.get("field", "public_funds_allocated")), p.number("scale", 10000)

    def run(env: Env) -> Outcome:
        schools = [s for s in _schools_in(env, types) if (s.compulsory_students + s.senior_students) > 0]
        if not schools:
            kinds = "、".join(SCHOOL_TYPE_ZH[t] for t in (types or ()))
            return Outcome(True, True, value=None, threshold=minimum,
                           message=f"本县无{kinds}，本项不适用",
                           provenance=Provenance("per_student_funding", {"min_per_student": minimum}))
        failures, shortfalls = [], []
        for s in schools:
            n = s.compulsory_students + s.senior_students
            per = float(getattr(s, fname)) * scale / n
            if not env.compare(per, ">=", minimum):
                failures.append({"school_code": s.code, "school_name": s.name, "per_student": per, "required": minimum})
                gap = (minimum * n - per * n) / scale
                shortfalls.append(_school_shortfall("", s, f"生均公用经费 {per:.0f} 元，低于 {minimum:g} 元，需增拨 {gap:.2f} 万元",
                                                    round(gap, 4), "万元"))
        prov = Provenance("per_student_funding", {"min_per_student": minimum, "rows": {"学校": [s.row for s in schools]}})
        return _per_school_outcome("per_student_funding", failures, len(schools), minimum, prov, shortfalls,
                                   "{n} 所学校生均公用经费均达到标准")

    return run


@kind("stage_nondecreasing")
def _stage_nondecreasing(params: dict[str, Any], path: str) -> Rule:
    """A county figure per stage this year against last year (分学段生均一般公共预算教育经费
    / 公用经费 只增不减): ``stages`` maps a stage's Chinese name to ``[this year's fact,
    last year's fact]``. A stage with neither fact is left out (the county has no such
    stage, or does not report it); a stage with only one of them is missing data. Passed
    when every stage given has not fallen; not evaluable when no stage has both."""
    p = _Params(params, path, {"stages", "unit"})
    raw = p.get("stages")
    if not isinstance(raw, dict) or not raw or not all(
            isinstance(v, list) and len(v) == 2 and all(isinstance(k, str) for k in v) for v in raw.values()):
        raise QuantityError(f"{path}.stages", "应为“学段名称: [本年指标, 上年指标]”的映射")
    stages = {str(k): (v[0], v[1]) for k, v in raw.items()}
    unit = str(p.get("unit", ""))

    def run(env: Env) -> Outcome:
        facts = env.data.facts
        compared: dict[str, dict[str, float | bool]] = {}
        missing: list[str] = []
        for zh, (now_key, prev_key) in stages.items():
            now, prev = facts.get(now_key), facts.get(prev_key)
            if now is None and prev is None:
                continue
            if now is None or prev is None:
                missing.append(now_key if now is None else prev_key)
                continue
            compared[zh] = {"value": float(now), "previous": float(prev),
                            "passed": env.compare(float(now), ">=", float(prev))}
        if missing:
            return Outcome(False, None, message=f"缺少数据：{'、'.join(missing)}", missing=missing)
        if not compared:
            need = [k for pair in stages.values() for k in pair]
            return Outcome(False, None, message=f"缺少数据：未填报{'、'.join(stages)}任何学段的本年和上年数",
                           missing=need)
        falling = [zh for zh, c in compared.items() if not c["passed"]]

        def said(zh: str) -> str:
            c = compared[zh]
            return f"{zh} {_number(c['value'])}{unit}"

        if falling:
            message = "；".join(f"{said(zh)}，低于上年 {_number(compared[zh]['previous'])}{unit}" for zh in falling)
            rest = [zh for zh in compared if zh not in falling]
            if rest:
                message += "；" + "；".join(f"{said(zh)}（上年 {_number(compared[zh]['previous'])}{unit}）"
                                           for zh in rest)
        else:
            message = "；".join(f"{said(zh)}（上年 {_number(compared[zh]['previous'])}{unit}）" for zh in compared)
            message += "，均不低于上年"
        keys = [k for zh in compared for k in stages[zh]]
        refs = [env.data.fact_refs[k] for k in keys if k in env.data.fact_refs]
        prov = Provenance("stage_nondecreasing", {"stages": compared}, refs)
        return Outcome(True, not falling, value={zh: c["value"] for zh, c in compared.items()},
                       threshold={zh: c["previous"] for zh, c in compared.items()}, comparison=">=",
                       message=message, provenance=prov,
                       failures=[{"stage": zh, **compared[zh]} for zh in falling])

    return run


def _number(x: float) -> str:
    return f"{x:,.0f}" if float(x).is_integer() else f"{x:,.2f}"
