"""What every rendering of an evaluation says the same way: the verdict and why, how a
school's indicator cell is judged (met / within the 85 % clause / failing), how an
item's value and standard read in Chinese, and which workbook cells a figure came from.

The terminal summary, the result workbook and the HTML report all call these, so they
cannot disagree with one another.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from enum import StrEnum
from typing import Any

from junheng.core.facts import SCHOOL_TYPE_ZH, STAGE_ZH, SchoolType, Stage
from junheng.core.result import (
    DimensionResult,
    Evaluation,
    IndicatorResult,
    ItemResult,
    Provenance,
    SchoolResult,
)
from junheng.reports import numbers as fmt

RESOURCE = "resource"
STAGE_ORDER = (Stage.PRIMARY, Stage.JUNIOR, Stage.SENIOR)
# Formula kinds whose value (or, for each_school_ratio, whose threshold) is a share.
RATIO_KINDS = frozenset({"ratio", "each_school_ratio"})
OP_ZH = {">=": "≥", "<=": "≤", ">": ">", "<": "<", "==": "=", "!=": "≠"}
# Keys of dict-valued thresholds and values, as a reader knows them.
KEY_ZH = {
    **{str(k): v for k, v in STAGE_ZH.items()},
    "default": "其他学校",
    "nine_year": "九年一贯制学校",
    "twelve_year": "十二年一贯制学校",
    "music": "音乐教室（㎡）",
    "art": "美术教室（㎡）",
}
SETTING_ZH = {
    "cv_weighting": ("差异系数计算方法", {
        "student_weighted": "按学生数加权（评估办法公式）",
        "unweighted_population": "不加权（总体标准差）",
        "unweighted_sample": "不加权（样本标准差）",
    }),
    "compare_rounded_digits": ("达标判定用值", {None: "未四舍五入的值"}),
    "display_digits": ("差异系数显示位数", {}),
    "indoor_sports": ("室内体育用房面积", {
        "keep": "计入生均教学及辅助用房面积",
        "move_to_sports": "计入生均体育运动场馆面积（从教学及辅助用房中扣除）",
    }),
}


class Mark(StrEnum):
    """How one school's indicator value is judged, for colouring cells."""

    MET = "met"
    FLOOR = "floor"  # below the standard's value, not below the 85 % floor
    FAIL = "fail"
    MISSING = "missing"


MARK_ZH = {Mark.MET: "达标", Mark.FLOOR: "未达标（不低于基本值）", Mark.FAIL: "未达标", Mark.MISSING: "缺数据"}


# --- verdict and dimensions -------------------------------------------------------------


def report_title(ev: Evaluation) -> str:
    """"示例县义务教育优质均衡发展" from the standard's title (县域…督导评估办法)."""
    topic = ev.standard_title.split("（")[0]
    topic = topic.removeprefix("县域")
    for suffix in ("督导评估暂行办法", "督导评估办法"):
        topic = topic.removesuffix(suffix)
    return f"{ev.county_name}{topic}"


def verdict_word(ev: Evaluation) -> str:
    return "认定" if ev.recognised else "不予认定"


def dimension_word(passed: bool | None) -> str:
    return "缺少数据" if passed is None else ("通过" if passed else "未通过")


def pass_word(passed: bool | None) -> str:
    return "缺少数据" if passed is None else ("达标" if passed else "未达标")


def verdict_reasons(ev: Evaluation) -> list[str]:
    """Why the county is (not) recognised, one line per dimension that decides it."""
    counted = [d for d in ev.dimensions.values() if d.counts_for_verdict]
    if ev.recognised:
        names = "、".join(d.name for d in counted)
        return [f"{names}均通过"]
    out = []
    for d in counted:
        if d.passed is not True:
            out.append(f"{d.name}{dimension_word(d.passed)}：{d.message or '—'}")
    return out


def summary_counts(ev: Evaluation) -> list[tuple[str, int]]:
    """The figures under the verdict on every summary page."""
    return [
        ("纳入资源配置评估的学校（学段）", len(ev.schools)),
        ("其中未达标", len(ev.failing_schools())),
        ("超过限值的差异系数（项）", sum(1 for _, d in dispersion_rows(ev) if d.passed is False)),
        ("未达标的评估项目（项）", sum(1 for i in ev.items.values() if i.passed is False)),
        ("缺少数据的评估项目（项）", len(ev.not_evaluable())),
        ("整改缺口（处）", len(ev.shortfalls)),
        ("其中影响达标（处）", sum(1 for s in ev.shortfalls if s.blocking)),
        ("未纳入资源配置评估的学校（所）", len(ev.excluded)),
    ]


def dimension_note(dim: DimensionResult) -> str:
    return "" if dim.counts_for_verdict else "（不计入认定结论）"


# --- schools and indicators -------------------------------------------------------------


def stages(ev: Evaluation) -> list[Stage]:
    present = set(ev.dispersion) | {s.stage for s in ev.schools}
    return [s for s in STAGE_ORDER if s in present]


def floor_ratio(ev: Evaluation) -> float | None:
    """The 85 % clause's floor (基本值 = floor × 达标值), None when the standard has none."""
    rule = ev.school_pass or {}
    return rule.get("floor_ratio") if rule.get("kind") == "min_met_with_floor" else None


def mark(ev: Evaluation, result: IndicatorResult) -> Mark:
    if result.value is None:
        return Mark.MISSING
    if result.met:
        return Mark.MET
    floor = floor_ratio(ev)
    if floor is not None and result.value >= floor * result.threshold:
        return Mark.FLOOR
    return Mark.FAIL


def threshold_of(ev: Evaluation, indicator_id: str, stage: Stage) -> float | None:
    value = ev.indicator_meta.get(indicator_id, {}).get("thresholds", {}).get(str(stage))
    return None if value is None else float(value)


def limit_of(ev: Evaluation, indicator_id: str, stage: Stage) -> float | None:
    value = ev.indicator_meta.get(indicator_id, {}).get("cv_limits", {}).get(str(stage))
    return None if value is None else float(value)


def indicator_label(ev: Evaluation, indicator_id: str) -> str:
    meta = ev.indicator_meta.get(indicator_id, {})
    return f"{meta.get('short_name') or meta.get('name') or indicator_id}（{meta.get('unit', '')}）"


def indicator_text(ev: Evaluation, indicator_id: str, value: float | None) -> str:
    return fmt.indicator(value, ev.indicator_meta.get(indicator_id, {}).get("unit"))


def unmet_indicators(school: SchoolResult) -> list[IndicatorResult]:
    return [r for r in school.indicators.values() if not r.met]


def school_type_zh(value: str) -> str:
    try:
        return SCHOOL_TYPE_ZH[SchoolType(value)]
    except ValueError:
        return value


# Rows of a dispersion table that are not one indicator (jbjh-2012 judges the mean).
DISPERSION_EXTRA_ZH = {"composite": ("综合差异系数", "各项指标差异系数的平均值")}


def dispersion_ids(ev: Evaluation) -> list[str]:
    """Indicator ids with a CV in any stage, in the standard's order, extras last."""
    present = {i for per in ev.dispersion.values() for i in per}
    return [i for i in ev.indicator_meta if i in present] + sorted(present - set(ev.indicator_meta))


def dispersion_label(ev: Evaluation, indicator_id: str) -> str:
    if indicator_id in DISPERSION_EXTRA_ZH:
        return DISPERSION_EXTRA_ZH[indicator_id][0]
    return indicator_label(ev, indicator_id)


def dispersion_name(ev: Evaluation, indicator_id: str) -> str:
    if indicator_id in DISPERSION_EXTRA_ZH:
        return DISPERSION_EXTRA_ZH[indicator_id][1]
    return ev.indicator_meta.get(indicator_id, {}).get("name", indicator_id)


def stage_limit(ev: Evaluation, stage: Stage) -> float | None:
    """The CV limit of a stage (each indicator's, or the composite's)."""
    return next((d.limit for d in ev.dispersion.get(stage, {}).values() if d.limit is not None), None)


def dispersion_rows(ev: Evaluation):
    """(stage, DispersionResult) in stage then indicator order."""
    ids = dispersion_ids(ev)
    for stage in stages(ev):
        per = ev.dispersion.get(stage, {})
        for i in ids:
            if i in per:
                yield stage, per[i]


def cv_verdict(d) -> tuple[str, bool | None, bool]:
    """(word, passed, judged) of one CV row: a CV without its own limit (each
    indicator under jbjh-2012's composite rule) is shown, not judged."""
    if d.limit is None:
        return "不单独判定", None, False
    return pass_word(d.passed), d.passed, True


def has_thresholds(ev: Evaluation) -> bool:
    """False for standards without per-school values (jbjh-2012 gives 0 for all)."""
    return any(t for meta in ev.indicator_meta.values() for t in meta.get("thresholds", {}).values())


# --- items ------------------------------------------------------------------------------


def items_by_dimension(ev: Evaluation) -> list[tuple[DimensionResult, list[ItemResult]]]:
    """Dimensions that have items, in the standard's order, with their items."""
    out = []
    for dim in ev.dimensions.values():
        items = [ev.items[i] for i in dim.items if i in ev.items]
        if items:
            out.append((dim, items))
    return out


def _rule_kinds(item: ItemResult) -> dict[str, dict[str, Any]]:
    """Named sub-rules of a composite item (all_of): name -> {kind, params}."""
    params = (item.provenance.inputs.get("params") if item.provenance else None) or {}
    return {r.get("name"): r for r in params.get("rules", []) if isinstance(r, dict)}


def _scalar(value: Any, kind: str | None, unit: str | None) -> str:
    """A value as a reader writes it: "ratio"/"percent" 0.9436 -> "94.36%", "one_to"
    8.56 -> "1:8.56" (children per teacher), otherwise the number and its unit."""
    if value is None:
        return fmt.MISSING
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        if kind in ("ratio", "percent"):
            return fmt.amount(float(value) * 100, 2) + "%"
        if kind == "one_to":
            return f"1:{fmt.amount(float(value), 2)}"
        text = fmt.amount(float(value), 4)
        return f"{text}{unit}" if unit else text
    return str(value)


def _unit(item: ItemResult) -> str | None:
    params = (item.provenance.inputs.get("params") if item.provenance else None) or {}
    unit = params.get("unit")
    return unit if isinstance(unit, str) else None


def _formula(item: ItemResult) -> str | None:
    return item.provenance.formula if item.provenance else None


def item_display(item: ItemResult) -> str | None:
    """How the item's single value reads: "percent" (a share: ratio, or each_record's
    share of records), "one_to" (a ratio the standard states as 1:15), or None."""
    formula = _formula(item)
    params = (item.provenance.inputs.get("params") if item.provenance else None) or {}
    if formula == "ratio":
        display = params.get("display", "percent")
        return display if display in ("percent", "one_to") else None
    if formula == "each_record":
        return "percent"
    return None


def item_value_text(item: ItemResult) -> str:
    if isinstance(item.value, dict):
        rules = _rule_kinds(item)
        parts = []
        for name, v in item.value.items():
            rule = rules.get(name, {})
            unit = (rule.get("params") or {}).get("unit")
            parts.append(f"{KEY_ZH.get(str(name), name)}：{_scalar(v, rule.get('kind'), unit)}")
        return "；".join(parts)
    return _scalar(item.value, item_display(item), _unit(item))


def threshold_display(item: ItemResult) -> str | None:
    """How the item's single threshold reads: as its value does, or — each_school_ratio,
    whose value is a count — as each school's share ("percent")."""
    return item_display(item) or ("percent" if _formula(item) in RATIO_KINDS else None)


def item_unit(item: ItemResult) -> str | None:
    """The unit the standard gives the item's value (元, %), if any."""
    return _unit(item)


def item_threshold_text(item: ItemResult) -> str:
    """The standard's requirement, e.g. "≥ 95%", "小学：45；初中：50"."""
    op = OP_ZH.get(item.comparison or "", "")
    if isinstance(item.threshold, dict):
        return "；".join(f"{KEY_ZH.get(str(k), k)}：{fmt.threshold(float(v)) if isinstance(v, (int, float)) else v}"
                        for k, v in item.threshold.items())
    if isinstance(item.threshold, bool):  # a fact that must hold (是) or must not (无)
        return "是" if item.threshold else "无"
    if item.threshold is not None:
        return f"{op} {_scalar(item.threshold, threshold_display(item), _unit(item))}".strip()
    parts = []
    for name, rule in _rule_kinds(item).items():
        params = rule.get("params") or {}
        t = params.get("threshold")
        if isinstance(t, (int, float)) and not isinstance(t, bool):
            parts.append(f"{name} {OP_ZH.get(params.get('op', ''), '')} "
                         f"{_scalar(t, rule.get('kind'), params.get('unit'))}")
    return "；".join(parts) or "见说明"


def item_number(item: ItemResult) -> tuple[float | None, str | None, str | None]:
    """The item's value as a plain number for a spreadsheet cell, how it reads
    (:func:`item_display`: "percent", "one_to" or None) and its unit — (None, …) when
    the value is not one number."""
    v = item.value
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        return None, None, None
    return float(v), item_display(item), _unit(item)


# --- where the numbers came from --------------------------------------------------------


def _ranges(rows: Sequence[int]) -> str:
    """[2, 3, 4, 7] -> "2–4、7"."""
    values = sorted({r for r in rows if r})
    out: list[str] = []
    i = 0
    while i < len(values):
        j = i
        while j + 1 < len(values) and values[j + 1] == values[j] + 1:
            j += 1
        out.append(str(values[i]) if i == j else f"{values[i]}–{values[j]}")
        i = j + 1
    return "、".join(out)


def source_text(prov: Provenance | None, limit: int = 6) -> str:
    """The cells a figure came from: "县级指标 B6「教师年平均工资收入（元）」；…",
    or the rows of a record sheet: "班级 第24、464行". Empty when unknown."""
    if prov is None:
        return ""
    parts = []
    for ref in prov.refs[:limit]:
        if not ref.row:
            if ref.header:  # not a cell: a described source (S1 from the 社会认可度调查)
                parts.append(str(ref))
            continue
        place = f"{ref.sheet} {ref.column}{ref.row}" if ref.column else f"{ref.sheet} 第{ref.row}行"
        parts.append(place + (f"「{ref.header}」" if ref.header else ""))
    if len(prov.refs) > limit:
        parts.append(f"等 {len(prov.refs)} 处")
    rows = prov.inputs.get("rows")
    if isinstance(rows, dict):
        for sheet, numbers in rows.items():
            if isinstance(numbers, Iterable) and (text := _ranges(list(numbers))):
                parts.append(f"{sheet} 第{text}行")
    return "；".join(parts)


# --- settings ---------------------------------------------------------------------------


def settings_rows(ev: Evaluation) -> list[tuple[str, str]]:
    """The choices the evaluation used, in Chinese, for 汇总 pages."""
    s = ev.settings
    rows: list[tuple[str, str]] = []
    for key, (label, values) in SETTING_ZH.items():
        if key in s:
            v = s[key]
            rows.append((label, values.get(v, f"先保留 {v} 位小数再比较" if key == "compare_rounded_digits" else str(v))))
    scope = s.get("scope") or {}
    if scope:
        excluded = "、".join(school_type_zh(t) for t in scope.get("exclude_school_types", [])) or "无"
        rows.append(("不纳入资源配置评估的学校类型", excluded))
        if scope.get("teaching_point_min_students"):
            rows.append(("教学点纳入评估的最少学生数", f"{scope['teaching_point_min_students']} 人"))
        if "include_private" in scope:
            rows.append(("民办学校", "纳入评估" if scope["include_private"] else "不纳入评估"))
    for kind, weights in (s.get("split_weights") or {}).items():
        text = "，".join(f"{KEY_ZH.get(k, k)} {w:g}" for k, w in weights.items())
        rows.append((f"{school_type_zh(kind)}共享资源拆分权重", text))
    rule = ev.school_pass or {}
    if rule.get("kind") == "min_met_with_floor":
        rows.append(("学校达标规则", f"至少 {rule['min_met']} 项指标达到达标值，其余不低于达标值的 "
                                     f"{fmt.fixed(rule['floor_ratio'] * 100, 0)}%"))
    elif rule.get("kind") == "all_met":
        rows.append(("学校达标规则", "全部指标达到达标值"))
    return rows
