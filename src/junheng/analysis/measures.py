"""Every trackable measure a bureau can set a target on (issue 15 §2), in one registry.

A measure is a figure of the county-year fact sheet (``analysis.figure_catalogue``:
``large_class_share``, ``backbone_share`` …), an indicator or item of the loaded standard
(``indicator.R1``, ``cv.primary.R1``, ``item.G11``), or 新增学位数 (``places_added``:
学位数 of the year − of the previous stored year). Each has its Chinese name, unit,
direction (higher or lower is better; ``neutral``: the target's side of the baseline
decides) and the scopes it can be read for (全县, 小学, 初中, 学前, a group, a township).

A measure's value for a year is read from the year's stored fact-sheet figures
(:func:`measure_value`); when it cannot be had, the reason is said in Chinese (the sheet
or column the workbook lacks).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from junheng.analysis.figure_catalogue import BY_ID, DEFINITIONS, STAGE_IDS, Kind
from junheng.analysis.scopes import (
    COUNTY,
    COUNTY_ONLY,
    GROUP_PREFIX,
    PRESCHOOL,
    STAGE_SCOPES,
    TOWNSHIP_PREFIX,
)
from junheng.core.standard import Standard

Direction = Literal["higher", "lower", "neutral"]
DIRECTION_ZH = {"higher": "越高越好", "lower": "越低越好", "neutral": "按目标方向"}
PLACES_ADDED = "places_added"

# Lower is better; the counts of the county (schools, students …) are neutral.
_LOWER = ("large_classes", "super_large_classes", "large_class_share", "super_large_class_share",
          "over_standard_classes", "over_standard_share", "class_size", "student_teacher_ratio", "tutoring_now",
          "cv.", "parts.excluded")
_HIGHER = ("parts.passed", "backbone", "above_degree", "rotat", "group_", "groups", "afterschool_", "spending",
           "per_student_spending", "tutoring_reduction", "preschool.", "indicator.", "capacity", PLACES_ADDED)
# Items judged "at most" (fewer is better): 超规模学校, 大班额, 超标准班额 counts.
_LOWER_ITEMS = ("school_size", "class_size", "fact_false")
_NUMBERLESS_ITEMS = frozenset({"fact_true", "fact_false", "all_of"})

# Why a figure is missing, by figure id prefix: what the workbook lacks.
_MISSING = {
    "spending": "「县级指标」表没有填写「本年一般公共预算教育支出」",
    "per_student_spending.": "「县级指标」表既没有填写该学段的生均一般公共预算教育经费（教育经费统计口径），也没有填写"
                             "可据以计算的该学段一般公共预算教育支出（可选项「小学一般公共预算教育支出」"
                             "「初中一般公共预算教育支出」）",
    "per_student_spending_prev": "「县级指标」表没有填写「上年一般公共预算教育支出」或「上年在校学生数」",
    "per_student_spending_growth": "「县级指标」表没有填写上年的教育支出或在校学生数",
    "per_student_spending": "「县级指标」表没有填写「本年一般公共预算教育支出」或「本年在校学生数」",
    "spending_prev": "「县级指标」表没有填写「上年一般公共预算教育支出」",
    "spending_growth": "「县级指标」表没有填写本年或上年的一般公共预算教育支出",
    "group": "「学校」表没有填写「教育集团」列（没有学校属于教育集团）",
    "afterschool": "「学校」表没有「开展课后服务」列，或该列全部空白",
    "tutoring": "「县级指标」表没有填写学科类校外培训机构数",
    "preschool.": "工作簿没有「幼儿园」表，或该表缺少计算所需的列（学前教育指标按 xqpp-2020 计算）",
    "item.": "该学年评估时本项缺少数据、不能判定（见评估结果中的“不能判定”项）",
    "cv.": "该学段没有纳入评估的学校，或该项指标平均值为 0",
    "indicator.": "该学年没有纳入评估的学校",
    PLACES_ADDED: "数据库中没有上一学年的数据，无法计算新增学位",
}


# Figure ids an earlier version kept and a later one folded into another (issue 16: one
# 生均一般公共预算教育经费 per stage). Targets and stored summaries that name the old id
# read the new one (:func:`canonical`, :func:`upgrade_figures`).
RENAMED = {f"budget_per_student.{k}": f"per_student_spending.{k}" for k in ("primary", "junior", "senior", "preschool")}


def canonical(measure_id: str) -> str:
    """The id a measure has now (``budget_per_student.primary`` → ``per_student_spending.primary``)."""
    return RENAMED.get(measure_id, measure_id)


def upgrade_figures(figures: dict[str, Any]) -> dict[str, Any]:
    """A stored year's figures under today's ids. A summary stored before issue 16 has
    both the typed ``budget_per_student.<stage>`` and the computed
    ``per_student_spending.<stage>``: the typed one wins, as it does in today's fact sheet."""
    if not any(old in figures for old in RENAMED):
        return figures
    out = {k: v for k, v in figures.items() if k not in RENAMED}
    for old, new in RENAMED.items():
        if figures.get(old) is not None:
            out[new] = figures[old]
    return out


@dataclass(frozen=True, slots=True)
class Measure:
    id: str
    name: str
    unit: str
    kind: Kind
    direction: Direction
    definition: str
    group: str
    stage_scopes: tuple[str, ...] = ()  # 小学 / 初中 when the fact sheet has the stage figure
    parts: bool = True  # readable for a school group or a township
    preschool: bool = False

    def scopes(self) -> list[str]:
        """The fixed scopes (a group or township is also allowed when ``parts``)."""
        return [COUNTY, *self.stage_scopes, *([PRESCHOOL] if self.preschool else [])]

    def supports(self, scope: str) -> bool:
        if scope == COUNTY or scope in self.stage_scopes:
            return True
        if scope == PRESCHOOL:
            return self.preschool
        if scope.startswith((GROUP_PREFIX, TOWNSHIP_PREFIX)):
            return self.parts
        return False

    def scope_text(self) -> str:
        out = self.scopes()
        if self.parts:
            out.append("教育集团、乡镇")
        return "、".join(out)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "name": self.name, "unit": self.unit, "kind": self.kind,
                "direction": self.direction, "definition": self.definition, "scopes": self.scopes(),
                "parts": self.parts}


def direction_of(figure_id: str) -> Direction:
    if figure_id.startswith(_LOWER):
        return "lower"
    if figure_id.startswith(_HIGHER):
        return "higher"
    return "neutral"


def _from_definition(d: Any, direction: Direction | None = None) -> Measure:
    stages = tuple(zh for key, zh in STAGE_IDS.items() if f"{d.id}.{key}" in BY_ID)
    return Measure(d.id, d.name, d.unit, d.kind, direction or direction_of(d.id), d.definition, d.group, stages,
                   parts=d.id not in COUNTY_ONLY, preschool=d.id.startswith("preschool."))


def _standard_measures(std: Standard) -> list[Measure]:
    out: list[Measure] = []
    if std.resource is not None:
        for ind in std.resource.indicators:
            name = ind.short_name or ind.name
            out.append(Measure(f"indicator.{ind.id}", f"{ind.id} {name}达标学校比例", "%", "percent", "higher",
                               "纳入评估的学校（学段）中该项指标达到学校达标要求的比例", "资源配置均衡"))
        stages = [s.value for s in std.resource.stages]
        ids = [(i.id, i.short_name or i.name) for i in std.resource.indicators]
        if std.resource.dispersion is not None and std.resource.dispersion.kind == "composite_mean":
            ids.append(("composite", "综合"))
        for st in stages:
            zh = STAGE_IDS.get(st, st)
            for i, name in ids:
                out.append(Measure(f"cv.{st}.{i}", f"{zh}{name}校际差异系数", "", "cv", "lower",
                                   "纳入评估的该学段学校该项指标的标准差 ÷ 平均值（评估办法规定的算法）", "资源配置均衡",
                                   parts=False))
    for item in std.items:
        if item.kind in _NUMBERLESS_ITEMS or item.evidence:
            continue
        direction: Direction = "lower" if item.kind in _LOWER_ITEMS else "higher"
        out.append(Measure(f"item.{item.id}", f"{item.id} {item.name}", "", "ratio", direction,
                           f"{std.title}评估项 {item.id} 据以判定的数值", "评估内容", parts=False))
    return out


def registry(standard: Standard | None = None) -> dict[str, Measure]:
    """Every measure, in the catalogue's order; the standard's indicators and items when given."""
    out = {d.id: _from_definition(d) for d in DEFINITIONS}
    capacity = BY_ID["capacity"]
    out[PLACES_ADDED] = Measure(PLACES_ADDED, "新增学位数", "个", "count", "higher",
                                "本学年义务教育学位数 − 数据库中上一学年的学位数（学位数的口径见「义务教育学位数」："
                                + capacity.definition + "）", capacity.group,
                                tuple(STAGE_IDS.values()))
    if standard is not None:
        out.update({m.id: m for m in _standard_measures(standard)})
    return out


def figure_id(measure: Measure, scope: str) -> str:
    """The fact-sheet figure of ``measure`` read for ``scope`` (小学 → ``….primary``)."""
    if scope in STAGE_SCOPES:
        return f"{measure.id}.{STAGE_SCOPES[scope]}"
    return measure.id


def scoped_name(measure: Measure, scope: str) -> str:
    """The name a target row prints: 小学平均班额 for class_size in 小学, else the measure's."""
    if scope in STAGE_SCOPES:
        d = BY_ID.get(figure_id(measure, scope))
        if d is not None:
            return d.name
        return f"{scope}{measure.name}"
    return measure.name


def missing_reason(figure: str) -> str:
    for prefix in sorted(_MISSING, key=len, reverse=True):
        if figure.startswith(prefix):
            return _MISSING[prefix]
    return "该学年的数据缺少计算本项所需的内容"


def measure_value(measure: Measure, scope: str, figures: dict[str, Any], scoped: dict[str, dict[str, Any]],
                  previous: tuple[dict[str, Any], dict[str, dict[str, Any]]] | None = None,
                  ) -> tuple[float | None, str]:
    """``(value, why it is missing)`` of ``measure`` for ``scope`` from one year's stored
    figures (``figures``: the county's, ``scoped``: per group / township); ``previous``:
    the previous stored year's two, for 新增学位数."""
    if measure.id == PLACES_ADDED:
        now = _read(capacity_measure(), scope, figures, scoped)
        if previous is None:
            return None, _MISSING[PLACES_ADDED]
        before = _read(capacity_measure(), scope, *previous)
        if now[0] is None or before[0] is None:
            return None, now[1] or before[1] or _MISSING[PLACES_ADDED]
        return now[0] - before[0], ""
    return _read(measure, scope, figures, scoped)


def capacity_measure() -> Measure:
    return _from_definition(BY_ID["capacity"])


def _read(measure: Measure, scope: str, figures: dict[str, Any],
          scoped: dict[str, dict[str, Any]]) -> tuple[float | None, str]:
    fid = figure_id(measure, scope)
    if scope.startswith((GROUP_PREFIX, TOWNSHIP_PREFIX)):
        part = scoped.get(scope)
        if part is None:
            kind = "教育集团" if scope.startswith(GROUP_PREFIX) else "乡镇"
            return None, f"该学年「学校」表中没有属于{scope.split('：', 1)[1]}的学校（按「{kind}」列）"
        figures = part
    if fid not in figures:
        return None, missing_reason(fid)
    value = figures[fid]
    if value is None:
        return None, missing_reason(fid)
    return float(value), ""


def markdown(standard: Standard) -> str:
    """docs/measures.md: every measure a target can be set on, with its definition from the
    catalogue (``python -m junheng.analysis.measures > docs/measures.md``; a test keeps it current)."""
    out = ["# 可设目标的指标（由代码生成，请勿手改）", "",
           "行动方案目标（`junheng targets`）可以设在下列任一指标上。指标的数值取自每个学年的县域年度数据表",
           "（口径见 [figures.md](figures.md)），与评估结果、年度答卷中的同名数字完全一致。“评估办法的指标和评估项”",
           f"一节按 {standard.id}（{standard.title}）列出；县区按其他标准评估时，列出的是该标准的指标和评估项。",
           "", "**范围**：全县都可以；“小学、初中”只适用于有分学段数字的指标；“学前”适用于学前教育指标；",
           "“教育集团、乡镇”按「学校」表的「教育集团」「所在乡镇（街道）」列取该集团（乡镇）的学校计算，",
           "县级指标（教育经费、校外培训机构、学前教育普及普惠）和评估办法的县级评估项不能按集团、乡镇计算。", ""]
    groups: dict[str, list[Measure]] = {}
    for m in registry(standard).values():
        groups.setdefault(m.group, []).append(m)
    for group, ms in groups.items():
        out += [f"## {group}", "", "| 指标 | 编号 | 单位 | 方向 | 可用范围 | 口径 |", "| --- | --- | --- | --- | --- | --- |"]
        out += [f"| {m.name} | `{m.id}` | {m.unit or '—'} | {DIRECTION_ZH[m.direction]} | {m.scope_text()} | "
                f"{m.definition} |" for m in ms]
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    from junheng.standards import load_standard

    print(markdown(load_standard("yzjh-2017")), end="")
