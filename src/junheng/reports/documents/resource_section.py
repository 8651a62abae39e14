"""资源配置: the standard's values, the per-school table of each stage, the CV table.

The per-school table follows the official 七项指标 forms (基本值 / 达标值 / 实际值 /
是否达标 per indicator): 达标值 is the standard's value, 基本值 the floor of the 85 %
clause; both are the same for every school of a stage, so they are printed once as
header rows (repeated on every page) instead of in every row.
"""

from __future__ import annotations

from collections.abc import Callable

from junheng.core.facts import STAGE_ZH, Stage
from junheng.core.result import DispersionResult, Evaluation, SchoolResult
from junheng.reports import charts
from junheng.reports import numbers as fmt
from junheng.reports.documents.document import Cell, Figure, Paragraph, Section, Table, cells
from junheng.reports.documents.findings import has_thresholds
from junheng.reports.documents.wording import chinese_number, heading2, join_names, yes_no

PASS_TONE = {True: None, False: "bad", None: "warn"}


def stage_parts(evaluation: Evaluation) -> dict[Stage, list[SchoolResult]]:
    out: dict[Stage, list[SchoolResult]] = {}
    for s in evaluation.schools:
        out.setdefault(s.stage, []).append(s)
    return out


def met_cell(evaluation: Evaluation, school: SchoolResult, indicator_id: str,
             floor_ratio: float | None) -> Cell:
    """是 / 否; a 否 at or above the 基本值 is orange, below it red."""
    r = school.indicators[indicator_id]
    if r.value is None:
        return Cell("缺数据", tone="warn", align="center")
    if r.met:
        return Cell("是", align="center")
    above_floor = floor_ratio is not None and r.value >= floor_ratio * r.threshold
    return Cell("否", tone="warn" if above_floor else "bad", align="center")


def school_table(evaluation: Evaluation, stage: Stage, parts: list[SchoolResult],
                 floor_ratio: float | None) -> Table:
    meta = evaluation.indicator_meta
    ids = list(meta)
    if not has_thresholds(evaluation):
        return values_table(evaluation, stage, parts)
    top = [Cell("序号", rowspan=2), Cell("学校名称", rowspan=2), Cell("在校生数", rowspan=2)]
    top += [Cell(f"{meta[i]['short_name']}（{meta[i]['unit']}）", colspan=2) for i in ids]
    top += [Cell("达标项数", rowspan=2), Cell("学校是否达标", rowspan=2)]
    second = [Cell(t) for _ in ids for t in ("实际值", "是否达标")]
    key = str(stage)
    standard_row = [Cell("达标值", colspan=3, bold=True)]
    standard_row += [Cell(fmt.threshold(float(meta[i]["thresholds"][key])), colspan=2) for i in ids]
    standard_row += [Cell("", colspan=2)]
    header = [top, second, standard_row]
    if floor_ratio is not None:
        floor_row = [Cell(f"基本值（达标值的{floor_ratio:.0%}）", colspan=3, bold=True)]
        floor_row += [Cell(fmt.indicator(fmt.times(floor_ratio, float(meta[i]["thresholds"][key])), meta[i]["unit"]),
                           colspan=2) for i in ids]
        floor_row += [Cell("", colspan=2)]
        header.append(floor_row)
    rows = []
    for n, s in enumerate(parts, 1):
        row = cells(str(n), s.name, fmt.integer(s.students))
        for i in ids:
            row.append(Cell(fmt.indicator(s.indicators[i].value, meta[i]["unit"])))
            row.append(met_cell(evaluation, s, i, floor_ratio))
        row.append(Cell(f"{s.met}/{len(ids)}", align="center"))
        row.append(Cell(yes_no(s.passed), tone=PASS_TONE[s.passed], align="center"))
        rows.append(row)
    widths = [2.0, 9.4, 3.6] + [2.9, 3.4] * len(ids) + [3.4, 5.0]
    align = ["center", "left", "right"] + ["right", "center"] * len(ids) + ["center", "center"]
    note = ("注：是否达标以达标值判定；" + (f"实际值未达到达标值但不低于基本值的标为橙色“否”，低于基本值的标为红色“否”；"
            f"学校至少 {_min_met(evaluation)} 项达到达标值、其余不低于基本值即为达标。"
            if floor_ratio is not None else "本标准不设学校整体达标要求。"))
    return Table(
        caption=f"{STAGE_ZH[stage]}学校资源配置{chinese_number(len(ids))}项指标达标情况",
        header=header, rows=rows, widths=widths, align=align, note=note, wide=True, small=True,
        key=f"schools-{stage}",
    )


def values_table(evaluation: Evaluation, stage: Stage, parts: list[SchoolResult]) -> Table:
    """The per-school values only, for a standard that sets no per-school values
    (jbjh-2012 judges the spread between schools, not each school)."""
    meta = evaluation.indicator_meta
    ids = list(meta)
    header = [cells("序号", "学校名称", "在校生数", *(f"{meta[i]['short_name']}（{meta[i]['unit']}）" for i in ids))]
    rows = [cells(str(n), s.name, fmt.integer(s.students),
                  *(fmt.indicator(s.indicators[i].value, meta[i]["unit"]) for i in ids))
            for n, s in enumerate(parts, 1)]
    return Table(
        caption=f"{STAGE_ZH[stage]}学校资源配置{chinese_number(len(ids))}项指标",
        header=header, rows=rows, widths=[2.2, 9.0, 3.6] + [3.6] * len(ids),
        align=["center", "left", "right"] + ["right"] * len(ids),
        note="注：本评估办法不设逐校的指标标准值，各项指标用于计算校际差异系数。",
        wide=True, small=True, key=f"schools-{stage}",
    )


def _min_met(evaluation: Evaluation) -> str:
    # The pass rule lives in the standard; the reason strings of passing schools carry it.
    total = len(evaluation.indicator_meta)
    counts = [s.met for s in evaluation.schools if s.passed]
    return str(min(counts)) if counts and min(counts) < total else str(max(total - 1, 0))


def standard_table(evaluation: Evaluation, stages: list[Stage], floor_ratio: float | None) -> Table:
    meta = evaluation.indicator_meta
    header = [[Cell("指标", rowspan=2), Cell("单位", rowspan=2)]
              + [Cell(STAGE_ZH[s], colspan=2 if floor_ratio is not None else 1) for s in stages]]
    sub = []
    for _ in stages:
        sub += [Cell("达标值")] + ([Cell("基本值")] if floor_ratio is not None else [])
    header.append(sub)
    rows = []
    for m in meta.values():
        row = cells(m["name"], m["unit"])
        for s in stages:
            t = float(m["thresholds"][str(s)])
            row.append(Cell(fmt.threshold(t), align="right"))
            if floor_ratio is not None:
                row.append(Cell(fmt.indicator(fmt.times(floor_ratio, t), m["unit"]), align="right"))
        rows.append(row)
    per_stage = 2 if floor_ratio is not None else 1
    return Table(caption="资源配置指标的达标值与基本值", header=header, rows=rows,
                 widths=[12, 3] + [3] * per_stage * len(stages),
                 align=["left", "center"] + ["right"] * per_stage * len(stages), key="standard-values")


def cv_table(evaluation: Evaluation) -> Table:
    meta = evaluation.indicator_meta
    stages = list(evaluation.dispersion)
    header = [[Cell("指标", rowspan=2)]]
    sub: list[Cell] = []
    for st in stages:
        limit = _stage_limit(evaluation.dispersion[st])
        title = STAGE_ZH[st] + (f"（限值 ≤{fmt.limit(limit)}）" if limit is not None else "")
        header[0].append(Cell(title, colspan=3))
        sub += cells("校际均值", "差异系数", "是否达标")
    header.append(sub)
    rows = []
    ids = [i for i in meta] + (["composite"] if any("composite" in t for t in evaluation.dispersion.values()) else [])
    for i in ids:
        name = meta[i]["short_name"] if i in meta else "综合差异系数"
        row = cells(name)
        for st in stages:
            d = evaluation.dispersion[st].get(i)
            if d is None:
                row += cells(fmt.MISSING, fmt.MISSING, fmt.MISSING)
                continue
            unit = meta[i]["unit"] if i in meta else None
            row.append(Cell(fmt.indicator(d.county_mean, unit) if i in meta else fmt.MISSING, align="right"))
            row.append(Cell(fmt.cv(d.cv), align="right", tone="bad" if d.passed is False else None))
            row.append(Cell(_cv_verdict(d), align="center", tone=PASS_TONE[d.passed] if d.limit is not None else None))
        rows.append(row)
    return Table(caption="资源配置指标校际差异系数", header=header, rows=rows,
                 widths=[6.4] + [3, 3, 3] * len(stages), align=["left"] + ["right", "right", "center"] * len(stages),
                 note="注：差异系数按学生数加权计算（" + _method_zh(evaluation) + "）。", key="cv")


def _cv_verdict(d: DispersionResult) -> str:
    if d.limit is None:
        return "—"
    return "无法计算" if d.passed is None else yes_no(d.passed)


def _stage_limit(table: dict[str, DispersionResult]) -> float | None:
    return next((d.limit for d in table.values() if d.limit is not None), None)


def _method_zh(evaluation: Evaluation) -> str:
    method = evaluation.settings.get("cv_weighting", "student_weighted")
    return {"student_weighted": "以各校在校生数为权重的加权标准差除以加权平均数",
            "unweighted_population": "不加权，总体标准差",
            "unweighted_sample": "不加权，样本标准差"}.get(method, method)


def stage_summary(evaluation: Evaluation, stage: Stage, parts: list[SchoolResult], ref: str) -> str:
    """The stage's schools in one paragraph; ``ref`` names the table with each school's values."""
    total = len(evaluation.indicator_meta)
    full = sum(1 for s in parts if s.passed and s.met == total)
    partial = sum(1 for s in parts if s.passed and s.met < total)
    failed = [s for s in parts if not s.passed]
    mixed = sum(1 for s in parts if s.share < 1.0)
    text = (f"{STAGE_ZH[stage]}纳入评估学校 {len(parts)} 所"
            + (f"（其中一贯制学校、完全中学的{STAGE_ZH[stage]}部 {mixed} 个）" if mixed else "")
            + f"，在校生 {sum(s.students for s in parts)} 人。{total} 项指标全部达到达标值的 {full} 所")
    if not has_thresholds(evaluation):
        return (f"{STAGE_ZH[stage]}纳入评估学校 {len(parts)} 所"
                + (f"（其中一贯制学校、完全中学的{STAGE_ZH[stage]}部 {mixed} 个）" if mixed else "")
                + f"，在校生 {sum(s.students for s in parts)} 人，逐校测算的 {total} 项指标见{ref}。")
    if partial:
        text += f"，部分指标达到基本值、学校整体达标的 {partial} 所"
    if failed:
        text += f"，未达标 {len(failed)} 所：{join_names([s.name for s in failed], 12)}。"
    else:
        text += "，所有学校均达标。"
    return text + f"各校逐项指标值及达标情况见{ref}。"


def cv_summary(evaluation: Evaluation, stage: Stage) -> str:
    table = evaluation.dispersion[stage]
    meta = evaluation.indicator_meta
    singles = [d for i, d in table.items() if i in meta]
    known = [d for d in singles if d.cv is not None]
    limit = _stage_limit(table)
    text = f"{STAGE_ZH[stage]} {len(singles)} 项指标的校际差异系数"
    if known:
        lo, hi = min(d.cv for d in known), max(d.cv for d in known)  # type: ignore[type-var]
        text += f"在 {fmt.cv(lo)}～{fmt.cv(hi)} 之间"
    over = [d for d in table.values() if d.passed is False]
    if limit is None:
        return text + "。"
    composite = table.get("composite")
    if composite is not None:  # jbjh-2012: the mean of the CVs is what is judged
        text += f"，综合差异系数（各项指标差异系数的平均值）为 {fmt.cv(composite.cv)}"
        if composite.passed is None:
            return text + "，缺少数据无法判定。"
        word = "小于或等于" if composite.passed else "超过"
        return text + f"，{word} {fmt.limit(limit)}，{'达到' if composite.passed else '未达到'}要求。"
    if over:
        names = "、".join(f"{meta[d.indicator_id]['short_name'] if d.indicator_id in meta else '综合'}"
                         f"（{fmt.cv(d.cv)}）" for d in over)
        return text + f"，其中 {names} 超过 {fmt.limit(limit)}，未达到要求。"
    if len(known) < len(singles):
        return text + "，部分指标缺少数据无法计算。"
    return text + f"，均小于或等于 {fmt.limit(limit)}，达到要求。"


def build(section: Section, evaluation: Evaluation, floor_ratio: float | None,
          attach: Callable[[Table], str]) -> int:
    """Fill 资源配置 into ``section``; returns the number of the next level-2 heading.
    The per-school tables go to the report's 附表 through ``attach`` (Document.attach).

    A standard without per-school values (jbjh-2012) gets no 评估标准 table, no
    达标 columns and no 达标 chart: only the values and the CVs it judges."""
    parts = stage_parts(evaluation)
    stages = [s for s in _stages(evaluation) if s in parts] if evaluation.indicator_meta else []
    total_parts = len(evaluation.schools)
    codes = {s.school_code for s in evaluation.schools}
    section.add(Paragraph(
        f"按照《{evaluation.standard_title}》，对纳入评估范围的 {len(codes)} 所学校"
        f"（按学段计 {total_parts} 个）逐校测算 {len(evaluation.indicator_meta)} 项资源配置指标，"
        "并按学生数加权计算各指标的校际差异系数。"))
    judged = has_thresholds(evaluation)
    number = 1
    if judged:
        std = section.sub(heading2(number, "评估标准"), key="resource-standard")
        std.add(standard_table(evaluation, stages, floor_ratio))
        number += 1
    sch = section.sub(heading2(number, "学校达标情况" if judged else "学校资源配置情况"), key="resource-schools")
    number += 1
    refs = {st: attach(school_table(evaluation, st, parts[st], floor_ratio)) for st in stages}
    for st in stages:
        sch.add(Paragraph(stage_summary(evaluation, st, parts[st], refs[st])))
    if judged:
        sch.add(Figure(png=charts.stacked_counts(
        [STAGE_ZH[s] for s in stages],
            [("达标", [sum(1 for x in parts[s] if x.passed) for s in stages], charts.GOOD),
             ("未达标", [sum(1 for x in parts[s] if not x.passed) for s in stages], charts.BAD)],
            "各学段学校达标情况"), caption="各学段学校达标情况", key="chart-schools", width_cm=9.0))
    cv = section.sub(heading2(number, "校际差异系数"), key="resource-cv")
    number += 1
    for st in evaluation.dispersion:
        cv.add(Paragraph(cv_summary(evaluation, st)))
    cv.add(cv_table(evaluation))
    meta = evaluation.indicator_meta
    for st, table in evaluation.dispersion.items():
        limit = _stage_limit(table)
        if limit is None:
            continue
        labels = [meta[i]["short_name"] for i in meta if i in table]
        values = [table[i].cv for i in meta if i in table]
        png = charts.cv_bars(labels, values, limit, f"{STAGE_ZH[st]}校际差异系数")
        cv.add(Figure(f"{STAGE_ZH[st]}校际差异系数与限值", png, 14.0, key=f"chart-cv-{st}"))
    return number


def _stages(evaluation: Evaluation) -> list[Stage]:
    first = next(iter(evaluation.indicator_meta.values()))
    return [Stage(k) for k in first["thresholds"]]
