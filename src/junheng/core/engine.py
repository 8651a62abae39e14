"""The evaluation engine: county facts + a standard → one :class:`Evaluation`.

Generic over standards: it knows a resource block (per-school indicators, a per-school
pass rule, a dispersion rule) and items run through the formula registry. Nothing here
names an indicator, a threshold or a particular standard.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from junheng.core.bulk import no_cyclic_gc
from junheng.core.dispersion import coefficient_of_variation, composite_mean
from junheng.core.facts import STAGE_ZH, CountyData, Stage
from junheng.core.formulas import Env, Outcome, Rule, build_rule, compare
from junheng.core.quantity import Compiled, QContext, TableIndex, compile_quantity
from junheng.core.result import (
    DimensionResult,
    DispersionResult,
    Evaluation,
    ExcludedSchool,
    IndicatorResult,
    ItemResult,
    Provenance,
    SchoolResult,
    Shortfall,
    display_round,
)
from junheng.core.scope import scoped_data, teachers_left_out
from junheng.core.split import SchoolPart, exclusion_reason, school_parts
from junheng.core.standard import IndicatorSpec, Standard


@dataclass(slots=True)
class Prepared:
    standard: Standard
    numerators: dict[tuple[str, Stage], Compiled]
    rules: dict[str, Rule]


_PREPARED: dict[int, Prepared] = {}


def prepare(standard: Standard) -> Prepared:
    """Compile every quantity and rule of a standard (raises QuantityError with a key path)."""
    cached = _PREPARED.get(id(standard))
    if cached is not None and cached.standard is standard:
        return cached
    numerators: dict[tuple[str, Stage], Compiled] = {}
    if standard.resource:
        for i, ind in enumerate(standard.resource.indicators):
            for stage in standard.resource.stages:
                path = f"resource.indicators[{i}].numerator"
                if stage.value in ind.numerator:
                    path += f".{stage.value}"
                numerators[(ind.id, stage)] = compile_quantity(ind.numerator_for(stage), path)
    rules = {
        item.id: build_rule(item.kind, item.params, f"items[{i}]")
        for i, item in enumerate(standard.items)
    }
    prepared = Prepared(standard, numerators, rules)
    _PREPARED[id(standard)] = prepared
    return prepared



def evaluate(data: CountyData, standard: Standard) -> Evaluation:
    with no_cyclic_gc():
        return _evaluate(data, standard)


def _evaluate(data: CountyData, standard: Standard) -> Evaluation:
    prepared = prepare(standard)
    # Every rule sees only the teachers the standard counts (义务教育: 小学、初中).
    left_out = teachers_left_out(data, standard.settings.scope)
    data = scoped_data(data, standard.settings.scope)
    settings = standard.settings.model_dump(mode="json")
    index = TableIndex(data)
    schools, excluded, shortfalls = _resource_schools(data, prepared, settings, index)
    dispersion = _dispersion(schools, standard, settings, shortfalls)
    items = _items(data, prepared, settings, index, shortfalls)
    if left_out:
        _note_teacher_scope(items, prepared, left_out, standard.settings.scope.teacher_stages)
    dimensions = _dimensions(standard, schools, dispersion, items)
    recognised = all(
        d.passed is True
        for d in dimensions.values()
        if standard.dimension(d.dimension_id).counts_for_verdict
    )
    return Evaluation(
        standard_id=standard.id,
        standard_version=standard.version,
        standard_title=standard.title,
        county_code=data.county.code,
        county_name=data.county.name,
        school_year=data.county.school_year,
        recognised=recognised,
        dimensions=dimensions,
        schools=schools,
        dispersion=dispersion,
        items=items,
        shortfalls=shortfalls,
        excluded=excluded,
        settings=settings,
        indicator_meta=_indicator_meta(standard),
        source=data.source,
        city=data.county.city,
        province=data.county.province,
        standard_document=standard.document,
        school_pass=(
            standard.resource.school_pass.model_dump(mode="json")
            if standard.resource and standard.resource.school_pass else None
        ),
    )


# --- resource allocation ------------------------------------------------------------


def _resource_schools(
    data: CountyData, prepared: Prepared, settings: dict[str, Any], index: TableIndex
) -> tuple[list[SchoolResult], list[ExcludedSchool], list[Shortfall]]:
    standard = prepared.standard
    res = standard.resource
    results: list[SchoolResult] = []
    excluded: list[ExcludedSchool] = []
    shortfalls: list[Shortfall] = []
    if res is None:
        return results, excluded, shortfalls
    weights = standard.settings.split_weights
    for school in data.schools:
        reason = exclusion_reason(school, standard.settings.scope)
        if reason:
            excluded.append(ExcludedSchool(school.code, school.name, reason))
            continue
        for part in school_parts(school, res.stages, weights):
            results.append(_school_part(part, prepared, settings, index, data, shortfalls))
    return results, excluded, shortfalls


def _school_part(
    part: SchoolPart,
    prepared: Prepared,
    settings: dict[str, Any],
    index: TableIndex,
    data: CountyData,
    shortfalls: list[Shortfall],
) -> SchoolResult:
    res = prepared.standard.resource
    assert res is not None
    ctx = QContext(data, index, settings, part.school, part.stage, part.share)
    indicators: dict[str, IndicatorResult] = {}
    for ind in res.indicators:
        q = prepared.numerators[(ind.id, part.stage)](ctx)
        threshold = ind.thresholds[part.stage]
        note = None
        if part.share < 1.0:
            note = f"共享资源按拆分比例 {part.share:.4f} 计入{STAGE_ZH[part.stage]}部"
        prov = Provenance("per_students", {"numerator": q.value, "students": part.students,
                                           "per": ind.per, "scale": ind.scale, "share": part.share},
                          list(q.refs), note)
        if q.rows:
            prov.inputs["rows"] = q.rows
        if q.value is None:
            prov.inputs["missing"] = q.missing
            indicators[ind.id] = IndicatorResult(ind.id, None, threshold, False, math.nan, part.students, prov)
            continue
        value = ind.per * ind.scale * q.value / part.students
        met = compare(value, ">=", threshold, settings)
        indicators[ind.id] = IndicatorResult(ind.id, value, threshold, met, q.value, part.students, prov)
    met_count = sum(1 for r in indicators.values() if r.met)
    passed, reason = _school_pass(indicators, res.school_pass, settings)
    for ind in res.indicators:
        r = indicators[ind.id]
        if not r.met and r.value is not None:
            sf = _indicator_shortfall(ind, r, part, blocking=not passed)
            if sf:
                shortfalls.append(sf)
    s = part.school
    return SchoolResult(
        school_code=s.code, name=s.name, school_type=str(s.school_type), stage=part.stage,
        students=part.students, indicators=indicators, met=met_count, passed=passed, reason=reason,
        urban_rural=str(s.urban_rural), ownership=str(s.ownership), share=part.share, row=s.row,
    )


def _school_pass(indicators: dict[str, IndicatorResult], rule: Any, settings: dict[str, Any]) -> tuple[bool, str]:
    total = len(indicators)
    unmet = [r for r in indicators.values() if not r.met]
    if any(r.value is None for r in indicators.values()):
        missing = "、".join(r.indicator_id for r in indicators.values() if r.value is None)
        return False, f"缺少数据，无法计算 {missing}"
    if not unmet:
        if rule is None:
            return True, f"{total} 项指标均已计算（本标准不设学校达标要求）"
        return True, f"{total} 项指标全部达标"
    names = "、".join(f"{r.indicator_id}（达到标准的 {display_round(r.ratio * 100, 1):g}%）" for r in unmet)  # type: ignore[operator]
    if rule is None:
        return True, f"{total - len(unmet)}/{total} 项达标（本标准不设学校达标要求）"
    if rule.kind == "all_met":
        return False, f"{names} 未达标"
    met = total - len(unmet)
    floor_ok = all(compare(r.value, ">=", rule.floor_ratio * r.threshold, settings) for r in unmet)  # type: ignore[arg-type]
    if met >= rule.min_met and floor_ok:
        return True, f"{met}/{total} 项达标，{names} 不低于标准的 {rule.floor_ratio:.0%}"
    if met < rule.min_met:
        return False, f"仅 {met}/{total} 项达标（要求至少 {rule.min_met} 项）：{names} 未达标"
    return False, f"{met}/{total} 项达标，但 {names} 低于标准的 {rule.floor_ratio:.0%}"


def _indicator_shortfall(ind: IndicatorSpec, r: IndicatorResult, part: SchoolPart, blocking: bool) -> Shortfall | None:
    if ind.shortfall is None:
        return None
    # Missing amount in the numerator's own unit (teachers, ㎡, 万元, rooms).
    need = r.threshold * part.students / (ind.per * ind.scale) - r.numerator
    decimals = ind.shortfall.decimals
    qty = math.ceil(need * 10**decimals - 1e-9) / 10**decimals
    if qty <= 0:
        return None
    n = f"{qty:.{decimals}f}" if decimals else str(int(qty))
    text = ind.shortfall.text.format(n=n)
    if not blocking:
        text += "（该校已按 85% 条款达标，建议补足）"
    return Shortfall(ind.id, text, qty, ind.shortfall.unit, part.school.code, part.school.name,
                     part.stage, blocking)


def _dispersion(
    schools: list[SchoolResult], standard: Standard, settings: dict[str, Any], shortfalls: list[Shortfall]
) -> dict[Stage, dict[str, DispersionResult]]:
    res = standard.resource
    out: dict[Stage, dict[str, DispersionResult]] = {}
    if res is None or res.dispersion is None:
        return out
    method = settings["cv_weighting"]
    each = res.dispersion.kind == "each"
    for stage in res.stages:
        parts = [s for s in schools if s.stage is stage]
        if not parts:
            continue
        limit = res.dispersion.limits[stage]
        table: dict[str, DispersionResult] = {}
        for ind in res.indicators:
            pairs = [(s.indicators[ind.id].value, s.students) for s in parts]
            if any(v is None for v, _ in pairs):
                table[ind.id] = DispersionResult(stage, ind.id, None, limit if each else None, None,
                                                 None, None, len(parts), sum(p for _, p in pairs), method)
                continue
            cv = coefficient_of_variation([v for v, _ in pairs], [p for _, p in pairs], method)  # type: ignore[misc]
            passed = None
            if each and cv.cv is not None:
                passed = compare(cv.cv, "<=", limit, settings)
                if not passed:
                    shortfalls.append(Shortfall(
                        ind.id,
                        f"{STAGE_ZH[stage]}「{ind.short_name or ind.name}」差异系数 "
                        f"{display_round(cv.cv, 3):.3f}，超过 {limit:.2f}",
                        cv.cv - limit, "", stage=stage))
            table[ind.id] = DispersionResult(stage, ind.id, cv.cv, limit if each else None, passed,
                                             cv.mean, cv.std, len(parts), sum(p for _, p in pairs), method)
        if not each:
            comp = composite_mean([d.cv for d in table.values()])
            passed = None if comp is None else compare(comp, "<=", limit, settings)
            table["composite"] = DispersionResult(stage, "composite", comp, limit, passed, None, None,
                                                  len(parts), sum(s.students for s in parts), method)
            if passed is False:
                shortfalls.append(Shortfall("composite", f"{STAGE_ZH[stage]}综合差异系数 "
                                            f"{display_round(comp, 3):.3f}，超过 {limit:.2f}",
                                            comp - limit, "", stage=stage))  # type: ignore[operator]
        out[stage] = table
    return out


# --- items and dimensions -------------------------------------------------------------


def _items(
    data: CountyData, prepared: Prepared, settings: dict[str, Any], index: TableIndex,
    shortfalls: list[Shortfall],
) -> dict[str, ItemResult]:
    env = Env(data, index, settings)
    items: dict[str, ItemResult] = {}
    for spec in prepared.standard.items:
        out: Outcome = prepared.rules[spec.id](env)
        for sf in out.shortfalls:
            sf.item_id = spec.id
            shortfalls.append(sf)
        if out.provenance is not None:
            out.provenance.inputs.setdefault("params", spec.params)
        items[spec.id] = ItemResult(
            item_id=spec.id, name=spec.name, dimension=spec.dimension, evaluable=out.evaluable,
            passed=out.passed, value=out.value, threshold=out.threshold, comparison=out.comparison,
            message=out.message, provenance=out.provenance, failures=out.failures, missing=out.missing,
        )
    return items


def _note_teacher_scope(items: dict[str, ItemResult], prepared: Prepared, left_out: int,
                        stages: tuple[Stage, ...]) -> None:
    """Say on every item that counts teachers how many the scope left out, so that a
    reader comparing 48 / 603 with the 教师 sheet sees why."""
    kept = "、".join(STAGE_ZH[s] for s in stages)
    text = f"按本标准口径只计{kept}教师，另有 {left_out} 名其他学段（高中）教师未计入"
    for spec in prepared.standard.items:
        prov = items[spec.id].provenance
        if prov is not None and "'count': 'teachers'" in str(spec.params):
            prov.note = f"{prov.note}；{text}" if prov.note else text


def _dimensions(
    standard: Standard,
    schools: list[SchoolResult],
    dispersion: dict[Stage, dict[str, DispersionResult]],
    items: dict[str, ItemResult],
) -> dict[str, DimensionResult]:
    out: dict[str, DimensionResult] = {}
    for dim in standard.dimensions:
        members = [i for i in items.values() if i.dimension == dim.id]
        failed = [i.item_id for i in members if i.passed is False]
        unknown = [i.item_id for i in members if not i.evaluable]
        notes: list[str] = []
        if standard.resource and standard.resource.dimension == dim.id:
            bad_schools = [s for s in schools if not s.passed]
            no_data = [s for s in bad_schools if any(r.value is None for r in s.indicators.values())]
            bad_cv = [d for t in dispersion.values() for d in t.values() if d.passed is False]
            none_cv = [d for t in dispersion.values() for d in t.values() if d.passed is None and d.limit is not None]
            if len(bad_schools) > len(no_data):
                failed.append("schools")
                notes.append(f"{len(bad_schools) - len(no_data)} 个学校（学段）未达标")
            if bad_cv:
                failed.append("dispersion")
                notes.append(f"{len(bad_cv)} 项差异系数超标")
            if no_data or none_cv:
                unknown.append("resource-data")
                keys = sorted({m for s in no_data for r in s.indicators.values()
                               for m in r.provenance.inputs.get("missing", [])})
                notes.append(f"部分指标缺少数据（{'、'.join(keys)}）" if keys else "部分指标缺少数据")
            if not schools:
                unknown.append("no-schools")
                notes.append("无纳入评估范围的学校")
        if failed:
            passed, evaluable = False, True
        elif unknown:
            passed, evaluable = None, False
        else:
            passed, evaluable = True, True
        if failed:
            notes += [f"{i} 未达标" for i in failed if i in items]
        if unknown:
            notes += [f"{i} 缺少数据" for i in unknown if i in items]
        message = "；".join(notes) if notes else ("全部达标" if passed else "")
        out[dim.id] = DimensionResult(dim.id, dim.name, passed, evaluable,
                                      [i.item_id for i in members], message,
                                      counts_for_verdict=dim.counts_for_verdict)
    return out


def _indicator_meta(standard: Standard) -> dict[str, dict[str, Any]]:
    if standard.resource is None:
        return {}
    return {
        ind.id: {
            "name": ind.name,
            "short_name": ind.short_name or ind.name,
            "unit": ind.unit,
            "thresholds": {str(k): v for k, v in ind.thresholds.items()},
            "cv_limits": (
                {str(k): v for k, v in standard.resource.dispersion.limits.items()}
                if standard.resource.dispersion else {}
            ),
            "source": ind.source,
        }
        for ind in standard.resource.indicators
    }

